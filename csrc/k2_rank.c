/*
** k2_rank.c — what a fact search ranks with: Okapi BM25 as FTS5's own
** bm25() computes it (k1 = 1.2, b = 0.75, lower is better), from each
** word's weighted count in a fact (the column weights K2_COLUMN_WEIGHTS);
** and the FTS5 function k2hits(fts), which records those counts for each
** row an FTS5 query matches, for the searches the word index (k2_index.c)
** leaves to FTS5.
** Row lengths are read once from the %_docsize table; the store is
** read-only, so they cannot go stale.
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

double k2__idf(double rows, double docs) {
  double idf = log(rows - docs + 0.5) - log(docs + 0.5);
  return idf > 1e-6 ? idf : 1e-6;
}

double k2__bm25(const k2__rank *r, long long row, const double *freq, const double *idf, const int *order,
                int n) {
  double avgdl = r->avgdl > 0 ? r->avgdl : 1.0, score = 0;
  double dl = row >= 0 && (size_t)row < r->count ? r->tokens[row] : avgdl;
  double norm = BM25_K1 * (1.0 - BM25_B + BM25_B * dl / avgdl);
  for (int k = 0; k < n; k++) {
    double f = freq[order[k]];
    score += idf[order[k]] * f * (BM25_K1 + 1.0) / (f + norm);
  }
  return -score;
}

/* k2hits(fts): appends this row and its phrase counts to the collector the
** search set (r->hits): each phrase's instances per column, weighted by
** K2_COLUMN_WEIGHTS and summed in column order (as k2_index.c sums them,
** so both give the same figure to the last bit); its SQL value is NULL. */
static void k2hits(const Fts5ExtensionApi *api, Fts5Context *fts, sqlite3_context *ctx, int argc,
                   sqlite3_value **argv) {
  static const double weight[K2_COLUMNS] = {K2_COLUMN_WEIGHTS};
  const k2__rank *r = api->xUserData(fts);
  k2__hits *h = r->hits;
  unsigned counts[K2_RANK_MAX_PHRASES][K2_COLUMNS];
  int rc = SQLITE_OK, n_inst = 0;
  double *freq;
  (void)argc; (void)argv;
  if (!h || api->xPhraseCount(fts) != h->n_phrases || h->n_phrases > K2_RANK_MAX_PHRASES ||
      api->xColumnCount(fts) != K2_COLUMNS) {
    sqlite3_result_error_code(ctx, SQLITE_MISUSE);
    return;
  }
  if (h->count == h->cap) { sqlite3_result_error_code(ctx, SQLITE_CORRUPT); return; } /* more rows than the table */
  memset(counts, 0, sizeof counts);
  rc = api->xInstCount(fts, &n_inst);
  for (int i = 0; rc == SQLITE_OK && i < n_inst; i++) {
    int phrase, col, offset;
    rc = api->xInst(fts, i, &phrase, &col, &offset);
    if (rc == SQLITE_OK && phrase >= 0 && phrase < h->n_phrases && col >= 0 && col < K2_COLUMNS) counts[phrase][col]++;
  }
  if (rc != SQLITE_OK) { sqlite3_result_error_code(ctx, rc); return; }
  freq = h->freq + h->count * (size_t)h->n_phrases;
  for (int p = 0; p < h->n_phrases; p++) {
    double f = 0;
    for (int k = 0; k < K2_COLUMNS; k++) f += counts[p][k] * weight[k];
    freq[p] = f;
  }
  h->rows[h->count++] = api->xRowid(fts);
  sqlite3_result_null(ctx);
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

fts5_api *k2__fts5_api(sqlite3 *db) {
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
  fts5_api *api = k2__fts5_api(db);
  if (!api || api->iVersion < 2) return SQLITE_ERROR;
  return api->xCreateFunction(api, "k2hits", lengths, k2hits, NULL);
}
