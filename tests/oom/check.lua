-- tests/oom/check.lua — out-of-memory sweep of a safety check: a high MK-4
-- dose with warfarin, named once rightly and once misspelt (the near-match
-- search). Runs after tests/oom/prelude.lua (its result is `...`).
local k2 = ... or require("k2")
assert(k2.check({ form = "MK-4", dose = "45 mg", meds = { "warfarin", "warfrin" } }).level == "avoid")
return "ok"
