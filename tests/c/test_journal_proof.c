/*
** test_journal_proof.c — the journal's promises under the worst a machine does (issue 15 point 5;
** csrc/k2_journal.c; shared/notes/reliability-research.md; sqlite.org/howtocorrupt.html):
**   - crash safety: a child adding entries (single doses, and batches of two foods with two
**     forms each) is killed with SIGKILL after a random delay, 1,000 times on one growing file;
**     after each kill every add that returned is in the file, no entry lacks an amount, SQLite's
**     integrity_check is ok and the journal opens again;
**   - a full disk (RLIMIT_FSIZE in a child): the failing add says so, the adds before it stay,
**     the file stays sound;
**   - bad places: a read-only file or folder (as root: in a child dropped to uid 65534), a folder,
**     a symlink to another program's database, random bytes, a copy cut short, another
**     program's empty-schema database: refused with K2_EFILE, and byte for byte unchanged, with
**     no side files (-wal, -shm, -journal) made next to them.
** Bounded: the kills take about 45 s on the 2-core machine (seeded delays of 0-8 ms after the
** child says it has opened the file; every add waits for its fsync).
*/
#define _DEFAULT_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <grp.h>
#include <time.h>
#include <unistd.h>

#include "check.h"
#include "k2.h"

#ifndef KILLS
#define KILLS 1000 /* -DKILLS=N for a quick try */
#endif
#define MAX_DELAY_US 8000
#define MAX_IDS 400000

static char dir[256];
static int64_t *reported; /* every id a killed child reported as added */
static size_t n_reported;

static void path_in(char *out, size_t cap, const char *name) { snprintf(out, cap, "%s/%s", dir, name); }

static uint64_t rng = 0x9E3779B97F4A7C15ull;
static uint64_t next_random(void) {
  rng ^= rng << 13, rng ^= rng >> 7, rng ^= rng << 17;
  return rng;
}

static void sleep_us(long us) {
  struct timespec ts = {us / 1000000, (us % 1000000) * 1000};
  nanosleep(&ts, NULL);
}

/* ---------------------------------------------------------------- the writer */

static const k2_amount DOSE = {"MK-7", 180};
static const k2_amount FOOD[2] = {{"K1", 144.87}, {"MK-4", 0.5}};

/* Adds entries until killed, writing each returned id to fd only once add has returned. */
static void writer(const char *path, int fd) {
  k2_journal *j = NULL;
  k2_entry batch[2];
  int64_t ids[2];
  int64_t opened = 0; /* the marker: open returned, the adds begin */
  if (k2_journal_open(path, strlen(path), &j) != K2_OK) _exit(3);
  if (write(fd, &opened, sizeof opened) != sizeof opened) _exit(5);
  for (long i = 0; i < 100000; i++) {
    size_t n = i % 3 == 2 ? 2 : 1;
    for (size_t k = 0; k < n; k++) {
      k2_entry d = {0, 1735689600 + i * 60, 3600, "dose", "MK-7 180 ug", NULL, NAN, NULL, 1, &DOSE};
      k2_entry f = {0, 1735689600 + i * 60, 3600, "food", "1 cup raw spinach", "11457", 30, "proof", 2, FOOD};
      batch[k] = n == 2 ? f : d;
    }
    if (k2_journal_add(j, batch, n, ids) != K2_OK) _exit(4);
    if (write(fd, ids, n * sizeof ids[0]) != (ssize_t)(n * sizeof ids[0])) _exit(5);
  }
  _exit(0);
}

/* One SQL answer as an integer (-1 when the query fails). */
static long long sql_int(sqlite3 *db, const char *sql) {
  sqlite3_stmt *st;
  long long v = -1;
  if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) return -1;
  if (sqlite3_step(st) == SQLITE_ROW) v = sqlite3_column_int64(st, 0);
  sqlite3_finalize(st);
  return v;
}

static int integrity_ok(sqlite3 *db) {
  sqlite3_stmt *st;
  int ok = 0;
  if (sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &st, NULL) != SQLITE_OK) return 0;
  if (sqlite3_step(st) == SQLITE_ROW) ok = strcmp((const char *)sqlite3_column_text(st, 0), "ok") == 0;
  sqlite3_finalize(st);
  return ok;
}

