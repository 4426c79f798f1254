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
** has them all, the forms named must and any other word may; if still none,
** any one word may (the best partial matches, best first). Ranking is BM25 (k2_rank.c) with IDFs from a per-store
** table of document frequencies, filled as terms are first seen.
*/
#include "k2_store_int.h"

#include <string.h>

#define MAX_ALIAS_WORDS 3
#define DF_CACHE_MAX 512

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
  char skip[K2_SEARCH_MAX_TERMS * 2];       /* 1: left out of the expression (no fact has it) */
  double expr_idf[K2_SEARCH_MAX_TERMS * 2]; /* IDFs in the expression's phrase order */
  int n_expr;
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

/* Appends terms whose form flag is `forms` to p, joined by op, and their
** IDFs in that order (FTS5 numbers phrases as they appear); returns the new end. */
static char *append_terms(query *q, int forms, const char *op, char *p, int *any) {
  for (size_t i = 0; i < q->n_terms; i++) {
    if (q->is_form[i] != forms || q->skip[i]) continue;
    q->expr_idf[q->n_expr++] = q->idf[i];
    if (*any) { memcpy(p, op, strlen(op)); p += strlen(op); }
    memcpy(p, q->terms[i], q->term_len[i]);
    p += q->term_len[i];
    *any = 1;
  }
  return p;
}

/* How strictly the terms are joined: every one; every form and any other
** word; any word at all (the best partial matches, ranked by BM25). */
enum { JOIN_ALL, JOIN_FORMS_ANY, JOIN_ANY };

/* Writes the FTS5 expression after the terms, NUL-terminated; returns its
** start. Strict: every term. Loose: every form named, and any other word
** ("MK-7 peak blood" finds MK-7 facts that mention peak or blood). Any: one
** term is enough, so one unknown word never turns hits into none. */
static const char *join_terms(query *q, int loose) {
  char *start = q->buf + q->len, *p = start;
  int any = 0, forms = 0;
  q->n_expr = 0;
  if (loose == JOIN_ANY) {
    p = append_terms(q, 1, " OR ", p, &any);
    p = append_terms(q, 0, " OR ", p, &any);
  } else if (!loose) {
    p = append_terms(q, 1, " AND ", p, &any);
    p = append_terms(q, 0, " AND ", p, &any);
  } else {
    p = append_terms(q, 1, " AND ", p, &forms);
    if (forms) { memcpy(p, " AND (", 6); p += 6; }
    p = append_terms(q, 0, " OR ", p, &any);
    if (forms) {
      if (any) *p++ = ')';
      else p -= 6; /* only forms: the strict query already said it all */
    }
  }
  *p = '\0';
  return start;
}

/* ------------------------------------------------------------ document frequencies */

/* Rows matching one term, from the cache or counted once and kept. */
static k2_status term_docs(k2_store *st, const char *term, size_t len, double *docs) {
  sqlite3_stmt *stmt;
  char *copy;
  int rc;
  for (size_t i = 0; i < st->n_df; i++) {
    if (strncmp(st->df[i].term, term, len) == 0 && st->df[i].term[len] == '\0') {
      *docs = st->df[i].docs;
      return K2_OK;
    }
  }
  if (!(stmt = k2__stmt(st, S_COUNT_MATCH))) return st->failed;
  rc = k2__bind_text(stmt, ":match", term, len);
  if (rc == SQLITE_OK && (rc = sqlite3_step(stmt)) == SQLITE_ROW) *docs = (double)sqlite3_column_int64(stmt, 0);
  sqlite3_reset(stmt);
  if (rc != SQLITE_ROW) return k2__sqlite_fail(st, rc);
  if (st->n_df == DF_CACHE_MAX) { /* a bounded table: start over */
    for (size_t i = 0; i < st->n_df; i++) sqlite3_free(st->df[i].term);
    st->n_df = 0;
  }
  if (st->n_df == st->cap_df) {
    size_t want = st->cap_df ? st->cap_df * 2 : 32;
    df_entry *bigger = sqlite3_realloc64(st->df, want * sizeof *bigger);
    if (!bigger) return K2_OK; /* the count is right; it just isn't kept */
    st->df = bigger;
    st->cap_df = want;
  }
  if ((copy = sqlite3_malloc64(len + 1)) != NULL) {
    memcpy(copy, term, len);
    copy[len] = '\0';
    st->df[st->n_df].term = copy;
    st->df[st->n_df++].docs = *docs;
  }
  return K2_OK;
}

