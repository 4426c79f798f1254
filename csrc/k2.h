/*
** k2.h — the whole public C API of the k2 core: the vitamin K fact store and
** the dose/duration parsers. No Lua here: the Lua binding (lk2.c), tests and
** any FFI user see only this header.
**
** Conventions
**   - Every function that can fail returns a k2_status; K2_OK is 0.
**   - K2_EINPUT means "the user's text could not be understood"; the message
**     (k2_store_errmsg, or the msg buffer of the parsers) says what was wrong
**     and what is accepted. K2_EMISUSE means a programmer's mistake (NULL
**     handle, closed store). Nothing here prints, exits or aborts.
**   - Text arguments are (pointer, length) pairs: they may contain NUL bytes,
**     which are rejected as input errors, never truncated silently.
**   - Units: doses in micrograms (µg), durations in hours, ages in years.
**   - Numbers absent from a fact are NaN (test with isnan()).
**   - Lists returned through an out-pointer are owned by the caller and freed
**     with the matching *_free function, which accepts NULL.
**
** The store is an SQLite image built from data/ at compile time and embedded
** in the library (sqlite3_deserialize, SQLITE_DESERIALIZE_READONLY), opened
** defensive, without extension loading, with lowered limits. See
** data/README.md for what a fact is and where it comes from.
*/
#ifndef K2_H
#define K2_H

#include <stddef.h>

#define K2_VERSION "0.1.0"

/* Input limits of the text interfaces (technical limits, not health figures). */
#define K2_SEARCH_MAX_BYTES 1000 /* longest search text accepted */
#define K2_SEARCH_MAX_TERMS 32   /* most words one search may use */
#define K2_SEARCH_MAX_LIMIT 1000 /* most results one search returns */
#define K2_PARSE_MAX_BYTES 64    /* longest dose or duration text */
#define K2_DOSE_MAX_UG 1e6       /* doses above 1 g are not accepted */
#define K2_DURATION_MAX_H 87840.0 /* durations above 10 years (3660 d) are not accepted */

typedef enum k2_status {
  K2_OK = 0,
  K2_EINPUT = 1,    /* user text not understood; see the message */
  K2_ENOTFOUND = 2, /* a well-formed id that names nothing */
  K2_ENOMEM = 3,    /* out of memory */
  K2_ESTORE = 4,    /* the embedded store failed (corrupt image, SQLite error) */
  K2_EMISUSE = 5    /* NULL or closed handle, bad argument from the caller */
} k2_status;

typedef struct k2_store k2_store;

typedef struct k2_source {
  const char *id, *title, *year, *kind, *ref; /* always set */
  const char *authors, *journal, *note;       /* NULL when absent */
} k2_source;

typedef struct k2_fact {
  const char *id, *topic, *forms, *population, *claim, *evidence; /* always set */
  const char *ages, *sex, *unit, *certainty;      /* NULL when absent */
  const char *also, *seed, *conflict, *note;      /* comma lists / text, NULL when absent */
  double value, low, high;                        /* NaN when absent */
  double age_min, age_max;                        /* years; NaN when open or absent */
  double rank;                                    /* bm25 score for searches (lower is better), else 0 */
  k2_source source;                               /* the fact's source */
} k2_fact;

typedef struct k2_fact_list {
  size_t count;
  k2_fact *items;
} k2_fact_list;

typedef struct k2_source_list {
  size_t count;
  k2_source *items;
} k2_source_list;

typedef struct k2_conflict {
  const char *id, *topic, *summary;
  const char *facts; /* comma list of the ids of the facts on every side */
} k2_conflict;

/* Filters: NULL means "any"; empty text is an input error. Text is the user's own:
** form accepts any alias ("mk7", "menatetrenone"); topic and evidence are
** matched case-insensitively against the vocabulary; population is a
** case-insensitive substring of the fact's population text. A form also
** matches facts about a broader or narrower form (MK-7 matches K2 and
** "vitamin K in general" facts; K2 matches MK-4 and MK-7). */
typedef struct k2_filter {
  const char *form;       size_t form_len;
  const char *topic;      size_t topic_len;
  const char *evidence;   size_t evidence_len;
  const char *population; size_t population_len;
} k2_filter;

typedef struct k2_store_info {
  const char *data_version; /* version the image was built for */
  const char *sqlite_version;
  long facts, sources, conflicts;
} k2_store_info;

/* Opens the embedded store. On failure *out may still hold a store whose
** errmsg explains; always k2_store_close it. */
k2_status k2_store_open(k2_store **out);
void k2_store_close(k2_store *store); /* NULL is a no-op */
const char *k2_store_errmsg(const k2_store *store); /* message of the last failure */
k2_status k2_store_info_get(k2_store *store, k2_store_info *info); /* info valid until close */

/* Full-text search, best first. The text is treated as plain words: quotes,
** operators (AND, OR, NEAR), parentheses, column filters and '*' are never
** FTS syntax. Words of 3+ letters match as prefixes; form names and their
** aliases ("MK7", "menaquinone-7") match every fact about that form. All
** words must match; if none does, any word may. limit 1..K2_SEARCH_MAX_LIMIT. */
k2_status k2_search(k2_store *store, const char *text, size_t len,
                    const k2_filter *filter, int limit, k2_fact_list **out);
k2_status k2_facts(k2_store *store, const k2_filter *filter, k2_fact_list **out);
k2_status k2_fact_get(k2_store *store, const char *id, size_t len, k2_fact_list **out);
void k2_fact_list_free(k2_fact_list *list);

k2_status k2_sources(k2_store *store, k2_source_list **out);
k2_status k2_source_get(k2_store *store, const char *id, size_t len, k2_source_list **out);
void k2_source_list_free(k2_source_list *list);

/* Resolves a user's form name to its canonical spelling (a static string
** owned by the store); unknown names give K2_EINPUT listing known forms. */
k2_status k2_form_resolve(k2_store *store, const char *text, size_t len, const char **canonical);
/* Looks up a conflict; the strings stay valid until the next call on the store. */
k2_status k2_conflict_get(k2_store *store, const char *id, size_t len, k2_conflict *out);

/* Parsers. Doses: "180 µg", "0.18 mg", "180mcg" → micrograms. Durations:
** "3d", "90 min", "1 h 30 min" → hours. msg (capacity msgcap) receives the
** reason on K2_EINPUT. Locale-independent: never strtod. */
k2_status k2_parse_dose(const char *text, size_t len, double *ug, char *msg, size_t msgcap);
k2_status k2_parse_duration(const char *text, size_t len, double *hours, char *msg, size_t msgcap);

/* Formats x with at most `decimals` decimals, no trailing zeros, a leading
** zero and a '.' decimal point whatever the locale. Writes at most cap bytes
** including the NUL; returns the length, or 0 if x is not finite or too large
** (|x| >= 1e15) or cap is too small. */
size_t k2_format_number(double x, int decimals, char *buf, size_t cap);

#endif
