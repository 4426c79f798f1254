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
