/*
** k2_store_int.h — the fact store's private parts, shared by k2_store.c
** (open, lookups, filters, caches), k2_search.c (search text → matches)
** and k2_index.c (the word index),
** and the two generic hooks other core files use to keep their own data with
** a store (k2__prepare, k2__attach).
** Not part of the API: only k2.h is.
*/
#ifndef K2_STORE_INT_H
#define K2_STORE_INT_H

#include "k2.h"
#include "k2_int.h"

#include <sqlite3.h>

#define MAX_ALIAS_BYTES 64
#define MAX_FILTER_BYTES 200
#define MAX_FACT_ROW 1000000 /* a larger row number can only come from a damaged image */

/* Statements, prepared on first use (start-up pays only for what it uses). */
enum stmt_slot {
  S_SEARCH,          /* every word as one OR query, each row recorded by k2hits */
  S_FACT_BY_N,
  S_FACT_N_BY_ID,
  S_FACTS,
  S_SOURCES,
  S_SOURCE,
  S_VOCAB_NAME,
  S_VOCAB_LIST,
  S_CONFLICT,
  S_INFO,
  S_RULES,
  N_STMTS
};

typedef struct alias {
  char *key;         /* lower-case letters and digits only */
  const char *form;  /* canonical form name (points into forms[]) */
  const char *token; /* FTS token of the form */
} alias;

/* Data another core file keeps with a store, found by the address of a
** static of that file (its key) and freed by its own destructor at close. */
#define K2_MAX_ATTACHMENTS 4
typedef struct attachment {
  const void *key;
  void *data;
  void (*destroy)(void *data);
} attachment;

struct k2_store {
  sqlite3 *db;
  sqlite3_stmt *stmt[N_STMTS];
  alias *aliases;
  size_t n_aliases;
  char **forms; /* pairs: canonical name, FTS token */
  size_t n_forms;
  char **stopwords; /* sorted */
  size_t n_stopwords;
  k2_fact **facts; /* cache by row number n (1-based); each one allocation */
  size_t n_facts;
  k2__rank rank; /* row lengths and the running search's collector, for k2hits */
  int rank_ready;
  int search_fts_only; /* tests: every search runs FTS5 (k2_index.c's index unused) */
  char *scratch[5]; /* strings handed out: k2_conflict_get 0..3, info 4 */
  attachment attached[K2_MAX_ATTACHMENTS]; /* other files' data, freed at close */
  size_t n_attached;
  k2_rule_row *rules; /* loaded on first use */
  size_t n_rules;
  k2_status failed; /* status of the last k2__stmt failure */
  char errmsg[512];
};

K2_HIDDEN k2_status k2__fail(k2_store *st, k2_status rc, const char *fmt, const char *arg);
K2_HIDDEN k2_status k2__sqlite_fail(k2_store *st, int rc);
K2_HIDDEN k2_status k2__check_text(k2_store *st, const char *what, const char *s, size_t len, size_t max);
K2_HIDDEN sqlite3_stmt *k2__stmt(k2_store *st, int slot); /* NULL: errmsg says why */
K2_HIDDEN int k2__bind_text(sqlite3_stmt *stmt, const char *name, const char *text, size_t len);
K2_HIDDEN int k2__bind_int(sqlite3_stmt *stmt, const char *name, int value);
K2_HIDDEN k2_status k2__bind_filter(k2_store *st, sqlite3_stmt *stmt, const k2_filter *flt);
/* Appends fact n (loaded into the cache if needed) with `rank` to list. */
K2_HIDDEN k2_status k2__list_add(k2_store *st, k2_fact_list *list, size_t *cap, sqlite3_int64 n, double rank);
K2_HIDDEN k2_fact_list *k2__list_new(k2_store *st);
K2_HIDDEN size_t k2__alias_key(const char *s, size_t len, char *key, size_t cap);
K2_HIDDEN const alias *k2__find_alias(const k2_store *st, const char *key);
K2_HIDDEN int k2__is_stopword(const k2_store *st, const char *key);
/* A statement over the store's image for one caller's own SQL; the caller
** finalizes it. NULL on failure: errmsg says why, st->failed has the status. */
K2_HIDDEN sqlite3_stmt *k2__prepare(k2_store *st, const char *sql);
/* The data attached under key, or NULL. */
K2_HIDDEN void *k2__attached(const k2_store *st, const void *key);
/* Hands data to the store: destroy(data) runs when the store closes. On
** failure (no free slot) destroy(data) has already run. */
K2_HIDDEN k2_status k2__attach(k2_store *st, const void *key, void *data, void (*destroy)(void *data));
/* The search's word index (k2_index.c): loads and checks it once (rows:
** the row numbers it may name are below this), then adds the matches of
** terms text[0..n) (each prefix[i] or exact, as FTS5 would tokenize the
** quoted string) to h. K2__INDEX_PHRASE: a term is not one token — run FTS5. */
#define K2__INDEX_PHRASE 1000
K2_HIDDEN k2_status k2__index_ready(k2_store *st, size_t rows);
K2_HIDDEN int k2__index_collect(k2_store *st, const char *const *text, const size_t *len, const char *prefix, int n,
                                k2__hits *h);
/* Opens a store over any image (the tests feed damaged copies); read-only. */
K2_HIDDEN k2_status k2__store_open_image(const unsigned char *image, size_t size, k2_store **out);

#endif
