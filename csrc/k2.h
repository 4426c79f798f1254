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

/* The core's limits (technical limits, not health figures), all in one place.
** Every message that states a limit, in C and in Lua, reads it from here:
** k2_limits() lists them by name for the binding (core.limits in Lua). */
#define K2_SEARCH_MAX_BYTES 1000 /* longest search text accepted */
#define K2_SEARCH_MAX_TERMS 32   /* most words one search may use */
#define K2_SEARCH_MAX_LIMIT 1000 /* most results one search returns */
#define K2_PARSE_MAX_BYTES 64    /* longest dose or duration text */
#define K2_DOSE_MAX_UG 1e6       /* doses above 1 g are not accepted */
#define K2_DURATION_MAX_H 87840.0 /* durations above 10 years (3660 d) are not accepted */
#define K2_PK_MAX_POINTS 20000000 /* 160 MB of samples */
#define K2_PK_MAX_DOSES 100000
#define K2_PK_MAX_SUBJECTS 100000
#define K2_PK_MAX_SAMPLES 100000  /* most values one resampling (plot) call returns */
#define K2_PK_MAX_RATE 1000.0     /* largest ka or ke accepted, 1/h */
#define K2_PK_MAX_LAG_H 1000.0    /* longest absorption lag accepted */
#define K2_FORMAT_MAX_DECIMALS 9  /* most decimals k2_format_number writes */
#define K2_FORMAT_MAX_DIGITS 15   /* integer digits k2_format_number writes at most */
#define K2_FORMAT_MAX_ABS 1e15    /* = 10^K2_FORMAT_MAX_DIGITS: k2_format_number refuses |x| at or above this */
#define K2_PK_MIN_VOLUME_L 1e-3   /* smallest volume of distribution accepted (1 mL); 0 = relative */
#define K2_PK_MAX_VOLUME_L 1e6    /* largest volume of distribution accepted */
#define K2_PK_MAX_POPULATION_WORK 2e7 /* (doses + points) × subjects of one population run */
#define K2_PK_MAX_INTERVALS 10000 /* most dosing intervals one curve:intervals() lists */
#define K2_EXPORT_MAX_ROWS 100000 /* most rows one --csv / --json export of a curve writes */
#define K2_PLOT_MIN_COLUMNS 30    /* narrowest text plot */
#define K2_PLOT_MAX_COLUMNS 400   /* widest text plot */
#define K2_PLOT_MAX_ROWS 200      /* tallest text plot */
#define K2_SVG_MAX_PX 8000        /* widest or tallest SVG plot, pixels */
#define K2_TEXT_MAX_BYTES 200     /* longest name (medicine, condition, form, word) matched */
#define K2_LIST_MAX_ITEMS 64      /* most items in one list option (meds, conditions, compare) */
#define K2_OPTION_MAX_BYTES 256   /* longest text of any option */
#define K2_JOURNAL_MAX_ENTRIES 1000000 /* most entries one journal holds */
#define K2_JOURNAL_MAX_BATCH 100000 /* most entries one add (an import) writes */
#define K2_JOURNAL_MAX_AMOUNTS 16 /* most forms one entry holds */
#define K2_JOURNAL_MAX_TEXT 1000  /* longest text, note or food of an entry, bytes */
#define K2_JOURNAL_BUSY_MS 30000  /* longest wait for another writer of the same file */
#define K2_FOOD_MAX_GRAMS 100000 /* heaviest amount of one food an intake reads, g */
#define K2_JOURNAL_MAX_GRAMS K2_FOOD_MAX_GRAMS /* heaviest food entry, g */
#define K2_TIME_MAX_SKEW_S 300    /* an entry may lie this far past "now" (clocks differ) */
#define K2_TIME_MAX_S 253402300799 /* latest time a journal holds: 9999-12-31 23:59:59 UTC */
#define K2_TIME_MAX_OFFSET_S 86400 /* largest local offset from UTC accepted, s */

typedef struct k2_limit {
  const char *name;  /* "dose_max_ug", "duration_max_h", ... */
  double value;
  const char *unit;  /* "ug", "h", "bytes", "count" */
  const char *about; /* what it bounds, for README and messages */
} k2_limit;

/* Every limit of the core, in a static table of *count entries. */
const k2_limit *k2_limits(size_t *count);

