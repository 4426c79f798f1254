-- tests/oom/prelude.lua — what every out-of-memory sweep script starts from
-- (tests/oom/oom.c runs it first and passes its result, k2, to the script):
-- load k2, open the built-in store, load the model, advice and printing
-- modules and the advice rules. Its own failure points are swept once, by
-- sweeping this file; every other script's sweep starts after it.
local k2 = require("k2")
local info = assert(k2.info())
assert(tostring(info):find(k2.version, 1, true))
assert(k2.pk and k2.dose and k2.notice())
return k2
