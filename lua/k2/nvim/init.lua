--- k2.nvim: the Neovim side of k2 — the :K2 subcommands, their completion,
--- floats that show answers (with braille plots redrawn on resize), the fact
--- picker (vim.ui.select, so telescope-ui-select or dressing take over when
--- installed), hover on vitamin K terms, and configuration through
--- require("k2.nvim").setup(opts) or vim.g.k2. Only APIs present in Neovim
--- 0.7.2 are used. Errors reach the user as vim.notify at ERROR level with
--- the usage line, never as a Lua traceback.

local M = {}

local DEFAULTS = { border = "rounded", width = 80, units = "µg", default_form = "MK-7" }
local BORDERS = { none = true, single = true, double = true, rounded = true, solid = true, shadow = true }
local config = vim.deepcopy(DEFAULTS)

local function notify(msg, level) vim.notify("k2: " .. msg, level or vim.log.levels.ERROR) end

local function k2() return require("k2") end

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
  if type(merged.width) ~= "number" or merged.width < 30 or merged.width > 300 then
    return nil, "option 'width' must be a number of columns from 30 to 300"
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

local function text_lines(text)
  local lines = vim.split(tostring(text), "\n", { plain = true })
  if config.units == "mcg" then
    for i, l in ipairs(lines) do lines[i] = l:gsub("µg", "mcg") end
  end
  return lines
end

