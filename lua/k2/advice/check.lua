--- k2.advice.check: k2.check — how safe, from the rules of data/advice.rec.
--- One rule for every form and age: a documented harm or a label's
--- contraindication (FormRule, FormLevel, Condition) gives its level; a dose
--- beyond every documented use (Limit) is caution, "not studied at this
--- dose", with the highest documented figure and its source; a child or a
--- pregnancy is also held to the intake k2.dose gives them, so a child is
--- never answered more mildly than an adult. Medicines and conditions get
--- one finding each however they were written (a brand, "warfarin sodium",
--- "Lixiana/Savaysa"); for vitamin K antagonists the dose is compared with
--- each study's Threshold. A name k2 does not know is never a silent "ok";
--- a blank one is an input error. Every finding names its evidence types,
--- and the answer's level is its worst finding's.
---
--- Units: doses in µg (text through the core's parse_dose), ages in years,
--- durations in hours (text through parse_duration).

local core = require("k2.core")
local args = require("k2.args")
local show = require("k2.show")
local answer = require("k2.advice.answer")
local rules = require("k2.advice.rules")
local dose = require("k2.advice.dose")

local check = {}
local LEVELS, HOURS_PER_YEAR, number_of = rules.LEVELS, rules.HOURS_PER_YEAR, rules.number_of
-- Units, not figures: how a duration reads from two days on.
local HOURS_PER_DAY, DAYS_FROM = 24, 2

-- What a finding without facts says of its evidence.
local NO_EVIDENCE = "none in k2's data"

-- The evidence types of a finding's facts, each once, in the order cited.
local function evidence_of(facts)
  local types, seen = {}, {}
  for _, f in ipairs(facts) do
    if not seen[f.evidence] then seen[f.evidence] = true; types[#types + 1] = f.evidence end
  end
  return #types > 0 and table.concat(types, ", ") or NO_EVIDENCE
end

local function finding(R, level, message, ids)
  local facts, seen = {}, {}
  for _, id in ipairs(ids) do
    local f = type(id) == "table" and id or R:fact(id)
    if not seen[f.id] then seen[f.id] = true; facts[#facts + 1] = f end
  end
  local src = facts[1] and facts[1].source
  return { level = level, message = message, facts = facts, source = src, evidence = evidence_of(facts) }
end

-- The largest amount a fact allows: its value, or the top of its range.
local function largest_text(f)
  if f.value or not f.high then return show.amount(f) end
  return show.number(f.high) .. " " .. f.unit
end

-- A dose as people write it: 45 mg rather than 45000 µg.
local MG = 1000
local function dose_text(ug)
  if ug >= MG then return core.format_number(ug / MG, 3) .. " mg" end
  return core.format_number(ug, 3) .. " µg"
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
  local most = math.max(1, math.floor(#name / 4))
  for known, r in pairs(R.names) do
    -- the distance is at least the difference in length: skip the table (issue 17: linear in the name)
    local d = math.abs(#name - #known) <= most and distance(name, known) or math.huge
    if r.kind == kind and d <= most and (not best[r] or d < best[r].d
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
-- Only runs as long as the longest known name are tried (issue 17: a 200-byte item of
-- 66 words is then 66 × 3 lookups, not 66³ bytes of joined runs).
local function longest_name_words(R)
  if not R.name_words then
    local most = 1
    for known in pairs(R.names) do
      local _, spaces = known:gsub("[%s/]+", "")
      most = math.max(most, spaces + 1)
    end
    R.name_words = most
  end
  return R.name_words
end

local function find_named(R, name, kind)
  local names = R.names
  if names[name] and names[name].kind == kind then return names[name], name end
  local words = {}
  for w in name:gmatch("[^%s/]+") do words[#words + 1] = w end -- "Lixiana/Savaysa"
  for len = math.min(#words - 1, longest_name_words(R)), 1, -1 do
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
-- The user's daily dose against the documented thresholds of a medicine for
-- the form: the level (the record's from the lowest dose found to disturb
-- the medicine on, caution below it), the sentences, the facts.
local function thresholds_said(R, r, form, ug)
  local said, ids, reached = {}, {}, false
  for _, t in ipairs(R:thresholds(r, form)) do
    local from, none = R:fact(t.From), t.NoEffect and R:fact(t.NoEffect)
    local at = ug and dose_text(ug) .. " a day"
    if not ug then
      said[#said + 1] = ("from %s: %s"):format(show.amount(from), t.About)
    elseif ug >= rules.lowest_of(from) then
      reached = true
      said[#said + 1] = ("%s is at or above %s, the lowest daily dose that disturbed it here: %s"):format(at,
        show.amount(from), t.About)
    elseif none and ug <= number_of(none) then
      said[#said + 1] = ("%s is no more than %s, which did not disturb it significantly: %s"):format(at,
        show.amount(none), t.About)
    else
      said[#said + 1] = ("%s is below %s, the lowest daily dose this source names: %s"):format(at,
        show.amount(from), t.About)
    end
    for _, id in ipairs(t.facts) do ids[#ids + 1] = id end
  end
  local level = (#said == 0 or not ug or reached) and r.Level or "caution"
  return level, said, ids
end

local function known_finding(R, r, form, names, ug)
  local level, said, t_ids = thresholds_said(R, r, form, ug)
  local ids = rules.list(r.Facts)
  for _, id in ipairs(t_ids) do ids[#ids + 1] = id end
  local f_form, f_level, f_fact = (r.FormLevel or ""):match("^(%S+)%s+(%S+)%s+(%S+)$")
  local extra = ""
  if f_form and R:form(f_form) == form then
    level = f_level
    table.insert(ids, 1, f_fact)
    extra = (" For %s: %s"):format(form, R:fact(f_fact).claim)
  end
  if #said > 0 then extra = extra .. (" Documented thresholds for %s: %s."):format(form, table.concat(said, "; ")) end
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
    evidence = evidence_of(facts), unknown = raw, suggestions = names,
    message = ("%s '%s' is not in k2's data, so it was not checked%s"):format(label, raw,
      #near > 0 and ("; did you mean %s? If so (%s): %s."):format(table.concat(names, " or "), level,
        table.concat(texts, "; "))
        or ("; k2 knows: " .. known_names(R, kind))) }
end

local function check_names(R, findings, items, kind, form, label, ug)
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
  for r, i in pairs(slot) do findings[i] = known_finding(R, r, form, by_rule[r], ug) end
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

-- The longest use documented at this dose or more, among the form's limits.
local function covering_limit(R, limits, ug, hours)
  local covering
  for _, r in ipairs(limits) do
    local long, at = number_of(R:fact(r.Duration)), number_of(R:fact(r.DurationDose or r.Dose))
    if hours and hours <= long and (ug or 0) <= at and (not covering or long > number_of(R:fact(covering.Duration))) then
      covering = r
    end
  end
  return covering
end

-- How long it is taken, against each limit's documented duration.
local function check_duration(R, findings, r, covering, hours, note)
  local long = number_of(R:fact(r.Duration))
  if not hours or hours <= long then return end
  if covering then
    -- documented by another limit's longer use at this dose: both figures shown, no finding raised
    local ids = rules.list(covering.Facts)
    for _, id in ipairs(r.facts) do ids[#ids + 1] = id end
    findings[#findings + 1] = finding(R, "ok", ("this long a use at this dose is documented: %s; the shorter figure"
      .. " (%s) is about a larger dose%s"):format(R:render(covering.LongMessage), R:render(r.LongMessage), note), ids)
  else
    findings[#findings + 1] = finding(R, r.LongLevel, ("taking it for longer than documented: %s%s"):format(
      R:render(r.LongMessage), note), r.facts)
  end
end

-- Whom an intake is for: "in pregnancy for age 30", "for age 4 months".
local function person_text(p)
  local parts = {}
  for _, st in ipairs(p.stages) do parts[#parts + 1] = "in " .. st.id end
  if p.age then parts[#parts + 1] = "for " .. rules.age_text(p.age) end
  return table.concat(parts, " ")
end

-- For a newborn, the prophylaxis a dose matches: given once at birth, not daily.
local function at_birth_text(d, ug)
  for _, f in ipairs(d.at_birth and d.newborn or {}) do
    local scale = f.unit == "mg" and MG or f.unit == "µg" and 1
    local lo, hi = f.low or f.value, f.high or f.value
    if scale and lo and ug >= lo * scale and ug <= hi * scale then
      return ("; %s once at birth is the newborn prophylaxis (%s [%s; %s]), a single dose and not a daily amount"):format(
        dose_text(ug), show.amount(f), f.evidence, f.id)
    end
  end
  return ""
end

-- The person's own intake figure (a child's, a pregnancy's) against the
-- dose: within it is ok; above it, not studied for this person, since the
-- documented uses are for other adults. The figure is k2.dose's for the case.
local function check_intake(R, findings, form, ug, p, older)
  local d = dose.build(R, { form = form, age = p.age, sex = p.sex, pregnant = p.pregnant, lactating = p.lactating,
    stages = p.stages })
  local most, facts = dose.recommended(d)
  local who = person_text(p)
  if most and ug <= most then
    findings[#findings + 1] = finding(R, "ok", ("%s a day is within the adequate intake %s (%s at most)"):format(
      dose_text(ug), who, dose_text(most)), facts)
    return
  end
  local ids, whom = {}, {}
  for _, f in ipairs(facts) do ids[#ids + 1] = f end
  for _, r in ipairs(older) do whom[#whom + 1] = R:fact(r.Dose).population; ids[#ids + 1] = r.Dose end
  local documented = #whom > 0 and ("the amounts documented as used safely are for " .. table.concat(whom, ", and for "))
    or "no documented use in k2's data is about this case"
  findings[#findings + 1] = finding(R, "caution", ("%s a day is %s; %s, so this dose was not checked %s: not studied"
    .. " at this dose%s"):format(dose_text(ug),
    most and ("more than the adequate intake " .. who .. " (" .. dose_text(most) .. ")") or "a dose no source gives",
    documented, who, at_birth_text(d, ug)), ids)
end

-- The documented limits for the form, the same for every age: beyond them is
-- "not studied at this dose" with the highest documented figure and its
-- source. Within them, a child or a pregnancy is held to its own intake.
local function check_limits(R, findings, form, ug, hours, p)
  local limits, broad = limits_for(R, form)
  local covering = covering_limit(R, limits, ug, hours)
  local note = broad and (" (no limit is documented for %s as such; the lowest one is used)"):format(form) or ""
  local beyond, older, tightest = false, {}, nil
  for _, r in ipairs(limits) do
    local dose_fact = R:fact(r.Dose)
    local limit = number_of(dose_fact)
    if p.age and dose_fact.age_min and p.age < dose_fact.age_min then older[#older + 1] = r end
    if ug and ug > limit then
      beyond = true
      findings[#findings + 1] = finding(R, r.Level, ("%s a day is beyond documented use (%s at most, %s [%s]): not"
        .. " studied at this dose; %s%s"):format(dose_text(ug), largest_text(dose_fact), dose_fact.source.id,
        dose_fact.evidence, R:render(r.Message), note), r.facts)
    elseif ug and (not tightest or limit < number_of(R:fact(tightest.Dose))) then
      tightest = r
    end
    check_duration(R, findings, r, covering, hours, note)
  end
  if not ug or beyond then return end
  if #older > 0 or #p.stages > 0 then return check_intake(R, findings, form, ug, p, older) end
  local top = R:fact(tightest.Dose)
  findings[#findings + 1] = finding(R, "ok", ("%s a day is within documented use: up to %s (%s)%s"):format(dose_text(ug),
    largest_text(top), top.population, note), { tightest.Dose })
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

local function lines(a, width)
  local what = { a.form }
  if a.dose_ug then what[#what + 1] = dose_text(a.dose_ug) end
  if a.age then what[#what + 1] = rules.age_text(a.age) end
  if a.pregnant then what[#what + 1] = "pregnant" end
  if a.lactating then what[#what + 1] = "breastfeeding" end
  if a.duration_h then what[#what + 1] = "for " .. duration_text(a.duration_h) end
  if #a.meds > 0 then what[#what + 1] = "with " .. table.concat(a.meds, ", ") end
  if #a.conditions > 0 then what[#what + 1] = "conditions: " .. table.concat(a.conditions, ", ") end
  -- the evidence behind the level: that of the findings at it
  local behind = {}
  for _, f in ipairs(a.findings) do if f.level == a.level then behind[#behind + 1] = f.evidence end end
  local out = show.wrap_into({}, ("check %s: %s%s"):format(table.concat(what, ", "), a.level:upper(),
    #behind > 0 and (" [" .. answer.distinct(behind) .. "]") or ""), width, "  ", "")
  if #a.findings == 0 then out[#out + 1] = "  no finding in k2's data for this combination" end
  for _, f in ipairs(a.findings) do
    local ids = {}
    for _, x in ipairs(f.facts) do ids[#ids + 1] = x.id end
    show.wrap_into(out, f.message .. (#ids > 0 and (" [" .. f.evidence .. "; " .. table.concat(ids, ", ") .. "]")
      or (" [evidence: " .. f.evidence .. "]")), width, "      ", ("  %-8s "):format(f.level))
  end
  return answer.tail_into(out, a, width)
end

check.Check = answer.define("check", lines)

--- check.answer(R, o) → a check answer | nil, message (o checked by args.options).
-- Names in a list that are blank ("   "): an input error, not an unnamed medicine.
-- A blank item, or one longer than any name k2 matches (the limit text_max_bytes), refused
-- before the words of a long text are split and compared.
local function blank_item(items, label)
  for i, item in ipairs(items) do
    if #item > core.limits.text_max_bytes then
      return ("%s %d of %d is %d bytes long; at most %d (the limit text_max_bytes): name it in fewer words"):format(
        label, i, #items, #item, core.limits.text_max_bytes)
    end
    if #args.split_list(item) == 0 then
      return ("%s %d of %d is blank: name it or leave it out"):format(label, i, #items)
    end
  end
  return nil
end

-- Conditions that name a life stage (pregnant, breastfeeding) set it on the
-- person; the rest stay conditions.
local function stage_conditions(R, p, conditions)
  local rest = {}
  for _, item in ipairs(conditions) do
    for _, name in ipairs(args.split_list(item)) do
      local r = R.names[name:lower()]
      if r and r.kind == "LifeStage" then
        if r.id == "pregnancy" then p.pregnant = true else p.lactating = true end
      else
        rest[#rest + 1] = name
      end
    end
  end
  return rest
end

-- A life stage's findings without a dose: the intake for it, and (caution) that
-- no documented supplement use is about it.
local function stage_findings(R, findings, p, ug)
  if #p.stages == 0 or ug then return end -- with a dose, check_limits compares it with the intake
  local d = dose.build(R, { form = "K", age = p.age, sex = p.sex, pregnant = p.pregnant, lactating = p.lactating,
    stages = p.stages })
  local most, facts = dose.recommended(d)
  local ids = #facts > 0 and facts or p.stages[1].facts
  findings[#findings + 1] = finding(R, "ok", ("%s: %s%s"):format(person_text(p), p.stages[1].About,
    most and (" (" .. dose_text(most) .. " a day at most)") or ""), ids)
  -- the intakes are for the diet: without a dose, "is it safe" is not answered OK
  findings[#findings + 1] = finding(R, "caution", R:render(p.stages[1].NoDose), ids)
end

--- check.answer(R, o) → a check answer | nil, message (o checked by args.options).
function check.answer(R, o)
  local form, err = R:form(o.form or args.calls.check.by_name.form.default)
  if not form then return nil, err end
  local p
  p, err = R:person("check", o)
  if not p then return nil, err end
  local amount
  amount, err = amounts(o)
  if not amount then return nil, err end
  local ug, hours = amount.ug, amount.hours
  local meds, conditions = text_list(o.meds), text_list(o.conditions)
  err = blank_item(meds, "medicine") or blank_item(conditions, "condition")
  if err then return nil, err end
  conditions = stage_conditions(R, p, conditions)
  p, err = R:with_stages(p)
  if not p then return nil, err end
  if not (o.form or ug or hours or p.age or #meds > 0 or #conditions > 0 or #p.stages > 0) then
    return nil, "nothing to check: give a form, a dose, an age, a duration, medicines or conditions"
  end
  local findings = {}
  for _, r in ipairs(R:for_form("FormRule", form)) do findings[#findings + 1] = finding(R, r.Level, R:render(r.Message), r.facts) end
  -- a form to avoid at any dose (K3) has no documented safe amount of its own; another
  -- form's limits would only blur that
  local avoid_form = false
  for _, f in ipairs(findings) do if f.level == "avoid" then avoid_form = true end end
  if not avoid_form then check_limits(R, findings, form, ug, hours, p) end
  for _, r in ipairs(R:for_form("AgeRule", form)) do
    if p.age and p.age < number_of(R:fact(r.Below)) / HOURS_PER_YEAR then
      findings[#findings + 1] = finding(R, r.Level, R:render(r.Message), r.facts)
    end
  end
  stage_findings(R, findings, p, ug)
  check_names(R, findings, meds, "Medicine", form, "medicine", ug)
  check_names(R, findings, conditions, "Condition", form, "condition", ug)
  local level = "ok"
  for _, f in ipairs(findings) do
    if LEVELS[f.level] > LEVELS[level] then level = f.level end
  end
  local facts = {}
  for _, f in ipairs(findings) do for _, x in ipairs(f.facts) do facts[#facts + 1] = x end end
  return setmetatable(answer.shaped({ form = form, dose_ug = ug, age = p.age, sex = o.sex and p.sex or nil,
    pregnant = p.pregnant or nil, lactating = p.lactating or nil, duration_h = hours, meds = meds,
    conditions = conditions, level = level, findings = findings, conflicts = answer.conflicts_of(R, facts),
    sources = answer.sources_of(facts), notes = p.stage_notes or {}, notice = R:notice() }), check.Check)
end

return check
