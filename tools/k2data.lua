-- k2data.lua: validates the fact store's source files (data/**/*.rec) and
-- turns them into the SQL that builds the embedded SQLite image.
--
--   lua5.4 tools/k2data.lua --check data        validate only
--   lua5.4 tools/k2data.lua --sql data > x.sql  validate, then print SQL
--   lua5.4 tools/k2data.lua --stats data        counts by source, topic, passage
--
-- The format is described in data/README.md. Every error names file:line;
-- all errors are printed before the exit status 1. Ages are stored in years
-- (months divided by 12); numbers are copied as written (decimal point only).
-- A fact's evidence type must be one its source's kind allows (vocab.rec
-- Kind/Allows), and a fact's Via names the first-hand source that a
-- second-hand one reports (vocab.rec Evidence/Hand says which types are which).
-- A fact's Matrix names what the vitamin was taken in (vocab.rec Matrix); a
-- model's fat factor must name its matrix, and so must the model, so that the
-- model code can apply the factor only where it was measured.

local M = {}

-- The reader of a study's Measured field, shared with k2.pk (pure Lua, no core needed).
local here = (arg and arg[0] or ""):match("^(.*)/tools/[^/]*$") or "."
package.path = here .. "/lua/?.lua;" .. package.path
local measures = require("k2.measures")

---------------------------------------------------------------- reading

