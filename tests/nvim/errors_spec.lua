-- errors_spec.lua — every wrong :K2 call is one vim.notify at ERROR level
-- with the usage line; never a traceback, never a float.
local t = ...
vim.cmd("runtime! plugin/k2.lua")

t.case("errors: vim.notify at ERROR level with the usage line, never a traceback", function()
  for _, cmd in ipairs({ "K2 dose MK-7 age=abc", "K2 frob", "K2 pk MK-7", "K2 dose MK-9", "K2 check MK-7 lots",
    "K2 dose MK-7 weight=70", "K2 fact", "K2", "K2 pk MK-7 180ug every=0h days=3", "K2 dose MK-7 --age 40",
    "K2 dose MK-7 banana", "K2 timing MK-7 extra", "K2 check MK-7 100ug more", "K2 sources all",
    "K2 dose MK-7 pregnant=perhaps", "K2 search limit=5", "K2 search warfarin limit=many" }) do
    t.run(cmd)
    local n = t.last_note()
    assert(n.level == vim.log.levels.ERROR, cmd .. ": level " .. tostring(n.level))
    assert(n.msg:find("usage: :K2", 1, true), cmd .. ": no usage line: " .. n.msg)
    assert(not n.msg:find("traceback", 1, true) and not n.msg:find("%.lua:%d+:"), cmd .. ": " .. n.msg)
    assert(vim.api.nvim_win_get_config(0).relative == "", cmd .. ": a float opened")
  end
end)
