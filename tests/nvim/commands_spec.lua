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

-- :K2 food runs on the real USDA table.
t.case(":K2 food picks from the real table", function()
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
  -- a food USDA did not measure is "not measured", with no unit after it
  vim.ui.select = function(items, o, on_choice) offered = o.format_item(items[1]); on_choice(items[1]) end
  t.run("K2 food tempeh")
  vim.ui.select = original
  assert(offered and offered:find("[16114; K1 not measured]", 1, true), tostring(offered))
end)

-- :K2 log and :K2 now on a real journal file, shared with the shell's k2 log.
t.case(":K2 log writes the journal the shell reads; :K2 now shows every logged form", function()
  local dir = vim.fn.tempname()
  local path = dir .. "/journal.sqlite"
  vim.env.K2_JOURNAL = path
  t.run("K2 now")
  assert(t.last_note().msg:find("no doses in", 1, true), t.last_note().msg)
  t.run("K2 log MK-7 180 ug")
  assert(t.last_note().msg:find("logged #1 .* MK%-7 180 ug: MK%-7 180 µg"), t.last_note().msg)
  t.run("K2 log 1 cup raw spinach")
  assert(t.last_note().msg:find("K1 144.87 µg", 1, true), t.last_note().msg)
  t.run("K2 log MK-7 lots")
  assert(t.last_note().msg:find("lots", 1, true), t.last_note().msg)
  local out = vim.fn.system({ "bin/k2", "log", "MK-4", "1.5mg", "--journal", path })
  assert(vim.v.shell_error == 0 and out:find("logged #3", 1, true), out)
  t.run("K2 now")
  local text = t.float_text()
  assert(text:find("MK-7 level at", 1, true) and text:find("MK-4 level at", 1, true)
    and text:find("not medical advice", 1, true), text)
  t.run("K2 now MK-4")
  assert(not t.float_text():find("MK-7 level", 1, true), t.float_text())
  vim.env.K2_JOURNAL = nil
  vim.fn.delete(dir, "rf")
end)

t.case(":K2 studies, :K2 validate, and :K2 pk studies=true drawing the label's peak", function()
  t.run("K2 studies MK-4")
  assert(t.float_text():find("mk4.label.l6-30mg", 1, true), t.float_text())
  t.run("K2 validate MK-4")
  local text = t.float_text()
  assert(text:find("fold error", 1, true) and text:find("mk4.label.l6-30mg", 1, true), text)
  t.run("K2 pk MK-4 30 mg set=label studies=true")
  assert(t.float_text():find("● L6", 1, true), t.float_text())
  t.run("K2 pk MK-4 30 mg set=label")
  assert(not t.float_text():find("●", 1, true))
end)
