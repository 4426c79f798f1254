--- k2.advice.dose: k2.dose — how much, from the DoseSource, LifeStage and
--- Newborn rules of data/advice.rec and the facts they cite. The headline
--- leads with the strongest evidence (the agencies' adequate intakes, for
--- every form and age; a pregnancy's or breastfeeding's by age), each figure
--- with its evidence type and source and never joined with another into a
--- range no source gives; the popular figures stand beside them, labelled.
--- A newborn's prophylaxis is shown as a single dose at birth; a source's
--- gap in ages is said; the nearest figures, when none covers the case, never
--- come from an older band. The answer's level is its warnings' (the form's
--- rules, the age rules), which k2.check repeats at the amount recommended.
---
--- Units: amounts as the facts give them (µg/day), ages in years (months
--- are twelfths of a year).

local core = require("k2.core")
local args = require("k2.args")
local show = require("k2.show")
local answer = require("k2.advice.answer")
local rules = require("k2.advice.rules")

local dose = {}

-- Whether a fact is only for mothers: in pregnancy, while breastfeeding.
-- Such rows say so first ("pregnant ...", "breastfeeding ..."); rows that
-- merely include them ("adults, pregnant ... included") apply to everyone.
local function read_mothers_only(f)
  local pop = f.population:lower()
  if pop:find("^pregnant or breastfeed") then return true, true end
  return pop:find("^pregnan") ~= nil, pop:find("^breastfeed") ~= nil or pop:find("^lactat") ~= nil
end

-- Read once per fact (facts never change; every answer asks of dozens).
local mothers_of = setmetatable({}, { __mode = "k" })
local function mothers_only(f)
  local m = mothers_of[f]
  if not m then
    m = { read_mothers_only(f) }
    mothers_of[f] = m
  end
  return m[1], m[2]
end

-- Whether fact f covers the case q (age, sex, pregnant, lactating).
local function covers(R, f, q)
  if q.age then
    if f.age_min and q.age < f.age_min then return false end
    if f.age_max and q.age >= f.age_max then return false end -- age_max is exclusive
    if not f.ages and q.age < R:adult_age() then return false end -- unbanded figures are for adults
  end
  if f.sex and q.sex and f.sex ~= q.sex then return false end
  local pregnancy, breastfeeding = mothers_only(f)
  if pregnancy or breastfeeding then return (pregnancy and q.pregnant) or (breastfeeding and q.lactating) end
  return true
end

local function age_distance(f, age)
  if not age then return 0 end
  if f.age_min and age < f.age_min then return f.age_min - age end
  if f.age_max and age > f.age_max then return age - f.age_max end
  return 0
end

