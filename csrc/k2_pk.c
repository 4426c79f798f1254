/*
** k2_pk.c — the pharmacokinetic model: one compartment with first-order
** absorption and first-order elimination (the Bateman function), linear, so
** doses superpose. Two amounts are tracked, in the gut (Ag) and in the
** central compartment (Ac); between events they move by the exact solution
**
**   Ag(t+h) = Ag e^(-ka h)
**   Ac(t+h) = Ac e^(-ke h) + Ag ka (e^(-ke h) - e^(-ka h)) / (ka - ke)
**           = Ac e^(-ke h) + Ag ka h e^(-min(ka,ke) h) phi(|ka - ke| h),
**   phi(x)  = (1 - e^(-x)) / x  (phi(0) = 1, computed with expm1),
**
** which is continuous across ka == ke (the limit is Ag ka h e^(-k h)), so no
** ODE solver and no sum over past doses: a uniform grid costs one multiply-add
** pair per point with the three factors computed once.
**
** Units: doses in µg, times in h, rates in 1/h, volume in L, so amount/V is
** µg/L = ng/mL. With no calibrated volume (V = 0) concentrations are
** relative: 1 is the peak of one dose of the same size taken the reference
** way (F_ref, with fat). Exact, not sampled: concentration at any time, AUC
** (amount balance: ke·∫Ac = absorbed − ΔAc), peak (bisection on the sign of
** dAc/dt, which changes at most once between doses), time above a level.
**
** References: Gibaldi & Perrier, Pharmacokinetics, 2nd ed. (1982), ch. 1 and
** 3 (one-compartment oral model, multiple dosing, accumulation
** R = 1/(1 − e^(−ke τ))); Rowland & Tozer, Clinical Pharmacokinetics, ch. 11.
** Population draws: splitmix64 (Steele, Lea & Flood, OOPSLA 2014) and
** Box–Muller; log-normal with ω² = ln(1 + CV²).
*/
#define _DEFAULT_SOURCE /* madvise */
#include "k2.h"
#include "k2_int.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#if defined(__linux__)
#include <sys/mman.h>
#endif

#define HUGE_PAGE ((size_t)2 << 20)

struct k2_curve {
  k2_pk_model model;
  k2_pk_dose *doses; /* sorted by effective time (t + lag), amounts already × F */
  size_t n_doses;
  double step, t_end, scale; /* value = Ac × scale */
  size_t count;
  double *values; /* count samples, t = i × step */
  void *block;    /* the allocation values live in */
};

/* Room for n samples. A long run is aligned to 2 MB and marked for huge
** pages: on virtual machines first-touch page faults otherwise cost more
** than computing the samples (14 ms vs 1 ms for a 1-minute year here). */
static int alloc_values(k2_curve *c, size_t n) {
  size_t bytes = n * sizeof(double), extra = bytes >= 2 * HUGE_PAGE ? HUGE_PAGE : 0;
  char *block = k2__malloc(bytes + extra);
  if (!block) return 0;
  c->block = block;
  c->values = (double *)block;
  if (extra) {
    uintptr_t at = ((uintptr_t)block + HUGE_PAGE - 1) & ~(uintptr_t)(HUGE_PAGE - 1);
    c->values = (double *)at;
#if defined(__linux__) && defined(MADV_HUGEPAGE)
    madvise((void *)at, bytes & ~(HUGE_PAGE - 1), MADV_HUGEPAGE);
#endif
  }
  return 1;
}

/* ------------------------------------------------------------ the exact update */

/* (1 − e^(−x)) / x, accurate near 0. */
static double phi(double x) {
  return fabs(x) < 1e-12 ? 1.0 - x / 2 : -expm1(-x) / x;
}

/* (e^(−ke·h) − e^(−ka·h)) / (ka − ke), written as h·e^(−min·h)·phi(|ka − ke|·h)
** so that it neither cancels near ka == ke nor overflows (0·inf) when one
** rate is far larger than the other. */
static double bateman(double ka, double ke, double h) {
  double lo = ka < ke ? ka : ke;
  return h * exp(-lo * h) * phi(fabs(ka - ke) * h);
}

/* Moves (ag, ac) forward by h hours at rates ka and ke. */
static void advance_rates(double ka, double ke, double h, double *ag, double *ac) {
  *ac = *ac * exp(-ke * h) + *ag * ka * bateman(ka, ke, h);
  *ag *= exp(-ka * h);
}

static void advance(const k2_pk_model *m, double h, double *ag, double *ac) {
  advance_rates(m->ka, m->ke, h, ag, ac);
}

/* Central amount absorbed-minus-eliminated integral: ∫0^h Ac, exact. */
static double integral(const k2_pk_model *m, double h, double ag, double ac) {
  double ag1 = ag, ac1 = ac;
  advance(m, h, &ag1, &ac1);
  return (ag * -expm1(-m->ka * h) - (ac1 - ac)) / m->ke;
}

/* Time derivative of Ac. */
static double slope(const k2_pk_model *m, double ag, double ac) {
  return m->ka * ag - m->ke * ac;
}

/* ------------------------------------------------------------ checks */

static k2_status bad(char *msg, size_t cap, const char *why) {
  k2__msg(msg, cap, "%s", why);
  return K2_EINPUT;
}

