--- k2.nvim: the Neovim side of k2 — the :K2 subcommands and their
--- completion, the answer float (lua/k2/nvim/float.lua), the fact picker
--- (vim.ui.select, so telescope-ui-select or dressing take over when
--- installed), hover (lua/k2/nvim/hover.lua) and configuration through
--- require("k2.nvim").setup(opts) or vim.g.k2 (lua/k2/nvim/config.lua).
--- Runs on Neovim 0.7.2; newer APIs only behind vim.fn.has checks.
---
--- Like bin/k2 this layer only parses, calls the public API and shows: the
--- key=value options, the usage lines and the completion come from the
--- description of the call behind each subcommand (args.calls), option
--- values from the store's vocabularies (k2.vocab), and every float is a
--- result's lines(width) for the float's width. Every entry point goes
--- through one error path (lua/k2/nvim/errors.lua): one line, in :K2 words.
---
--- Arguments are read as people type them: "180 ug" is one dose, a list
--- value runs to the next key=value word (meds=warfarin sodium, Eliquis), a
--- value the store knows with a space in it needs no quotes
--- (evidence=human RCT), and "..." or '...' groups words. A first word that is
--- no subcommand starts a question (:K2 how much K2 for my 10 year old).

local config = require("k2.nvim.config")
local errors = require("k2.nvim.errors")
local float = require("k2.nvim.float")

local M = {}

local fail, lib, call = errors.fail, errors.lib, errors.call
local function args() return errors.args() end

---------------------------------------------------------------- configuration

local global_applied = false
-- vim.g.k2 set before first use counts as setup.
local function ensure_config()
  if global_applied then return end
  global_applied = true
  local g = vim.g.k2
  if g == nil then return end
  if type(g) ~= "table" then
    config.apply(g, "vim.g.k2") -- remembered as rejected
    errors.notify("vim.g.k2 must be a table of options; using the defaults")
    return
  end
  local ok, err = config.apply(g, "vim.g.k2")
  if not ok then errors.notify(("vim.g.k2 refused: %s; using the defaults"):format(err)) end
end