/* After a kill: the file sound, every reported id in it, nothing half-written, and it opens. */
static int file_sound(const char *path, size_t from, char *why, size_t cap) {
  sqlite3 *db = NULL;
  sqlite3_stmt *st = NULL;
  k2_journal *j = NULL;
  long entries = -1;
  int version = 0, ok = 1;
  struct stat sb;
  /* killed before the first write, or while the file had no schema yet: nothing to lose */
  if (stat(path, &sb) != 0) return n_reported == 0;
  if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK) ok = 0, snprintf(why, cap, "open");
  if (ok && sql_int(db, "SELECT count(*) FROM sqlite_schema WHERE name = 'entry'") == 0) {
    sqlite3_close(db);
    return n_reported == 0;
  }
  if (ok && !integrity_ok(db)) ok = 0, snprintf(why, cap, "integrity_check");
  if (ok && sql_int(db, "SELECT count(*) FROM entry e WHERE (SELECT count(*) FROM amount a WHERE a.entry = e.id)"
                        " != CASE e.kind WHEN 'dose' THEN 1 ELSE 2 END") != 0)
    ok = 0, snprintf(why, cap, "an entry without all its amounts");
  if (ok && sqlite3_prepare_v2(db, "SELECT count(*) FROM entry WHERE id = ?1 AND removed = 0", -1, &st, NULL) == SQLITE_OK) {
    for (size_t i = from; ok && i < n_reported; i++) {
      sqlite3_bind_int64(st, 1, reported[i]);
      if (sqlite3_step(st) != SQLITE_ROW || sqlite3_column_int(st, 0) != 1)
        ok = 0, snprintf(why, cap, "id %lld was reported added and is missing", (long long)reported[i]);
      sqlite3_reset(st);
    }
  }
  sqlite3_finalize(st);
  sqlite3_close(db);
  if (ok && (k2_journal_open(path, strlen(path), &j) != K2_OK || k2_journal_stat(j, &version, &entries) != K2_OK ||
             version != 2 || entries < (long)n_reported))
    ok = 0, snprintf(why, cap, "k2_journal_open/stat: %s", k2_journal_errmsg(j));
  k2_journal_close(j);
  return ok;
}

