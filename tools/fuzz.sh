#!/bin/sh
# fuzz.sh — the libFuzzer targets (tests/fuzz/*.c, built by make with
# clang-14, address and undefined sanitizers).
#   sh tools/fuzz.sh replay         every committed corpus and regression input,
#                                   once each (part of make test); one case per target
#   sh tools/fuzz.sh run [SECONDS]  each target for SECONDS (default 60) from its
#                                   corpus; new inputs go to build/fuzz/TARGET,
#                                   findings to tests/fuzz/regress/TARGET/ (commit them)
# Prints executions per target and ends with "fuzz: N passed, N failed".
set -u
mode=${1:-replay}; secs=${2:-60}
export ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1
passed=0; failed=0
for t in dose duration time search lua; do
  bin=build/fuzz_$t; corpus=tests/fuzz/corpus/$t; regress=tests/fuzz/regress/$t
  mkdir -p "$regress" build/fuzz/$t build/logs
  log=build/logs/fuzz-$t.log
  if [ "$mode" = run ]; then
    $bin -max_total_time="$secs" -print_final_stats=1 -artifact_prefix="$regress/" -timeout=10 \
      build/fuzz/$t "$corpus" > "$log" 2>&1
  else
    $bin -runs=0 "$corpus" "$regress" > "$log" 2>&1
  fi
  rc=$?
  execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$')
  inputs=$(ls "$corpus" "$regress" | grep -cv ':$')
  if [ $rc -eq 0 ]; then passed=$((passed + 1)); else failed=$((failed + 1)); tail -30 "$log"; fi
  echo "fuzz_$t: rc=$rc, ${execs:-$inputs} executions"
done
echo "fuzz: $passed passed, $failed failed"
[ $failed -eq 0 ]
