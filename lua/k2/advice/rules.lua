--- k2.advice.rules: the rules of data/advice.rec, read once through the
--- store handle (store:rules()), with what every answer needs from them: the
--- rules of a kind and for a form, the record a name refers to, a rule's
--- message with its {fact-id} figures filled in, the notice, and the age of
--- adulthood. No dose, age, name or threshold is written here; each comes
--- from a rule or the fact it names.
---
--- Units: a fact's number is read in µg/day or hours (number_of).

local args = require("k2.args")
local show = require("k2.show")

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

local Rules = {}
Rules.__index = Rules

--- rules.load(store) → the rules, read from the store handle.
function rules.load(store)
  local self = setmetatable({ store = store, kinds = {}, names = {} }, Rules)
  for _, r in ipairs(assert(store:rules())) do
    r.forms, r.facts = set_of(r.Forms), rules.list(r.Facts)
    self.kinds[r.kind] = self.kinds[r.kind] or {}
    table.insert(self.kinds[r.kind], r)
    for _, n in ipairs(rules.list(r.Names)) do self.names[n:lower()] = r end
  end
  return self
end

--- The fact a rule names (an error in data/advice.rec if it is missing).
function Rules:fact(id) return assert(self.store:fact(id), "data/advice.rec names a missing fact: " .. id) end

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

--- The canonical form for a name, or nil, message (through the store).
function Rules:form(name) return self.store:form(name) end

return rules
