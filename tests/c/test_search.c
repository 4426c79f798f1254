/*
** test_search.c — k2_search.c: search text to FTS5 queries. Form synonyms,
** case and accents, prefixes, the all-words rule and its fallback, hostile
** text that must never reach FTS5 as syntax, the search filters, and bad
** input (empty, NUL, invalid UTF-8, too many words, too long, misuse).
** Built and run under AddressSanitizer and UBSan.
*/
#include "check.h"
#include "k2.h"

#include <stdlib.h>

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

static void test_search(k2_store *st) {
  k2_fact_list *list;
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

static void test_search_filters(k2_store *st) {
  k2_fact_list *list = NULL;
  k2_filter f;
  CASE("search with a form filter keeps to that form");
  memset(&f, 0, sizeof f);
  f.form = "menatetrenone"; f.form_len = strlen(f.form);
  CHECK(k2_search(st, "dose", 4, &f, 100, &list) == K2_OK && list && list->count >= 1);
  for (size_t i = 0; list && i < list->count; i++)
    CHECK(has_form(&list->items[i], "MK-4") || has_form(&list->items[i], "K2") || has_form(&list->items[i], "K"));
  k2_fact_list_free(list);
  CASE("search: an unknown evidence filter says what is known");
  memset(&f, 0, sizeof f);
  f.evidence = "anecdote"; f.evidence_len = 8;
  CHECK(k2_search(st, "warfarin", 8, &f, 10, &list) == K2_EINPUT);
  CHECK_CONTAINS(k2_store_errmsg(st), "human RCT");
  CASE("search: the limit is checked; the message states K2_SEARCH_MAX_LIMIT");
  CHECK(k2_search(st, "x", 1, NULL, K2_SEARCH_MAX_LIMIT + 1, &list) == K2_EMISUSE);
  CHECK_CONTAINS(k2_store_errmsg(st), "1 to 1000");
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
  }
  free(huge);
  CHECK(list == NULL);
  CASE("search: misuse is reported, not crashed on");
  CHECK(k2_search(st, "x", 1, NULL, 0, &list) == K2_EMISUSE);
  CHECK(k2_search(NULL, "x", 1, NULL, 10, &list) == K2_EMISUSE);
  CHECK(k2_search(st, NULL, 0, NULL, 10, &list) == K2_EMISUSE);
  CASE("search: only stop words still searches them");
  CHECK(k2_search(st, "how much", 8, NULL, 10, &list) == K2_OK);
  k2_fact_list_free(list);
}

int main(void) {
  k2_store *st = NULL;
  CASE("store opens");
  CHECK(k2_store_open(&st) == K2_OK);
  if (st) {
    test_search(st);
    test_search_syntax(st);
    test_search_filters(st);
    test_bad_input(st);
  }
  k2_store_close(st);
  return check_summary("search");
}
