/*
** k2_units.c — parses doses ("180 µg", "0.18 mg") into micrograms and
** durations ("3d", "1 h 30 min") into hours, and formats numbers, without
** strtod or printf on numbers, so a German locale can't turn "0.1" into 0.
**
** Numbers are plain decimals: digits with an optional '.' fraction, at most
** 15 significant digits, so mantissa / 10^k is one correctly rounded division
** of two exact doubles. Signs, exponents, hex, NaN/inf, decimal commas and
** thousands separators are rejected with a message naming the fix.
** Units: µg (U+00B5 or U+03BC), ug, mcg, microgram(s), mg, milligram(s);
** min, h, d, w, mo, y and their long forms (a year is 365.25 days, a month
** a twelfth of it). Input limits are in k2.h.
** Reference: ISMP list of error-prone abbreviations (why "µg" vs "mg"
** confusion matters, and why ".5" and "5.0" are avoided on output).
*/
#include "k2.h"
#include "k2_int.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

#define MAX_DIGITS 15

/* 128-bit integers (GCC, Clang) for exact number formatting. */
__extension__ typedef unsigned __int128 u128;

typedef struct scan {
  const unsigned char *p, *end;
  const char *text; /* whole input, for messages */
  size_t len;
  char *msg;
  size_t cap;
  const char *what; /* "dose" or "duration" */
} scan;

typedef struct unit {
  const char *name;
  double scale; /* multiply the number by this to get µg or hours */
} unit;

static const unit dose_units[] = {
  {"\xC2\xB5g", 1}, {"\xCE\xBCg", 1}, {"ug", 1}, {"mcg", 1}, {"microgram", 1},
  {"micrograms", 1}, {"mg", 1000}, {"milligram", 1000}, {"milligrams", 1000}, {NULL, 0}};

static const unit duration_units[] = {
  {"min", 1.0 / 60}, {"mins", 1.0 / 60}, {"minute", 1.0 / 60}, {"minutes", 1.0 / 60},
  {"h", 1}, {"hr", 1}, {"hrs", 1}, {"hour", 1}, {"hours", 1},
  {"d", 24}, {"day", 24}, {"days", 24},
  {"w", 168}, {"wk", 168}, {"wks", 168}, {"week", 168}, {"weeks", 168},
  /* calendar averages: a Julian year of 365.25 days, a twelfth of it a month */
  {"mo", 730.5}, {"month", 730.5}, {"months", 730.5}, {"y", 8766}, {"yr", 8766}, {"yrs", 8766},
  {"year", 8766}, {"years", 8766}, {NULL, 0}};

#define HOURS_PER_YEAR 8766.0 /* the "y" unit above */
#define HOURS_PER_DAY 24.0

static const double pow10_table[] = {1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8,
                                     1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16};

static void skip_spaces(scan *s) {
  size_t n;
  while ((n = k2__space_len(s->p, s->end)) > 0) s->p += n;
}

static int is_digit(unsigned char c) { return c >= '0' && c <= '9'; }
static int is_alpha(unsigned char c) { return (c | 0x20) >= 'a' && (c | 0x20) <= 'z'; }

static int ascii_ieq(const unsigned char *a, size_t n, const char *b) {
  if (strlen(b) != n) return 0;
  for (size_t i = 0; i < n; i++) {
    unsigned char x = a[i], y = (unsigned char)b[i];
    if (x < 0x80) x = (unsigned char)(x | (is_alpha(x) ? 0x20 : 0));
    if (x != y) return 0;
  }
  return 1;
}

static k2_status bad(scan *s, const char *why) {
  char q[96];
  k2__msg(s->msg, s->cap, "%s '%s': %s", s->what, k2__quote(s->text, s->len, 40, q, sizeof q), why);
  return K2_EINPUT;
}

