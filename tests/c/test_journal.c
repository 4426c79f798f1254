/*
** test_journal.c — the journal's core (csrc/k2_journal.c, csrc/k2_time.c, issue 15):
** times people write against closed-form UTC values (in fixed zones: UTC, Europe/Berlin with
** its DST change, America/New_York), entries round-trip, remove and undo, settings, the
** migration of the committed version-1 file (tests/data/journal-v1.sqlite), and refusing
** files that are not k2 journals, and four processes making one new journal at once. The crash, concurrency and full-disk proofs are in
** test_journal_proof.c. Times in UTC seconds; offsets in seconds east of UTC.
*/
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "check.h"
#include "k2.h"

static char dir[256];

static void zone(const char *tz) {
  setenv("TZ", tz, 1);
  tzset();
}

static int64_t parse(const char *text, int64_t now, int32_t *offset) {
  int64_t utc = -1;
  int32_t off = 0;
  char msg[256];
  k2_status rc = k2_parse_time(text, strlen(text), now, &utc, &off, msg, sizeof msg);
  if (offset) *offset = off;
  return rc == K2_OK ? utc : -1;
}

/* 2026-12-02 10:00:00 UTC = 1796205600 (date -u -d '2026-12-02 10:00' +%s) */
#define NOW 1796205600

static void times(void) {
  int32_t off;
  char msg[256];
  int64_t utc;
  CASE("time: now, ISO with Z and offsets, closed-form");
  zone("UTC");
  CHECK(parse("now", NOW, &off) == NOW && off == 0);
  CHECK(parse("2026-11-30T08:00:00Z", NOW, &off) == 1796025600 && off == 0);
  CHECK(parse("2026-11-30T08:00:00+01:00", NOW, &off) == 1796025600 - 3600 && off == 3600);
  CHECK(parse("2026-11-30 08:00-0500", NOW, &off) == 1796025600 + 5 * 3600 && off == -5 * 3600);
  CHECK(parse("1970-01-01T00:00:00Z", NOW, NULL) == 0);
  CHECK(parse("2024-02-29 12:00", NOW, NULL) == 1709208000);
  CASE("time: clock times are the last that passed");
  CHECK(parse("08:00", NOW, NULL) == NOW - 2 * 3600);
  CHECK(parse("11:00", NOW, NULL) == NOW + 3600 - 86400); /* 11:00 has not come yet: yesterday's */
  CHECK(parse("8:30pm", NOW, NULL) == NOW - 86400 + 10 * 3600 + 1800);
  CHECK(parse("8am", NOW, NULL) == NOW - 2 * 3600);
  CHECK(parse("12am", NOW, NULL) == NOW - 10 * 3600);
  CHECK(parse("noon", NOW, NULL) == NOW + 2 * 3600 - 86400);
  CHECK(parse("yesterday 21:30", NOW, NULL) == NOW - 86400 + 11 * 3600 + 1800);
  CHECK(parse("Yesterday", NOW, NULL) == NOW - 86400);
  CHECK(parse("today 7am", NOW, NULL) == NOW - 3 * 3600);
  CHECK(parse("2026-11-30", NOW, NULL) == 1796025600 - 8 * 3600);
  CHECK(parse("3h ago", NOW, NULL) == NOW - 3 * 3600);
  CHECK(parse("2 days ago", NOW, NULL) == NOW - 2 * 86400);
  CHECK(parse("90 min ago", NOW, NULL) == NOW - 5400);
  CASE("time: Europe/Berlin, winter and summer offsets");
  zone("Europe/Berlin");
  CHECK(parse("2026-11-30 08:00", NOW, &off) == 1796025600 - 3600 && off == 3600);
  CHECK(parse("2026-07-01 08:00", NOW, &off) == 1782892800 - 7200 && off == 7200);
  CHECK(parse("now", NOW, &off) == NOW && off == 3600);
  CHECK(parse("08:00", NOW, &off) == NOW - 3 * 3600 && off == 3600); /* 11:00 local now */
  CASE("time: America/New_York across the DST change (2026-03-08)");
  zone("America/New_York");
  /* now = 2026-03-09 12:00 EDT = 16:00 UTC; yesterday 09:00 was EDT (after 02:00 on the 8th) */
  CHECK(parse("yesterday 09:00", 1773072000, &off) == 1773072000 - 86400 - 3 * 3600 && off == -4 * 3600);
  CHECK(parse("2026-03-07 09:00", 1773072000, &off) == 1772892000 && off == -5 * 3600);
  CASE("time: refusals say what is accepted");
  zone("UTC");
  CHECK(k2_parse_time("tomorrow", 8, NOW, &utc, &off, msg, sizeof msg) == K2_EINPUT);
  CHECK_CONTAINS(msg, "yesterday 21:30");
  CHECK(parse("2026-12-03 08:00", NOW, NULL) == -1); /* the future */
  CHECK(k2_parse_time("2027-01-01", 10, NOW, &utc, &off, msg, sizeof msg) == K2_EINPUT);
  CHECK_CONTAINS(msg, "future");
  CHECK(parse("2026-02-29", NOW, NULL) == -1);
  CHECK(parse("25:00", NOW, NULL) == -1);
  CHECK(parse("13pm", NOW, NULL) == -1);
  CHECK(parse("8", NOW, NULL) == -1);
  CHECK(parse("", NOW, NULL) == -1);
  CHECK(parse("08:00+19:00", NOW, NULL) == -1);
  CHECK(parse("1969-12-31 23:00Z", NOW, NULL) == -1);
  CHECK(parse("x ago", NOW, NULL) == -1);
  CHECK(k2_parse_time("now\0", 4, NOW, &utc, &off, msg, sizeof msg) == K2_EINPUT);
  CHECK(k2_parse_time(NULL, 0, NOW, &utc, &off, msg, sizeof msg) == K2_EMISUSE);
}

