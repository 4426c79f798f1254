/*
** k2_journal.c — the journal (issue 15): a person's own vitamin K intake, one SQLite file
** they own. The only part of k2 that writes; the fact store and the food table are never
** opened for writing.
**
** How it keeps entries (after SQLite's own advice: sqlite.org/howtocorrupt.html, wal.html,
** atomiccommit.html, and shared/notes/reliability-research.md):
**   - WAL with synchronous=FULL: a commit is fsync'd before k2_journal_add returns an id;
**     BEGIN IMMEDIATE for every write, a busy timeout (K2_JOURNAL_BUSY_MS) and a retry loop
**     around it, so a second writer waits instead of failing.
**   - A file is checked before anything writes to it: its header (magic, page size, size a
**     whole number of pages, application_id 0 or k2's), then, through a read-only
**     connection, quick_check, application_id and user_version. A file that fails is
**     another program's, or damaged, or newer: K2_EFILE, and it is left byte-for-byte alone
**     (a read-only connection to a rollback-mode file writes nothing, not even side files).
**   - Nothing is deleted: remove marks an entry removed, and every add or remove is a row
**     of `change`, so undo can take back the last one.
**   - The file is created by the first write, mode 0600, with its missing folders 0700: made
**     whole under a temporary name and linked into place, so a k2 opening it beside the one
**     making it never sees a journal half made (and two creators cannot both make it).
** Schema versions (user_version): 1 kept one form per entry in the entry row; 2 keeps the
** vitamin K of an entry by form in `amount`, adds removal and the change log. Version 1 is
** migrated to 2 in one transaction on the first write.
** Units: times in UTC seconds since 1970 plus the writer's offset east of UTC in seconds,
** vitamin K in µg, food in grams.
*/
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "k2.h"
#include "k2_int.h"

/* "k2jr" in the header's application_id field: what makes a file a k2 journal. */
#define APPLICATION_ID 0x6b326a72
#define SCHEMA_VERSION 2
#define FORM_MAX_BYTES 64 /* a canonical form name ("MK-7") is far shorter */

struct k2_journal {
  char *path;
  int memory;   /* ":memory:": a journal that lives as long as the handle (scripts, tests) */
  sqlite3 *db;  /* NULL until the file exists and passed the checks */
  int version;  /* the file's schema version; 0 before it exists */
  char *value;  /* k2_journal_setting's result */
  int has_wal;  /* a -wal file lies beside the file (set by check_file) */
  int ours;     /* the file's header carries k2's application_id (set by check_header) */
  char errmsg[512];
};

static k2_status failf(k2_journal *j, k2_status status, const char *fmt, const char *what) {
  k2__msg(j->errmsg, sizeof j->errmsg, fmt, j->path ? j->path : "", what ? what : "");
  return status;
}

/* The status and message of a failed SQLite call: what the person can act on. */
static k2_status sql_fail(k2_journal *j, int rc, const char *doing) {
  const char *why = j->db ? sqlite3_errmsg(j->db) : sqlite3_errstr(rc);
  int sys = j->db ? sqlite3_system_errno(j->db) : 0;
  k2_status status = K2_EFILE;
  switch (rc & 0xff) {
  case SQLITE_NOMEM: status = K2_ENOMEM; why = "out of memory"; break;
  case SQLITE_FULL: why = "the disk is full"; break;
  case SQLITE_READONLY: why = "the file or its folder is read-only"; break;
  case SQLITE_BUSY: case SQLITE_LOCKED: why = "another program kept the journal locked too long"; break;
  case SQLITE_CORRUPT: case SQLITE_NOTADB: why = "the file is damaged"; break;
  case SQLITE_IOERR: case SQLITE_CANTOPEN: case SQLITE_PERM: case SQLITE_AUTH:
    if (sys) why = strerror(sys);
    break;
  default: status = K2_ESTORE; break;
  }
  k2__msg(j->errmsg, sizeof j->errmsg, "journal %s: %s: %s; nothing was changed", j->path, doing, why);
  return status;
}

/* ------------------------------------------------------------ checking a file */

static unsigned be32(const unsigned char *p) {
  return (unsigned)p[0] << 24 | (unsigned)p[1] << 16 | (unsigned)p[2] << 8 | p[3];
}

/* The header of an existing file, read with plain read(2): SQLite never sees a file that
** is not one of its databases, and never one another program marked as its own. */
static k2_status check_header(k2_journal *j, const struct stat *st) {
  unsigned char h[100];
  unsigned page, app;
  ssize_t got;
  int fd;
  if (st->st_size == 0) return K2_OK; /* empty: made by a k2 that was stopped before it wrote */
  fd = open(j->path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return failf(j, K2_EFILE, "journal %s: cannot read it: %s", strerror(errno));
  got = read(fd, h, sizeof h);
  close(fd);
  if (got != (ssize_t)sizeof h || memcmp(h, "SQLite format 3", 16) != 0)
    return failf(j, K2_EFILE, "%s is not a k2 journal (not an SQLite database)%s; left as it is", "");
  page = (unsigned)h[16] << 8 | h[17];
  if (page == 1) page = 65536;
  app = be32(h + 68);
  j->ours = app == APPLICATION_ID;
  if (app != 0 && app != APPLICATION_ID)
    return failf(j, K2_EFILE, "%s is another program's SQLite database, not a k2 journal%s; left as it is", "");
  if (page < 512 || (page & (page - 1)) || st->st_size % page != 0)
    return failf(j, K2_EFILE, "journal %s is damaged or cut short (not a whole number of pages)%s; left as it is",
                 "");
  /* the header's page count holds when its change counter matches (offsets 24 and 92); a WAL
  ** may hold pages past it, so only a file without one is measured against it */
  if (!j->has_wal && be32(h + 24) == be32(h + 92) && (sqlite3_int64)be32(h + 28) * page > st->st_size)
    return failf(j, K2_EFILE, "journal %s is cut short (it holds fewer pages than its header says)%s; left as it is",
                 "");
  /* application_id 0 with a schema, and no WAL that could hold a k2 header not yet copied back:
  ** another program's database, refused before SQLite opens it */
  if (app == 0 && !j->has_wal && be32(h + 40) != 0)
    return failf(j, K2_EFILE, "%s is another program's SQLite database, not a k2 journal%s; left as it is", "");
  return K2_OK;
}

/* One row of one value from a pragma or query on db. */
static int query_int(sqlite3 *db, const char *sql, long *out) {
  sqlite3_stmt *st;
  int rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL);
  if (rc != SQLITE_OK) return rc;
  rc = sqlite3_step(st);
  if (rc == SQLITE_ROW) {
    *out = (long)sqlite3_column_int64(st, 0);
    rc = SQLITE_OK;
  } else if (rc == SQLITE_DONE) {
    rc = SQLITE_CORRUPT;
  }
  sqlite3_finalize(st);
  return rc;
}

