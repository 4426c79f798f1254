#!/bin/sh
# advice_warfarin.sh — mutation check for tests/lua/advice/check_spec.lua: the
# spec must fail when k2 loses what it says about warfarin. The tree is copied
# to a temporary directory, the vitamin K antagonist record (the rule behind
# the warfarin finding) is removed from the copy's data/advice.rec, the image
# and the core are rebuilt there for Lua 5.4, and the spec is run against
# them. The unbroken copy must pass first (else the check proves nothing).
# Prints "mutation advice_warfarin: caught" and exits 0 only if the spec
# FAILS on the mutant; otherwise "mutation advice_warfarin: NOT caught", exit 1.
# Needs a built checkout (make), busted, sqlite3, and Lua 5.4 headers.
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
CC=${CC:-cc}
SPEC=tests/lua/advice/check_spec.lua
RECORD='Medicine: vitamin-k-antagonists'
TMP=$(mktemp -d "${TMPDIR:-/tmp}/k2-mutation.XXXXXX")
# K2_MUTATION_LOGS=dir keeps the build and spec logs there.
trap '[ -n "${K2_MUTATION_LOGS:-}" ] && mkdir -p "$K2_MUTATION_LOGS" && cp "$TMP"/*.log "$K2_MUTATION_LOGS"/ 2>/dev/null; rm -rf "$TMP"' EXIT INT TERM

if [ ! -f "$ROOT/build/5.4/k2/core.so" ]; then
  echo "mutation advice_warfarin: build/5.4/k2/core.so is missing; run make first"
  exit 2
fi
LUA_CFLAGS=$(pkg-config --cflags lua5.4)
SQLITE_CFLAGS=$(pkg-config --cflags sqlite3 2>/dev/null)
SQLITE_LIBS=$(pkg-config --libs sqlite3 2>/dev/null || echo -lsqlite3)
# The data's version is the core's (the image must match the Lua files).
VERSION=$(cd "$ROOT" && lua5.4 -e 'package.cpath = "build/5.4/?.so;" .. package.cpath; print(require("k2.core").version)')

# The tree the spec runs in: the Lua layer, the spec, the data and tools, the sources.
mkdir -p "$TMP/tree/tests/lua/advice" "$TMP/tree/build/5.4/k2"
for d in lua data tools csrc; do cp -R "$ROOT/$d" "$TMP/tree/"; done
cp "$ROOT/.busted" "$TMP/tree/"
cp "$ROOT/$SPEC" "$TMP/tree/$SPEC"
cp "$ROOT/build/5.4/k2/core.so" "$TMP/tree/build/5.4/k2/core.so"

spec() { (cd "$TMP/tree" && busted --lua=lua5.4 "$SPEC") > "$TMP/$1.log" 2>&1; }

if ! spec original; then
  echo "mutation advice_warfarin: the unbroken tree does not pass the spec; nothing to compare"
  exit 2
fi

# The mutant: the record's paragraph left out of data/advice.rec, with the
# records that refer to it (the thresholds), so the data still validates.
awk -v record="$RECORD" 'BEGIN { RS = ""; ORS = "\n\n" } index("\n" $0 "\n", "\n" record "\n") == 0' \
  "$ROOT/data/advice.rec" > "$TMP/tree/data/advice.rec"
# (other records, such as the thresholds, name the medicine in a field: only a
# paragraph that starts with the record is the record)
starts=$(awk -v record="$RECORD" 'BEGIN { RS = "" } index($0, record "\n") == 1 { n++ } END { print n + 0 }' \
  "$TMP/tree/data/advice.rec")
if cmp -s "$ROOT/data/advice.rec" "$TMP/tree/data/advice.rec" || [ "$starts" -ne 0 ]; then
  echo "mutation advice_warfarin: the record '$RECORD' is not in data/advice.rec; update this script"
  exit 2
fi

# Rebuild: data → SQL → image → the core for Lua 5.4.
(
  cd "$TMP/tree" &&
  K2_VERSION=$VERSION lua5.4 tools/k2data.lua --sql data > "$TMP/k2.sql" &&
  sqlite3 -bail "$TMP/k2.db" < "$TMP/k2.sql" &&
  sqlite3 "$TMP/k2.db" 'VACUUM' &&
  lua5.4 tools/embed.lua "$TMP/k2.db" > "$TMP/k2_image.c" &&
  $CC -O1 -fPIC -shared $LUA_CFLAGS $SQLITE_CFLAGS -Icsrc -o build/5.4/k2/core.so \
    csrc/k2_*.c csrc/lk2*.c "$TMP/k2_image.c" $SQLITE_LIBS -lm
) > "$TMP/build.log" 2>&1 || {
  echo "mutation advice_warfarin: the mutant does not build (see K2_MUTATION_LOGS)"
  exit 2
}

if spec mutant; then
  echo "mutation advice_warfarin: NOT caught"
  exit 1
fi
echo "mutation advice_warfarin: caught"
exit 0
