-- tests/oom/selftest.lua — the harness's self-test (oom selftest): opens a
-- store through oom_leaky_open, which tests/oom/oom.c registers only in
-- that mode and which leaks when its userdata cannot be allocated. The
-- sweep passes only if it reports that leak.
local store = oom_leaky_open() -- luacheck: ignore 113 (registered by the harness)
assert(store)
return "ok"
