--- k2.plot: terminal plots of curves over time, in Unicode braille (2×4
--- dots a character cell) or, with `ascii = true`, in plain ASCII. Several
--- series share the canvas: the first is drawn solid, the second dotted, the
--- third sparser, so they stay apart without colour; `color = true` adds ANSI
--- colours. Axes carry ticks, numbers and units; a legend names each series.
--- Also an SVG export with the same content, for reports.
---
--- Numbers are formatted by the core (locale-independent). Times: hours up
--- to 3 days, days beyond.

local core = require("k2.core")
local plot = {}
-- Lua 5.1 has math.log10 and ignores a base argument to math.log.
local log10 = rawget(math, "log10") or function(x) return math.log(x, 10) end

local COLORS = { "\27[34m", "\27[31m", "\27[32m", "\27[35m" }
local RESET = "\27[0m"
local ASCII_MARKS = { "*", "o", "+", "#" }
local STYLE_NAMES = { "solid", "dotted", "sparse", "sparser" }
-- Braille dot bits for (column 0..1, row 0..3) within a cell.
local BITS = { [0] = { [0] = 1, 2, 4, 64 }, [1] = { [0] = 8, 16, 32, 128 } }

local function num(x)
  local a = math.abs(x)
  local d = a == 0 and 0 or math.max(0, math.min(6, 2 - math.floor(log10(a))))
  return core.format_number(x, d)
end

local function braille(bits)
  -- U+2800 + bits, as UTF-8.
  return string.char(0xE2, 0xA0 + math.floor(bits / 64), 0x80 + bits % 64)
end

--- Nice tick step for a span (1, 2 or 5 × 10^k).
local function tick_step(span, ticks)
  local raw = span / ticks
  local mag = 10 ^ math.floor(log10(raw))
  for _, m in ipairs({ 1, 2, 5, 10 }) do
    if raw <= m * mag then return m * mag end
  end
  return 10 * mag
end

