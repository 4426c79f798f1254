/*
** k2_pkdata.c — the model's parameter sets, read from the store (table
** pk_model, built from data/pk.rec, where every number names its fact) and
** turned into rate constants: ke = ln 2 / half-life, and ka solved from the
** peak time (tmax − lag = ln(ka/ke)/(ka − ke); k2_pk_ka_from_tmax) when a
** set gives a peak time rather than ka. Loaded once per store and kept with
** it as an attachment (k2__attach): this file owns its SQL and its cache; the
** store only frees the cache, through the destructor given here, at close.
*/
#include "k2_store_int.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static char *copy_column(sqlite3_stmt *stmt, int i, int *oom) {
  const unsigned char *t = sqlite3_column_text(stmt, i);
  size_t n = (size_t)sqlite3_column_bytes(stmt, i);
  char *s;
  if (!t) return NULL;
  if (!(s = k2__malloc(n + 1))) { *oom = 1; return NULL; }
  memcpy(s, t, n + 1);
  return s;
}

static double number(sqlite3_stmt *stmt, int i) {
  return sqlite3_column_type(stmt, i) == SQLITE_NULL ? NAN : sqlite3_column_double(stmt, i);
}

/* Rates, peak time and half-life of one set from its row. */
static int derive(sqlite3_stmt *stmt, k2_pk_params *p) {
  double tmax = number(stmt, 4), half = number(stmt, 5), ka = number(stmt, 6), ke = number(stmt, 7);
  double lag = number(stmt, 8), v = number(stmt, 9);
  memset(&p->model, 0, sizeof p->model);
  p->model.F = p->model.F_ref = 1;
  p->model.lag = isnan(lag) ? 0 : lag;
  p->model.V = isnan(v) ? 0 : v;
  p->fat = number(stmt, 10);
  p->mol_weight = number(stmt, 12);
  p->ref_ug = number(stmt, 15);
  if (isnan(ka) || isnan(ke)) {
    ke = log(2.0) / half;
    if (k2_pk_ka_from_tmax(tmax - p->model.lag, ke, &ka, NULL, 0) != K2_OK) return 0;
  }
  p->model.ka = ka;
  p->model.ke = ke;
  p->tmax_h = p->model.lag + k2_pk_tmax(ka, ke);
  p->half_life_h = log(2.0) / ke;
  return 1;
}

/* The parameter sets of one store, in the SQL's order (by form, "default"
** first). Owned by this file and kept with the store as an attachment. */
typedef struct pk_cache {
  k2_pk_params *sets;
  char **unavailable; /* per set: why no parameters exist, or NULL */
  size_t n, cap;
} pk_cache;

static const char cache_key = 0; /* its address names the attachment */

static const char PK_MODELS_SQL[] =
    "SELECT form, name, about, facts, tmax, half_life, ka, ke, lag, v, fat, unavailable, mw, matrix, fat_matrix, ref_ug, blq, baseline"
    " FROM pk_model ORDER BY form, name = 'default' DESC, name";

static void cache_free(void *data) {
  pk_cache *pc = data;
  if (!pc) return;
  for (size_t i = 0; i < pc->n; i++) {
    k2__free((void *)pc->sets[i].form);
    k2__free((void *)pc->sets[i].set);
    k2__free((void *)pc->sets[i].about);
    k2__free((void *)pc->sets[i].facts);
    k2__free((void *)pc->sets[i].matrix);
    k2__free((void *)pc->sets[i].fat_matrix);
    k2__free((void *)pc->sets[i].blq_fact);
    k2__free((void *)pc->sets[i].baseline_fact);
    k2__free(pc->unavailable[i]);
  }
  k2__free(pc->sets);
  k2__free(pc->unavailable);
  k2__free(pc);
}

/* Room for one more set; 0 when out of memory. */
static int grow(pk_cache *pc) {
  size_t want = pc->cap ? pc->cap * 2 : 16;
  k2_pk_params *more;
  char **why;
  if (pc->n < pc->cap) return 1;
  if ((more = sqlite3_realloc64(pc->sets, want * sizeof *more)) != NULL) pc->sets = more;
  if ((why = sqlite3_realloc64(pc->unavailable, want * sizeof *why)) != NULL) pc->unavailable = why;
  if (!more || !why) return 0;
  pc->cap = want;
  return 1;
}

