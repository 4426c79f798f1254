-- float_spec.lua — :K2 pk floats: a plot sized to the editor, redrawn on
-- resize, one plot for compare, the notice at the end, no line wider than
-- the float.
local t = ...
vim.cmd("runtime! plugin/k2.lua")

t.case(":K2 pk draws a plot sized to the editor and redraws on resize", function()
  t.run("K2 pk MK-7 180ug every=24h days=30")
  local text = t.float_text()
  assert(text:find("┤", 1, true) and text:find("Cmax", 1, true), text)
  local before = vim.api.nvim_win_get_width(0)
  vim.o.columns = 70
  vim.cmd("doautocmd VimResized")
  local after = vim.api.nvim_win_get_width(0)
  local plotted = 0 -- the redrawn float must still hold a plot, or the width check below checks nothing
  for _, l in ipairs(vim.api.nvim_buf_get_lines(0, 0, -1, false)) do
    if l:find("┤", 1, true) or l:find("│", 1, true) then
      plotted = plotted + 1
      assert(vim.fn.strdisplaywidth(l) <= 64, l)
    end
  end
  assert(plotted > 0, "no plot after the resize")
  assert(after < before, ("width %d → %d"):format(before, after))
  vim.o.columns = 120
  t.run("K2 pk MK-4 180ug compare=MK-7 duration=3d")
  local cmp = t.float_text()
  assert(cmp:find("(dotted)", 1, true))
  local _, axes = cmp:gsub("└", "")
  assert(axes == 1, "plots in the compare float: " .. axes)
end)

t.case(":K2 pk floats end with the notice, and no line is wider than the float", function()
  for _, cmd in ipairs({ "K2 pk MK-7 180ug every=24h days=30", "K2 pk MK-4 180ug compare=MK-7" }) do
    t.run(cmd)
    local text, width = t.float_text(), vim.api.nvim_win_get_width(0)
    assert(text:find("not medical advice", 1, true) and text:find("warfarin", 1, true), cmd .. ": no notice")
    for _, l in ipairs(vim.api.nvim_buf_get_lines(0, 0, -1, false)) do
      assert(vim.fn.strdisplaywidth(l) <= width, ("%s: %d columns in a %d-column float: %s"):format(cmd,
        vim.fn.strdisplaywidth(l), width, l))
    end
  end
end)

t.case("every float is laid out again for its width when the editor is resized", function()
  t.run("K2 dose MK-7 age=40")
  local wide = #vim.api.nvim_buf_get_lines(0, 0, -1, false)
  vim.o.columns = 50
  vim.cmd("doautocmd VimResized")
  local width, lines = vim.api.nvim_win_get_width(0), vim.api.nvim_buf_get_lines(0, 0, -1, false)
  vim.o.columns = 120
  assert(width <= 46, "float width " .. width .. " in a 50-column editor")
  assert(#lines > wide, ("%d lines at 120 columns, %d at 50: not laid out again"):format(wide, #lines))
  for _, l in ipairs(lines) do
    assert(vim.fn.strdisplaywidth(l) <= width, ("%d columns in a %d-column float: %s"):format(
      vim.fn.strdisplaywidth(l), width, l))
  end
end)
