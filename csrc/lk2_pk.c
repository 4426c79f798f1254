/*
** lk2_pk.c — the Lua binding of the pharmacokinetic model (k2_pk.c,
** k2_sample.c): curves and populations as handles whose samples stay in C
** memory (no Lua table per point), the analytic steady state and the peak
** time helpers. The parameter sets are a store method (lk2_store.c). Units as in k2.h: µg, h, 1/h, L, ng/mL or relative.
** Argument shapes are the Lua layer's (lua/k2/pk.lua): a model is a table
** {ka, ke, F, F_ref, V, lag}; doses are a flat list {t1, ug1, t2, ug2, ...}.
** Curves and populations are handles (lk2.h): the handle exists before the
** C object it owns, so an error while building or pushing can't leak it.
** Reading grids for plots (sample, envelope) is the core's (k2_sample.c);
** this file only checks, calls and pushes.
*/
#include "lk2.h"

#include <math.h>

/* ------------------------------------------------------------ arguments */

static double field_number(lua_State *L, int t, const char *key) {
  double v;
  lua_getfield(L, t, key);
  if (lua_type(L, -1) != LUA_TNUMBER) luaL_error(L, "model field '%s' must be a number", key);
  v = lua_tonumber(L, -1);
  lua_pop(L, 1);
  return v;
}

static void check_model(lua_State *L, int t, k2_pk_model *m) {
  luaL_checktype(L, t, LUA_TTABLE);
  m->ka = field_number(L, t, "ka");
  m->ke = field_number(L, t, "ke");
  m->F = field_number(L, t, "F");
  m->F_ref = field_number(L, t, "F_ref");
  m->V = field_number(L, t, "V");
  m->lag = field_number(L, t, "lag");
}

/* Reads {t1, ug1, t2, ug2, ...} into a temporary userdata (collected with the call). */
static k2_pk_dose *check_doses(lua_State *L, int t, size_t *n) {
  size_t len;
  k2_pk_dose *d;
  luaL_checktype(L, t, LUA_TTABLE);
  len = raw_len(L, t);
  luaL_argcheck(L, len >= 2 && len % 2 == 0, t, "doses must be a list {time, µg, time, µg, ...}");
  luaL_argcheck(L, len / 2 <= K2_PK_MAX_DOSES, t, lua_pushfstring(L, "too many doses (at most %d)", K2_PK_MAX_DOSES));
  *n = len / 2;
  d = (k2_pk_dose *)new_userdata(L, *n * sizeof *d);
  for (size_t i = 0; i < *n; i++) {
    lua_rawgeti(L, t, (int)(2 * i + 1));
    lua_rawgeti(L, t, (int)(2 * i + 2));
    if (lua_type(L, -2) != LUA_TNUMBER || lua_type(L, -1) != LUA_TNUMBER) luaL_argerror(L, t, "doses must be numbers");
    d[i].t = lua_tonumber(L, -2);
    d[i].ug = lua_tonumber(L, -1);
    lua_pop(L, 2);
  }
  return d;
}

static k2_curve *check_curve(lua_State *L) {
  return (k2_curve *)lk2_check_open(L, 1, LK2_CURVE_MT, "k2 curve");
}

static k2_population *check_population(lua_State *L) {
  return (k2_population *)lk2_check_open(L, 1, LK2_POPULATION_MT, "k2 population");
}

/* The n in sample(n)/envelope(n): 2..K2_PK_MAX_SAMPLES. */
static size_t check_sample_count(lua_State *L, int i) {
  lua_Integer n = luaL_checkinteger(L, i);
  luaL_argcheck(L, n >= 2 && n <= K2_PK_MAX_SAMPLES, i, lua_pushfstring(L, "n must be 2 to %d", K2_PK_MAX_SAMPLES));
  return (size_t)n;
}

/* Room for n doubles, collected with the call (so a raised error can't leak it). */
static double *scratch(lua_State *L, size_t n) {
  return (double *)new_userdata(L, n * sizeof(double));
}

/* ------------------------------------------------------------ curves */

/* pk_curve(model, doses, t_end, step) → curve | nil, message */
static int pk_curve(lua_State *L) {
  k2_pk_model m;
  size_t n;
  k2_pk_dose *doses;
  double t_end = luaL_checknumber(L, 3), step = luaL_checknumber(L, 4);
  char msg[256];
  lk2_handle *h;
  k2_curve *c = NULL;
  k2_status rc;
  check_model(L, 1, &m);
  doses = check_doses(L, 2, &n);
  h = lk2_new_handle(L, LK2_CURVE_MT);
  rc = k2_curve_new(&m, doses, n, t_end, step, &c, msg, sizeof msg);
  h->ptr = c;
  if (rc != K2_OK) return lk2_push_failure(L, rc, msg);
  /* The samples live outside Lua's heap: tell the collector about them, so a
  ** loop making curves frees the old ones instead of growing without bound. */
  lua_gc(L, LUA_GCSTEP, (int)(k2_curve_count(c) / 128));
  return 1;
}