/* Reads every row of stmt into pc: an SQLite code, or SQLITE_NOMEM / SQLITE_CORRUPT. */
static int read_rows(sqlite3_stmt *stmt, pk_cache *pc) {
  int rc, oom = 0;
  while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
    k2_pk_params *p;
    if (!grow(pc)) return SQLITE_NOMEM;
    p = &pc->sets[pc->n];
    memset(p, 0, sizeof *p);
    pc->unavailable[pc->n++] = copy_column(stmt, 11, &oom);
    p->form = copy_column(stmt, 0, &oom);
    p->set = copy_column(stmt, 1, &oom);
    p->about = copy_column(stmt, 2, &oom);
    p->facts = copy_column(stmt, 3, &oom);
    p->matrix = copy_column(stmt, 13, &oom);
    p->fat_matrix = copy_column(stmt, 14, &oom);
    p->blq_fact = copy_column(stmt, 16, &oom);
    p->baseline_fact = copy_column(stmt, 17, &oom);
    if (oom) return SQLITE_NOMEM;
    if (!p->form || !p->set) return SQLITE_CORRUPT;
    if (!pc->unavailable[pc->n - 1] && !derive(stmt, p)) return SQLITE_CORRUPT;
  }
  return rc;
}

/* The store's parameter sets, read on first use and then kept with it. A
** failed read keeps nothing, so the next call tries again from the start. */
static k2_status load_cache(k2_store *st, const pk_cache **out) {
  pk_cache *pc = k2__attached(st, &cache_key);
  sqlite3_stmt *stmt;
  int rc;
  if ((*out = pc) != NULL) return K2_OK;
  if (!(pc = k2__malloc(sizeof *pc))) return k2__fail(st, K2_ENOMEM, "%s", "not enough memory");
  memset(pc, 0, sizeof *pc);
  if (!(stmt = k2__prepare(st, PK_MODELS_SQL))) { cache_free(pc); return st->failed; }
  rc = read_rows(stmt, pc);
  sqlite3_finalize(stmt);
  if (rc != SQLITE_DONE) {
    cache_free(pc);
    if (rc == SQLITE_CORRUPT)
      return k2__fail(st, K2_ESTORE, "%s", "fact store error: a parameter set has no valid rates");
    return k2__sqlite_fail(st, rc);
  }
  if (k2__attach(st, &cache_key, pc, cache_free) != K2_OK) return K2_EMISUSE;
  *out = pc;
  return K2_OK;
}

/* "a, b, c": the sets of `form`, or the forms that have any (form == NULL). */
static void list_names(const pk_cache *pc, const char *form, char *buf, size_t cap) {
  size_t n = 0;
  buf[0] = '\0';
  for (size_t i = 0; i < pc->n; i++) {
    const char *name = form ? pc->sets[i].set : pc->sets[i].form;
    if (form && strcmp(pc->sets[i].form, form) != 0) continue;
    if (!form && i > 0 && strcmp(pc->sets[i - 1].form, name) == 0) continue;
    if (n + strlen(name) + 3 >= cap) break;
    n += (size_t)snprintf(buf + n, cap - n, "%s%s", n ? ", " : "", name);
  }
}

k2_status k2_pk_params_get(k2_store *st, const char *form, size_t form_len, const char *set, size_t set_len,
                           const k2_pk_params **out) {
  const char *canonical = NULL;
  const pk_cache *pc = NULL;
  char known[256], q[64], m[512];
  k2_status rc;
  if (!st || !st->db || !out) return K2_EMISUSE;
  *out = NULL;
  if ((rc = load_cache(st, &pc)) != K2_OK) return rc;
  if ((rc = k2_form_resolve(st, form, form_len, &canonical)) != K2_OK) return rc;
  if (set && (rc = k2__check_text(st, "parameter set", set, set_len, MAX_FILTER_BYTES)) != K2_OK) return rc;
  if (!set || set_len == 0) { set = "default"; set_len = 7; }
  list_names(pc, canonical, known, sizeof known);
  if (!known[0]) {
    list_names(pc, NULL, known, sizeof known);
    k2__msg(m, sizeof m, "no pharmacokinetic model for %s; models exist for %s", canonical, known);
    return k2__fail(st, K2_EINPUT, "%s", m);
  }
  for (size_t i = 0; i < pc->n; i++) {
    const k2_pk_params *p = &pc->sets[i];
    if (strcmp(p->form, canonical) != 0 || strlen(p->set) != set_len || memcmp(p->set, set, set_len) != 0)
      continue;
    if (pc->unavailable[i]) {
      k2__msg(m, sizeof m, "%s set '%s' has no parameters: %s (fact %s)", canonical, p->set, pc->unavailable[i],
              p->facts);
      return k2__fail(st, K2_EINPUT, "%s", m);
    }
    *out = p;
    return K2_OK;
  }
  k2__msg(m, sizeof m, "unknown parameter set '%s' for %s; known: %s", k2__quote(set, set_len, 40, q, sizeof q),
          canonical, known);
  return k2__fail(st, K2_EINPUT, "%s", m);
}
