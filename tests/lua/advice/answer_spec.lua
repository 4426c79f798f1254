-- answer_spec.lua: what every advice answer shares (lua/k2/advice/answer.lua):
-- the form's warnings, readable lists inside an answer, under Lua 5.4 and LuaJIT.

local k2 = require("k2")

describe("what dose, timing and check answers share", function()
  it("K3 dose and timing answers carry the AVOID warning", function()
    for _, a in ipairs({ assert(k2.dose({ form = "K3", age = 40 })), assert(k2.timing({ form = "menadione" })) }) do
      assert.equal("avoid", a.warnings[1].level)
      assert.matches("AVOID: menadione", tostring(a))
    end
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

end)
