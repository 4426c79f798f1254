-- bench_journal.lua — `make bench`, issue 15: the journal against its budget (shared/design.md:
-- "level now over a year of daily doses and 1,000 food entries ≤ 5 ms in the process").
--   1. a journal in a temporary folder with 365 daily MK-7 180 µg doses (08:00 UTC) and
--      1,000 food entries (1 cup raw spinach, spread over the year), written by k2.journal.import
--      in one transaction;
--   2. j:level{form="MK-7", at=<the last day's evening>} with its plot, rendered by lines(72), median of
--      RUNS calls in CPU time (os.clock): budget 5 ms;
--   3. one j:add with its fsync (synchronous=FULL, the price of "a returned id is on disk"), wall
--      time per add over ADDS adds, measured with date(1) around the batch: no budget, reported;
--   4. j:days over the 14 days it shows by default, median in CPU time: no budget, reported.
-- Usage: lua5.4 tools/bench_journal.lua [RUNS [ADDS]]
package.path = "lua/?.lua;lua/?/init.lua;" .. package.path
package.cpath = "build/5.4/?.so;" .. package.cpath
local RUNS, ADDS = tonumber(arg[1]) or 50, tonumber(arg[2]) or 200
local k2 = require("k2")

local function median(list)
  table.sort(list)
  local n = #list
  return n % 2 == 1 and list[(n + 1) // 2] or (list[n // 2] + list[n // 2 + 1]) / 2
end
local function cpu_ms(fn)
  local t = {}
  for i = 1, RUNS do
    local t0 = os.clock()
    fn()
    t[i] = (os.clock() - t0) * 1e3
  end
  return median(t)
end
local function wall_ns()
  local p = io.popen("date +%s%N")
  local s = p:read("l")
  p:close()
  return tonumber(s)
end

local dir = os.tmpname()
os.remove(dir)
assert(os.execute("mkdir -p " .. dir))
local first = 1735718400 -- 2025-01-01T08:00:00Z
-- the CSV layout is whatever export writes: one entry of each kind, exported, is the template
local csv_header_ok, export = pcall(function()
  local j = assert(k2.journal.open(":memory:"))
  assert(j:add({ form = "MK-7", dose = "180 ug", at = "2025-01-01T08:00:00Z" }))
  assert(j:add({ food = "1 cup raw spinach", at = "2025-01-01T12:00:00Z" }))
  local text = j:export()
  j:close()
  return text
end)
assert(csv_header_ok, export)
local header, dose_line, food_line = export:match("^([^\n]*)\n([^\n]*)\n([^\n]*)")
local rows = { header }
local function shifted(line, at) -- the first field is the time in UTC, ISO 8601
  return os.date("!%Y-%m-%dT%H:%M:%SZ", at) .. line:match("^[^,]*(,.*)$")
end
for d = 0, 364 do rows[#rows + 1] = shifted(dose_line, first + d * 86400) end
for f = 0, 999 do rows[#rows + 1] = shifted(food_line, first + 4 * 3600 + (f * 365 // 1000) * 86400) end
local path = dir .. "/journal.sqlite"
local j = assert(k2.journal.open(path))
local n = assert(k2.journal.import(table.concat(rows, "\n") .. "\n", j))
local evening = os.date("!%Y-%m-%dT20:00:00Z", first + 364 * 86400)

local level_ms = cpu_ms(function() assert(j:level({ form = "MK-7", at = evening })):lines(72) end)
local days_ms = cpu_ms(function() assert(j:days({ to = evening })) end)
local t0 = wall_ns()
for i = 1, ADDS do assert(j:add({ form = "MK-7", dose = i, at = evening })) end
local add_ms = (wall_ns() - t0) / ADDS / 1e6
j:close()
os.execute("rm -rf " .. dir)

local function verdict(value, budget) return value <= budget and "within" or "OVER" end
print(("== the journal (issue 15): %d entries imported"):format(n))
print(("%-58s %8.2f ms %5.0f ms  %s"):format("level now with its plot, lines(72), median CPU", level_ms, 5,
  verdict(level_ms, 5)))
print(("%-58s %8.2f ms"):format("days (14 days, per form, swing), median CPU", days_ms))
print(("%-58s %8.2f ms"):format(("one add with its fsync, wall time over %d adds"):format(ADDS), add_ms))
