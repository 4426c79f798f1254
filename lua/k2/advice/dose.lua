--- k2.advice.dose: k2.dose — how much, from the DoseSource rules of
--- data/advice.rec and the facts they cite: the primary source's figures
--- for the age, sex and pregnancy asked about, the other sources' beside
--- them, the nearest figures when none covers the case (never stretched to
--- fit), and the age rules' notes. Every answer lists its basis, shows where
--- sources disagree and ends with the notice.
---
--- Units: amounts as the facts give them (µg/day), ages in years.

local core = require("k2.core")
local args = require("k2.args")
local show = require("k2.show")
local answer = require("k2.advice.answer")
local rules = require("k2.advice.rules")

local dose = {}

-- How people write a sex; the facts say male or female.
local SEXES = { male = "male", man = "male", men = "male", m = "male", female = "female", woman = "female",
  women = "female", f = "female" }

-- Whether fact f covers the case q (age, sex, pregnant, lactating).
local function covers(R, f, q)
  if q.age then
    if f.age_min and q.age < f.age_min then return false end
    if f.age_max and q.age >= f.age_max then return false end -- age_max is exclusive
    if not f.ages and q.age < R:adult_age() then return false end -- unbanded figures are for adults
  end
  if f.sex and q.sex and f.sex ~= q.sex then return false end
  -- Rows only for mothers say so first ("pregnant or breastfeeding ..."); rows that
  -- merely include them ("adults, pregnant ... included") apply to everyone.
  local pop = f.population:lower()
  if pop:find("^pregnan") or pop:find("^breastfeed") or pop:find("^lactat") then return q.pregnant or q.lactating end
  return true
end

local function age_distance(f, age)
  if not age then return 0 end
  if f.age_min and age < f.age_min then return f.age_min - age end
  if f.age_max and age > f.age_max then return age - f.age_max end
  return 0
end

-- "general" for a source without a purpose, "purpose" when it names a word of the one asked.
local function purpose_match(source, purpose)
  if not source.Purpose then return "general" end
  if not purpose then return nil end
  local asked = {}
  for word in purpose:lower():gmatch("%a+") do asked[word] = true end
  for _, word in ipairs(rules.list(source.Purpose)) do
    if asked[word] then return "purpose" end
  end
  return nil
end

