#!/bin/sh
# oom.sh — `make oom`: the out-of-memory sweep in both modes (run side by
# side on the two cores), then the harness self-test on the build with a
# deliberate leak. Each mode prints "oom-MODE: N passed, N failed" over its
# failure points; the suite counts one case per mode.
export ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1
mkdir -p build/logs
build/oom once > build/logs/oom-once.out 2> build/logs/oom-once.err &
once=$!
build/oom sticky > build/logs/oom-sticky.out 2> build/logs/oom-sticky.err
rc_sticky=$?
wait $once
rc_once=$?
ASAN_OPTIONS=detect_leaks=0 build/oom_selftest selftest > build/logs/oom-selftest.out 2> build/logs/oom-selftest.err
rc_self=$?
cat build/logs/oom-once.out build/logs/oom-sticky.out build/logs/oom-selftest.out
for m in once sticky; do [ -s build/logs/oom-$m.err ] && head -5 build/logs/oom-$m.err; done
# One case per mode: a mode passes when every failure point it swept passed.
passed=0; failed=0
for m in once sticky selftest; do
  line=$(grep -E '^oom-'$m': [0-9]+ passed' build/logs/oom-$m.out)
  f=$(echo "$line" | sed -E 's/.*passed, ([0-9]+) failed.*/\1/')
  if [ -n "$line" ] && [ "${f:-1}" -eq 0 ]; then passed=$((passed + 1)); else failed=$((failed + 1)); fi
done
echo "oom: $passed passed, $failed failed"
[ $rc_once -eq 0 ] && [ $rc_sticky -eq 0 ] && [ $rc_self -eq 0 ] && [ $failed -eq 0 ]