typedef struct seen {
  int n;
  int64_t ids[16];
  double ug[16];
  char forms[16][16];
  int amounts[16];
} seen;

static int collect(void *ud, const k2_entry *e) {
  seen *s = ud;
  if (s->n < 16) {
    s->ids[s->n] = e->id;
    s->amounts[s->n] = (int)e->amount_count;
    s->ug[s->n] = e->amount_count ? e->amounts[0].ug : NAN;
    snprintf(s->forms[s->n], sizeof s->forms[0], "%s", e->amount_count ? e->amounts[0].form : "");
  }
  s->n++;
  return 0;
}

static int sum_doses(void *ud, int64_t at, int32_t offset, const char *form, double ug) {
  (void)at, (void)offset, (void)form;
  *(double *)ud += ug;
  return 0;
}

static int count_doses(void *ud, int64_t at, int32_t offset, const char *form, double ug) {
  (void)at, (void)offset, (void)form, (void)ug;
  ++*(int *)ud;
  return 0;
}

static void path_in(char *out, size_t cap, const char *name) { snprintf(out, cap, "%s/%s", dir, name); }

static k2_entry dose(int64_t at, const k2_amount *a) {
  k2_entry e = {0, at, 0, "dose", "MK-7 180 ug", NULL, NAN, NULL, 1, a};
  return e;
}

