-- tests/oom/dose.lua — out-of-memory sweep of a dose answer for a child
-- (the agency's intake for the age first, the seed's figure beside it). Runs after tests/oom/prelude.lua.
local k2 = ... or require("k2")
assert(k2.dose({ form = "K2", age = 10 }).low == 60)
return "ok"