/* Explains why no number starts here. */
static k2_status not_a_number(scan *s) {
  const unsigned char *p = s->p;
  size_t rest = (size_t)(s->end - p);
  if (*p == '-' || k2__dash_len(p, s->end) > 1) return bad(s, "must be greater than zero; negative values are not accepted");
  if (*p == '+') return bad(s, "write the number without a sign, e.g. 180 \xC2\xB5g");
  if ((rest >= 3 && (ascii_ieq(p, 3, "nan") || ascii_ieq(p, 3, "inf"))))
    return bad(s, "not a finite number; write a plain number such as 180");
  return bad(s, s->what[1] == 'o' ? "must start with a number, e.g. '180 \xC2\xB5g' or '0.5 mg'"
                                   : "must start with a number, e.g. '3d', '12 h' or '90 min'");
}

/* Explains what follows a number that is not allowed to. */
static k2_status number_tail(scan *s, const unsigned char *start) {
  const unsigned char *p = s->p;
  if (*p == ',' && p + 1 < s->end && is_digit(p[1]))
    return bad(s, "use a decimal point, not a comma (write 0.1, not 0,1), and no thousands separators");
  if (((*p | 0x20) == 'x') && p - start == 1 && *start == '0') return bad(s, "hexadecimal numbers are not accepted");
  if ((*p | 0x20) == 'e' && p + 1 < s->end && (is_digit(p[1]) || p[1] == '-' || p[1] == '+'))
    return bad(s, "exponents are not accepted; write the number out, e.g. 1000");
  if (*p == '.') return bad(s, "a number has at most one decimal point");
  return K2_OK;
}

/* Reads a plain decimal; *value gets it scaled by `scale`, rounded once. */
static k2_status scan_number(scan *s, double scale, double *value) {
  const unsigned char *start = s->p;
  uint64_t mant = 0;
  int digits = 0, frac = 0, seen_point = 0, any = 0;
  if (s->p >= s->end || !(is_digit(*s->p) || (*s->p == '.' && s->p + 1 < s->end && is_digit(s->p[1]))))
    return s->p >= s->end ? bad(s, "a number is missing") : not_a_number(s);
  for (; s->p < s->end; s->p++) {
    unsigned char c = *s->p;
    if (c == '.' && !seen_point) { seen_point = 1; continue; }
    if (!is_digit(c)) break;
    any = 1;
    if (mant == 0 && c == '0') { if (seen_point) frac++; continue; }
    if (++digits > MAX_DIGITS) return bad(s, "too many digits (at most 15 significant digits)");
    mant = mant * 10 + (uint64_t)(c - '0');
    if (seen_point) frac++;
  }
  if (!any) return not_a_number(s);
  if (s->p < s->end && number_tail(s, start) != K2_OK) return K2_EINPUT;
  if (frac > 16) return bad(s, "too many decimals");
  *value = (double)mant / pow10_table[frac] * scale;
  if (scale == 1000 && frac >= 3) *value = (double)mant / pow10_table[frac - 3];
  else if (scale == 1000) *value = (double)mant * pow10_table[3 - frac];
  return K2_OK;
}

/* Reads a unit word (letters, µ/μ) and looks it up; *found gets the entry. */
static k2_status scan_unit(scan *s, const unit *units, const unit **found, const char *accepted) {
  const unsigned char *start = s->p;
  char q[64], why[256];
  while (s->p < s->end && !k2__space_len(s->p, s->end) && !is_digit(*s->p)) {
    if (*s->p < 0x80 && !is_alpha(*s->p)) break;
    s->p += *s->p < 0x80 ? 1 : *s->p < 0xE0 ? 2 : *s->p < 0xF0 ? 3 : 4;
  }
  if (s->p > s->end) s->p = s->end;
  if (s->p == start) {
    k2__msg(why, sizeof why, "a unit is missing; accepted: %s", accepted);
    return bad(s, why);
  }
  for (const unit *u = units; u->name; u++) {
    if (ascii_ieq(start, (size_t)(s->p - start), u->name)) { *found = u; return K2_OK; }
  }
  k2__msg(why, sizeof why, "unknown unit '%s'; accepted: %s",
          k2__quote((const char *)start, (size_t)(s->p - start), 20, q, sizeof q), accepted);
  return bad(s, why);
}

