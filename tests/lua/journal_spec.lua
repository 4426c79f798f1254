-- journal_spec: k2.journal (issue 15) on real SQLite files in a temporary folder. The level is
-- checked against the closed form of the one-compartment model with first-order absorption,
-- superposed over the logged doses: C(T) = Σ D_i/D_ref · g(T − t_i), g(t) = (e^(−ke·t) −
-- e^(−ka·t)) / (e^(−ke·tmax) − e^(−ka·tmax)), tmax = ln(ka/ke)/(ka − ke) (Gibaldi & Perrier,
-- Pharmacokinetics, 2nd ed., ch. 1; the relative unit of lua/k2/pk.lua), to 1e-9 relative.
-- Foods: USDA SR24 raw spinach 482.9 µg K1/100 g, 1 cup = 30 g (144.87 µg). Thresholds: K1
-- 150 µg/day lowered the INR, 100 did not (Schurgers 2004, facts ix.warfarin.k1-*.s04).
-- Times are fixed ISO 8601 instants with their offsets, so days do not depend on the zone.
local k2 = require("k2")

local dir = os.tmpname()
os.remove(dir)
assert(os.execute("mkdir -p " .. dir))

local function path(name) return dir .. "/" .. name end
local function near(got, want, what)
  assert(type(got) == "number", (what or "value") .. ": no number")
  assert(math.abs(got - want) <= 1e-9 * math.max(1e-12, math.abs(want)),
    ("%s: got %.12g, want %.12g"):format(what or "value", got, want))
end
local function read(p)
  local f = assert(io.open(p, "rb"))
  local s = f:read("*a")
  f:close()
  return s
end
local function exists(p)
  local f = io.open(p, "rb")
  if f then f:close() end
  return f ~= nil
end
local function utc(iso) return (k2.journal and require("k2.core").parse_time(iso, 2 ^ 40)) end

