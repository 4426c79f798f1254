/*
** test_core.c — tests of the C core (k2.h) without Lua: the dose and
** duration parsers against exact expected values, number formatting, and
** the embedded fact store (search, synonyms, syntax neutrality, filters,
** lookups, bad input). Built and run under AddressSanitizer and UBSan by
** `make test`. Exact comparisons are intended: the parsers promise one
** correctly rounded division, so 0.1 mg must be exactly 100 µg.
*/
#include "check.h"
#include "k2.h"

#include <locale.h>
#include <stdlib.h>

#define LEN(s) (sizeof(s) - 1)

/* ------------------------------------------------------------ doses */

typedef struct { const char *text; size_t len; double ug; } good_case;
typedef struct { const char *text; size_t len; const char *msg_part; } bad_case;
#define G(s, v) {s, LEN(s), v}
#define B(s, m) {s, LEN(s), m}

static const good_case good_doses[] = {
  G("180 \xC2\xB5g", 180), G("180\xC2\xB5g", 180), G("180 \xCE\xBCg", 180), G("180ug", 180),
  G("180 mcg", 180), G("180 MCG", 180), G("0.18 mg", 180), G("0.1 mg", 100), G("1 milligram", 1000),
  G("2 micrograms", 2), G("1 microgram", 1), G("45 mg", 45000), G("0.5\xC2\xA0mg", 500),
  G("0.5\xE2\x80\xAFmg", 500), G(" 45 mg ", 45000), G("1000 mg", 1e6), G(".5 mg", 500),
  G("7.5 Mg", 7500), G("100 milligrams", 100000), G("0.001 mg", 1), G("12.345 ug", 12.345),
};

static const bad_case bad_doses[] = {
  B("", "empty"), B("   ", "empty"), B("-5 mg", "negative"), B("\xE2\x88\x92" "5 mg", "negative"),
  B("0 mg", "greater than zero"), B("0.0 ug", "greater than zero"), B("nan mg", "finite"),
  B("inf", "finite"), B("0x10 mg", "hexadecimal"), B("1e3 ug", "exponents"),
  B("0,1 mg", "0.1"), B("1,000 ug", "decimal point"), B("5 kg", "unknown unit 'kg'"),
  B("5 kg", "mcg"), B("5", "unit is missing"), B("5 mg x", "after the unit"),
  B("5 mg 3 mg", "after the unit"), B("5 mg\0", "NUL"), B("\xff mg", "UTF-8"),
  B("1.2.3 mg", "one decimal point"), B("+5 mg", "without a sign"), B("1000.001 mg", "1 g"),
  B("mg", "start with a number"), B("1234567890123456 ug", "digits"),
  B("1111111111111111111111111111111111111111111111111111111111111111111 mg", "too long"),
  B("5 g", "unknown unit 'g'"), B("5 ml", "accepted"),
};

static void test_doses(void) {
  char msg[256];
  for (size_t i = 0; i < sizeof good_doses / sizeof good_doses[0]; i++) {
    double ug = -1;
    CASE(good_doses[i].text);
    CHECK(k2_parse_dose(good_doses[i].text, good_doses[i].len, &ug, msg, sizeof msg) == K2_OK);
    CHECK(ug == good_doses[i].ug);
  }
  for (size_t i = 0; i < sizeof bad_doses / sizeof bad_doses[0]; i++) {
    double ug = -1;
    CASE(bad_doses[i].text);
    CHECK(k2_parse_dose(bad_doses[i].text, bad_doses[i].len, &ug, msg, sizeof msg) == K2_EINPUT);
    CHECK_CONTAINS(msg, bad_doses[i].msg_part);
    CHECK(ug == -1);
  }
  CASE("dose: NULL text is misuse, tiny message buffer is safe");
  CHECK(k2_parse_dose(NULL, 0, NULL, msg, sizeof msg) == K2_EMISUSE);
  {
    double ug = -1;
    CHECK(k2_parse_dose("x", 1, &ug, msg, 1) == K2_EINPUT && msg[0] == '\0');
  }
  CHECK(k2_parse_dose("5 mg", 4, NULL, NULL, 0) == K2_EMISUSE);
}

/* ------------------------------------------------------------ durations */

static const good_case good_durations[] = {
  G("3d", 72), G("3 d", 72), G("90 min", 1.5), G("1 h 30 min", 1.5), G("1h30min", 1.5),
  G("2 weeks", 336), G("12h", 12), G("1.5 hours", 1.5), G("1w 1d", 192), G("24 HOURS", 24),
  G("1 day", 24), G("30 days", 720), G("45 mins", 0.75), G("2 wk", 336), G("3660 d", 87840),
  G("2 years", 17532), G("6 months", 4383), G("1 y 6 mo", 13149),
};

