/*
** bench_store.c — C-level search latency of the fact store (`make bench`):
** the median over many single searches of 1-3 word queries, timed with
** CLOCK_MONOTONIC. Budget (shared/design.md): 20 µs median.
*/
#define _POSIX_C_SOURCE 199309L
#include "k2.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char *queries[] = {"calcification", "warfarin", "MK-7 peak", "menaquinone-7 half-life",
                                "children dose", "vitamin K2 bone", "menadione infants", "orlistat",
                                "EFSA adequate intake", "phylloquinone absorption fat"};

static double now_us(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec * 1e6 + (double)t.tv_nsec / 1e3;
}

static int by_value(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

int main(int argc, char **argv) {
  int runs = argc > 1 ? atoi(argv[1]) : 20000;
  double *t = malloc(sizeof(double) * (size_t)runs), t0;
  size_t nq = sizeof queries / sizeof queries[0];
  k2_store *st = NULL;
  if (!t || runs < 1 || k2_store_open(&st) != K2_OK) { fprintf(stderr, "bench: setup failed\n"); return 1; }
  t0 = now_us();
  k2_store_close(st);
  st = NULL;
  if (k2_store_open(&st) != K2_OK) return 1;
  printf("store open: %.1f µs (second open)\n", now_us() - t0);
  for (int i = 0; i < runs; i++) {
    const char *q = queries[(size_t)i % nq];
    k2_fact_list *list = NULL;
    double start = now_us();
    if (k2_search(st, q, strlen(q), NULL, 10, &list) != K2_OK) return 1;
    t[i] = now_us() - start;
    k2_fact_list_free(list);
  }
  qsort(t, (size_t)runs, sizeof(double), by_value);
  printf("C search, 1-3 words, %d runs: median %.1f µs, p90 %.1f µs (budget 20 µs median: %s)\n", runs,
         t[runs / 2], t[runs * 9 / 10], t[runs / 2] <= 20 ? "within" : "OVER");
  k2_store_close(st);
  free(t);
  return 0;
}
