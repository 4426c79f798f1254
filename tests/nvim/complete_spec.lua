-- complete_spec.lua — :K2 completion: subcommands, forms, key= options,
-- fact ids and option values.
local t = ...
vim.cmd("runtime! plugin/k2.lua")

t.case("completion: subcommands, forms, options, fact ids", function()
  local subs = vim.fn.getcompletion("K2 ", "cmdline")
  for _, s in ipairs({ "search", "fact", "sources", "dose", "timing", "check", "pk" }) do
    assert(vim.tbl_contains(subs, s), "missing " .. s)
  end
  assert(vim.deep_equal(vim.fn.getcompletion("K2 do", "cmdline"), { "dose" }))
  local forms = vim.fn.getcompletion("K2 dose ", "cmdline")
  assert(vim.tbl_contains(forms, "MK-7") and vim.tbl_contains(forms, "age="), vim.inspect(forms))
  local ids = vim.fn.getcompletion("K2 fact seed.mk7", "cmdline")
  assert(vim.tbl_contains(ids, "seed.mk7.tmax"), vim.inspect(ids))
  local opts = vim.fn.getcompletion("K2 check MK-7 100ug me", "cmdline")
  assert(vim.deep_equal(opts, { "meds=" }), vim.inspect(opts))
  assert(vim.tbl_contains(vim.fn.getcompletion("K2 pk MK-7 180ug compare=MK", "cmdline"), "compare=MK-4"))
end)

t.case("completion: option values come from the fact store's vocabularies", function()
  local k2 = require("k2")
  local sexes = vim.fn.getcompletion("K2 dose MK-7 sex=", "cmdline")
  assert(#sexes == #k2.vocab("sexes") and vim.tbl_contains(sexes, "sex=female"), vim.inspect(sexes))
  local meds = vim.fn.getcompletion("K2 check MK-7 100ug meds=warf", "cmdline")
  assert(vim.tbl_contains(meds, "meds=warfarin"), vim.inspect(meds))
  local sets = vim.fn.getcompletion("K2 timing MK-7 set=", "cmdline")
  assert(vim.tbl_contains(sets, "set=sato2012") and #sets == #k2.vocab("sets"), vim.inspect(sets))
  local forms = vim.fn.getcompletion("K2 check ", "cmdline")
  for _, f in ipairs(k2.vocab("forms")) do assert(vim.tbl_contains(forms, f), f .. " not offered") end
  assert(#vim.fn.getcompletion("K2 dose MK-7 weight=", "cmdline") == 0, "values for an unknown key")
end)