-- A figure as a headline gives it: the amount, then how its source got it
-- (the evidence type), how sure it is and whom it is for.
local function figure_text(f)
  local tags = { f.evidence }
  if f.certainty then tags[#tags + 1] = f.certainty end
  if f.sex then tags[#tags + 1] = f.sex end
  return ("%s [%s; %s]"):format(show.amount(f), table.concat(tags, ", "), f.source.id)
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
  local form, err = R:form(o.form or args.calls.dose.by_name.form.default)
  if not form then return nil, err end
  local q
  q, err = R:person("dose", o)
  if not q then return nil, err end
  q.form, q.purpose = form, o.purpose
  return q
end

-- Any form: the life stages' intakes are for vitamin K of every form.
local EVERY_FORM = setmetatable({}, { __index = function() return true end })

-- The dose sources to read, in order: the life stages asked about first (they
-- then replace the general primary figures), then the DoseSource rules.
local function sources_for(R, q)
  local list = {}
  if #q.stages > 0 then
    local facts, about = {}, {}
    for _, st in ipairs(q.stages) do
      for _, id in ipairs(st.facts) do facts[#facts + 1] = id end
      about[#about + 1] = st.About
    end
    list[1] = { id = "life-stage", Role = "primary", forms = EVERY_FORM, facts = facts,
      About = table.concat(about, "; ") }
  end
  for _, src in ipairs(R:of_kind("DoseSource")) do
    if not (list[1] and src.Role == "primary" and not src.Purpose) then list[#list + 1] = src end
  end
  return list
end

-- The figures nearest the case when none covers it: never from a band that
-- starts above the asker's age (an older band's amount is not a baby's).
local function nearest_of(all, age)
  local fit = {}
  for _, f in ipairs(all) do
    if show.amount(f) and not (age and f.age_min and f.age_min > age) then fit[#fit + 1] = f end
  end
  table.sort(fit, function(x, y) return age_distance(x, age) < age_distance(y, age) end)
  return { fit[1], fit[2] }
end

-- The bands a source's figures cover, as their facts write them.
local function bands_of(all)
  local bands, seen, sorted = {}, {}, {}
  for _, f in ipairs(all) do sorted[#sorted + 1] = f end
  table.sort(sorted, function(x, y) return (x.age_min or 0) < (y.age_min or 0) end)
  for _, f in ipairs(sorted) do
    local b = f.ages or "adults"
    if show.amount(f) and not seen[b] then seen[b] = true; bands[#bands + 1] = b end
  end
  return table.concat(bands, ", ")
end

-- The youngest age a source's figures start at, or nil when one has no lower bound.
local function youngest_of(all)
  local youngest = math.huge
  for _, f in ipairs(all) do
    if show.amount(f) then youngest = math.min(youngest, f.age_min or 0) end
  end
  return youngest < math.huge and youngest or nil
end

-- Picks the primary source's covering facts as the basis (those of its
-- first covering fact's source; the rest beside it), the others' as context.
local function pick_sources(R, q, a)
  local purpose_found, chosen, for_purpose = false, nil, {}
  local list = sources_for(R, q)
  for _, src in ipairs(list) do
    local match = src.forms[q.form] and purpose_match(src, q.purpose)
    if match == "purpose" then
      purpose_found = true
      if src.Role == "primary" and not chosen then chosen = src end
    end
  end
  for _, src in ipairs(list) do
    local match = src.forms[q.form] and purpose_match(src, q.purpose)
    if match then
      local picked, all = {}, {}
      for _, id in ipairs(src.facts) do
        local f = R:fact(id)
        all[#all + 1] = f
        if covers(R, f, q) then picked[#picked + 1] = f end
      end
      local primary = src.Role == "primary" and (src == chosen or (not chosen and match == "general"))
      local where = q.age and (" at age " .. core.format_number(q.age, 2)) or ""
      if primary and not a.primary then
        a.primary = src
        for _, f in ipairs(picked) do
          local list_for = f.source.id == picked[1].source.id and a.basis or a.context
          list_for[#list_for + 1] = f
        end
        if #picked == 0 then
          a.nearest = nearest_of(all, q.age)
          a.notes[#a.notes + 1] = ("no source gives %s (%s) for this case%s; %s"):format(q.form, src.About, where,
            #a.nearest > 0 and "the nearest figures are shown, not stretched to fit"
              or ("its figures are for older ages (%s), and none is stretched down to fit"):format(bands_of(all)))
        end
      else
        for _, f in ipairs(picked) do
          a.context[#a.context + 1] = f
          if match == "purpose" then for_purpose[#for_purpose + 1] = f end
        end
        if #picked == 0 and q.age and bands_of(all) ~= "" then -- the gap, said
          local youngest = youngest_of(all)
          a.notes[#a.notes + 1] = ("%s: no figure%s (%sthey cover %s)"):format(src.About, where,
            youngest and youngest > q.age and ("they start at " .. rules.age_text(youngest) .. "; ") or "", bands_of(all))
        end
      end
    end
  end
  return purpose_found, chosen, for_purpose
end

-- Whether a fact is about this form as such (not vitamin K in general).
local function about_form(f, form)
  for _, x in ipairs(f.forms) do if x == form then return true end end
  return false
end

-- Notes on what the figures are not: a purpose matched only beside the answer, pregnancy not for this form.
local function scope_notes(q, a, chosen, for_purpose)
  if q.purpose and not chosen and #for_purpose > 0 then
    local what = {}
    for _, f in ipairs(for_purpose) do what[#what + 1] = ("%s (%s, %s)"):format(show.amount(f), f.evidence, f.population) end
    a.notes[#a.notes + 1] = ("no source gives a general daily amount for '%s'; the figures for it are"
      .. " beside the answer: %s"):format(q.purpose, table.concat(what, "; "))
  end
  if #q.stages > 0 and #a.basis > 0 then
    local own = false
    for _, list in ipairs({ a.basis, a.context }) do
      for _, f in ipairs(list) do
        local pregnancy, breastfeeding = mothers_only(f)
        own = own or (about_form(f, q.form) and (pregnancy or breastfeeding))
      end
    end
    if not own and q.form ~= "K" then
      a.notes[#a.notes + 1] = ("no source in k2's data gives an amount of %s for pregnancy or breastfeeding as"
        .. " such; the figures shown are the agencies' for vitamin K as a whole"):format(q.form)
    end
  end
end

-- The span over the basis (a.low, a.high) and its figures one by one: a
-- headline never joins two sources' figures into a range neither gives.
local function headline(a)
  -- one range over several bands would read as a single recommendation
  local bands = {}
  for _, f in ipairs(a.basis) do bands[f.ages or ""] = true end
  a.by_age = a.age == nil and next(bands, next(bands)) ~= nil
  a.figures = {}
  local seen = {}
  for _, f in ipairs(a.by_age and {} or a.basis) do
    local lo, hi = f.low or f.value, f.high or f.value
    if lo and (not a.low or lo < a.low) then a.low = lo end
    if hi and (not a.high or hi > a.high) then a.high = hi end
    a.unit = a.unit or (lo and f.unit)
    local text = show.amount(f) and figure_text(f)
    if text and not seen[text] then seen[text] = true; a.figures[#a.figures + 1] = text end
  end
end

-- The prophylaxis given once at birth, for a newborn and the forms a Newborn rule lists.
local function newborn_into(R, q, a)
  if not q.age then return end
  for _, r in ipairs(R:of_kind("Newborn")) do
    local facts = {}
    for _, id in ipairs(r.facts) do
      local f = R:fact(id)
      if covers(R, f, q) then facts[#facts + 1] = f end
    end
    if #facts > 0 then
      a.newborn, a.newborn_about = facts, r.About
      a.at_birth = covers(R, R:fact(r.facts[1]), q) or nil -- the rule's first fact is the dose at birth
      -- a baby's prophylaxis is shown whatever form was asked, named as the form it is given in
      if not r.forms[q.form] then a.newborn_form = rules.list(r.Forms)[#rules.list(r.Forms)] end
    end
  end
end

-- Context facts once each (not repeating the basis), then conflicts and sources over everything shown.
local function gather(R, a)
  local all, seen, context = {}, {}, {}
  for _, list in ipairs({ a.basis, a.nearest, a.newborn }) do
    for _, f in ipairs(list) do all[#all + 1] = f; seen[f.id] = true end
  end
  for _, f in ipairs(a.context) do
    if not seen[f.id] then all[#all + 1] = f; seen[f.id] = true; context[#context + 1] = f end
  end
  a.context = context
  for _, w in ipairs(a.warnings) do for _, id in ipairs(w.facts) do all[#all + 1] = R:fact(id) end end
  a.conflicts = answer.conflicts_of(R, all)
  a.sources = answer.sources_of(all)
end

-- The figures beside the answer, each with its evidence type; one source's
-- figure once, though two of its facts give it (EFSA's adult 70 µg, and the
-- same 70 µg for pregnancy).
local function beside_text(a)
  local out, seen = {}, {}
  for _, f in ipairs(a.context) do
    local key = show.amount(f) and f.unit == a.unit and show.amount(f) .. " " .. f.source.id
    if key and not seen[key] then seen[key] = true; out[#out + 1] = figure_text(f) end
  end
  return table.concat(out, "; ")
end

local function lines(a, width)
  local who = {}
  if a.age then who[#who + 1] = rules.age_text(a.age) end
  if a.sex then who[#who + 1] = a.sex end
  if a.pregnant then who[#who + 1] = "pregnant" end
  if a.lactating then who[#who + 1] = "breastfeeding" end
  if a.purpose then who[#who + 1] = "for " .. a.purpose end
  local head = ("%s dose%s: "):format(a.form, #who > 0 and (" (" .. table.concat(who, ", ") .. ")") or "")
  if a.by_age then
    head = head .. ("figures differ by age band (give an age) [%s] — %s"):format(a.basis[1].evidence, a.primary.About)
  elseif #a.figures > 0 then
    head = head .. table.concat(a.figures, "; ") .. " — " .. a.primary.About
  else
    head = head .. "no sourced figure for this case [evidence: none]"
  end
  local out = show.wrap_into({}, head, width, "  ", "")
  local beside = not a.by_age and a.low and beside_text(a) or ""
  if beside ~= "" then show.wrap_into(out, "beside them: " .. beside, width, "    ", "  ") end
  if a.at_birth then
    local given = a.newborn_form and (" as %s, not %s"):format(a.newborn_form, a.form) or ""
    show.wrap_into(out, ("at birth, once (not a daily amount)%s: %s — %s"):format(given, figure_text(a.newborn[1]),
      a.newborn_about), width, "    ", "  ")
  end
  answer.warnings_into(out, a, width)
  answer.basis_into(out, a.basis, "  basis:", width)
  answer.basis_into(out, a.newborn or {}, a.newborn_form and ("  prophylaxis after birth (%s):"):format(a.newborn_form)
    or "  prophylaxis after birth:", width)
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

--- dose.build(R, q) → the dose answer for a checked case q (form, purpose and
--- a person from R:person), or nil, message; k2.check reads the amount it
--- recommends from it.
function dose.build(R, q)
  local a = { form = q.form, age = q.age, sex = q.sex, purpose = q.purpose, pregnant = q.pregnant or nil,
    lactating = q.lactating or nil, basis = {}, context = {}, nearest = {}, notes = q.stage_notes or {},
    warnings = answer.form_warnings(R, q.form), notice = R:notice() }
  local purpose_found, chosen, for_purpose = pick_sources(R, q, a)
  scope_notes(q, a, chosen, for_purpose)
  if q.purpose and not purpose_found then
    return nil, ("purpose '%s': no purpose-specific figures for %s; known purposes: %s"):format(q.purpose, q.form,
      known_purposes(R))
  end
  headline(a)
  newborn_into(R, q, a)
  for _, r in ipairs(R:for_form("AgeRule", q.form)) do
    if q.age and q.age < rules.number_of(R:fact(r.Below)) / rules.HOURS_PER_YEAR then
      a.warnings[#a.warnings + 1] = { level = r.Level, message = R:render(r.Message), facts = r.facts }
    end
  end
  a.level = "ok"
  for _, w in ipairs(a.warnings) do
    if rules.LEVELS[w.level] > rules.LEVELS[a.level] then a.level = w.level end
  end
  if q.age == nil then a.notes[#a.notes + 1] = "no age given: figures for every age band are shown" end
  gather(R, a)
  return setmetatable(answer.shaped(a), dose.Dose)
end

--- dose.answer(R, o) → a dose answer | nil, message (o checked by args.options).
function dose.answer(R, o)
  local q, err = question(R, o)
  if not q then return nil, err end
  return dose.build(R, q)
end

--- dose.recommended(a) → the largest daily amount a dose answer's basis gives
--- (µg/day) and the facts it comes from, or nil when it gives none.
function dose.recommended(a)
  local best, facts = nil, {}
  for _, f in ipairs(a.by_age and {} or a.basis) do
    local ug = (f.unit == "µg/day" or f.unit == "mg/day") and rules.number_of(f)
    if ug then
      facts[#facts + 1] = f
      if not best or ug > best then best = ug end
    end
  end
  return best, facts
end

return dose
