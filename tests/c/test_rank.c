/*
** test_rank.c — k2_rank.c and k2_index.c: what a search ranks with. Results
** come best first (non-decreasing score, every score finite), facts read
** without a search carry no score, the inverse document frequency is the
** closed form ln((N − n + 0.5)/(n + 0.5)), falling as a term gets commoner
** and never reaching zero, and BM25 is Robertson & Zaragoza's closed form
** (k1 = 1.2, b = 0.75). The in-memory word index gives exactly what FTS5's
** own query gives — the same facts in the same order with the same scores,
** to the last bit — for sentences, prefixes, forms, accents, stop words,
** unknown words and the phrases FTS5 alone can answer.
** Built and run under AddressSanitizer and UBSan.
*/
#include "check.h"
#include "k2.h"
#include "k2_int.h"
#include "k2_store_int.h"

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

static void test_bm25(void) {
  k2__rank r = {0};
  double tokens[3] = {0, 10, 30}, freq[2] = {2, 1}, idf[2] = {1.5, 0.5};
  int order[2] = {1, 0};
  double k1 = 1.2, b = 0.75, avgdl = 20, norm = k1 * (1 - b + b * 10 / avgdl);
  CASE("bm25: Robertson & Zaragoza's closed form, lower is better; a row past the lengths has the mean");
  r.tokens = tokens;
  r.count = 3;
  r.avgdl = avgdl;
  CHECK_NEAR(k2__bm25(&r, 1, freq, idf, order, 2),
             -(1.5 * 2 * (k1 + 1) / (2 + norm) + 0.5 * 1 * (k1 + 1) / (1 + norm)), 1e-12);
  CHECK_NEAR(k2__bm25(&r, 7, freq, idf, order, 1), -(0.5 * (k1 + 1) / (1 + k1)), 1e-12);
  CHECK(k2__bm25(&r, 1, freq, idf, order, 2) < k2__bm25(&r, 2, freq, idf, order, 2)); /* a shorter fact ranks first */
}

/* The facts, order and scores of one search, by the word index or by FTS5 alone. */
static k2_fact_list *search_by(k2_store *st, const char *text, const k2_filter *f, int fts_only) {
  k2_fact_list *list = NULL;
  st->search_fts_only = fts_only;
  if (k2_search(st, text, strlen(text), f, 1000, &list) != K2_OK) list = NULL;
  st->search_fts_only = 0;
  return list;
}

static void test_index_is_fts(k2_store *st) {
  static const char *queries[] = {
      "high vitamin k diet reverse artery calcification rats", "k 2 slow down atherosclerosis", "warfarin",
      "MK-7 peak", "menaquinone-7 half-life", "absorbed", "absorption fat meal", "vitamin", "vit", "ab",
      "a the of", "zzzz", "mk7 zzzz", "mk4 bone xyzzy", "calcificati\xC3\xB3n", "M\xC3\xA9nadione",
      "vitamin K\xE2\x80\x99s role", "25\xC2\xB0" "C storage", "newborn injection", "K1 K2 MK-4 MK-7",
      "phylloquinone menatetrenone menadione", "blood thinner", "dose 45 mg", "45", "180 \xC2\xB5g",
      "rotterdam study k 2 heart disease deaths", "osteocalcin carboxylation dose response", "natto",
      "pregnancy breastfeeding infants", "cholestyramine orlistat", "matrix gla protein"};
  k2_filter forms = {0}, topic = {0};
  forms.form = "MK-7";
  forms.form_len = 4;
  topic.topic = "safety";
  topic.topic_len = 6;
  CASE("index: every search gives what FTS5's query gives: facts, order, scores, words matched");
  for (size_t q = 0; q < sizeof queries / sizeof queries[0]; q++) {
    const k2_filter *filters[3] = {NULL, &forms, &topic};
    for (int k = 0; k < 3; k++) {
      k2_fact_list *a = search_by(st, queries[q], filters[k], 0), *b = search_by(st, queries[q], filters[k], 1);
      int same = a && b && a->count == b->count && strcmp(a->matched, b->matched) == 0 &&
                 strcmp(a->unmatched, b->unmatched) == 0;
      for (size_t i = 0; same && i < a->count; i++)
        same = strcmp(a->items[i].id, b->items[i].id) == 0 && a->items[i].rank == b->items[i].rank;
      CHECK(same);
      if (!same) fprintf(stderr, "  '%s' (filter %d): the index and FTS5 differ\n", queries[q], k);
      k2_fact_list_free(a);
      k2_fact_list_free(b);
    }
  }
}

int main(void) {
  k2_store *st = NULL;
  test_idf();
  test_bm25();
  CASE("store opens");
  CHECK(k2_store_open(&st) == K2_OK);
  if (st) test_order(st);
  if (st) test_index_is_fts(st);
  k2_store_close(st);
  return check_summary("rank");
}
