/*
** test_pk.c — the pharmacokinetic core against closed forms and published
** figures, with stated tolerances: the Bateman peak time, AUC = F·D/(V·ke),
** dose linearity and superposition, continuity across ka ≈ ke, the grid
** against exact evaluation, the analytic steady state against a long run,
** the reference sheet's derived rates and accumulation ratios, the
** benchmark job's reference figures (shared notes, pk-peers-and-baselines
** §B.1), seeded populations, limit messages and bad input. The parameter
** sets read from the store (the menatetrenone label, the seed's claims) are
** tested in test_pkdata.c; resampling for display in test_sample.c.
*/
#include "check.h"
#include "k2.h"

#include <stdlib.h>

static char msg[256];

static k2_pk_model model(double ka, double ke, double V, double lag) {
  k2_pk_model m;
  m.ka = ka; m.ke = ke; m.F = 1; m.F_ref = 1; m.V = V; m.lag = lag;
  return m;
}

static k2_curve *one_dose(k2_pk_model m, double ug, double t_end, double step) {
  k2_pk_dose d = {0, ug};
  k2_curve *c = NULL;
  CHECK(k2_curve_new(&m, &d, 1, t_end, step, &c, msg, sizeof msg) == K2_OK);
  return c;
}

static void test_rates(void) {
  double ka = 0;
  CASE("ka from peak time and half-life reproduces the reference sheet's section 9");
  CHECK(k2_pk_ka_from_tmax(4, log(2) / 68, &ka, msg, sizeof msg) == K2_OK);
  CHECK_NEAR(ka, 1.203, 1e-3);
  CHECK(k2_pk_ka_from_tmax(4, log(2) / 72, &ka, msg, sizeof msg) == K2_OK);
  CHECK_NEAR(ka, 1.220, 1e-3);
  CHECK(k2_pk_ka_from_tmax(6, log(2) / 68, &ka, msg, sizeof msg) == K2_OK);
  CHECK_NEAR(ka, 0.720, 1e-3);
  CHECK(k2_pk_ka_from_tmax(4, log(2) / 1.5, &ka, msg, sizeof msg) == K2_OK); /* flip-flop: ka < ke */
  CHECK_NEAR(ka, 0.1155, 1e-3);
  CHECK(k2_pk_ka_from_tmax(8, log(2) / 8.8, &ka, msg, sizeof msg) == K2_OK);
  CHECK_NEAR(ka, 0.1865, 1e-3);
  CASE("peak time is ln(ka/ke)/(ka-ke), and 1/k when they are equal");
  CHECK_NEAR(k2_pk_tmax(1.203, 0.01019), log(1.203 / 0.01019) / (1.203 - 0.01019), 1e-15);
  CHECK_NEAR(k2_pk_tmax(0.3, 0.3), 1 / 0.3, 1e-12);
  CHECK_NEAR(k2_pk_tmax(0.3 * (1 + 1e-7), 0.3), 1 / 0.3, 1e-6);
}

static void test_single_dose(void) {
  k2_pk_model m = model(1.203, log(2) / 68, 10, 0);
  k2_curve *c = one_dose(m, 180, 68 * 60, 1);
  double cmax = 0, tmax = 0;
  CASE("single dose: exact peak at the Bateman time, AUC = F·D/(V·ke)");
  k2_curve_peak(c, 0, 68 * 60, &cmax, &tmax);
  CHECK_NEAR(tmax, k2_pk_tmax(m.ka, m.ke), 1e-9);
  CHECK_NEAR(cmax, 180 / 10.0 * m.ka / (m.ka - m.ke) * (exp(-m.ke * tmax) - exp(-m.ka * tmax)), 1e-12);
  CHECK_NEAR(k2_curve_auc(c, 0, 1e7), 180 / (10 * m.ke), 1e-9);
  CHECK_NEAR(k2_curve_auc(c, 0, 10) + k2_curve_auc(c, 10, 100), k2_curve_auc(c, 0, 100), 1e-12);
  CASE("grid samples equal exact evaluation");
  for (size_t i = 0; i < k2_curve_count(c); i += 97)
    CHECK_NEAR(k2_curve_values(c)[i], k2_curve_at(c, (double)i), 1e-10);
  k2_curve_free(c);

  CASE("relative units: 1 is the peak of one dose");
  c = one_dose(model(1.203, log(2) / 68, 0, 0), 180, 400, 0.5);
  k2_curve_peak(c, 0, 400, &cmax, &tmax);
  CHECK_NEAR(cmax, 1.0, 1e-12);
  CHECK(k2_curve_relative(c));
  k2_curve_free(c);
}

