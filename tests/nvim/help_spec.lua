-- help_spec.lua — :help k2 and every tag doc/k2.txt promises, and every
-- subcommand has its :K2-{name} entry (so :K2 help {name} lands on it).
local t = ...
vim.cmd("runtime! plugin/k2.lua")

t.case(":help k2 and every tag work after :helptags", function()
  vim.cmd("helptags " .. t.root .. "/doc")
  local tags = { "k2", ":K2", "k2-install", "k2-arguments", "k2-floats", "k2-hover", "<Plug>(k2-hover)", "k2-config",
    "k2.setup()", "k2-health", "k2-highlight", "k2-errors", "k2-config-border", "k2-config-width", "k2-config-units",
    "k2-config-default_form", "k2-config-journal", "k2.nvim.validate()" }
  for _, name in ipairs(require("k2.nvim").SUBCOMMANDS) do tags[#tags + 1] = ":K2-" .. name end
  for _, tag in ipairs(tags) do
    vim.cmd("help " .. tag)
    assert(vim.fn.expand("%:t") == "k2.txt", tag)
    vim.cmd("helpclose")
  end
end)

t.case(":K2 help {subcommand} opens its entry; every highlight group is documented", function()
  t.run("K2 help check")
  assert(vim.fn.getline("."):find("*:K2-check*", 1, true), vim.fn.getline("."))
  local doc = table.concat(vim.fn.readfile(t.root .. "/doc/k2.txt"), "\n")
  vim.cmd("helpclose")
  for _, group in ipairs({ "K2Normal", "K2Border", "K2Title", "K2Avoid", "K2Warning", "K2Caution", "K2Ok", "K2Source",
    "K2Id" }) do
    assert(doc:find(group, 1, true), group .. " not in doc/k2.txt")
  end
end)
