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
