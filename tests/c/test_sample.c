/*
** test_sample.c — k2_sample.c: reading grids for display. Curve samples
** reproduce the grid exactly at grid times and its midpoints' means between
** them, and the closed-form one-dose Bateman curve (Gibaldi & Perrier,
** ch. 1; bateman() below) to within 1e-4 of the peak on a 0.01 h grid
** (linear interpolation errs by at most h²/8·max|C''|, about 2e-5 here);
** envelopes equal a brute-force min/max per bucket and bracket every sample;
** population bands of a cohort without variability resample exactly like
** its one curve; bad n, windows and missing bands are refused with messages
** stating the limits. Built and run under AddressSanitizer and UBSan.
*/
#include "check.h"
#include "k2.h"

#include <stdlib.h>

static char msg[256];

static k2_pk_model model(double ka, double ke, double V) {
  k2_pk_model m;
  m.ka = ka; m.ke = ke; m.F = 1; m.F_ref = 1; m.V = V; m.lag = 0;
  return m;
}

static k2_curve *one_dose(const k2_pk_model *m, double ug, double t_end, double step) {
  k2_pk_dose d = {0, ug};
  k2_curve *c = NULL;
  CHECK(k2_curve_new(m, &d, 1, t_end, step, &c, msg, sizeof msg) == K2_OK);
  return c;
}

static double bateman(const k2_pk_model *m, double ug, double t) {
  return m->F * ug * m->ka / (m->V * (m->ka - m->ke)) * (exp(-m->ke * t) - exp(-m->ka * t));
}

static void test_curve_sample(void) {
  k2_pk_model m = model(1.2, 0.1, 10);
  k2_curve *c = one_dose(&m, 1000, 48, 1), *fine = one_dose(&m, 1000, 48, 0.01);
  double out[97], peak = 0, t_peak = 0;
  if (!c || !fine) { k2_curve_free(c); k2_curve_free(fine); return; }
  CASE("curve sample: at grid times, the grid itself; between them, the neighbours' mean");
  CHECK(k2_curve_sample(c, 49, 0, 48, out, msg, sizeof msg) == K2_OK);
  for (int i = 0; i < 49; i++) CHECK(out[i] == k2_curve_values(c)[i]);
  CHECK(k2_curve_sample(c, 97, 0, 48, out, msg, sizeof msg) == K2_OK);
  for (int i = 0; i + 1 < 49; i++) {
    const double *v = k2_curve_values(c);
    CHECK_NEAR(out[2 * i + 1], (v[i] + v[i + 1]) / 2, 1e-14);
  }
  CASE("curve sample: a window's ends are its first and last values");
  CHECK(k2_curve_sample(c, 2, 3.5, 10.25, out, msg, sizeof msg) == K2_OK);
  CHECK_NEAR(out[0], (k2_curve_values(c)[3] + k2_curve_values(c)[4]) / 2, 1e-14);
  CHECK_NEAR(out[1], 0.75 * k2_curve_values(c)[10] + 0.25 * k2_curve_values(c)[11], 1e-14);
  CASE("curve sample: within 1e-4 of the peak of the closed-form Bateman curve (0.01 h grid)");
  k2_curve_peak(fine, 0, 48, &peak, &t_peak);
  CHECK(k2_curve_sample(fine, 97, 0, 48, out, msg, sizeof msg) == K2_OK);
  for (int i = 0; i < 97; i++) CHECK(fabs(out[i] - bateman(&m, 1000, 0.5 * i)) <= 1e-4 * peak);
  CHECK(k2_curve_sample(fine, 13, 1.234, 7.777, out, msg, sizeof msg) == K2_OK);
  for (int i = 0; i < 13; i++)
    CHECK(fabs(out[i] - bateman(&m, 1000, 1.234 + (7.777 - 1.234) * i / 12.0)) <= 1e-4 * peak);
  CASE("curve sample: the end may be given with rounding; beyond it, or a bad n, is refused");
  CHECK(k2_curve_sample(c, 2, 0, 48 * (1 + 1e-13), out, msg, sizeof msg) == K2_OK);
  CHECK(out[1] == k2_curve_values(c)[48]);
  CHECK(k2_curve_sample(c, 2, 0, 48.1, out, msg, sizeof msg) == K2_EMISUSE);
  CHECK_CONTAINS(msg, "within the run");
  CHECK(k2_curve_sample(c, 2, 5, 5, out, msg, sizeof msg) == K2_EMISUSE);
  CHECK(k2_curve_sample(c, 2, -1, 5, out, msg, sizeof msg) == K2_EMISUSE);
  CHECK(k2_curve_sample(c, 2, NAN, 5, out, msg, sizeof msg) == K2_EMISUSE);
  CHECK(k2_curve_sample(c, 1, 0, 48, out, msg, sizeof msg) == K2_EMISUSE);
  CHECK_CONTAINS(msg, "n must be 2 to 100000");
  CHECK(k2_curve_sample(c, K2_PK_MAX_SAMPLES + 1, 0, 48, out, msg, sizeof msg) == K2_EMISUSE);
  CHECK(k2_curve_sample(NULL, 2, 0, 48, out, msg, sizeof msg) == K2_EMISUSE);
  CHECK(k2_curve_sample(c, 2, 0, 48, NULL, msg, sizeof msg) == K2_EMISUSE);
  k2_curve_free(c);
  k2_curve_free(fine);
}

