#!/bin/sh
# run-tests.sh — the one harness: runs a tier of k2's test suites, two at a
# time (TEST_JOBS, default 2: the machine's cores), prints one line per
# suite (with its seconds) in a fixed order and ends with the single line "N passed, N failed"
# over all of them.
#   sh tools/run-tests.sh check      the quick tier (make check, under 60 s): the C
#                                    tests under ASan/UBSan (but the image-damage
#                                    sweep and the journal's kill/full-disk proofs),
#                                    Lua specs on 5.4 and LuaJIT (but the #sweep
#                                    tests over grids of inputs), Neovim, CLI, and the
#                                    journal's concurrency suite at 300 adds a writer
#   sh tools/run-tests.sh [test]     every suite (make test, what CI runs)
#   sh tools/run-tests.sh valgrind   the Lua specs under valgrind, on both runtimes
#   sh tools/run-tests.sh one SUITE  one suite (used by the others)
# Suites are found, not listed: one per tests/c/test_*.c (c-NAME); the
# specs by busted's recursive discovery (.busted); the mutation checks by
# tests/mutation/run.sh. Each suite's output goes to build/logs/SUITE.log;
# a failing suite's log tail is printed. A suite that dies without
# reporting counts as 1 failure.
set -u
logs=build/logs
results=$logs/results
mkdir -p "$logs" "$results"

# Every suite runs under a time limit, so a hung editor or REPL can't hang CI.
T="timeout 900"
VG="valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite"
SAN_ENV="ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 UBSAN_OPTIONS=print_stacktrace=1"

# record SUITE PASSED FAILED [SKIPPED]: the suite's result line, for the summary
record() {
  printf '%s %s %s %s %s\n' "$1" "$2" "$3" "${4:-0}" "$(($(date +%s) - started))" > "$results/$1"
}

# A suite whose last "N passed, N failed" line gives its counts.
run_counted() {
  name=$1; shift
  $T "$@" > "$logs/$name.log" 2>&1
  rc=$?
  line=$(grep -E '[0-9]+ passed, [0-9]+ failed' "$logs/$name.log" | tail -n 1)
  p=$(echo "$line" | sed -E 's/^[^0-9]*([0-9]+) passed.*/\1/; t; s/.*/0/')
  f=$(echo "$line" | sed -E 's/.*passed, ([0-9]+) failed.*/\1/; t; s/.*/0/')
  if [ -z "$line" ] || { [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; }; then f=$((f + 1)); fi
  record "$name" "$p" "$f"
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
  record "$name" "$p" "$f" "$s"
}

# A one-case suite: passes when the command exits 0.
run_one() {
  name=$1; shift
  if $T "$@" > "$logs/$name.log" 2>&1; then record "$name" 1 0; else record "$name" 0 1; fi
}

# suite NAME: runs one suite by name.
suite() {
  case $1 in
    data) run_one data lua5.4 tools/k2data.lua --check data ;;
    wording) run_one wording make -s check-wording ;;
    # the image's first page under ASan and UBSan; its 10,000 random damages
    # under UBSan alone, with glibc scrambling freed memory (a quarter the time)
    c-image) run_counted c-image env $SAN_ENV build/test_image first-page ;;
    image-random) run_counted image-random env MALLOC_PERTURB_=165 build/test_image-ub random ;;
    c-*) run_counted "$1" env $SAN_ENV "build/test_${1#c-}" ;;
    fuzz-replay) run_counted fuzz-replay sh tools/fuzz.sh replay ;;
    identity) run_counted identity sh tests/identity/run.sh ;;
    # the sweep is the longest suite; its own limit leaves room on a slow machine
    oom) T="timeout 2700"; run_counted oom sh tools/oom.sh ;;
    lua5.4) run_tap lua5.4 busted --lua=lua5.4 -o TAP ;;
    luajit) run_tap luajit busted --lua=luajit -o TAP ;;
    # the quick tier leaves the #sweep tests (grids of inputs) to make test
    lua5.4-quick) run_tap lua5.4-quick env K2_DROP_ROUNDS=100 busted --lua=lua5.4 -o TAP --exclude-tags=sweep ;;
    luajit-quick) run_tap luajit-quick env K2_DROP_ROUNDS=100 busted --lua=luajit -o TAP --exclude-tags=sweep ;;
    nvim) run_counted nvim nvim --headless -u NONE -i NONE -c "luafile tests/nvim/run.lua" ;;
    abi) run_counted abi sh tools/check-abi.sh ;;
    tools) run_counted tools lua5.4 tests/tools/test_k2data.lua ;;
    usda) run_counted usda lua5.4 tests/tools/test_usda.lua ;;
    cli) run_counted cli lua5.4 tests/cli/test_cli.lua ;;
    # two writers and a reader on one journal: 5,000 adds each (300 in the quick tier)
    concurrency) run_counted concurrency sh tests/journal/run.sh ;;
    concurrency-quick) run_counted concurrency-quick env K2_CONCURRENT_ADDS=300 sh tests/journal/run.sh ;;
    install) run_counted install sh tests/tools/test_install.sh ;;
    rockspec) run_one rockspec sh -c 'make -s rockspec-check' ;;
    luacheck) run_one luacheck luacheck -q lua tests tools k2.lua bin/k2 plugin ;;
    lua51-syntax) run_one lua51-syntax sh -c \
      'find lua plugin k2.lua -name "*.lua" | while read -r f; do luajit -bl "$f" >/dev/null || exit 1; done' ;;
    mutation) run_counted mutation sh tests/mutation/run.sh ;;
    # Under valgrind every spec runs but the #sweep tests (the same calls over
    # a grid of inputs, pure Lua past the first few), with 100 random drop
    # rounds, and LuaJIT's compiler is off: the binding's calls are the same,
    # and valgrind re-translating the compiler's traces was half the time.
    valgrind-5.4) run_tap valgrind-5.4 env K2_DROP_ROUNDS=100 $VG lua5.4 /usr/bin/busted -o TAP --exclude-tags=sweep ;;
    valgrind-jit) run_tap valgrind-jit env K2_DROP_ROUNDS=100 $VG luajit -joff /usr/bin/busted -o TAP --exclude-tags=sweep ;;
    *) echo "run-tests.sh: no suite '$1'" >&2; record "$1" 0 1 ;;
  esac
}

