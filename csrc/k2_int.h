/*
** k2_int.h — helpers shared by the core's C files; not part of the API.
** Text here is UTF-8 given as (pointer, length); nothing is NUL-terminated
** unless it says so.
*/
#ifndef K2_INT_H
#define K2_INT_H

#include <stdarg.h>
#include <stddef.h>

#if defined(__GNUC__)
#define K2_HIDDEN __attribute__((visibility("hidden")))
#define K2_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define K2_HIDDEN
#define K2_PRINTF(a, b)
#endif

/* 1 if s[0..len) is well-formed UTF-8 (no overlongs, surrogates or > U+10FFFF). */
K2_HIDDEN int k2__utf8_valid(const char *s, size_t len);
/* Bytes taken by one white-space character at s (ASCII blanks, no-break,
** thin and narrow no-break spaces), or 0. */
K2_HIDDEN size_t k2__space_len(const unsigned char *s, const unsigned char *end);
/* Bytes taken by one hyphen or dash (ASCII '-', U+2010..U+2015, U+2212), or 0. */
K2_HIDDEN size_t k2__dash_len(const unsigned char *s, const unsigned char *end);
/* Decodes one code point at s (which must be valid UTF-8); sets *cp. */
K2_HIDDEN size_t k2__utf8_next(const unsigned char *s, const unsigned char *end, unsigned *cp);
/* The core's allocator (SQLite's, so one allocator serves both). */
K2_HIDDEN void *k2__malloc(size_t n);
K2_HIDDEN void k2__free(void *p);
/* snprintf into msg that never overflows and accepts msg == NULL. */
K2_HIDDEN void k2__msg(char *msg, size_t cap, const char *fmt, ...) K2_PRINTF(3, 4);
/* Copies at most max bytes of s into a quotable form (control bytes as '?',
** cut on a character boundary, "..." when cut) into out[cap]. */
K2_HIDDEN const char *k2__quote(const char *s, size_t len, size_t max, char *out, size_t cap);
/* A limit in words for messages, from its K2_* value: 1e6 µg is "1 g", 87840 h
** "10 years" (whole years of 365.25 days, rounded down). Returns buf. */
K2_HIDDEN const char *k2__ug_words(double ug, char *buf, size_t cap);
K2_HIDDEN const char *k2__hours_words(double h, char *buf, size_t cap);

/* The fact table's columns, as fact_fts lists them (claim, forms, topic,
** population, extra, everyday — the synonyms of data/ask.rec), and the
** weight of a word found in each (> 0: a count above 0 means a match). */
#define K2_COLUMNS 6
#define K2_COLUMN_WEIGHTS 1.0, 2.0, 1.5, 1.0, 0.3, 1.0

/* A search's matches as k2hits records them (k2_rank.c): each matching
** row and, per phrase of the query, its weighted count of instances
** (freq[row_index * n_phrases + phrase]); at most cap rows. */
#define K2_RANK_MAX_PHRASES 64
typedef struct k2__hits {
  int n_phrases;
  size_t count, cap;
  long long *rows;
  double *freq;
} k2__hits;

/* What ranking needs besides FTS5: each row's length in tokens (all
** columns, indexed by rowid), the corpus size and mean length, and the
** running search's collector. */
typedef struct k2__rank {
  double *tokens;
  size_t count;
  double rows, avgdl;
  k2__hits *hits; /* set by the running search, else NULL */
} k2__rank;
struct sqlite3;
/* Loads `table`_docsize into r (sqlite3_free(r->tokens) to release). */
K2_HIDDEN int k2__rank_load(struct sqlite3 *db, const char *table, k2__rank *r);
/* Registers the FTS5 function k2hits (see k2_rank.c); r must outlive db. */
K2_HIDDEN int k2__rank_register(struct sqlite3 *db, k2__rank *r);
/* FTS5's API of db (for its functions and tokenizers), or NULL. */
struct fts5_api;
K2_HIDDEN struct fts5_api *k2__fts5_api(struct sqlite3 *db);
/* BM25 inverse document frequency of a term found in `docs` of `rows` rows. */
K2_HIDDEN double k2__idf(double rows, double docs);
/* BM25 score of one row (lower is better) from its phrase counts freq[] and
** the phrases' idf[], summed over the n phrases order[0..n) in that order. */
K2_HIDDEN double k2__bm25(const k2__rank *r, long long row, const double *freq, const double *idf,
                          const int *order, int n);

/* The SQLite image built from data/ (generated: build/k2_image.c). */
K2_HIDDEN extern const unsigned char k2__image[];
K2_HIDDEN extern const size_t k2__image_size;
/* The food image (issue 14: USDA table + literature links), in the same generated file;
** size 0 when the build embedded no food image (k2_food_open then fails). */
K2_HIDDEN extern const unsigned char k2__food_image[];
K2_HIDDEN extern const size_t k2__food_image_size;

#endif

