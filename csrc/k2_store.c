/*
** k2_store.c — the fact store: the SQLite image built from data/ and
** embedded in the library, opened read-only in memory, and the queries on it
** (full-text search, filters, fact by id, sources, conflicts).
**
** Hardening (SQLite "Defense against the dark arts", sqlite.org/security.html):
** the image is deserialized with SQLITE_DESERIALIZE_READONLY from a const
** array, so no write can reach it; DEFENSIVE on, TRUSTED_SCHEMA off,
** extension loading off, triggers and views off, limits lowered.
**
** Search (sqlite.org/fts5.html): the user's text never reaches FTS5 as
** syntax. It is split into words; each word becomes a quoted FTS5 string
** (prefix-matched when 3+ characters long); runs of up to three words that
** spell a form alias ("menaquinone 7", "MK-7", "mk7") become that form's
** token, which the build wrote into every fact about the form or a broader
** one. Ranking is bm25 with column weights; ties break on data/ order.
** All memory comes from sqlite3_malloc, so one allocator serves both.
*/
#include "k2.h"
#include "k2_int.h"

#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_ALIAS_WORDS 3
#define MAX_ALIAS_BYTES 64
#define MAX_FILTER_BYTES 200

typedef struct alias {
  char *key;         /* lower-case letters and digits only */
  const char *form;  /* canonical form name (points into forms[]) */
  const char *token; /* FTS token of the form */
} alias;

struct k2_store {
  sqlite3 *db;
  sqlite3_stmt *search, *facts, *fact, *sources, *source, *vocab_name, *vocab_list,
      *conflict, *info;
  alias *aliases;
  size_t n_aliases;
  char **forms;   /* canonical names, then tokens, pairs: forms[2i], forms[2i+1] */
  size_t n_forms;
  char **stopwords;
  size_t n_stopwords;
  char *scratch[4]; /* strings handed out by k2_conflict_get / info */
  k2__doc_lengths lengths; /* for k2rank */
  char errmsg[512];
};

#define FACT_COLUMNS \
  "f.id, f.topic, f.forms, f.population, f.claim, f.evidence, f.ages, f.sex, f.unit, " \
  "f.certainty, f.also, f.seed, f.conflict, f.note, f.value, f.low, f.high, f.age_min, " \
  "f.age_max, s.id, s.title, s.year, s.kind, s.ref, s.authors, s.journal, s.note"
#define N_FACT_COLUMNS 27

#define FACT_FILTER \
  " AND (:topic IS NULL OR f.topic = :topic) AND (:evidence IS NULL OR f.evidence = :evidence)" \
  " AND (:form IS NULL OR EXISTS (SELECT 1 FROM fact_form ff JOIN form_match fm" \
  "      ON fm.form = ff.form WHERE ff.fact = f.n AND fm.query = :form))" \
  " AND (:pop IS NULL OR instr(lower(f.population), lower(:pop)) > 0)"

/* Ranks and limits on row numbers first, then fetches only the rows kept. */
static const char sql_search[] =
    "SELECT " FACT_COLUMNS ", top.rank FROM"
    " (SELECT f.n AS n, k2rank(fact_fts, 1.0, 2.0, 1.5, 1.0, 0.3) AS rank"
    "  FROM fact_fts JOIN fact f ON f.n = fact_fts.rowid"
    "  WHERE fact_fts MATCH :match" FACT_FILTER " ORDER BY rank, f.n LIMIT :limit) AS top"
    " JOIN fact f ON f.n = top.n JOIN source s ON s.id = f.source ORDER BY top.rank, top.n";
static const char sql_facts[] =
    "SELECT " FACT_COLUMNS ", 0 FROM fact f JOIN source s ON s.id = f.source"
    " WHERE 1" FACT_FILTER " ORDER BY f.n";
static const char sql_fact[] =
    "SELECT " FACT_COLUMNS ", 0 FROM fact f JOIN source s ON s.id = f.source WHERE f.id = :id";
static const char sql_sources[] =
    "SELECT id, title, year, kind, ref, authors, journal, note FROM source ORDER BY id";
static const char sql_source[] =
    "SELECT id, title, year, kind, ref, authors, journal, note FROM source WHERE id = :id";
static const char sql_vocab_name[] =
    "SELECT name FROM vocab WHERE kind = :kind AND name = :name COLLATE NOCASE";
static const char sql_vocab_list[] =
    "SELECT group_concat(name, ', ') FROM (SELECT name FROM vocab WHERE kind = :kind ORDER BY name)";
static const char sql_conflict[] =
    "SELECT c.id, c.topic, c.summary, (SELECT group_concat(f.id, ', ') FROM fact f"
    "  WHERE instr(',' || replace(f.conflict, ' ', '') || ',', ',' || c.id || ',') > 0)"
    " FROM conflict c WHERE c.id = :id";
static const char sql_info[] =
    "SELECT (SELECT value FROM meta WHERE key = 'version'), (SELECT count(*) FROM fact),"
    " (SELECT count(*) FROM source), (SELECT count(*) FROM conflict)";

/* ------------------------------------------------------------ errors */