-- Opens (or refills) a scratch float sized to its text and the editor.
local function open_float(lines, title)
  local width = 10
  for _, l in ipairs(lines) do width = math.max(width, vim.fn.strdisplaywidth(l)) end
  width = math.min(width, vim.o.columns - 4, config.width)
  local height = math.min(#lines, math.max(3, vim.o.lines - 6))
  local buf = vim.api.nvim_create_buf(false, true)
  vim.api.nvim_buf_set_lines(buf, 0, -1, false, lines)
  vim.bo[buf].modifiable = false
  vim.bo[buf].bufhidden = "wipe"
  vim.bo[buf].filetype = "k2"
  local win = vim.api.nvim_open_win(buf, true, {
    relative = "editor", row = math.max(0, math.floor((vim.o.lines - height) / 2) - 1),
    col = math.max(0, math.floor((vim.o.columns - width) / 2)), width = width, height = height,
    style = "minimal", border = config.border,
  })
  vim.wo[win].wrap = true
  vim.wo[win].linebreak = true -- a long line breaks between words, not inside "2694"
  for _, key in ipairs({ "q", "<Esc>" }) do
    vim.keymap.set("n", key, function()
      if vim.api.nvim_win_is_valid(win) then vim.api.nvim_win_close(win, true) end
    end, { buffer = buf, nowait = true })
  end
  vim.b[buf].k2_title = title
  return buf, win
end

-- A float whose text depends on the width (plots): redrawn when the editor is resized.
local function open_sized_float(render, title)
  local function width() return math.max(30, math.min(config.width, vim.o.columns - 6)) end
  local buf, win = open_float(text_lines(render(width())), title)
  local group = vim.api.nvim_create_augroup("k2_float_" .. buf, { clear = true })
  vim.api.nvim_create_autocmd("VimResized", { group = group, callback = function()
    if not vim.api.nvim_win_is_valid(win) then return true end
    local lines = text_lines(render(width()))
    vim.bo[buf].modifiable = true
    vim.api.nvim_buf_set_lines(buf, 0, -1, false, lines)
    vim.bo[buf].modifiable = false
    vim.api.nvim_win_set_config(win, { relative = "editor", row = 1, col = 1, width = math.min(width(), vim.o.columns - 4),
      height = math.min(#lines, math.max(3, vim.o.lines - 6)) })
  end })
  vim.api.nvim_create_autocmd("BufWipeout", { buffer = buf, once = true, callback = function()
    pcall(vim.api.nvim_del_augroup_by_id, group)
  end })
  return buf, win
end

---------------------------------------------------------------- subcommands

local function wrap_lines(text, w) return require("k2.show").wrap_lines(text, w) end

-- Splits words into positional arguments and key=value options.
local function parse(words)
  local positional, opts = {}, {}
  for _, w in ipairs(words) do
    local key, value = w:match("^([%w_]+)=(.*)$")
    if key then opts[key] = value else positional[#positional + 1] = w end
  end
  return positional, opts
end

local function number_opt(opts, key, usage)
  if opts[key] == nil then return nil end
  local n = tonumber(opts[key])
  if not n then error({ msg = ("option '%s=' needs a number, got '%s'"):format(key, opts[key]), usage = usage }, 0) end
  return n
end

local function list_opt(opts, key)
  if opts[key] == nil then return nil end
  return vim.split(opts[key], ",", { plain = true, trimempty = true })
end

local function check_keys(opts, allowed, usage)
  for key in pairs(opts) do
    if not allowed[key] then
      local names = vim.tbl_keys(allowed)
      table.sort(names)
      error({ msg = ("unknown option '%s='; known: %s"):format(key, table.concat(names, "=, ") .. "="), usage = usage }, 0)
    end
  end
end

-- An answer or a user error (nil, message).
local function need(value, msg, usage)
  if value == nil then error({ msg = msg, usage = usage }, 0) end
  return value
end

local SUB = {}

SUB.search = {
  usage = ":K2 search {text}", keys = {}, max = math.huge,
  run = function(pos, opts, usage)
    check_keys(opts, {}, usage)
    if #pos == 0 then error({ msg = "search needs some words", usage = usage }, 0) end
    local text = table.concat(pos, " ")
    local list = need(k2().search(text, { limit = 50 }))
    if #list == 0 then return notify(("no facts match '%s'"):format(text), vim.log.levels.WARN) end
    M.pick(list, text)
  end,
}

SUB.fact = {
  usage = ":K2 fact {id}", keys = {}, max = 1,
  run = function(pos, opts, usage)
    check_keys(opts, {}, usage)
    if #pos ~= 1 then error({ msg = "fact needs one id", usage = usage }, 0) end
    local f = need(k2().fact(pos[1]))
    open_float(text_lines(f), "fact")
  end,
}

SUB.sources = {
  usage = ":K2 sources", keys = {}, max = 0,
  run = function(pos, opts, usage)
    check_keys(opts, {}, usage)
    if #pos > 0 then error({ msg = "sources takes no arguments", usage = usage }, 0) end
    open_float(text_lines(k2().sources()), "sources")
  end,
}

SUB.dose = {
  usage = ":K2 dose [form] [age=N] [sex=male|female] [purpose=...]",
  keys = { age = true, sex = true, purpose = true }, max = 1,
  run = function(pos, opts, usage)
    check_keys(opts, SUB.dose.keys, usage)
    local a = need(k2().dose({ form = pos[1] or config.default_form, age = number_opt(opts, "age", usage),
      sex = opts.sex, purpose = opts.purpose }))
    open_float(text_lines(a), "dose")
  end,
}

SUB.timing = {
  usage = ":K2 timing [form]", keys = {}, max = 1,
  run = function(pos, opts, usage)
    check_keys(opts, {}, usage)
    open_float(text_lines(need(k2().timing({ form = pos[1] or config.default_form }))), "timing")
  end,
}

SUB.check = {
  usage = ":K2 check [form] [dose] [age=N] [meds=a,b] [conditions=a,b] [duration=...]",
  keys = { age = true, meds = true, conditions = true, duration = true }, max = 2,
  run = function(pos, opts, usage)
    check_keys(opts, SUB.check.keys, usage)
    local a = need(k2().check({ form = pos[1] or config.default_form, dose = pos[2], age = number_opt(opts, "age", usage),
      meds = list_opt(opts, "meds"), conditions = list_opt(opts, "conditions"), duration = opts.duration }))
    open_float(text_lines(a), "check")
  end,
}

SUB.pk = {
  usage = ":K2 pk {form} {dose} [every=24h] [days=N] [compare=MK-4]",
  keys = { every = true, days = true, compare = true, duration = true, set = true }, max = 2,
  run = function(pos, opts, usage)
    check_keys(opts, SUB.pk.keys, usage)
    if #pos ~= 2 then error({ msg = "pk needs a form and a dose", usage = usage }, 0) end
    local o = { form = pos[1], dose = pos[2], every = opts.every, days = number_opt(opts, "days", usage),
      duration = opts.duration, set = opts.set }
    local pk = k2().pk
    local subject
    if opts.compare then
      local list = { o }
      for _, form in ipairs(list_opt(opts, "compare")) do
        list[#list + 1] = vim.tbl_extend("force", o, { form = form, set = nil })
      end
      subject = need(pk.compare(list))
      open_sized_float(function(w)
        return table.concat({ subject:plot({ width = w, height = 14 }), wrap_lines(subject:metrics_text(), w),
          wrap_lines(k2().notice(), w) }, "\n")
      end, "pk")
    else
      subject = need(pk.simulate(o))
      open_sized_float(function(w)
        return table.concat({ wrap_lines(subject.label .. " — " .. subject.unit, w),
          subject:plot({ width = w, height = 14 }), wrap_lines(subject:metrics_text(), w),
          wrap_lines(k2().notice(), w) }, "\n")
      end, "pk")
    end
  end,
}

SUB.help = {
  usage = ":K2 help", keys = {}, max = 0,
  run = function()
    if pcall(vim.cmd, "help k2") then return end
    -- no tags yet (a plugin manager that skips :helptags): make them beside doc/k2.txt, then retry
    local doc = vim.api.nvim_get_runtime_file("doc/k2.txt", false)[1]
    if doc and pcall(vim.cmd, "helptags " .. vim.fn.fnameescape(vim.fn.fnamemodify(doc, ":h")))
      and pcall(vim.cmd, "help k2") then
      return
    end
    error({ msg = "no help for k2: run :helptags on the plugin's doc/ folder (it could not be written here)" }, 0)
  end,
}

local ORDER = { "search", "fact", "sources", "dose", "timing", "check", "pk", "help" }

--- command(words): runs ":K2 words..." (what the user command calls).
function M.command(words)
  ensure_config()
  local name = words[1]
  local sub = name and SUB[name]
  if not sub then
    return notify(("%s; subcommands: %s\nusage: :K2 {subcommand} [arguments]"):format(
      name and ("unknown subcommand '" .. name .. "'") or "no subcommand", table.concat(ORDER, ", ")))
  end
  local pos, opts = parse(vim.list_slice(words, 2))
  if #pos > sub.max then
    local extra = pos[sub.max + 1]
    return notify(("unexpected '%s'%s\nusage: %s"):format(extra,
      extra:match("^%-") and "; options are written key=value, e.g. age=40" or "", sub.usage))
  end
  local ok, err = pcall(sub.run, pos, opts, sub.usage)
  if not ok then
    if type(err) == "table" then
      notify(("%s\nusage: %s"):format(err.msg, err.usage or sub.usage))
    else
      -- a raised error is a wrong argument shape; show its message without the traceback
      notify(("%s\nusage: %s"):format(tostring(err):gsub("^.-:%d+: ", ""), sub.usage))
    end
  end
end

---------------------------------------------------------------- completion

local FORMS = { "K1", "K2", "MK-4", "MK-7", "K3", "phylloquinone", "phytonadione", "menatetrenone", "menadione" }
local TOPICS = { "dosing", "intake", "timing", "absorption", "pharmacokinetics", "clotting", "safety",
  "contraindications", "interactions", "mechanism", "outcomes", "lifestyle", "chemistry" }

local function starting(list, lead)
  return vim.tbl_filter(function(x) return x:sub(1, #lead):lower() == lead:lower() end, list)
end

--- complete(arg_lead, cmdline): subcommands, then forms, fact ids, topics and key= options.
function M.complete(arg_lead, cmdline)
  local words = vim.split(cmdline, "%s+", { trimempty = true })
  local typing_new = cmdline:match("%s$") ~= nil
  local n = #words - (typing_new and 0 or 1) -- words before the one being typed
  if n <= 1 then return starting(ORDER, arg_lead) end
  local sub = SUB[words[2]]
  if not sub then return {} end
  local keys = {}
  for k in pairs(sub.keys) do keys[#keys + 1] = k .. "=" end
  table.sort(keys)
  if arg_lead:find("=") then
    local key = arg_lead:match("^([%w_]+)=")
    if key == "compare" then
      return vim.tbl_map(function(f) return key .. "=" .. f end, starting(FORMS, arg_lead:match("=(.*)$")))
    end
    return {}
  end
  if words[2] == "fact" then
    local ids = {}
    for _, f in ipairs(k2().facts({})) do ids[#ids + 1] = f.id end
    return starting(ids, arg_lead)
  elseif words[2] == "search" then
    return starting(TOPICS, arg_lead)
  elseif (words[2] == "dose" or words[2] == "timing" or words[2] == "check" or words[2] == "pk") and n == 2 then
    local out = starting(FORMS, arg_lead)
    for _, k in ipairs(starting(keys, arg_lead)) do out[#out + 1] = k end
    return out
  end
  return starting(keys, arg_lead)
end

---------------------------------------------------------------- picker and hover

--- pick(list, prompt): chooses a fact with vim.ui.select and opens it in a float.
function M.pick(list, prompt)
  vim.ui.select(list, {
    prompt = ("k2 facts for '%s'"):format(prompt),
    format_item = function(f) return ("%s [%s; %s]"):format(f.claim, f.evidence, f.id) end,
  }, function(choice)
    if choice then open_float(text_lines(choice), "fact") end
  end)
end

-- Strips punctuation around the word under the cursor ("(MK-7)," → "MK-7").
local function term_under_cursor()
  local word = vim.fn.expand("<cWORD>")
  return (word:gsub("^[^%w]+", ""):gsub("[^%w]+$", ""))
end

--- hover(): facts about the vitamin K term (form, drug name) under the cursor.
function M.hover()
  ensure_config()
  local term = term_under_cursor()
  if term == "" then return notify("no word under the cursor", vim.log.levels.INFO) end
  local ok, result = pcall(function()
    local lib = k2()
    local form = lib.form(term)
    if form and form ~= "none" then
      local list = lib.search(term, { limit = 6 })
      local head = ("%s — the key facts (:K2 dose %s, :K2 timing %s, :K2 pk %s 180ug)"):format(form, form, form, form)
      return head .. "\n" .. tostring(list)
    end
    local check = lib.check({ form = "K", meds = { term } })
    if check and check.findings[1] and not check.findings[1].unknown then
      return tostring(check)
    end
    return nil
  end)
  if not ok then return notify(tostring(result):gsub("^.-:%d+: ", "")) end
  if not result then
    return notify(("'%s' is not a vitamin K term k2 knows (try MK-7, phylloquinone, warfarin)"):format(term),
      vim.log.levels.INFO)
  end
  return open_float(text_lines(result), "hover")
end

return M