static k2_status start_scan(scan *s, const char *text, size_t len, const char *what, char *msg, size_t cap) {
  s->text = text; s->len = len; s->msg = msg; s->cap = cap; s->what = what;
  s->p = (const unsigned char *)text; s->end = s->p + len;
  if (msg && cap) msg[0] = '\0';
  if (text == NULL) { k2__msg(msg, cap, "%s text is missing", what); return K2_EMISUSE; }
  if (memchr(text, '\0', len)) { k2__msg(msg, cap, "%s text contains a NUL byte", what); return K2_EINPUT; }
  if (!k2__utf8_valid(text, len)) { k2__msg(msg, cap, "%s text is not valid UTF-8", what); return K2_EINPUT; }
  if (len > K2_PARSE_MAX_BYTES) {
    k2__msg(msg, cap, "%s text is too long (%zu bytes; at most %d)", what, len, K2_PARSE_MAX_BYTES);
    return K2_EINPUT;
  }
  skip_spaces(s);
  if (s->p == s->end) {
    k2__msg(msg, cap, "%s text is empty; write a number and a unit, e.g. %s", what,
            what[0] == 'd' && what[1] == 'o' ? "'180 \xC2\xB5g' or '0.5 mg'" : "'3d', '12 h' or '90 min'");
    return K2_EINPUT;
  }
  return K2_OK;
}

static const char dose_accepted[] = "\xC2\xB5g, ug, mcg, microgram(s), mg, milligram(s)";
static const char duration_accepted[] = "min, h, d, w, mo, y (or minute(s), hour(s), day(s), week(s), month(s), year(s))";

k2_status k2_parse_dose(const char *text, size_t len, double *ug, char *msg, size_t msgcap) {
  scan s;
  const unit *u = NULL;
  double number = 0;
  k2_status rc = start_scan(&s, text, len, "dose", msg, msgcap);
  if (rc != K2_OK) return rc;
  if (!ug) { k2__msg(msg, msgcap, "no place for the result"); return K2_EMISUSE; }
  if ((rc = scan_number(&s, 1, &number)) != K2_OK) return rc;
  skip_spaces(&s);
  if ((rc = scan_unit(&s, dose_units, &u, dose_accepted)) != K2_OK) return rc;
  skip_spaces(&s);
  if (s.p != s.end) return bad(&s, "unexpected text after the unit; write one amount, e.g. '180 \xC2\xB5g'");
  s.p = (const unsigned char *)text; skip_spaces(&s);
  if ((rc = scan_number(&s, u->scale, &number)) != K2_OK) return rc;
  if (number <= 0) return bad(&s, "must be greater than zero");
  if (number > K2_DOSE_MAX_UG) {
    char limit[48], why[96];
    k2__msg(why, sizeof why, "more than %s is not accepted as a dose", k2__ug_words(K2_DOSE_MAX_UG, limit, sizeof limit));
    return bad(&s, why);
  }
  *ug = number;
  return K2_OK;
}

k2_status k2_parse_duration(const char *text, size_t len, double *hours, char *msg, size_t msgcap) {
  scan s;
  double total = 0;
  int used[sizeof duration_units / sizeof duration_units[0]] = {0};
  k2_status rc = start_scan(&s, text, len, "duration", msg, msgcap);
  if (rc != K2_OK) return rc;
  if (!hours) { k2__msg(msg, msgcap, "no place for the result"); return K2_EMISUSE; }
  while (s.p < s.end) {
    double number = 0;
    const unit *u = NULL;
    if ((rc = scan_number(&s, 1, &number)) != K2_OK) return rc;
    skip_spaces(&s);
    if ((rc = scan_unit(&s, duration_units, &u, duration_accepted)) != K2_OK) return rc;
    for (const unit *v = duration_units; v->name; v++) {
      if (v->scale == u->scale && used[v - duration_units]++) return bad(&s, "the same unit is given twice");
    }
    total += number * u->scale;
    skip_spaces(&s);
  }
  if (total <= 0) return bad(&s, "must be greater than zero");
  if (total > K2_DURATION_MAX_H) {
    char limit[48], why[96];
    k2__msg(why, sizeof why, "more than %s is not accepted", k2__hours_words(K2_DURATION_MAX_H, limit, sizeof limit));
    return bad(&s, why);
  }
  *hours = total;
  return K2_OK;
}

