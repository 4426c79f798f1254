-- tests/oom/steady.lua — out-of-memory sweep of the steady state of a
-- repeated dose. Runs after tests/oom/prelude.lua.
local k2 = ... or require("k2")
assert(k2.pk.steady_state({ form = "MK-7", dose = "180 ug", every = "24h" }).accumulation > 4)
return "ok"
