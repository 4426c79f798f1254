-- rules_spec.lua: the rules of data/advice.rec as lua/k2/advice/rules.lua
-- reads them through the store, and the notice they give every answer,
-- under Lua 5.4 and LuaJIT.

local k2 = require("k2")

describe("the notice", function()
  it("every answer carries the notice, in Lua and in JSON", function()
    for _, a in ipairs({ assert(k2.dose({ form = "MK-7" })), assert(k2.timing({ form = "MK-7" })),
      assert(k2.check({ form = "MK-7" })) }) do
      assert.matches("not medical advice", a.notice)
      assert.matches("warfarin", a.notice)
    end
  end)
end)

describe("k2.advice.rules, read through the store", function()
  local core = require("k2.core")
  local rules = require("k2.advice.rules")
  local store = assert(core.open())
  local R = rules.load(store)

  it("groups the rules by kind and by the names they know", function()
    assert.is_true(#R:of_kind("Medicine") >= 8)
    assert.same({}, R:of_kind("NoSuchKind"))
    assert.equal("Medicine", R.names.warfarin.kind)
    assert.equal(R.names.warfarin, R.names.coumadin)
    for _, r in ipairs(R:for_form("FormRule", "K3")) do assert.is_true(r.forms.K3) end
    assert.same({}, R:for_form("FormRule", "MK-7"))
  end)

  it("fills a message's {fact-id} with that fact's amount", function()
    assert.equal("from 150 µg/day", R:render("from {ix.warfarin.k1-150.s04}"))
    assert.error_matches(function() R:render("{no.such.fact}") end, "data/advice.rec names a missing fact: no.such.fact",
      1, true)
  end)

  it("gives the notice from its record and the adult age from its fact", function()
    assert.matches("^Information, not medical advice%.", R:notice())
    assert.equal(R:notice(), k2.notice())
    assert.equal(18, R:adult_age())
  end)

  it("reads a fact's number in µg/day or hours", function()
    assert.equal(45000, rules.number_of({ value = 45, unit = "mg/day" }))
    assert.equal(360, rules.number_of({ low = 10, high = 360, unit = "µg/day" }))
    assert.equal(2 * rules.HOURS_PER_YEAR, rules.number_of({ value = 2, unit = "y" }))
    assert.is_nil(rules.number_of({ value = 2, unit = "kg" }))
  end)
end)

describe("k2.advice.new", function()
  it("answers from the store and the pk module it is given", function()
    local core = require("k2.core")
    local store = assert(core.open())
    local simulated = 0
    local pk = setmetatable({ simulate = function(o) simulated = simulated + 1; return k2.pk.simulate(o) end },
      { __index = k2.pk })
    local calls = require("k2.advice").new({ store = function() return store end, pk = pk })
    local t = assert(calls.timing({ form = "MK-7" }))
    assert.is_true(simulated > 0, "timing ran the model it was given")
    assert.equal(k2.timing({ form = "MK-7" }).t90_h, t.t90_h)
    assert.equal(k2.check({ form = "MK-7", meds = { "warfarin" } }).level, calls.check({ form = "MK-7", meds = { "warfarin" } }).level)
    assert.equal(k2.notice(), calls.notice())
  end)
end)
