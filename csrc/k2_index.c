/*
** k2_index.c — the fact search's word index, held in memory: every token
** FTS5's porter tokenizer made of the facts, with the facts and columns it
** occurs in and how often (tools/search_index.lua writes it at build from
** fts5vocab, into table search_index). A search term is tokenized by that
** same FTS5 tokenizer (as FTS5 tokenizes a quoted query string, prefix or
** not), looked up by binary search (a prefix: the run of tokens it starts),
** and its postings give each fact's weighted count, as k2hits would from
** FTS5 (k2_rank.c) — without running a query, which cost 0.5 µs a matching
** fact here. A term that tokenizes into other than one token (a phrase)
** is left to FTS5: k2__index_collect says so and the search runs the query.
**
** Loaded and checked on a store's first search; a damaged blob is
** SQLITE_CORRUPT, never a wrong read. Units: counts of token instances.
** Reference: sqlite.org/fts5.html §"Custom Tokenizers", §"The fts5vocab
** Virtual Table Module".
*/
#include "k2_store_int.h"

#include <string.h>

#define INDEX_MAGIC "k2si"
#define INDEX_VERSION 1
#define INDEX_HEADER 24
#define INDEX_TERM 16
#define INDEX_POSTING 8
#define TOKEN_MAX 256 /* bytes of one query token; a longer one is left to FTS5 */

typedef struct index_term {
  const unsigned char *name;
  size_t len, first, count;
} index_term;

typedef struct index_posting {
  size_t row;
  unsigned col, count;
} index_posting;

typedef struct k2__index {
  index_term *terms;
  size_t n_terms;
  index_posting *postings;
  size_t n_postings;
  unsigned char *names;
  fts5_tokenizer tok;
  Fts5Tokenizer *tokenizer;
  unsigned *counts; /* scratch: per row and column, the current term's instances */
  size_t *touched;  /* scratch: the rows the current term reached */
  size_t rows;      /* rows the scratch covers (row numbers below it) */
} k2__index;

static const char index_key = 0; /* the attachment's key: this static's address */
static const double column_weight[K2_COLUMNS] = {K2_COLUMN_WEIGHTS};

static unsigned long get_u32(const unsigned char *p) {
  return (unsigned long)p[0] | (unsigned long)p[1] << 8 | (unsigned long)p[2] << 16 | (unsigned long)p[3] << 24;
}

static unsigned get_u16(const unsigned char *p) { return (unsigned)p[0] | (unsigned)p[1] << 8; }

static void index_free(void *data) {
  k2__index *ix = data;
  if (!ix) return;
  if (ix->tokenizer) ix->tok.xDelete(ix->tokenizer);
  sqlite3_free(ix->terms);
  sqlite3_free(ix->postings);
  sqlite3_free(ix->names);
  sqlite3_free(ix->counts);
  sqlite3_free(ix->touched);
  sqlite3_free(ix);
}

static int name_cmp(const unsigned char *a, size_t alen, const unsigned char *b, size_t blen) {
  int c = memcmp(a, b, alen < blen ? alen : blen);
  return c ? c : (alen > blen) - (alen < blen);
}

