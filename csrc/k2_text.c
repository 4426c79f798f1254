/*
** k2_text.c — small UTF-8 and message helpers used by the parsers and the
** search-text normaliser, and the core's one comma-list splitter
** (k2_list_next). No locale: only bytes and code points.
** Reference: RFC 3629 (UTF-8), Unicode 15 chapter 6 (space and dash
** characters: U+00A0, U+2009, U+202F; U+2010..U+2015, U+2212).
*/
#include "k2.h"
#include "k2_int.h"

#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

void *k2__malloc(size_t n) { return sqlite3_malloc64(n); }
void k2__free(void *p) { sqlite3_free(p); }

int k2__utf8_valid(const char *str, size_t len) {
  const unsigned char *s = (const unsigned char *)str, *end = s + len;
  while (s < end) {
    unsigned c = *s, cp, n;
    if (c < 0x80) { s++; continue; }
    if (c >= 0xC2 && c <= 0xDF) { n = 1; cp = c & 0x1F; }
    else if (c >= 0xE0 && c <= 0xEF) { n = 2; cp = c & 0x0F; }
    else if (c >= 0xF0 && c <= 0xF4) { n = 3; cp = c & 0x07; }
    else return 0;
    if ((size_t)(end - s) <= n) return 0;
    for (unsigned i = 1; i <= n; i++) {
      if ((s[i] & 0xC0) != 0x80) return 0;
      cp = (cp << 6) | (s[i] & 0x3F);
    }
    if ((n == 2 && cp < 0x800) || (n == 3 && (cp < 0x10000 || cp > 0x10FFFF))) return 0;
    if (cp >= 0xD800 && cp <= 0xDFFF) return 0;
    s += n + 1;
  }
  return 1;
}

size_t k2__utf8_next(const unsigned char *s, const unsigned char *end, unsigned *cp) {
  size_t n = *s < 0x80 ? 1 : *s < 0xE0 ? 2 : *s < 0xF0 ? 3 : 4;
  if ((size_t)(end - s) < n) n = (size_t)(end - s);
  *cp = n == 1 ? *s : (unsigned)(*s & (0x7F >> n));
  for (size_t i = 1; i < n; i++) *cp = (*cp << 6) | (s[i] & 0x3F);
  return n;
}

size_t k2__space_len(const unsigned char *s, const unsigned char *end) {
  if (s >= end) return 0;
  if (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r' || *s == '\f' || *s == '\v') return 1;
  if (end - s >= 2 && s[0] == 0xC2 && s[1] == 0xA0) return 2;                 /* U+00A0 */
  if (end - s >= 3 && s[0] == 0xE2 && s[1] == 0x80 && (s[2] == 0x89 || s[2] == 0xAF))
    return 3;                                                                   /* U+2009, U+202F */
  return 0;
}

size_t k2__dash_len(const unsigned char *s, const unsigned char *end) {
  if (s >= end) return 0;
  if (*s == '-') return 1;
  if (end - s >= 3 && s[0] == 0xE2 && s[1] == 0x80 && s[2] >= 0x90 && s[2] <= 0x95) return 3;
  if (end - s >= 3 && s[0] == 0xE2 && s[1] == 0x88 && s[2] == 0x92) return 3; /* U+2212 */
  return 0;
}

void k2__msg(char *msg, size_t cap, const char *fmt, ...) {
  va_list ap;
  if (!msg || cap == 0) return;
  va_start(ap, fmt);
  vsnprintf(msg, cap, fmt, ap);
  va_end(ap);
}

const char *k2__quote(const char *s, size_t len, size_t max, char *out, size_t cap) {
  size_t n = 0, i = 0;
  if (cap < 4) { if (cap) out[0] = '\0'; return out; }
  while (i < len && i < max && n + 4 < cap) {
    unsigned char c = (unsigned char)s[i];
    size_t step = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    if (i + step > len || i + step > max || n + step + 4 >= cap) break;
    if (c < 0x20 || c == 0x7F) out[n++] = '?';
    else { memcpy(out + n, s + i, step); n += step; }
    i += step;
  }
  if (i < len) { memcpy(out + n, "...", 3); n += 3; }
  out[n] = '\0';
  return out;
}

int k2_list_next(const char **cursor, const char **item, size_t *len) {
  const char *p = cursor ? *cursor : NULL;
  while (p && *p) {
    const char *end = strchr(p, ',');
    const char *a = p, *b = end ? end : p + strlen(p);
    p = end ? end + 1 : NULL;
    while (a < b && *a == ' ') a++;
    while (b > a && b[-1] == ' ') b--;
    if (b > a) {
      *cursor = p;
      *item = a;
      *len = (size_t)(b - a);
      return 1;
    }
  }
  if (cursor) *cursor = NULL;
  return 0;
}