static const bad_case bad_durations[] = {
  B("3 d 2 d", "twice"), B("1 h 2 hours", "twice"), B("0h", "greater than zero"), B("3 x", "unknown unit"),
  B("3", "unit is missing"), B("-1 h", "negative"), B("3661 d", "10 years"), B("", "empty"),
  B("1,5 h", "decimal point"), B("3 d\0", "NUL"), B("d", "start with a number"), B("1e2 h", "exponents"),
  B("3 fortnights", "unknown unit 'fortnights'"), B("11 years", "10 years"),
};

static void test_durations(void) {
  char msg[256];
  for (size_t i = 0; i < sizeof good_durations / sizeof good_durations[0]; i++) {
    double h = -1;
    CASE(good_durations[i].text);
    CHECK(k2_parse_duration(good_durations[i].text, good_durations[i].len, &h, msg, sizeof msg) == K2_OK);
    CHECK_NEAR(h, good_durations[i].ug, 1e-15);
  }
  for (size_t i = 0; i < sizeof bad_durations / sizeof bad_durations[0]; i++) {
    double h = -1;
    CASE(bad_durations[i].text);
    CHECK(k2_parse_duration(bad_durations[i].text, bad_durations[i].len, &h, msg, sizeof msg) == K2_EINPUT);
    CHECK_CONTAINS(msg, bad_durations[i].msg_part);
  }
}

/* ------------------------------------------------------------ formatting and locale */

static void test_format(void) {
  static const struct { double x; int decimals; const char *want; } cases[] = {
    {0.1, 3, "0.1"}, {1463, 2, "1463"}, {0.01019, 5, "0.01019"}, {4.605, 2, "4.61"},
    {-2.5, 1, "-2.5"}, {-0.0001, 2, "0"}, {0, 3, "0"}, {180, 0, "180"}, {99.995, 2, "100"},
    {123456789012.5, 1, "123456789012.5"}, {1e-9, 9, "0.000000001"},
  };
  char buf[48];
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    CASE(cases[i].want);
    CHECK(k2_format_number(cases[i].x, cases[i].decimals, buf, sizeof buf) > 0);
    CHECK(strcmp(buf, cases[i].want) == 0);
  }
  CASE("format: refuses what it cannot show");
  CHECK(k2_format_number(NAN, 2, buf, sizeof buf) == 0);
  CHECK(k2_format_number(INFINITY, 2, buf, sizeof buf) == 0);
  CHECK(k2_format_number(1e15, 2, buf, sizeof buf) == 0);
  CHECK(k2_format_number(12345, 0, buf, 3) == 0);
}

/* Under a locale with a decimal comma, nothing changes (skipped, and said
** so, when no such locale is installed). */
static void test_locale(void) {
  double ug = 0;
  char buf[48];
  const char *loc = setlocale(LC_ALL, "de_DE.UTF-8");
  if (!loc) { printf("note: de_DE.UTF-8 not installed; locale case not run\n"); return; }
  CASE("parsers and formatter ignore a decimal-comma locale");
  CHECK(k2_parse_dose("0.1 mg", 6, &ug, NULL, 0) == K2_OK && ug == 100);
  CHECK(k2_parse_dose("0,1 mg", 6, &ug, NULL, 0) == K2_EINPUT);
  CHECK(k2_format_number(0.25, 2, buf, sizeof buf) && strcmp(buf, "0.25") == 0);
  setlocale(LC_ALL, "C");
}

/* ------------------------------------------------------------ store */

static int has_form(const k2_fact *f, const char *form) {
  const char *p = f->forms;
  size_t n = strlen(form);
  while ((p = strstr(p, form)) != NULL) {
    if ((p == f->forms || p[-1] == ' ') && (p[n] == '\0' || p[n] == ',')) return 1;
    p += n;
  }
  return 0;
}

static k2_fact_list *search(k2_store *st, const char *text, int limit) {
  k2_fact_list *list = NULL;
  k2_status rc = k2_search(st, text, strlen(text), NULL, limit, &list);
  CHECK(rc == K2_OK);
  if (rc != K2_OK) fprintf(stderr, "  search '%s': %s\n", text, k2_store_errmsg(st));
  return list;
}

