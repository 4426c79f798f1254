--- k2.ask: a question as people write it → the answer k2 has for it. The
--- question is read with the phrasing of data/ask.rec (served by the store's
--- rules, store:rules()): its intent (dose, timing, check, pk, or a search of
--- the facts), and the inputs it names — the form ("mk7", "vitamin K2"), an
--- age ("my 10-year-old", "I'm 65", "for an 8 month old"), sex, pregnancy or
--- breastfeeding, a dose with its unit ("180ug", "0.18 mg"), a schedule
--- ("daily", "every 12 h"), medicines and conditions (the names and brands the
--- safety rules know). The answer comes from the public calls init.lua hands
--- in (ask.new{...}); this module never requires "k2". An ask result says
--- what was understood ("dose question · K2 · age 10") and what was left out,
--- so the user can correct it. A question with no clear intent, or one whose
--- dedicated answer cannot be built from what it names, is searched instead.
---
--- Units: doses in micrograms (µg), ages in years, schedules in hours — as
--- the calls they feed take them. No figure lives here: age units (Per) and
--- schedules (Every) come from data/ask.rec.

local shapes = require("k2.shapes")

local ask = {}

local unpack = rawget(table, "unpack") or rawget(_G, "unpack") -- LuaJIT has only the global

---------------------------------------------------------------- words