static void entries(void) {
  char path[512];
  k2_journal *j = NULL;
  k2_amount mk7 = {"MK-7", 180}, food[2] = {{"K1", 444.2}, {"MK-4", 0.5}};
  k2_entry e[3];
  int64_t ids[3] = {0}, id = 0;
  int version = -1, added = -1;
  long n = -1;
  seen s;
  struct stat st;
  const char *value = "x";

  CASE("journal: opening does not create; the first add does, mode 0600, folder made");
  path_in(path, sizeof path, "new/sub/journal.sqlite");
  CHECK(k2_journal_open(path, strlen(path), &j) == K2_OK);
  CHECK(stat(path, &st) != 0);
  CHECK(k2_journal_stat(j, &version, &n) == K2_OK && version == 0 && n == 0);
  memset(&s, 0, sizeof s);
  CHECK(k2_journal_entries(j, 0, K2_TIME_MAX_S, collect, &s) == K2_OK && s.n == 0);
  CHECK(stat(path, &st) != 0);
  e[0] = dose(NOW - 7200, &mk7);
  CHECK(k2_journal_add(j, e, 1, ids) == K2_OK && ids[0] == 1);
  CHECK(stat(path, &st) == 0 && (st.st_mode & 0777) == 0600);
  path_in(path, sizeof path, "new/sub");
  CHECK(stat(path, &st) == 0 && (st.st_mode & 0777) == 0700);

  CASE("journal: entries in time order with their amounts");
  e[0] = dose(NOW - 3600, &mk7);
  e[1] = (k2_entry){0, NOW - 86400, 3600, "food", "1 cup raw spinach", "11457", 30, "lunch", 2, food};
  CHECK(k2_journal_add(j, e, 2, ids) == K2_OK && ids[0] == 2 && ids[1] == 3);
  memset(&s, 0, sizeof s);
  CHECK(k2_journal_entries(j, 0, K2_TIME_MAX_S, collect, &s) == K2_OK && s.n == 3);
  CHECK(s.ids[0] == 3 && s.amounts[0] == 2 && strcmp(s.forms[0], "K1") == 0 && s.ug[0] == 444.2);
  CHECK(s.ids[1] == 1 && s.ids[2] == 2 && s.ug[2] == 180 && strcmp(s.forms[2], "MK-7") == 0);
  memset(&s, 0, sizeof s);
  CHECK(k2_journal_entries(j, NOW - 7200, NOW - 3600, collect, &s) == K2_OK && s.n == 1 && s.ids[0] == 1);

  CASE("journal: doses alone, of one form or all, foods left out");
  {
    double sum = 0;
    int count = 0;
    CHECK(k2_journal_doses(j, "MK-7", 0, K2_TIME_MAX_S, sum_doses, &sum) == K2_OK && sum == 360);
    CHECK(k2_journal_doses(j, "K1", 0, K2_TIME_MAX_S, count_doses, &count) == K2_OK && count == 0);
    CHECK(k2_journal_doses(j, NULL, NOW - 3600, K2_TIME_MAX_S, count_doses, &count) == K2_OK && count == 1);
  }

  CASE("journal: remove, undo the remove, undo the batch add");
  CHECK(k2_journal_remove(j, 1) == K2_OK);
  CHECK(k2_journal_remove(j, 1) == K2_ENOTFOUND);
  CHECK(k2_journal_remove(j, 99) == K2_ENOTFOUND);
  CHECK_CONTAINS(k2_journal_errmsg(j), "#99");
  CHECK(k2_journal_stat(j, &version, &n) == K2_OK && version == 2 && n == 2);
  CHECK(k2_journal_undo(j, &id, &added) == K2_OK && id == 1 && added == 0);
  CHECK(k2_journal_stat(j, NULL, &n) == K2_OK && n == 3);
  CHECK(k2_journal_undo(j, &id, &added) == K2_OK && id == 2 && added == 1);
  CHECK(k2_journal_stat(j, NULL, &n) == K2_OK && n == 1);
  CHECK(k2_journal_undo(j, &id, &added) == K2_OK && id == 1 && added == 1);
  CHECK(k2_journal_undo(j, &id, &added) == K2_ENOTFOUND);
  CHECK(k2_journal_stat(j, NULL, &n) == K2_OK && n == 0);

  CASE("journal: bad entries are refused whole, nothing written");
  e[0] = dose(NOW, &mk7);
  e[1] = dose(NOW, &mk7);
  e[1].kind = "pill";
  CHECK(k2_journal_add(j, e, 2, ids) == K2_EINPUT);
  CHECK_CONTAINS(k2_journal_errmsg(j), "entry 2");
  e[1] = dose(-1, &mk7);
  CHECK(k2_journal_add(j, e, 2, ids) == K2_EINPUT);
  e[1] = (k2_entry){0, NOW, 0, "food", "x", "11457", 0, NULL, 0, NULL};
  CHECK(k2_journal_add(j, e, 2, ids) == K2_EINPUT);
  e[1] = (k2_entry){0, NOW, 0, "dose", "x", NULL, NAN, NULL, 2, food};
  CHECK(k2_journal_add(j, e, 2, ids) == K2_EINPUT);
  CHECK(k2_journal_add(j, e, 0, ids) == K2_EINPUT);
  CHECK(k2_journal_stat(j, NULL, &n) == K2_OK && n == 0);

  CASE("journal: settings");
  CHECK(k2_journal_setting(j, "meds", &value) == K2_OK && value == NULL);
  CHECK(k2_journal_set(j, "meds", "warfarin") == K2_OK);
  CHECK(k2_journal_setting(j, "meds", &value) == K2_OK && value && strcmp(value, "warfarin") == 0);
  CHECK(k2_journal_set(j, "meds", NULL) == K2_OK);
  CHECK(k2_journal_setting(j, "meds", &value) == K2_OK && value == NULL);
  k2_journal_close(j);

  CASE("journal: a second handle sees the first's entries");
  path_in(path, sizeof path, "new/sub/journal.sqlite");
  CHECK(k2_journal_open(path, strlen(path), &j) == K2_OK);
  CHECK(k2_journal_undo(j, &id, &added) == K2_ENOTFOUND); /* the undos above persist */
  k2_journal_close(j);
  k2_journal_close(NULL);
}

