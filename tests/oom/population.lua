-- tests/oom/population.lua — out-of-memory sweep of a small simulated
-- population (variable absorption and elimination) with its bands, then
-- dropped and collected. Runs after tests/oom/prelude.lua.
local k2 = ... or require("k2")
local pop = assert(k2.pk.population({ form = "MK-7", dose = "180 ug", days = 2, step = "2h", n = 20,
  cv = { ka = 0.3, ke = 0.3 } }))
assert(pop.mean_cmax > 0)
pop = nil -- luacheck: ignore 311 (dropping the population is the point)
collectgarbage()
return "ok"
