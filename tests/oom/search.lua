-- tests/oom/search.lua — out-of-memory sweep of full-text search: a ranked
-- search with a limit and its printed list. Runs after tests/oom/prelude.lua
-- (its result is `...`).
local k2 = ... or require("k2")
local list = assert(k2.search("MK-7 peak", { limit = 3 }))
assert(#list >= 1 and tostring(list):find(" 1. ", 1, true))
return "ok"
