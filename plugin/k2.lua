-- plugin/k2.lua — Neovim entry of k2: one :K2 command with subcommands and
-- completion, and the <Plug>(k2-hover) mapping. Nothing heavy runs here:
-- the native core and the answers load on first use (lua/k2/nvim/init.lua).
-- Works on Neovim 0.7.2 and later; no keymaps are set unless asked.
if vim.g.loaded_k2 then return end
vim.g.loaded_k2 = true

vim.api.nvim_create_user_command("K2", function(cmd)
  require("k2.nvim").command(cmd.fargs)
end, {
  nargs = "*",
  desc = "k2: vitamin K facts, doses, timing, safety and levels over time",
  complete = function(arg_lead, cmdline)
    return require("k2.nvim").complete(arg_lead, cmdline)
  end,
})

vim.keymap.set("n", "<Plug>(k2-hover)", function() require("k2.nvim").hover() end,
  { desc = "k2: facts about the vitamin K term under the cursor" })
