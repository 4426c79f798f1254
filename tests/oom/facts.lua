-- tests/oom/facts.lua — out-of-memory sweep of the fact store: filtered fact
-- lists, one fact where the sources disagree (printed), a source, a
-- conflict. Runs after tests/oom/prelude.lua (its result is `...`).
local k2 = ... or require("k2")
assert(#assert(k2.facts({ form = "MK-4", topic = "pharmacokinetics" })) > 0)
local f = assert(k2.fact("seed.k2.children-under-12"))
assert(tostring(f):find("sources disagree", 1, true))
local src = assert(k2.sources())[1]
assert(tostring(assert(k2.source(src.id))):find(src.id, 1, true))
local c = f.conflicts and f.conflicts[1]
if c then assert(k2.conflict(type(c) == "table" and c.id or c)) end
return "ok"
