#!/bin/sh
# run-tests.sh — runs every k2 test suite, prints one line per suite and ends
# with the single line "N passed, N failed" over all of them.
#   sh tools/run-tests.sh            all suites (make test)
#   sh tools/run-tests.sh valgrind   only the Lua suites, under valgrind
# Each suite's output goes to build/logs/<suite>.log; a failing suite's log
# tail is printed. A suite that dies without reporting counts as 1 failure.
set -u
logs=build/logs
mkdir -p "$logs"
passed=0
failed=0
skipped=0

# count SUITE PASSED FAILED [SKIPPED]
count() {
  printf '%-14s %4d passed, %d failed%s\n' "$1:" "$2" "$3" "$( [ "${4:-0}" -gt 0 ] && echo ", $4 skipped")"
  passed=$((passed + $2)); failed=$((failed + $3)); skipped=$((skipped + ${4:-0}))
}

show_log() { echo "---- $logs/$1.log (last 40 lines)"; tail -n 40 "$logs/$1.log"; echo "----"; }

# Every suite runs under a time limit, so a hung editor or REPL can't hang CI.
T="timeout 900"

# A suite whose last "N passed, N failed" line gives its counts.
run_counted() {
  name=$1; shift
  $T "$@" > "$logs/$name.log" 2>&1
  rc=$?
  line=$(grep -E '[0-9]+ passed, [0-9]+ failed' "$logs/$name.log" | tail -n 1)
  p=$(echo "$line" | sed -E 's/^[^0-9]*([0-9]+) passed.*/\1/; t; s/.*/0/')
  f=$(echo "$line" | sed -E 's/.*passed, ([0-9]+) failed.*/\1/; t; s/.*/0/')
  if [ -z "$line" ] || { [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; }; then f=$((f + 1)); fi
  count "$name" "$p" "$f"
  [ "$f" -eq 0 ] || show_log "$name"
}

# A busted suite in TAP form: "ok N", "not ok N", "# SKIP" for pending.
run_tap() {
  name=$1; shift
  $T "$@" > "$logs/$name.log" 2>&1
  rc=$?
  s=$(grep -c '^ok .*# SKIP' "$logs/$name.log")
  p=$(($(grep -c '^ok ' "$logs/$name.log") - s))
  f=$(grep -c '^not ok ' "$logs/$name.log")
  if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi
  if [ "$p" -eq 0 ] && [ "$f" -eq 0 ]; then f=1; fi
  count "$name" "$p" "$f" "$s"
  [ "$f" -eq 0 ] || show_log "$name"
}

# A one-case suite: passes when the command exits 0.
run_one() {
  name=$1; shift
  if $T "$@" > "$logs/$name.log" 2>&1; then count "$name" 1 0; else count "$name" 0 1; show_log "$name"; fi
}

VG="valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite"

if [ "${1:-}" = valgrind ]; then
  run_tap valgrind-5.4 $VG lua5.4 /usr/bin/busted -o TAP
  run_tap valgrind-jit $VG luajit /usr/bin/busted -o TAP
else
  run_one data lua5.4 tools/k2data.lua --check data
  if [ -d ../shared/seed ]; then run_one wording make -s check-wording; fi
  for t in store search rank units text pkdata sample; do
    run_counted c-$t env ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 UBSAN_OPTIONS=print_stacktrace=1 build/test_$t
  done
  run_counted image env ASAN_OPTIONS=detect_leaks=1 build/test_image
  run_counted pk-random env ASAN_OPTIONS=detect_leaks=1 build/test_pk_random
  run_counted roundtrip env ASAN_OPTIONS=detect_leaks=1 build/test_roundtrip
  run_counted fuzz-replay sh tools/fuzz.sh replay
  run_counted identity sh tests/identity/run.sh
  run_counted oom sh tools/oom.sh
  run_counted c-pk env ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 UBSAN_OPTIONS=print_stacktrace=1 build/test_pk
  run_tap lua5.4 busted --lua=lua5.4 -o TAP
  run_tap luajit busted --lua=luajit -o TAP
  run_counted nvim nvim --headless -u NONE -i NONE -c "luafile tests/nvim/run.lua"
  run_counted abi sh tools/check-abi.sh
  run_counted tools lua5.4 tests/tools/test_k2data.lua
  run_counted cli lua5.4 tests/cli/test_cli.lua
  run_counted install sh tests/tools/test_install.sh
  run_one luacheck luacheck -q lua tests tools k2.lua bin/k2 plugin
  run_one lua51-syntax sh -c 'for f in lua/k2/*.lua lua/k2/nvim/*.lua plugin/*.lua k2.lua; do luajit -bl "$f" >/dev/null || exit 1; done'
  if [ "${K2_VALGRIND:-1}" = 1 ]; then
    run_tap valgrind-5.4 $VG lua5.4 /usr/bin/busted -o TAP
    run_tap valgrind-jit $VG luajit /usr/bin/busted -o TAP
  fi
fi

[ "$skipped" -gt 0 ] && echo "($skipped skipped: see the logs in $logs)"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
