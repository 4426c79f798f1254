/*
** test_rank.c — k2_rank.c: the k2rank BM25 function FTS5 calls. Results come
** best first (non-decreasing score, every score finite), facts read without
** a search carry no score, and the inverse document frequency is the closed
** form ln((N − n + 0.5)/(n + 0.5)), falling as a term gets commoner and never
** reaching zero. Built and run under AddressSanitizer and UBSan.
*/
#include "check.h"
#include "k2.h"
#include "k2_int.h"

#include <stdlib.h>

static k2_fact_list *search(k2_store *st, const char *text, int limit) {
  k2_fact_list *list = NULL;
  k2_status rc = k2_search(st, text, strlen(text), NULL, limit, &list);
  CHECK(rc == K2_OK);
  if (rc != K2_OK) fprintf(stderr, "  search '%s': %s\n", text, k2_store_errmsg(st));
  return list;
}

static void test_order(k2_store *st) {
  static const char *queries[] = {"warfarin", "MK-7 peak", "bone density", "dose", "half-life menaquinone"};
  k2_fact_list *list;
  CASE("search: 'calcification' finds calcification facts, ranked");
  list = search(st, "calcification", 20);
  CHECK(list && list->count >= 5);
  for (size_t i = 0; list && i < list->count; i++) {
    CHECK(i == 0 || list->items[i - 1].rank <= list->items[i].rank);
  }
  k2_fact_list_free(list);

  CASE("rank: every search comes best first with finite scores");
  for (size_t q = 0; q < sizeof queries / sizeof queries[0]; q++) {
    list = search(st, queries[q], 50);
    for (size_t i = 0; list && i < list->count; i++) {
      CHECK(isfinite(list->items[i].rank));
      CHECK(i == 0 || list->items[i - 1].rank <= list->items[i].rank);
    }
    k2_fact_list_free(list);
  }
  CASE("rank: facts read without a search carry no score");
  CHECK(k2_fact_get(st, "seed.mk7.tmax", 13, &list) == K2_OK && list && isnan(list->items[0].rank));
  k2_fact_list_free(list);
}

static void test_idf(void) {
  CASE("idf: the closed form; rarer terms weigh more; never zero or negative");
  CHECK_NEAR(k2__idf(1000, 10), log(990.5 / 10.5), 1e-12);
  CHECK(k2__idf(1000, 1) > k2__idf(1000, 10));
  CHECK(k2__idf(1000, 10) > k2__idf(1000, 100));
  CHECK(k2__idf(1000, 1000) > 0);
  CHECK(k2__idf(10, 9) > 0);
}

int main(void) {
  k2_store *st = NULL;
  test_idf();
  CASE("store opens");
  CHECK(k2_store_open(&st) == K2_OK);
  if (st) test_order(st);
  k2_store_close(st);
  return check_summary("rank");
}
