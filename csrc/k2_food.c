/*
** k2_food.c — the food table (issue 14): USDA SR24 foods, their household measures and the
** literature facts linked to them, from a second SQLite image embedded beside the fact store
** (built by tools/food.lua from data/food/usda-sr24.tsv and data/facts/food*.rec).
**
** Nothing here runs until k2_food_open: the fact store never touches this image, so
** `require "k2"` costs the same with or without it. The image is deserialized read-only and
** read in place (mmap_size), hardened like the store (defensive, no extensions, triggers or
** views), and kept in one read transaction for the handle's life.
**
** Units: vitamin K in µg per 100 g of food (NaN when USDA did not measure it), measures in
** grams. A food's row number is its NDB number.
**
** Search: FTS5 finds the foods: the user's words, quoted (never FTS syntax), all of them as
** whole words (porter stems: "slices" finds "sliced"), else all as prefixes, else any of them
** as prefixes. The ranking is by the name: deprecated foods last; names that start with the
** food asked for first: the name's first part ("Broccoli" of "Broccoli, cooked, boiled") is
** one of the user's words or all of them, plurals aside ("tomato": "Tomatoes, ..." before
** "Tomato powder", "broccoli": before "Broccoli raab"), or else its second part ("almonds":
** "Nuts, almonds" before "Nuts, almond butter"), both parts first ("broccoli cooked":
** "Broccoli, cooked, boiled" before "Broccoli, chinese, cooked"); then names whose first word is
** one of the words ("Egg, ..." before "Bread, egg"); then the build-time rank (tools/food.lua):
** the plainer food (data/food/ranking.tsv: "Milk, whole" before "Milk, low sodium"), a measured
** K1, the shorter name (the fewer other words, the closer the match). A name without a second
** part matches no second part.
**
** Speed: FTS5 gives only the matching rowids. The order is computed here, from each food's keys
** (64-bit FNV-1a hashes of its first part, second part and first word) and rank, read once at
** open into an array sorted by NDB number (about 300 kB), and only the best `limit` rows are
** read back from the table. Reading the keys of every match from the table and sorting them in
** SQL cost 2-4 times as much ("butter", 110 matches: 158 µs against 14 µs for the rowids alone,
** measured with the same prepared statements). Two different keys hashing alike (odds near
** 1e-15 for this table) would only misplace a food in the order. bm25 ranked nearly the same
** way on names this short and cost more than half the search, so it is not used.
*/
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sqlite3.h>

#include "k2.h"
#include "k2_int.h"

/* A food as a search ranks and lists it, from the search_order blob (tools/food.lua) */
typedef struct food_key {
  sqlite3_uint64 head, head2, first; /* hashes of the name's keys; 0 = none */
  int n, rank;                       /* NDB number; build-time rank, 0..FOOD_RANK_MAX */
  int deprecated, linked;
  double k1;        /* NaN = not measured */
  const char *name; /* in k2_food.names */
} food_key;

#define FOOD_RANK_MAX 0xFFFFFF /* the rank's bits in a sort key (tools/food.lua's ranks are 6 digits) */
#define FOOD_N_MAX 99999       /* the NDB number's: five digits */
#define ORDER_HEAD 16          /* "k2fo", version, count, names' bytes */
#define ORDER_RECORD 52        /* n, rank, flags, K1, three keys, name offset and length */
#define SYNONYMS_MAX 256       /* rows of the synonym table read (data/food/synonyms.tsv) */

/* data/food/synonyms.tsv: a phrase (name key form) searched as other words, or that, as the
** whole text, lists a food first */
typedef struct food_synonym {
  char *phrase, *means; /* one allocation: phrase, NUL, means, NUL */
  size_t phrase_len, words;
  int prefer; /* -1: a word synonym; else the index in k2_food.keys of the food listed first */
} food_synonym;

struct k2_food {
  sqlite3 *db;
  sqlite3_stmt *search, *measures, *links, *weight, *volume;
  food_key *keys; /* sorted by n */
  size_t key_count;
  char *names; /* the foods' names, each ended by NUL */
  food_synonym *synonyms;
  size_t synonym_count;
  char errmsg[256];
  char source[1024]; /* k2_food_info's text, valid until close */
};

static k2_status fail(k2_food *f, k2_status status, const char *what) {
  k2__msg(f->errmsg, sizeof f->errmsg, "%s%s%s", what, f->db ? ": " : "", f->db ? sqlite3_errmsg(f->db) : "");
  return status;
}

