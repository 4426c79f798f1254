/*
** test_text.c — k2_text.c: UTF-8 validation (RFC 3629: overlongs,
** surrogates, code points past U+10FFFF and cut sequences refused), decoding,
** the space and dash characters the parsers accept (U+00A0, U+2009, U+202F;
** U+2010..U+2015, U+2212), quoting user text into messages, the message
** writer's bounds, and the comma-list splitter k2_list_next. Built and run
** under AddressSanitizer and UBSan.
*/
#include "check.h"
#include "k2.h"
#include "k2_int.h"

#define LEN(s) (sizeof(s) - 1)
#define U(s) (const unsigned char *)(s), (const unsigned char *)(s) + LEN(s)

static void test_utf8(void) {
  static const struct { const char *s; size_t len; int valid; } cases[] = {
    {"", 0, 1}, {"plain", 5, 1}, {"\xC2\xB5g", 3, 1}, {"\xE2\x80\x94", 3, 1}, {"\xF0\x9F\x98\x80", 4, 1},
    {"\xF4\x8F\xBF\xBF", 4, 1}, {"\xC0\xAF", 2, 0}, {"\xE0\x80\xAF", 3, 0}, {"\xED\xA0\x80", 3, 0},
    {"\xF4\x90\x80\x80", 4, 0}, {"\xC3", 1, 0}, {"\xE2\x80", 2, 0}, {"\x80", 1, 0}, {"\xFF", 1, 0},
    {"\xC3\x28", 2, 0},
  };
  unsigned cp = 0;
  CASE("utf8: valid and invalid sequences");
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    CHECK(k2__utf8_valid(cases[i].s, cases[i].len) == cases[i].valid);
    if (k2__utf8_valid(cases[i].s, cases[i].len) != cases[i].valid) fprintf(stderr, "  case %zu\n", i);
  }
  CASE("utf8: decoding one code point");
  CHECK(k2__utf8_next(U("A"), &cp) == 1 && cp == 'A');
  CHECK(k2__utf8_next(U("\xC2\xB5"), &cp) == 2 && cp == 0xB5);
  CHECK(k2__utf8_next(U("\xE2\x88\x92"), &cp) == 3 && cp == 0x2212);
  CHECK(k2__utf8_next(U("\xF0\x9F\x98\x80"), &cp) == 4 && cp == 0x1F600);
}

static void test_spaces_and_dashes(void) {
  CASE("spaces: ASCII blanks, no-break, thin and narrow no-break; nothing else");
  CHECK(k2__space_len(U(" x")) == 1 && k2__space_len(U("\t")) == 1);
  CHECK(k2__space_len(U("\xC2\xA0")) == 2);
  CHECK(k2__space_len(U("\xE2\x80\x89")) == 3 && k2__space_len(U("\xE2\x80\xAF")) == 3);
  CHECK(k2__space_len(U("x")) == 0 && k2__space_len(U("\xE2\x80\x8B")) == 0);
  CHECK(k2__space_len(U("\xC2")) == 0); /* cut sequence */
  CASE("dashes: '-', U+2010..U+2015 and U+2212");
  CHECK(k2__dash_len(U("-")) == 1);
  CHECK(k2__dash_len(U("\xE2\x80\x90")) == 3 && k2__dash_len(U("\xE2\x80\x95")) == 3);
  CHECK(k2__dash_len(U("\xE2\x88\x92")) == 3);
  CHECK(k2__dash_len(U("\xE2\x80\x96")) == 0 && k2__dash_len(U("_")) == 0);
}

static void test_messages(void) {
  char out[64], small[8];
  CASE("quote: control bytes shown as '?', long text cut on a character boundary with '...'");
  CHECK(strcmp(k2__quote("a\nb", 3, 40, out, sizeof out), "a?b") == 0);
  CHECK(strcmp(k2__quote("abcdef", 6, 3, out, sizeof out), "abc...") == 0);
  CHECK(strcmp(k2__quote("\xC2\xB5\xC2\xB5", 4, 3, out, sizeof out), "\xC2\xB5...") == 0);
  /* quote first: the order in which a call's arguments are evaluated is unspecified */
  k2__quote("\xE2\x80\x94\xE2\x80\x94\xE2\x80\x94", 9, 40, small, sizeof small);
  CHECK(k2__utf8_valid(small, strlen(small)));
  CHECK(strlen(small) < sizeof small);
  CASE("msg: bounded, and NULL or empty buffers are accepted");
  k2__msg(small, sizeof small, "%s", "a long message");
  CHECK(strcmp(small, "a long ") == 0);
  k2__msg(NULL, 10, "%s", "x");
  k2__msg(out, 0, "%s", "x");
}

static void test_list(void) {
  static const char *const want[] = {"K2", "MK-7", "a b", "c"};
  const char *text = " K2, MK-7,,  a b ,c ", *item = NULL;
  size_t len = 0, n = 0;
  CASE("list: items trimmed of spaces, empty ones skipped, in order");
  while (k2_list_next(&text, &item, &len)) {
    CHECK(n < 4 && len == strlen(want[n]) && memcmp(item, want[n], len) == 0);
    n++;
  }
  CHECK(n == 4 && text == NULL);
  CASE("list: NULL, empty and all-blank lists have no items");
  text = NULL;
  CHECK(k2_list_next(&text, &item, &len) == 0);
  text = "";
  CHECK(k2_list_next(&text, &item, &len) == 0);
  text = " , ,";
  CHECK(k2_list_next(&text, &item, &len) == 0);
  CHECK(k2_list_next(NULL, &item, &len) == 0);
  CASE("list: one item without a comma");
  text = "warfarin";
  CHECK(k2_list_next(&text, &item, &len) == 1 && len == 8 && memcmp(item, "warfarin", 8) == 0);
  CHECK(k2_list_next(&text, &item, &len) == 0);
}

int main(void) {
  test_utf8();
  test_spaces_and_dashes();
  test_messages();
  test_list();
  return check_summary("text");
}
