/*
** k2_sample.c — reading a curve's or a population's grid for display: values
** at n evenly spaced times (linear interpolation between grid samples), the
** lowest and highest sample in each of n equal buckets of the grid (so a plot
** column shows the whole swing inside it), and the percentile bands of a
** population resampled like a curve. Times in h; values in the curve's own
** unit (ng/mL, or relative when V = 0). Works on the public accessors of
** k2.h only: the model itself lives in k2_pk.c.
*/
#include "k2.h"
#include "k2_int.h"

#include <math.h>

/* Linear interpolation of samples v[0..count) (t = i × step) at time t >= 0;
** past the last sample, the last sample. */
static double interpolate(const double *v, size_t count, double step, double t) {
  double pos = t / step, f;
  size_t i = (size_t)pos;
  if (i + 1 >= count) return v[count - 1];
  f = pos - (double)i;
  return v[i] * (1 - f) + v[i + 1] * f;
}

static k2_status check_n(size_t n, char *msg, size_t cap) {
  if (n >= 2 && n <= K2_PK_MAX_SAMPLES) return K2_OK;
  k2__msg(msg, cap, "n must be 2 to %d", K2_PK_MAX_SAMPLES);
  return K2_EMISUSE;
}

/* out[i] = interpolation at from + (to − from)·i/(n − 1), i = 0..n−1. */
static void resample(const double *v, size_t count, double step, size_t n, double from, double to, double *out) {
  for (size_t i = 0; i < n; i++) {
    double t = from + (to - from) * (double)i / (double)(n - 1);
    out[i] = interpolate(v, count, step, t);
  }
}

k2_status k2_curve_sample(const k2_curve *c, size_t n, double from_h, double to_h, double *out, char *msg,
                          size_t msgcap) {
  double t_end;
  k2_status rc;
  if (!c || !out) return K2_EMISUSE;
  if ((rc = check_n(n, msg, msgcap)) != K2_OK) return rc;
  t_end = k2_curve_end(c);
  /* The end may be given as computed by the caller: allow a rounding's worth past it. */
  if (!(from_h >= 0 && to_h > from_h && to_h <= t_end * (1 + 1e-12))) {
    k2__msg(msg, msgcap, "%s", "window must lie within the run");
    return K2_EMISUSE;
  }
  resample(k2_curve_values(c), k2_curve_count(c), k2_curve_step(c), n, from_h, to_h, out);
  return K2_OK;
}

k2_status k2_curve_envelope(const k2_curve *c, size_t n, double *lo, double *hi, char *msg, size_t msgcap) {
  const double *v;
  size_t count;
  k2_status rc;
  if (!c || !lo || !hi) return K2_EMISUSE;
  if ((rc = check_n(n, msg, msgcap)) != K2_OK) return rc;
  v = k2_curve_values(c);
  count = k2_curve_count(c);
  for (size_t b = 0; b < n; b++) {
    size_t first = (size_t)((double)b * (double)count / (double)n);
    size_t last = (size_t)((double)(b + 1) * (double)count / (double)n);
    /* More buckets than samples: a bucket holds the sample it falls on. */
    if (last <= first) last = first + 1;
    if (last > count) last = count;
    if (first >= count) first = count - 1;
    lo[b] = HUGE_VAL;
    hi[b] = -HUGE_VAL;
    for (size_t i = first; i < last; i++) {
      if (v[i] < lo[b]) lo[b] = v[i];
      if (v[i] > hi[b]) hi[b] = v[i];
    }
  }
  return K2_OK;
}

k2_status k2_population_sample(const k2_population *p, size_t n, double *p5, double *p50, double *p95, char *msg,
                               size_t msgcap) {
  double t_end;
  k2_status rc;
  if (!p || !p5 || !p50 || !p95) return K2_EMISUSE;
  if (!p->p50) {
    k2__msg(msg, msgcap, "%s", "this population was run without percentile bands");
    return K2_EMISUSE;
  }
  if ((rc = check_n(n, msg, msgcap)) != K2_OK) return rc;
  t_end = (double)(p->count - 1) * p->step;
  resample(p->p5, p->count, p->step, n, 0, t_end, p5);
  resample(p->p50, p->count, p->step, n, 0, t_end, p50);
  resample(p->p95, p->count, p->step, n, 0, t_end, p95);
  return K2_OK;
}