static int harden(sqlite3 *db) {
  int rc = sqlite3_db_config(db, SQLITE_DBCONFIG_DEFENSIVE, 1, (int *)0);
  if (rc == SQLITE_OK) rc = sqlite3_db_config(db, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, (int *)0);
  if (rc == SQLITE_OK) rc = sqlite3_db_config(db, SQLITE_DBCONFIG_ENABLE_LOAD_EXTENSION, 0, (int *)0);
  if (rc == SQLITE_OK) rc = sqlite3_db_config(db, SQLITE_DBCONFIG_ENABLE_TRIGGER, 0, (int *)0);
  if (rc == SQLITE_OK) rc = sqlite3_db_config(db, SQLITE_DBCONFIG_ENABLE_VIEW, 0, (int *)0);
  sqlite3_limit(db, SQLITE_LIMIT_ATTACHED, 0);
  sqlite3_limit(db, SQLITE_LIMIT_VARIABLE_NUMBER, 20);
  return rc;
}

static const char SQL_SEARCH[] = "SELECT rowid FROM food_fts WHERE food_fts MATCH ?1";
static const char SQL_MEASURES[] = "SELECT amount, grams, name FROM measure WHERE food = ?1 ORDER BY seq";
static const char SQL_LINKS[] = "SELECT fact, form, value FROM link WHERE food = ?1 ORDER BY seq";
static const char SQL_WEIGHT[] = "SELECT name, grams, '' FROM weight ORDER BY name LIMIT 1 OFFSET ?1";
static const char SQL_VOLUME[] = "SELECT name, ml, kind FROM volume ORDER BY name LIMIT 1 OFFSET ?1";

/* FNV-1a, 64 bits, of a key; 0 is kept for "no key" (tools/food.lua's key_hash) */
static sqlite3_uint64 key_hash(const char *s, size_t n) {
  sqlite3_uint64 h = 14695981039346656037ULL;
  for (size_t i = 0; i < n; i++) h = (h ^ (unsigned char)s[i]) * 1099511628211ULL;
  return n == 0 ? 0 : h ? h : 1;
}

/* Little-endian fields of the blob, whatever the host's order */
static sqlite3_uint64 le(const unsigned char *p, int bytes) {
  sqlite3_uint64 v = 0;
  for (int i = bytes - 1; i >= 0; i--) v = v << 8 | p[i];
  return v;
}

static int decode_key(food_key *k, const unsigned char *p, const char *names, size_t names_len) {
  sqlite3_uint64 bits = le(p + 12, 8), offset = le(p + 44, 4), length = le(p + 48, 4);
  unsigned flags = (unsigned)le(p + 8, 4);
  k->n = (int)le(p, 4);
  k->rank = (int)le(p + 4, 4);
  k->deprecated = (flags & 1) != 0;
  k->linked = (flags & 2) != 0;
  memcpy(&k->k1, &bits, sizeof k->k1);
  if (!(flags & 4)) k->k1 = NAN;
  k->head = le(p + 20, 8);
  k->head2 = le(p + 28, 8);
  k->first = le(p + 36, 8);
  k->name = names + offset;
  return le(p, 4) <= FOOD_N_MAX && le(p + 4, 4) <= FOOD_RANK_MAX && offset < names_len &&
         length < names_len - offset && names[offset + length] == 0 && length == strlen(k->name);
}

