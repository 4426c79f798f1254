--- k2.shapes: the metatables every k2 result has, so each one answers
--- `r:lines(width [, look])` (an array of strings laid out for `width`
--- columns, 78 by default), `r:to_table()` (plain data for JSON and CSV: no
--- metatables, functions or userdata) and prints as
--- table.concat(r:lines(78), "\n"). The text itself is laid out by k2.show
--- (loaded on the first print, so `require "k2"` stays cheap) or by the
--- printer a result kind gives; this module only ties them together.
---
--- Requires nothing above it: the public module (init.lua) hands the core
--- these shapes for the results it builds (facts, lists, sources), and
--- installs `shapes.context`, through which a fact printed alone finds what
--- it prints beyond its own fields (see init.lua: disagreements, notice).

-- k2.args loads with the first print (as k2.show does), not at require.
local function args() return require("k2.args") end

local shapes = {}

-- Set by init.lua: { field = function(x, key, kind) -> value } for the store-built kinds.
shapes.context = { field = function() return nil end }

local function show() return require("k2.show") end

--- shapes.define(name, def) → metatable for results of kind `name`.
--- def.lines(x, width, look) → array of lines (width already checked);
--- def.to_table(x) → plain data (default: a plain copy of the fields);
--- def.methods: more methods; def.field(x, key): fields computed on access.
function shapes.define(name, def)
  local methods = def.methods or {}
  function methods.lines(x, width, look) return def.lines(x, args().width("lines", width), look) end
  methods.to_table = methods.to_table or def.to_table or function(x) return show().plain(x) end
  -- k2_lines: the printer itself, for k2.show laying a result out inside another
  local mt = { __name = "k2." .. name, k2_lines = def.lines }
  if def.field then
    mt.__index = function(x, key)
      local m = methods[key]
      if m ~= nil then return m end
      return def.field(x, key)
    end
  else
    mt.__index = methods
  end
  mt.__tostring = function(x) return table.concat(methods.lines(x), "\n") end
  return mt
end

-- The kinds k2.show prints: facts, lists of them, sources, conflicts, the
-- store's info, findings, numbered lists of results and plain lists of names.
local STORE_BUILT = { fact = true, fact_list = true }
for _, kind in ipairs({ "fact", "fact_list", "source", "source_list", "conflict", "info", "list", "finding", "items" }) do
  shapes[kind] = shapes.define(kind, {
    lines = function(x, width) return show()[kind](x, width) end,
    to_table = kind == "fact_list" and function(x)
      -- the facts only: a search's matched/unmatched words keep the JSON an array
      local t = {}
      for i, f in ipairs(x) do t[i] = show().plain(f) end
      return t
    end or function(x) return show().plain(x) end,
    field = STORE_BUILT[kind] and function(x, key) return shapes.context.field(x, key, kind) end or nil,
  })
end

-- An ask result (lua/k2/ask.lua lays it out; it loads with the first question).
shapes.ask = shapes.define("ask", {
  lines = function(x, width) return require("k2.ask").lines(x, width) end,
  to_table = function(x) return require("k2.ask").to_table(x) end,
})

--- shapes.make_conflict(c) → a conflict from the store (its facts a "a, b" text)
--- with its facts as a list, shaped; nil, message passes through.
function shapes.make_conflict(c, err)
  if not c then return nil, err end
  if type(c.facts) == "string" then c.facts = setmetatable(args().split_list(c.facts), shapes.list) end
  return setmetatable(c, shapes.conflict)
end

--- shapes.shaped(list, kind) → the list with the shape of `kind` (a plain
--- table from inside an answer: basis, findings, ...), unless it has one.
function shapes.shaped(list, kind)
  if type(list) == "table" and getmetatable(list) == nil then setmetatable(list, shapes[kind]) end
  return list
end

return shapes