static k2_status fail(k2_store *st, k2_status rc, const char *fmt, const char *arg) {
  k2__msg(st->errmsg, sizeof st->errmsg, fmt, arg);
  return rc;
}

static k2_status sqlite_fail(k2_store *st, int rc) {
  if (rc == SQLITE_NOMEM) return fail(st, K2_ENOMEM, "%s", "not enough memory");
  k2__msg(st->errmsg, sizeof st->errmsg, "fact store error: %s",
          st->db ? sqlite3_errmsg(st->db) : sqlite3_errstr(rc));
  return K2_ESTORE;
}

const char *k2_store_errmsg(const k2_store *store) {
  return store ? store->errmsg : "no store (out of memory?)";
}

/* ------------------------------------------------------------ small helpers */

static char *dup_text(const unsigned char *s) {
  size_t n;
  char *copy;
  if (!s) return NULL;
  n = strlen((const char *)s);
  copy = sqlite3_malloc64(n + 1);
  if (copy) memcpy(copy, s, n + 1);
  return copy;
}

/* Copies column i, if present; *oom is set when the copy fails. */
static const char *col_text(sqlite3_stmt *stmt, int i, int *oom) {
  const unsigned char *t = sqlite3_column_text(stmt, i);
  char *copy;
  if (!t) {
    if (sqlite3_errcode(sqlite3_db_handle(stmt)) == SQLITE_NOMEM) *oom = 1;
    return NULL;
  }
  copy = dup_text(t);
  if (!copy) *oom = 1;
  return copy;
}

static double col_number(sqlite3_stmt *stmt, int i) {
  return sqlite3_column_type(stmt, i) == SQLITE_NULL ? NAN : sqlite3_column_double(stmt, i);
}

static int bind_text(sqlite3_stmt *stmt, const char *name, const char *text, size_t len) {
  int i = sqlite3_bind_parameter_index(stmt, name);
  if (i == 0) return SQLITE_OK;
  if (!text) return sqlite3_bind_null(stmt, i);
  return sqlite3_bind_text64(stmt, i, text, len, SQLITE_TRANSIENT, SQLITE_UTF8);
}

static int bind_int(sqlite3_stmt *stmt, const char *name, int value) {
  int i = sqlite3_bind_parameter_index(stmt, name);
  return i == 0 ? SQLITE_OK : sqlite3_bind_int(stmt, i, value);
}

/* Checks a user-supplied text argument: present, no NUL, UTF-8, not huge. */
static k2_status check_text(k2_store *st, const char *what, const char *s, size_t len, size_t max) {
  char m[64];
  if (!s) return fail(st, K2_EMISUSE, "%s is missing", what);
  if (memchr(s, '\0', len)) return fail(st, K2_EINPUT, "%s contains a NUL byte", what);
  if (!k2__utf8_valid(s, len)) return fail(st, K2_EINPUT, "%s is not valid UTF-8", what);
  if (len > max) {
    k2__msg(m, sizeof m, "%s is too long (at most %zu bytes)", what, max);
    return fail(st, K2_EINPUT, "%s", m);
  }
  return K2_OK;
}

static k2_status check_store(const k2_store *st) {
  return (st && st->db) ? K2_OK : K2_EMISUSE;
}

/* ------------------------------------------------------------ lists */

static void free_source_fields(k2_source *s) {
  sqlite3_free((void *)s->id); sqlite3_free((void *)s->title); sqlite3_free((void *)s->year);
  sqlite3_free((void *)s->kind); sqlite3_free((void *)s->ref); sqlite3_free((void *)s->authors);
  sqlite3_free((void *)s->journal); sqlite3_free((void *)s->note);
}

static void free_fact_fields(k2_fact *f) {
  const char **text[] = {&f->id, &f->topic, &f->forms, &f->population, &f->claim, &f->evidence,
                         &f->ages, &f->sex, &f->unit, &f->certainty, &f->also, &f->seed,
                         &f->conflict, &f->note};
  for (size_t i = 0; i < sizeof text / sizeof text[0]; i++) sqlite3_free((void *)*text[i]);
  free_source_fields(&f->source);
}

void k2_fact_list_free(k2_fact_list *list) {
  if (!list) return;
  for (size_t i = 0; i < list->count; i++) free_fact_fields(&list->items[i]);
  sqlite3_free(list->items);
  sqlite3_free(list);
}

void k2_source_list_free(k2_source_list *list) {
  if (!list) return;
  for (size_t i = 0; i < list->count; i++) free_source_fields(&list->items[i]);
  sqlite3_free(list->items);
  sqlite3_free(list);
}

/* Reads a source from columns first..first+7; returns 0 on out of memory. */
static int read_source(sqlite3_stmt *stmt, int first, k2_source *s) {
  int oom = 0;
  s->id = col_text(stmt, first, &oom);
  s->title = col_text(stmt, first + 1, &oom);
  s->year = col_text(stmt, first + 2, &oom);
  s->kind = col_text(stmt, first + 3, &oom);
  s->ref = col_text(stmt, first + 4, &oom);
  s->authors = col_text(stmt, first + 5, &oom);
  s->journal = col_text(stmt, first + 6, &oom);
  s->note = col_text(stmt, first + 7, &oom);
  return !oom;
}

