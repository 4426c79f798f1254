--- k2.nvim.float: the floats that show k2's answers. One float per kind
--- ("result" for :K2 answers, "hover" for hover), reused: a second answer
--- replaces the first in the same window and buffer. The text is a result's
--- lines(width) for the float's real width (the editor's columns less the
--- border and a margin, at most the configured width); the height is the
--- number of screen lines those lines take; both are computed again, and the
--- float re-centred, on VimResized. A title is the window's `title` where
--- the running Neovim has it (0.9+, with a border), else a header line.
--- Sizes are screen columns and lines, never health figures.

local config = require("k2.nvim.config")

local M = {}

local MARGIN = 2 -- columns (and lines) left free on each side of a float beyond its border
local MIN_TEXT = 20 -- the narrowest a result lays itself out in (args.calls.lines width min)
local NS = vim.api.nvim_create_namespace("k2_float")
local TITLE_OPTION = vim.fn.has("nvim-0.9") == 1

-- kind → { buf, win, render, title, place = "center" | {win=, pos=} }
local floats = {}

local function border_cells(border)
  if border == "none" then return 0 end
  if type(border) == "table" then
    -- a border list whose every item is empty draws nothing
    local drawn = false
    for _, item in ipairs(border) do
      local char = type(item) == "table" and item[1] or item
      if char ~= "" then drawn = true end
    end
    return drawn and 2 or 0
  end
  return 2
end

--- text_width() → the columns a float's text is laid out in, for the editor as it is now.
function M.text_width()
  local cfg = config.get()
  local room = vim.o.columns - border_cells(cfg.border) - 2 * MARGIN
  return math.max(MIN_TEXT, math.min(cfg.width, room))
end

-- The lines for a width, with the configured units.
local function rendered(render, width)
  local lines = render(width)
  if config.get().units == "mcg" then
    for i, l in ipairs(lines) do lines[i] = (l:gsub("µg", "mcg")) end
  end
  return lines
end

-- Widths are nvim_strwidth: strdisplaywidth would count the current window's
-- 'linebreak' padding (a narrow float being resized reads its lines as wider).

-- The screen lines `lines` take in a window of `width` columns that wraps.
local function screen_height(lines, width)
  local n = 0
  for _, l in ipairs(lines) do n = n + math.max(1, math.ceil(vim.api.nvim_strwidth(l) / width)) end
  return n
end

local function widest(lines, at_least)
  local w = at_least or 1
  for _, l in ipairs(lines) do w = math.max(w, vim.api.nvim_strwidth(l)) end
  return w
end

local function set_lines(buf, lines)
  vim.bo[buf].modifiable = true
  vim.api.nvim_buf_set_lines(buf, 0, -1, false, lines)
  vim.bo[buf].modifiable = false
  vim.bo[buf].modified = false
end

-- The buffer of a kind, made once (kept hidden between uses).
local function buffer_of(kind)
  local f = floats[kind]
  if f.buf and vim.api.nvim_buf_is_valid(f.buf) then return f.buf end
  local buf = vim.api.nvim_create_buf(false, true)
  vim.bo[buf].bufhidden = "hide"
  vim.bo[buf].swapfile = false
  for _, key in ipairs({ "q", "<Esc>" }) do
    vim.keymap.set("n", key, function() M.close(kind) end, { buffer = buf, nowait = true, desc = "k2: close" })
  end
  vim.bo[buf].filetype = "k2"
  f.buf = buf
  return buf
end

-- The window options of a k2 float.
local function style_window(win)
  local hl = "Normal:K2Normal,NormalFloat:K2Normal,FloatBorder:K2Border"
  if TITLE_OPTION then hl = hl .. ",FloatTitle:K2Title" end
  vim.wo[win].winhighlight = hl
  vim.wo[win].wrap = true
  vim.wo[win].linebreak = true -- a line too long for the float breaks between words
  vim.wo[win].cursorline = false
  vim.wo[win].spell = false
end

