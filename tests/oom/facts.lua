-- tests/oom/facts.lua — out-of-memory sweep of the fact store: a filtered
-- fact list, then one fact where the sources disagree, printed with its
-- sources. Runs after tests/oom/prelude.lua (its result is `...`).
local k2 = ... or require("k2")
assert(#assert(k2.facts({ form = "MK-4", topic = "pharmacokinetics" })) > 0)
local f = assert(k2.fact("seed.k2.children-under-12"))
assert(tostring(f):find("sources disagree", 1, true))
return "ok"
