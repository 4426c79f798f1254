--- k2.nvim.errors: the one error path of the Neovim side. Every entry point
--- (a :K2 subcommand, completion, hover, setup) runs through M.run, which turns
--- whatever went wrong into one line of vim.notify in :K2 words: a user's
--- mistake raised with M.fail, a nil, message answer of the API, a Lua
--- `bad argument` (its message without "bad argument #1 to 'simulate'"), and a
--- core that is not built ("k2: the native core is not built — run make in
--- <the plugin's folder>"). Never a traceback, never a Press-ENTER prompt
--- made by k2 (one line, no newline).
--- M.lib() is the only place the Neovim side requires "k2".

local M = {}
local unpack = rawget(table, "unpack") or rawget(_G, "unpack") -- Lua 5.4 and LuaJIT

-- The plugin's folder: three levels above this file (lua/k2/nvim/errors.lua).
local function plugin_root()
  local source = debug.getinfo(1, "S").source:gsub("^@", "")
  return vim.fn.fnamemodify(source, ":p:h:h:h:h")
end
M.root = plugin_root

-- The columns a message may take on the command line without a Press-ENTER prompt.
local function echo_room()
  local room = vim.v.echospace
  return (room and room > 0) and room or (vim.o.columns - 12)
end

--- fit(line, room) → line, cut with "…" to at most room cells.
function M.fit(line, room)
  if vim.api.nvim_strwidth(line) <= room then return line end
  local chars = vim.fn.split(line, "\\zs")
  local out, width = {}, 1
  for _, c in ipairs(chars) do
    width = width + vim.api.nvim_strwidth(c)
    if width > room then break end
    out[#out + 1] = c
  end
  return table.concat(out) .. "…"
end

-- Neovim's own vim.notify echoes on the command line; nvim-notify and the like show more.
local function echoes()
  local info = debug.getinfo(vim.notify, "S")
  return info and info.source:find("vim[/\\]_editor%.lua$") ~= nil
end

--- notify(msg, level): one line, prefixed "k2: " (cut to the command line's room when it is echoed there).
function M.notify(msg, level)
  local line = "k2: " .. tostring(msg):gsub("%s*\n%s*", "; ")
  if echoes() then line = M.fit(line, echo_room()) end
  vim.notify(line, level or vim.log.levels.ERROR)
end

--- fail(msg [, usage [, sub]]): raises the user's error; M.run shows it (sub: the subcommand, for :K2 help sub).
function M.fail(msg, usage, sub) error({ k2_error = true, msg = msg, usage = usage, sub = sub }, 0) end

-- Why require "k2" failed, as one line the user can act on.
local function load_message(err)
  err = tostring(err)
  if err:find("not found", 1, true) or err:find("no file", 1, true) then
    return ("the native core is not built — run make in %s"):format(M.root())
  end
  local first = err:match("^[^\n]*"):gsub("^k2: ", "")
  return ("the native core did not load (%s) — run make in %s"):format(first, M.root())
end

local loaded -- the k2 module, once it loaded
--- lib() → the k2 module; raises the user's error when the core is not there.
--- A failed require is tried again next time (after `make`), never leaving
--- LuaJIT's "loop or previous error loading module" behind.
function M.lib()
  if loaded then return loaded end
  local ok, k2 = pcall(require, "k2")
  if ok and type(k2) == "table" then
    loaded = k2
    return k2
  end
  package.loaded["k2"], package.loaded["k2.core"] = nil, nil
  M.fail(load_message(k2))
end

--- args() → k2.args, which reads its limits from the core (so after lib()).
function M.args()
  M.lib()
  return require("k2.args")
end

-- A Lua error's message in the user's words: no file:line, no "bad argument #1 to 'f' (...)".
local function plain(err)
  local msg = tostring(err):match("^[^\n]*")
  msg = msg:gsub("^[^%s:]+%.lua:%d+: ", ""):gsub("^k2: ", "")
  msg = msg:match("^bad argument #?%d* ?to '[^']*' %((.*)%)$") or msg
  -- the API names an option 'age'; the :K2 user writes age=
  return (msg:gsub("option '([%w_]+)'", "%1="))
end
M.plain = plain

--- call(f, ...) → f's result; a raise or a nil, message answer becomes the user's error.
function M.call(f, ...)
  local ok, r, msg = pcall(f, ...)
  if not ok then
    if type(r) == "table" and r.k2_error then error(r, 0) end
    M.fail(plain(r))
  end
  if r == nil then M.fail(msg and plain(msg) or "no answer") end
  return r, msg -- a second result (j:add gives the entry after its id)
end

-- The user's error as one line: the message, then the usage when it fits the command line.
local function line_of(err)
  if type(err) ~= "table" or not err.k2_error then return plain(err) end
  local msg = plain(err.msg)
  if err.usage then
    local with = ("%s; usage: %s"):format(msg, err.usage)
    local room = echo_room() - 4 -- "k2: "
    if vim.api.nvim_strwidth(with) <= room then return with end
    if err.sub then return ("%s (:K2 help %s)"):format(msg, err.sub) end
  end
  return msg
end
M.line_of = line_of

--- run(f, ...) → true, f's results, or false after one ERROR note.
function M.run(f, ...)
  local result = { xpcall(f, function(e) return e end, ...) }
  if result[1] then return unpack(result) end
  M.notify(line_of(result[2]))
  return false
end

return M
