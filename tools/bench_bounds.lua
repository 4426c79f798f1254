-- bench_bounds.lua — `make bench`, issue 17: every call at the largest input
-- it accepts (the core's limits, core.limits), against the budgets of
-- shared/design.md: at most 2 s from the CLI (whole process) and at most
-- 100 ms in the process for what Neovim calls on hover or in a float.
-- Timings live here, never in tests. Usage: lua5.4 tools/bench_bounds.lua
package.path = "lua/?.lua;lua/?/init.lua;" .. package.path
package.cpath = "build/5.4/?.so;" .. package.cpath
local k2 = require("k2")
local limits = require("k2.core").limits

local function now_ns()
  local p = io.popen("date +%s%N")
  local t = tonumber(p:read("l"))
  p:close()
  return t
end

local function verdict(value, budget) return value <= budget and "within" or "OVER" end

-- Wall time of one run of a shell command, ms (best of 3: shared machine).
local function cli_ms(cmd)
  local best = math.huge
  for _ = 1, 3 do
    local t0 = now_ns()
    os.execute(cmd .. " >/dev/null 2>&1")
    best = math.min(best, (now_ns() - t0) / 1e6)
  end
  return best
end

-- In-process time of f(), ms (best of 3).
local function call_ms(f)
  local best = math.huge
  for _ = 1, 3 do
    local t0 = os.clock()
    f()
    best = math.min(best, (os.clock() - t0) * 1e3)
  end
  return best
end

local HOURS_PER_DAY = 24
local export_days = math.floor((limits.export_max_rows - 1) / (HOURS_PER_DAY * 60))
-- a population at its work budget: 30 days hourly (721 points, 720 doses)
local pop_n = math.floor(limits.pk_max_population_work / (721 + 720))
local meds = {}
for i = 1, limits.list_max_items do meds[i] = ("ab "):rep(math.floor(limits.text_max_bytes / 3) - 1) .. i end
local meds_flag = table.concat(meds, ",")

local CLI = {
  { "plot at plot_max_rows × plot_max_columns", ("bin/k2 pk MK-7 180ug --days 3 --height %d --width %d"):format(
    limits.plot_max_rows, limits.plot_max_columns) },
  { ("--csv of %d days at 1 min (export_max_rows)"):format(export_days),
    ("bin/k2 pk MK-7 180ug --days %d --step 1min --csv"):format(export_days) },
  { ("--json of %d days at 1 min (export_max_rows)"):format(export_days),
    ("bin/k2 pk MK-7 180ug --days %d --step 1min --json"):format(export_days) },
  { ("--json of a comparison, two curves of %d days at 1 min (export_max_rows)"):format(math.floor(export_days / 2)),
    ("bin/k2 pk MK-7 180ug --days %d --step 1min --compare MK-4 --json"):format(math.floor(export_days / 2)) },
  { ("population of %d over 30 days hourly (pk_max_population_work)"):format(pop_n),
    ("bin/k2 pk MK-7 180ug --every 24h --days 30 --step 1h --population %d --cv-ka 0.3"):format(pop_n) },
  { "check with list_max_items medicines of text_max_bytes", "bin/k2 check MK-7 --meds '" .. meds_flag .. "'" },
  { "search of search_max_terms words", "bin/k2 search " .. ("calcification "):rep(limits.search_max_terms) },
}

print("CLI, whole process, largest accepted input (budget 2000 ms):")
for _, c in ipairs(CLI) do
  local ms = cli_ms(c[2])
  print(("  %-62s %8.1f ms  %s"):format(c[1], ms, verdict(ms, 2000)))
end

local long_word = ("x"):rep(limits.text_max_bytes)
local CALLS = {
  { "k2.check, list_max_items medicines of text_max_bytes", function() k2.check({ form = "MK-7", meds = meds }) end },
  { "k2.search of search_max_terms words", function()
    assert(k2.search(("calcification "):rep(limits.search_max_terms)))
  end },
  { "k2.ask of search_max_terms words", function() k2.ask(("how much K2 "):rep(math.floor(limits.search_max_terms / 3))) end },
  { "k2.check of one medicine of text_max_bytes (hover on a word)", function()
    k2.check({ form = "MK-7", meds = { long_word } })
  end },
  { "curve:lines at plot_max_rows × plot_max_columns", function()
    local c = k2.pk.simulate({ form = "MK-7", dose = "180ug", days = 3 })
    c:lines(limits.plot_max_columns, { height = limits.plot_max_rows })
  end },
  { ("curve:intervals near pk_max_intervals (%d)"):format(limits.pk_max_intervals), function()
    -- the run goes on five half-lives (about 340 h) after the last dose
    local c = k2.pk.simulate({ form = "MK-7", dose = "180ug", every = "1h", doses = limits.pk_max_intervals - 400,
      step = "1h" })
    assert(c:intervals())
  end },
}

print("in the process (budget 100 ms for hover and floats):")
for _, c in ipairs(CALLS) do
  local ms = call_ms(c[2])
  print(("  %-62s %8.1f ms  %s"):format(c[1], ms, verdict(ms, 100)))
end