/* Writes the decimal digits of v into buf backwards from end. */
static char *put_digits(u128 v, int min_digits, char *end) {
  int written = 0;
  do {
    *--end = (char)('0' + (int)(v % 10));
    v /= 10;
    written++;
  } while (v > 0 || written < min_digits);
  return end;
}

/* round(a × 10^decimals), exactly: a = m × 2^e with m < 2^53, so
** m × 10^decimals < 2^83 fits 128 bits and the shift by −e is exact; a tie
** rounds away from zero. Correct for every double below K2_FORMAT_MAX_ABS,
** where a × 10^decimals in doubles loses the last digits past 2^53. */
static u128 scaled_exact(double a, int decimals) {
  int e;
  double f = frexp(a, &e); /* a = f × 2^e, 0.5 <= f < 1 */
  uint64_t m = (uint64_t)ldexp(f, 53), p10 = 1;
  u128 v, q, rem, half;
  int sh;
  if (a == 0) return 0;
  for (int i = 0; i < decimals; i++) p10 *= 10;
  v = (u128)m * p10;
  sh = 53 - e; /* a = m × 2^(e − 53) */
  if (sh <= 0) return v << -sh; /* not reached below K2_FORMAT_MAX_ABS; kept exact anyway */
  if (sh > 100) return 0;        /* below 2^-17 × 10^-9: rounds to 0 */
  q = v >> sh;
  rem = v - (q << sh);
  half = (u128)1 << (sh - 1);
  return rem >= half ? q + 1 : q;
}

size_t k2_format_number(double x, int decimals, char *buf, size_t cap) {
  char tmp[64], *p, *end = tmp + sizeof tmp;
  double a = fabs(x);
  u128 scaled, one = 1;
  size_t n;
  if (!buf || cap == 0 || !isfinite(x) || a >= K2_FORMAT_MAX_ABS) return 0;
  if (decimals < 0) decimals = 0;
  if (decimals > K2_FORMAT_MAX_DECIMALS) decimals = K2_FORMAT_MAX_DECIMALS;
  scaled = scaled_exact(a, decimals);
  for (int i = 0; i < decimals; i++) one *= 10;
  while (decimals > 0 && scaled % 10 == 0) { scaled /= 10; one /= 10; decimals--; }
  p = end;
  if (decimals > 0) { p = put_digits(scaled % one, decimals, p); *--p = '.'; }
  p = put_digits(scaled / one, 1, p);
  if (x < 0 && scaled != 0) *--p = '-';
  n = (size_t)(end - p);
  if (n + 1 > cap) return 0;
  memcpy(buf, p, n);
  buf[n] = '\0';
  return n;
}

/* ------------------------------------------------------------ limits in words */

/* "<x> <unit>" with x shown to at most one decimal. */
static const char *words(double x, const char *unit_name, char *buf, size_t cap) {
  char num[48];
  if (k2_format_number(x, 1, num, sizeof num) == 0) k2__msg(num, sizeof num, "%s", "?");
  k2__msg(buf, cap, "%s %s", num, unit_name);
  return buf;
}

const char *k2__ug_words(double ug, char *buf, size_t cap) {
  if (ug >= 1e6) return words(ug / 1e6, "g", buf, cap);
  if (ug >= 1e3) return words(ug / 1e3, "mg", buf, cap);
  return words(ug, "\xC2\xB5g", buf, cap);
}

const char *k2__hours_words(double h, char *buf, size_t cap) {
  if (h >= 2 * HOURS_PER_YEAR) return words(floor(h / HOURS_PER_YEAR), "years", buf, cap);
  if (h >= 2 * HOURS_PER_DAY) return words(h / HOURS_PER_DAY, "days", buf, cap);
  return words(h, "hours", buf, cap);
}

/* ------------------------------------------------------------ the limits */