/* Reads the search_order blob into f->keys and f->names: SQLITE_CORRUPT if it is damaged */
static int load_keys(k2_food *f) {
  sqlite3_stmt *st = NULL;
  const unsigned char *b;
  size_t len, count, names_len;
  int rc = sqlite3_prepare_v2(f->db, "SELECT v FROM search_order", -1, &st, NULL);
  if (rc == SQLITE_OK && (rc = sqlite3_step(st)) != SQLITE_ROW) rc = rc == SQLITE_DONE ? SQLITE_CORRUPT : rc;
  else if (rc == SQLITE_ROW) rc = SQLITE_OK;
  b = rc == SQLITE_OK ? sqlite3_column_blob(st, 0) : NULL;
  len = rc == SQLITE_OK ? (size_t)sqlite3_column_bytes(st, 0) : 0;
  if (rc == SQLITE_OK && !b) rc = sqlite3_errcode(f->db) == SQLITE_NOMEM ? SQLITE_NOMEM : SQLITE_CORRUPT;
  if (rc == SQLITE_OK && (len < ORDER_HEAD || memcmp(b, "k2fo", 4) != 0 || le(b + 4, 4) != 1)) rc = SQLITE_CORRUPT;
  count = rc == SQLITE_OK ? (size_t)le(b + 8, 4) : 0;
  names_len = rc == SQLITE_OK ? (size_t)le(b + 12, 4) : 0;
  if (rc == SQLITE_OK && (count == 0 || count > FOOD_N_MAX || len != ORDER_HEAD + count * ORDER_RECORD + names_len))
    rc = SQLITE_CORRUPT;
  if (rc == SQLITE_OK && (!(f->keys = sqlite3_malloc64(count * sizeof *f->keys)) ||
                          !(f->names = sqlite3_malloc64(names_len))))
    rc = SQLITE_NOMEM;
  if (rc == SQLITE_OK) memcpy(f->names, b + ORDER_HEAD + count * ORDER_RECORD, names_len);
  for (size_t i = 0; rc == SQLITE_OK && i < count; i++) {
    food_key *k = &f->keys[i];
    if (!decode_key(k, b + ORDER_HEAD + i * ORDER_RECORD, f->names, names_len) || (i > 0 && k->n <= k[-1].n))
      rc = SQLITE_CORRUPT;
    else f->key_count++;
  }
  sqlite3_finalize(st);
  return rc;
}

static const food_key *key_of(const k2_food *f, sqlite3_int64 n);

/* Reads the synonym table (after the keys: a preference names a food by its place in them) */
static int load_synonyms(k2_food *f) {
  sqlite3_stmt *st = NULL;
  int rc = sqlite3_prepare_v2(f->db, "SELECT kind, phrase, means FROM synonym ORDER BY kind, phrase", -1, &st, NULL);
  if (rc == SQLITE_OK && !(f->synonyms = sqlite3_malloc64(SYNONYMS_MAX * sizeof *f->synonyms))) rc = SQLITE_NOMEM;
  while (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
    const char *kind = (const char *)sqlite3_column_text(st, 0), *phrase = (const char *)sqlite3_column_text(st, 1),
               *means = (const char *)sqlite3_column_text(st, 2);
    food_synonym *y = &f->synonyms[f->synonym_count];
    const food_key *k = NULL;
    if (!kind || !phrase || !means) { rc = SQLITE_NOMEM; break; }
    if (f->synonym_count == SYNONYMS_MAX || !*phrase || (strcmp(kind, "word") && strcmp(kind, "prefer")) ||
        (!strcmp(kind, "prefer") && (strlen(means) != 5 || !(k = key_of(f, atol(means)))))) {
      rc = SQLITE_CORRUPT;
      break;
    }
    if (!(y->phrase = sqlite3_mprintf("%s%c%s", phrase, 0, means))) { rc = SQLITE_NOMEM; break; }
    y->phrase_len = strlen(phrase);
    y->means = y->phrase + y->phrase_len + 1;
    y->words = 1;
    for (const char *c = phrase; *c; c++) y->words += *c == ' ';
    y->prefer = k ? (int)(k - f->keys) : -1;
    f->synonym_count++;
    rc = SQLITE_OK;
  }
  if (rc == SQLITE_DONE) rc = SQLITE_OK;
  sqlite3_finalize(st);
  return rc;
}

