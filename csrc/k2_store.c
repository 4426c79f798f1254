/*
** k2_store.c — the fact store: the SQLite image built from data/ and
** embedded in the library, opened read-only in memory; lookups, filters and
** sources. Search text is turned into FTS5 queries in k2_search.c, ranked by
** k2_rank.c.
**
** Hardening (SQLite "Defense against the dark arts", sqlite.org/security.html):
** the image is deserialized with SQLITE_DESERIALIZE_READONLY from a const
** array, so no write can reach it; DEFENSIVE on, TRUSTED_SCHEMA off,
** extension loading off, triggers and views off, limits lowered.
**
** Speed: the image never changes, so the store keeps one read transaction
** open for its whole life, serves pages straight from the array (mmap_size),
** prepares each statement on first use, and keeps every fact it has read in
** one allocation each, so a search costs an FTS5 match, not a copy of every
** row. Facts handed out point into that cache and live until the store is
** closed. All memory comes from sqlite3_malloc, so one allocator serves both.
*/
#include "k2_store_int.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FACT_COLUMNS \
  "f.id, f.topic, f.forms, f.population, f.claim, f.evidence, f.ages, f.sex, f.unit, " \
  "f.certainty, f.also, f.seed, f.conflict, f.note, s.id, s.title, s.year, s.kind, s.ref, " \
  "s.authors, s.journal, s.note, f.via, f.value, f.low, f.high, f.age_min, f.age_max"
#define N_TEXT_COLUMNS 23 /* the first 23 columns above are text */

#define FACT_FILTER \
  " AND (:topic IS NULL OR f.topic = :topic) AND (:evidence IS NULL OR f.evidence = :evidence)" \
  " AND (:form IS NULL OR EXISTS (SELECT 1 FROM fact_form ff JOIN form_match fm" \
  "      ON fm.form = ff.form WHERE ff.fact = f.n AND fm.query = :form))" \
  " AND (:pop IS NULL OR instr(lower(f.population), lower(:pop)) > 0)"

static const char *const sql_text[N_STMTS] = {
  /* every word as one OR query; k2hits records each row's words (k2_search.c ranks them) */
  [S_SEARCH] = "SELECT k2hits(fact_fts) FROM fact_fts WHERE fact_fts MATCH :match",
  [S_FACT_BY_N] = "SELECT " FACT_COLUMNS " FROM fact f JOIN source s ON s.id = f.source WHERE f.n = :n",
  [S_FACT_N_BY_ID] = "SELECT n FROM fact WHERE id = :id",
  [S_FACTS] = "SELECT f.n FROM fact f WHERE 1" FACT_FILTER " ORDER BY f.n",
  [S_SOURCES] = "SELECT id, title, year, kind, ref, authors, journal, note FROM source ORDER BY id",
  [S_SOURCE] = "SELECT id, title, year, kind, ref, authors, journal, note FROM source WHERE id = :id",
  [S_VOCAB_NAME] = "SELECT name FROM vocab WHERE kind = :kind AND name = :name COLLATE NOCASE",
  [S_VOCAB_LIST] = "SELECT group_concat(name, ', ') FROM (SELECT name FROM vocab WHERE kind = :kind ORDER BY name)",
  [S_CONFLICT] = "SELECT id, topic, summary, facts FROM conflict WHERE id = :id",
  [S_INFO] = "SELECT (SELECT value FROM meta WHERE key = 'version'), (SELECT count(*) FROM fact),"
             " (SELECT count(*) FROM source), (SELECT count(*) FROM conflict)",
  [S_RULES] = "SELECT kind, id, field, value FROM advice_rule ORDER BY n",
};

/* ------------------------------------------------------------ errors */

k2_status k2__fail(k2_store *st, k2_status rc, const char *fmt, const char *arg) {
  k2__msg(st->errmsg, sizeof st->errmsg, fmt, arg);
  return rc;
}

k2_status k2__sqlite_fail(k2_store *st, int rc) {
  if (rc == SQLITE_NOMEM) return k2__fail(st, K2_ENOMEM, "%s", "not enough memory");
  k2__msg(st->errmsg, sizeof st->errmsg, "fact store error: %s",
          st->db && sqlite3_errcode(st->db) != SQLITE_OK ? sqlite3_errmsg(st->db) : sqlite3_errstr(rc));
  return K2_ESTORE;
}

const char *k2_store_errmsg(const k2_store *store) {
  return store ? store->errmsg : "no store (out of memory?)";
}

