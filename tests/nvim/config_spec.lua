-- config_spec.lua — setup() and vim.g.k2: wrong options are named in an
-- ERROR note and refused; units = "mcg" shows in the floats.
local t = ...
vim.cmd("runtime! plugin/k2.lua")

t.case("configuration: setup() and vim.g.k2, with wrong options named", function()
  local nv = require("k2.nvim")
  t.clear_notes()
  assert(nv.setup({ border = "weird" }) == false)
  assert(t.last_note().level == vim.log.levels.ERROR and t.last_note().msg:find("'border'", 1, true))
  assert(nv.setup({ colour = "red" }) == false and t.last_note().msg:find("unknown option 'colour'", 1, true))
  assert(nv.setup({ width = 10 }) == false and t.last_note().msg:find("'width'", 1, true))
  assert(nv.setup({ units = "mcg", border = "single" }) == true)
  t.run("K2 dose MK-7 age=40")
  assert(t.float_text():find("100–300 mcg/day", 1, true))
  assert(nv.setup({}) == true)
  vim.g.k2 = { units = "kg" }
  assert(nv.setup({}) == false and t.last_note().msg:find("'units'", 1, true))
  vim.g.k2 = nil
  assert(nv.setup({}) == true)
end)
