--- k2.args: one description of every public call's arguments and options,
--- and the one checker that raises every `bad argument` error in lua/k2.
--- The API functions check their options against args.calls; the shell front
--- end (bin/k2) builds its flags, usage and help from the same table, and
--- Neovim its completion (`complete` names a vocabulary kind that
--- k2.vocab(kind) serves from the store).
---
--- An option is {name=, type=, help=, example=, ...}:
---   type       "string" | "integer" | "number" | "boolean" | "list" (an array of
---              strings; front ends accept "a, b" text, split by args.split_list) | "table"
---   or_number  the unit of a number accepted instead of the text ("µg", "h"):
---              doses and durations are text ("180 ug", "24h") or numbers
---   min, max   the range; `above` = true makes min exclusive. Out of range is a
---              raised error, unless `answered` = true: then the call itself
---              answers nil, message (a user's figure, such as an age; for a
---              list, an item longer than text_max_bytes: a medicine's name).
---   excludes   the name, or a list of names, of options it cannot be given with
---              (per_day and every; days and duration, both the run's length)
---   needs      names of options one of which must come with it (doses needs every
---              or per_day: a single dose has no number of doses)
---   required   the call raises without it (unless its `unless` option is given); `default`
---              is what it uses without it
---   values     the accepted texts, for an option with a fixed set
---   complete   a vocabulary kind for completion: forms, topics, evidence, sexes,
---              purposes, medicines, conditions, sets, populations
---   cli        the command line's spelling (default "--" .. name with _ as -;
---              false: the command line does not offer it)
---   cli_help   the help line of its command-line flag, when that reads otherwise (--no-fat)
---   cli_arg    n: the command line takes it as its n-th positional argument
---   fields     for a table: the fields it holds, each an option description
--- Every limit comes from the core (require("k2.core").limits) and every
--- message states it from that value. Requires nothing above it.

local core = require("k2.core")
local limits = core.limits

local args = {}

-- Input validation, not a health figure: no one is older.
args.MAX_AGE_Y = 130
-- How people write a sex; the facts say male or female.
local SEXES = { male = "male", man = "male", men = "male", m = "male", female = "female", woman = "female",
  women = "female", f = "female" }

--- args.sex_of(text) → "male" | "female" | nil, message (the one reader of a sex option)
function args.sex_of(text)
  local sex = SEXES[text:lower()]
  if not sex then return nil, ("sex '%s': give 'male' or 'female'"):format(args.excerpt(text)) end
  return sex
end
-- Units, not figures: how a duration limit in hours reads in days.
local HOURS_PER_DAY = 24
--- Units, not figures: months in a year (for the months option).
local MONTHS_PER_YEAR = 12
args.MONTHS_PER_YEAR = MONTHS_PER_YEAR

---------------------------------------------------------------- raising at the caller

-- A frame of k2's own Lua layer (lua/k2/*.lua, lua/k2/advice/*.lua); the
-- front ends (lua/k2/nvim) and the user's code are callers.
local function own(source)
  return source:find("[@/\\]k2[/\\][%w_]+%.lua$") ~= nil or source:find("[@/\\]k2[/\\]advice[/\\][%w_]+%.lua$") ~= nil
end

-- The error level of the first frame outside k2, as seen from raise().
local function caller_level()
  local level = 3 -- 1 is this function, 2 is raise
  while true do
    local info = debug.getinfo(level, "S")
    if not info then return level - 2 end
    if not own(info.source) then return level - 1 end
    level = level + 1
  end
end

---------------------------------------------------------------- how messages name options

-- Set by a front end through args.use_names: how its user spells an option.
local namer

--- args.use_names(fn): from now on every message names an option as
--- fn(option) spells it ("--per-day", "DOSE"), and a raised error is the bare
--- problem, not "bad argument #n to 'f' (...)": the front end's user called no
--- Lua function. For a process that serves only that front end (bin/k2); Lua
--- callers, Neovim included, keep the API's names.
function args.use_names(fn) namer = fn end

-- An option as messages name it: 'name', or the front end's spelling.
local function label(o) return namer and namer(o) or ("'" .. o.name .. "'") end

--- args.name(fname, key) → how messages name option `key` of call `fname`.
function args.name(fname, key) return label(args.calls[fname].by_name[key]) end

-- Under a front end's names the error is an object saying its kind: "value"
-- (a figure or text out of range: the command line exits 1) or "usage" (an
-- unknown or missing option: exit 2); tostring gives the message.
local ERROR = { __tostring = function(e) return e.message end }

local function raise(fname, n, msg, kind)
  if namer then error(setmetatable({ message = msg, kind = kind or "usage" }, ERROR), 0) end
  local where = n and ("#%d "):format(n) or ""
  error(("bad argument %sto '%s' (%s)"):format(where, fname, msg), caller_level())
end

--- args.error(fname, n, message): raises "bad argument #n to 'fname' (message)"
--- at the first caller outside k2 (n may be nil for a method's own argument).
function args.error(fname, n, msg) raise(fname, n, msg) end

--- args.value_error(fname, n, message): the same, for a value out of its
--- range or limit (a front end reports it as the user's value, exit 1).
function args.value_error(fname, n, msg) raise(fname, n, msg, "value") end

--- args.excerpt(text [, max]) → at most `max` (40) bytes of a user's text for a
--- message, cut on a character boundary with "…" and the full length, its
--- control characters written as \ddd, so an echo never floods or drives a terminal.
function args.excerpt(text, max)
  text, max = tostring(text), max or 40
  local whole = #text
  local cut = whole > max
  if cut then
    local n = max
    while n > 0 and text:byte(n + 1) and text:byte(n + 1) >= 0x80 and text:byte(n + 1) < 0xC0 do n = n - 1 end
    text = text:sub(1, n)
  end
  text = text:gsub("[%z\1-\31\127]", function(c) return ("\\%03d"):format(c:byte()) end)
  return cut and (text .. ("… (%d bytes)"):format(whole)) or text
end

-- A text option's or list item's length against the core's limits.
-- (A text option's own length is the call's to answer, nil, message: the
-- core refuses text over its limits.)
local function check_length(fname, n, o, v)
  if o.type == "list" and type(v) == "table" then
    if #v > limits.list_max_items then
      raise(fname, n, ("option %s has %d items; at most %d (the limit list_max_items)"):format(label(o), #v,
        limits.list_max_items), "value")
    end
    for i, item in ipairs(v) do
      if #item > limits.text_max_bytes and not o.answered then
        raise(fname, n, ("option %s item %d is %d bytes long; at most %d (the limit text_max_bytes)"):format(
          label(o), i, #item, limits.text_max_bytes), "value")
      end
    end
  end
end

---------------------------------------------------------------- figures in messages

--- A dose limit as people read it: 1000000 → "1 g", 45000 → "45 mg", 180 → "180 µg".
function args.dose_text(ug)
  if ug >= 1e6 then return core.format_number(ug / 1e6, 3) .. " g" end
  if ug >= 1e3 then return core.format_number(ug / 1e3, 3) .. " mg" end
  return core.format_number(ug, 3) .. " µg"
end

local function number_text(x) return core.format_number(x, 6) end

--- args.number_text(x) → x for a message: 6 decimals at most, any double
--- (inf, nan and huge ones in %.6g) so a message never raises.
function args.number_text(x)
  if type(x) ~= "number" then return tostring(x) end
  if x ~= x or math.abs(x) >= 1e15 then return ("%.6g"):format(x) end
  return number_text(x)
end

--- args.dose_ug(v) → µg, or nil, message: text ("180 ug") through the core's
--- parse_dose, or a number of µg above 0 and at most the core's limit.
function args.dose_ug(v)
  if type(v) == "string" then return core.parse_dose(v) end
  if v > 0 and v <= limits.dose_max_ug then return v end
  return nil, ("dose %s µg: must be above 0 and at most %s"):format(tostring(v), args.dose_text(limits.dose_max_ug))
end

--- args.hours(what, v) → hours, or nil, message: text ("24h") through the
--- core's parse_duration, or a number of hours above 0 and at most the
--- core's limit (the same cap as text has).
function args.hours(what, v)
  if type(v) == "string" then return core.parse_duration(v) end
  if v > 0 and v <= limits.duration_max_h then return v end
  return nil, ("%s %s h: must be above 0 and at most %s h (%s days, the limit duration_max_h)"):format(what,
    args.number_text(v), number_text(limits.duration_max_h), number_text(limits.duration_max_h / HOURS_PER_DAY))
end

---------------------------------------------------------------- the calls

local MAX_DAYS = limits.duration_max_h / HOURS_PER_DAY

local function option(name, fields)
  fields.name = name
  return fields
end

-- Options several calls share, built fresh for each (a call may change its copy).
local function form(extra)
  local o = option("form", { type = "string", complete = "form_names", example = "MK-7",
    help = "the form: K1, MK-4, MK-7, K2, K3 or K (any spelling k2 knows)" })
  for k, v in pairs(extra or {}) do o[k] = v end
  return o
end
local function set() return option("set", { type = "string", complete = "sets", example = "sato2012",
  help = "the parameter set of the model (default, sato2012, label, ...)" }) end
local function age()
  return option("age", { type = "number", min = 0, max = args.MAX_AGE_Y, answered = true, example = "40",
    help = "age in years" })
end
-- Infants' ages: months instead of (or added to) years.
local function months()
  return option("months", { type = "number", min = 0, max = args.MAX_AGE_Y * MONTHS_PER_YEAR, answered = true,
    example = "4", help = "age in months, for babies (added to age when both are given)" })
end
local function breastfeeding()
  return option("breastfeeding", { type = "boolean", example = "true", help = "breastfeeding" })
end
local function dose(extra)
  local o = option("dose", { type = "string", or_number = "µg", example = "180 ug",
    help = "the amount of one dose" })
  for k, v in pairs(extra or {}) do o[k] = v end
  return o
end
local function duration(help, example)
  return option("duration", { type = "string", or_number = "h", example = example, help = help })
end
local function filter(topic_help)
  return {
    option("form", { type = "string", complete = "form_names", example = "MK-7", help = "only facts about this form" }),
    option("topic", { type = "string", complete = "topics", example = "pharmacokinetics", help = topic_help }),
    option("evidence", { type = "string", complete = "evidence", example = "human RCT",
      help = "only this evidence type (human RCT, drug label, ...)" }),
    option("population", { type = "string", complete = "populations", example = "women",
      help = "only facts whose population mentions this word" }),
  }
end

-- The model's options, shared by simulate, steady_state and population.
local function model_options(list)
  list[#list + 1] = option("fat", { type = "boolean", default = true, cli = "--no-fat", example = "false",
    help = "taken with a meal that contains fat (the command line's --no-fat sets false)",
    cli_help = "taken without fat" })
  for _, p in ipairs({ { "ka", "absorption rate, 1/h" }, { "ke", "elimination rate, 1/h" },
    { "F", "bioavailable fraction" }, { "V", "volume of distribution, L (gives ng/mL)" }, { "lag", "lag time, h" } }) do
    list[#list + 1] = option(p[1], { type = "number", example = "0.5", cli = false,
      help = p[2] .. ", replacing the set's" })
  end
  return list
end

local function every() return option("every", { type = "string", or_number = "h", example = "24h",
  help = "the dosing interval" }) end
local function per_day() return option("per_day", { type = "integer", min = 1, max = HOURS_PER_DAY, example = "2",
  excludes = "every", help = "doses a day (instead of every)" }) end

local function simulate_options()
  return model_options({
    form({ required = true, cli_arg = 1 }), set(), dose({ required = true, unless = "intake", cli_arg = 2 }),
    every(), per_day(),
    option("days", { type = "number", min = 0, above = true, max = MAX_DAYS, limit = "duration_max_h", example = "30",
      excludes = "duration", help = "days to run (with every: days of dosing)" }),
    option("doses", { type = "integer", min = 1, max = limits.pk_max_doses, limit = "pk_max_doses", example = "10",
      excludes = { "days", "at", "intake" }, needs = { "every", "per_day" }, help = "number of doses" }),
    option("at", { type = "table", cli = false, example = "{0, \"12h\"}", help = "the dose times: hours or text, from the first dose" }),
    option("intake", { type = "table", cli = false, example = "{ {0, \"180 ug\"}, {\"24h\", \"90 ug\"} }",
      help = "doses of their own sizes: {time, dose} pairs, times from the start of the run (the journal's)" }),
    duration("the length of the run", "3d"),
    option("step", { type = "string", or_number = "h", example = "1min", help = "the sampling step" }),
    option("label", { type = "string", cli = false, example = "morning dose", help = "the curve's name in plots" }),
    option("unit", { type = "string", values = { "ng/mL", "nmol/L" }, example = "nmol/L",
      help = "ng/mL or nmol/L (sets with a calibrated volume)" }),
    option("baseline", { type = "boolean", example = "true",
      help = "add the level measured before any dose (sets that name one, such as MK-4 'label'; off by default)" }),
  })
end

-- A journal time: text people write ("yesterday 08:00") or UTC seconds.
local function journal_time(name, help)
  return option(name, { type = "string", or_number = "s", example = "yesterday 08:00", help = help })
end
local function journal_range()
  return { journal_time("from", "the first time (default: the beginning)"), journal_time("to", "the last time (default: the end)") }
end
local function journal_add_options()
  return {
    option("form", { type = "string", complete = "form_names", example = "MK-7", help = "the supplement's form" }),
    dose({ help = "the dose taken" }),
    option("food", { type = "string", example = "1 cup raw spinach", help = "a food, with its amount or without" }),
    option("amount", { type = "string", example = "1 cup", help = "the amount of the food (or inside food)" }),
    journal_time("at", "when (default now)"),
    option("note", { type = "string", example = "with breakfast", help = "a note" }),
  }
end

local function population_options()
  local list = {}
  -- a population's bands are of the dose's part; the baseline is one subject's measure
  for _, o in ipairs(simulate_options()) do if o.name ~= "baseline" then list[#list + 1] = o end end
  list[#list + 1] = option("n", { type = "integer", min = 2, max = limits.pk_max_subjects, limit = "pk_max_subjects", default = 1000,
    cli = "--population", example = "1000", help = "the number of virtual subjects" })
  -- fields: what the table holds, each a flag of its own on the command line (--cv-ka, --cv-ke)
  list[#list + 1] = option("cv", { type = "table", required = true, example = "{ka = 0.3, ke = 0.3}",
    why = "k2 has no sourced variability figures",
    help = "the variability of ka and ke (and V) as coefficients of variation; k2 has no sourced figures",
    fields = {
      { name = "ka", type = "number", min = 0, example = "0.3", help = "variability of ka (0.3 is 30 %)" },
      { name = "ke", type = "number", min = 0, example = "0.3", help = "variability of ke (0.3 is 30 %)" },
      { name = "V", type = "number", min = 0, cli = false, example = "0.3", help = "variability of V (0.3 is 30 %)" },
    } })
  list[#list + 1] = option("seed", { type = "integer", default = 1, example = "7", help = "the random seed" })
  list[#list + 1] = option("bands", { type = "boolean", default = true, cli = false, example = "false",
    help = "keep the percentile bands (false: means only)" })
  return list
end

-- search takes the facts filters as well as its limit
local function search_options()
  local list = { option("limit", { type = "integer", min = 1, max = limits.search_max_limit, default = 10,
    example = "5", help = "the most results" }) }
  for _, o in ipairs(filter("only this topic (dosing, pharmacokinetics, safety, ...)")) do list[#list + 1] = o end
  return list
end

local function text_arg(name, help, example) return { name = name, type = "string", help = help, example = example } end

args.calls = {
  search = { optional = true, positional = { text_arg("text", "the words to search for", "calcification") },
    options = search_options() },
  facts = { optional = true, options = filter("only this topic (dosing, pharmacokinetics, safety, ...)") },
  fact = { positional = { text_arg("id", "a fact's id", "seed.mk7.tmax") } },
  ask = { positional = { text_arg("text", "a question as you would ask it", "how much K2 for my 10 year old") },
    options = { option("limit", { type = "integer", min = 1, max = limits.search_max_limit, example = "5",
      help = "most facts a search answer lists" }) } },
  -- issue 14: food
  foods = { positional = { text_arg("text", "a food as people write it", "raw spinach") },
    options = { option("limit", { type = "integer", min = 1, max = limits.search_max_limit, default = 10,
      example = "5", help = "the most foods" }) } },
  food = { positional = { text_arg("id", "a USDA NDB number", "11457") } },
  intake = { positional = { { name = "list", type = "table", example = "{\"1 cup raw spinach\", \"50 g natto\"}",
      help = "amounts of foods ('50 g natto', '1 cup raw spinach') or {form=, dose=}" } },
    options = { age(), option("sex", { type = "string", complete = "sexes", example = "female", help = "male or female" }) } },
  source = { positional = { text_arg("id", "a source's id", "S07b") } },
  conflict = { positional = { text_arg("id", "a disagreement's id", "mk7-tmax") } },
  form = { positional = { text_arg("name", "a form as people write it", "menatetrenone") } },
  vocab = { positional = { text_arg("kind", "forms, topics, evidence, sexes, purposes, medicines, conditions, sets"
    .. " or populations", "forms") } },
  parse_dose = { positional = { text_arg("text", "a dose", "0.18 mg") } },
  parse_duration = { positional = { text_arg("text", "a duration", "3d") } },
  params = { positional = { text_arg("form", "the form", "MK-7"), { name = "set", type = "string",
    optional = true, help = "the parameter set (default: default)", example = "label" } } },
  dose = { optional = true, options = {
    form({ default = "K", cli_arg = 1 }), age(),
    option("sex", { type = "string", complete = "sexes", example = "female", help = "male or female" }),
    option("purpose", { type = "string", complete = "purposes", example = "osteocalcin",
      help = "a purpose such as osteocalcin, bone, heart" }),
    months(),
    option("pregnant", { type = "boolean", example = "true", help = "pregnant" }),
    breastfeeding(),
    option("lactating", { type = "boolean", example = "true", help = "breastfeeding (the same as breastfeeding)" }),
  } },
  timing = { optional = true, options = { form({ default = "K", cli_arg = 1 }), set() } },
  check = { options = {
    form({ default = "K", cli_arg = 1 }), dose({ cli_arg = 2 }), age(), months(),
    option("sex", { type = "string", complete = "sexes", example = "female", help = "male or female" }),
    option("pregnant", { type = "boolean", example = "true", help = "pregnant (or name pregnancy in conditions)" }),
    breastfeeding(),
    option("meds", { type = "list", complete = "medicines", answered = true, example = "warfarin, orlistat",
      help = "medicines taken (names or brands; an item may hold several, comma separated)" }),
    option("conditions", { type = "list", complete = "conditions", answered = true, example = "vitamin allergy",
      help = "conditions (an item may hold several, comma separated)" }),
    duration("how long it is taken", "6mo"),
  } },
  simulate = { options = simulate_options() },
  steady_state = { options = model_options({ form({ required = true, cli_arg = 1 }), set(),
    dose({ required = true, cli_arg = 2 }), every(), per_day() }) },
  population = { options = population_options() },
  compare = { positional = { { name = "curves", type = "table", example = "{ {form = \"MK-4\", dose = \"180 ug\"}, ... }",
    help = "a list of simulate options, one per curve" } }, list_of = "simulate" },
  sets = { positional = { text_arg("form", "the form", "MK-4") } },
  studies = { optional = true, options = { form({ cli_arg = 1 }) } },
  validate = { optional = true, options = { form({ cli_arg = 1 }) } },
  plot = { optional = true, options = {
    option("width", { type = "integer", min = 20, max = limits.plot_max_columns, limit = "plot_max_columns", default = 72, example = "60",
      help = "columns" }),
    option("height", { type = "integer", min = 1, max = limits.plot_max_rows, limit = "plot_max_rows", default = 12, example = "10",
      help = "rows" }),
    option("ascii", { type = "boolean", example = "true", help = "plot in ASCII instead of braille" }),
    option("color", { type = "boolean", cli = false, example = "true", help = "ANSI colours, one per series" }),
    option("studies", { type = "boolean", example = "true",
      help = "draw the published levels of this form and dose as points (k2.pk.studies)" }),
  } },
  svg = { optional = true, options = {
    option("width", { type = "integer", min = 1, max = limits.svg_max_px, limit = "svg_max_px", default = 640, example = "640",
      help = "pixels" }),
    option("height", { type = "integer", min = 1, max = limits.svg_max_px, limit = "svg_max_px", default = 320, example = "320",
      help = "pixels" }),
    option("studies", { type = "boolean", example = "true",
      help = "draw the published levels of this form and dose as points (k2.pk.studies)" }),
  } },
  -- issue 15: the journal's methods (lua/k2/journal.lua)
  add = { options = journal_add_options() },
  entries = { optional = true, options = journal_range() },
  level = { options = { form({ required = true, cli_arg = 1 }), set(), journal_time("at", "the time of the level (default now)"),
    option("plot_days", { type = "number", min = 0, max = MAX_DAYS, limit = "duration_max_h", example = "7",
      help = "days of level to plot up to that time (0: no plot)" }),
    option("height", { type = "integer", min = 1, max = limits.plot_max_rows, limit = "plot_max_rows",
      example = "10", help = "plot rows" }),
    option("ascii", { type = "boolean", example = "true", help = "plot in ASCII instead of braille" }) } },
  curve = { options = { form({ required = true, cli_arg = 1 }), set(), journal_time("from", "the start (default: the first dose)"),
    journal_time("to", "the end (default now)") } },
  days = { optional = true, options = { journal_time("from", "the first day"), journal_time("to", "the last day (default now)"),
    option("days", { type = "number", min = 0, above = true, max = MAX_DAYS, limit = "duration_max_h", example = "14",
      help = "days up to now (without from)" }), age(),
    option("sex", { type = "string", complete = "sexes", example = "female", help = "male or female" }) } },
  settings = { optional = true, options = {
    option("meds", { type = "list", complete = "medicines", example = "warfarin", help = "medicines taken (an empty list: none)" }),
    option("age", { type = "number", min = 0, max = args.MAX_AGE_Y, example = "42", help = "age in years" }),
    option("sex", { type = "string", complete = "sexes", example = "female", help = "male or female (\"\": unset)" }) } },
  -- r:lines(width [, look]): every result's text; look shapes a plot inside it
  lines = { optional = true, positional = { { name = "width", type = "integer", min = 20, max = limits.plot_max_columns,
    default = 78, example = "60", help = "columns to lay the text out in" } }, options = {
    option("height", { type = "integer", min = 1, max = limits.plot_max_rows, limit = "plot_max_rows", default = 12, example = "10",
      help = "plot rows" }),
    option("ascii", { type = "boolean", example = "true", help = "plot in ASCII instead of braille" }),
    option("color", { type = "boolean", cli = false, example = "true", help = "ANSI colours, one per series" }),
    option("plot", { type = "boolean", default = true, example = "false", help = "draw the plot (false: the text only)" }),
    option("studies", { type = "boolean", example = "true",
      help = "draw the published levels of this form and dose as points (k2.pk.studies)" }),
  } },
}
-- name -> option, per call (built once)
for _, call in pairs(args.calls) do
  call.by_name = {}
  for _, o in ipairs(call.options or {}) do
    if o.cli == nil then o.cli = "--" .. o.name:gsub("_", "-") end
    call.by_name[o.name] = o
  end
end

---------------------------------------------------------------- checking

local function is_integer(v) return type(v) == "number" and v == math.floor(v) and v == v and v > -math.huge and v < math.huge end

-- What a type reads as in "X expected" and "must be X".
local EXPECTED = { string = "string", integer = "integer", number = "number", boolean = "boolean", list = "list",
  table = "table" }
local MUST_BE = { string = "a string", integer = "an integer", number = "a number", boolean = "true or false",
  list = "a list of strings", table = "a table" }

local function type_ok(v, want)
  if want == "integer" then return is_integer(v) end
  if want == "list" then
    if type(v) ~= "table" then return false end
    local n = 0
    for _ in pairs(v) do n = n + 1 end
    if n ~= #v then return false end
    for _, item in ipairs(v) do if type(item) ~= "string" then return false end end
    return true
  end
  return type(v) == want
end

--- args.check(fname, n, value, type) → value; raises "bad argument #n to 'fname'
--- (type expected, got X)". A type ending in "?" also accepts nil; type may be
--- an option or positional description ({type=, ...}).
function args.check(fname, n, value, want)
  if type(want) == "table" then want = want.type .. (want.optional and "?" or "") end
  local optional = want:sub(-1) == "?"
  if optional then
    if value == nil then return nil end
    want = want:sub(1, -2)
  end
  if not type_ok(value, want) then
    raise(fname, n, ("%s expected, got %s"):format(EXPECTED[want] or want, type(value)))
  end
  return value
end

local function range_text(o)
  local low = o.above and ("above " .. number_text(o.min)) or number_text(o.min)
  if o.type == "integer" then
    if o.max then return ("a whole number from %s to %s"):format(low, number_text(o.max)) end
    return ("a whole number from %s"):format(low)
  end
  if o.max then return ("a number from %s to %s"):format(low, number_text(o.max)) end
  return ("a number from %s"):format(low)
end

--- args.in_range(o, v) → true, or false, message ("option 'age' must be a number from 0 to 130").
function args.in_range(o, v)
  if (o.min and (v < o.min or (o.above and v == o.min))) or (o.max and v > o.max) or v ~= v then
    return false, ("option %s must be %s%s"):format(label(o), range_text(o),
      o.limit and (" (the limit %s)"):format(o.limit) or "")
  end
  return true
end

-- One option's value, against its description.
local function check_option(fname, n, o, v)
  if o.or_number and type(v) == "number" then return end
  if o.type == "list" and type(v) == "string" then return end -- one text is a list of one
  if not type_ok(v, o.type) then
    local want = o.or_number and ("text like '%s' or a number of %s"):format(o.example, o.or_number) or MUST_BE[o.type]
    if o.type == "list" and type(v) == "table" then
      want = ("a list like {\"%s\"}, not a table with keys or items that are not text"):format(
        args.split_list(o.example)[1])
    end
    raise(fname, n, ("option %s must be %s, got %s"):format(label(o), want, type(v)), "value")
  end
  check_length(fname, n, o, v)
  for _, f in ipairs(o.fields or {}) do -- a table's fields: their types (the call answers their ranges)
    if v[f.name] ~= nil and not type_ok(v[f.name], f.type) then
      raise(fname, n, ("option %s field '%s' must be %s, got %s"):format(label(o), f.name, MUST_BE[f.type],
        type(v[f.name])), "value")
    end
  end
  if o.values then
    for _, allowed in ipairs(o.values) do if v == allowed then return end end
    raise(fname, n, ("option %s must be '%s'"):format(label(o), table.concat(o.values, "' or '")), "value")
  end
  if (o.min or o.max) and not o.answered then
    local ok, msg = args.in_range(o, v)
    if not ok then raise(fname, n, msg, "value") end
  end
end

local function known(call)
  local names = {}
  for name in pairs(call.by_name) do names[#names + 1] = name end
  table.sort(names)
  return table.concat(names, ", ")
end

--- args.options(fname, n, opts) → opts (or {} for a call whose options may be
--- left out). Raises for a non-table, an unknown key, a wrong type, a value out
--- of range (unless the call answers it) and a missing required option.
function args.options(fname, n, opts)
  local call = assert(args.calls[fname], "no description of the call")
  if opts == nil and call.optional then return {} end
  if type(opts) ~= "table" then raise(fname, n, ("table expected, got %s"):format(type(opts))) end
  for key, v in pairs(opts) do
    local o = call.by_name[key]
    if not o then raise(fname, n, ("unknown option '%s'; known: %s"):format(tostring(key), known(call))) end
    check_option(fname, n, o, v)
  end
  for _, o in ipairs(call.options or {}) do
    for _, other in ipairs(type(o.excludes) == "table" and o.excludes or { o.excludes }) do
      if opts[o.name] ~= nil and opts[other] ~= nil then
        raise(fname, n, ("give %s or %s, not both"):format(label(call.by_name[other]), label(o)))
      end
    end
    if o.needs and opts[o.name] ~= nil then
      local given, names = false, {}
      for _, other in ipairs(o.needs) do
        given = given or opts[other] ~= nil
        names[#names + 1] = label(call.by_name[other])
      end
      if not given then
        raise(fname, n, ("%s needs %s"):format(label(o), table.concat(names, " or ")))
      end
    end
    if o.required and opts[o.name] == nil and not (o.unless and opts[o.unless] ~= nil) then
      -- under a front end's names, a table's example (Lua syntax) would not read right
      local example = namer and not o.fields and (", e.g. %s %s"):format(label(o), o.example)
        or not namer and (", e.g. %s = %s"):format(o.name, o.type == "string" and ("'" .. o.example .. "'") or o.example)
        or ""
      raise(fname, n, ("option %s is required%s%s"):format(label(o), example, o.why and (": " .. o.why) or ""))
    end
  end
  return opts
end

--- args.split_list(text) → array: the one comma-list splitter
--- ("warfarin sodium, Eliquis" → {"warfarin sodium", "Eliquis"}); items are
--- trimmed and empty ones dropped.
function args.split_list(text)
  local out = {}
  for item in text:gmatch("[^,]+") do
    local trimmed = item:match("^%s*(.-)%s*$")
    if trimmed ~= "" then out[#out + 1] = trimmed end
  end
  return out
end

--- args.width(fname, width) → the width to lay text out in: 78 for nil, else
--- an integer of at least 20 (raises otherwise).
function args.width(fname, width)
  if width == nil then return args.calls.lines.positional[1].default end
  local spec = args.calls.lines.positional[1]
  if not is_integer(width) or width < spec.min or width > spec.max then
    raise(fname, 1, ("integer from %d to %d (the limit plot_max_columns) expected, got %s"):format(spec.min,
      spec.max, type(width) == "number" and args.number_text(width) or type(width)))
  end
  return width
end

return args
