-- core_spec.lua — a fresh clone without `make`: the plugin folder is copied
-- without build/ and no k2.core is on package.cpath. Every entry point
-- (commands, completion, hover, setup, :checkhealth) says in one line that the
-- native core is not built and where to run make, never a traceback, and says
-- it again on the next call (no "loop or previous error loading module");
-- :K2 help works without the core.
local t = ...

-- The checkout's Lua, plugin and doc files in a folder of their own, without build/.
local clone = vim.fn.tempname()
for _, dir in ipairs({ "lua", "plugin", "doc", "syntax", "ftplugin" }) do
  vim.fn.mkdir(clone, "p")
  vim.fn.system({ "cp", "-r", t.root .. "/" .. dir, clone .. "/" .. dir })
end
vim.fn.delete(clone .. "/doc/tags")
vim.opt.rtp:remove(t.root)
vim.opt.rtp:prepend(clone)
package.cpath = ""
vim.cmd("runtime! plugin/k2.lua")
local WANT = ("k2: the native core is not built — run make in %s"):format(clone)

local function one_line_core_note()
  local notes = t.notes()
  assert(#notes == 1, ("%d notes: %s"):format(#notes, vim.inspect(notes)))
  assert(notes[1].level == vim.log.levels.ERROR, "level " .. tostring(notes[1].level))
  assert(notes[1].msg == WANT, notes[1].msg)
end

t.case("without the core every :K2 subcommand says so in one line, every time", function()
  for _, cmd in ipairs({ "K2 dose MK-7", "K2 dose MK-7", "K2 pk MK-7 180 ug", "K2 search warfarin", "K2 fact x",
    "K2 sources", "K2 ask how much", "K2 how much K2 for my 10 year old", "K2 conflict mk7-tmax" }) do
    t.run(cmd)
    one_line_core_note()
    assert(#t.floats() == 0, cmd .. ": a float opened")
  end
  assert(package.loaded["k2"] == nil, "a failed require left k2 behind")
end)

t.case(":K2 help works without the core", function()
  t.run("K2 help")
  assert(#t.notes() == 0, vim.inspect(t.notes()))
  assert(vim.bo.filetype == "help" and vim.fn.expand("%:t") == "k2.txt", vim.fn.expand("%"))
  vim.cmd("helpclose")
  t.run("K2 help pk")
  assert(vim.fn.getline("."):find("*:K2-pk*", 1, true), vim.fn.getline("."))
  vim.cmd("helpclose")
end)

t.case("completion without the core: subcommands, then nothing, and the reason once", function()
  t.clear_notes()
  local subs = vim.fn.getcompletion("K2 ", "cmdline")
  assert(vim.tbl_contains(subs, "dose") and vim.tbl_contains(subs, "help"), vim.inspect(subs))
  assert(#vim.fn.getcompletion("K2 dose ", "cmdline") == 0)
  assert(#vim.fn.getcompletion("K2 dose sex=", "cmdline") == 0)
  vim.wait(50, function() return #t.notes() > 0 end)
  one_line_core_note()
end)

t.case("hover and setup without the core", function()
  vim.api.nvim_buf_set_lines(0, 0, -1, false, { "MK-7 daily" })
  vim.api.nvim_win_set_cursor(0, { 1, 1 })
  t.clear_notes()
  require("k2.nvim").hover()
  one_line_core_note()
  t.clear_notes()
  assert(require("k2.nvim").setup({ width = 60, border = "single" }) == true)
  assert(#t.notes() == 0, vim.inspect(t.notes()))
end)

t.case(":checkhealth k2 without the core names the folder to run make in", function()
  vim.cmd("checkhealth k2")
  local text = table.concat(vim.api.nvim_buf_get_lines(0, 0, -1, false), "\n")
  vim.cmd("bwipeout!")
  assert(text:find("native core is not built", 1, true) and text:find(clone, 1, true), text)
  assert(text:find("configuration in use", 1, true), text)
end)
vim.fn.delete(clone, "rf")
