-- advice_spec.lua: k2.dose, k2.timing and k2.check against the rules in
-- data/advice.rec and the facts they cite, under Lua 5.4 and LuaJIT. The
-- check table holds 44 cases (age × form × dose × medicines × conditions ×
-- duration) with the expected level and the facts the answer must cite.

local k2 = require("k2")

local function ids_of(findings)
  local set = {}
  for _, f in ipairs(findings) do for _, x in ipairs(f.facts) do set[x.id] = true end end
  return set
end

-- form, dose, age, meds, conditions, duration → level, facts that must be cited
local CASES = {
  { "MK-7", "100 ug", 40, nil, nil, nil, "ok", {} },
  { "MK-7", "180 ug", 60, nil, nil, "1 wk", "ok", {} },
  { "K1", "1 mg", 50, nil, nil, nil, "ok", {} },
  { "MK-4", "45 mg", 70, nil, nil, nil, "ok", {} },
  { "MK-4", "45 mg", 70, { "warfarin" }, nil, nil, "avoid", { "ix.warfarin.menatetrenone", "ix.warfarin.steady-intake" } },
  { "menatetrenone", "15 mg", 65, { "Coumadin" }, nil, nil, "avoid", { "ix.warfarin.menatetrenone" } },
  { "MK-7", "100 ug", 60, { "warfarin" }, nil, nil, "warning", { "ix.warfarin.steady-intake", "ix.warfarin.mk7-10.th13" } },
  { "MK-7", "45 ug", 55, { "acenocoumarol" }, nil, nil, "warning", { "ix.warfarin.mk7-50.s07b" } },
  { "K1", "150 ug", 45, { "phenprocoumon" }, nil, nil, "warning", { "ix.warfarin.k1-150.s04" } },
  { "K1", "100 ug", 45, { "Marcoumar" }, nil, nil, "warning", { "ix.warfarin.k1-100.s04" } },
  { "MK-7", "200 ug", 50, { "fluindione" }, nil, nil, "warning", { "ix.warfarin.steady-intake" } },
  { "K2", "200 ug", 50, { "Jantoven" }, nil, nil, "warning", { "ix.warfarin.steady-intake" } },
  { "K2", "200 ug", 50, { "Sintrom" }, nil, nil, "warning", { "ix.warfarin.steady-intake" } },
  { "K2", "200 ug", 50, { "Marevan" }, nil, nil, "warning", { "ix.warfarin.steady-intake" } },
  { "K1", "11 mg", 50, nil, nil, nil, "warning", { "seed.k1.safe-10mg" } },
  { "K1", "10 mg", 50, nil, nil, nil, "ok", {} },
  { "K1", "5 mg", 50, nil, nil, "3 years", "caution", { "seed.k.safe-use-duration" } },
  { "MK-4", "46 mg", 60, nil, nil, nil, "warning", { "seed.k2.safe-45mg" } },
  { "MK-7", "50 mg", 60, nil, nil, "30 months", "warning", { "seed.k2.safe-45mg", "seed.k.safe-use-duration" } },
  { "MK-7", "180 ug", 60, nil, nil, "104 weeks", "ok", {} },
  -- 2 y is the seed's figure for 45 mg/day; 180 µg/day MK-7 was taken for 3 y in a trial (Knapen 2015)
  { "MK-7", "180 ug", 60, nil, nil, "105 weeks", "ok", { "dose.mk7.knapen2015.duration", "seed.k.safe-use-duration" } },
  { "MK-7", "180 ug", 60, nil, nil, "4 years", "caution", { "dose.mk7.knapen2015.duration", "seed.k.safe-use-duration" } },
  { "MK-7", "300 ug", 60, nil, nil, "30 months", "caution", { "seed.k.safe-use-duration" } },
  { "K3", nil, 30, nil, nil, nil, "avoid", { "safety.k3.infants", "seed.k3.no-human-use" } },
  { "menadione", "1 mg", 1, nil, nil, nil, "avoid", { "seed.k3.infant-toxicity" } },
  { "MK-7", "45 ug", 10, nil, nil, nil, "caution", { "seed.k2.label-under-18", "seed.k2.children-under-12" } },
  { "K2", "45 ug", 17, nil, nil, nil, "caution", { "seed.k2.label-under-18" } },
  { "K2", "45 ug", 18, nil, nil, nil, "ok", {} },
  { "K1", "45 ug", 10, nil, nil, nil, "caution", { "seed.k1.safe-10mg" } },
  { "K1", "10 mg", 0.1, nil, nil, nil, "caution", { "seed.k1.safe-10mg" } },
  { "K", "100 mg", 40, nil, nil, nil, "warning", { "seed.k1.safe-10mg" } },
  { "K", "5 mg", 40, nil, nil, nil, "ok", {} },
  { "MK-7", "45 mg", 40, nil, nil, nil, "warning", { "dose.mk7.dose-finding.th12" } },
  { "MK-7", "300 ug", 40, nil, nil, nil, "ok", {} },
  { "MK-7", "100 ug", 40, nil, { "vitamin allergies" }, nil, "avoid", {} },
  { "MK-7", "100 ug", 40, { "heparin" }, nil, nil, "caution", { "clot.k1.heparin.l1" } },
  { "MK-7", "100 ug", 40, { "blood thinner" }, nil, nil, "warning", { "ix.warfarin.steady-intake" } },
  { "MK-7", "100 ug", 40, { "apixaban" }, nil, nil, "caution", {} },
  { "MK-7", "100 ug", 40, nil, { "allergy to vitamins" }, nil, "avoid", { "seed.k2.label-vitamin-allergy" } },
  { "MK-7", "100 ug", 40, nil, { "multivitamin allergy" }, nil, "avoid", { "seed.k2.label-vitamin-allergy" } },
  { "MK-7", "100 ug", 40, { "amoxicillin" }, nil, nil, "caution", {} },
  { "MK-7", "100 ug", 40, { "antibiotics" }, nil, nil, "caution", { "ix.antibiotics.gut-bacteria" } },
  { "K1", "1 mg", 40, { "cefoperazone" }, nil, nil, "caution", { "ix.antibiotics.cephalosporins" } },
  { "MK-7", "100 ug", 40, { "cholestyramine" }, nil, nil, "caution", { "ix.bile-acid-sequestrants" } },
  { "MK-7", "100 ug", 40, { "colesevelam" }, nil, nil, "caution", { "ix.bile-acid-sequestrants" } },
  { "MK-7", "100 ug", 40, { "colestipol" }, nil, nil, "caution", { "ix.bile-acid-sequestrants" } },
  { "MK-7", "100 ug", 40, { "orlistat" }, nil, nil, "caution", { "ix.orlistat", "ix.orlistat.spacing" } },
  { "MK-7", "100 ug", 40, { "mineral oil" }, nil, nil, "caution", { "ix.mineral-oil" } },
  { "K1", "1 mg", 30, { "phenytoin" }, nil, nil, "caution", { "ix.anticonvulsants.phenytoin" } },
  { "MK-7", "100 ug", 40, nil, { "kidney disease" }, nil, "caution", {} },
  { "MK-7", "100 ug", 12, { "warfarin", "orlistat" }, nil, nil, "warning", { "seed.k2.label-under-18", "ix.orlistat" } },
  { "MK-4", "50 mg", 16, { "warfarin" }, { "allergy to vitamins" }, "3 years", "avoid",
    { "seed.k2.safe-45mg", "seed.k2.label-under-18", "ix.warfarin.menatetrenone", "seed.k2.label-vitamin-allergy" } },
  { "K", "100 ug", 40, { "warfarin" }, nil, nil, "warning", { "ix.warfarin.steady-intake" } },
  { "phylloquinone", "20 mg", 40, { "cholestyramine" }, nil, nil, "warning", { "seed.k1.safe-10mg", "ix.bile-acid-sequestrants" } },
  { "MK7", "90 ug", 35, { "WARFARIN" }, nil, nil, "warning", { "ix.warfarin.steady-intake" } },
}

