-- config_spec.lua — setup() and vim.g.k2: every border form Neovim accepts
-- (names; lists of 8, 4, 2 or 1 items, each a character or {char, group})
-- is taken and draws; whole-number widths only; wrong options are named in
-- one ERROR line and refused, keeping the configuration in use; :checkhealth
-- k2 reports the configuration in use and the refused setup().
local t = ...
vim.cmd("runtime! plugin/k2.lua")
local nv = require("k2.nvim")

local GOOD = {
  "none", "single", "double", "rounded", "solid", "shadow",
  { "╭", "─", "╮", "│", "╯", "─", "╰", "│" },
  { { "+", "K2Border" }, { "-", "K2Border" }, { "+" }, { "|", "K2Border" }, "+", "-", "+", "|" },
  { "+", "-", "+", "|" }, { "+", "-" }, { "*" }, { "" }, { { "x", "Error" } },
}
local cyclic = {}
cyclic[1] = cyclic
local BAD = {
  { { border = { "a", "b", "c" } }, "'border'" }, { { border = cyclic }, "'border'" },
  { { border = "weird" }, "'border'" }, { { border = {} }, "'border'" }, { { border = { "ab" } }, "one cell" },
  { { border = { x = "a" } }, "'border'" }, { { border = { { "a", 3 } } }, "highlight group" },
  { { border = 5 }, "'border'" }, { { width = 50.5 }, "'width'" }, { { width = 0 / 0 }, "'width'" },
  { { width = math.huge }, "'width'" }, { { width = "80" }, "'width'" }, { { width = 10 }, "'width'" },
  { { colour = "red" }, "unknown option 'colour'" }, { { units = "kg" }, "'units'" },
  { { default_form = "" }, "'default_form'" }, { { journal = 3 }, "'journal'" },
}

t.case("every border form Neovim accepts is taken and draws the float", function()
  for _, border in ipairs(GOOD) do
    t.clear_notes()
    assert(nv.setup({ border = border }) == true, vim.inspect(border) .. ": " .. t.last_note().msg)
    t.run("K2 timing MK-7")
    assert(#t.floats() == 1, vim.inspect(border) .. ": no float; " .. t.last_note().msg)
  end
end)

t.case("wrong options are refused in one line, and the configuration in use stays", function()
  assert(nv.setup({ width = 60, border = "single" }) == true)
  for _, case in ipairs(BAD) do
    t.clear_notes()
    assert(nv.setup(case[1]) == false, vim.inspect(case[1]) .. " accepted")
    local n = t.last_note()
    assert(n.level == vim.log.levels.ERROR and n.msg:find(case[2], 1, true) and not n.msg:find("\n"),
      vim.inspect(case[1]) .. ": " .. n.msg)
    local cfg = nv.config()
    assert(cfg.width == 60 and cfg.border == "single", vim.inspect(cfg))
    t.run("K2 timing MK-7")
    assert(#t.floats() == 1 and #t.notes() == 0, vim.inspect(case[1]) .. " broke the floats: " .. t.last_note().msg)
  end
end)

t.case("setup() with no table is one ERROR line, never a raise", function()
  for _, v in ipairs({ "rounded", 42, true, function() end }) do
    t.clear_notes()
    local ok, r = pcall(nv.setup, v)
    assert(ok and r == false, type(v) .. ": " .. tostring(r))
    assert(#t.notes() == 1 and t.last_note().msg:find("setup() takes a table of options", 1, true), t.last_note().msg)
  end
end)

t.case("units = mcg shows in the floats; vim.g.k2 counts as setup", function()
  assert(nv.setup({ units = "mcg" }) == true)
  t.run("K2 dose MK-7 age=40")
  assert(t.float_text():find("100–300 mcg/day", 1, true))
  vim.g.k2 = { units = "kg" }
  assert(nv.setup({}) == false and t.last_note().msg:find("'units'", 1, true))
  vim.g.k2 = { width = 50 }
  assert(nv.setup({}) == true and nv.config().width == 50)
  vim.g.k2 = nil
  assert(nv.setup({}) == true and nv.config().width == 80)
end)

t.case(":checkhealth k2 reports the configuration in use and a refused setup()", function()
  assert(nv.setup({ width = 70 }) == true)
  assert(nv.setup({ width = 50.5 }) == false)
  t.close_floats()
  vim.cmd("checkhealth k2")
  local text = table.concat(vim.api.nvim_buf_get_lines(0, 0, -1, false), "\n")
  vim.cmd("bwipeout!")
  assert(text:find("configuration in use (from setup()): border \"rounded\", width 70", 1, true), text)
  assert(text:find("setup%(%) at %d+:%d+:%d+ was refused: option .width.") and not text:find("configuration valid"),
    text)
  assert(nv.setup({ width = 70 }) == true)
  vim.cmd("checkhealth k2")
  text = table.concat(vim.api.nvim_buf_get_lines(0, 0, -1, false), "\n")
  vim.cmd("bwipeout!")
  assert(text:find("configuration valid", 1, true) and not text:find("refused", 1, true), text)
end)