k2_status k2_food_open(k2_food **out) {
  k2_food *f;
  int rc;
  if (!out) return K2_EMISUSE;
  *out = f = sqlite3_malloc64(sizeof *f);
  if (!f) return K2_ENOMEM;
  memset(f, 0, sizeof *f);
  if (k2__food_image_size == 0) {
    k2__msg(f->errmsg, sizeof f->errmsg, "this build of k2 has no food table (make builds it from data/food)");
    return K2_ESTORE;
  }
  rc = sqlite3_open_v2(":memory:", &f->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
  if (rc == SQLITE_OK) rc = harden(f->db);
  if (rc == SQLITE_OK)
    rc = sqlite3_deserialize(f->db, "main", (unsigned char *)k2__food_image, (sqlite3_int64)k2__food_image_size,
                             (sqlite3_int64)k2__food_image_size, SQLITE_DESERIALIZE_READONLY);
  if (rc == SQLITE_OK) rc = sqlite3_exec(f->db, "PRAGMA mmap_size = 268435456", NULL, NULL, NULL);
  if (rc == SQLITE_OK) rc = sqlite3_exec(f->db, "BEGIN; SELECT 1 FROM meta LIMIT 1", NULL, NULL, NULL);
  if (rc == SQLITE_OK) rc = load_keys(f);
  if (rc == SQLITE_OK) rc = load_synonyms(f);
  if (rc == SQLITE_OK) rc = sqlite3_prepare_v3(f->db, SQL_SEARCH, -1, SQLITE_PREPARE_PERSISTENT, &f->search, NULL);
  if (rc == SQLITE_OK) rc = sqlite3_prepare_v3(f->db, SQL_MEASURES, -1, SQLITE_PREPARE_PERSISTENT, &f->measures, NULL);
  if (rc == SQLITE_OK) rc = sqlite3_prepare_v3(f->db, SQL_LINKS, -1, SQLITE_PREPARE_PERSISTENT, &f->links, NULL);
  if (rc == SQLITE_OK) rc = sqlite3_prepare_v3(f->db, SQL_WEIGHT, -1, SQLITE_PREPARE_PERSISTENT, &f->weight, NULL);
  if (rc == SQLITE_OK) rc = sqlite3_prepare_v3(f->db, SQL_VOLUME, -1, SQLITE_PREPARE_PERSISTENT, &f->volume, NULL);
  if (rc == SQLITE_CORRUPT) {
    k2__msg(f->errmsg, sizeof f->errmsg, "cannot open the food table: its keys, ranks or synonyms are damaged");
    return K2_ESTORE;
  }
  if (rc != SQLITE_OK) return fail(f, rc == SQLITE_NOMEM ? K2_ENOMEM : K2_ESTORE, "cannot open the food table");
  return K2_OK;
}

void k2_food_close(k2_food *f) {
  if (!f) return;
  sqlite3_finalize(f->search);
  sqlite3_finalize(f->measures);
  sqlite3_finalize(f->links);
  sqlite3_finalize(f->weight);
  sqlite3_finalize(f->volume);
  if (f->db) sqlite3_close_v2(f->db);
  sqlite3_free(f->keys);
  sqlite3_free(f->names);
  for (size_t i = 0; f->synonyms && i < f->synonym_count; i++) sqlite3_free(f->synonyms[i].phrase);
  sqlite3_free(f->synonyms);
  sqlite3_free(f);
}

const char *k2_food_errmsg(const k2_food *f) { return f ? f->errmsg : "no food table"; }

static double column_number(sqlite3_stmt *st, int i) {
  return sqlite3_column_type(st, i) == SQLITE_NULL ? NAN : sqlite3_column_double(st, i);
}

/* A word byte: ASCII letter or digit, or any byte of a multi-byte UTF-8 character. */
static int word_byte(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c >= 0x80;
}

/* The FTS5 query for text: each word as "w" (whole word, after porter stemming: "slices"
** finds "sliced") or, with prefix, "w"* ("chedd" finds "cheddar"), joined by AND or OR. Words
** are letters and digits only, so no quote or operator can reach FTS5. Sets *words. */
static char *build_query(const char *text, size_t len, const char *join, int prefix, int *words) {
  sqlite3_str *q = sqlite3_str_new(NULL);
  size_t i = 0;
  *words = 0;
  while (i < len) {
    size_t start;
    while (i < len && !word_byte((unsigned char)text[i])) i++;
    start = i;
    while (i < len && word_byte((unsigned char)text[i])) i++;
    if (i == start) break;
    if ((*words)++) sqlite3_str_appendall(q, join);
    sqlite3_str_appendall(q, "\"");
    for (size_t k = start; k < i; k++) {
      char c = text[k];
      sqlite3_str_appendchar(q, 1, (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c);
    }
    sqlite3_str_appendall(q, prefix ? "\"*" : "\"");
  }
  return sqlite3_str_finish(q);
}

/* Writes word w (n bytes) to out as a name key: ASCII lowercased, without a plural ending, as
** tools/food.lua's name_key does for the names' parts ("tomatoes" → "tomato", "berries" →
** "berry", "nuts" → "nut", "grass" stays). The key is never longer than the word; its length is
** returned. */
static size_t key_word(const char *w, size_t n, char *out) {
  const char *tail = "";
  if (n > 3 && memcmp(w + n - 3, "oes", 3) == 0) n -= 2;
  else if (n > 3 && memcmp(w + n - 3, "ies", 3) == 0) { n -= 3; tail = "y"; }
  else if (n > 3 && w[n - 1] == 's' && w[n - 2] != 's') n -= 1;
  for (size_t k = 0; k < n; k++) out[k] = (w[k] >= 'A' && w[k] <= 'Z') ? (char)(w[k] - 'A' + 'a') : w[k];
  memcpy(out + n, tail, strlen(tail));
  return n + strlen(tail);
}

/* The words of a text, and their keys (key_word) joined by one space */
typedef struct text_words {
  size_t count; /* at most K2_SEARCH_MAX_TERMS + 1 are kept: a search refuses more */
  size_t start[K2_SEARCH_MAX_TERMS + 1], len[K2_SEARCH_MAX_TERMS + 1];       /* in the text */
  size_t key_at[K2_SEARCH_MAX_TERMS + 1], key_len[K2_SEARCH_MAX_TERMS + 1]; /* in keys */
  char keys[K2_SEARCH_MAX_BYTES + 1]; /* never longer than the text */
  size_t keys_len;
} text_words;

/* len <= K2_SEARCH_MAX_BYTES */
static void split_words(const char *text, size_t len, text_words *w) {
  size_t i = 0;
  w->count = w->keys_len = 0;
  while (i < len && w->count < K2_SEARCH_MAX_TERMS + 1) {
    size_t start, n = w->count;
    while (i < len && !word_byte((unsigned char)text[i])) i++;
    start = i;
    while (i < len && word_byte((unsigned char)text[i])) i++;
    if (i == start) break;
    if (w->keys_len > 0) w->keys[w->keys_len++] = ' ';
    w->start[n] = start;
    w->len[n] = i - start;
    w->key_at[n] = w->keys_len;
    w->key_len[n] = key_word(text + start, i - start, w->keys + w->keys_len);
    w->keys_len += w->key_len[n];
    w->count++;
  }
}

/* The keys a food's parts may equal to be the food asked for: each word (up to max - 1 of
** them) and the whole text, as hashes; returns the count. */
static int user_keys(const text_words *w, sqlite3_uint64 *keys, int max) {
  int count = 0;
  for (size_t i = 0; i < w->count && count < max - 1; i++) keys[count++] = key_hash(w->keys + w->key_at[i], w->key_len[i]);
  if (w->keys_len > 0) keys[count++] = key_hash(w->keys, w->keys_len);
  return count;
}

/* Words i.. of w whose keys are the phrase (y->words of them) */
static int phrase_at(const text_words *w, size_t i, const food_synonym *y) {
  size_t last = i + y->words - 1, at, end;
  if (last >= w->count) return 0;
  at = w->key_at[i];
  end = w->key_at[last] + w->key_len[last];
  return end - at == y->phrase_len && memcmp(w->keys + at, y->phrase, y->phrase_len) == 0;
}

/* The word synonym whose phrase starts at word i, or NULL */
static const food_synonym *word_synonym_at(const k2_food *f, const text_words *w, size_t i) {
  for (size_t k = 0; k < f->synonym_count; k++)
    if (f->synonyms[k].prefer < 0 && phrase_at(w, i, &f->synonyms[k])) return &f->synonyms[k];
  return NULL;
}

/* The food the whole text prefers (data/food/synonyms.tsv), or -1 */
static int preferred_food(const k2_food *f, const text_words *w) {
  for (size_t k = 0; k < f->synonym_count; k++) {
    const food_synonym *y = &f->synonyms[k];
    if (y->prefer >= 0 && y->phrase_len == w->keys_len && memcmp(y->phrase, w->keys, w->keys_len) == 0) return y->prefer;
  }
  return -1;
}

/* *rewritten: text with every word phrase of data/food/synonyms.tsv replaced, left to right, or
** NULL when none is in it (the common case: nothing is allocated). K2_ENOMEM or K2_OK. */
static k2_status apply_synonyms(const k2_food *f, const char *text, const text_words *w, char **rewritten) {
  sqlite3_str *out;
  size_t i = 0;
  *rewritten = NULL;
  while (i < w->count && !word_synonym_at(f, w, i)) i++;
  if (i == w->count) return K2_OK;
  out = sqlite3_str_new(NULL);
  for (i = 0; i < w->count;) {
    const food_synonym *hit = word_synonym_at(f, w, i);
    if (i > 0) sqlite3_str_appendchar(out, 1, ' ');
    if (hit) sqlite3_str_appendall(out, hit->means);
    else sqlite3_str_append(out, text + w->start[i], (int)w->len[i]);
    i += hit ? hit->words : 1;
  }
  *rewritten = sqlite3_str_finish(out);
  return *rewritten ? K2_OK : K2_ENOMEM;
}

static int has_key(const sqlite3_uint64 *keys, int count, sqlite3_uint64 key) {
  for (int i = 0; key != 0 && i < count; i++)
    if (keys[i] == key) return 1;
  return 0;
}

/* A food's place in the order, smaller first: deprecated last; then the name's parts (first
** and second both the food asked for, or the first with no second part: 0; the first: 1; the
** second: 2; neither: 3); then a first word that is one of the words; then the build-time rank;
** then the NDB number (the food's place in f->keys, which is in NDB order), which also makes every
** key unique and is read back from it. A food the whole text prefers (synonyms.tsv) has its
** place alone as its key, before every other. */
static sqlite3_uint64 sort_key(const k2_food *f, const food_key *k, const sqlite3_uint64 *keys, int count) {
  int head = has_key(keys, count, k->head), second = has_key(keys, count, k->head2);
  sqlite3_uint64 parts = head ? (second || k->head2 == 0 ? 0 : 1) : (second ? 2 : 3);
  return (sqlite3_uint64)k->deprecated << 63 | parts << 61 | (sqlite3_uint64)!has_key(keys, count, k->first) << 60 |
         (sqlite3_uint64)(k->rank + 1) << 17 | (sqlite3_uint64)(k - f->keys);
}

static const food_key *key_of(const k2_food *f, sqlite3_int64 n) {
  size_t lo = 0, hi = f->key_count;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (f->keys[mid].n < n) lo = mid + 1;
    else hi = mid;
  }
  return lo < f->key_count && f->keys[lo].n == n ? &f->keys[lo] : NULL;
}

/* Keeps the `limit` smallest keys in top[0..count), sorted; returns the new count */
static size_t keep_best(sqlite3_uint64 *top, size_t count, size_t limit, sqlite3_uint64 key) {
  size_t lo = 0, hi = count;
  if (count == limit && key >= top[count - 1]) return count;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (top[mid] < key) lo = mid + 1;
    else hi = mid;
  }
  if (count == limit) count--;
  memmove(top + lo + 1, top + lo, (count - lo) * sizeof *top);
  top[lo] = key;
  return count + 1;
}

