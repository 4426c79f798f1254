-- help_spec.lua — :help k2 and every tag doc/k2.txt promises.
local t = ...

t.case(":help k2 and every :K2 tag work after :helptags", function()
  vim.cmd("helptags " .. t.root .. "/doc")
  for _, tag in ipairs({ "k2", ":K2", ":K2-search", ":K2-fact", ":K2-sources", ":K2-dose", ":K2-timing",
    ":K2-check", ":K2-pk", "k2-hover", "<Plug>(k2-hover)", "k2-config", "k2.setup()", "k2-health",
    "k2-config-border", "k2-config-width", "k2-config-units", "k2-config-default_form" }) do
    vim.cmd("help " .. tag)
    assert(vim.fn.expand("%:t") == "k2.txt", tag)
    vim.cmd("helpclose")
  end
end)
