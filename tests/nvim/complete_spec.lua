-- complete_spec.lua — :K2 completion: subcommands, forms, key= options and
-- every value the store knows (sexes, purposes, medicines, conditions,
-- parameter sets, topics, evidence), fact, source and disagreement ids,
-- list items after a comma, and :K2 help's subcommands.
local t = ...
vim.cmd("runtime! plugin/k2.lua")
local k2 = require("k2")
local function complete(line) return vim.fn.getcompletion(line, "cmdline") end
local function has(list, want) assert(vim.tbl_contains(list, want), want .. " not in " .. vim.inspect(list)) end

t.case("completion: subcommands, forms, options, ids", function()
  local subs = complete("K2 ")
  for _, s in ipairs({ "search", "fact", "source", "sources", "conflict", "dose", "timing", "check", "pk", "ask",
    "food", "log", "now", "help" }) do
    has(subs, s)
  end
  assert(vim.deep_equal(complete("K2 do"), { "dose" }))
  local forms = complete("K2 dose ")
  has(forms, "MK-7"); has(forms, "age=")
  has(complete("K2 fact seed.mk7"), "seed.mk7.tmax")
  has(complete("K2 source S0"), "S07b")
  has(complete("K2 conflict mk7-"), "mk7-tmax")
  has(complete("K2 help p"), "pk")
  assert(vim.deep_equal(complete("K2 check MK-7 100ug me"), { "meds=" }))
  has(complete("K2 pk MK-7 180ug compare=MK"), "compare=MK-4")
  has(complete("K2 pk MK-7 180 ug "), "every=") -- "180 ug" is one word: the options come next
  has(complete("K2 search warfarin fo"), "form=")
  has(complete("K2 search warfarin form=MK"), "form=MK-7")
  has(complete("K2 search warfarin topic=inter"), "topic=interactions")
  has(complete("K2 log "), "food"); has(complete("K2 log MK"), "MK-7")
  has(complete("K2 now MK"), "MK-4")
  has(complete("K2 food spin"), "Spinach, raw")
end)

t.case("completion: every value the store knows", function()
  local function all(line, kind, key)
    local got = complete(line)
    for _, v in ipairs(k2.vocab(kind)) do has(got, key .. "=" .. v) end
  end
  all("K2 dose MK-7 sex=", "sexes", "sex")
  all("K2 dose MK-7 purpose=", "purposes", "purpose")
  all("K2 check MK-7 meds=", "medicines", "meds")
  all("K2 check MK-7 conditions=", "conditions", "conditions")
  all("K2 timing MK-7 set=", "sets", "set")
  all("K2 search x evidence=", "evidence", "evidence")
  has(complete("K2 check MK-7 100ug meds=warf"), "meds=warfarin")
  has(complete("K2 check MK-7 meds=warfarin,orl"), "meds=warfarin,orlistat")
  has(complete("K2 check MK-7 meds=warfarin sodium, orl"), "orlistat")
  local forms = complete("K2 check ")
  for _, f in ipairs(k2.vocab("forms")) do has(forms, f) end
  assert(#complete("K2 dose MK-7 weight=") == 0, "values for an unknown key")
  assert(#complete("K2 how much ") == 0, "completion inside a question")
end)