local function known_purposes(R)
  local words, seen = {}, {}
  for _, s in ipairs(R:of_kind("DoseSource")) do
    for _, w in ipairs(rules.list(s.Purpose)) do
      if not seen[w] then seen[w] = true; words[#words + 1] = w end
    end
  end
  return table.concat(words, ", ")
end

-- The case asked about, or nil, message.
local function question(R, o)
  local by_name = args.calls.dose.by_name
  local form, err = R:form(o.form or by_name.form.default)
  if not form then return nil, err end
  if o.age ~= nil and not args.in_range(by_name.age, o.age) then
    return nil, ("age %s: give an age from 0 to %d years"):format(tostring(o.age), args.MAX_AGE_Y)
  end
  local sex = o.sex
  if sex ~= nil then
    sex = SEXES[sex:lower()]
    if not sex then return nil, ("sex '%s': give 'male' or 'female'"):format(o.sex) end
  end
  if (o.pregnant or o.lactating) and sex == "male" then return nil, "pregnant or lactating and male: give one or the other" end
  if o.pregnant or o.lactating then sex = "female" end
  return { form = form, age = o.age, sex = sex, purpose = o.purpose, pregnant = o.pregnant == true,
    lactating = o.lactating == true }
end

-- Picks the primary source's covering facts as the basis, the others' as context.
local function pick_sources(R, q, a)
  local purpose_found, chosen, for_purpose = false, nil, {}
  for _, src in ipairs(R:of_kind("DoseSource")) do
    local match = src.forms[q.form] and purpose_match(src, q.purpose)
    if match == "purpose" then
      purpose_found = true
      if src.Role == "primary" and not chosen then chosen = src end
    end
  end
  for _, src in ipairs(R:of_kind("DoseSource")) do
    local match = src.forms[q.form] and purpose_match(src, q.purpose)
    if match then
      local picked, all = {}, {}
      for _, id in ipairs(src.facts) do
        local f = R:fact(id)
        all[#all + 1] = f
        if covers(R, f, q) then picked[#picked + 1] = f end
      end
      local primary = src.Role == "primary" and (src == chosen or (not chosen and match == "general"))
      if primary and not a.primary then
        a.primary, a.basis = src, picked
        if #picked == 0 then
          table.sort(all, function(x, y) return age_distance(x, q.age) < age_distance(y, q.age) end)
          a.nearest = { all[1], all[2] }
          a.notes[#a.notes + 1] = ("no source gives %s (%s) for this case%s; the nearest figures are shown,"
            .. " not stretched to fit"):format(q.form, src.About, q.age and (" at age " .. core.format_number(q.age, 1)) or "")
        end
      else
        for _, f in ipairs(picked) do
          a.context[#a.context + 1] = f
          if match == "purpose" then for_purpose[#for_purpose + 1] = f end
        end
      end
    end
  end
  return purpose_found, chosen, for_purpose
end

-- Notes on what the figures are not: a purpose matched only beside the answer, pregnancy not covered.
local function scope_notes(q, a, chosen, for_purpose)
  if q.purpose and not chosen and #for_purpose > 0 then
    local what = {}
    for _, f in ipairs(for_purpose) do what[#what + 1] = ("%s (%s, %s)"):format(show.amount(f), f.evidence, f.population) end
    a.notes[#a.notes + 1] = ("no source gives a general daily amount for '%s'; the figures for it are"
      .. " beside the answer: %s"):format(q.purpose, table.concat(what, "; "))
  end
  if q.pregnant or q.lactating then
    local says = false
    for _, f in ipairs(a.basis) do
      local pop = f.population:lower()
      says = says or pop:find("pregnan") or pop:find("breastfeed") or pop:find("lactat")
    end
    if not says and #a.basis > 0 then
      a.notes[#a.notes + 1] = ("no source in k2's data gives an amount of %s for pregnancy or breastfeeding as"
        .. " such; the figures shown are the general ones"):format(q.form)
    end
  end
end

-- The range over the basis, unless it holds several age bands and no age was given.
local function headline(a)
  -- one range over several bands would read as a single recommendation
  local bands = {}
  for _, f in ipairs(a.basis) do bands[f.ages or ""] = true end
  a.by_age = a.age == nil and next(bands, next(bands)) ~= nil
  for _, f in ipairs(a.by_age and {} or a.basis) do
    local lo, hi = f.low or f.value, f.high or f.value
    if lo and (not a.low or lo < a.low) then a.low = lo end
    if hi and (not a.high or hi > a.high) then a.high = hi end
    a.unit = a.unit or f.unit
  end
end

-- Context facts once each (not repeating the basis), then conflicts and sources over everything shown.
local function gather(R, a)
  local all, seen, context = {}, {}, {}
  for _, f in ipairs(a.basis) do all[#all + 1] = f; seen[f.id] = true end
  for _, f in ipairs(a.nearest) do all[#all + 1] = f; seen[f.id] = true end
  for _, f in ipairs(a.context) do
    if not seen[f.id] then all[#all + 1] = f; seen[f.id] = true; context[#context + 1] = f end
  end
  a.context = context
  for _, w in ipairs(a.warnings) do for _, id in ipairs(w.facts) do all[#all + 1] = R:fact(id) end end
  a.conflicts = answer.conflicts_of(R, all)
  a.sources = answer.sources_of(all)
end

local function lines(a, width)
  local who = {}
  if a.age then who[#who + 1] = "age " .. core.format_number(a.age, 1) end
  if a.sex then who[#who + 1] = a.sex end
  if a.pregnant then who[#who + 1] = "pregnant" end
  if a.lactating then who[#who + 1] = "breastfeeding" end
  if a.purpose then who[#who + 1] = "for " .. a.purpose end
  local head = ("%s dose%s: "):format(a.form, #who > 0 and (" (" .. table.concat(who, ", ") .. ")") or "")
  if a.by_age then
    head = head .. "figures differ by age band (give an age) — " .. a.primary.About
  elseif a.low then
    head = head .. show.amount({ low = a.low ~= a.high and a.low or nil, high = a.low ~= a.high and a.high or nil,
      value = a.low == a.high and a.low or nil, unit = a.unit }) .. " — " .. a.primary.About
  else
    head = head .. "no sourced figure for this case"
  end
  local out = show.wrap_into({}, head, width, "  ", "")
  answer.warnings_into(out, a, width)
  answer.basis_into(out, a.basis, "  basis:", width)
  answer.basis_into(out, a.nearest, "  nearest sources:", width)
  answer.basis_into(out, a.context, "  beside it:", width)
  return answer.tail_into(out, a, width)
end

-- The rule record behind the answer, as its id and what it is (not its raw fields).
local function to_table(a)
  local t = show.plain(a)
  if a.primary then t.primary = { id = a.primary.id, about = a.primary.About } end
  return t
end

dose.Dose = answer.define("dose", lines, to_table)

--- dose.answer(R, o) → a dose answer | nil, message (o checked by args.options).
function dose.answer(R, o)
  local q, err = question(R, o)
  if not q then return nil, err end
  local a = { form = q.form, age = q.age, sex = q.sex, purpose = q.purpose, pregnant = q.pregnant or nil,
    lactating = q.lactating or nil, basis = {}, context = {}, nearest = {}, notes = {},
    warnings = answer.form_warnings(R, q.form), notice = R:notice() }
  local purpose_found, chosen, for_purpose = pick_sources(R, q, a)
  scope_notes(q, a, chosen, for_purpose)
  if q.purpose and not purpose_found then
    return nil, ("purpose '%s': no purpose-specific figures for %s; known purposes: %s"):format(q.purpose, q.form,
      known_purposes(R))
  end
  headline(a)
  for _, r in ipairs(R:of_kind("AgeRule")) do
    if r.forms[q.form] and q.age and q.age < rules.number_of(R:fact(r.Below)) / rules.HOURS_PER_YEAR then
      a.notes[#a.notes + 1] = r.Message
      for _, id in ipairs(r.facts) do a.context[#a.context + 1] = R:fact(id) end
    end
  end
  if q.age == nil then a.notes[#a.notes + 1] = "no age given: figures for every age band are shown" end
  gather(R, a)
  return setmetatable(answer.shaped(a), dose.Dose)
end

return dose
