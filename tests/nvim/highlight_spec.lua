-- highlight_spec.lua — every K2 highlight group is defined with `default
-- link` (a user's or colourscheme's link wins, and survives :colorscheme),
-- and ft=k2 syntax puts the levels, ids and sources in them.
local t = ...
vim.cmd("highlight link K2Id Error") -- the user's own link, before the plugin loads
vim.cmd("runtime! plugin/k2.lua")
vim.cmd("syntax on | filetype plugin on") -- Neovim's defaults, which -u NONE leaves out

local GROUPS = { K2Normal = "NormalFloat", K2Border = "FloatBorder", K2Title = "Title", K2Avoid = "DiagnosticError",
  K2Warning = "DiagnosticWarn", K2Caution = "DiagnosticInfo", K2Source = "Comment", K2Id = "Error",
  K2Ok = vim.fn.has("nvim-0.9") == 1 and "DiagnosticOk" or "DiagnosticHint" }

local function link_of(group)
  return vim.fn.execute("highlight " .. group):match("links to (%S+)")
end

t.case("every K2 group links by default, and a user's link wins", function()
  for group, target in pairs(GROUPS) do
    assert(vim.fn.hlexists(group) == 1, group .. " missing")
    assert(link_of(group) == target, ("%s links to %s"):format(group, tostring(link_of(group))))
  end
  vim.cmd("highlight clear")
  vim.cmd("doautocmd ColorScheme")
  assert(link_of("K2Warning") == "DiagnosticWarn", "lost after a colourscheme: " .. tostring(link_of("K2Warning")))
end)

t.case("ft=k2 syntax: levels, fact ids and sources", function()
  t.run("K2 check MK-4 45mg age=70 meds=warfarin")
  local seen = {}
  for row, l in ipairs(vim.api.nvim_buf_get_lines(0, 0, -1, false)) do
    local col = 1
    while col <= #l do
      local id = vim.fn.synID(row, col, 1)
      local name = vim.fn.synIDattr(id, "name")
      if name ~= "" then seen[name] = seen[name] or l end
      col = col + 1
    end
  end
  for _, group in ipairs({ "K2Avoid", "K2Id", "K2Source", "K2Caution" }) do
    assert(seen[group], group .. " not used; used: " .. vim.inspect(vim.tbl_keys(seen)))
  end
  local buf = vim.api.nvim_create_buf(false, true)
  vim.api.nvim_set_current_buf(buf)
  vim.api.nvim_buf_set_lines(buf, 0, -1, false, { "check MK-7: WARNING [TH12]", "  ok       180 µg",
    "level: OK", "  caution  x" })
  vim.bo[buf].filetype = "k2"
  local function at(row, col) return vim.fn.synIDattr(vim.fn.synID(row, col, 1), "name") end
  assert(at(1, 13) == "K2Warning" and at(1, 22) == "K2Source", at(1, 13) .. " " .. at(1, 22))
  assert(at(2, 3) == "K2Ok" and at(3, 8) == "K2Ok" and at(4, 3) == "K2Caution", at(2, 3) .. at(3, 8) .. at(4, 3))
end)
