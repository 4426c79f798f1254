-- tests/nvim/run.lua — loads k2 inside a real headless Neovim (LuaJIT, Lua
-- 5.1 ABI) with the checkout on the runtimepath, the way a plugin manager
-- would put it there, and checks that the API answers.
-- Run: nvim --headless -u NONE -i NONE -c "luafile tests/nvim/run.lua"
-- Prints one line per case and "nvim: N passed, N failed"; exits 0 or 1.
local root = vim.fn.getcwd()
vim.opt.rtp:prepend(root)
package.path = "" -- only the runtimepath loader may find k2 (no ./?.lua shortcut)

local passed, failed = 0, 0
local function case(name, fn)
  local ok, err = pcall(fn)
  if ok then passed = passed + 1 else failed = failed + 1 end
  io.stdout:write(("%s %s%s\n"):format(ok and "ok  " or "FAIL", name, ok and "" or (": " .. tostring(err))))
end

local k2
case("require 'k2' from the runtimepath", function()
  k2 = require("k2")
  assert(type(k2.version) == "string")
end)

case("runs on LuaJIT with the 5.1-ABI core", function()
  assert(jit ~= nil, "expected LuaJIT")
  assert(k2.abi == "5.1", "abi " .. tostring(k2.abi))
  assert(package.loaded["k2.core"], "core not loaded")
end)

case("searches the built-in store", function()
  local list = assert(k2.search("menadione"))
  assert(#list >= 1)
  assert(tostring(list):match("^ 1%. "))
end)

case("filters, fact lookup and printing", function()
  local list = assert(k2.facts({ form = "MK-7", topic = "pharmacokinetics" }))
  assert(#list >= 10)
  local f = assert(k2.fact("seed.mk7.tmax"))
  assert(f.value == 4 and f.unit == "h")
  assert(not tostring(f):find("table: 0x", 1, true))
end)

case("parses doses and durations as in Lua 5.4", function()
  assert(k2.parse_dose("0.18 mg") == 180)
  assert(k2.parse_duration("3d") == 72)
  local ug, err = k2.parse_dose("0,1 mg")
  assert(ug == nil and err:find("0.1", 1, true))
end)

io.stdout:write(("nvim: %d passed, %d failed\n"):format(passed, failed))
vim.cmd(failed == 0 and "qall!" or "cquit 1")
