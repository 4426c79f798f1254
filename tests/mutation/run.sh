#!/bin/sh
# run.sh — the mutation checks: every other tests/mutation/*.sh plants one
# deliberate bug (a mutant) in a scratch copy of the tree and runs the test
# that should catch it; it exits 0 when the mutant was caught. One case per
# check (a caught mutant passes); output per check in build/logs/mutation/.
# Ends with "mutation: N passed, N failed".
set -u
cd "$(dirname "$0")/../.."
logs=build/logs/mutation
mkdir -p "$logs"
passed=0; failed=0
for check in tests/mutation/*.sh; do
  [ "$check" = tests/mutation/run.sh ] && continue
  name=$(basename "$check" .sh)
  if sh "$check" > "$logs/$name.log" 2>&1; then
    passed=$((passed + 1)); echo "caught   $name"
  else
    failed=$((failed + 1)); echo "MISSED   $name (exit $?; log $logs/$name.log)"; tail -n 10 "$logs/$name.log"
  fi
done
echo "mutation: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
