/*
** k2_pkdata.c — the model's parameter sets, read from the store (table
** pk_model, built from data/pk.rec, where every number names its fact) and
** turned into rate constants: ke = ln 2 / half-life, and ka solved from the
** peak time (tmax − lag = ln(ka/ke)/(ka − ke); k2_pk_ka_from_tmax) when a
** set gives a peak time rather than ka. Loaded once per store.
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

static k2_status load_models(k2_store *st) {
  sqlite3_stmt *stmt = k2__stmt(st, S_PK_MODELS);
  size_t cap = 0;
  int rc, oom = 0;
  if (!stmt) return st->failed;
  while (!oom && (rc = sqlite3_step(stmt)) == SQLITE_ROW) {
    k2_pk_params *p;
    if (st->n_pk == cap) {
      size_t want = cap ? cap * 2 : 16;
      k2_pk_params *more = sqlite3_realloc64(st->pk, want * sizeof *more);
      char **why = sqlite3_realloc64(st->pk_unavailable, want * sizeof *why);
      if (more) st->pk = more;
      if (why) st->pk_unavailable = why;
      if (!more || !why) { oom = 1; break; }
      cap = want;
    }
    p = &st->pk[st->n_pk];
    memset(p, 0, sizeof *p);
    st->pk_unavailable[st->n_pk++] = copy_column(stmt, 11, &oom);
    p->form = copy_column(stmt, 0, &oom);
    p->set = copy_column(stmt, 1, &oom);
    p->about = copy_column(stmt, 2, &oom);
    p->facts = copy_column(stmt, 3, &oom);
    if (!st->pk_unavailable[st->n_pk - 1] && !derive(stmt, p)) rc = SQLITE_CORRUPT;
    if (rc == SQLITE_CORRUPT) break;
  }
  sqlite3_reset(stmt);
  if (oom) return k2__fail(st, K2_ENOMEM, "%s", "not enough memory");
  if (rc == SQLITE_CORRUPT) return k2__fail(st, K2_ESTORE, "%s", "fact store error: a parameter set has no valid rates");
  return rc == SQLITE_DONE ? K2_OK : k2__sqlite_fail(st, rc);
}

void k2__pk_free(k2_store *st) {
  for (size_t i = 0; i < st->n_pk; i++) {
    k2__free((void *)st->pk[i].form);
    k2__free((void *)st->pk[i].set);
    k2__free((void *)st->pk[i].about);
    k2__free((void *)st->pk[i].facts);
    k2__free(st->pk_unavailable[i]);
  }
  sqlite3_free(st->pk);
  sqlite3_free(st->pk_unavailable);
  st->pk = NULL;
  st->pk_unavailable = NULL;
  st->n_pk = 0;
}

/* "a, b, c": the sets of `form`, or the forms that have any (form == NULL). */
static void list_names(const k2_store *st, const char *form, char *buf, size_t cap) {
  size_t n = 0;
  buf[0] = '\0';
  for (size_t i = 0; i < st->n_pk; i++) {
    const char *name = form ? st->pk[i].set : st->pk[i].form;
    if (form && strcmp(st->pk[i].form, form) != 0) continue;
    if (!form && i > 0 && strcmp(st->pk[i - 1].form, name) == 0) continue;
    if (n + strlen(name) + 3 >= cap) break;
    n += (size_t)snprintf(buf + n, cap - n, "%s%s", n ? ", " : "", name);
  }
}

k2_status k2_pk_params_get(k2_store *st, const char *form, size_t form_len, const char *set, size_t set_len,
                           const k2_pk_params **out) {
  const char *canonical = NULL;
  char known[256], q[64], m[512];
  k2_status rc;
  if (!st || !st->db || !out) return K2_EMISUSE;
  *out = NULL;
  if (st->n_pk == 0 && (rc = load_models(st)) != K2_OK) return rc;
  if ((rc = k2_form_resolve(st, form, form_len, &canonical)) != K2_OK) return rc;
  if (set && (rc = k2__check_text(st, "parameter set", set, set_len, MAX_FILTER_BYTES)) != K2_OK) return rc;
  if (!set || set_len == 0) { set = "default"; set_len = 7; }
  list_names(st, canonical, known, sizeof known);
  if (!known[0]) {
    list_names(st, NULL, known, sizeof known);
    k2__msg(m, sizeof m, "no pharmacokinetic model for %s; models exist for %s", canonical, known);
    return k2__fail(st, K2_EINPUT, "%s", m);
  }
  for (size_t i = 0; i < st->n_pk; i++) {
    if (strcmp(st->pk[i].form, canonical) != 0 || strlen(st->pk[i].set) != set_len ||
        memcmp(st->pk[i].set, set, set_len) != 0)
      continue;
    if (st->pk_unavailable[i]) {
      k2__msg(m, sizeof m, "%s set '%s' has no parameters: %s (fact %s)", canonical, st->pk[i].set,
              st->pk_unavailable[i], st->pk[i].facts);
      return k2__fail(st, K2_EINPUT, "%s", m);
    }
    *out = &st->pk[i];
    return K2_OK;
  }
  k2__msg(m, sizeof m, "unknown parameter set '%s' for %s; known: %s", k2__quote(set, set_len, 40, q, sizeof q),
          canonical, known);
  return k2__fail(st, K2_EINPUT, "%s", m);
}
