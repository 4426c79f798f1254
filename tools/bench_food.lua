-- bench_food.lua — `make bench`, issue 14: the food table against its budgets (shared/design.md).
--   1. one food search (k2.foods, 1-3 words, the Lua API), median over batches: budget 50 µs;
--   2. the food table's first use in a process (open the image + first search): no budget,
--      reported because it is paid once, on first use, never at require "k2";
--   3. require "k2" in-process, with and without loading the food layer afterwards, to show
--      that require itself does not open the food image (k2.food stays unloaded).
-- Usage: lua5.4 tools/bench_food.lua [RUNS]
package.path = "lua/?.lua;lua/?/init.lua;" .. package.path
local RUNS = tonumber(arg[1]) or 200
local QUERIES = { "spinach", "raw spinach", "cheddar", "kale cooked", "natto", "egg yolk", "butter",
  "broccoli raw", "chicken breast roasted", "swiss chard" }

local function median(list)
  table.sort(list)
  local n = #list
  return n % 2 == 1 and list[(n + 1) // 2] or (list[n // 2] + list[n // 2 + 1]) / 2
end

local t0 = os.clock()
local k2 = require("k2")
local require_ms = (os.clock() - t0) * 1e3
local loaded_at_require = package.loaded["k2.food"] ~= nil

t0 = os.clock()
assert(k2.foods("spinach"))
local first_ms = (os.clock() - t0) * 1e3

local batches = {}
for b = 1, RUNS do
  local q = QUERIES[(b - 1) % #QUERIES + 1]
  local t = os.clock()
  for _ = 1, 100 do k2.foods(q) end
  batches[#batches + 1] = (os.clock() - t) / 100 * 1e6
end
local search_us = median(batches)

local function verdict(value, budget) return value <= budget and "within" or "OVER" end
print("== food table (issue 14)")
print(("%-52s %8.1f µs %7.0f µs  %s"):format("food search, 1-3 words, k2.foods, median of batches", search_us, 50,
  verdict(search_us, 50)))
print(("%-52s %8.2f ms"):format("first food call in a process (open image + search)", first_ms))
print(("%-52s %8.2f ms  food layer loaded: %s"):format("require \"k2\" in-process (CPU time)", require_ms,
  loaded_at_require and "YES (OVER)" or "no"))
