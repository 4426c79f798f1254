#!/bin/sh
# test_install.sh — k2 installed the three ways a user installs it loads and
# answers: `make install` into a staging DESTDIR (Lua 5.4), and `luarocks
# make` into a private tree for Lua 5.4 and for Lua 5.1 (loaded by LuaJIT).
# Prints one line per case and "install: N passed, N failed".
set -u
passed=0
failed=0
stage=build/stage
probe='local k2 = require("k2"); assert(#k2.search("warfarin") > 0); assert(k2.parse_dose("0.18 mg") == 180); io.write(k2.version, " ", k2.abi, " ", package.searchpath("k2.core", package.cpath) or "?")'
check() { # NAME RUNTIME LUA_PATH LUA_CPATH
  if out=$($2 -e "package.path='$3'; package.cpath='$4'; $probe" 2>&1); then
    passed=$((passed + 1)); echo "ok   $1: $out"
  else
    failed=$((failed + 1)); echo "FAIL $1: $out"
  fi
}
rm -rf "$stage"
if make -s install DESTDIR="$PWD/$stage" PREFIX=/usr/local > build/logs/install-make.log 2>&1; then
  check "make install (Lua 5.4)" lua5.4 "$stage/usr/local/share/lua/5.4/?.lua;$stage/usr/local/share/lua/5.4/?/init.lua" \
    "$stage/usr/local/lib/lua/5.4/?.so"
  if out=$("$stage/usr/local/bin/k2" parse 3d 2>&1) && [ "$out" = "72 h" ] \
     && "$stage/usr/local/bin/k2" dose MK-7 --age 40 >/dev/null 2>&1; then
    passed=$((passed + 1)); echo "ok   installed bin/k2 finds its modules: parse 3d -> $out"
  else
    failed=$((failed + 1)); echo "FAIL installed bin/k2: $out"
  fi
else
  failed=$((failed + 1)); echo "FAIL make install"; cat build/logs/install-make.log
fi
if command -v luarocks >/dev/null 2>&1 && make -s rock > build/logs/install-rock.log 2>&1; then
  check "luarocks make (Lua 5.4)" lua5.4 "build/rocks-5.4/share/lua/5.4/?.lua;build/rocks-5.4/share/lua/5.4/?/init.lua" \
    "build/rocks-5.4/lib/lua/5.4/?.so"
  check "luarocks make (Lua 5.1 ABI, LuaJIT)" luajit "build/rocks-5.1/share/lua/5.1/?.lua;build/rocks-5.1/share/lua/5.1/?/init.lua" \
    "build/rocks-5.1/lib/lua/5.1/?.so"
else
  failed=$((failed + 1)); echo "FAIL luarocks make"; tail -20 build/logs/install-rock.log
fi
echo "install: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
