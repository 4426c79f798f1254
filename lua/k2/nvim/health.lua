--- k2.nvim.health: :checkhealth k2 — Neovim version, Lua runtime and ABI,
--- the native core, k2 and SQLite versions, the fact count, the
--- configuration in use (and where it came from) and any refused setup().
--- Works with Neovim 0.7 (require("health").report_*) and 0.9+ (vim.health.*).
local M = {}

local function reporter()
  local h = vim.health or require("health")
  return {
    start = h.start or h.report_start,
    ok = h.ok or h.report_ok,
    warn = h.warn or h.report_warn,
    error = h.error or h.report_error,
    info = h.info or h.report_info,
  }
end

local function core(r)
  local errors = require("k2.nvim.errors")
  local ok, k2 = pcall(errors.lib)
  if not ok then
    r.error(errors.line_of(k2), { ("run `make` in %s (it builds build/5.1/k2/core.so)"):format(errors.root()) })
    return nil
  end
  r.ok(("native core loaded: k2 %s, built for the Lua %s ABI"):format(k2.version, k2.abi))
  local info = k2.info()
  r.ok(("fact store: %d facts, %d sources, %d recorded disagreements (data %s, SQLite %s)"):format(info.facts,
    info.sources, info.conflicts, info.data_version, info.sqlite_version))
  return k2
end

local function configuration(r, k2)
  local nv = require("k2.nvim")
  local config = require("k2.nvim.config")
  local cfg = nv.config()
  r.info(("configuration in use (from %s): border %s, width %d, units %s, default_form %s, journal %s"):format(
    config.origin(), vim.inspect(cfg.border, { newline = "", indent = "" }), cfg.width, cfg.units, cfg.default_form,
    cfg.journal == "" and "(k2's default: $K2_JOURNAL, else $XDG_DATA_HOME/k2/journal.sqlite)" or cfg.journal))
  local rejected = config.rejected()
  if rejected then
    r.error(("%s at %s was refused: %s"):format(rejected.origin, rejected.when, rejected.message),
      { "fix the option; until then k2 uses the configuration above" })
  else
    r.ok("configuration valid")
  end
  if k2 and k2.journal then
    -- the journal file :K2 log writes: readable, a k2 journal, and how much it holds
    local path = cfg.journal ~= "" and cfg.journal or (vim.env.K2_JOURNAL ~= "" and vim.env.K2_JOURNAL)
      or k2.journal.default_path()
    local j, why
    if path then j, why = k2.journal.open(path) end
    if j then
      r.ok(tostring(j))
      j:close()
    else
      r.warn(("journal: %s"):format(why or "no path"), { "set the journal option to a file you own" })
    end
  end
  if k2 then
    local ok, form = pcall(k2.form, cfg.default_form)
    if not (ok and form) then
      r.warn(("default_form '%s' is not a form k2 knows"):format(cfg.default_form), { "use K1, MK-4, MK-7, K2 or K" })
    end
  end
end

function M.check()
  local r = reporter()
  r.start("k2")
  local v = vim.version()
  local version = ("%d.%d.%d"):format(v.major, v.minor, v.patch)
  if vim.fn.has("nvim-0.7") == 1 then r.ok("Neovim " .. version) else r.error("Neovim " .. version .. ": k2 needs 0.7 or later") end
  r.info(("Lua runtime: %s (Lua %s ABI)"):format(rawget(_G, "jit") and rawget(_G, "jit").version or _VERSION, _VERSION:match("%d+%.%d+")))
  local k2 = core(r)
  configuration(r, k2)
end

return M
