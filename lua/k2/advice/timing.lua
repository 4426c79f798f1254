--- k2.advice.timing: k2.timing — when to take it, from the TimingSource
--- rules of data/advice.rec (with food that has fat, any hour) and what the
--- pharmacokinetic model says about the hours after a dose: when the level
--- peaks, when it falls below half the peak, and how long daily doses take
--- to reach 90 % of their steady state.
---
--- Units: hours. The model is the pk module the caller hands in.

local core = require("k2.core")
local args = require("k2.args")
local show = require("k2.show")
local answer = require("k2.advice.answer")

local timing = {}

-- What the answer computes (definitions, not sourced figures): the time until
-- one dose falls below this fraction of its peak, and steady state on dosing
-- once a day; the bisection halves the interval until it is this narrow (hours:
-- far below the tenth of an hour the answer shows, and some 30 halvings).
local BELOW_FRACTION, DAILY_H, PRECISION_H = 0.5, 24, 1e-6

-- The model's times after one dose; they do not depend on its size, so the dose is the reference unit.
local function model_times(pk, form, set)
  local c = assert(pk.simulate({ form = form, set = set, dose = 1 }))
  local peak = c:cmax()
  local lo, hi = c:tmax(), c:t_end()
  while hi - lo > PRECISION_H do
    local mid = (lo + hi) / 2
    if c:at(mid) > peak * BELOW_FRACTION then lo = mid else hi = mid end
  end
  local t90 = assert(pk.steady_state({ form = form, set = set, dose = 1, every = DAILY_H })).t90_h
  return c:tmax(), (lo + hi) / 2, t90
end

-- The same times, computed once per pk module, form and parameter set (the
-- model never changes; a simulation and a steady state cost ~130 µs).
local times_of = setmetatable({}, { __mode = "k" })
local function kept_model_times(pk, form, set)
  local per_pk = times_of[pk] or {}
  times_of[pk] = per_pk
  local key = form .. "\0" .. tostring(set)
  if not per_pk[key] then per_pk[key] = { model_times(pk, form, set) } end
  local t = per_pk[key]
  return t[1], t[2], t[3]
end

local function hours_text(h) return h and (core.format_number(h, h < 10 and 1 or 0) .. " h") or "?" end

local function lines(a, width)
  local out = show.wrap_into({}, ("%s timing: %s"):format(a.form, a.with_food
    and ("whatever hour suits, together with food that has some fat in it [%s]"):format(a.food_evidence)
    or "no timing advice in the data"), width, "  ", "")
  answer.warnings_into(out, a, width)
  if a.tmax_h then
    show.wrap_into(out, ("after a dose the level peaks at %s, falls below half the peak at %s; taken daily it"
      .. " reaches 90%% of its steady state after %s (%s days)"):format(hours_text(a.tmax_h), hours_text(a.below_half_h),
      hours_text(a.t90_h), core.format_number(a.t90_h / DAILY_H, 1)), width, "  ", "  ")
  end
  answer.basis_into(out, a.basis, "  basis:", width)
  return answer.tail_into(out, a, width)
end

timing.Timing = answer.define("timing", lines)

--- timing.answer(R, pk, o) → a timing answer | nil, message (o checked by args.options).
function timing.answer(R, pk, o)
  local form, err = R:form(o.form or args.calls.timing.by_name.form.default)
  if not form then return nil, err end
  local a = { form = form, basis = {}, notes = {}, with_food = false, fat = false, time_of_day = "any",
    warnings = answer.form_warnings(R, form), notice = R:notice() }
  local kinds = {} -- the evidence types behind "with food", for the headline
  for _, src in ipairs(R:for_form("TimingSource", form)) do
    for _, id in ipairs(src.facts) do a.basis[#a.basis + 1] = R:fact(id) end
    if src.WithFood == "yes" then
      a.with_food, a.fat = true, true
      for _, id in ipairs(src.facts) do kinds[#kinds + 1] = R:fact(id).evidence end
    end
  end
  a.food_evidence = answer.distinct(kinds)
  local p, perr = pk.params(form, o.set)
  if not p and o.set ~= nil then return nil, perr end
  if p then
    a.tmax_h, a.below_half_h, a.t90_h = kept_model_times(pk, form, o.set)
    a.params = p
    a.notes[#a.notes + 1] = ("computed by the model (%s, set %s; facts: %s)"):format(form, p.set,
      table.concat(p.sources, ", "))
    for _, id in ipairs(p.sources) do a.basis[#a.basis + 1] = R:fact(id) end
  else
    a.notes[#a.notes + 1] = ("no pharmacokinetic model for %s, so no times are computed"):format(form)
  end
  local all = {}
  for _, f in ipairs(a.basis) do all[#all + 1] = f end
  for _, w in ipairs(a.warnings) do for _, id in ipairs(w.facts) do all[#all + 1] = R:fact(id) end end
  a.conflicts = answer.conflicts_of(R, all)
  a.sources = answer.sources_of(all)
  return setmetatable(answer.shaped(a), timing.Timing)
end

return timing