static void test_linearity(void) {
  k2_pk_model m = model(0.6, 0.4, 5, 0.5);
  k2_pk_dose two[2] = {{0, 100}, {7.3, 100}};
  k2_curve *a = one_dose(m, 100, 48, 0.1), *b = one_dose(m, 200, 48, 0.1), *s = NULL;
  CASE("dose linearity: twice the dose, twice the level everywhere");
  for (size_t i = 0; a && b && i < k2_curve_count(a); i++)
    CHECK(fabs(k2_curve_values(b)[i] - 2 * k2_curve_values(a)[i]) <= 1e-12 * (1 + k2_curve_values(b)[i]));
  CASE("superposition: two doses are the sum of two single doses, exact off-grid");
  CHECK(k2_curve_new(&m, two, 2, 48, 0.1, &s, msg, sizeof msg) == K2_OK);
  for (double t = 0; s && t <= 48; t += 0.37) {
    double shifted = t >= 7.3 ? k2_curve_at(a, t - 7.3) : 0;
    CHECK_NEAR(k2_curve_at(s, t) + 1e-300, k2_curve_at(a, t) + shifted + 1e-300, 1e-11);
  }
  for (size_t i = 0; s && i < k2_curve_count(s); i++)
    CHECK(fabs(k2_curve_values(s)[i] - k2_curve_at(s, (double)i * 0.1)) <= 1e-11 * (1 + k2_curve_values(s)[i]));
  k2_curve_free(a);
  k2_curve_free(b);
  k2_curve_free(s);
}

static void test_equal_rates(void) {
  double k = 0.25;
  CASE("ka == ke: the limit D/V·k·t·e^(-kt), continuous on both sides");
  for (int side = -1; side <= 1; side++) {
    k2_pk_model m = model(k * (1 + side * 1e-9), k, 1, 0);
    k2_curve *c = one_dose(m, 1, 40, 0.25);
    for (double t = 0.5; c && t <= 40; t += 2.5) CHECK_NEAR(k2_curve_at(c, t), k * t * exp(-k * t), 1e-7);
    CHECK(c && isfinite(k2_curve_auc(c, 0, 40)));
    k2_curve_free(c);
  }
}