/* A message stating a limit, given in words (k2__ug_words, k2__hours_words). */
static k2_status bad_limit(char *msg, size_t cap, const char *fmt, const char *limit) {
  k2__msg(msg, cap, fmt, limit);
  return K2_EINPUT;
}

static int finite_positive(double x) { return isfinite(x) && x > 0; }

static k2_status bad_rate(char *msg, size_t cap, const char *name) {
  char limit[48];
  k2_format_number(K2_PK_MAX_RATE, 1, limit, sizeof limit);
  k2__msg(msg, cap, "%s must be a rate above 0 and at most %s per hour", name, limit);
  return K2_EINPUT;
}

k2_status k2_pk_check(const k2_pk_model *m, char *msg, size_t cap) {
  char words[48];
  if (!m) return K2_EMISUSE;
  if (!finite_positive(m->ka) || m->ka > K2_PK_MAX_RATE) return bad_rate(msg, cap, "ka");
  if (!finite_positive(m->ke) || m->ke > K2_PK_MAX_RATE) return bad_rate(msg, cap, "ke");
  if (!finite_positive(m->F) || m->F > 100) return bad(msg, cap, "F (fraction absorbed) must be above 0");
  if (!finite_positive(m->F_ref) || m->F_ref > 100) return bad(msg, cap, "F_ref must be above 0");
  if (!isfinite(m->V) || m->V < 0 || (m->V > 0 && m->V < K2_PK_MIN_VOLUME_L) || m->V > K2_PK_MAX_VOLUME_L) {
    char lo[48], hi[48];
    k2_format_number(K2_PK_MIN_VOLUME_L, 3, lo, sizeof lo);
    k2_format_number(K2_PK_MAX_VOLUME_L, 0, hi, sizeof hi);
    k2__msg(msg, cap, "V must be 0 (relative units) or a volume from %s to %s L", lo, hi);
    return K2_EINPUT;
  }
  if (!isfinite(m->lag) || m->lag < 0 || m->lag > K2_PK_MAX_LAG_H) {
    k2__msg(msg, cap, "lag must be 0 to %s", k2__hours_words(K2_PK_MAX_LAG_H, words, sizeof words));
    return K2_EINPUT;
  }
  return K2_OK;
}

/* ------------------------------------------------------------ single-dose shape */

/* Time of the peak of one dose (no lag): ln(ka/ke)/(ka − ke), or 1/k when equal. */
double k2_pk_tmax(double ka, double ke) {
  double d = ka - ke;
  if (fabs(d) <= 1e-9 * (ka + ke)) return 2.0 / (ka + ke);
  return log(ka / ke) / d;
}

k2_status k2_pk_ka_from_tmax(double tmax, double ke, double *ka, char *msg, size_t cap) {
  double lo = 1e-9, hi = 1e4;
  if (!ka) return K2_EMISUSE;
  if (!finite_positive(tmax) || !finite_positive(ke)) return bad(msg, cap, "peak time and ke must be positive");
  /* tmax(ka) falls steadily as ka rises: bisect in log space. */
  if (k2_pk_tmax(hi, ke) > tmax || k2_pk_tmax(lo, ke) < tmax)
    return bad(msg, cap, "no absorption rate gives that peak time with that half-life");
  for (int i = 0; i < 200; i++) {
    double mid = sqrt(lo * hi);
    if (k2_pk_tmax(mid, ke) > tmax) lo = mid;
    else hi = mid;
  }
  *ka = sqrt(lo * hi);
  return K2_OK;
}

/* Peak central amount after a unit dose (no lag). */
static double unit_peak(const k2_pk_model *m) {
  double ag = 1, ac = 0;
  advance(m, k2_pk_tmax(m->ka, m->ke), &ag, &ac);
  return ac;
}

/* ------------------------------------------------------------ curves */

static int by_time(const void *a, const void *b) {
  double x = ((const k2_pk_dose *)a)->t, y = ((const k2_pk_dose *)b)->t;
  return (x > y) - (x < y);
}

static k2_status check_doses(const k2_pk_dose *doses, size_t n, double t_end, char *msg, size_t cap) {
  char limit[48];
  if (n == 0) return bad(msg, cap, "no doses");
  if (n > K2_PK_MAX_DOSES) {
    k2__msg(msg, cap, "too many doses (%zu; at most %d)", n, K2_PK_MAX_DOSES);
    return K2_EINPUT;
  }
  for (size_t i = 0; i < n; i++) {
    if (!finite_positive(doses[i].ug) || doses[i].ug > K2_DOSE_MAX_UG)
      return bad_limit(msg, cap, "every dose must be above 0 and at most %s", k2__ug_words(K2_DOSE_MAX_UG, limit, sizeof limit));
    if (!isfinite(doses[i].t) || doses[i].t < 0 || doses[i].t > t_end)
      return bad(msg, cap, "every dose time must be within the run (0 to its end)");
  }
  return K2_OK;
}

/* Number of grid points for [0, t_end] at `step`, or 0 if over the cap. */
static size_t grid_points(double t_end, double step) {
  double n = floor(t_end / step + 1e-9) + 1;
  return n > K2_PK_MAX_POINTS ? 0 : (size_t)n;
}