/* quick_check answers "ok" on a sound file. */
static int quick_check(sqlite3 *db, int *sound) {
  sqlite3_stmt *st;
  int rc = sqlite3_prepare_v2(db, "PRAGMA quick_check(1)", -1, &st, NULL);
  if (rc != SQLITE_OK) return rc;
  rc = sqlite3_step(st);
  *sound = rc == SQLITE_ROW && sqlite3_column_text(st, 0) && strcmp((const char *)sqlite3_column_text(st, 0), "ok") == 0;
  if (rc == SQLITE_ROW || rc == SQLITE_DONE) rc = SQLITE_OK;
  sqlite3_finalize(st);
  return rc;
}

static void harden(sqlite3 *db) {
  sqlite3_db_config(db, SQLITE_DBCONFIG_DEFENSIVE, 1, (int *)0);
  sqlite3_db_config(db, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, (int *)0);
  sqlite3_db_config(db, SQLITE_DBCONFIG_ENABLE_LOAD_EXTENSION, 0, (int *)0);
  sqlite3_db_config(db, SQLITE_DBCONFIG_ENABLE_TRIGGER, 0, (int *)0);
  sqlite3_db_config(db, SQLITE_DBCONFIG_ENABLE_VIEW, 0, (int *)0);
  sqlite3_limit(db, SQLITE_LIMIT_ATTACHED, 0);
}

/* "file:" URI of path with query (RFC 3986: '%', '?' and '#' escaped); sqlite3_free it. */
static char *file_uri(const char *path, const char *query) {
  sqlite3_str *u = sqlite3_str_new(NULL);
  sqlite3_str_appendall(u, "file:");
  for (const char *p = path; *p; p++) {
    if (*p == '%' || *p == '?' || *p == '#') sqlite3_str_appendf(u, "%%%02X", (unsigned char)*p);
    else sqlite3_str_appendchar(u, 1, *p);
  }
  sqlite3_str_appendall(u, query);
  return sqlite3_str_finish(u);
}

/* What SQLite itself says of the file, through a connection that cannot write. */
static k2_status check_contents(k2_journal *j) {
  sqlite3 *db = NULL;
  long app = 0, version = 0, objects = 0;
  int sound = 0;
  /* A file whose header is not k2's and has no WAL beside it is read as immutable: no locks,
  ** and no -wal or -shm made next to a file that may not be ours. k2's own file is read with
  ** locks, because another k2 may start writing it while this one looks: an immutable read
  ** of a file being checkpointed can see half-written pages. */
  char *uri = file_uri(j->path, j->has_wal || j->ours ? "?mode=ro" : "?mode=ro&immutable=1");
  int rc = uri ? SQLITE_OK : SQLITE_NOMEM;
  if (rc == SQLITE_OK) rc = sqlite3_open_v2(uri, &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_URI, NULL);
  sqlite3_free(uri);
  if (rc == SQLITE_OK) {
    harden(db);
    sqlite3_busy_timeout(db, K2_JOURNAL_BUSY_MS);
    rc = query_int(db, "PRAGMA application_id", &app);
  }
  if (rc == SQLITE_OK) rc = query_int(db, "PRAGMA user_version", &version);
  if (rc == SQLITE_OK) rc = query_int(db, "SELECT count(*) FROM sqlite_schema", &objects);
  if (rc == SQLITE_OK && objects > 0) rc = quick_check(db, &sound);
  sqlite3_close_v2(db);
  if ((rc & 0xff) == SQLITE_CORRUPT || (rc & 0xff) == SQLITE_NOTADB || (rc == SQLITE_OK && objects > 0 && !sound))
    return failf(j, K2_EFILE, "journal %s is damaged (SQLite's quick_check fails)%s; left as it is", "");
  if (rc != SQLITE_OK) return sql_fail(j, rc, "cannot read it");
  if (app != APPLICATION_ID && objects > 0)
    return failf(j, K2_EFILE, "%s is another program's SQLite database, not a k2 journal%s; left as it is", "");
  if (version > SCHEMA_VERSION)
    return failf(j, K2_EFILE, "journal %s was written by a newer k2 (schema version above this one's)%s;"
                 " left as it is", "");
  j->version = app == APPLICATION_ID ? (int)version : 0;
  return K2_OK;
}

/* The file, if there is one, checked; 1 in *exists when it is there. */
static k2_status check_file(k2_journal *j, int *exists) {
  struct stat st;
  k2_status rc;
  *exists = 0;
  if (stat(j->path, &st) != 0) {
    if (errno == ENOENT) return K2_OK;
    return failf(j, K2_EFILE, "journal %s: %s", strerror(errno));
  }
  if (S_ISDIR(st.st_mode)) return failf(j, K2_EFILE, "journal %s is a folder; give the path of a file%s", "");
  if (!S_ISREG(st.st_mode)) return failf(j, K2_EFILE, "journal %s is not a regular file%s; left as it is", "");
  *exists = 1;
  {
    struct stat wal;
    char *name = sqlite3_mprintf("%s-wal", j->path);
    if (!name) return K2_ENOMEM;
    j->has_wal = stat(name, &wal) == 0;
    sqlite3_free(name);
  }
  rc = check_header(j, &st);
  if (rc == K2_OK && st.st_size > 0) rc = check_contents(j);
  return rc;
}

