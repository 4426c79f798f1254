-- tests/oom/dose.lua — out-of-memory sweep of a dose answer for a child
-- (where a label and the seed disagree). Runs after tests/oom/prelude.lua.
local k2 = ... or require("k2")
assert(k2.dose({ form = "K2", age = 10 }).low == 45)
return "ok"