describe("k2.journal", function()
  teardown(function() os.execute("rm -rf " .. dir) end)

  it("creates its file on the first write only, and names the default place", function()
    local p = path("a/b/j.sqlite")
    local j = assert(k2.journal.open(p))
    assert.is_false(exists(p))
    assert.equal(0, #j:entries())
    assert.matches("not created yet", tostring(j))
    assert.is_false(exists(p))
    assert.equal(1, j:add({ form = "mk7", dose = "180 ug", at = "2025-01-10T08:00:00+01:00" }))
    assert.is_true(exists(p))
    assert.matches("1 entry", tostring(j))
    j:close()
    assert.equal("k2.journal (closed)", tostring(j))
    assert.error_matches(function() j:entries() end, "closed k2 journal")
    local env = { XDG_DATA_HOME = "/x/data", HOME = "/home/u" }
    assert.equal("/x/data/k2/journal.sqlite", k2.journal.default_path(function(k) return env[k] end))
    env.XDG_DATA_HOME = nil
    assert.equal("/home/u/.local/share/k2/journal.sqlite", k2.journal.default_path(function(k) return env[k] end))
  end)

  it("keeps doses and foods with their forms, times and offsets, in time order", function()
    local j = assert(k2.journal.open(path("entries.sqlite")))
    local d = assert(j:add({ form = "MK-7", dose = 180, at = "2025-01-10T08:00:00+01:00", note = "breakfast" }))
    local f = assert(j:add({ food = "spinach, raw", amount = "1 cup", at = "2025-01-09T12:30:00Z" }))
    local g = assert(j:add({ food = "1 cup raw spinach", at = utc("2025-01-10T06:00:00Z") }))
    local list = j:entries()
    assert.same({ f, g, d }, { list[1].id, list[2].id, list[3].id })
    assert.equal("food", list[1].kind)
    assert.equal("11457", list[1].food)
    near(list[1].grams, 30, "grams")
    near(list[1].amounts[1].ug, 144.87, "K1 in a cup of raw spinach")
    assert.equal("K1", list[1].amounts[1].form)
    assert.equal(3600, list[3].offset)
    assert.equal(utc("2025-01-10T07:00:00Z"), list[3].at)
    assert.equal("breakfast", list[3].note)
    assert.same({ "MK-7", 180 }, { list[3].amounts[1].form, list[3].amounts[1].ug })
    local window = j:entries({ from = "2025-01-10T00:00:00Z", to = "2025-01-10T06:59:59Z" })
    assert.equal(1, #window)
    assert.equal(g, window[1].id)
    assert.matches("#%d+%s+2025%-01%-10 08:00 %+01:00%s+MK%-7 180 µg", table.concat(list:lines(100), "\n"))
    local csv = list:csv_table()
    assert.equal("id", csv.columns[1])
    assert.equal(3, #csv.rows)
    j:close()
  end)

  it("answers nil, message for what people write wrong, and raises for calls written wrong", function()
    local j = assert(k2.journal.open(path("bad.sqlite")))
    local id, msg = j:add({ form = "MK-7", dose = "lots" })
    assert.is_nil(id)
    assert.matches("dose", msg)
    id, msg = j:add({ form = "vitamin Q", dose = "1 mg" })
    assert.is_nil(id)
    assert.matches("MK%-7", msg)
    id, msg = j:add({ form = "MK-7", dose = "1 mg", at = "next week" })
    assert.is_nil(id)
    assert.matches("yesterday 21:30", msg)
    id, msg = j:add({ food = "spinach" }) -- no amount
    assert.is_nil(id)
    assert.is_string(msg)
    assert.has_error(function() j:add({}) end)
    assert.has_error(function() j:add({ form = "MK-7", dose = "1 mg", food = "kale" }) end)
    assert.has_error(function() j:add({ form = "MK-7", dose = "1 mg", when = "now" }) end)
    assert.has_error(function() j:add({ form = "MK-7", dose = "1 mg", at = 1.5 }) end)
    assert.has_error(function() j:remove("1") end)
    assert.has_error(function() k2.journal.open(42) end)
    assert.equal(0, #j:entries())
    j:close()
  end)

  it("removes and undoes, the last change first, and remembers across handles", function()
    local p = path("undo.sqlite")
    local j = assert(k2.journal.open(p))
    local a = assert(j:add({ form = "K1", dose = "1 mg", at = "2025-01-01T08:00:00Z" }))
    local b = assert(j:add({ form = "K1", dose = "2 mg", at = "2025-01-02T08:00:00Z" }))
    assert.is_true(j:remove(a))
    local ok, msg = j:remove(a)
    assert.is_nil(ok)
    assert.matches("#" .. a, msg)
    assert.equal(1, #j:entries())
    assert.same({ id = a, undone = "remove" }, j:undo())
    assert.equal(2, #j:entries())
    j:close()
    j = assert(k2.journal.open(p))
    assert.same({ id = b, undone = "add" }, j:undo())
    assert.same({ id = a, undone = "add" }, j:undo())
    local none, why = j:undo()
    assert.is_nil(none)
    assert.matches("nothing to undo", why)
    assert.equal(0, #j:entries())
    j:close()
  end)

  it("estimates the level from every logged dose, exactly superposed", function()
    local j = assert(k2.journal.open(path("level.sqlite")))
    local doses = { { "2025-01-01T08:00:00Z", 180 }, { "2025-01-02T08:00:00Z", 90 }, { "2025-01-02T20:00:00Z", 360 },
      { "2025-01-04T08:00:00Z", 45 } }
    for _, d in ipairs(doses) do assert(j:add({ form = "MK-7", dose = d[2], at = d[1] })) end
    assert(j:add({ form = "K1", dose = 1000, at = "2025-01-03T08:00:00Z" })) -- another form: not in MK-7's level
    local p = k2.pk.params("MK-7")
    assert.equal(0, p.lag)
    local tmax = math.log(p.ka / p.ke) / (p.ka - p.ke)
    local function g(t) return (math.exp(-p.ke * t) - math.exp(-p.ka * t)) / (math.exp(-p.ke * tmax) - math.exp(-p.ka * tmax)) end
    local T = utc("2025-01-05T08:00:00Z")
    local want = 0
    for _, d in ipairs(doses) do want = want + d[2] / p.ref_ug * g((T - utc(d[1])) / 3600) end
    local r = assert(j:level({ form = "mk-7", at = "2025-01-05T08:00:00Z" }))
    near(r.value, want, "level")
    assert.equal(4, r.doses)
    near(r.total_ug, 675, "total")
    assert.equal(p.unit, r.unit)
    assert.matches("Information, not medical advice", tostring(r))
    assert.matches("warfarin", r.notice)
    -- before the first dose there is nothing to superpose
    local before = assert(j:level({ form = "MK-7", at = "2024-12-31T00:00:00Z" }))
    assert.equal(0, before.value)
    assert.matches("no MK%-7 dose logged", tostring(before))
    assert.same({ "MK-7", "K1" }, j:forms())
    local c = assert(j:curve({ form = "MK-7", to = "2025-01-05T08:00:00Z" }))
    near(c:at((T - utc(doses[1][1])) / 3600), want, "curve at T")
    j:close()
  end)

  it("adds vitamin K up per day and form, with the swing and the documented thresholds", function()
    local j = assert(k2.journal.open(path("days.sqlite")))
    -- K1 per day: 100 (spinach), then 250 (+150: the S04 threshold), then 350 (+100: below it)
    assert(j:add({ form = "K1", dose = 100, at = "2025-01-10T12:00:00+01:00" }))
    assert(j:add({ form = "K1", dose = 250, at = "2025-01-11T12:00:00+01:00" }))
    assert(j:add({ form = "K1", dose = 350, at = "2025-01-12T23:30:00+01:00" })) -- local day 12, UTC day 12
    assert(j:add({ form = "MK-7", dose = 5, at = "2025-01-13T00:30:00+01:00" })) -- local day 13, UTC day 12
    local r = assert(j:days({ from = "2025-01-10T00:00:00Z", to = "2025-01-13T22:00:00Z" }))
    local by = {}
    for _, d in ipairs(r.days) do by[d.day] = d end
    near(by["2025-01-10"].total, 100)
    near(by["2025-01-11"].forms.K1, 250)
    near(by["2025-01-12"].total, 350)
    near(by["2025-01-13"].forms["MK-7"], 5)
    near(r.swing.largest_change, 345, "largest day-to-day change (350 → 5)")
    near(r.swing.high, 350)
    for _, d in ipairs(r.days) do assert.equal(0, #d.marks) end -- no medicine set: nothing marked
    assert.matches("warfarin", tostring(r))
    assert.same({ "Coumadin", "warfarin" }, j:settings({ meds = { "Coumadin, warfarin" } }).meds)
    r = assert(j:days({ from = "2025-01-10T00:00:00Z", to = "2025-01-13T22:00:00Z" }))
    by = {}
    for _, d in ipairs(r.days) do by[d.day] = d end
    assert.equal(1, #by["2025-01-11"].marks)
    assert.equal("ix.warfarin.k1-150.s04", by["2025-01-11"].marks[1].fact)
    assert.equal(0, #by["2025-01-12"].marks) -- +100 µg: below 150
    assert.equal(1, #by["2025-01-13"].marks) -- K1 350 → 0 is a change of 350
    assert.matches("S04", tostring(r))
    assert.matches("Information, not", tostring(r))
    local ai = assert(j:days({ from = "2025-01-10T00:00:00Z", to = "2025-01-13T22:00:00Z", age = 40, sex = "female" }))
    local us
    for _, a in ipairs(ai.adequate) do if a.fact == "ai.us.19plus-female" then us = a end end
    assert.equal(90, us.value) -- IOM 2001, women 19 and over: 90 µg/day
    -- to alone ends a span of days= (not everything since the first entry)
    local recent = assert(j:days({ to = "2025-01-13T22:00:00Z", days = 2 }))
    by = {}
    for _, d in ipairs(recent.days) do by[d.day] = d end
    assert.is_nil(by["2025-01-10"])
    assert.is_nil(by["2025-01-11"]) -- 250 µg at 11:00 UTC, before 2025-01-11T22:00Z
    near(by["2025-01-13"].forms["MK-7"], 5)
    j:close()
  end)

  it("keeps settings", function()
    local j = assert(k2.journal.open(path("settings.sqlite")))
    assert.same({}, j:settings())
    local s = assert(j:settings({ meds = { "warfarin", "aspirin" }, age = 70, sex = "female" }))
    assert.same({ meds = { "warfarin", "aspirin" }, age = 70, sex = "female" }, s)
    assert.same({ sex = "female", age = 70 }, j:settings({ meds = {} }))
    j:close()
  end)

  it("exports CSV that imports into another journal whole", function()
    local a = assert(k2.journal.open(path("export.sqlite")))
    assert(a:add({ form = "MK-4", dose = "1.5 mg", at = "2025-02-01T08:00:00-05:00", note = 'says "hi", twice' }))
    assert(a:add({ food = "1 cup raw spinach", at = "2025-02-01T12:00:00Z" }))
    local csv = a:export()
    assert.matches("^utc,offset_s,kind,text,food,grams,amounts,note\n", csv)
    local b = assert(k2.journal.open(path("import.sqlite")))
    assert.equal(2, k2.journal.import(csv, b))
    assert.equal(csv, b:export())
    local n, msg = k2.journal.import("utc,offset_s,kind,text,food,grams,amounts,note\nnot,a,row\n", b)
    assert.is_nil(n)
    assert.matches("line 2", msg)
    assert.equal(2, #b:entries()) -- all or none
    a:close()
    b:close()
  end)

  it("refuses files that are not k2 journals and leaves them as they were", function()
    local p = path("other.db")
    assert(os.execute(("sqlite3 '%s' 'CREATE TABLE t(x); INSERT INTO t VALUES (42)'"):format(p)))
    local before = read(p)
    local j, msg = k2.journal.open(p)
    assert.is_nil(j)
    assert.matches("another program", msg)
    assert.equal(before, read(p))
    assert.is_false(exists(p .. "-wal"))
    assert.is_false(exists(p .. "-journal"))
    j, msg = k2.journal.open(dir)
    assert.is_nil(j)
    assert.matches("folder", msg)
  end)
end)