-- The float's config and its buffer's lines for the editor's size now.
local function layout(f)
  local cfg = config.get()
  local border = border_cells(cfg.border)
  local text = M.text_width()
  local lines = rendered(f.render, text)
  local title_text = f.title and (" " .. f.title .. " ") or nil
  local header = f.title and not (TITLE_OPTION and border > 0)
  if header then table.insert(lines, 1, f.title) end
  local room_w = math.max(1, vim.o.columns - border)
  local width = math.min(room_w, math.max(widest(lines, 1), title_text and vim.api.nvim_strwidth(title_text) or 1))
  local room_h = math.max(1, vim.o.lines - vim.o.cmdheight - border - 2 * MARGIN)
  local win_cfg = { width = width, border = cfg.border, style = "minimal", focusable = true }
  if title_text and not header then win_cfg.title, win_cfg.title_pos = title_text, "center" end
  if f.place == "center" then
    local height = math.min(room_h, screen_height(lines, width))
    win_cfg.relative, win_cfg.height = "editor", height
    win_cfg.row = math.max(0, math.floor((vim.o.lines - vim.o.cmdheight - height - border) / 2))
    win_cfg.col = math.max(0, math.floor((vim.o.columns - width - border) / 2))
  else
    -- beside the word: below it when it fits, else where there is more room
    local at = f.place
    local winline = vim.api.nvim_win_call(at.win, function() return vim.fn.winline() end)
    local screen_row = vim.fn.win_screenpos(at.win)[1] + winline - 1
    local below = vim.o.lines - vim.o.cmdheight - screen_row - border
    local above = screen_row - 1 - border
    local need = screen_height(lines, width)
    local down = need <= below or below >= above
    win_cfg.relative, win_cfg.win, win_cfg.bufpos = "win", at.win, at.pos
    win_cfg.height = math.max(1, math.min(need, down and below or above))
    win_cfg.anchor, win_cfg.row, win_cfg.col = down and "NW" or "SW", down and 1 or 0, 0
  end
  return win_cfg, lines, header
end

local function paint(f, lines, header)
  set_lines(f.buf, lines)
  vim.api.nvim_buf_clear_namespace(f.buf, NS, 0, -1)
  if header then vim.api.nvim_buf_add_highlight(f.buf, NS, "K2Title", 0, 0, -1) end
end

--- is_open(kind) → the window of the kind's float, or nil.
function M.win(kind)
  local f = floats[kind]
  if f and f.win and vim.api.nvim_win_is_valid(f.win) then return f.win end
  return nil
end

function M.buf(kind) return floats[kind] and floats[kind].buf end

--- show(kind, render, {title=, enter=, place=}) → win: opens the kind's float,
--- or fills and moves the one already open. render(width) → lines.
--- place: "center", or {win=, pos={row0, col0}} for a float beside the word at the cursor of win.
function M.show(kind, render, opts)
  floats[kind] = floats[kind] or {}
  local f = floats[kind]
  f.render, f.title, f.place = render, opts.title, opts.place or "center"
  local buf = buffer_of(kind)
  local win_cfg, lines, header = layout(f)
  paint(f, lines, header)
  if M.win(kind) then
    if not TITLE_OPTION then win_cfg.title, win_cfg.title_pos = nil, nil end
    vim.api.nvim_win_set_config(f.win, win_cfg)
    vim.api.nvim_win_set_cursor(f.win, { 1, 0 })
    if opts.enter then vim.api.nvim_set_current_win(f.win) end
  else
    f.win = vim.api.nvim_open_win(buf, opts.enter and true or false, win_cfg)
    style_window(f.win)
  end
  return f.win
end

--- close(kind): closes the kind's float (its buffer is kept for the next one).
function M.close(kind)
  local win = M.win(kind)
  if win then pcall(vim.api.nvim_win_close, win, true) end
end

--- relayout(): every open float laid out again for the editor's size (VimResized).
function M.relayout()
  for kind, f in pairs(floats) do
    if M.win(kind) then
      if f.place ~= "center" and not vim.api.nvim_win_is_valid(f.place.win) then
        M.close(kind)
      else
        local win_cfg, lines, header = layout(f)
        paint(f, lines, header)
        vim.api.nvim_win_set_config(f.win, win_cfg)
      end
    end
  end
end

return M