local function fail(errors, file, line, fmt, ...)
  errors[#errors + 1] = ("%s:%d: " .. fmt):format(file, line, ...)
end

-- Splits one file into records: { kind=, id=, file=, line=, fields={name={value,line}...} }.
local function parse_file(path, errors)
  local f = assert(io.open(path, "rb"))
  local text = f:read("a")
  f:close()
  local records, rec, last = {}, nil, nil
  local n = 0
  for raw in (text .. "\n"):gmatch("(.-)\r?\n") do
    n = n + 1
    if raw:find("%z") then fail(errors, path, n, "NUL byte in line") end
    if raw:match("^%s*$") then
      rec, last = nil, nil
    elseif raw:match("^#") then -- luacheck: ignore 542
    elseif raw:match("^%+ ?") then
      if not last then fail(errors, path, n, "continuation line without a field")
      else last.value = last.value .. " " .. raw:gsub("^%+ ?", ""):gsub("%s+$", "") end
    else
      local name, value = raw:match("^([%a][%w_]*):%s*(.-)%s*$")
      if not name then
        fail(errors, path, n, "expected 'Field: value', got %q", raw:sub(1, 40))
      else
        if not rec then
          rec = { kind = name, id = value, file = path, line = n, fields = {}, order = {} }
          records[#records + 1] = rec
        end
        last = { value = value, line = n }
        local list = rec.fields[name]
        if not list then list = {}; rec.fields[name] = list; rec.order[#rec.order + 1] = name end
        list[#list + 1] = last
      end
    end
  end
  return records
end

local function list_files(args)
  local files = {}
  for _, a in ipairs(args) do
    local p = io.popen(("find '%s' -name '*.rec' -type f 2>/dev/null | LC_ALL=C sort"):format(a:gsub("'", "")))
    local found = false
    for line in p:lines() do files[#files + 1] = line; found = true end
    p:close()
    if not found then files[#files + 1] = a end
  end
  return files
end

---------------------------------------------------------------- helpers

local function split_list(s)
  local out = {}
  for item in s:gmatch("[^,]+") do
    item = item:match("^%s*(.-)%s*$")
    if item ~= "" then out[#out + 1] = item end
  end
  return out
end

local function normalize_alias(s)
  return (s:lower():gsub("[^%w]", ""))
end

local NUMBER = "^%d+%.?%d*$"

-- "1-3 y", "0-6 mo", "19+ y" -> min, max (years) or nil, message. A band
-- names whole units and includes its last one: "1-3 y" runs from the first
-- birthday to the day before the fourth, so max is exclusive: 4.
local function parse_ages(s)
  local a, b, unit = s:match("^(%d+%.?%d*)%s*%-%s*(%d+%.?%d*)%s*(%a+)$")
  if not a then
    a, unit = s:match("^(%d+%.?%d*)%+%s*(%a+)$")
  end
  if not a then return nil, "ages must look like '1-3 y', '0-6 mo' or '19+ y'" end
  local scale = ({ y = 1, mo = 1 / 12 })[unit]
  if not scale then return nil, "age unit must be 'y' or 'mo'" end
  local lo, hi = tonumber(a) * scale, b and (tonumber(b) + 1) * scale
  if hi and hi <= lo then return nil, "age band runs backwards" end
  return lo, hi
end

---------------------------------------------------------------- validation

local SINGLE = { Fact = true, Topic = true, Forms = true, Population = true, Ages = true,
  Sex = true, Claim = true, Value = true, Low = true, High = true, Unit = true,
  Evidence = true, Certainty = true, Source = true, Also = true, Seed = true,
  Conflict = true, Note = true, Via = true, Matrix = true, Hand = true, Allows = true, Title = true, Year = true, Kind = true, Ref = true,
  Authors = true, Journal = true, Summary = true, About = true, Broader = true,
  Passage = true, Model = true, Set = true, Form = true, Tmax = true, HalfLife = true, Ka = true,
  Ke = true, Lag = true, V = true, Fat = true, MolWeight = true, RefDose = true,
  BelowQuantification = true, Baseline = true, Accumulation = true, Unavailable = true, Role = true, Facts = true,
  Names = true, Level = true, LongLevel = true, Message = true, LongMessage = true,
  DurationDose = true, Use = true, Below = true, Duration = true, Dose = true,
  FormLevel = true, DoseSource = true, Limit = true, AgeRule = true, FormRule = true, Medicine = true,
  Condition = true, TimingSource = true, WithFood = true, Notice = true, Adults = true,
  LifeStage = true, Newborn = true, Threshold = true, From = true, NoEffect = true,
  Answer = true, Cues = true, Weak = true, Named = true, Words = true, Means = true, Per = true, Every = true,
  Search = true, Observation = true, Amount = true, Measured = true, Food = true, Adult = true,
  AgeWord = true, Times = true, Read = true, Spread = true,
  Subjects = true, Confirmed = true, NoDose = true }

local SCHEMA = {
  Fact = { required = { "Topic", "Forms", "Population", "Claim", "Evidence", "Source" },
           optional = { "Ages", "Sex", "Value", "Low", "High", "Unit", "Certainty", "Also",
                        "Seed", "Conflict", "Note", "Via", "Matrix", "Food" } },
  Source = { required = { "Title", "Year", "Kind", "Ref" }, optional = { "Authors", "Journal", "Note" } },
  Conflict = { required = { "Topic", "Summary" }, optional = {} },
  Passage = { required = { "About", "Source" }, optional = {} },
  Form = { required = { "About" }, optional = { "Broader", "Alias" } },
  Topic = { required = { "About" }, optional = {} },
  Evidence = { required = { "Hand" }, optional = { "About" } }, Certainty = { required = {}, optional = {} },
  Kind = { required = { "Allows" }, optional = { "About" } }, Unit = { required = {}, optional = {} },
  Matrix = { required = { "About" }, optional = {} },
  Stopwords = { required = {}, optional = {} },
  -- a published concentration observation (data/studies/), stored beside the rules (issue 12)
  Observation = { required = { "Form", "Source", "Dose", "Food", "Subjects", "Times", "Level", "Read", "Confirmed" },
                  optional = { "Spread", "Unit", "Note", "Amount", "Measured" } },
  Model = { required = { "Form", "Set", "About" },
            optional = { "Tmax", "HalfLife", "Ka", "Ke", "Lag", "V", "Fat", "MolWeight", "RefDose",
                         "BelowQuantification", "Baseline", "Accumulation", "Unavailable", "Note", "Matrix" } },
}

local RULE_SCHEMA = {
  DoseSource = { required = { "Role", "Forms", "About", "Facts" }, optional = { "Purpose" } },
  Limit = { required = { "Forms", "Dose", "Duration", "Use", "Level", "LongLevel", "Message", "LongMessage", "Facts" },
    optional = { "DurationDose" } },
  AgeRule = { required = { "Forms", "Below", "Level", "Message", "Facts" }, optional = {} },
  FormRule = { required = { "Forms", "Level", "Message", "Facts" }, optional = {} },
  Medicine = { required = { "Names", "Level", "Message", "Facts" }, optional = { "FormLevel" } },
  Condition = { required = { "Names", "Level", "Message", "Facts" }, optional = {} },
  TimingSource = { required = { "Forms", "Facts" }, optional = { "WithFood" } },
  LifeStage = { required = { "Names", "About", "Facts", "NoDose" }, optional = { "Below" } },
  Newborn = { required = { "Forms", "About", "Facts" }, optional = {} },
  Threshold = { required = { "Medicine", "Forms", "From", "About", "Facts" }, optional = { "NoEffect" } },
  Notice = { required = { "Message", "Facts" }, optional = {} },
  Adults = { required = { "Fact" }, optional = {} },
}
for kind, schema in pairs(RULE_SCHEMA) do SCHEMA[kind] = schema end

-- The phrasing of questions (data/ask.rec), read by lua/k2/ask.lua through
-- store:rules() and, for Filler and Synonym, compiled into the search.
local ASK_SCHEMA = {
  Intent = { required = { "About", "Answer", "Cues" }, optional = { "Weak", "Named" } },
  Filler = { required = { "Words" }, optional = { "Search" } },
  Synonym = { required = { "Means" }, optional = {} },
  Age = { required = { "Words", "Per" }, optional = {} },
  AgeLead = { required = { "Words" }, optional = {} },
  Person = { required = { "Words" }, optional = {} },
  Schedule = { required = { "Words", "Every" }, optional = {} },
  Adult = { required = { "Words", "From" }, optional = {} }, -- issue 13: words that say "an adult"
  AgeWord = { required = { "Words", "From" }, optional = {} }, -- issue 13: words that are an age ("a newborn")
}
for kind, schema in pairs(ASK_SCHEMA) do SCHEMA[kind] = schema end
local LEVELS = { ok = true, caution = true, warning = true, avoid = true }
-- Rule fields that name one fact, and the units that fact may carry.
local RULE_UNITS = { Dose = { ["mg/day"] = true, ["µg/day"] = true }, DurationDose = { ["mg/day"] = true, ["µg/day"] = true },
  Duration = { y = true }, Below = { y = true } }

-- Model parameters: the unit the named fact must carry.
local MODEL_UNITS = { Tmax = "h", HalfLife = "h", Ka = "1/h", Ke = "1/h", Lag = "h", V = "L", Fat = "fold",
  MolWeight = "g/mol", RefDose = "µg" }

local function check_shape(rec, errors)
  local schema = SCHEMA[rec.kind]
  if not schema then
    fail(errors, rec.file, rec.line, "unknown record kind '%s' (known: %s)", rec.kind,
      "Fact, Source, Conflict, Passage, Form, Topic, Evidence, Certainty, Kind, Unit, Matrix, Stopwords, the rule kinds"
        .. " and the ask kinds")
    return false
  end
  local allowed = { [rec.kind] = true }
  for _, k in ipairs(schema.required) do
    allowed[k] = true
    if not rec.fields[k] or rec.fields[k][1].value == "" then
      fail(errors, rec.file, rec.line, "%s '%s' has no %s", rec.kind:lower(), rec.id, k)
    end
  end
  for _, k in ipairs(schema.optional) do allowed[k] = true end
  for name, list in pairs(rec.fields) do
    if not allowed[name] then
      fail(errors, rec.file, list[1].line, "%s '%s': unknown field '%s'", rec.kind:lower(), rec.id, name)
    elseif #list > 1 and SINGLE[name] then
      fail(errors, rec.file, list[2].line, "%s '%s': field '%s' given twice", rec.kind:lower(), rec.id, name)
    end
  end
  return true
end

local function get(rec, name)
  local l = rec.fields[name]
  return l and l[1].value or nil, l and l[1].line or rec.line
end

local function names(set)
  local list = {}
  for k in pairs(set) do list[#list + 1] = k end
  table.sort(list)
  return table.concat(list, ", ")
end

-- Checks a field's value against a vocabulary set.
local function check_vocab(rec, field, set, errors, label)
  local v, line = get(rec, field)
  if v and not set[v] then
    fail(errors, rec.file, line, "%s '%s': unknown %s '%s' (known: %s)", rec.kind:lower(), rec.id, label, v, names(set))
  end
end

local function check_numbers(rec, errors, db)
  local value, low, high = get(rec, "Value"), get(rec, "Low"), get(rec, "High")
  for _, f in ipairs({ "Value", "Low", "High" }) do
    local v, line = get(rec, f)
    if v and not v:match(NUMBER) then
      fail(errors, rec.file, line, "fact '%s': %s '%s' is not a plain decimal number", rec.id, f, v)
    end
  end
  if value and (low or high) then
    fail(errors, rec.file, rec.line, "fact '%s': give Value or Low/High, not both", rec.id)
  end
  local lo, hi = tonumber(low or ""), tonumber(high or "")
  if lo and hi and lo > hi then
    fail(errors, rec.file, rec.line, "fact '%s': Low %s is above High %s", rec.id, low, high)
  end
  local unit, uline = get(rec, "Unit")
  if (value or low or high) and not unit then
    fail(errors, rec.file, rec.line, "fact '%s' has a number but no Unit", rec.id)
  elseif unit and not (value or low or high) then
    fail(errors, rec.file, uline, "fact '%s' has a Unit but no number", rec.id)
  end
  check_vocab(rec, "Unit", db.units, errors, "unit")
end

-- The evidence type says how the cited source obtained the figure, so it must
-- be one the source's kind allows: a wiki reporting a PK study is a wiki.
local function check_evidence_fits(db, rec, errors)
  local evidence, line = get(rec, "Evidence")
  local source = db.sources[get(rec, "Source") or ""]
  local kind = source and get(source, "Kind")
  local allowed = kind and db.kinds[kind] and db.kinds[kind].allows
  if evidence and db.evidence[evidence] and allowed and not allowed[evidence] then
    fail(errors, rec.file, line, "fact '%s': evidence type '%s' does not fit its source '%s' (kind '%s'); that kind allows: %s",
      rec.id, evidence, source.id, kind, table.concat(db.kinds[kind].allows_list, ", "))
  end
end

-- Via names the first-hand source (study, label, agency) that a second-hand
-- source reports; only a second-hand evidence type can have one.
local function check_via(db, rec, errors)
  local via, line = get(rec, "Via")
  if not via then return end
  local evidence = get(rec, "Evidence")
  local hand = evidence and db.evidence[evidence] and get(db.evidence[evidence], "Hand")
  local target = db.sources[via]
  if hand and hand ~= "second" then
    fail(errors, rec.file, line, "fact '%s': Via is for second-hand evidence; '%s' is %s-hand", rec.id, evidence, hand)
  end
  if not target then
    fail(errors, rec.file, line, "fact '%s': unknown source '%s' in Via", rec.id, via)
    return
  end
  if via == get(rec, "Source") then fail(errors, rec.file, line, "fact '%s': Via names the fact's own Source", rec.id) end
  for _, s in ipairs(split_list(get(rec, "Also") or "")) do
    if s == via then fail(errors, rec.file, line, "fact '%s': '%s' is in Via, so not in Also", rec.id, via) end
  end
  local kind = db.kinds[get(target, "Kind") or ""]
  if kind and not kind.first_hand then
    fail(errors, rec.file, line, "fact '%s': Via source '%s' (kind '%s') holds no first-hand evidence", rec.id, via,
      get(target, "Kind"))
  end
end

local function check_fact(db, rec, errors)
  if not rec.id:match("^[a-z0-9][a-z0-9.%-]*$") then
    fail(errors, rec.file, rec.line, "fact id '%s' must be lowercase letters, digits, '.' and '-'", rec.id)
  end
  check_vocab(rec, "Topic", db.topics, errors, "topic")
  check_vocab(rec, "Evidence", db.evidence, errors, "evidence type")
  check_vocab(rec, "Certainty", db.certainty, errors, "certainty")
  check_vocab(rec, "Matrix", db.matrices, errors, "matrix")
  check_numbers(rec, errors, db)
  local forms, fline = get(rec, "Forms")
  rec.form_list = split_list(forms or "")
  for _, f in ipairs(rec.form_list) do
    if not db.forms[f] then
      fail(errors, rec.file, fline, "fact '%s': unknown form '%s' (known: %s)", rec.id, f, names(db.forms))
    end
  end
  local sex, sline = get(rec, "Sex")
  if sex and sex ~= "male" and sex ~= "female" then
    fail(errors, rec.file, sline, "fact '%s': Sex must be 'male' or 'female'", rec.id)
  end
  local ages, aline = get(rec, "Ages")
  if ages then
    local lo, hi = parse_ages(ages)
    if not lo then fail(errors, rec.file, aline, "fact '%s': %s", rec.id, hi)
    else rec.age_min, rec.age_max = lo, hi end
  end
  local src, srcline = get(rec, "Source")
  if src and not db.sources[src] then
    fail(errors, rec.file, srcline, "fact '%s': unknown source '%s'", rec.id, src)
  end
  check_evidence_fits(db, rec, errors)
  local also, alline = get(rec, "Also")
  for _, s in ipairs(split_list(also or "")) do
    if not db.sources[s] then fail(errors, rec.file, alline, "fact '%s': unknown source '%s' in Also", rec.id, s) end
  end
  check_via(db, rec, errors)
  local conflicts, cline = get(rec, "Conflict")
  for _, c in ipairs(split_list(conflicts or "")) do
    if not db.conflicts[c] then
      fail(errors, rec.file, cline, "fact '%s': unknown conflict '%s'", rec.id, c)
    else
      db.conflicts[c].members = db.conflicts[c].members + 1
    end
  end
  local seed, seedline = get(rec, "Seed")
  for _, p in ipairs(split_list(seed or "")) do
    local passage = db.passages[tonumber(p) or -1]
    if not passage then fail(errors, rec.file, seedline, "fact '%s': unknown seed passage '%s'", rec.id, p)
    else passage.members[#passage.members + 1] = rec.id end
  end
end

local function check_source(db, rec, errors)
  check_vocab(rec, "Kind", db.kinds, errors, "source kind")
  local year, line = get(rec, "Year")
  if year and not (year:match("^%d%d%d%d$") or year == "n.d.") then
    fail(errors, rec.file, line, "source '%s': Year must be four digits or 'n.d.'", rec.id)
  end
end

-- Collects vocabularies and id-bearing records; reports duplicates.
local function index(records, errors)
  local db = { facts = {}, sources = {}, conflicts = {}, passages = {}, forms = {}, models = {}, observations = {}, rules = {},
    topics = {}, evidence = {}, certainty = {}, kinds = {}, units = {}, stopwords = {}, matrices = {},
    aliases = {}, ask = {} }
  local ids = {}
  local vocab_field = { Topic = "topics", Evidence = "evidence", Certainty = "certainty",
    Kind = "kinds", Unit = "units", Matrix = "matrices" }
  for _, rec in ipairs(records) do
    if check_shape(rec, errors) then
      local key = rec.kind .. ":" .. rec.id
      if ids[key] then
        fail(errors, rec.file, rec.line, "duplicate %s id '%s' (first at %s)", rec.kind:lower(), rec.id, ids[key])
        if rec.kind == "Fact" then db.facts[#db.facts + 1] = rec end
      else
        ids[key] = rec.file .. ":" .. rec.line
        if rec.kind == "Fact" then db.facts[#db.facts + 1] = rec
        elseif rec.kind == "Source" then db.sources[rec.id] = rec
        elseif rec.kind == "Conflict" then db.conflicts[rec.id] = rec; rec.members = 0
        elseif rec.kind == "Passage" then
          local n = tonumber(rec.id)
          if not n then fail(errors, rec.file, rec.line, "passage id must be a number") end
          db.passages[n or -1] = rec; rec.members = {}
        elseif rec.kind == "Form" then db.forms[rec.id] = rec
        elseif rec.kind == "Model" then db.models[#db.models + 1] = rec
        elseif rec.kind == "Observation" then db.observations[#db.observations + 1] = rec
        elseif RULE_SCHEMA[rec.kind] then db.rules[#db.rules + 1] = rec
        elseif ASK_SCHEMA[rec.kind] then db.ask[#db.ask + 1] = rec
        elseif rec.kind == "Stopwords" then
          for w in rec.id:gmatch("%S+") do db.stopwords[w] = true end
        else db[vocab_field[rec.kind]][rec.id] = rec end
      end
    end
  end
  return db
end

-- Evidence types carry Hand (first, second or derived); source kinds list the
-- evidence types they allow, and a kind is first-hand if it allows one.
local HANDS = { first = true, second = true, derived = true }
local function check_evidence_vocab(db, errors)
  for name, rec in pairs(db.evidence) do
    local hand, line = get(rec, "Hand")
    if hand and not HANDS[hand] then
      fail(errors, rec.file, line, "evidence '%s': Hand must be first, second or derived", name)
    end
  end
  for name, rec in pairs(db.kinds) do
    local allows, line = get(rec, "Allows")
    rec.allows, rec.allows_list = {}, split_list(allows or "")
    for _, e in ipairs(rec.allows_list) do
      if not db.evidence[e] then
        fail(errors, rec.file, line, "kind '%s': unknown evidence type '%s' in Allows", name, e)
      else
        rec.allows[e] = true
        if get(db.evidence[e], "Hand") == "first" then rec.first_hand = true end
      end
    end
  end
end

local function check_forms(db, errors)
  for name, rec in pairs(db.forms) do
    local broader = get(rec, "Broader")
    if broader and not db.forms[broader] then
      fail(errors, rec.file, rec.line, "form '%s': unknown broader form '%s'", name, broader)
    end
    rec.token = normalize_alias(name)
    local all = {}
    for _, field in ipairs(rec.fields.Alias or {}) do -- every Alias line counts
      for _, a in ipairs(split_list(field.value)) do all[#all + 1] = a end
    end
    for _, a in ipairs(all) do
      local key = normalize_alias(a)
      if db.aliases[key] and db.aliases[key] ~= name then
        fail(errors, rec.file, rec.line, "alias '%s' names both %s and %s", a, db.aliases[key], name)
      end
      db.aliases[key] = name
    end
    db.aliases[rec.token] = db.aliases[rec.token] or name
  end
end

-- A model parameter: the Value of the fact it names, in the expected unit.
local function model_value(db, rec, field, errors)
  local id, line = get(rec, field)
  if not id then return nil end
  local fact = db.fact_by_id[id]
  if not fact then
    fail(errors, rec.file, line, "model '%s': %s names unknown fact '%s'", rec.id, field, id)
    return nil
  end
  local value, unit = tonumber(get(fact, "Value") or ""), get(fact, "Unit")
  if not value then
    fail(errors, rec.file, line, "model '%s': fact '%s' has no Value for %s", rec.id, id, field)
  elseif unit ~= MODEL_UNITS[field] then
    fail(errors, rec.file, line, "model '%s': fact '%s' is in %s, but %s needs %s", rec.id, id,
      tostring(unit), field, MODEL_UNITS[field])
  end
  return value and get(fact, "Value"), id -- the text as written, a validated decimal
end

-- A fat factor holds only for what it was measured on (butter with spinach is
-- not a K1 tablet), so the fact must name its matrix, and the model the matrix
-- it describes; the model code compares the two.
local function check_model_matrix(db, rec, errors)
  check_vocab(rec, "Matrix", db.matrices, errors, "matrix")
  local fat_id, line = get(rec, "Fat")
  local fat = fat_id and db.fact_by_id[fat_id]
  if not fat then return end
  rec.fat_matrix = get(fat, "Matrix")
  if not rec.fat_matrix then
    fail(errors, rec.file, line, "model '%s': fat factor '%s' names no Matrix it was measured on", rec.id, fat_id)
  end
  if not get(rec, "Matrix") then
    fail(errors, rec.file, line, "model '%s' has a fat factor but no Matrix saying what it models", rec.id)
  end
end

local function check_model(db, rec, errors)
  local form, set = get(rec, "Form"), get(rec, "Set")
  if form and not db.forms[form] then fail(errors, rec.file, rec.line, "model '%s': unknown form '%s'", rec.id, form) end
  if form and set and rec.id ~= form .. "/" .. set then
    fail(errors, rec.file, rec.line, "model id '%s' must be Form/Set ('%s/%s')", rec.id, form, set)
  end
  rec.params, rec.used = {}, {}
  for field in pairs(MODEL_UNITS) do
    local value, id = model_value(db, rec, field, errors)
    rec.params[field] = value
    if id then rec.used[#rec.used + 1] = id end
  end
  table.sort(rec.used)
  local why, line = get(rec, "Unavailable")
  if why then
    if not db.fact_by_id[why] then fail(errors, rec.file, line, "model '%s': Unavailable names unknown fact '%s'", rec.id, why) end
    rec.used = { why }
    return
  end
  check_model_matrix(db, rec, errors)
  local blq, bline = get(rec, "BelowQuantification")
  local bfact = blq and db.fact_by_id[blq]
  if blq and not (bfact and get(bfact, "High") and get(bfact, "Unit") == "µg") then
    fail(errors, rec.file, bline, "model '%s': BelowQuantification must name a fact with a High in µg", rec.id)
  elseif blq then
    rec.used[#rec.used + 1] = blq
  end
  local base, baseline_line = get(rec, "Baseline")
  local base_fact = base and db.fact_by_id[base]
  if base and not (base_fact and get(base_fact, "Value") and get(base_fact, "Unit") == "ng/mL" and get(rec, "V")) then
    fail(errors, rec.file, baseline_line, "model '%s': Baseline must name a fact with a Value in ng/mL, in a set with V",
      rec.id)
  elseif base then
    rec.used[#rec.used + 1] = base
  end
  local acc, aline = get(rec, "Accumulation")
  if acc and not db.fact_by_id[acc] then
    fail(errors, rec.file, aline, "model '%s': Accumulation names unknown fact '%s'", rec.id, acc)
  elseif acc then
    rec.used[#rec.used + 1] = acc
  end
  table.sort(rec.used)
  local p = rec.params
  if not ((p.Tmax and p.HalfLife) or (p.Ka and p.Ke)) then
    fail(errors, rec.file, rec.line, "model '%s' needs Tmax and HalfLife, or Ka and Ke (or Unavailable)", rec.id)
  end
end

local function names_of(set)
  local list = {}
  for k in pairs(set) do list[#list + 1] = k end
  table.sort(list)
  return table.concat(list, " or ")
end

-- A Threshold names the daily dose from which a study saw a medicine's effect
-- disturbed (From, its Value or Low) and, optionally, the largest it saw pass
-- (NoEffect), so the advice code can compare the user's dose with both.
local DAILY = { ["mg/day"] = true, ["µg/day"] = true }
local function check_threshold(db, rec, bad)
  if rec.kind ~= "Threshold" then return end
  local med, mline = get(rec, "Medicine")
  local found = false
  for _, r in ipairs(db.rules) do
    if r.kind == "Medicine" and r.id == med then found = true end
  end
  if med and not found then bad(mline, "Medicine names no Medicine record '%s'", med) end
  for _, field in ipairs({ "From", "NoEffect" }) do
    local id, l = get(rec, field)
    local fact = id and db.fact_by_id[id]
    if id and not fact then bad(l, "%s names unknown fact '%s'", field, id)
    elseif fact and not (DAILY[get(fact, "Unit") or ""] and (get(fact, "Value") or get(fact, "Low"))) then
      bad(l, "%s fact '%s' needs a Value or Low in mg/day or µg/day", field, id)
    end
  end
end

-- A LifeStage is one the advice code asks about (its options pregnant and
-- breastfeeding), and each of its facts has an age band: the youngest age
-- they cover is the youngest the code accepts for that stage.
local STAGES = { pregnancy = true, breastfeeding = true }
local function check_stage(db, rec, bad)
  if rec.kind ~= "LifeStage" then return end
  if not STAGES[rec.id] then bad(rec.line, "a LifeStage is pregnancy or breastfeeding") end
  local facts, line = get(rec, "Facts")
  for _, id in ipairs(split_list(facts or "")) do
    local fact = db.fact_by_id[id]
    if fact and not get(fact, "Ages") then bad(line, "fact '%s' has no Ages band", id) end
  end
end

local function check_rule(db, rec, errors, taken)
  local function bad(line, fmt, ...) fail(errors, rec.file, line, "%s '%s': " .. fmt, rec.kind, rec.id, ...) end
  local forms, fline = get(rec, "Forms")
  for _, f in ipairs(split_list(forms or "")) do if not db.forms[f] then bad(fline, "unknown form '%s'", f) end end
  local facts, line = get(rec, "Facts")
  for _, id in ipairs(split_list(facts or "")) do if not db.fact_by_id[id] then bad(line, "unknown fact '%s'", id) end end
  for _, field in ipairs({ "Level", "LongLevel" }) do
    local v, l = get(rec, field)
    if v and not LEVELS[v] then bad(l, "%s must be ok, caution, warning or avoid", field) end
  end
  local use, uline = get(rec, "Use")
  if use and use ~= "safe" and use ~= "studied" then bad(uline, "Use must be safe or studied") end
  local role, rline = get(rec, "Role")
  if role and role ~= "primary" and role ~= "context" then bad(rline, "Role must be primary or context") end
  for field, units in pairs(RULE_UNITS) do
    local id, l = get(rec, field)
    local fact = id and db.fact_by_id[id]
    if id and not fact then bad(l, "%s names unknown fact '%s'", field, id)
    elseif fact and not (units[get(fact, "Unit") or ""] and (get(fact, "Value") or get(fact, "High"))) then
      bad(l, "%s fact '%s' needs a number in %s", field, id, names_of(units))
    end
  end
  local fl, fll = get(rec, "FormLevel")
  if fl then
    local form, level, id = fl:match("^(%S+)%s+(%S+)%s+(%S+)$")
    if not (form and db.forms[form] and LEVELS[level] and db.fact_by_id[id]) then
      bad(fll, "FormLevel must be 'FORM LEVEL fact-id'")
    end
  end
  for _, field in ipairs({ "Message", "LongMessage" }) do
    local msg, mline = get(rec, field)
    for id in (msg or ""):gmatch("{([^}]+)}") do
      local fact = db.fact_by_id[id]
      if not fact then bad(mline, "%s names unknown fact '{%s}'", field, id)
      elseif not (get(fact, "Value") or get(fact, "Low") or get(fact, "High")) then
        bad(mline, "%s fact '{%s}' has no number", field, id)
      end
    end
  end
  check_threshold(db, rec, bad)
  check_stage(db, rec, bad)
  local adult, aline = get(rec, "Fact")
  if rec.kind == "Adults" and not (db.fact_by_id[adult] and get(db.fact_by_id[adult], "Ages")) then
    bad(aline, "Fact must name a fact with Ages")
  end
  local food, fline2 = get(rec, "WithFood")
  if food and food ~= "yes" and food ~= "no" then bad(fline2, "WithFood must be yes or no") end
  for _, n in ipairs(split_list(get(rec, "Names") or "")) do
    local key = n:lower()
    if taken[key] then bad(rec.line, "name '%s' is also in %s", n, taken[key]) end
    taken[key] = rec.kind .. " '" .. rec.id .. "'"
  end
end

---------------------------------------------------------------- the phrasing of questions

-- Text as ask.lua and the search compare it: lower case, words only.
local function ask_key(s) return (" " .. s:lower():gsub("[^%w%-']+", " ") .. " "):gsub("%s+", " ") end

-- 1 when the claim holds `term` at the start of a word (case-insensitive).
local function claim_has(claim, term)
  return ask_key(claim):find(" " .. ask_key(term):match("^ (.-) ?$"), 1, true) ~= nil
end

local ANSWERS = { dose = true, timing = true, check = true, pk = true, search = true, food = true } -- food: issue 13/14
local NAMED = { medicines = true, conditions = true, ages = true, persons = true, stages = true } -- stages: issue 13
local PERSONS = { female = true, male = true, pregnant = true, lactating = true }

local function check_ask(db, rec, errors)
  local function bad(line, fmt, ...) fail(errors, rec.file, line, "%s '%s': " .. fmt, rec.kind, rec.id, ...) end
  local answer, aline = get(rec, "Answer")
  if answer and not ANSWERS[answer] then bad(aline, "Answer must be dose, timing, check, pk, food or search") end
  local named, nline = get(rec, "Named")
  for _, n in ipairs(split_list(named or "")) do
    if not NAMED[n] then bad(nline, "Named lists medicines, conditions, ages, persons or stages, not '%s'", n) end
  end
  for _, field in ipairs({ "Per", "Every" }) do
    local v, l = get(rec, field)
    if v and (tonumber(v) or 0) <= 0 then bad(l, "%s must be a number above 0", field) end
  end
  if rec.kind == "Adult" or rec.kind == "AgeWord" then -- From: the fact whose age band starts there
    local from, fline = get(rec, "From")
    local fact
    for _, f in ipairs(db.facts) do if f.id == from then fact = f end end
    if not fact or not get(fact, "Ages") then bad(fline, "From must name a fact with Ages, not '%s'", tostring(from)) end
  end
  if rec.kind == "Person" and not PERSONS[rec.id] then bad(rec.line, "a Person is female, male, pregnant or lactating") end
  local search, sline = get(rec, "Search")
  if search and search ~= "drop" then bad(sline, "Search must be 'drop'") end
  for _, field in ipairs({ "Cues", "Words", "Means" }) do
    local v, l = get(rec, field)
    if v and #split_list(v) == 0 then bad(l, "%s lists nothing", field) end
  end
  if rec.kind == "Synonym" then
    rec.means = split_list(get(rec, "Means") or "")
    for _, term in ipairs(rec.means) do
      local found = db.forms[term] ~= nil
      for _, f in ipairs(db.facts) do found = found or claim_has(get(f, "Claim") or "", term) end
      if not found then bad(rec.line, "'%s' is in no fact's claim (a synonym must lead somewhere)", term) end
    end
  end
  if rec.kind == "Filler" and search then
    for _, w in ipairs(split_list(get(rec, "Words") or "")) do
      db.stopwords[(w:lower():gsub("[^%w]", ""))] = true
    end
  end
end

local function has_form(rec, form)
  for _, f in ipairs(rec.form_list or {}) do if f == form then return true end end
  return false
end

-- The everyday phrases (Synonym records) that lead to a fact: indexed with it.
local function synonyms_of(db, rec)
  local out = {}
  for _, s in ipairs(db.ask) do
    if s.kind == "Synonym" then
      for _, term in ipairs(s.means or {}) do
        if claim_has(get(rec, "Claim") or "", term) or (db.forms[term] and has_form(rec, term)) then
          out[#out + 1] = s.id
          break
        end
      end
    end
  end
  return table.concat(out, " ")
end

function M.validate(files)
  local errors, records = {}, {}
  for _, path in ipairs(files) do
    for _, r in ipairs(parse_file(path, errors)) do records[#records + 1] = r end
  end
  local db = index(records, errors)
  check_forms(db, errors)
  check_evidence_vocab(db, errors)
  for _, rec in pairs(db.sources) do check_source(db, rec, errors) end
  for _, rec in pairs(db.passages) do
    local src = get(rec, "Source")
    if src and not db.sources[src] then fail(errors, rec.file, rec.line, "passage %s: unknown source '%s'", rec.id, src) end
  end
  db.fact_by_id = {}
  for _, rec in ipairs(db.facts) do check_fact(db, rec, errors); db.fact_by_id[rec.id] = rec end
  for _, rec in ipairs(db.models) do check_model(db, rec, errors) end
  for _, rec in ipairs(db.observations) do
    local form, src = get(rec, "Form"), get(rec, "Source")
    if not db.forms[form] then fail(errors, rec.file, rec.line, "observation '%s': unknown form '%s'", rec.id, form) end
    if not db.sources[src] then fail(errors, rec.file, rec.line, "observation '%s': unknown source '%s'", rec.id, src) end
    local c = get(rec, "Confirmed")
    if c ~= "yes" and c ~= "no" then fail(errors, rec.file, rec.line, "observation '%s': Confirmed is yes or no", rec.id) end
    local list, why = measures.parse(get(rec, "Measured"))
    if not list then fail(errors, rec.file, rec.line, "observation '%s': Measured %s", rec.id, why) end
    if list and #list > 0 and not (get(rec, "Amount") or ""):match("^%d+%.?%d*%s*[mu]g$") then
      fail(errors, rec.file, rec.line, "observation '%s': a Measured record needs its Amount, e.g. 420 ug or 30 mg", rec.id)
    end
  end
  local taken = {}
  for _, rec in ipairs(db.rules) do check_rule(db, rec, errors, taken) end
  for _, rec in ipairs(db.ask) do check_ask(db, rec, errors) end
  for id, rec in pairs(db.conflicts) do
    if rec.members < 2 then
      fail(errors, rec.file, rec.line, "conflict '%s' is named by %d fact(s); it needs both sides", id, rec.members)
    end
  end
  for n, rec in pairs(db.passages) do
    if #rec.members == 0 then fail(errors, rec.file, rec.line, "seed passage %d has no fact (Seed: %d)", n, n) end
  end
  if #db.facts == 0 then errors[#errors + 1] = "no facts found" end
  return db, errors
end

---------------------------------------------------------------- SQL

local function q(s)
  if s == nil then return "NULL" end
  if type(s) == "number" then return ("%.17g"):format(s) end
  return "'" .. tostring(s):gsub("'", "''") .. "'"
end

local SCHEMA_SQL = [[
PRAGMA page_size = 4096;
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE source(id TEXT PRIMARY KEY, title TEXT NOT NULL, year TEXT NOT NULL,
  kind TEXT NOT NULL, ref TEXT NOT NULL, authors TEXT, journal TEXT, note TEXT);
CREATE TABLE fact(n INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, topic TEXT NOT NULL,
  forms TEXT NOT NULL, population TEXT NOT NULL, ages TEXT, age_min REAL, age_max REAL,
  sex TEXT, claim TEXT NOT NULL, value REAL, low REAL, high REAL, unit TEXT,
  evidence TEXT NOT NULL, certainty TEXT, source TEXT NOT NULL REFERENCES source(id),
  also TEXT, seed TEXT, conflict TEXT, note TEXT, file TEXT NOT NULL, line INTEGER NOT NULL,
  via TEXT REFERENCES source(id), matrix TEXT);
CREATE TABLE fact_form(form TEXT NOT NULL, fact INTEGER NOT NULL, PRIMARY KEY(form, fact)) WITHOUT ROWID;
CREATE TABLE form(name TEXT PRIMARY KEY, about TEXT NOT NULL, broader TEXT, token TEXT NOT NULL);
CREATE TABLE form_alias(alias TEXT PRIMARY KEY, form TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE form_match(query TEXT NOT NULL, form TEXT NOT NULL, PRIMARY KEY(query, form)) WITHOUT ROWID;
CREATE TABLE vocab(kind TEXT NOT NULL, name TEXT NOT NULL, about TEXT, PRIMARY KEY(kind, name)) WITHOUT ROWID;
CREATE TABLE conflict(id TEXT PRIMARY KEY, topic TEXT NOT NULL, summary TEXT NOT NULL, facts TEXT NOT NULL);
CREATE TABLE passage(n INTEGER PRIMARY KEY, about TEXT NOT NULL, source TEXT NOT NULL);
CREATE TABLE stopword(word TEXT PRIMARY KEY) WITHOUT ROWID;
CREATE TABLE advice_rule(n INTEGER PRIMARY KEY, kind TEXT NOT NULL, id TEXT NOT NULL, field TEXT NOT NULL,
  value TEXT NOT NULL);
CREATE TABLE pk_model(form TEXT NOT NULL, name TEXT NOT NULL, about TEXT NOT NULL, tmax REAL,
  half_life REAL, ka REAL, ke REAL, lag REAL, v REAL, fat REAL, mw REAL, unavailable TEXT, facts TEXT NOT NULL,
  note TEXT, matrix TEXT, fat_matrix TEXT, ref_ug REAL, blq TEXT, baseline TEXT, PRIMARY KEY(form, name)) WITHOUT ROWID;
CREATE VIRTUAL TABLE fact_fts USING fts5(claim, forms, topic, population, extra, everyday,
  tokenize = 'porter unicode61 remove_diacritics 2', prefix = '2 3');
]]

local function sorted_keys(t)
  local k = {}
  for key in pairs(t) do k[#k + 1] = key end
  table.sort(k, function(a, b) return tostring(a) < tostring(b) end)
  return k
end

-- Forms a fact about `form` is relevant to: itself, its broader forms and narrower ones.
local function lineage(db, form)
  local up = {}
  local f = form
  while f do up[#up + 1] = f; f = get(db.forms[f], "Broader") end
  return up
end

local function form_match_rows(db, out)
  for _, query in ipairs(sorted_keys(db.forms)) do
    local set = {}
    for _, f in ipairs(lineage(db, query)) do set[f] = true end
    for _, other in ipairs(sorted_keys(db.forms)) do
      for _, f in ipairs(lineage(db, other)) do
        if f == query then set[other] = true end
      end
    end
    for _, f in ipairs(sorted_keys(set)) do
      out[#out + 1] = ("INSERT INTO form_match VALUES(%s,%s);"):format(q(query), q(f))
    end
  end
end

local function fact_tokens(db, rec)
  local set = {}
  for _, f in ipairs(rec.form_list) do
    if f ~= "none" then
      for _, g in ipairs(lineage(db, f)) do set[db.forms[g].token] = true end
    end
  end
  return table.concat(sorted_keys(set), " ")
end

local function fact_rows(db, out)
  for n, rec in ipairs(db.facts) do
    local g = function(k) return (get(rec, k)) end
    local src = db.sources[g("Source")]
    out[#out + 1] = ("INSERT INTO fact VALUES(%d,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%d,%s,%s);"):format(
      n, q(rec.id), q(g("Topic")), q(table.concat(rec.form_list, ", ")), q(g("Population")),
      q(g("Ages")), q(rec.age_min), q(rec.age_max), q(g("Sex")), q(g("Claim")),
      g("Value") or "NULL", g("Low") or "NULL", g("High") or "NULL", q(g("Unit")),
      q(g("Evidence")), q(g("Certainty")), q(g("Source")), q(g("Also")), q(g("Seed")),
      q(g("Conflict")), q(g("Note")), q(rec.file), rec.line, q(g("Via")), q(g("Matrix")))
    for _, f in ipairs(rec.form_list) do
      out[#out + 1] = ("INSERT INTO fact_form VALUES(%s,%d);"):format(q(f), n)
    end
    -- Ids are not indexed: their pieces ("cmax-vs-im") would match words.
    local extra = table.concat({ g("Evidence"), g("Unit") or "", g("Source"),
      get(src, "Title") or "", get(src, "Authors") or "", g("Conflict") or "" }, " ")
    out[#out + 1] = ("INSERT INTO fact_fts(rowid, claim, forms, topic, population, extra, everyday)"
      .. " VALUES(%d,%s,%s,%s,%s,%s,%s);"):format(
      n, q(g("Claim")), q(fact_tokens(db, rec)), q(g("Topic")), q(g("Population")), q(extra), q(synonyms_of(db, rec)))
  end
end

local function model_rows(db, out)
  for _, rec in ipairs(db.models) do
    local p = rec.params
    local why = get(rec, "Unavailable")
    out[#out + 1] = ("INSERT INTO pk_model VALUES(%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s);"):format(
      q(get(rec, "Form")), q(get(rec, "Set")), q(get(rec, "About")), p.Tmax or "NULL", p.HalfLife or "NULL",
      p.Ka or "NULL", p.Ke or "NULL", p.Lag or "NULL", p.V or "NULL", p.Fat or "NULL", p.MolWeight or "NULL",
      q(why and get(db.fact_by_id[why], "Claim")),
      q(table.concat(rec.used, ", ")), q(get(rec, "Note")), q(get(rec, "Matrix")), q(rec.fat_matrix),
      p.RefDose or "NULL", q(get(rec, "BelowQuantification")), q(get(rec, "Baseline")))
  end
end

local function vocab_rows(db, out)
  local kinds = { topic = db.topics, evidence = db.evidence, certainty = db.certainty,
    kind = db.kinds, unit = db.units, matrix = db.matrices }
  for _, kind in ipairs(sorted_keys(kinds)) do
    for _, name in ipairs(sorted_keys(kinds[kind])) do
      out[#out + 1] = ("INSERT INTO vocab VALUES(%s,%s,%s);"):format(q(kind), q(name), q(get(kinds[kind][name], "About")))
    end
  end
  for _, name in ipairs(sorted_keys(db.forms)) do
    local f = db.forms[name]
    out[#out + 1] = ("INSERT INTO form VALUES(%s,%s,%s,%s);"):format(q(name), q(get(f, "About")), q(get(f, "Broader")), q(f.token))
  end
  for _, a in ipairs(sorted_keys(db.aliases)) do
    out[#out + 1] = ("INSERT INTO form_alias VALUES(%s,%s);"):format(q(a), q(db.aliases[a]))
  end
  for _, w in ipairs(sorted_keys(db.stopwords)) do
    out[#out + 1] = ("INSERT INTO stopword VALUES(%s);"):format(q(w))
  end
end

function M.sql(db, version)
  local out = { SCHEMA_SQL, "BEGIN;" }
  out[#out + 1] = ("INSERT INTO meta VALUES('version', %s);"):format(q(version))
  out[#out + 1] = ("INSERT INTO meta VALUES('facts', %s);"):format(q(tostring(#db.facts)))
  for _, id in ipairs(sorted_keys(db.sources)) do
    local s = db.sources[id]
    local g = function(k) return (get(s, k)) end
    out[#out + 1] = ("INSERT INTO source VALUES(%s,%s,%s,%s,%s,%s,%s,%s);"):format(q(id),
      q(g("Title")), q(g("Year")), q(g("Kind")), q(g("Ref")), q(g("Authors")), q(g("Journal")), q(g("Note")))
  end
  for _, id in ipairs(sorted_keys(db.conflicts)) do
    local c = db.conflicts[id]
    out[#out + 1] = ("INSERT INTO conflict VALUES(%s,%s,%s,'');"):format(q(id), q(get(c, "Topic")), q(get(c, "Summary")))
  end
  for _, n in ipairs(sorted_keys(db.passages)) do
    local p = db.passages[n]
    out[#out + 1] = ("INSERT INTO passage VALUES(%d,%s,%s);"):format(n, q(get(p, "About")), q(get(p, "Source")))
  end
  vocab_rows(db, out)
  model_rows(db, out)
  -- The advice rules, the phrasing of questions and the study observations, served by store:rules().
  for _, list in ipairs({ db.rules, db.ask, db.observations }) do
    for _, rec in ipairs(list) do
      for _, field in ipairs(rec.order) do
        if field ~= rec.kind then
          out[#out + 1] = ("INSERT INTO advice_rule(kind, id, field, value) VALUES(%s,%s,%s,%s);"):format(
            q(rec.kind), q(rec.id), q(field), q(get(rec, field)))
        end
      end
    end
  end
  form_match_rows(db, out)
  fact_rows(db, out)
  -- each disagreement's facts, listed once here (finding them at every lookup scanned every fact)
  out[#out + 1] = "UPDATE conflict SET facts = (SELECT group_concat(f.id, ', ') FROM fact f"
    .. " WHERE instr(',' || replace(f.conflict, ' ', '') || ',', ',' || conflict.id || ',') > 0);"
  out[#out + 1] = "INSERT INTO fact_fts(fact_fts) VALUES('optimize');"
  out[#out + 1] = "COMMIT;"
  return table.concat(out, "\n") .. "\n"
end

---------------------------------------------------------------- stats

function M.stats(db)
  local by_source, by_topic = {}, {}
  for _, rec in ipairs(db.facts) do
    local s, t = get(rec, "Source"), get(rec, "Topic")
    by_source[s] = (by_source[s] or 0) + 1
    by_topic[t] = (by_topic[t] or 0) + 1
  end
  print(("%d facts, %d sources, %d conflicts, %d seed passages"):format(#db.facts,
    #sorted_keys(db.sources), #sorted_keys(db.conflicts), #sorted_keys(db.passages)))
  print("\nfacts by source:")
  for _, k in ipairs(sorted_keys(by_source)) do print(("  %-10s %d"):format(k, by_source[k])) end
  print("\nfacts by topic:")
  for _, k in ipairs(sorted_keys(by_topic)) do print(("  %-18s %d"):format(k, by_topic[k])) end
  print("\nseed passage -> facts:")
  local numbers = sorted_keys(db.passages)
  table.sort(numbers)
  for _, n in ipairs(numbers) do
    print(("  %2d  %s"):format(n, table.concat(db.passages[n].members, ", ")))
  end
end

---------------------------------------------------------------- main

local function main(argv)
  local mode = argv[1]
  local version = os.getenv("K2_VERSION") or "0.0.0"
  local paths = { table.unpack(argv, 2) }
  if not (mode == "--check" or mode == "--sql" or mode == "--stats") or #paths == 0 then
    io.stderr:write("usage: k2data.lua --check|--sql|--stats DIR-OR-FILE...\n")
    return 2
  end
  local db, errors = M.validate(list_files(paths))
  if #errors > 0 then
    table.sort(errors)
    for _, e in ipairs(errors) do io.stderr:write(e, "\n") end
    io.stderr:write(("k2data: %d error(s) in data/\n"):format(#errors))
    return 1
  end
  if mode == "--sql" then io.write(M.sql(db, version))
  elseif mode == "--stats" then M.stats(db)
  else io.stderr:write(("k2data: %d facts OK\n"):format(#db.facts)) end
  return 0
end

if arg and arg[0] and arg[0]:match("k2data%.lua$") then os.exit(main(arg)) end
return M