static void test_steady_state(void) {
  k2_pk_model m = model(1.203, log(2) / 68, 0, 0);
  k2_pk_steady ss;
  k2_pk_dose *d = malloc(200 * sizeof *d);
  k2_curve *c = NULL;
  double cmax = 0, tmax = 0;
  CASE("steady state: accumulation 1/(1-e^(-ke·24)) = 4.61 (68 h) and 4.85 (72 h), as the reference sheet");
  CHECK(k2_pk_steady_state(&m, 180, 24, &ss, msg, sizeof msg) == K2_OK);
  CHECK_NEAR(ss.accumulation, 1 / (1 - exp(-m.ke * 24)), 1e-12);
  CHECK_NEAR(ss.accumulation, 4.61, 2e-3);
  CHECK(ss.t90_h > log(10) / m.ke && ss.t90_h < log(10) / m.ke + 3);
  {
    k2_pk_model m72 = model(1.220, log(2) / 72, 0, 0);
    k2_pk_steady s72;
    CHECK(k2_pk_steady_state(&m72, 180, 24, &s72, msg, sizeof msg) == K2_OK);
    CHECK_NEAR(s72.accumulation, 4.85, 2e-3);
  }
  {
    /* flip-flop (absorption slower than elimination): the terminal rate is ka */
    k2_pk_model ff = model(0.05, 0.5, 0, 0);
    k2_pk_steady sff;
    CHECK(k2_pk_steady_state(&ff, 180, 24, &sff, msg, sizeof msg) == K2_OK);
    CHECK_NEAR(sff.accumulation, 1 / (1 - exp(-0.05 * 24)), 1e-12);
  }
  CASE("analytic steady state equals a 200-dose run's last interval");
  for (int i = 0; d && i < 200; i++) { d[i].t = 24.0 * i; d[i].ug = 180; }
  CHECK(d && k2_curve_new(&m, d, 200, 24.0 * 200, 1, &c, msg, sizeof msg) == K2_OK);
  k2_curve_peak(c, 24.0 * 199, 24.0 * 200, &cmax, &tmax);
  CHECK_NEAR(cmax, ss.peak, 1e-9);
  CHECK_NEAR(tmax - 24.0 * 199, ss.tmax_h, 1e-6);
  CHECK_NEAR(k2_curve_trough(c), ss.trough, 1e-9);
  CHECK_NEAR(k2_curve_auc(c, 24.0 * 199, 24.0 * 200), ss.auc_tau, 1e-9);
  k2_curve_free(c);
  free(d);
}

static void test_reference_job(void) {
  k2_pk_model m = model(0.5, log(2) / 68, 1, 0);
  k2_pk_dose d[365];
  k2_curve *c = NULL;
  double cmax = 0, auc = 0;
  const double *v;
  CASE("benchmark job (365 daily 180 µg doses, 1-minute grid): the notes' reference Cmax and AUC");
  for (int i = 0; i < 365; i++) { d[i].t = 24.0 * i; d[i].ug = 180; }
  CHECK(k2_curve_new(&m, d, 365, 525599.0 / 60, 1.0 / 60, &c, msg, sizeof msg) == K2_OK);
  if (!c) return;
  CHECK(k2_curve_count(c) == 525600);
  v = k2_curve_values(c);
  for (size_t i = 0; i < k2_curve_count(c); i++) {
    if (v[i] > cmax) cmax = v[i];
    if (i) auc += (v[i] + v[i - 1]) / 2 / 60;
  }
  CHECK_NEAR(cmax, 789.6040029744, 1e-10);
  CHECK_NEAR(auc, 6380334.420370, 1e-10);
  k2_curve_free(c);
}

static void test_above_and_population(void) {
  k2_pk_model m = model(1.203, log(2) / 68, 0, 0);
  k2_curve *c = one_dose(m, 180, 400, 0.5);
  k2_pk_variability none = {0, 0, 0}, cv = {0.3, 0.3, 0};
  k2_pk_dose d[30];
  k2_population *a = NULL, *b = NULL, *z = NULL;
  double above;
  CASE("time above a level: the exact crossings");
  above = k2_curve_time_above(c, 0.5);
  CHECK(above > 60 && above < 80);
  {
    double lo = 0, hi = 4, up, down;
    for (int i = 0; i < 100; i++) { double mid = (lo + hi) / 2; if (k2_curve_at(c, mid) > 0.5) hi = mid; else lo = mid; }
    up = hi;
    lo = 4; hi = 400;
    for (int i = 0; i < 100; i++) { double mid = (lo + hi) / 2; if (k2_curve_at(c, mid) > 0.5) lo = mid; else hi = mid; }
    down = lo;
    CHECK_NEAR(above, down - up, 1e-9);
  }
  k2_curve_free(c);
  CASE("population: same seed, same bands; no variability, one curve");
  for (int i = 0; i < 30; i++) { d[i].t = 24.0 * i; d[i].ug = 180; }
  CHECK(k2_pk_population(&m, &cv, 500, 7, d, 30, 720, 1, 1, &a, msg, sizeof msg) == K2_OK);
  CHECK(k2_pk_population(&m, &cv, 500, 7, d, 30, 720, 1, 1, &b, msg, sizeof msg) == K2_OK);
  CHECK(a && b && memcmp(a->p50, b->p50, a->count * sizeof(double)) == 0);
  CHECK(a && a->p5[700] < a->p50[700] && a->p50[700] < a->p95[700]);
  CHECK(k2_pk_population(&m, &none, 10, 1, d, 30, 720, 1, 1, &z, msg, sizeof msg) == K2_OK);
  c = NULL;
  CHECK(k2_curve_new(&m, d, 30, 720, 1, &c, msg, sizeof msg) == K2_OK);
  for (size_t i = 0; z && c && i < z->count; i += 13) {
    CHECK_NEAR(z->p5[i] + 1e-300, k2_curve_values(c)[i] + 1e-300, 1e-12);
    CHECK_NEAR(z->p95[i] + 1e-300, k2_curve_values(c)[i] + 1e-300, 1e-12);
  }
  k2_curve_free(c);
  k2_population_free(a);
  k2_population_free(b);
  k2_population_free(z);
}

