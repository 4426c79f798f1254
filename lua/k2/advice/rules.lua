--- k2.advice.rules: the rules of data/advice.rec, read once through the
--- store handle (store:rules()), with what every answer needs from them: the
--- rules of a kind and for a form, the record a name refers to, a rule's
--- message with its {fact-id} figures filled in, the notice, and the age of
--- adulthood. No dose, age, name or threshold is written here; each comes
--- from a rule or the fact it names.
---
--- Units: a fact's number is read in µg/day or hours (number_of).

local core = require("k2.core")
local args = require("k2.args")
local show = require("k2.show")
local shapes = require("k2.shapes")

local rules = {}

--- The answer levels, mildest first (an answer's level is its worst finding's).
rules.LEVELS = { ok = 1, caution = 2, warning = 3, avoid = 4 }
-- A unit, not a figure: 365.25 days, as k2.parse_duration counts a year.
rules.HOURS_PER_YEAR = 8766

--- rules.list("a, b") → {"a", "b"} (a rule's list field; nil is empty).
function rules.list(text) return args.split_list(text or "") end

local function set_of(text)
  local s = {}
  for _, v in ipairs(rules.list(text)) do s[v] = true end
  return s
end

-- What a fact's unit is in µg/day or hours.
local SCALE = { ["mg/day"] = 1000, ["µg/day"] = 1, y = rules.HOURS_PER_YEAR, h = 1 }

--- A fact's number in µg/day or hours, from its value (or high, for a bound).
function rules.number_of(f)
  local v = f.value or f.high
  local scale = SCALE[f.unit]
  return v and scale and v * scale
end

--- A fact's lower bound in µg/day or hours: its value, or the low end of its range.
function rules.lowest_of(f)
  local v = f.value or f.low
  local scale = SCALE[f.unit]
  return v and scale and v * scale
end

local Rules = {}
Rules.__index = Rules

--- rules.load(store) → the rules, read from the store handle.
function rules.load(store)
  local self = setmetatable({ store = store, kinds = {}, names = {}, facts = {}, conflicts = {} }, Rules)
  for _, r in ipairs(assert(store:rules())) do
    r.forms, r.facts = set_of(r.Forms), rules.list(r.Facts)
    self.kinds[r.kind] = self.kinds[r.kind] or {}
    table.insert(self.kinds[r.kind], r)
    for _, n in ipairs(rules.list(r.Names)) do self.names[n:lower()] = r end
  end
  return self
end

--- The fact a rule names (an error in data/advice.rec if it is missing);
--- kept per rules object, as the store never changes (answers read dozens).
function Rules:fact(id)
  local f = self.facts[id]
  if not f then
    f = self.store:fact(id)
    if not f then error("data/advice.rec names a missing fact: " .. id, 2) end
    self.facts[id] = f
  end
  return f
end

--- A disagreement as shapes.make_conflict makes it, kept the same way.
function Rules:conflict(id)
  local c = self.conflicts[id]
  if not c then
    c = assert(shapes.make_conflict(self.store:conflict(id)))
    self.conflicts[id] = c
  end
  return c
end

--- The rules of a kind (DoseSource, Limit, Medicine, ...), in data order.
function Rules:of_kind(kind) return self.kinds[kind] or {} end

--- The rules of `kind` that name `form`.
function Rules:for_form(kind, form)
  local out = {}
  for _, r in ipairs(self:of_kind(kind)) do if r.forms[form] then out[#out + 1] = r end end
  return out
end

--- A rule's message with each {fact-id} replaced by that fact's number and unit.
function Rules:render(msg)
  return (msg:gsub("{([^}]+)}", function(id) return show.amount(self:fact(id)) or id end))
end

--- The notice every dosing and safety answer carries.
function Rules:notice()
  if not self.notice_text then self.notice_text = self:render(self:of_kind("Notice")[1].Message) end
  return self.notice_text
end

--- The age (years) from which dose facts without an age band apply.
function Rules:adult_age() return self:fact(self:of_kind("Adults")[1].Fact).age_min end

-- How the sexes of the facts read as people.
local PEOPLE = { female = "women", male = "men" }

--- The LifeStage records asked about (pregnant, lactating) in data order.
function Rules:stages(q)
  local out = {}
  for _, r in ipairs(self:of_kind("LifeStage")) do
    if (r.id == "pregnancy" and q.pregnant) or (r.id == "breastfeeding" and q.lactating) then out[#out + 1] = r end
  end
  return out
end

--- Why a life stage cannot be the case asked about (a sex none of its
--- sources is about, an age below the stage's Below fact; or an age below
--- every figure they give, and true), or
--- nil. The youngest age the stage's facts cover is the youngest the sources
--- speak of.
function Rules:stage_problem(stage, age, sex)
  local youngest, sexes = nil, {}
  for _, id in ipairs(stage.facts) do
    local f = self:fact(id)
    if f.age_min and (not youngest or f.age_min < youngest) then youngest = f.age_min end
    if f.sex then sexes[f.sex] = true end
  end
  local word = rules.list(stage.Names)[1]
  if sex and next(sexes) and not sexes[sex] then
    return ("%s and %s: the sources on %s are about %s only"):format(word, sex, stage.id, PEOPLE[next(sexes)])
  end
  local below = stage.Below and rules.number_of(self:fact(stage.Below)) / rules.HOURS_PER_YEAR
  if age and below and age < below then
    return ("%s at age %s: puberty before age %s counts as early [%s], so k2 takes the age for a slip; give it"
      .. " again or leave %s out"):format(word, show.number(age), show.number(below), stage.Below, word)
  end
  if age and youngest and age < youngest then
    return ("%s at age %s: the sources' figures for %s start at age %s, so the figures shown are those for"
      .. " age %s without %s; ask a doctor or midwife"):format(word, show.number(age), stage.id, show.number(youngest),
      show.number(age), stage.id), true
  end
  return nil
end


--- The person asked about, from a call's options (age in years plus months,
--- sex, pregnant, breastfeeding): {age=, sex=, pregnant=, lactating=, stages=},
--- or nil, message for an age out of range, an unknown sex or an impossible
--- combination (pregnant at 5, pregnant and male).
function Rules:person(fname, o)
  local by_name = args.calls[fname].by_name
  local age = o.age
  for _, key in ipairs({ "age", "months" }) do
    if o[key] ~= nil and not args.in_range(by_name[key], o[key]) then
      local want = key == "months" and "a number of months from 0, for an age up to %d years"
        or "an age from 0 to %d years"
      return nil, ("%s %s: give " .. want):format(key, tostring(o[key]), args.MAX_AGE_Y)
    end
  end
  if o.months ~= nil then age = (age or 0) + o.months / args.MONTHS_PER_YEAR end
  if age and age > args.MAX_AGE_Y then
    return nil, ("age %s: give an age from 0 to %d years"):format(show.number(age), args.MAX_AGE_Y)
  end
  local sex, why
  if o.sex ~= nil then
    sex, why = args.sex_of(o.sex)
    if not sex then return nil, why end
  end
  local p = { age = age, sex = sex, pregnant = o.pregnant == true, lactating = o.lactating == true or o.breastfeeding == true }
  return self:with_stages(p)
end

--- Adds the life stages asked about to person p (checked against their
--- sources; they make the sex female), or nil, message for a sex the
--- sources are not about. An age below every figure of a stage's sources is
--- a real person (pregnant at 13) the sources do not cover: the stage is left
--- out of the figures, and p.stage_notes says so.
function Rules:with_stages(p)
  p.stages, p.stage_notes = {}, {}
  for _, stage in ipairs(self:stages(p)) do
    local problem, too_young = self:stage_problem(stage, p.age, p.sex)
    if problem and not too_young then return nil, problem end
    if problem then p.stage_notes[#p.stage_notes + 1] = problem else p.stages[#p.stages + 1] = stage end
  end
  if p.pregnant or p.lactating then p.sex = "female" end
  return p
end

--- The Threshold records for a Medicine record and a form.
function Rules:thresholds(medicine, form)
  local out = {}
  for _, r in ipairs(self:of_kind("Threshold")) do
    if r.Medicine == medicine.id and r.forms[form] then out[#out + 1] = r end
  end
  return out
end

--- An age as people say it: months under a year ("age 4 months"), else years.
function rules.age_text(age)
  if age > 0 and age < 1 then return "age " .. core.format_number(age * args.MONTHS_PER_YEAR, 2) .. " months" end
  return "age " .. core.format_number(age, 2)
end

--- The canonical form for a name, or nil, message (through the store).
function Rules:form(name) return self.store:form(name) end

return rules
