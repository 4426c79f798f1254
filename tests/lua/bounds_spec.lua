-- bounds_spec.lua: issue 17's hostile cases as a table, under Lua 5.4 and
-- LuaJIT. Every case is an input that used to run for minutes, eat memory
-- or answer silently wrong; each asserts the refusal names the core's limit
-- (core.limits, core.limit_info) or that the answer is now right, against a
-- closed form or an exact decimal expansion with the stated tolerance.
-- Timings are in make bench (tools/bench.lua), never here.

local k2 = require("k2")
local core = require("k2.core")
local args = require("k2.args")
local limits = core.limits

local function near(a, b, rel, what)
  assert(math.abs(a - b) <= rel * math.abs(b), ("%s: %.17g vs %.17g"):format(what or "value", a, b))
end

-- → the error message of f(...), which must raise
local function raises(f, ...)
  local ok, e = pcall(f, ...)
  assert(not ok, "expected an error")
  return tostring(e)
end

local mk7 = { form = "MK-7", dose = "180ug" }
local function with(extra)
  local o = {}
  for k, v in pairs(mk7) do o[k] = v end
  for k, v in pairs(extra) do o[k] = v end
  return o
end

-- Refused before any work: nil, message naming the limit.
local REFUSED = {
  { "population of 30,000 over 10 years of hourly doses", function()
    return k2.pk.population(with({ every = "1h", days = 3660, n = 30000, step = "1h", cv = { ka = 0.3 } }))
  end, "pk_max_population_work" },
  { "a dose list of every minute for 10 years", function()
    return k2.pk.simulate(with({ every = "1 min", days = 3660 }))
  end, "pk_max_doses" },
  { "intervals of 10 years of hourly doses", function()
    return k2.pk.simulate(with({ every = "1h", days = 3660, step = "1h" })):intervals()
  end, "pk_max_intervals" },
  { "a volume of 1e-310 L", function() return k2.pk.simulate(with({ V = 1e-310 })) end, "V must be 0" },
  { "a numeric duration of 1e20 h", function() return k2.check({ form = "MK-7", duration = 1e20 }) end,
    "duration_max_h" },
  { "a grid finer than pk_max_points allows", function() return k2.pk.simulate(with({ days = 3660, step = 0.002 })) end,
    "the limit pk_max_points" },
  -- a medicine is a user's text: nil, message, as README says of over-long text
  { "a 100 kB medicine", function() return k2.check({ form = "MK-7", meds = { ("ab"):rep(5e4) } }) end,
    "text_max_bytes" },
  { "a 300-byte condition", function() return k2.check({ form = "MK-7", conditions = ("x"):rep(300) }) end,
    "text_max_bytes" },
  { "the work budget asked directly", function() return core.pk_budget(87840, 30000, 87841) end,
    "pk_max_population_work" },
}

describe("work beyond the limits is refused before it starts", function()
  for _, case in ipairs(REFUSED) do
    it(case[1], function()
      local r, msg = case[2]()
      assert.is_nil(r)
      assert.truthy(tostring(msg):find(case[3], 1, true), msg)
    end)
  end
end)