-- Lower case; a number and a word written together are two words ("180ug",
-- "mk7"); only letters, digits, a decimal point inside a number and bytes of
-- UTF-8 letters (µ) survive. Also returns, for each word, whether it was
-- written glued to the word before ("d3" → "d", "3": glued[2] = true; not
-- "ng/ml", where something stood between them).
local function words_of(text)
  local s = text:lower():gsub("[’']", ""):gsub("[\1\2]", " ") -- the two markers below
  s = s:gsub("(%d)%.(%d)", "%1\1%2"):gsub("[^%w\1\128-\255]+", " ")
  s = s:gsub("(%d)([%a\128-\255])", "%1\2%2"):gsub("([%a\128-\255])(%d)", "%1\2%2"):gsub("\1", ".")
  local out, glued = {}, {}
  for token in s:gmatch("%S+") do
    local first = true
    for w in token:gmatch("[^\2]+") do
      out[#out + 1] = w
      glued[#out] = not first
      first = false
    end
  end
  return out, glued
end

local function split_list(text)
  local out = {}
  for item in (text or ""):gmatch("[^,]+") do
    item = item:match("^%s*(.-)%s*$")
    if item ~= "" then out[#out + 1] = item end
  end
  return out
end

-- A phrase index: first word → phrases {words=, value=} starting with it, longest first.
local function phrase_index(list)
  local by_first = {}
  for _, p in ipairs(list) do
    local w = words_of(p.text)
    if #w > 0 then
      p.words = w
      by_first[w[1]] = by_first[w[1]] or {}
      table.insert(by_first[w[1]], p)
    end
  end
  for _, l in pairs(by_first) do table.sort(l, function(a, b) return #a.words > #b.words end) end
  return by_first
end

-- 1 when phrase p is at position i of `words` (its words unused unless `any`).
local function is_at(p, words, i, used, any)
  for k = 1, #p.words do
    local j = i + k - 1
    if words[j] ~= p.words[k] or (used[j] and not any) then return false end
  end
  return true
end

-- The longest phrase of `index` at position i of `words` (skipping used words unless `any`).
local function phrase_at(index, words, i, used, any)
  local list = index[words[i]]
  if not list then return nil end
  for _, p in ipairs(list) do
    if is_at(p, words, i, used, any) then return p end
  end
  return nil
end

local function mark(used, i, n, what)
  for j = i, i + n - 1 do used[j] = what end
end

---------------------------------------------------------------- the phrasing

-- Reads data/ask.rec's records from the store's rules into phrase indexes.
local function load_phrasing(store, vocab)
  local p = { intents = {}, filler = {}, food_filler = {}, drop = {}, ages = {}, leads = {}, persons = {},
    schedules = {} }
  local cues, ages, leads, persons, schedules, adults, age_words = {}, {}, {}, {}, {}, {}, {}
  for _, r in ipairs(assert(store:rules())) do
    if r.kind == "Intent" then
      local intent = { id = r.id, answer = r.Answer, named = {} }
      for _, n in ipairs(split_list(r.Named)) do intent.named[n] = true end
      p.intents[#p.intents + 1] = intent
      for _, c in ipairs(split_list(r.Cues)) do cues[#cues + 1] = { text = c, value = intent } end
      for _, c in ipairs(split_list(r.Weak)) do cues[#cues + 1] = { text = c, value = intent, weak = true } end
    elseif r.kind == "Filler" then
      -- the food record lists the words of a food question that are not the food
      local set = r.id == "food" and p.food_filler or p.filler
      for _, w in ipairs(split_list(r.Words)) do
        for _, part in ipairs(words_of(w)) do set[part] = true end
      end
    elseif r.kind == "Age" then
      for _, w in ipairs(split_list(r.Words)) do ages[#ages + 1] = { text = w, value = tonumber(r.Per) } end
    elseif r.kind == "AgeLead" then
      for _, w in ipairs(split_list(r.Words)) do leads[#leads + 1] = { text = w, value = true } end
    elseif r.kind == "Person" then
      for _, w in ipairs(split_list(r.Words)) do persons[#persons + 1] = { text = w, value = r.id } end
    elseif r.kind == "Adult" then
      for _, w in ipairs(split_list(r.Words)) do adults[#adults + 1] = { text = w, value = r.From } end
    elseif r.kind == "AgeWord" then
      for _, w in ipairs(split_list(r.Words)) do age_words[#age_words + 1] = { text = w, value = r } end
    elseif r.kind == "Schedule" then
      for _, w in ipairs(split_list(r.Words)) do schedules[#schedules + 1] = { text = w, value = tonumber(r.Every) } end
    end
  end
  local named = {}
  for _, kind in ipairs({ "medicines", "conditions" }) do
    for _, name in ipairs(vocab(kind)) do named[#named + 1] = { text = name, value = { kind = kind, name = name } } end
  end
  local purposes = {}
  for _, name in ipairs(vocab("purposes")) do purposes[#purposes + 1] = { text = name, value = name } end
  p.cues, p.ages, p.leads = phrase_index(cues), phrase_index(ages), phrase_index(leads)
  p.persons, p.schedules, p.named = phrase_index(persons), phrase_index(schedules), phrase_index(named)
  p.purposes = phrase_index(purposes)
  p.adults, p.age_words = phrase_index(adults), phrase_index(age_words)
  p.aliases, p.form_prefixes = assert(store:aliases()), {}
  for key in pairs(p.aliases) do
    for n = 1, #key do p.form_prefixes[key:sub(1, n)] = true end
  end
  return p
end

---------------------------------------------------------------- reading a question

local function is_number(w) return w ~= nil and w:match("^%d+%.?%d*$") ~= nil end

-- Forms: the longest run of up to three words that names one ("vitamin k 2").
-- Words of ASCII letters and digits name a form when, written together, they
-- are one of the resolver's keys (store:aliases(): lower case, letters and
-- digits only, as the core keys any text); a run of them that begins no key
-- stops there. Other words (accents, "µ", "2.5") go to the core's resolver
-- (form_of, kept per asker: forms never change).
local function core_form_at(q, i, form_of)
  for span = math.min(3, #q.words - i + 1), 1, -1 do
    local form = form_of(span == 1 and q.words[i] or table.concat(q.words, " ", i, i + span - 1))
    if form then return form, span end
  end
  return nil
end

local function form_at(q, i, p, form_of)
  local key, form, span = "", nil, nil
  local plain = not q.words[i]:find("[^%w]")
  if plain and not p.form_prefixes[q.words[i]] then return nil end -- the common case: no form starts here
  for k = i, math.min(i + 2, #q.words) do
    if q.words[k]:find("[^%w]") then return core_form_at(q, i, form_of) end
  end
  for k = i, math.min(i + 2, #q.words) do
    key = key .. q.words[k]
    if not p.form_prefixes[key] then break end
    if p.aliases[key] then form, span = p.aliases[key], k - i + 1 end
  end
  return form, span
end

local function read_forms(q, p, form_of)
  for i = 1, #q.words do
    if not q.used[i] and not is_number(q.words[i]) then
      local form, span = form_at(q, i, p, form_of)
      if form then
        if not q.form then q.form = form end
        mark(q.used, i, span, "form")
      end
    end
  end
end

-- A number and the dose unit after it ("180 ug", "0.18 mg").
local function read_dose(q, parse_dose)
  for i = 1, #q.words - 1 do
    if not q.used[i] and is_number(q.words[i]) and not q.used[i + 1] then
      local ug = parse_dose(q.words[i] .. " " .. q.words[i + 1])
      if ug then
        q.dose = q.dose or ug
        q.dose_text = q.dose_text or (q.words[i] .. " " .. q.words[i + 1])
        mark(q.used, i, 2, "dose")
      end
    end
  end
end

-- "10 year old", "8 months", or a lead ("I'm", "aged") before a bare number.
local function read_age(q, p)
  for i = 1, #q.words do
    if not q.used[i] and is_number(q.words[i]) then
      local unit = q.words[i + 1] and phrase_at(p.ages, q.words, i + 1, q.used)
      if unit then
        q.age = q.age or tonumber(q.words[i]) / unit.value
        mark(q.used, i, 1 + #unit.words, "age")
      end
    end
  end
  for i = 1, #q.words do
    local lead = not q.used[i] and phrase_at(p.leads, q.words, i, q.used)
    local n = lead and i + #lead.words
    if lead and is_number(q.words[n]) and not q.used[n] then
      q.age = q.age or tonumber(q.words[n])
      mark(q.used, i, n - i + 1, "age")
    end
  end
end

-- "daily", "twice a day", or "every 12 h" (a duration the core parses).
local function read_schedule(q, p, parse_duration)
  for i = 1, #q.words do
    if not q.used[i] then
      local s = phrase_at(p.schedules, q.words, i, q.used)
      if s then
        q.every = q.every or s.value
        mark(q.used, i, #s.words, "schedule")
      elseif q.words[i] == "every" and is_number(q.words[i + 1]) and q.words[i + 2] then
        local h = parse_duration(q.words[i + 1] .. " " .. q.words[i + 2])
        if h then q.every = q.every or h; mark(q.used, i, 3, "schedule") end
      end
    end
  end
end

-- Who it is about (sex, pregnancy), medicines, conditions and purposes.
local function read_names(q, p)
  for i = 1, #q.words do
    local person = not q.used[i] and phrase_at(p.persons, q.words, i, q.used)
    if person then
      if person.value == "pregnant" or person.value == "lactating" then q[person.value] = true
      else q.sex = q.sex or person.value; q.person_sex = true end
      mark(q.used, i, #person.words, "person")
    end
    local named = not q.used[i] and phrase_at(p.named, q.words, i, q.used)
    if named then
      local list = named.value.kind == "medicines" and q.meds or q.conditions
      list[#list + 1] = named.value.name
      mark(q.used, i, #named.words, named.value.kind)
    end
    local purpose = not q.used[i] and phrase_at(p.purposes, q.words, i, q.used)
    if purpose then q.purpose = q.purpose or purpose.value end
  end
  if q.pregnant or q.lactating then q.sex = q.sex or "female" end
end

-- "a newborn", "at birth": words that are an age themselves, the age where
-- a fact's age band starts (data/ask.rec's AgeWord, its From). Read after a
-- number's age, which is the more exact.
local function read_age_word(q, p, fact)
  if q.age then return end
  for i = 1, #q.words do
    local hit = phrase_at(p.age_words, q.words, i, q.used)
    local f = hit and fact(hit.value.From)
    if f and f.age_min and (not q.age or q.age_word == hit.value.id) then
      -- every word of the same age is read ("newborns ... at birth"), none of another
      q.age, q.age_word = f.age_min, hit.value.id
      mark(q.used, i, #hit.words, "age")
    end
  end
end

-- "a woman", "adults" with no age: the age where the adult band of a fact
-- starts (data/ask.rec's Adult, its From). The words stay the person's too.
local function read_adult(q, p, fact)
  if q.age then return end
  for i = 1, #q.words do
    local adult = phrase_at(p.adults, q.words, i, q.used, true)
    local f = adult and fact(adult.value)
    if f and f.age_min then
      q.age, q.adult = f.age_min, true
      if not q.used[i] then mark(q.used, i, #adult.words, "adult") end
      return
    end
  end
end

-- The intent whose cues cover the most words (named medicines and conditions count); a weak
-- cue ("can i take": words any question may hold) counts half a word, whatever its length.
local function read_intent(q, p)
  local score, cue_words = {}, {}
  for i = 1, #q.words do
    local list = p.cues[q.words[i]]
    for _, c in ipairs(list or {}) do
      if is_at(c, q.words, i, q.used, true) then
        score[c.value] = (score[c.value] or 0) + (c.weak and 0.5 or #c.words)
        for k = i, i + #c.words - 1 do cue_words[k] = true end
      end
    end
  end
  for _, intent in ipairs(p.intents) do
    local n = (intent.named.medicines and #q.meds or 0) + (intent.named.conditions and #q.conditions or 0)
      + (intent.named.ages and q.age and not q.adult and 1 or 0)
      + (intent.named.persons and (q.person_sex or q.pregnant or q.lactating) and 1 or 0)
      + (intent.named.stages and (q.pregnant or q.lactating) and 1 or 0)
    if n > 0 then score[intent] = (score[intent] or 0) + 2 * n end
  end
  local best, best_score = nil, 0
  for _, intent in ipairs(p.intents) do
    if (score[intent] or 0) > best_score then best, best_score = intent, score[intent] end
  end
  q.intent = best and best.answer or "search"
  q.cue_words = cue_words
end

local function read(text, p, calls)
  local words, glued = words_of(text)
  local q = { words = words, glued = glued, used = {}, meds = {}, conditions = {} }
  read_forms(q, p, calls.form_of)
  read_dose(q, calls.parse_dose)
  read_age(q, p)
  read_schedule(q, p, calls.parse_duration)
  read_names(q, p)
  read_age_word(q, p, calls.fact)
  read_adult(q, p, calls.fact)
  read_intent(q, p)
  q.content = {}
  for i, w in ipairs(q.words) do
    if not q.used[i] and not p.filler[w] then q.content[#q.content + 1] = { i = i, word = w } end
  end
  return q
end

---------------------------------------------------------------- answering

-- The store never changes, so an answer built from the same inputs is the
-- same answer: kept, in a bounded table that starts over when full.
local MEMO_MAX = 512
local function memo()
  local t, n = {}, 0
  return function(key, build)
    local v = t[key]
    if v == nil then
      local a, err = build()
      if not a then return nil, err end
      if n == MEMO_MAX then t, n = {}, 0 end
      t[key], n, v = a, n + 1, a
    end
    return v
  end
end

local function number(calls, x)
  local text = calls.format_number(x, 2)
  if text:find(".", 1, true) then text = text:gsub("0+$", ""):gsub("%.$", "") end
  return text
end

-- "dose question · K2 · age 10 · female · 180 µg · every 24 h · warfarin"
local function understood(q, kind, calls)
  local parts = { kind == "search" and "search" or (kind .. " question") }
  if q.form then parts[#parts + 1] = q.form end
  if q.adult then parts[#parts + 1] = "adult (age " .. number(calls, q.age) .. "+)"
  elseif q.age_word then parts[#parts + 1] = q.age_word .. " (age " .. number(calls, q.age) .. ")"
  elseif q.age then parts[#parts + 1] = "age " .. number(calls, q.age) end
  if q.sex then parts[#parts + 1] = q.sex end
  if q.pregnant then parts[#parts + 1] = "pregnant" end
  if q.lactating then parts[#parts + 1] = "breastfeeding" end
  if q.purpose and kind == "dose" then parts[#parts + 1] = "for " .. q.purpose end
  if kind == "food" then parts[#parts + 1] = q.food_text
  elseif q.dose then parts[#parts + 1] = number(calls, q.dose) .. " µg" end
  if q.every then parts[#parts + 1] = "every " .. number(calls, q.every) .. " h" end
  for _, m in ipairs(q.meds) do parts[#parts + 1] = m end
  for _, c in ipairs(q.conditions) do parts[#parts + 1] = c end
  return table.concat(parts, " · ")
end

-- The inputs each answer takes; what it cannot take is left out.
local TAKES = {
  dose = { form = true, age = true, sex = true, purpose = true, pregnant = true, lactating = true },
  timing = { form = true },
  check = { form = true, dose = true, age = true, meds = true, conditions = true, pregnant = true, lactating = true },
  pk = { form = true, dose = true, every = true },
  food = { form = true, dose = true }, -- a food's amount reads as a dose ("50 g"): it is the food's
  search = { meds = true, conditions = true }, -- searched for as written
}

-- The food and its amount as the question writes them: its words less the
-- form's, the names read and the food question's own words ("how much
-- vitamin K in a cup of kale" → "1 cup of kale"; "a"/"an" before the
-- amount is one of it).
local function food_text(q, p)
  local out = {}
  for i, w in ipairs(q.words) do
    local used = q.used[i]
    if (not used or used == "dose") and not p.food_filler[w] then
      out[#out + 1] = (w == "a" or w == "an") and "1" or w
    end
  end
  while out[1] == "1" and (out[2] == nil or out[2] == "1") do table.remove(out, 1) end
  return table.concat(out, " ")
end

-- "how much vitamin K in spinach", "how much K2 is in natto": a dose cue ("how much") with
-- "in" before words that name a food — every one of them a whole word of the food's USDA
-- name ("eggs" for "Egg, whole"), not a prefix ("morning" is no "Morningstar") — asks about
-- the food; question and filler words and the package's deprecated foods do not count, and
-- a cue of an intent after "in" ("in the morning") keeps the question what it was. Only
-- dose questions with "in" pay for the food search.
local function names_food(q, p, calls)
  local api = calls.foods and calls.foods()
  local at
  for i, w in ipairs(q.words) do if w == "in" and not q.used[i] then at = i end end
  if not (api and at) then return false end
  local words = {}
  for i = at + 1, #q.words do
    local w = q.words[i]
    if q.cue_words[i] then return false end -- "in the morning": another intent's cue, not a food
    if not q.used[i] and not p.food_filler[w] and not p.filler[w] and not w:match("^[%d.]+$") and w ~= "a" and w ~= "an" then
      words[#words + 1] = w
    end
  end
  if #words == 0 then return false end
  local list = api.foods(table.concat(words, " "), { limit = 1 })
  -- a deprecated food is no everyday name ("seven in the morning", a discontinued cereal)
  local name = list and list[1] and not list[1].partial and not list[1].deprecated and " " .. list[1].name:lower():gsub("%W+", " ") .. " "
  if not name then return false end
  for _, w in ipairs(words) do
    local stem = w:gsub("e?s$", "")
    if not (name:find(" " .. w .. " ", 1, true) or name:find(" " .. stem .. " ", 1, true)) then return false end
  end
  return true
end

-- A food question (issue 14's k2.intake / k2.foods / k2.food, when this k2
-- has them): an amount of a food is an intake; a food alone is its entry.
local function food_answer(q, calls)
  local api = calls.foods and calls.foods()
  if not api then return nil, "food answers need k2.foods, which this k2 does not have yet" end
  local text = q.food_text
  if text == "" then return nil, "no food named" end
  if text:find("%d") then
    local a = api.intake({ text })
    if a then return a end
  end
  local list = api.foods((text:gsub("^[%d.]+%s*", "")), { limit = 1 })
  -- a food holding only some of the words is not the food asked about ("people die less of heart disease")
  if not list or #list == 0 or list[1].partial then return nil, ("no food called '%s'"):format(text) end
  return api.food(list[1].id)
end

local function build_dedicated(q, kind, calls)
  if kind == "dose" then
    return calls.dose({ form = q.form, age = q.age, sex = q.sex, purpose = q.purpose,
      pregnant = q.pregnant, lactating = q.lactating })
  elseif kind == "timing" then
    return calls.timing({ form = q.form })
  elseif kind == "check" then
    -- with nothing named to check, a plain "ok" would say less than the facts
    local named = #q.meds + #q.conditions > 0 or q.dose or q.age or q.pregnant or q.lactating
    -- pregnancy and breastfeeding are conditions the check reads (its life stages, issue 11)
    local conditions = { unpack(q.conditions) }
    if q.pregnant then conditions[#conditions + 1] = "pregnancy" end
    if q.lactating then conditions[#conditions + 1] = "breastfeeding" end
    local a, err = calls.check({ form = q.form, dose = q.dose, age = q.age,
      meds = #q.meds > 0 and q.meds or nil, conditions = #conditions > 0 and conditions or nil })
    if a and not named and a.level == "ok" then return nil, "nothing named to check (a medicine, condition, dose or age)" end
    return a, err
  elseif kind == "food" then
    return food_answer(q, calls)
  elseif kind == "pk" then
    if not q.form then return nil, "a model question needs a form (K1, MK-4, MK-7)" end
    local pk = calls.pk()
    if q.dose and q.every then return pk.steady_state({ form = q.form, dose = q.dose, every = q.every }) end
    return pk.params(q.form)
  end
  return nil
end

local function dedicated(q, kind, calls)
  local key = table.concat({ kind, tostring(q.form), tostring(q.age), tostring(q.sex), tostring(q.purpose),
    tostring(q.pregnant), tostring(q.lactating), tostring(q.dose), tostring(q.every),
    table.concat(q.meds, ","), table.concat(q.conditions, ","), kind == "food" and q.food_text or "" }, "\0")
  if kind == "food" then return build_dedicated(q, kind, calls) end -- the food table may come and go (tests)
  return calls.answers(key, function() return build_dedicated(q, kind, calls) end)
end

-- Words the store has (any fact matches them) and words it has not, when
-- the search list does not say (the core's lists carry matched/unmatched).
local function matched_words(q, calls)
  local matched, unmatched = {}, {}
  for _, c in ipairs(q.content) do
    local known = calls.word_known(c.word, function()
      local hits = calls.store():search(c.word, 1)
      return { hits ~= nil and #hits > 0 }
    end)
    if known[1] then matched[#matched + 1] = c.word else unmatched[#unmatched + 1] = c.word end
  end
  return matched, unmatched
end

local function search(q, text, calls, limit)
  local terms, glued, last = {}, q.glued, nil
  for i, w in ipairs(q.words) do
    -- a form, medicine or condition the question names is searched for, as written
    local named = q.used[i] == "form" or q.used[i] == "medicines" or q.used[i] == "conditions"
    if named or not q.used[i] and not q.filler_of(w) then
      -- a name written in one piece that no reader took ("d3") is searched as written
      if glued[i] and last == i - 1 and not q.used[i] and not q.used[i - 1] then terms[#terms] = terms[#terms] .. w
      else terms[#terms + 1] = w end
      last = i
    end
  end
  local limits = calls.limits
  while #terms > limits.search_max_terms do table.remove(terms) end
  local list = #terms > 0 and calls.search(table.concat(terms, " "), { limit = limit }) or nil
  if not list then list = calls.search(text:sub(1, limits.search_max_bytes), { limit = limit }) end
  if not list then return nil end
  if not list.matched then list.matched, list.unmatched = matched_words(q, calls) end
  return list
end

local function answer(text, q, calls, limit, notes)
  local kind = q.intent
  if kind ~= "search" then
    local a, err = dedicated(q, kind, calls)
    if a then return kind, a end
    notes[#notes + 1] = ("not a %s answer: %s; searched instead"):format(kind, tostring(err))
  end
  return "search", search(q, text, calls, limit)
end

-- What the question said that the answer did not use.
local function left_out(q, kind, list)
  local out, takes = {}, TAKES[kind]
  local function add(what) out[#out + 1] = what end
  if q.age and not takes.age and not q.adult then add("age") end
  if q.sex and q.person_sex and not takes.sex then add(q.sex) end -- not when only pregnancy implied it
  if q.pregnant and not takes.pregnant then add("pregnant") end
  if q.lactating and not takes.lactating then add("breastfeeding") end
  if q.dose and not takes.dose then add(q.dose_text) end
  if q.every and not takes.every then add("schedule") end
  for _, m in ipairs(not takes.meds and q.meds or {}) do add(m) end
  for _, c in ipairs(not takes.conditions and q.conditions or {}) do add(c) end
  if kind == "search" then
    for _, w in ipairs(list and list.unmatched or {}) do add(w) end
  elseif kind ~= "food" then -- a food answer reads every other word as the food
    for _, c in ipairs(q.content) do if not q.cue_words[c.i] then add(c.word) end end
  end
  return out
end

---------------------------------------------------------------- the result

--- ask.lines(result, width) → the result's lines: what was understood, what
--- was left out, then the answer's own lines.
function ask.lines(r, width)
  local show = require("k2.show")
  local out = {}
  show.wrap_into(out, r.understood, width, "  ", "understood: ")
  if #r.left_out > 0 then show.wrap_into(out, table.concat(r.left_out, ", "), width, "  ", "left out: ") end
  for _, n in ipairs(r.notes) do show.wrap_into(out, n, width, "  ", "note: ") end
  if r.kind == "search" and r.answer and r.answer.matched and #r.answer.unmatched > 0 then
    show.wrap_into(out, table.concat(r.answer.matched, ", "), width, "  ", "matched: ")
  end
  if r.answer and #r.answer == 0 and r.kind == "search" then out[#out + 1] = "no fact matches these words"
  elseif r.answer then
    for _, line in ipairs(r.answer:lines(width)) do out[#out + 1] = line end
  end
  return out
end

--- ask.to_table(result) → {kind=, understood=, left_out=, notes=, inputs=, answer=}
function ask.to_table(r)
  local inputs = {}
  for k, v in pairs(r.inputs) do
    if type(v) == "table" then
      local copy = {}
      for i, x in ipairs(v) do copy[i] = x end
      v = copy
    end
    inputs[k] = v
  end
  local a = r.answer and r.answer:to_table() or nil
  if a and r.kind == "search" then
    a = { facts = a, matched = { unpack(r.answer.matched or {}) },
      unmatched = { unpack(r.answer.unmatched or {}) } }
  end
  return { kind = r.kind, understood = r.understood, left_out = { unpack(r.left_out) },
    notes = { unpack(r.notes) }, inputs = inputs, answer = a }
end

--- ask.new(calls) → the k2.ask function. calls: store (→ the store handle),
--- dose, timing, check, pk (→ the pk module), search, form, parse_dose,
--- parse_duration, format_number, vocab, limits, options (the option checker).
function ask.new(public)
  -- the answers and the words known, kept per store (see memo)
  local calls = setmetatable({ answers = memo(), word_known = memo() }, { __index = public })
  local forms, n_forms = {}, 0
  calls.form_of = function(text)
    local f = forms[text]
    if f == nil then
      f = public.form(text) or false
      if n_forms == MEMO_MAX then forms, n_forms = {}, 0 end
      forms[text], n_forms = f, n_forms + 1
    end
    return f or nil
  end
  local phrasing
  return function(text, opts)
    local limit = opts and opts.limit
    if not phrasing then phrasing = load_phrasing(calls.store(), calls.vocab) end
    if #text > calls.limits.search_max_bytes then
      return nil, ("question too long (at most %d bytes)"):format(calls.limits.search_max_bytes)
    end
    local q = read(text, phrasing, calls)
    if #q.words == 0 then return nil, "the question has no words; ask e.g. 'how much MK-7 for a 40 year old?'" end
    q.filler_of = function(w) return phrasing.filler[w] end
    if q.intent == "dose" and names_food(q, phrasing, calls) then q.intent = "food" end
    if q.intent == "food" then q.food_text = food_text(q, phrasing) end
    local notes = {}
    local kind, a = answer(text, q, calls, limit, notes)
    if not a then return nil, "the question has no words k2 can search; ask e.g. 'what does vitamin K2 do?'" end
    local r = { kind = kind, understood = understood(q, kind, calls), answer = a, notes = notes,
      inputs = { form = q.form, age = q.age, sex = q.sex, pregnant = q.pregnant, lactating = q.lactating,
        dose = q.dose, every = q.every, purpose = q.purpose,
        meds = #q.meds > 0 and q.meds or nil, conditions = #q.conditions > 0 and q.conditions or nil } }
    r.left_out = left_out(q, kind, kind == "search" and a or nil)
    return setmetatable(r, shapes.ask)
  end
end

return ask
