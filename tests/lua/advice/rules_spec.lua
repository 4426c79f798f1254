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
