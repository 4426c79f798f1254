/*
** k2_time.c — times as people write them in the journal (issue 15): "now", "08:00",
** "8:30pm", "yesterday 21:30", "3h ago", "2026-11-30", ISO 8601 with or without an offset.
** Result: UTC seconds since 1970 and the offset east of UTC (seconds) that applied.
**
** Local times follow the process's time zone (TZ, /etc/localtime) through mktime and
** localtime_r; a time with Z or an offset needs no zone at all (days from the civil date,
** H. Hinnant's algorithm, howardhinnant.github.io/date_algorithms.html). A clock time with no
** day is the latest such time not after now: "08:00" written at 07:00 is yesterday's. Words
** are ASCII, case-insensitive; durations before "ago" go through k2_parse_duration.
** Nothing here reads the clock: `now` is the caller's.
*/
#define _DEFAULT_SOURCE /* tm_gmtoff */
#include <string.h>
#include <time.h>

#include "k2.h"
#include "k2_int.h"

#define SECONDS_PER_DAY 86400
#define SECONDS_PER_HOUR 3600

typedef struct cursor {
  const char *s, *end;
} cursor;

static void skip_spaces(cursor *c) {
  while (c->s < c->end && (*c->s == ' ' || *c->s == '\t')) c->s++;
}

static int lower(int ch) { return ch >= 'A' && ch <= 'Z' ? ch + 32 : ch; }

/* Consumes word (ASCII, any case) when it is next and ends there. */
static int word(cursor *c, const char *w) {
  size_t n = strlen(w);
  if ((size_t)(c->end - c->s) < n) return 0;
  for (size_t i = 0; i < n; i++)
    if (lower((unsigned char)c->s[i]) != w[i]) return 0;
  if (c->s + n < c->end && ((c->s[n] >= 'a' && c->s[n] <= 'z') || (c->s[n] >= 'A' && c->s[n] <= 'Z'))) return 0;
  c->s += n;
  return 1;
}

/* Exactly `digits` digits (1..2 when digits is 0) as a number; -1 when there are none. */
static int number(cursor *c, int digits) {
  int v = 0, n = 0, max = digits ? digits : 2;
  while (n < max && c->s < c->end && *c->s >= '0' && *c->s <= '9') v = v * 10 + (*c->s++ - '0'), n++;
  if (n == 0 || (digits && n != digits)) return -1;
  return v;
}