/* ------------------------------------------------------------ opening and creating */

static k2_status connect(k2_journal *j) {
  int rc = sqlite3_open_v2(j->path, &j->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX |
                           (j->memory ? SQLITE_OPEN_CREATE | SQLITE_OPEN_MEMORY : 0), NULL);
  if (rc == SQLITE_OK) {
    harden(j->db);
    rc = sqlite3_busy_timeout(j->db, K2_JOURNAL_BUSY_MS);
  }
  if (rc == SQLITE_OK) rc = sqlite3_exec(j->db, "PRAGMA synchronous = FULL", NULL, NULL, NULL);
  if (rc != SQLITE_OK) {
    k2_status status = sql_fail(j, rc, "cannot open it");
    sqlite3_close_v2(j->db);
    j->db = NULL;
    return status;
  }
  return K2_OK;
}

/* mkdir -p of the folders of path, each new one 0700. */
static int make_folders(const char *path) {
  char *p = sqlite3_mprintf("%s", path);
  int ok = 1;
  if (!p) return 0;
  for (char *s = p + 1; *s && ok; s++) {
    if (*s != '/') continue;
    *s = '\0';
    if (mkdir(p, 0700) != 0 && errno != EEXIST) ok = 0;
    *s = '/';
  }
  sqlite3_free(p);
  return ok;
}

static const char SCHEMA_2[] =
    "CREATE TABLE entry(id INTEGER PRIMARY KEY, at INTEGER NOT NULL, utc_offset INTEGER NOT NULL,"
    " kind TEXT NOT NULL CHECK (kind IN ('dose', 'food')), text TEXT NOT NULL, food TEXT, grams REAL, note TEXT,"
    " removed INTEGER NOT NULL DEFAULT 0);"
    "CREATE INDEX entry_at ON entry(at, id);"
    "CREATE TABLE amount(entry INTEGER NOT NULL REFERENCES entry(id), form TEXT NOT NULL, ug REAL NOT NULL,"
    " PRIMARY KEY (entry, form)) WITHOUT ROWID;"
    "CREATE TABLE change(seq INTEGER PRIMARY KEY, op TEXT NOT NULL CHECK (op IN ('add', 'remove')),"
    " first INTEGER NOT NULL, last INTEGER NOT NULL, undone INTEGER NOT NULL DEFAULT 0);"
    "CREATE TABLE setting(key TEXT PRIMARY KEY, value TEXT NOT NULL);";

/* Version 1 → 2: the entry's one (form, ug) moves to `amount`. */
static const char MIGRATE_1_2[] =
    "ALTER TABLE entry RENAME TO entry_v1;"
    "DROP INDEX IF EXISTS entry_at;"
    "CREATE TABLE entry(id INTEGER PRIMARY KEY, at INTEGER NOT NULL, utc_offset INTEGER NOT NULL,"
    " kind TEXT NOT NULL CHECK (kind IN ('dose', 'food')), text TEXT NOT NULL, food TEXT, grams REAL, note TEXT,"
    " removed INTEGER NOT NULL DEFAULT 0);"
    "INSERT INTO entry(id, at, utc_offset, kind, text, food, grams, note)"
    " SELECT id, at, utc_offset, kind, text, food, grams, note FROM entry_v1;"
    "CREATE INDEX entry_at ON entry(at, id);"
    "CREATE TABLE amount(entry INTEGER NOT NULL REFERENCES entry(id), form TEXT NOT NULL, ug REAL NOT NULL,"
    " PRIMARY KEY (entry, form)) WITHOUT ROWID;"
    "INSERT INTO amount SELECT id, form, ug FROM entry_v1 WHERE form IS NOT NULL AND ug IS NOT NULL;"
    "DROP TABLE entry_v1;"
    "CREATE TABLE change(seq INTEGER PRIMARY KEY, op TEXT NOT NULL CHECK (op IN ('add', 'remove')),"
    " first INTEGER NOT NULL, last INTEGER NOT NULL, undone INTEGER NOT NULL DEFAULT 0);"
    "CREATE TABLE IF NOT EXISTS setting(key TEXT PRIMARY KEY, value TEXT NOT NULL);";

