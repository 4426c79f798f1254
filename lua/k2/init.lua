--- k2: vitamin K facts — how much, when, how safe — from an embedded,
--- sourced fact store. This file is the public Lua API (`require "k2"`) and
--- the loader of the native core `k2.core` (csrc/lk2.c).
---
--- Units: doses in micrograms (µg), durations in hours. Errors: a wrong type or
--- an unknown option raises; text a user wrote that k2 can't understand
--- returns nil, message (see README "Errors"). Every result is a plain table
--- with a metatable that prints it readably (lua/k2/show.lua).
--- Works on Lua 5.4 and on LuaJIT/Lua 5.1 (Neovim): same code, two builds
--- of the core (build/5.4, build/5.1).

local VERSION -- the core's: K2_VERSION in csrc/k2.h is the one place the version is written

local function is_not_found(err)
  return type(err) == "string" and err:find("module 'k2.core' not found", 1, true) ~= nil
end

-- Finds the core: an installed k2.core first, else build/<abi>/k2/core.so
-- next to the checkout this file lives in.
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

-- Results are plain tables with these metatables; printing one loads
-- k2.show on first use, so `require "k2"` stays cheap.
local SHAPES = {}
for _, kind in ipairs({ "fact", "fact_list", "source", "source_list", "conflict", "info", "list", "finding", "items" }) do
  SHAPES[kind] = { __name = "k2." .. kind, __tostring = function(x) return require("k2.show")[kind](x) end }
end
core.set_shapes(SHAPES)

local k2 = { version = VERSION, abi = core.abi, _shapes = SHAPES } -- _shapes: for k2's own modules

local store
local function db()
  if not store then
    local s, err = core.open()
    if not s then error("k2: cannot open the built-in fact store: " .. tostring(err), 0) end
    store = s
  end
  return store
end

---------------------------------------------------------------- argument checks

-- Raised from check_string / check_options, which the API functions call:
-- level 4 is the caller of the API function.
local function arg_error(fname, n, expected, value)
  error(("bad argument #%d to '%s' (%s expected, got %s)"):format(n, fname, expected, type(value)), 4)
end

local function check_string(fname, n, value)
  if type(value) ~= "string" then arg_error(fname, n, "string", value) end
  return value
end

local function sorted_keys(t)
  local keys = {}
  for k in pairs(t) do keys[#keys + 1] = k end
  table.sort(keys)
  return table.concat(keys, ", ")
end

-- Checks an options table against `allowed` (name -> "string" | "integer").
local function check_options(fname, n, opts, allowed)
  if opts == nil then return {} end
  if type(opts) ~= "table" then arg_error(fname, n, "table", opts) end
  for key, value in pairs(opts) do
    local want = allowed[key]
    if not want then
      error(("bad argument #%d to '%s' (unknown option '%s'; known: %s)"):format(
        n, fname, tostring(key), sorted_keys(allowed)), 3)
    end
    local ok = want == "string" and type(value) == "string"
      or want == "integer" and type(value) == "number" and value == math.floor(value)
    if not ok then
      error(("bad argument #%d to '%s' (option '%s' must be %s, got %s)"):format(
        n, fname, key, want == "integer" and "an integer" or "a string", type(value)), 3)
    end
  end
  return opts
end

local FILTER = { form = "string", topic = "string", evidence = "string", population = "string" }
local SEARCH = { limit = "integer", form = "string", topic = "string", evidence = "string", population = "string" }

---------------------------------------------------------------- facts

--- k2.search(text [, {limit=, form=, topic=, evidence=, population=}]) → list of facts, best first
function k2.search(text, opts)
  check_string("search", 1, text)
  opts = check_options("search", 2, opts, SEARCH)
  if opts.limit and (opts.limit < 1 or opts.limit > 1000) then
    error("bad argument #2 to 'search' (option 'limit' must be 1 to 1000)", 2)
  end
  return db():search(text, opts.limit, opts.form, opts.topic, opts.evidence, opts.population)
end

--- k2.facts{form=, topic=, evidence=, population=} → list of facts in data/ order
function k2.facts(filter)
  filter = check_options("facts", 1, filter, FILTER)
  return db():facts(filter.form, filter.topic, filter.evidence, filter.population)
end

--- k2.fact(id) → fact | nil, message
function k2.fact(id)
  check_string("fact", 1, id)
  return db():fact(id)
end

--- k2.sources() → list of sources
function k2.sources()
  return db():sources()
end

--- k2.source(id) → source | nil, message
function k2.source(id)
  check_string("source", 1, id)
  return db():source(id)
end

--- k2.conflict(id) → {id, topic, summary, facts = {ids}} | nil, message
function k2.conflict(id)
  check_string("conflict", 1, id)
  local c, err = db():conflict(id)
  if not c then return nil, err end
  local facts = {}
  for id_ in c.facts:gmatch("[^,%s]+") do facts[#facts + 1] = id_ end
  c.facts = setmetatable(facts, SHAPES.list)
  return setmetatable(c, SHAPES.conflict)
end

--- k2.form(name) → canonical form name ("mk7" → "MK-7") | nil, message
function k2.form(name)
  check_string("form", 1, name)
  return db():form(name)
end

--- k2.info() → {version, abi, data_version, sqlite_version, facts, sources, conflicts}
function k2.info()
  local info = db():info()
  info.version, info.abi = VERSION, core.abi
  return setmetatable(info, SHAPES.info)
end

---------------------------------------------------------------- units

--- k2.parse_dose("0.18 mg") → 180 (µg) | nil, message
function k2.parse_dose(text)
  return core.parse_dose(check_string("parse_dose", 1, text))
end

--- k2.parse_duration("3d") → 72 (hours) | nil, message
function k2.parse_duration(text)
  return core.parse_duration(check_string("parse_duration", 1, text))
end

--- k2.format_number(x [, decimals]) → text with a '.' decimal point, whatever the locale
k2.format_number = core.format_number

-- `k2` itself prints a hint in the REPL instead of a table address; k2.pk
-- (the pharmacokinetic model) and k2.dose / k2.timing / k2.check (lua/k2/advice.lua)
-- load on first use.
return setmetatable(k2, {
  __index = function(t, key)
    if key == "pk" then
      local pk = require("k2.pk")
      pk._attach(db)
      rawset(t, "pk", pk)
      return pk
    elseif key == "dose" or key == "timing" or key == "check" or key == "notice" then
      local advice = require("k2.advice")
      advice._attach(t, db)
      for _, name in ipairs({ "dose", "timing", "check", "notice" }) do rawset(t, name, advice[name]) end
      return advice[key]
    end
    return nil
  end,
  __tostring = function()
    return ("k2 %s: vitamin K facts. Try k2.search \"warfarin\", k2.facts{form = \"MK-7\"},"
      .. " k2.fact \"seed.mk7.tmax\", k2.parse_dose \"0.18 mg\""):format(VERSION)
  end,
})
