-- args_spec.lua: lua/k2/args.lua — the description of every call's options
-- and the one checker behind every `bad argument` error — under Lua 5.4 and
-- LuaJIT. The limits come from the core (k2.core.limits), never from here.

local k2 = require("k2") -- finds the core that k2.args reads its limits from
local args = require("k2.args")
local limits = require("k2.core").limits

local TYPES = { string = true, integer = true, number = true, boolean = true, list = true, table = true }
local KINDS = { forms = true, topics = true, evidence = true, sexes = true, purposes = true, medicines = true,
  conditions = true, sets = true, populations = true, form_names = true }

local function raises(pattern, fn, ...)
  local ok, err = pcall(fn, ...)
  assert(not ok, "no error raised")
  assert(tostring(err):find(pattern, 1, true), ("error %q lacks %q"):format(tostring(err), pattern))
  return err
end

describe("args.calls", function()
  it("describes every public call that takes options, each option with a type, help and example", function()
    for _, name in ipairs({ "search", "facts", "dose", "timing", "check", "simulate", "steady_state", "population",
      "compare", "plot", "svg", "lines" }) do
      assert.is_table(args.calls[name], name)
    end
    for name, call in pairs(args.calls) do
      for _, o in ipairs(call.options or {}) do
        local where = name .. "." .. o.name
        assert.is_true(TYPES[o.type], where .. " type " .. tostring(o.type))
        assert.is_string(o.help, where)
        assert.is_string(o.example, where)
        assert.is_true(o.cli == false or o.cli:match("^%-%-") ~= nil, where)
        assert.equal(o, call.by_name[o.name], where)
        if o.complete then assert.is_true(KINDS[o.complete], where) end
      end
    end
  end)

  it("takes its limits from the core", function()
    assert.equal(limits.search_max_limit, args.calls.search.by_name.limit.max)
    assert.equal(limits.pk_max_doses, args.calls.simulate.by_name.doses.max)
    assert.equal(limits.pk_max_subjects, args.calls.population.by_name.n.max)
    assert.equal(limits.duration_max_h / 24, args.calls.simulate.by_name.days.max)
  end)

  it("names vocabularies that k2.vocab serves, each a non-empty list of names", function()
    for kind in pairs(KINDS) do
      local names = k2.vocab(kind)
      assert.is_true(#names > 0, kind)
      for _, n in ipairs(names) do assert.is_string(n, kind) end
    end
    assert.same({ "K", "K1", "K2", "K3", "MK-4", "MK-7" }, k2.vocab("forms"))
    local names = k2.vocab("form_names")
    local first = {}
    for i = 1, 6 do first[i] = names[i] end
    assert.same({ "K", "K1", "K2", "K3", "MK-4", "MK-7" }, first)
    for _, name in ipairs(names) do
      assert.truthy(k2.form(name), name .. " is offered but not read as a form")
    end
    assert.truthy(table.concat(names, " "):find("phylloquinone", 1, true), "the other names follow")
    local meds = {}
    for _, m in ipairs(k2.vocab("medicines")) do meds[m] = true end
    assert.is_true(meds.warfarin and meds.coumadin and meds.orlistat, "names and brands the rules know")
    raises("unknown vocabulary 'nope'; known: conditions, evidence, form_names, forms", k2.vocab, "nope")
  end)
end)

describe("args.check", function()
  it("passes a right value through and names the argument of a wrong one", function()
    assert.equal("x", args.check("f", 1, "x", "string"))
    assert.is_nil(args.check("f", 2, nil, "string?"))
    raises("bad argument #3 to 'f' (string expected, got number)", args.check, "f", 3, 7, "string")
    raises("bad argument #1 to 'f' (integer expected, got number)", args.check, "f", 1, 1.5, "integer")
  end)

  it("raises at the caller's line, outside k2", function()
    local ok, err = pcall(function() k2.parse_dose(5) end)
    assert.is_false(ok)
    assert.matches("args_spec%.lua:%d+: bad argument #1 to 'parse_dose'", err)
    ok, err = pcall(function() k2.pk.simulate({ form = "MK-7", dose = "1 mg", evry = "1h" }) end)
    assert.is_false(ok)
    assert.matches("args_spec%.lua:%d+: bad argument #1 to 'simulate' %(unknown option 'evry'", err)
  end)
end)

describe("args.options", function()
  it("accepts nil for calls whose options may be left out, and a table otherwise", function()
    assert.same({}, args.options("dose", 1, nil))
    raises("bad argument #1 to 'check' (table expected, got nil)", args.options, "check", 1, nil)
  end)

  it("names unknown keys with what is known, wrong types and values out of range", function()
    raises("unknown option 'frm'; known: age, breastfeeding, form, lactating, months, pregnant, purpose, sex",
      args.options, "dose", 1, { frm = 1 })
    raises("option 'limit' must be an integer, got string", args.options, "search", 2, { limit = "3" })
    raises(("option 'limit' must be a whole number from 1 to %d"):format(limits.search_max_limit),
      args.options, "search", 2, { limit = 0 })
    raises("option 'days' must be a number from above 0 to 3660", args.options, "simulate", 1,
      { form = "MK-7", dose = "1 mg", days = 0 })
    raises("option 'unit' must be 'ng/mL' or 'nmol/L'", args.options, "simulate", 1, { form = "K1", dose = 1, unit = "mg" })
    raises("option 'dose' must be text like '180 ug' or a number of µg, got table", args.options, "simulate", 1,
      { form = "K1", dose = {} })
    raises("option 'form' is required", args.options, "simulate", 1, { dose = "1 mg" })
    raises("option 'cv' field 'ka' must be a number, got string", args.options, "population", 1,
      { form = "K1", dose = "1 mg", cv = { ka = "x" } })
    raises("option 'cv' is required, e.g. cv = {ka = 0.3, ke = 0.3}: k2 has no sourced variability figures",
      args.options, "population", 1, { form = "K1", dose = "1 mg" })
  end)

  it("leaves the range of a user's figure to the call, which answers it", function()
    assert.is_table(args.options("dose", 1, { age = 200 }))
    local d, err = k2.dose({ form = "MK-7", age = 200 })
    assert.is_nil(d)
    assert.matches("give an age from 0 to 130 years", err)
  end)

  it("takes a list as an array of strings, or one text", function()
    assert.is_table(args.options("check", 1, { meds = { "warfarin", "orlistat" } }))
    assert.is_table(args.options("check", 1, { meds = "warfarin" }))
    raises("option 'meds' must be a list like", args.options, "check", 1, { meds = { a = "warfarin" } })
    raises("option 'meds' must be a list of strings, got number", args.options, "check", 1, { meds = 42 })
  end)

  it("refuses options that say the same thing twice, or that mean nothing without another", function()
    local base = { form = "MK-7", dose = "180 ug" }
    local function with(extra)
      local o = {}
      for k, v in pairs(base) do o[k] = v end
      for k, v in pairs(extra) do o[k] = v end
      return o
    end
    raises("give 'every' or 'per_day', not both", args.options, "simulate", 1, with({ every = "12h", per_day = 2 }))
    raises("give 'days' or 'doses', not both", args.options, "simulate", 1, with({ every = "24h", days = 2, doses = 5 }))
    raises("give 'duration' or 'days', not both", args.options, "simulate", 1, with({ days = 1, duration = "2d" }))
    raises("'doses' needs 'every' or 'per_day'", args.options, "simulate", 1, with({ doses = 5 }))
    raises("give 'at' or 'doses', not both", args.options, "simulate", 1, with({ at = { 0, "12h" }, doses = 2 }))
    assert.is_table(args.options("simulate", 1, with({ per_day = 2, doses = 4 })))
  end)
end)

describe("args.use_names", function()
  after_each(function() args.use_names(nil) end)

  it("lets a front end name options as its user spells them, and raise the bare problem", function()
    assert.equal("'per_day'", args.name("simulate", "per_day"))
    args.use_names(function(o) return o.cli end)
    assert.equal("--per-day", args.name("simulate", "per_day"))
    local ok, err = pcall(k2.pk.population, { form = "MK-7", dose = "180 ug", n = 0, cv = { ka = 0.3 } })
    assert.is_false(ok)
    -- under a front end's names the error is an object of kind "value" (exit 1) or "usage" (exit 2)
    assert.equal("value", err.kind)
    assert.equal("option --population must be a whole number from 2 to " .. limits.pk_max_subjects
      .. " (the limit pk_max_subjects)", tostring(err))
    ok, err = pcall(k2.pk.simulate, { form = "MK-7", dose = "180 ug", every = "24h" })
    assert.is_false(ok)
    assert.equal("usage", err.kind)
    assert.equal("with --every or --per-day, give --days or --doses", tostring(err))
    ok, err = pcall(k2.pk.population, { form = "MK-7", dose = "180 ug" })
    assert.is_false(ok)
    assert.equal("option --cv is required: k2 has no sourced variability figures", tostring(err))
    ok, err = pcall(k2.pk.simulate, { dose = "180 ug" })
    assert.is_false(ok)
    assert.equal("option --form is required, e.g. --form MK-7", tostring(err))
    args.use_names(nil)
    ok, err = pcall(k2.pk.simulate, { form = "MK-7", dose = "180 ug", every = "24h" })
    assert.is_false(ok)
    assert.matches("bad argument #1 to 'simulate' %(with 'every' or 'per_day', give 'days' or 'doses'%)", err)
  end)
end)

describe("args.split_list", function()
  it("is the one comma-list splitter: trimmed items, no empty ones", function()
    assert.same({ "warfarin sodium", "Eliquis" }, args.split_list("warfarin sodium, Eliquis"))
    assert.same({ "a", "b" }, args.split_list(" a ,, b , "))
    assert.same({}, args.split_list(""))
  end)
end)

describe("args.width and args.dose_text", function()
  it("takes 78 for nil and an integer of at least 20", function()
    assert.equal(78, args.width("lines", nil))
    assert.equal(40, args.width("lines", 40))
    raises("bad argument #1 to 'lines' (integer from 20 to 400 (the limit plot_max_columns) expected, got 19)",
      args.width, "lines", 19)
    raises("(integer from 20 to 400 (the limit plot_max_columns) expected, got string)", args.width, "lines", "wide")
    raises("expected, got 401)", args.width, "lines", 401)
  end)

  it("reads doses and durations given as text or numbers, once for every call", function()
    assert.equal(180, args.dose_ug("0.18 mg"))
    assert.equal(180, args.dose_ug(180))
    local ug, err = args.dose_ug(limits.dose_max_ug + 1)
    assert.is_nil(ug)
    assert.matches("at most 1 g", err)
    assert.is_nil((args.dose_ug(0 / 0)))
    assert.equal(72, args.hours("duration", "3d"))
    assert.equal(1.5, args.hours("duration", 1.5))
    local h, herr = args.hours("step", -1)
    assert.is_nil(h)
    assert.equal("step -1 h: must be above 0 and at most 87840 h (3660 days, the limit duration_max_h)", herr)
    assert.is_nil((args.hours("duration", limits.duration_max_h + 1))) -- numbers capped as text is
  end)

  it("states a limit from its value", function()
    assert.equal("1 g", args.dose_text(limits.dose_max_ug))
    assert.equal("45 mg", args.dose_text(45000))
    assert.equal("180 µg", args.dose_text(180))
  end)
end)
