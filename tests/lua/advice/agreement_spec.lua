-- agreement_spec.lua: k2.dose and k2.check agree for every age and form
-- (issue 11, point 2). Over ages from birth to 100 (babies in months, both as
-- months= and as a fractional age), every form and a range of daily doses:
-- no check is milder for a child than for an adult at the same dose, and
-- check never raises, at the amount k2.dose recommends for that age, more
-- than the dose answer itself says (its level is its warnings').
-- Also: life stages as inputs (point 3) and input errors (point 4).

local k2 = require("k2")

local LEVELS = { ok = 1, caution = 2, warning = 3, avoid = 4 }
local FORMS = { "K", "K1", "K2", "MK-4", "MK-7", "K3" }
local AGES = { 0, 0.02, 0.25, 0.5, 0.6, 0.9, 1, 2, 3, 4, 6, 8, 9, 10, 11, 12, 13, 14, 15, 17, 18, 19, 30, 50, 70, 100 }
local DOSES = { "1 ug", "2 ug", "10 ug", "45 ug", "90 ug", "100 ug", "180 ug", "500 ug", "1 mg", "10 mg", "45 mg", "100 mg" }
local ADULT = 40

describe("k2.dose and k2.check agree", function()
  it("no check is milder for a child than for an adult at the same dose #sweep", function()
    for _, form in ipairs(FORMS) do
      for _, dose in ipairs(DOSES) do
        local adult = assert(k2.check({ form = form, dose = dose, age = ADULT }))
        for _, age in ipairs(AGES) do
          local child = assert(k2.check({ form = form, dose = dose, age = age }))
          assert.is_true(LEVELS[child.level] >= LEVELS[adult.level],
            ("%s %s: age %s is %s, an adult %s"):format(form, dose, age, child.level, adult.level))
        end
      end
    end
  end)

  it("check raises no more than k2.dose says at the amount k2.dose recommends for the age #sweep", function()
    for _, form in ipairs(FORMS) do
      for _, age in ipairs(AGES) do
        for _, sex in ipairs({ "female", "male" }) do
          local d = assert(k2.dose({ form = form, age = age, sex = sex }))
          if d.high then
            local amount = d.high .. " " .. (d.unit == "mg/day" and "mg" or "ug")
            local c = assert(k2.check({ form = form, dose = amount, age = age, sex = sex }))
            assert.equal(d.level, c.level, ("%s at age %s, %s: dose gives %s (%s), check says %s"):format(form, age,
              sex, amount, d.level, c.level))
          end
        end
      end
    end
  end)

  it("every age has an answer with a sourced figure (K, K1: the agencies' intakes from birth on) #sweep", function()
    for _, form in ipairs({ "K", "K1", "K2", "MK-7" }) do
      for _, age in ipairs(AGES) do
        local d = assert(k2.dose({ form = form, age = age }))
        assert.is_number(d.low, form .. " at " .. age)
        assert.matches("%[agency reference", d:lines(200)[1], form .. " at " .. age)
      end
    end
  end)

  it("gives babies their own intakes, by months or by a fractional age, and newborns the prophylaxis", function()
    assert.equal(2, assert(k2.dose({ form = "K2", months = 3 })).high)
    assert.equal(2, assert(k2.dose({ form = "K2", age = 0.25 })).high)
    assert.equal(2.5, assert(k2.dose({ form = "K1", months = 8 })).high)
    assert.equal(30, assert(k2.dose({ form = "K", age = 1, months = 2 })).high)
    local baby = assert(k2.dose({ form = "K2", age = 0 }))
    for _, f in ipairs(baby.context) do assert.is_true(f.id ~= "seed.k2.children-under-12", "no 45 µg for a baby") end
    for _, f in ipairs(baby.nearest) do assert.is_true(f.id ~= "seed.k2.children-under-12", "no 45 µg for a baby") end
    assert.matches("start at age 1", table.concat(baby.notes, "\n"))
    -- a baby's K2 answer still shows the prophylaxis at birth, named as the K1 it is
    assert.equal("dose.k1.newborn-prophylaxis.aap22", baby.newborn[1].id)
    assert.equal("K1", baby.newborn_form)
    assert.matches("at birth, once %(not a daily amount%) as K1, not K2: 1 mg %[guideline; AAP22%]", tostring(baby))
    assert.matches("prophylaxis after birth %(K1%):", tostring(baby))
    local newborn = assert(k2.dose({ form = "K1", months = 0.5 }))
    assert.equal("dose.k1.newborn-prophylaxis.aap22", newborn.newborn[1].id)
    assert.matches("at birth, once %(not a daily amount%): 1 mg %[guideline; AAP22%]", tostring(newborn))
    assert.matches("age 0%.5 months", tostring(newborn))
    assert.is_nil(assert(k2.dose({ form = "K1", months = 2 })).at_birth)
    assert.is_nil(assert(k2.dose({ form = "K1", months = 4 })).newborn)
    local ok = assert(k2.check({ form = "K1", dose = "2 ug", months = 3 }))
    assert.equal("ok", ok.level)
  end)

  it("no headline joins figures into a range no source gives, and each shows its evidence type", function()
    local d = assert(k2.dose({ form = "MK-7", age = 50, purpose = "osteocalcin" }))
    local head = d:lines(200)[1]
    assert.is_nil(head:find("75–375", 1, true))
    assert.matches("75–120 µg/day %[popular article; seed%-p03%]; 375 µg/day %[popular article, possible; seed%-p03%]", head)
  end)
end)

describe("every headline shows its evidence type", function()
  it("in dose, check and timing answers", function()
    assert.matches("%[agency reference, male; IOM01%]", assert(k2.dose({ form = "K", age = 30 })):lines(200)[1])
    assert.matches("%[evidence: none%]", assert(k2.dose({ form = "MK-7", age = 15, purpose = "osteocalcin" })):lines(200)[1])
    assert.matches("WARNING %[agency reference", assert(k2.check({ form = "MK-7", meds = { "warfarin" } })):lines(200)[1])
    assert.matches("with food that has some fat in it %[popular article", assert(k2.timing({ form = "MK-7" })):lines(200)[1])
  end)
end)

describe("k2.dose and k2.check: pregnancy and breastfeeding", function()
  it("gives the sourced intakes by age", function()
    assert.equal(75, assert(k2.dose({ form = "K", age = 16, pregnant = true })).high)
    assert.equal(90, assert(k2.dose({ form = "K", age = 25, breastfeeding = true })).high)
    assert.equal(90, assert(k2.dose({ form = "K", age = 25, lactating = true })).high)
    local basis = assert(k2.dose({ form = "K1", age = 25, pregnant = true })).basis
    assert.equal("ai.us.pregnancy.19-50y", basis[1].id)
  end)

  it("check says no more than k2.dose at the intake k2.dose gives in pregnancy or while breastfeeding", function()
    for _, form in ipairs(FORMS) do
      for _, age in ipairs({ 14, 16, 18, 19, 30, 50, 70 }) do
        for _, stage in ipairs({ "pregnant", "breastfeeding" }) do
          local d = assert(k2.dose({ form = form, age = age, [stage] = true }))
          if d.high then
            local c = assert(k2.check({ form = form, age = age, dose = d.high .. " ug", conditions = { stage } }))
            assert.equal(d.level, c.level, ("%s %s at %s"):format(form, stage, age))
          end
        end
      end
    end
    local over = assert(k2.check({ form = "MK-7", age = 30, dose = "200 ug", pregnant = true }))
    assert.equal("caution", over.level)
    assert.matches("more than the adequate intake in pregnancy for age 30 %(90 µg%)", over.findings[#over.findings].message)
  end)

  it("answers a pregnancy or breastfeeding younger than its sources with the age's own figures, and says so", function()
    local young = assert(k2.dose({ form = "K", pregnant = true, age = 13 }))
    assert.equal(60, young.high) -- the US 9-13 y figure; the pregnancy figures start at 14
    assert.matches("pregnant at age 13: the sources' figures for pregnancy start at age 14", table.concat(young.notes, "\n"))
    local checked = assert(k2.check({ form = "K", dose = "60 ug", pregnant = true, age = 13 }))
    assert.equal("ok", checked.level)
    assert.matches("start at age 14", table.concat(checked.notes, "\n"))
    -- EFSA's 70 µg for adults and for pregnancy is one figure of one source: beside the headline once
    local adult = assert(k2.dose({ form = "K", pregnant = true, age = 30 })):lines(300)
    local _, n = table.concat(adult, "\n"):match("beside them: ([^\n]*)"):gsub("70 µg/day", "")
    assert.equal(1, n)
  end)

  it("rejects impossible combinations, saying why", function()
    local cases = {
      { k2.dose, { form = "K", pregnant = true, age = 5 }, "pregnant at age 5: puberty before age 8 counts as early" },
      { k2.dose, { form = "K", pregnant = true, sex = "male" }, "pregnant and male: the sources on pregnancy are about women" },
      { k2.dose, { form = "K", breastfeeding = true, months = 30 }, "breastfeeding at age 2%.5: puberty" },
      { k2.check, { form = "K", conditions = { "pregnant" }, age = 5 }, "pregnant at age 5" },
      { k2.check, { form = "K", pregnant = true, sex = "man" }, "pregnant and male" },
      { k2.check, { form = "MK-7", meds = { "   " } }, "medicine 1 of 1 is blank" },
      { k2.check, { form = "MK-7", conditions = { "" } }, "condition 1 of 1 is blank" },
      { k2.check, { form = "MK-7", meds = { "warfarin", " , " } }, "medicine 2 of 2 is blank" },
      { k2.dose, { form = "K", months = -1 }, "months %-1: give a number of months from 0" },
    }
    for _, c in ipairs(cases) do
      local a, err = c[1](c[2])
      assert.is_nil(a)
      assert.matches(c[3], err)
    end
  end)
end)

describe("k2.check: one rule for every form", function()
  it("a dose beyond every documented use is 'not studied at this dose', the same for a child as for an adult", function()
    local child = assert(k2.check({ form = "MK-7", dose = "1000 mg", age = 10 }))
    local adult = assert(k2.check({ form = "MK-7", dose = "1000 mg", age = 40 }))
    assert.equal("caution", adult.level)
    assert.equal("caution", child.level)
    assert.matches("not studied at this dose", adult.findings[1].message)
    assert.matches("TH12 %[human RCT%]", adult.findings[1].message)
    local k2_45 = assert(k2.check({ form = "K2", dose = "45 mg" }))
    assert.equal("ok", k2_45.level)
    assert.equal("seed.k2.safe-45mg", k2_45.findings[1].facts[1].id)
    assert.equal("drug database", k2_45.findings[1].evidence)
  end)

  it("names the evidence type of every finding", function()
    local a = assert(k2.check({ form = "MK-7", dose = "100 ug", age = 12, meds = { "warfarin", "zzzdrug", "Eliquis" },
      conditions = { "vitamin allergy" } }))
    for _, f in ipairs(a.findings) do
      assert.is_string(f.evidence)
      assert.is_truthy(tostring(a):gsub("%s+", " "):find(f.evidence, 1, true), f.evidence)
    end
  end)

  it("compares a VKA user's dose with each study, says the population and conclusion, and always says steady", function()
    local a = assert(k2.check({ form = "MK-7", dose = "45 ug", meds = { "acenocoumarol" } }))
    local m = a.findings[#a.findings].message
    assert.equal("warning", a.level)
    assert.matches("healthy adults on acenocoumarol %(Theuwissen 2013%)", m)
    assert.matches("should avoid MK%-7", m)
    assert.matches("healthy volunteers %(Schurgers 2007%)", m)
    assert.matches("keep your vitamin K intake steady", m)
    local k1 = assert(k2.check({ form = "K1", dose = "150 ug", meds = { "warfarin" } }))
    assert.matches("at or above 150 µg/day", k1.findings[#k1.findings].message)
    local mk4 = assert(k2.check({ form = "MK-4", dose = "1 mg", meds = { "warfarin" } }))
    assert.equal("avoid", mk4.level)
    assert.equal("ix.warfarin.menatetrenone", mk4.findings[#mk4.findings].facts[1].id)
  end)
end)
