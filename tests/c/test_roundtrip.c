/*
** test_roundtrip.c — parse(format(x)) == x for a million random valid
** values: 500,000 doses (µg, up to the 1 g ceiling) and 500,000 durations
** (hours, up to 10 years), each x = k / 10^d with d = 0..9 decimals, which
** is the double nearest its decimal text, so equality is exact. The same
** values written in mg (doses) or min (durations) must parse to x times the
** unit factor within 4 ulp (one multiply on each side). Deterministic
** (xorshift, fixed seed). Reference: IEEE 754 correctly rounded division.
*/
#include "check.h"
#include "k2.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint64_t seed = 20261125;
static uint64_t next(void) {
  seed ^= seed << 13;
  seed ^= seed >> 7;
  seed ^= seed << 17;
  return seed;
}

static const double pow10[] = {1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9};

/* a random value of at most 9 decimals in (0, max] */
static double random_value(double max) {
  int d = (int)(next() % 10);
  uint64_t range = (uint64_t)(max * pow10[d]);
  return (double)(1 + next() % range) / pow10[d];
}

typedef k2_status (*parser)(const char *, size_t, double *, char *, size_t);

static long sweep(parser parse, double max, const char *unit, const char *alt, double alt_per_unit, long n) {
  char num[64], text[96], msg[128];
  long bad = 0;
  for (long i = 0; i < n; i++) {
    double x = random_value(max), y = -1;
    size_t len = k2_format_number(x, 9, num, sizeof num);
    snprintf(text, sizeof text, "%s %s", num, unit);
    if (!len || parse(text, strlen(text), &y, msg, sizeof msg) != K2_OK || y != x) {
      if (bad++ < 5) fprintf(stderr, "  %s -> %.17g (want %.17g) %s\n", text, y, x, msg);
      continue;
    }
    /* the same value in the other unit */
    k2_format_number(x / alt_per_unit, 9, num, sizeof num);
    snprintf(text, sizeof text, "%s%s", num, alt);
    if (parse(text, strlen(text), &y, msg, sizeof msg) == K2_OK && x / alt_per_unit == atof(num)
        && fabs(y - x) > 4 * x * 2.220446049250313e-16) {
      if (bad++ < 5) fprintf(stderr, "  %s -> %.17g (want %.17g)\n", text, y, x);
    }
  }
  return bad;
}

int main(void) {
  CASE("500,000 random doses: parse(format(x)) == x exactly, and in mg within 4 ulp");
  CHECK(sweep(k2_parse_dose, 1e6, "mcg", "mg", 1000, 500000) == 0);
  CASE("500,000 random durations: parse(format(x)) == x exactly, and in min within 4 ulp");
  CHECK(sweep(k2_parse_duration, 87660, "h", "min", 1.0 / 60, 500000) == 0);
  return check_summary("roundtrip");
}
