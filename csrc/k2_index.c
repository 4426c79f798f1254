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
** Loaded on a store's first search and read in place; the header and term
** table are checked then, each posting when it is read: a damaged blob is
** SQLITE_CORRUPT, never a read out of bounds. Units: counts of token instances.
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

/* The blob is read in place, as SQLite hands it out: the statement that
** read it stays open (finalized at close), so nothing is copied or decoded
** at load but the check of the term table; a posting is checked when read. */
typedef struct k2__index {
  sqlite3_stmt *stmt;
  const unsigned char *terms, *postings, *names;
  size_t n_terms, n_postings, names_len;
  fts5_tokenizer tok;
  Fts5Tokenizer *tokenizer;
  unsigned *counts; /* scratch: per row and column, the current term's instances */
  size_t *touched;  /* scratch: the rows the current term reached */
  size_t rows;      /* rows the scratch covers (row numbers below it) */
} k2__index;

static const char index_key = 0; /* the attachment's key: this static's address */
static const double column_weight[K2_COLUMNS] = {K2_COLUMN_WEIGHTS};

static size_t get_u32(const unsigned char *p) {
  return (size_t)p[0] | (size_t)p[1] << 8 | (size_t)p[2] << 16 | (size_t)p[3] << 24;
}

static unsigned get_u16(const unsigned char *p) { return (unsigned)p[0] | (unsigned)p[1] << 8; }

/* Term i: its bytes and its run of postings (bounds checked at load). */
static const unsigned char *term_name(const k2__index *ix, size_t i, size_t *len) {
  const unsigned char *t = ix->terms + i * INDEX_TERM;
  *len = get_u32(t + 4);
  return ix->names + get_u32(t);
}

static size_t term_first(const k2__index *ix, size_t i) { return get_u32(ix->terms + i * INDEX_TERM + 8); }
static size_t term_count(const k2__index *ix, size_t i) { return get_u32(ix->terms + i * INDEX_TERM + 12); }

static void index_free(void *data) {
  k2__index *ix = data;
  if (!ix) return;
  if (ix->tokenizer) ix->tok.xDelete(ix->tokenizer);
  sqlite3_finalize(ix->stmt);
  sqlite3_free(ix->counts);
  sqlite3_free(ix->touched);
  sqlite3_free(ix);
}

static int name_cmp(const unsigned char *a, size_t alen, const unsigned char *b, size_t blen) {
  int c = memcmp(a, b, alen < blen ? alen : blen);
  return c ? c : (alen > blen) - (alen < blen);
}