/* Without bands the population runs in cache-sized blocks: its means must
** equal the whole-cohort run's, and with no variability the grid's own peak
** and trapezoid AUC of the one curve. */
static void test_population_means(void) {
  k2_pk_model m = model(1.203, log(2) / 68, 0, 0);
  k2_pk_variability none = {0, 0, 0}, cv = {0.3, 0.3, 0};
  k2_pk_dose d[30];
  k2_population *blocks = NULL, *whole = NULL, *flat = NULL;
  k2_curve *c = NULL;
  double cmax = 0, auc = 0;
  for (int i = 0; i < 30; i++) { d[i].t = 24.0 * i; d[i].ug = 180; }
  CASE("population: block and whole runs give the same means; one subject's means are its curve's");
  CHECK(k2_pk_population(&m, &cv, 1000, 3, d, 30, 720, 1, 0, &blocks, msg, sizeof msg) == K2_OK);
  CHECK(k2_pk_population(&m, &cv, 1000, 3, d, 30, 720, 1, 1, &whole, msg, sizeof msg) == K2_OK);
  CHECK(blocks && whole);
  if (blocks && whole) {
    CHECK_NEAR(blocks->mean_cmax, whole->mean_cmax, 1e-12);
    CHECK_NEAR(blocks->mean_auc, whole->mean_auc, 1e-12);
  }
  CHECK(k2_pk_population(&m, &none, 300, 1, d, 30, 720, 1, 0, &flat, msg, sizeof msg) == K2_OK);
  CHECK(k2_curve_new(&m, d, 30, 720, 1, &c, msg, sizeof msg) == K2_OK);
  for (size_t i = 0; c && i < k2_curve_count(c); i++) {
    const double *v = k2_curve_values(c);
    if (v[i] > cmax) cmax = v[i];
    if (i > 0) auc += 0.5 * (v[i - 1] + v[i]);
  }
  if (flat && c) {
    CHECK_NEAR(flat->mean_cmax, cmax, 1e-12);
    CHECK_NEAR(flat->mean_auc, auc, 1e-12);
  }
  k2_curve_free(c);
  k2_population_free(blocks);
  k2_population_free(whole);
  k2_population_free(flat);
}

/* Inputs at the edges of the accepted ranges: a lag that puts the dose
** past a tiny run (once a hang), and a huge dose in a tiny volume. */
static void test_edges(void) {
  k2_pk_model late = model(1.203, 0.01, 0, 1000), tiny = model(1, 0.1, 1e-302, 0);
  k2_pk_dose d = {0, 180}, big = {0, 1e6};
  k2_curve *c = NULL;
  CASE("edges: a dose lagged past a tiny run; no NaN from a huge dose in a tiny volume");
  CHECK(k2_curve_new(&late, &d, 1, 1e-17, 1e-17, &c, msg, sizeof msg) == K2_OK);
  CHECK(c && k2_curve_values(c)[0] == 0);
  k2_curve_free(c);
  c = NULL;
  tiny.F = 100;
  if (k2_curve_new(&tiny, &big, 1, 10, 1, &c, msg, sizeof msg) == K2_OK) {
    for (size_t i = 0; i < k2_curve_count(c); i++) CHECK(!isnan(k2_curve_values(c)[i]));
    CHECK(k2_curve_values(c)[0] == 0);
  }
  k2_curve_free(c);
}

