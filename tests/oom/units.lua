-- tests/oom/units.lua — out-of-memory sweep of the unit parsers, number
-- formatting and form names. Runs after tests/oom/prelude.lua.
local k2 = ... or require("k2")
assert(k2.parse_dose("0.18 mg") == 180 and k2.parse_duration("1 h 30 min") == 1.5)
assert(not k2.parse_dose("5 kg"))
assert(not k2.parse_duration("soon"))
assert(k2.format_number(1.25, 1) ~= nil)
assert(k2.form("mk7") == "MK-7")
return "ok"