/* The envelope computed the slow way: bucket b is samples [b·count/n, (b+1)·count/n). */
static void brute_envelope(const double *v, size_t count, size_t n, size_t b, double *lo, double *hi) {
  size_t first = b * count / n, last = (b + 1) * count / n;
  if (last <= first) last = first + 1;
  if (last > count) last = count;
  if (first >= count) first = count - 1;
  *lo = v[first];
  *hi = v[first];
  for (size_t i = first; i < last; i++) {
    if (v[i] < *lo) *lo = v[i];
    if (v[i] > *hi) *hi = v[i];
  }
}

static void test_envelope(void) {
  static const size_t ns[] = {2, 3, 7, 64, 500, 1441, 5000};
  k2_pk_model m = model(1.2, 0.01, 0);
  k2_pk_dose d[10];
  k2_curve *c = NULL;
  double *lo = malloc(5000 * sizeof *lo), *hi = malloc(5000 * sizeof *hi);
  for (int i = 0; i < 10; i++) { d[i].t = 24.0 * i; d[i].ug = 180; }
  CHECK(k2_curve_new(&m, d, 10, 240, 1.0 / 6, &c, msg, sizeof msg) == K2_OK);
  if (!c || !lo || !hi) { k2_curve_free(c); free(lo); free(hi); return; }
  CASE("envelope: equals a brute-force min and max per bucket, for more and fewer buckets than samples");
  for (size_t k = 0; k < sizeof ns / sizeof ns[0]; k++) {
    size_t n = ns[k], count = k2_curve_count(c);
    const double *v = k2_curve_values(c);
    double top = -HUGE_VAL, bottom = HUGE_VAL, grid_top = -HUGE_VAL, grid_bottom = HUGE_VAL;
    CHECK(k2_curve_envelope(c, n, lo, hi, msg, sizeof msg) == K2_OK);
    for (size_t b = 0; b < n; b++) {
      double want_lo, want_hi;
      brute_envelope(v, count, n, b, &want_lo, &want_hi);
      CHECK(lo[b] == want_lo && hi[b] == want_hi);
      CHECK(lo[b] <= hi[b]);
      if (hi[b] > top) top = hi[b];
      if (lo[b] < bottom) bottom = lo[b];
    }
    for (size_t i = 0; i < count; i++) {
      if (v[i] > grid_top) grid_top = v[i];
      if (v[i] < grid_bottom) grid_bottom = v[i];
    }
    CHECK(top == grid_top && bottom == grid_bottom);
    if (n <= count) { /* the buckets tile the grid, and each brackets its samples */
      size_t next = 0;
      int bracketed = 1;
      for (size_t b = 0; b < n; b++) {
        size_t first = b * count / n, last = (b + 1) * count / n;
        if (first != next) bracketed = 0;
        for (size_t i = first; i < last; i++) bracketed &= lo[b] <= v[i] && v[i] <= hi[b];
        next = last;
      }
      CHECK(bracketed && next == count);
    }
  }
  CASE("envelope: bad n is refused with the limit");
  CHECK(k2_curve_envelope(c, 1, lo, hi, msg, sizeof msg) == K2_EMISUSE);
  CHECK_CONTAINS(msg, "n must be 2 to");
  CHECK(k2_curve_envelope(c, 2, NULL, hi, msg, sizeof msg) == K2_EMISUSE);
  k2_curve_free(c);
  free(lo);
  free(hi);
}