typedef enum k2_status {
  K2_OK = 0,
  K2_EINPUT = 1,    /* user text not understood; see the message */
  K2_ENOTFOUND = 2, /* a well-formed id that names nothing */
  K2_ENOMEM = 3,    /* out of memory */
  K2_ESTORE = 4,    /* the embedded store failed (corrupt image, SQLite error) */
  K2_EMISUSE = 5,   /* NULL or closed handle, bad argument from the caller */
  K2_EFILE = 6      /* the journal's file can't be used as asked (not a k2 journal, read-only,
                    ** a directory, disk full, newer schema); the message says which, nothing lost */
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
  const char *via; /* second-hand evidence: the source id of the primary study it relies on; NULL when absent */
  double value, low, high;                        /* NaN when absent */
  double age_min, age_max;                        /* years, max exclusive; NaN when open or absent */
  double rank;                                    /* bm25 score for searches (lower is better), else NaN */
  k2_source source;                               /* the fact's source */
} k2_fact;

typedef struct k2_fact_list {
  size_t count;
  k2_fact *items;
  /* searches only (else NULL): the words of the text, as written, that some
  ** fact matches and those no fact matches, each space-separated ("" if none) */
  const char *matched, *unmatched;
} k2_fact_list;

typedef struct k2_source_list {
  size_t count;
  k2_source *items;
} k2_source_list;

typedef struct k2_conflict {
  const char *id, *topic, *summary;
  const char *facts; /* comma list of the ids of the facts on every side */
} k2_conflict;

/* Walks a comma list of a fact or conflict ("K2, MK-7"): each call sets
** *item and *len to the next item, spaces around it trimmed, empty items
** skipped, and returns 1; at the end it returns 0. *cursor starts at the
** list's text (NUL-terminated; NULL is an empty list) and is advanced. This
** is the core's one splitter; the Lua layer's is args.split_list. */
int k2_list_next(const char **cursor, const char **item, size_t *len);

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
** words must match; if no fact has them all, the forms named must and any
** other word may. limit 1..K2_SEARCH_MAX_LIMIT. */
k2_status k2_search(k2_store *store, const char *text, size_t len,
                    const k2_filter *filter, int limit, k2_fact_list **out);
k2_status k2_facts(k2_store *store, const k2_filter *filter, k2_fact_list **out);
k2_status k2_fact_get(k2_store *store, const char *id, size_t len, k2_fact_list **out);
void k2_fact_list_free(k2_fact_list *list);

k2_status k2_sources(k2_store *store, k2_source_list **out);
k2_status k2_source_get(k2_store *store, const char *id, size_t len, k2_source_list **out);
void k2_source_list_free(k2_source_list *list);

/* The advice rules (data/advice.rec) as (kind, id, field, value) rows in file
** order, each value a string; the Lua layer (lua/k2/advice.lua) reads them.
** Strings live until the store is closed. */
typedef struct k2_rule_row {
  const char *kind, *id, *field, *value;
} k2_rule_row;
k2_status k2_rules(k2_store *store, const k2_rule_row **rows, size_t *count);

/* Resolves a user's form name to its canonical spelling (a static string
** owned by the store); unknown names give K2_EINPUT listing known forms. */
k2_status k2_form_resolve(k2_store *store, const char *text, size_t len, const char **canonical);
/* The same lookup when the caller only wants to know: K2_ENOTFOUND for an
** unknown name (or text too long to be one), with no message formatted —
** for readers that try every run of words ("vitamin k 2") as a form. */
k2_status k2_form_find(k2_store *store, const char *text, size_t len, const char **canonical);
/* The i-th name the form resolver knows, in its key spelling (lower case, no
** spaces or hyphens: "mk7", "phylloquinone"), with its canonical form, in
** sorted order; K2_ENOTFOUND past the last. Strings live until close. */
k2_status k2_form_alias_at(k2_store *store, size_t i, const char **alias, const char **canonical);
/* Looks up a conflict; the strings stay valid until the next call on the store. */
k2_status k2_conflict_get(k2_store *store, const char *id, size_t len, k2_conflict *out);

