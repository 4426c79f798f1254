-- writer.lua — one writer of the concurrency suite (run.sh): adds N doses of a form, one
-- transaction each, to the journal at PATH while other processes write and read it. Dose i
-- is i µg, so the checker can tell every add apart. Prints "FAIL add i: message" for an add
-- that did not return an id (busy, locked or anything else), then "wrote K of N".
-- Usage: lua5.4 tests/journal/writer.lua PATH FORM N
package.path = "lua/?.lua;lua/?/init.lua;" .. package.path
package.cpath = "build/5.4/?.so;" .. package.cpath
local k2 = require("k2")
local path, form, n = arg[1], arg[2], tonumber(arg[3])
local j = assert(k2.journal.open(path))
local wrote = 0
for i = 1, n do
  local id, err = j:add({ form = form, dose = i, at = "2026-11-01T08:00:00Z" })
  if id then wrote = wrote + 1 else print(("FAIL add %d: %s"):format(i, tostring(err))) end
end
j:close()
print(("wrote %d of %d"):format(wrote, n))
