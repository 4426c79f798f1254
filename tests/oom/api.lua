-- tests/oom/api.lua — the Lua API script the out-of-memory sweep runs at
-- every allocation-failure point (tests/oom/oom.c). It touches every part:
-- the store, search, filters, printing, parsers, the model, the advice.
-- It must end with "ok"; any failure must be a "not enough memory" error.
local k2 = require("k2")
local list = assert(k2.search("MK-7 peak", { limit = 3 }))
assert(#list >= 1 and tostring(list):find(" 1. ", 1, true))
assert(#assert(k2.facts({ form = "MK-4", topic = "pharmacokinetics" })) > 0)
local f = assert(k2.fact("seed.k2.children-under-12"))
assert(tostring(f):find("sources disagree", 1, true))
assert(k2.parse_dose("0.18 mg") == 180 and k2.parse_duration("1 h 30 min") == 1.5)
assert(not k2.parse_dose("5 kg"))
local c = assert(k2.pk.simulate({ form = "MK-7", dose = "180 ug", every = "24h", days = 3, step = "1h" }))
assert(c:cmax() > 0 and c:auc() > 0 and #c:plot({ width = 40, height = 4 }) > 0)
assert(k2.pk.steady_state({ form = "MK-7", dose = "180 ug", every = "24h" }).accumulation > 4)
assert(k2.dose({ form = "K2", age = 10 }).low == 45)
assert(k2.check({ form = "MK-4", dose = "45 mg", meds = { "warfarin", "warfrin" } }).level == "avoid")
c = nil -- luacheck: ignore 311 (dropping the curve is the point)
collectgarbage()
return "ok"
