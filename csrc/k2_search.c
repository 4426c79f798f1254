/*
** k2_search.c — full-text search of the fact store. The user's text never
** reaches FTS5 as syntax (sqlite.org/fts5.html §3): it is split into words;
** each word becomes a quoted FTS5 string, prefix-matched when 3+ characters
** long; runs of up to three words that spell a form alias ("menaquinone 7",
** "MK-7", "mk7") become that form's token, which the build wrote into every
** fact about the form or a broader one. Stop words (data/vocab.rec) are
** dropped unless nothing else is left (question and filler words of
** data/ask.rec are stop words too). Words are stemmed by FTS5's porter
** tokenizer on both sides (the table is built with it, and a quoted query
** string goes through the same tokenizer). All words must match; if no fact
** has them all, every word some fact has; then the forms named must and any
** other word may; then any one word may (the best partial matches, best
** first). Each word's matches — which facts hold it, how often, in which
** column — come from the word index (k2_index.c), or from one FTS5 OR query
** when a word is a phrase to FTS5 ("K’s": two tokens); from them each
** word's document frequency, every level of matching and its Okapi BM25
** order (k2_rank.c) are computed here, and the best `limit` kept.
*/
#include "k2_store_int.h"

#include <string.h>

#define MAX_ALIAS_WORDS 3

typedef struct word { const char *s; size_t len; } word;

typedef struct query {
  char *buf;          /* the FTS5 expression being built */
  size_t len, cap;
  const char *terms[K2_SEARCH_MAX_TERMS * 2]; /* start of each term in buf */
  size_t term_len[K2_SEARCH_MAX_TERMS * 2];
  char is_form[K2_SEARCH_MAX_TERMS * 2]; /* 1 for a form token */
  const char *src[K2_SEARCH_MAX_TERMS * 2]; /* the user's words behind each term */
  size_t src_len[K2_SEARCH_MAX_TERMS * 2];
  double docs[K2_SEARCH_MAX_TERMS * 2];     /* facts matching each term */
  double idf[K2_SEARCH_MAX_TERMS * 2];
  char skip[K2_SEARCH_MAX_TERMS * 2];       /* 1: left out (no fact has it, others are known) */
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
    if (*n == K2_SEARCH_MAX_TERMS) {
      char m[64];
      k2__msg(m, sizeof m, "search text has too many words (at most %d)", K2_SEARCH_MAX_TERMS);
      return k2__fail(st, K2_EINPUT, "%s", m);
    }
    words[*n].s = (const char *)start;
    words[(*n)++].len = (size_t)(p - start);
  }
  return K2_OK;
}

/* Combining diacritical marks (U+0300-U+036F): "e" + U+0301 is "é" decomposed. */
static int is_combining(unsigned cp) { return cp >= 0x300 && cp <= 0x36F; }

/* Bytes of a combining mark at s[i] (2 in UTF-8), else 0. */
static size_t combining_len(const char *s, size_t i, size_t len) {
  const unsigned char *u = (const unsigned char *)s;
  if (i + 1 >= len) return 0;
  if (u[i] == 0xCC && u[i + 1] >= 0x80 && u[i + 1] <= 0xBF) return 2;
  if (u[i] == 0xCD && u[i + 1] >= 0x80 && u[i + 1] <= 0xAF) return 2;
  return 0;
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
                  : (cp >= 0xC0 && cp < 0x2000 && cp != 0xD7 && cp != 0xF7 && !is_combining(cp)) ||
                        (cp >= 0x3040 && cp < 0xFF00))
      return 1;
  }
  return 0;
}

static int is_stopword(const k2_store *st, const word *w) {
  char key[32];
  if (k2__alias_key(w->s, w->len, key, sizeof key) == 0) return 0;
  return k2__is_stopword(st, key);
}

static int all_digits(const word *w) {
  for (size_t i = 0; i < w->len; i++) if (w->s[i] < '0' || w->s[i] > '9') return 0;
  return 1;
}

