-- tests/fuzz/drive.lua — the Lua side of fuzz_lua.c: returns a function
-- that feeds one fuzz input (a string; a newline splits it into two fields)
-- to every part of the API that takes a user's text, and prints each
-- result as the REPL would. API errors are caught here: a nil, message or a
-- raised Lua error is an accepted outcome; the harness looks for crashes.
local k2 = require("k2")

local function try(f, ...)
  local ok, a, b = pcall(f, ...)
  if ok and a ~= nil then pcall(tostring, a) end
  return ok, a, b
end

return function(s)
  local first, second = s:match("^([^\n]*)\n?(.*)$")
  try(k2.search, s, { limit = 5 })
  try(k2.fact, s)
  try(k2.parse_dose, s)
  try(k2.parse_duration, s)
  try(k2.form, first)
  try(k2.dose, { form = first, age = tonumber(second) or 30 })
  try(k2.timing, { form = first })
  try(k2.check, { form = "MK-7", dose = first, meds = { second } })
  try(k2.pk.simulate, { form = "MK-7", dose = first, every = second ~= "" and second or "24h", days = 2, step = "1h" })
end