describe("k2.check: the case table", function()
  for i, c in ipairs(CASES) do
    local form, dose, age, meds, conditions, duration, level, cites = c[1], c[2], c[3], c[4], c[5], c[6], c[7], c[8]
    local name = ("%d: %s %s age %s meds %s conditions %s for %s → %s"):format(i, form, tostring(dose), tostring(age),
      meds and table.concat(meds, "+") or "-", conditions and table.concat(conditions, "+") or "-", tostring(duration), level)
    it(name, function()
      local a = assert(k2.check({ form = form, dose = dose, age = age, meds = meds, conditions = conditions, duration = duration }))
      assert.equal(level, a.level)
      local cited = ids_of(a.findings)
      for _, id in ipairs(cites) do assert.is_true(cited[id] == true, "cites " .. id) end
      local text = tostring(a)
      assert.matches(level:upper(), text)
      assert.matches("not medical advice", text)
      assert.matches("warfarin", text)
      for _, f in ipairs(a.findings) do
        assert.is_string(f.message)
        if #f.facts > 0 then assert.is_string(f.source.id); assert.is_string(f.evidence) end
      end
    end)
  end

  it("names an unknown medicine, says it was not checked, and suggests near spellings", function()
    local a = assert(k2.check({ form = "MK-7", meds = { "warfrin", "zzzdrug" } }))
    assert.equal("warning", a.level, "a near spelling of warfarin counts as warfarin")
    assert.matches("'warfrin' is not in k2's data, so it was not checked; did you mean warfarin%?", a.findings[1].message)
    assert.matches("'zzzdrug' is not in k2's data", tostring(a))
    assert.same({ "warfarin" }, a.findings[1].suggestions)
  end)
end)

