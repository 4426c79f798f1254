-- tests/oom/journal.lua — out-of-memory sweep of the journal (issue 15): a journal in memory
-- (a file would be shared between the sweep's forked runs, which must stay independent) with
-- doses, a batch import, the entries, remove and undo, settings, the level (every call into
-- the core: k2_journal_* and the model; its plot is swept in curve.lua; j:days and j:export are
-- Lua over j:entries, and foods go through k2.intake); then refusing another program's database
-- (tests/data/other-program.sqlite, opened read-only, never written). Runs after prelude.lua.
local k2 = ... or require("k2")
local j = assert(k2.journal.open(":memory:"))
assert(j:add({ form = "MK-7", dose = "180 ug", at = "2025-01-10T08:00:00+01:00", note = "breakfast" }))
assert(j:add({ form = "K1", dose = 400, at = "2025-01-11T13:00:00Z" }))
assert(k2.journal.import("utc,offset_s,kind,text,food,grams,amounts,note\n"
  .. "2025-01-09T08:00:00Z,0,dose,MK-7 90 ug,,,MK-7:90,\n", j) == 1)
assert(#j:entries() == 3)
assert(j:remove(1) and j:undo().undone == "remove")
assert(j:settings({ meds = { "warfarin" } }).meds[1] == "warfarin")
assert(#j:level({ form = "MK-7", at = "2025-01-12T08:00:00Z", plot_days = 0 }):lines(60) > 3)
j:close()
local other, why = k2.journal.open("tests/data/other-program.sqlite")
assert(other == nil and why:find("another program", 1, true))
return "ok"