static k2_status check_grid(double t_end, double step, size_t *count, char *msg, size_t cap) {
  char limit[48];
  if (!finite_positive(t_end) || t_end > K2_DURATION_MAX_H)
    return bad_limit(msg, cap, "the run must last more than 0 and at most %s",
                     k2__hours_words(K2_DURATION_MAX_H, limit, sizeof limit));
  if (!finite_positive(step) || step > t_end) return bad(msg, cap, "the step must be above 0 and no longer than the run");
  if (!(*count = grid_points(t_end, step))) {
    k2__msg(msg, cap, "that grid needs more than %d points (%.0f MB; the limit pk_max_points): use a longer step or a"
            " shorter run",
            K2_PK_MAX_POINTS, K2_PK_MAX_POINTS * 8.0 / 1e6);
    return K2_EINPUT;
  }
  return K2_OK;
}

/* Grid points per basis block: two 4 kB tables on the stack. */
#define BASIS 512

/* Where a state goes in k grid steps: Ac(k h) = Ac E[k] + Ag B[k], with
** E[k] = e^(−ke k h) and B[k] = ka (e^(−ke k h) − e^(−ka k h)) / (ka − ke). */
static void fill_basis(const k2_pk_model *m, double h, size_t n, double *E, double *B) {
  for (size_t k = 0; k < n; k++) {
    double t = (double)k * h;
    E[k] = exp(-m->ke * t);
    B[k] = m->ka * bateman(m->ka, m->ke, t);
  }
}

/* v[k] = (ac E[k] + ag B[k]) × scale: no chain from one point to the next,
** so the loop vectorises (the recursive update is bound by its latency).
** The scale comes last, as in the recursive form, so that a huge amount
** times a tiny volume can't overflow before B[0] = 0 multiplies it. */
static void basis_run(size_t n, double *restrict v, const double *restrict E, const double *restrict B, double ac,
                      double ag, double scale) {
  for (size_t k = 0; k < n; k++) v[k] = (ac * E[k] + ag * B[k]) * scale;
}

/* The first grid index at or after dose time td (as `i × h >= td`, the test
** the dose loop uses), at least `from` and at most `count` (a dose after
** the last grid point, which a lag can make, is past the run). */
static size_t grid_index_at(double td, double h, size_t from, size_t count) {
  double guess = ceil(td / h);
  size_t j;
  if (!(guess < (double)count)) return count;
  j = guess > (double)from ? (size_t)guess : from;
  while (j > from && (double)(j - 1) * h >= td) j--;
  while (j < count && (double)j * h < td) j++;
  return j;
}

/* Fills values[] dose to dose: at each grid point with a dose before it,
** the state is moved exactly to the dose and back onto the grid; from there
** to the point before the next dose, the samples come from the basis,
** re-anchored with an exact move every BASIS points. */
static void sample(k2_curve *c) {
  const k2_pk_model *m = &c->model;
  double E[BASIS], B[BASIS], h = c->step, ag = 0, ac = 0, t = 0;
  size_t next = 0, i = 0;
  fill_basis(m, h, c->count < BASIS ? c->count : BASIS, E, B);
  while (i < c->count) {
    double ti = (double)i * h;
    size_t stop;
    for (; next < c->n_doses && c->doses[next].t <= ti; next++) {
      advance(m, c->doses[next].t - t, &ag, &ac);
      ag += c->doses[next].ug;
      t = c->doses[next].t;
    }
    advance(m, ti - t, &ag, &ac);
    stop = next < c->n_doses ? grid_index_at(c->doses[next].t, h, i + 1, c->count) : c->count;
    while (i < stop) {
      size_t len = stop - i < BASIS ? stop - i : BASIS;
      basis_run(len, c->values + i, E, B, ac, ag, c->scale);
      i += len;
      /* to the next block's first point, or to the last point written */
      advance(m, (double)(i < stop ? len : len - 1) * h, &ag, &ac);
    }
    t = (double)(i - 1) * h;
  }
}

k2_status k2_curve_new(const k2_pk_model *m, const k2_pk_dose *doses, size_t n, double t_end, double step,
                       k2_curve **out, char *msg, size_t cap) {
  size_t count = 0;
  k2_curve *c;
  k2_status rc;
  if (!m || !doses || !out) return K2_EMISUSE;
  *out = NULL;
  if ((rc = k2_pk_check(m, msg, cap)) != K2_OK) return rc;
  if ((rc = check_grid(t_end, step, &count, msg, cap)) != K2_OK) return rc;
  if ((rc = check_doses(doses, n, t_end, msg, cap)) != K2_OK) return rc;
  if (!(c = k2__malloc(sizeof *c))) {
    k2__msg(msg, cap, "not enough memory");
    return K2_ENOMEM;
  }
  memset(c, 0, sizeof *c);
  if (!alloc_values(c, count) || !(c->doses = k2__malloc(n * sizeof *doses))) {
    k2__msg(msg, cap, "not enough memory for a curve of %zu points", count);
    k2_curve_free(c);
    k2__msg(msg, cap, "not enough memory");
    return K2_ENOMEM;
  }
  c->model = *m;
  c->n_doses = n;
  c->step = step;
  c->t_end = t_end;
  c->count = count;
  for (size_t i = 0; i < n; i++) {
    c->doses[i].t = doses[i].t + m->lag;
    c->doses[i].ug = doses[i].ug * m->F;
  }
  qsort(c->doses, n, sizeof *c->doses, by_time);
  c->scale = m->V > 0 ? 1.0 / m->V : 1.0 / (m->F_ref * doses[0].ug * unit_peak(m));
  sample(c);
  *out = c;
  return K2_OK;
}