/* Parsers. Doses: "180 µg", "0.18 mg", "180mcg" → micrograms. Durations:
** "3d", "90 min", "1 h 30 min" → hours. msg (capacity msgcap) receives the
** reason on K2_EINPUT. Locale-independent: never strtod. */
k2_status k2_parse_dose(const char *text, size_t len, double *ug, char *msg, size_t msgcap);
k2_status k2_parse_duration(const char *text, size_t len, double *hours, char *msg, size_t msgcap);

/* Formats x with at most `decimals` decimals (0..K2_FORMAT_MAX_DECIMALS), no
** trailing zeros, a leading zero and a '.' decimal point whatever the locale.
** Writes at most cap bytes including the NUL; returns the length, or 0 if x
** is not finite or too large (|x| >= K2_FORMAT_MAX_ABS) or cap is too small. */
size_t k2_format_number(double x, int decimals, char *buf, size_t cap);

/* ------------------------------------------------------------------------
** Pharmacokinetics (k2_pk.c; resampling for display in k2_sample.c): one compartment, first-order absorption and
** elimination, solved exactly between doses. Doses in µg, times in h, rates
** in 1/h, V in L. Concentrations are ng/mL when V > 0; with V == 0 they are
** relative: 1 is the peak of a single dose of the same size taken with
** bioavailability F_ref (the reference way: with a fat-containing meal).
*/
#include <stdint.h>


typedef struct k2_pk_model {
  double ka, ke; /* absorption and elimination rate constants, 1/h */
  double F;      /* bioavailability of these doses (relative to F_ref = 1 unless known) */
  double F_ref;  /* bioavailability the relative unit refers to */
  double V;      /* apparent volume of distribution, L; 0 = relative units */
  double lag;    /* absorption lag time, h */
} k2_pk_model;

typedef struct k2_pk_dose {
  double t;  /* h from the start of the run */
  double ug; /* amount, µg */
} k2_pk_dose;

typedef struct k2_curve k2_curve;

typedef struct k2_pk_steady {
  double peak, trough, tmax_h; /* concentration units; tmax after the dose */
  double auc_tau, average;     /* over one interval at steady state */
  double accumulation;         /* 1 / (1 − e^(−k τ)), k = min(ka, ke): the terminal rate */
  double peak_ratio, auc_ratio; /* steady state ÷ first interval of one dose */
  double t50_h, t90_h;          /* time to 50 % / 90 % of the steady-state average */
} k2_pk_steady;

typedef struct k2_pk_variability {
  double cv_ka, cv_ke, cv_V; /* coefficients of variation, 0.3 = 30 % (log-normal) */
} k2_pk_variability;

typedef struct k2_population {
  size_t subjects, count;
  double step;
  int relative;
  double *p5, *p50, *p95;     /* percentiles (nearest rank) at t = i × step; NULL without bands */
  double mean_cmax, mean_auc; /* over subjects, read off the grid (max sample; trapezoid AUC) */
} k2_population;

/* A named parameter set from data/pk.rec, with its derivation. */
typedef struct k2_pk_params {
  const char *form, *set, *about; /* "MK-7", "default", what it represents */
  const char *facts;              /* comma list of the fact ids its numbers come from */
  k2_pk_model model;              /* F = F_ref = 1: a dose taken the reference way (with fat) */
  double tmax_h, half_life_h;     /* of the model, lag included in tmax */
  double fat;                     /* bioavailability with a fat-containing meal ÷ without; NaN if unknown */
  double mol_weight;              /* g/mol, for nmol/L = ng/mL × 1000 / mol_weight; NaN if not given */
  double ref_ug;                  /* relative unit: 1 = peak of one dose of ref_ug µg with fat; NaN if none */
  const char *matrix;             /* what the set models (supplement, vegetable, food); NULL if not said */
  const char *fat_matrix;         /* what the fat factor was measured on; NULL without one */
  const char *blq_fact;           /* fact whose High is a dose after which no study measured the form; or NULL */
  const char *baseline_fact;      /* fact whose Value is the measured endogenous level (the set's unit); or NULL */
} k2_pk_params;

/* The parameter set `set` (NULL or empty: "default") of a form named as the
** user writes it. Unknown forms or sets, and sets no study supports, give
** K2_EINPUT saying why and what is known. The result lives until close. */
k2_status k2_pk_params_get(k2_store *store, const char *form, size_t form_len, const char *set, size_t set_len,
                           const k2_pk_params **out);