/* Lists the best foods, best first, to the callback */
static void emit_rows(const k2_food *f, const sqlite3_uint64 *top, size_t count, int partial, k2_food_each each,
                      void *ud) {
  for (size_t i = 0; i < count; i++) {
    const food_key *k = &f->keys[top[i] & 0x1FFFF];
    char id[8];
    k2_food_item it;
    memset(&it, 0, sizeof it);
    k2__msg(id, sizeof id, "%05d", k->n);
    it.id = id;
    it.name = k->name;
    it.k1 = k->k1;
    it.deprecated = k->deprecated;
    it.linked = k->linked;
    it.rank = (double)(i + 1); /* the place in the ranking */
    it.partial = partial;
    if (each(ud, &it)) break;
  }
}

static k2_status run_search(k2_food *f, const char *query, const sqlite3_uint64 *keys, int key_count, int limit,
                            int partial, int preferred, k2_food_each each, void *ud, int *found) {
  sqlite3_uint64 top[K2_SEARCH_MAX_LIMIT];
  size_t count = 0;
  int rc;
  *found = 0;
  sqlite3_reset(f->search);
  if (sqlite3_bind_text(f->search, 1, query, -1, SQLITE_STATIC) != SQLITE_OK) return fail(f, K2_ESTORE, "food search");
  while ((rc = sqlite3_step(f->search)) == SQLITE_ROW) {
    const food_key *k = key_of(f, sqlite3_column_int64(f->search, 0));
    if (!k) { rc = SQLITE_CORRUPT; break; }
    if (k - f->keys != preferred) count = keep_best(top, count, (size_t)limit, sort_key(f, k, keys, key_count));
  }
  if (preferred >= 0) count = keep_best(top, count, (size_t)limit, (sqlite3_uint64)preferred);
  sqlite3_reset(f->search);
  sqlite3_clear_bindings(f->search);
  if (rc != SQLITE_DONE) return fail(f, rc == SQLITE_NOMEM ? K2_ENOMEM : K2_ESTORE, "food search");
  *found = (int)count;
  emit_rows(f, top, count, partial, each, ud);
  return K2_OK;
}