static void test_population_sample(void) {
  k2_pk_model m = model(1.2, 0.05, 0);
  k2_pk_variability none = {0, 0, 0}, cv = {0.3, 0.3, 0};
  k2_pk_dose d[3] = {{0, 180}, {24, 180}, {48, 180}};
  k2_population *flat = NULL, *spread = NULL, *bare = NULL;
  k2_curve *c = NULL;
  double p5[200], p50[200], p95[200], want[200];
  CHECK(k2_pk_population(&m, &none, 5, 1, d, 3, 72, 0.5, 1, &flat, msg, sizeof msg) == K2_OK);
  CHECK(k2_pk_population(&m, &cv, 200, 9, d, 3, 72, 0.5, 1, &spread, msg, sizeof msg) == K2_OK);
  CHECK(k2_pk_population(&m, &cv, 20, 9, d, 3, 72, 0.5, 0, &bare, msg, sizeof msg) == K2_OK);
  CHECK(k2_curve_new(&m, d, 3, 72, 0.5, &c, msg, sizeof msg) == K2_OK);
  if (!flat || !spread || !bare || !c) goto done;
  CASE("population sample: no variability, every band resamples like the one curve");
  CHECK(k2_population_sample(flat, 200, p5, p50, p95, msg, sizeof msg) == K2_OK);
  CHECK(k2_curve_sample(c, 200, 0, 72, want, msg, sizeof msg) == K2_OK);
  for (int i = 0; i < 200; i++) {
    CHECK_NEAR(p5[i] + 1e-300, want[i] + 1e-300, 1e-12);
    CHECK_NEAR(p50[i] + 1e-300, want[i] + 1e-300, 1e-12);
    CHECK_NEAR(p95[i] + 1e-300, want[i] + 1e-300, 1e-12);
  }
  CASE("population sample: bands keep their order, and grid times give the grid's bands");
  CHECK(k2_population_sample(spread, 145, p5, p50, p95, msg, sizeof msg) == K2_OK);
  for (int i = 0; i < 145; i++) {
    CHECK(p5[i] <= p50[i] && p50[i] <= p95[i]);
    CHECK(p5[i] == spread->p5[i] && p50[i] == spread->p50[i] && p95[i] == spread->p95[i]);
  }
  CASE("population sample: no bands, or a bad n, is refused with a message");
  CHECK(k2_population_sample(bare, 10, p5, p50, p95, msg, sizeof msg) == K2_EMISUSE);
  CHECK_CONTAINS(msg, "without percentile bands");
  CHECK(k2_population_sample(spread, 1, p5, p50, p95, msg, sizeof msg) == K2_EMISUSE);
  CHECK_CONTAINS(msg, "n must be 2 to");
  CHECK(k2_population_sample(NULL, 10, p5, p50, p95, msg, sizeof msg) == K2_EMISUSE);
done:
  k2_population_free(flat);
  k2_population_free(spread);
  k2_population_free(bare);
  k2_curve_free(c);
}

int main(void) {
  test_curve_sample();
  test_envelope();
  test_population_sample();
  return check_summary("sample");
}
