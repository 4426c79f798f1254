-- dose_spec.lua: k2.dose (lua/k2/advice/dose.lua) against the DoseSource
-- rules of data/advice.rec and the facts they cite, under Lua 5.4 and LuaJIT.

local k2 = require("k2")

describe("k2.dose", function()
  -- issue 11: the agencies' intakes lead for adults; the seed's popular 100-300 µg is beside them, labelled
  it("leads with the US adequate intakes for adults and puts the seed's popular range beside them", function()
    local d = assert(k2.dose({ form = "MK-7", age = 40 }))
    assert.equal(90, d.low)
    assert.equal(120, d.high)
    assert.equal("µg/day", d.unit)
    local basis, ids = {}, {}
    for _, f in ipairs(d.basis) do basis[f.id] = true end
    for _, f in ipairs(d.context) do ids[f.id] = true end
    assert.is_true(basis["ai.us.19plus-male"] and basis["ai.us.19plus-female"])
    assert.is_true(ids["seed.k2.adult-daily"] and ids["ai.efsa.adults"])
    assert.equal("adult-daily-amount", d.conflicts[1].id)
    local head = table.concat(d:lines(200), "\n", 1, 3)
    assert.matches("^MK%-7 dose %(age 40%): 120 µg/day %[agency reference, male; IOM01%]; 90 µg/day %[agency reference,"
      .. " female; IOM01%]", head)
    assert.matches("beside them: 100–300 µg/day %[popular article; seed%-p09%]", head)
    assert.is_nil(head:find("90–120", 1, true), "no range that no source gives")
  end)

  it("gives a 10-year-old the US intake, the seed's 45 µg beside it, and the label's 'not under 18' as a caution", function()
    local d = assert(k2.dose({ form = "K2", age = 10 }))
    assert.equal(60, d.low)
    assert.equal(60, d.high)
    assert.equal("caution", d.level)
    local ids = {}
    for _, f in ipairs(d.context) do ids[f.id] = true end
    assert.is_true(ids["seed.k2.children-under-12"])
    local conflicts = {}
    for _, c in ipairs(d.conflicts) do conflicts[c.id] = true end
    assert.is_true(conflicts["k2-children"])
    assert.matches("not to use the product under 18", tostring(d))
  end)

  it("says where a source has no figure for the age (the seed's K2 at 15) beside the agencies' intake", function()
    local d = assert(k2.dose({ form = "K2", age = 15 }))
    assert.equal(75, d.low)
    assert.matches("the seed's daily amounts of vitamin K2 by age %(a popular article%): no figure at age 15 %(they"
      .. " cover 1%-11 y, 18%+ y%)", table.concat(d.notes, "\n"))
  end)

  it("never stretches an older band's figures down to a younger person", function()
    local d = assert(k2.dose({ form = "MK-7", age = 15, purpose = "osteocalcin" }))
    assert.is_nil(d.low)
    assert.equal(0, #d.nearest)
    assert.matches("no sourced figure for this case", tostring(d))
    assert.matches("none is stretched down to fit", tostring(d))
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
    assert.equal(90, assert(k2.dose({ form = "MK-7", age = 40 })).low)
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
    assert.error_matches(function() k2.dose({ form = "MK-7", age = "ten" }) end,
      "option 'age' must be a number, got string", 1, true)
    assert.error_matches(function() k2.dose({ form = "MK-7", weight = 70 }) end, "(unknown option 'weight'", 1, true)
  end)
end)

describe("k2.dose at the edges of its age bands", function()
  it("age bands include their last year and no more", function()
    local function range(o) local d = assert(k2.dose(o)); return d.low, d.high end
    assert.same({ 2, 2 }, { range({ form = "K", age = 0.5 }) })
    assert.same({ 30, 30 }, { range({ form = "K", age = 1.5 }) })
    local function beside(o, id)
      for _, f in ipairs(assert(k2.dose(o)).context) do if f.id == id then return true end end
      return false
    end
    assert.is_true(beside({ form = "K2", age = 11.9 }, "seed.k2.children-under-12"))
    assert.is_false(beside({ form = "K2", age = 12 }, "seed.k2.children-under-12"))
    assert.is_false(beside({ form = "K2", age = 0.9 }, "seed.k2.children-under-12"))
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
end)
