--- k2.show: the printed form of k2's results. Facts, lists, sources and
--- conflicts are plain tables whose metatables (set up in lua/k2/init.lua)
--- have a __tostring that calls the function of the same name here, so
--- `print(x)` and the REPL show text a person can read instead of
--- `table: 0x...`. This module loads on the first print, not at require.
---
--- Numbers are formatted by the core (locale-independent: "0.1" never
--- becomes "0,1"). Ranges use an en dash; "%" sticks to its number. Lines
--- wrap at 78 columns.

local show = {}
-- Lua 5.1 has math.log10 and ignores a base argument to math.log.
local log10 = rawget(math, "log10") or function(x) return math.log(x, 10) end

local format_number = require("k2.core").format_number
local WIDTH = 78
-- The notice dosing and safety answers end with comes from data/advice.rec.
local function notice() return require("k2").notice() end
local ADVICE_TOPICS = { dosing = true, intake = true, safety = true, contraindications = true,
  interactions = true, clotting = true, timing = true }

local function conflict_lookup(id) return (require("k2").conflict(id)) end

---------------------------------------------------------------- text helpers

--- Wraps text to `width` columns; continuation lines start with `indent`.
function show.wrap(text, width, indent, first)
  local lines, line = {}, first or ""
  local start = #line
  for word in text:gmatch("%S+") do
    if #line > start and #line + 1 + #word > width then
      lines[#lines + 1] = line
      line, start = indent .. word, #indent
    else
      line = (#line > start) and (line .. " " .. word) or (line .. word)
    end
  end
  lines[#lines + 1] = line
  return table.concat(lines, "\n")
end

--- Each line of text wrapped to `width` columns; a wrapped part goes two
--- spaces further in than its line (the command line and Neovim floats).
function show.wrap_lines(text, width)
  local lines = {}
  for l in (text .. "\n"):gmatch("(.-)\n") do
    local lead = l:match("^(%s*)")
    lines[#lines + 1] = show.wrap(l, width, lead .. "  ", lead)
  end
  return table.concat(lines, "\n")
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

local function evidence_line(f)
  local text = "evidence: " .. f.evidence
  if f.certainty then text = text .. " (" .. f.certainty .. ")" end
  return text
end

local function source_line(src)
  local parts = {}
  for _, key in ipairs({ "authors", "title", "journal" }) do
    if src[key] then parts[#parts + 1] = src[key] end
  end
  local text = ("[%s] %s (%s). %s"):format(src.id, table.concat(parts, ". "), src.year, src.ref)
  return show.wrap(text, WIDTH, "    ", "  source: ")
end

local function conflict_lines(f, out)
  for _, id in ipairs(f.conflicts) do
    local c = conflict_lookup(id)
    if c then
      out[#out + 1] = show.wrap(c.summary, WIDTH, "    ", ("  sources disagree [%s]: "):format(id))
      local others = {}
      for _, other in ipairs(c.facts) do
        if other ~= f.id then others[#others + 1] = other end
      end
      out[#out + 1] = show.wrap(table.concat(others, ", "), WIDTH, "    ", "    other side: ")
    end
  end
end

function show.fact(f)
  local out = { show.wrap(f.claim, WIDTH, "  "), show.wrap(fact_meta(f), WIDTH, "    ", "  "), "  " .. evidence_line(f) }
  out[#out + 1] = source_line(f.source)
  if #f.also > 0 then out[#out + 1] = "  also: " .. table.concat(f.also, ", ") end
  if f.note then out[#out + 1] = show.wrap(f.note, WIDTH, "    ", "  note: ") end
  conflict_lines(f, out)
  out[#out + 1] = "  id: " .. f.id
  if ADVICE_TOPICS[f.topic] then out[#out + 1] = show.wrap(notice(), show.width or WIDTH, "  ", "  ") end
  return table.concat(out, "\n")
end

local function list_item(i, f, width)
  local head = ("%2d. "):format(i)
  local text = show.wrap(f.claim, width, "    ", head)
  local meta = {}
  local amount = show.amount(f)
  if amount then meta[#meta + 1] = amount end
  meta[#meta + 1] = f.evidence .. (f.certainty and (" (" .. f.certainty .. ")") or "")
  meta[#meta + 1] = show.cite(f.source)
  if #f.conflicts > 0 then meta[#meta + 1] = "sources disagree: " .. table.concat(f.conflicts, ", ") end
  meta[#meta + 1] = f.id
  return text .. "\n" .. show.wrap(table.concat(meta, " · "), width, "    ", "    ")
end

function show.fact_list(list)
  if #list == 0 then
    return "(no facts match; try fewer or shorter words or filters, a form such as MK-7, or k2.facts{topic = \"dosing\"})"
  end
  local out, advice = {}, false
  for i, f in ipairs(list) do
    out[#out + 1] = list_item(i, f, WIDTH)
    advice = advice or ADVICE_TOPICS[f.topic]
  end
  if advice then out[#out + 1] = show.wrap(notice(), show.width or WIDTH, "", "") end
  return table.concat(out, "\n")
end

---------------------------------------------------------------- sources, conflicts, info

function show.source(s)
  local out = { show.wrap(s.title, WIDTH, "  ", "[" .. s.id .. "] ") }
  local by = { s.authors, s.journal, s.year, s.kind }
  local parts = {}
  for i = 1, 4 do if by[i] then parts[#parts + 1] = by[i] end end
  out[#out + 1] = show.wrap(table.concat(parts, " · "), WIDTH, "  ", "  ")
  out[#out + 1] = "  " .. s.ref
  if s.note then out[#out + 1] = show.wrap(s.note, WIDTH, "    ", "  note: ") end
  return table.concat(out, "\n")
end

function show.source_list(list)
  if #list == 0 then return "(no sources)" end
  local out = {}
  for i, s in ipairs(list) do
    out[#out + 1] = show.wrap(("%s (%s, %s)"):format(s.title, s.year, s.kind), WIDTH, "      ",
      ("%3d. [%s] "):format(i, s.id))
  end
  return table.concat(out, "\n")
end

function show.conflict(c)
  return show.wrap(c.summary, WIDTH, "  ", ("sources disagree [%s]: "):format(c.id))
    .. "\n" .. show.wrap(table.concat(c.facts, ", "), WIDTH, "    ", "  facts: ")
end

function show.info(i)
  return ("k2 %s (Lua %s ABI) · data %s · %d facts, %d sources, %d conflicts · SQLite %s"):format(
    i.version, i.abi, i.data_version, i.facts, i.sources, i.conflicts, i.sqlite_version)
end

--- A plain list inside a result (forms, also, seed, conflicts, facts).
--- A finding of k2.check: its level, message, evidence and facts.
function show.finding(f)
  local ids = {}
  for _, x in ipairs(f.facts or {}) do ids[#ids + 1] = type(x) == "table" and x.id or x end
  local cite = #ids > 0 and (" [" .. (f.evidence and (f.evidence .. "; ") or "") .. table.concat(ids, ", ") .. "]") or ""
  return show.wrap(f.message .. cite, show.width or WIDTH, "    ", f.level .. ": ")
end

--- Any list of printable results, numbered (findings, conflicts, ...).
function show.items(l)
  if #l == 0 then return "(none)" end
  local out = {}
  for i, v in ipairs(l) do out[#out + 1] = ("%2d. %s"):format(i, (tostring(v):gsub("\n", "\n    "))) end
  return table.concat(out, "\n")
end

function show.list(l)
  local items = {}
  for i, v in ipairs(l) do items[i] = tostring(v) end
  return "{" .. table.concat(items, ", ") .. "}"
end

return show