static void test_bad_input(void) {
  k2_pk_model m = model(1, 0.1, 0, 0), bad = m;
  k2_pk_dose d = {0, 180}, neg = {0, -5}, late = {50, 1};
  k2_curve *c = NULL;
  k2_pk_steady ss;
  k2_population *p = NULL;
  CASE("bad input: a clear error, no allocation, no crash");
  CHECK(k2_curve_new(&m, &neg, 1, 10, 1, &c, msg, sizeof msg) == K2_EINPUT && !c);
  CHECK(k2_curve_new(&m, &late, 1, 10, 1, &c, msg, sizeof msg) == K2_EINPUT);
  CHECK(k2_curve_new(&m, &d, 0, 10, 1, &c, msg, sizeof msg) == K2_EINPUT);
  CHECK(k2_curve_new(&m, &d, 1, 10, 0, &c, msg, sizeof msg) == K2_EINPUT);
  CHECK(k2_curve_new(&m, &d, 1, 10, 20, &c, msg, sizeof msg) == K2_EINPUT);
  CHECK(k2_curve_new(&m, &d, 1, NAN, 1, &c, msg, sizeof msg) == K2_EINPUT);
  CHECK(k2_curve_new(&m, &d, 1, 87000, 0.001, &c, msg, sizeof msg) == K2_EINPUT);
  CHECK_CONTAINS(msg, "20000000 points");
  bad.ka = NAN;
  CHECK(k2_curve_new(&bad, &d, 1, 10, 1, &c, msg, sizeof msg) == K2_EINPUT);
  CHECK_CONTAINS(msg, "ka");
  bad = m; bad.ke = 0;
  CHECK(k2_pk_steady_state(&bad, 180, 24, &ss, msg, sizeof msg) == K2_EINPUT);
  CHECK(k2_pk_steady_state(&m, 180, 0, &ss, msg, sizeof msg) == K2_EINPUT);
  CHECK(k2_pk_steady_state(&m, -1, 24, &ss, msg, sizeof msg) == K2_EINPUT);
  CHECK(k2_pk_population(&m, NULL, 1, 1, &d, 1, 10, 1, 1, &p, msg, sizeof msg) == K2_EINPUT);
  CHECK(k2_pk_population(&m, NULL, 1000000, 1, &d, 1, 10, 1, 1, &p, msg, sizeof msg) == K2_EINPUT);
  CHECK(k2_pk_ka_from_tmax(-1, 0.1, &bad.ka, msg, sizeof msg) == K2_EINPUT);
  CHECK(c == NULL && p == NULL);
  CASE("bad input: messages state the limits from their K2_* values");
  CHECK(k2_pk_steady_state(&m, K2_DOSE_MAX_UG * 2, 24, &ss, msg, sizeof msg) == K2_EINPUT);
  CHECK_CONTAINS(msg, "at most 1 g");
  CHECK(k2_pk_steady_state(&m, 180, K2_DURATION_MAX_H * 2, &ss, msg, sizeof msg) == K2_EINPUT);
  CHECK_CONTAINS(msg, "at most 10 years");
  CHECK(k2_curve_new(&m, &d, 1, K2_DURATION_MAX_H * 2, 1, &c, msg, sizeof msg) == K2_EINPUT);
  CHECK_CONTAINS(msg, "at most 10 years");
  bad = m; bad.ka = K2_PK_MAX_RATE * 2;
  CHECK(k2_pk_check(&bad, msg, sizeof msg) == K2_EINPUT);
  CHECK_CONTAINS(msg, "at most 1000 per hour");
  bad = m; bad.lag = K2_PK_MAX_LAG_H * 2;
  CHECK(k2_pk_check(&bad, msg, sizeof msg) == K2_EINPUT);
  CHECK_CONTAINS(msg, "lag must be 0 to");
  CHECK(c == NULL);
  k2_curve_free(NULL);
  k2_population_free(NULL);
}

