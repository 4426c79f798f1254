--- Scores k2.ask on the question set (tests/ask/questions.lua). A question
--- passes when its answer holds the expected key: a fact id among the first
--- 3 facts of a search answer (at rank 1 it counts towards the rank-1 share),
--- or anywhere in a dose, timing, check or pk answer's to_table() (the answer
--- the user reads holds the fact, whichever kind it is); a {field = value}
--- key (a figure or level) also needs the expected kind and holds within
--- 1 % (`true`: the field is there). A dedicated answer is one object, so
--- for it right at rank 1 and in the top 3 are the same. The kind share says
--- how often the expected kind was chosen.
--- Run from the checkout: lua5.4 tests/ask/score.lua [-v] [FILE]. Ends with
--- "N passed, N failed"; the exit status is 0 (a share, not a gate).

package.path = "lua/?.lua;lua/?/init.lua;tests/ask/?.lua;" .. package.path
local k2 = require("k2")
-- arguments: -v (each failure), and another question file (tests/ask/fresh.lua)
local verbose, file = false, "tests/ask/questions.lua"
for _, a in ipairs(arg or {}) do
  if a == "-v" then verbose = true else file = a end
end
local questions = dofile(file)

-- 1 when `t` (plain data) holds the string `id` or the field `key` with `want`.
local function holds(t, id, key, want)
  if type(t) ~= "table" then return false end
  for k, v in pairs(t) do
    if id and v == id then return true end
    if key and k == key then
      if want == true then return true end
      if type(v) == "number" and type(want) == "number" then
        if math.abs(v - want) <= 0.01 * math.abs(want) then return true end
      elseif v == want then return true end
    end
    if type(v) == "table" and holds(v, id, key, want) then return true end
  end
  return false
end

local function key_of(expect)
  if type(expect) == "string" then return expect, nil, nil end
  local key, want = next(expect)
  return nil, key, want
end

-- rank of the expected answer: 1, 2, 3, ... or nil when it is not there.
local function rank(r, kind, expect)
  local id, key, want = key_of(expect)
  if not r or (r.kind ~= kind and not id) then return nil end
  if r.kind == "search" then
    for i, f in ipairs(r.answer) do if f.id == id then return i end end
    return nil
  end
  return holds(r.answer:to_table(), id, key, want) and 1 or nil
end

local passed, failed, first, top3, kinds = 0, 0, 0, 0, 0
for _, case in ipairs(questions) do
  local text, kind, expect = case[1], case[2], case[3]
  local r = k2.ask(text, { limit = 10 })
  local at = rank(r, kind, expect)
  if r and r.kind == kind then kinds = kinds + 1 end
  if at == 1 then first = first + 1 end
  if at and at <= 3 then top3 = top3 + 1; passed = passed + 1
  else
    failed = failed + 1
    if verbose then
      local got = r and (r.kind .. (r.kind == "search" and r.answer[1] and (" " .. r.answer[1].id) or "")) or "nil"
      print(("FAIL %-60s want %s %s, got %s [%s]"):format(text, kind, type(expect) == "string" and expect
        or (tostring(next(expect)) .. "=" .. tostring(select(2, next(expect)))), got, r and r.understood or ""))
    end
  end
end
local n = #questions
print(("%d questions: right at rank 1 %.0f %% (%d), in the top 3 %.0f %% (%d)"):format(n, 100 * first / n, first,
  100 * top3 / n, top3))
print(("kind chosen as expected: %.0f %% (%d)"):format(100 * kinds / n, kinds))
print(("%d passed, %d failed"):format(passed, failed))