/* Checks a model's parameters; K2_EINPUT says which is out of range. */
k2_status k2_pk_check(const k2_pk_model *m, char *msg, size_t msgcap);
/* Peak time of one dose: ln(ka/ke)/(ka − ke) (2/(ka+ke) when equal). */
double k2_pk_tmax(double ka, double ke);
/* The absorption rate that gives peak time tmax with elimination rate ke. */
k2_status k2_pk_ka_from_tmax(double tmax_h, double ke, double *ka, char *msg, size_t msgcap);

/* Samples the run [0, t_end] every `step` hours (the grid is capped at
** K2_PK_MAX_POINTS; the message says so). The curve keeps the model and the
** doses, so the queries below are exact, not read off the grid. */
k2_status k2_curve_new(const k2_pk_model *m, const k2_pk_dose *doses, size_t n_doses, double t_end,
                       double step, k2_curve **out, char *msg, size_t msgcap);
void k2_curve_free(k2_curve *c); /* NULL is a no-op */
size_t k2_curve_count(const k2_curve *c);
double k2_curve_step(const k2_curve *c);
double k2_curve_end(const k2_curve *c);
const double *k2_curve_values(const k2_curve *c); /* count samples, t = i × step */
int k2_curve_relative(const k2_curve *c);
double k2_curve_at(const k2_curve *c, double t_h);
double k2_curve_auc(const k2_curve *c, double from_h, double to_h); /* exact integral */
void k2_curve_peak(const k2_curve *c, double from_h, double to_h, double *cmax, double *tmax_h);
double k2_curve_time_above(const k2_curve *c, double level); /* hours, exact */
/* Per dosing interval [start, start + every) of the run: peak, its time,
** exact AUC and the level at the interval's end. At most
** K2_PK_MAX_INTERVALS (and cap) intervals, else K2_EINPUT naming the limit;
** *n gets how many were written. Linear in doses + intervals. */
typedef struct k2_pk_interval {
  double start, cmax, tmax, trough, auc;
} k2_pk_interval;
k2_status k2_curve_intervals(const k2_curve *c, double every, k2_pk_interval *out, size_t cap, size_t *n,
                             char *msg, size_t msgcap);
/* The level just before the last dose (one dose: the level at the end). */
double k2_curve_trough(const k2_curve *c);

/* Steady state of `ug` every `tau_h` hours, analytically. */
k2_status k2_pk_steady_state(const k2_pk_model *m, double ug, double tau_h, k2_pk_steady *out, char *msg,
                             size_t msgcap);

/* The work budget of a run, before any work: n_doses ≤ K2_PK_MAX_DOSES,
** points ≤ K2_PK_MAX_POINTS and, for a population (subjects > 1),
** (n_doses + points) × subjects ≤ K2_PK_MAX_POPULATION_WORK. K2_EINPUT names
** the limit and how to get under it. */
k2_status k2_pk_budget_check(size_t n_doses, size_t subjects, size_t points, char *msg, size_t msgcap);

/* `subjects` virtual subjects with log-normal variability, drawn from `seed`
** (same seed, same answer): mean peak and AUC, and with `bands` the 5th,
** 50th and 95th percentiles at every grid time. */
k2_status k2_pk_population(const k2_pk_model *m, const k2_pk_variability *iiv, size_t subjects, uint64_t seed,
                           const k2_pk_dose *doses, size_t n_doses, double t_end, double step, int bands,
                           k2_population **out, char *msg, size_t msgcap);
void k2_population_free(k2_population *pop);

/* Reading grids for display (k2_sample.c). n is 2..K2_PK_MAX_SAMPLES and the
** caller's arrays hold n values; a bad n or window gives K2_EMISUSE and the
** message says what is accepted. Values are in the curve's unit.
**
** k2_curve_sample: out[i] is the grid linearly interpolated at
** t = from + (to − from)·i/(n − 1) h, i = 0..n−1; 0 <= from < to <= the run's
** end (a relative 1e-12 past it is accepted). Past the last sample, the last.
** k2_curve_envelope: the grid cut into n buckets of equal length (bucket b
** holds samples floor(b·count/n) to floor((b+1)·count/n) − 1, at least one);
** lo[b] and hi[b] are the lowest and highest sample in it.
** k2_population_sample: the three bands read like k2_curve_sample over the
** whole run [0, (count − 1)·step]; a population run without bands gives
** K2_EMISUSE. */
k2_status k2_curve_sample(const k2_curve *c, size_t n, double from_h, double to_h, double *out, char *msg,
                          size_t msgcap);