/* Whole words first (cheap: no prefix merge), then prefixes, then any word. A prefix of a
** common word ("cook"*) merges many doclists, so it runs only when words found nothing. */
static k2_status search_passes(k2_food *f, const char *text, size_t len, const text_words *w, int limit, int preferred,
                               k2_food_each each, void *ud) {
  sqlite3_uint64 keys[K2_SEARCH_MAX_TERMS + 1];
  int words, found = 0, key_count = user_keys(w, keys, K2_SEARCH_MAX_TERMS + 1);
  k2_status status = K2_OK;
  for (int pass = 0; pass < 3; pass++) {
    char *query = build_query(text, len, pass == 2 ? " OR " : " AND ", pass > 0, &words);
    if (!query && words > 0) return fail(f, K2_ENOMEM, "food search");
    if (words == 0 || words > K2_SEARCH_MAX_TERMS) { /* sqlite3_str_finish gives NULL for "" */
      sqlite3_free(query);
      if (words == 0) k2__msg(f->errmsg, sizeof f->errmsg, "no words to search for; give a food name, e.g. 'spinach'");
      else k2__msg(f->errmsg, sizeof f->errmsg, "a food search uses at most %d words", K2_SEARCH_MAX_TERMS);
      return K2_EINPUT;
    }
    status = run_search(f, query, keys, key_count, limit, pass == 2 && words > 1, pass == 0 ? preferred : -1, each,
                        ud, &found);
    sqlite3_free(query);
    if (status != K2_OK || found > 0 || (pass == 1 && words == 1)) break;
  }
  return status;
}