k2_status k2__check_text(k2_store *st, const char *what, const char *s, size_t len, size_t max) {
  char m[64];
  if (!s) return k2__fail(st, K2_EMISUSE, "%s is missing", what);
  if (memchr(s, '\0', len)) return k2__fail(st, K2_EINPUT, "%s contains a NUL byte", what);
  if (!k2__utf8_valid(s, len)) return k2__fail(st, K2_EINPUT, "%s is not valid UTF-8", what);
  if (len > max) {
    k2__msg(m, sizeof m, "%s is too long (at most %zu bytes)", what, max);
    return k2__fail(st, K2_EINPUT, "%s", m);
  }
  return K2_OK;
}

static k2_status check_store(const k2_store *st) {
  return (st && st->db) ? K2_OK : K2_EMISUSE;
}

/* ------------------------------------------------------------ statements */

static sqlite3_stmt *prepare(k2_store *st, const char *sql, unsigned flags) {
  sqlite3_stmt *stmt = NULL;
  int rc = sqlite3_prepare_v3(st->db, sql, -1, flags, &stmt, NULL);
  if (rc == SQLITE_OK) return stmt;
  st->failed = k2__sqlite_fail(st, rc);
  sqlite3_finalize(stmt);
  return NULL;
}

sqlite3_stmt *k2__stmt(k2_store *st, int slot) {
  if (!st->stmt[slot]) st->stmt[slot] = prepare(st, sql_text[slot], SQLITE_PREPARE_PERSISTENT);
  return st->stmt[slot];
}

sqlite3_stmt *k2__prepare(k2_store *st, const char *sql) {
  return prepare(st, sql, 0);
}

/* ------------------------------------------------------------ attachments */

void *k2__attached(const k2_store *st, const void *key) {
  for (size_t i = 0; st && i < st->n_attached; i++)
    if (st->attached[i].key == key) return st->attached[i].data;
  return NULL;
}

k2_status k2__attach(k2_store *st, const void *key, void *data, void (*destroy)(void *data)) {
  if (st->n_attached == K2_MAX_ATTACHMENTS) {
    destroy(data);
    return k2__fail(st, K2_EMISUSE, "%s", "fact store error: no room to attach more data");
  }
  st->attached[st->n_attached].key = key;
  st->attached[st->n_attached].data = data;
  st->attached[st->n_attached++].destroy = destroy;
  return K2_OK;
}

int k2__bind_text(sqlite3_stmt *stmt, const char *name, const char *text, size_t len) {
  int i = sqlite3_bind_parameter_index(stmt, name);
  if (i == 0) return SQLITE_OK;
  if (!text) return sqlite3_bind_null(stmt, i);
  return sqlite3_bind_text64(stmt, i, text, len, SQLITE_TRANSIENT, SQLITE_UTF8);
}

int k2__bind_int(sqlite3_stmt *stmt, const char *name, int value) {
  int i = sqlite3_bind_parameter_index(stmt, name);
  return i == 0 ? SQLITE_OK : sqlite3_bind_int(stmt, i, value);
}

/* ------------------------------------------------------------ the fact cache */

static double col_number(sqlite3_stmt *stmt, int i) {
  return sqlite3_column_type(stmt, i) == SQLITE_NULL ? NAN : sqlite3_column_double(stmt, i);
}

/* Copies the current row of S_FACT_BY_N into one allocation: struct, then strings. */
static k2_fact *fact_from_row(sqlite3_stmt *stmt) {
  const char **text[N_TEXT_COLUMNS];
  size_t size = sizeof(k2_fact), used = sizeof(k2_fact);
  k2_fact *f;
  for (int i = 0; i < N_TEXT_COLUMNS; i++) size += (size_t)sqlite3_column_bytes(stmt, i) + 1;
  if (!(f = sqlite3_malloc64(size))) return NULL;
  memset(f, 0, sizeof *f);
  {
    const char **slots[N_TEXT_COLUMNS] = {
        &f->id, &f->topic, &f->forms, &f->population, &f->claim, &f->evidence, &f->ages, &f->sex,
        &f->unit, &f->certainty, &f->also, &f->seed, &f->conflict, &f->note, &f->source.id,
        &f->source.title, &f->source.year, &f->source.kind, &f->source.ref, &f->source.authors,
        &f->source.journal, &f->source.note, &f->via};
    memcpy(text, slots, sizeof text);
  }
  for (int i = 0; i < N_TEXT_COLUMNS; i++) {
    const unsigned char *t = sqlite3_column_text(stmt, i);
    size_t n = (size_t)sqlite3_column_bytes(stmt, i);
    if (!t) continue;
    if (used + n + 1 > size) { sqlite3_free(f); return NULL; }
    memcpy((char *)f + used, t, n + 1);
    *text[i] = (char *)f + used;
    used += n + 1;
  }
  f->value = col_number(stmt, 23);
  f->low = col_number(stmt, 24);
  f->high = col_number(stmt, 25);
  f->age_min = col_number(stmt, 26);
  f->age_max = col_number(stmt, 27);
  if (!f->id || !f->claim || !f->source.id) { sqlite3_free(f); return NULL; }
  return f;
}

