-- errors_spec.lua — every wrong :K2 call is one vim.notify at ERROR level:
-- one line (no Press-ENTER pair), in :K2 words (no "bad argument #1 to
-- 'simulate'", no file:line), with the usage line when it fits; never a
-- traceback, never a float.
local t = ...
vim.cmd("runtime! plugin/k2.lua")

local function one_line_error(cmd)
  t.run(cmd)
  local notes = t.notes()
  assert(#notes == 1, cmd .. ": " .. #notes .. " notes")
  local n = notes[1]
  assert(n.level == vim.log.levels.ERROR, cmd .. ": level " .. tostring(n.level))
  assert(not n.msg:find("\n", 1, true), cmd .. ": more than one line: " .. n.msg)
  assert(n.msg:sub(1, 4) == "k2: ", cmd .. ": " .. n.msg)
  for _, lua in ipairs({ "traceback", "bad argument", "%.lua:%d+", "stack", "#%d to '" }) do
    assert(not n.msg:find(lua), cmd .. ": speaks Lua: " .. n.msg)
  end
  assert(#t.floats() == 0, cmd .. ": a float opened")
  return n.msg
end

t.case("errors: one line at ERROR level in :K2 words, never a traceback or a float", function()
  for _, cmd in ipairs({ "K2 dose MK-7 age=abc", "K2 frob", "K2 pk MK-7", "K2 dose MK-9", "K2 check MK-7 lots",
    "K2 dose MK-7 weight=70", "K2 fact", "K2", "K2 pk MK-7 180ug every=0h days=3", "K2 dose MK-7 --age 40",
    "K2 dose MK-7 banana", "K2 timing MK-7 extra", "K2 check MK-7 100ug more", "K2 sources all",
    "K2 dose MK-7 pregnant=perhaps", "K2 search limit=5", "K2 search warfarin limit=many",
    "K2 search warfarin limit=0", "K2 pk MK-7 180ug days=-1", "K2 pk MK-7 lots", "K2 fact no.such.fact",
    "K2 conflict nope", "K2 fact seed.mk7.tmax form=MK-7", "K2 help nothing", "K2 pk MK-7 180 ug n=3" }) do
    one_line_error(cmd)
  end
end)

t.case("errors name options as :K2 spells them and show the usage", function()
  local msg = one_line_error("K2 dose MK-7 age=abc")
  assert(msg:find("age= needs a number, got 'abc'", 1, true) and msg:find("usage: :K2 dose [form]", 1, true), msg)
  msg = one_line_error("K2 search warfarin limit=0")
  assert(msg:find("limit=", 1, true) and not msg:find("'limit'", 1, true), msg)
  msg = one_line_error("K2 pk MK-7")
  assert(msg:find(":K2 pk needs dose", 1, true) and msg:find("usage: :K2 pk {form} {dose}", 1, true), msg)
  msg = one_line_error("K2 fact seed.mk7.tmax form=MK-7")
  assert(msg:find(":K2 fact takes no key=value options", 1, true), msg)
  msg = one_line_error("K2 dose MK-7 weight=70")
  assert(msg:find("unknown option 'weight='; known: age=", 1, true), msg)
end)

t.case("in an 80-column editor the usage is left out rather than wrap the message", function()
  vim.o.columns = 80
  for _, cmd in ipairs({ "K2 dose MK-7 weight=70", "K2 check MK-7 lots", "K2 pk MK-7" }) do
    local msg = one_line_error(cmd)
    assert(not msg:find("usage:", 1, true) or vim.fn.strdisplaywidth(msg) < 80, msg)
  end
  vim.o.columns = 120
end)

t.case("with Neovim's own vim.notify a long message is cut to the command line's room", function()
  vim.o.columns = 80
  local captured, writeln, last = vim.notify, vim.api.nvim_err_writeln, nil
  vim.notify = t.builtin_notify -- it writes errors with nvim_err_writeln, which headless sends to stderr
  vim.api.nvim_err_writeln = function(msg) last = msg end
  pcall(vim.cmd, "K2 dose MK-9")
  vim.notify, vim.api.nvim_err_writeln = captured, writeln
  assert(last and last:find("^k2: unknown form .MK%-9.") and vim.api.nvim_strwidth(last) <= vim.v.echospace,
    vim.inspect(last) .. " " .. vim.v.echospace)
  assert(last:sub(-3) == "…", last)
  vim.o.columns = 120
end)
