--- :checkhealth k2 — Neovim version, Lua runtime and ABI, the native core,
--- k2 and SQLite versions, the fact count and the configuration. Works with
--- Neovim 0.7 (require("health").report_*) and 0.9+ (vim.health.*).
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

function M.check()
  local r = reporter()
  r.start("k2")
  local v = vim.version()
  local version = ("%d.%d.%d"):format(v.major, v.minor, v.patch)
  if vim.fn.has("nvim-0.7") == 1 then r.ok("Neovim " .. version) else r.error("Neovim " .. version .. ": k2 needs 0.7 or later") end
  r.info(("Lua runtime: %s (Lua %s ABI)"):format(rawget(_G, "jit") and jit.version or _VERSION, _VERSION:match("%d+%.%d+")))
  local ok, k2 = pcall(require, "k2")
  if not ok then
    r.error("native core not loaded: " .. tostring(k2), { "run `make` in the k2 plugin directory (it builds build/5.1/k2/core.so)" })
    return
  end
  r.ok(("native core loaded: k2 %s, built for the Lua %s ABI"):format(k2.version, k2.abi))
  local info = k2.info()
  r.ok(("fact store: %d facts, %d sources, %d recorded disagreements (data %s, SQLite %s)"):format(info.facts,
    info.sources, info.conflicts, info.data_version, info.sqlite_version))
  local global = vim.g.k2
  local cfg_ok, err
  if global ~= nil and type(global) ~= "table" then cfg_ok, err = nil, "vim.g.k2 must be a table"
  else cfg_ok, err = require("k2.nvim").validate(vim.tbl_extend("force", global or {}, {})) end
  if cfg_ok then r.ok("configuration valid") else r.error("configuration: " .. err) end
end

return M
