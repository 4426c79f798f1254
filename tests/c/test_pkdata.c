/*
** test_pkdata.c — k2_pkdata.c: the model's parameter sets read from the
** store. The menatetrenone label set reproduces the label's figures (30 mg:
** 325 ng/mL at 3.7 h, AUC 1463 ng·h/mL, within 1 % and 0.5 %); the seed's
** claims hold (MK-7 peaks at 4 h and is still present at 72 h; MK-4 peaks at
** 2 h and is gone in a day); unknown, unsupported and whole-group forms are
** explained; a result lives until the store is closed and is read once.
** Built and run under AddressSanitizer and UBSan (leak checks too: the cache
** must be freed with the store).
*/
#include "check.h"
#include "k2.h"

#include <stdlib.h>

static char msg[256];

static k2_curve *one_dose(k2_pk_model m, double ug, double t_end, double step) {
  k2_pk_dose d = {0, ug};
  k2_curve *c = NULL;
  CHECK(k2_curve_new(&m, &d, 1, t_end, step, &c, msg, sizeof msg) == K2_OK);
  return c;
}

static void test_label_and_seed(void) {
  k2_store *st = NULL;
  const k2_pk_params *p = NULL;
  k2_curve *c;
  double cmax = 0, tmax = 0;
  CHECK(k2_store_open(&st) == K2_OK);
  CASE("MK-4 label set: 30 mg gives the label's 325 ng/mL at 3.7 h and AUC 1463 ng·h/mL");
  CHECK(k2_pk_params_get(st, "menatetrenone", 13, "label", 5, &p) == K2_OK);
  if (p) {
    c = one_dose(p->model, 30000, 72, 0.01);
    k2_curve_peak(c, 0, 72, &cmax, &tmax);
    CHECK_NEAR(cmax, 325, 0.01);
    CHECK_NEAR(tmax, 3.7, 0.01);
    CHECK_NEAR(k2_curve_auc(c, 0, 1e6), 1463, 0.005);
    k2_curve_free(c);
  }
  CASE("seed: MK-7 peaks at 4 h and is still present at 72 h; MK-4 (set seed) peaks at 2 h, mostly gone in a day");
  CHECK(k2_pk_params_get(st, "MK7", 3, NULL, 0, &p) == K2_OK);
  if (p) {
    c = one_dose(p->model, 180, 200, 0.1);
    k2_curve_peak(c, 0, 200, &cmax, &tmax);
    CHECK_NEAR(tmax, 4, 1e-6);
    CHECK(k2_curve_at(c, 72) > 0.3 * cmax);
    k2_curve_free(c);
  }
  /* the seed's MK-4 (set seed: peak 2 h, the clinic page's 5 h half-life): about 2^(-22/5) = 5 %
  ** of the peak left at 24 h */
  CHECK(k2_pk_params_get(st, "MK-4", 4, "seed", 4, &p) == K2_OK);
  if (p) {
    c = one_dose(p->model, 180, 48, 0.1);
    k2_curve_peak(c, 0, 48, &cmax, &tmax);
    CHECK_NEAR(tmax, 2, 1e-6);
    CHECK(k2_curve_at(c, 24) < 0.1 * cmax && k2_curve_at(c, 24) > 0.01 * cmax);
    CHECK_NEAR(p->fat, 2.8, 1e-12);
    k2_curve_free(c);
  }
  /* the default MK-4: the label's fit (ka, ke, 2.2 h lag) in relative units, peak 3.7 h */
  CHECK(k2_pk_params_get(st, "MK-4", 4, "default", 7, &p) == K2_OK);
  if (p) {
    c = one_dose(p->model, 180, 48, 0.01);
    k2_curve_peak(c, 0, 48, &cmax, &tmax);
    CHECK_NEAR(tmax, 3.7, 0.01);
    CHECK_NEAR(p->model.lag, 2.2, 1e-12);
    k2_curve_free(c);
  }
  CASE("parameter sets: unknown, unsupported and whole-group forms are explained");
  CHECK(k2_pk_params_get(st, "MK-4", 4, "sato2012", 8, &p) == K2_EINPUT);
  CHECK_CONTAINS(k2_store_errmsg(st), "could not be detected");
  CHECK(k2_pk_params_get(st, "MK-7", 4, "nope", 4, &p) == K2_EINPUT);
  CHECK_CONTAINS(k2_store_errmsg(st), "known: default, 72h, sato2012");
  CHECK(k2_pk_params_get(st, "K2", 2, NULL, 0, &p) == K2_EINPUT);
  CHECK_CONTAINS(k2_store_errmsg(st), "models exist for K1, MK-4, MK-7");
  CHECK(k2_pk_params_get(st, "MK-7", 4, "sato2012", 8, &p) == K2_OK && p && fabs(p->tmax_h - 6) < 1e-6);
  k2_store_close(st);
}

static void test_lifetime(void) {
  k2_store *st = NULL;
  const k2_pk_params *a = NULL, *b = NULL;
  CASE("parameter sets: one cache per store; results stay put until close");
  CHECK(k2_store_open(&st) == K2_OK);
  CHECK(k2_pk_params_get(st, "MK-7", 4, NULL, 0, &a) == K2_OK && a);
  CHECK(k2_pk_params_get(st, "menaquinone-7", 13, "default", 7, &b) == K2_OK && b == a);
  CHECK(a && strcmp(a->form, "MK-7") == 0 && strcmp(a->set, "default") == 0 && a->facts[0]);
  CHECK(a && a->model.ka > a->model.ke && a->model.F == 1 && a->model.F_ref == 1);
  CHECK(k2_pk_params_get(st, "MK-4", 4, "nope", 4, &b) == K2_EINPUT && b == NULL);
  CHECK(a && strcmp(a->form, "MK-7") == 0); /* still valid after a failed lookup */
  CHECK(k2_pk_params_get(NULL, "MK-7", 4, NULL, 0, &b) == K2_EMISUSE);
  CHECK(k2_pk_params_get(st, "MK-7", 4, NULL, 0, NULL) == K2_EMISUSE);
  k2_store_close(st);
  CASE("parameter sets: a store closed without asking for them frees nothing extra");
  st = NULL;
  CHECK(k2_store_open(&st) == K2_OK);
  k2_store_close(st);
}

int main(void) {
  test_label_and_seed();
  test_lifetime();
  return check_summary("pkdata");
}
