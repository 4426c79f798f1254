-- tests/nvim/run.lua — k2 inside a real headless Neovim (LuaJIT, Lua 5.1 ABI)
-- with the checkout on the runtimepath, as a plugin manager puts it there:
-- the API, the :K2 command and its completion, every subcommand's float,
-- the picker (vim.ui.select stubbed), hover, configuration, :checkhealth,
-- the help tags, and every error path (vim.notify captured; no tracebacks).
-- Run: nvim --headless -u NONE -i NONE -c "luafile tests/nvim/run.lua"
-- Prints one line per case and "nvim: N passed, N failed"; exits 0 or 1.
local root = vim.fn.getcwd()
vim.opt.rtp:prepend(root)
package.path = "" -- only the runtimepath loader may find k2 (no ./?.lua shortcut)
vim.o.columns, vim.o.lines = 120, 50

local passed, failed = 0, 0
local function case(name, fn)
  local ok, err = pcall(fn)
  if ok then passed = passed + 1 else failed = failed + 1 end
  io.stdout:write(("%s %s%s\n"):format(ok and "ok  " or "FAIL", name, ok and "" or (": " .. tostring(err))))
end

local notes = {}
vim.notify = function(msg, level) notes[#notes + 1] = { msg = msg, level = level } end
local function last_note() return notes[#notes] or { msg = "" } end

local function float_text()
  local cfg = vim.api.nvim_win_get_config(0)
  assert(cfg.relative ~= "", "no float is focused")
  return table.concat(vim.api.nvim_buf_get_lines(0, 0, -1, false), "\n")
end

local function close_floats()
  for _, w in ipairs(vim.api.nvim_list_wins()) do
    if vim.api.nvim_win_get_config(w).relative ~= "" then vim.api.nvim_win_close(w, true) end
  end
end

local function run(cmd)
  notes = {}
  close_floats()
  vim.cmd(cmd)
end

case("the plugin defines :K2 without loading the core", function()
  vim.cmd("runtime! plugin/k2.lua")
  assert(vim.fn.exists(":K2") == 2, ":K2 missing")
  assert(package.loaded["k2"] == nil and package.loaded["k2.core"] == nil, "core loaded at start-up")
end)

local k2
case("require 'k2' from the runtimepath, 5.1-ABI core on LuaJIT", function()
  k2 = require("k2")
  assert(jit ~= nil and k2.abi == "5.1", "abi " .. tostring(k2.abi))
  assert(#assert(k2.search("menadione")) >= 1)
  assert(k2.parse_dose("0.18 mg") == 180 and k2.parse_duration("3d") == 72)
end)

case("completion: subcommands, forms, options, fact ids", function()
  local subs = vim.fn.getcompletion("K2 ", "cmdline")
  for _, s in ipairs({ "search", "fact", "sources", "dose", "timing", "check", "pk" }) do
    assert(vim.tbl_contains(subs, s), "missing " .. s)
  end
  assert(vim.deep_equal(vim.fn.getcompletion("K2 do", "cmdline"), { "dose" }))
  local forms = vim.fn.getcompletion("K2 dose ", "cmdline")
  assert(vim.tbl_contains(forms, "MK-7") and vim.tbl_contains(forms, "age="), vim.inspect(forms))
  local ids = vim.fn.getcompletion("K2 fact seed.mk7", "cmdline")
  assert(vim.tbl_contains(ids, "seed.mk7.tmax"), vim.inspect(ids))
  local opts = vim.fn.getcompletion("K2 check MK-7 100ug me", "cmdline")
  assert(vim.deep_equal(opts, { "meds=" }), vim.inspect(opts))
  assert(vim.tbl_contains(vim.fn.getcompletion("K2 pk MK-7 180ug compare=MK", "cmdline"), "compare=MK-4"))
end)

case(":K2 dose opens a float with the answer, its conflict and the notice", function()
  run("K2 dose MK-7 age=40")
  local text = float_text()
  assert(text:find("100–300 µg/day", 1, true) and text:find("sources disagree", 1, true)
    and text:find("not medical advice", 1, true), text)
end)

case(":K2 timing, :K2 check, :K2 fact, :K2 sources", function()
  run("K2 timing MK-7")
  assert(float_text():find("peaks at 4 h", 1, true))
  run("K2 check MK-4 45mg age=70 meds=warfarin")
  assert(float_text():find("AVOID", 1, true))
  run("K2 fact seed.mk7.tmax")
  assert(float_text():find("evidence: human PK study", 1, true))
  run("K2 sources")
  assert(float_text():find("[GE04]", 1, true))
end)

case(":K2 pk draws a plot sized to the editor and redraws on resize", function()
  run("K2 pk MK-7 180ug every=24h days=30")
  local text = float_text()
  assert(text:find("┤", 1, true) and text:find("Cmax", 1, true), text)
  local before = vim.api.nvim_win_get_width(0)
  vim.o.columns = 70
  vim.cmd("doautocmd VimResized")
  local after = vim.api.nvim_win_get_width(0)
  for _, l in ipairs(vim.api.nvim_buf_get_lines(0, 0, -1, false)) do
    if l:find("┤", 1, true) or l:find("│", 1, true) then assert(vim.fn.strdisplaywidth(l) <= 64, l) end
  end
  assert(after < before, ("width %d → %d"):format(before, after))
  vim.o.columns = 120
  run("K2 pk MK-4 180ug compare=MK-7 duration=3d")
  local cmp = float_text()
  assert(cmp:find("(dotted)", 1, true))
  local _, axes = cmp:gsub("└", "")
  assert(axes == 1, "plots in the compare float: " .. axes)
end)

case(":K2 pk floats end with the notice, and no line is wider than the float", function()
  for _, cmd in ipairs({ "K2 pk MK-7 180ug every=24h days=30", "K2 pk MK-4 180ug compare=MK-7" }) do
    run(cmd)
    local text, width = float_text(), vim.api.nvim_win_get_width(0)
    assert(text:find("not medical advice", 1, true) and text:find("warfarin", 1, true), cmd .. ": no notice")
    for _, l in ipairs(vim.api.nvim_buf_get_lines(0, 0, -1, false)) do
      assert(vim.fn.strdisplaywidth(l) <= width, ("%s: %d columns in a %d-column float: %s"):format(cmd,
        vim.fn.strdisplaywidth(l), width, l))
    end
  end
end)

case(":K2 search offers the facts in vim.ui.select and opens the choice", function()
  local seen
  local original = vim.ui.select
  vim.ui.select = function(items, opts, on_choice)
    seen = { items = items, prompt = opts.prompt, first = opts.format_item(items[1]) }
    on_choice(items[1])
  end
  run("K2 search warfarin")
  vim.ui.select = original
  assert(seen and #seen.items >= 1 and seen.prompt:find("warfarin", 1, true), "picker not called")
  assert(seen.first:find(seen.items[1].id, 1, true))
  assert(float_text():find(seen.items[1].claim:sub(1, 20), 1, true))
end)

case("hover: a form term, a medicine, and anything else", function()
  close_floats()
  local buf = vim.api.nvim_create_buf(true, false)
  vim.api.nvim_set_current_buf(buf)
  vim.api.nvim_buf_set_lines(buf, 0, -1, false, { "I take (MK-7), and warfarin, hello" })
  vim.api.nvim_win_set_cursor(0, { 1, 9 })
  require("k2.nvim").hover()
  assert(float_text():find("MK-7 — the key facts", 1, true))
  close_floats()
  vim.api.nvim_set_current_buf(buf)
  vim.api.nvim_win_set_cursor(0, { 1, 20 })
  require("k2.nvim").hover()
  assert(float_text():find("WARNING", 1, true))
  close_floats()
  vim.api.nvim_set_current_buf(buf)
  vim.api.nvim_win_set_cursor(0, { 1, 31 })
  notes = {}
  require("k2.nvim").hover()
  assert(vim.api.nvim_win_get_config(0).relative == "", "a float opened for 'hello'")
  assert(last_note().level == vim.log.levels.INFO and last_note().msg:find("not a vitamin K term", 1, true))
  assert(vim.fn.maparg("<Plug>(k2-hover)", "n") ~= "", "<Plug>(k2-hover) missing")
end)

case("configuration: setup() and vim.g.k2, with wrong options named", function()
  local nv = require("k2.nvim")
  notes = {}
  assert(nv.setup({ border = "weird" }) == false)
  assert(last_note().level == vim.log.levels.ERROR and last_note().msg:find("'border'", 1, true))
  assert(nv.setup({ colour = "red" }) == false and last_note().msg:find("unknown option 'colour'", 1, true))
  assert(nv.setup({ width = 10 }) == false and last_note().msg:find("'width'", 1, true))
  assert(nv.setup({ units = "mcg", border = "single" }) == true)
  run("K2 dose MK-7 age=40")
  assert(float_text():find("100–300 mcg/day", 1, true))
  assert(nv.setup({}) == true)
  vim.g.k2 = { units = "kg" }
  assert(nv.setup({}) == false and last_note().msg:find("'units'", 1, true))
  vim.g.k2 = nil
  assert(nv.setup({}) == true)
end)

case(":checkhealth k2 reports the core, the store and the configuration", function()
  close_floats()
  vim.cmd("checkhealth k2")
  local text = table.concat(vim.api.nvim_buf_get_lines(0, 0, -1, false), "\n")
  vim.cmd("bwipeout!")
  for _, want in ipairs({ "Neovim 0.", "Lua runtime: LuaJIT", "native core loaded: k2 ", "Lua 5.1 ABI",
    "facts", "SQLite 3.", "configuration valid" }) do
    assert(text:find(want, 1, true), "missing '" .. want .. "' in:\n" .. text)
  end
end)

case(":help k2 and every :K2 tag work after :helptags", function()
  vim.cmd("helptags " .. root .. "/doc")
  for _, tag in ipairs({ "k2", ":K2", ":K2-search", ":K2-fact", ":K2-sources", ":K2-dose", ":K2-timing",
    ":K2-check", ":K2-pk", "k2-hover", "<Plug>(k2-hover)", "k2-config", "k2.setup()", "k2-health",
    "k2-config-border", "k2-config-width", "k2-config-units", "k2-config-default_form" }) do
    vim.cmd("help " .. tag)
    assert(vim.fn.expand("%:t") == "k2.txt", tag)
    vim.cmd("helpclose")
  end
end)

case("errors: vim.notify at ERROR level with the usage line, never a traceback", function()
  for _, cmd in ipairs({ "K2 dose MK-7 age=abc", "K2 frob", "K2 pk MK-7", "K2 dose MK-9", "K2 check MK-7 lots",
    "K2 dose MK-7 weight=70", "K2 fact", "K2", "K2 pk MK-7 180ug every=0h days=3", "K2 dose MK-7 --age 40",
    "K2 dose MK-7 banana", "K2 timing MK-7 extra", "K2 check MK-7 100ug more", "K2 sources all" }) do
    run(cmd)
    local n = last_note()
    assert(n.level == vim.log.levels.ERROR, cmd .. ": level " .. tostring(n.level))
    assert(n.msg:find("usage: :K2", 1, true), cmd .. ": no usage line: " .. n.msg)
    assert(not n.msg:find("traceback", 1, true) and not n.msg:find("%.lua:%d+:"), cmd .. ": " .. n.msg)
    assert(vim.api.nvim_win_get_config(0).relative == "", cmd .. ": a float opened")
  end
end)

io.stdout:write(("nvim: %d passed, %d failed\n"):format(passed, failed))
vim.cmd(failed == 0 and "qall!" or "cquit 1")
