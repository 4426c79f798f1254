-- startup_spec.lua — the plugin file defines :K2 and <Plug>(k2-hover)
-- without loading the native core; `require "k2"` finds the 5.1-ABI core
-- from the runtimepath under LuaJIT.
local t = ...

t.case("the plugin defines :K2 without loading the core", function()
  vim.cmd("runtime! plugin/k2.lua")
  assert(vim.fn.exists(":K2") == 2, ":K2 missing")
  assert(vim.fn.maparg("<Plug>(k2-hover)", "n") ~= "", "<Plug>(k2-hover) missing")
  assert(package.loaded["k2"] == nil and package.loaded["k2.core"] == nil, "core loaded at start-up")
end)

t.case("require 'k2' from the runtimepath, 5.1-ABI core on LuaJIT", function()
  local k2 = require("k2")
  assert(jit ~= nil and k2.abi == "5.1", "abi " .. tostring(k2.abi))
  assert(#assert(k2.search("menadione")) >= 1)
  assert(k2.parse_dose("0.18 mg") == 180 and k2.parse_duration("3d") == 72)
end)