/* A copy of src at dst, byte for byte. */
static int copy(const char *src, const char *dst) {
  FILE *in = fopen(src, "rb"), *out = fopen(dst, "wb");
  char buf[4096];
  size_t n;
  int ok = in && out;
  while (ok && (n = fread(buf, 1, sizeof buf, in)) > 0) ok = fwrite(buf, 1, n, out) == n;
  if (in) fclose(in);
  if (out) fclose(out);
  return ok;
}

static void migration(void) {
  char path[512];
  k2_journal *j = NULL;
  int version = -1;
  long n = -1;
  seen s;
  CASE("journal: a version-1 file is migrated on first use, entries kept");
  path_in(path, sizeof path, "v1.sqlite");
  CHECK(copy("tests/data/journal-v1.sqlite", path));
  CHECK(k2_journal_open(path, strlen(path), &j) == K2_OK);
  CHECK(k2_journal_stat(j, &version, &n) == K2_OK && version == 1 && n == 3);
  memset(&s, 0, sizeof s);
  CHECK(k2_journal_entries(j, 0, K2_TIME_MAX_S, collect, &s) == K2_OK && s.n == 3);
  CHECK(s.amounts[0] == 1 && strcmp(s.forms[0], "MK-7") == 0 && s.ug[0] == 180);
  CHECK(s.amounts[2] == 1 && strcmp(s.forms[2], "K1") == 0 && fabs(s.ug[2] - 144.84) < 1e-9);
  CHECK(k2_journal_stat(j, &version, &n) == K2_OK && version == 2 && n == 3);
  k2_journal_close(j);
}

