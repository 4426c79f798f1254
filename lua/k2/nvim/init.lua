--- k2.nvim: the Neovim side of k2 — the :K2 subcommands, their completion,
--- floats that show answers (with braille plots redrawn on resize), the fact
--- picker (vim.ui.select, so telescope-ui-select or dressing take over when
--- installed), hover on vitamin K terms, and configuration through
--- require("k2.nvim").setup(opts) or vim.g.k2. Only APIs present in Neovim
--- 0.7.2 are used. Errors reach the user as vim.notify at ERROR level with
--- the usage line, never as a Lua traceback.
---
--- Like bin/k2 this layer only parses, calls the public API and shows: the
--- key=value options, the usage lines and the completion come from the
--- description of the call behind each subcommand (args.calls), option
--- values from the store's vocabularies (k2.vocab), and every float is a
--- result's lines(width) for the float's width.

local M = {}

local DEFAULTS = { border = "rounded", width = 80, units = "µg", default_form = "MK-7" }
local WIDTH_MIN, WIDTH_MAX = 30, 300 -- columns a float may be configured to
local BORDERS = { none = true, single = true, double = true, rounded = true, solid = true, shadow = true }
local config = vim.deepcopy(DEFAULTS)

local function notify(msg, level) vim.notify("k2: " .. msg, level or vim.log.levels.ERROR) end

local function k2() return require("k2") end
-- after k2, which loads the native core that k2.args reads its limits from
local function args() k2(); return require("k2.args") end

---------------------------------------------------------------- configuration

-- Checks opts; returns the merged config or nil, message naming the option.
local function validate(opts)
  if opts == nil then return vim.deepcopy(DEFAULTS) end
  if type(opts) ~= "table" then return nil, "options must be a table" end
  local merged = vim.deepcopy(DEFAULTS)
  for key, value in pairs(opts) do
    if DEFAULTS[key] == nil then
      return nil, ("unknown option '%s'; known: border, width, units, default_form"):format(tostring(key))
    end
    merged[key] = value
  end
  if type(merged.border) ~= "table" and not BORDERS[merged.border] then
    return nil, "option 'border' must be none, single, double, rounded, solid, shadow or a list of 8 characters"
  end
  if type(merged.width) ~= "number" or merged.width < WIDTH_MIN or merged.width > WIDTH_MAX then
    return nil, ("option 'width' must be a number of columns from %d to %d"):format(WIDTH_MIN, WIDTH_MAX)
  end
  if merged.units ~= "µg" and merged.units ~= "mcg" then return nil, "option 'units' must be 'µg' or 'mcg'" end
  if type(merged.default_form) ~= "string" or merged.default_form == "" then
    return nil, "option 'default_form' must be a form such as K1, MK-4 or MK-7"
  end
  return merged
end

-- The form names come from the fact store, so this part waits for first use.
local function validate_form(cfg)
  if not k2().form(cfg.default_form) then
    return nil, ("option 'default_form' must be a form such as K1, MK-4 or MK-7, got '%s'"):format(cfg.default_form)
  end
  return cfg
end

--- setup(opts): merges opts over the defaults (and vim.g.k2); a wrong option is reported, not raised.
function M.setup(opts)
  local global = vim.g.k2
  if global ~= nil and type(global) ~= "table" then notify("vim.g.k2 must be a table of options"); return false end
  if opts ~= nil and type(opts) ~= "table" then notify("setup() takes a table of options"); return false end
  local merged, err = validate(vim.tbl_extend("force", global or {}, opts or {}))
  if not merged then notify(err); return false end
  config = merged
  return true
end

function M.config() return vim.deepcopy(config) end
function M.validate(opts)
  local cfg, err = validate(opts)
  if not cfg then return nil, err end
  return validate_form(cfg)
end

-- vim.g.k2 set before first use counts as setup.
local configured = false
local function ensure_config()
  if configured then return true end
  configured = true
  if vim.g.k2 and not M.setup({}) then return false end
  local cfg, err = validate_form(config)
  if not cfg then
    notify(err .. "; using " .. DEFAULTS.default_form)
    config.default_form = DEFAULTS.default_form
  end
  return true
end

---------------------------------------------------------------- floats

-- Every float shows a result's lines(width), laid out again when the editor
-- is resized: `render(width)` returns the lines for a width.
local function float_width() return math.max(WIDTH_MIN, math.min(config.width, vim.o.columns - 6)) end

