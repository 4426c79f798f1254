-- tests/oom/prelude.lua — what every out-of-memory sweep script starts from
-- (tests/oom/oom.c runs it first and passes its result, k2, to the script):
-- load k2, open the built-in store, load the model, advice and printing
-- modules and the advice rules. Its own failure points are swept once, by
-- sweeping this file, in the stages that oom_stage(n) ends (a sweep's cost
-- grows with the square of what it sweeps); every other script's sweep
-- starts after it.
-- luacheck: globals oom_stage (registered by tests/oom/oom.c)
local k2 = require("k2")
oom_stage(1)
local info = assert(k2.info())
oom_stage(2)
assert(tostring(info):find(k2.version, 1, true))
oom_stage(3)
assert(k2.pk)
oom_stage(4)
assert(k2.dose and k2.notice())
oom_stage(5)
return k2