/* curve:intervals(every) → {{start=, cmax=, tmax=, trough=, auc=}, ...} | nil, message */
static int curve_intervals(lua_State *L) {
  k2_curve *c = check_curve(L);
  double every = luaL_checknumber(L, 2);
  char msg[256];
  size_t n = 0;
  k2_pk_interval *list = lua_newuserdata(L, K2_PK_MAX_INTERVALS * sizeof *list);
  k2_status rc = k2_curve_intervals(c, every, list, K2_PK_MAX_INTERVALS, &n, msg, sizeof msg);
  if (rc != K2_OK) return lk2_push_failure(L, rc, msg);
  lua_createtable(L, (int)n, 0);
  for (size_t i = 0; i < n; i++) {
    lua_createtable(L, 0, 5);
    lk2_set_number(L, "start", list[i].start);
    lk2_set_number(L, "cmax", list[i].cmax);
    lk2_set_number(L, "tmax", list[i].tmax);
    lk2_set_number(L, "trough", list[i].trough);
    lk2_set_number(L, "auc", list[i].auc);
    lua_rawseti(L, -2, (int)i + 1);
  }
  return 1;
}

/* An integer in both runtimes (1441, not 1441.0 in Lua 5.4). */
static int curve_count(lua_State *L) { lua_pushinteger(L, (lua_Integer)k2_curve_count(check_curve(L))); return 1; }
static int curve_step(lua_State *L) { lua_pushnumber(L, k2_curve_step(check_curve(L))); return 1; }
static int curve_t_end(lua_State *L) { lua_pushnumber(L, k2_curve_end(check_curve(L))); return 1; }
static int curve_relative(lua_State *L) { lua_pushboolean(L, k2_curve_relative(check_curve(L))); return 1; }

static int curve_at(lua_State *L) {
  k2_curve *c = check_curve(L);
  double t = luaL_checknumber(L, 2);
  luaL_argcheck(L, t >= 0 && isfinite(t), 2, "time must be 0 or more hours");
  lua_pushnumber(L, k2_curve_at(c, t));
  return 1;
}

/* Optional [from, to] window, defaulting to the whole run. */
static void window(lua_State *L, k2_curve *c, double *a, double *b) {
  *a = luaL_optnumber(L, 2, 0);
  *b = luaL_optnumber(L, 3, k2_curve_end(c));
  luaL_argcheck(L, *a >= 0 && isfinite(*a), 2, "start must be 0 or more hours");
  luaL_argcheck(L, *b >= *a && isfinite(*b), 3, "end must not be before the start");
}

static int curve_auc(lua_State *L) {
  k2_curve *c = check_curve(L);
  double a, b;
  window(L, c, &a, &b);
  lua_pushnumber(L, k2_curve_auc(c, a, b));
  return 1;
}

static int curve_peak(lua_State *L) {
  k2_curve *c = check_curve(L);
  double a, b, cmax, tmax;
  window(L, c, &a, &b);
  k2_curve_peak(c, a, b, &cmax, &tmax);
  lua_pushnumber(L, cmax);
  lua_pushnumber(L, tmax);
  return 2;
}

static int curve_above(lua_State *L) {
  k2_curve *c = check_curve(L);
  double level = luaL_checknumber(L, 2);
  luaL_argcheck(L, isfinite(level), 2, "level must be a finite number");
  lua_pushnumber(L, k2_curve_time_above(c, level));
  return 1;
}

static int curve_trough(lua_State *L) { lua_pushnumber(L, k2_curve_trough(check_curve(L))); return 1; }

/* curve:value(i) → the i-th sample (1-based) and its time. */
static int curve_value(lua_State *L) {
  k2_curve *c = check_curve(L);
  lua_Integer i = luaL_checkinteger(L, 2);
  luaL_argcheck(L, i >= 1 && (size_t)i <= k2_curve_count(c), 2, "sample index out of range");
  lua_pushnumber(L, k2_curve_values(c)[i - 1]);
  lua_pushnumber(L, (double)(i - 1) * k2_curve_step(c));
  return 2;
}