/* Appends one quoted FTS5 string, with '*' when it should match as a prefix;
** src is the user's text it stands for. */
static void add_term(query *q, const char *s, size_t len, int prefix, const char *src, size_t src_len) {
  q->is_form[q->n_terms] = 0;
  q->src[q->n_terms] = src;
  q->src_len[q->n_terms] = src_len;
  q->terms[q->n_terms] = q->buf + q->len;
  q->buf[q->len++] = '"';
  for (size_t i = 0; i < len; i++) {
    /* a decomposed accent is dropped, as the index drops a precomposed one
    ** (unicode61 would otherwise split the word at the mark) */
    size_t mark = combining_len(s, i, len);
    if (mark) { i += mark - 1; continue; }
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
      size_t got = k2__alias_key(words[i + k].s, words[i + k].len, key + used, sizeof key - used);
      if (got == 0) break; /* other non-ASCII, or too long */
      used += got;
    }
    if (k == *span) {
      const alias *a = k2__find_alias(st, key);
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
    if (a) {
      add_term(q, a->token, strlen(a->token), 0, words[i].s,
               (size_t)(words[i + span - 1].s + words[i + span - 1].len - words[i].s));
      q->is_form[q->n_terms - 1] = 1;
      continue;
    }
    span = 1;
    if (!searchable(&words[i])) continue;
    if (is_stopword(st, &words[i])) { stops[n_stops++] = i; continue; }
    add_term(q, words[i].s, words[i].len, words[i].len >= 3 && !all_digits(&words[i]), words[i].s, words[i].len);
  }
  for (size_t k = 0; q->n_terms == 0 && k < n_stops; k++) {
    const word *w = &words[stops[k]];
    add_term(q, w->s, w->len, 0, w->s, w->len);
  }
}

/* Writes the FTS5 expression "t1 OR t2 ..." after the terms, NUL-terminated;
** returns its start. FTS5 numbers the phrases in this order: phrase i is term i. */
static const char *join_any(query *q) {
  char *start = q->buf + q->len, *p = start;
  for (size_t i = 0; i < q->n_terms; i++) {
    if (i) { memcpy(p, " OR ", 4); p += 4; }
    memcpy(p, q->terms[i], q->term_len[i]);
    p += q->term_len[i];
  }
  *p = '\0';
  return start;
}

/* Loads row lengths, registers k2hits and loads the word index, once,
** before any search statement exists. */
static k2_status ensure_rank(k2_store *st) {
  int src;
  if (st->rank_ready) return K2_OK;
  src = k2__rank_load(st->db, "fact_fts", &st->rank);
  if (src == SQLITE_OK) src = k2__rank_register(st->db, &st->rank);
  if (src != SQLITE_OK) {
    sqlite3_free(st->rank.tokens); /* loaded before the registration failed */
    memset(&st->rank, 0, sizeof st->rank);
    return k2__sqlite_fail(st, src);
  }
  st->rank_ready = 1;
  return K2_OK;
}

static void hits_free(k2__hits *h) {
  sqlite3_free(h->rows);
  sqlite3_free(h->freq);
}

/* Room for every row of the table, with a count for each term. */
static k2_status hits_init(k2_store *st, const query *q, k2__hits *h) {
  memset(h, 0, sizeof *h);
  h->n_phrases = (int)q->n_terms;
  h->cap = st->rank.rows >= 1 ? (size_t)st->rank.rows : 1;
  h->rows = sqlite3_malloc64(h->cap * sizeof *h->rows);
  h->freq = sqlite3_malloc64(h->cap * q->n_terms * sizeof *h->freq);
  if (!h->rows || !h->freq) return k2__fail(st, K2_ENOMEM, "%s", "not enough memory");
  return K2_OK;
}

/* Runs every term as one FTS5 OR query; h gets each matching row and its counts. */
static k2_status collect_fts(k2_store *st, query *q, k2__hits *h) {
  sqlite3_stmt *stmt = k2__stmt(st, S_SEARCH);
  const char *match = join_any(q);
  int rc;
  h->count = 0;
  if (!stmt) return st->failed;
  rc = k2__bind_text(stmt, ":match", match, strlen(match));
  st->rank.hits = h;
  while (rc == SQLITE_OK && (rc = sqlite3_step(stmt)) == SQLITE_ROW) rc = SQLITE_OK;
  st->rank.hits = NULL;
  sqlite3_reset(stmt);
  sqlite3_clear_bindings(stmt);
  return rc == SQLITE_DONE ? K2_OK : k2__sqlite_fail(st, rc);
}

