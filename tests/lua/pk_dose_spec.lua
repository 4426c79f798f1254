-- pk_dose_spec.lua: issue 12 — levels in a unit fixed per form, so that they
-- scale with the dose (every form and parameter set), compare states ratios,
-- steady state and population share the curves' unit, MK-4 doses no study
-- could measure carry the caution of model.mk4.sub-mg.sa12, and the MK-7
-- steady state shows the mk7-accumulation disagreement. Tolerances: 1e-9
-- relative for exact linearity (the core's closed forms), stated otherwise.

local k2 = require("k2")

local function near(a, b, rel, what)
  assert(math.abs(a - b) <= rel * math.abs(b), ("%s: %.12g vs %.12g"):format(what or "value", a, b))
end

-- Every available set of a form, from the message that lists them.
local function sets_of(form)
  local _, err = k2.pk.params(form, "no-such-set")
  local list = {}
  for name in err:match("known: (.*)$"):gmatch("[^,%s]+") do
    if k2.pk.params(form, name) then list[#list + 1] = name end
  end
  return list
end

describe("k2.pk levels scale with the dose", function()
  for _, form in ipairs({ "K1", "MK-4", "MK-7" }) do
    it("for every set of " .. form, function()
      local sets = sets_of(form)
      assert.is_true(#sets >= 2, form .. " has sets")
      for _, set in ipairs(sets) do
        local a = assert(k2.pk.simulate({ form = form, set = set, dose = "90 ug", duration = "5d" }))
        local b = assert(k2.pk.simulate({ form = form, set = set, dose = "360 ug", duration = "5d" }))
        near(b:cmax(), 4 * a:cmax(), 1e-9, form .. "/" .. set .. " Cmax ×4")
        near(b:auc(), 4 * a:auc(), 1e-9, form .. "/" .. set .. " AUC ×4")
        assert.equal(a.unit, b.unit)
        local p = k2.pk.params(form, set)
        if p.V == 0 then
          -- 1 is the peak of one reference dose (RefDose fact) taken with fat
          local ref = assert(k2.pk.simulate({ form = form, set = set, dose = p.ref_ug, duration = "5d" }))
          near(ref:cmax(), 1, 1e-9, form .. "/" .. set .. " unit")
          near(a:cmax(), 90 / p.ref_ug, 1e-9, form .. "/" .. set .. " 90 µg against the unit")
        end
      end
    end)
  end

  it("the CLI pair of the issue: MK-7 360 µg is four times 90 µg", function()
    local cmp = assert(k2.pk.compare({ { form = "MK-7", dose = "90 ug" }, { form = "MK-7", dose = "360 ug" } }))
    local r = cmp:ratios()[1]
    near(r.cmax, 4, 1e-9, "Cmax ratio")
    near(r.auc, 4, 1e-9, "AUC ratio")
    assert.matches("Cmax 4×, AUC 4×", tostring(cmp):gsub("%s+", " "))
    local t = cmp:to_table()
    near(t.ratios[1].auc, 4, 1e-9, "JSON ratio")
  end)

  it("once daily vs split: the same daily amount gives the same AUC over whole days", function()
    local once = assert(k2.pk.simulate({ form = "MK-7", dose = "180 ug", every = "24h", days = 10 }))
    local split = assert(k2.pk.simulate({ form = "MK-7", dose = "90 ug", every = "12h", days = 10 }))
    assert.equal(once.unit, split.unit)
    -- superposition: 20 half doses and 10 whole doses put in the same amount; by 240 h the extra tail of
    -- the later half doses is under 5 % of the total for a 68 h half-life
    near(split:auc(), once:auc(), 0.05, "AUC over 10 days")
    assert.is_true(split:cmax() < once:cmax(), "split doses peak lower")
  end)

  it("steady state and population share the curves' unit and scale", function()
    local ss = assert(k2.pk.steady_state({ form = "MK-7", dose = "180 ug", every = "24h" }))
    local ss2 = assert(k2.pk.steady_state({ form = "MK-7", dose = "360 ug", every = "24h" }))
    near(ss2.peak, 2 * ss.peak, 1e-9, "steady peak ×2")
    local c = assert(k2.pk.simulate({ form = "MK-7", dose = "180 ug", every = "24h", days = 60 }))
    assert.equal(c.unit, ss.unit)
    near(c:cmax(), ss.peak, 0.01, "60 days of dosing reach the analytic steady peak within 1 %")
    local pop = assert(k2.pk.population({ form = "MK-7", dose = "180 ug", n = 50, cv = {} }))
    local one = assert(k2.pk.simulate({ form = "MK-7", dose = "180 ug" }))
    assert.equal(one.unit, pop.unit)
    near(pop.mean_cmax, one:cmax(), 1e-6, "no variability: the mean peak is the curve's")
  end)
end)

describe("k2.pk says what the model cannot know", function()
  it("MK-4 doses up to the undetected 420 µg carry the caution, citing the fact", function()
    local c = assert(k2.pk.simulate({ form = "MK-4", dose = "180 ug" }))
    assert.matches("below quantification", c.below_quantification)
    assert.matches("model%.mk4%.sub%-mg%.sa12", tostring(c):gsub("%s+", " "))
    assert.matches("model%.mk4%.sub%-mg%.sa12", c:to_table().below_quantification)
    local cmp = assert(k2.pk.compare({ { form = "MK-4", dose = "180 ug" }, { form = "MK-7", dose = "180 ug" } }))
    assert.matches("below quantification", tostring(cmp):gsub("%s+", " "))
    assert.is_nil(assert(k2.pk.simulate({ form = "MK-4", dose = "30 mg" })).below_quantification)
    assert.is_nil(assert(k2.pk.simulate({ form = "MK-7", dose = "180 ug" })).below_quantification)
  end)

  it("the MK-7 steady state spells out the accumulation disagreement", function()
    local ss = assert(k2.pk.steady_state({ form = "MK-7", dose = "180 ug", every = "24h" }))
    local text = tostring(ss):gsub("%s+", " ")
    assert.matches("disagreement mk7%-accumulation: The 7%- to 8%-fold", text)
  end)
end)

describe("k2.pk calibration against study figures (data/studies/observations.rec)", function()
  it("K1 'garber1999' reproduces Garber 1999's tablet AUC0-9 of 27.55 nmol·h/L within 1 %", function()
    local c = assert(k2.pk.simulate({ form = "K1", set = "garber1999", dose = "500 ug", unit = "nmol/L",
      duration = "2d", step = "1min" }))
    near(c:auc(0, 9), 27.55, 0.01, "Garber 1999 AUC0-9")
    assert.equal("nmol/L", c.unit)
    -- and the spinach arm (495 µg) is about 5.8 times lower in the study: the model, fed the tablet scale,
    -- is not a vegetable model, so it must overestimate that arm; the test pins the direction
    local spinach = assert(k2.pk.simulate({ form = "K1", set = "garber1999", dose = "495 ug", unit = "nmol/L",
      duration = "2d", step = "1min" }))
    assert.is_true(spinach:auc(0, 9) > 4.79 * 5, "a supplement scale overstates K1 from spinach")
  end)

  it("MK-4 'label' reproduces the label's Cmax and AUC within 1 %", function()
    local c = assert(k2.pk.simulate({ form = "MK-4", set = "label", dose = "30 mg", duration = "3d", step = "1min" }))
    near(c:cmax(), 325, 0.01, "label Cmax 325 ng/mL")
    near(c:auc(0, 72), 1463, 0.01, "label AUC 1463 ng·h/mL")
  end)
end)

-- Issue 12 point 2: the measured baseline (endogenous) level, off unless asked.
describe("k2.pk.simulate{baseline = true}", function()
  local fact = assert(k2.fact("pk.mk4.baseline.sa12"))
  local opts = { form = "MK-4", set = "label", dose = "30 mg", duration = "24h", step = "10min" }
  local function with(extra)
    local o = {}
    for k, v in pairs(opts) do o[k] = v end
    for k, v in pairs(extra) do o[k] = v end
    return o
  end

  it("adds the fact's level (Sato 2012: 2.2 ng/mL) to every level, and its area to the AUC", function()
    assert.equal(2.2, fact.value)
    local a = assert(k2.pk.simulate(opts))
    local b = assert(k2.pk.simulate(with({ baseline = true })))
    near(b:cmax() - a:cmax(), 2.2, 1e-9, "Cmax")
    assert.equal(a:tmax(), b:tmax())
    near(b:trough() - a:trough(), 2.2, 1e-9, "trough")
    near(b:at(0), 2.2, 1e-9, "before the dose")
    near(b:at("7h") - a:at("7h"), 2.2, 1e-9, "at 7 h")
    near(b:auc() - a:auc(), 2.2 * 24, 1e-9, "AUC over the run")
    near(b:auc(2, 5) - a:auc(2, 5), 2.2 * 3, 1e-9, "AUC over 2-5 h")
    assert.equal(b:t_end(), b:above(2.19))
    near(b:above(100), a:above(100 - 2.2), 1e-12, "time above 100 ng/mL")
    local pa, n = {}, 0
    for t, v in a:points() do pa[t] = v end
    for t, v in b:points() do n = n + 1; near(v - pa[t], 2.2, 1e-9, "point at " .. t) end
    assert.equal(a:count(), n)
    local rows = assert(b:intervals())
    near(rows[1].auc - assert(a:intervals())[1].auc, 2.2 * 24, 1e-9, "interval AUC")
  end)

  it("says so, with its source, in the label, the notes and the JSON", function()
    local b = assert(k2.pk.simulate(with({ baseline = true })))
    assert.matches("+ baseline", b.label, 1, true)
    local text = table.concat(b.notes, "\n")
    assert.matches("every level includes a baseline of 2.2 ng/mL", text, 1, true)
    assert.matches("every level includes a baseline", table.concat(b:lines(100), " "), 1, true)
    assert.matches("SA12: pk.mk4.baseline.sa12", text, 1, true)
    local t = b:to_table()
    assert.same({ level = 2.2, fact = "pk.mk4.baseline.sa12" }, t.baseline)
    near(t.points[1][2], 2.2, 1e-9, "first JSON point")
    assert.is_nil(assert(k2.pk.simulate(opts)):to_table().baseline)
  end)

  it("is in the curve's unit (nmol/L: × 1000 / the molecular weight)", function()
    local b = assert(k2.pk.simulate(with({ baseline = true, unit = "nmol/L" })))
    local mw = assert(k2.fact("chem.mw.mk4")).value
    near(b:at(0), 2.2 * 1000 / mw, 1e-9, "baseline in nmol/L")
  end)

  it("is refused, saying which set has one, for sets without a measured baseline", function()
    for _, o in ipairs({ { form = "MK-7", dose = "90 ug" }, { form = "MK-4", dose = "30 mg" }, { form = "K1", dose = "1 mg" } }) do
      o.baseline = true
      local c, err = k2.pk.simulate(o)
      assert.is_nil(c)
      assert.matches("names no measured baseline level; only a set with one %(MK%-4 'label'%)", err)
    end
  end)

  it("is not an option of steady state or population (their figures are the dose's part)", function()
    assert.has_error(function() k2.pk.steady_state(with({ baseline = true, every = "24h", duration = nil })) end)
    assert.has_error(function()
      k2.pk.population(with({ baseline = true, n = 10, cv = { ka = 0.3, ke = 0.3 } }))
    end)
  end)
end)

-- Each relative set is scaled to its own model's peak of the reference dose,
-- so a set other than the default names itself in its unit, and compare
-- states no ratio between two sets' relative levels.
describe("relative units of different sets", function()
  it("name the set, and compare gives no ratio across them", function()
    local a = assert(k2.pk.simulate({ form = "K1", dose = "1 mg" }))
    local b = assert(k2.pk.simulate({ form = "K1", dose = "1 mg", set = "olson2002" }))
    assert.equal("relative (1 = peak of 1 mg K1 with fat)", a.unit)
    assert.equal("relative (1 = peak of 1 mg K1 with fat, set olson2002)", b.unit)
    local c = assert(k2.pk.compare({ { form = "K1", dose = "1 mg" }, { form = "K1", dose = "1 mg", set = "olson2002" } }))
    assert.equal(0, #c:ratios())
    assert.matches("no ratio, the units differ", c:metrics_text(), 1, true)
  end)
end)