local function rendered(render)
  local lines = render(float_width())
  if config.units == "mcg" then
    for i, l in ipairs(lines) do lines[i] = l:gsub("µg", "mcg") end
  end
  return lines
end

-- The float's size and place for its lines: as wide as the widest line, the
-- editor and the configuration allow, centred.
local function placement(lines)
  local width = 10
  for _, l in ipairs(lines) do width = math.max(width, vim.fn.strdisplaywidth(l)) end
  width = math.min(width, vim.o.columns - 4, config.width)
  local height = math.min(#lines, math.max(3, vim.o.lines - 6))
  return { relative = "editor", row = math.max(0, math.floor((vim.o.lines - height) / 2) - 1),
    col = math.max(0, math.floor((vim.o.columns - width) / 2)), width = width, height = height }
end

local function set_lines(buf, lines)
  vim.bo[buf].modifiable = true
  vim.api.nvim_buf_set_lines(buf, 0, -1, false, lines)
  vim.bo[buf].modifiable = false
end

-- Opens a scratch float with render's lines; q or <Esc> closes it.
local function open_float(render, title)
  local lines = rendered(render)
  local buf = vim.api.nvim_create_buf(false, true)
  set_lines(buf, lines)
  vim.bo[buf].bufhidden = "wipe"
  vim.bo[buf].filetype = "k2"
  local cfg = placement(lines)
  cfg.style, cfg.border = "minimal", config.border
  local win = vim.api.nvim_open_win(buf, true, cfg)
  vim.wo[win].wrap = true
  vim.wo[win].linebreak = true -- a long line breaks between words, not inside "2694"
  for _, key in ipairs({ "q", "<Esc>" }) do
    vim.keymap.set("n", key, function()
      if vim.api.nvim_win_is_valid(win) then vim.api.nvim_win_close(win, true) end
    end, { buffer = buf, nowait = true })
  end
  vim.b[buf].k2_title = title
  local group = vim.api.nvim_create_augroup("k2_float_" .. buf, { clear = true })
  vim.api.nvim_create_autocmd("VimResized", { group = group, callback = function()
    if not vim.api.nvim_win_is_valid(win) then return true end
    local again = rendered(render)
    set_lines(buf, again)
    vim.api.nvim_win_set_config(win, placement(again))
  end })
  vim.api.nvim_create_autocmd("BufWipeout", { buffer = buf, once = true, callback = function()
    pcall(vim.api.nvim_del_augroup_by_id, group)
  end })
  return buf, win
end

-- A result in a float: its lines at the float's width (look: plot options).
local function show(result, title, look)
  return open_float(function(width) return result:lines(width, look) end, title)
end

---------------------------------------------------------------- arguments

-- An error the user sees with the usage line (raised inside a subcommand).
local function fail(msg, usage) error({ msg = msg, usage = usage }, 0) end

-- Calls the API: a raise or a nil, message answer becomes the user's error.
local function call(f, ...)
  local ok, r, msg = pcall(f, ...)
  if not ok then fail(tostring(r)) end
  if r == nil then fail(msg) end
  return r
end

-- What each subcommand calls (its options come from args.calls[call]) and
-- what it adds: `own` options of Neovim's, `join` for words read as one text.
local SUB = {
  search = { call = "search", join = true },
  fact = { call = "fact" },
  sources = {},
  dose = { call = "dose" },
  timing = { call = "timing" },
  check = { call = "check" },
  pk = { call = "simulate", own = { { name = "compare", type = "list", complete = "forms", example = "MK-4" } } },
  help = {},
}
local ORDER = { "search", "fact", "sources", "dose", "timing", "check", "pk", "help" }

-- The subcommand's words (positional arguments) and key= options.
local function words_of(name)
  local c = args().calls[SUB[name].call or ""]
  local words = {}
  for _, p in ipairs(c and c.positional or {}) do words[#words + 1] = { name = p.name, required = true } end
  for _, o in ipairs(c and c.options or {}) do
    if o.cli_arg then words[o.cli_arg] = { name = o.name, required = o.required, option = o } end
  end
  return words
end

local function keys_of(name)
  local c = args().calls[SUB[name].call or ""]
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

local PLACEHOLDER = { integer = "N", number = "N", list = "a,b" }

-- What usage shows after "key=": N, a,b, the value that is not the default, or the example.
local function placeholder(o)
  if o.type == "boolean" then return o.default == true and "false" or "true" end
  if PLACEHOLDER[o.type] then return PLACEHOLDER[o.type] end
  local example = tostring(o.example or "")
  return (example ~= "" and not example:find("%s")) and example or "..."
end

-- ":K2 check [form] [dose] [age=N] [meds=a,b] ..."
local function usage(name)
  local parts = { ":K2 " .. name }
  for _, w in ipairs(words_of(name)) do
    parts[#parts + 1] = (w.required and "{%s}" or "[%s]"):format(w.name .. (SUB[name].join and "..." or ""))
  end
  local keys = keys_of(name)
  for _, key in ipairs(sorted_names(keys)) do
    parts[#parts + 1] = ("[%s=%s]"):format(key, placeholder(keys[key]))
  end
  return table.concat(parts, " ")
end

-- A key=value text as its option's type wants it.
local function value_of(o, text)
  if o.type == "integer" or o.type == "number" then
    local n = tonumber(text)
    if not n then fail(("option '%s=' needs a number, got '%s'"):format(o.name, text)) end
    return n
  elseif o.type == "boolean" then
    if text ~= "true" and text ~= "false" then fail(("option '%s=' is true or false, got '%s'"):format(o.name, text)) end
    return text == "true"
  elseif o.type == "list" then
    return args().split_list(text)
  end
  return text
end

-- Splits words into positional arguments and options (checked against the keys).
local function parse(name, words)
  local keys, positional, opts = keys_of(name), {}, {}
  for _, w in ipairs(words) do
    local key, text = w:match("^([%w_]+)=(.*)$")
    if key then
      if not keys[key] then
        fail(("unknown option '%s='; known: %s"):format(key, table.concat(sorted_names(keys), "=, ") .. "="))
      end
      opts[key] = value_of(keys[key], text)
    else
      positional[#positional + 1] = w
    end
  end
  if SUB[name].join and #positional > 0 then positional = { table.concat(positional, " ") } end
  local list = words_of(name)
  if #positional > #list then
    local extra = positional[#list + 1]
    fail(("unexpected '%s'%s"):format(extra, extra:match("^%-") and "; options are written key=value, e.g. age=40" or ""))
  end
  for n, w in ipairs(list) do
    if w.option then opts[w.name] = positional[n] end
    if w.required and not positional[n] then fail(("%s needs %s"):format(name, w.name)) end
  end
  return positional, opts
end

---------------------------------------------------------------- subcommands

local RUN = {}

-- Neovim's picker shows more than the command line's default.
local PICKER_LIMIT = 50

function RUN.search(pos, opts)
  opts.limit = opts.limit or PICKER_LIMIT
  local list = call(k2().search, pos[1], opts)
  if #list == 0 then return notify(("no facts match '%s'"):format(pos[1]), vim.log.levels.WARN) end
  M.pick(list, pos[1])
end

function RUN.fact(pos) show(call(k2().fact, pos[1]), "fact") end
function RUN.sources() show(call(k2().sources), "sources") end

-- dose, timing, check: the form defaults to the configured one.
for _, name in ipairs({ "dose", "timing", "check" }) do
  RUN[name] = function(_, opts)
    opts.form = opts.form or config.default_form
    show(call(k2()[name], opts), name)
  end
end

local PLOT = { height = 14 }

function RUN.pk(_, opts)
  local pk = k2().pk
  if not opts.compare then return show(call(pk.simulate, opts), "pk", PLOT) end
  local forms = opts.compare
  opts.compare = nil
  local list = { opts }
  for _, form in ipairs(forms) do list[#list + 1] = vim.tbl_extend("force", opts, { form = form }) end
  show(call(pk.compare, list), "pk", PLOT)
end

function RUN.help()
  if pcall(vim.cmd, "help k2") then return end
  -- no tags yet (a plugin manager that skips :helptags): make them beside doc/k2.txt, then retry
  local doc = vim.api.nvim_get_runtime_file("doc/k2.txt", false)[1]
  if doc and pcall(vim.cmd, "helptags " .. vim.fn.fnameescape(vim.fn.fnamemodify(doc, ":h")))
    and pcall(vim.cmd, "help k2") then
    return
  end
  fail("no help for k2: run :helptags on the plugin's doc/ folder (it could not be written here)")
end

--- command(words): runs ":K2 words..." (what the user command calls).
function M.command(words)
  ensure_config()
  local name = words[1]
  if not (name and SUB[name]) then
    return notify(("%s; subcommands: %s\nusage: :K2 {subcommand} [arguments]"):format(
      name and ("unknown subcommand '" .. name .. "'") or "no subcommand", table.concat(ORDER, ", ")))
  end
  local ok, err = pcall(function() RUN[name](parse(name, vim.list_slice(words, 2))) end)
  if not ok then
    -- a table is the user's error; anything else a fault of k2, still shown without a traceback
    notify(("%s\nusage: %s"):format(type(err) == "table" and err.msg or tostring(err), usage(name)))
  end
end

---------------------------------------------------------------- completion

local function starting(list, lead)
  return vim.tbl_filter(function(x) return x:sub(1, #lead):lower() == lead:lower() end, list)
end

-- The values an option takes: its vocabulary in the store, its fixed set, or true/false.
local function values_of(o)
  if o.complete then return k2().vocab(o.complete) end
  if o.values then return o.values end
  if o.type == "boolean" then return { "true", "false" } end
  return {}
end

-- What a positional word completes to: fact ids, or the option's values
-- (search words: the topics).
local function word_values(name, word)
  if name == "fact" then
    local ids = {}
    for _, f in ipairs(k2().facts({})) do ids[#ids + 1] = f.id end
    return ids
  end
  if name == "search" then return k2().vocab(args().calls.search.by_name.topic.complete) end
  return word.option and values_of(word.option) or {}
end

--- complete(arg_lead, cmdline): subcommands, then positional words, key= options and their values.
function M.complete(arg_lead, cmdline)
  local words = vim.split(cmdline, "%s+", { trimempty = true })
  local typing_new = cmdline:match("%s$") ~= nil
  local n = #words - (typing_new and 0 or 1) -- words before the one being typed
  if n <= 1 then return starting(ORDER, arg_lead) end
  local name = words[2]
  if not SUB[name] then return {} end
  local keys = keys_of(name)
  local key = arg_lead:match("^([%w_]+)=")
  if key then
    if not keys[key] then return {} end
    return vim.tbl_map(function(v) return key .. "=" .. v end, starting(values_of(keys[key]), arg_lead:sub(#key + 2)))
  end
  local out = {}
  local word = words_of(name)[n - 1]
  if word or SUB[name].join then
    out = starting(word_values(name, word or words_of(name)[1]), arg_lead)
  end
  for _, k in ipairs(sorted_names(keys)) do
    if (k .. "="):sub(1, #arg_lead) == arg_lead then out[#out + 1] = k .. "=" end
  end
  return out
end

---------------------------------------------------------------- picker and hover

--- pick(list, prompt): chooses a fact with vim.ui.select and opens it in a float.
function M.pick(list, prompt)
  vim.ui.select(list, {
    prompt = ("k2 facts for '%s'"):format(prompt),
    format_item = function(f) return ("%s [%s; %s]"):format(f.claim, f.evidence, f.id) end,
  }, function(choice)
    if choice then show(choice, "fact") end
  end)
end

-- Strips punctuation around the word under the cursor ("(MK-7)," → "MK-7").
local function term_under_cursor()
  local word = vim.fn.expand("<cWORD>")
  return (word:gsub("^[^%w]+", ""):gsub("[^%w]+$", ""))
end

-- The API's answer, or nil when it has none (nil, message).
local function answer_or_nil(f, ...)
  local ok, r = pcall(f, ...)
  if not ok then fail(tostring(r)) end
  return r
end

local HOVER_FACTS = 6

-- The lines hover shows for a term at a width, or nil when k2 doesn't know it.
local function hover_render(term)
  local lib = k2()
  local form = answer_or_nil(lib.form, term)
  if form and form ~= "none" then
    local list = call(lib.search, term, { limit = HOVER_FACTS })
    local head = ("%s — the key facts (:K2 dose %s, :K2 timing %s, :K2 pk %s 180ug)"):format(form, form, form, form)
    return function(width)
      local lines = list:lines(width)
      table.insert(lines, 1, head)
      return lines
    end
  end
  local check = answer_or_nil(lib.check, { form = "K", meds = { term } })
  if check and check.findings[1] and not check.findings[1].unknown then
    return function(width) return check:lines(width) end
  end
  return nil
end

--- hover(): facts about the vitamin K term (form, drug name) under the cursor.
function M.hover()
  ensure_config()
  local term = term_under_cursor()
  if term == "" then return notify("no word under the cursor", vim.log.levels.INFO) end
  local ok, render = pcall(hover_render, term)
  if not ok then return notify(type(render) == "table" and render.msg or tostring(render)) end
  if not render then
    return notify(("'%s' is not a vitamin K term k2 knows (try MK-7, phylloquinone, warfarin)"):format(term),
      vim.log.levels.INFO)
  end
  return open_float(render, "hover")
end

return M