k2_status k2_food_search(k2_food *f, const char *text, size_t len, int limit, k2_food_each each, void *ud) {
  text_words w;
  char *rewritten;
  int preferred;
  k2_status status;
  if (!f || !f->db || !each || (!text && len)) return K2_EMISUSE;
  if (limit < 1 || limit > K2_SEARCH_MAX_LIMIT) {
    k2__msg(f->errmsg, sizeof f->errmsg, "limit must be 1 to %d", K2_SEARCH_MAX_LIMIT);
    return K2_EINPUT;
  }
  if (len > K2_SEARCH_MAX_BYTES) {
    k2__msg(f->errmsg, sizeof f->errmsg, "food search text is longer than %d bytes", K2_SEARCH_MAX_BYTES);
    return K2_EINPUT;
  }
  if (memchr(text, 0, len) || !k2__utf8_valid(text, len)) {
    k2__msg(f->errmsg, sizeof f->errmsg, "food search text must be UTF-8 without NUL bytes");
    return K2_EINPUT;
  }
  split_words(text, len, &w);
  preferred = preferred_food(f, &w);
  if (apply_synonyms(f, text, &w, &rewritten) != K2_OK) return fail(f, K2_ENOMEM, "food search");
  /* a rewrite longer than a search may be is left unused (the words as written are searched) */
  if (rewritten && strlen(rewritten) <= K2_SEARCH_MAX_BYTES) {
    split_words(rewritten, strlen(rewritten), &w);
    status = search_passes(f, rewritten, strlen(rewritten), &w, limit, preferred, each, ud);
  } else {
    status = search_passes(f, text, len, &w, limit, preferred, each, ud);
  }
  sqlite3_free(rewritten);
  return status;
}

