#!/bin/sh
# oom.sh — `make oom`: the out-of-memory sweep (tests/oom/oom.c) of every
# script in tests/oom/ (one API area each, plus prelude.lua, the start they
# share), in both modes (once: the N-th allocation fails; sticky: every
# allocation from the N-th on), two sweeps at a time (OOM_JOBS, default 2),
# then the harness self-test (a deliberate leak the sweep must catch).
# Each sweep prints "oom-MODE SCRIPT: N passed, N failed" over its failure
# points and counts as one case here; ends with "oom: N passed, N failed".
set -u
export UBSAN_OPTIONS=print_stacktrace=1
out=build/logs/oom
jobs=${OOM_JOBS:-2}

# One line per sweep: MODE SCRIPT [STAGE]. The prelude is swept stage by
# stage (it ends each with oom_stage(n)), its stages first.
list() {
  stages=$(grep -c '^oom_stage(' tests/oom/prelude.lua)
  for n in $(seq 1 "$stages"); do
    for mode in once sticky; do echo "$mode tests/oom/prelude.lua $n"; done
  done
  for f in tests/oom/*.lua; do
    case $f in */selftest.lua|*/prelude.lua) continue ;; esac
    for mode in once sticky; do echo "$mode $f"; done
  done
}

# sh tools/oom.sh one MODE SCRIPT [STAGE]: one sweep, output in $out/MODE-NAME.out/.err
if [ "${1:-}" = one ]; then
  name=$2-$(basename "$3" .lua)${4:+-$4}
  start=$(date +%s)
  # UBSan alone (see the Makefile), glibc scrambling freed memory
  MALLOC_PERTURB_=165 build/oom "$2" "$3" ${4:-} > "$out/$name.out" 2> "$out/$name.err"
  echo "($name took $(($(date +%s) - start)) s)" >> "$out/$name.out"
  exit 0
fi
rm -rf "$out"; mkdir -p "$out"
list | xargs -P "$jobs" -L 1 sh tools/oom.sh one

MALLOC_PERTURB_=165 build/oom selftest tests/oom/selftest.lua > "$out/selftest.out" 2> "$out/selftest.err"

passed=0; failed=0
for f in "$out"/*.out; do
  cat "$f"
  line=$(grep -E '^oom-[^:]*: [0-9]+ passed, [0-9]+ failed' "$f" | tail -n 1)
  if [ -n "$line" ] && echo "$line" | grep -q ' 0 failed$'; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
    case $f in */selftest.out) ;; *) head -5 "${f%.out}.err" ;; esac
  fi
done
echo "oom: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