/* Reads fact n into the cache if it isn't there yet. */
static k2_status load_fact(k2_store *st, sqlite3_int64 n, const k2_fact **out) {
  sqlite3_stmt *stmt;
  int rc;
  if (n < 1 || n > MAX_FACT_ROW) return k2__fail(st, K2_ESTORE, "%s", "fact store error: bad row number");
  if ((size_t)n >= st->n_facts) {
    size_t want = (size_t)n * 2;
    k2_fact **bigger = sqlite3_realloc64(st->facts, want * sizeof *bigger);
    if (!bigger) return k2__fail(st, K2_ENOMEM, "%s", "not enough memory");
    memset(bigger + st->n_facts, 0, (want - st->n_facts) * sizeof *bigger);
    st->facts = bigger;
    st->n_facts = want;
  }
  if ((*out = st->facts[n]) != NULL) return K2_OK;
  if (!(stmt = k2__stmt(st, S_FACT_BY_N))) return st->failed;
  sqlite3_bind_int64(stmt, 1, n);
  rc = sqlite3_step(stmt);
  if (rc == SQLITE_ROW && !(st->facts[n] = fact_from_row(stmt))) rc = SQLITE_NOMEM;
  sqlite3_reset(stmt);
  if (rc == SQLITE_DONE) return k2__fail(st, K2_ESTORE, "%s", "fact store error: a row went missing");
  if (rc != SQLITE_ROW) return k2__sqlite_fail(st, rc);
  *out = st->facts[n];
  return K2_OK;
}

k2_fact_list *k2__list_new(k2_store *st) {
  k2_fact_list *list = sqlite3_malloc64(sizeof *list);
  if (list) memset(list, 0, sizeof *list);
  else k2__fail(st, K2_ENOMEM, "%s", "not enough memory");
  return list;
}

k2_status k2__list_add(k2_store *st, k2_fact_list *list, size_t *cap, sqlite3_int64 n, double rank) {
  const k2_fact *f = NULL;
  k2_status rc = load_fact(st, n, &f);
  if (rc != K2_OK) return rc;
  if (list->count == *cap) {
    size_t want = *cap ? *cap * 2 : 16;
    k2_fact *bigger = sqlite3_realloc64(list->items, want * sizeof *bigger);
    if (!bigger) return k2__fail(st, K2_ENOMEM, "%s", "not enough memory");
    list->items = bigger;
    *cap = want;
  }
  list->items[list->count] = *f;
  list->items[list->count++].rank = rank;
  return K2_OK;
}

void k2_fact_list_free(k2_fact_list *list) {
  if (!list) return;
  sqlite3_free(list->items);
  sqlite3_free((void *)list->matched); /* one allocation holds unmatched too (k2_search.c) */
  sqlite3_free(list);
}

/* Steps a bound statement whose column 0 is a fact's row number; resets it. */
static k2_status collect_facts(k2_store *st, sqlite3_stmt *stmt, k2_fact_list **out) {
  k2_fact_list *list = k2__list_new(st);
  size_t cap = 0;
  k2_status status = list ? K2_OK : K2_ENOMEM;
  int rc = SQLITE_DONE;
  while (status == K2_OK && (rc = sqlite3_step(stmt)) == SQLITE_ROW)
    status = k2__list_add(st, list, &cap, sqlite3_column_int64(stmt, 0), NAN);
  sqlite3_reset(stmt);
  if (status == K2_OK && rc != SQLITE_DONE) status = k2__sqlite_fail(st, rc);
  if (status != K2_OK) { k2_fact_list_free(list); return status; }
  *out = list;
  return K2_OK;
}

/* ------------------------------------------------------------ sources */

