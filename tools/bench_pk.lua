-- bench_pk.lua — the §B.1 single-subject job (shared/notes/pk-peers-and-
-- baselines.md) through the Lua binding, and the same exact update written
-- in plain Lua, side by side in one run (`make bench`). Usage:
--   lua5.4 tools/bench_pk.lua [C_NS_PER_POINT]      (also runs under luajit)
package.path = "lua/?.lua;lua/?/init.lua;" .. package.path
local core = require("k2").abi and require("k2.core")
local N, RUNS = 525600, 9

local function time(f)
  local t = {}
  for r = 1, RUNS do
    collectgarbage()
    local t0 = os.clock()
    f()
    t[r] = (os.clock() - t0) * 1e9 / N
  end
  table.sort(t)
  return t[math.floor((RUNS + 1) / 2)]
end

local model = { ka = 0.5, ke = math.log(2) / 68, F = 1, F_ref = 1, V = 1, lag = 0 }
local doses = {}
for i = 0, 364 do doses[#doses + 1], doses[#doses + 2] = 24 * i, 180 end

local binding = time(function() assert(core.pk_curve(model, doses, 525599 / 60, 1 / 60)) end)

-- Plain Lua: the same recursive update on the same grid, into a table.
local function pure()
  local h, ka, ke = 1 / 60, model.ka, model.ke
  local ek, ea = math.exp(-ke * h), math.exp(-ka * h)
  local x = ka / (ka - ke) * (ek - ea)
  local ag, ac, v, nextdose = 0, 0, {}, 0
  for i = 0, N - 1 do
    if i == nextdose then ag = ag + 180; nextdose = nextdose + 1440 end
    v[i + 1] = ac
    ac = ac * ek + ag * x
    ag = ag * ea
  end
  return v
end
local lua = time(pure)

local c_ns = tonumber(arg[1])
print(("%s binding: %.2f ns/point%s; plain %s: %.2f ns/point (k2 is %.1fx faster)"):format(
  _VERSION:match("5%.1") and "LuaJIT" or "Lua 5.4", binding,
  c_ns and (" (%.2fx the C core; budget 2x)"):format(binding / c_ns) or "", rawget(_G, "jit") and "LuaJIT" or "Lua 5.4", lua,
  lua / binding))
