--- k2.advice: dose, timing and safety answers (k2.dose, k2.timing,
--- k2.check) from the rules in data/advice.rec, the facts they cite and the
--- pharmacokinetic model. advice.new{store = fn, pk = module} gives the three
--- calls and the notice; `store` returns the store handle (opened on first
--- use), `pk` is the model the timing answer runs. Each answer lives in its
--- own file (dose.lua, timing.lua, check.lua; rules.lua reads the rules and
--- answer.lua holds what the answers share); this file checks the options
--- and hands each call to its answer.

local args = require("k2.args")
local rules = require("k2.advice.rules")

local advice = {}

--- advice.new{store = function() → store handle, pk = pk module [, rules = function() → loaded rules]}
--- → {dose, timing, check, notice}; `rules` shares rules already read (k2.advice.rules.load).
function advice.new(o)
  local R
  local function loaded()
    if not R then R = o.rules and o.rules() or rules.load(o.store()) end
    return R
  end
  local calls = {}

  --- k2.dose{form=, age=, months=, sex=, purpose=, pregnant=, breastfeeding=} → dose answer | nil, message
  function calls.dose(opts)
    opts = args.options("dose", 1, opts)
    return require("k2.advice.dose").answer(loaded(), opts)
  end

  --- k2.timing{form=, set=} → timing answer | nil, message
  function calls.timing(opts)
    opts = args.options("timing", 1, opts)
    return require("k2.advice.timing").answer(loaded(), o.pk, opts)
  end

  --- k2.check{form=, dose=, age=, months=, sex=, pregnant=, breastfeeding=, meds=, conditions=, duration=}
  --- → check answer | nil, message
  function calls.check(opts)
    args.options("check", 1, opts)
    return require("k2.advice.check").answer(loaded(), opts)
  end

  --- k2.notice() → the notice every dosing and safety answer carries
  function calls.notice() return loaded():notice() end

  return calls
end

return advice