static int read_fact(sqlite3_stmt *stmt, k2_fact *f) {
  int oom = 0;
  const char **text[] = {&f->id, &f->topic, &f->forms, &f->population, &f->claim, &f->evidence,
                         &f->ages, &f->sex, &f->unit, &f->certainty, &f->also, &f->seed,
                         &f->conflict, &f->note};
  for (int i = 0; i < 14; i++) *text[i] = col_text(stmt, i, &oom);
  f->value = col_number(stmt, 14);
  f->low = col_number(stmt, 15);
  f->high = col_number(stmt, 16);
  f->age_min = col_number(stmt, 17);
  f->age_max = col_number(stmt, 18);
  f->rank = sqlite3_column_double(stmt, N_FACT_COLUMNS);
  return read_source(stmt, 19, &f->source) && !oom;
}

/* Makes room for one more item of `size` bytes in *items (count used, *cap allocated). */
static int grow(void **items, size_t count, size_t *cap, size_t size) {
  void *bigger;
  size_t want;
  if (count < *cap) return 1;
  want = *cap ? *cap * 2 : 16;
  bigger = sqlite3_realloc64(*items, want * size);
  if (!bigger) return 0;
  memset((char *)bigger + *cap * size, 0, (want - *cap) * size);
  *items = bigger;
  *cap = want;
  return 1;
}

/* Steps a bound statement to the end, collecting facts. Resets it. */
static k2_status collect_facts(k2_store *st, sqlite3_stmt *stmt, k2_fact_list **out) {
  k2_fact_list *list = sqlite3_malloc64(sizeof *list);
  size_t cap = 0;
  int rc;
  if (!list) { sqlite3_reset(stmt); return fail(st, K2_ENOMEM, "%s", "not enough memory"); }
  memset(list, 0, sizeof *list);
  while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
    if (!grow((void **)&list->items, list->count, &cap, sizeof(k2_fact))) { rc = SQLITE_NOMEM; break; }
    if (!read_fact(stmt, &list->items[list->count++])) { rc = SQLITE_NOMEM; break; }
  }
  sqlite3_reset(stmt);
  if (rc != SQLITE_DONE) {
    k2_fact_list_free(list);
    return sqlite_fail(st, rc);
  }
  *out = list;
  return K2_OK;
}

static k2_status collect_sources(k2_store *st, sqlite3_stmt *stmt, k2_source_list **out) {
  k2_source_list *list = sqlite3_malloc64(sizeof *list);
  size_t cap = 0;
  int rc;
  if (!list) { sqlite3_reset(stmt); return fail(st, K2_ENOMEM, "%s", "not enough memory"); }
  memset(list, 0, sizeof *list);
  while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
    if (!grow((void **)&list->items, list->count, &cap, sizeof(k2_source))) { rc = SQLITE_NOMEM; break; }
    if (!read_source(stmt, 0, &list->items[list->count++])) { rc = SQLITE_NOMEM; break; }
  }
  sqlite3_reset(stmt);
  if (rc != SQLITE_DONE) {
    k2_source_list_free(list);
    return sqlite_fail(st, rc);
  }
  *out = list;
  return K2_OK;
}

/* ------------------------------------------------------------ vocabularies */

static int alias_cmp(const void *a, const void *b) {
  return strcmp(((const alias *)a)->key, ((const alias *)b)->key);
}

