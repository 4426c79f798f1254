-- args_spec.lua — arguments as people type them: "180 ug" is one dose, a
-- list runs to the next key=value (meds=warfarin sodium, Eliquis), a known
-- value with a space needs no quotes (evidence=human RCT), quotes group,
-- search filters (form=, topic=) with or without words.
local t = ...
vim.cmd("runtime! plugin/k2.lua")
local nv = require("k2.nvim")

local picked
local function pick_first()
  picked = nil
  vim.ui.select = function(items, opts, on_choice)
    picked = { items = items, prompt = opts.prompt }
    on_choice(items[1])
  end
end

t.case("words: quotes group, a backslash keeps a blank", function()
  assert(vim.deep_equal(nv.tokens([[search "vitamin k" a\ b 'c d']]), { "search", "vitamin k", "a b", "c d" }))
  assert(vim.deep_equal(nv.tokens("  pk   MK-7  "), { "pk", "MK-7" }))
end)

t.case(":K2 pk MK-7 180 ug, every=24 h and duration=3 d read as amounts", function()
  t.run("K2 pk MK-7 180 ug")
  assert(t.float_text():find("MK-7 180 µg", 1, true), t.last_note().msg)
  t.run("K2 pk MK-7 0.18 mg every=24 h days=10")
  assert(t.float_text():find("MK-7 180 µg", 1, true) and t.float_text():find("every 24 h", 1, true),
    t.float_text():sub(1, 300))
  t.run("K2 check MK-7 100 ug")
  assert(t.float_text():find("100 µg", 1, true), t.last_note().msg)
end)

t.case("meds=warfarin sodium, Eliquis is two medicines, no backslash", function()
  t.run("K2 check MK-7 180 ug meds=warfarin sodium, Eliquis")
  local text = t.float_text()
  assert(text:find("with warfarin sodium, Eliquis", 1, true), text:sub(1, 200))
  assert(text:find("WARNING", 1, true), text:sub(1, 200))
  t.run("K2 check MK-7 meds=warfarin age=70")
  assert(t.float_text():find("warfarin", 1, true))
end)

t.case(":K2 search filters: form= and topic=, with words or alone; evidence=human RCT", function()
  pick_first()
  t.run("K2 search warfarin form=MK-7 topic=interactions")
  assert(picked and #picked.items > 0, "no picker: " .. t.last_note().msg)
  local k2 = require("k2")
  local function ids(list) return vim.tbl_map(function(f) return f.id end, list) end
  local want = k2.search("warfarin", { form = "MK-7", topic = "interactions", limit = 50 })
  assert(vim.deep_equal(ids(picked.items), ids(want)), "not the API's filtered search")
  assert(#want < #k2.search("warfarin", { limit = 50 }), "the filters filter nothing here")
  for _, f in ipairs(picked.items) do assert(f.topic == "interactions", f.id .. " " .. f.topic) end
  t.run("K2 search topic=pharmacokinetics form=MK-4")
  assert(picked and #picked.items > 0, t.last_note().msg)
  assert(vim.deep_equal(ids(picked.items), ids(k2.facts({ topic = "pharmacokinetics", form = "MK-4" }))))
  picked = nil
  t.run("K2 search evidence=human RCT")
  assert(picked and #picked.items > 0, t.last_note().msg)
  for _, f in ipairs(picked.items) do assert(f.evidence == "human RCT", f.id .. ": " .. f.evidence) end
  picked = nil
  t.run("K2 search vitamin k2 evidence=human RCT")
  assert(picked and #picked.items > 0, t.last_note().msg)
  assert(picked.prompt:find("vitamin k2", 1, true), picked.prompt)
end)
