--- k2.show: the text of k2's results, as arrays of lines laid out for a
--- width. Facts, lists, sources, conflicts, findings and the store's info get
--- their metatables from lua/k2/shapes.lua, whose `lines` method calls the
--- function of the same name here; other results (answers, curves) lay out
--- their own text with the helpers below (wrap_into, text_into, number,
--- amount, cite). This module loads on the first print, not at require, and
--- never queries the store: a result carries what it prints.
---
--- Numbers are formatted by the core (locale-independent: "0.1" never
--- becomes "0,1"). Ranges use an en dash; "%" sticks to its number. Text
--- wraps between words at the width asked for (counted in bytes, so a line
--- never runs over); a wrapped part is indented further than its line.

local show = {}
-- Lua 5.1 has math.log10 and ignores a base argument to math.log.
local log10 = rawget(math, "log10") or function(x) return math.log(x, 10) end

local format_number = require("k2.core").format_number

---------------------------------------------------------------- text helpers

--- Appends `text` wrapped to `width` columns to the array `out`: the first
--- line starts with `first`, the others with `indent`. Returns out.
function show.wrap_into(out, text, width, indent, first)
  first = first or ""
  -- a label too long to hold the first word at this width wraps as words too
  if first:find("%S") and #first + #(text:match("%S+") or "") > width then
    local lead = first:match("^%s*")
    text, first = first:sub(#lead + 1) .. " " .. text, lead
  end
  local line = first
  local start = #line
  for word in text:gmatch("%S+") do
    if #line > start and #line + 1 + #word > width then
      out[#out + 1] = line
      line, start = indent .. word, #indent
    else
      line = (#line > start) and (line .. " " .. word) or (line .. word)
    end
  end
  out[#out + 1] = line
  return out
end

--- Text wrapped to `width` columns, as one string (continuation lines start with `indent`).
function show.wrap(text, width, indent, first)
  return table.concat(show.wrap_into({}, text, width, indent, first), "\n")
end

--- Appends each line of `text` to `out`, wrapped to `width`; a wrapped part
--- goes two spaces further in than its line. Returns out.
function show.text_into(out, text, width)
  for l in (text .. "\n"):gmatch("(.-)\n") do
    local lead = l:match("^(%s*)")
    show.wrap_into(out, l, width, lead .. "  ", lead)
  end
  return out
end

--- Each line of text wrapped to `width` columns, as one string.
function show.wrap_lines(text, width) return table.concat(show.text_into({}, text, width), "\n") end

--- The lines of a text with embedded newlines.
function show.split(text)
  local out = {}
  for l in (text .. "\n"):gmatch("(.-)\n") do out[#out + 1] = l end
  return out
end

--- Appends the array `lines` to `out`, each line prefixed with `prefix`. Returns out.
function show.append(out, lines, prefix)
  for _, l in ipairs(lines) do out[#out + 1] = (prefix or "") .. l end
  return out
end

--- A plain copy of a result for JSON: no metatables, functions or userdata;
--- NaN left out (JSON has none); only string and number keys.
function show.plain(x)
  if type(x) == "number" then return x == x and x or nil end
  if type(x) ~= "table" then
    if type(x) == "function" or type(x) == "userdata" or type(x) == "thread" then return nil end
    return x
  end
  local t = {}
  for k, v in pairs(x) do
    if type(k) == "string" or type(k) == "number" then t[k] = show.plain(v) end
  end
  return t
end

--- A number with about four significant digits, no trailing zeros.
function show.number(x)
  local a = math.abs(x)
  local decimals = a == 0 and 0 or math.max(0, math.min(9, 3 - math.floor(log10(a))))
  return format_number(x, decimals)
end

local function with_unit(text, unit)
  if not unit then return text end
  if unit == "%" then return text .. "%" end
  return text .. " " .. unit
end

--- "4 h", "75–120 µg/day", "up to 2 y", "at least 19 y", or nil.
function show.amount(f)
  if f.value then return with_unit(show.number(f.value), f.unit) end
  if f.low and f.high then return with_unit(show.number(f.low) .. "–" .. show.number(f.high), f.unit) end
  if f.high then return "up to " .. with_unit(show.number(f.high), f.unit) end
  if f.low then return "at least " .. with_unit(show.number(f.low), f.unit) end
  return nil
end

--- "Schurgers LJ 2007" / "seed p12, n.d." — a short citation.
--- "Schurgers L.J. 2007", or a short title when no authors are named.
function show.cite(src)
  local who = src.authors and (src.authors:match("^([^,;(]+%b())") or src.authors:match("^([^,;]+)"))
  if not who then
    who = src.title:gsub("%s*%b()", "")
    if #who > 32 then who = who:sub(1, 30):gsub("[\128-\255]+$", ""):gsub("%s+%S*$", "") .. "…" end
  end
  return ("%s %s"):format(who, src.year)
end

---------------------------------------------------------------- facts

local function fact_meta(f)
  local parts = { f.form, f.topic, f.population }
  local amount = show.amount(f)
  if amount then table.insert(parts, 1, amount) end
  if f.ages then parts[#parts + 1] = "ages " .. f.ages end
  if f.sex then parts[#parts + 1] = f.sex end
  return table.concat(parts, " · ")
end

-- "popular article (unconfirmed), relying on [S07a]": Via names the primary
-- study a second-hand source reports (issue 11).
local function evidence_text(f)
  local text = f.evidence
  if f.certainty then text = text .. " (" .. f.certainty .. ")" end
  if f.via then text = text .. ", relying on [" .. f.via .. "]" end
  return text
end

local function evidence_line(f) return "evidence: " .. evidence_text(f) end

local function source_into(out, src, width)
  local parts = {}
  for _, key in ipairs({ "authors", "title", "journal" }) do
    if src[key] then parts[#parts + 1] = src[key] end
  end
  local text = ("[%s] %s (%s). %s"):format(src.id, table.concat(parts, ". "), src.year, src.ref)
  return show.wrap_into(out, text, width, "    ", "  source: ")
end

-- The disagreements a fact carries (conflict objects: id, summary, facts).
local function conflicts_into(out, f, width)
  for _, c in ipairs(f.disagreements or {}) do
    show.wrap_into(out, c.summary, width, "    ", ("  sources disagree [%s]: "):format(c.id))
    local others = {}
    for _, other in ipairs(c.facts) do
      if other ~= f.id then others[#others + 1] = other end
    end
    show.wrap_into(out, table.concat(others, ", "), width, "    ", "    other side: ")
  end
end

--- A fact: its claim, numbers, evidence, source, disagreements, id, and the
--- notice when it is about dosing or safety (f.notice).
function show.fact(f, width)
  local out = show.wrap_into({}, f.claim, width, "  ")
  show.wrap_into(out, fact_meta(f), width, "    ", "  ")
  show.wrap_into(out, evidence_line(f), width, "    ", "  ")
  source_into(out, f.source, width)
  if #f.also > 0 then show.wrap_into(out, table.concat(f.also, ", "), width, "    ", "  also: ") end
  if f.note then show.wrap_into(out, f.note, width, "    ", "  note: ") end
  conflicts_into(out, f, width)
  out[#out + 1] = "  id: " .. f.id
  if f.notice then show.wrap_into(out, f.notice, width, "  ", "  ") end
  return out
end

local function list_item_into(out, i, f, width)
  show.wrap_into(out, f.claim, width, "    ", ("%2d. "):format(i))
  local meta = {}
  local amount = show.amount(f)
  if amount then meta[#meta + 1] = amount end
  meta[#meta + 1] = evidence_text(f)
  meta[#meta + 1] = show.cite(f.source)
  if #f.conflicts > 0 then meta[#meta + 1] = "sources disagree: " .. table.concat(f.conflicts, ", ") end
  meta[#meta + 1] = f.id
  return show.wrap_into(out, table.concat(meta, " · "), width, "    ", "    ")
end

--- A numbered list of facts; the notice after it when one is about dosing or safety (list.notice).
function show.fact_list(list, width)
  if #list == 0 then
    return show.wrap_into({}, "(no facts match; try fewer or shorter words or filters, a form such as MK-7, or"
      .. " k2.facts{topic = \"dosing\"})", width, " ")
  end
  local out = {}
  for i, f in ipairs(list) do list_item_into(out, i, f, width) end
  if list.notice then show.wrap_into(out, list.notice, width, "", "") end
  return out
end

---------------------------------------------------------------- sources, conflicts, info

function show.source(s, width)
  local out = show.wrap_into({}, s.title, width, "  ", "[" .. s.id .. "] ")
  local by = { s.authors, s.journal, s.year, s.kind }
  local parts = {}
  for i = 1, 4 do if by[i] then parts[#parts + 1] = by[i] end end
  show.wrap_into(out, table.concat(parts, " · "), width, "  ", "  ")
  show.wrap_into(out, s.ref, width, "    ", "  ")
  if s.note then show.wrap_into(out, s.note, width, "    ", "  note: ") end
  return out
end

function show.source_list(list, width)
  if #list == 0 then return { "(no sources)" } end
  local out = {}
  for i, s in ipairs(list) do
    show.wrap_into(out, ("%s (%s, %s)"):format(s.title, s.year, s.kind), width, "      ", ("%3d. [%s] "):format(i, s.id))
  end
  return out
end

function show.conflict(c, width)
  local out = show.wrap_into({}, c.summary, width, "  ", ("sources disagree [%s]: "):format(c.id))
  return show.wrap_into(out, table.concat(c.facts, ", "), width, "    ", "  facts: ")
end

function show.info(i, width)
  return show.wrap_into({}, ("k2 %s (Lua %s ABI) · data %s · %d facts, %d sources, %d conflicts · SQLite %s"):format(
    i.version, i.abi, i.data_version, i.facts, i.sources, i.conflicts, i.sqlite_version), width, "  ")
end

--- A finding of k2.check: its level, message, evidence and facts.
function show.finding(f, width)
  local ids = {}
  for _, x in ipairs(f.facts or {}) do ids[#ids + 1] = type(x) == "table" and x.id or x end
  local cite = #ids > 0 and (" [" .. (f.evidence and (f.evidence .. "; ") or "") .. table.concat(ids, ", ") .. "]") or ""
  return show.wrap_into({}, f.message .. cite, width, "    ", f.level .. ": ")
end

-- Inside a numbered item, text is 4 columns in.
local ITEM_INDENT = 4

--- Any list of printable results, numbered (findings, conflicts, notes, ...).
function show.items(l, width)
  if #l == 0 then return { "(none)" } end
  local out = {}
  local inner = width - ITEM_INDENT
  for i, v in ipairs(l) do
    local mt = getmetatable(v)
    local lines
    -- the shape's own printer: inside a list the width may be below what r:lines accepts
    if type(mt) == "table" and mt.k2_lines then lines = mt.k2_lines(v, inner)
    else lines = show.text_into({}, tostring(v), inner) end
    for j, line in ipairs(lines) do
      out[#out + 1] = (j == 1 and ("%2d. "):format(i) or string.rep(" ", ITEM_INDENT)) .. line
    end
  end
  return out
end

--- A plain list inside a result (forms, also, seed, conflicts, facts): {a, b}.
function show.list(l, width)
  local items = {}
  for i, v in ipairs(l) do items[i] = tostring(v) end
  return show.wrap_into({}, "{" .. table.concat(items, ", ") .. "}", width, " ")
end

return show