/* curve:sample(n [, from, to]) → n values evenly spaced in time (for plots). */
static int curve_sample(lua_State *L) {
  k2_curve *c = check_curve(L);
  size_t n = check_sample_count(L, 2);
  double a = luaL_optnumber(L, 3, 0), b = luaL_optnumber(L, 4, k2_curve_end(c));
  double *v = scratch(L, n);
  char msg[128];
  k2_status rc = k2_curve_sample(c, n, a, b, v, msg, sizeof msg);
  if (rc == K2_EMISUSE) return luaL_argerror(L, 3, msg);
  if (rc != K2_OK) return lk2_push_failure(L, rc, msg);
  lk2_push_numbers(L, v, n);
  return 1;
}

/* curve:envelope(n) → two lists, the lowest and highest sample in each of n
** equal time buckets (a plot column shows the whole swing inside it). */
static int curve_envelope(lua_State *L) {
  k2_curve *c = check_curve(L);
  size_t n = check_sample_count(L, 2);
  double *lo = scratch(L, n), *hi = scratch(L, n);
  char msg[128];
  k2_status rc = k2_curve_envelope(c, n, lo, hi, msg, sizeof msg);
  if (rc != K2_OK) return lk2_push_failure(L, rc, msg);
  lk2_push_numbers(L, lo, n);
  lk2_push_numbers(L, hi, n);
  return 2;
}

/* close, free, __gc and __close: idempotent. */
static int curve_close(lua_State *L) {
  lk2_handle *h = lk2_to_handle(L, 1, LK2_CURVE_MT);
  k2_curve_free((k2_curve *)h->ptr);
  h->ptr = NULL;
  return 0;
}

/* ------------------------------------------------------------ steady state, helpers */

/* pk_steady(model, ug, tau) → {peak, trough, ...} | nil, message */
static int pk_steady(lua_State *L) {
  k2_pk_model m;
  k2_pk_steady ss;
  char msg[256];
  k2_status rc;
  check_model(L, 1, &m);
  rc = k2_pk_steady_state(&m, luaL_checknumber(L, 2), luaL_checknumber(L, 3), &ss, msg, sizeof msg);
  if (rc != K2_OK) return lk2_push_failure(L, rc, msg);
  lua_createtable(L, 0, 10);
  lk2_set_number(L, "peak", ss.peak);
  lk2_set_number(L, "trough", ss.trough);
  lk2_set_number(L, "tmax_h", ss.tmax_h);
  lk2_set_number(L, "auc_tau", ss.auc_tau);
  lk2_set_number(L, "average", ss.average);
  lk2_set_number(L, "accumulation", ss.accumulation);
  lk2_set_number(L, "peak_ratio", ss.peak_ratio);
  lk2_set_number(L, "auc_ratio", ss.auc_ratio);
  lk2_set_number(L, "t50_h", ss.t50_h);
  lk2_set_number(L, "t90_h", ss.t90_h);
  return 1;
}

static int pk_tmax(lua_State *L) {
  lua_pushnumber(L, k2_pk_tmax(luaL_checknumber(L, 1), luaL_checknumber(L, 2)));
  return 1;
}

static int pk_ka_from_tmax(lua_State *L) {
  double ka = 0;
  char msg[160];
  k2_status rc = k2_pk_ka_from_tmax(luaL_checknumber(L, 1), luaL_checknumber(L, 2), &ka, msg, sizeof msg);
  if (rc != K2_OK) return lk2_push_failure(L, rc, msg);
  lua_pushnumber(L, ka);
  return 1;
}

/* ------------------------------------------------------------ populations */

/* pk_population(model, {ka=, ke=, V=}, n, seed, doses, t_end, step, bands) → population | nil, message */
static int pk_population(lua_State *L) {
  k2_pk_model m;
  k2_pk_variability cv;
  size_t n_doses;
  k2_pk_dose *doses;
  lua_Integer n = luaL_checkinteger(L, 3), seed = luaL_checkinteger(L, 4);
  double t_end = luaL_checknumber(L, 6), step = luaL_checknumber(L, 7);
  int bands = lua_toboolean(L, 8);
  char msg[256];
  lk2_handle *h;
  k2_population *p = NULL;
  k2_status rc;
  check_model(L, 1, &m);
  luaL_checktype(L, 2, LUA_TTABLE);
  cv.cv_ka = field_number(L, 2, "ka");
  cv.cv_ke = field_number(L, 2, "ke");
  cv.cv_V = field_number(L, 2, "V");
  luaL_argcheck(L, n >= 2 && n <= K2_PK_MAX_SUBJECTS, 3,
                lua_pushfstring(L, "subjects must be 2 to %d", K2_PK_MAX_SUBJECTS));
  doses = check_doses(L, 5, &n_doses);
  h = lk2_new_handle(L, LK2_POPULATION_MT);
  rc = k2_pk_population(&m, &cv, (size_t)n, (uint64_t)seed, doses, n_doses, t_end, step, bands, &p, msg,
                        sizeof msg);
  h->ptr = p;
  if (rc != K2_OK) return lk2_push_failure(L, rc, msg);
  /* As for curves: the bands and the cohort live outside Lua's heap, so the
  ** collector is told their size and a loop of populations stays bounded. */
  lua_gc(L, LUA_GCSTEP, (int)((3 * p->count + 8 * p->subjects) / 128));
  return 1;
}

