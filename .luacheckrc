-- luacheck: Lua 5.1 ∩ 5.4 globals for the library (it runs in both); busted
-- globals for the specs; vim for the Neovim files; Lua 5.4 for build tools.
std = "min"
max_line_length = 140
files["tests/lua"] = { std = "+busted" }
files["tests/nvim"] = { read_globals = { "vim", "jit" } }
files["plugin"] = { read_globals = { "vim" } }
files["lua/k2/nvim"] = { read_globals = { "vim" } }
files["tools"] = { std = "lua54" }
files["bin"] = { std = "lua54" }
files["tests/cli"] = { std = "lua54" }
