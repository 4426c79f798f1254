#!/bin/sh
# dist.sh — `make dist`: writes k2-VERSION-1.src.rock, a source rock that
# `luarocks install` builds with only a C compiler, the Lua headers and
# libsqlite3-dev (no make, no Lua data compiler): a tarball of the sources
# (csrc/, lua/, plugin/, doc/, syntax/, ftplugin/, bin/) with the generated build/k2_image.c,
# and the versioned rockspec tools/rockspec.lua writes, zipped side by side
# the way `luarocks pack` lays a .src.rock out (the rockspec's source url is
# the tarball's bare name: LuaRocks finds it inside the rock).
#   sh tools/dist.sh VERSION FILES...   (FILES: the C and Lua sources, from the Makefile)
set -eu
version=$1; shift
name=k2-$version
work=build/dist
rm -rf "$work"; mkdir -p "$work/$name/build"
for f in "$@" csrc/*.h; do
  mkdir -p "$work/$name/$(dirname "$f")"
  cp "$f" "$work/$name/$f"
done
cp build/k2_image.c "$work/$name/build/"
cp -R plugin doc syntax ftplugin bin README.md "$work/$name/"
lua5.4 tools/rockspec.lua "$version" "$@" > "$work/$name-1.rockspec"
(cd "$work" && tar -czf "$name.tar.gz" "$name" && zip -q -X "$name-1.src.rock" "$name-1.rockspec" "$name.tar.gz")
mv "$work/$name-1.src.rock" .
echo "wrote $name-1.src.rock"