static char *dup_text(const unsigned char *s) {
  size_t n;
  char *copy;
  if (!s) return NULL;
  n = strlen((const char *)s);
  copy = sqlite3_malloc64(n + 1);
  if (copy) memcpy(copy, s, n + 1);
  return copy;
}

static void free_source_fields(k2_source *s) {
  sqlite3_free((void *)s->id); sqlite3_free((void *)s->title); sqlite3_free((void *)s->year);
  sqlite3_free((void *)s->kind); sqlite3_free((void *)s->ref); sqlite3_free((void *)s->authors);
  sqlite3_free((void *)s->journal); sqlite3_free((void *)s->note);
}

void k2_source_list_free(k2_source_list *list) {
  if (!list) return;
  for (size_t i = 0; i < list->count; i++) free_source_fields(&list->items[i]);
  sqlite3_free(list->items);
  sqlite3_free(list);
}

/* Reads a source from columns 0..7; returns 0 on out of memory. */
static int read_source(sqlite3_stmt *stmt, k2_source *s) {
  const char **slot[8] = {&s->id, &s->title, &s->year, &s->kind, &s->ref, &s->authors, &s->journal, &s->note};
  int ok = 1;
  for (int i = 0; i < 8; i++) {
    const unsigned char *t = sqlite3_column_text(stmt, i);
    *slot[i] = dup_text(t);
    if (t && !*slot[i]) ok = 0;
  }
  return ok;
}