/* The same matches from the word index, without a query; a term that is a
** phrase to FTS5 (or holds a quote) runs the query instead. */
static k2_status collect(k2_store *st, query *q, k2__hits *h) {
  const char *text[K2_SEARCH_MAX_TERMS * 2];
  size_t len[K2_SEARCH_MAX_TERMS * 2];
  char prefix[K2_SEARCH_MAX_TERMS * 2];
  k2_status status;
  int rc;
  if (st->search_fts_only || (status = k2__index_ready(st, st->rank.count)) != K2_OK)
    return st->search_fts_only ? collect_fts(st, q, h) : status;
  for (size_t i = 0; i < q->n_terms; i++) {
    prefix[i] = q->terms[i][q->term_len[i] - 1] == '*';
    text[i] = q->terms[i] + 1; /* inside the quotes */
    len[i] = q->term_len[i] - 2 - (size_t)prefix[i];
    if (memchr(text[i], '"', len[i])) return collect_fts(st, q, h);
  }
  rc = k2__index_collect(st, text, len, prefix, (int)q->n_terms, h);
  if (rc == K2__INDEX_PHRASE) return collect_fts(st, q, h);
  return rc == SQLITE_OK ? K2_OK : k2__sqlite_fail(st, rc);
}

/* Counts the facts of every term and sets its IDF. */
static void count_docs(const k2_store *st, query *q, const k2__hits *h) {
  for (size_t i = 0; i < q->n_terms; i++) q->docs[i] = 0;
  for (size_t r = 0; r < h->count; r++)
    for (size_t i = 0; i < q->n_terms; i++) q->docs[i] += h->freq[r * q->n_terms + i] > 0;
  for (size_t i = 0; i < q->n_terms; i++) q->idf[i] = k2__idf(st->rank.rows, q->docs[i]);
}

/* Drops the rows the filter excludes (the words' frequencies stay the whole
** store's, so a filter narrows the list without changing its order). */
static k2_status keep_allowed(k2_store *st, const k2_filter *filter, k2__hits *h) {
  sqlite3_stmt *stmt = k2__stmt(st, S_FACTS);
  unsigned char *allowed;
  size_t kept = 0, n = st->rank.count;
  k2_status status;
  int rc;
  if (!stmt) return st->failed;
  if ((status = k2__bind_filter(st, stmt, filter)) != K2_OK) { sqlite3_reset(stmt); return status; }
  if (!(allowed = sqlite3_malloc64(n ? n : 1))) {
    sqlite3_reset(stmt);
    return k2__fail(st, K2_ENOMEM, "%s", "not enough memory");
  }
  memset(allowed, 0, n);
  while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
    sqlite3_int64 row = sqlite3_column_int64(stmt, 0);
    if (row >= 0 && (size_t)row < n) allowed[row] = 1;
  }
  sqlite3_reset(stmt);
  sqlite3_clear_bindings(stmt);
  if (rc != SQLITE_DONE) { sqlite3_free(allowed); return k2__sqlite_fail(st, rc); }
  for (size_t r = 0; r < h->count; r++) {
    if (h->rows[r] < 0 || (size_t)h->rows[r] >= n || !allowed[h->rows[r]]) continue;
    h->rows[kept] = h->rows[r];
    memmove(h->freq + kept * (size_t)h->n_phrases, h->freq + r * (size_t)h->n_phrases,
            sizeof *h->freq * (size_t)h->n_phrases);
    kept++;
  }
  h->count = kept;
  sqlite3_free(allowed);
  return K2_OK;
}

/* Leaves out the terms no fact has, if some other term is left; returns 1 if any was. */
static int skip_unknown(query *q) {
  size_t known = 0, skipped = 0;
  for (size_t i = 0; i < q->n_terms; i++) known += q->docs[i] > 0;
  if (known == 0 || known == q->n_terms) return 0;
  for (size_t i = 0; i < q->n_terms; i++) {
    q->skip[i] = q->docs[i] <= 0;
    skipped += q->skip[i];
  }
  return skipped > 0;
}

