/*
** bench_pk.c — in-process timing of the pharmacokinetic core on the jobs of
** shared/notes/pk-peers-and-baselines.md §B.1 (`make bench`):
**   single: ka 0.5/h, ke ln2/68 /h, V 1, 180 µg every 24 h × 365, 1-minute
**           grid (525,600 points), then Cmax and trapezoid AUC;
**   population: 10,000 subjects × 721 hourly points, 30 daily doses, CV 30 %
**           on ka and ke (log-normal), mean Cmax and mean AUC.
** Prints best and median of repeated runs, ns/point, and the memory the
** curve holds per point. Budgets: shared/design.md. Absolute times drift
** on shared machines, so the single job is also timed as the notes' plain
** recursive C loop (§B.3 row 1: one multiply-add pair per point, stored),
** in the same run, and k2 is quoted as a ratio of it.
*/
#define _POSIX_C_SOURCE 199309L
#include "k2.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double now_ns(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec * 1e9 + (double)t.tv_nsec;
}

static int by_value(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

static long rss_kb(void) {
  long pages = 0, resident = 0;
  FILE *f = fopen("/proc/self/statm", "r");
  if (f) {
    if (fscanf(f, "%ld %ld", &pages, &resident) != 2) resident = 0;
    fclose(f);
  }
  return resident * 4;
}

/* The notes' row 1 on the same job: best of 20, in ns per point. Its
** buffer is allocated once and reused, while each k2 run allocates and
** touches a fresh curve, so the ratio printed is on the cautious side. */
static double recursive_loop_ns(const k2_pk_model *m) {
  size_t n = 525600;
  double h = 1.0 / 60, ek = exp(-m->ke * h), ea = exp(-m->ka * h);
  double x = m->ka / (m->ka - m->ke) * (ek - ea), best = 1e30, *v = malloc(n * sizeof *v);
  if (!v) return NAN;
  for (int r = 0; r < 20; r++) {
    double ag = 0, ac = 0, t0 = now_ns();
    for (size_t i = 0; i < n; i++) {
      if (i % 1440 == 0) ag += 180;
      ac = ac * ek + ag * x;
      ag *= ea;
      v[i] = ac;
    }
    t0 = now_ns() - t0;
    if (t0 < best && v[n - 1] > 0) best = t0;
  }
  free(v);
  return best / (double)n;
}

int main(void) {
  k2_pk_model m = {0.5, log(2) / 68, 1, 1, 1, 0};
  k2_pk_dose d[365];
  double t[20], cmax = 0, auc = 0;
  char msg[256];
  for (int i = 0; i < 365; i++) { d[i].t = 24.0 * i; d[i].ug = 180; }
  for (int r = 0; r < 20; r++) {
    k2_curve *c = NULL;
    long before = rss_kb();
    double t0 = now_ns();
    if (k2_curve_new(&m, d, 365, 525599.0 / 60, 1.0 / 60, &c, msg, sizeof msg) != K2_OK) { fprintf(stderr, "%s\n", msg); return 1; }
    t[r] = now_ns() - t0;
    if (r == 0) {
      const double *v = k2_curve_values(c);
      size_t n = k2_curve_count(c);
      long grown = rss_kb() - before;
      for (size_t i = 0; i < n; i++) { if (v[i] > cmax) cmax = v[i]; if (i) auc += (v[i] + v[i - 1]) / 120; }
      printf("single: %zu points, Cmax %.10f, AUC %.6f (reference 789.6040029744, 6380334.420370)\n", n, cmax, auc);
      printf("single: memory 8 bytes/point + %.0f kB (resident growth %ld kB for %zu points; budget 8 + a constant)\n",
             (double)grown - 8.0 * (double)n / 1024, grown, n);
    }
    k2_curve_free(c);
  }
  qsort(t, 20, sizeof t[0], by_value);
  printf("single: C core best %.2f ms (%.2f ns/point), median %.2f ms (%.2f ns/point); budget 4 ns/point\n",
         t[0] / 1e6, t[0] / 525600, t[10] / 1e6, t[10] / 525600);
  {
    double ref = recursive_loop_ns(&m);
    printf("single: plain recursive C loop (notes B.3 row 1, buffer reused), same run: best %.2f ns/point;"
           " k2 best (allocating its curve) is %.2fx of it\n",
           ref, t[0] / 525600 / ref);
  }
  {
    k2_pk_variability cv = {0.3, 0.3, 0};
    k2_pk_dose pd[30];
    double pt[10];
    k2_population *p = NULL;
    for (int i = 0; i < 30; i++) { pd[i].t = 24.0 * i; pd[i].ug = 180; }
    for (int r = 0; r < 10; r++) {
      double t0 = now_ns();
      if (k2_pk_population(&m, &cv, 10000, 1, pd, 30, 720, 1, 0, &p, msg, sizeof msg) != K2_OK) return 1;
      pt[r] = now_ns() - t0;
      if (r == 0) printf("population: mean Cmax %.6f, mean AUC %.4f (reference, other draws: 817.98, 474491.49)\n", p->mean_cmax, p->mean_auc);
      k2_population_free(p);
    }
    qsort(pt, 10, sizeof pt[0], by_value);
    printf("population: 10000 x 721 points, best %.2f ms, median %.2f ms (%.2f ns/subject-point); budget 20 ms\n",
           pt[0] / 1e6, pt[5] / 1e6, pt[5] / 7.21e6);
    {
      double t0 = now_ns();
      if (k2_pk_population(&m, &cv, 10000, 1, pd, 30, 720, 1, 1, &p, msg, sizeof msg) != K2_OK) return 1;
      printf("population with 5/50/95 percentile bands at every hour: %.2f ms\n", (now_ns() - t0) / 1e6);
      k2_population_free(p);
    }
  }
  return 0;
}
