--- k2.pk: vitamin K in the blood over time. Builds dosing schedules from the
--- options people write ("180 ug" every "24h" for 30 days), takes the
--- parameters of a named set from data/pk.rec through the store, and runs
--- the exact one-compartment model of the core (csrc/k2_pk.c). Curves keep
--- their samples in C memory; printing one shows a plot and its metrics.
---
--- Units: doses in µg (text through k2.parse_dose), times in hours (text
--- through k2.parse_duration). Concentrations are ng/mL for sets with a
--- calibrated volume, otherwise relative to a fixed reference dose per form
--- named in data/pk.rec (RefDose): 1 = the peak of one such dose taken with a
--- fat-containing meal, so levels grow in proportion to the dose. Every
--- result says which.

local core = require("k2.core")
local plot = require("k2.plot")
local args = require("k2.args")
local show = require("k2.show")
local shapes = require("k2.shapes")
local studies = require("k2.studies")
local unpack = rawget(table, "unpack") or rawget(_G, "unpack") -- LuaJIT has only the global

---@class k2.pk
local pk = {}
-- Set by the public module (init.lua) through pk.attach: a function
-- returning the store handle, and one returning the notice every result carries.
local store, notice

-- A unit, not a figure: hours in a day.
local HOURS_PER_DAY = 24
-- A plot's size when the caller gives none (args.calls.plot).
local PLOT = args.calls.plot.by_name
local RELATIVE = "relative (1 = peak of one dose taken with fat)"

-- "1 mg" or "420 µg": a reference dose as the unit's name gives it.
local function dose_text(ug)
  if ug >= 1000 then return core.format_number(ug / 1000, 4) .. " mg" end
  return core.format_number(ug, 4) .. " µg"
end

-- The relative unit of a set: fixed by its reference dose when data names one.
-- Each set's relative unit is its own model's peak of the reference dose,
-- so a set other than the default names itself: two sets' levels are in
-- different units, and compare states no ratio between them.
local function relative_unit(p)
  if not p.ref_ug then return RELATIVE end
  return ("relative (1 = peak of %s %s with fat%s)"):format(dose_text(p.ref_ug), p.form,
    p.set ~= "default" and (", set " .. p.set) or "")
end

-- The factor that turns the core's relative values (1 = the peak of one dose
-- of the first dose's size) into the set's fixed unit: first dose ÷ reference dose.
local function dose_scale(p, m, ug)
  if m.V > 0 or not p.ref_ug then return 1 end
  return ug / p.ref_ug
end

-- The lowest single dose (µg) at which a study of the form measured a level
-- or an area (data/studies/), and that study's source; nil when none did.
local measured_by_store = setmetatable({}, { __mode = "k" }) -- store → form → {ug, source}: read once
local function lowest_measured(form)
  local by_form = measured_by_store[store()] or {}
  measured_by_store[store()] = by_form
  if by_form[form] then return by_form[form][1], by_form[form][2] end
  local low, source
  for _, s in ipairs(studies.of(store(), form)) do
    for _, m in ipairs(s.measures) do
      local ug = (m.what == "cmax" or m.what == "auc") and s.amount and core.parse_dose(s.amount)
      if ug and (not low or ug < low) then low, source = ug, s.source end
    end
  end
  by_form[form] = { low, source }
  return low, source
end

-- The caution for doses no study could measure in the blood, or nil: the
-- set's BelowQuantification fact gives, as its High, a dose after which the
-- form was not detected; every dose up to it may stay below quantification.
-- Above it and below the lowest dose a study measured (data/studies/), no
-- study says either way, and the caution says that.
local function quantification_caution(p, ug)
  local id = p.below_quantification
  local fact = id and store():fact(id)
  if not (fact and fact.high) then return nil end
  if ug <= fact.high then
    return ("%s doses of %s µg or less may leave blood levels below quantification: a study could not detect %s"
      .. " after %s µg (fact %s); the curve is the model's extrapolation, not a measured level"):format(p.form,
      core.format_number(fact.high, 4), p.form, core.format_number(fact.high, 4), id)
  end
  local measured, source = lowest_measured(p.form)
  if measured and ug < measured then
    return ("no study in k2's data measured %s in the blood between %s (not detected, fact %s) and %s"
      .. " (measured, %s): at this dose the level may stay below quantification, and the curve is the model's"
      .. " extrapolation"):format(p.form, dose_text(fact.high), id, dose_text(measured), source)
  end
  return nil
end

-- Whether the set's fat factor was measured on the matrix the set models.
local function fat_applies(p) return p.fat ~= nil and p.fat_matrix ~= nil and p.fat_matrix == p.matrix end

-- Figures past format_number's exact range (1e15; a caller's extreme V or ke gets there) print
-- in scientific notation rather than raising from tostring.
local function fmt(x)
  if x == nil or x ~= x then return "?" end
  if math.abs(x) >= 10 ^ core.limits.format_max_digits then return ("%.4g"):format(x) end
  return core.format_number(x, math.abs(x) >= 100 and 1 or 3)
end
--- pk.attach{store = fn, notice = fn}: where the model reads its parameter
--- sets (the store handle fn returns) and the notice its results carry.
function pk.attach(o) store, notice = o.store, o.notice end

---------------------------------------------------------------- arguments

local function fail(fname, msg) args.error(fname, 1, msg) end

-- A dose in µg and a duration in hours (text or numbers; the types are checked by args.options).
local amount, hours = args.dose_ug, args.hours

---------------------------------------------------------------- model and schedule

