-- lifetime_spec.lua: the life of every k2 handle (store, curve, population),
-- which all follow one recipe (csrc/lk2.h): `close` is idempotent (`free` is
-- its older name on curves and populations), __gc and __close close too,
-- __tostring says "k2.curve (0x..)" or "k2.curve (closed)", __name names the
-- class, and every other method on a closed handle raises an error naming
-- what was closed — never a crash. Random drop orders (close, __close on Lua
-- 5.4, or the collector) must neither leak nor double-free: the Lua heap and
-- the process's resident memory stay bounded over the rounds (a store is about
-- 170 kB of C memory, so 1,000 leaked ones would show), and `make test` runs
-- this file under valgrind. tests/mutation/lifetime_drop.sh breaks close and
-- __gc on purpose and checks that this spec then fails.
require("k2") -- finds and registers the binding for this runtime
local core = require("k2.core")

local MODEL = { ka = 1.2, ke = 0.01, F = 1, F_ref = 1, V = 0, lag = 0 }
local CV = { ka = 0.2, ke = 0.2, V = 0 }

-- One maker per handle type: small ones for many rounds, large ones (about
-- 1 MB of C memory each) for the memory bounds.
local KINDS = {
  store = { make = function() return assert(core.open()) end },
  curve = {
    make = function() return assert(core.pk_curve(MODEL, { 0, 180, 24, 180 }, 72, 1)) end,
    large = function() return assert(core.pk_curve(MODEL, { 0, 180 }, 1000, 0.01)) end,
  },
  population = {
    make = function() return assert(core.pk_population(MODEL, CV, 4, 1, { 0, 180 }, 12, 1, true)) end,
    large = function() return assert(core.pk_population(MODEL, CV, 2, 1, { 0, 180 }, 400, 0.01, true)) end,
  },
}
local ORDER = { "store", "curve", "population" }