/* Loads row lengths and registers k2rank, once, before any search statement exists. */
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

/* Counts the facts of every term and sets its IDF for k2rank. */
static k2_status prepare_rank(k2_store *st, query *q) {
  k2_status rc = K2_OK;
  for (size_t i = 0; rc == K2_OK && i < q->n_terms; i++) {
    q->docs[i] = 0;
    rc = term_docs(st, q->terms[i], q->term_len[i], &q->docs[i]);
    q->idf[i] = k2__idf(st->rank.rows, q->docs[i]);
  }
  return rc;
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

/* 1 when the terms hold a form and another word: only then does "any word"
** differ from the loose query. */
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

/* One matching fact and its score (lower is better). */
typedef struct hit { sqlite3_int64 n; double score; } hit;

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

/* Runs the search and keeps the best `limit` matches in C: SQLite's ORDER BY
** sorted every match through a temporary b-tree, most of a search's time. */
static k2_status run_search(k2_store *st, sqlite3_stmt *stmt, const char *match, int limit, k2_fact_list **out) {
  k2_fact_list *list = NULL;
  hit *best;
  size_t kept = 0, cap = 0, want = (size_t)limit < st->rank.rows + 1 ? (size_t)limit : (size_t)st->rank.rows + 1;
  k2_status status = K2_OK;
  int rc = k2__bind_text(stmt, ":match", match, strlen(match));
  if (rc != SQLITE_OK) return k2__sqlite_fail(st, rc);
  if (!(best = sqlite3_malloc64(want * sizeof *best))) return k2__fail(st, K2_ENOMEM, "%s", "not enough memory");
  while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
    hit h = { sqlite3_column_int64(stmt, 0), sqlite3_column_double(stmt, 1) };
    keep_best(best, &kept, want, h);
  }
  sqlite3_reset(stmt);
  if (rc != SQLITE_DONE) status = k2__sqlite_fail(st, rc);
  else if (!(list = k2__list_new(st))) status = K2_ENOMEM;
  for (size_t i = 0; status == K2_OK && i < kept; i++) status = k2__list_add(st, list, &cap, best[i].n, best[i].score);
  sqlite3_free(best);
  if (status != K2_OK) { k2_fact_list_free(list); return status; }
  *out = list;
  return K2_OK;
}

/* Runs the query joined as `how` (the IDFs in its phrase order), replacing *out. */
static k2_status run_joined(k2_store *st, sqlite3_stmt *stmt, query *q, int how, int limit, k2_fact_list **out) {
  const char *match = join_terms(q, how);
  k2_fact_list_free(*out);
  *out = NULL;
  st->rank.idf = q->expr_idf;
  st->rank.n_idf = q->n_expr;
  return run_search(st, stmt, match, limit, out);
}

k2_status k2_search(k2_store *st, const char *text, size_t len, const k2_filter *filter, int limit,
                    k2_fact_list **out) {
  word words[K2_SEARCH_MAX_TERMS];
  size_t n_words;
  query q;
  sqlite3_stmt *stmt;
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
  rc = ensure_rank(st);
  stmt = rc == K2_OK ? k2__stmt(st, has_filter(filter) ? S_SEARCH_FILTERED : S_SEARCH) : NULL;
  if (rc == K2_OK) rc = stmt ? prepare_rank(st, &q) : st->failed;
  if (rc == K2_OK && has_filter(filter)) rc = k2__bind_filter(st, stmt, filter);
  if (rc == K2_OK) rc = run_joined(st, stmt, &q, JOIN_ALL, limit, out);
  /* no fact has every word: first every word some fact has, then looser */
  if (rc == K2_OK && (*out)->count == 0 && skip_unknown(&q)) rc = run_joined(st, stmt, &q, JOIN_ALL, limit, out);
  if (rc == K2_OK && (*out)->count == 0 && q.n_terms > 1) rc = run_joined(st, stmt, &q, JOIN_FORMS_ANY, limit, out);
  if (rc == K2_OK && (*out)->count == 0 && q.n_terms > 1 && has_form_and_word(&q))
    rc = run_joined(st, stmt, &q, JOIN_ANY, limit, out);
  if (rc == K2_OK) rc = tell_words(st, &q, *out);
  if (rc != K2_OK) {
    k2_fact_list_free(*out);
    *out = NULL;
  }
  if (stmt) sqlite3_clear_bindings(stmt);
  st->rank.idf = NULL;
  st->rank.n_idf = 0;
  sqlite3_free(q.buf);
  return rc;
}