if [ "${1:-}" = one ]; then started=$(date +%s); suite "$2"; exit 0; fi

# The C test suites, one per tests/c/test_*.c.
c_suites() {
  for f in tests/c/test_*.c; do
    n=$(basename "$f" .c); n=${n#test_}
    case " $* " in *" $n "*) ;; *) echo "c-$n" ;; esac
  done
}

# The suites of each tier, slowest first so two lanes finish together.
case ${1:-test} in
  check) suites="luajit-quick lua5.4-quick cli nvim $(c_suites image journal_proof) concurrency-quick" ;;
  test)
    suites="oom valgrind-5.4 valgrind-jit c-image image-random c-journal_proof mutation install lua5.4 luajit cli identity"
    suites="$suites fuzz-replay concurrency"
    suites="$suites $(c_suites image journal_proof) nvim abi tools usda data luacheck lua51-syntax rockspec"
    if [ -d ../shared/seed ]; then suites="$suites wording"; fi
    # K2_VALGRIND=0 leaves the valgrind suites out (make valgrind runs them alone)
    if [ "${K2_VALGRIND:-1}" = 0 ]; then suites=$(echo "$suites" | sed 's/valgrind-[a-z0-9.]*//g'); fi ;;
  valgrind) suites="valgrind-5.4 valgrind-jit" ;;
  *) echo "usage: run-tests.sh check|test|valgrind|one SUITE" >&2; exit 2 ;;
esac

rm -f "$results"/*
printf '%s\n' $suites | xargs -P "${TEST_JOBS:-2}" -n 1 sh tools/run-tests.sh one

passed=0; failed=0; skipped=0
for s in $suites; do
  read -r name p f k secs < "$results/$s" || { name=$s; p=0; f=1; k=0; secs=0; }
  printf '%-18s %4d passed, %d failed%s  (%ss)\n' "$name:" "$p" "$f" "$( [ "$k" -gt 0 ] && echo ", $k skipped")" "$secs"
  if [ "$f" -gt 0 ]; then echo "---- $logs/$name.log (last 40 lines)"; tail -n 40 "$logs/$name.log"; echo "----"; fi
  passed=$((passed + p)); failed=$((failed + f)); skipped=$((skipped + k))
done
[ "$skipped" -gt 0 ] && echo "($skipped skipped: see the logs in $logs)"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
