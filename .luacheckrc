-- luacheck: Lua 5.1 ∩ 5.4 globals for the library (it runs in both); busted
-- globals for the specs; vim for the Neovim files; Lua 5.4 for build tools.
std = "min"
max_line_length = 140
files["tests/lua"] = { std = "+busted" }
-- Neovim code sets vim.g.x, vim.bo[b].x, vim.o.x: vim is a writable global there.
files["tests/nvim"] = { globals = { "vim" }, read_globals = { "jit" } }
files["plugin"] = { globals = { "vim" } }
files["lua/k2/nvim"] = { globals = { "vim" } }
files["lua/k2/health.lua"] = { globals = { "vim" }, read_globals = { "jit" } }
files["tools"] = { std = "lua54" }
files["bin"] = { std = "lua54" }
files["tests/cli"] = { std = "lua54" }