/* Writes a whole empty journal (schema, application_id, user_version, WAL mode) to the new
** file tmp, and flushes it to the disk; closing the last connection folds the WAL back in
** and removes it. */
static int write_new(const char *tmp) {
  sqlite3 *db = NULL;
  char sql[96];
  int fd, rc = sqlite3_open_v2(tmp, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL);
  k2__msg(sql, sizeof sql, "PRAGMA application_id = %d; PRAGMA user_version = %d", APPLICATION_ID, SCHEMA_VERSION);
  /* born in WAL mode, so no k2 opening it later has to switch modes beside another */
  if (rc == SQLITE_OK) rc = sqlite3_exec(db, "PRAGMA journal_mode = WAL; BEGIN", NULL, NULL, NULL);
  if (rc == SQLITE_OK) rc = sqlite3_exec(db, SCHEMA_2, NULL, NULL, NULL);
  if (rc == SQLITE_OK) rc = sqlite3_exec(db, sql, NULL, NULL, NULL);
  if (rc == SQLITE_OK) rc = sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
  if (sqlite3_close(db) != SQLITE_OK && rc == SQLITE_OK) rc = SQLITE_IOERR;
  if (rc != SQLITE_OK) return rc;
  fd = open(tmp, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return SQLITE_CANTOPEN;
  rc = fsync(fd) == 0 ? SQLITE_OK : SQLITE_IOERR;
  close(fd);
  return rc;
}

/* fsync of the folder holding path, so a new name in it survives a crash. */
static void sync_folder(const char *path) {
  char *dir = sqlite3_mprintf("%s", path);
  char *slash = dir ? strrchr(dir, '/') : NULL;
  int fd;
  if (!dir) return;
  if (slash == dir) slash[1] = '\0';
  else if (slash) *slash = '\0';
  fd = open(slash ? dir : ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd >= 0) {
    (void)fsync(fd);
    close(fd);
  }
  sqlite3_free(dir);
}

/* The journal is made whole beside its path (PATH.k2new-PID, 0600), then linked into place:
** another k2 opening the path sees no file or a complete journal, never one half made.
** link(2) fails with EEXIST when another k2 made it first; that one is then used. */
static k2_status create_file(k2_journal *j) {
  int fd, rc, err;
  char *tmp;
  if (!make_folders(j->path)) return failf(j, K2_EFILE, "journal %s: cannot make its folder: %s", strerror(errno));
  tmp = sqlite3_mprintf("%s.k2new-%ld", j->path, (long)getpid());
  if (!tmp) return K2_ENOMEM;
  (void)unlink(tmp); /* left by a process of this pid that was killed: never another's */
  fd = open(tmp, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) {
    err = errno;
    sqlite3_free(tmp);
    return failf(j, K2_EFILE, "journal %s: cannot create it: %s", strerror(err));
  }
  close(fd);
  rc = write_new(tmp);
  err = rc == SQLITE_OK && link(tmp, j->path) != 0 ? errno : 0;
  (void)unlink(tmp);
  sqlite3_free(tmp);
  if (rc != SQLITE_OK) return sql_fail(j, rc, "cannot create it");
  if (err && err != EEXIST) return failf(j, K2_EFILE, "journal %s: cannot create it: %s", strerror(err));
  sync_folder(j->path);
  return K2_OK;
}


static void sleep_ms(long ms) {
  struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
  nanosleep(&ts, NULL);
}

static double now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* A transaction an earlier call could not end (its COMMIT or ROLLBACK failed for lack of
** memory) is rolled back before the next one starts. */
static void end_stale(sqlite3 *db) {
  if (!sqlite3_get_autocommit(db)) sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
}

/* Ends a read transaction: COMMIT, else ROLLBACK (never left open). */
static void end_read(sqlite3 *db) {
  if (!sqlite3_get_autocommit(db) && sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
    sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
}

/* BEGIN IMMEDIATE, waiting out other writers: the busy handler waits, and this loop covers
** the cases SQLite does not hand to it (a WAL being recovered or reset). */
static int begin_write(sqlite3 *db) {
  double start = now_ms();
  int rc;
  end_stale(db);
  while ((rc = sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL)) != SQLITE_OK) {
    if (((rc & 0xff) != SQLITE_BUSY && (rc & 0xff) != SQLITE_LOCKED) || now_ms() - start > K2_JOURNAL_BUSY_MS)
      return rc;
    sleep_ms(1);
  }
  return rc;
}

static int begin_read(sqlite3 *db) {
  double start = now_ms();
  int rc;
  end_stale(db);
  /* a deferred BEGIN takes its read lock (the WAL snapshot) at the first SELECT */
  while ((rc = sqlite3_exec(db, "BEGIN; SELECT 1 FROM sqlite_schema LIMIT 1", NULL, NULL, NULL)) != SQLITE_OK) {
    sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
    if (((rc & 0xff) != SQLITE_BUSY && (rc & 0xff) != SQLITE_LOCKED) || now_ms() - start > K2_JOURNAL_BUSY_MS)
      return rc;
    sleep_ms(1);
  }
  return rc;
}

/* The schema, made or migrated inside the caller's write transaction. */
static int ensure_schema(k2_journal *j) {
  long version = 0, app = 0, objects = 0;
  int rc = query_int(j->db, "PRAGMA user_version", &version);
  if (rc == SQLITE_OK) rc = query_int(j->db, "PRAGMA application_id", &app);
  if (rc == SQLITE_OK) rc = query_int(j->db, "SELECT count(*) FROM sqlite_schema", &objects);
  if (rc != SQLITE_OK) return rc;
  if (app != APPLICATION_ID && objects > 0) return SQLITE_NOTADB;
  if (version > SCHEMA_VERSION) return SQLITE_NOTADB;
  if (app != APPLICATION_ID) rc = sqlite3_exec(j->db, SCHEMA_2, NULL, NULL, NULL);
  else if (version == 1) rc = sqlite3_exec(j->db, MIGRATE_1_2, NULL, NULL, NULL);
  if (rc == SQLITE_OK && (app != APPLICATION_ID || version != SCHEMA_VERSION)) {
    char sql[96];
    k2__msg(sql, sizeof sql, "PRAGMA application_id = %d; PRAGMA user_version = %d", APPLICATION_ID,
            SCHEMA_VERSION);
    rc = sqlite3_exec(j->db, sql, NULL, NULL, NULL);
  }
  if (rc == SQLITE_OK) j->version = SCHEMA_VERSION;
  return rc;
}

/* A connection to a checked file; with create, the file is made when missing. *ready is 0
** (and K2_OK returned) when there is no file and create is 0. */
static k2_status ensure_db(k2_journal *j, int create, int *ready) {
  int exists;
  k2_status status;
  *ready = 0;
  if (j->db) {
    *ready = 1;
    return K2_OK;
  }
  if (j->memory) {
    if ((status = connect(j)) == K2_OK) *ready = 1;
    return status;
  }
  status = check_file(j, &exists);
  if (status != K2_OK || (!exists && !create)) return status;
  if (!exists && (status = create_file(j)) != K2_OK) return status;
  if ((status = connect(j)) != K2_OK) return status;
  /* WAL is a property of the file: set once, by whoever writes first */
  if (create || exists) {
    long mode_is_wal = 0;
    int rc = query_int(j->db, "SELECT journal_mode = 'wal' FROM pragma_journal_mode", &mode_is_wal);
    if (rc == SQLITE_OK && !mode_is_wal && create) rc = sqlite3_exec(j->db, "PRAGMA journal_mode = WAL", NULL, NULL, NULL);
    if (rc != SQLITE_OK) {
      status = sql_fail(j, rc, "cannot open it");
      sqlite3_close_v2(j->db);
      j->db = NULL;
      return status;
    }
  }
  *ready = 1;
  return K2_OK;
}

k2_status k2_journal_open(const char *path, size_t len, k2_journal **out) {
  k2_journal *j;
  int exists;
  if (!out) return K2_EMISUSE;
  *out = j = k2__malloc(sizeof *j);
  if (!j) return K2_ENOMEM;
  memset(j, 0, sizeof *j);
  if (!path || len == 0 || memchr(path, '\0', len) || !k2__utf8_valid(path, len)) {
    k2__msg(j->errmsg, sizeof j->errmsg, "a journal path is a file name in UTF-8, without NUL bytes");
    return K2_EINPUT;
  }
  j->path = k2__malloc(len + 1);
  if (!j->path) return K2_ENOMEM;
  memcpy(j->path, path, len);
  j->path[len] = '\0';
  j->memory = strcmp(j->path, ":memory:") == 0;
  return j->memory ? K2_OK : check_file(j, &exists);
}

void k2_journal_close(k2_journal *j) {
  if (!j) return;
  if (j->db) sqlite3_close_v2(j->db);
  k2__free(j->value);
  k2__free(j->path);
  k2__free(j);
}

const char *k2_journal_errmsg(const k2_journal *j) { return j ? j->errmsg : "no journal"; }
const char *k2_journal_path(const k2_journal *j) { return j ? j->path : NULL; }

/* ------------------------------------------------------------ writing */

typedef k2_status (*write_body)(k2_journal *j, void *ud);

/* Runs body in one write transaction (schema made or migrated first): committed whole, or
** rolled back whole. The commit is fsync'd (synchronous=FULL) before this returns. */
static k2_status write_tx(k2_journal *j, write_body body, void *ud, const char *doing) {
  int ready, rc;
  k2_status status = ensure_db(j, 1, &ready);
  if (status != K2_OK) return status;
  rc = begin_write(j->db);
  if (rc != SQLITE_OK) return sql_fail(j, rc, doing);
  rc = ensure_schema(j);
  if (rc == SQLITE_NOTADB) {
    sqlite3_exec(j->db, "ROLLBACK", NULL, NULL, NULL);
    return failf(j, K2_EFILE, "%s is not a k2 journal (or of a newer k2)%s; left as it is", "");
  }
  if (rc != SQLITE_OK) {
    status = sql_fail(j, rc, doing);
    sqlite3_exec(j->db, "ROLLBACK", NULL, NULL, NULL);
    return status;
  }
  status = body(j, ud);
  if (status == K2_OK) {
    rc = sqlite3_exec(j->db, "COMMIT", NULL, NULL, NULL);
    if (rc != SQLITE_OK) status = sql_fail(j, rc, doing);
  }
  if (status != K2_OK) end_stale(j->db);
  return status;
}

static int text_ok(const char *s, size_t max) {
  size_t n;
  if (!s) return 0;
  n = strlen(s);
  return n > 0 && n <= max && k2__utf8_valid(s, n);
}

/* Every field of one entry within its bounds, else K2_EINPUT naming entry i and the field. */
static k2_status check_entry(k2_journal *j, const k2_entry *e, size_t i) {
  const char *bad = NULL;
  int dose = e->kind && strcmp(e->kind, "dose") == 0, food = e->kind && strcmp(e->kind, "food") == 0;
  if (!dose && !food) bad = "kind must be 'dose' or 'food'";
  else if (e->at < 0 || e->at > K2_TIME_MAX_S) bad = "its time is outside 1970 to 9999";
  else if (e->offset < -K2_TIME_MAX_OFFSET_S || e->offset > K2_TIME_MAX_OFFSET_S) bad = "its UTC offset is out of range";
  else if (!text_ok(e->text, K2_JOURNAL_MAX_TEXT)) bad = "its text must be 1 to journal_max_text bytes of UTF-8";
  else if (e->note && !text_ok(e->note, K2_JOURNAL_MAX_TEXT)) bad = "its note must be 1 to journal_max_text bytes of UTF-8";
  else if (dose && (e->food || e->amount_count != 1)) bad = "a dose names one form and no food";
  else if (food && !text_ok(e->food, K2_JOURNAL_MAX_TEXT)) bad = "a food entry names its food";
  else if (food && !(e->grams > 0 && e->grams <= K2_JOURNAL_MAX_GRAMS)) bad = "a food entry weighs more than 0 g and at most journal_max_grams";
  else if (e->amount_count > K2_JOURNAL_MAX_AMOUNTS || (e->amount_count && !e->amounts)) bad = "too many forms (journal_max_amounts)";
  for (size_t k = 0; !bad && k < e->amount_count; k++) {
    const k2_amount *a = &e->amounts[k];
    if (!text_ok(a->form, FORM_MAX_BYTES)) bad = "an amount names no form";
    else if (!(a->ug >= 0 && a->ug <= K2_DOSE_MAX_UG)) bad = "an amount is not 0 to dose_max_ug µg";
    for (size_t m = 0; !bad && m < k; m++)
      if (strcmp(e->amounts[m].form, a->form) == 0) bad = "a form appears twice";
  }
  if (!bad) return K2_OK;
  k2__msg(j->errmsg, sizeof j->errmsg, "entry %zu: %s; nothing was written", i + 1, bad);
  return K2_EINPUT;
}

typedef struct add_job {
  const k2_entry *e;
  size_t n;
  int64_t *ids;
} add_job;

static int bind_text(sqlite3_stmt *st, int i, const char *s) {
  return s ? sqlite3_bind_text(st, i, s, -1, SQLITE_STATIC) : sqlite3_bind_null(st, i);
}

static int step_done(sqlite3_stmt *st) {
  int rc = sqlite3_step(st);
  sqlite3_reset(st);
  return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

static int insert_entry(sqlite3 *db, sqlite3_stmt *ins, sqlite3_stmt *amt, const k2_entry *e, int64_t *id) {
  int rc;
  sqlite3_bind_int64(ins, 1, e->at);
  sqlite3_bind_int(ins, 2, e->offset);
  bind_text(ins, 3, e->kind);
  bind_text(ins, 4, e->text);
  bind_text(ins, 5, e->food);
  if (isnan(e->grams)) sqlite3_bind_null(ins, 6);
  else sqlite3_bind_double(ins, 6, e->grams);
  bind_text(ins, 7, e->note);
  rc = step_done(ins);
  if (rc != SQLITE_OK) return rc;
  *id = sqlite3_last_insert_rowid(db);
  for (size_t k = 0; rc == SQLITE_OK && k < e->amount_count; k++) {
    sqlite3_bind_int64(amt, 1, *id);
    bind_text(amt, 2, e->amounts[k].form);
    sqlite3_bind_double(amt, 3, e->amounts[k].ug);
    rc = step_done(amt);
  }
  return rc;
}

static k2_status add_body(k2_journal *j, void *ud) {
  add_job *job = ud;
  sqlite3_stmt *ins = NULL, *amt = NULL, *log = NULL;
  long live = 0;
  int64_t id = 0, first = 0;
  int rc = query_int(j->db, "SELECT count(*) FROM entry WHERE removed = 0", &live);
  if (rc == SQLITE_OK && (size_t)live + job->n > K2_JOURNAL_MAX_ENTRIES) {
    k2__msg(j->errmsg, sizeof j->errmsg, "journal %s holds %ld entries; it keeps at most %ld (journal_max_entries)",
            j->path, live, (long)K2_JOURNAL_MAX_ENTRIES);
    return K2_EINPUT;
  }
  if (rc == SQLITE_OK)
    rc = sqlite3_prepare_v2(j->db, "INSERT INTO entry(at, utc_offset, kind, text, food, grams, note)"
                            " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)", -1, &ins, NULL);
  if (rc == SQLITE_OK) rc = sqlite3_prepare_v2(j->db, "INSERT INTO amount VALUES (?1, ?2, ?3)", -1, &amt, NULL);
  for (size_t i = 0; rc == SQLITE_OK && i < job->n; i++) {
    rc = insert_entry(j->db, ins, amt, &job->e[i], &id);
    if (i == 0) first = id;
    if (job->ids) job->ids[i] = id;
  }
  if (rc == SQLITE_OK)
    rc = sqlite3_prepare_v2(j->db, "INSERT INTO change(op, first, last) VALUES ('add', ?1, ?2)", -1, &log, NULL);
  if (rc == SQLITE_OK) {
    sqlite3_bind_int64(log, 1, first);
    sqlite3_bind_int64(log, 2, id);
    rc = step_done(log);
  }
  sqlite3_finalize(ins);
  sqlite3_finalize(amt);
  sqlite3_finalize(log);
  return rc == SQLITE_OK ? K2_OK : sql_fail(j, rc, "cannot add the entry");
}

k2_status k2_journal_add(k2_journal *j, const k2_entry *e, size_t n, int64_t *ids) {
  add_job job = {e, n, ids};
  k2_status status;
  if (!j || !j->path || !e) return K2_EMISUSE;
  if (n == 0 || n > K2_JOURNAL_MAX_BATCH) {
    k2__msg(j->errmsg, sizeof j->errmsg, "one add writes 1 to %ld entries (journal_max_batch)",
            (long)K2_JOURNAL_MAX_BATCH);
    return K2_EINPUT;
  }
  for (size_t i = 0; i < n; i++)
    if ((status = check_entry(j, &e[i], i)) != K2_OK) return status;
  return write_tx(j, add_body, &job, "cannot add the entry");
}

typedef struct remove_job {
  int64_t id;
} remove_job;

static k2_status remove_body(k2_journal *j, void *ud) {
  remove_job *job = ud;
  sqlite3_stmt *st = NULL;
  int rc = sqlite3_prepare_v2(j->db, "UPDATE entry SET removed = 1 WHERE id = ?1 AND removed = 0", -1, &st, NULL);
  if (rc == SQLITE_OK) {
    sqlite3_bind_int64(st, 1, job->id);
    rc = step_done(st);
  }
  sqlite3_finalize(st);
  if (rc != SQLITE_OK) return sql_fail(j, rc, "cannot remove the entry");
  if (sqlite3_changes(j->db) == 0) {
    k2__msg(j->errmsg, sizeof j->errmsg, "the journal has no entry #%lld (or it was removed already)",
            (long long)job->id);
    return K2_ENOTFOUND;
  }
  rc = sqlite3_prepare_v2(j->db, "INSERT INTO change(op, first, last) VALUES ('remove', ?1, ?1)", -1, &st, NULL);
  if (rc == SQLITE_OK) {
    sqlite3_bind_int64(st, 1, job->id);
    rc = step_done(st);
  }
  sqlite3_finalize(st);
  return rc == SQLITE_OK ? K2_OK : sql_fail(j, rc, "cannot remove the entry");
}

k2_status k2_journal_remove(k2_journal *j, int64_t id) {
  remove_job job = {id};
  int ready;
  k2_status status;
  if (!j || !j->path) return K2_EMISUSE;
  status = ensure_db(j, 0, &ready);
  if (status != K2_OK) return status;
  if (!ready) {
    k2__msg(j->errmsg, sizeof j->errmsg, "the journal has no entry #%lld (it has none yet)", (long long)id);
    return K2_ENOTFOUND;
  }
  return write_tx(j, remove_body, &job, "cannot remove the entry");
}

typedef struct undo_job {
  int64_t *id;
  int *added;
} undo_job;

static k2_status undo_body(k2_journal *j, void *ud) {
  undo_job *job = ud;
  sqlite3_stmt *st = NULL;
  int64_t seq, first, last;
  int added;
  int rc = sqlite3_prepare_v2(j->db, "SELECT seq, op = 'add', first, last FROM change WHERE undone = 0"
                              " ORDER BY seq DESC LIMIT 1", -1, &st, NULL);
  if (rc == SQLITE_OK) rc = sqlite3_step(st);
  if (rc == SQLITE_DONE) {
    sqlite3_finalize(st);
    k2__msg(j->errmsg, sizeof j->errmsg, "nothing to undo: every change to the journal is undone already");
    return K2_ENOTFOUND;
  }
  if (rc != SQLITE_ROW) {
    sqlite3_finalize(st);
    return sql_fail(j, rc, "cannot undo");
  }
  seq = sqlite3_column_int64(st, 0);
  added = sqlite3_column_int(st, 1);
  first = sqlite3_column_int64(st, 2);
  last = sqlite3_column_int64(st, 3);
  sqlite3_finalize(st);
  rc = sqlite3_prepare_v2(j->db, "UPDATE entry SET removed = ?3 WHERE id BETWEEN ?1 AND ?2", -1, &st, NULL);
  if (rc == SQLITE_OK) {
    sqlite3_bind_int64(st, 1, first);
    sqlite3_bind_int64(st, 2, last);
    sqlite3_bind_int(st, 3, added);
    rc = step_done(st);
    sqlite3_finalize(st);
  }
  if (rc == SQLITE_OK) rc = sqlite3_prepare_v2(j->db, "UPDATE change SET undone = 1 WHERE seq = ?1", -1, &st, NULL);
  if (rc == SQLITE_OK) {
    sqlite3_bind_int64(st, 1, seq);
    rc = step_done(st);
    sqlite3_finalize(st);
  }
  if (rc != SQLITE_OK) return sql_fail(j, rc, "cannot undo");
  if (job->id) *job->id = first;
  if (job->added) *job->added = added;
  return K2_OK;
}

k2_status k2_journal_undo(k2_journal *j, int64_t *id, int *added) {
  undo_job job = {id, added};
  int ready;
  k2_status status;
  if (!j || !j->path) return K2_EMISUSE;
  status = ensure_db(j, 0, &ready);
  if (status != K2_OK) return status;
  if (!ready) {
    k2__msg(j->errmsg, sizeof j->errmsg, "nothing to undo: the journal has no entries yet");
    return K2_ENOTFOUND;
  }
  return write_tx(j, undo_body, &job, "cannot undo");
}

typedef struct set_job {
  const char *key, *value;
} set_job;

static k2_status set_body(k2_journal *j, void *ud) {
  set_job *job = ud;
  sqlite3_stmt *st = NULL;
  int rc = sqlite3_prepare_v2(j->db, job->value ? "INSERT OR REPLACE INTO setting VALUES (?1, ?2)"
                                                : "DELETE FROM setting WHERE key = ?1", -1, &st, NULL);
  if (rc == SQLITE_OK) {
    bind_text(st, 1, job->key);
    if (job->value) bind_text(st, 2, job->value);
    rc = step_done(st);
  }
  sqlite3_finalize(st);
  return rc == SQLITE_OK ? K2_OK : sql_fail(j, rc, "cannot save the setting");
}

k2_status k2_journal_set(k2_journal *j, const char *key, const char *value) {
  set_job job = {key, value};
  if (!j || !j->path || !key) return K2_EMISUSE;
  if (!text_ok(key, FORM_MAX_BYTES) || (value && strlen(value) > K2_JOURNAL_MAX_TEXT) ||
      (value && !k2__utf8_valid(value, strlen(value)))) {
    k2__msg(j->errmsg, sizeof j->errmsg, "a setting is a name and at most journal_max_text bytes of UTF-8");
    return K2_EINPUT;
  }
  return write_tx(j, set_body, &job, "cannot save the setting");
}

/* ------------------------------------------------------------ reading */

/* The schema version now (another process may have made or migrated the file since). */
static int refresh_version(k2_journal *j) {
  long app = 0, version = 0;
  int rc = query_int(j->db, "PRAGMA application_id", &app);
  if (rc == SQLITE_OK) rc = query_int(j->db, "PRAGMA user_version", &version);
  if (rc == SQLITE_OK) j->version = app == APPLICATION_ID ? (int)version : 0;
  return rc;
}

static k2_status nothing(k2_journal *j, void *ud) {
  (void)j, (void)ud;
  return K2_OK;
}


k2_status k2_journal_setting(k2_journal *j, const char *key, const char **value) {
  sqlite3_stmt *st = NULL;
  int ready, rc;
  k2_status status;
  if (!j || !j->path || !key || !value) return K2_EMISUSE;
  *value = NULL;
  k2__free(j->value);
  j->value = NULL;
  status = ensure_db(j, 0, &ready);
  if (status != K2_OK || !ready) return status;
  if ((rc = refresh_version(j)) != SQLITE_OK) return sql_fail(j, rc, "cannot read the setting");
  if (j->version < SCHEMA_VERSION) return K2_OK; /* nothing written yet, or the first schema: none set */
  rc = sqlite3_prepare_v2(j->db, "SELECT value FROM setting WHERE key = ?1", -1, &st, NULL);
  if (rc == SQLITE_OK) {
    bind_text(st, 1, key);
    rc = sqlite3_step(st);
  }
  if (rc == SQLITE_ROW) {
    j->value = sqlite3_mprintf("%s", (const char *)sqlite3_column_text(st, 0));
    rc = j->value ? SQLITE_DONE : SQLITE_NOMEM;
    *value = j->value;
  }
  sqlite3_finalize(st);
  return rc == SQLITE_DONE ? K2_OK : sql_fail(j, rc, "cannot read the setting");
}

k2_status k2_journal_stat(k2_journal *j, int *version, long *entries) {
  int ready, rc = SQLITE_OK;
  long n = 0;
  k2_status status;
  if (!j || !j->path) return K2_EMISUSE;
  status = ensure_db(j, 0, &ready);
  if (status != K2_OK) return status;
  if (ready) rc = refresh_version(j);
  if (rc == SQLITE_OK && ready && j->version >= 1) rc = query_int(j->db, j->version >= 2 ? "SELECT count(*) FROM entry WHERE removed = 0"
                                                                        : "SELECT count(*) FROM entry", &n);
  if (rc != SQLITE_OK) return sql_fail(j, rc, "cannot read it");
  if (version) *version = j->version;
  if (entries) *entries = n;
  return K2_OK;
}

static const char SQL_ENTRIES[] =
    "SELECT id, at, utc_offset, kind, text, food, grams, note FROM entry"
    " WHERE removed = 0 AND at >= ?1 AND at < ?2 ORDER BY at, id";
static const char SQL_AMOUNTS[] =
    "SELECT e.id, a.form, a.ug FROM entry e JOIN amount a ON a.entry = e.id"
    " WHERE e.removed = 0 AND e.at >= ?1 AND e.at < ?2 ORDER BY e.at, e.id, a.form";

/* Walks the entries and their amounts side by side, both in (at, id) order, in one snapshot. */
static int walk(sqlite3_stmt *es, sqlite3_stmt *as, k2_entry_each each, void *ud) {
  char forms[K2_JOURNAL_MAX_AMOUNTS][FORM_MAX_BYTES + 1];
  k2_amount amounts[K2_JOURNAL_MAX_AMOUNTS];
  int arc = sqlite3_step(as), rc;
  while ((rc = sqlite3_step(es)) == SQLITE_ROW) {
    k2_entry e;
    e.id = sqlite3_column_int64(es, 0);
    e.at = sqlite3_column_int64(es, 1);
    e.offset = sqlite3_column_int(es, 2);
    e.kind = (const char *)sqlite3_column_text(es, 3);
    e.text = (const char *)sqlite3_column_text(es, 4);
    e.food = (const char *)sqlite3_column_text(es, 5);
    e.grams = sqlite3_column_type(es, 6) == SQLITE_NULL ? NAN : sqlite3_column_double(es, 6);
    e.note = (const char *)sqlite3_column_text(es, 7);
    e.amount_count = 0;
    e.amounts = amounts;
    while (arc == SQLITE_ROW && sqlite3_column_int64(as, 0) == e.id) {
      if (e.amount_count < K2_JOURNAL_MAX_AMOUNTS) {
        const char *f = (const char *)sqlite3_column_text(as, 1);
        k2__msg(forms[e.amount_count], sizeof forms[0], "%s", f ? f : "");
        amounts[e.amount_count].form = forms[e.amount_count];
        amounts[e.amount_count].ug = sqlite3_column_double(as, 2);
        e.amount_count++;
      }
      arc = sqlite3_step(as);
    }
    if (!e.kind || !e.text) return SQLITE_NOMEM; /* a text column could not be converted */
    if (each(ud, &e)) return SQLITE_DONE;
  }
  if (arc != SQLITE_ROW && arc != SQLITE_DONE) return arc;
  return rc;
}

k2_status k2_journal_entries(k2_journal *j, int64_t from, int64_t to, k2_entry_each each, void *ud) {
  sqlite3_stmt *es = NULL, *as = NULL;
  int ready, rc;
  k2_status status;
  if (!j || !j->path || !each) return K2_EMISUSE;
  status = ensure_db(j, 0, &ready);
  if (status != K2_OK || !ready) return status;
  rc = begin_read(j->db);
  if (rc == SQLITE_OK) rc = refresh_version(j);
  if (rc == SQLITE_OK && j->version < SCHEMA_VERSION) {
    end_read(j->db);
    /* an empty file has nothing to read; an older schema is brought up to date first */
    if (j->version == 0) return K2_OK;
    if ((status = write_tx(j, nothing, NULL, "cannot bring its schema up to date")) != K2_OK) return status;
    rc = begin_read(j->db);
  }
  if (rc == SQLITE_OK) rc = sqlite3_prepare_v2(j->db, SQL_ENTRIES, -1, &es, NULL);
  if (rc == SQLITE_OK) rc = sqlite3_prepare_v2(j->db, SQL_AMOUNTS, -1, &as, NULL);
  if (rc == SQLITE_OK) {
    sqlite3_bind_int64(es, 1, from);
    sqlite3_bind_int64(es, 2, to);
    sqlite3_bind_int64(as, 1, from);
    sqlite3_bind_int64(as, 2, to);
    rc = walk(es, as, each, ud);
    if (rc == SQLITE_DONE) rc = SQLITE_OK;
  }
  sqlite3_finalize(es);
  sqlite3_finalize(as);
  end_read(j->db);
  return rc == SQLITE_OK ? K2_OK : sql_fail(j, rc, "cannot read the entries");
}

static const char SQL_DOSES[] =
    "SELECT e.at, e.utc_offset, a.form, a.ug FROM entry e JOIN amount a ON a.entry = e.id"
    " WHERE e.removed = 0 AND e.kind = 'dose' AND e.at >= ?1 AND e.at < ?2 AND (?3 IS NULL OR a.form = ?3)"
    " ORDER BY e.at, e.id";

k2_status k2_journal_doses(k2_journal *j, const char *form, int64_t from, int64_t to, k2_dose_each each, void *ud) {
  sqlite3_stmt *st = NULL;
  int ready, rc;
  k2_status status;
  if (!j || !j->path || !each) return K2_EMISUSE;
  status = ensure_db(j, 0, &ready);
  if (status != K2_OK || !ready) return status;
  rc = begin_read(j->db);
  if (rc == SQLITE_OK) rc = refresh_version(j);
  if (rc == SQLITE_OK && j->version < SCHEMA_VERSION) {
    end_read(j->db);
    if (j->version == 0) return K2_OK;
    if ((status = write_tx(j, nothing, NULL, "cannot bring its schema up to date")) != K2_OK) return status;
    rc = begin_read(j->db);
  }
  if (rc == SQLITE_OK) rc = sqlite3_prepare_v2(j->db, SQL_DOSES, -1, &st, NULL);
  if (rc == SQLITE_OK) {
    sqlite3_bind_int64(st, 1, from);
    sqlite3_bind_int64(st, 2, to);
    bind_text(st, 3, form);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
      const char *f = (const char *)sqlite3_column_text(st, 2);
      if (!f) {
        rc = SQLITE_NOMEM;
        break;
      }
      if (each(ud, sqlite3_column_int64(st, 0), sqlite3_column_int(st, 1), f, sqlite3_column_double(st, 3))) {
        rc = SQLITE_DONE;
        break;
      }
    }
    if (rc == SQLITE_DONE) rc = SQLITE_OK;
  }
  sqlite3_finalize(st);
  end_read(j->db);
  return rc == SQLITE_OK ? K2_OK : sql_fail(j, rc, "cannot read the doses");
}
