-- k2.lua — lets `require "k2"` (and `lua5.4 -i -l k2`) work from the top of a
-- checkout without setting LUA_PATH: puts the checkout's lua/ on
-- package.path and loads lua/k2/init.lua. Installed copies (make install,
-- LuaRocks, Neovim's runtimepath) load lua/k2/init.lua directly.
local here = debug.getinfo(1, "S").source:match("^@(.-)k2%.lua$") or ""
local root = here == "" and "./" or here
package.path = root .. "lua/?.lua;" .. root .. "lua/?/init.lua;" .. package.path
local chunk = assert(loadfile(root .. "lua/k2/init.lua"))
return chunk("k2")
