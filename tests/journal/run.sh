#!/bin/sh
# run.sh — the journal under concurrent writers (issue 15): two processes add 5,000 entries
# each to one file at the same time — writer.lua through the Lua API, one transaction per add,
# and bin/k2 fed 5,000 lines on stdin (`k2 log -`, one add per line) — while reader.lua reads
# it in a loop. SQLite's WAL lets the reader go on beside one writer; the writers take turns
# through BEGIN IMMEDIATE, the busy timeout and the core's retry (csrc/k2_journal.c), so no
# add may fail with "busy" or "locked". Afterwards the file holds exactly 10,000 entries, each
# writer's doses 1..5,000 exactly once, ids 1..10,000 without a gap or a repeat, and SQLite's
# integrity_check says ok. Ends with "N passed, N failed". Run from the top of the checkout.
set -u
N=${K2_CONCURRENT_ADDS:-5000}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
db=$dir/journal.sqlite
passed=0; failed=0
check() { # check NAME COMMAND...: one case
  if "$@"; then passed=$((passed + 1)); echo "ok   $name"; else failed=$((failed + 1)); echo "FAIL $name"; return 1; fi
}

i=1; while [ $i -le "$N" ]; do echo "MK-4 ${i}ug --at 2026-11-01T09:00:00Z"; i=$((i + 1)); done > "$dir/lines"
start=$(date +%s)
lua5.4 tests/journal/reader.lua "$db" "$dir/stop" > "$dir/reader.out" 2>&1 &
reader=$!
lua5.4 tests/journal/writer.lua "$db" MK-7 "$N" > "$dir/writer.out" 2>&1 &
writer=$!
bin/k2 log --journal "$db" - < "$dir/lines" > "$dir/cli.out" 2> "$dir/cli.err" &
cli=$!
wait $writer; writer_rc=$?
wait $cli; cli_rc=$?
touch "$dir/stop"
wait $reader; reader_rc=$?
echo "  $((2 * N)) adds by two writers beside a reader: $(($(date +%s) - start)) s;" \
  "$(tail -n 1 "$dir/reader.out")"

q() { sqlite3 -readonly "$db" "$1"; }
sum=$((N * (N + 1) / 2))
lua_writer() { [ $writer_rc -eq 0 ] && grep -qx "wrote $N of $N" "$dir/writer.out"; }
cli_writer() { [ $cli_rc -eq 0 ] && [ ! -s "$dir/cli.err" ] && [ "$(grep -c '^logged #' "$dir/cli.out")" -eq "$N" ]; }
reader_ok() { [ $reader_rc -eq 0 ] && ! grep -q FAIL "$dir/reader.out" && grep -q '^reads [1-9]' "$dir/reader.out"; }
never_busy() { ! cat "$dir"/*.out "$dir/cli.err" | grep -qi 'busy\|locked'; }
ids_exact() { [ "$(q 'SELECT count(*), count(DISTINCT id), min(id), max(id) FROM entry')" = "$((2 * N))|$((2 * N))|1|$((2 * N))" ]; }
doses_exact() {
  got=$(q "SELECT group_concat(x, ' ') FROM (SELECT form || ':' || count(*) || ':' || count(DISTINCT ug) || ':' ||
    CAST(sum(ug) AS INTEGER) AS x FROM amount GROUP BY form ORDER BY form)")
  [ "$got" = "MK-4:$N:$N:$sum MK-7:$N:$N:$sum" ] || { echo "  got $got"; false; }
}
integrity() { [ "$(q 'PRAGMA integrity_check')" = ok ]; }
name="the Lua writer: every add returned an id"; check lua_writer || sed -n 1,5p "$dir/writer.out"
name="k2 log -: exit 0, nothing on stderr, one 'logged' line per input line"; check cli_writer || sed -n 1,5p "$dir/cli.err"
name="the reader: every read succeeded and none went backwards"; check reader_ok || sed -n 1,5p "$dir/reader.out"
name="no output anywhere mentions busy or locked"; check never_busy
name="exactly $((2 * N)) entries, ids 1..$((2 * N)) without gap or repeat"; check ids_exact
name="each writer's doses 1..$N exactly once (MK-7 from Lua, MK-4 from k2 log -)"; check doses_exact
name="SQLite's integrity_check: ok"; check integrity
echo "$passed passed, $failed failed"