/* Issue 17: the work budget before any work, intervals in one pass equal to
** the window queries, peaks past the run's end, t90 for a very slow ke, V. */
static void test_bounds(void) {
  char why[320];
  k2_pk_model m = model(1.203, log(2) / 68, 1, 0), slow = m, tiny = m;
  k2_pk_dose doses[48];
  k2_pk_interval iv[48];
  k2_pk_steady ss;
  k2_curve *c = NULL;
  size_t n = 0;
  double cmax, tmax;
  CASE("budget: a population over its work is refused, naming the limit");
  CHECK(k2_pk_budget_check(87840, 30000, 87841, why, sizeof why) == K2_EINPUT);
  CHECK_CONTAINS(why, "pk_max_population_work");
  CHECK(k2_pk_budget_check(K2_PK_MAX_DOSES + 1, 1, 10, why, sizeof why) == K2_EINPUT);
  CHECK_CONTAINS(why, "pk_max_doses");
  CHECK(k2_pk_budget_check(720, 10000, 721, why, sizeof why) == K2_OK);
  CASE("intervals: one pass equals peak and AUC per window (1e-12)");
  for (int i = 0; i < 48; i++) { doses[i].t = 24.0 * i; doses[i].ug = 180; }
  CHECK(k2_curve_new(&m, doses, 48, 48 * 24.0, 0.5, &c, why, sizeof why) == K2_OK);
  CHECK(k2_curve_intervals(c, 24, iv, 48, &n, why, sizeof why) == K2_OK);
  CHECK(n == 48);
  for (size_t i = 0; i < n; i += 7) {
    k2_curve_peak(c, iv[i].start, iv[i].start + 24, &cmax, &tmax);
    CHECK_NEAR(iv[i].cmax, cmax, 1e-12);
    CHECK_NEAR(iv[i].tmax, tmax, 1e-12);
    CHECK_NEAR(iv[i].auc, k2_curve_auc(c, iv[i].start, iv[i].start + 24), 1e-12);
    CHECK_NEAR(iv[i].trough, k2_curve_at(c, iv[i].start + 24), 1e-12);
  }
  CHECK(k2_curve_intervals(c, 0.01, iv, 48, &n, why, sizeof why) == K2_EINPUT);
  CHECK_CONTAINS(why, "pk_max_intervals");
  CASE("peak past the end of a run follows the model");
  k2_curve_peak(c, 2000, 3000, &cmax, &tmax);
  CHECK_NEAR(tmax, 2000, 1e-12);
  CHECK_NEAR(cmax, k2_curve_at(c, 2000), 1e-12);
  k2_curve_free(c);
  CASE("t90 with ke = 1e-12 is about ln(10)/ke (1e-6), not a search cap");
  slow.ke = 1e-12;
  CHECK(k2_pk_steady_state(&slow, 180, 24, &ss, why, sizeof why) == K2_OK);
  CHECK_NEAR(ss.t90_h, log(10) / 1e-12, 1e-6);
  CASE("V below 1 mL is refused (it printed inf)");
  tiny.V = 1e-310;
  CHECK(k2_pk_check(&tiny, why, sizeof why) == K2_EINPUT);
  CHECK_CONTAINS(why, "V must be 0");
}

int main(void) {
  test_rates();
  test_single_dose();
  test_linearity();
  test_equal_rates();
  test_steady_state();
  test_reference_job();
  test_above_and_population();
  test_population_means();
  test_edges();
  test_bad_input();
  test_bounds();
  return check_summary("pk");
}
