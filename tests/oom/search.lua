-- tests/oom/search.lua — out-of-memory sweep of full-text search: a ranked
-- search with a limit, its printed list, a filtered search and one that
-- finds nothing. Runs after tests/oom/prelude.lua (its result is `...`).
local k2 = ... or require("k2")
local list = assert(k2.search("MK-7 peak", { limit = 3 }))
assert(#list >= 1 and tostring(list):find(" 1. ", 1, true))
assert(#assert(k2.search("warfarin", { form = "MK-4", limit = 2 })) >= 0)
assert(#assert(k2.search("zzzqqq")) == 0)
return "ok"