/* Decodes and checks the blob: terms sorted and distinct, names and
** postings in bounds, each term's postings by row and column, rows below
** `rows`. Returns SQLITE_OK, SQLITE_CORRUPT or SQLITE_NOMEM. */
static int index_parse(k2__index *ix, const unsigned char *b, size_t size, size_t rows) {
  size_t n_terms, n_postings, names_len, at;
  if (size < INDEX_HEADER || memcmp(b, INDEX_MAGIC, 4) != 0 || get_u32(b + 4) != INDEX_VERSION ||
      get_u32(b + 20) != K2_COLUMNS)
    return SQLITE_CORRUPT;
  n_terms = get_u32(b + 8);
  n_postings = get_u32(b + 12);
  names_len = get_u32(b + 16);
  if (n_terms == 0 || n_terms > size / INDEX_TERM || n_postings > size / INDEX_POSTING ||
      INDEX_HEADER + n_terms * INDEX_TERM + n_postings * INDEX_POSTING > size ||
      size - INDEX_HEADER - n_terms * INDEX_TERM - n_postings * INDEX_POSTING != names_len)
    return SQLITE_CORRUPT;
  ix->terms = sqlite3_malloc64(n_terms * sizeof *ix->terms);
  ix->postings = sqlite3_malloc64((n_postings ? n_postings : 1) * sizeof *ix->postings);
  ix->names = sqlite3_malloc64(names_len ? names_len : 1);
  if (!ix->terms || !ix->postings || !ix->names) return SQLITE_NOMEM;
  at = INDEX_HEADER + n_terms * INDEX_TERM + n_postings * INDEX_POSTING;
  memcpy(ix->names, b + at, names_len);
  for (size_t i = 0, next = 0; i < n_terms; i++) {
    const unsigned char *t = b + INDEX_HEADER + i * INDEX_TERM;
    index_term *term = &ix->terms[i];
    size_t off = get_u32(t), len = get_u32(t + 4);
    term->first = get_u32(t + 8);
    term->count = get_u32(t + 12);
    if (len == 0 || off > names_len || len > names_len - off || term->first != next || term->count == 0 ||
        term->count > n_postings - next)
      return SQLITE_CORRUPT;
    term->name = ix->names + off;
    term->len = len;
    next += term->count;
    if (i > 0 && name_cmp(ix->terms[i - 1].name, ix->terms[i - 1].len, term->name, len) >= 0) return SQLITE_CORRUPT;
    if (i == n_terms - 1 && next != n_postings) return SQLITE_CORRUPT;
  }
  for (size_t i = 0; i < n_postings; i++) {
    const unsigned char *p = b + INDEX_HEADER + n_terms * INDEX_TERM + i * INDEX_POSTING;
    index_posting *post = &ix->postings[i];
    post->row = get_u32(p);
    post->col = get_u16(p + 4);
    post->count = get_u16(p + 6);
    if (post->row >= rows || post->col >= K2_COLUMNS || post->count == 0) return SQLITE_CORRUPT;
  }
  ix->n_terms = n_terms;
  ix->n_postings = n_postings;
  return SQLITE_OK;
}

/* FTS5's tokenizer of fact_fts ("porter unicode61 remove_diacritics 2"). */
static int make_tokenizer(sqlite3 *db, k2__index *ix) {
  static const char *const args[] = {"unicode61", "remove_diacritics", "2"};
  fts5_api *api = k2__fts5_api(db);
  void *ud = NULL;
  int rc;
  if (!api) return SQLITE_ERROR;
  rc = api->xFindTokenizer(api, "porter", &ud, &ix->tok);
  if (rc == SQLITE_OK) rc = ix->tok.xCreate(ud, (const char **)args, 3, &ix->tokenizer);
  if (rc != SQLITE_OK) ix->tokenizer = NULL;
  return rc;
}

static int load(k2_store *st, k2__index *ix, size_t rows) {
  sqlite3_stmt *stmt = k2__prepare(st, "SELECT data FROM search_index");
  int rc;
  if (!stmt) return st->failed == K2_ENOMEM ? SQLITE_NOMEM : SQLITE_ERROR;
  rc = sqlite3_step(stmt);
  if (rc == SQLITE_ROW) {
    const unsigned char *blob = sqlite3_column_blob(stmt, 0);
    size_t size = (size_t)sqlite3_column_bytes(stmt, 0);
    rc = !blob ? (sqlite3_errcode(st->db) == SQLITE_NOMEM ? SQLITE_NOMEM : SQLITE_CORRUPT)
               : index_parse(ix, blob, size, rows);
  } else if (rc == SQLITE_DONE) {
    rc = SQLITE_CORRUPT; /* no index row */
  }
  sqlite3_finalize(stmt);
  if (rc != SQLITE_OK) return rc;
  ix->rows = rows;
  ix->counts = sqlite3_malloc64(rows * K2_COLUMNS * sizeof *ix->counts);
  ix->touched = sqlite3_malloc64(rows * sizeof *ix->touched);
  if (!ix->counts || !ix->touched) return SQLITE_NOMEM;
  memset(ix->counts, 0, rows * K2_COLUMNS * sizeof *ix->counts);
  return make_tokenizer(st->db, ix);
}

k2_status k2__index_ready(k2_store *st, size_t rows) {
  k2__index *ix;
  int rc;
  if (k2__attached(st, &index_key)) return K2_OK;
  if (!(ix = sqlite3_malloc64(sizeof *ix))) return k2__fail(st, K2_ENOMEM, "%s", "not enough memory");
  memset(ix, 0, sizeof *ix);
  if ((rc = load(st, ix, rows ? rows : 1)) != SQLITE_OK) {
    k2_status status = rc == SQLITE_CORRUPT ? k2__fail(st, K2_ESTORE, "%s", "fact store error: the search index is damaged")
                                            : k2__sqlite_fail(st, rc);
    index_free(ix);
    return status;
  }
  return k2__attach(st, &index_key, ix, index_free);
}

/* ------------------------------------------------------------ one term */