/* Measures and links are copied (a food has at most a few dozen) so that three statements
** can be read together; the copies are freed once the callback returns. */
k2_status k2_food_get(k2_food *f, const char *id, size_t len, k2_food_each each, void *ud) {
  k2_food_measure ms[64];
  k2_food_link ls[32];
  char *strings[96];
  size_t nm = 0, nl = 0, ns = 0;
  k2_food_item it;
  const food_key *k;
  char idz[8];
  sqlite3_int64 n;
  int rc;
  k2_status status = K2_OK;
  if (!f || !f->db || !each || (!id && len)) return K2_EMISUSE;
  /* an id is the five digits of an NDB number ("01001"); anything else names no food */
  n = -1;
  if (len == 5) {
    n = 0;
    for (size_t i = 0; i < 5 && n >= 0; i++)
      n = (id[i] >= '0' && id[i] <= '9') ? n * 10 + (id[i] - '0') : -1;
  }
  if (!(k = key_of(f, n))) {
    k2__msg(f->errmsg, sizeof f->errmsg, "no food with id '%.*s' (ids are USDA NDB numbers, e.g. 11457)",
            len > 20 ? 20 : (int)len, id ? id : "");
    return K2_ENOTFOUND;
  }
  memset(&it, 0, sizeof it);
  memcpy(idz, id, 5);
  idz[5] = 0;
  it.id = idz;
  it.name = k->name;
  it.k1 = k->k1;
  it.deprecated = k->deprecated;
  it.rank = NAN;
  sqlite3_reset(f->measures);
  sqlite3_bind_int64(f->measures, 1, n);
  while (status == K2_OK && (rc = sqlite3_step(f->measures)) == SQLITE_ROW && nm < 64) {
    char *s = sqlite3_mprintf("%s", (const char *)sqlite3_column_text(f->measures, 2));
    if (!s) { status = K2_ENOMEM; break; }
    strings[ns++] = s;
    ms[nm].amount = sqlite3_column_double(f->measures, 0);
    ms[nm].grams = sqlite3_column_double(f->measures, 1);
    ms[nm++].name = s;
  }
  sqlite3_reset(f->measures);
  sqlite3_reset(f->links);
  sqlite3_bind_int64(f->links, 1, n);
  while (status == K2_OK && (rc = sqlite3_step(f->links)) == SQLITE_ROW && nl < 16) {
    char *a = sqlite3_mprintf("%s", (const char *)sqlite3_column_text(f->links, 0));
    char *b = sqlite3_mprintf("%s", (const char *)sqlite3_column_text(f->links, 1));
    if (a) strings[ns++] = a;
    if (b) strings[ns++] = b;
    if (!a || !b) { status = K2_ENOMEM; break; }
    ls[nl].fact = a;
    ls[nl].form = b;
    ls[nl++].value = column_number(f->links, 2);
  }
  sqlite3_reset(f->links);
  if (status == K2_OK) {
    it.measures = ms;
    it.measure_count = nm;
    it.links = ls;
    it.link_count = nl;
    each(ud, &it);
  } else {
    fail(f, status, "food lookup");
  }
  for (size_t i = 0; i < ns; i++) sqlite3_free(strings[i]);
  return status;
}

/* Row i of a unit table (weight or volume): name, amount and kind. */
static k2_status unit_at(k2_food *f, sqlite3_stmt *st, size_t i, const char **name, double *amount, const char **kind,
                         const char *what) {
  int rc;
  sqlite3_reset(st);
  sqlite3_bind_int64(st, 1, (sqlite3_int64)i);
  rc = sqlite3_step(st);
  if (rc == SQLITE_DONE) return K2_ENOTFOUND;
  if (rc != SQLITE_ROW) return fail(f, K2_ESTORE, what);
  *name = (const char *)sqlite3_column_text(st, 0);
  *amount = sqlite3_column_double(st, 1);
  *kind = (const char *)sqlite3_column_text(st, 2);
  return *name && *kind ? K2_OK : K2_ENOMEM;
}

k2_status k2_food_weight_at(k2_food *f, size_t i, const char **name, double *grams) {
  const char *kind;
  if (!f || !f->db || !name || !grams) return K2_EMISUSE;
  return unit_at(f, f->weight, i, name, grams, &kind, "food weights");
}

k2_status k2_food_volume_at(k2_food *f, size_t i, const char **name, double *ml, const char **kind) {
  if (!f || !f->db || !name || !ml || !kind) return K2_EMISUSE;
  return unit_at(f, f->volume, i, name, ml, kind, "food volumes");
}

k2_status k2_food_info(k2_food *f, const char **source, long *foods, long *measures) {
  sqlite3_stmt *st = NULL;
  char *src = f->source;
  if (!f || !f->db || !source || !foods || !measures) return K2_EMISUSE;
  *foods = *measures = 0;
  if (sqlite3_prepare_v2(f->db, "SELECT key, value FROM meta", -1, &st, NULL) != SQLITE_OK)
    return fail(f, K2_ESTORE, "food info");
  src[0] = 0;
  while (sqlite3_step(st) == SQLITE_ROW) {
    const char *k = (const char *)sqlite3_column_text(st, 0), *v = (const char *)sqlite3_column_text(st, 1);
    if (!k || !v) continue;
    if (!strcmp(k, "source")) k2__msg(src, sizeof f->source, "%s", v);
    else if (!strcmp(k, "foods")) *foods = atol(v);
    else if (!strcmp(k, "measures")) *measures = atol(v);
  }
  sqlite3_finalize(st);
  *source = src;
  return K2_OK;
}