/* Checks the blob's header and term table: terms sorted and distinct, their
** names in bounds, their postings one run after another covering them all.
** Returns SQLITE_OK or SQLITE_CORRUPT. */
static int index_parse(k2__index *ix, const unsigned char *b, size_t size) {
  size_t n_terms, n_postings, names_len, next = 0, plen = 0;
  const unsigned char *prev = NULL;
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
  ix->terms = b + INDEX_HEADER;
  ix->postings = ix->terms + n_terms * INDEX_TERM;
  ix->names = ix->postings + n_postings * INDEX_POSTING;
  ix->n_terms = n_terms;
  ix->n_postings = n_postings;
  ix->names_len = names_len;
  for (size_t i = 0; i < n_terms; i++) {
    const unsigned char *t = ix->terms + i * INDEX_TERM;
    size_t off = get_u32(t), len = get_u32(t + 4), first = get_u32(t + 8), count = get_u32(t + 12);
    if (len == 0 || off > names_len || len > names_len - off || first != next || count == 0 ||
        count > n_postings - next)
      return SQLITE_CORRUPT;
    if (prev && name_cmp(prev, plen, ix->names + off, len) >= 0) return SQLITE_CORRUPT;
    prev = ix->names + off;
    plen = len;
    next += count;
  }
  return next == n_postings ? SQLITE_OK : SQLITE_CORRUPT;
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
  int rc;
  if (!(ix->stmt = k2__prepare(st, "SELECT data FROM search_index")))
    return st->failed == K2_ENOMEM ? SQLITE_NOMEM : SQLITE_ERROR;
  rc = sqlite3_step(ix->stmt);
  if (rc == SQLITE_ROW) {
    const unsigned char *blob = sqlite3_column_blob(ix->stmt, 0);
    size_t size = (size_t)sqlite3_column_bytes(ix->stmt, 0);
    rc = !blob ? (sqlite3_errcode(st->db) == SQLITE_NOMEM ? SQLITE_NOMEM : SQLITE_CORRUPT) : index_parse(ix, blob, size);
  } else if (rc == SQLITE_DONE) {
    rc = SQLITE_CORRUPT; /* no index row */
  }
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
    size_t mid = lo + (hi - lo) / 2, mlen;
    const unsigned char *m = term_name(ix, mid, &mlen);
    if (name_cmp(m, mlen, (const unsigned char *)name, len) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/* 1 when term i is `token` (exact) or starts with it (prefix). */
static int term_matches(const k2__index *ix, size_t i, const char *token, size_t len, int prefix) {
  size_t tlen;
  const unsigned char *t = term_name(ix, i, &tlen);
  return (prefix ? tlen >= len : tlen == len) && memcmp(t, token, len) == 0;
}

/* The slot of row in h, added (its counts zeroed) if new. -1: more rows than the table holds. */
static long slot_of(k2__hits *h, long *slot, size_t row) {
  if (slot[row] >= 0) return slot[row];
  if (h->count == h->cap) return -1;
  memset(h->freq + h->count * (size_t)h->n_phrases, 0, sizeof *h->freq * (size_t)h->n_phrases);
  h->rows[h->count] = (long long)row;
  return slot[row] = (long)h->count++;
}

/* Zeroes the scratch counts of the rows reached so far. */
static void clear_touched(k2__index *ix, size_t from, size_t n_touched) {
  for (size_t j = from; j < n_touched; j++) memset(ix->counts + ix->touched[j] * K2_COLUMNS, 0, sizeof *ix->counts * K2_COLUMNS);
}

/* Adds term `phrase`'s matches (the index terms [from, to)) to h. */
static int add_matches(k2__index *ix, k2__hits *h, long *slot, int phrase, size_t from, size_t to) {
  size_t n_touched = 0;
  for (size_t t = from; t < to; t++) {
    size_t first = term_first(ix, t), count = term_count(ix, t);
    for (size_t p = first; p < first + count; p++) {
      const unsigned char *post = ix->postings + p * INDEX_POSTING;
      size_t row = get_u32(post);
      unsigned col = get_u16(post + 4), n = get_u16(post + 6);
      unsigned *c;
      int seen = 0;
      if (row >= ix->rows || col >= K2_COLUMNS || n == 0) { clear_touched(ix, 0, n_touched); return SQLITE_CORRUPT; }
      c = ix->counts + row * K2_COLUMNS;
      for (int k = 0; k < K2_COLUMNS; k++) seen |= c[k] != 0;
      if (!seen) ix->touched[n_touched++] = row;
      c[col] += n;
    }
  }
  for (size_t i = 0; i < n_touched; i++) {
    size_t row = ix->touched[i];
    unsigned *c = ix->counts + row * K2_COLUMNS;
    long s = slot_of(h, slot, row);
    double f = 0;
    for (int k = 0; k < K2_COLUMNS; k++) f += c[k] * column_weight[k];
    memset(c, 0, sizeof *c * K2_COLUMNS);
    if (s < 0) { clear_touched(ix, i + 1, n_touched); return SQLITE_CORRUPT; }
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
    for (to = from; to < ix->n_terms && term_matches(ix, to, t.token, t.len, prefix[i]); to++)
      if (!prefix[i]) { to++; break; } /* terms are distinct: one exact match at most */
    rc = add_matches(ix, h, slot, i, from, to);
  }
  sqlite3_free(slot);
  return rc;
}
