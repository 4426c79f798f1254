-- check_spec.lua: k2.check (lua/k2/advice/check.lua) against the rules in
-- data/advice.rec and the facts they cite, under Lua 5.4 and LuaJIT. The
-- case table holds the checks (age × form × dose × medicines × conditions ×
-- duration) with the expected level and the facts the answer must cite; a
-- case naming a vitamin K antagonist must have that finding itself, with its
-- level and its own text, not only the notice (which names warfarin too).

local k2 = require("k2")

local function ids_of(findings)
  local set = {}
  for _, f in ipairs(findings) do for _, x in ipairs(f.facts) do set[x.id] = true end end
  return set
end

-- Text with every run of white space as one space (wrapping aside).
local function flat(text) return (text:gsub("%s+", " "):gsub("^ ", ""):gsub(" $", "")) end

-- The vitamin K antagonists as the case table names them, and the forms whose
-- finding for them is "avoid" (the rule's FormLevel).
local VKA = { warfarin = true, coumadin = true, jantoven = true, marevan = true, acenocoumarol = true,
  sintrom = true, phenprocoumon = true, marcoumar = true, fluindione = true }
local MK4 = { ["MK-4"] = true, menatetrenone = true }

local function vka_named(meds)
  for _, m in ipairs(meds or {}) do if VKA[m:lower()] then return m end end
  return nil
end

-- The finding about vitamin K antagonists, by its own text.
local function vka_finding(a)
  for _, f in ipairs(a.findings) do
    if f.message:find("vitamin K works against warfarin", 1, true) then return f end
  end
  return nil
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
  -- issue 11: the dose is compared with the documented thresholds (Schurgers 2004: 100 µg/day did not disturb it)
  { "K1", "100 ug", 45, { "Marcoumar" }, nil, nil, "caution", { "ix.warfarin.k1-100.s04" }, "caution" },
  { "K1", "120 ug", 45, { "warfarin" }, nil, nil, "caution", { "ix.warfarin.k1-150.s04" }, "caution" },
  { "MK-7", "5 ug", 45, { "warfarin" }, nil, nil, "caution", { "ix.warfarin.th13.conclusion", "ix.warfarin.mk7-50.s07b" },
    "caution" },
  { "MK-7", "10 ug", 45, { "Sintrom" }, nil, nil, "warning", { "ix.warfarin.mk7-10.th13", "ix.warfarin.th13.run-in" } },
  { "MK-7", "200 ug", 50, { "fluindione" }, nil, nil, "warning", { "ix.warfarin.steady-intake" } },
  { "K2", "200 ug", 50, { "Jantoven" }, nil, nil, "warning", { "ix.warfarin.steady-intake" } },
  { "K2", "200 ug", 50, { "Sintrom" }, nil, nil, "warning", { "ix.warfarin.steady-intake" } },
  { "K2", "200 ug", 50, { "Marevan" }, nil, nil, "warning", { "ix.warfarin.steady-intake" } },
  { "K1", "11 mg", 50, nil, nil, nil, "caution", { "seed.k1.safe-10mg" } },
  { "K1", "10 mg", 50, nil, nil, nil, "ok", {} },
  { "K1", "5 mg", 50, nil, nil, "3 years", "caution", { "seed.k.safe-use-duration" } },
  { "MK-4", "46 mg", 60, nil, nil, nil, "caution", { "seed.k2.safe-45mg" } },
  { "MK-7", "50 mg", 60, nil, nil, "30 months", "caution", { "seed.k2.safe-45mg", "seed.k.safe-use-duration" } },
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
  { "K1", "45 ug", 10, nil, nil, nil, "ok", { "ai.us.9-13y" } },
  { "K1", "10 mg", 0.1, nil, nil, nil, "caution", { "seed.k1.safe-10mg" } },
  { "K", "100 mg", 40, nil, nil, nil, "caution", { "seed.k1.safe-10mg" } },
  { "K", "5 mg", 40, nil, nil, nil, "ok", {} },
  { "MK-7", "45 mg", 40, nil, nil, nil, "caution", { "dose.mk7.dose-finding.th12" } },
  { "MK-7", "300 ug", 40, nil, nil, nil, "ok", {} },
  { "MK-7", "100 ug", 40, nil, { "vitamin allergies" }, nil, "avoid", {} },
  { "MK-7", "100 ug", 40, { "heparin" }, nil, nil, "caution", { "clot.k1.heparin.l1" } },
  { "MK-7", "100 ug", 40, { "blood thinner" }, nil, nil, "warning", { "ix.warfarin.steady-intake" } },
  { "MK-7", "100 ug", 40, { "apixaban" }, nil, nil, "caution", { "ix.doac.vitamin-k-unstudied.ka17", "ix.doac.mechanism.gr21" } },
  { "MK-7", "100 ug", 40, { "Lixiana/Savaysa" }, nil, nil, "caution", { "ix.doac.vitamin-k-unstudied.ka17" } },
  { "K2", "100 ug", 40, { "Xarelto 20 mg", "Pradaxa" }, nil, nil, "caution", { "ix.doac.mechanism.gr21" } },
  { "MK-7", "100 ug", 40, { "aspirin" }, nil, nil, "caution", { "ix.aspirin.hypoprothrombinemia.sal76" } },
  { "MK-7", "100 ug", 40, { "Plavix 75 mg" }, nil, nil, "caution", { "ix.clopidogrel.mechanism.ba11" } },
  { "MK-7", "100 ug", 40, { "enoxaparin" }, nil, nil, "caution", { "clot.k1.heparin.l1" } },
  { "MK-7", "100 ug", 40, { "Brilinta 90 mg" }, nil, nil, "caution", { "ix.ticagrelor.mechanism.sa21" } },
  { "MK-7", "100 ug", 40, { "Efient" }, nil, nil, "caution", { "ix.prasugrel.mechanism.ko08" } },
  { "K1", "100 ug", 60, { "Aggrenox" }, nil, nil, "caution", { "ix.dipyridamole.mechanism.sc05" } },
  { "MK-7", "100 ug", 60, { "cilostazol" }, nil, nil, "caution", { "ix.cilostazol.mechanism.ci22" } },
  { "MK-7", "100 ug", 60, { "Arixtra" }, nil, nil, "caution", { "ix.fondaparinux.mechanism.bi02" } },
  { "MK-7", "100 ug", 30, nil, { "pregnant" }, nil, "caution", { "ai.us.pregnancy.19-50y" } },
  { "K1", "90 ug", 30, nil, { "pregnancy" }, nil, "ok", { "ai.us.pregnancy.19-50y" } },
  { "K", "75 ug", 16, nil, { "breastfeeding" }, nil, "ok", { "ai.us.lactation.14-18y" } },
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
  { "phylloquinone", "20 mg", 40, { "cholestyramine" }, nil, nil, "caution", { "seed.k1.safe-10mg", "ix.bile-acid-sequestrants" } },
  { "MK7", "90 ug", 35, { "WARFARIN" }, nil, nil, "warning", { "ix.warfarin.steady-intake" } },
}

