-- plugin/k2.lua — Neovim entry of k2: one :K2 command with subcommands and
-- completion, the <Plug>(k2-hover) mapping, the highlight groups (each a
-- `default link`, so a colourscheme or the user can relink it) and the
-- VimResized re-layout of open floats. Nothing heavy runs here: the native
-- core and the answers load on first use (lua/k2/nvim/init.lua).
-- Works on Neovim 0.7.2 and later; no keymaps are set unless asked.
if vim.g.loaded_k2 then return end
vim.g.loaded_k2 = true

vim.api.nvim_create_user_command("K2", function(cmd)
  require("k2.nvim").command(cmd.args)
end, {
  nargs = "*",
  desc = "k2: vitamin K facts, doses, timing, safety and levels over time",
  complete = function(arg_lead, cmdline, pos)
    return require("k2.nvim").complete(arg_lead, cmdline, pos)
  end,
})

vim.keymap.set("n", "<Plug>(k2-hover)", function() require("k2.nvim").hover() end,
  { desc = "k2: facts about the vitamin K term under the cursor" })

-- The groups k2's floats and ft=k2 use, and what they look like unless relinked.
local LINKS = {
  K2Normal = "NormalFloat", K2Border = "FloatBorder", K2Title = "Title",
  K2Avoid = "DiagnosticError", K2Warning = "DiagnosticWarn", K2Caution = "DiagnosticInfo",
  K2Ok = vim.fn.has("nvim-0.9") == 1 and "DiagnosticOk" or "DiagnosticHint",
  K2Source = "Comment", K2Id = "Identifier",
}
local function highlights()
  for group, target in pairs(LINKS) do vim.cmd(("highlight default link %s %s"):format(group, target)) end
end
highlights()

local group = vim.api.nvim_create_augroup("k2", { clear = true })
-- a colourscheme clears every group: the default links come back after it
vim.api.nvim_create_autocmd("ColorScheme", { group = group, callback = highlights })
vim.api.nvim_create_autocmd("VimResized", { group = group, callback = function()
  if package.loaded["k2.nvim"] then require("k2.nvim").relayout() end
end })
