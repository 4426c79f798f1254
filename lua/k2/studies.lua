--- k2.studies: the published blood levels behind the model (issue 12) —
--- k2.pk.studies lists them, k2.pk.validate holds every parameter set of a
--- form against every study of that form. The records come from
--- data/studies/observations.rec through the store (store:rules(), kind
--- Observation); what each measured is read by k2.measures.
---
--- The error is the fold error, max(model/observed, observed/model): 1 is
--- an exact match, 2 means off by a factor of two either way; inside a
--- measured range (a peak "at 6-10 h") it is 1. A level or area can only be
--- compared for a set whose scale is calibrated (a volume, so ng/mL or
--- nmol/L); a set in relative units is compared on the peak time alone.
--- Units: hours; ng/mL or nmol/L; areas in ng·h/mL or nmol·h/L.

local core = require("k2.core")
local show = require("k2.show")
local shapes = require("k2.shapes")
local measures = require("k2.measures")

local studies = {}

-- A choice, not a sourced figure: an area to infinity is taken over this
-- many of the slower half-lives after the lag.
local TAIL_HALF_LIVES = 20

-- The study records of the store, of one form (canonical) or of all.
function studies.of(store, form)
  local out = {}
  for _, r in ipairs(assert(store:rules())) do
    if r.kind == "Observation" and (form == nil or r.Form == form) then
      out[#out + 1] = { id = r.id, form = r.Form, source = r.Source, dose = r.Dose, amount = r.Amount,
        food = r.Food, subjects = r.Subjects, times = r.Times, level = r.Level, spread = r.Spread, unit = r.Unit,
        read = r.Read, confirmed = r.Confirmed == "yes", note = r.Note,
        measures = assert(measures.parse(r.Measured)) } -- checked when the image was built
    end
  end
  return out
end

-- "tmax 3.7 h", "auc 0-9 27.55 nmol·h/L": a measure as the data writes it.
local function measure_text(m)
  if m.what == "not detected" then return "not detected" end
  local value = m.low == m.high and core.format_number(m.low, 4)
    or (core.format_number(m.low, 4) .. "-" .. core.format_number(m.high, 4))
  local span = m.what == "auc" and (" %s-%s"):format(core.format_number(m.from_h, 2),
    m.to_h == math.huge and "inf" or core.format_number(m.to_h, 2)) or ""
  return ("%s%s %s %s"):format(m.what, span, value, m.unit)
end

local function study_lines(list, width)
  local out = {}
  if #list == 0 then return { "no published blood levels in k2's data for this form" } end
  for i, s in ipairs(list) do
    local what = {}
    for _, m in ipairs(s.measures) do what[#what + 1] = measure_text(m) end
    show.wrap_into(out, ("%s · %s · %s [%s]"):format(s.id, s.form, s.dose, s.source), width, "    ", "")
    show.wrap_into(out, ("%s; %s; sampled %s"):format(s.subjects, s.food, s.times), width, "    ", "  ")
    show.wrap_into(out, "level: " .. s.level .. (s.spread and ("; spread " .. s.spread) or ""), width, "    ", "  ")
    show.wrap_into(out, ("read from: %s%s"):format(s.read, #what > 0 and ("; compared: " .. table.concat(what, "; "))
      or "; nothing the model can be compared with"), width, "    ", "  ")
    if s.note then show.wrap_into(out, "note: " .. s.note, width, "    ", "  ") end
    if i < #list then out[#out + 1] = "" end
  end
  return out
end

studies.List = shapes.define("pk.studies", { lines = study_lines,
  to_table = function(list) return { kind = "studies", studies = show.plain(list) } end })

---------------------------------------------------------------- points on a curve

--- studies.points(store, curve, parse_dose) → the points {t, v, label} of the
--- studies a curve can be drawn against — a single dose of the study's
--- amount, of its form, in the unit of its peak level — and, when there are
--- none, a note saying what would match. A peak measured as a range of
--- times is drawn at its middle, the label giving the range.
function studies.points(store, c, parse_dose)
  local out = {}
  for _, s in ipairs(studies.of(store, c.form)) do
    local ug = s.amount and parse_dose(s.amount)
    local tmax, cmax
    for _, m in ipairs(s.measures) do
      if m.what == "tmax" then tmax = m elseif m.what == "cmax" then cmax = m end
    end
    if tmax and cmax and cmax.level_unit == c.unit and c.doses == 1 and ug
      and math.abs(ug - c.dose_ug) <= 1e-9 * ug then
      out[#out + 1] = { t = (tmax.low + tmax.high) / 2, v = cmax.low,
        label = ("%s, %s: peak %s at %s"):format(s.source, s.dose, measure_text(cmax):gsub("^cmax ", ""),
          measure_text(tmax):gsub("^tmax ", "")) }
    end
  end
  if #out > 0 then return out, nil end
  return out, ("no published peak of %s after one %s dose in %s (k2.pk.studies lists them)"):format(c.form,
    core.format_number(c.dose_ug, 4) .. " µg", c.unit:match("^relative") and "relative units" or c.unit)
end

---------------------------------------------------------------- validation

-- The model's value for measure m on curve c (in the curve's unit), or nil, why not.
local function model_value(c, m)
  if m.what == "tmax" then return c:tmax() end
  if c.unit ~= m.level_unit then
    return nil, "a set in relative units (no calibrated volume) is compared on the peak time only"
  end
  if m.what == "cmax" then return c:cmax() end
  return c:auc(m.from_h, math.min(m.to_h, c:t_end()))
