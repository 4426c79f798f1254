-- rockspec.lua — writes k2's rockspec to stdout from the version and the
-- file lists the Makefile finds, so no source list is kept by hand:
--   lua5.4 tools/rockspec.lua scm   FILES...  > k2-scm-1.rockspec   (make rockspec)
--   lua5.4 tools/rockspec.lua 0.1.0 FILES...  (inside the source rock, tools/dist.sh)
-- FILES: the C sources (csrc/*.c) and the Lua files (lua/**.lua). The C
-- module k2.core also compiles build/k2_image.c, the embedded fact store
-- that `make` generates and the source rock carries.
local version = assert(arg[1], "usage: rockspec.lua scm|VERSION FILES...")
local c_sources, lua_modules = {}, {}
for i = 2, #arg do
  local f = arg[i]
  if f:match("%.c$") then
    c_sources[#c_sources + 1] = f
  elseif f:match("^lua/.*%.lua$") then
    local name = f:gsub("^lua/", ""):gsub("%.lua$", ""):gsub("/init$", ""):gsub("/", ".")
    lua_modules[#lua_modules + 1] = { name, f }
  end
end
c_sources[#c_sources + 1] = "build/k2_image.c"
table.sort(lua_modules, function(a, b) return a[1] < b[1] end)

local function quoted(list)
  local out = {}
  for _, s in ipairs(list) do out[#out + 1] = ("%q"):format(s) end
  return table.concat(out, ",\n                  ")
end

local scm = version == "scm"
local header = scm and [[
-- LuaRocks build of k2 from a checkout: `make rock`, or after `make`
-- (which generates build/k2_image.c, the embedded fact store):
--   luarocks --lua-version=5.4 make k2-scm-1.rockspec
--   luarocks --lua-version=5.1 make k2-scm-1.rockspec   -- LuaJIT / Neovim
-- Written by tools/rockspec.lua (`make rockspec`); do not edit by hand.
]] or ([[
-- k2 %s, as carried in its source rock (`make dist`, tools/dist.sh):
--   luarocks install k2-%s-1.src.rock                   (Lua 5.4)
--   luarocks --lua-version=5.1 install k2-%s-1.src.rock (LuaJIT / Neovim)
-- The rock's tarball holds the generated build/k2_image.c, so the build
-- needs only a C compiler, the Lua headers and libsqlite3-dev.
-- Written by tools/rockspec.lua.
]]):format(version, version, version)
local source = scm and 'source = { url = "git+https://example.invalid/k2.git" }'
  or ('source = { url = "k2-%s.tar.gz", dir = "k2-%s" }'):format(version, version)

local lines = { header .. 'rockspec_format = "3.0"', 'package = "k2"',
  ('version = "%s"'):format(scm and "scm-1" or version .. "-1"), source, [[
description = {
  summary = "Vitamin K facts, doses, timing and safety from an embedded, sourced fact store",
  detailed = [=[
k2 answers questions about vitamin K (K1, K2 as MK-4 and MK-7, K3) from an
SQLite fact store compiled into the module: full-text search, filters,
every fact with its source and evidence type, and the places where sources
disagree. Information, not medical advice.]=],
  license = "MIT",
  labels = { "neovim", "health", "sqlite" },
}
dependencies = { "lua >= 5.1, < 5.5" }
external_dependencies = { SQLITE = { header = "sqlite3.h", library = "sqlite3" } }
build = {
  type = "builtin",
  modules = {
    ["k2.core"] = {
      sources = { ]] .. quoted(c_sources) .. [[ },
      incdirs = { "csrc", "$(SQLITE_INCDIR)" },
      libdirs = { "$(SQLITE_LIBDIR)" },
      libraries = { "sqlite3" },
    },]] }
for _, m in ipairs(lua_modules) do lines[#lines + 1] = ('    [%q] = %q,'):format(m[1], m[2]) end
lines[#lines + 1] = [[
  },
  copy_directories = { "plugin", "doc", "syntax", "ftplugin" },
}]]
io.write(table.concat(lines, "\n"), "\n")
