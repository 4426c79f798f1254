#!/bin/sh
# check-abi.sh — each build of k2.core loads in its own runtime and refuses
# to load in the other one (the ABI tripwire in csrc/lk2.c). Prints what each
# runtime said, then "abi: N passed, N failed".
set -u
passed=0
failed=0
try() { # RUNTIME SO EXPECT(load|refuse)
  out=$($1 -e "local f, err = package.loadlib('$2', 'luaopen_k2_core')
    if not f then print('refused: ' .. err) os.exit(1) end
    local m = f() print('loaded: k2.core ' .. m.version .. ' abi ' .. m.abi)" 2>&1)
  rc=$?
  if { [ "$3" = load ] && [ $rc -eq 0 ]; } || { [ "$3" = refuse ] && [ $rc -ne 0 ] && echo "$out" | grep -q 'undefined symbol'; }; then
    passed=$((passed + 1)); verdict=ok
  else
    failed=$((failed + 1)); verdict=WRONG
  fi
  printf '%-6s %-8s %-22s expect %-6s -> %s\n' "$verdict" "$1" "$2" "$3" "$out"
}
try lua5.4 build/5.4/k2/core.so load
try luajit build/5.1/k2/core.so load
try luajit build/5.4/k2/core.so refuse
try lua5.4 build/5.1/k2/core.so refuse
if command -v lua5.1 >/dev/null 2>&1; then
  try lua5.1 build/5.1/k2/core.so load
  try lua5.1 build/5.4/k2/core.so refuse
fi
# The 5.1 build must not depend on API that PUC Lua 5.1 lacks.
if nm -D --undefined-only build/5.1/k2/core.so | grep -q 'luaL_setfuncs'; then
  failed=$((failed + 1)); echo "WRONG  5.1 build references luaL_setfuncs (absent from PUC Lua 5.1)"
else
  passed=$((passed + 1)); echo "ok     5.1 build uses only Lua 5.1 API (no luaL_setfuncs)"
fi
echo "abi: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