/* The words some fact matches and the words none does, as the user wrote
** them, space-separated, in one allocation (list->matched, list->unmatched). */
static k2_status tell_words(k2_store *st, const query *q, k2_fact_list *list) {
  size_t size = 2, at = 0;
  char *buf;
  for (size_t i = 0; i < q->n_terms; i++) size += q->src_len[i] + 1;
  if (!(buf = sqlite3_malloc64(size))) return k2__fail(st, K2_ENOMEM, "%s", "not enough memory");
  for (int pass = 1; pass >= 0; pass--) {
    size_t first = at;
    for (size_t i = 0; i < q->n_terms; i++) {
      if ((q->docs[i] > 0) != pass) continue;
      if (at > first) buf[at++] = ' ';
      memcpy(buf + at, q->src[i], q->src_len[i]);
      at += q->src_len[i];
    }
    buf[at++] = '\0';
    if (pass) list->matched = buf;
    else list->unmatched = buf + first;
  }
  return K2_OK;
}


/* ------------------------------------------------------------ running it */

/* How strictly the terms must match: every one (less those no fact has,
** when skipped); every form and any other word; any word at all. */
enum { JOIN_ALL, JOIN_FORMS_ANY, JOIN_ANY };

/* 1 when a row with phrase counts freq[] matches the terms joined as `how`. */
static int qualifies(const query *q, const double *freq, int how) {
  int all = 1, any = 0, forms_all = 1, others = 0, others_any = 0;
  for (size_t i = 0; i < q->n_terms; i++) {
    int has = freq[i] > 0;
    if (q->skip[i]) continue;
    all &= has;
    any |= has;
    if (q->is_form[i]) forms_all &= has;
    else { others = 1; others_any |= has; }
  }
  if (how == JOIN_ALL) return all;
  if (how == JOIN_FORMS_ANY) return forms_all && (others_any || !others);
  return any;
}

/* One matching fact and its score (lower is better). */
typedef struct hit { long long n; double score; } hit;

/* Best first: lower score, then the lower row (the order data/ gives). */
static int hit_before(const hit *a, const hit *b) {
  return a->score < b->score || (a->score == b->score && a->n < b->n);
}

/* Keeps hit h among the best `limit` of best[0..*kept), sorted best first. */
static void keep_best(hit *best, size_t *kept, size_t limit, hit h) {
  size_t i;
  if (*kept == limit && !hit_before(&h, &best[limit - 1])) return;
  i = *kept < limit ? (*kept)++ : limit - 1;
  for (; i > 0 && hit_before(&h, &best[i - 1]); i--) best[i] = best[i - 1];
  best[i] = h;
}

/* The terms BM25 sums, forms first (as the matching levels list them). */
static int score_order(const query *q, int *order) {
  int n = 0;
  for (int forms = 1; forms >= 0; forms--)
    for (size_t i = 0; i < q->n_terms; i++)
      if (q->is_form[i] == forms && !q->skip[i]) order[n++] = (int)i;
  return n;
}

/* The best `limit` rows matching as `how`, best first, into best[]; returns how many. */
static size_t best_rows(const k2_store *st, const query *q, const k2__hits *h, int how, size_t limit, hit *best) {
  int order[K2_SEARCH_MAX_TERMS * 2], n = score_order(q, order);
  size_t kept = 0;
  for (size_t r = 0; r < h->count; r++) {
    const double *freq = h->freq + r * q->n_terms;
    if (!qualifies(q, freq, how)) continue;
    keep_best(best, &kept, limit, (hit){ h->rows[r], k2__bm25(&st->rank, h->rows[r], freq, q->idf, order, n) });
  }
  return kept;
}

/* 1 when the terms hold a form and another word: only then does "any word"
** differ from "every form and any other word". */
static int has_form_and_word(const query *q) {
  int forms = 0, words = 0;
  for (size_t i = 0; i < q->n_terms; i++) {
    if (q->is_form[i]) forms = 1;
    else words = 1;
  }
  return forms && words;
}

