--- k2: vitamin K facts — how much, when, how safe — from an embedded,
--- sourced fact store. This file is the public Lua API (`require "k2"`) and
--- the loader of the native core `k2.core` (csrc/lk2.c).
---
--- Units: doses in micrograms (µg), durations in hours. Errors: a wrong type or
--- an unknown option raises; text a user wrote that k2 can't understand
--- returns nil, message (see README "Errors"). Every result is a plain table
--- with a metatable that prints it readably and lays it out for front ends
--- (r:lines(width), r:to_table(); lua/k2/shapes.lua). Types for
--- lua-language-server: lua/k2/types.lua.
--- Works on Lua 5.4 and on LuaJIT/Lua 5.1 (Neovim): same code, two builds
--- of the core (build/5.4, build/5.1).

local VERSION -- the core's: K2_VERSION in csrc/k2.h is the one place the version is written

local function is_not_found(err)
  return type(err) == "string" and err:find("module 'k2.core' not found", 1, true) ~= nil
end

-- Finds the core: in a checkout, its own build/<abi>/k2/core.so (so a stale
-- installed copy never shadows a fresh build); otherwise k2.core on the
-- search path (LuaRocks, make install, Neovim's runtimepath).
local function load_core()
  -- A host that links the core in (a test harness, an application) preloads it.
  if package.loaded["k2.core"] or package.preload["k2.core"] then return require("k2.core") end
  local source = debug.getinfo(1, "S").source
  local root = source:match("^@(.-)[/\\]?lua[/\\]k2[/\\]init%.lua$")
  local abi = _VERSION:match("%d+%.%d+")
  local path = root and (root == "" and "." or root) .. "/build/" .. abi .. "/k2/core.so"
  local file = path and io.open(path, "rb")
  if file then
    file:close()
    local open, err = package.loadlib(path, "luaopen_k2_core")
    if not open then error(("k2: cannot load the native core %s: %s"):format(path, err), 0) end
    local core = open()
    package.loaded["k2.core"] = core
    return core
  end
  local ok, core = pcall(require, "k2.core")
  if ok then return core end
  if not is_not_found(core) then error(core, 0) end
  error(("k2: native core k2.core not found for Lua %s (run 'make' in the k2 checkout): %s"):format(abi, core), 0)
end

local core = load_core()
VERSION = core.version

local shapes = require("k2.shapes")
-- k2.args (the option descriptions and the checker) loads on the first
-- option table or wrong argument, so `require "k2"` stays cheap.
local args = setmetatable({}, { __index = function(t, key)
  local module = require("k2.args")
  setmetatable(t, { __index = module })
  return module[key]
end })
-- The results the core builds get these shapes (lines, to_table, printing).
core.set_shapes({ fact = shapes.fact, fact_list = shapes.fact_list, source = shapes.source,
  source_list = shapes.source_list, list = shapes.list })

--- The public module: facts, units, the model (k2.pk) and advice.
---@class k2
---@field version string "MAJOR.MINOR.PATCH"
---@field abi string the Lua ABI the core was built for ("5.4", "5.1")
---@field pk k2.pk the pharmacokinetic model (loads on first use)
---@field dose fun(opts?: k2.dose_opts): k2.dose_answer|nil, string? how much
---@field timing fun(opts?: k2.timing_opts): k2.timing_answer|nil, string? when
---@field check fun(opts: k2.check_opts): k2.check_answer|nil, string? how safe
---@field notice fun(): string the notice every dosing and safety answer ends with
local k2 = { version = VERSION, abi = core.abi }

local store
local function db()
  if not store then
    local s, err = core.open()
    if not s then error("k2: cannot open the built-in fact store: " .. tostring(err), 0) end
    store = s
  end
  return store
end

---------------------------------------------------------------- what results carry

-- The rules of data/advice.rec, read on first need (the notice, the advice calls).
local advice_rules
local function rules()
  if not advice_rules then advice_rules = require("k2.advice.rules").load(db()) end
  return advice_rules
end
local function notice() return rules():notice() end

-- Facts about these topics print with the notice dosing and safety answers end with.
local ADVICE_TOPICS = { dosing = true, intake = true, safety = true, contraindications = true,
  interactions = true, clotting = true, timing = true }

-- A fact's disagreements, resolved once per fact (k2.fact resolves them when
-- it builds the fact; a fact from a list, when it is first printed alone:
-- resolving them for every search would cost more than the search).
local disagreements = setmetatable({}, { __mode = "k" })
local function disagreements_of(f)
  local list = disagreements[f]
  if not list then
    list = {}
    for _, id in ipairs(f.conflicts or {}) do
      local c = shapes.make_conflict(db():conflict(id))
      if c then list[#list + 1] = c end
    end
    disagreements[f] = list
  end
  return list
end

-- What a fact or a fact list prints beyond its own fields (their shapes ask here).
shapes.context.field = function(x, key, kind)
  if kind == "fact" then
    if key == "disagreements" then return disagreements_of(x) end
    if key == "notice" then return ADVICE_TOPICS[rawget(x, "topic")] and notice() or nil end
  elseif kind == "fact_list" and key == "notice" then
    for _, f in ipairs(x) do if ADVICE_TOPICS[f.topic] then return notice() end end
  end
  return nil
end

---------------------------------------------------------------- argument checks

local function check_string(fname, n, value)
  if type(value) ~= "string" then args.check(fname, n, value, "string") end
  return value
end

---------------------------------------------------------------- facts

--- k2.search(text [, {limit=, form=, topic=, evidence=, population=}]) → list of facts, best first
---@param text string
---@param opts? k2.search_opts
---@return k2.fact_list|nil facts
---@return string? message what was wrong with the text or a filter
-- issue 13: the store never changes, so a search gives the same facts for the
-- same text and options: the first answer is kept (a bounded table that
-- starts over when full) and each call gets its own list of those facts,
-- with their ranks for this search (shallow copies of the shared fact tables).
local SEARCH_KEPT_MAX = 256
local searches, n_searches = {}, 0

-- A fact's copier: a function(fact, rank, mt) building {field = fact.field, ..., rank = rank} with one table
-- constructor, which sizes the table once; filling an empty table field by field grew it four
-- times and cost about 3 µs a fact (15 fields), most of a kept search's time. One copier per set
-- of fields (a few dozen), found through the fact table itself (shared and never changed).
local copier_of_shape, copier_of_fact = {}, setmetatable({}, { __mode = "k" })
local function copier(fact)
  local fn = copier_of_fact[fact]
  if fn then return fn end
  local fields = {}
  for field in pairs(fact) do
    if type(field) ~= "string" then error("k2: a fact has a field that is not a name", 2) end
    if field ~= "rank" then fields[#fields + 1] = field end
  end
  table.sort(fields)
  local shape = table.concat(fields, "\0")
  fn = copier_of_shape[shape]
  if not fn then
    local parts = {}
    for i, field in ipairs(fields) do parts[i] = ("[%q] = v[%q]"):format(field, field) end
    parts[#parts + 1] = "rank = rank"
    fn = assert(load("local setmetatable = setmetatable return function(v, rank, mt) return setmetatable({ "
      .. table.concat(parts, ", ") .. " }, mt) end", "=k2.copy_fact"))()
    copier_of_shape[shape] = fn
  end
  copier_of_fact[fact] = fn
  return fn
end

-- A search's answer as kept: its facts and their ranks (the shared fact
-- tables' own rank is set again by the next search holding them), and the
-- list's other fields (matched, unmatched). Only the ranks are gathered here:
-- a fact's copier and metatable are found again at each copy (0.03 µs a
-- fact), as building three lists per search cost more than they saved.
local function kept_of(list)
  local k = { list = list, n = #list, ranks = {}, extra = {}, mt = getmetatable(list) }
  local ranks = k.ranks
  for i = 1, k.n do ranks[i] = list[i].rank end
  for key, v in pairs(list) do
    if type(key) ~= "number" then k.extra[key] = v end
  end
  return k
end

-- Each call's own list: each fact a shallow copy carrying that search's rank,
-- since the fact tables themselves are shared (with k2.fact and every other
-- list) and must not change; the word lists copied too.
local function copy_kept(k)
  local out, list, ranks = setmetatable({}, k.mt), k.list, k.ranks
  for i = 1, k.n do
    local f = list[i]
    out[i] = copier(f)(f, ranks[i], getmetatable(f))
  end
  for key, v in pairs(k.extra) do
    if type(v) == "table" then
      local words = setmetatable({}, getmetatable(v))
      for i, w in ipairs(v) do words[i] = w end
      v = words
    end
    out[key] = v
  end
  return out
end

function k2.search(text, opts)
  check_string("search", 1, text)
  -- a text alone is its own key: a text with a NUL byte is refused, so it meets no key with options
  local key = text
  if opts ~= nil then
    opts = args.options("search", 2, opts)
    key = table.concat({ text, tostring(opts.limit), tostring(opts.form), tostring(opts.topic),
      tostring(opts.evidence), tostring(opts.population) }, "\0")
  end
  local kept = searches[key]
  if not kept then
    local o = opts or {}
    local list, err = db():search(text, o.limit, o.form, o.topic, o.evidence, o.population)
    if not list then return nil, err end
    if n_searches == SEARCH_KEPT_MAX then searches, n_searches = {}, 0 end
    kept, n_searches = kept_of(list), n_searches + 1
    searches[key] = kept
  end
  return copy_kept(kept)
end

--- k2.facts{form=, topic=, evidence=, population=} → list of facts in data/ order
---@param filter? k2.search_opts without limit
---@return k2.fact_list|nil facts
---@return string? message
function k2.facts(filter)
  filter = filter == nil and {} or args.options("facts", 1, filter)
  return db():facts(filter.form, filter.topic, filter.evidence, filter.population)
end

--- k2.fact(id) → fact | nil, message
---@param id string
---@return k2.fact|nil
---@return string? message
function k2.fact(id)
  check_string("fact", 1, id)
  local f, err = db():fact(id)
  if f then disagreements_of(f) end
  return f, err
end

--- k2.sources() → list of sources
---@return k2.source_list
function k2.sources()
  return db():sources()
end

--- k2.source(id) → source | nil, message
---@param id string
---@return k2.source|nil
---@return string? message
function k2.source(id)
  check_string("source", 1, id)
  return db():source(id)
end

--- k2.conflict(id) → {id, topic, summary, facts = {ids}} | nil, message
---@param id string
---@return k2.conflict|nil
---@return string? message
function k2.conflict(id)
  check_string("conflict", 1, id)
  return shapes.make_conflict(db():conflict(id))
end

--- k2.form(name) → canonical form name ("mk7" → "MK-7") | nil, message
---@param name string
---@return string|nil form
---@return string? message naming the known forms
function k2.form(name)
  check_string("form", 1, name)
  return db():form(name)
end

--- k2.info() → {version, abi, data_version, sqlite_version, facts, sources, conflicts}
---@return k2.info
function k2.info()
  local info = db():info()
  info.version, info.abi = VERSION, core.abi
  return setmetatable(info, shapes.info)
end

---------------------------------------------------------------- vocabularies

-- The names after "known: " in a message of the store ("unknown topic 'x'; known: a, b").
local function known_in(message)
  local names = {}
  local list = type(message) == "string" and message:match("known: ([^;(]*)") or ""
  for _, name in ipairs(args.split_list(list)) do names[#names + 1] = name end
  return names
end

local function distinct(values)
  local seen, out = {}, {}
  for _, v in ipairs(values) do
    if v and not seen[v] then seen[v] = true; out[#out + 1] = v end
  end
  table.sort(out)
  return out
end

-- Every rule name of a kind of advice record (Medicine, Condition), aliases and brands included.
local function rule_names(kind)
  local names = {}
  for _, r in ipairs(assert(db():rules())) do
    if r.kind == kind then
      for _, name in ipairs(args.split_list(r.Names or "")) do names[#names + 1] = name end
    end
  end
  return names
end

local function fact_values(field)
  local values = {}
  for _, f in ipairs(assert(db():facts())) do values[#values + 1] = f[field] end
  return values
end

local VOCAB = {
  forms = function() return known_in(select(2, db():form(""))) end,
  -- the canonical names, then every other name the resolver reads ("mk7", "phylloquinone")
  form_names = function()
    local names, seen = known_in(select(2, db():form(""))), {}
    for _, name in ipairs(names) do seen[name:lower():gsub("%-", "")] = true end
    local others = {}
    for alias, form in pairs(db():aliases()) do
      if not seen[alias] and form ~= "none" then others[#others + 1] = alias end
    end
    table.sort(others)
    for _, alias in ipairs(others) do names[#names + 1] = alias end
    return names
  end,
  topics = function() return known_in(select(2, db():facts(nil, "\1"))) end,
  evidence = function() return known_in(select(2, db():facts(nil, nil, "\1"))) end,
  sexes = function() return distinct(fact_values("sex")) end,
  populations = function() return distinct(fact_values("population")) end,
  medicines = function() return rule_names("Medicine") end,
  -- issue 11: the life stages check reads as conditions (pregnancy, breastfeeding) are conditions too
  conditions = function()
    local names = rule_names("Condition")
    for _, name in ipairs(rule_names("LifeStage")) do names[#names + 1] = name end
    return names
  end,
  purposes = function()
    local words = {}
    for _, r in ipairs(assert(db():rules())) do
      if r.kind == "DoseSource" then
        for _, w in ipairs(args.split_list(r.Purpose or "")) do words[#words + 1] = w end
      end
    end
    return distinct(words)
  end,
  sets = function()
    local sets = {}
    for _, form in ipairs(known_in(select(2, db():pk_params("\1")))) do
      for _, name in ipairs(k2.pk.sets(form)) do sets[#sets + 1] = name end
    end
    return distinct(sets)
  end,
}
local vocab_cache = {}

--- k2.vocab(kind) → array of names from the store, for completion and help:
--- "forms", "form_names" (the forms, then every other name k2 reads for
--- them), "topics", "evidence", "sexes", "purposes", "medicines" (names and
--- brands the safety rules know), "conditions", "sets" (pk parameter sets) or
--- "populations".
---@param kind "forms"|"form_names"|"topics"|"evidence"|"sexes"|"purposes"|"medicines"|"conditions"|"sets"|"populations"
---@return string[]
function k2.vocab(kind)
  check_string("vocab", 1, kind)
  local build = VOCAB[kind]
  if not build then
    local kinds = {}
    for name in pairs(VOCAB) do kinds[#kinds + 1] = name end
    table.sort(kinds)
    args.error("vocab", 1, ("unknown vocabulary '%s'; known: %s"):format(kind, table.concat(kinds, ", ")))
  end
  if not vocab_cache[kind] then vocab_cache[kind] = build() end
  local copy = {}
  for i, name in ipairs(vocab_cache[kind]) do copy[i] = name end
  return copy
end

---------------------------------------------------------------- questions

-- k2.ask (lua/k2/ask.lua) is built on first use from the public calls it answers with.
local asker
--- k2.ask(text [, {limit=}]) → {kind=, understood=, left_out=, answer=} | nil, message
---@param text string a question as people write it
---@param opts? {limit?: integer}
---@return table|nil result
---@return string? message for empty or unusable text
function k2.ask(text, opts)
  check_string("ask", 1, text)
  opts = opts == nil and {} or args.options("ask", 2, opts)
  if not asker then
    asker = require("k2.ask").new({ store = db, search = k2.search, form = function(name) return db():find_form(name) end,
      dose = function(o) return k2.dose(o) end, timing = function(o) return k2.timing(o) end,
      check = function(o) return k2.check(o) end, pk = function() return k2.pk end,
      parse_dose = core.parse_dose, parse_duration = core.parse_duration, format_number = core.format_number,
      vocab = k2.vocab, limits = core.limits, fact = function(id) return (k2.fact(id)) end,
      -- issue 13: food questions go to issue 14's calls when this k2 has them (looked up at each question)
      foods = function() return k2.foods and { foods = k2.foods, food = k2.food, intake = k2.intake } or nil end })
  end
  return asker(text, opts)
end

---------------------------------------------------------------- units

--- k2.parse_dose("0.18 mg") → 180 (µg) | nil, message
---@param text string
---@return number|nil micrograms
---@return string? message
function k2.parse_dose(text)
  return core.parse_dose(check_string("parse_dose", 1, text))
end

--- k2.parse_duration("3d") → 72 (hours) | nil, message
---@param text string
---@return number|nil hours
---@return string? message
function k2.parse_duration(text)
  return core.parse_duration(check_string("parse_duration", 1, text))
end

--- k2.format_number(x [, decimals]) → text with a '.' decimal point, whatever the locale
---@type fun(x: number, decimals?: integer): string
k2.format_number = core.format_number

---------------------------------------------------------------- food (issue 14)

-- lua/k2/food.lua, built on first use; its table (the core's food image) opens on the first call.
local food_api
local function food()
  if not food_api then
    food_api = require("k2.food").new({ core = core, fact = function(id) return (k2.fact(id)) end,
      conflict = function(id) return (k2.conflict(id)) end, facts = function(f) return k2.facts(f) end,
      form = function(name) return db():form(name) end, parse_dose = core.parse_dose,
      notice = function() return k2.notice() end })
  end
  return food_api
end

--- k2.foods(text [, {limit=}]) → ranked foods {id=, name=, k1_per_100g=} | nil, message
---@param text string a food as people write it: "spinach", "raw spinach", "kale cooked"
---@param opts? {limit?: integer}
function k2.foods(text, opts)
  check_string("foods", 1, text)
  opts = args.options("foods", 2, opts == nil and {} or opts)
  return food().foods(text, opts.limit or args.calls.foods.by_name.limit.default)
end

--- k2.food(id) → {id=, name=, k1_per_100g=, measures=, menaquinones=, source=} | nil, message
---@param id string a USDA NDB number ("11457")
function k2.food(id)
  return food().food(check_string("food", 1, id))
end

--- k2.intake(list [, {age=, sex=}]) → {forms=, total=, items=, adequate=, sources=} | nil, message
---@param list (string|{form: string, dose: string})[] "1 cup raw spinach", "50 g natto", {form="MK-7", dose="100 ug"}
---@param opts? {age?: number, sex?: string}
function k2.intake(list, opts)
  if type(list) == "string" then list = { list } end
  args.check("intake", 1, list, "table")
  for i, item in ipairs(list) do
    if type(item) ~= "string" and type(item) ~= "table" then
      error(("bad argument #1 to 'intake' (item %d: string or {form=, dose=} expected, got %s)"):format(i, type(item)), 2)
    end
  end
  opts = args.options("intake", 2, opts == nil and {} or opts)
  -- the person the adequate intake is for: read as k2.dose reads them, never silently dropped
  if opts.age ~= nil and not args.in_range(args.calls.intake.by_name.age, opts.age) then
    return nil, ("age %s: give an age from 0 to %d years"):format(tostring(opts.age), args.MAX_AGE_Y)
  end
  if opts.sex ~= nil then
    local sex, why = args.sex_of(opts.sex)
    if not sex then return nil, why end
    opts = { age = opts.age, sex = sex }
  end
  return food().intake(list, opts)
end

-- `k2` itself prints a hint in the REPL instead of a table address; k2.pk
-- (the pharmacokinetic model), k2.journal (lua/k2/journal.lua) and k2.dose /
-- k2.timing / k2.check / k2.notice (lua/k2/advice/) load on first use.
local function load_pk()
  local pk = require("k2.pk")
  pk.attach({ store = db, notice = notice })
  return pk
end

return setmetatable(k2, {
  __index = function(t, key)
    if key == "pk" then
      local pk = load_pk()
      rawset(t, "pk", pk)
      return pk
    elseif key == "journal" then
      -- issue 15: lua/k2/journal.lua, its file opened by k2.journal.open
      local journal = require("k2.journal").new({ form = function(name) return db():form(name) end,
        parse_dose = core.parse_dose, intake = function(list, o) return k2.intake(list, o) end,
        pk = function() return t.pk end, rules = rules, notice = notice })
      rawset(t, "journal", journal)
      return journal
    elseif key == "dose" or key == "timing" or key == "check" or key == "notice" then
      local calls = require("k2.advice").new({ store = db, pk = t.pk, rules = rules })
      for _, name in ipairs({ "dose", "timing", "check", "notice" }) do rawset(t, name, calls[name]) end
      return calls[key]
    end
    return nil
  end,
  __tostring = function()
    return ("k2 %s: vitamin K facts. Try k2.search \"warfarin\", k2.facts{form = \"MK-7\"},"
      .. " k2.fact \"seed.mk7.tmax\", k2.parse_dose \"0.18 mg\""):format(VERSION)
  end,
})
