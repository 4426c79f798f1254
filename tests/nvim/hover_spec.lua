-- hover_spec.lua — hover like LSP's K: a float beside the word that keeps
-- the focus in the text, a second press enters it, it closes when the cursor
-- moves, the text changes or another buffer is entered, one hover float
-- reused; the word is read UTF-8-aware ("µg") with a bounded length.
local t = ...
vim.cmd("runtime! plugin/k2.lua")
local nv, hover = require("k2.nvim"), require("k2.nvim.hover")

local buf = vim.api.nvim_create_buf(true, false)
local function text_at(line, col)
  t.close_floats()
  vim.api.nvim_set_current_buf(buf)
  vim.api.nvim_buf_set_lines(buf, 0, -1, false, { line })
  vim.api.nvim_win_set_cursor(0, { 1, col })
  t.clear_notes()
end
local function hover_win()
  local floats = t.floats()
  assert(#floats <= 1, #floats .. " floats")
  return floats[1]
end

t.case("the word under the cursor: UTF-8, punctuation stripped, bounded", function()
  local line = "take 180 µg of (MK-7), or menaquinone-7. K1—MK-4 ×2 phylloquinone"
  local function word(needle, offset) return hover.word_at(line, line:find(needle, 1, true) - 1 + (offset or 0)) end
  assert(word("µg") == "µg" and word("µg", 2) == "µg", word("µg", 2)) -- on µ (2 bytes) and on g
  assert(word("MK-7") == "MK-7" and word("MK-7", 3) == "MK-7" and word("(MK") == "", word("(MK"))
  assert(word("menaquinone-7") == "menaquinone-7", word("menaquinone-7"))
  assert(word("K1—") == "K1" and word("MK-4") == "MK-4", word("K1—"))
  assert(word("×") == "" and word(" of") == "", word("×"))
  local long = ("a"):rep(5000)
  assert(#hover.word_at(long, 2500) <= hover.MAX_BYTES, #hover.word_at(long, 2500))
  assert(#hover.word_at(("µ"):rep(3000), 3001) <= hover.MAX_BYTES)
end)

t.case("hover opens beside the word without the focus; a second press enters it", function()
  text_at("I take (MK-7) daily", 9)
  local src = vim.api.nvim_get_current_win()
  nv.hover()
  local win = hover_win()
  assert(win, "no hover float; note: " .. t.last_note().msg)
  assert(vim.api.nvim_get_current_win() == src, "hover took the focus")
  local cfg = vim.api.nvim_win_get_config(win)
  assert(cfg.relative == "win" and cfg.win == src, vim.inspect(cfg))
  local text = table.concat(vim.api.nvim_buf_get_lines(vim.api.nvim_win_get_buf(win), 0, -1, false), "\n")
  assert(text:find("MK-7 — key facts", 1, true), text)
  assert(vim.api.nvim_strwidth(vim.api.nvim_buf_get_lines(vim.api.nvim_win_get_buf(win), 0, 1, false)[1])
    <= vim.api.nvim_win_get_width(win))
  nv.hover()
  assert(vim.api.nvim_get_current_win() == win, "the second press did not enter the hover")
  assert(#t.floats() == 1)
  vim.cmd("normal q")
  assert(#t.floats() == 0 and vim.api.nvim_get_current_win() == src)
end)

t.case("hover closes when the cursor moves, the text changes or another buffer is entered", function()
  text_at("MK-7 and warfarin together", 1)
  nv.hover()
  assert(hover_win(), "no hover")
  vim.cmd("doautocmd CursorMoved") -- the cursor has not moved: it stays
  assert(hover_win(), "closed without a move")
  vim.api.nvim_win_set_cursor(0, { 1, 12 })
  vim.cmd("doautocmd CursorMoved")
  assert(not hover_win(), "still open after the cursor moved")
  nv.hover()
  assert(hover_win() and table.concat(vim.api.nvim_buf_get_lines(vim.api.nvim_win_get_buf(hover_win()), 0, -1,
    false), "\n"):find("WARNING", 1, true), "no check for warfarin")
  vim.cmd("doautocmd TextChanged")
  assert(not hover_win(), "still open after the text changed")
  nv.hover()
  assert(hover_win(), "no hover")
  local other = vim.api.nvim_create_buf(true, false)
  vim.api.nvim_set_current_buf(other)
  assert(not hover_win(), "still open in another buffer")
  vim.api.nvim_set_current_buf(buf)
  vim.api.nvim_win_set_cursor(0, { 1, 1 })
  nv.hover()
  assert(hover_win(), "no hover after coming back")
end)

t.case("hover reuses its buffer; unknown words and blanks are an INFO note", function()
  text_at("MK-7 K1", 1)
  nv.hover()
  local hb = vim.api.nvim_win_get_buf(hover_win())
  vim.api.nvim_win_set_cursor(0, { 1, 5 })
  vim.cmd("doautocmd CursorMoved")
  nv.hover()
  assert(vim.api.nvim_win_get_buf(hover_win()) == hb, "a new buffer for the second hover")
  text_at("hello there", 1)
  nv.hover()
  assert(not hover_win(), "a float for 'hello'")
  assert(t.last_note().level == vim.log.levels.INFO and t.last_note().msg:find("no facts on 'hello'",
    1, true), t.last_note().msg)
  text_at("a   b", 2)
  nv.hover()
  assert(t.last_note().msg == "k2: no word under the cursor", t.last_note().msg)
  assert(vim.fn.maparg("<Plug>(k2-hover)", "n") ~= "", "<Plug>(k2-hover) missing")
end)
