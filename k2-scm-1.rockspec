-- LuaRocks build of k2 from a checkout: `make rock`, or after `make`
-- (which generates build/k2_image.c, the embedded fact store):
--   luarocks --lua-version=5.4 make k2-scm-1.rockspec
--   luarocks --lua-version=5.1 make k2-scm-1.rockspec   -- LuaJIT / Neovim
-- Written by tools/rockspec.lua (`make rockspec`); do not edit by hand.
rockspec_format = "3.0"
package = "k2"
version = "scm-1"
source = { url = "git+https://example.invalid/k2.git" }
description = {
  summary = "Vitamin K facts, doses, timing and safety from an embedded, sourced fact store",
  detailed = [=[
k2 answers questions about vitamin K (K1, K2 as MK-4 and MK-7, K3) from an
SQLite fact store compiled into the module: full-text search, filters,
every fact with its source and evidence type, and the places where sources
disagree. Information, not medical advice.]=],
  license = "MIT",
  labels = { "neovim", "health", "sqlite" },
}
dependencies = { "lua >= 5.1, < 5.5" }
external_dependencies = { SQLITE = { header = "sqlite3.h", library = "sqlite3" } }
build = {
  type = "builtin",
  modules = {
    ["k2.core"] = {
      sources = { "csrc/k2_food.c",
                  "csrc/k2_index.c",
                  "csrc/k2_journal.c",
                  "csrc/k2_pk.c",
                  "csrc/k2_pkdata.c",
                  "csrc/k2_rank.c",
                  "csrc/k2_sample.c",
                  "csrc/k2_search.c",
                  "csrc/k2_store.c",
                  "csrc/k2_text.c",
                  "csrc/k2_time.c",
                  "csrc/k2_units.c",
                  "csrc/lk2.c",
                  "csrc/lk2_food.c",
                  "csrc/lk2_journal.c",
                  "csrc/lk2_pk.c",
                  "csrc/lk2_store.c",
                  "build/k2_image.c" },
      incdirs = { "csrc", "$(SQLITE_INCDIR)" },
      libdirs = { "$(SQLITE_LIBDIR)" },
      libraries = { "sqlite3" },
    },
    ["k2"] = "lua/k2/init.lua",
    ["k2.advice"] = "lua/k2/advice/init.lua",
    ["k2.advice.answer"] = "lua/k2/advice/answer.lua",
    ["k2.advice.check"] = "lua/k2/advice/check.lua",
    ["k2.advice.dose"] = "lua/k2/advice/dose.lua",
    ["k2.advice.rules"] = "lua/k2/advice/rules.lua",
    ["k2.advice.timing"] = "lua/k2/advice/timing.lua",
    ["k2.args"] = "lua/k2/args.lua",
    ["k2.ask"] = "lua/k2/ask.lua",
    ["k2.food"] = "lua/k2/food.lua",
    ["k2.health"] = "lua/k2/health.lua",
    ["k2.journal"] = "lua/k2/journal.lua",
    ["k2.measures"] = "lua/k2/measures.lua",
    ["k2.nvim"] = "lua/k2/nvim/init.lua",
    ["k2.nvim.config"] = "lua/k2/nvim/config.lua",
    ["k2.nvim.errors"] = "lua/k2/nvim/errors.lua",
    ["k2.nvim.float"] = "lua/k2/nvim/float.lua",
    ["k2.nvim.health"] = "lua/k2/nvim/health.lua",
    ["k2.nvim.hover"] = "lua/k2/nvim/hover.lua",
    ["k2.pk"] = "lua/k2/pk.lua",
    ["k2.plot"] = "lua/k2/plot.lua",
    ["k2.shapes"] = "lua/k2/shapes.lua",
    ["k2.show"] = "lua/k2/show.lua",
    ["k2.studies"] = "lua/k2/studies.lua",
    ["k2.types"] = "lua/k2/types.lua",
  },
  copy_directories = { "plugin", "doc", "syntax", "ftplugin" },
}
