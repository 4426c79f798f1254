-- tests/oom/timing.lua — out-of-memory sweep of a timing answer. Runs after
-- tests/oom/prelude.lua.
local k2 = ... or require("k2")
assert(k2.timing({ form = "MK-7" }).form == "MK-7")
return "ok"
