/*
** test_image.c — the embedded store's defences. The connection's settings
** are read back (DEFENSIVE on, TRUSTED_SCHEMA off, extension loading off,
** limits lowered); writes of every kind are refused with SQLITE_READONLY;
** and damaged copies of the image — every byte of the first page inverted,
** the 100-byte file header also flipped low and high bit, every byte of the
** search index's header (each refused: the search fails) and 2,000 random
** damages in its tables, then 10,000 random multi-byte damages anywhere — are opened
** read-only and queried: each gives an error or a valid answer, never a
** crash (ASan and UBSan watch). Reference: sqlite.org/security.html.
** `test_image first-page` runs the settings and the first page's damages,
** `test_image random` the random ones, no argument all: make test runs the
** random part in a build with UBSan alone (build/test_image-ub), where each
** open costs a quarter of what it does under ASan.
*/
#include "check.h"
#include "k2_store_int.h"

#include <stdint.h>
#include <stdlib.h>

static uint64_t seed = 7;
static uint64_t next(void) {
  seed ^= seed << 13;
  seed ^= seed >> 7;
  seed ^= seed << 17;
  return seed;
}

static int config(sqlite3 *db, int op) {
  int v = -1;
  sqlite3_db_config(db, op, -1, &v);
  return v;
}

static void test_settings(k2_store *st) {
  static const char *writes[] = {
    "INSERT INTO meta VALUES('x', 'y')", "UPDATE fact SET claim = ''", "DELETE FROM source",
    "CREATE TABLE t(x)", "DROP TABLE fact", "INSERT INTO fact_fts(fact_fts) VALUES('optimize')",
    "CREATE INDEX i ON fact(topic)", "REPLACE INTO conflict VALUES('a', 'b', 'c', 'd')"};
  CASE("the store's connection is defensive, untrusting and limited, read back");
  CHECK(config(st->db, SQLITE_DBCONFIG_DEFENSIVE) == 1);
  CHECK(config(st->db, SQLITE_DBCONFIG_TRUSTED_SCHEMA) == 0);
  CHECK(config(st->db, SQLITE_DBCONFIG_ENABLE_LOAD_EXTENSION) == 0);
  CHECK(config(st->db, SQLITE_DBCONFIG_ENABLE_TRIGGER) == 0);
  CHECK(config(st->db, SQLITE_DBCONFIG_ENABLE_VIEW) == 0);
  CHECK(sqlite3_limit(st->db, SQLITE_LIMIT_ATTACHED, -1) == 0);
  CHECK(sqlite3_limit(st->db, SQLITE_LIMIT_LENGTH, -1) == 1000000);
  CHECK(sqlite3_limit(st->db, SQLITE_LIMIT_SQL_LENGTH, -1) == 100000);
  CHECK(sqlite3_limit(st->db, SQLITE_LIMIT_COLUMN, -1) == 100);
  CASE("writes of every kind are refused as read-only");
  for (size_t i = 0; i < sizeof writes / sizeof writes[0]; i++) {
    int rc = sqlite3_exec(st->db, writes[i], NULL, NULL, NULL);
    CHECK((rc & 0xff) == SQLITE_READONLY);
    if ((rc & 0xff) != SQLITE_READONLY) fprintf(stderr, "  %s -> %d %s\n", writes[i], rc, sqlite3_errmsg(st->db));
  }
  CHECK(sqlite3_exec(st->db, "ATTACH ':memory:' AS other", NULL, NULL, NULL) != SQLITE_OK);
  CHECK(sqlite3_exec(st->db, "SELECT load_extension('x')", NULL, NULL, NULL) != SQLITE_OK);
}

/* Opens a damaged image and queries it; any status is fine, a crash is not. */
static int try_image(const unsigned char *img, size_t n) {
  k2_store *st = NULL;
  k2_fact_list *list = NULL;
  k2_status rc = k2__store_open_image(img, n, &st);
  int answered = 0;
  if (rc == K2_OK) {
    if (k2_search(st, "warfarin dose", 13, NULL, 10, &list) == K2_OK) answered++;
    k2_fact_list_free(list);
    list = NULL;
    if (k2_fact_get(st, "seed.mk7.tmax", 13, &list) == K2_OK) answered++;
    k2_fact_list_free(list);
    list = NULL;
    if (k2_facts(st, NULL, &list) == K2_OK) answered++;
    k2_fact_list_free(list);
  }
  k2_store_close(st);
  return answered;
}

