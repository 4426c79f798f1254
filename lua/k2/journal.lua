--- k2.journal (issue 15): a person's own vitamin K intake in an SQLite file they own, and
--- what it adds up to: the level now through the model, and vitamin K per day beside their
--- adequate intake and the thresholds documented for vitamin K antagonists.
---
--- The file is kept by the core (csrc/k2_journal.c: checked before any write, WAL with
--- synchronous=FULL, busy retries; a returned id is on disk). This module turns what people
--- write into entries: doses ("MK-7", "180 ug") through the store's form names and the dose
--- parser, foods ("1 cup raw spinach") through k2.intake and the USDA table, times ("yesterday
--- 08:00") through core.parse_time.
---
--- Units: times are UTC seconds since 1970 with the writer's offset (seconds east of UTC);
--- vitamin K in µg, food in g, levels in the model's unit (lua/k2/pk.lua). Requires nothing
--- above it: the public module hands it what it needs (M.new(deps)).

local core = require("k2.core")
local args = require("k2.args")
local shapes = require("k2.shapes")
local limits = core.limits

local M = {}

-- Units, not figures.
local SECONDS_PER_HOUR, SECONDS_PER_DAY = 3600, 86400
-- Choices of presentation, not figures: what `k2 now` and `k2 journal` show unless asked.
M.DEFAULT_DAYS = 14
M.PLOT_DAYS = 7
local PLOT_POINTS = 400

local function show() return require("k2.show") end
local function num(x) return show().number(x) end

--- The default journal file: $XDG_DATA_HOME/k2/journal.sqlite, else ~/.local/share/k2/journal.sqlite.
function M.default_path(getenv)
  getenv = getenv or os.getenv
  local data = getenv("XDG_DATA_HOME")
  if not data or data == "" or not data:match("^/") then
    local home = getenv("HOME")
    if not home or home == "" then return nil, "no journal path: set HOME or XDG_DATA_HOME, or give a path" end
    data = home .. "/.local/share"
  end
  return data .. "/k2/journal.sqlite"
end

---------------------------------------------------------------- times

-- "2026-12-01 08:00 +01:00": an entry's time as it was local where it was written.
local function offset_text(offset)
  local sign = offset < 0 and "-" or "+"
  local a = math.abs(offset)
  return ("%s%02d:%02d"):format(sign, math.floor(a / SECONDS_PER_HOUR), math.floor(a % SECONDS_PER_HOUR / 60))
end

-- The local offset (s east of UTC) at UTC time t, in the process's zone.
local function local_offset(t)
  local l, u = os.date("*t", t), os.date("!*t", t)
  u.isdst = l.isdst
  return os.time(l) - os.time(u)
end

function M.local_text(at, offset)
  return os.date("!%Y-%m-%d %H:%M", at + offset) .. " " .. offset_text(offset)
end
local function day_of(at, offset) return os.date("!%Y-%m-%d", at + offset) end

-- A time option: nil (now), UTC seconds, or text people write; → utc, offset | nil, message.
local function time_of(fname, key, value, now)
  if value == nil then
    return now, local_offset(now)
  end
  if type(value) == "number" then
    if value ~= math.floor(value) or value < 0 or value > limits.time_max_s then
      args.error(fname, 1, ("option %s must be whole UTC seconds from 0 to time_max_s"):format(key))
    end
    return value, local_offset(value)
  end
  if type(value) ~= "string" then
    args.error(fname, 1, ("option %s must be text ('yesterday 08:00') or UTC seconds, got %s"):format(key, type(value)))
  end
  return core.parse_time(value, now)
end

---------------------------------------------------------------- shapes

local ENTRY_COLUMNS = { "id", "time", "utc", "offset", "kind", "text", "food", "grams", "forms", "note" }

local function forms_text(e)
  local parts = {}
  for _, a in ipairs(e.amounts) do parts[#parts + 1] = ("%s %s µg"):format(a.form, num(a.ug)) end
  return #parts > 0 and table.concat(parts, ", ") or "no vitamin K figure"
end

local function entry_row(e)
  return { e.id, M.local_text(e.at, e.offset), os.date("!%Y-%m-%dT%H:%M:%SZ", e.at), e.offset, e.kind, e.text,
    e.food or "", e.grams or "", forms_text(e), e.note or "" }
end

M.entries_shape = shapes.define("journal_entries", {
  lines = function(l, width)
    local out = {}
    if #l == 0 then return { "no entries" .. (l.range and (" " .. l.range) or "") } end
    for _, e in ipairs(l) do
      show().wrap_into(out, ("#%d  %s  %s: %s%s"):format(e.id, M.local_text(e.at, e.offset), e.text, forms_text(e),
        e.note and (" — " .. e.note) or ""), width, "      ", "")
    end
    return out
  end,
  to_table = function(l)
    local t = {}
    for i, e in ipairs(l) do t[i] = show().plain(e) end
    return t
  end,
  methods = { csv_table = function(l)
    local rows = {}
    for i, e in ipairs(l) do rows[i] = entry_row(e) end
    return { columns = ENTRY_COLUMNS, rows = rows }
  end },
})

M.level_shape = shapes.define("journal_level", {
  lines = function(r, width)
    local out = {}
    local head = ("%s level at %s: %s %s"):format(r.form, M.local_text(r.at, r.offset), num(r.value), r.unit)
    show().wrap_into(out, head, width, "    ", "")
    if r.doses == 0 then
      show().wrap_into(out, ("no %s dose logged before then"):format(r.form), width, "    ", "  ")
    else
      show().wrap_into(out, ("from %d logged %s dose%s, %s µg in all, the first %s, the last %s"):format(r.doses,
        r.form, r.doses == 1 and "" or "s", num(r.total_ug), M.local_text(r.first_at, r.first_offset),
        M.local_text(r.last_at, r.last_offset)),
        width, "    ", "  ")
    end
    if r.plot_values then -- drawn at the width asked for, so a float or a terminal of any size fits it
      out[#out + 1] = ""
      local drawn = require("k2.plot").lines({ series = { { name = r.form .. " from the journal", values = r.plot_values } },
        t0 = -r.plot_span_h, t1 = 0, unit = r.unit, width = width, height = r.plot_height or 10, ascii = r.ascii })
      for line in drawn:gmatch("[^\n]+") do out[#out + 1] = line end
    end
    for _, n in ipairs(r.caveats) do show().wrap_into(out, "note: " .. n, width, "    ", "  ") end
    if r.notice then show().text_into(out, r.notice, width) end
    return out
  end,
  to_table = function(r)
    local t = show().plain(r)
    t.plot_values, t.plot_span_h, t.plot_height, t.ascii = nil, nil, nil, nil
    return t
  end,
})

M.days_shape = shapes.define("journal_days", {
  lines = function(r, width)
    local out = { ("vitamin K per day, %s to %s (food and supplements):"):format(r.first_day, r.last_day) }
    local top = 0
    for _, d in ipairs(r.days) do top = math.max(top, d.total) end
    local bar_w = math.max(10, math.min(40, width - 40))
    for _, d in ipairs(r.days) do
      local parts = {}
      for _, form in ipairs(r.forms) do
        if (d.forms[form] or 0) > 0 then parts[#parts + 1] = ("%s %s"):format(form, num(d.forms[form])) end
      end
      local bar = top > 0 and string.rep("#", math.floor(d.total / top * bar_w + 0.5)) or ""
      out[#out + 1] = ("  %s %7s µg %s"):format(d.day, num(d.total), bar)
      if #parts > 1 or d.marks[1] then show().wrap_into(out, table.concat(parts, ", "), width, "      ", "      ") end
      for _, m in ipairs(d.marks) do show().wrap_into(out, "! " .. m.text, width, "        ", "      ") end
    end
    if r.swing then
      show().wrap_into(out, ("day-to-day swing: mean %s µg/day, from %s to %s; largest change from one day to the next"
        .. " %s µg"):format(num(r.swing.mean), num(r.swing.low), num(r.swing.high), num(r.swing.largest_change)),
        width, "    ", "  ")
    end
    for _, a in ipairs(r.adequate or {}) do
      show().wrap_into(out, ("adequate intake: %s µg/day of %s — %s [agency reference; %s, %s]"):format(num(a.value),
        a.form, a.population, a.fact, a.source), width, "    ", "  ")
    end
    if not r.adequate then show().wrap_into(out, "adequate intake: give age (and sex) to see yours", width, "    ", "  ") end
    if r.meds_note then show().wrap_into(out, r.meds_note, width, "    ", "  ") end
    if r.notice then show().text_into(out, r.notice, width) end
    return out
  end,
  methods = { csv_table = function(r)
    local rows = {}
    for _, d in ipairs(r.days) do
      for _, form in ipairs(r.forms) do rows[#rows + 1] = { d.day, form, d.forms[form] or 0 } end
      rows[#rows + 1] = { d.day, "total", d.total }
    end
    return { columns = { "day", "form", "ug" }, rows = rows }
  end },
})

---------------------------------------------------------------- CSV

local function csv_cell(v)
  v = tostring(v == nil and "" or v)
  if v:find('[",\n\r]') then return '"' .. v:gsub('"', '""') .. '"' end
  return v
end

-- RFC 4180 rows of text, or nil, message naming the line.
local function csv_rows(text)
  local rows, row, cell, i, n, line = {}, {}, {}, 1, #text, 1
  local quoted = false
  while i <= n do
    local c = text:sub(i, i)
    if quoted then
      if c == '"' and text:sub(i + 1, i + 1) == '"' then cell[#cell + 1] = '"'; i = i + 1
      elseif c == '"' then quoted = false
      else
        if c == "\n" then line = line + 1 end
        cell[#cell + 1] = c
      end
    elseif c == '"' and #cell == 0 then quoted = true
    elseif c == "," then row[#row + 1] = table.concat(cell); cell = {}
    elseif c == "\n" or c == "\r" then
      if c == "\r" and text:sub(i + 1, i + 1) == "\n" then i = i + 1 end
      row[#row + 1] = table.concat(cell); cell = {}
      rows[#rows + 1] = row; row = {}
      line = line + 1
    else cell[#cell + 1] = c end
    i = i + 1
  end
  if quoted then return nil, ("line %d: a quoted cell is not closed"):format(line) end
  if #cell > 0 or #row > 0 then row[#row + 1] = table.concat(cell); rows[#rows + 1] = row end
  return rows
end

---------------------------------------------------------------- the calls

--- M.new{form=, parse_dose=, intake=, pk=, rules=, fact=, notice=} → the journal API
function M.new(deps)
  local api = {}
  local J = {}
  local JOURNAL = { __index = J, __name = "k2.journal" }
  JOURNAL.__tostring = function(j)
    if not j.file then return "k2.journal (closed)" end
    local ok, version, n = pcall(j.file.stat, j.file)
    if not ok or not version then return ("k2.journal %s"):format(j.path) end
    return ("k2.journal %s (%d entr%s%s)"):format(j.path, n, n == 1 and "y" or "ies",
      version == 0 and ", not created yet" or "")
  end
  JOURNAL.__close = function(j) j:close() end
  JOURNAL.__gc = JOURNAL.__close

  local function file_of(j)
    if not j.file then error("attempt to use a closed k2 journal", 3) end
    return j.file
  end

  --- k2.journal.open([path]) → journal | nil, message
  function api.open(path)
    args.check("journal.open", 1, path, "string?")
    if path == nil then
      local err
      path, err = M.default_path()
      if not path then return nil, err end
    end
    local file, err = core.journal_open(path)
    if not file then return nil, err end
    return setmetatable({ file = file, path = path }, JOURNAL)
  end

  function J:close()
    if self.file then self.file:close() end
    self.file = nil
  end

  -- The entry for a dose: {form=, dose=, at=, note=}.
  local function dose_entry(o, now)
    local form, err = deps.form(o.form)
    if not form then return nil, err end
    local ug
    if type(o.dose) == "number" then ug = o.dose else ug, err = deps.parse_dose(o.dose) end
    if not ug then return nil, err end
    if ug <= 0 or ug > limits.dose_max_ug then
      return nil, ("dose %s: give more than 0 and at most %s µg"):format(tostring(o.dose), num(limits.dose_max_ug))
    end
    local at, offset = time_of("add", "at", o.at, now)
    if not at then return nil, offset end
    local text = ("%s %s"):format(form, type(o.dose) == "number" and (num(o.dose) .. " µg") or o.dose)
    return { at = at, offset = offset, kind = "dose", text = text, note = o.note, amounts = { { form = form, ug = ug } } }
  end

  -- The entry for a food: {food=, amount=, at=, note=} (the amount may be inside food).
  local function food_entry(o, now)
    local text = o.amount and (o.amount .. " " .. o.food) or o.food
    local r, err = deps.intake({ text })
    if not r then return nil, err end
    local item = r.items[1]
    local amounts = {}
    for _, form in ipairs(item.order) do amounts[#amounts + 1] = { form = form, ug = item.forms[form] } end
    local at, offset = time_of("add", "at", o.at, now)
    if not at then return nil, offset end
    return { at = at, offset = offset, kind = "food", text = text, food = item.food_id, grams = item.grams,
      note = o.note, amounts = amounts, name = item.name }
  end

  local function entry_of(o, now)
    if o.form ~= nil or o.dose ~= nil then
      if o.food ~= nil then args.error("add", 1, "an entry is a dose (form, dose) or a food (food, amount), not both") end
      if o.form == nil or o.dose == nil then args.error("add", 1, "a dose entry needs form and dose") end
      return dose_entry(o, now)
    elseif o.food ~= nil then
      return food_entry(o, now)
    end
    args.error("add", 1, "give {form=, dose=} (a supplement) or {food=, amount=} (a food)")
  end

  --- j:add{form=, dose=, at=, note=} | j:add{food=, amount=, at=, note=} → id | nil, message
  function J:add(o)
    local file = file_of(self)
    args.options("add", 1, o)
    local e, err = entry_of(o, os.time())
    if not e then return nil, err end
    local ids, werr = file:add({ e })
    if not ids then return nil, werr end
    return ids[1], e
  end

  -- A time range option pair → from, to (UTC s; to exclusive).
  local function range(fname, o, now)
    local from, to = 0, limits.time_max_s + 1
    if o.from ~= nil then
      local f, err = time_of(fname, "from", o.from, now)
      if not f then return nil, err end
      from = f
    end
    if o.to ~= nil then
      local t, err = time_of(fname, "to", o.to, now)
      if not t then return nil, err end
      to = t + 1
    end
    return from, to
  end

  --- j:entries{from=, to=} → list of entries (times as for add)
  function J:entries(o)
    local file = file_of(self)
    o = args.options("entries", 1, o == nil and {} or o)
    local from, to = range("entries", o, os.time())
    if not from then return nil, to end
    local list, err = file:entries(from, to)
    if not list then return nil, err end
    return setmetatable(list, M.entries_shape)
  end

  --- j:remove(id) → true | nil, message
  function J:remove(id)
    local file = file_of(self)
    args.check("remove", 1, id, "number")
    if id ~= math.floor(id) then args.error("remove", 1, "an entry's id is a whole number") end
    return file:remove(id)
  end

  --- j:undo() → {id=, undone="add"|"remove"} | nil, message
  function J:undo()
    local id, added = file_of(self):undo()
    if not id then return nil, added end
    return { id = id, undone = added and "add" or "remove" }
  end

  --- j:settings{meds=, age=, sex=} sets (false unsets); j:settings() → the settings
  local SETTINGS = { "meds", "age", "sex" }
  function J:settings(o)
    local file = file_of(self)
    if o ~= nil then
      o = args.options("settings", 1, o)
      for _, key in ipairs(SETTINGS) do
        local v = o[key]
        if v ~= nil then
          if type(v) == "table" then v = table.concat(v, ", ") end
          local ok, err = file:set(key, v ~= "" and tostring(v) or nil)
          if not ok then return nil, err end
        end
      end
    end
    local t = {}
    for _, key in ipairs(SETTINGS) do
      local v, err = file:setting(key)
      if err then return nil, err end
      t[key] = v
    end
    if t.age then t.age = tonumber(t.age) end
    if t.meds then t.meds = args.split_list(t.meds) end
    return t
  end

  -- Every dose of form (canonical) before `to` as {hours from the first, µg} pairs.
  local function doses_of(file, form, to)
    local flat, err = file:doses(form, 0, to)
    if not flat then return nil, err end
    local out = { pairs = {}, total = 0 }
    if #flat == 0 then return out end
    local first = flat[1]
    out.first = { at = first, offset = flat[2] }
    out.last = { at = flat[#flat - 2], offset = flat[#flat - 1] }
    for i = 1, #flat, 3 do
      out.pairs[#out.pairs + 1] = { (flat[i] - first) / SECONDS_PER_HOUR, flat[i + 2] }
      out.total = out.total + flat[i + 2]
    end
    return out
  end

  --- j:forms() → the forms of every logged dose, in the order first logged
  function J:forms()
    local _, forms = file_of(self):doses(nil, 0, limits.time_max_s + 1)
    return forms
  end

  -- The grid: `step` hours when given, else about a day's worth of samples per day, as k2.pk
  -- would choose, never coarser than the run.
  local function curve_of(d, form, o, until_h, step)
    if #d.pairs == 0 then return false end
    -- a hair past the time asked for: a dose taken at that very moment is in the run, not past it
    local run = math.max(until_h, 0) + 1e-6
    step = step and math.min(step, run) or (run < 24 and run / 1440 or nil)
    return deps.pk().simulate({ form = form, set = o.set, intake = d.pairs, duration = run, step = step })
  end

  local function canonical(o) return deps.form(o.form) end

  --- j:level{form=, at=, set=, plot_days=} → the estimated level at a time | nil, message
  function J:level(o)
    local file = file_of(self)
    o = args.options("level", 1, o)
    local form, err = canonical(o)
    if not form then return nil, err end
    local now = os.time()
    local at, offset = time_of("level", "at", o.at, now)
    if not at then return nil, offset end
    local d, derr = doses_of(file, form, at + 1)
    if not d then return nil, derr end
    local p, perr = deps.pk().params(form, o.set)
    if not p then return nil, perr end
    local r = { form = form, at = at, offset = offset, value = 0, unit = p.unit, doses = #d.pairs, total_ug = d.total,
      caveats = {}, notice = deps.notice() }
    if d.first then
      local until_h = (at - d.first.at) / SECONDS_PER_HOUR
      local plot_days = o.plot_days or M.PLOT_DAYS
      local span = math.min(plot_days * 24, until_h)
      -- the grid only feeds the plot (PLOT_POINTS over its span); the level itself is exact (c:at)
      local c, cerr = curve_of(d, form, o, until_h, span > 0 and span / PLOT_POINTS or math.huge)
      if not c then return nil, cerr end
      r.value, r.unit, r.set = c:at(until_h), c.unit, c.set
      r.first_at, r.first_offset, r.last_at, r.last_offset = d.first.at, d.first.offset, d.last.at, d.last.offset
      for _, n in ipairs(c.notes) do r.caveats[#r.caveats + 1] = n end
      r.caveats[#r.caveats + 1] = ("model: %s set '%s', facts %s; one average person, not a measurement of you")
        :format(form, c.set, table.concat(c.params.sources, ", "))
      if #c.params.conflicts > 0 then
        r.caveats[#r.caveats + 1] = ("sources disagree on these parameters (%s): see k2.conflict(id)"):format(
          table.concat(c.params.conflicts, ", "))
      end
      if span > 0 then
        local values = c.ud:sample(PLOT_POINTS, until_h - span, until_h)
        for i = 1, #values do values[i] = values[i] * c.factor + c.offset end
        r.plot_values, r.plot_span_h, r.plot_height, r.ascii = values, span, o.height, o.ascii
        r.caveats[#r.caveats + 1] = "the plot's time runs to 0 = the time of the level"
      end
    end
    r.caveats[#r.caveats + 1] = "foods are counted per day (j:days), not in this level: the model's sets are for supplements"
    return setmetatable(r, M.level_shape)
  end

  --- j:curve{form=, from=, to=, set=} → the model's curve over the logged doses (a k2.pk curve) | nil, message
  function J:curve(o)
    local file = file_of(self)
    o = args.options("curve", 1, o)
    local form, err = canonical(o)
    if not form then return nil, err end
    local now = os.time()
    local from, to = range("curve", o, now)
    if not from then return nil, to end
    if o.to == nil then to = now + 1 end
    local d, derr = doses_of(file, form, to)
    if not d then return nil, derr end
    if not d.first then return nil, ("no %s dose logged before then"):format(form) end
    return curve_of(d, form, o, (to - 1 - d.first.at) / SECONDS_PER_HOUR)
  end

  -- Threshold records of the medicines set, for a form: those a VKA-type Medicine names.
  local function thresholds_for(meds, form)
    if not meds or #meds == 0 then return {} end
    local R = deps.rules()
    local out = {}
    for _, rec in ipairs(R:of_kind("Medicine")) do
      local names = {}
      for _, n in ipairs(args.split_list(rec.Names or "")) do names[n:lower()] = true end
      for _, m in ipairs(meds) do
        if names[m:lower()] or m:lower() == rec.id then
          for _, t in ipairs(R:thresholds(rec, form)) do out[#out + 1] = t end
          break
        end
      end
    end
    return out
  end

  local function swing_of(days)
    if #days == 0 then return nil end
    local s = { mean = 0, low = math.huge, high = 0, largest_change = 0 }
    for i, d in ipairs(days) do
      s.mean = s.mean + d.total / #days
      s.low, s.high = math.min(s.low, d.total), math.max(s.high, d.total)
      if i > 1 then s.largest_change = math.max(s.largest_change, math.abs(d.total - days[i - 1].total)) end
    end
    return s
  end

  -- Marks days whose intake of a form changed from the day before by at least a threshold's From.
  local function mark_days(days, forms, meds)
    local R
    for _, form in ipairs(forms) do
      for _, t in ipairs(thresholds_for(meds, form)) do
        R = R or deps.rules()
        local from = R:fact(t.From)
        local step = from.value or from.low
        for i = 2, #days do
          local change = (days[i].forms[form] or 0) - (days[i - 1].forms[form] or 0)
          if step and math.abs(change) >= step then
            days[i].marks[#days[i].marks + 1] = { form = form, change_ug = change, threshold = t.id, fact = t.From,
              source = from.source and from.source.id,
              text = ("%s changed by %s µg from the day before; documented threshold: %s (fact %s, %s): %s. Information, not"
                .. " advice: tell whoever manages your anticoagulant about lasting changes"):format(form, num(change),
                show().amount(from), t.From, from.source and from.source.id or "?", t.About) }
          end
        end
      end
    end
  end

  --- j:days{days=, from=, to=, age=, sex=} → vitamin K per local day and form, with the swing | nil, message
  --- (to alone ends a span of days=, default DEFAULT_DAYS)
  function J:days(o)
    local file = file_of(self)
    o = args.options("days", 1, o == nil and {} or o)
    local now = os.time()
    local now_offset = local_offset(now)
    local from = now - (o.days or M.DEFAULT_DAYS) * SECONDS_PER_DAY
    local to = now + 1
    if o.from ~= nil or o.to ~= nil then
      from, to = range("days", o, now)
      if not from then return nil, to end
      if o.to == nil then to = now + 1 end
      -- to alone ends the default span (days=, else DEFAULT_DAYS), as now does without it
      if o.from == nil then from = to - 1 - (o.days or M.DEFAULT_DAYS) * SECONDS_PER_DAY end
    end
    local list, err = file:entries(from, to)
    if not list then return nil, err end
    local settings = self:settings() or {}
    local by_day, days, forms, seen = {}, {}, {}, {}
    -- every day from the first entry on is a row, days with nothing logged included: a
    -- swing needs its zeros (days before the first entry are not the person's record)
    if list[1] then from = math.max(from, list[1].at) end
    for t = from, list[1] and to - 1 or from - 1, SECONDS_PER_DAY do
      local key = day_of(t, now_offset)
      if not by_day[key] then
        by_day[key] = { day = key, total = 0, forms = {}, marks = {} }
        days[#days + 1] = by_day[key]
      end
    end
    for _, e in ipairs(list) do
      local key = day_of(e.at, e.offset)
      local d = by_day[key]
      if not d then
        d = { day = key, total = 0, forms = {}, marks = {} }
        by_day[key] = d
        days[#days + 1] = d
      end
      for _, a in ipairs(e.amounts) do
        if not seen[a.form] then seen[a.form] = true; forms[#forms + 1] = a.form end
        d.forms[a.form] = (d.forms[a.form] or 0) + a.ug
        d.total = d.total + a.ug
      end
    end
    table.sort(days, function(a, b) return a.day < b.day end)
    table.sort(forms)
    mark_days(days, forms, settings.meds)
    local r = { days = days, forms = forms, swing = swing_of(days), first_day = days[1] and days[1].day or "",
      last_day = days[#days] and days[#days].day or "", notice = deps.notice(), meds = settings.meds }
    local age, sex = o.age or settings.age, o.sex or settings.sex
    if age then
      local ai = deps.intake({}, { age = age, sex = sex })
      r.adequate = ai and ai.adequate
    end
    if settings.meds and #settings.meds > 0 then
      r.meds_note = ("medicines set: %s; days are marked where a form changed by a documented threshold"):format(
        table.concat(settings.meds, ", "))
    else
      r.meds_note = "if you take warfarin or another vitamin K antagonist, j:settings{meds = \"warfarin\"} marks"
        .. " days whose change reaches a documented threshold"
    end
    return setmetatable(r, M.days_shape)
  end

  --- j:export() → CSV text of every live entry (one row per entry; forms as FORM:ug;...)
  function J:export()
    local list, err = file_of(self):entries(0, limits.time_max_s + 1)
    if not list then return nil, err end
    local out = { "utc,offset_s,kind,text,food,grams,amounts,note" }
    for _, e in ipairs(list) do
      local am = {}
      for _, a in ipairs(e.amounts) do am[#am + 1] = a.form .. ":" .. core.format_number(a.ug, 6) end
      out[#out + 1] = table.concat({ csv_cell(os.date("!%Y-%m-%dT%H:%M:%SZ", e.at)), csv_cell(e.offset), csv_cell(e.kind),
        csv_cell(e.text), csv_cell(e.food), csv_cell(e.grams and core.format_number(e.grams, 6)),
        csv_cell(table.concat(am, ";")), csv_cell(e.note) }, ",")
    end
    return table.concat(out, "\n") .. "\n"
  end

  -- "2026-11-30T08:00:00Z" → UTC seconds (the export's own format only).
  local function utc_of(text)
    local y, mo, d, h, mi, s = text:match("^(%d%d%d%d)%-(%d%d)%-(%d%d)T(%d%d):(%d%d):(%d%d)Z$")
    if not y then return nil end
    local utc = core.parse_time(text, limits.time_max_s)
    return utc and utc or nil, y, mo, d, h, mi, s
  end

  --- k2.journal.import(csv, j) → count | nil, message — all rows in one transaction, or none
  function api.import(csv, j)
    args.check("journal.import", 1, csv, "string")
    if getmetatable(j) ~= JOURNAL then args.error("journal.import", 2, "a journal from k2.journal.open expected") end
    local file = file_of(j)
    local rows, err = csv_rows(csv)
    if not rows then return nil, err end
    if #rows == 0 or table.concat(rows[1], ",") ~= "utc,offset_s,kind,text,food,grams,amounts,note" then
      return nil, "the first line must be the header k2 exports: utc,offset_s,kind,text,food,grams,amounts,note"
    end
    local entries = {}
    for i = 2, #rows do
      local r = rows[i]
      if not (#r == 1 and r[1] == "") then
        local line = ("line %d: "):format(i)
        if #r ~= 8 then return nil, line .. ("8 cells expected, found %d"):format(#r) end
        local at = utc_of(r[1])
        if not at then return nil, line .. "utc must read like 2026-11-30T08:00:00Z" end
        local offset = tonumber(r[2])
        if not offset or offset ~= math.floor(offset) then return nil, line .. "offset_s must be whole seconds" end
        local amounts = {}
        for part in r[7]:gmatch("[^;]+") do
          local form, ug = part:match("^([^:]+):([%d.eE+-]+)$")
          if not form or not tonumber(ug) then return nil, line .. "amounts must read like K1:144.8;MK-4:0.5" end
          amounts[#amounts + 1] = { form = form, ug = tonumber(ug) }
        end
        local grams = r[6] ~= "" and tonumber(r[6]) or nil
        if r[6] ~= "" and not grams then return nil, line .. "grams must be a number" end
        entries[#entries + 1] = { at = at, offset = offset, kind = r[3], text = r[4], food = r[5] ~= "" and r[5] or nil,
          grams = grams, amounts = amounts, note = r[8] ~= "" and r[8] or nil }
      end
    end
    if #entries == 0 then return 0 end
    local ids, werr = file:add(entries)
    if not ids then return nil, werr end
    return #ids
  end

  api.default_path = M.default_path
  api.DEFAULT_DAYS = M.DEFAULT_DAYS
  api.local_text = M.local_text
  return api
end

return M