void k2_curve_free(k2_curve *c) {
  if (!c) return;
  k2__free(c->doses);
  k2__free(c->block);
  k2__free(c);
}

size_t k2_curve_count(const k2_curve *c) { return c ? c->count : 0; }
double k2_curve_step(const k2_curve *c) { return c ? c->step : 0; }
double k2_curve_end(const k2_curve *c) { return c ? c->t_end : 0; }
const double *k2_curve_values(const k2_curve *c) { return c ? c->values : NULL; }
int k2_curve_relative(const k2_curve *c) { return c && !(c->model.V > 0); }

/* ------------------------------------------------------------ exact queries */

/* Walks the run segment by segment: [s, e) between effective dose times. */
typedef struct sweep {
  const k2_curve *c;
  size_t next;
  double t, ag, ac;
} sweep;

/* Next segment; *ag, *ac get the state at its start (doses at s included). */
static int sweep_next(sweep *w, double *s, double *e, double *ag, double *ac) {
  const k2_curve *c = w->c;
  if (w->t >= c->t_end) return 0;
  while (w->next < c->n_doses && c->doses[w->next].t <= w->t) w->ag += c->doses[w->next++].ug;
  *s = w->t;
  *e = w->next < c->n_doses && c->doses[w->next].t < c->t_end ? c->doses[w->next].t : c->t_end;
  *ag = w->ag;
  *ac = w->ac;
  advance(&c->model, *e - *s, &w->ag, &w->ac);
  w->t = *e;
  return *e > *s;
}

static void sweep_start(sweep *w, const k2_curve *c) {
  memset(w, 0, sizeof *w);
  w->c = c;
}

/* Central amount at time q (doses at exactly q included unless before_dose). */
static double amount_at(const k2_curve *c, double q, int before_dose) {
  double ag = 0, ac = 0, t = 0;
  for (size_t i = 0; i < c->n_doses; i++) {
    double td = c->doses[i].t;
    if (td > q || (before_dose && td >= q)) break;
    advance(&c->model, td - t, &ag, &ac);
    ag += c->doses[i].ug;
    t = td;
  }
  advance(&c->model, q - t, &ag, &ac);
  return ac;
}

double k2_curve_at(const k2_curve *c, double t) {
  if (!c || !isfinite(t) || t < 0) return NAN;
  return amount_at(c, t, 0) * c->scale;
}

