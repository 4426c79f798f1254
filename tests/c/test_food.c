/*
** test_food.c — k2_food.c (issue 14): the food image against the USDA SR24 values of
** data/food/usda-sr24.tsv (raw spinach 11457: 482.9 µg K1/100 g, 1 cup = 30 g; natto 16113:
** 23.1 µg/100 g, linked to the Kamao 2007 MK-7 fact, 939 µg/100 g), the search's ranking and
** fallbacks, input errors, NULL handles and the mass units. Exact comparisons: the figures are
** stored as written. Built and run under AddressSanitizer and UBSan.
*/
#include "check.h"
#include "k2.h"

#include <math.h>
#include <string.h>

#define LEN(s) (sizeof(s) - 1)

typedef struct seen {
  int n;
  char first_id[8];
  double first_k1;
  size_t measures, links;
  double cup_grams;
  int has_mk7;
  int first_partial;
} seen;

static int collect(void *ud, const k2_food_item *it) {
  seen *s = (seen *)ud;
  if (s->n++ == 0) {
    snprintf(s->first_id, sizeof s->first_id, "%s", it->id);
    s->first_k1 = it->k1;
    s->first_partial = it->partial;
    s->measures = it->measure_count;
    s->links = it->link_count;
    for (size_t i = 0; i < it->measure_count; i++)
      if (!strcmp(it->measures[i].name, "cup")) s->cup_grams = it->measures[i].grams;
    for (size_t i = 0; i < it->link_count; i++)
      if (!strcmp(it->links[i].form, "MK-7") && it->links[i].value == 939 &&
          !strcmp(it->links[i].fact, "food.natto.mk7.kamao"))
        s->has_mk7 = 1;
  }
  return 0;
}

static seen search(k2_food *f, const char *text, k2_status *rc) {
  seen s;
  memset(&s, 0, sizeof s);
  *rc = k2_food_search(f, text, strlen(text), 10, collect, &s);
  return s;
}

int main(void) {
  k2_food *f = NULL;
  k2_status rc;
  seen s;

  CASE("opens");
  CHECK(k2_food_open(&f) == K2_OK);
  if (!f) return check_summary("food");

  CASE("spinach by id: USDA's K1 and the cup");
  memset(&s, 0, sizeof s);
  CHECK(k2_food_get(f, "11457", 5, collect, &s) == K2_OK);
  CHECK(s.n == 1 && !strcmp(s.first_id, "11457") && s.first_k1 == 482.9);
  CHECK(s.measures == 4 && s.cup_grams == 30);

  CASE("natto: K1 23.1 and the linked MK-7 fact");
  memset(&s, 0, sizeof s);
  CHECK(k2_food_get(f, "16113", 5, collect, &s) == K2_OK);
  CHECK(s.first_k1 == 23.1 && s.has_mk7);

  CASE("not measured is NaN; a measured 0 is 0");
  memset(&s, 0, sizeof s);
  CHECK(k2_food_get(f, "16114", 5, collect, &s) == K2_OK && isnan(s.first_k1));
  memset(&s, 0, sizeof s);
  CHECK(k2_food_get(f, "01085", 5, collect, &s) == K2_OK && s.first_k1 == 0);

  CASE("ids that name nothing");
  memset(&s, 0, sizeof s);
  CHECK(k2_food_get(f, "99999", 5, collect, &s) == K2_ENOTFOUND && s.n == 0);
  CHECK(k2_food_get(f, "1145", 4, collect, &s) == K2_ENOTFOUND);
  CHECK(k2_food_get(f, "1145x", 5, collect, &s) == K2_ENOTFOUND);
  CHECK(k2_food_get(f, "11457 ", 6, collect, &s) == K2_ENOTFOUND);
  CHECK_CONTAINS(k2_food_errmsg(f), "NDB");

  CASE("ranking as people write names");
  s = search(f, "spinach", &rc);
  CHECK(rc == K2_OK && !strcmp(s.first_id, "11457"));
  s = search(f, "raw spinach", &rc);
  CHECK(rc == K2_OK && !strcmp(s.first_id, "11457"));
  s = search(f, "cheddar", &rc);
  CHECK(rc == K2_OK && !strcmp(s.first_id, "01009"));
  s = search(f, "kale cooked", &rc);
  CHECK(rc == K2_OK && !strcmp(s.first_id, "11234"));

  CASE("fallbacks: prefixes, then any word; FTS syntax is only words");
  s = search(f, "chedd", &rc);
  CHECK(rc == K2_OK && !strcmp(s.first_id, "01009"));
  CHECK(!s.first_partial); /* a prefix match holds the word */
  s = search(f, "spinach qqqzzz", &rc);
  CHECK(rc == K2_OK && s.n > 0 && s.first_partial); /* any word: marked, so an amount can refuse it */
  s = search(f, "raw spinach", &rc);
  CHECK(rc == K2_OK && !s.first_partial);
  s = search(f, "\"spinach\" OR NEAR(raw", &rc);
  CHECK(rc == K2_OK && s.n > 0);
  s = search(f, "qqqzzz", &rc);
  CHECK(rc == K2_OK && s.n == 0);

  CASE("input errors");
  s = search(f, "", &rc);
  CHECK(rc == K2_EINPUT);
  s = search(f, " !! ", &rc);
  CHECK(rc == K2_EINPUT);
  CHECK(k2_food_search(f, "a\0b", 3, 10, collect, &s) == K2_EINPUT);
  CHECK(k2_food_search(f, "\xff", 1, 10, collect, &s) == K2_EINPUT);
  CHECK(k2_food_search(f, "spinach", 7, 0, collect, &s) == K2_EINPUT);
  CHECK(k2_food_search(f, "spinach", 7, K2_SEARCH_MAX_LIMIT + 1, collect, &s) == K2_EINPUT);

  CASE("misuse");
  CHECK(k2_food_search(NULL, "x", 1, 10, collect, &s) == K2_EMISUSE);
  CHECK(k2_food_search(f, "x", 1, 10, NULL, &s) == K2_EMISUSE);
  CHECK(k2_food_get(NULL, "11457", 5, collect, &s) == K2_EMISUSE);
  CHECK(k2_food_open(NULL) == K2_EMISUSE);
  k2_food_close(NULL);

  CASE("mass units: the ounce and pound exactly");
  {
    const char *name;
    double grams, oz = 0, lb = 0;
    size_t i = 0;
    while (k2_food_weight_at(f, i, &name, &grams) == K2_OK) {
      if (!strcmp(name, "oz")) oz = grams;
      if (!strcmp(name, "lb")) lb = grams;
      i++;
    }
    CHECK(oz == 28.349523125 && lb == 453.59237 && i > 4);
  }

  CASE("info: counts of the table");
  {
    const char *source;
    long foods, measures;
    CHECK(k2_food_info(f, &source, &foods, &measures) == K2_OK);
    CHECK(foods == 8858 && measures == 15274);
    CHECK_CONTAINS(source, "Standard Reference, Release 24");
  }

  k2_food_close(f);
  return check_summary("food");
}
