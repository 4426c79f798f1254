#!/bin/sh
# run.sh — same answers everywhere: runs tests/identity/cases.lua (10,000+
# cases) under Lua 5.4 and LuaJIT, each with LC_ALL=C and LC_ALL=de_DE.UTF-8
# (a decimal-comma locale), and requires all four outputs byte-identical to
# the first. One case per combination, plus one that the table has at least
# 10,000 cases. Ends with "identity: N passed, N failed".
set -u
out=build/identity; mkdir -p "$out"
passed=0; failed=0
ok() { passed=$((passed + 1)); }
bad() { failed=$((failed + 1)); echo "FAIL: $1"; }
de=$(locale -a 2>/dev/null | grep -i '^de_DE\.utf-\?8$' | head -n 1)
[ -n "$de" ] || { echo "identity: the de_DE.UTF-8 locale is missing (sh tools/deps.sh test generates it)"; }
for lua in lua5.4 luajit; do
  v=$([ $lua = lua5.4 ] && echo 5.4 || echo 5.1)
  for loc in C ${de:-de_DE.UTF-8}; do
    LC_ALL=$loc LUA_PATH="lua/?.lua;lua/?/init.lua;;" LUA_CPATH="build/$v/?.so;;" \
      $lua tests/identity/cases.lua > "$out/$lua-$loc.txt" 2> "$out/$lua-$loc.err" || bad "$lua $loc exited $?"
  done
done
ref="$out/lua5.4-C.txt"
cases=$(grep -c '^[a-z-]* [0-9]* ' "$ref")
if [ "$cases" -ge 10000 ]; then ok; else bad "only $cases cases"; fi
for f in "$out"/*.txt; do
  if [ -s "$f" ] && cmp -s "$ref" "$f" && [ ! -s "${f%.txt}.err" ]; then ok
  else bad "$(basename "$f") differs from lua5.4-C.txt"; diff "$ref" "$f" | head -5; head -3 "${f%.txt}.err"; fi
done
echo "identity: $cases cases in 4 runs (Lua 5.4 and LuaJIT × C and ${de:-no de_DE})"
echo "identity: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