local function setup(opts)
  global_applied = true
  local g = vim.g.k2
  if g ~= nil and type(g) ~= "table" then
    config.apply(g, "vim.g.k2")
    errors.notify("vim.g.k2 must be a table of options")
    return false
  end
  if opts ~= nil and type(opts) ~= "table" then
    config.apply(opts, "setup()")
    errors.notify("setup() takes a table of options, got " .. type(opts))
    return false
  end
  local from = {}
  if g and next(g) then from[#from + 1] = "vim.g.k2" end
  if opts and next(opts) then from[#from + 1] = "setup()" end
  local ok, err = config.apply(vim.tbl_extend("force", g or {}, opts or {}),
    #from > 0 and table.concat(from, " and ") or "defaults")
  if not ok then
    errors.notify("setup(): " .. err) -- the configuration in use stays (see :checkhealth k2)
    return false
  end
  return true
end

--- setup(opts) → true, or false after one ERROR note naming the option (the configuration in use is kept).
function M.setup(opts)
  local ran, ok = errors.run(setup, opts)
  return ran and ok or false
end

--- config() → a copy of the configuration in use.
function M.config()
  ensure_config()
  return vim.deepcopy(config.get())
end

--- validate(opts) → the merged configuration, or nil, message (checks only; changes nothing).
function M.validate(opts) return config.validate(opts) end

---------------------------------------------------------------- showing

-- What the answer text says of the API that the :K2 user reads as a command.
local function in_command_words(lines)
  for i, l in ipairs(lines) do lines[i] = (l:gsub("k2%.conflict%(id%)", ":K2 conflict id")) end
  return lines
end

-- A result in the answer float: its lines at the float's width (look: plot
-- options, or a function giving them for the editor's size at each layout).
local function show(result, title, look)
  float.show("result", function(width)
    return in_command_words(result:lines(width, type(look) == "function" and look() or look))
  end, { title = title, enter = true })
end

--- pick(list, prompt): chooses a fact with vim.ui.select and opens it in the answer float.
function M.pick(list, prompt)
  vim.ui.select(list, {
    prompt = ("k2 facts for '%s'"):format(prompt),
    format_item = function(f) return ("%s [%s; %s]"):format(f.claim, f.evidence, f.id) end,
  }, function(choice)
    if choice then errors.run(show, choice, "k2 fact " .. choice.id) end
  end)
end

---------------------------------------------------------------- the subcommands

-- What each subcommand calls: `call` names its description in args.calls
-- (options and positional words), `join` reads all its words as one text,
-- `own` adds options of Neovim's, `gate` names the API it needs (from another
-- issue: the subcommand says so when this k2 lacks it), `core = false` runs
-- without the native core.
local SUB = {
  search = { call = "search", join = true, words = { { name = "text" } } }, -- no text: the filters alone
  fact = { call = "fact" },
  source = { call = "source" },
  sources = {},
  conflict = { call = "conflict" },
  dose = { call = "dose" },
  timing = { call = "timing" },
  check = { call = "check" },
  pk = { call = "simulate", own = { { name = "compare", type = "list", complete = "form_names", example = "MK-4" },
    { name = "studies", type = "boolean", example = "true" } } },
  studies = { call = "studies" },
  validate = { call = "validate" },
  ask = { call = "ask", join = true },
  food = { call = "foods", join = true, gate = "foods", words = { { name = "food", required = true } } },
  log = { join = true, gate = "journal", words = { { name = "entry", required = true } } },
  now = { gate = "journal", words = { { name = "form" } } },
  help = { core = false, words = { { name = "subcommand" } } },
}
local ORDER = { "search", "fact", "source", "sources", "conflict", "dose", "timing", "check", "pk", "studies",
  "validate", "ask", "food", "log", "now", "help" }
M.SUBCOMMANDS = ORDER

local function description(name)
  local c = SUB[name].call
  return c and args().calls[c] or nil
end

-- The subcommand's words (positional arguments, then options the command line takes by place).
local function words_of(name)
  if SUB[name].words then return SUB[name].words end
  local c = description(name)
  local words = {}
  for _, p in ipairs(c and c.positional or {}) do
    words[#words + 1] = { name = p.name, required = not p.optional }
  end
  for _, o in ipairs(c and c.options or {}) do
    if o.cli_arg then words[o.cli_arg] = { name = o.name, required = o.required, option = o } end
  end
  return words
end

local function keys_of(name)
  local c = description(name)
  local keys = {}
  for _, o in ipairs(c and c.options or {}) do
    if not o.cli_arg and o.type ~= "table" then keys[o.name] = o end
  end
  for _, o in ipairs(SUB[name].own or {}) do keys[o.name] = o end
  return keys
end

local function sorted_names(keys)
  local names = vim.tbl_keys(keys)
  table.sort(names)
  return names
end

--- usage(name) → ":K2 check [form] [dose] [key=value …]" (the keys: :K2 help check).
local function usage(name)
  local parts = { ":K2 " .. name }
  local ok, list = pcall(words_of, name)
  for _, w in ipairs(ok and list or {}) do
    parts[#parts + 1] = (w.required and "{%s}" or "[%s]"):format(w.name .. (SUB[name].join and "…" or ""))
  end
  local okk, keys = pcall(keys_of, name)
  local names = okk and sorted_names(keys) or {}
  if #names > 0 and #names <= 3 then
    for _, key in ipairs(names) do parts[#parts + 1] = ("[%s=…]"):format(key) end
  elseif #names > 3 then
    parts[#parts + 1] = "[key=value …]"
  end
  return table.concat(parts, " ")
end
M.usage = usage

---------------------------------------------------------------- reading the words

--- tokens(text) → words: split at blanks; "..." and '...' group, a backslash keeps the next character.
function M.tokens(text)
  local out, cur, quote = {}, nil, nil
  local i = 1
  while i <= #text do
    local c = text:sub(i, i)
    if c == "\\" and i < #text then
      cur = (cur or "") .. text:sub(i + 1, i + 1)
      i = i + 1
    elseif quote then
      if c == quote then quote = nil else cur = cur .. c end
    elseif c == '"' or c == "'" then
      quote, cur = c, cur or ""
    elseif c:match("%s") then
      if cur then out[#out + 1], cur = cur, nil end
    else
      cur = (cur or "") .. c
    end
    i = i + 1
  end
  if cur then out[#out + 1] = cur end
  return out
end

local function option_word(w) return w:match("^([%a_][%w_]*)=(.*)$") end

-- "180" and "ug", "24" and "h": a number and the unit after it are one amount.
local function amount(number, unit)
  if not tonumber(number) or not unit or option_word(unit) then return nil end
  local k2 = lib()
  local joined = number .. " " .. unit
  if k2.parse_dose(joined) or k2.parse_duration(joined) then return joined end
  return nil
end

-- The store's values of an option (completion and multi-word values).
local function values_of(o)
  if o.complete then
    local ok, list = pcall(lib().vocab, o.complete)
    return ok and list or {}
  end
  if o.values then return o.values end
  if o.type == "boolean" then return { "true", "false" } end
  return {}
end

-- Whether `text next` is still the value of option o: a list runs to the next
-- key=value; an amount takes its unit; other text only while it starts a value the store knows.
local function continues(o, text, nextw)
  if option_word(nextw) then return false end
  if o.type == "list" then return true end
  if o.or_number and amount(text, nextw) then return true end
  if text == "" then return true end
  local joined = (text .. " " .. nextw):lower()
  for _, v in ipairs(values_of(o)) do
    if v:lower():sub(1, #joined) == joined then return true end
  end
  return false
end

-- A key=value text as its option's type wants it.
local function value_of(o, text)
  if o.type == "integer" or o.type == "number" then
    local n = tonumber(text)
    if not n then fail(("%s= needs a number, got '%s'"):format(o.name, text)) end
    return n
  elseif o.type == "boolean" then
    if text ~= "true" and text ~= "false" then fail(("%s= is true or false, got '%s'"):format(o.name, text)) end
    return text == "true"
  elseif o.type == "list" then
    return args().split_list(text)
  end
  if o.or_number and tonumber(text) then return tonumber(text) end
  return text
end

-- Splits words into positional arguments and options (checked against the keys).
local function parse(name, words)
  local keys, positional, opts = keys_of(name), {}, {}
  local use = usage(name)
  local i = 1
  while i <= #words do
    local key, text = option_word(words[i])
    if key then
      local o = keys[key]
      if not o then
        local known = sorted_names(keys)
        fail(#known == 0 and (":K2 %s takes no key=value options ('%s=')"):format(name, key)
          or ("unknown option '%s='; known: %s="):format(key, table.concat(known, "=, ")), use, name)
      end
      i = i + 1
      while words[i] and continues(o, text, words[i]) do
        text = text == "" and words[i] or (text .. " " .. words[i])
        i = i + 1
      end
      opts[key] = value_of(o, text)
    else
      local w = words[i]
      local joined = amount(w, words[i + 1])
      if joined then w, i = joined, i + 1 end
      positional[#positional + 1] = w
      i = i + 1
    end
  end
  if SUB[name].join and #positional > 0 then positional = { table.concat(positional, " ") } end
  local list = words_of(name)
  if #positional > #list then
    local extra = positional[#list + 1]
    fail(("unexpected '%s'%s"):format(extra, extra:match("^%-") and "; options are written key=value, e.g. age=40"
      or ""), use, name)
  end
  for n, w in ipairs(list) do
    if w.option then opts[w.name] = positional[n] end
    if w.required and not positional[n] then
      local missing = {}
      for k, x in ipairs(list) do if x.required and not positional[k] then missing[#missing + 1] = x.name end end
      fail((":K2 %s needs %s"):format(name, table.concat(missing, " and ")), use, name)
    end
  end
  return positional, opts
end

---------------------------------------------------------------- running them

local RUN = {}

-- Neovim's picker shows more than the command line's default.
local PICKER_LIMIT = 50

function RUN.search(pos, opts)
  opts.limit = opts.limit or PICKER_LIMIT
  local text = pos[1]
  local list
  if not text and not (opts.form or opts.topic or opts.evidence or opts.population) then
    fail(":K2 search needs words to search for, or a filter such as topic=safety")
  end
  if text then
    list = call(lib().search, text, opts)
  else
    opts.limit = nil
    list = call(lib().facts, opts)
  end
  local what = text or table.concat(vim.tbl_map(function(k) return k .. "=" .. tostring(opts[k]) end,
    sorted_names(opts)), " ")
  if #list == 0 then return errors.notify(("no facts match '%s'"):format(what), vim.log.levels.WARN) end
  M.pick(list, what)
end

function RUN.fact(pos) show(call(lib().fact, pos[1]), "k2 fact " .. pos[1]) end
function RUN.source(pos) show(call(lib().source, pos[1]), "k2 source " .. pos[1]) end
function RUN.sources() show(call(lib().sources), "k2 sources") end
function RUN.studies(_, opts) show(call(lib().pk.studies, opts), "k2 studies" .. (opts.form and (" " .. opts.form) or "")) end
function RUN.validate(_, opts) show(call(lib().pk.validate, opts), "k2 validate" .. (opts.form and (" " .. opts.form) or "")) end
function RUN.conflict(pos) show(call(lib().conflict, pos[1]), "k2 conflict " .. pos[1]) end

-- dose, timing, check: the form defaults to the configured one.
for _, name in ipairs({ "dose", "timing", "check" }) do
  RUN[name] = function(_, opts)
    local defaulted = opts.form == nil
    opts.form = opts.form or config.get().default_form
    local ok, r = pcall(call, lib()[name], opts)
    if not ok then
      if defaulted and type(r) == "table" then r.msg = r.msg .. " (the configured default_form)" end
      error(r, 0)
    end
    show(r, ("k2 %s %s"):format(name, opts.form))
  end
end

-- Rows of the braille plot: up to PLOT_ROWS, fewer in a low editor so the
-- metrics below it stay in sight (PLOT_OTHER_LINES: the lines around the plot).
local PLOT_ROWS, PLOT_MIN_ROWS, PLOT_OTHER_LINES = 14, 4, 20
local function PLOT()
  return { height = math.max(PLOT_MIN_ROWS, math.min(PLOT_ROWS, vim.o.lines - PLOT_OTHER_LINES)) }
end

-- The plot's look with the published levels drawn (studies=true).
local function plot_with(studies)
  return function()
    local look = PLOT()
    look.studies = studies
    return look
  end
end

function RUN.pk(_, opts)
  local pk = lib().pk
  local title = ("k2 pk %s %s"):format(opts.form, tostring(opts.dose))
  local studies = opts.studies
  opts.studies = nil
  if not opts.compare then return show(call(pk.simulate, opts), title, plot_with(studies)) end
  local forms = opts.compare
  opts.compare = nil
  local list = { opts }
  for _, form in ipairs(forms) do list[#list + 1] = vim.tbl_extend("force", opts, { form = form }) end
  show(call(pk.compare, list), title .. " vs " .. table.concat(forms, ", "), PLOT)
end

function RUN.ask(pos, opts)
  local answer = call(lib().ask, pos[1], opts)
  show(answer, "k2 ask")
end

-- The API another issue adds, or the user's error saying this k2 lacks it.
local function gated(name)
  local api = lib()[SUB[name].gate]
  if api == nil then
    fail((":K2 %s needs k2.%s, which this k2 does not have yet"):format(name, SUB[name].gate))
  end
  return api
end

-- :K2 food {text}: foods matching text in the picker, the choice in a float (an NDB number opens it at once).
function RUN.food(pos, opts)
  gated("food")
  local k2 = lib()
  if pos[1]:match("^%d+$") then return show(call(k2.food, pos[1]), "k2 food " .. pos[1]) end
  local list = call(k2.foods, pos[1], next(opts) and opts or nil)
  if #list == 0 then return errors.notify(("no food matches '%s'"):format(pos[1]), vim.log.levels.WARN) end
  vim.ui.select(list, {
    prompt = ("k2 foods for '%s'"):format(pos[1]),
    format_item = function(f)
      return ("%s [%s; K1 %s]"):format(f.name, f.id, f.k1_per_100g and (tostring(f.k1_per_100g) .. " µg/100 g")
        or "not measured")
    end,
  }, function(choice)
    if choice then errors.run(function() show(call(k2.food, choice.id), "k2 food " .. choice.name) end) end
  end)
end

-- The journal file: the configured one, else $K2_JOURNAL, else k2's own default
-- ($XDG_DATA_HOME/k2/journal.sqlite), the file the shell's `k2 log` writes too. Opened
-- once and kept: the core waits out the shell writing at the same moment.
local journal, journal_path
local function open_journal()
  local api = gated("log")
  local path = config.get().journal
  if path == "" then path = vim.env.K2_JOURNAL or "" end
  if path == "" then path = call(api.default_path) end
  if journal and journal_path == path then return journal end
  if journal then journal:close() end
  journal, journal_path = call(api.open, path), path
  return journal
end

-- "FORM DOSE" when the first word is a form and the rest a dose, "food TEXT", else a food.
local function entry_of(text)
  local k2 = lib()
  local first, rest = text:match("^(%S+)%s+(.+)$")
  if first and first:lower() == "food" then return { food = rest } end
  if first and k2.form(first) and k2.parse_dose(rest) then return { form = first, dose = rest } end
  return { food = text }
end

-- :K2 log MK-7 180 ug (a dose), :K2 log 1 cup raw spinach (a food, through k2.intake).
function RUN.log(pos)
  local j = open_journal()
  local id, e = call(j.add, j, entry_of(pos[1]))
  local parts = {}
  for _, a in ipairs(e.amounts) do parts[#parts + 1] = ("%s %s µg"):format(a.form, lib().format_number(a.ug, 2)) end
  errors.notify(("logged #%d %s %s: %s"):format(id, lib().journal.local_text(e.at, e.offset), e.text,
    #parts > 0 and table.concat(parts, ", ") or "no vitamin K figure"), vim.log.levels.INFO)
end

-- :K2 now [form]: the level now of the form (default: every form logged), with its plot.
function RUN.now(pos)
  local j = open_journal()
  local forms = pos[1] and { pos[1] } or call(j.forms, j)
  if #forms == 0 then fail(("no doses in %s yet: :K2 log MK-7 180 ug"):format(j.path)) end
  local levels = {}
  for i, form in ipairs(forms) do
    levels[i] = call(j.level, j, { form = form })
  end
  show({ lines = function(_, width)
    local out = {}
    for i, r in ipairs(levels) do
      if i > 1 then out[#out + 1] = "" end
      for _, l in ipairs(r:lines(width)) do out[#out + 1] = l end
    end
    return out
  end }, "k2 now " .. table.concat(forms, ", "))
end

function RUN.help(pos)
  local sub = pos[1]
  if sub and not SUB[sub] then fail(("no help for '%s'; subcommands: %s"):format(sub, table.concat(ORDER, ", "))) end
  local tag = sub and (":K2-" .. sub) or "k2"
  if pcall(vim.cmd, "help " .. tag) then return end
  -- no tags yet (a plugin manager that skips :helptags): make them beside doc/k2.txt, then retry
  local doc = vim.api.nvim_get_runtime_file("doc/k2.txt", false)[1]
  if doc and pcall(vim.cmd, "helptags " .. vim.fn.fnameescape(vim.fn.fnamemodify(doc, ":h")))
    and pcall(vim.cmd, "help " .. tag) then
    return
  end
  fail("no help for k2: run :helptags on the plugin's doc/ folder (it could not be written here)")
end

local function run_words(words)
  ensure_config()
  local name = words[1] and words[1]:lower()
  if not name then
    fail("no subcommand (:K2 help lists them; a question works too)")
  end
  if not SUB[name] then
    if #words < 2 then
      fail(("unknown subcommand '%s' (:K2 help lists them; a question works too)"):format(words[1]))
    end
    return RUN.ask({ table.concat(words, " ") }, {})
  end
  if SUB[name].core ~= false then lib() end
  if SUB[name].gate then gated(name) end
  local ok, err = pcall(function()
    local pos, opts
    if SUB[name].core == false then pos, opts = { words[2] }, {} else pos, opts = parse(name, vim.list_slice(words, 2)) end
    RUN[name](pos, opts)
  end)
  if ok then return end
  -- every error of a subcommand shows its usage (when the line has room for it)
  if type(err) == "table" and err.k2_error and not err.usage then err.usage, err.sub = usage(name), name end
  error(err, 0)
end

--- command(text or words): runs ":K2 text" (what the user command calls).
function M.command(words)
  if type(words) == "string" then words = M.tokens(words) end
  return errors.run(run_words, words or {})
end

---------------------------------------------------------------- completion

local function starting(list, lead)
  local low = lead:lower()
  return vim.tbl_filter(function(x) return x:sub(1, #low):lower() == low end, list)
end

local function ids_of(list)
  local ids = {}
  for _, x in ipairs(list) do ids[#ids + 1] = x.id end
  return ids
end

-- Every disagreement id a fact names.
local function conflict_ids()
  local seen, out = {}, {}
  for _, f in ipairs(call(lib().facts, {})) do
    for _, id in ipairs(f.conflicts or {}) do
      if not seen[id] then seen[id], out[#out + 1] = true, id end
    end
  end
  table.sort(out)
  return out
end

-- What the n-th positional word of a subcommand completes to.
local function word_values(name, n, lead)
  local k2 = lib()
  if name == "fact" then return ids_of(call(k2.facts, {})) end
  if name == "source" then return ids_of(call(k2.sources)) end
  if name == "conflict" then return conflict_ids() end
  if name == "help" then return ORDER end
  if name == "now" then return k2.vocab("forms") end
  -- :K2 log FORM DOSE or :K2 log food TEXT: the first word is a form or "food"
  if name == "log" then return n == 1 and vim.list_extend({ "food" }, k2.vocab("forms")) or {} end
  if name == "food" then
    if not k2.foods or #lead < 2 then return {} end
    local ok, list = pcall(k2.foods, lead, { limit = 20 })
    return ok and list and vim.tbl_map(function(f) return f.name end, list) or {}
  end
  if name == "search" then return k2.vocab("topics") end
  local word = words_of(name)[n]
  return word and word.option and values_of(word.option) or {}
end

-- The completion of the word being typed; words are the ones before it (after :K2).
local function complete_words(lead, words)
  if #words == 0 then return starting(ORDER, lead) end
  local name = words[1]:lower()
  if not SUB[name] or SUB[name].gate and lib()[SUB[name].gate] == nil then return {} end
  if name == "help" then return #words == 1 and starting(ORDER, lead) or {} end
  local keys = keys_of(name)
  local key, text = option_word(lead)
  if key then
    local o = keys[key]
    if not o then return {} end
    local before = o.type == "list" and text:match("^(.*,%s*)") or ""
    return vim.tbl_map(function(v) return key .. "=" .. before .. v end,
      starting(values_of(o), text:sub(#before + 1)))
  end
  -- after "meds=warfarin sodium," the next word is still a medicine
  local last_key
  for k = #words, 2, -1 do
    last_key = option_word(words[k])
    if last_key then break end
  end
  local out
  local lo = last_key and keys[last_key]
  if lo and lo.type == "list" then
    out = starting(values_of(lo), lead)
  else
    local n = 0
    for k = 2, #words do if not option_word(words[k]) and not amount(words[k - 1], words[k]) then n = n + 1 end end
    out = (n < #words_of(name) or SUB[name].join) and starting(word_values(name, math.min(n + 1, #words_of(name)),
      lead), lead) or {}
  end
  for _, k in ipairs(sorted_names(keys)) do
    if (k .. "="):sub(1, #lead) == lead then out[#out + 1] = k .. "=" end
  end
  return out
end

local told_completion = false
--- complete(arg_lead, cmdline [, pos]): subcommands, then positional words, key= options and their values.
--- Never raises; without the native core only subcommands complete (and the reason is told once).
function M.complete(arg_lead, cmdline, pos)
  cmdline = pos and cmdline:sub(1, pos) or cmdline
  local after = cmdline:match("^%s*%S+%s+(.*)$") or ""
  local words = M.tokens(after)
  if after:match("%S$") and #words > 0 then table.remove(words) end -- the word being typed is arg_lead
  local ok, out = pcall(complete_words, arg_lead or "", words)
  if ok then return out end
  if not told_completion then
    told_completion = true
    vim.schedule(function() errors.notify(errors.line_of(out)) end)
  end
  return #words == 0 and starting(ORDER, arg_lead or "") or {}
end

---------------------------------------------------------------- hover

--- hover(): facts about the vitamin K term under the cursor (see lua/k2/nvim/hover.lua).
function M.hover()
  return errors.run(function()
    ensure_config()
    require("k2.nvim.hover").hover()
  end)
end

--- relayout(): every open k2 float laid out again (VimResized calls it).
function M.relayout() return errors.run(float.relayout) end

return M
