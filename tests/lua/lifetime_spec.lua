-- lifetime_spec.lua: every method of every k2 userdata raises a Lua error —
-- never a crash — once its object is closed or freed, and 1,000 random
-- orders of dropping stores, curves and populations followed by full
-- collections run clean (under valgrind in `make test` too).
require("k2") -- finds and registers the binding for this runtime
local core = require("k2.core")

local function methods_of(obj)
  local names = {}
  for name in pairs(getmetatable(obj).__index) do names[#names + 1] = name end
  table.sort(names)
  return names
end

local MODEL = { ka = 1.2, ke = 0.01, F = 1, F_ref = 1, V = 0, lag = 0 }

describe("use after close or free", function()
  it("every store method raises after close", function()
    local s = assert(core.open())
    s:close()
    for _, name in ipairs(methods_of(s)) do
      if name ~= "close" then
        local ok, err = pcall(s[name], s, "x", "y")
        assert.is_false(ok, name)
        assert.matches("closed k2 store", err, 1, true)
      end
    end
    s:close()
  end)

  it("every curve method raises after free", function()
    local c = assert(core.pk_curve(MODEL, { 0, 180 }, 48, 1))
    c:free()
    for _, name in ipairs(methods_of(c)) do
      if name ~= "free" then
        local ok, err = pcall(c[name], c, 1, 2, 3)
        assert.is_false(ok, name)
        assert.matches("freed k2 curve", err, 1, true)
      end
    end
    c:free()
  end)

  it("every population method raises after free", function()
    local p = assert(core.pk_population(MODEL, { ka = 0.3, ke = 0.3, V = 0 }, 10, 1, { 0, 180 }, 24, 1, true))
    p:free()
    for _, name in ipairs(methods_of(p)) do
      if name ~= "free" then
        local ok, err = pcall(p[name], p, 1)
        assert.is_false(ok, name)
        assert.matches("freed k2 population", err, 1, true)
      end
    end
  end)

  it("methods called on the wrong kind of object raise", function()
    local s = assert(core.open())
    local c = assert(core.pk_curve(MODEL, { 0, 180 }, 48, 1))
    assert.has_error(function() s.search(c, "x") end)
    assert.has_error(function() c.at(s, 1) end)
    s:close()
  end)
end)

describe("random drop orders", function()
  it("1,000 rounds of creating, dropping in random order and collecting run clean", function()
    math.randomseed(42)
    for _ = 1, 1000 do
      local objs = {
        assert(core.open()),
        assert(core.pk_curve(MODEL, { 0, 180, 24, 180 }, 72, 1)),
        assert(core.pk_population(MODEL, { ka = 0.2, ke = 0.2, V = 0 }, 4, 1, { 0, 180 }, 12, 1, true)),
      }
      local list = objs[1]:search("warfarin", 2)
      objs[#objs + 1] = list
      for i = #objs, 2, -1 do
        local j = math.random(i)
        objs[i], objs[j] = objs[j], objs[i]
      end
      for i = 1, #objs do
        if math.random() < 0.3 and objs[i].close then objs[i]:close() end
        objs[i] = nil
        if math.random() < 0.2 then collectgarbage() end
      end
    end
    collectgarbage()
    collectgarbage()
  end)
end)
