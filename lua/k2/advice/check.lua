--- k2.advice.check: k2.check — how safe, from the rules of data/advice.rec:
--- the form's own rules, the documented limits (dose and duration) for the
--- form or the lowest documented safe one, the age rules, and one finding
--- per medicine or condition however it was written (a brand, "warfarin
--- sodium", several in one item). A name k2 does not know is never a silent
--- "ok": it says so, and counts as a near spelling's record when there is one.
--- The answer's level is its worst finding's.
---
--- Units: doses in µg (text through the core's parse_dose), ages in years,
--- durations in hours (text through parse_duration).

local core = require("k2.core")
local args = require("k2.args")
local show = require("k2.show")
local answer = require("k2.advice.answer")
local rules = require("k2.advice.rules")

local check = {}
local LEVELS, HOURS_PER_YEAR, number_of = rules.LEVELS, rules.HOURS_PER_YEAR, rules.number_of
-- Units, not figures: how a duration reads from two days on.
local HOURS_PER_DAY, DAYS_FROM = 24, 2

local function finding(R, level, message, ids)
  local facts, seen = {}, {}
  for _, id in ipairs(ids) do
    if not seen[id] then seen[id] = true; facts[#facts + 1] = R:fact(id) end
  end
  local src = facts[1] and facts[1].source
  return { level = level, message = message, facts = facts, source = src, evidence = facts[1] and facts[1].evidence }
end

-- The largest amount a fact allows: its value, or the top of its range.
local function largest_text(f)
  if f.value or not f.high then return show.amount(f) end
  return show.number(f.high) .. " " .. f.unit
end

---------------------------------------------------------------- names

-- Edit distance, for "did you mean" (names are short).
local function distance(a, b)
  local prev = {}
  for j = 0, #b do prev[j] = j end
  for i = 1, #a do
    local cur = { [0] = i }
    for j = 1, #b do
      cur[j] = math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a:sub(i, i) == b:sub(j, j) and 0 or 1))
    end
    prev = cur
  end
  return prev[#b]
end

-- The first name of every record of a kind ("warfarin, ..."), for a name k2 does not know.
local function known_names(R, kind)
  local out = {}
  for _, r in ipairs(R:of_kind(kind)) do out[#out + 1] = rules.list(r.Names)[1] end
  return table.concat(out, ", ")
end

-- Known names near `name` (edit distance), one per record: the closest alias of each.
local function suggestions(R, name, kind)
  local best = {}
  for known, r in pairs(R.names) do
    local d = distance(name, known)
    if r.kind == kind and d <= math.max(1, math.floor(#name / 4)) and (not best[r] or d < best[r].d
      or (d == best[r].d and known < best[r].name)) then
      best[r] = { name = known, d = d }
    end
  end
  local out = {}
  for r, b in pairs(best) do out[#out + 1] = { name = b.name, rule = r } end
  table.sort(out, function(x, y) return x.name < y.name end)
  return out
end

-- The record a name people wrote refers to: the whole name, else the longest
-- run of its words that is a known name ("warfarin sodium", "Coumadin 5 mg").
local function find_named(R, name, kind)
  local names = R.names
  if names[name] and names[name].kind == kind then return names[name], name end
  local words = {}
  for w in name:gmatch("[^%s]+") do words[#words + 1] = w end
  for len = #words - 1, 1, -1 do
    for i = 1, #words - len + 1 do
      local run = table.concat(words, " ", i, i + len - 1)
      if names[run] and names[run].kind == kind then return names[run], run end
    end
  end
  return nil
end

-- The names in a list as people write them: an item may hold several, comma separated.
local function each_name(items)
  local out = {}
  for _, item in ipairs(items) do
    for _, name in ipairs(args.split_list(item)) do out[#out + 1] = name end
  end
  return out
end

-- The finding of a known record, naming every way it was written; a form
-- the record singles out (FormLevel) gets its own level and fact.
local function known_finding(R, r, form, names)
  local level, ids = r.Level, rules.list(r.Facts)
  local f_form, f_level, f_fact = (r.FormLevel or ""):match("^(%S+)%s+(%S+)%s+(%S+)$")
  local extra = ""
  if f_form and R:form(f_form) == form then
    level = f_level
    table.insert(ids, 1, f_fact)
    extra = (" For %s: %s"):format(form, R:fact(f_fact).claim)
  end
  return finding(R, level, ("%s: %s.%s"):format(table.concat(names, ", "), R:render(r.Message), extra), ids)
end

-- An unknown name: not checked, with the near spellings and what they would mean.
local function unknown_finding(R, raw, kind, label)
  local near, level = suggestions(R, raw:lower(), kind), "caution"
  local names, texts, facts = {}, {}, {}
  for _, n in ipairs(near) do
    names[#names + 1] = n.name
    texts[#texts + 1] = ("%s: %s"):format(n.name, R:render(n.rule.Message))
    if LEVELS[n.rule.Level] > LEVELS[level] then level = n.rule.Level end
    for _, id in ipairs(rules.list(n.rule.Facts)) do facts[#facts + 1] = R:fact(id) end
  end
  return { level = level, facts = facts, source = facts[1] and facts[1].source,
    evidence = facts[1] and facts[1].evidence, unknown = raw, suggestions = names,
    message = ("%s '%s' is not in k2's data, so it was not checked%s"):format(label, raw,
      #near > 0 and ("; did you mean %s? If so (%s): %s."):format(table.concat(names, " or "), level,
        table.concat(texts, "; "))
        or ("; k2 knows: " .. known_names(R, kind))) }
end

local function check_names(R, findings, items, kind, form, label)
  local by_rule, slot = {}, {}
  for _, raw in ipairs(each_name(items)) do
    local name = raw:lower()
    local r, as = find_named(R, name, kind)
    if r then
      -- one finding per record, naming every way it was written ("Coumadin, warfarin")
      if not by_rule[r] then -- its place in the list is where it was first named
        by_rule[r] = {}
        findings[#findings + 1] = false
        slot[r] = #findings
      end
      table.insert(by_rule[r], as == name and raw or ("%s (read as %s)"):format(raw, as))
    else
      findings[#findings + 1] = unknown_finding(R, raw, kind, label)
    end
  end
  for r, i in pairs(slot) do findings[i] = known_finding(R, r, form, by_rule[r]) end
end

---------------------------------------------------------------- limits

-- The form's limits, or (broad) the lowest of those documented as safe use,
-- not of doses merely studied, when no limit names the form.
local function limits_for(R, form)
  local limits = R:for_form("Limit", form)
  if #limits > 0 then return limits, false end
  for _, r in ipairs(R:of_kind("Limit")) do
    if r.Use == "safe" and (not limits[1] or number_of(R:fact(r.Dose)) < number_of(R:fact(limits[1].Dose))) then
      limits[1] = r
    end
  end
  return limits, true
end

-- The documented limits for the form; for an age outside a limit's
-- population, the dose is not checked (one finding says so).
local function check_limits(R, findings, form, ug, hours, age)
  local limits, broad = limits_for(R, form)
  -- the longest use documented at this dose or more, among the form's limits
  local covering, unchecked = nil, {}
  for _, r in ipairs(limits) do
    local long, at = number_of(R:fact(r.Duration)), number_of(R:fact(r.DurationDose or r.Dose))
    if hours and hours <= long and (ug or 0) <= at and (not covering or long > number_of(R:fact(covering.Duration))) then
      covering = r
    end
  end
  local note = broad and (" (no limit is documented for %s as such; the lowest one is used)"):format(form) or ""
  for _, r in ipairs(limits) do
    local dose_fact = R:fact(r.Dose)
    local limit, long = number_of(dose_fact), number_of(R:fact(r.Duration))
    if age and dose_fact.age_min and age < dose_fact.age_min and (ug or hours) then
      unchecked[#unchecked + 1] = r
    else
      if ug and ug > limit then
        findings[#findings + 1] = finding(R, r.Level, ("%s µg a day is beyond documented use (%s at most): %s%s"):format(
          core.format_number(ug, 3), largest_text(dose_fact), R:render(r.Message), note), r.facts)
      end
      if hours and hours > long and covering then
        -- documented by another limit's longer use at this dose: both figures shown, no finding raised
        local ids = rules.list(covering.Facts)
        for _, id in ipairs(r.facts) do ids[#ids + 1] = id end
        findings[#findings + 1] = finding(R, "ok", ("this long a use at this dose is documented: %s; the shorter figure"
          .. " (%s) is about a larger dose%s"):format(R:render(covering.LongMessage), R:render(r.LongMessage), note), ids)
      elseif hours and hours > long then
        findings[#findings + 1] = finding(R, r.LongLevel, ("taking it for longer than documented: %s%s"):format(
          R:render(r.LongMessage), note), r.facts)
      end
    end
  end
  if #unchecked > 0 then -- one finding for every limit that is about older people
    local who, ids = {}, {}
    for _, r in ipairs(unchecked) do who[#who + 1] = R:fact(r.Dose).population; ids[#ids + 1] = r.Dose end
    findings[#findings + 1] = finding(R, "caution", ("the amounts documented as used safely are for %s; this dose was"
      .. " not checked for age %s"):format(table.concat(who, ", and for "), core.format_number(age, 2)), ids)
  end
end

---------------------------------------------------------------- the question

-- The dose in µg and the duration in hours, or nil, message.
local function amounts(o)
  local ug, hours, err
  if o.dose ~= nil then
    ug, err = args.dose_ug(o.dose)
    if not ug then return nil, err end
  end
  if o.duration ~= nil then
    hours, err = args.hours("duration", o.duration)
    if not hours then return nil, err end
  end
  return { ug = ug, hours = hours }
end

-- A list option: one text is a list of one.
local function text_list(v)
  if type(v) == "string" then return { v } end
  return v or {}
end

---------------------------------------------------------------- text

-- Hours as a person says them: years from a year on, days from two days on.
local function duration_text(h)
  if h >= HOURS_PER_YEAR then return core.format_number(h / HOURS_PER_YEAR, 2) .. " y" end
  if h >= DAYS_FROM * HOURS_PER_DAY then return core.format_number(h / HOURS_PER_DAY, 1) .. " d" end
  return core.format_number(h, 2) .. " h"
end

-- A dose as people write it: 45 mg rather than 45000 µg.
local MG = 1000
local function dose_text(ug)
  if ug >= MG then return core.format_number(ug / MG, 3) .. " mg" end
  return core.format_number(ug, 3) .. " µg"
end

local function lines(a, width)
  local what = { a.form }
  if a.dose_ug then what[#what + 1] = dose_text(a.dose_ug) end
  if a.age then what[#what + 1] = "age " .. core.format_number(a.age, 2) end
  if a.duration_h then what[#what + 1] = "for " .. duration_text(a.duration_h) end
  if #a.meds > 0 then what[#what + 1] = "with " .. table.concat(a.meds, ", ") end
  if #a.conditions > 0 then what[#what + 1] = "conditions: " .. table.concat(a.conditions, ", ") end
  local out = show.wrap_into({}, ("check %s: %s"):format(table.concat(what, ", "), a.level:upper()), width, "  ", "")
  if #a.findings == 0 then out[#out + 1] = "  no finding in k2's data for this combination" end
  for _, f in ipairs(a.findings) do
    local ids = {}
    for _, x in ipairs(f.facts) do ids[#ids + 1] = x.id end
    show.wrap_into(out, f.message .. (#ids > 0 and (" [" .. (f.evidence or "") .. "; " .. table.concat(ids, ", ") .. "]")
      or ""), width, "      ", ("  %-8s "):format(f.level))
  end
  return answer.tail_into(out, a, width)
end

check.Check = answer.define("check", lines)

--- check.answer(R, o) → a check answer | nil, message (o checked by args.options).
function check.answer(R, o)
  local form, err = R:form(o.form or args.calls.check.by_name.form.default)
  if not form then return nil, err end
  local age = o.age
  if age ~= nil and not args.in_range(args.calls.check.by_name.age, age) then
    return nil, ("age %s: give an age from 0 to %d years"):format(tostring(age), args.MAX_AGE_Y)
  end
  local amount
  amount, err = amounts(o)
  if not amount then return nil, err end
  local ug, hours = amount.ug, amount.hours
  local meds, conditions = text_list(o.meds), text_list(o.conditions)
  if not (o.form or ug or hours or age or #meds > 0 or #conditions > 0) then
    return nil, "nothing to check: give a form, a dose, an age, a duration, medicines or conditions"
  end
  local findings = {}
  for _, r in ipairs(R:for_form("FormRule", form)) do findings[#findings + 1] = finding(R, r.Level, R:render(r.Message), r.facts) end
  -- a form to avoid at any dose (K3) has no documented safe amount of its own; another
  -- form's limits would only blur that
  local avoid_form = false
  for _, f in ipairs(findings) do if f.level == "avoid" then avoid_form = true end end
  if not avoid_form then check_limits(R, findings, form, ug, hours, age) end
  for _, r in ipairs(R:for_form("AgeRule", form)) do
    if age and age < number_of(R:fact(r.Below)) / HOURS_PER_YEAR then
      findings[#findings + 1] = finding(R, r.Level, R:render(r.Message), r.facts)
    end
  end
  check_names(R, findings, meds, "Medicine", form, "medicine")
  check_names(R, findings, conditions, "Condition", form, "condition")
  local level = "ok"
  for _, f in ipairs(findings) do
    if LEVELS[f.level] > LEVELS[level] then level = f.level end
  end
  local facts = {}
  for _, f in ipairs(findings) do for _, x in ipairs(f.facts) do facts[#facts + 1] = x end end
  return setmetatable(answer.shaped({ form = form, dose_ug = ug, age = age, duration_h = hours, meds = meds,
    conditions = conditions, level = level, findings = findings, conflicts = answer.conflicts_of(R, facts),
    sources = answer.sources_of(facts), notes = {}, notice = R:notice() }), check.Check)
end

return check