/* 1 if both searches return the same ids in the same order. */
static int same_results(k2_store *st, const char *a, const char *b) {
  k2_fact_list *x = search(st, a, 1000), *y = search(st, b, 1000);
  int same = x && y && x->count == y->count && x->count > 0;
  for (size_t i = 0; same && i < x->count; i++) same = strcmp(x->items[i].id, y->items[i].id) == 0;
  k2_fact_list_free(x);
  k2_fact_list_free(y);
  return same;
}

static void test_store_basics(k2_store *st) {
  k2_store_info info;
  k2_fact_list *all = NULL;
  CASE("store: info counts match the data");
  CHECK(k2_store_info_get(st, &info) == K2_OK);
  CHECK(info.facts >= 300 && info.sources >= 80 && info.conflicts >= 10);
  CHECK(strcmp(info.data_version, K2_VERSION) == 0);
  CASE("store: every fact has a claim, an evidence type and a titled source");
  CHECK(k2_facts(st, NULL, &all) == K2_OK && all && (long)all->count == info.facts);
  for (size_t i = 0; all && i < all->count; i++) {
    const k2_fact *f = &all->items[i];
    CHECK(f->claim[0] && f->evidence[0] && f->source.id[0] && f->source.title[0] && f->source.year[0]);
    CHECK(!(isnan(f->value) && isnan(f->low) && isnan(f->high)) == (f->unit != NULL));
  }
  k2_fact_list_free(all);
}

static void test_search(k2_store *st) {
  k2_fact_list *list;
  CASE("search: 'calcification' finds calcification facts, ranked");
  list = search(st, "calcification", 20);
  CHECK(list && list->count >= 5);
  for (size_t i = 0; list && i < list->count; i++) {
    CHECK(i == 0 || list->items[i - 1].rank <= list->items[i].rank);
  }
  k2_fact_list_free(list);

  CASE("search: form synonyms find MK-7 facts only");
  CHECK(same_results(st, "MK-7", "MK7"));
  CHECK(same_results(st, "MK-7", "menaquinone-7"));
  CHECK(same_results(st, "MK-7", "mk-7"));
  CHECK(same_results(st, "MK-7", "Menaquinone 7"));
  CHECK(same_results(st, "MK-7", "mk\xE2\x80\x91" "7") || same_results(st, "MK-7", "mk\xE2\x80\x90" "7"));
  list = search(st, "mk7", 1000);
  for (size_t i = 0; list && i < list->count; i++) CHECK(has_form(&list->items[i], "MK-7"));
  k2_fact_list_free(list);

  CASE("search: case- and accent-insensitive");
  CHECK(same_results(st, "calcification", "CALCIFICATION"));
  CHECK(same_results(st, "calcification", "calcificati\xC3\xB3n"));
  CHECK(same_results(st, "menadione", "M\xC3\xA9nadione"));

  CASE("search: prefix matching");
  CHECK(same_results(st, "warfarin", "warfar"));
  list = search(st, "cholestyr", 10);
  CHECK(list && list->count >= 1);
  for (size_t i = 0; list && i < list->count; i++) CHECK(strstr(list->items[i].claim, "holestyramine"));
  k2_fact_list_free(list);

  CASE("search: when no fact has every word, the forms named still must match");
  list = search(st, "MK-7 peak zzzqqq", 50);
  CHECK(list && list->count >= 1);
  for (size_t i = 0; list && i < list->count; i++) CHECK(has_form(&list->items[i], "MK-7"));
  k2_fact_list_free(list);

  CASE("search: all words must match when some fact has them all");
  list = search(st, "warfarin menatetrenone", 50);
  CHECK(list && list->count >= 1);
  for (size_t i = 0; list && i < list->count; i++) CHECK(has_form(&list->items[i], "MK-4"));
  k2_fact_list_free(list);
}

static void test_search_syntax(k2_store *st) {
  static const char *hostile[] = {
    "\"", "'", "AND", "OR", "NOT", "NEAR(warfarin dose)", "claim:warfarin", "*", "-", "(", ")",
    "warfarin AND", "\"unterminated", "^warfarin", "warfarin -", "{claim topic}: x", "+",
    "NOT warfarin", "x OR OR y", "warfarin*", "a\"b", "'; DROP TABLE fact; --", "rank:1",
    "fact_fts:x", "\xF0\x9F\x98\x80", "\xE2\x80\x94", "- - -", "MATCH", "bm25(fact_fts)",
  };
  CASE("search: user text never reaches FTS5 as syntax");
  for (size_t i = 0; i < sizeof hostile / sizeof hostile[0]; i++) {
    k2_fact_list *list = NULL;
    k2_status rc = k2_search(st, hostile[i], strlen(hostile[i]), NULL, 10, &list);
    CHECK(rc == K2_OK || rc == K2_EINPUT);
    if (rc != K2_OK && rc != K2_EINPUT) fprintf(stderr, "  '%s': %s\n", hostile[i], k2_store_errmsg(st));
    k2_fact_list_free(list);
  }
  CHECK(same_results(st, "claim:warfarin", "claim warfarin"));
  CHECK(same_results(st, "NEAR(warfarin dose)", "near warfarin dose"));
}