static int has_filter(const k2_filter *f) {
  return f && (f->form || f->topic || f->evidence || f->population);
}

/* Matches as strictly as finds any: every word; every word some fact has;
** every form and any other word; any word. */
static size_t choose(const k2_store *st, query *q, const k2__hits *h, size_t limit, hit *best) {
  size_t kept = best_rows(st, q, h, JOIN_ALL, limit, best);
  if (kept == 0 && skip_unknown(q)) kept = best_rows(st, q, h, JOIN_ALL, limit, best);
  if (kept == 0 && q->n_terms > 1) kept = best_rows(st, q, h, JOIN_FORMS_ANY, limit, best);
  if (kept == 0 && q->n_terms > 1 && has_form_and_word(q)) kept = best_rows(st, q, h, JOIN_ANY, limit, best);
  return kept;
}

/* The list of the chosen facts, with the words matched and not. */
static k2_status list_of(k2_store *st, const query *q, const hit *best, size_t kept, k2_fact_list **out) {
  size_t cap = 0;
  k2_status rc = (*out = k2__list_new(st)) != NULL ? K2_OK : K2_ENOMEM;
  for (size_t i = 0; rc == K2_OK && i < kept; i++) rc = k2__list_add(st, *out, &cap, best[i].n, best[i].score);
  if (rc == K2_OK) rc = tell_words(st, q, *out);
  if (rc != K2_OK) {
    k2_fact_list_free(*out);
    *out = NULL;
  }
  return rc;
}

k2_status k2_search(k2_store *st, const char *text, size_t len, const k2_filter *filter, int limit,
                    k2_fact_list **out) {
  word words[K2_SEARCH_MAX_TERMS];
  size_t n_words, kept = 0;
  query q;
  k2__hits hits;
  hit *best = NULL;
  k2_status rc;
  if (!st || !st->db || !out) return K2_EMISUSE;
  *out = NULL;
  if (limit < 1 || limit > K2_SEARCH_MAX_LIMIT) {
    char m[64];
    k2__msg(m, sizeof m, "limit must be 1 to %d", K2_SEARCH_MAX_LIMIT);
    return k2__fail(st, K2_EMISUSE, "%s", m);
  }
  if ((rc = k2__check_text(st, "search text", text, len, K2_SEARCH_MAX_BYTES)) != K2_OK) return rc;
  if ((rc = split_words(st, text, len, words, &n_words)) != K2_OK) return rc;
  memset(&q, 0, sizeof q);
  /* quoted terms (each byte at most doubled), then one joined copy with operators */
  q.cap = 2 * (2 * len + K2_SEARCH_MAX_TERMS * (MAX_ALIAS_BYTES + 8)) + 16;
  if (!(q.buf = sqlite3_malloc64(q.cap))) return k2__fail(st, K2_ENOMEM, "%s", "not enough memory");
  build_terms(st, words, n_words, &q);
  if (q.n_terms == 0) {
    sqlite3_free(q.buf);
    return k2__fail(st, K2_EINPUT, "%s", "search text has no words; give one or more words, e.g. 'menadione' or 'MK-7 peak'");
  }
  memset(&hits, 0, sizeof hits);
  rc = ensure_rank(st);
  if (rc == K2_OK) rc = hits_init(st, &q, &hits);
  if (rc == K2_OK) rc = collect(st, &q, &hits);
  if (rc == K2_OK) count_docs(st, &q, &hits);
  if (rc == K2_OK && has_filter(filter)) rc = keep_allowed(st, filter, &hits);
  if (rc == K2_OK && !(best = sqlite3_malloc64(sizeof *best * (hits.count ? hits.count : 1))))
    rc = k2__fail(st, K2_ENOMEM, "%s", "not enough memory");
  if (rc == K2_OK) kept = choose(st, &q, &hits, (size_t)limit < hits.count ? (size_t)limit : hits.count, best);
  if (rc == K2_OK) rc = list_of(st, &q, best, kept, out);
  sqlite3_free(best);
  hits_free(&hits);
  sqlite3_free(q.buf);
  return rc;
}