static int is_leap(long y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

static int days_in_month(long y, int m) {
  static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && is_leap(y) ? 29 : days[m - 1];
}

/* Days from 1970-01-01 to y-m-d in the proleptic Gregorian calendar. */
static long long days_from_civil(long y, int m, int d) {
  long era, yoe, doy, doe;
  y -= m <= 2;
  era = (y >= 0 ? y : y - 399) / 400;
  yoe = y - era * 400;
  doy = (153L * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return (long long)era * 146097 + doe - 719468;
}

typedef struct when {
  int has_date, has_clock, has_zone, yesterday;
  long year;
  int month, day, hour, minute, second;
  int offset; /* seconds east of UTC, with has_zone */
} when;

/* "2026-11-30" */
static int read_date(cursor *c, when *w) {
  cursor save = *c;
  int y = number(c, 4), m, d;
  if (y < 0 || c->s >= c->end || *c->s++ != '-' || (m = number(c, 2)) < 0 || c->s >= c->end || *c->s++ != '-' ||
      (d = number(c, 2)) < 0) {
    *c = save;
    return 0;
  }
  w->has_date = 1, w->year = y, w->month = m, w->day = d;
  return 1;
}

/* "08:00", "8:30:15", "8am", "8:30 pm", "noon", "midnight" */
static int read_clock(cursor *c, when *w) {
  cursor save = *c;
  int h, m = 0, s = 0, colon = 0;
  if (word(c, "noon")) return w->has_clock = 1, w->hour = 12, w->minute = w->second = 0, 1;
  if (word(c, "midnight")) return w->has_clock = 1, w->hour = w->minute = w->second = 0, 1;
  h = number(c, 0);
  if (h < 0) return 0;
  if (c->s < c->end && *c->s == ':') {
    c->s++, colon = 1;
    if ((m = number(c, 2)) < 0) return *c = save, 0;
    if (c->s < c->end && *c->s == ':') {
      c->s++;
      if ((s = number(c, 2)) < 0) return *c = save, 0;
    }
  }
  skip_spaces(c);
  if (word(c, "am") || word(c, "a.m.")) {
    if (h < 1 || h > 12) return *c = save, 0;
    h = h % 12;
  } else if (word(c, "pm") || word(c, "p.m.")) {
    if (h < 1 || h > 12) return *c = save, 0;
    h = h % 12 + 12;
  } else if (!colon) {
    return *c = save, 0; /* a bare number ("8") is not a time: it could be a day or a dose */
  }
  w->has_clock = 1, w->hour = h, w->minute = m, w->second = s;
  return 1;
}

/* "Z", "+01:00", "-0500", "+01" */
static int read_zone(cursor *c, when *w) {
  cursor save = *c;
  int sign, h, m = 0;
  if (c->s < c->end && (*c->s == 'Z' || *c->s == 'z')) return c->s++, w->has_zone = 1, w->offset = 0, 1;
  if (c->s >= c->end || (*c->s != '+' && *c->s != '-')) return 0;
  sign = *c->s++ == '-' ? -1 : 1;
  if ((h = number(c, 2)) < 0) return *c = save, 0;
  if (c->s < c->end && *c->s == ':') c->s++;
  if (c->s < c->end && *c->s >= '0' && *c->s <= '9' && (m = number(c, 2)) < 0) return *c = save, 0;
  if (h > 18 || m > 59) return *c = save, 0;
  w->has_zone = 1, w->offset = sign * (h * SECONDS_PER_HOUR + m * 60);
  return 1;
}

static int valid(const when *w) {
  if (w->has_date && (w->year < 1970 || w->month < 1 || w->month > 12 || w->day < 1 ||
                      w->day > days_in_month(w->year, w->month)))
    return 0;
  return !w->has_clock || (w->hour <= 23 && w->minute <= 59 && w->second <= 59);
}

/* Local y-m-d h:m:s → UTC and the offset that applied (mktime settles daylight saving). */
static int from_local(long y, int mo, int d, int h, int mi, int s, int64_t *utc, int32_t *offset) {
  struct tm tm;
  time_t t;
  memset(&tm, 0, sizeof tm);
  tm.tm_year = (int)(y - 1900), tm.tm_mon = mo - 1, tm.tm_mday = d;
  tm.tm_hour = h, tm.tm_min = mi, tm.tm_sec = s, tm.tm_isdst = -1;
  t = mktime(&tm);
  if (t == (time_t)-1 && !(tm.tm_year == 69 && tm.tm_mon == 11 && tm.tm_mday == 31)) return 0;
  *utc = (int64_t)t;
  *offset = (int32_t)tm.tm_gmtoff;
  return 1;
}

/* The local calendar day of t, and its clock. */
static int local_parts(int64_t t, struct tm *out) {
  time_t tt = (time_t)t;
  return localtime_r(&tt, out) != NULL;
}

static const char ACCEPTED[] = "write a time as 'now', '08:00', '8:30pm', 'yesterday 21:30', '3h ago',"
                               " '2026-11-30 08:00' or ISO 8601 ('2026-11-30T08:00:00+01:00')";

static k2_status refuse(const char *text, size_t len, const char *why, char *msg, size_t cap) {
  char q[80];
  k2__msg(msg, cap, "time '%s' %s; %s", k2__quote(text, len, 40, q, sizeof q), why, ACCEPTED);
  return K2_EINPUT;
}

/* "3h ago", "2 days ago": a duration, then the word. */
static int read_ago(const char *text, size_t len, int64_t now, int64_t *utc) {
  const char *end = text + len;
  double hours;
  while (end > text && (end[-1] == ' ' || end[-1] == '\t')) end--;
  if (end - text < 5 || end[-4] != ' ' || lower(end[-3]) != 'a' || lower(end[-2]) != 'g' || lower(end[-1]) != 'o')
    return 0;
  if (k2_parse_duration(text, (size_t)(end - 3 - text), &hours, NULL, 0) != K2_OK) return -1;
  *utc = now - (int64_t)(hours * SECONDS_PER_HOUR + 0.5);
  return 1;
}

k2_status k2_parse_time(const char *text, size_t len, int64_t now, int64_t *utc, int32_t *offset, char *msg,
                        size_t msgcap) {
  cursor c;
  when w;
  struct tm today;
  int ago;
  if (!text || !utc || !offset) return K2_EMISUSE;
  if (len > K2_PARSE_MAX_BYTES) return refuse(text, len, "is too long", msg, msgcap);
  if (memchr(text, '\0', len) || !k2__utf8_valid(text, len)) return refuse(text, len, "is not text", msg, msgcap);
  if (!local_parts(now, &today)) return refuse(text, len, "cannot be placed in the local time zone", msg, msgcap);
  memset(&w, 0, sizeof w);
  c.s = text, c.end = text + len;
  skip_spaces(&c);
  if (c.s == c.end) return refuse(text, len, "is empty", msg, msgcap);
  ago = read_ago(c.s, (size_t)(c.end - c.s), now, utc);
  if (ago < 0) return refuse(text, len, "has a duration k2 does not understand before 'ago'", msg, msgcap);
  if (ago > 0) {
    *offset = (int32_t)today.tm_gmtoff;
    if (local_parts(*utc, &today)) *offset = (int32_t)today.tm_gmtoff;
  } else if (word(&c, "now")) {
    *utc = now;
    *offset = (int32_t)today.tm_gmtoff;
  } else {
    if (word(&c, "yesterday")) w.yesterday = 1;
    else if (!word(&c, "today") && read_date(&c, &w) && c.s < c.end && (*c.s == 'T' || *c.s == 't')) c.s++;
    skip_spaces(&c);
    if (word(&c, "at")) skip_spaces(&c);
    if (c.s < c.end && !read_clock(&c, &w)) return refuse(text, len, "is not understood", msg, msgcap);
    if (w.has_clock) read_zone(&c, &w);
    skip_spaces(&c);
    if (c.s != c.end) return refuse(text, len, "is not understood", msg, msgcap);
    if (!valid(&w)) return refuse(text, len, "is not a date and time that exists", msg, msgcap);
    if (!w.has_date) {
      struct tm day = today;
      if (w.yesterday) {
        day.tm_mday -= 1, day.tm_hour = 12, day.tm_isdst = -1; /* noon: no DST edge moves the day */
        if (mktime(&day) == (time_t)-1) return refuse(text, len, "cannot be placed in time", msg, msgcap);
      }
      w.year = day.tm_year + 1900L, w.month = day.tm_mon + 1, w.day = day.tm_mday;
      if (!w.has_clock) w.hour = today.tm_hour, w.minute = today.tm_min, w.second = today.tm_sec;
    }
    if (w.has_zone) {
      *utc = (int64_t)(days_from_civil(w.year, w.month, w.day) * SECONDS_PER_DAY + w.hour * SECONDS_PER_HOUR +
                       w.minute * 60 + w.second - w.offset);
      *offset = w.offset;
    } else if (!from_local(w.year, w.month, w.day, w.hour, w.minute, w.second, utc, offset)) {
      return refuse(text, len, "cannot be placed in the local time zone", msg, msgcap);
    }
    /* a clock time alone is the last one that has passed */
    if (!w.has_date && !w.yesterday && w.has_clock && *utc > now + K2_TIME_MAX_SKEW_S) {
      struct tm day = today;
      day.tm_mday -= 1, day.tm_hour = 12, day.tm_isdst = -1;
      if (mktime(&day) == (time_t)-1 ||
          !from_local(day.tm_year + 1900L, day.tm_mon + 1, day.tm_mday, w.hour, w.minute, w.second, utc, offset))
        return refuse(text, len, "cannot be placed in time", msg, msgcap);
    }
  }
  if (*utc < 0 || *utc > K2_TIME_MAX_S) return refuse(text, len, "is outside 1970 to 9999", msg, msgcap);
  if (*utc > now + K2_TIME_MAX_SKEW_S)
    return refuse(text, len, "is in the future; the journal records what was taken", msg, msgcap);
  return K2_OK;
}