k2_status k2_curve_envelope(const k2_curve *c, size_t n, double *lo, double *hi, char *msg, size_t msgcap);
k2_status k2_population_sample(const k2_population *p, size_t n, double *p5, double *p50, double *p95, char *msg,
                               size_t msgcap);

/* ------------------------------------------------------------------------
** Foods (k2_food.c; issue 14): the USDA SR24 table (data/food/usda-sr24.tsv) and the
** literature facts linked to its foods (data/facts/food.rec), in a second embedded image
** that only k2_food_open deserializes, so opening the fact store never pays for it.
** Vitamin K in µg per 100 g of food (NaN = not measured), measures in grams.
** Results are handed to a callback, one food at a time; the strings they point to live
** only during the callback.
*/
typedef struct k2_food k2_food;

typedef struct k2_food_measure {
  double amount, grams; /* `amount` of the measure weighs `grams` (0.75 cup = 30 g) */
  const char *name;     /* "cup", "slice", "leaf", "package (10 oz)" */
} k2_food_measure;

typedef struct k2_food_link {
  const char *fact; /* id of the fact in the store (k2_fact_get) */
  const char *form; /* its form as written in the fact: "MK-7", "K1", "K" (a total) */
  double value;     /* µg/100 g, NaN when the fact has none */
} k2_food_link;

typedef struct k2_food_item {
  const char *id, *name;  /* NDB number as text ("11457"), USDA's description */
  double k1;              /* µg phylloquinone per 100 g; NaN = not measured */
  int deprecated;         /* 1 if the package lists the food as deprecated */
  double rank;            /* place in a search's ranking (1 = best), else NaN */
  int partial;            /* 1: a search result whose name holds only some of the words */
  int linked;             /* 1: a search result the literature gives figures for (k2_food_get has them) */
  size_t measure_count, link_count; /* 0 for search results */
  const k2_food_measure *measures;
  const k2_food_link *links;
} k2_food_item;

typedef int (*k2_food_each)(void *ud, const k2_food_item *food); /* nonzero stops */

k2_status k2_food_open(k2_food **out); /* on failure *out may hold an errmsg; close it */
void k2_food_close(k2_food *f);       /* NULL is a no-op */
const char *k2_food_errmsg(const k2_food *f);
/* Foods whose names hold every word of text (whole words, else prefixes; stems), best first:
** names starting with the first or last word, then measured K1, then shorter names; if none
** holds them all, those holding any, marked partial. Empty text or no words: K2_EINPUT. limit 1..K2_SEARCH_MAX_LIMIT. */
k2_status k2_food_search(k2_food *f, const char *text, size_t len, int limit, k2_food_each each, void *ud);
/* One food by NDB id, with its measures and linked facts; K2_ENOTFOUND if none. */
k2_status k2_food_get(k2_food *f, const char *id, size_t len, k2_food_each each, void *ud);
/* The i-th mass unit ("g", "oz", "lb", ...) and its grams; K2_ENOTFOUND past the last. */
k2_status k2_food_weight_at(k2_food *f, size_t i, const char **name, double *grams);
/* The i-th volume unit ("ml", "l", "cup", "tbsp", ...), its mL and its kind: "amount" (a unit
** an amount may use) or "measure" (a USDA household measure by volume); K2_ENOTFOUND past the last. */
k2_status k2_food_volume_at(k2_food *f, size_t i, const char **name, double *ml, const char **kind);
/* The table's source (header lines of the TSV) and counts. */
k2_status k2_food_info(k2_food *f, const char **source, long *foods, long *measures);

/* ------------------------------------------------------------------------
** The journal (k2_journal.c; issue 15): a person's own intake in an SQLite file they own.
** WAL, synchronous=FULL, a busy timeout and retries inside: a returned id is on disk, and
** ordinary contention with another writer never reaches the caller. A file that is not a k2
** journal (header, application_id, size, quick_check) is refused with K2_EFILE before
** anything writes to it, and left byte-for-byte as it was. Times are UTC seconds since
** 1970 with the local offset (seconds east of UTC) they were written in.
*/
typedef struct k2_journal k2_journal;

