-- shapes_spec.lua: the presentation path every result shares (lua/k2/shapes.lua
-- with the printers in k2.show, k2.pk and k2.advice): r:lines(width) is an
-- array of lines no wider than width, tostring(r) is its lines at 78 joined,
-- and r:to_table() is plain data. Run under Lua 5.4 and LuaJIT.

local k2 = require("k2")

-- Columns of a line (UTF-8 characters).
local function columns(l)
  local n = 0
  for _ in l:gmatch("[\1-\127\194-\244][\128-\191]*") do n = n + 1 end
  return n
end

local function is_plain(x, path)
  local t = type(x)
  assert(t ~= "function" and t ~= "userdata" and t ~= "thread", path .. " is a " .. t)
  if t == "number" then assert(x == x, path .. " is NaN") end
  if t == "table" then
    assert(getmetatable(x) == nil, path .. " has a metatable")
    for k, v in pairs(x) do
      assert(type(k) == "string" or type(k) == "number", path .. " has a " .. type(k) .. " key")
      is_plain(v, path .. "." .. tostring(k))
    end
  end
end

-- One result of every kind.
local function results()
  local c = assert(k2.pk.simulate({ form = "MK-7", dose = "180 ug", every = "24h", days = 3 }))
  local ch = assert(k2.check({ form = "MK-7", dose = "100 ug", age = 10, meds = { "warfarin" } }))
  local d = assert(k2.dose({ form = "MK-7", age = 40 }))
  return {
    fact = assert(k2.fact("seed.mk7.tmax")), fact_list = assert(k2.search("calcification")),
    empty_list = assert(k2.search("zzzqqq")), source = assert(k2.source("S07b")), source_list = k2.sources(),
    conflict = assert(k2.conflict("mk7-tmax")), info = k2.info(), list = assert(k2.fact("seed.mk7.tmax")).forms,
    dose = d, basis = d.basis, notes = d.notes, timing = assert(k2.timing({ form = "phytonadione" })), check = ch,
    findings = ch.findings, finding = ch.findings[1], curve = c, intervals = c:intervals(),
    params = assert(k2.pk.params("MK-7")),
    steady = assert(k2.pk.steady_state({ form = "MK-7", dose = "180 ug", every = "24h" })),
    compare = assert(k2.pk.compare({ { form = "MK-4", dose = "180 ug" }, { form = "MK-7", dose = "180 ug" } })),
    population = assert(k2.pk.population({ form = "MK-7", dose = "180 ug", every = "24h", days = 5, n = 50,
      cv = { ka = 0.3 } })),
  }
end

describe("every result", function()
  local all = results()

  for name, r in pairs(all) do
    it(name .. ": lines fit the width, tostring is lines(78), to_table is plain", function()
      for _, width in ipairs({ 20, 40, 78, 120 }) do
        local lines = r:lines(width)
        assert.is_true(#lines > 0, name)
        for _, l in ipairs(lines) do
          assert.is_string(l)
          assert.is_nil(l:find("\n", 1, true), name .. ": a line holds a newline")
          -- a single word longer than the width (an id, a URL) may stand alone; a table's
          -- rows (intervals) keep their columns
          if columns(l) > width and name ~= "intervals" then
            assert.is_nil(l:match("^%s*%S+%s+%S"), name .. " at " .. width .. ": " .. l)
          end
        end
      end
      assert.equal(table.concat(r:lines(78), "\n"), tostring(r))
      assert.equal(tostring(r), table.concat(r:lines(), "\n"))
      is_plain(r:to_table(), name)
    end)
  end

  it("rejects a width that is not a whole number of at least 20", function()
    for _, bad in ipairs({ 19, 0, 40.5, "wide", true }) do
      local ok, err = pcall(all.fact.lines, all.fact, bad)
      assert.is_false(ok)
      assert.matches("bad argument #1 to 'lines'", err)
    end
    assert.has_error(function() all.curve:lines(60, { heigth = 3 }) end,
      "bad argument #2 to 'lines' (unknown option 'heigth'; known: ascii, color, height, plot, studies)")
  end)

  it("keeps the data JSON needs in to_table", function()
    local f = all.fact:to_table()
    assert.equal("seed.mk7.tmax", f.id)
    assert.equal("seed-p12", f.source.id)
    local list = all.fact_list:to_table()
    assert.equal(#all.fact_list, #list)
    assert.equal(all.fact_list[1].id, list[1].id)
    local d = all.dose:to_table()
    assert.equal(90, d.low) -- the US adequate intake leads for adults (issue 11)
    assert.same({ id = all.dose.primary.id, about = all.dose.primary.About }, d.primary)
    assert.equal("warning", all.check:to_table().level)
  end)
end)

describe("curves, comparisons and populations in front ends", function()
  it("lay out a title, the plot at the width, the metrics and the notice", function()
    local c = assert(k2.pk.simulate({ form = "MK-7", dose = "180 ug", every = "24h", days = 30 }))
    local lines = c:lines(60, { height = 6, ascii = true })
    assert.matches("^MK%-7 180 µg every 24 h", lines[1])
    local plot_rows = 0
    for _, l in ipairs(lines) do if l:find("|", 1, true) or l:find("+", 1, true) then plot_rows = plot_rows + 1 end end
    assert.is_true(plot_rows >= 6)
    assert.matches("not medical advice", table.concat(lines, " "))
    local text_only = c:lines(60, { plot = false })
    assert.is_true(#text_only < #lines)
    assert.is_nil(table.concat(text_only, "\n"):find("┤", 1, true))
  end)

  it("give JSON its points, metrics and notice, and CSV its columns (the points are its rows)", function()
    local c = assert(k2.pk.simulate({ form = "MK-7", dose = "180 ug", duration = "1d", step = "1h" }))
    local t = c:to_table()
    assert.equal("curve", t.kind)
    assert.equal(25, #t.points)
    assert.same({ "time_h", "relative" }, t.columns)
    assert.is_nil(t.rows, "the points are the rows: one copy")
    assert.equal(c:cmax(), t.metrics.cmax)
    assert.equal(c:cmax(), t.cmax)
    assert.equal(1, t.step_h)
    assert.matches("warfarin", t.notice)
    assert.same(c.params.sources, t.parameters.facts)
    local pop = assert(k2.pk.population({ form = "MK-7", dose = "180 ug", every = "24h", days = 5, n = 50,
      cv = { ka = 0.3, ke = 0.3 } }))
    local p = pop:to_table()
    assert.equal("population", p.kind)
    assert.equal(50, p.subjects)
    assert.equal(200, #p.p50)
    for i = 1, 200 do assert.is_true(p.p5[i] <= p.p50[i] and p.p50[i] <= p.p95[i]) end
    local p5, p50 = pop:sample(10)
    assert.equal(10, #p5)
    assert.equal(10, #p50)
    local cmp = assert(k2.pk.compare({ { form = "MK-4", dose = "180 ug" }, { form = "MK-7", dose = "180 ug" } }))
    local ct = cmp:to_table()
    assert.equal(2, #ct.curves)
    assert.equal("curve", ct.curves[1].kind)
    assert.matches("warfarin", ct.notice)
    local iv = c:intervals():to_table()
    assert.same({ "start_h", "cmax", "tmax_h", "trough", "auc" }, iv.columns)
  end)
end)
