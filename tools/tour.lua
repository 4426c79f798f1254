-- tour.lua — `make run`: a short tour of what k2 answers today, on the
-- built-in data, through the same Lua API a script would use.
package.path = "lua/?.lua;lua/?/init.lua;" .. package.path
local k2 = require("k2")

local function section(title)
  io.write("\n== ", title, " ", string.rep("=", math.max(0, 72 - #title)), "\n\n")
end

local function show_call(code)
  io.write("> ", code, "\n")
  local chunk = assert(load("return " .. code, "=tour", "t", { k2 = k2 }))
  local results = table.pack(chunk())
  for i = 1, results.n do io.write(tostring(results[i]), i < results.n and "\t" or "\n") end
  io.write("\n")
end

section("the store")
show_call('k2.info()')

section("search: words, prefixes, form names in any spelling")
show_call('k2.search("calcification", {limit = 3})')
show_call('k2.search("menaquinone-7 peak", {limit = 3})')

section("filters")
local pk = assert(k2.facts({ form = "MK-7", topic = "pharmacokinetics" }))
io.write(('> #k2.facts{form = "MK-7", topic = "pharmacokinetics"}\n%d\n\n'):format(#pk))

section("a fact, its source, and where sources disagree")
show_call('k2.fact("seed.k2.children-under-12")')

section("how much: an adult, and a child where the sources disagree")
show_call('k2.dose{form = "MK-7", age = 40}')
show_call('k2.dose{form = "K2", age = 10}')

section("when: with fat, and what the model says about the hours after a dose")
show_call('k2.timing{form = "MK-7"}')

section("how safe: MK-4 for someone on warfarin")
show_call('k2.check{form = "MK-4", dose = "45 mg", age = 70, meds = {"warfarin"}}')

section("units: doses in µg, durations in hours; bad text gets a reason")
show_call('k2.parse_dose("0.18 mg")')
show_call('k2.parse_duration("1 h 30 min")')
show_call('k2.parse_dose("0,1 mg")')
show_call('k2.parse_dose("5 kg")')

section("in the blood: MK-4 against MK-7 after one 180 µg dose")
show_call('k2.pk.compare{ {form = "MK-4", dose = "180 ug"}, {form = "MK-7", dose = "180 ug"} }')

section("MK-7 every morning for 30 days, and its steady state")
show_call('k2.pk.simulate{form = "MK-7", dose = "180 ug", every = "24h", days = 30}')
show_call('k2.pk.steady_state{form = "MK-7", dose = "180 ug", every = "24h"}')

section("try it yourself")
io.write("lua5.4 -i -l k2        then: k2.search \"warfarin\"\n")