end

-- The curve a study's dose makes with a set: long enough for every measure.
local function curve_for(pk, s, p, m)
  local slow = math.log(2) / math.min(p.ka, p.ke)
  local run = (p.lag or 0) + TAIL_HALF_LIVES * slow
  if m.to_h and m.to_h < math.huge then run = math.max(run, m.to_h) end
  if m.high and m.what == "tmax" then run = math.max(run, 2 * m.high) end
  run = math.min(run, core.limits.duration_max_h)
  local unit = (m.level_unit == "ng/mL" or m.level_unit == "nmol/L") and p.V > 0 and m.level_unit or nil
  if unit and unit ~= "ng/mL" and not p.mol_weight then unit = nil end
  return pk.simulate({ form = s.form, set = p.set, dose = s.amount, duration = run, unit = unit })
end

-- One row per study, set and measure.
local function rows_for(pk, s, set)
  local p, unavailable = pk.params(s.form, set)
  if not p then -- a set data keeps to say why it has no numbers (MK-4 at food levels)
    return { { study = s.id, source = s.source, form = s.form, set = set, dose = s.amount, measure = "set",
      observed = "—", why = ("set %s has no parameters to compare"):format(set), unavailable = unavailable } }
  end
  local out = {}
  for _, m in ipairs(s.measures) do
    local row = { study = s.id, source = s.source, form = s.form, set = set, dose = s.amount, measure = m.what,
      observed = measure_text(m) }
    if m.what == "not detected" then
      local c = assert(curve_for(pk, s, p, m))
      row.model, row.model_unit = c:cmax(), c.unit
      row.why = "the study detected nothing and k2 has no quantification limit to compare the model's peak with"
    else
      local c, err = curve_for(pk, s, p, m)
      local v, why = nil, err
      if c then v, why = model_value(c, m) end
      row.model, row.model_unit, row.why = v, m.what == "tmax" and "h" or m.unit, why
      row.fold = v and measures.fold(v, m)
    end
    out[#out + 1] = row
  end
  return out
end

--- studies.validate(pk, store, form) → every set of the form (or of every
--- form) against every study of it: {rows = {...}, form}.
function studies.validate(pk, store, form)
  local rows = {}
  for _, s in ipairs(studies.of(store, form)) do
    if #s.measures > 0 then
      for _, set in ipairs(pk.sets(s.form)) do
        for _, row in ipairs(rows_for(pk, s, set)) do rows[#rows + 1] = row end
      end
    end
  end
  return { form = form, rows = rows }
end

local function fold_text(row)
  if row.fold then return core.format_number(row.fold, 2) end
  return "—"
end

local function model_text(row)
  if not row.model then return "—" end
  local unit = row.model_unit:match("^relative") and "relative" or row.model_unit
  return core.format_number(row.model, row.model >= 100 and 0 or 3) .. " " .. unit
end

-- Text padded to n columns: a character is one column (µ and · are two bytes).
local function pad(text, n)
  local _, chars = text:gsub("[^\128-\191]", "")
  return text .. (" "):rep(math.max(1, n - chars))
end

local function validation_lines(v, width)
  local out = show.wrap_into({}, "fold error = max(model/observed, observed/model): 1 is exact, and 1 inside a"
    .. " measured range", width, "  ", "")
  local cols = { 22, 15, 23, 15 }
  local function row_text(a, b, c, d, e) return pad(a, cols[1]) .. pad(b, cols[2]) .. pad(c, cols[3]) .. pad(d, cols[4]) .. e end
  out[#out + 1] = row_text("study", "set", "observed", "model", "fold")
  for _, r in ipairs(v.rows) do
    out[#out + 1] = row_text(r.study, r.set, r.observed, model_text(r), fold_text(r))
  end
  local said = {}
  for _, r in ipairs(v.rows) do
    if r.why and not said[r.why] then
      said[r.why] = true
      show.wrap_into(out, "— " .. r.why, width, "    ", "  ")
    end
  end
  return out
end

studies.Validation = shapes.define("pk.validation", { lines = validation_lines,
  to_table = function(v) return { kind = "validation", form = v.form, rows = show.plain(v.rows),
    error = "fold error: max(model/observed, observed/model)" } end })

return studies
