#!/bin/sh
# oom.sh — `make oom`: the out-of-memory sweep in both modes, then the
# harness self-test on the build with a deliberate leak. The once mode
# (every run goes on to the end of the script, so it is the slow one) is
# split into two shards (K2_OOM_SHARD) running beside the sticky mode.
# Each process prints "oom-MODE: N passed, N failed" over its failure
# points; the suite counts one case per process.
export ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1
mkdir -p build/logs
K2_OOM_SHARD=0/2 build/oom once > build/logs/oom-once-0.out 2> build/logs/oom-once-0.err &
once0=$!
K2_OOM_SHARD=1/2 build/oom once > build/logs/oom-once-1.out 2> build/logs/oom-once-1.err &
once1=$!
build/oom sticky > build/logs/oom-sticky.out 2> build/logs/oom-sticky.err
rc=$?
wait $once0 || rc=1
wait $once1 || rc=1
ASAN_OPTIONS=detect_leaks=0 build/oom_selftest selftest > build/logs/oom-selftest.out 2> build/logs/oom-selftest.err || rc=1
runs="once-0 once-1 sticky selftest"
for m in $runs; do cat build/logs/oom-$m.out; done
for m in $runs; do [ "$m" != selftest ] && [ -s build/logs/oom-$m.err ] && head -5 build/logs/oom-$m.err; done
passed=0; failed=0
for m in $runs; do
  line=$(grep -E '^oom-'$m': [0-9]+ passed' build/logs/oom-$m.out)
  f=$(echo "$line" | sed -E 's/.*passed, ([0-9]+) failed.*/\1/')
  if [ -n "$line" ] && [ "${f:-1}" -eq 0 ]; then passed=$((passed + 1)); else failed=$((failed + 1)); fi
done
echo "oom: $passed passed, $failed failed"
[ $rc -eq 0 ] && [ $failed -eq 0 ]
