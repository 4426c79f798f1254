--- k2.nvim.hover: hover on the vitamin K term under the cursor, as LSP's K
--- does it: a float beside the word that does not take the focus, entered by
--- a second press, closed when the cursor moves, the text is edited or another
--- buffer is entered, and reused. The word is read UTF-8-aware ("µg",
--- "menaquinone-7", "phylloquinone," → without the comma) and is never longer
--- than MAX_BYTES, so a long line without spaces costs nothing.

local errors = require("k2.nvim.errors")
local float = require("k2.nvim.float")

local M = {}

local MAX_BYTES = 64 -- the longest term read; longer runs of letters are cut around the cursor
local HOVER_FACTS = 6 -- facts listed for a form
local GROUP = "k2_hover"

---------------------------------------------------------------- the word under the cursor

-- The code point starting at byte i of s, and its length (a stray byte reads as itself).
local function decode(s, i)
  local b = s:byte(i)
  if not b then return nil, 0 end
  local len = b >= 0xF0 and 4 or b >= 0xE0 and 3 or b >= 0xC0 and 2 or 1
  if len == 1 then return b, 1 end
  local cp = b % (2 ^ (7 - len))
  for k = 1, len - 1 do
    local c = s:byte(i + k)
    if not c or c < 0x80 or c > 0xBF then return b, 1 end
    cp = cp * 64 + c % 64
  end
  return cp, len
end

-- Letters, digits, '-' and '_' in any script; not spaces, punctuation,
-- symbols, arrows, box drawing or braille (U+00A0-U+00BF but µ, U+2000-U+2BFF,
-- U+3000-U+303F), nor × and ÷.
local function is_word(cp)
  if cp < 0x80 then
    local c = string.char(cp)
    return c:match("[%w_%-]") ~= nil
  end
  if cp == 0xB5 then return true end -- µ (micro sign), as in µg
  if cp >= 0xA0 and cp <= 0xBF then return false end
  if cp == 0xD7 or cp == 0xF7 then return false end
  if cp >= 0x2000 and cp <= 0x2BFF then return false end
  if cp >= 0x3000 and cp <= 0x303F then return false end
  return true
end

-- The start of the character that holds byte i (1-based).
local function char_start(s, i)
  while i > 1 do
    local b = s:byte(i)
    if b < 0x80 or b >= 0xC0 then break end
    i = i - 1
  end
  return i
end

--- word_at(line, col) → the term around byte col (0-based) of line, or "".
function M.word_at(line, col)
  if #line == 0 then return "" end
  local i = char_start(line, math.min(col + 1, #line))
  local cp = decode(line, i)
  if not cp or not is_word(cp) then return "" end
  local first, last = i, i + select(2, decode(line, i)) - 1
  while first > 1 do -- leftwards, a character at a time
    local p = char_start(line, first - 1)
    local c = decode(line, p)
    if not is_word(c) or last - p + 1 > MAX_BYTES then break end
    first = p
  end
  while last < #line do
    local c, len = decode(line, last + 1)
    if not is_word(c) or last + len - first + 1 > MAX_BYTES then break end
    last = last + len
  end
  return (line:sub(first, last):gsub("^[%-_]+", ""):gsub("[%-_]+$", ""))
end
M.MAX_BYTES = MAX_BYTES

local function word_under_cursor()
  local pos = vim.api.nvim_win_get_cursor(0)
  return M.word_at(vim.api.nvim_get_current_line(), pos[2])
end

---------------------------------------------------------------- what hover shows

-- The API's answer, or nil when it has none (nil, message).
local function answer_or_nil(f, ...)
  local ok, r = pcall(f, ...)
  if not ok then errors.fail(errors.plain(r)) end
  return r
end

--- render_for(term) → render(width) for the term, or nil when k2 doesn't know it.
function M.render_for(term)
  local lib = errors.lib()
  local form = answer_or_nil(lib.form, term)
  if form and form ~= "none" then
    local list = errors.call(lib.search, term, { limit = HOVER_FACTS })
    local head = ("%s — key facts (:K2 dose %s, :K2 timing %s, :K2 pk %s 180 ug)"):format(form, form, form, form)
    return function(width)
      local lines = list:lines(width)
      table.insert(lines, 1, head)
      return lines
    end, form
  end
  local check = answer_or_nil(lib.check, { form = "K", meds = { term } })
  if check and check.findings[1] and not check.findings[1].unknown then
    return function(width) return check:lines(width) end, term
  end
  return nil
end

---------------------------------------------------------------- the float

local function close()
  float.close("hover")
  pcall(vim.api.nvim_del_augroup_by_name, GROUP)
end
M.close = close

-- Closes the hover when the cursor leaves its place, the text changes or another buffer is entered.
local function close_on_move(src_win, src_buf, cursor)
  local group = vim.api.nvim_create_augroup(GROUP, { clear = true })
  vim.api.nvim_create_autocmd({ "CursorMoved", "CursorMovedI" }, { group = group, buffer = src_buf, callback = function()
    if not vim.api.nvim_win_is_valid(src_win) or vim.api.nvim_get_current_win() ~= src_win then return end
    local now = vim.api.nvim_win_get_cursor(src_win)
    if now[1] ~= cursor[1] or now[2] ~= cursor[2] then close() end
  end })
  vim.api.nvim_create_autocmd({ "InsertEnter", "TextChanged", "TextChangedI", "BufHidden" },
    { group = group, buffer = src_buf, callback = close })
  vim.api.nvim_create_autocmd({ "BufEnter", "WinClosed" }, { group = group, callback = function(ev)
    local here = vim.api.nvim_get_current_buf()
    if ev.event == "WinClosed" then
      if tonumber(ev.match) == src_win then close() end
    elseif here ~= src_buf and here ~= float.buf("hover") then
      close()
    end
  end })
end

--- hover(): facts about the term under the cursor; a second press enters the float.
function M.hover()
  local open = float.win("hover")
  if open then
    if vim.api.nvim_get_current_win() ~= open then vim.api.nvim_set_current_win(open) end
    return
  end
  local term = word_under_cursor()
  if term == "" then return errors.notify("no word under the cursor", vim.log.levels.INFO) end
  local render, title = M.render_for(term)
  if not render then
    return errors.notify(("no facts on '%s' (hover a form such as MK-7, or a medicine)"):format(term),
      vim.log.levels.INFO)
  end
  local src_win, src_buf = vim.api.nvim_get_current_win(), vim.api.nvim_get_current_buf()
  local cursor = vim.api.nvim_win_get_cursor(src_win)
  float.show("hover", render, { title = "k2 · " .. title, enter = false,
    place = { win = src_win, pos = { cursor[1] - 1, cursor[2] } } })
  close_on_move(src_win, src_buf, cursor)
end

return M
