-- tests/oom/curve.lua — out-of-memory sweep of one simulated curve: repeated
-- doses, its metrics and its plot; then the curve is dropped and collected
-- (the handle's __gc under memory pressure). Runs after tests/oom/prelude.lua.
local k2 = ... or require("k2")
local c = assert(k2.pk.simulate({ form = "MK-7", dose = "180 ug", every = "24h", days = 3, step = "1h" }))
assert(c:cmax() > 0 and c:auc() > 0 and #c:plot({ width = 40, height = 4 }) > 0)
c = nil -- luacheck: ignore 311 (dropping the curve is the point)
collectgarbage()
return "ok"