local function methods_of(obj)
  local names = {}
  for name in pairs(getmetatable(obj).__index) do names[#names + 1] = name end
  table.sort(names)
  return names
end

-- Resident memory in kB (Linux), or nil where /proc is not there.
local function rss_kb()
  local f = io.open("/proc/self/statm")
  if not f then return nil end
  local _, resident = f:read("*n", "*n")
  f:close()
  return resident and resident * 4 or nil
end

local function full_gc()
  collectgarbage()
  collectgarbage()
end

local function is_closer(name) return name == "close" or name == "free" end

-- A closed handle says so, and its first other method raises naming it.
local function assert_closed(obj, kind)
  assert.equal("k2." .. kind .. " (closed)", tostring(obj))
  for _, name in ipairs(methods_of(obj)) do
    if not is_closer(name) then
      local ok, err = pcall(obj[name], obj, 1, 2)
      assert.is_false(ok, name)
      assert.matches("attempt to use a closed k2 " .. kind, err, 1, true)
      return
    end
  end
end

-- Lua 5.4's to-be-closed variables, compiled only where the syntax exists.
local scoped = load and load([[
  local make = ...
  local h <close> = make()
  return h, tostring(h)
]])

describe("the handle recipe", function()
  for _, kind in ipairs(ORDER) do
    it(kind .. ": __name, __tostring, idempotent close", function()
      local h = KINDS[kind].make()
      local mt = getmetatable(h)
      assert.equal("k2." .. kind, mt.__name)
      assert.is_function(mt.__gc)
      assert.is_function(mt.__close)
      assert.is_function(h.close)
      assert.matches("^k2%." .. kind .. " %(.+%)$", tostring(h))
      assert.not_equal("k2." .. kind .. " (closed)", tostring(h))
      h:close()
      assert_closed(h, kind)
      h:close()
      mt.__gc(h)
      mt.__close(h)
      assert_closed(h, kind)
    end)

    it(kind .. ": every method raises after close, naming what was closed", function()
      local h = KINDS[kind].make()
      h:close()
      for _, name in ipairs(methods_of(h)) do
        if not is_closer(name) then
          local ok, err = pcall(h[name], h, "x", 2, 3)
          assert.is_false(ok, name)
          assert.matches("attempt to use a closed k2 " .. kind, err, 1, true)
        end
      end
    end)
  end

  it("free is close on curves and populations", function()
    for _, kind in ipairs { "curve", "population" } do
      local h = KINDS[kind].make()
      assert.is_function(h.free)
      h:free()
      assert_closed(h, kind)
      h:free()
      h:close()
    end
  end)

  it("__close closes on leaving the scope (Lua 5.4 only)", function()
    if not scoped then return pending("no to-be-closed variables in this runtime") end
    for _, kind in ipairs(ORDER) do
      local h, inside = scoped(KINDS[kind].make)
      assert.not_equal("k2." .. kind .. " (closed)", inside)
      assert_closed(h, kind)
    end
  end)

  it("methods called on the wrong kind of object raise", function()
    local s = KINDS.store.make()
    local c = KINDS.curve.make()
    local p = KINDS.population.make()
    assert.has_error(function() s.search(c, "x") end)
    assert.has_error(function() c.at(s, 1) end)
    assert.has_error(function() p.info(c) end)
    assert.has_error(function() c.close(p) end)
    s:close()
    c:close()
    p:close()
  end)
end)

describe("memory #sweep", function()
  -- Closing or collecting a handle must give its C memory back: 100 large
  -- handles (about 1 MB each) dropped either way leave resident memory within
  -- 32 MB of where it was after the first 10.
  for _, kind in ipairs { "curve", "population" } do
    for _, how in ipairs { "close", "gc" } do
      it(kind .. " memory comes back after " .. how, function()
        if not rss_kb() then return pending("no /proc/self/statm") end
        local base
        for round = 1, 110 do
          local h = KINDS[kind].large()
          if how == "close" then
            h:close()
            assert_closed(h, kind)
          end
          h = nil -- luacheck: ignore
          if round % 10 == 0 then full_gc() end
          if round == 10 then base = rss_kb() end
        end
        full_gc()
        assert.is_true(rss_kb() - base < 32 * 1024, "resident memory grew by " .. (rss_kb() - base) .. " kB")
      end)
    end
  end
end)

-- K2_DROP_ROUNDS: fewer rounds where each costs far more (under valgrind,
-- whose own leak check is the stronger proof of memory coming back).
local ROUNDS = tonumber(os.getenv("K2_DROP_ROUNDS")) or 1000

describe("random drop orders", function()
  it(ROUNDS .. " rounds of creating, dropping in random order and collecting leave memory bounded", function()
    math.randomseed(42)
    local closed, collected, scoped_closed = 0, 0, 0
    local heap0, rss0
    for round = 1, ROUNDS do
      local objs = {}
      for _, kind in ipairs(ORDER) do objs[#objs + 1] = { kind = kind, h = KINDS[kind].make() } end
      objs[#objs + 1] = { kind = "list", h = objs[1].h:search("warfarin", 2) }
      for i = #objs, 2, -1 do
        local j = math.random(i)
        objs[i], objs[j] = objs[j], objs[i]
      end
      for i = 1, #objs do
        local o = objs[i]
        local r = math.random()
        if o.kind ~= "list" and r < 0.3 then
          o.h:close()
          assert_closed(o.h, o.kind)
          closed = closed + 1
        elseif o.kind ~= "list" and r < 0.45 and scoped then
          local h = scoped(function() return o.h end)
          assert_closed(h, o.kind)
          scoped_closed = scoped_closed + 1
        elseif o.kind ~= "list" then
          collected = collected + 1
        end
        objs[i] = nil
        if math.random() < 0.2 then collectgarbage() end
      end
      if round == math.floor(ROUNDS / 10) then
        full_gc()
        heap0, rss0 = collectgarbage("count"), rss_kb()
      end
    end
    full_gc()
    assert.is_true(closed > ROUNDS / 2 and collected > ROUNDS, "every way of dropping was exercised")
    if scoped then assert.is_true(scoped_closed > ROUNDS / 5) end
    -- The Lua heap is back where it was after the first tenth (give or take 1 MB).
    assert.is_true(collectgarbage("count") - heap0 < 1024, "Lua heap grew by " .. (collectgarbage("count") - heap0) .. " kB")
    -- 900 of 1,000 rounds dropped 900 stores: leaking them would add about 150 MB.
    if rss0 then
      assert.is_true(rss_kb() - rss0 < 48 * 1024, "resident memory grew by " .. (rss_kb() - rss0) .. " kB")
    end
  end)
end)