-- The top of the y axis and its tick step: the highest value (a curve's,
-- or a study point's) rounded up to a round step, so every label is round.
local function y_scale(o, ticks)
  local ymax = 0
  for _, s in ipairs(o.series) do
    for _, v in ipairs(s.hi or s.values) do if v > ymax then ymax = v end end
  end
  for _, p in ipairs(o.points or {}) do if p.v > ymax then ymax = p.v end end
  if ymax <= 0 then return 1, 0.5 end
  local step = tick_step(ymax, ticks)
  return math.ceil(ymax / step - 1e-9) * step, step
end

-- A study point's marker, and how the legend names it.
local POINT_MARK, ASCII_POINT_MARK = "●", "@"

local function time_unit(t1)
  if t1 > 72 then return 24, "d" end
  return 1, "h"
end

-- Marks series k on the dot grid (px columns × py rows). A series gives
-- `values` (one per column) or `lo`/`hi` (the swing within each column);
-- consecutive columns are joined so the line has no gaps.
local function draw_series(grid, s, k, px, py, ymax)
  local hi_v, lo_v = s.hi or s.values, s.lo or s.values
  local prev_lo, prev_hi
  for x = 0, px - 1 do
    local i = math.floor(x * (#hi_v - 1) / math.max(1, px - 1) + 0.5) + 1
    local function row(v) return math.max(0, math.min(py - 1, math.floor(v / ymax * (py - 1) + 0.5))) end
    local lo, hi = row(lo_v[i]), row(hi_v[i])
    local a, b = lo, hi
    if prev_hi and k == 1 then a, b = math.min(a, prev_hi), math.max(b, prev_lo) end
    if (x % k) == 0 then -- series k keeps every k-th column: solid, dotted, sparse
      for yy = math.min(a, lo), math.max(b, hi) do
        local key = yy * px + x
        grid[key] = grid[key] or k
      end
    end
    prev_lo, prev_hi = lo, hi
  end
end

local function render_cells(grid, w, h, px, py, opts)
  local rows = {}
  for row = 0, h - 1 do
    local cells = {}
    for col = 0, w - 1 do
      local bits, owner = 0, nil
      for dx = 0, 1 do
        for dy = 0, 3 do
          local x, y = col * 2 + dx, (py - 1) - (row * 4 + dy)
          local k = grid[y * px + x]
          if k then bits = bits + BITS[dx][dy]; owner = owner or k end
        end
      end
      local ch = bits == 0 and " " or braille(bits)
      if opts.ascii then ch = owner and ASCII_MARKS[(owner - 1) % 4 + 1] or " " end
      if opts.color and owner then ch = COLORS[(owner - 1) % 4 + 1] .. ch .. RESET end
      cells[#cells + 1] = ch
    end
    rows[#rows + 1] = cells
  end
  return rows
end

local BOX = { corner = "└", line = "─", tick = "┬", top = "┤", side = "│" }
local ASCII_BOX = { corner = "+", line = "-", tick = "+", top = "+", side = "|" }

local function x_axis(width, t0, t1, label_w, box)
  local scale, unit = time_unit(t1)
  local span = (t1 - t0) / scale
  local step = tick_step(span, math.max(2, math.floor(width / 12)))
  local line, labels = {}, {}
  for i = 1, width do line[i] = box.line; labels[i] = " " end
  local v, last, used = math.ceil(t0 / scale / step) * step, nil, 0
  local function mark(value, col)
    local text = num(value)
    local at = math.min(col, width - #text + 1) -- a label at the right edge moves left to fit
    if at <= used + 1 and used > 0 then return end -- no room: it would touch the label before it
    line[col] = box.tick
    for j = 1, #text do labels[at + j - 1] = text:sub(j, j) end
    used = at + #text - 1
  end
  while v <= t1 / scale + 1e-9 do
    mark(v, math.floor((v * scale - t0) / (t1 - t0) * (width - 1) + 0.5) + 1)
    last = v
    v = v + step
  end
  -- the end of the run is labelled too, when the ticks stop short of it and it fits
  if not last or last < t1 / scale - 1e-9 then mark(t1 / scale, width) end
  local pad = string.rep(" ", label_w)
  for i = 1, #labels do labels[i] = labels[i] or " " end
  return pad .. box.corner .. table.concat(line) .. "\n" .. pad .. " " .. table.concat(labels),
    unit == "d" and "days" or "hours"
end

--- plot.lines{series = {{name=, values=}, ...}, t0=, t1=, unit=, width=, height=, ascii=, color=, title=}
function plot.lines(o)
  local width, height = o.width or 72, o.height or 12
  local label_w = 9
  local w = math.max(10, width - label_w - 1)
  local px, py = w * 2, height * 4
  local ymax, ystep = y_scale(o, math.max(2, math.floor(height / 2)))
  local grid = {}
  for k, s in ipairs(o.series) do draw_series(grid, s, k, px, py, ymax) end
  local rows = render_cells(grid, w, height, px, py, o)
  local box = o.ascii and ASCII_BOX or BOX
  -- the cell row (1 = top) that value v falls in
  local function row_of(v) return height - math.floor(math.floor(v / ymax * (py - 1) + 0.5) / 4) end
  local t0 = o.t0 or 0
  for _, p in ipairs(o.points or {}) do
    if p.t >= t0 and p.t <= o.t1 then
      local col = math.floor(math.floor((p.t - t0) / (o.t1 - t0) * (px - 1) + 0.5) / 2) + 1
      rows[row_of(p.v)][col] = o.ascii and ASCII_POINT_MARK or POINT_MARK
    end
  end
  local labels = {}
  for k = 0, math.floor(ymax / ystep + 1e-9) do
    local r = row_of(k * ystep)
    if not labels[r] and not labels[r - 1] and not labels[r + 1] then labels[r] = num(k * ystep) end
  end
  local out = {}
  if o.title then out[#out + 1] = o.title end
  for r, cells in ipairs(rows) do
    out[#out + 1] = ("%" .. (label_w - 1) .. "s %s"):format(labels[r] or "", labels[r] and box.top or box.side)
      .. table.concat(cells)
  end
  local axis, time_unit_name = x_axis(w, o.t0 or 0, o.t1, label_w - 1, box)
  out[#out + 1] = axis
  local legend = {}
  for k, s in ipairs(o.series) do
    local mark = o.ascii and ASCII_MARKS[(k - 1) % 4 + 1] or STYLE_NAMES[(k - 1) % 4 + 1]
    legend[#legend + 1] = ("%s (%s)"):format(s.name, mark)
  end
  -- The legend wraps to the plot's width.
  local words, line = {}, string.rep(" ", label_w)
  for _, p in ipairs(o.points or {}) do
    legend[#legend + 1] = ("%s %s"):format(o.ascii and ASCII_POINT_MARK or POINT_MARK, p.label)
  end
  if o.points_note then legend[#legend + 1] = o.points_note end
  local text = ("time in %s; level %s%s%s"):format(time_unit_name, o.unit or "", o.ascii and " - " or " — ",
    table.concat(legend, ", "))
  for word in text:gmatch("%S+") do words[#words + 1] = word end
  local function length(s) return select(2, s:gsub("[^\128-\191]", "")) end
  for _, word in ipairs(words) do
    if length(line) + 1 + length(word) > width and length(line) > label_w then
      out[#out + 1] = line
      line = string.rep(" ", label_w) .. word
    else
      line = line .. (length(line) > label_w and " " or "") .. word
    end
  end
  out[#out + 1] = line
  local rendered = table.concat(out, "\n")
  if o.ascii then rendered = rendered:gsub("\194\181", "u"):gsub("\195\151", "x") end
  return rendered
end

local function xml(s)
  return (tostring(s):gsub("&", "&amp;"):gsub("<", "&lt;"):gsub(">", "&gt;"):gsub('"', "&quot;"))
end

-- An estimate of the width (px) of text in the SVG's 12 px sans-serif: what
-- the layout keeps inside the canvas (and what tests measure text boxes by).
local SVG_CHAR_PX, SVG_LINE_PX, SVG_FONT_PX = 7, 16, 12
plot.SVG_CHAR_PX, plot.SVG_FONT_PX = SVG_CHAR_PX, SVG_FONT_PX

-- Text cut to fit px pixels, with an ellipsis when cut.
local function fit(text, px)
  local most = math.max(4, math.floor(px / SVG_CHAR_PX))
  local chars = {}
  for ch in tostring(text):gmatch("[%z\1-\127\194-\244][\128-\191]*") do chars[#chars + 1] = ch end
  if #chars <= most then return text end
  return table.concat(chars, "", 1, most - 1) .. "…"
end

--- plot.svg{...same as lines..., width = px, height = px} → an SVG document:
--- round ticks with their numbers on both axes, the axis names outside the
--- data area, the legend below it (every text inside the canvas), study
--- points as circles named in the legend.
function plot.svg(o)
  local W, H = o.width or 640, o.height or 320
  local colors = { "#1f5fa8", "#b22222", "#2e8b57", "#7b3fa0" }
  local entries = {}
  for k, s in ipairs(o.series) do entries[#entries + 1] = { text = s.name, color = colors[(k - 1) % 4 + 1], k = k } end
  for _, p in ipairs(o.points or {}) do entries[#entries + 1] = { text = p.label, point = true } end
  if o.points_note then entries[#entries + 1] = { text = o.points_note, note = true } end
  local L, R, T, B = 16 + SVG_LINE_PX + 6 * SVG_CHAR_PX, 16, o.title and 30 or 12
  local function layout() B = 2 * SVG_LINE_PX + 8 + #entries * SVG_LINE_PX end -- tick numbers, axis name, legend
  layout()
  -- a unit too long to run along the y axis is said in full in the legend
  local axis_name = "level " .. (o.unit or "")
  if fit(axis_name, H - B - T) ~= axis_name then
    entries[#entries + 1] = { text = axis_name, note = true }
    layout()
  end
  local x0, x1, y0, y1 = L, W - R, H - B, T -- the data area: x0..x1 across, y1 (top) to y0 (bottom)
  local ymax, ystep = y_scale(o, 5)
  local t0, t1 = o.t0 or 0, o.t1
  local function X(t) return x0 + (t - t0) / (t1 - t0) * (x1 - x0) end
  local function Y(v) return y0 - v / ymax * (y0 - y1) end
  local f1 = function(x) return core.format_number(x, 1) end
  local out = { ('<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" font-family="sans-serif" font-size="%d">')
    :format(W, H, SVG_FONT_PX) }
  if o.title then out[#out + 1] = ('<text x="%d" y="18">%s</text>'):format(8, xml(fit(o.title, W - 16))) end
  if o.desc then out[#out + 1] = ("<desc>%s</desc>"):format(xml(o.desc)) end
  -- y ticks: a faint line across and the number left of the axis
  for k = 0, math.floor(ymax / ystep + 1e-9) do
    local y = f1(Y(k * ystep))
    out[#out + 1] = ('<line x1="%d" y1="%s" x2="%d" y2="%s" stroke="#ddd"/>'):format(x0, y, x1, y)
    out[#out + 1] = ('<text x="%d" y="%s" text-anchor="end" dominant-baseline="middle">%s</text>'):format(x0 - 6, y,
      num(k * ystep))
  end
  local scale, unit = time_unit(t1)
  local step = tick_step((t1 - t0) / scale, math.max(2, math.floor((x1 - x0) / 80)))
  local v = math.ceil(t0 / scale / step - 1e-9) * step
  while v <= t1 / scale + 1e-9 do
    local x = f1(X(v * scale))
    out[#out + 1] = ('<line x1="%s" y1="%d" x2="%s" y2="%d" stroke="black"/>'):format(x, y0, x, y0 + 4)
    out[#out + 1] = ('<text x="%s" y="%d" text-anchor="middle">%s</text>'):format(x, y0 + SVG_LINE_PX, num(v))
    v = v + step
  end
  out[#out + 1] = ('<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="black"/>'):format(x0, y0, x1, y0)
  out[#out + 1] = ('<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="black"/>'):format(x0, y1, x0, y0)
  out[#out + 1] = ('<text x="%s" y="%d" text-anchor="middle">%s</text>'):format(f1((x0 + x1) / 2), y0 + 2 * SVG_LINE_PX,
    unit == "d" and "time in days" or "time in hours")
  -- the level's unit, turned along the y axis, left of the tick numbers
  out[#out + 1] = ('<text x="%d" y="%s" text-anchor="middle" transform="rotate(-90 %d %s)">%s</text>'):format(16,
    f1((y0 + y1) / 2), 16, f1((y0 + y1) / 2), xml(fit("level " .. (o.unit or ""), y0 - y1)))
  for k, s in ipairs(o.series) do
    -- the swing within each pixel column (lo, hi), so every dose's peak is drawn
    local pts = {}
    local hi, lo = s.hi or s.values, s.lo or s.values
    local before -- the way the line went into this column: "up" or "down"
    for i = 1, #hi do
      local x = f1(x0 + (i - 1) / math.max(1, #hi - 1) * (x1 - x0))
      -- within a rise a column's low is where the last one ended (and within a fall its
      -- high): drawn again it would make stairs, so only a turn draws both ends
      local way = (hi[i + 1] or hi[i]) > hi[i] and "up" or "down"
      local ends = way == "up" and { lo[i], hi[i] } or { hi[i], lo[i] }
      if before == way then ends = { ends[2] } end
      for j, level in ipairs(ends) do
        if j == 1 or level ~= ends[1] then pts[#pts + 1] = x .. "," .. f1(Y(level)) end
      end
      before = way
    end
    out[#out + 1] = ('<polyline fill="none" stroke="%s" stroke-width="1.5"%s points="%s"/>'):format(
      colors[(k - 1) % 4 + 1], k > 1 and ' stroke-dasharray="4 3"' or "", table.concat(pts, " "))
  end
  for _, p in ipairs(o.points or {}) do
    out[#out + 1] = ('<circle cx="%s" cy="%s" r="4" fill="none" stroke="black" stroke-width="1.5"><title>%s</title></circle>')
      :format(f1(X(p.t)), f1(Y(p.v)), xml(p.label))
  end
  -- the legend, one entry a line below the axis name
  for i, e in ipairs(entries) do
    local y = y0 + 2 * SVG_LINE_PX + 4 + i * SVG_LINE_PX
    local mid = y - 4
    if e.point then
      out[#out + 1] = ('<circle cx="%d" cy="%d" r="4" fill="none" stroke="black" stroke-width="1.5"/>'):format(20, mid)
    elseif not e.note then
      out[#out + 1] = ('<line x1="8" y1="%d" x2="32" y2="%d" stroke="%s" stroke-width="1.5"%s/>'):format(mid, mid,
        e.color, e.k > 1 and ' stroke-dasharray="4 3"' or "")
    end
    out[#out + 1] = ('<text x="40" y="%d">%s</text>'):format(y, xml(fit(e.text, W - 48)))
  end
  out[#out + 1] = "</svg>"
  return table.concat(out, "\n") .. "\n"
end

return plot
