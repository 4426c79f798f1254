#!/bin/sh
# lifetime_drop.sh — mutation check for tests/lua/lifetime_spec.lua: the spec
# must fail when the handle recipe is broken. The binding is copied into a
# temporary tree and broken in one way at a time — close does nothing, __gc
# does nothing, a population's close forgets its C memory, a curve's close
# frees but keeps the pointer — rebuilt there for Lua 5.4 against the core
# compiled once from this checkout, and the spec is run on each mutant. The
# unbroken copy must pass first (else the check proves nothing). Prints
# "mutation lifetime_drop: caught" and exits 0 only if every mutant made the
# spec fail; otherwise "mutation lifetime_drop: NOT caught (...)", exit 1.
# Needs build/k2_image.c (run `make` first), busted and Lua 5.4 headers.
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
CC=${CC:-cc}
TMP=$(mktemp -d "${TMPDIR:-/tmp}/k2-mutation.XXXXXX")
# K2_MUTATION_LOGS=dir keeps each mutant's build and spec log there.
trap '[ -n "${K2_MUTATION_LOGS:-}" ] && mkdir -p "$K2_MUTATION_LOGS" && cp "$TMP"/*.log "$K2_MUTATION_LOGS"/; rm -rf "$TMP"' EXIT INT TERM

if [ ! -f "$ROOT/build/k2_image.c" ]; then
  echo "mutation lifetime_drop: build/k2_image.c is missing; run make first"
  exit 2
fi
LUA_CFLAGS=$(pkg-config --cflags lua5.4)
SQLITE_CFLAGS=$(pkg-config --cflags sqlite3 2>/dev/null)
SQLITE_LIBS=$(pkg-config --libs sqlite3 2>/dev/null || echo -lsqlite3)

# The tree the spec runs in: the Lua layer, the spec, and a build/5.4 slot.
mkdir -p "$TMP/tree/tests/lua" "$TMP/tree/build/5.4/k2" "$TMP/obj"
cp -R "$ROOT/lua" "$TMP/tree/"
cp "$ROOT/.busted" "$TMP/tree/"
cp "$ROOT/tests/lua/lifetime_spec.lua" "$TMP/tree/tests/lua/"

# The core, once (no mutant touches it).
for f in "$ROOT"/csrc/k2_*.c "$ROOT/build/k2_image.c"; do
  $CC -O1 -fPIC -I"$ROOT/csrc" $SQLITE_CFLAGS -c "$f" -o "$TMP/obj/$(basename "$f" .c).o" &
done
wait

# mutant NAME FILE PERL-EXPRESSION: a copy of csrc/ with one edit, built and specced.
# Prints the spec's exit status ("pass" or "fail"), or "unapplied".
run_mutant() {
  name=$1 file=$2 expr=$3
  rm -rf "$TMP/csrc" && cp -R "$ROOT/csrc" "$TMP/csrc"
  if [ -n "$file" ]; then
    perl -0pi -e "$expr" "$TMP/csrc/$file"
    if cmp -s "$ROOT/csrc/$file" "$TMP/csrc/$file"; then echo unapplied; return; fi
  fi
  if ! $CC -O1 -fPIC -shared $LUA_CFLAGS -I"$TMP/csrc" -o "$TMP/tree/build/5.4/k2/core.so" \
      "$TMP"/csrc/lk2*.c "$TMP"/obj/*.o $SQLITE_LIBS -lm > "$TMP/$name.build.log" 2>&1; then
    echo unbuilt; return
  fi
  if (cd "$TMP/tree" && busted --lua=lua5.4 tests/lua/lifetime_spec.lua) > "$TMP/$name.log" 2>&1; then
    echo pass
  else
    echo fail
  fi
}

NOOP='static int noop_close(lua_State *L) { (void)L; return 0; }\n\n'

status=$(run_mutant original "" "")
if [ "$status" != pass ]; then
  echo "mutation lifetime_drop: the unbroken binding does not pass the spec ($status); nothing to compare"
  exit 2
fi

missed=""
check() {
  status=$(run_mutant "$@")
  case $status in
    fail) echo "  $1: caught" ;;
    pass) echo "  $1: NOT caught"; missed="$missed $1" ;;
    *) echo "  $1: $status (the mutation no longer matches the source; update this script)"; missed="$missed $1" ;;
  esac
}

check close-noop lk2.c \
  "s/(void lk2_new_class\()/${NOOP}\$1/; s/lua_pushcfunction\(L, close\);/lua_pushcfunction(L, noop_close);/"
check gc-noop lk2.c \
  "s/(void lk2_new_class\()/${NOOP}\$1/; s/lua_pushvalue\(L, -1\);\n(\s*)lua_setfield\(L, -4, \"__gc\"\);/lua_pushcfunction(L, noop_close);\n\$1lua_setfield(L, -4, \"__gc\");/"
check population-keeps-memory lk2_pk.c \
  "s/k2_population_free\(\(k2_population \*\)h->ptr\);//"
check curve-keeps-pointer lk2_pk.c \
  "s/(k2_curve_free\(\(k2_curve \*\)h->ptr\);)\n\s*h->ptr = NULL;/\$1/"

if [ -z "$missed" ]; then
  echo "mutation lifetime_drop: caught"
  exit 0
fi
echo "mutation lifetime_drop: NOT caught ($(echo $missed))"
exit 1
