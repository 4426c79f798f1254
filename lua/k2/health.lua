--- :checkhealth k2 finds this module; the Neovim side's own file does the checks (lua/k2/nvim/health.lua).
return require("k2.nvim.health")
