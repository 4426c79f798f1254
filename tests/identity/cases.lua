-- tests/identity/cases.lua — a fixed table of 10,000 cases printed one per
-- line: 4,000 dose texts and 3,000 duration texts parsed and formatted,
-- 2,000 numbers formatted, 1,000 simulations (every 50th printed whole,
-- plot included) plus dose/timing/check answers. tests/identity/run.sh runs
-- it under Lua 5.4 and LuaJIT, each with LC_ALL=C and de_DE.UTF-8, and
-- requires byte-identical output. The script adopts the environment's
-- locale (os.setlocale("", "all")) the way an editor or a REPL user's
-- program may, and prints numbers only through k2 itself (Lua's own %g
-- would follow the locale). Random values come from a Park–Miller
-- generator in integer-exact double arithmetic, so both runtimes draw the
-- same sequence.
local k2 = require("k2")
os.setlocale("", "all")

local state = 20261125
local function rand(n) -- 1..n
  state = (state * 16807) % 2147483647
  return state % n + 1
end
local function pick(t) return t[rand(#t)] end
local function num(x) return k2.format_number(x, 9) or "?" end
local function number_text()
  local whole, frac = rand(2000) - 1, rand(1000) - 1
  local shapes = { "%d", "%d.%03d", "%d.%d", "0.%03d", ",%d", "%d,%d", "%d.", "-%d" }
  return (pick(shapes):gsub("%%03d", string.format("%03d", frac), 1):gsub("%%d", tostring(whole), 1)
    :gsub("%%d", tostring(frac), 1))
end

local function show(tag, i, ok, a, b)
  if not ok then
    io.write(tag, " ", i, " error ", tostring(a), "\n")
  elseif a == nil then
    io.write(tag, " ", i, " nil ", tostring(b), "\n")
  elseif type(a) == "number" then
    io.write(tag, " ", i, " ", num(a), "\n")
  else
    io.write(tag, " ", i, " ", tostring(a), "\n")
  end
end

local dose_units = { "mg", "mcg", "µg", "μg", "ug", "micrograms", "milligram", "g", "", " mg", " mcg", "kg" }
for i = 1, 4000 do
  local text = number_text() .. pick({ "", " " }) .. pick(dose_units)
  show("dose", i, pcall(k2.parse_dose, text))
end
local duration_units = { "h", "min", "d", "days", "w", "weeks", "mo", "y", "hours", "s", "", " h 30 min", "d 2 h" }
for i = 1, 3000 do
  local text = number_text() .. pick({ "", " " }) .. pick(duration_units)
  show("duration", i, pcall(k2.parse_duration, text))
end
for i = 1, 2000 do
  local x = (rand(2000000) - 1000000) / 10 ^ rand(9) * 10 ^ (rand(7) - 1)
  io.write("format ", i, " ", tostring(k2.format_number(x, rand(10) - 1)), "\n")
end

local sets = {
  ["K1"] = { "default", "olson2002", "olson2002-slow", "jones2007", "novotny2010" },
  ["MK-4"] = { "default", "label", "label-terminal", "sato2012" },
  ["MK-7"] = { "default", "72h", "sato2012" },
}
local forms = { "K1", "MK-4", "MK-7" }
for i = 1, 1000 do
  local form = pick(forms)
  local ok, c, why = pcall(k2.pk.simulate, {
    form = form, set = pick(sets[form]), dose = rand(1000) .. " µg",
    every = pick({ "8h", "12h", "24h", "2d" }), days = rand(5), step = pick({ "1h", "30 min", "15 min" }),
  })
  if ok and c then
    io.write("simulate ", i, " ", num(c:cmax()), " ", num(c:tmax()), " ", num(c:auc()), " ",
      num(c:trough()), " ", num(c:at(rand(48) / 2)), " ", num(c:above(c:cmax() / 2)), "\n")
    if i % 50 == 0 then io.write(tostring(c), "\n") end
  else
    show("simulate", i, ok, c, why)
  end
end
for i = 1, 10 do
  show("advice-dose", i, pcall(k2.dose, { form = pick({ "K1", "K2", "MK-4", "MK-7", "K3" }), age = rand(90) }))
  show("advice-timing", i, pcall(k2.timing, { form = pick(forms) }))
  show("advice-check", i, pcall(k2.check, { form = pick(forms), dose = rand(50) .. " mg", meds = { "warfarin" } }))
end
