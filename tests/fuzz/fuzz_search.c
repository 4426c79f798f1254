/*
** fuzz_search.c — libFuzzer target for the search text path: the input,
** as bytes, goes to k2_search on the embedded store (one store for the
** whole run) and, as an id, to k2_fact_get. Each must answer or fail with
** a message; a result list must hold at most the requested 10 facts, each
** with an id and a source. ASan and UBSan watch.
** Reference: llvm.org/docs/LibFuzzer.html.
*/
#include "k2.h"

#include <stdint.h>
#include <stdlib.h>

static k2_store *store;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  k2_fact_list *list = NULL;
  if (!store && k2_store_open(&store) != K2_OK) abort();
  if (k2_search(store, (const char *)data, size, NULL, 10, &list) == K2_OK) {
    if (!list || list->count > 10) abort();
    for (size_t i = 0; i < list->count; i++)
      if (!list->items[i].id || !list->items[i].source.id) abort();
  } else if (!k2_store_errmsg(store)[0]) {
    abort();
  }
  k2_fact_list_free(list);
  list = NULL;
  if (k2_fact_get(store, (const char *)data, size, &list) == K2_OK && list && list->count > 1) abort();
  k2_fact_list_free(list);
  return 0;
}