describe("k2.check: the case table", function()
  for i, c in ipairs(CASES) do
    local form, dose, age, meds, conditions, duration, level, cites = c[1], c[2], c[3], c[4], c[5], c[6], c[7], c[8]
    local vka_level = c[9] -- the antagonist finding's level when the dose is below every documented threshold
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
      -- the text ends with the notice; what comes before it is the answer's own
      local body, notice = flat(text), flat(a.notice)
      assert.equal(notice, body:sub(-#notice), "ends with the notice")
      body = body:sub(1, -#notice - 1)
      local vka, found = vka_named(meds), vka_finding(a)
      if vka then
        assert.is_truthy(found, "a finding for " .. vka)
        assert.equal(MK4[form] and "avoid" or vka_level or "warning", found.level)
        assert.matches("keep your vitamin K intake steady", flat(found.message))
        assert.matches("tell your prescriber", flat(found.message))
        assert.matches("^" .. vka:gsub("%p", "%%%0") .. ": vitamin K works against warfarin", found.message)
        assert.is_truthy(body:find(found.level .. " " .. flat(found.message):sub(1, 60), 1, true), "printed: " .. body)
      else
        assert.is_nil(found, "no vitamin K antagonist was named")
      end
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
  -- The pregnancy figures (IOM 2001: 90 µg/day from 19; EFSA 2017: 70 µg/day) are for the diet:
  -- "is it safe to take K2 while pregnant", with no dose, is not answered OK.
  it("gives no OK in pregnancy or breastfeeding without a dose, and holds a dose to the intake", function()
    for _, stage in ipairs({ "pregnant", "breastfeeding" }) do
      local a = assert(k2.check({ form = "K2", conditions = { stage }, age = 30 }))
      assert.equal("caution", a.level, stage)
      local said = {}
      for _, f in ipairs(a.findings) do said[#said + 1] = f.message end
      assert.matches("none of its sources documents a vitamin K supplement as used safely", table.concat(said, " "), 1,
        true)
    end
    assert.equal("ok", assert(k2.check({ form = "K2", dose = "50 ug", pregnant = true, age = 30 })).level)
    assert.equal("caution", assert(k2.check({ form = "K2", dose = "200 ug", pregnant = true, age = 30 })).level)
    assert.equal("caution", assert(k2.ask("is it safe to take k2 while pregnant")).answer.level)
  end)

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
    assert.matches("^500 µg a day is beyond documented use %(360 µg/day at most, TH12 %[human RCT%]%): not studied at"
      .. " this dose", msg)
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
    assert.error_matches(function() k2.check({ form = "MK-7", meds = { a = "warfarin" } }) end,
      "option 'meds' must be a list like", 1, true)
    assert.error_matches(function() k2.check({ form = "MK-7", age = "ten" }) end,
      "option 'age' must be a number, got string", 1, true)
    assert.error_matches(function() k2.check({ form = "MK-7", meds = 42 }) end,
      "option 'meds' must be a list of strings, got number", 1, true)
    assert.error_matches(function() k2.check({ form = "MK-7", meds = { 42 } }) end,
      "option 'meds' must be a list like", 1, true)
    assert.error_matches(function() k2.check({ form = "MK-7", medz = {} }) end,
      "(unknown option 'medz'; known: age, breastfeeding, conditions, dose, duration, form, meds, months, pregnant, sex)", 1, true)
    assert.has_error(function() k2.check() end, "bad argument #1 to 'check' (table expected, got nil)")
    assert.error_matches(function() k2.check({ form = 7 }) end, "option 'form' must be a string, got number", 1, true)
  end)
end)