/* Offset in [0, len] where dAc/dt changes sign from + to −, or 0 / len. */
static double crest(const k2_pk_model *m, double ag, double ac, double len) {
  double lo = 0, hi = len, a1 = ag, c1 = ac;
  if (slope(m, ag, ac) <= 0) return 0;
  advance(m, len, &a1, &c1);
  if (slope(m, a1, c1) > 0) return len; /* still rising (0 means underflow: long gone) */
  for (int i = 0; i < 80 && hi - lo > 1e-12 * (1 + len); i++) {
    double mid = (lo + hi) / 2, a2 = ag, c2 = ac;
    advance(m, mid, &a2, &c2);
    if (slope(m, a2, c2) > 0) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/* Clips segment [s, e) to [a, b]; moves the state to the clipped start. */
static int clip(const k2_pk_model *m, double a, double b, double *s, double *e, double *ag, double *ac) {
  double lo = *s > a ? *s : a, hi = *e < b ? *e : b;
  if (hi <= lo) return 0;
  advance(m, lo - *s, ag, ac);
  *s = lo;
  *e = hi;
  return 1;
}

/* [a, b] past the run's end (the sweep w stopped there): the model still
** holds, and doses whose lag puts them past the end are absorbed then.
** Adds the area to *area and raises *best / *when (either may be NULL). */
static void past_end(const k2_curve *c, const sweep *w, double a, double b, double *best, double *when, double *area) {
  double t = c->t_end, ag = w->ag, ac = w->ac;
  size_t next = w->next;
  while (t < b) {
    double e, s = t, g, x;
    while (next < c->n_doses && c->doses[next].t <= t) ag += c->doses[next++].ug;
    e = next < c->n_doses && c->doses[next].t < b ? c->doses[next].t : b;
    g = ag;
    x = ac;
    if (e > a) {
      if (s < a) { advance(&c->model, a - s, &g, &x); s = a; }
      if (area) *area += integral(&c->model, e - s, g, x);
      if (best) {
        double u = crest(&c->model, g, x, e - s);
        advance(&c->model, u, &g, &x);
        if (x > *best) { *best = x; *when = s + u; }
      }
    }
    advance(&c->model, e - t, &ag, &ac);
    t = e;
  }
}

double k2_curve_auc(const k2_curve *c, double a, double b) {
  sweep w;
  double s, e, ag, ac, total = 0;
  if (!c || !(a >= 0) || !(b >= a) || !isfinite(b)) return NAN;
  sweep_start(&w, c);
  while (sweep_next(&w, &s, &e, &ag, &ac))
    if (clip(&c->model, a, b, &s, &e, &ag, &ac)) total += integral(&c->model, e - s, ag, ac);
  if (b > c->t_end) past_end(c, &w, a, b, NULL, NULL, &total);
  return total * c->scale;
}

void k2_curve_peak(const k2_curve *c, double a, double b, double *cmax, double *tmax) {
  sweep w;
  double s, e, ag, ac, best = -1, when = a;
  *cmax = NAN;
  *tmax = NAN;
  if (!c || !(a >= 0) || !(b >= a)) return;
  sweep_start(&w, c);
  while (sweep_next(&w, &s, &e, &ag, &ac)) {
    double u, a2, c2;
    if (!clip(&c->model, a, b, &s, &e, &ag, &ac)) continue;
    u = crest(&c->model, ag, ac, e - s);
    a2 = ag;
    c2 = ac;
    advance(&c->model, u, &a2, &c2);
    if (c2 > best) { best = c2; when = s + u; }
  }
  if (b > c->t_end && isfinite(b)) past_end(c, &w, a, b, &best, &when, NULL);
  if (best < 0 && a == b && isfinite(a)) { best = amount_at(c, a, 0); when = a; } /* an instant */
  if (best < 0) return;
  *cmax = best * c->scale;
  *tmax = when;
}

/* One pass over the run cut into intervals of `every` hours: the state
** (gut, central) moves forward piece by piece, a piece ending at the next
** dose or the interval's end, so the work is doses + intervals (each interval
** asked of k2_curve_peak and k2_curve_auc would sweep from 0: quadratic). */
k2_status k2_curve_intervals(const k2_curve *c, double every, k2_pk_interval *out, size_t cap, size_t *n,
                             char *msg, size_t msgcap) {
  double t = 0, ag = 0, ac = 0, count;
  size_t next = 0, k = 0;
  if (!c || !out || !n) return K2_EMISUSE;
  if (!finite_positive(every)) return bad(msg, msgcap, "the interval must be above 0 hours");
  count = ceil(c->t_end / every - 1e-9);
  if (count > K2_PK_MAX_INTERVALS || count > (double)cap) {
    k2__msg(msg, msgcap, "the run has %.0f intervals; at most %d (the limit pk_max_intervals): "
            "ask for fewer doses or a shorter run", count, K2_PK_MAX_INTERVALS);
    return K2_EINPUT;
  }
  while (t < c->t_end - 1e-9 && k < cap) {
    double b = t + every < c->t_end ? t + every : c->t_end, best = -1, when = t, auc = 0;
    k2_pk_interval *iv = &out[k++];
    iv->start = t;
    while (t < b) {
      double e, u, a2, c2;
      while (next < c->n_doses && c->doses[next].t <= t) ag += c->doses[next++].ug;
      e = next < c->n_doses && c->doses[next].t < b ? c->doses[next].t : b;
      u = crest(&c->model, ag, ac, e - t);
      a2 = ag; c2 = ac;
      advance(&c->model, u, &a2, &c2);
      if (c2 > best) { best = c2; when = t + u; }
      auc += integral(&c->model, e - t, ag, ac);
      advance(&c->model, e - t, &ag, &ac);
      t = e;
    }
    iv->cmax = best * c->scale;
    iv->tmax = when;
    iv->auc = auc * c->scale;
    iv->trough = ac * c->scale;
  }
  *n = k;
  return K2_OK;
}

/* Time within [0, len] spent above `level` (amount units) by a rise-then-fall segment. */
static double segment_above(const k2_pk_model *m, double ag, double ac, double len, double level) {
  double top = crest(m, ag, ac, len), a1 = ag, c1 = ac, a2, c2, up = 0, down = len;
  advance(m, top, &a1, &c1);
  if (c1 <= level) return 0;
  if (ac <= level) { /* rising crossing in [0, top] */
    double lo = 0, hi = top;
    for (int i = 0; i < 80; i++) {
      double mid = (lo + hi) / 2;
      a2 = ag; c2 = ac;
      advance(m, mid, &a2, &c2);
      if (c2 > level) hi = mid; else lo = mid;
    }
    up = hi;
  }
  a2 = ag; c2 = ac;
  advance(m, len, &a2, &c2);
  if (c2 <= level) { /* falling crossing in [top, len] */
    double lo = top, hi = len;
    for (int i = 0; i < 80; i++) {
      double mid = (lo + hi) / 2;
      a2 = ag; c2 = ac;
      advance(m, mid, &a2, &c2);
      if (c2 > level) lo = mid; else hi = mid;
    }
    down = lo;
  }
  return down > up ? down - up : 0;
}

double k2_curve_time_above(const k2_curve *c, double level) {
  sweep w;
  double s, e, ag, ac, total = 0;
  if (!c || !isfinite(level)) return NAN;
  sweep_start(&w, c);
  while (sweep_next(&w, &s, &e, &ag, &ac)) total += segment_above(&c->model, ag, ac, e - s, level / c->scale);
  return total;
}

double k2_curve_trough(const k2_curve *c) {
  if (!c) return NAN;
  if (c->n_doses < 2) return amount_at(c, c->t_end, 0) * c->scale;
  return amount_at(c, c->doses[c->n_doses - 1].t, 1) * c->scale;
}

/* ------------------------------------------------------------ steady state */

/* Fraction of the steady-state average reached t hours after regular dosing starts. */
static double ss_fraction(const k2_pk_model *m, double t) {
  return -expm1(-m->ke * t) - m->ke * bateman(m->ka, m->ke, t);
}

static double time_to_fraction(const k2_pk_model *m, double p) {
  double lo = 0, hi = 1;
  /* doubling reaches any finite time (about 1000 steps at most): no cap that
  ** would report the cap itself for a very slow elimination */
  while (ss_fraction(m, hi) < p && hi < 1e300) hi *= 2;
  for (int i = 0; i < 200; i++) {
    double mid = (lo + hi) / 2;
    if (ss_fraction(m, mid) < p) lo = mid; else hi = mid;
  }
  return m->lag + (lo + hi) / 2;
}

k2_status k2_pk_steady_state(const k2_pk_model *m, double ug, double tau, k2_pk_steady *out, char *msg, size_t cap) {
  double ag, ac, top, a1, c1, scale, single_first;
  char limit[48];
  k2_status rc;
  k2_pk_dose one;
  k2_curve *first = NULL;
  if (!m || !out) return K2_EMISUSE;
  if ((rc = k2_pk_check(m, msg, cap)) != K2_OK) return rc;
  if (!finite_positive(ug) || ug > K2_DOSE_MAX_UG)
    return bad_limit(msg, cap, "the dose must be above 0 and at most %s", k2__ug_words(K2_DOSE_MAX_UG, limit, sizeof limit));
  if (!finite_positive(tau) || tau > K2_DURATION_MAX_H)
    return bad_limit(msg, cap, "the dosing interval must be above 0 and at most %s",
                     k2__hours_words(K2_DURATION_MAX_H, limit, sizeof limit));
  /* State just after a dose at steady state: both geometric series summed. */
  ag = m->F * ug / -expm1(-m->ka * tau);
  ac = ag * m->ka * bateman(m->ka, m->ke, tau) / -expm1(-m->ke * tau);
  scale = m->V > 0 ? 1.0 / m->V : 1.0 / (m->F_ref * ug * unit_peak(m));
  top = crest(m, ag, ac, tau);
  a1 = ag;
  c1 = ac;
  advance(m, top, &a1, &c1);
  out->peak = c1 * scale;
  out->tmax_h = m->lag + top;
  out->trough = ac * scale;
  out->auc_tau = integral(m, tau, ag, ac) * scale;
  out->average = out->auc_tau / tau;
  /* with the terminal (slower) rate: ka when absorption is the slower step (flip-flop) */
  out->accumulation = 1.0 / -expm1(-(m->ka < m->ke ? m->ka : m->ke) * tau);
  out->t50_h = time_to_fraction(m, 0.5);
  out->t90_h = time_to_fraction(m, 0.9);
  one.t = 0;
  one.ug = ug;
  /* The first interval of a single dose, for the ratios: [0, tau] in clock time. */
  rc = k2_curve_new(m, &one, 1, tau, tau, &first, msg, cap);
  if (rc != K2_OK) return rc;
  k2_curve_peak(first, 0, tau, &single_first, &a1);
  out->peak_ratio = single_first > 0 ? out->peak / single_first : NAN;
  out->auc_ratio = out->auc_tau / k2_curve_auc(first, 0, tau);
  k2_curve_free(first);
  return K2_OK;
}

/* ------------------------------------------------------------ population */

/* Per-subject state, one array per quantity so the subject loop vectorises.
** cmax and sum are kept in amounts (Ac); the per-subject scale to
** concentration is applied once at the end, since it is positive and so
** commutes with max and sum. */
typedef struct cohort {
  size_t n;
  double *ka, *ke, *scale, *ek, *ea, *x, *ag, *ac, *cmax, *sum;
} cohort;

/* Subjects per block when no bands are asked for: a block's state (10
** arrays) stays in the L1 cache while it runs through every time point. */
#define COHORT_BLOCK 256

static uint64_t splitmix64(uint64_t *state) {
  uint64_t z = (*state += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

/* A standard normal draw (Box–Muller; the second value of the pair is dropped). */
static double normal(uint64_t *state) {
  double u1 = ((double)(splitmix64(state) >> 11) + 0.5) / 9007199254740992.0;
  double u2 = (double)(splitmix64(state) >> 11) / 9007199254740992.0;
  return sqrt(-2.0 * log(u1)) * cos(6.283185307179586 * u2);
}

/* Typical value × e^η, η ~ N(0, ln(1 + cv²)). */
static double lognormal(double typical, double cv, uint64_t *state) {
  return cv > 0 ? typical * exp(sqrt(log1p(cv * cv)) * normal(state)) : typical;
}

static int cohort_alloc(cohort *c, size_t n) {
  double **fields[] = {&c->ka, &c->ke, &c->scale, &c->ek, &c->ea, &c->x, &c->ag, &c->ac, &c->cmax, &c->sum};
  size_t k = sizeof fields / sizeof fields[0];
  double *block = k2__malloc(k * n * sizeof(double));
  if (!block) return 0;
  memset(block, 0, k * n * sizeof(double));
  for (size_t i = 0; i < k; i++) *fields[i] = block + i * n;
  c->n = n;
  return 1;
}

/* Subjects [from, from + n) of c, sharing its arrays. */
static cohort cohort_slice(const cohort *c, size_t from, size_t n) {
  cohort s = {n, c->ka + from, c->ke + from, c->scale + from, c->ek + from, c->ea + from, c->x + from,
              c->ag + from, c->ac + from, c->cmax + from, c->sum + from};
  return s;
}

static void cohort_draw(cohort *c, const k2_pk_model *m, const k2_pk_variability *iiv, uint64_t seed, double h,
                        double typical_scale) {
  uint64_t state = seed;
  for (size_t j = 0; j < c->n; j++) {
    double V;
    c->ka[j] = lognormal(m->ka, iiv ? iiv->cv_ka : 0, &state);
    c->ke[j] = lognormal(m->ke, iiv ? iiv->cv_ke : 0, &state);
    V = m->V > 0 ? lognormal(m->V, iiv ? iiv->cv_V : 0, &state) : 0;
    c->scale[j] = V > 0 ? 1.0 / V : typical_scale;
    c->ek[j] = exp(-c->ke[j] * h);
    c->ea[j] = exp(-c->ka[j] * h);
    c->x[j] = c->ka[j] * bateman(c->ka[j], c->ke[j], h);
  }
}

/* One grid step for every subject, with the factors drawn for it. */
static void cohort_step(cohort *c) {
  for (size_t j = 0; j < c->n; j++) { /* subjects innermost: independent, vectorisable */
    c->ac[j] = c->ac[j] * c->ek[j] + c->ag[j] * c->x[j];
    c->ag[j] *= c->ea[j];
  }
}

/* Moves every subject by d hours (exact; used around doses). A move of one
** grid step, the usual case when doses fall on the grid, reuses the step's
** factors instead of computing exponentials per subject. */
static void cohort_move(cohort *c, double d, double h) {
  if (d == 0) return;
  if (d == h) {
    cohort_step(c);
    return;
  }
  for (size_t j = 0; j < c->n; j++) advance_rates(c->ka[j], c->ke[j], d, &c->ag[j], &c->ac[j]);
}

/* Adds this time point to each subject's peak and trapezoid sum (weight w:
** ½ at the first point; the last point's other half is taken off at the end). */
static void cohort_sample(cohort *c, double w) {
  for (size_t j = 0; j < c->n; j++) {
    double a = c->ac[j];
    c->sum[j] += w * a;
    c->cmax[j] = a > c->cmax[j] ? a : c->cmax[j];
  }
}

/* The grid step and the sample in one pass, for the points between doses.
** The arrays are distinct (restrict), so the loop vectorises. */
static void step_sample(size_t n, double *restrict ac, double *restrict ag, double *restrict sum,
                        double *restrict cmax, const double *restrict ek, const double *restrict ea,
                        const double *restrict x) {
  for (size_t j = 0; j < n; j++) {
    double a = ac[j] * ek[j] + ag[j] * x[j], top = cmax[j];
    ag[j] *= ea[j];
    ac[j] = a;
    sum[j] += a;
    cmax[j] = a > top ? a : top;
  }
}

static void cohort_step_sample(cohort *c) {
  step_sample(c->n, c->ac, c->ag, c->sum, c->cmax, c->ek, c->ea, c->x);
}

static void swap(double *a, double *b) {
  double t = *a;
  *a = *b;
  *b = t;
}

/* Puts the k-th smallest of a[0..n) at a[k] (quickselect, median-of-three pivot). */
static void select_kth(double *a, size_t n, size_t k) {
  size_t lo = 0, hi = n - 1;
  while (hi > lo) {
    size_t mid = lo + (hi - lo) / 2, i = lo, j = hi;
    double pivot;
    if (a[mid] < a[lo]) swap(&a[mid], &a[lo]);
    if (a[hi] < a[lo]) swap(&a[hi], &a[lo]);
    if (a[hi] < a[mid]) swap(&a[hi], &a[mid]);
    pivot = a[mid];
    while (i <= j) {
      while (a[i] < pivot) i++;
      while (a[j] > pivot) j--;
      if (i <= j) {
        swap(&a[i], &a[j]);
        i++;
        if (j == 0) break;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return;
  }
}

/* 5th, 50th, 95th percentiles (nearest rank) of the current concentrations. */
static void cohort_bands(const cohort *c, double *work, k2_population *pop, size_t i) {
  size_t n = c->n, last = n - 1;
  size_t k5 = (size_t)(0.05 * (double)last + 0.5), k50 = (size_t)(0.50 * (double)last + 0.5);
  size_t k95 = (size_t)(0.95 * (double)last + 0.5);
  for (size_t j = 0; j < n; j++) work[j] = c->ac[j] * c->scale[j];
  select_kth(work, n, k50);
  pop->p50[i] = work[k50];
  if (k5 < k50) select_kth(work, k50, k5);
  pop->p5[i] = work[k5];
  if (k95 > k50) select_kth(work + k50 + 1, n - k50 - 1, k95 - k50 - 1);
  pop->p95[i] = work[k95];
}

static void population_run(k2_population *pop, cohort *c, double *work, const k2_pk_model *m,
                           const k2_pk_dose *doses, size_t n_doses) {
  double h = pop->step, t = 0;
  size_t next = 0;
  for (size_t i = 0; i < pop->count; i++) {
    double ti = (double)i * h;
    if (next < n_doses && doses[next].t + m->lag <= ti) {
      for (; next < n_doses && doses[next].t + m->lag <= ti; next++) {
        cohort_move(c, doses[next].t + m->lag - t, h);
        for (size_t j = 0; j < c->n; j++) c->ag[j] += doses[next].ug * m->F;
        t = doses[next].t + m->lag;
      }
      cohort_move(c, ti - t, h);
      cohort_sample(c, i == 0 ? 0.5 : 1.0);
    } else if (i > 0) {
      cohort_step_sample(c);
    } else {
      cohort_sample(c, 0.5);
    }
    t = ti;
    if (pop->p50) cohort_bands(c, work, pop, i);
  }
}

/* Runs c in blocks that fit the cache, or whole when bands need every
** subject at each time point; then turns amounts into concentrations. */
static void population_all(k2_population *pop, cohort *c, double *work, const k2_pk_model *m,
                           const k2_pk_dose *doses, size_t n_doses) {
  size_t block = pop->p50 ? c->n : COHORT_BLOCK;
  double sum_cmax = 0, sum_auc = 0;
  for (size_t from = 0; from < c->n; from += block) {
    cohort s = cohort_slice(c, from, c->n - from < block ? c->n - from : block);
    population_run(pop, &s, work, m, doses, n_doses);
  }
  for (size_t j = 0; j < c->n; j++) {
    sum_cmax += c->cmax[j] * c->scale[j];
    sum_auc += (c->sum[j] - 0.5 * c->ac[j]) * pop->step * c->scale[j];
  }
  pop->mean_cmax = sum_cmax / (double)c->n;
  pop->mean_auc = sum_auc / (double)c->n;
}

static k2_status check_population(const k2_pk_variability *iiv, size_t subjects, char *msg, size_t cap) {
  if (subjects < 2 || subjects > K2_PK_MAX_SUBJECTS) {
    k2__msg(msg, cap, "the number of subjects must be 2 to %d", K2_PK_MAX_SUBJECTS);
    return K2_EINPUT;
  }
  if (iiv && (!(iiv->cv_ka >= 0 && iiv->cv_ka <= 5) || !(iiv->cv_ke >= 0 && iiv->cv_ke <= 5) ||
              !(iiv->cv_V >= 0 && iiv->cv_V <= 5)))
    return bad(msg, cap, "each coefficient of variation must be 0 to 5 (0.3 is 30 %)");
  return K2_OK;
}

k2_status k2_pk_budget_check(size_t n_doses, size_t subjects, size_t points, char *msg, size_t cap) {
  double work = ((double)n_doses + (double)points) * (double)(subjects ? subjects : 1);
  char limit[48];
  if (n_doses > K2_PK_MAX_DOSES) {
    k2__msg(msg, cap, "too many doses (%zu; at most %d, the limit pk_max_doses): dose less often or for fewer days",
            n_doses, K2_PK_MAX_DOSES);
    return K2_EINPUT;
  }
  if (points > K2_PK_MAX_POINTS) {
    k2__msg(msg, cap, "too many points (%zu; at most %d, the limit pk_max_points): use a larger step or a shorter run",
            points, K2_PK_MAX_POINTS);
    return K2_EINPUT;
  }
  if (subjects > 1 && work > K2_PK_MAX_POPULATION_WORK) {
    k2_format_number(K2_PK_MAX_POPULATION_WORK, 0, limit, sizeof limit);
    k2__msg(msg, cap,
            "a population of %zu subjects over %zu doses and %zu points is too much work "
            "((doses + points) × subjects at most %s, the limit pk_max_population_work): "
            "use fewer subjects, a larger step or a shorter run",
            subjects, n_doses, points, limit);
    return K2_EINPUT;
  }
  return K2_OK;
}

k2_status k2_pk_population(const k2_pk_model *m, const k2_pk_variability *iiv, size_t subjects, uint64_t seed,
                           const k2_pk_dose *doses, size_t n_doses, double t_end, double step, int bands,
                           k2_population **out, char *msg, size_t cap) {
  size_t count = 0;
  k2_population *pop;
  double *work = NULL;
  cohort c;
  k2_status rc;
  if (!m || !doses || !out) return K2_EMISUSE;
  *out = NULL;
  if ((rc = k2_pk_check(m, msg, cap)) != K2_OK) return rc;
  if ((rc = check_population(iiv, subjects, msg, cap)) != K2_OK) return rc;
  if ((rc = check_grid(t_end, step, &count, msg, cap)) != K2_OK) return rc;
  if ((rc = k2_pk_budget_check(n_doses, subjects, count, msg, cap)) != K2_OK) return rc;
  if ((rc = check_doses(doses, n_doses, t_end, msg, cap)) != K2_OK) return rc;
  pop = k2__malloc(sizeof *pop + (bands ? 3 * count * sizeof(double) : 0));
  if (bands) work = k2__malloc(subjects * sizeof *work);
  if (!pop || (bands && !work) || !cohort_alloc(&c, subjects)) {
    k2__free(pop);
    k2__free(work);
    k2__msg(msg, cap, "not enough memory for %zu subjects", subjects);
    return K2_ENOMEM;
  }
  memset(pop, 0, sizeof *pop);
  pop->subjects = subjects;
  pop->count = count;
  pop->step = step;
  pop->relative = !(m->V > 0);
  if (bands) {
    pop->p5 = (double *)(pop + 1);
    pop->p50 = pop->p5 + count;
    pop->p95 = pop->p50 + count;
  }
  cohort_draw(&c, m, iiv, seed, step, 1.0 / (m->F_ref * doses[0].ug * unit_peak(m)));
  population_all(pop, &c, work, m, doses, n_doses);
  k2__free(c.ka);
  k2__free(work);
  *out = pop;
  return K2_OK;
}

void k2_population_free(k2_population *pop) { k2__free(pop); }