static int str_cmp(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Runs `sql` and keeps column 0 (and 1) of every row as owned strings. */
static int load_strings(k2_store *st, const char *sql, int columns, char ***out, size_t *count) {
  sqlite3_stmt *stmt = NULL;
  size_t cap = 0;
  int rc = sqlite3_prepare_v2(st->db, sql, -1, &stmt, NULL);
  while (rc == SQLITE_OK && (rc = sqlite3_step(stmt)) == SQLITE_ROW) {
    rc = SQLITE_NOMEM;
    if (!grow((void **)out, *count + (size_t)columns - 1, &cap, sizeof(char *))) break;
    for (int i = 0; i < columns; i++) {
      if (!((*out)[*count] = dup_text(sqlite3_column_text(stmt, i)))) break;
      (*count)++;
    }
    if (*count % (size_t)columns) break;
    rc = SQLITE_OK;
  }
  sqlite3_finalize(stmt);
  return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

static const char *form_token(const k2_store *st, const char *form) {
  for (size_t i = 0; i + 1 < st->n_forms; i += 2)
    if (strcmp(st->forms[i], form) == 0) return st->forms[i + 1];
  return NULL;
}

static const char *form_name(const k2_store *st, const char *form) {
  for (size_t i = 0; i + 1 < st->n_forms; i += 2)
    if (strcmp(st->forms[i], form) == 0) return st->forms[i];
  return NULL;
}

static int load_aliases(k2_store *st) {
  char **pairs = NULL;
  size_t n = 0;
  int rc = load_strings(st, "SELECT alias, form FROM form_alias ORDER BY alias", 2, &pairs, &n);
  if (rc == SQLITE_OK && !(st->aliases = sqlite3_malloc64(sizeof(alias) * (n / 2 + 1)))) rc = SQLITE_NOMEM;
  for (size_t i = 0; rc == SQLITE_OK && i + 1 < n; i += 2) {
    alias *a = &st->aliases[st->n_aliases];
    a->key = pairs[i];
    pairs[i] = NULL;
    a->form = form_name(st, pairs[i + 1]);
    a->token = form_token(st, pairs[i + 1]);
    if (!a->form || !a->token) { sqlite3_free(a->key); rc = SQLITE_CORRUPT; break; }
    st->n_aliases++;
  }
  for (size_t i = 0; i < n; i++) sqlite3_free(pairs[i]);
  sqlite3_free(pairs);
  if (rc == SQLITE_OK) qsort(st->aliases, st->n_aliases, sizeof(alias), alias_cmp);
  return rc;
}

static int load_vocabularies(k2_store *st) {
  int rc = load_strings(st, "SELECT name, token FROM form ORDER BY name", 2, &st->forms, &st->n_forms);
  if (rc == SQLITE_OK) rc = load_aliases(st);
  if (rc == SQLITE_OK)
    rc = load_strings(st, "SELECT word FROM stopword ORDER BY word", 1, &st->stopwords, &st->n_stopwords);
  if (rc == SQLITE_OK) qsort(st->stopwords, st->n_stopwords, sizeof(char *), str_cmp);
  if (rc == SQLITE_OK && (st->n_forms == 0 || st->n_aliases == 0)) rc = SQLITE_CORRUPT;
  return rc;
}

/* ------------------------------------------------------------ open / close */

static int harden(sqlite3 *db) {
  int rc = sqlite3_db_config(db, SQLITE_DBCONFIG_DEFENSIVE, 1, (int *)0);
  if (rc == SQLITE_OK) rc = sqlite3_db_config(db, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, (int *)0);
  if (rc == SQLITE_OK) rc = sqlite3_db_config(db, SQLITE_DBCONFIG_ENABLE_LOAD_EXTENSION, 0, (int *)0);
  if (rc == SQLITE_OK) rc = sqlite3_db_config(db, SQLITE_DBCONFIG_ENABLE_TRIGGER, 0, (int *)0);
  if (rc == SQLITE_OK) rc = sqlite3_db_config(db, SQLITE_DBCONFIG_ENABLE_VIEW, 0, (int *)0);
  sqlite3_limit(db, SQLITE_LIMIT_ATTACHED, 0);
  sqlite3_limit(db, SQLITE_LIMIT_LENGTH, 1000000);
  sqlite3_limit(db, SQLITE_LIMIT_SQL_LENGTH, 100000);
  sqlite3_limit(db, SQLITE_LIMIT_COLUMN, 100);
  sqlite3_limit(db, SQLITE_LIMIT_EXPR_DEPTH, 100);
  sqlite3_limit(db, SQLITE_LIMIT_LIKE_PATTERN_LENGTH, 100);
  sqlite3_limit(db, SQLITE_LIMIT_VARIABLE_NUMBER, 20);
  sqlite3_limit(db, SQLITE_LIMIT_TRIGGER_DEPTH, 1);
  return rc;
}

static int prepare_all(k2_store *st) {
  struct { sqlite3_stmt **stmt; const char *sql; } all[] = {
      {&st->search, sql_search}, {&st->facts, sql_facts}, {&st->fact, sql_fact},
      {&st->sources, sql_sources}, {&st->source, sql_source}, {&st->vocab_name, sql_vocab_name},
      {&st->vocab_list, sql_vocab_list}, {&st->conflict, sql_conflict}, {&st->info, sql_info}};
  int rc = SQLITE_OK;
  for (size_t i = 0; rc == SQLITE_OK && i < sizeof all / sizeof all[0]; i++)
    rc = sqlite3_prepare_v3(st->db, all[i].sql, -1, SQLITE_PREPARE_PERSISTENT, all[i].stmt, NULL);
  return rc;
}

k2_status k2_store_open(k2_store **out) {
  k2_store *st;
  int rc;
  if (!out) return K2_EMISUSE;
  *out = st = sqlite3_malloc64(sizeof *st);
  if (!st) return K2_ENOMEM;
  memset(st, 0, sizeof *st);
  rc = sqlite3_open_v2(":memory:", &st->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
  if (rc == SQLITE_OK) rc = harden(st->db);
  if (rc == SQLITE_OK)
    rc = sqlite3_deserialize(st->db, "main", (unsigned char *)k2__image, (sqlite3_int64)k2__image_size,
                             (sqlite3_int64)k2__image_size, SQLITE_DESERIALIZE_READONLY);
  if (rc == SQLITE_OK) rc = k2__doc_lengths_load(st->db, "fact_fts", &st->lengths);
  if (rc == SQLITE_OK) rc = k2__rank_register(st->db, &st->lengths);
  if (rc == SQLITE_OK) rc = prepare_all(st);
  if (rc == SQLITE_OK) rc = load_vocabularies(st);
  /* One read transaction for the store's life: the image never changes, and
  ** FTS5 and the pager then skip their per-statement start-up work. */
  if (rc == SQLITE_OK) rc = sqlite3_exec(st->db, "BEGIN; SELECT count(*) FROM meta;", NULL, NULL, NULL);
  if (rc != SQLITE_OK) {
    k2_status status = sqlite_fail(st, rc);
    if (st->db) sqlite3_close_v2(st->db);
    st->db = NULL;
    return status;
  }
  return K2_OK;
}

void k2_store_close(k2_store *st) {
  sqlite3_stmt *all[9];
  if (!st) return;
  all[0] = st->search; all[1] = st->facts; all[2] = st->fact; all[3] = st->sources;
  all[4] = st->source; all[5] = st->vocab_name; all[6] = st->vocab_list; all[7] = st->conflict;
  all[8] = st->info;
  for (size_t i = 0; i < 9; i++) sqlite3_finalize(all[i]);
  if (st->db) sqlite3_close_v2(st->db);
  for (size_t i = 0; i < st->n_aliases; i++) sqlite3_free(st->aliases[i].key);
  for (size_t i = 0; i < st->n_forms; i++) sqlite3_free(st->forms[i]);
  for (size_t i = 0; i < st->n_stopwords; i++) sqlite3_free(st->stopwords[i]);
  for (size_t i = 0; i < 4; i++) sqlite3_free(st->scratch[i]);
  sqlite3_free(st->aliases);
  sqlite3_free(st->lengths.tokens);
  sqlite3_free(st->forms);
  sqlite3_free(st->stopwords);
  sqlite3_free(st);
}

/* ------------------------------------------------------------ resolving user words */

/* Base letters of U+00C0..U+00FF ('\0' for the two signs there), so that
** accents don't stop an alias from matching ("Ménadione" is "menadione"). */
static const char latin1_base[] = "aaaaaaaceeeeiiiidnooooo\0ouuuuyts"
                                  "aaaaaaaceeeeiiiidnooooo\0ouuuuyty";

/* Lower-cases the letters and digits of s into key, folding Latin-1 accents;
** 0 if s has other non-ASCII characters or does not fit. */
static size_t alias_key(const char *s, size_t len, char *key, size_t cap) {
  size_t n = 0;
  for (size_t i = 0; i < len; i++) {
    unsigned char c = (unsigned char)s[i];
    if (c == 0xC3 && i + 1 < len && (s[i + 1] & 0xC0) == 0x80) {
      i++;
      c = (unsigned char)latin1_base[(unsigned char)s[i] & 0x3F];
      if (!c) return 0;
    } else if (c >= 0x80) {
      return 0;
    } else if (!((c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z'))) {
      continue;
    }
    if (n + 1 >= cap) return 0;
    key[n++] = (char)(c >= 'A' && c <= 'Z' ? c | 0x20 : c);
  }
  key[n] = '\0';
  return n;
}

static const alias *find_alias(const k2_store *st, const char *key) {
  alias probe;
  probe.key = (char *)key;
  return bsearch(&probe, st->aliases, st->n_aliases, sizeof(alias), alias_cmp);
}

static const char *known_forms(const k2_store *st, char *buf, size_t cap) {
  size_t n = 0;
  buf[0] = '\0';
  for (size_t i = 0; i + 1 < st->n_forms; i += 2) {
    if (strcmp(st->forms[i], "none") == 0) continue;
    n += (size_t)snprintf(buf + n, n < cap ? cap - n : 0, "%s%s", n ? ", " : "", st->forms[i]);
  }
  return buf;
}

k2_status k2_form_resolve(k2_store *st, const char *text, size_t len, const char **canonical) {
  char key[MAX_ALIAS_BYTES], q[64], known[128], m[320];
  const alias *a;
  k2_status rc;
  if (check_store(st) != K2_OK || !canonical) return K2_EMISUSE;
  if ((rc = check_text(st, "form", text, len, MAX_FILTER_BYTES)) != K2_OK) return rc;
  a = alias_key(text, len, key, sizeof key) ? find_alias(st, key) : NULL;
  if (a) { *canonical = a->form; return K2_OK; }
  k2__msg(m, sizeof m, "unknown form '%s'; known: %s (or names such as phylloquinone, menatetrenone, menadione)",
          k2__quote(text, len, 40, q, sizeof q), known_forms(st, known, sizeof known));
  return fail(st, K2_EINPUT, "%s", m);
}

/* Maps a vocabulary word (any case) to its canonical spelling in `kind`. */
static k2_status vocab_resolve(k2_store *st, const char *kind, const char *label, const char *text,
                               size_t len, char *out, size_t cap) {
  char q[64], m[512];
  const unsigned char *known = NULL;
  k2_status status = check_text(st, label, text, len, MAX_FILTER_BYTES);
  int rc;
  if (status != K2_OK) return status;
  bind_text(st->vocab_name, ":kind", kind, strlen(kind));
  bind_text(st->vocab_name, ":name", text, len);
  rc = sqlite3_step(st->vocab_name);
  if (rc == SQLITE_ROW) k2__msg(out, cap, "%s", (const char *)sqlite3_column_text(st->vocab_name, 0));
  sqlite3_reset(st->vocab_name);
  if (rc == SQLITE_ROW) return K2_OK;
  if (rc != SQLITE_DONE) return sqlite_fail(st, rc);
  bind_text(st->vocab_list, ":kind", kind, strlen(kind));
  if ((rc = sqlite3_step(st->vocab_list)) == SQLITE_ROW) known = sqlite3_column_text(st->vocab_list, 0);
  k2__msg(m, sizeof m, "unknown %s '%s'; known: %s", label, k2__quote(text, len, 40, q, sizeof q),
          known ? (const char *)known : "?");
  sqlite3_reset(st->vocab_list);
  return fail(st, K2_EINPUT, "%s", m);
}

/* Binds the filter of `stmt`, resolving every user word first. */
static k2_status bind_filter(k2_store *st, sqlite3_stmt *stmt, const k2_filter *flt) {
  char topic[64] = "", evidence[64] = "";
  const char *form = NULL;
  k2_status rc = K2_OK;
  int src;
  k2_filter none;
  if (!flt) { memset(&none, 0, sizeof none); flt = &none; }
  if (flt->form && flt->form_len) rc = k2_form_resolve(st, flt->form, flt->form_len, &form);
  if (rc == K2_OK && flt->topic && flt->topic_len)
    rc = vocab_resolve(st, "topic", "topic", flt->topic, flt->topic_len, topic, sizeof topic);
  if (rc == K2_OK && flt->evidence && flt->evidence_len)
    rc = vocab_resolve(st, "evidence", "evidence type", flt->evidence, flt->evidence_len, evidence, sizeof evidence);
  if (rc == K2_OK && flt->population && flt->population_len)
    rc = check_text(st, "population", flt->population, flt->population_len, MAX_FILTER_BYTES);
  if (rc != K2_OK) return rc;
  src = bind_text(stmt, ":form", form, form ? strlen(form) : 0);
  if (src == SQLITE_OK) src = bind_text(stmt, ":topic", topic[0] ? topic : NULL, strlen(topic));
  if (src == SQLITE_OK) src = bind_text(stmt, ":evidence", evidence[0] ? evidence : NULL, strlen(evidence));
  if (src == SQLITE_OK)
    src = bind_text(stmt, ":pop", flt->population && flt->population_len ? flt->population : NULL, flt->population_len);
  return src == SQLITE_OK ? K2_OK : sqlite_fail(st, src);
}

/* ------------------------------------------------------------ search text → FTS5 query */

typedef struct word { const char *s; size_t len; } word;

typedef struct query {
  char *buf;          /* the FTS5 expression being built */
  size_t len, cap;
  const char *terms[K2_SEARCH_MAX_TERMS * 2]; /* start of each term in buf */
  size_t term_len[K2_SEARCH_MAX_TERMS * 2];
  size_t n_terms;
} query;

/* Bytes of one separator at p: ASCII other than letters/digits, spaces, dashes. */
static size_t separator_len(const unsigned char *p, const unsigned char *end) {
  size_t n = k2__space_len(p, end);
  if (n) return n;
  if ((n = k2__dash_len(p, end))) return n;
  if (*p < 0x80 && !((*p >= '0' && *p <= '9') || ((*p | 0x20) >= 'a' && (*p | 0x20) <= 'z'))) return 1;
  return 0;
}

static k2_status split_words(k2_store *st, const char *text, size_t len, word *words, size_t *n) {
  const unsigned char *p = (const unsigned char *)text, *end = p + len;
  *n = 0;
  while (p < end) {
    size_t sep = separator_len(p, end);
    const unsigned char *start = p;
    if (sep) { p += sep; continue; }
    while (p < end && !separator_len(p, end)) p++;
    if (*n == K2_SEARCH_MAX_TERMS)
      return fail(st, K2_EINPUT, "%s", "search text has too many words (at most 32)");
    words[*n].s = (const char *)start;
    words[(*n)++].len = (size_t)(p - start);
  }
  return K2_OK;
}

/* A word FTS5's unicode61 tokenizer will keep: an ASCII letter or digit, or a
** letter-like code point (Latin-1 letters up to the CJK blocks; not general
** punctuation, symbols or emoji, which would make an empty phrase). */
static int searchable(const word *w) {
  const unsigned char *p = (const unsigned char *)w->s, *end = p + w->len;
  while (p < end) {
    unsigned cp;
    p += k2__utf8_next(p, end, &cp);
    if (cp < 0x80 ? ((cp | 0x20) >= 'a' && (cp | 0x20) <= 'z') || (cp >= '0' && cp <= '9')
                  : (cp >= 0xC0 && cp < 0x2000 && cp != 0xD7 && cp != 0xF7) || (cp >= 0x3040 && cp < 0xFF00))
      return 1;
  }
  return 0;
}

static int is_stopword(const k2_store *st, const word *w) {
  char key[32];
  const char *k = key;
  if (alias_key(w->s, w->len, key, sizeof key) == 0) return 0;
  return bsearch(&k, st->stopwords, st->n_stopwords, sizeof(char *), str_cmp) != NULL;
}

static int all_digits(const word *w) {
  for (size_t i = 0; i < w->len; i++) if (w->s[i] < '0' || w->s[i] > '9') return 0;
  return 1;
}

/* Appends one quoted FTS5 string, with '*' when it should match as a prefix. */
static void add_term(query *q, const char *s, size_t len, int prefix) {
  q->terms[q->n_terms] = q->buf + q->len;
  q->buf[q->len++] = '"';
  for (size_t i = 0; i < len; i++) {
    if (s[i] == '"') q->buf[q->len++] = '"';
    q->buf[q->len++] = s[i];
  }
  q->buf[q->len++] = '"';
  if (prefix) q->buf[q->len++] = '*';
  q->term_len[q->n_terms] = (size_t)(q->buf + q->len - q->terms[q->n_terms]);
  q->n_terms++;
}

/* Longest run of up to three words at words[i] that spells a form alias. */
static const alias *match_alias(const k2_store *st, const word *words, size_t n, size_t i, size_t *span) {
  for (*span = n - i < MAX_ALIAS_WORDS ? n - i : MAX_ALIAS_WORDS; *span > 0; (*span)--) {
    char key[MAX_ALIAS_BYTES];
    size_t used = 0, k;
    for (k = 0; k < *span; k++) {
      size_t got = alias_key(words[i + k].s, words[i + k].len, key + used, sizeof key - used);
      if (got == 0) break; /* other non-ASCII, or too long */
      used += got;
    }
    if (k == *span) {
      const alias *a = find_alias(st, key);
      if (a) return a;
    }
  }
  return NULL;
}

/* Turns words into terms; stop words are kept aside and used only if nothing else is left. */
static void build_terms(const k2_store *st, const word *words, size_t n, query *q) {
  size_t stops[K2_SEARCH_MAX_TERMS], n_stops = 0, span;
  for (size_t i = 0; i < n; i += span) {
    const alias *a = match_alias(st, words, n, i, &span);
    if (a) { add_term(q, a->token, strlen(a->token), 0); continue; }
    span = 1;
    if (!searchable(&words[i])) continue;
    if (is_stopword(st, &words[i])) { stops[n_stops++] = i; continue; }
    add_term(q, words[i].s, words[i].len, words[i].len >= 3 && !all_digits(&words[i]));
  }
  for (size_t k = 0; q->n_terms == 0 && k < n_stops; k++) {
    const word *w = &words[stops[k]];
    add_term(q, w->s, w->len, 0);
  }
}

/* Writes "t1 AND t2 ..." (or OR) after the terms, NUL-terminated; returns its start. */
static const char *join_terms(query *q, const char *op) {
  char *start = q->buf + q->len;
  char *p = start;
  for (size_t i = 0; i < q->n_terms; i++) {
    if (i) { memcpy(p, op, strlen(op)); p += strlen(op); }
    memcpy(p, q->terms[i], q->term_len[i]);
    p += q->term_len[i];
  }
  *p = '\0';
  return start;
}

static k2_status run_search(k2_store *st, const char *match, int limit, k2_fact_list **out) {
  int rc = bind_text(st->search, ":match", match, strlen(match));
  if (rc == SQLITE_OK) rc = bind_int(st->search, ":limit", limit);
  if (rc != SQLITE_OK) return sqlite_fail(st, rc);
  return collect_facts(st, st->search, out);
}

k2_status k2_search(k2_store *st, const char *text, size_t len, const k2_filter *filter, int limit,
                    k2_fact_list **out) {
  word words[K2_SEARCH_MAX_TERMS];
  size_t n_words;
  query q;
  k2_status rc;
  if (check_store(st) != K2_OK || !out) return K2_EMISUSE;
  *out = NULL;
  if (limit < 1 || limit > K2_SEARCH_MAX_LIMIT) return fail(st, K2_EMISUSE, "%s", "limit must be 1 to 1000");
  if ((rc = check_text(st, "search text", text, len, K2_SEARCH_MAX_BYTES)) != K2_OK) return rc;
  if ((rc = split_words(st, text, len, words, &n_words)) != K2_OK) return rc;
  memset(&q, 0, sizeof q);
  /* quoted terms (each byte at most doubled), then one joined copy with operators */
  q.cap = 2 * (2 * len + K2_SEARCH_MAX_TERMS * (MAX_ALIAS_BYTES + 8)) + 16;
  if (!(q.buf = sqlite3_malloc64(q.cap))) return fail(st, K2_ENOMEM, "%s", "not enough memory");
  build_terms(st, words, n_words, &q);
  if (q.n_terms == 0) {
    sqlite3_free(q.buf);
    return fail(st, K2_EINPUT, "%s", "search text has no words; give one or more words, e.g. 'menadione' or 'MK-7 peak'");
  }
  rc = bind_filter(st, st->search, filter);
  if (rc == K2_OK) rc = run_search(st, join_terms(&q, " AND "), limit, out);
  if (rc == K2_OK && (*out)->count == 0 && q.n_terms > 1) {
    k2_fact_list_free(*out);
    *out = NULL;
    rc = run_search(st, join_terms(&q, " OR "), limit, out);
  }
  sqlite3_clear_bindings(st->search);
  sqlite3_free(q.buf);
  return rc;
}

/* ------------------------------------------------------------ other queries */

k2_status k2_facts(k2_store *st, const k2_filter *filter, k2_fact_list **out) {
  k2_status rc;
  if (check_store(st) != K2_OK || !out) return K2_EMISUSE;
  *out = NULL;
  rc = bind_filter(st, st->facts, filter);
  if (rc == K2_OK) rc = collect_facts(st, st->facts, out);
  sqlite3_clear_bindings(st->facts);
  return rc;
}

/* Runs a by-id statement; no row is K2_ENOTFOUND naming `what`. */
static k2_status by_id(k2_store *st, sqlite3_stmt *stmt, const char *what, const char *id, size_t len) {
  k2_status rc;
  int src;
  if ((rc = check_text(st, what, id, len, MAX_FILTER_BYTES)) != K2_OK) return rc;
  if (len == 0) return fail(st, K2_EINPUT, "%s is empty", what);
  src = bind_text(stmt, ":id", id, len);
  return src == SQLITE_OK ? K2_OK : sqlite_fail(st, src);
}

static k2_status not_found(k2_store *st, const char *what, const char *id, size_t len) {
  char q[64], m[160];
  k2__msg(m, sizeof m, "no %s '%s'", what, k2__quote(id, len, 40, q, sizeof q));
  return fail(st, K2_ENOTFOUND, "%s", m);
}

k2_status k2_fact_get(k2_store *st, const char *id, size_t len, k2_fact_list **out) {
  k2_status rc;
  if (check_store(st) != K2_OK || !out) return K2_EMISUSE;
  *out = NULL;
  if ((rc = by_id(st, st->fact, "fact id", id, len)) != K2_OK) return rc;
  rc = collect_facts(st, st->fact, out);
  if (rc == K2_OK && (*out)->count == 0) {
    k2_fact_list_free(*out);
    *out = NULL;
    rc = not_found(st, "fact with id", id, len);
  }
  return rc;
}

k2_status k2_sources(k2_store *st, k2_source_list **out) {
  if (check_store(st) != K2_OK || !out) return K2_EMISUSE;
  *out = NULL;
  return collect_sources(st, st->sources, out);
}

k2_status k2_source_get(k2_store *st, const char *id, size_t len, k2_source_list **out) {
  k2_status rc;
  if (check_store(st) != K2_OK || !out) return K2_EMISUSE;
  *out = NULL;
  if ((rc = by_id(st, st->source, "source id", id, len)) != K2_OK) return rc;
  rc = collect_sources(st, st->source, out);
  if (rc == K2_OK && (*out)->count == 0) {
    k2_source_list_free(*out);
    *out = NULL;
    rc = not_found(st, "source with id", id, len);
  }
  return rc;
}

/* Keeps column i of stmt in scratch slot `slot` (freed on the next use or close). */
static const char *keep(k2_store *st, int slot, sqlite3_stmt *stmt, int i, int *oom) {
  sqlite3_free(st->scratch[slot]);
  st->scratch[slot] = (char *)col_text(stmt, i, oom);
  return st->scratch[slot] ? st->scratch[slot] : "";
}

k2_status k2_conflict_get(k2_store *st, const char *id, size_t len, k2_conflict *out) {
  k2_status rc;
  int src, oom = 0;
  if (check_store(st) != K2_OK || !out) return K2_EMISUSE;
  if ((rc = by_id(st, st->conflict, "conflict id", id, len)) != K2_OK) return rc;
  src = sqlite3_step(st->conflict);
  if (src == SQLITE_ROW) {
    out->id = keep(st, 0, st->conflict, 0, &oom);
    out->topic = keep(st, 1, st->conflict, 1, &oom);
    out->summary = keep(st, 2, st->conflict, 2, &oom);
    out->facts = keep(st, 3, st->conflict, 3, &oom);
  }
  sqlite3_reset(st->conflict);
  if (oom) return fail(st, K2_ENOMEM, "%s", "not enough memory");
  if (src == SQLITE_DONE) return not_found(st, "conflict with id", id, len);
  return src == SQLITE_ROW ? K2_OK : sqlite_fail(st, src);
}

k2_status k2_store_info_get(k2_store *st, k2_store_info *info) {
  int rc, oom = 0;
  if (check_store(st) != K2_OK || !info) return K2_EMISUSE;
  rc = sqlite3_step(st->info);
  if (rc == SQLITE_ROW) {
    info->data_version = keep(st, 0, st->info, 0, &oom);
    info->facts = (long)sqlite3_column_int64(st->info, 1);
    info->sources = (long)sqlite3_column_int64(st->info, 2);
    info->conflicts = (long)sqlite3_column_int64(st->info, 3);
    info->sqlite_version = sqlite3_libversion();
  }
  sqlite3_reset(st->info);
  if (oom) return fail(st, K2_ENOMEM, "%s", "not enough memory");
  return rc == SQLITE_ROW ? K2_OK : sqlite_fail(st, rc);
}
