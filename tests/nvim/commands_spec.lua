-- commands_spec.lua — each :K2 subcommand opens a float with its answer;
-- :K2 search offers the facts in vim.ui.select (stubbed) and opens the choice.
local t = ...
vim.cmd("runtime! plugin/k2.lua")

t.case(":K2 dose opens a float with the answer, its conflict and the notice", function()
  t.run("K2 dose MK-7 age=40")
  local text = t.float_text()
  assert(text:find("100–300 µg/day", 1, true) and text:find("sources disagree", 1, true)
    and text:find("not medical advice", 1, true), text)
end)

t.case(":K2 timing, :K2 check, :K2 fact, :K2 sources", function()
  t.run("K2 timing MK-7")
  assert(t.float_text():find("peaks at 4 h", 1, true))
  t.run("K2 check MK-4 45mg age=70 meds=warfarin")
  assert(t.float_text():find("AVOID", 1, true))
  t.run("K2 fact seed.mk7.tmax")
  assert(t.float_text():find("evidence: popular article", 1, true))
  t.run("K2 sources")
  assert(t.float_text():find("[GE04]", 1, true))
end)

t.case(":K2 search offers the facts in vim.ui.select and opens the choice", function()
  local seen
  local original = vim.ui.select
  vim.ui.select = function(items, opts, on_choice)
    seen = { items = items, prompt = opts.prompt, first = opts.format_item(items[1]) }
    on_choice(items[1])
  end
  t.run("K2 search warfarin")
  vim.ui.select = original
  assert(seen and #seen.items >= 1 and seen.prompt:find("warfarin", 1, true), "picker not called")
  assert(seen.first:find(seen.items[1].id, 1, true))
  assert(t.float_text():find(seen.items[1].claim:sub(1, 20), 1, true))
end)

t.case(":K2 conflict, :K2 source, and the pk float pointing at :K2 conflict", function()
  t.run("K2 conflict mk7-tmax")
  assert(t.float_text():find("sources disagree [mk7-tmax]", 1, true), t.last_note().msg)
  t.run("K2 source S07b")
  assert(t.float_text():find("Schurgers", 1, true), t.last_note().msg)
  t.run("K2 pk MK-7 180ug")
  assert(t.float_text():find(":K2 conflict id", 1, true), "the pk float does not name :K2 conflict")
end)

t.case(":K2 ask {question} and :K2 {sentence} answer the question", function()
  t.run("K2 ask how much K2 for my 10 year old")
  local asked = t.float_text()
  assert(asked:find("60 µg/day", 1, true), asked:sub(1, 300))
  t.run("K2 how much K2 for my 10 year old")
  assert(t.float_text():gsub("^[^\n]*\n", "") == asked:gsub("^[^\n]*\n", ""), "the sentence is not the same question")
  t.run("K2 frob")
  assert(t.last_note().msg:find("unknown subcommand 'frob'", 1, true) and #t.floats() == 0)
end)

-- :K2 food runs on the real USDA table; the journal API may be absent (then
-- :K2 log and :K2 now say so) and is stubbed to check the arguments as typed.
t.case(":K2 food picks from the real table; :K2 log and :K2 now pass what was typed", function()
  local k2 = require("k2")
  local original, offered = vim.ui.select, nil
  vim.ui.select = function(items, o, on_choice) offered = o.format_item(items[1]); on_choice(items[1]) end
  t.run("K2 food spinach raw")
  vim.ui.select = original
  assert(offered and offered:find("[11457; K1 482.9 µg/100 g]", 1, true), tostring(offered))
  assert(t.float_text():find("11457 Spinach, raw", 1, true), t.float_text())
  t.run("K2 food 11457")
  assert(t.float_text():find("agency reference; USDA-SR24", 1, true), t.float_text())
  t.run("K2 food zzqqxx")
  assert(t.last_note().msg:find("no food matches 'zzqqxx'", 1, true), t.last_note().msg)
  local real = rawget(k2, "journal")
  if real == nil then
    for _, cmd in ipairs({ "K2 log MK-7 180 ug", "K2 now" }) do
      t.run(cmd)
      assert(t.last_note().msg:find("which this k2 does not have yet", 1, true), t.last_note().msg)
    end
  end
  local function result(text)
    return setmetatable({ text = text }, { __index = { lines = function(self) return { self.text } end } })
  end
  local added = {}
  rawset(k2, "journal", { open = function(path)
    return { path = path, add = function(_, e) added[#added + 1] = e; return result("added") end,
      level = function(_, o) return result("level of " .. o.form) end }
  end })
  t.run("K2 log MK-7 180 ug")
  assert(vim.deep_equal(added[1], { form = "MK-7", dose = "180 ug" }), vim.inspect(added))
  t.run("K2 log 1 cup raw spinach")
  assert(vim.deep_equal(added[2], { text = "1 cup raw spinach" }), vim.inspect(added))
  t.run("K2 now MK-4")
  assert(t.float_text():find("level of MK-4", 1, true), t.float_text())
  t.run("K2 now")
  assert(t.float_text():find("level of MK-7", 1, true))
  rawset(k2, "journal", real)
end)