static const k2_limit limits[] = {
  {"search_max_bytes", K2_SEARCH_MAX_BYTES, "bytes", "longest search text"},
  {"search_max_terms", K2_SEARCH_MAX_TERMS, "count", "most words one search uses"},
  {"search_max_limit", K2_SEARCH_MAX_LIMIT, "count", "most results one search returns"},
  {"parse_max_bytes", K2_PARSE_MAX_BYTES, "bytes", "longest dose or duration text"},
  {"dose_max_ug", K2_DOSE_MAX_UG, "ug", "largest dose accepted"},
  {"duration_max_h", K2_DURATION_MAX_H, "h", "longest duration or run accepted"},
  {"pk_max_points", K2_PK_MAX_POINTS, "count", "most samples in one curve"},
  {"pk_max_doses", K2_PK_MAX_DOSES, "count", "most doses in one run"},
  {"pk_max_subjects", K2_PK_MAX_SUBJECTS, "count", "most subjects in one population"},
  {"pk_max_samples", K2_PK_MAX_SAMPLES, "count", "most values one resampling call returns"},
  {"pk_max_rate", K2_PK_MAX_RATE, "1/h", "largest absorption or elimination rate"},
  {"pk_max_lag_h", K2_PK_MAX_LAG_H, "h", "longest absorption lag"},
  {"pk_min_volume_l", K2_PK_MIN_VOLUME_L, "L", "smallest volume of distribution (0 = relative units)"},
  {"pk_max_volume_l", K2_PK_MAX_VOLUME_L, "L", "largest volume of distribution"},
  {"pk_max_population_work", K2_PK_MAX_POPULATION_WORK, "count", "(doses + points) x subjects of one population"},
  {"pk_max_intervals", K2_PK_MAX_INTERVALS, "count", "most dosing intervals one curve lists"},
  {"export_max_rows", K2_EXPORT_MAX_ROWS, "count", "most rows of one CSV or JSON export of a curve"},
  {"plot_min_columns", K2_PLOT_MIN_COLUMNS, "count", "narrowest text plot, columns"},
  {"plot_max_columns", K2_PLOT_MAX_COLUMNS, "count", "widest text plot, columns"},
  {"plot_max_rows", K2_PLOT_MAX_ROWS, "count", "tallest text plot, rows"},
  {"svg_max_px", K2_SVG_MAX_PX, "px", "widest or tallest SVG plot"},
  {"format_max_digits", K2_FORMAT_MAX_DIGITS, "count", "most integer digits a figure is written with (larger figures print as 1.2e+15)"},
  {"text_max_bytes", K2_TEXT_MAX_BYTES, "bytes", "longest name matched (a medicine, a condition, a form)"},
  {"list_max_items", K2_LIST_MAX_ITEMS, "count", "most items of one list option (meds, conditions, compare)"},
  {"option_max_bytes", K2_OPTION_MAX_BYTES, "bytes", "longest text of any command-line option value"},
  {"journal_max_entries", K2_JOURNAL_MAX_ENTRIES, "count", "most entries one journal holds"},
  {"journal_max_batch", K2_JOURNAL_MAX_BATCH, "count", "most entries one add or import writes"},
  {"journal_max_amounts", K2_JOURNAL_MAX_AMOUNTS, "count", "most forms one journal entry holds"},
  {"journal_max_text", K2_JOURNAL_MAX_TEXT, "bytes", "longest text, note or food of a journal entry"},
  {"journal_busy_ms", K2_JOURNAL_BUSY_MS, "ms", "longest wait for another writer of the journal"},
  {"food_max_grams", K2_FOOD_MAX_GRAMS, "g", "heaviest amount of one food an intake reads"},
  {"journal_max_grams", K2_JOURNAL_MAX_GRAMS, "g", "heaviest food of one journal entry"},
  {"time_max_s", (double)K2_TIME_MAX_S, "s", "latest time a journal entry may have (UTC, since 1970)"},
  {"time_max_offset_s", K2_TIME_MAX_OFFSET_S, "s", "largest offset from UTC a time may have"},
  {"time_max_skew_s", K2_TIME_MAX_SKEW_S, "s", "how far past now a journal entry may lie"},
};

const k2_limit *k2_limits(size_t *count) {
  if (count) *count = sizeof limits / sizeof limits[0];
  return limits;
}
