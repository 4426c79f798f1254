-- tests/nvim/run.lua — runs every tests/nvim/*_spec.lua, each in its own
-- child headless Neovim (LuaJIT, Lua 5.1 ABI) with the checkout on the
-- runtimepath as a plugin manager puts it there, so no spec sees what
-- another loaded or configured. vim.notify is captured (no prompts, and
-- error paths can be asserted); the editor is 120×50.
-- A spec is a chunk called with the helpers `t` (t.case, t.run, t.float_text,
-- t.close_floats, t.floats, t.num, t.last_note, t.clear_notes, t.notes, t.root).
-- Run from the top of the checkout:
--   nvim --headless -u NONE -i NONE -c "luafile tests/nvim/run.lua"
-- Prints one line per case, then "nvim: N passed, N failed"; exits 0 or 1.
local root = vim.fn.getcwd()
local COUNTS = "(%d+) passed, (%d+) failed"

---------------------------------------------------------------- child: one spec

local function helpers(state)
  local t = { root = root, builtin_notify = state.builtin_notify }
  function t.case(name, fn)
    local ok, err = pcall(fn)
    if ok then state.passed = state.passed + 1 else state.failed = state.failed + 1 end
    io.stdout:write(("%s %s%s\n"):format(ok and "ok  " or "FAIL", name, ok and "" or (": " .. tostring(err))))
  end
  function t.clear_notes() state.notes = {} end
  function t.notes() return state.notes end
  function t.last_note() return state.notes[#state.notes] or { msg = "" } end
  function t.close_floats()
    for _, w in ipairs(vim.api.nvim_list_wins()) do
      if vim.api.nvim_win_get_config(w).relative ~= "" then vim.api.nvim_win_close(w, true) end
    end
  end
  -- The text of the focused float (an error when no float has the focus).
  function t.float_text()
    assert(vim.api.nvim_win_get_config(0).relative ~= "", "no float is focused; last note: " .. t.last_note().msg)
    return table.concat(vim.api.nvim_buf_get_lines(0, 0, -1, false), "\n")
  end
  -- The floating windows open now.
  function t.floats()
    return vim.tbl_filter(function(w) return vim.api.nvim_win_get_config(w).relative ~= "" end,
      vim.api.nvim_list_wins())
  end
  -- A row or col of nvim_win_get_config (a table {[false] = n} on 0.7, a number later).
  function t.num(x) return type(x) == "table" and x[false] or x end
  -- Runs an Ex command with no float open and no notes kept.
  function t.run(cmd)
    t.clear_notes()
    t.close_floats()
    vim.cmd(cmd)
  end
  return t
end

local function run_spec(path)
  vim.opt.rtp:prepend(root)
  package.path = "" -- only the runtimepath loader may find k2 (no ./?.lua shortcut)
  vim.o.columns, vim.o.lines = 120, 50
  local state = { passed = 0, failed = 0, notes = {} }
  state.builtin_notify = vim.notify
  vim.notify = function(msg, level) state.notes[#state.notes + 1] = { msg = msg, level = level } end
  local t = helpers(state)
  local chunk, err = loadfile(path)
  if chunk then
    local ok, e = pcall(chunk, t)
    if not ok then t.case(path .. " runs to its end", function() error(e, 0) end) end
  else
    t.case(path .. " loads", function() error(err, 0) end)
  end
  io.stdout:write(("%s: %d passed, %d failed\n"):format(path, state.passed, state.failed))
  vim.cmd(state.failed == 0 and "qall!" or "cquit 1")
end

---------------------------------------------------------------- parent: every spec

local function run_all()
  local passed, failed = 0, 0
  for _, path in ipairs(vim.fn.sort(vim.fn.glob("tests/nvim/*_spec.lua", false, true))) do
    local out = vim.fn.system({ vim.v.progpath, "--headless", "-u", "NONE", "-i", "NONE",
      "-c", "lua K2_SPEC = " .. vim.inspect(path), "-c", "luafile tests/nvim/run.lua" })
    local code = vim.v.shell_error
    io.stdout:write(out)
    local p, f = out:match(".*" .. COUNTS)
    p, f = tonumber(p) or 0, tonumber(f) or 0
    -- a child that died before counting, or exited badly with nothing failed, is one failure
    if code ~= 0 and f == 0 then
      f = 1
      io.stdout:write(("FAIL %s: the child Neovim exited with %d\n"):format(path, code))
    end
    passed, failed = passed + p, failed + f
  end
  if passed + failed == 0 then failed = 1 end -- no spec found: the suite proves nothing
  io.stdout:write(("nvim: %d passed, %d failed\n"):format(passed, failed))
  vim.cmd(failed == 0 and "qall!" or "cquit 1")
end

local spec = rawget(_G, "K2_SPEC")
if spec then run_spec(spec) else run_all() end