static k2_status collect_sources(k2_store *st, sqlite3_stmt *stmt, k2_source_list **out) {
  k2_source_list *list = sqlite3_malloc64(sizeof *list);
  size_t cap = 0;
  int rc = SQLITE_NOMEM;
  if (list) {
    memset(list, 0, sizeof *list);
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
      if (list->count == cap) {
        size_t want = cap ? cap * 2 : 16;
        k2_source *bigger = sqlite3_realloc64(list->items, want * sizeof *bigger);
        if (!bigger) { rc = SQLITE_NOMEM; break; }
        list->items = bigger;
        cap = want;
      }
      memset(&list->items[list->count], 0, sizeof(k2_source));
      if (!read_source(stmt, &list->items[list->count++])) { rc = SQLITE_NOMEM; break; }
    }
  }
  sqlite3_reset(stmt);
  if (rc != SQLITE_DONE) {
    k2_source_list_free(list);
    return k2__sqlite_fail(st, rc);
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

/* Runs `sql` and keeps columns 0..columns-1 of every row as owned strings. */
static int load_strings(k2_store *st, const char *sql, int columns, char ***out, size_t *count) {
  sqlite3_stmt *stmt = NULL;
  size_t cap = 0;
  int rc = sqlite3_prepare_v2(st->db, sql, -1, &stmt, NULL);
  while (rc == SQLITE_OK && (rc = sqlite3_step(stmt)) == SQLITE_ROW) {
    rc = SQLITE_NOMEM;
    if (*count + (size_t)columns > cap) {
      size_t want = cap ? cap * 2 : 64;
      char **bigger = sqlite3_realloc64(*out, want * sizeof *bigger);
      if (!bigger) break;
      *out = bigger;
      cap = want;
    }
    {
      int whole = 1; /* a row is kept whole or the load fails: a lost alias is a wrong answer */
      for (int i = 0; whole && i < columns; i++) {
        char *v = dup_text(sqlite3_column_text(stmt, i));
        if (v) (*out)[(*count)++] = v;
        else whole = 0;
      }
      if (!whole) break;
    }
    rc = SQLITE_OK;
  }
  sqlite3_finalize(stmt);
  return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

static const char *form_field(const k2_store *st, const char *form, int field) {
  for (size_t i = 0; i + 1 < st->n_forms; i += 2)
    if (strcmp(st->forms[i], form) == 0) return st->forms[i + (size_t)field];
  return NULL;
}

static int load_aliases(k2_store *st) {
  char **pairs = NULL;
  size_t n = 0;
  int rc = load_strings(st, "SELECT alias, form FROM form_alias ORDER BY alias", 2, &pairs, &n);
  if (rc == SQLITE_OK && !(st->aliases = sqlite3_malloc64(sizeof(alias) * (n / 2 + 1)))) rc = SQLITE_NOMEM;
  for (size_t i = 0; rc == SQLITE_OK && i + 1 < n; i += 2) {
    alias *a = &st->aliases[st->n_aliases];
    a->form = form_field(st, pairs[i + 1], 0);
    a->token = form_field(st, pairs[i + 1], 1);
    if (!a->form || !a->token) { rc = SQLITE_CORRUPT; break; }
    a->key = pairs[i];
    pairs[i] = NULL;
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

int k2__is_stopword(const k2_store *st, const char *key) {
  return bsearch(&key, st->stopwords, st->n_stopwords, sizeof(char *), str_cmp) != NULL;
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

k2_status k2_store_open(k2_store **out) {
  return k2__store_open_image(k2__image, k2__image_size, out);
}

k2_status k2__store_open_image(const unsigned char *image, size_t size, k2_store **out) {
  k2_store *st;
  int rc;
  if (!out || !image) return K2_EMISUSE;
  *out = st = sqlite3_malloc64(sizeof *st);
  if (!st) return K2_ENOMEM;
  memset(st, 0, sizeof *st);
  rc = sqlite3_open_v2(":memory:", &st->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
  if (rc == SQLITE_OK) rc = harden(st->db);
  if (rc == SQLITE_OK)
    rc = sqlite3_deserialize(st->db, "main", (unsigned char *)image, (sqlite3_int64)size, (sqlite3_int64)size,
                             SQLITE_DESERIALIZE_READONLY);
  /* Pages are read in place from the const image instead of copied. */
  if (rc == SQLITE_OK) rc = sqlite3_exec(st->db, "PRAGMA mmap_size = 268435456", NULL, NULL, NULL);
  /* One read transaction for the store's life: the image never changes, and
  ** FTS5 and the pager then skip their per-statement start-up work. */
  if (rc == SQLITE_OK) rc = sqlite3_exec(st->db, "BEGIN; SELECT 1 FROM meta LIMIT 1", NULL, NULL, NULL);
  if (rc == SQLITE_OK) rc = load_vocabularies(st);
  if (rc != SQLITE_OK) {
    k2_status status = k2__sqlite_fail(st, rc);
    if (st->db) sqlite3_close_v2(st->db);
    st->db = NULL;
    return status;
  }
  return K2_OK;
}

void k2_store_close(k2_store *st) {
  if (!st) return;
  while (st->n_attached > 0) {
    attachment *a = &st->attached[--st->n_attached];
    a->destroy(a->data);
  }
  for (int i = 0; i < N_STMTS; i++) sqlite3_finalize(st->stmt[i]);
  if (st->db) sqlite3_close_v2(st->db);
  for (size_t i = 0; i < st->n_aliases; i++) sqlite3_free(st->aliases[i].key);
  for (size_t i = 0; i < st->n_forms; i++) sqlite3_free(st->forms[i]);
  for (size_t i = 0; i < st->n_stopwords; i++) sqlite3_free(st->stopwords[i]);
  for (size_t i = 0; i < st->n_facts; i++) sqlite3_free(st->facts[i]);
  for (size_t i = 0; i < 5; i++) sqlite3_free(st->scratch[i]);
  for (size_t i = 0; i < st->n_rules; i++) sqlite3_free((void *)st->rules[i].kind);
  sqlite3_free(st->rules);
  sqlite3_free(st->aliases);
  sqlite3_free(st->forms);
  sqlite3_free(st->stopwords);
  sqlite3_free(st->facts);
  sqlite3_free(st->rank.tokens);
  sqlite3_free(st);
}

/* ------------------------------------------------------------ resolving user words */

/* Base letters of U+00C0..U+00FF ('\0' for the two signs there), so that
** accents don't stop an alias from matching ("Ménadione" is "menadione"). */
static const char latin1_base[] = "aaaaaaaceeeeiiiidnooooo\0ouuuuyts"
                                  "aaaaaaaceeeeiiiidnooooo\0ouuuuyty";

/* Lower-cases the letters and digits of s into key, folding Latin-1 accents;
** 0 if s has other non-ASCII characters or does not fit. */
size_t k2__alias_key(const char *s, size_t len, char *key, size_t cap) {
  size_t n = 0;
  for (size_t i = 0; i < len; i++) {
    unsigned char c = (unsigned char)s[i];
    if (c == 0xC3 && i + 1 < len && (s[i + 1] & 0xC0) == 0x80) {
      i++;
      c = (unsigned char)latin1_base[(unsigned char)s[i] & 0x3F];
      if (!c) return 0;
    } else if (i + 1 < len && ((c == 0xCC && (s[i + 1] & 0xC0) == 0x80) ||
                               (c == 0xCD && (unsigned char)s[i + 1] >= 0x80 && (unsigned char)s[i + 1] <= 0xAF))) {
      i++; /* a combining accent (U+0300-U+036F) is dropped, like a precomposed one's */
      continue;
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

const alias *k2__find_alias(const k2_store *st, const char *key) {
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
  if ((rc = k2__check_text(st, "form", text, len, MAX_FILTER_BYTES)) != K2_OK) return rc;
  a = k2__alias_key(text, len, key, sizeof key) ? k2__find_alias(st, key) : NULL;
  if (a) { *canonical = a->form; return K2_OK; }
  k2__msg(m, sizeof m, "unknown form '%s'; known: %s (or names such as phylloquinone, menatetrenone, menadione)",
          k2__quote(text, len, 40, q, sizeof q), known_forms(st, known, sizeof known));
  return k2__fail(st, K2_EINPUT, "%s", m);
}

k2_status k2_form_find(k2_store *st, const char *text, size_t len, const char **canonical) {
  char key[MAX_ALIAS_BYTES];
  const alias *a;
  if (check_store(st) != K2_OK || !canonical || (!text && len)) return K2_EMISUSE;
  a = len <= MAX_FILTER_BYTES && !memchr(text, '\0', len) && k2__alias_key(text, len, key, sizeof key)
          ? k2__find_alias(st, key) : NULL;
  if (!a) return K2_ENOTFOUND;
  *canonical = a->form;
  return K2_OK;
}

k2_status k2_form_alias_at(k2_store *st, size_t i, const char **name, const char **canonical) {
  if (check_store(st) != K2_OK || !name || !canonical) return K2_EMISUSE;
  if (i >= st->n_aliases) return K2_ENOTFOUND;
  *name = st->aliases[i].key;
  *canonical = st->aliases[i].form;
  return K2_OK;
}

/* Maps a vocabulary word (any case) to its canonical spelling in `kind`. */
static k2_status vocab_resolve(k2_store *st, const char *kind, const char *label, const char *text,
                               size_t len, char *out, size_t cap) {
  char q[64], m[512];
  const unsigned char *known = NULL;
  k2_status status = k2__check_text(st, label, text, len, MAX_FILTER_BYTES);
  sqlite3_stmt *name = k2__stmt(st, S_VOCAB_NAME), *list = k2__stmt(st, S_VOCAB_LIST);
  int rc;
  if (status != K2_OK) return status;
  if (!name || !list) return st->failed;
  /* Every bind and read is checked: a failed allocation must not pass for "unknown". */
  rc = k2__bind_text(name, ":kind", kind, strlen(kind));
  if (rc == SQLITE_OK) rc = k2__bind_text(name, ":name", text, len);
  if (rc == SQLITE_OK) rc = sqlite3_step(name);
  if (rc == SQLITE_ROW) {
    const unsigned char *canonical = sqlite3_column_text(name, 0);
    if (canonical) k2__msg(out, cap, "%s", (const char *)canonical);
    else rc = SQLITE_NOMEM;
  }
  sqlite3_reset(name);
  if (rc == SQLITE_ROW) return K2_OK;
  if (rc != SQLITE_DONE) return k2__sqlite_fail(st, rc);
  rc = k2__bind_text(list, ":kind", kind, strlen(kind));
  if (rc == SQLITE_OK && (rc = sqlite3_step(list)) == SQLITE_ROW && !(known = sqlite3_column_text(list, 0)))
    rc = SQLITE_NOMEM;
  if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
    sqlite3_reset(list);
    return k2__sqlite_fail(st, rc);
  }
  k2__msg(m, sizeof m, "unknown %s '%s'; known: %s", label, k2__quote(text, len, 40, q, sizeof q),
          known ? (const char *)known : "?");
  sqlite3_reset(list);
  return k2__fail(st, K2_EINPUT, "%s", m);
}

/* Binds the filter of `stmt`, resolving every user word first. */
k2_status k2__bind_filter(k2_store *st, sqlite3_stmt *stmt, const k2_filter *flt) {
  char topic[64] = "", evidence[64] = "";
  const char *form = NULL;
  k2_status rc = K2_OK;
  int src;
  k2_filter none;
  if (!flt) { memset(&none, 0, sizeof none); flt = &none; }
  /* A filter given as empty text is a user error, not "any". */
  if (flt->form) rc = k2_form_resolve(st, flt->form, flt->form_len, &form);
  if (rc == K2_OK && flt->topic)
    rc = vocab_resolve(st, "topic", "topic", flt->topic, flt->topic_len, topic, sizeof topic);
  if (rc == K2_OK && flt->evidence)
    rc = vocab_resolve(st, "evidence", "evidence type", flt->evidence, flt->evidence_len, evidence, sizeof evidence);
  if (rc == K2_OK && flt->population)
    rc = k2__check_text(st, "population", flt->population, flt->population_len, MAX_FILTER_BYTES);
  if (rc == K2_OK && flt->population && flt->population_len == 0)
    rc = k2__fail(st, K2_EINPUT, "%s", "population is empty; give a word such as 'adults' or 'women'");
  if (rc != K2_OK) return rc;
  src = k2__bind_text(stmt, ":form", form, form ? strlen(form) : 0);
  if (src == SQLITE_OK) src = k2__bind_text(stmt, ":topic", topic[0] ? topic : NULL, strlen(topic));
  if (src == SQLITE_OK) src = k2__bind_text(stmt, ":evidence", evidence[0] ? evidence : NULL, strlen(evidence));
  if (src == SQLITE_OK)
    src = k2__bind_text(stmt, ":pop", flt->population, flt->population_len);
  return src == SQLITE_OK ? K2_OK : k2__sqlite_fail(st, src);
}

/* ------------------------------------------------------------ lookups */

k2_status k2_facts(k2_store *st, const k2_filter *filter, k2_fact_list **out) {
  sqlite3_stmt *stmt;
  k2_status rc;
  if (check_store(st) != K2_OK || !out) return K2_EMISUSE;
  *out = NULL;
  if (!(stmt = k2__stmt(st, S_FACTS))) return st->failed;
  rc = k2__bind_filter(st, stmt, filter);
  if (rc == K2_OK) rc = collect_facts(st, stmt, out);
  sqlite3_clear_bindings(stmt);
  return rc;
}

/* Binds a user-supplied id to :id of statement `slot`; *stmt gets it. */
static k2_status by_id(k2_store *st, int slot, const char *what, const char *id, size_t len, sqlite3_stmt **stmt) {
  k2_status rc;
  int src;
  if ((rc = k2__check_text(st, what, id, len, MAX_FILTER_BYTES)) != K2_OK) return rc;
  if (len == 0) return k2__fail(st, K2_EINPUT, "%s is empty", what);
  if (!(*stmt = k2__stmt(st, slot))) return st->failed;
  src = k2__bind_text(*stmt, ":id", id, len);
  return src == SQLITE_OK ? K2_OK : k2__sqlite_fail(st, src);
}

static k2_status not_found(k2_store *st, const char *what, const char *id, size_t len) {
  char q[64], m[160];
  k2__msg(m, sizeof m, "no %s '%s'", what, k2__quote(id, len, 40, q, sizeof q));
  return k2__fail(st, K2_ENOTFOUND, "%s", m);
}

k2_status k2_fact_get(k2_store *st, const char *id, size_t len, k2_fact_list **out) {
  sqlite3_stmt *stmt = NULL;
  k2_status rc;
  if (check_store(st) != K2_OK || !out) return K2_EMISUSE;
  *out = NULL;
  if ((rc = by_id(st, S_FACT_N_BY_ID, "fact id", id, len, &stmt)) != K2_OK) return rc;
  rc = collect_facts(st, stmt, out);
  if (rc == K2_OK && (*out)->count == 0) {
    k2_fact_list_free(*out);
    *out = NULL;
    rc = not_found(st, "fact with id", id, len);
  }
  return rc;
}

k2_status k2_sources(k2_store *st, k2_source_list **out) {
  sqlite3_stmt *stmt;
  if (check_store(st) != K2_OK || !out) return K2_EMISUSE;
  *out = NULL;
  if (!(stmt = k2__stmt(st, S_SOURCES))) return st->failed;
  return collect_sources(st, stmt, out);
}

k2_status k2_source_get(k2_store *st, const char *id, size_t len, k2_source_list **out) {
  sqlite3_stmt *stmt = NULL;
  k2_status rc;
  if (check_store(st) != K2_OK || !out) return K2_EMISUSE;
  *out = NULL;
  if ((rc = by_id(st, S_SOURCE, "source id", id, len, &stmt)) != K2_OK) return rc;
  rc = collect_sources(st, stmt, out);
  if (rc == K2_OK && (*out)->count == 0) {
    k2_source_list_free(*out);
    *out = NULL;
    rc = not_found(st, "source with id", id, len);
  }
  return rc;
}

/* Keeps column i of stmt in scratch slot `slot` (freed on the next use or close). */
static const char *keep(k2_store *st, int slot, sqlite3_stmt *stmt, int i, int *oom) {
  const unsigned char *t = sqlite3_column_text(stmt, i);
  sqlite3_free(st->scratch[slot]);
  st->scratch[slot] = dup_text(t);
  if (t && !st->scratch[slot]) *oom = 1;
  return st->scratch[slot] ? st->scratch[slot] : "";
}

k2_status k2_conflict_get(k2_store *st, const char *id, size_t len, k2_conflict *out) {
  sqlite3_stmt *stmt = NULL;
  k2_status rc;
  int src, oom = 0;
  if (check_store(st) != K2_OK || !out) return K2_EMISUSE;
  if ((rc = by_id(st, S_CONFLICT, "conflict id", id, len, &stmt)) != K2_OK) return rc;
  src = sqlite3_step(stmt);
  if (src == SQLITE_ROW) {
    out->id = keep(st, 0, stmt, 0, &oom);
    out->topic = keep(st, 1, stmt, 1, &oom);
    out->summary = keep(st, 2, stmt, 2, &oom);
    out->facts = keep(st, 3, stmt, 3, &oom);
  }
  sqlite3_reset(stmt);
  if (oom) return k2__fail(st, K2_ENOMEM, "%s", "not enough memory");
  if (src == SQLITE_DONE) return not_found(st, "conflict with id", id, len);
  return src == SQLITE_ROW ? K2_OK : k2__sqlite_fail(st, src);
}

k2_status k2_store_info_get(k2_store *st, k2_store_info *info) {
  sqlite3_stmt *stmt;
  int rc, oom = 0;
  if (check_store(st) != K2_OK || !info) return K2_EMISUSE;
  if (!(stmt = k2__stmt(st, S_INFO))) return st->failed;
  rc = sqlite3_step(stmt);
  if (rc == SQLITE_ROW) {
    info->data_version = keep(st, 4, stmt, 0, &oom);
    info->facts = (long)sqlite3_column_int64(stmt, 1);
    info->sources = (long)sqlite3_column_int64(stmt, 2);
    info->conflicts = (long)sqlite3_column_int64(stmt, 3);
    info->sqlite_version = sqlite3_libversion();
  }
  sqlite3_reset(stmt);
  if (oom) return k2__fail(st, K2_ENOMEM, "%s", "not enough memory");
  return rc == SQLITE_ROW ? K2_OK : k2__sqlite_fail(st, rc);
}

/* Copies one rules row into a single allocation (kind first, so freeing kind frees all). */
static int rule_row(sqlite3_stmt *stmt, k2_rule_row *r) {
  size_t len[4], total = 0;
  char *block;
  for (int i = 0; i < 4; i++) total += (len[i] = (size_t)sqlite3_column_bytes(stmt, i)) + 1;
  if (!(block = sqlite3_malloc64(total))) return 0;
  for (int i = 0; i < 4; i++) {
    const unsigned char *t = sqlite3_column_text(stmt, i);
    memcpy(block, t ? (const char *)t : "", len[i]);
    block[len[i]] = '\0';
    if (i == 0) r->kind = block;
    else if (i == 1) r->id = block;
    else if (i == 2) r->field = block;
    else r->value = block;
    block += len[i] + 1;
  }
  return 1;
}

k2_status k2_rules(k2_store *st, const k2_rule_row **rows, size_t *count) {
  sqlite3_stmt *stmt;
  size_t cap = 0;
  int rc = SQLITE_DONE;
  if (check_store(st) != K2_OK || !rows || !count) return K2_EMISUSE;
  if (!st->rules) {
    if (!(stmt = k2__stmt(st, S_RULES))) return st->failed;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
      if (st->n_rules == cap) {
        size_t want = cap ? cap * 2 : 64;
        k2_rule_row *more = sqlite3_realloc64(st->rules, want * sizeof *more);
        if (!more) { rc = SQLITE_NOMEM; break; }
        st->rules = more;
        cap = want;
      }
      if (!rule_row(stmt, &st->rules[st->n_rules])) { rc = SQLITE_NOMEM; break; }
      st->n_rules++;
    }
    sqlite3_reset(stmt);
    if (rc != SQLITE_DONE) return k2__sqlite_fail(st, rc);
  }
  *rows = st->rules;
  *count = st->n_rules;
  return K2_OK;
}