static void test_filters(k2_store *st) {
  k2_fact_list *list = NULL;
  k2_filter f;
  memset(&f, 0, sizeof f);
  CASE("facts: form and topic filters");
  f.form = "mk7"; f.form_len = 3;
  f.topic = "Pharmacokinetics"; f.topic_len = strlen(f.topic);
  CHECK(k2_facts(st, &f, &list) == K2_OK && list && list->count >= 10);
  for (size_t i = 0; list && i < list->count; i++) {
    const k2_fact *x = &list->items[i];
    CHECK(strcmp(x->topic, "pharmacokinetics") == 0);
    CHECK(has_form(x, "MK-7") || has_form(x, "K2") || has_form(x, "K"));
    CHECK(!has_form(x, "MK-4") || has_form(x, "MK-7"));
  }
  k2_fact_list_free(list);

  CASE("facts: evidence and population filters");
  memset(&f, 0, sizeof f);
  f.evidence = "AGENCY REFERENCE"; f.evidence_len = strlen(f.evidence);
  f.population = "women"; f.population_len = 5;
  CHECK(k2_facts(st, &f, &list) == K2_OK && list && list->count >= 1);
  for (size_t i = 0; list && i < list->count; i++) {
    CHECK(strcmp(list->items[i].evidence, "agency reference") == 0);
    CHECK(strstr(list->items[i].population, "women") || strstr(list->items[i].population, "Women"));
  }
  k2_fact_list_free(list);

  CASE("facts: unknown form, topic and evidence say what is known");
  memset(&f, 0, sizeof f);
  f.form = "MK-9"; f.form_len = 4;
  CHECK(k2_facts(st, &f, &list) == K2_EINPUT && list == NULL);
  CHECK_CONTAINS(k2_store_errmsg(st), "unknown form 'MK-9'; known: K, K1, K2, K3, MK-4, MK-7");
  memset(&f, 0, sizeof f);
  f.topic = "dosage"; f.topic_len = 6;
  CHECK(k2_facts(st, &f, &list) == K2_EINPUT);
  CHECK_CONTAINS(k2_store_errmsg(st), "dosing");
  memset(&f, 0, sizeof f);
  f.evidence = "anecdote"; f.evidence_len = 8;
  CHECK(k2_search(st, "warfarin", 8, &f, 10, &list) == K2_EINPUT);
  CHECK_CONTAINS(k2_store_errmsg(st), "human RCT");

  CASE("search with a form filter keeps to that form");
  memset(&f, 0, sizeof f);
  f.form = "menatetrenone"; f.form_len = strlen(f.form);
  CHECK(k2_search(st, "dose", 4, &f, 100, &list) == K2_OK && list && list->count >= 1);
  for (size_t i = 0; list && i < list->count; i++)
    CHECK(has_form(&list->items[i], "MK-4") || has_form(&list->items[i], "K2") || has_form(&list->items[i], "K"));
  k2_fact_list_free(list);
}

