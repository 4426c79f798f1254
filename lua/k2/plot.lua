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
  local ymax = 0
  for _, s in ipairs(o.series) do
    for _, v in ipairs(s.hi or s.values) do if v > ymax then ymax = v end end
  end
  if ymax <= 0 then ymax = 1 end
  local grid = {}
  for k, s in ipairs(o.series) do draw_series(grid, s, k, px, py, ymax) end
  local rows = render_cells(grid, w, height, px, py, o)
  local box = o.ascii and ASCII_BOX or BOX
  local out = {}
  if o.title then out[#out + 1] = o.title end
  for r, cells in ipairs(rows) do
    local label = ""
    if r == 1 then label = num(ymax)
    elseif r == math.floor(height / 2) + 1 then label = num(ymax * (height - r + 0.5) / height)
    elseif r == height then label = "0" end
    out[#out + 1] = ("%" .. (label_w - 1) .. "s %s"):format(label, r == 1 and box.top or box.side) .. table.concat(cells)
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

--- plot.svg{...same as lines..., width = px, height = px} → an SVG document.
function plot.svg(o)
  local W, H, L, B = o.width or 640, o.height or 320, 64, 40
  local ymax = 0
  for _, s in ipairs(o.series) do
    for _, v in ipairs(s.hi or s.values) do if v > ymax then ymax = v end end
  end
  if ymax <= 0 then ymax = 1 end
  local t0, t1 = o.t0 or 0, o.t1
  local out = { ('<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" font-family="sans-serif" font-size="12">'):format(W, H) }
  if o.title then out[#out + 1] = ('<text x="%d" y="16">%s</text>'):format(L, xml(o.title)) end
  if o.desc then out[#out + 1] = ("<desc>%s</desc>"):format(xml(o.desc)) end
  out[#out + 1] = ('<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="black"/>'):format(L, H - B, W - 10, H - B)
  out[#out + 1] = ('<line x1="%d" y1="24" x2="%d" y2="%d" stroke="black"/>'):format(L, L, H - B)
  out[#out + 1] = ('<text x="4" y="30">%s</text><text x="4" y="%d">0</text>'):format(num(ymax), H - B)
  local scale, unit = time_unit(t1)
  local step = tick_step((t1 - t0) / scale, 6)
  local v = math.ceil(t0 / scale / step) * step
  while v <= t1 / scale + 1e-9 do
    local x = L + (v * scale - t0) / (t1 - t0) * (W - 10 - L)
    out[#out + 1] = ('<text x="%s" y="%d" text-anchor="middle">%s</text>'):format(core.format_number(x, 1), H - B + 16, num(v))
    v = v + step
  end
  out[#out + 1] = ('<text x="%d" y="%d">%s</text>'):format(math.floor((W + L) / 2), H - 6, unit == "d" and "days" or "hours")
  local colors = { "#1f5fa8", "#b22222", "#2e8b57", "#7b3fa0" }
  for k, s in ipairs(o.series) do
    local pts = {}
    for i, y in ipairs(s.values or s.hi) do
      local x = L + (i - 1) / math.max(1, #(s.values or s.hi) - 1) * (W - 10 - L)
      pts[#pts + 1] = core.format_number(x, 1) .. "," .. core.format_number(H - B - y / ymax * (H - B - 24), 1)
    end
    out[#out + 1] = ('<polyline fill="none" stroke="%s" stroke-width="1.5"%s points="%s"/>'):format(
      colors[(k - 1) % 4 + 1], k > 1 and ' stroke-dasharray="4 3"' or "", table.concat(pts, " "))
    out[#out + 1] = ('<text x="%d" y="%d" fill="%s">%s</text>'):format(W - 200, 16 + 14 * k, colors[(k - 1) % 4 + 1], xml(s.name))
  end
  out[#out + 1] = ('<text x="%d" y="%d">%s</text>'):format(L + 4, 40, xml(o.unit or ""))
  out[#out + 1] = "</svg>"
  return table.concat(out, "\n") .. "\n"
end

return plot
