/*
** check.h — a minimal test harness for the C core tests. A case is a block
** started with CASE("name"); it passes when none of its CHECKs failed.
** The run ends with the line "N passed, N failed" (cases, not checks).
*/
#ifndef CHECK_H
#define CHECK_H

#include <math.h>
#include <stdio.h>
#include <string.h>

static int cases_passed, cases_failed, case_failed, case_open;
static const char *case_name = "";

static void case_end(void) {
  if (!case_open) return;
  if (case_failed) cases_failed++;
  else cases_passed++;
  case_open = 0;
}

static void case_begin(const char *name) {
  case_end();
  case_name = name;
  case_failed = 0;
  case_open = 1;
}

#define CASE(name) case_begin(name)

#define CHECK(cond)                                                              \
  do {                                                                           \
    if (!(cond)) {                                                               \
      case_failed = 1;                                                           \
      fprintf(stderr, "%s:%d: [%s] CHECK failed: %s\n", __FILE__, __LINE__,      \
              case_name, #cond);                                                 \
    }                                                                            \
  } while (0)

#define CHECK_NEAR(a, b, rel)                                                    \
  do {                                                                           \
    double a_ = (a), b_ = (b);                                                   \
    if (!(fabs(a_ - b_) <= (rel) * fabs(b_))) {                                  \
      case_failed = 1;                                                           \
      fprintf(stderr, "%s:%d: [%s] %s = %.17g, expected %.17g (rel %g)\n",       \
              __FILE__, __LINE__, case_name, #a, a_, b_, (double)(rel));         \
    }                                                                            \
  } while (0)

#define CHECK_CONTAINS(hay, needle)                                              \
  do {                                                                           \
    const char *h_ = (hay), *n_ = (needle);                                      \
    if (!h_ || !strstr(h_, n_)) {                                                \
      case_failed = 1;                                                           \
      fprintf(stderr, "%s:%d: [%s] \"%s\" does not contain \"%s\"\n", __FILE__,  \
              __LINE__, case_name, h_ ? h_ : "(null)", n_);                      \
    }                                                                            \
  } while (0)

static int check_summary(const char *suite) {
  case_end();
  printf("%s: %d passed, %d failed\n", suite, cases_passed, cases_failed);
  return cases_failed ? 1 : 0;
}

#endif
