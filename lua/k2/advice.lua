--- k2.advice: dose, timing and safety answers — k2.dose, k2.timing and
--- k2.check — computed from the rules in data/advice.rec (read through the
--- store), the facts they cite, and the pharmacokinetic model. No dose, age,
--- drug name or threshold is written here: each comes from a rule or a fact,
--- and every answer lists its basis, shows where sources disagree, and says
--- it is information, not medical advice.
---
--- Units: doses in µg (text through k2.parse_dose), ages in years,
--- durations in hours (text through k2.parse_duration).

local core = require("k2.core")
local args = require("k2.args")
local core_limits = core.limits
local advice = {}
local k2, store -- set by _attach

local LEVELS = { ok = 1, caution = 2, warning = 3, avoid = 4 }
local HOURS_PER_YEAR = 8766 -- a unit, not a figure: 365.25 days, as k2.parse_duration counts a year
-- What the timing answer computes (definitions, not sourced figures): the
-- time until one dose falls below this fraction of its peak, and steady
-- state on dosing once a day.
local BELOW_FRACTION, DAILY_H = 0.5, 24

function advice._attach(module, get_store) k2, store = module, get_store end

-- The lists inside an answer print readably too (d.basis, ch.findings, ...).
local LIST_SHAPES = { basis = "fact_list", context = "fact_list", nearest = "fact_list", notes = "list",
  findings = "items", conflicts = "items", warnings = "items", sources = "source_list" }
