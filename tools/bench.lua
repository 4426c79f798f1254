-- bench.lua — `make bench`: measures k2 against the budgets in
-- shared/design.md. Timings live here, never in tests.
--   1. require "k2" + first search, whole lua5.4 process, minus a bare lua5.4
--      process (budget 2 ms), median of alternating runs;
--   2. one search of 1-3 words through the Lua API (budget 20 µs median),
--      median over batches; the C-only figure comes from build/bench_store.
-- Usage: lua5.4 tools/bench.lua [RUNS]
package.path = "lua/?.lua;lua/?/init.lua;" .. package.path
local RUNS = tonumber(arg[1]) or 200
local QUERIES = { "calcification", "warfarin", "MK-7 peak", "menaquinone-7 half-life",
  "children dose", "vitamin K2 bone", "menadione infants", "orlistat", "EFSA adequate intake",
  "phylloquinone absorption fat" }

local function now_ns()
  local p = io.popen("date +%s%N")
  local t = tonumber(p:read("l"))
  p:close()
  return t
end

local function median(list)
  table.sort(list)
  local n = #list
  return n % 2 == 1 and list[(n + 1) // 2] or (list[n // 2] + list[n // 2 + 1]) / 2
end

-- Wall time of `runs` shell runs of cmd, done in one shell so fork costs match.
local function process_ms(cmd, runs)
  local script = ("for i in $(seq %d); do %s >/dev/null 2>&1; done"):format(runs, cmd)
  local t0 = now_ns()
  os.execute(script)
  return (now_ns() - t0) / runs / 1e6
end

local K2CMD = [[lua5.4 -e 'package.path="lua/?.lua;lua/?/init.lua;"..package.path; require("k2").search("calcification")']]

-- With hyperfine: medians of many runs of each command (no shell in between).
local function startup_hyperfine()
  local csv = os.tmpname()
  local cmd = ("hyperfine -N -w 20 -r %d --export-csv %s \"lua5.4 -e ''\" %q >/dev/null 2>&1"):format(
    RUNS * 2, csv, K2CMD)
  if not os.execute(cmd) then return nil end
  local found = {}
  for line in io.lines(csv) do
    local med = line:match('^".-",[^,]+,[^,]+,([%d.]+)') or line:match("^[^,]+,[^,]+,[^,]+,([%d.]+)")
    if med and not line:match("^command") then found[#found + 1] = tonumber(med) * 1e3 end
  end
  os.remove(csv)
  if #found ~= 2 then return nil end
  return found[2] - found[1], found[1]
end

local function startup()
  local a, b = startup_hyperfine()
  if a then return a, b end
  local bare, with = {}, {}
  for _ = 1, 15 do
    bare[#bare + 1] = process_ms("lua5.4 -e ''", RUNS // 10)
    with[#with + 1] = process_ms(K2CMD, RUNS // 10)
  end
  return median(with) - median(bare), median(bare)
end

local function search_us()
  local k2 = require("k2")
  assert(k2.search("warmup"))
  local batches = {}
  for b = 1, RUNS do
    local q = QUERIES[(b - 1) % #QUERIES + 1]
    local t0 = os.clock()
    for _ = 1, 100 do k2.search(q) end
    batches[#batches + 1] = (os.clock() - t0) / 100 * 1e6
  end
  return median(batches)
end

local function verdict(value, budget) return value <= budget and "within" or "OVER" end

local extra, bare = startup()
local lua_us = search_us()
print(("%-52s %10s %10s  %s"):format("measure", "value", "budget", ""))
print(("%-52s %8.2f ms %7.1f ms  %s"):format("require \"k2\" + first search, minus bare lua5.4", extra, 2, verdict(extra, 2)))
print(("%-52s %8.2f ms"):format("(bare lua5.4 process)", bare))
print(("%-52s %8.1f µs %7.0f µs  %s"):format("search, 1-3 words, Lua API, median of batches", lua_us, 20, verdict(lua_us, 20)))
