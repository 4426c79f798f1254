-- limits_md.lua — prints README's Limits table from the core's one table of
-- limits (core.limit_info(), k2_limits() in csrc/k2_units.c), so the README
-- never states a figure of its own; tests/lua/bounds_spec.lua checks the
-- README against it. Usage: lua5.4 tools/limits_md.lua (from the checkout)
package.path = "lua/?.lua;lua/?/init.lua;" .. package.path
package.cpath = "build/5.4/?.so;" .. package.cpath
local core = require("k2.core")
local M = {}

function M.table()
  local out = { "| limit | value | unit | what it bounds |", "|---|---|---|---|" }
  for _, l in ipairs(core.limit_info()) do
    out[#out + 1] = ("| `%s` | %s | %s | %s |"):format(l.name, core.format_number(l.value, 6), l.unit, l.about)
  end
  return table.concat(out, "\n")
end

if arg and arg[0] and arg[0]:find("limits_md%.lua$") then print(M.table()) end
return M
