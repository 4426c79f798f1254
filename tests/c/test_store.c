/*
** test_store.c — k2_store.c: the embedded fact store without Lua. Info
** counts, every fact well formed, the filters of k2_facts, lookups by id,
** conflicts, form aliases, bad input and misuse, and the generic hooks other
** core files use (k2__prepare; k2__attach, whose destructors run at close).
** Built and run under AddressSanitizer and UBSan with leak checks, so an
** attachment the store forgot to free fails here.
*/
#include "check.h"
#include "k2_store_int.h"

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
  CHECK(k2_facts(st, &f, &list) == K2_EINPUT);
  CHECK_CONTAINS(k2_store_errmsg(st), "human RCT");

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

static void test_misuse(k2_store *st) {
  k2_fact_list *list = NULL;
  size_t big = 1 << 20;
  char *huge = malloc(big);
  CASE("store: bad ids and misuse are reported, not crashed on");
  if (huge) {
    memset(huge, 'a', big);
    CHECK(k2_fact_get(st, huge, big, &list) == K2_EINPUT);
    CHECK_CONTAINS(k2_store_errmsg(st), "too long");
  }
  free(huge);
  CHECK(list == NULL);
  CHECK(k2_facts(st, NULL, NULL) == K2_EMISUSE);
  CHECK(k2_fact_get(NULL, "x", 1, &list) == K2_EMISUSE);
  CHECK(k2_fact_get(st, "", 0, &list) == K2_EINPUT);
  k2_store_close(NULL);
  k2_fact_list_free(NULL);
  k2_source_list_free(NULL);
}

/* ------------------------------------------------------------ hooks for other core files */

static int destroyed[K2_MAX_ATTACHMENTS + 1];
static const char keys[K2_MAX_ATTACHMENTS + 1];

static void destroy(void *data) {
  destroyed[*(int *)data]++;
  k2__free(data);
}

static int *counter(int i) {
  int *p = k2__malloc(sizeof *p);
  if (p) *p = i;
  return p;
}

static void test_hooks(void) {
  k2_store *st = NULL;
  sqlite3_stmt *stmt;
  CASE("k2__prepare: the caller's own SQL over the image; bad SQL explains itself");
  CHECK(k2_store_open(&st) == K2_OK);
  if (!st) return;
  stmt = k2__prepare(st, "SELECT count(*) FROM fact");
  CHECK(stmt && sqlite3_step(stmt) == SQLITE_ROW && sqlite3_column_int(stmt, 0) > 300);
  sqlite3_finalize(stmt);
  CHECK(k2__prepare(st, "SELECT nonsense FROM nowhere") == NULL);
  CHECK(st->failed == K2_ESTORE);
  CHECK_CONTAINS(k2_store_errmsg(st), "fact store error");
  CASE("k2__attach: data found by key; a full table refuses and frees the newcomer");
  memset(destroyed, 0, sizeof destroyed);
  for (int i = 0; i < K2_MAX_ATTACHMENTS; i++) CHECK(k2__attach(st, &keys[i], counter(i), destroy) == K2_OK);
  for (int i = 0; i < K2_MAX_ATTACHMENTS; i++) {
    int *p = k2__attached(st, &keys[i]);
    CHECK(p && *p == i);
  }
  CHECK(k2__attached(st, &keys[K2_MAX_ATTACHMENTS]) == NULL);
  CHECK(k2__attach(st, &keys[K2_MAX_ATTACHMENTS], counter(K2_MAX_ATTACHMENTS), destroy) == K2_EMISUSE);
  CHECK(destroyed[K2_MAX_ATTACHMENTS] == 1);
  CASE("k2_store_close runs every destructor once");
  for (int i = 0; i < K2_MAX_ATTACHMENTS; i++) CHECK(destroyed[i] == 0);
  k2_store_close(st);
  for (int i = 0; i < K2_MAX_ATTACHMENTS; i++) CHECK(destroyed[i] == 1);
}

int main(void) {
  k2_store *st = NULL;
  CASE("store opens");
  CHECK(k2_store_open(&st) == K2_OK);
  if (st && k2_store_errmsg(st)) {
    test_store_basics(st);
    test_filters(st);
    test_lookups(st);
    test_misuse(st);
  }
  k2_store_close(st);
  test_hooks();
  return check_summary("store");
}