static int population_info(lua_State *L) {
  k2_population *p = check_population(L);
  lua_createtable(L, 0, 6);
  lk2_set_number(L, "subjects", (double)p->subjects);
  lk2_set_number(L, "count", (double)p->count);
  lk2_set_number(L, "step", p->step);
  lk2_set_number(L, "mean_cmax", p->mean_cmax);
  lk2_set_number(L, "mean_auc", p->mean_auc);
  lua_pushboolean(L, p->relative);
  lua_setfield(L, -2, "relative");
  lua_pushboolean(L, p->p50 != NULL);
  lua_setfield(L, -2, "bands");
  return 1;
}

/* population:band(i) → p5, p50, p95 at sample i (1-based). */
static int population_band(lua_State *L) {
  k2_population *p = check_population(L);
  lua_Integer i = luaL_checkinteger(L, 2);
  if (!p->p50) return luaL_error(L, "this population was run without percentile bands");
  luaL_argcheck(L, i >= 1 && (size_t)i <= p->count, 2, "sample index out of range");
  lua_pushnumber(L, p->p5[i - 1]);
  lua_pushnumber(L, p->p50[i - 1]);
  lua_pushnumber(L, p->p95[i - 1]);
  return 3;
}

/* population:sample(n) → three lists (p5, p50, p95) of n values evenly spaced in time. */
static int population_sample(lua_State *L) {
  k2_population *p = check_population(L);
  size_t n;
  double *p5, *p50, *p95;
  char msg[128];
  k2_status rc;
  if (!p->p50) return luaL_error(L, "this population was run without percentile bands");
  n = check_sample_count(L, 2);
  p5 = scratch(L, n);
  p50 = scratch(L, n);
  p95 = scratch(L, n);
  rc = k2_population_sample(p, n, p5, p50, p95, msg, sizeof msg);
  if (rc != K2_OK) return lk2_push_failure(L, rc, msg);
  lk2_push_numbers(L, p5, n);
  lk2_push_numbers(L, p50, n);
  lk2_push_numbers(L, p95, n);
  return 3;
}

/* close, free, __gc and __close: idempotent; the bands' memory goes with it. */
static int population_close(lua_State *L) {
  lk2_handle *h = lk2_to_handle(L, 1, LK2_POPULATION_MT);
  k2_population_free((k2_population *)h->ptr);
  h->ptr = NULL;
  return 0;
}

/* ------------------------------------------------------------ registration */

static const luaL_Reg curve_methods[] = {
    {"count", curve_count}, {"intervals", curve_intervals}, {"step", curve_step}, {"t_end", curve_t_end}, {"relative", curve_relative},
    {"at", curve_at}, {"auc", curve_auc}, {"peak", curve_peak}, {"above", curve_above},
    {"trough", curve_trough}, {"value", curve_value}, {"sample", curve_sample}, {"envelope", curve_envelope},
    {NULL, NULL}};

static const luaL_Reg population_methods[] = {
    {"info", population_info}, {"band", population_band}, {"sample", population_sample}, {NULL, NULL}};

static const luaL_Reg pk_functions[] = {
    {"pk_curve", pk_curve}, {"pk_steady", pk_steady}, {"pk_population", pk_population},
    {"pk_tmax", pk_tmax}, {"pk_ka_from_tmax", pk_ka_from_tmax}, {NULL, NULL}};

/* `free` is the older name of close on curves and populations. */
static const char *const free_alias[] = {"free", NULL};

void lk2_open_pk(lua_State *L) {
  lk2_new_class(L, LK2_CURVE_MT, curve_methods, curve_close, free_alias);
  lk2_new_class(L, LK2_POPULATION_MT, population_methods, population_close, free_alias);
  set_funcs(L, pk_functions);
}
