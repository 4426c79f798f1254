-- reader.lua — the reader of the concurrency suite (run.sh): reads the journal's entries
-- over and over while the writers add, until the file STOP exists. Every read must
-- succeed and see no fewer entries than the read before (a reader sees whole commits).
-- Prints "FAIL ..." for a failed or shrinking read, then "reads R, last K entries".
-- Usage: lua5.4 tests/journal/reader.lua PATH STOP
package.path = "lua/?.lua;lua/?/init.lua;" .. package.path
package.cpath = "build/5.4/?.so;" .. package.cpath
local k2 = require("k2")
local path, stop = arg[1], arg[2]
local function exists(p) local f = io.open(p, "rb") if f then f:close() end return f ~= nil end
local reads, last = 0, 0
repeat
  if exists(path) then
    local j, err = k2.journal.open(path)
    local list
    if j then list, err = j:entries() end
    if not list then
      print("FAIL read: " .. tostring(err))
    else
      if #list < last then print(("FAIL read %d: %d entries after %d"):format(reads + 1, #list, last)) end
      last = #list
    end
    if j then j:close() end
    reads = reads + 1
  end
until exists(stop)
print(("reads %d, last %d entries"):format(reads, last))