describe("k2.check: what its findings say", function()
  it("says which use each documented duration belongs to", function()
    local a = assert(k2.check({ form = "MK-7", dose = "500 ug", age = 40, duration = "5y" }))
    local long = {}
    for _, f in ipairs(a.findings) do
      if f.message:find("longer than documented", 1, true) then long[#long + 1] = f.message end
    end
    assert.equal(2, #long)
    -- the MK-7 trial's 180 µg/day for 3 y, and the 45 mg/day K2 figure's 2 y: each names its dose
    assert.matches("180 µg/day for 3 y %(Knapen 2015%)", long[1])
    assert.matches("45 mg/day is documented as used safely for up to 2 y", long[2])
    assert.matches("for 5 y", tostring(a))
  end)

  it("gives the highest documented dose once, as a single amount", function()
    local a = assert(k2.check({ form = "MK-7", dose = "500 ug" }))
    local msg = a.findings[1].message
    assert.matches("^500 µg a day is beyond documented use %(360 µg/day at most%)", msg)
    local _, ranges = msg:gsub("10–360 µg/day", "")
    assert.equal(1, ranges)
  end)

  it("reads names as people write them, and names each medicine once", function()
    for _, meds in ipairs({ { "warfarin sodium" }, { "Coumadin 5 mg" }, { "warfarin, orlistat" } }) do
      local a = assert(k2.check({ form = "MK-7", meds = meds }))
      assert.equal("warning", a.level, meds[1])
      assert.matches("vitamin K antagonists", a.findings[1].message)
    end
    local twice = assert(k2.check({ form = "MK-7", meds = { "Coumadin", "warfarin" } }))
    assert.equal(1, #twice.findings)
    assert.matches("^Coumadin, warfarin: ", twice.findings[1].message)
    local near = assert(k2.check({ form = "MK-7", meds = { "warfarine" } }))
    assert.matches("If so %(warning%): warfarin: vitamin K works against warfarin", near.findings[1].message)
    local allergy = assert(k2.check({ form = "MK-7", conditions = { "allergy to vitamin K" } }))
    assert.same({ "allergy to vitamins" }, allergy.findings[1].suggestions)
  end)

  it("says once that a dose was not checked for a younger age", function()
    local a = assert(k2.check({ form = "MK-7", dose = "100 ug", age = 17 }))
    local n = 0
    for _, f in ipairs(a.findings) do if f.message:find("not checked for age 17", 1, true) then n = n + 1 end end
    assert.equal(1, n)
  end)

  it("holds menadione to no other form's limits", function()
    local a = assert(k2.check({ form = "K3", dose = "1 mg", age = 0 }))
    assert.equal("avoid", a.level)
    for _, f in ipairs(a.findings) do
      for _, x in ipairs(f.facts) do assert.is_nil(x.id:match("^seed%.k1%.safe"), f.message) end
    end
  end)

  it("lists what k2 knows when a name is not near any of them", function()
    local a = assert(k2.check({ form = "MK-7", conditions = { "kidny" }, meds = { "zzzdrug" } }))
    assert.matches("k2 knows: allergy to vitamins", a.findings[2].message)
    assert.matches("k2 knows: warfarin, ", a.findings[1].message)
  end)

  it("has nothing to say when given nothing to check", function()
    local a, err = k2.check({})
    assert.is_nil(a)
    assert.matches("nothing to check", err)
  end)
end)

describe("k2.check bad input", function()
  it("returns nil and a message for values it can't use", function()
    for _, o in ipairs({ { form = "MK-7", age = -1 }, { form = "MK-7", age = 200 }, { form = "MK-7", dose = "lots" },
      { form = "MK-9" }, { form = "MK-7", duration = "forever" }, { form = "MK-7", dose = "0 mg" } }) do
      local a, err = k2.check(o)
      assert.is_nil(a)
      assert.is_string(err)
    end
  end)

  it("checks numbers as carefully as text", function()
    for _, o in ipairs({ { form = "MK-7", dose = -5 }, { form = "MK-7", dose = 0 / 0 }, { form = "MK-7", duration = -3 },
      { form = "MK-7", dose = 2e6 } }) do
      local a, err = k2.check(o)
      assert.is_nil(a)
      assert.is_string(err)
    end
  end)

  it("raises for wrong types", function()
    assert.has_error(function() k2.check({ form = "MK-7", meds = { a = "warfarin" } }) end)
    assert.has_error(function() k2.check({ form = "MK-7", age = "ten" }) end)
    assert.has_error(function() k2.check({ form = "MK-7", meds = 42 }) end)
    assert.has_error(function() k2.check({ form = "MK-7", meds = { 42 } }) end)
    assert.has_error(function() k2.check({ form = "MK-7", medz = {} }) end)
    assert.has_error(function() k2.check() end)
    assert.has_error(function() k2.check({ form = 7 }) end)
  end)
end)

describe("k2.dose", function()
  it("gives the seed's adult K2 range beside the US and EFSA adequate intakes, with the conflict", function()
    local d = assert(k2.dose({ form = "MK-7", age = 40 }))
    assert.equal(100, d.low)
    assert.equal(300, d.high)
    assert.equal("µg/day", d.unit)
    local ids = {}
    for _, f in ipairs(d.context) do ids[f.id] = true end
    assert.is_true(ids["ai.us.19plus-male"] and ids["ai.us.19plus-female"] and ids["ai.efsa.adults"])
    assert.equal("adult-daily-amount", d.conflicts[1].id)
  end)

  it("gives a 10-year-old the seed's 45 µg and shows the label's 'not under 18' as a conflict", function()
    local d = assert(k2.dose({ form = "K2", age = 10 }))
    assert.equal(45, d.low)
    assert.equal(45, d.high)
    local conflicts = {}
    for _, c in ipairs(d.conflicts) do conflicts[c.id] = true end
    assert.is_true(conflicts["k2-children"])
    assert.matches("not to use the product under 18", tostring(d))
  end)

  it("says when no source covers the case (K2 at 15) and shows the nearest instead of stretching", function()
    local d = assert(k2.dose({ form = "K2", age = 15 }))
    assert.is_nil(d.low)
    assert.equal(2, #d.nearest)
    assert.matches("no sourced figure for this case", tostring(d))
    assert.matches("not stretched to fit", tostring(d))
  end)

  it("covers infants to adults with the US and EFSA figures by age, sex and pregnancy", function()
    local function us(o) local d = assert(k2.dose(o)); return d.low, d.high end
    assert.same({ 2, 2 }, { us({ form = "K", age = 0.2 }) })
    assert.same({ 2.5, 2.5 }, { us({ form = "K1", age = 0.75 }) })
    assert.same({ 30, 30 }, { us({ form = "K", age = 2 }) })
    assert.same({ 55, 55 }, { us({ form = "K", age = 6 }) })
    assert.same({ 60, 60 }, { us({ form = "K", age = 11 }) })
    assert.same({ 75, 75 }, { us({ form = "K", age = 16 }) })
    assert.same({ 120, 120 }, { us({ form = "K", age = 30, sex = "male" }) })
    assert.same({ 90, 90 }, { us({ form = "K", age = 30, sex = "female" }) })
    assert.same({ 90, 120 }, { us({ form = "K", age = 30 }) })
    assert.same({ 90, 90 }, { us({ form = "K", age = 30, sex = "female", pregnant = true }) })
  end)

  it("says when a purpose is matched only by figures beside the answer", function()
    local d = assert(k2.dose({ form = "MK-4", age = 70, purpose = "osteoporosis" }))
    local note = table.concat(d.notes, "\n")
    assert.matches("no source gives a general daily amount for 'osteoporosis'", note)
    assert.matches("45 mg/day %(drug label", note)
  end)

  it("without an age, points to the age bands instead of one range over them", function()
    local d = assert(k2.dose({ form = "MK-7" }))
    assert.is_true(d.by_age)
    assert.is_nil(d.low)
    assert.matches("figures differ by age band", tostring(d))
    assert.equal(100, assert(k2.dose({ form = "MK-7", age = 40 })).low)
    assert.matches("pregnant", tostring(assert(k2.dose({ form = "K1", age = 30, pregnant = true }))))
    -- K1 has US figures for pregnancy; K2 has none, and says so
    local k1 = assert(k2.dose({ form = "K1", age = 30, pregnant = true }))
    assert.is_nil(table.concat(k1.notes, " "):find("for pregnancy or breastfeeding as such", 1, true))
    local mk7 = assert(k2.dose({ form = "MK-7", age = 30, pregnant = true }))
    assert.matches("no source in k2's data gives an amount of MK%-7 for pregnancy", table.concat(mk7.notes, " "))
  end)

  it("selects purpose-specific figures", function()
    local d = assert(k2.dose({ form = "MK-7", age = 50, purpose = "osteocalcin" }))
    assert.equal(75, d.low)
    assert.equal(375, d.high)
    local none, err = k2.dose({ form = "MK-7", purpose = "hair growth" })
    assert.is_nil(none)
    assert.matches("known purposes", err)
  end)

  it("rejects bad input clearly", function()
    assert.is_nil((k2.dose({ form = "MK-7", age = -1 })))
    assert.is_nil((k2.dose({ form = "MK-7", age = 200 })))
    assert.is_nil((k2.dose({ form = "MK-9" })))
    assert.is_nil((k2.dose({ form = "MK-7", sex = "x" })))
    assert.has_error(function() k2.dose({ form = "MK-7", age = "ten" }) end)
    assert.has_error(function() k2.dose({ form = "MK-7", weight = 70 }) end)
  end)
end)

describe("answers about menadione and edge ages", function()
  it("K3 dose and timing answers carry the AVOID warning", function()
    for _, a in ipairs({ assert(k2.dose({ form = "K3", age = 40 })), assert(k2.timing({ form = "menadione" })) }) do
      assert.equal("avoid", a.warnings[1].level)
      assert.matches("AVOID: menadione", tostring(a))
    end
  end)

  it("age bands include their last year and no more", function()
    local function range(o) local d = assert(k2.dose(o)); return d.low, d.high end
    assert.same({ 2, 2 }, { range({ form = "K", age = 0.5 }) })
    assert.same({ 30, 30 }, { range({ form = "K", age = 1.5 }) })
    assert.same({ 45, 45 }, { range({ form = "K2", age = 11.9 }) })
    assert.is_nil((range({ form = "K2", age = 12 })))
    assert.same({ 90, 90 }, { range({ form = "K", age = 30, lactating = true }) })
  end)

  it("adult-only figures are not a child's answer", function()
    local d = assert(k2.dose({ form = "MK-7", age = 2, purpose = "bone" }))
    assert.is_nil(d.low)
    for _, f in ipairs(d.context) do assert.is_true(f.id ~= "dose.mk4.osteoporosis.l5") end
    local none, err = k2.dose({ form = "MK-7", purpose = "heartburn" })
    assert.is_nil(none)
    assert.matches("known purposes: osteocalcin, bone, bones, calcium, osteoporosis, heart", err)
  end)

  it("prints every list inside an answer readably, never as table: 0x", function()
    local d = assert(k2.dose({ form = "MK-7", age = 40 }))
    local t = assert(k2.timing({ form = "MK-7" }))
    local ch = assert(k2.check({ form = "MK-7", age = 10, meds = { "warfarin" } }))
    local k3 = assert(k2.dose({ form = "K3", age = 40 }))
    for name, x in pairs({ basis = d.basis, context = d.context, nearest = d.nearest, notes = d.notes,
      timing_basis = t.basis, findings = ch.findings, finding = ch.findings[1], conflicts = ch.conflicts,
      sources = ch.sources, warnings = k3.warnings, warning = k3.warnings[1] }) do
      local text = tostring(x)
      assert.is_nil(text:find("table: 0x", 1, true), name .. ": " .. text)
      assert.is_nil(text:find("try fewer", 1, true), name .. ": " .. text)
    end
    assert.matches("^ 1%. caution: a K2 supplement label", tostring(ch.findings)) -- numbered, level first
    assert.matches("\n 2%. warning: warfarin: ", tostring(ch.findings))
    assert.equal("(none)", tostring(d.nearest))
  end)

  it("every answer carries the notice, in Lua and in JSON", function()
    for _, a in ipairs({ assert(k2.dose({ form = "MK-7" })), assert(k2.timing({ form = "MK-7" })),
      assert(k2.check({ form = "MK-7" })) }) do
      assert.matches("not medical advice", a.notice)
      assert.matches("warfarin", a.notice)
    end
  end)
end)

describe("k2.timing", function()
  it("rejects an unknown parameter set instead of answering without the model", function()
    local t, err = k2.timing({ form = "MK-7", set = "nope" })
    assert.is_nil(t)
    assert.matches("unknown parameter set 'nope'", err)
  end)

  it("says with fat, any time, and computes the times with the model", function()
    local t = assert(k2.timing({ form = "MK-7" }))
    assert.is_true(t.with_food and t.fat)
    assert.equal("any", t.time_of_day)
    assert.is_true(math.abs(t.tmax_h - 4) < 1e-6)
    local ss = assert(k2.pk.steady_state({ form = "MK-7", dose = "1 mg", every = "24h" }))
    assert.equal(ss.t90_h, t.t90_h)
    assert.is_true(t.below_half_h > 60 and t.below_half_h < 90)
    assert.matches("not medical advice", tostring(t))
  end)

  it("shows phytonadione's onset with the label figures that disagree", function()
    local t = assert(k2.timing({ form = "phytonadione" }))
    local ids = {}
    for _, c in ipairs(t.conflicts) do ids[c.id] = true end
    assert.is_true(ids["phytonadione-onset"])
    assert.matches("6–10 h", tostring(t))
    assert.matches("clot%.k1%.onset%-oral%.l1", tostring(t))
  end)

  it("has no model for menadione and says so", function()
    local t = assert(k2.timing({ form = "K3" }))
    assert.is_nil(t.tmax_h)
    assert.matches("no pharmacokinetic model for K3", tostring(t))
  end)
end)