static void kills(void) {
  char path[512], why[256] = "";
  int sound = 1, rounds = 0;
  struct timespec t0, t1, v0, v1;
  double checking = 0;
  int amid = 0; /* kills that landed after at least one add had returned */
  CASE("crash safety: 1,000 kills -9 of a writer lose no returned add and leave the file sound");
  path_in(path, sizeof path, "crash.sqlite");
  reported = malloc(MAX_IDS * sizeof *reported);
  CHECK(reported != NULL);
  clock_gettime(CLOCK_MONOTONIC, &t0);
  for (int r = 0; reported && sound && r < KILLS; r++) {
    int p[2];
    pid_t pid;
    size_t before = n_reported;
    ssize_t got;
    if (pipe(p) != 0) break;
    pid = fork();
    if (pid == 0) {
      close(p[0]);
      writer(path, p[1]);
    }
    close(p[1]);
    /* most kills land among the adds (after the marker), one in eight while the child opens */
    if (next_random() % 8 != 0) {
      int64_t marker = -1;
      if (read(p[0], &marker, sizeof marker) != sizeof marker || marker != 0) break;
    }
    sleep_us((long)(next_random() % MAX_DELAY_US));
    kill(pid, SIGKILL);
    waitpid(pid, NULL, 0);
    while (n_reported + 2 <= MAX_IDS &&
           (got = read(p[0], reported + n_reported, (MAX_IDS - n_reported) * sizeof *reported)) > 0)
      n_reported += (size_t)got / sizeof *reported;
    for (size_t i = before; i < n_reported; i++) /* drop the marker if it was not read above */
      if (reported[i] == 0) memmove(reported + i, reported + i + 1, (--n_reported - i) * sizeof *reported), i--;
    close(p[0]);
    clock_gettime(CLOCK_MONOTONIC, &v0);
    sound = file_sound(path, before, why, sizeof why);
    amid += n_reported > before;
    clock_gettime(CLOCK_MONOTONIC, &v1);
    checking += (v1.tv_sec - v0.tv_sec) + (v1.tv_nsec - v0.tv_nsec) / 1e9;
    rounds++;
  }
  clock_gettime(CLOCK_MONOTONIC, &t1);
  printf("  %d kills (%d after adds had returned), %zu adds reported and found, %.1f s (%.1f s of it checking the"
         " file)\n", rounds, amid, n_reported, (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9, checking);
  if (!sound) printf("  after kill %d: %s\n", rounds, why);
  CHECK(sound);
  CHECK(rounds == KILLS);
  /* the test's own reach: a real share of kills must land after adds returned (306 of 1,000 on the
   2-core machine), not all before the first; a tenth is the floor a slow disk still passes */
  CHECK(amid >= KILLS / 10);
  free(reported);
}

/* ---------------------------------------------------------------- a full disk */

static void full_disk(void) {
  char path[512];
  k2_journal *j = NULL;
  k2_entry e = {0, 1735689600, 0, "dose", "MK-7 180 ug", NULL, NAN, NULL, 1, &DOSE};
  long before = -1, after = -1;
  int p[2], status = 0;
  long result[3] = {0, 0, 0}; /* adds that returned ids, the failing status, its message's length */
  pid_t pid;
  CASE("a full disk: the failing add says so, the adds before it stay, the file stays sound");
  path_in(path, sizeof path, "full.sqlite");
  CHECK(k2_journal_open(path, strlen(path), &j) == K2_OK && k2_journal_add(j, &e, 1, NULL) == K2_OK);
  k2_journal_close(j);
  CHECK(pipe(p) == 0);
  pid = fork();
  if (pid == 0) {
    struct stat st;
    struct rlimit lim;
    k2_status rc = K2_OK;
    signal(SIGXFSZ, SIG_IGN);
    stat(path, &st);
    lim.rlim_cur = lim.rlim_max = (rlim_t)st.st_size + 32768; /* a few commits' room in the WAL */
    setrlimit(RLIMIT_FSIZE, &lim);
    if (k2_journal_open(path, strlen(path), &j) != K2_OK) _exit(3);
    for (int i = 0; i < 2000 && (rc = k2_journal_add(j, &e, 1, NULL)) == K2_OK; i++) result[0]++;
    result[1] = rc;
    result[2] = (long)strlen(k2_journal_errmsg(j));
    /* and it goes on refusing cleanly */
    if (k2_journal_add(j, &e, 1, NULL) == K2_OK) result[0]++;
    k2_journal_close(j);
    if (write(p[1], result, sizeof result) != sizeof result) _exit(5);
    _exit(0);
  }
  close(p[1]);
  waitpid(pid, &status, 0);
  CHECK(read(p[0], result, sizeof result) == sizeof result);
  close(p[0]);
  printf("  %ld adds before the disk was full; then status %ld\n", result[0], result[1]);
  CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  CHECK(result[1] == K2_EFILE && result[2] > 0 && result[0] < 2000);
  CHECK(k2_journal_open(path, strlen(path), &j) == K2_OK && k2_journal_stat(j, NULL, &after) == K2_OK);
  before = 1;
  CHECK(after == before + result[0]);
  k2_journal_close(j);
  {
    sqlite3 *db = NULL;
    CHECK(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK && integrity_ok(db));
    sqlite3_close(db);
  }
}

/* ---------------------------------------------------------------- bad places */

static char *slurp(const char *path, long *n) {
  FILE *f = fopen(path, "rb");
  char *buf = NULL;
  *n = -1;
  if (!f) return NULL;
  fseek(f, 0, SEEK_END);
  *n = ftell(f);
  fseek(f, 0, SEEK_SET);
  buf = malloc((size_t)*n + 1);
  if (buf && fread(buf, 1, (size_t)*n, f) != (size_t)*n) *n = -1;
  fclose(f);
  return buf;
}

static int exists(const char *path) {
  struct stat st;
  return lstat(path, &st) == 0;
}

static int no_side_files(const char *path) {
  const char *ext[] = {"-wal", "-shm", "-journal"};
  char side[600];
  for (int i = 0; i < 3; i++) {
    snprintf(side, sizeof side, "%s%s", path, ext[i]);
    if (exists(side)) return 0;
  }
  return 1;
}

/* Drops every supplementary group (root's included) before setgid/setuid. */
static int setgroups_none(void) { return setgroups(0, NULL); }

/* Opening and adding to path are refused with K2_EFILE; the file and its folder are unchanged. */
static void refused_untouched(const char *what, const char *path, const char *target) {
  long n0, n1;
  char *before = slurp(target, &n0), *after;
  k2_journal *j = NULL;
  k2_entry e = {0, 1735689600, 0, "dose", "MK-7 180 ug", NULL, NAN, NULL, 1, &DOSE};
  k2_status open_rc = k2_journal_open(path, strlen(path), &j), add_rc = K2_EFILE;
  if (open_rc == K2_OK) add_rc = k2_journal_add(j, &e, 1, NULL);
  if (!(open_rc == K2_EFILE || add_rc == K2_EFILE)) printf("  %s: open %d, add %d\n", what, open_rc, add_rc);
  CHECK(open_rc == K2_EFILE || add_rc == K2_EFILE);
  CHECK(strlen(k2_journal_errmsg(j)) > 0);
  k2_journal_close(j);
  after = slurp(target, &n1);
  CHECK(before && after && n0 == n1 && memcmp(before, after, (size_t)n0) == 0);
  CHECK(no_side_files(target) && no_side_files(path));
  free(before);
  free(after);
}

static void make_foreign(const char *path, const char *sql) {
  sqlite3 *db = NULL;
  CHECK(sqlite3_open(path, &db) == SQLITE_OK && sqlite3_exec(db, sql, NULL, NULL, NULL) == SQLITE_OK);
  sqlite3_close(db);
}

/* The read-only cases, in the folder ro_dir holding a copy of a 300-entry journal as journal.sqlite. */
static void read_only_cases(const char *ro_dir) {
  char path[600], inside[700];
  k2_journal *j = NULL;
  k2_entry e = {0, 1735689600, 0, "dose", "MK-7 180 ug", NULL, NAN, NULL, 1, &DOSE};
  long entries = -1;
  k2_status rc;
  CASE("a read-only file: entries read, adds refused, nothing lost");
  snprintf(path, sizeof path, "%s/journal.sqlite", ro_dir);
  CHECK(chmod(path, 0400) == 0);
  CHECK(k2_journal_open(path, strlen(path), &j) == K2_OK);
  rc = k2_journal_stat(j, NULL, &entries);
  CHECK(rc == K2_EFILE || (rc == K2_OK && entries == 300));
  CHECK(k2_journal_add(j, &e, 1, NULL) == K2_EFILE);
  CHECK_CONTAINS(k2_journal_errmsg(j), "nothing was changed");
  k2_journal_close(j);
  CHECK(chmod(path, 0600) == 0);
  CHECK(k2_journal_open(path, strlen(path), &j) == K2_OK && k2_journal_stat(j, NULL, &entries) == K2_OK &&
        entries == 300);
  k2_journal_close(j);

  CASE("a read-only folder: a new journal cannot be made there, and says so");
  snprintf(path, sizeof path, "%s/ro", ro_dir);
  CHECK(mkdir(path, 0500) == 0);
  snprintf(inside, sizeof inside, "%s/journal.sqlite", path);
  CHECK(k2_journal_open(inside, strlen(inside), &j) == K2_OK);
  CHECK(k2_journal_add(j, &e, 1, NULL) == K2_EFILE);
  CHECK_CONTAINS(k2_journal_errmsg(j), "cannot create");
  CHECK(!exists(inside));
  k2_journal_close(j);
  chmod(path, 0700);
}

/* Root ignores file modes, so as root the read-only cases run in a child that has dropped to
** the unprivileged uid/gid 65534 (nobody) in a folder it owns; the child reports its counts. */
static void read_only_places(void) {
  char ro_dir[512], from[512], to[600];
  long n;
  char *bytes;
  FILE *f;
  path_in(ro_dir, sizeof ro_dir, "ro-case");
  path_in(from, sizeof from, "whole.sqlite");
  snprintf(to, sizeof to, "%s/journal.sqlite", ro_dir);
  CHECK(mkdir(ro_dir, 0700) == 0);
  bytes = slurp(from, &n);
  f = fopen(to, "wb");
  if (f && bytes) fwrite(bytes, 1, (size_t)n, f);
  if (f) fclose(f);
  free(bytes);
  if (geteuid() != 0) {
    read_only_cases(ro_dir);
    return;
  }
  {
    int p[2], counts[2] = {0, 0};
    pid_t pid;
    CHECK(chmod(dir, 0711) == 0 && chown(ro_dir, 65534, 65534) == 0 && chown(to, 65534, 65534) == 0);
    CHECK(pipe(p) == 0);
    case_end(); /* the child counts only its own cases */
    pid = fork();
    if (pid == 0) {
      int before_passed = cases_passed, before_failed = cases_failed;
      close(p[0]);
      if (setgroups_none() != 0 || setgid(65534) != 0 || setuid(65534) != 0 || geteuid() == 0) _exit(3);
      read_only_cases(ro_dir);
      case_end();
      counts[0] = cases_passed - before_passed, counts[1] = cases_failed - before_failed;
      if (write(p[1], counts, sizeof counts) != sizeof counts) _exit(4);
      _exit(0); /* _exit: the parent alone reports leaks and the summary */
    }
    close(p[1]);
    CASE("the read-only cases ran as an unprivileged user");
    CHECK(pid > 0 && read(p[0], counts, sizeof counts) == sizeof counts);
    close(p[0]);
    if (pid > 0) waitpid(pid, NULL, 0);
    case_end();
    cases_passed += counts[0], cases_failed += counts[1];
    printf("  (read-only file and folder: run as uid 65534, root ignoring file modes)\n");
  }
}

static void bad_places(void) {
  char path[512], link[512], cut[512];
  k2_journal *j = NULL;
  k2_entry e = {0, 1735689600, 0, "dose", "MK-7 180 ug", NULL, NAN, NULL, 1, &DOSE};
  FILE *f;
  long n;
  char *real;

  CASE("a symlink to another program's database is refused, the database untouched");
  path_in(path, sizeof path, "notes.db");
  make_foreign(path, "CREATE TABLE notes(id INTEGER PRIMARY KEY, body TEXT); INSERT INTO notes(body) VALUES ('x')");
  path_in(link, sizeof link, "journal-link.sqlite");
  CHECK(symlink(path, link) == 0);
  refused_untouched("symlink", link, path);

  CASE("another program's database in WAL mode, with application_id 0, is refused");
  path_in(path, sizeof path, "walled.db");
  make_foreign(path, "PRAGMA journal_mode = WAL; CREATE TABLE t(x); INSERT INTO t VALUES (1)");
  refused_untouched("foreign WAL", path, path);

  CASE("random bytes and a copy cut short are refused and left as they were");
  path_in(path, sizeof path, "random.bin");
  f = fopen(path, "wb");
  for (int i = 0; f && i < 8192; i++) fputc((int)(next_random() & 0xff), f);
  if (f) fclose(f);
  refused_untouched("random", path, path);
  path_in(path, sizeof path, "whole.sqlite");
  CHECK(k2_journal_open(path, strlen(path), &j) == K2_OK);
  for (int i = 0; i < 300; i++) CHECK(k2_journal_add(j, &e, 1, NULL) == K2_OK);
  k2_journal_close(j);
  real = slurp(path, &n);
  path_in(cut, sizeof cut, "cut.sqlite");
  f = fopen(cut, "wb");
  if (f && real) fwrite(real, 1, (size_t)n / 2 + 100, f); /* not a whole number of pages */
  if (f) fclose(f);
  refused_untouched("cut, odd size", cut, cut);
  f = fopen(cut, "wb");
  if (f && real) fwrite(real, 1, 4096, f); /* the first page only: the rest of the tree is gone */
  if (f) fclose(f);
  refused_untouched("cut, one page", cut, cut);
  free(real);

  CASE("a folder is refused");
  CHECK(k2_journal_open(dir, strlen(dir), &j) == K2_EFILE);
  k2_journal_close(j);

  read_only_places();
}

int main(void) {
  char cmd[300];
  snprintf(dir, sizeof dir, "/tmp/k2-journal-proof-%ld", (long)getpid());
  mkdir(dir, 0700);
  kills();
  full_disk();
  bad_places();
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
  if (system(cmd) != 0) fprintf(stderr, "could not remove %s\n", dir);
  return check_summary("journal proof");
}
