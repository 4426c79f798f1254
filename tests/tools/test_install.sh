#!/bin/sh
# test_install.sh — k2 installed the ways a user installs it loads and
# answers: `make install` into a staging DESTDIR (Lua 5.4), then `make
# uninstall` leaves no file behind; `luarocks make` into a private tree for
# Lua 5.4 and for Lua 5.1 (loaded by LuaJIT); and the source rock of `make
# dist` installed by `luarocks install` into a scratch tree for both (it
# must build from the rock alone: the checkout is not on any path).
# Prints one line per case and "install: N passed, N failed".
set -u
passed=0
failed=0
stage=$PWD/build/stage
mkdir -p build/logs
ok() { passed=$((passed + 1)); echo "ok   $1"; }
bad() { failed=$((failed + 1)); echo "FAIL $1"; }
probe='local k2 = require("k2"); assert(#k2.search("warfarin") > 0); assert(k2.parse_dose("0.18 mg") == 180); io.write(k2.version, " ", k2.abi, " ", package.searchpath("k2.core", package.cpath) or "?")'
check() { # NAME RUNTIME LUA_PATH LUA_CPATH
  if out=$(cd /tmp && $2 -e "package.path='$3'; package.cpath='$4'; $probe" 2>&1); then ok "$1: $out"; else bad "$1: $out"; fi
}
# tree_check NAME RUNTIME TREE ABI: k2 from a LuaRocks tree
tree_check() {
  check "$1" "$2" "$3/share/lua/$4/?.lua;$3/share/lua/$4/?/init.lua" "$3/lib/lua/$4/?.so"
}

rm -rf "$stage"
if make -s install DESTDIR="$stage" PREFIX=/usr/local > build/logs/install-make.log 2>&1; then
  check "make install (Lua 5.4)" lua5.4 "$stage/usr/local/share/lua/5.4/?.lua;$stage/usr/local/share/lua/5.4/?/init.lua" \
    "$stage/usr/local/lib/lua/5.4/?.so"
  if out=$("$stage/usr/local/bin/k2" parse 3d 2>&1) && [ "$out" = "72 h" ] \
     && "$stage/usr/local/bin/k2" dose MK-7 --age 40 >/dev/null 2>&1; then
    ok "installed bin/k2 finds its modules: parse 3d -> $out"
  else
    bad "installed bin/k2: $out"
  fi
  if [ -f "$stage/usr/local/share/lua/5.4/k2/nvim/init.lua" ]; then ok "make install puts down the Neovim module"
  else bad "make install left out lua/k2/nvim"; fi
  make -s uninstall DESTDIR="$stage" PREFIX=/usr/local >> build/logs/install-make.log 2>&1
  left=$(find "$stage" -type f -o -type d -name k2 | sed "s|^$stage||")
  if [ -z "$left" ]; then ok "make uninstall removes everything make install put down"
  else bad "make uninstall left: $(echo $left)"; fi
else
  bad "make install"; cat build/logs/install-make.log
fi

if ! command -v luarocks >/dev/null 2>&1; then
  bad "luarocks is missing (sh tools/deps.sh test)"
else
  if make -s rock > build/logs/install-rock.log 2>&1; then
    tree_check "luarocks make (Lua 5.4)" lua5.4 "$PWD/build/rocks-5.4" 5.4
    tree_check "luarocks make (Lua 5.1 ABI, LuaJIT)" luajit "$PWD/build/rocks-5.1" 5.1
  else
    bad "luarocks make"; tail -20 build/logs/install-rock.log
  fi
  rock=$(ls k2-*-1.src.rock 2>/dev/null | head -n 1)
  scratch=$PWD/build/scratch
  rm -rf "$scratch"; mkdir -p "$scratch"
  if [ -z "$rock" ]; then
    bad "no source rock (make dist)"
  else
    cp "$rock" "$scratch/"
    for v in 5.4 5.1; do
      runtime=$([ $v = 5.4 ] && echo lua5.4 || echo luajit)
      if (cd "$scratch" && luarocks --lua-version=$v --tree="$scratch/tree-$v" install "./$rock") \
           > build/logs/install-src-rock-$v.log 2>&1; then
        tree_check "luarocks install $rock (Lua $v, $runtime)" $runtime "$scratch/tree-$v" $v
      else
        bad "luarocks install $rock (Lua $v)"; tail -20 build/logs/install-src-rock-$v.log
      fi
    done
  fi
fi
echo "install: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