static void test_lookups(k2_store *st) {
  k2_fact_list *list = NULL;
  k2_source_list *sources = NULL;
  k2_conflict c;
  const char *form = NULL;
  CASE("fact by id; unknown id is not found");
  CHECK(k2_fact_get(st, "seed.mk7.tmax", 13, &list) == K2_OK && list && list->count == 1);
  CHECK(list && strcmp(list->items[0].id, "seed.mk7.tmax") == 0 && list->items[0].value == 4);
  CHECK(list && strcmp(list->items[0].unit, "h") == 0);
  k2_fact_list_free(list);
  CHECK(k2_fact_get(st, "no.such.fact", 12, &list) == K2_ENOTFOUND && list == NULL);
  CHECK_CONTAINS(k2_store_errmsg(st), "no fact with id 'no.such.fact'");

  CASE("sources: all of them, and one by id");
  CHECK(k2_sources(st, &sources) == K2_OK && sources && sources->count >= 80);
  for (size_t i = 0; sources && i < sources->count; i++)
    CHECK(sources->items[i].kind[0] && sources->items[i].ref[0]);
  k2_source_list_free(sources);
  CHECK(k2_source_get(st, "GE04", 4, &sources) == K2_OK && sources && sources->count == 1);
  CHECK(sources && strcmp(sources->items[0].year, "2004") == 0);
  k2_source_list_free(sources);

  CASE("info strings outlive later lookups (they have their own storage)");
  {
    k2_store_info info;
    CHECK(k2_store_info_get(st, &info) == K2_OK);
    CHECK(k2_conflict_get(st, "mk7-tmax", 8, &c) == K2_OK);
    CHECK(strcmp(info.data_version, K2_VERSION) == 0);
  }
  CASE("conflicts name both sides");
  CHECK(k2_conflict_get(st, "mk7-tmax", 8, &c) == K2_OK);
  CHECK_CONTAINS(c.facts, "pk.mk7.tmax.sa12");
  CHECK_CONTAINS(c.facts, "seed.mk7.tmax");
  CHECK(k2_conflict_get(st, "nope", 4, &c) == K2_ENOTFOUND);

  CASE("form aliases resolve to canonical names");
  CHECK(k2_form_resolve(st, "Phytonadione", 12, &form) == K2_OK && strcmp(form, "K1") == 0);
  CHECK(k2_form_resolve(st, "MK 4", 4, &form) == K2_OK && strcmp(form, "MK-4") == 0);
  CHECK(k2_form_resolve(st, "menadione", 9, &form) == K2_OK && strcmp(form, "K3") == 0);
  CHECK(k2_form_resolve(st, "K9", 2, &form) == K2_EINPUT);
}

static void test_bad_input(k2_store *st) {
  k2_fact_list *list = NULL;
  size_t big = 1 << 20;
  char *huge = malloc(big);
  CASE("search: bad text is an input error, never a crash");
  CHECK(k2_search(st, "", 0, NULL, 10, &list) == K2_EINPUT);
  CHECK(k2_search(st, "  !!! ", 6, NULL, 10, &list) == K2_EINPUT);
  CHECK_CONTAINS(k2_store_errmsg(st), "no words");
  CHECK(k2_search(st, "war\0farin", 9, NULL, 10, &list) == K2_EINPUT);
  CHECK_CONTAINS(k2_store_errmsg(st), "NUL");
  CHECK(k2_search(st, "\xC3\x28", 2, NULL, 10, &list) == K2_EINPUT);
  CHECK_CONTAINS(k2_store_errmsg(st), "UTF-8");
  CHECK(k2_search(st, "a b c d e f g h i j k l m n o p q r s t u v w x y z aa bb cc dd ee ff gg", 71, NULL, 10, &list) == K2_EINPUT);
  CHECK_CONTAINS(k2_store_errmsg(st), "too many words");
  if (huge) {
    memset(huge, 'a', big);
    CHECK(k2_search(st, huge, big, NULL, 10, &list) == K2_EINPUT);
    CHECK_CONTAINS(k2_store_errmsg(st), "too long");
    CHECK(k2_fact_get(st, huge, big, &list) == K2_EINPUT);
  }
  free(huge);
  CHECK(list == NULL);
  CASE("search: misuse is reported, not crashed on");
  CHECK(k2_search(st, "x", 1, NULL, 0, &list) == K2_EMISUSE);
  CHECK(k2_search(NULL, "x", 1, NULL, 10, &list) == K2_EMISUSE);
  CHECK(k2_search(st, NULL, 0, NULL, 10, &list) == K2_EMISUSE);
  CHECK(k2_facts(st, NULL, NULL) == K2_EMISUSE);
  k2_store_close(NULL);
  k2_fact_list_free(NULL);
  k2_source_list_free(NULL);
  CASE("search: only stop words still searches them");
  CHECK(k2_search(st, "how much", 8, NULL, 10, &list) == K2_OK);
  k2_fact_list_free(list);
}

int main(void) {
  k2_store *st = NULL;
  test_doses();
  test_durations();
  test_format();
  test_locale();
  CASE("store opens");
  CHECK(k2_store_open(&st) == K2_OK);
  if (st && k2_store_errmsg(st)) {
    test_store_basics(st);
    test_search(st);
    test_search_syntax(st);
    test_filters(st);
    test_lookups(st);
    test_bad_input(st);
  }
  k2_store_close(st);
  return check_summary("c");
}
