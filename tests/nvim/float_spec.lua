-- float_spec.lua — the answer float: laid out at its real width from the
-- result's lines(width) (an 80-column UI gives 76 columns of text inside a
-- rounded border), as high as those lines, centred; laid out again and
-- re-centred on VimResized; one float reused for every answer; a title (the
-- title option on 0.9+, a K2Title header line on 0.7); :K2 pk plots sized to it.
local t = ...
vim.cmd("runtime! plugin/k2.lua")
local TITLE_OPTION = vim.fn.has("nvim-0.9") == 1

local function lines() return vim.api.nvim_buf_get_lines(0, 0, -1, false) end

-- The float's text fits it: no line wider than the window, the height is the line count, centred.
local function assert_laid_out(what)
  local win = vim.api.nvim_get_current_win()
  local cfg = vim.api.nvim_win_get_config(win)
  local width, height = vim.api.nvim_win_get_width(win), vim.api.nvim_win_get_height(win)
  local all = lines()
  for _, l in ipairs(all) do
    assert(vim.api.nvim_strwidth(l) <= width, ("%s: %d columns in a %d-column float: %s"):format(what,
      vim.api.nvim_strwidth(l), width, l))
  end
  local room = vim.o.lines - vim.o.cmdheight - 2 - 4
  assert(height == math.min(#all, room), ("%s: height %d for %d lines"):format(what, height, #all))
  local col, row = t.num(cfg.col), t.num(cfg.row)
  assert(math.abs(col - (vim.o.columns - width - 2) / 2) <= 1, ("%s: col %d, width %d of %d"):format(what, col,
    width, vim.o.columns))
  assert(math.abs(row - (vim.o.lines - vim.o.cmdheight - height - 2) / 2) <= 1, ("%s: row %d"):format(what, row))
  return width, height
end

t.case("in an 80-column UI the text is laid out at 76 columns and fills them", function()
  vim.o.columns = 80
  t.run("K2 timing K1")
  local width = assert_laid_out(":K2 timing K1")
  assert(width <= 76 and width >= 70, "float width " .. width)
  local widest = 0
  for _, l in ipairs(lines()) do widest = math.max(widest, vim.api.nvim_strwidth(l)) end
  assert(widest >= 70, "the text is wrapped short of the float: widest line " .. widest)
  vim.o.columns = 120
end)

t.case("a resize lays the float out again and re-centres it", function()
  vim.o.columns, vim.o.lines = 120, 50
  t.run("K2 dose MK-7 age=40")
  local win = vim.api.nvim_get_current_win()
  local w1 = assert_laid_out("at 120")
  local n1 = #lines()
  vim.o.columns = 60
  vim.cmd("doautocmd VimResized")
  assert(vim.api.nvim_get_current_win() == win, "a new window after the resize")
  local w2 = assert_laid_out("at 60")
  assert(w2 <= 56 and w2 < w1 and #lines() > n1, ("width %d → %d, lines %d → %d"):format(w1, w2, n1, #lines()))
  vim.o.columns, vim.o.lines = 120, 20
  vim.cmd("doautocmd VimResized")
  local w3 = assert_laid_out("at 120×20")
  -- back from narrow to wide with the float focused: as wide as before (a width read
  -- through the narrow window's 'linebreak' came out wider than the text)
  assert(w3 == w1, ("width %d at 120 columns, %d after 60"):format(w1, w3))
  vim.o.lines = 50
end)

t.case("one float for every answer: dose, timing and check reuse it", function()
  t.run("K2 dose MK-7")
  local win, buf = vim.api.nvim_get_current_win(), vim.api.nvim_get_current_buf()
  vim.cmd("K2 timing MK-7")
  vim.cmd("K2 check MK-7 100ug")
  assert(#t.floats() == 1, #t.floats() .. " floats")
  assert(vim.api.nvim_get_current_win() == win and vim.api.nvim_get_current_buf() == buf, "not reused")
  assert(table.concat(lines(), "\n"):find("check MK-7", 1, true))
  assert_laid_out("reused")
  vim.cmd("normal q")
  assert(#t.floats() == 0, "q did not close it")
  vim.cmd("K2 fact seed.mk7.tmax")
  assert(vim.api.nvim_get_current_buf() == buf, "the buffer is made again")
end)

t.case("the float has a title: the title option where Neovim has it, else a K2Title header line", function()
  t.run("K2 timing MK-7")
  local cfg = vim.api.nvim_win_get_config(0)
  if TITLE_OPTION then
    assert(vim.inspect(cfg.title):find("k2 timing MK-7", 1, true), vim.inspect(cfg.title))
  else
    assert(lines()[1] == "k2 timing MK-7", lines()[1])
    local ns = vim.api.nvim_create_namespace("k2_float")
    local marks = vim.api.nvim_buf_get_extmarks(0, ns, { 0, 0 }, { 0, -1 }, { details = true })
    assert(#marks == 1 and marks[1][4].hl_group == "K2Title", vim.inspect(marks))
  end
  assert(vim.wo.winhighlight:find("NormalFloat:K2Normal", 1, true) and vim.wo.winhighlight:find("FloatBorder:K2Border",
    1, true), vim.wo.winhighlight)
  assert(vim.bo.filetype == "k2")
end)

t.case(":K2 pk draws a plot sized to the float and redraws it on resize", function()
  t.run("K2 pk MK-7 180 ug every=24h days=30")
  local text = table.concat(lines(), "\n")
  assert(text:find("┤", 1, true) and text:find("Cmax", 1, true), text)
  assert(text:find("not medical advice", 1, true) and text:find("warfarin", 1, true), "no notice")
  assert(not text:find("k2.conflict(", 1, true), "the float names a Lua call")
  local before = assert_laid_out("pk")
  vim.o.columns = 70
  vim.cmd("doautocmd VimResized")
  local after = assert_laid_out("pk at 70")
  local plotted = 0
  for _, l in ipairs(lines()) do if l:find("┤", 1, true) or l:find("│", 1, true) then plotted = plotted + 1 end end
  assert(plotted > 0 and after < before, ("plot rows %d, width %d → %d"):format(plotted, before, after))
  -- a low editor gets a lower plot, so the metrics under it stay in sight
  vim.o.lines = 24
  vim.cmd("doautocmd VimResized")
  local low = 0
  for _, l in ipairs(lines()) do if l:find("┤", 1, true) or l:find("│", 1, true) then low = low + 1 end end
  assert(low > 0 and low < plotted, ("plot rows %d at 50 lines, %d at 24"):format(plotted, low))
  assert_laid_out("pk at 24 lines")
  vim.o.columns, vim.o.lines = 120, 50
  t.run("K2 pk MK-4 180ug compare=MK-7 duration=3d")
  local cmp = table.concat(lines(), "\n")
  local _, axes = cmp:gsub("└", "")
  assert(cmp:find("(dotted)", 1, true) and axes == 1, "plots in the compare float: " .. axes)
end)
