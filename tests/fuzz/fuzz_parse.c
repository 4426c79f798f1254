/*
** fuzz_parse.c — libFuzzer targets for the two text parsers of the core:
** built once with -DTARGET_DOSE (k2_parse_dose: "100 mcg", "1 mg", units
** in micrograms) and once with -DTARGET_DURATION (k2_parse_duration:
** "12 h", "3 days", hours). Any input must give K2_OK with a finite,
** non-negative value, or an error with a non-empty message; and a value
** that parses must survive format-then-parse to within half the last of
** the 9 printed decimals, printing the same text again.
** ASan and UBSan watch. Reference: llvm.org/docs/LibFuzzer.html.
*/
#include "k2.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#if defined(TARGET_DOSE)
#define PARSE k2_parse_dose
#define UNIT " mcg"
#else
#define PARSE k2_parse_duration
#define UNIT " h"
#endif

/* format (9 decimals, the most it gives) then parse: the value comes back
** within half the last decimal, and formatting it again gives the same text. */
static void roundtrip(double value) {
  char num[64], again_num[64], text[80], msg[128];
  double again = -1;
  if (!k2_format_number(value, 9, num, sizeof num)) return; /* >= 1e15: not printable */
  snprintf(text, sizeof text, "%s%s", num, UNIT);
  if (PARSE(text, strlen(text), &again, msg, sizeof msg) != K2_OK) return; /* rounded out of range */
  if (fabs(again - value) > 0.5e-9 + 1e-15 * fabs(value)) abort();
  if (!k2_format_number(again, 9, again_num, sizeof again_num) || strcmp(num, again_num) != 0) abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  char msg[256];
  double value = -1;
  msg[0] = '\0';
  if (PARSE((const char *)data, size, &value, msg, sizeof msg) == K2_OK) {
    if (!isfinite(value) || value < 0) abort();
    roundtrip(value);
  } else if (msg[0] == '\0' || strlen(msg) >= sizeof msg) {
    abort();
  }
  return 0;
}