typedef struct k2_amount {
  const char *form; /* canonical form: "MK-7", "K1", ... */
  double ug;        /* micrograms */
} k2_amount;

typedef struct k2_entry {
  int64_t id;          /* set by the journal; ignored by add */
  int64_t at;          /* UTC seconds since 1970 */
  int32_t offset;      /* the writer's local offset at that time, seconds east of UTC */
  const char *kind;    /* "dose" (a supplement) or "food" */
  const char *text;    /* as the person wrote it: "MK-7 180 ug", "1 cup raw spinach" */
  const char *food;    /* NDB id of a food entry; NULL for doses */
  double grams;        /* of a food entry; NaN for doses */
  const char *note;    /* NULL when none */
  size_t amount_count; /* 0..K2_JOURNAL_MAX_AMOUNTS */
  const k2_amount *amounts; /* vitamin K by form (a food may hold several) */
} k2_entry;

/* Entries handed to a callback in time order (ties by id); strings live during the call. */
typedef int (*k2_entry_each)(void *ud, const k2_entry *e); /* nonzero stops */

/* Opens the journal at path (UTF-8 file name, no NUL; ":memory:" is a journal in memory that
** lives as long as the handle, for scripts and tests). A missing file is fine: the first
** add creates it (mode 0600, missing folders 0700). An existing file is checked read-only
** first; one that is not a k2 journal, or of a newer schema, gives K2_EFILE. An older
** schema is migrated in one transaction on the first write. On failure *out may hold an
** errmsg; always k2_journal_close it. */
k2_status k2_journal_open(const char *path, size_t len, k2_journal **out);
void k2_journal_close(k2_journal *j); /* NULL is a no-op */
const char *k2_journal_errmsg(const k2_journal *j);
const char *k2_journal_path(const k2_journal *j);
/* Adds n entries (1..K2_JOURNAL_MAX_BATCH) in one transaction: all or none. ids (may be
** NULL) receives their ids. Every entry is checked before anything is written. */
k2_status k2_journal_add(k2_journal *j, const k2_entry *e, size_t n, int64_t *ids);
/* Live entries with from <= at < to, in time order. */
k2_status k2_journal_entries(k2_journal *j, int64_t from, int64_t to, k2_entry_each each, void *ud);
/* The supplement doses alone (kind "dose") with from <= at < to, of one form (NULL: every form),
** in time order: what the level needs, without building whole entries. */
typedef int (*k2_dose_each)(void *ud, int64_t at, int32_t offset, const char *form, double ug); /* nonzero stops */
k2_status k2_journal_doses(k2_journal *j, const char *form, int64_t from, int64_t to, k2_dose_each each, void *ud);
/* Removes a live entry (kept in the file, marked removed, so undo can bring it back). */
k2_status k2_journal_remove(k2_journal *j, int64_t id);
/* Undoes the last change not undone yet: an add (the entry is removed again) or a remove
** (it is back). *id names the entry; *added is 1 when an add was undone. K2_ENOTFOUND: nothing
** left to undo. */
k2_status k2_journal_undo(k2_journal *j, int64_t *id, int *added);
/* A setting ("meds"): *value is NULL when unset and lives until the next call on j. */
k2_status k2_journal_setting(k2_journal *j, const char *key, const char **value);
k2_status k2_journal_set(k2_journal *j, const char *key, const char *value); /* NULL unsets */
/* The file's schema version (0: not created yet) and its live entry count. */
k2_status k2_journal_stat(k2_journal *j, int *version, long *entries);

/* Times as people write them, relative to now (UTC s): "now", "08:00", "8:30pm", "today 7am",
** "yesterday 21:30", "3h ago", "2 days ago", "2026-11-30" (00:00 local), "2026-11-30 08:00",
** ISO 8601 ("2026-11-30T08:00:00Z", "…+01:00"). A clock time alone is the latest such time
** not after now. Local times follow the process's TZ. Sets *utc and the *offset that
** applied; a time more than K2_TIME_MAX_SKEW_S after now is refused. */
k2_status k2_parse_time(const char *text, size_t len, int64_t now, int64_t *utc, int32_t *offset, char *msg,
                        size_t msgcap);

#endif