/* The search index's blob (tools/search_index.lua) inside the image: its
** header is checked whole, so any damage to it fails the search; damage
** to its tables gives an error or an answer. */
static void test_index_damage(void) {
  size_t n = k2__image_size, at = n;
  unsigned char *copy = malloc(n);
  int refused = 0, header = 24;
  if (!copy) { CHECK(copy != NULL); return; }
  for (size_t i = 0; i + 4 <= n && at == n; i++)
    if (memcmp(k2__image + i, "k2si\x01\x00\x00\x00", 8) == 0) at = i;
  CASE("the search index is in the image; each byte of its header damaged: the search refuses");
  CHECK(at < n);
  for (int i = 0; at < n && i < header; i++) {
    k2_store *st = NULL;
    k2_fact_list *list = NULL;
    memcpy(copy, k2__image, n);
    copy[at + (size_t)i] ^= 0xFF;
    if (k2__store_open_image(copy, n, &st) == K2_OK) {
      refused += k2_search(st, "warfarin dose", 13, NULL, 10, &list) == K2_ESTORE;
      CHECK(strstr(k2_store_errmsg(st), "damaged") || strstr(k2_store_errmsg(st), "malformed"));
    }
    k2_fact_list_free(list);
    k2_store_close(st);
  }
  CHECK(refused == header);
  CASE("2,000 random damages in the index's tables: an error or an answer");
  for (int r = 0; at < n && r < 2000; r++) {
    memcpy(copy, k2__image, n);
    copy[at + (size_t)header + next() % 4000] = (unsigned char)next();
    try_image(copy, n);
  }
  free(copy);
}

static void test_damage(int first_page, int random) {
  size_t n = k2__image_size, page = n < 4096 ? n : 4096;
  unsigned char *copy = malloc(n);
  static const unsigned char flips[] = {0x01, 0x80, 0xFF};
  long opened = 0, tried = 0;
  if (!copy) { CHECK(copy != NULL); return; }
  if (first_page) CASE("every byte of the first page damaged (the header three ways): an error or an answer");
  for (size_t i = 0; first_page && i < page; i++) {
    for (size_t f = i < 100 ? 0 : 2; f < sizeof flips; f++) {
      memcpy(copy, k2__image, n);
      copy[i] ^= flips[f];
      opened += try_image(copy, n) > 0;
      tried++;
    }
  }
  if (random) CASE("10,000 random multi-byte damages anywhere in the image");
  for (int r = 0; random && r < 10000; r++) {
    int bytes = 1 + (int)(next() % 8);
    memcpy(copy, k2__image, n);
    for (int b = 0; b < bytes; b++) copy[next() % n] = (unsigned char)next();
    opened += try_image(copy, n) > 0;
    tried++;
  }
  memcpy(copy, k2__image, n);
  CHECK(try_image(copy, n) == 3); /* and the undamaged copy still answers all three */
  printf("image: %ld damaged images opened and queried, %ld still answered\n", tried, opened);
  free(copy);
}

int main(int argc, char **argv) {
  k2_store *st = NULL;
  const char *part = argc > 1 ? argv[1] : "all";
  int first_page = strcmp(part, "random") != 0, random = strcmp(part, "first-page") != 0;
  if (strcmp(part, "all") != 0 && (first_page && random)) {
    fprintf(stderr, "usage: test_image [first-page|random]\n");
    return 2;
  }
  CASE("store opens");
  CHECK(k2_store_open(&st) == K2_OK);
  if (st && st->db && first_page) test_settings(st);
  k2_store_close(st);
  if (first_page) test_index_damage();
  test_damage(first_page, random);
  return check_summary("image");
}
