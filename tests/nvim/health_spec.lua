-- health_spec.lua — :checkhealth k2 reports Neovim, the Lua runtime, the
-- native core and its ABI, the fact store and the configuration.
local t = ...
vim.cmd("runtime! plugin/k2.lua")

t.case(":checkhealth k2 reports the core, the store and the configuration", function()
  t.close_floats()
  vim.cmd("checkhealth k2")
  local text = table.concat(vim.api.nvim_buf_get_lines(0, 0, -1, false), "\n")
  vim.cmd("bwipeout!")
  for _, want in ipairs({ "Neovim 0.", "Lua runtime: LuaJIT", "native core loaded: k2 ", "Lua 5.1 ABI",
    "facts", "SQLite 3.", "configuration valid" }) do
    assert(text:find(want, 1, true), "missing '" .. want .. "' in:\n" .. text)
  end
end)
