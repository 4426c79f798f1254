-- tests/oom/check_names.lua — out-of-memory sweep of a safety check that has
-- to recognise a misspelt medicine name (the near-match search is the
-- costly part, so it has its own sweep). Runs after tests/oom/prelude.lua.
local k2 = ... or require("k2")
assert(k2.check({ form = "MK-4", meds = { "warfrin" } }).level ~= "ok")
return "ok"