local function shaped(answer)
  for key, kind in pairs(LIST_SHAPES) do
    local l = answer[key]
    -- an empty fact list prints "(none)", not the search's "try fewer words"
    if type(l) == "table" and getmetatable(l) == nil then setmetatable(l, k2._shapes[#l == 0 and "items" or kind]) end
  end
  for _, key in ipairs({ "findings", "warnings" }) do
    for _, f in ipairs(answer[key] or {}) do
      if getmetatable(f) == nil and f.message then setmetatable(f, k2._shapes.finding) end
    end
  end
  return answer
end

---------------------------------------------------------------- rules

local rules -- loaded once: { DoseSource = {...}, Limit = {...}, ..., names = {lower name -> rule} }

local function list(text) return args.split_list(text or "") end

local function set_of(text)
  local s = {}
  for _, v in ipairs(list(text)) do s[v] = true end
  return s
end

local function load_rules()
  if rules then return rules end
  rules = { names = {} }
  for _, r in ipairs(assert(store():rules())) do
    r.forms, r.facts = set_of(r.Forms), list(r.Facts)
    rules[r.kind] = rules[r.kind] or {}
    table.insert(rules[r.kind], r)
    for _, n in ipairs(list(r.Names)) do rules.names[n:lower()] = r end
  end
  return rules
end

local function fact(id) return assert(k2.fact(id), "data/advice.rec names a missing fact: " .. id) end

local function amount_text(f) return require("k2.show").amount(f) end

-- The largest amount a fact allows: its value, or the top of its range.
local function largest_text(f)
  if f.value or not f.high then return amount_text(f) end
  local show = require("k2.show")
  return show.number(f.high) .. " " .. f.unit
end

-- A rule's message with each {fact-id} replaced by that fact's number and unit.
local function render(msg)
  return (msg:gsub("{([^}]+)}", function(id) return amount_text(fact(id)) or id end))
end

--- The notice every dosing and safety answer carries (data/advice.rec).
function advice.notice() return render(load_rules().Notice[1].Message) end

-- Age (years) from which dose facts without an age band apply.
local function adult_age() return fact(load_rules().Adults[1].Fact).age_min end

local function width() return require("k2.show").width or 78 end

-- A fact's number in µg/day or hours, from its Value (or High for a bound).
local function number_of(f)
  local v = f.value or f.high
  local scale = ({ ["mg/day"] = 1000, ["µg/day"] = 1, y = HOURS_PER_YEAR, h = 1 })[f.unit]
  return v and scale and v * scale
end

---------------------------------------------------------------- arguments

-- Age in years (a number, checked by args.options); false, message when out of range.
local function age_of(fname, v)
  if v == nil then return nil end
  local ok = args.in_range(args.calls[fname].by_name.age, v)
  if not ok then return false, ("age %s: give an age from 0 to %d years"):format(tostring(v), args.MAX_AGE_Y) end
  return v
end

-- The form (a string, checked by args.options), canonical; the call's default without one.
local function form_of(fname, v)
  if v == nil then return args.calls[fname].by_name.form.default end
  return k2.form(v)
end

-- A list option: one text is a list of one.
local function text_list(v)
  if v == nil then return {} end
  if type(v) == "string" then return { v } end
  return v
end

-- Rules of `kind` that name `form`.
local function rules_for(kind, form)
  local out = {}
  for _, r in ipairs(load_rules()[kind] or {}) do if r.forms[form] then out[#out + 1] = r end end
  return out
end

-- The form rules (such as "avoid menadione") as warnings for any answer.
local function form_warnings(form)
  local out = {}
  for _, r in ipairs(rules_for("FormRule", form)) do
    out[#out + 1] = { level = r.Level, message = render(r.Message), facts = r.facts }
  end
  return out
end

---------------------------------------------------------------- shared answer parts

-- Conflicts behind a set of facts: each with its summary and the facts on every side.
local function conflicts_of(facts)
  local seen, out = {}, {}
  for _, f in ipairs(facts) do
    for _, id in ipairs(f.conflicts) do
      if not seen[id] then
        seen[id] = true
        out[#out + 1] = assert(k2.conflict(id))
      end
    end
  end
  return out
end

local function sources_of(facts)
  local seen, out = {}, {}
  for _, f in ipairs(facts) do
    if not seen[f.source.id] then
      seen[f.source.id] = true
      out[#out + 1] = f.source
    end
  end
  return out
end

local function wrap(text, indent, first) return require("k2.show").wrap(text, width(), indent, first) end

local function basis_lines(out, facts, title)
  if #facts == 0 then return end
  out[#out + 1] = title
  for _, f in ipairs(facts) do
    local a = amount_text(f)
    out[#out + 1] = wrap(("%s%s [%s; %s]"):format(a and (a .. " — ") or "", f.claim, f.evidence, f.id), "      ", "  - ")
  end
end

local function warning_lines(out, answer)
  for _, w in ipairs(answer.warnings or {}) do
    out[#out + 1] = wrap(("%s [%s]"):format(w.message, table.concat(w.facts, ", ")), "      ", ("  %s: "):format(w.level:upper()))
  end
end

local function tail_lines(out, answer)
  for _, c in ipairs(answer.conflicts) do
    out[#out + 1] = wrap(c.summary, "      ", ("  ! sources disagree [%s]: "):format(c.id))
    out[#out + 1] = wrap(table.concat(c.facts, ", "), "      ", "    facts: ")
  end
  for _, n in ipairs(answer.notes) do out[#out + 1] = wrap(n, "    ", "  note: ") end
  local cites = {}
  for _, s in ipairs(answer.sources) do cites[#cites + 1] = ("[%s] %s"):format(s.id, require("k2.show").cite(s)) end
  if #cites > 0 then out[#out + 1] = wrap(table.concat(cites, "; "), "    ", "  sources: ") end
  out[#out + 1] = wrap(answer.notice, "", "")
end

---------------------------------------------------------------- dose

local Dose = { __name = "k2.dose" }
local SEXES = { male = "male", man = "male", men = "male", m = "male", female = "female", woman = "female",
  women = "female", f = "female" }

local function covers(f, q)
  if q.age then
    if f.age_min and q.age < f.age_min then return false end
    if f.age_max and q.age >= f.age_max then return false end -- age_max is exclusive
    if not f.ages and q.age < adult_age() then return false end -- unbanded figures are for adults
  end
  if f.sex and q.sex and f.sex ~= q.sex then return false end
  -- Rows only for mothers say so first ("pregnant or breastfeeding ..."); rows that
  -- merely include them ("adults, pregnant ... included") apply to everyone.
  local mother = f.population:lower():find("^pregnan") or f.population:lower():find("^breastfeed")
    or f.population:lower():find("^lactat")
  if mother then return q.pregnant or q.lactating end
  return true
end

local function age_distance(f, age)
  if not age then return 0 end
  if f.age_min and age < f.age_min then return f.age_min - age end
  if f.age_max and age > f.age_max then return age - f.age_max end
  return 0
end

local function purpose_match(source, purpose)
  if not source.Purpose then return "general" end
  if not purpose then return nil end
  local asked = {}
  for word in purpose:lower():gmatch("%a+") do asked[word] = true end
  for _, word in ipairs(list(source.Purpose)) do
    if asked[word] then return "purpose" end
  end
  return nil
end

local function known_purposes()
  local words, seen = {}, {}
  for _, s in ipairs(load_rules().DoseSource) do
    for _, w in ipairs(list(s.Purpose)) do
      if not seen[w] then seen[w] = true; words[#words + 1] = w end
    end
  end
  return table.concat(words, ", ")
end

--- k2.dose{form=, age=, sex=, purpose=, pregnant=, lactating=} → {low, high, unit, basis, conflicts, notes, ...}
function advice.dose(o)
  o = args.options("dose", 1, o)
  local form, err = form_of("dose", o.form)
  if not form then return nil, err end
  local age
  age, err = age_of("dose", o.age)
  if age == false then return nil, err end
  local sex = o.sex
  if sex ~= nil then
    sex = SEXES[sex:lower()]
    if not sex then return nil, ("sex '%s': give 'male' or 'female'"):format(o.sex) end
  end
  if (o.pregnant or o.lactating) and sex == "male" then return nil, "pregnant or lactating and male: give one or the other" end
  if o.pregnant or o.lactating then sex = "female" end
  local q = { age = age, sex = sex, pregnant = o.pregnant == true, lactating = o.lactating == true }
  local answer = { form = form, age = age, sex = sex, purpose = o.purpose, pregnant = q.pregnant or nil,
    lactating = q.lactating or nil, basis = {}, context = {}, nearest = {},
    notes = {}, warnings = form_warnings(form), notice = advice.notice() }
  local purpose_found, chosen, for_purpose = false, nil, {}
  for _, src in ipairs(load_rules().DoseSource) do
    local match = src.forms[form] and purpose_match(src, o.purpose)
    if match == "purpose" then
      purpose_found = true
      if src.Role == "primary" and not chosen then chosen = src end
    end
  end
  for _, src in ipairs(load_rules().DoseSource) do
    local match = src.forms[form] and purpose_match(src, o.purpose)
    if match then
      local picked, all = {}, {}
      for _, id in ipairs(src.facts) do
        local f = fact(id)
        all[#all + 1] = f
        if covers(f, q) then picked[#picked + 1] = f end
      end
      local primary = src.Role == "primary" and (src == chosen or (not chosen and match == "general"))
      if primary and not answer.primary then
        answer.primary = src
        answer.basis = picked
        if #picked == 0 then
          table.sort(all, function(a, b) return age_distance(a, age) < age_distance(b, age) end)
          answer.nearest = { all[1], all[2] }
          answer.notes[#answer.notes + 1] = ("no source gives %s (%s) for this case%s; the nearest figures are shown,"
            .. " not stretched to fit"):format(form, src.About, age and (" at age " .. core.format_number(age, 1)) or "")
        end
      else
        for _, f in ipairs(picked) do
          answer.context[#answer.context + 1] = f
          if match == "purpose" then for_purpose[#for_purpose + 1] = f end
        end
      end
    end
  end
  if o.purpose and not chosen and #for_purpose > 0 then
    -- the purpose was only matched by figures shown beside the answer: say so, with what they are
    local what = {}
    for _, f in ipairs(for_purpose) do what[#what + 1] = ("%s (%s, %s)"):format(amount_text(f), f.evidence, f.population) end
    answer.notes[#answer.notes + 1] = ("no source gives a general daily amount for '%s'; the figures for it are"
      .. " beside the answer: %s"):format(o.purpose, table.concat(what, "; "))
  end
  if o.purpose and not purpose_found then
    return nil, ("purpose '%s': no purpose-specific figures for %s; known purposes: %s"):format(o.purpose, form,
      known_purposes())
  end
  if q.pregnant or q.lactating then
    local says = false
    for _, f in ipairs(answer.basis) do
      local pop = f.population:lower()
      says = says or pop:find("pregnan") or pop:find("breastfeed") or pop:find("lactat")
    end
    if not says and #answer.basis > 0 then
      answer.notes[#answer.notes + 1] = ("no source in k2's data gives an amount of %s for pregnancy or breastfeeding as"
        .. " such; the figures shown are the general ones"):format(form)
    end
  end
  -- With no age, the basis can hold several age bands: one range over them would
  -- read as a single recommendation, so the headline then points to the bands.
  local bands = {}
  for _, f in ipairs(answer.basis) do bands[f.ages or ""] = true end
  answer.by_age = age == nil and next(bands, next(bands)) ~= nil
  for _, f in ipairs(answer.by_age and {} or answer.basis) do
    local lo, hi = f.low or f.value, f.high or f.value
    if lo and (not answer.low or lo < answer.low) then answer.low = lo end
    if hi and (not answer.high or hi > answer.high) then answer.high = hi end
    answer.unit = answer.unit or f.unit
  end
  for _, r in ipairs(load_rules().AgeRule or {}) do
    local below = number_of(fact(r.Below)) / HOURS_PER_YEAR
    if r.forms[form] and age and age < below then
      answer.notes[#answer.notes + 1] = r.Message
      for _, id in ipairs(r.facts) do answer.context[#answer.context + 1] = fact(id) end
    end
  end
  if age == nil then answer.notes[#answer.notes + 1] = "no age given: figures for every age band are shown" end
  local all, seen, context = {}, {}, {}
  for _, f in ipairs(answer.basis) do all[#all + 1] = f; seen[f.id] = true end
  for _, f in ipairs(answer.nearest) do all[#all + 1] = f; seen[f.id] = true end
  for _, f in ipairs(answer.context) do
    if not seen[f.id] then all[#all + 1] = f; seen[f.id] = true; context[#context + 1] = f end
  end
  answer.context = context
  for _, w in ipairs(answer.warnings) do for _, id in ipairs(w.facts) do all[#all + 1] = fact(id) end end
  answer.conflicts = conflicts_of(all)
  answer.sources = sources_of(all)
  return setmetatable(shaped(answer), Dose)
end

function Dose.__tostring(a)
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
    head = head .. amount_text({ low = a.low ~= a.high and a.low or nil, high = a.low ~= a.high and a.high or nil,
      value = a.low == a.high and a.low or nil, unit = a.unit }) .. " — " .. a.primary.About
  else
    head = head .. "no sourced figure for this case"
  end
  local out = { wrap(head, "  ", "") }
  warning_lines(out, a)
  basis_lines(out, a.basis, "  basis:")
  basis_lines(out, a.nearest, "  nearest sources:")
  basis_lines(out, a.context, "  beside it:")
  tail_lines(out, a)
  return table.concat(out, "\n")
end

---------------------------------------------------------------- timing

local Timing = { __name = "k2.timing" }

--- k2.timing{form=} → {with_food, fat, time_of_day, tmax_h, below_half_h, t90_h, basis, conflicts, notes}
function advice.timing(o)
  o = args.options("timing", 1, o)
  local form, err = form_of("timing", o.form)
  if not form then return nil, err end
  local answer = { form = form, basis = {}, notes = {}, with_food = false, fat = false, time_of_day = "any",
    warnings = form_warnings(form), notice = advice.notice() }
  for _, src in ipairs(rules_for("TimingSource", form)) do
    for _, id in ipairs(src.facts) do answer.basis[#answer.basis + 1] = fact(id) end
    if src.WithFood == "yes" then answer.with_food, answer.fat = true, true end
  end
  local p, perr = k2.pk.params(form, o.set)
  if not p and o.set ~= nil then return nil, perr end
  if p then
    -- Times after one dose; they do not depend on its size, so the dose is the reference unit.
    local c = assert(k2.pk.simulate({ form = form, set = o.set, dose = 1 }))
    local peak = c:cmax()
    local lo, hi = c:tmax(), c:t_end()
    for _ = 1, 100 do
      local mid = (lo + hi) / 2
      if c:at(mid) > peak * BELOW_FRACTION then lo = mid else hi = mid end
    end
    answer.tmax_h, answer.below_half_h = c:tmax(), (lo + hi) / 2
    answer.t90_h = assert(k2.pk.steady_state({ form = form, set = o.set, dose = 1, every = DAILY_H })).t90_h
    answer.params = p
    answer.notes[#answer.notes + 1] = ("computed by the model (%s, set %s; facts: %s)"):format(form, p.set,
      table.concat(p.sources, ", "))
    for _, id in ipairs(p.sources) do answer.basis[#answer.basis + 1] = fact(id) end
  else
    answer.notes[#answer.notes + 1] = ("no pharmacokinetic model for %s, so no times are computed"):format(form)
  end
  local all = {}
  for _, f in ipairs(answer.basis) do all[#all + 1] = f end
  for _, w in ipairs(answer.warnings) do for _, id in ipairs(w.facts) do all[#all + 1] = fact(id) end end
  answer.conflicts = conflicts_of(all)
  answer.sources = sources_of(all)
  return setmetatable(shaped(answer), Timing)
end

local function hours_text(h) return h and (core.format_number(h, h < 10 and 1 or 0) .. " h") or "?" end

function Timing.__tostring(a)
  local out = { ("%s timing: %s"):format(a.form, a.with_food and "whatever hour suits, together with food that has some fat in it"
    or "no timing advice in the data") }
  warning_lines(out, a)
  if a.tmax_h then
    out[#out + 1] = wrap(("after a dose the level peaks at %s, falls below half the peak at %s; taken daily it"
      .. " reaches 90%% of its steady state after %s (%s days)"):format(hours_text(a.tmax_h), hours_text(a.below_half_h),
      hours_text(a.t90_h), core.format_number(a.t90_h / 24, 1)), "  ", "  ")
  end
  basis_lines(out, a.basis, "  basis:")
  tail_lines(out, a)
  return table.concat(out, "\n")
end

---------------------------------------------------------------- check

local Check = { __name = "k2.check" }
local check_limits

local function finding(level, message, ids)
  local facts, seen = {}, {}
  for _, id in ipairs(ids) do
    if not seen[id] then seen[id] = true; facts[#facts + 1] = fact(id) end
  end
  local src = facts[1] and facts[1].source
  return { level = level, message = message, facts = facts, source = src, evidence = facts[1] and facts[1].evidence }
end

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
local function known_names(kind)
  local out = {}
  for _, r in ipairs(load_rules()[kind] or {}) do out[#out + 1] = list(r.Names)[1] end
  return table.concat(out, ", ")
end

-- Known names near `name` (edit distance), one per record: the closest alias of each.
local function suggestions(name, kind)
  local best = {}
  for known, r in pairs(load_rules().names) do
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
local function find_named(name, kind)
  local names = load_rules().names
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

local function known_finding(r, form, names)
  local level, ids = r.Level, list(r.Facts)
  local f_form, f_level, f_fact = (r.FormLevel or ""):match("^(%S+)%s+(%S+)%s+(%S+)$")
  local extra = ""
  if f_form and k2.form(f_form) == form then
    level = f_level
    table.insert(ids, 1, f_fact)
    extra = (" For %s: %s"):format(form, fact(f_fact).claim)
  end
  return finding(level, ("%s: %s.%s"):format(table.concat(names, ", "), render(r.Message), extra), ids)
end

local function check_names(findings, items, kind, form, label)
  local by_rule, slot = {}, {}
  for _, raw in ipairs(each_name(items)) do
    local name = raw:lower()
    local r, as = find_named(name, kind)
    if r then
      -- one finding per record, naming every way it was written ("Coumadin, warfarin")
      if not by_rule[r] then -- its place in the list is where it was first named
        by_rule[r] = {}
        findings[#findings + 1] = false
        slot[r] = #findings
      end
      local shown = as == name and raw or ("%s (read as %s)"):format(raw, as)
      table.insert(by_rule[r], shown)
    else
      -- Unknown: never a silent "ok". A near spelling counts as what it may be.
      local near, level = suggestions(name, kind), "caution"
      local names, texts = {}, {}
      for _, n in ipairs(near) do
        names[#names + 1] = n.name
        texts[#texts + 1] = ("%s: %s"):format(n.name, render(n.rule.Message))
        if LEVELS[n.rule.Level] > LEVELS[level] then level = n.rule.Level end
      end
      local facts = {}
      for _, n in ipairs(near) do for _, id in ipairs(list(n.rule.Facts)) do facts[#facts + 1] = fact(id) end end
      findings[#findings + 1] = { level = level, facts = facts, source = facts[1] and facts[1].source,
        evidence = facts[1] and facts[1].evidence, unknown = raw, suggestions = names,
        message = ("%s '%s' is not in k2's data, so it was not checked%s"):format(label, raw,
          #near > 0 and ("; did you mean %s? If so (%s): %s."):format(table.concat(names, " or "), level,
            table.concat(texts, "; "))
            or ("; k2 knows: " .. known_names(kind))) }
    end
  end
  for r, i in pairs(slot) do findings[i] = known_finding(r, form, by_rule[r]) end
end

-- The documented limits for the form (or, when no limit names it, the lowest
-- documented safe one); for an age outside the limit's population, the dose
-- is not checked.
check_limits = function(findings, form, ug, hours, age)
  local limits = rules_for("Limit", form)
  local broad = #limits == 0
  if broad then
    -- the lowest of the limits documented as safe use, not of doses merely studied
    for _, r in ipairs(load_rules().Limit or {}) do
      if r.Use == "safe"
        and (not limits[1] or number_of(fact(r.Dose)) < number_of(fact(limits[1].Dose))) then
        limits[1] = r
      end
    end
  end
  -- the longest use documented at this dose or more, among the form's limits
  local covering, unchecked = nil, {}
  for _, r in ipairs(limits) do
    local long, at = number_of(fact(r.Duration)), number_of(fact(r.DurationDose or r.Dose))
    if hours and hours <= long and (ug or 0) <= at and (not covering or long > number_of(fact(covering.Duration))) then
      covering = r
    end
  end
  for _, r in ipairs(limits) do
    local dose_fact = fact(r.Dose)
    local limit, long = number_of(dose_fact), number_of(fact(r.Duration))
    local note = broad and (" (no limit is documented for %s as such; the lowest one is used)"):format(form) or ""
    if age and dose_fact.age_min and age < dose_fact.age_min and (ug or hours) then
      unchecked[#unchecked + 1] = r
    else
      if ug and ug > limit then
        findings[#findings + 1] = finding(r.Level, ("%s µg a day is beyond documented use (%s at most): %s%s"):format(
          core.format_number(ug, 3), largest_text(dose_fact), render(r.Message), note), r.facts)
      end
      if hours and hours > long and covering then
        -- documented by another limit's longer use at this dose: both figures shown, no finding raised
        local ids = list(covering.Facts)
        for _, id in ipairs(r.facts) do ids[#ids + 1] = id end
        findings[#findings + 1] = finding("ok", ("this long a use at this dose is documented: %s; the shorter figure"
          .. " (%s) is about a larger dose%s"):format(render(covering.LongMessage), render(r.LongMessage), note), ids)
      elseif hours and hours > long then
        findings[#findings + 1] = finding(r.LongLevel, ("taking it for longer than documented: %s%s"):format(
          render(r.LongMessage), note), r.facts)
      end
    end
  end
  if #unchecked > 0 then -- one finding for every limit that is about older people
    local who, ids = {}, {}
    for _, r in ipairs(unchecked) do who[#who + 1] = fact(r.Dose).population; ids[#ids + 1] = r.Dose end
    findings[#findings + 1] = finding("caution", ("the amounts documented as used safely are for %s; this dose was"
      .. " not checked for age %s"):format(table.concat(who, ", and for "), core.format_number(age, 2)), ids)
  end
end

-- Hours as a person says them: years from a year on, days from two days on.
local function duration_text(h)
  if h >= HOURS_PER_YEAR then return core.format_number(h / HOURS_PER_YEAR, 2) .. " y" end
  if h >= 48 then return core.format_number(h / 24, 1) .. " d" end
  return core.format_number(h, 2) .. " h"
end

--- k2.check{form=, dose=, age=, meds={...}, conditions={...}, duration=} → {level, findings, ...}
function advice.check(o)
  args.options("check", 1, o)
  local form, err = form_of("check", o.form)
  if not form then return nil, err end
  local age
  age, err = age_of("check", o.age)
  if age == false then return nil, err end
  local ug, hours
  if o.dose ~= nil then
    if type(o.dose) == "number" then
      ug = o.dose
      if not (ug > 0 and ug <= core_limits.dose_max_ug) then
        return nil, ("dose %s µg: must be above 0 and at most %s"):format(tostring(ug), args.dose_text(core_limits.dose_max_ug))
      end
    else ug, err = core.parse_dose(o.dose) end
    if not ug then return nil, err end
  end
  if o.duration ~= nil then
    if type(o.duration) == "number" then
      hours = o.duration
      if not (hours > 0 and hours < math.huge) then return nil, ("duration %s h: must be above 0"):format(tostring(hours)) end
    else hours, err = core.parse_duration(o.duration) end
    if not hours then return nil, err end
  end
  local meds, conditions = text_list(o.meds), text_list(o.conditions)
  if not (o.form or ug or hours or age or #meds > 0 or #conditions > 0) then
    return nil, "nothing to check: give a form, a dose, an age, a duration, medicines or conditions"
  end
  local findings = {}
  for _, r in ipairs(rules_for("FormRule", form)) do findings[#findings + 1] = finding(r.Level, render(r.Message), r.facts) end
  -- a form to avoid at any dose (K3) has no documented safe amount of its own; another
  -- form's limits would only blur that
  local avoid_form = false
  for _, f in ipairs(findings) do if f.level == "avoid" then avoid_form = true end end
  if not avoid_form then check_limits(findings, form, ug, hours, age) end
  for _, r in ipairs(rules_for("AgeRule", form)) do
    if age and age < number_of(fact(r.Below)) / HOURS_PER_YEAR then
      findings[#findings + 1] = finding(r.Level, render(r.Message), r.facts)
    end
  end
  check_names(findings, meds, "Medicine", form, "medicine")
  check_names(findings, conditions, "Condition", form, "condition")
  local level = "ok"
  for _, f in ipairs(findings) do
    if LEVELS[f.level] > LEVELS[level] then level = f.level end
  end
  local facts = {}
  for _, f in ipairs(findings) do for _, x in ipairs(f.facts) do facts[#facts + 1] = x end end
  return setmetatable(shaped({ form = form, dose_ug = ug, age = age, duration_h = hours, meds = meds,
    conditions = conditions, level = level, findings = findings, conflicts = conflicts_of(facts),
    sources = sources_of(facts), notes = {}, notice = advice.notice() }), Check)
end

function Check.__tostring(a)
  local what = { a.form }
  if a.dose_ug then
    -- a dose as people write it: 45 mg rather than 45000 µg
    what[#what + 1] = a.dose_ug >= 1000 and (core.format_number(a.dose_ug / 1000, 3) .. " mg")
      or (core.format_number(a.dose_ug, 3) .. " µg")
  end
  if a.age then what[#what + 1] = "age " .. core.format_number(a.age, 2) end
  if a.duration_h then what[#what + 1] = "for " .. duration_text(a.duration_h) end
  if #a.meds > 0 then what[#what + 1] = "with " .. table.concat(a.meds, ", ") end
  if #a.conditions > 0 then what[#what + 1] = "conditions: " .. table.concat(a.conditions, ", ") end
  local out = { ("check %s: %s"):format(table.concat(what, ", "), a.level:upper()) }
  if #a.findings == 0 then out[#out + 1] = "  no finding in k2's data for this combination" end
  for _, f in ipairs(a.findings) do
    local ids = {}
    for _, x in ipairs(f.facts) do ids[#ids + 1] = x.id end
    out[#out + 1] = wrap(f.message .. (#ids > 0 and (" [" .. (f.evidence or "") .. "; " .. table.concat(ids, ", ") .. "]")
      or ""), "      ", ("  %-8s "):format(f.level))
  end
  tail_lines(out, a)
  return table.concat(out, "\n")
end

return advice