typedef struct tokens {
  int n;
  size_t len;
  char token[TOKEN_MAX];
} tokens;

static int on_token(void *ctx, int flags, const char *token, int len, int start, int end) {
  tokens *t = ctx;
  (void)start; (void)end;
  if (flags & FTS5_TOKEN_COLOCATED) return SQLITE_OK; /* a synonym at the same place: not this tokenizer's */
  if (++t->n == 1 && len >= 0 && (size_t)len <= TOKEN_MAX) {
    memcpy(t->token, token, (size_t)len);
    t->len = (size_t)len;
  } else if (t->n == 1) {
    t->n = 2; /* too long to hold: left to FTS5 */
  }
  return SQLITE_OK;
}

/* The first index term >= name (n_terms if none). */
static size_t lower_bound(const k2__index *ix, const char *name, size_t len) {
  size_t lo = 0, hi = ix->n_terms;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (name_cmp(ix->terms[mid].name, ix->terms[mid].len, (const unsigned char *)name, len) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/* The slot of row in h, added (its counts zeroed) if new. -1: more rows than the table holds. */
static long slot_of(k2__hits *h, long *slot, size_t row) {
  if (slot[row] >= 0) return slot[row];
  if (h->count == h->cap) return -1;
  memset(h->freq + h->count * (size_t)h->n_phrases, 0, sizeof *h->freq * (size_t)h->n_phrases);
  h->rows[h->count] = (long long)row;
  return slot[row] = (long)h->count++;
}

/* Adds term `phrase`'s matches (the index terms [from, to)) to h. */
static int add_matches(k2__index *ix, k2__hits *h, long *slot, int phrase, size_t from, size_t to) {
  size_t n_touched = 0;
  for (size_t t = from; t < to; t++) {
    const index_term *term = &ix->terms[t];
    for (size_t p = term->first; p < term->first + term->count; p++) {
      const index_posting *post = &ix->postings[p];
      unsigned *c = ix->counts + post->row * K2_COLUMNS;
      int seen = 0;
      for (int k = 0; k < K2_COLUMNS; k++) seen |= c[k] != 0;
      if (!seen) ix->touched[n_touched++] = post->row;
      c[post->col] += post->count;
    }
  }
  for (size_t i = 0; i < n_touched; i++) {
    size_t row = ix->touched[i];
    unsigned *c = ix->counts + row * K2_COLUMNS;
    long s = slot_of(h, slot, row);
    double f = 0;
    for (int k = 0; k < K2_COLUMNS; k++) f += c[k] * column_weight[k];
    memset(c, 0, sizeof *c * K2_COLUMNS);
    if (s < 0) {
      for (size_t j = i + 1; j < n_touched; j++) memset(ix->counts + ix->touched[j] * K2_COLUMNS, 0, sizeof *c * K2_COLUMNS);
      return SQLITE_CORRUPT;
    }
    h->freq[(size_t)s * (size_t)h->n_phrases + (size_t)phrase] = f;
  }
  return SQLITE_OK;
}

int k2__index_collect(k2_store *st, const char *const *text, const size_t *len, const char *prefix, int n,
                      k2__hits *h) {
  k2__index *ix = k2__attached(st, &index_key);
  long *slot;
  int rc = SQLITE_OK;
  if (!ix) return SQLITE_MISUSE;
  if (!(slot = sqlite3_malloc64(ix->rows * sizeof *slot))) return SQLITE_NOMEM;
  memset(slot, 0xff, ix->rows * sizeof *slot); /* all -1 */
  for (int i = 0; rc == SQLITE_OK && i < n; i++) {
    tokens t;
    size_t from, to;
    t.n = 0;
    t.len = 0;
    rc = ix->tok.xTokenize(ix->tokenizer, &t, FTS5_TOKENIZE_QUERY | (prefix[i] ? FTS5_TOKENIZE_PREFIX : 0), text[i],
                           (int)len[i], on_token);
    if (rc != SQLITE_OK) break;
    if (t.n != 1) { rc = K2__INDEX_PHRASE; break; }
    from = lower_bound(ix, t.token, t.len);
    to = from;
    if (prefix[i]) {
      while (to < ix->n_terms && ix->terms[to].len >= t.len && memcmp(ix->terms[to].name, t.token, t.len) == 0) to++;
    } else if (to < ix->n_terms && name_cmp(ix->terms[to].name, ix->terms[to].len, (const unsigned char *)t.token, t.len) == 0) {
      to++;
    }
    rc = add_matches(ix, h, slot, i, from, to);
  }
  sqlite3_free(slot);
  return rc;
}
