-- timing_spec.lua: k2.timing (lua/k2/advice/timing.lua): the TimingSource
-- rules of data/advice.rec and the times the model computes, under Lua 5.4
-- and LuaJIT.

local k2 = require("k2")

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