local PARAM_ORDER = { "ka", "ke", "F", "V", "lag" } -- notes name them in this order

-- The parameter set as the curve uses it, when the caller replaced some of
-- its numbers: rates, half-life, peak time and units follow the caller's
-- values, and facts stay only for what the set still supplies.
local function as_used(p, m, given)
  if not (given.ka or given.ke or given.V) then return p end
  local q = {}
  for k, v in pairs(p) do q[k] = v end
  q.ka, q.ke, q.V = m.ka, m.ke, m.V
  q.half_life_h = math.log(2) / m.ke
  q.tmax_h = core.pk_tmax(m.ka, m.ke)
  q.unit = m.V > 0 and ((p.V > 0 and not given.V) and p.unit or "ng/mL (volume given by the caller)") or relative_unit(p)
  if given.ka and given.ke then
    -- the rates are the caller's: the set's facts and disagreements no longer stand behind them
    q.sources, q.conflicts = {}, {}
    q.set = p.set .. ", rates from the caller"
  end
  return setmetatable(q, getmetatable(p))
end

--- k2.pk.params(form [, set]) → {form, set, about, ka, ke, F, V, lag, tmax_h, half_life_h, fat, unit, sources}
---@param form string
---@param set? string
---@return k2.params|nil
---@return string? message naming the known sets
function pk.params(form, set)
  args.check("params", 1, form, "string")
  args.check("params", 2, set, "string?")
  local p, err = store():pk_params(form, set)
  if not p then return nil, err end
  p.unit = p.V > 0 and "ng/mL" or relative_unit(p)
  p.fat_applies = fat_applies(p)
  local sources, conflicts, seen = {}, {}, {}
  for _, id in ipairs(args.split_list(p.facts)) do
    sources[#sources + 1] = id
    local fact = store():fact(id)
    for _, c in ipairs(fact and fact.conflicts or {}) do
      if not seen[c] then seen[c] = true; conflicts[#conflicts + 1] = c end
    end
  end
  table.sort(conflicts)
  p.sources, p.conflicts, p.facts = sources, conflicts, nil
  return setmetatable(p, pk.Params)
end

-- The model for o (form, set, overrides, fat), with notes on what was assumed.
local function model_for(o, notes)
  local p, err = pk.params(o.form, o.set)
  if not p then return nil, err end
  local m, given = { ka = p.ka, ke = p.ke, F = 1, F_ref = 1, V = p.V, lag = p.lag }, {}
  for _, k in ipairs(PARAM_ORDER) do
    if o[k] ~= nil then
      m[k], given[k] = o[k], true
      notes[#notes + 1] = ("%s set to %s by the caller"):format(k, core.format_number(o[k], 6))
    end
  end
  p = as_used(p, m, given)
  if o.fat == false then
    if p.fat and not p.fat_applies then
      notes[#notes + 1] = ("no sourced fat factor for this matrix (%s %s): the factor %s was measured on %s;"
        .. " not adjusted"):format(p.form, p.matrix or "?", core.format_number(p.fat, 2), p.fat_matrix or "?")
    elseif p.fat then
      m.F = m.F / p.fat
      notes[#notes + 1] = ("taken without fat: absorption divided by %s (facts: %s)"):format(
        core.format_number(p.fat, 2), table.concat(p.sources, ", "))
    else
      notes[#notes + 1] = ("no source gives the effect of fat on %s absorption; not adjusted"):format(p.form)
    end
  else
    notes[#notes + 1] = "assumes each dose is taken with a meal that contains fat, as the sources advise"
  end
  return m, p
end

-- Doses as a flat list {t, µg, ...}, the dose, the interval (h or nil) and the count.
-- o.intake: {time, dose} pairs in time order, each dose its own size.
local function intake_schedule(fname, o)
  local list = {}
  if #o.intake == 0 then fail(fname, ("option %s must be a list of {time, dose} pairs"):format(args.name(fname, "intake"))) end
  local fits, over = core.pk_budget(#o.intake, 1, 0) -- refused before the list is built
  if not fits then return nil, over end
  for i, pair in ipairs(o.intake) do
    if type(pair) ~= "table" or pair[1] == nil or pair[2] == nil then
      fail(fname, ("option %s item %d must be a {time, dose} pair"):format(args.name(fname, "intake"), i))
    end
    local h = pair[1] == 0 and 0 or hours("intake", pair[1])
    if not h then return nil, ("dose time %s: not understood"):format(tostring(pair[1])) end
    if i > 1 and h < list[#list - 1] then return nil, ("intake item %d comes before the one above it"):format(i) end
    local ug, err = amount(pair[2])
    if not ug then return nil, err end
    list[#list + 1], list[#list + 2] = h, ug
  end
  return list, list[2], nil, #o.intake
end

local function schedule(fname, o)
  if o.intake ~= nil then return intake_schedule(fname, o) end
  if o.dose == nil then
    fail(fname, ("option %s is required (or %s)"):format(args.name(fname, "dose"), args.name(fname, "intake")))
  end
  local ug, err = amount(o.dose)
  if not ug then return nil, err end
  local list = {}
  if o.at ~= nil then
    if #o.at == 0 then fail(fname, ("option %s must be a list of times"):format(args.name(fname, "at"))) end
    for i, t in ipairs(o.at) do
      if type(t) ~= "string" and type(t) ~= "number" then
        fail(fname, ("option %s item %d must be text like '12h' or a number of hours, got %s"):format(
          args.name(fname, "at"), i, type(t)))
      end
      local h = t == 0 and 0 or hours("at", t)
      if not h then return nil, ("dose time %s: not understood"):format(tostring(t)) end
      list[#list + 1], list[#list + 2] = h, ug
    end
    return list, ug, nil, #o.at
  end
  if o.every ~= nil or o.per_day ~= nil then
    local e
    if o.per_day then e = HOURS_PER_DAY / o.per_day else e, err = hours("every", o.every) end
    if not e then return nil, err end
    local n = o.doses
    if not n then
      if o.days == nil then
        fail(fname, ("with %s or %s, give %s or %s"):format(args.name(fname, "every"), args.name(fname, "per_day"),
          args.name(fname, "days"), args.name(fname, "doses")))
      end
      if e > o.days * HOURS_PER_DAY then
        return nil, ("the dosing interval (%s h) is longer than the run (%s days)"):format(core.format_number(e, 3),
          core.format_number(o.days, 3))
      end
      n = math.max(1, math.floor(o.days * HOURS_PER_DAY / e + 1e-9))
    end
    local fits, over = core.pk_budget(n, 1, 0) -- issue 17: refused before the list is built
    if not fits then return nil, over end
    for i = 0, n - 1 do list[#list + 1], list[#list + 2] = i * e, ug end
    return list, ug, e, n
  end
  list[1], list[2] = 0, ug
  return list, ug, nil, 1
end

-- Choices, not sourced figures: a run left to k2 lasts a day at least and
-- five of the slower half-lives after the last dose, sampled about this many
-- times at the first of these round steps (hours) that is not finer.
local DEFAULT_RUN = { at_least_h = 24, half_lives = 5, samples = 1440,
  steps_h = { 1 / 60, 5 / 60, 0.1, 0.25, 0.5, 1, 2, 6, 12, 24 } }

-- Length of the run and the grid step (h).
local function run_and_step(o, m, list, every)
  local last = list[#list - 1]
  local run
  if o.duration ~= nil then
    local err
    run, err = hours("duration", o.duration)
    if not run then return nil, err end
  elseif o.days ~= nil and every then
    run = math.max(o.days * HOURS_PER_DAY, last + every)
  elseif o.days ~= nil then -- one dose watched for `days` days
    run = o.days * HOURS_PER_DAY
  else
    local slow = math.log(2) / math.min(m.ka, m.ke)
    run = last + m.lag + math.max(DEFAULT_RUN.at_least_h, DEFAULT_RUN.half_lives * slow)
  end
  if run < last then
    return nil, ("the run ends before the last dose; make %s longer"):format(args.name("simulate", "duration"))
  end
  local step
  if o.step ~= nil then
    local err
    step, err = hours("step", o.step)
    if not step then return nil, err end
  else
    step = run / DEFAULT_RUN.samples
    for _, nice in ipairs(DEFAULT_RUN.steps_h) do
      if step <= nice then step = nice; break end
    end
  end
  return run, step
end

---------------------------------------------------------------- curves

-- Methods of curves; CURVE is their shape (lines, to_table), made below them.
local Curve, CURVE = {}, nil

-- The unit asked for: ng/mL or nmol/L need a calibrated volume; nmol/L also a molecular weight.
local function unit_factor(o, m, p)
  if o.unit == nil then return 1, p.unit end
  if m.V <= 0 then -- V is a checked number
    return nil, ("%s set '%s' has no calibrated volume, so its levels are relative; ng/mL and nmol/L need a"
      .. " set such as MK-4 'label'"):format(p.form, p.set)
  end
  if o.unit == "ng/mL" then return 1, "ng/mL" end
  if not p.mol_weight then return nil, ("%s set '%s' names no molecular weight for nmol/L"):format(p.form, p.set) end
  return 1000 / p.mol_weight, "nmol/L"
end

-- With baseline = true: the level measured before any dose (the set's
-- Baseline fact, in ng/mL), in the curve's unit, and the fact; else 0.
local function baseline_of(o, p, factor)
  if not o.baseline then return 0 end
  local f = p.baseline and store():fact(p.baseline)
  if not f then
    return nil, ("%s set '%s' names no measured baseline level; only a set with one (MK-4 'label') can add it"):format(
      p.form, p.set)
  end
  return f.value * factor, f
end

--- k2.pk.simulate{form=, dose=, every=, days=, doses=, per_day=, at=, duration=, step=, fat=, set=, ka=, ke=, F=, V=, lag=}
---@param o k2.simulate_opts
---@return k2.curve|nil
---@return string? message
function pk.simulate(o)
  args.options("simulate", 1, o)
  local notes = {}
  local m, p = model_for(o, notes)
  if not m then return nil, p end
  local list, ug, every, n = schedule("simulate", o)
  if not list then return nil, ug end
  local run, step = run_and_step(o, m, list, every)
  if not run then return nil, step end
  local factor, unit = unit_factor(o, m, p)
  if not factor then return nil, unit end
  local offset, base = baseline_of(o, p, factor)
  if not offset then return nil, base end
  factor = factor * dose_scale(p, m, list[2])
  local largest = ug
  for i = 2, #list, 2 do largest = math.max(largest, list[i]) end
  local caution = quantification_caution(p, largest)
  if caution then table.insert(notes, 1, caution) end
  if every and every > run then
    return nil, ("the dosing interval (%s h) is longer than the run (%s h)"):format(core.format_number(every, 3),
      core.format_number(run, 3))
  end
  local ud, err = core.pk_curve(m, list, run, step)
  if not ud then return nil, err end
  if list[#list - 1] + m.lag >= run then -- issue 17: a lag past the run leaves it empty, and says so
    notes[#notes + 1] = ("the lag (%s h) reaches past the end of the run (%s h): doses are absorbed after it;"
      .. " cmax, tmax, at and auc after the end still follow the model"):format(fmt(m.lag), fmt(run))
  end
  local what = ("%s %s µg"):format(p.form, core.format_number(ug, 3))
  if o.intake then
    local total = 0
    for i = 2, #list, 2 do total = total + list[i] end
    what = ("%s, %d doses of their own sizes, %s µg in all"):format(p.form, n, core.format_number(total, 3))
  elseif every then what = what .. (" every %s h × %d doses"):format(core.format_number(every, 3), n)
  elseif n > 1 then what = what .. (" × %d doses"):format(n) end
  if p.set ~= "default" then what = what .. " (set " .. p.set .. ")" end
  if base then
    what = what .. " + baseline"
    notes[#notes + 1] = ("every level includes a baseline of %s %s, the level measured before any dose in %s"
      .. " [%s; %s: %s]"):format(fmt(offset), unit, base.population or "the source's subjects", base.evidence,
      base.source and base.source.id or "?", base.id)
  end
  return setmetatable({ ud = ud, form = p.form, set = p.set, params = p, model = m, dose_ug = ug, every_h = every,
    doses = n, unit = unit, factor = factor, offset = offset, baseline = base and base.id, label = o.label or what,
    notes = notes, notice = notice(), below_quantification = caution }, CURVE)
end

-- A time given as hours or text ("3d"), argument n of method `name`.
local function at_hours(name, n, t)
  if t == nil or type(t) == "number" then return t end
  if type(t) == "string" then
    local h, err = core.parse_duration(t)
    if not h then args.error(name, n, err) end
    return h
  end
  args.error(name, n, ("hours or text like '3d' expected, got %s"):format(type(t)))
end

-- Every level is the model's times the curve's factor, plus its offset (the
-- measured baseline when asked for, else 0): the methods below apply both.
function Curve:cmax(from, to)
  return self.ud:peak(at_hours("cmax", 1, from), at_hours("cmax", 2, to)) * self.factor + self.offset
end
function Curve:tmax(from, to) return select(2, self.ud:peak(at_hours("tmax", 1, from), at_hours("tmax", 2, to))) end
function Curve:auc(from, to)
  from, to = at_hours("auc", 1, from), at_hours("auc", 2, to)
  local area = self.ud:auc(from, to) * self.factor
  if self.offset == 0 then return area end
  return area + self.offset * math.max(0, (to or self:t_end()) - (from or 0))
end
function Curve:at(t)
  if t == nil then args.error("at", 1, "hours or text like '3d' expected, got nil") end
  return self.ud:at(at_hours("at", 1, t)) * self.factor + self.offset
end
function Curve:trough() return self.ud:trough() * self.factor + self.offset end
function Curve:above(level)
  args.check("above", 1, level, "number")
  if level < self.offset then return self:t_end() end -- the baseline alone is above it all the run
  return self.ud:above((level - self.offset) / self.factor)
end
function Curve:count() return self.ud:count() end
function Curve:step() return self.ud:step() end
function Curve:t_end() return self.ud:t_end() end

--- curve:points() → iterator of (time_h, value) over the samples, no table per point.
function Curve:points()
  local i, n, ud = 0, self.ud:count(), self.ud
  return function()
    i = i + 1
    if i > n then return nil end
    local v, t = ud:value(i)
    return t, v * self.factor + self.offset
  end
end

-- A curve's intervals print as a table; the list itself stays a plain array
-- (the unit lives in its shape), so JSON encoders see a list.
local INTERVAL_COLUMNS = { "start", "cmax", "tmax", "trough", "auc" }
local function intervals_shape(unit)
  local row = "%-10s %-12s %-10s %-12s %s"
  return shapes.define("pk.intervals", {
    -- a table's rows are not wrapped (that would break its columns); they fit 60 columns
    lines = function(list)
      local out = { row:format("start h", "Cmax", "Tmax h", "trough", "AUC (" .. unit .. "·h)") }
      for _, r in ipairs(list) do
        out[#out + 1] = row:format(fmt(r.start), fmt(r.cmax), fmt(r.tmax), fmt(r.trough), fmt(r.auc))
      end
      return out
    end,
    to_table = function(list)
      local rows = {}
      for i, r in ipairs(list) do
        rows[i] = {}
        for j, key in ipairs(INTERVAL_COLUMNS) do rows[i][j] = r[key] end
      end
      return { kind = "intervals", unit = unit, columns = { "start_h", "cmax", "tmax_h", "trough", "auc" }, rows = rows }
    end,
  })
end

--- curve:intervals() → per dosing interval: {start, auc, cmax, tmax, trough}; prints as a table
function Curve:intervals()
  local out = setmetatable({}, intervals_shape(self.unit:match("^(%S+)")))
  local rows, err = self.ud:intervals(self.every_h or self:t_end()) -- one pass in C (issue 17)
  if not rows then return nil, err end
  for i, r in ipairs(rows) do
    out[i] = { start = r.start, auc = r.auc * self.factor + self.offset * (self.every_h or self:t_end()),
      cmax = r.cmax * self.factor + self.offset, tmax = r.tmax, trough = r.trough * self.factor + self.offset }
  end
  return out
end

-- The CSV column of a unit.
local function value_column(unit) return ({ ["ng/mL"] = "ng_per_mL", ["nmol/L"] = "nmol_per_L" })[unit] or "relative" end

--- curve:columns() → the names of its CSV columns, without making any row
function Curve:columns() return { "time_h", value_column(self.unit) } end

--- curve:csv() → "time_h,value" lines (the unit in the header).
function Curve:csv()
  local out = { ("time_h,%s"):format(value_column(self.unit)) }
  for t, v in self:points() do out[#out + 1] = core.format_number(t, 4) .. "," .. core.format_number(v, 6) end
  return table.concat(out, "\n") .. "\n"
end

-- Plot series for curves on a common time axis: each column shows the
-- lowest and highest level within it (so daily swings are not lost).
local function series_of(curves, n)
  local series, t1 = {}, 0
  for _, c in ipairs(curves) do t1 = math.max(t1, c:t_end()) end
  for _, c in ipairs(curves) do
    local s = { name = c.label }
    if c:t_end() >= t1 then
      s.lo, s.hi = c.ud:envelope(n)
      for i = 1, n do s.lo[i], s.hi[i] = s.lo[i] * c.factor + c.offset, s.hi[i] * c.factor + c.offset end
    else -- a shorter run: its exact values over the common axis
      s.values = {}
      for i = 1, n do s.values[i] = c.ud:at(t1 * (i - 1) / (n - 1)) * c.factor + c.offset end
    end
    series[#series + 1] = s
  end
  return series, t1
end

-- With studies = true, the published levels this curve can be held against
-- (k2.studies.points), and a note when there are none.
local function study_points(c, o)
  if not o.studies then return nil, nil end
  return studies.points(store(), c, core.parse_dose)
end

--- curve:plot{width=, height=, ascii=, color=, studies=} → text
function Curve:plot(o)
  o = args.options("plot", 1, o)
  local width = o.width or PLOT.width.default
  local series, t1 = series_of({ self }, math.max(20, (width - 10) * 2))
  local points, note = study_points(self, o)
  return plot.lines({ series = series, t1 = t1, unit = self.unit, width = width, height = o.height or PLOT.height.default,
    ascii = o.ascii, color = o.color, points = points, points_note = note })
end

--- curve:svg{width=, height=} → SVG text
function Curve:svg(o)
  o = args.options("svg", 1, o)
  local width = o.width or args.calls.svg.by_name.width.default
  -- two envelope columns a pixel: every dose's peak is in some column's high
  -- (no more columns than grid points: finer columns only repeat a point, drawn as stairs)
  local series, t1 = series_of({ self }, math.max(20, math.min(2 * width, self:count())))
  local points, note = study_points(self, o)
  return plot.svg({ series = series, t1 = t1, unit = self.unit, width = o.width, height = o.height, title = self.label,
    points = points, points_note = note,
    desc = self.notice })
end

function Curve:metrics_text()
  local lines = {
    -- with one dose there is no trough between doses: the value is the level at the end of the run
    ("Cmax %s at %s h · %s %s · AUC %s (%s·h) · end of run %s h"):format(fmt(self:cmax()), fmt(self:tmax()),
      self.doses == 1 and "level at end" or "trough", fmt(self:trough()), fmt(self:auc()),
      self.unit:match("^(%S+)"), fmt(self:t_end())),
    ("parameters (%s, set %s): ka %s/h, ke %s/h, half-life %s h, peak %s h after a dose; facts: %s"):format(
      self.form, self.set, fmt(self.model.ka), core.format_number(self.model.ke, 5), fmt(self.params.half_life_h),
      fmt(self.params.tmax_h), #self.params.sources > 0 and table.concat(self.params.sources, ", ")
        or "none (the caller's numbers)"),
  }
  if #self.params.conflicts > 0 then
    lines[#lines + 1] = ("sources disagree on these parameters (%s): see k2.conflict(id), or pick another set"):format(
      table.concat(self.params.conflicts, ", "))
  end
  for _, n in ipairs(self.notes) do lines[#lines + 1] = "note: " .. n end
  return table.concat(lines, "\n")
end

-- A plot between wrapped text: the title, the plot (unless look.plot is
-- false), then the lines below it and the notice. The plot takes the width.
local function plotted(width, look, title, plot_of, below, notice_text)
  look = args.options("lines", 2, look)
  local out = {}
  if title then show.text_into(out, title, width) end
  if look.plot ~= false then
    show.append(out, show.split(plot_of({ width = width, height = look.height, ascii = look.ascii, color = look.color,
      studies = look.studies })))
  end
  show.text_into(out, below, width)
  return show.text_into(out, notice_text, width)
end

--- curve:metrics() → {cmax=, tmax_h=, auc=, trough=, t_end_h=, step_h=}
function Curve:metrics()
  return { cmax = self:cmax(), tmax_h = self:tmax(), auc = self:auc(), trough = self:trough(), t_end_h = self:t_end(),
    step_h = self:step() }
end

-- The curve as JSON and CSV see it: its metrics, parameters and every sample
-- (points, the rows of its CSV).
local function curve_table(c)
  local points = {}
  for t, v in c:points() do points[#points + 1] = { t, v } end
  local m = c:metrics()
  return { kind = "curve", form = c.form, set = c.set, unit = c.unit, label = c.label, cmax = m.cmax,
    tmax_h = m.tmax_h, auc = m.auc, trough = m.trough, t_end_h = m.t_end_h, step_h = m.step_h, metrics = m,
    below_quantification = c.below_quantification, dose_ug = c.dose_ug,
    baseline = c.baseline and { level = c.offset, fact = c.baseline } or nil,
    notes = show.plain(c.notes),
    parameters = { ka = c.model.ka, ke = c.model.ke, F = c.model.F, V = c.model.V, lag = c.model.lag,
      facts = show.plain(c.params.sources) },
    -- CSV reads the points as its rows, under these columns (one copy: a year at 1-minute steps is large)
    params = show.plain(c.params), points = points, columns = { "time_h", value_column(c.unit) },
    notice = c.notice }
end

CURVE = shapes.define("pk.curve", { methods = Curve, to_table = curve_table,
  lines = function(c, width, look)
    return plotted(width, look, c.label .. " — " .. c.unit, function(o) return c:plot(o) end, c:metrics_text(), c.notice)
  end })

---------------------------------------------------------------- steady state

local STEADY -- the shape of steady states, below

--- k2.pk.steady_state{form=, dose=, every=} → {accumulation, t90_h, t50_h, peak, trough, tmax_h, auc_tau, ...}
---@param o k2.simulate_opts form, dose, every or per_day, and the model's options
---@return k2.steady_state|nil
---@return string? message
function pk.steady_state(o)
  args.options("steady_state", 1, o)
  local notes = {}
  local m, p = model_for(o, notes)
  if not m then return nil, p end
  local ug, err = amount(o.dose)
  if not ug then return nil, err end
  local tau
  if o.per_day then tau = HOURS_PER_DAY / o.per_day
  else
    tau, err = hours("every", o.every
      or fail("steady_state", ("option %s is required, e.g. '24h'"):format(args.name("steady_state", "every"))))
  end
  if not tau then return nil, err end
  local ss
  ss, err = core.pk_steady(m, ug, tau)
  if not ss then return nil, err end
  local k = dose_scale(p, m, ug) -- the core's unit is the peak of one dose of this size
  ss.peak, ss.trough, ss.average, ss.auc_tau = ss.peak * k, ss.trough * k, ss.average * k, ss.auc_tau * k
  ss.form, ss.set, ss.unit, ss.dose_ug, ss.every_h, ss.notes = p.form, p.set, p.unit, ug, tau, notes
  ss.sources, ss.conflicts, ss.notice = p.sources, p.conflicts, notice()
  -- every disagreement behind the set is spelled out: a steady state is where they matter most
  ss.disagreements = {}
  for _, id in ipairs(p.conflicts) do
    local c = store():conflict(id)
    if c then ss.disagreements[#ss.disagreements + 1] = ("disagreement %s: %s"):format(id, c.summary) end
  end
  return setmetatable(ss, STEADY)
end

local function steady_text(s)
  return table.concat({
    ("%s %s µg every %s h at steady state — %s"):format(s.form, core.format_number(s.dose_ug, 3), fmt(s.every_h), s.unit),
    ("peak %s at %s h after a dose · trough %s · average %s"):format(fmt(s.peak), fmt(s.tmax_h), fmt(s.trough), fmt(s.average)),
    ("accumulation %s (1/(1 − e^(−k·τ)), k the slower of ka and ke); peak %s× and AUC %s× the first dose's"):format(
      fmt(s.accumulation),
      fmt(s.peak_ratio), fmt(s.auc_ratio)),
    ("50%% of steady state after %s h (%s days), 90%% after %s h (%s days)"):format(fmt(s.t50_h), fmt(s.t50_h / HOURS_PER_DAY),
      fmt(s.t90_h), fmt(s.t90_h / HOURS_PER_DAY)),
    "facts: " .. table.concat(s.sources, ", ")
      .. (#s.conflicts > 0 and (" (sources disagree: " .. table.concat(s.conflicts, ", ") .. ")") or ""),
    unpack(s.disagreements),
  }, "\n") .. "\n" .. s.notice
end

STEADY = shapes.define("pk.steady_state", {
  lines = function(s, width) return show.text_into({}, steady_text(s), width) end,
  to_table = function(s)
    local t = show.plain(s)
    t.kind = "steady_state"
    return t
  end })

---------------------------------------------------------------- compare and population

local Comparison, COMPARISON = {}, nil -- methods, and their shape (below)

--- k2.pk.compare{ {form=, dose=, ...}, {form=, dose=, ...} } → comparison (plot, curves)
---@param list k2.simulate_opts[]
---@return k2.comparison|nil
---@return string? message naming the curve
function pk.compare(list)
  if type(list) ~= "table" or #list < 1 then args.error("compare", 1, "list of simulate options expected") end
  local curves, t1 = {}, 0
  for i, o in ipairs(list) do
    local c, err = pk.simulate(o)
    if not c then return nil, ("curve %d: %s"):format(i, err) end
    curves[i] = c
    t1 = math.max(t1, c:t_end())
  end
  -- Curves whose run length was left to k2 are run as long as the longest,
  -- so their AUCs and end values cover the same hours.
  for i, o in ipairs(list) do
    if curves[i]:t_end() < t1 and o.days == nil and o.doses == nil and o.duration == nil then
      local longer = {}
      for k, v in pairs(o) do longer[k] = v end
      longer.duration = t1
      local c, err = pk.simulate(longer)
      if not c then return nil, ("curve %d: %s"):format(i, err) end
      curves[i] = c
    end
  end
  return setmetatable({ curves = curves, t_end = t1, notice = notice() }, COMPARISON)
end

--- comparison:ratios() → per curve after the first: {cmax=, auc=} as multiples of the first curve's,
--- or nil when the units differ (ratios of levels in different units mean nothing)
function Comparison:ratios()
  local first, out = self.curves[1], {}
  for i = 2, #self.curves do
    local c = self.curves[i]
    if c.unit == first.unit then out[i - 1] = { cmax = c:cmax() / first:cmax(), auc = c:auc() / first:auc() } end
  end
  return out
end

--- comparison:metrics_text() → one line per curve: its label and metrics, then the ratios to the first
function Comparison:metrics_text()
  local out = {}
  for _, c in ipairs(self.curves) do out[#out + 1] = c.label .. ": " .. c:metrics_text():gsub("\n", "\n  ") end
  local ratios = self:ratios()
  for i = 2, #self.curves do
    local r = ratios[i - 1]
    out[#out + 1] = r and ("%s vs %s: Cmax %s×, AUC %s× (same unit: %s)"):format(self.curves[i].label,
      self.curves[1].label, fmt(r.cmax), fmt(r.auc), self.curves[1].unit)
      or ("%s vs %s: no ratio, the units differ"):format(self.curves[i].label, self.curves[1].label)
  end
  return table.concat(out, "\n")
end

function Comparison:plot(o)
  o = args.options("plot", 1, o)
  local width = o.width or PLOT.width.default
  local series, t1 = series_of(self.curves, math.max(20, (width - 10) * 2))
  local units = {}
  for _, c in ipairs(self.curves) do units[c.unit] = true end
  local unit = next(units, next(units)) and "mixed units: see each curve" or self.curves[1].unit
  return plot.lines({ series = series, t1 = t1, unit = unit, width = width, height = o.height or PLOT.height.default,
    ascii = o.ascii, color = o.color })
end

COMPARISON = shapes.define("pk.comparison", { methods = Comparison,
  lines = function(cmp, width, look)
    return plotted(width, look, nil, function(o) return cmp:plot(o) end, cmp:metrics_text(), cmp.notice)
  end,
  to_table = function(cmp)
    local curves = {}
    for i, c in ipairs(cmp.curves) do curves[i] = curve_table(c) end
    local ratios = {}
    for i = 2, #cmp.curves do
      local r = cmp:ratios()[i - 1]
      ratios[i - 1] = { label = cmp.curves[i].label, against = cmp.curves[1].label, cmax = r and r.cmax,
        auc = r and r.auc }
    end
    return { kind = "comparison", curves = curves, ratios = ratios, t_end_h = cmp.t_end, notice = cmp.notice }
  end })

local Population, POPULATION = {}, nil -- methods, and their shape (below)
-- JSON carries the bands at this many times over the run.
local POPULATION_SAMPLES = 200

--- k2.pk.population{form=, dose=, every=, days=, n=, cv = {ka=, ke=, V=}, seed=} → percentile bands over time
---@param o k2.population_opts
---@return k2.population|nil
---@return string? message
function pk.population(o)
  args.options("population", 1, o)
  local notes = {}
  local m, p = model_for(o, notes)
  if not m then return nil, p end
  local list, ug, every = schedule("population", o)
  if not list then return nil, ug end
  local run, step = run_and_step(o, m, list, every)
  if not run then return nil, step end
  local factor, unit = unit_factor(o, m, p) -- issue 17: the unit asked for, as simulate reads it
  if not factor then return nil, unit end
  local cv = { ka = o.cv.ka or 0, ke = o.cv.ke or 0, V = o.cv.V or 0 }
  local defaults = args.calls.population.by_name
  local n = o.n or defaults.n.default
  local ud, err = core.pk_population(m, cv, n, o.seed or defaults.seed.default, list, run, step, o.bands ~= false)
  if not ud then return nil, err end
  local info = ud:info()
  factor = factor * dose_scale(p, m, ug) -- the curves' unit, shared with simulate
  return setmetatable({ ud = ud, form = p.form, unit = unit, factor = factor, n = n, t_end = run, cv = cv,
    notes = notes, mean_cmax = info.mean_cmax * factor, mean_auc = info.mean_auc * factor, dose_ug = ug,
    every_h = every, bands = o.bands ~= false, notice = notice() }, POPULATION)
end

--- population:band(i) → the 5th, 50th and 95th percentiles at grid point i
function Population:band(i)
  local a, b, c = self.ud:band(i)
  return a * self.factor, b * self.factor, c * self.factor
end

--- population:sample(n) → three arrays of n values (5th, 50th, 95th percentiles) evenly over the run
function Population:sample(n)
  args.check("sample", 1, n, "integer")
  local p5, p50, p95 = self.ud:sample(n)
  if self.factor ~= 1 then
    for i = 1, #p50 do p5[i], p50[i], p95[i] = p5[i] * self.factor, p50[i] * self.factor, p95[i] * self.factor end
  end
  return p5, p50, p95
end

function Population:plot(o)
  o = args.options("plot", 1, o)
  local width = o.width or PLOT.width.default
  local p5, p50, p95 = self:sample(math.max(20, (width - 10) * 2))
  return plot.lines({ t1 = self.t_end, unit = self.unit, width = width, height = o.height or PLOT.height.default, ascii = o.ascii,
    color = o.color, series = { { name = "median", values = p50 }, { name = "95th percentile", values = p95 },
      { name = "5th percentile", values = p5 } } })
end

--- population:title(), population:metrics_text(): the lines above and below its plot
function Population:title()
  return ("%s %s µg, %d virtual subjects (CV ka %s, ke %s, V %s; log-normal) — %s"):format(self.form,
    core.format_number(self.dose_ug, 3), self.n, fmt(self.cv.ka), fmt(self.cv.ke), fmt(self.cv.V), self.unit)
end

function Population:metrics_text()
  local lines = { ("mean Cmax %s · mean AUC %s"):format(fmt(self.mean_cmax), fmt(self.mean_auc)),
    "note: the variability is what the caller gave, not a sourced figure" }
  for _, n in ipairs(self.notes) do lines[#lines + 1] = "note: " .. n end
  return table.concat(lines, "\n")
end

POPULATION = shapes.define("pk.population", { methods = Population,
  lines = function(pop, width, look)
    if not pop.bands then -- issue 17: a run without bands has no plot, only its means
      look = look or {}
      local copy = { plot = false }
      for k, v in pairs(look) do if k ~= "plot" then copy[k] = v end end
      look = copy
    end
    return plotted(width, look, pop:title(), function(o) return pop:plot(o) end, pop:metrics_text(), pop.notice)
  end,
  to_table = function(pop)
    local p5, p50, p95
    if pop.bands then p5, p50, p95 = pop:sample(POPULATION_SAMPLES) end
    return { kind = "population", form = pop.form, unit = pop.unit, subjects = pop.n, mean_cmax = pop.mean_cmax,
      mean_auc = pop.mean_auc, t_end_h = pop.t_end, p5 = p5, p50 = p50, p95 = p95, notes = show.plain(pop.notes),
      cv = show.plain(pop.cv), notice = pop.notice }
  end })

---------------------------------------------------------------- parameter sets

local function params_text(p)
  return table.concat({
    ("%s, set %s: %s"):format(p.form, p.set, p.about),
    ("ka %s/h · ke %s/h · half-life %s h · peak %s h · lag %s h · V %s · fat factor %s"):format(fmt(p.ka),
      core.format_number(p.ke, 5), fmt(p.half_life_h), fmt(p.tmax_h), fmt(p.lag),
      p.V > 0 and (fmt(p.V) .. " L") or "none (relative units)",
      p.fat_applies and fmt(p.fat) or (p.fat and ("none: no sourced fat factor for this matrix (%s; the factor %s was"
        .. " measured on %s)"):format(p.matrix or "?", fmt(p.fat), p.fat_matrix or "?")) or "no source"),
    "matrix: " .. (p.matrix or "not stated"),
    "concentrations: " .. p.unit .. (p.baseline and ("; a measured baseline (baseline = true): " .. p.baseline) or ""),
    "from the facts: " .. table.concat(p.sources, ", "),
    #p.conflicts > 0 and ("sources disagree: " .. table.concat(p.conflicts, ", ")) or "sources agree",
  }, "\n")
end

pk.Params = shapes.define("pk.params", { lines = function(p, width) return show.text_into({}, params_text(p), width) end })

--- k2.pk.sets(form) → the names of the form's parameter sets, in data order
--- (read from the store's refusal of a set that cannot exist, which lists them).
---@param form string
---@return string[]|nil
---@return string? message
function pk.sets(form)
  args.check("sets", 1, form, "string")
  local canonical, err = store():form(form)
  if not canonical then return nil, err end
  local _, message = store():pk_params(canonical, "\1")
  local names = {}
  for _, name in ipairs(args.split_list(tostring(message):match("known: ([^;(]*)") or "")) do names[#names + 1] = name end
  return names
end

---------------------------------------------------------------- published levels (issue 12)

-- The form asked for, canonical, or nil for every form.
local function form_option(fname, o)
  o = args.options(fname, 1, o)
  if o.form == nil then return true, nil end
  local form, err = store():form(o.form)
  if not form then return nil, err end
  return true, form
end

--- k2.pk.studies{form=} → the published blood levels in k2's data (every
--- form without one): dose, food, subjects, times, level, how it was read,
--- and what a curve can be compared with. Prints as a list.
---@param o? {form?: string}
---@return table|nil list of {id, form, source, dose, amount, food, subjects, times, level, read, confirmed, measures}
---@return string? message for an unknown form
function pk.studies(o)
  local ok, form = form_option("studies", o)
  if not ok then return nil, form end
  return setmetatable(studies.of(store(), form), studies.List)
end

--- k2.pk.validate{form=} → every parameter set of the form (or of every
--- form) against every study of it, with the fold error of each measure;
--- prints as a table.
---@param o? {form?: string}
---@return table|nil {form, rows = {study, set, measure, observed, model, model_unit, fold, why}}
---@return string? message for an unknown form
function pk.validate(o)
  local ok, form = form_option("validate", o)
  if not ok then return nil, form end
  return setmetatable(studies.validate(pk, store(), form), studies.Validation)
end

-- Printing the module (in the REPL, `k2.pk`) says what it offers.
return setmetatable(pk, { __tostring = function()
  return table.concat({ "k2.pk: vitamin K in the blood over time (one compartment, exact between doses)",
    "  k2.pk.simulate{form = \"MK-7\", dose = \"180 ug\", every = \"24h\", days = 30}   --> curve (prints as a plot)",
    "  k2.pk.steady_state{form = \"MK-7\", dose = \"180 ug\", every = \"24h\"}",
    "  k2.pk.compare{ {form = \"MK-4\", dose = \"180 ug\"}, {form = \"MK-7\", dose = \"180 ug\"} }",
    "  k2.pk.params(\"MK-4\"), k2.pk.params(\"MK-4\", \"label\")   --> a parameter set and its facts",
    "  k2.pk.population{form = \"MK-7\", dose = \"180 ug\", days = 30, n = 1000, cv = {ka = 0.3, ke = 0.3}}",
    "  k2.pk.studies{form = \"MK-4\"}, k2.pk.validate()   --> published levels, and every set held against them" },
    "\n")
end })
