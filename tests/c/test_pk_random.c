/*
** test_pk_random.c — a million random (doses, schedule, time) inputs within
** the accepted ranges: no NaN or inf, no negative concentration, and the
** exact update equal to the hand-computed sum of Bateman terms
** C(t) = Σ D·ka/(ka−ke)·(e^(−ke·τ) − e^(−ka·τ)), τ = t − t_dose, to 1e-9
** relative (1e-6 where ka and ke are within 0.1 % of each other). The
** difference of exponentials is evaluated as e^(−min·τ)·(−expm1(−|ka−ke|·τ))
** so that the reference does not itself lose digits for small τ (the naive
** form is off by 1e-8 relative 80 µs after a dose). Seeded, so reproducible.
** Then 20,000 random inputs sampled on a grid (up to 3,000 points, doses on
** and off grid points, so runs cross the sampler's 512-point blocks and its
** re-anchoring at doses): every sample against the same closed form.
*/
#include "check.h"
#include "k2.h"

#include <stdint.h>
#include <stdlib.h>

static uint64_t state = 20261125;

static double uniform(void) {
  state ^= state << 13;
  state ^= state >> 7;
  state ^= state << 17;
  return (double)(state >> 11) / 9007199254740992.0;
}

static double log_uniform(double lo, double hi) { return lo * exp(log(hi / lo) * uniform()); }

static double reference(const k2_pk_model *m, const k2_pk_dose *d, int n, double t) {
  double c = 0;
  for (int i = 0; i < n; i++) {
    double tau = t - d[i].t - m->lag;
    if (tau <= 0) continue;
    /* e^(−ke τ) − e^(−ka τ) over ka − ke, without cancelling when τ or ka − ke is small */
    double lo = m->ka < m->ke ? m->ka : m->ke, gap = fabs(m->ka - m->ke);
    double term = gap > 0 ? exp(-lo * tau) * -expm1(-gap * tau) / gap : tau * exp(-lo * tau);
    c += d[i].ug * m->F * m->ka * term;
  }
  return c / m->V;
}

/* A random model and up to 6 doses over (0, t_end); some doses on the grid. */
static int random_input(k2_pk_model *m, k2_pk_dose *d, double t_end, double step) {
  int n = 1 + (int)(uniform() * 6);
  m->ka = log_uniform(0.001, 50);
  m->ke = log_uniform(0.001, 50);
  m->F = m->F_ref = 1;
  m->V = log_uniform(0.1, 1000);
  m->lag = uniform() < 0.5 ? 0 : 5 * uniform();
  for (int i = 0; i < n; i++) {
    d[i].t = t_end * uniform();
    if (step > 0 && uniform() < 0.3) d[i].t = floor(d[i].t / step) * step;
    d[i].ug = log_uniform(0.001, 1e6);
  }
  return n;
}

static double tolerance(const k2_pk_model *m) { return fabs(m->ka - m->ke) < 1e-3 * m->ka ? 1e-6 : 1e-9; }

/* Every sample of random grids equals the closed form at its time. */
static void test_grids(long runs) {
  long bad = 0;
  char msg[256];
  CASE("random grids: every sample equal to the closed form");
  for (long r = 0; r < runs; r++) {
    k2_pk_model m;
    k2_pk_dose d[6];
    double t_end = log_uniform(1, 2000), step = t_end / (double)(1 + (long)(uniform() * 3000));
    int n = random_input(&m, d, t_end, step);
    k2_curve *c = NULL;
    if (k2_curve_new(&m, d, (size_t)n, t_end, step, &c, msg, sizeof msg) != K2_OK) {
      if (bad++ < 3) fprintf(stderr, "rejected: %s\n", msg);
      continue;
    }
    for (size_t i = 0; i < k2_curve_count(c); i++) {
      double want = reference(&m, d, n, (double)i * step), got = k2_curve_values(c)[i];
      if (!(fabs(got - want) <= tolerance(&m) * fabs(want) + 1e-15 * d[0].ug / m.V)) {
        if (bad++ < 5) fprintf(stderr, "grid: ka %.17g ke %.17g i %zu: %.17g vs %.17g\n", m.ka, m.ke, i, got, want);
        break;
      }
    }
    k2_curve_free(c);
  }
  CHECK(bad == 0);
  printf("pk-random: %ld grids, %ld mismatching\n", runs, bad);
}

int main(int argc, char **argv) {
  long runs = argc > 1 ? atol(argv[1]) : 1000000, bad_value = 0, bad_match = 0;
  char msg[256];
  CASE("a million random inputs: finite, non-negative, equal to the closed form");
  for (long r = 0; r < runs; r++) {
    k2_pk_model m;
    k2_pk_dose d[6];
    double t_end = log_uniform(1, 2000), t, got, want, tol;
    int n = random_input(&m, d, t_end, 0);
    k2_curve *c = NULL;
    t = t_end * uniform();
    if (k2_curve_new(&m, d, (size_t)n, t_end, t_end, &c, msg, sizeof msg) != K2_OK) {
      if (bad_value < 3) fprintf(stderr, "rejected: %s\n", msg);
      bad_value++;
      continue;
    }
    got = k2_curve_at(c, t);
    k2_curve_free(c);
    if (!isfinite(got) || got < 0) {
      if (bad_value < 3) fprintf(stderr, "value %.17g: ka %.17g ke %.17g t %.17g lag %g\n", got, m.ka, m.ke, t, m.lag);
      bad_value++;
      continue;
    }
    want = reference(&m, d, n, t);
    tol = tolerance(&m);
    /* relative, with a floor far below any level that matters (1e-15 of the doses' scale) */
    if (fabs(got - want) > tol * fabs(want) + 1e-15 * d[0].ug / m.V) {
      if (bad_match < 5) fprintf(stderr, "ka %.17g ke %.17g t %.17g: %.17g vs %.17g\n", m.ka, m.ke, t, got, want);
      bad_match++;
    }
  }
  CHECK(bad_value == 0);
  CHECK(bad_match == 0);
  printf("pk-random: %ld inputs, %ld bad values, %ld mismatches\n", runs, bad_value, bad_match);
  test_grids(runs / 50);
  return check_summary("pk-random");
}