static void foreign(void) {
  char path[512], cmd[1200];
  k2_journal *j = NULL;
  FILE *f;
  CASE("journal: a folder, random bytes, another program's database are refused");
  CHECK(k2_journal_open(dir, strlen(dir), &j) == K2_EFILE);
  CHECK_CONTAINS(k2_journal_errmsg(j), "folder");
  k2_journal_close(j);
  path_in(path, sizeof path, "random.bin");
  f = fopen(path, "wb");
  for (int i = 0; f && i < 4096; i++) fputc((i * 7919) & 0xff, f);
  if (f) fclose(f);
  CHECK(k2_journal_open(path, strlen(path), &j) == K2_EFILE);
  CHECK_CONTAINS(k2_journal_errmsg(j), "not a k2 journal");
  k2_journal_close(j);
  path_in(path, sizeof path, "other.db");
  snprintf(cmd, sizeof cmd, "sqlite3 '%s' 'CREATE TABLE t(x); INSERT INTO t VALUES (1)'", path);
  CHECK(system(cmd) == 0);
  CHECK(k2_journal_open(path, strlen(path), &j) == K2_EFILE);
  CHECK_CONTAINS(k2_journal_errmsg(j), "another program");
  k2_journal_close(j);
  CHECK(k2_journal_open("", 0, &j) == K2_EINPUT);
  k2_journal_close(j);
  CHECK(k2_journal_open("a\0b", 3, &j) == K2_EINPUT);
  k2_journal_close(j);
}

/* Names in folder d that start with prefix. */
static int count_named(const char *d, const char *prefix) {
  DIR *dp = opendir(d);
  struct dirent *de;
  int n = 0;
  if (!dp) return -1;
  while ((de = readdir(dp)) != NULL) n += strncmp(de->d_name, prefix, strlen(prefix)) == 0;
  closedir(dp);
  return n;
}

/* Four processes open and add to one journal that does not exist yet, ROUNDS times over a new
** path each time. Each must succeed: one makes the file, the others find it whole (before,
** one could find another's file half made and call it another program's database). */
#define CREATORS 4
#define ROUNDS 25
static void creators(void) {
  char path[512], sub[300];
  int failed = 0, leftover = 0;
  k2_amount mk7 = {"MK-7", 90};
  CASE("journal: four processes making one new journal at once all add, and leave no temporary file");
  for (int r = 0; r < ROUNDS; r++) {
    pid_t pids[CREATORS];
    snprintf(sub, sizeof sub, "race/%d/journal.sqlite", r);
    path_in(path, sizeof path, sub);
    for (int c = 0; c < CREATORS; c++) {
      pids[c] = fork();
      if (pids[c] == 0) {
        k2_journal *j = NULL;
        k2_entry e = dose(NOW - 60, &mk7);
        int64_t id = 0;
        int ok = k2_journal_open(path, strlen(path), &j) == K2_OK && k2_journal_add(j, &e, 1, &id) == K2_OK;
        if (!ok) fprintf(stderr, "  creator %d, round %d: %s\n", c, r, k2_journal_errmsg(j));
        k2_journal_close(j);
        _exit(ok ? 0 : 1);
      }
    }
    for (int c = 0; c < CREATORS; c++) {
      int status = 1;
      if (pids[c] < 0 || waitpid(pids[c], &status, 0) != pids[c] || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
        failed++;
    }
    snprintf(sub, sizeof sub, "%s/race/%d", dir, r);
    leftover += count_named(sub, "journal.sqlite.k2new");
  }
  CHECK(failed == 0);
  CHECK(leftover == 0);
  {
    k2_journal *j = NULL;
    int version = 0;
    long n = 0;
    CHECK(k2_journal_open(path, strlen(path), &j) == K2_OK && k2_journal_stat(j, &version, &n) == K2_OK &&
          version == 2 && n == CREATORS);
    k2_journal_close(j);
  }
}

int main(void) {
  char cmd[300];
  snprintf(dir, sizeof dir, "/tmp/k2-test-journal-%ld", (long)getpid());
  mkdir(dir, 0700);
  times();
  entries();
  migration();
  foreign();
  creators();
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
  if (system(cmd) != 0) fprintf(stderr, "could not remove %s\n", dir);
  return check_summary("journal");
}