-- Raised (a caller's option out of its range), naming the limit.
local RAISED = {
  { "plot height 1e400", function(c) return c:plot({ height = 1e400 }) end, "integer" },
  { "plot height 1e5", function(c) return c:lines(80, { height = 1e5 }) end, "plot_max_rows" },
  { "plot width 1e6", function(c) return c:plot({ width = 1e6 }) end, "plot_max_columns" },
  { "svg 1e6 px", function(c) return c:svg({ width = 1e6 }) end, "svg_max_px" },
  { "lines width 1e6", function(c) return c:lines(1e6) end, "plot_max_columns" },
  { "a thousand medicines", function()
    local meds = {}
    for i = 1, 1000 do meds[i] = "m" .. i end
    return k2.check({ form = "MK-7", meds = meds })
  end, "list_max_items" },
  { "seed = 1.5, in both runtimes", function()
    return k2.pk.population(with({ n = 10, cv = { ka = 0.3 }, seed = 1.5 }))
  end, "option 'seed'" },
  { "cv = {V = '0.3'} names the option", function()
    return k2.pk.population(with({ n = 10, cv = { V = "0.3" } }))
  end, "option 'cv' field 'V'" },
}

describe("options past their limits raise, naming the limit", function()
  local c = assert(k2.pk.simulate(with({ days = 3 })))
  for _, case in ipairs(RAISED) do
    it(case[1], function()
      local msg = raises(case[2], c)
      assert.truthy(msg:find(case[3], 1, true), msg)
    end)
  end
end)

describe("inside the limits, the largest input answers #sweep", function()
  it("64 medicines of the longest accepted length", function()
    local meds = {}
    for i = 1, limits.list_max_items do meds[i] = ("ab "):rep(math.floor(limits.text_max_bytes / 3) - 1) .. i end
    local r = assert(k2.check({ form = "MK-7", meds = meds }))
    assert.truthy(#r.findings >= 1)
  end)
end)

describe("answers that were silently wrong", function()
  it("format_number is correctly rounded past 2^53 (exact decimal of the double)", function()
    -- 123456789.123456789 is stored as 123456789.12345679104328155517578125
    assert.equal("123456789.123456791", core.format_number(123456789.123456789, 9))
    -- 999999999999999.9 is stored as 999999999999999.875 exactly
    assert.equal("999999999999999.875", core.format_number(999999999999999.9, 9))
    assert.equal("0.1", core.format_number(0.1, 9))
    assert.equal("3", core.format_number(2.5, 0)) -- ties away from zero, as before
    assert.equal("-0.000000001", core.format_number(-1e-9, 9))
    assert.equal("0", core.format_number(1e-300, 9))
  end)

  it("steady-state t90 with ke = 1e-12 is ln(10)/ke, not a search cap", function()
    local s = assert(k2.pk.steady_state(with({ every = "24h", ke = 1e-12 })))
    near(s.t90_h, math.log(10) / 1e-12, 1e-6, "t90") -- absorption adds hours to 2.3e12 h
  end)

  it("tmax and cmax after a 72 h run follow the model (no NaN)", function()
    local c = assert(k2.pk.simulate(with({ days = 3 })))
    assert.equal(72, c:t_end())
    near(c:tmax(100, 200), 100, 1e-12, "tmax on the falling tail")
    near(c:cmax(100, 200), c:at(100), 1e-12, "cmax on the falling tail")
  end)

  it("a lag past the run says so", function()
    local c = assert(k2.pk.simulate(with({ days = 1, lag = 100 })))
    assert.truthy(tostring(c):find("lag", 1, true))
    near(c:cmax(0, 200), assert(k2.pk.simulate(with({ days = 1 }))):cmax(0, 200), 1e-9, "same peak, 100 h later")
  end)

  it("a population reads unit and the set's calibration as simulate does", function()
    local o = { form = "MK-4", set = "label", dose = "1mg", unit = "nmol/L" }
    local c = assert(k2.pk.simulate(o))
    o.n, o.cv = 50, { ka = 1e-6, ke = 1e-6 }
    local p = assert(k2.pk.population(o))
    assert.equal("nmol/L", p.unit)
    near(p.mean_cmax, c:cmax(), 0.01, "mean Cmax of near-identical subjects (grid peak vs exact: 1 %)")
  end)

  it("a population without bands prints", function()
    local p = assert(k2.pk.population(with({ n = 10, cv = { ka = 0.3 }, bands = false })))
    assert.truthy(tostring(p):find("mean Cmax", 1, true))
  end)

  it("c:count() is an integer in both runtimes", function()
    local c = assert(k2.pk.simulate(with({ days = 1, step = "1min" })))
    assert.equal("1441", tostring(c:count()))
  end)

  it("intervals in one pass equal the window queries", function()
    local c = assert(k2.pk.simulate(with({ every = "1h", days = 30, step = "1h" })))
    local list = assert(c:intervals())
    assert.equal(720, #list)
    for _, i in ipairs({ 1, 2, 360, 720 }) do
      local r = list[i]
      near(r.cmax, c:cmax(r.start, r.start + 1), 1e-9, "cmax " .. i)
      near(r.auc, c:auc(r.start, r.start + 1), 1e-9, "auc " .. i)
      near(r.trough, c:at(r.start + 1), 1e-9, "trough " .. i)
    end
  end)
end)

describe("messages", function()
  it("a 1 MB sex answers nil and a short message", function()
    local r, msg = k2.check({ form = "MK-7", sex = ("x"):rep(1e6) })
    assert.is_nil(r)
    assert.truthy(#msg < 200 and msg:find("male", 1, true), msg:sub(1, 300))
  end)

  it("user text is cut to an excerpt with control characters escaped", function()
    local e = args.excerpt("\27]0;x\7" .. ("y"):rep(1e6))
    assert.truthy(#e < 100, e)
    assert.is_nil(e:find("[%z\1-\31]"))
    assert.truthy(e:find("\\027", 1, true))
  end)

  it("core.limit_info describes every limit", function()
    local seen = 0
    for _, l in ipairs(core.limit_info()) do
      assert.equal(limits[l.name], l.value)
      assert.truthy(#l.about > 0 and #l.unit > 0)
      seen = seen + 1
    end
    local n = 0
    for _ in pairs(limits) do n = n + 1 end
    assert.equal(n, seen)
  end)
end)

describe("README", function()
  it("prints figures past format_number's range (a caller's extreme V and ke) instead of raising", function()
    local o = { form = "MK-4", set = "label", dose = "1000mg", every = "1h", V = 0.001, ke = 1e-12 }
    local ss = assert(k2.pk.steady_state(o))
    assert.matches("peak %d%.?%d*e%+%d+", tostring(ss))
    o.days, o.step = 3660, "24h"
    assert.matches("e%+%d+", tostring(assert(k2.pk.simulate(o))))
  end)

  it("lists the core's limits as tools/limits_md.lua prints them", function()
    local f = assert(io.open("README.md", "rb"))
    local text = f:read("*a")
    f:close()
    local section = text:match("<!%-%- limits: generated by tools/limits_md%.lua %-%->\n(.-)\n<!%-%- /limits %-%->")
    package.path = "tools/?.lua;" .. package.path
    assert.equal(require("limits_md").table(), section)
  end)
end)
