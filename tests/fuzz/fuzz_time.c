/*
** fuzz_time.c — libFuzzer target for k2_parse_time (csrc/k2_time.c, issue 15): times people
** write in the journal. With a fixed `now` (2026-12-02 10:00 UTC) in the Europe/Berlin zone
** (daylight saving, so mktime's edges are reached), any input must give K2_OK with a time from
** 1970 to now + K2_TIME_MAX_SKEW_S and an offset within K2_TIME_MAX_OFFSET_S, or K2_EINPUT with
** a non-empty message. And every accepted text is stable: parsing it twice gives the same answer.
** ASan and UBSan watch. Reference: llvm.org/docs/LibFuzzer.html.
*/
#define _POSIX_C_SOURCE 200809L
#include "k2.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define NOW 1796205600

int LLVMFuzzerInitialize(int *argc, char ***argv) {
  (void)argc, (void)argv;
  setenv("TZ", "Europe/Berlin", 1);
  tzset();
  return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  char msg[256];
  int64_t utc = -1, again = -2;
  int32_t offset = 0, offset2 = 1;
  k2_status rc;
  msg[0] = '\0';
  rc = k2_parse_time((const char *)data, size, NOW, &utc, &offset, msg, sizeof msg);
  if (rc == K2_OK) {
    if (utc < 0 || utc > NOW + K2_TIME_MAX_SKEW_S) abort();
    if (offset < -K2_TIME_MAX_OFFSET_S || offset > K2_TIME_MAX_OFFSET_S) abort();
    if (k2_parse_time((const char *)data, size, NOW, &again, &offset2, msg, sizeof msg) != K2_OK) abort();
    if (again != utc || offset2 != offset) abort();
  } else if (rc != K2_EINPUT || msg[0] == '\0' || strlen(msg) >= sizeof msg) {
    abort();
  }
  return 0;
}
