/*
** k2_rank.c — the FTS5 ranking function k2rank(w0, w1, ...): Okapi BM25 as
** FTS5's own bm25() computes it (k1 = 1.2, b = 0.75, column weights as
** arguments, lower is better), but reading each row's length from an array
** loaded once instead of querying the %_docsize table per row, and taking
** the phrases' IDFs from the caller when it has them (k2_search.c keeps the
** document frequency of every term it has seen). The store is read-only, so
** neither can go stale; ranking then costs a few hundred nanoseconds a row
** instead of about a microsecond.
**
** References: sqlite.org/fts5.html §"Custom Auxiliary Functions" and the
** bm25() description; Robertson & Zaragoza, "The Probabilistic Relevance
** Framework: BM25 and Beyond", Found. Trends Inf. Retr. 3(4), 2009.
*/
#include "k2_int.h"

#include <math.h>
#include <sqlite3.h>
#include <string.h>

#define BM25_K1 1.2
#define BM25_B 0.75

typedef struct rank_query {
  double avgdl;   /* mean row length in tokens */
  int n_phrases;
  double idf[];   /* per phrase */
} rank_query;

static int count_hit(const Fts5ExtensionApi *api, Fts5Context *fts, void *user) {
  (void)api; (void)fts;
  (*(sqlite3_int64 *)user)++;
  return SQLITE_OK;
}

double k2__idf(double rows, double docs) {
  double idf = log(rows - docs + 0.5) - log(docs + 0.5);
  return idf > 1e-6 ? idf : 1e-6;
}

/* IDF of every phrase and the mean row length, once per query: from the
** caller when it supplied them, else counted with xQueryPhrase. */
static rank_query *query_data(const Fts5ExtensionApi *api, Fts5Context *fts, const k2__rank *r, int *rc) {
  rank_query *q = api->xGetAuxdata(fts, 0);
  int n = api->xPhraseCount(fts);
  if (q) return q;
  q = sqlite3_malloc64(sizeof *q + sizeof(double) * (size_t)n);
  if (!q) { *rc = SQLITE_NOMEM; return NULL; }
  q->n_phrases = n;
  q->avgdl = r->avgdl > 0 ? r->avgdl : 1.0;
  for (int i = 0; *rc == SQLITE_OK && i < n; i++) {
    sqlite3_int64 hits = 0;
    if (r->idf && r->n_idf == n) { q->idf[i] = r->idf[i]; continue; }
    *rc = api->xQueryPhrase(fts, i, &hits, count_hit);
    q->idf[i] = k2__idf(r->rows, (double)hits);
  }
  if (*rc == SQLITE_OK) *rc = api->xSetAuxdata(fts, q, sqlite3_free);
  else sqlite3_free(q);
  return *rc == SQLITE_OK ? q : NULL;
}

static void k2rank(const Fts5ExtensionApi *api, Fts5Context *fts, sqlite3_context *ctx, int argc,
                   sqlite3_value **argv) {
  const k2__rank *lengths = api->xUserData(fts);
  double freq[K2_RANK_MAX_PHRASES] = {0}, score = 0, dl;
  sqlite3_int64 row = api->xRowid(fts);
  int rc = SQLITE_OK, n_inst = 0;
  rank_query *q = query_data(api, fts, lengths, &rc);
  if (q && q->n_phrases > K2_RANK_MAX_PHRASES) rc = SQLITE_ERROR;
  if (rc == SQLITE_OK) rc = api->xInstCount(fts, &n_inst);
  for (int i = 0; rc == SQLITE_OK && i < n_inst; i++) {
    int phrase, col, offset;
    rc = api->xInst(fts, i, &phrase, &col, &offset);
    if (rc == SQLITE_OK && phrase >= 0 && phrase < q->n_phrases)
      freq[phrase] += col < argc ? sqlite3_value_double(argv[col]) : 1.0;
  }
  if (rc != SQLITE_OK) { sqlite3_result_error_code(ctx, rc); return; }
  dl = row >= 0 && (size_t)row < lengths->count ? lengths->tokens[row] : q->avgdl;
  for (int i = 0; i < q->n_phrases; i++) {
    double f = freq[i];
    score += q->idf[i] * f * (BM25_K1 + 1.0) / (f + BM25_K1 * (1.0 - BM25_B + BM25_B * dl / q->avgdl));
  }
  sqlite3_result_double(ctx, -score);
}

/* Reads an SQLite varint (as FTS5 writes column sizes); returns bytes used or 0. */
static int get_varint(const unsigned char *p, int n, sqlite3_uint64 *v) {
  *v = 0;
  for (int i = 0; i < n && i < 9; i++) {
    if (i == 8) { *v = (*v << 8) | p[i]; return 9; }
    *v = (*v << 7) | (p[i] & 0x7F);
    if (!(p[i] & 0x80)) return i + 1;
  }
  return 0;
}

/* Loads the total length of every row of `table`_docsize into out. */
int k2__rank_load(sqlite3 *db, const char *table, k2__rank *out) {
  double total_tokens = 0;
  sqlite3_stmt *stmt = NULL;
  char *sql = sqlite3_mprintf("SELECT id, sz FROM \"%w_docsize\" ORDER BY id", table);
  int rc = sql ? sqlite3_prepare_v2(db, sql, -1, &stmt, NULL) : SQLITE_NOMEM;
  sqlite3_free(sql);
  memset(out, 0, sizeof *out);
  while (rc == SQLITE_OK && (rc = sqlite3_step(stmt)) == SQLITE_ROW) {
    sqlite3_int64 id = sqlite3_column_int64(stmt, 0);
    const unsigned char *sz = sqlite3_column_blob(stmt, 1);
    int n = sqlite3_column_bytes(stmt, 1), used;
    sqlite3_uint64 total = 0, v;
    if (id < 0 || id > 1000000) { rc = SQLITE_CORRUPT; break; } /* only a damaged image has more */
    if ((size_t)id >= out->count) {
      size_t want = (size_t)id * 2 + 16;
      double *bigger = sqlite3_realloc64(out->tokens, want * sizeof(double));
      if (!bigger) { rc = SQLITE_NOMEM; break; }
      memset(bigger + out->count, 0, (want - out->count) * sizeof(double));
      out->tokens = bigger;
      out->count = want;
    }
    for (int i = 0; i < n; i += used) {
      if (!(used = get_varint(sz + i, n - i, &v))) { rc = SQLITE_CORRUPT; goto done; }
      total += v;
    }
    out->tokens[id] = (double)total;
    total_tokens += (double)total;
    out->rows += 1;
    if (rc == SQLITE_ROW) rc = SQLITE_OK;
  }
done:
  sqlite3_finalize(stmt);
  out->avgdl = out->rows > 0 ? total_tokens / out->rows : 1.0;
  if (rc == SQLITE_DONE) return SQLITE_OK;
  sqlite3_free(out->tokens);
  memset(out, 0, sizeof *out);
  return rc;
}

static fts5_api *fts5_of(sqlite3 *db) {
  fts5_api *api = NULL;
  sqlite3_stmt *stmt = NULL;
  if (sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &stmt, NULL) == SQLITE_OK) {
    sqlite3_bind_pointer(stmt, 1, (void *)&api, "fts5_api_ptr", NULL);
    sqlite3_step(stmt);
  }
  sqlite3_finalize(stmt);
  return api;
}

int k2__rank_register(sqlite3 *db, k2__rank *lengths) {
  fts5_api *api = fts5_of(db);
  if (!api || api->iVersion < 2) return SQLITE_ERROR;
  return api->xCreateFunction(api, "k2rank", lengths, k2rank, NULL);
}
