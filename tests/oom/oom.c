/*
** oom.c — the out-of-memory sweep (`make oom`, part of `make test`). One
** failing allocator serves Lua (lua_newstate) and SQLite
** (SQLITE_CONFIG_MALLOC). For N = 1, 2, ... the N-th allocation fails —
** once, or (sticky) every allocation from the N-th on — while
** tests/oom/api.lua runs through the whole Lua API. Every run must end with
** "ok" or with an error saying "not enough memory" / "out of memory", and
** with 0 live blocks after lua_close and sqlite3_shutdown. The sweep stops
** at the first N the script completes without reaching. Built with the
** core and the binding linked in, under ASan and UBSan.
** Reference: shared/notes/reliability-research.md §3 (the harness design);
** Lua's testes/memerr.lua; SQLite's test_malloc.c.
** Usage: oom once|sticky|selftest [script]   Prints "oom-MODE: N passed, N failed".
** K2_OOM_SHARD=i/k (0 <= i < k) sweeps every k-th point from 1+i, printing
** "oom-MODE-i"; tools/oom.sh splits the once mode in two this way.
** selftest is run on the build with -DK2_OOM_SELFTEST (a deliberate leak)
** and passes only if the sweep catches it.
*/
#include <lauxlib.h>
#include <lua.h>
#include <lualib.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int luaopen_k2_core(lua_State *L);

static long count, fail_at = -1, live;
static int sticky;

static int should_fail(void) {
  if (fail_at < 0) return 0;
  ++count;
  return sticky ? count >= fail_at : count == fail_at;
}

static void *lua_alloc(void *ud, void *p, size_t osize, size_t nsize) {
  void *q;
  (void)ud; (void)osize;
  if (nsize == 0) {
    if (p) live--;
    free(p);
    return NULL;
  }
  if (should_fail()) return NULL;
  q = realloc(p, nsize);
  if (q && !p) live++;
  return q;
}

/* SQLite's side: a 16-byte header keeps the size for xSize. */
static void *sq_malloc(int n) {
  char *p;
  if (should_fail()) return NULL;
  p = malloc((size_t)n + 16);
  if (!p) return NULL;
  *(size_t *)p = (size_t)n;
  live++;
  return p + 16;
}
static void sq_free(void *p) {
  if (!p) return;
  live--;
  free((char *)p - 16);
}
static void *sq_realloc(void *p, int n) {
  char *q;
  if (!p) return sq_malloc(n);
  if (should_fail()) return NULL;
  q = realloc((char *)p - 16, (size_t)n + 16);
  if (!q) return NULL;
  *(size_t *)q = (size_t)n;
  return q + 16;
}
static int sq_size(void *p) { return p ? (int)*(size_t *)((char *)p - 16) : 0; }
static int sq_roundup(int n) { return (n + 7) & ~7; }
static int sq_init(void *ud) { (void)ud; return SQLITE_OK; }
static void sq_shutdown(void *ud) { (void)ud; }
static const sqlite3_mem_methods methods = {sq_malloc, sq_free, sq_realloc, sq_size, sq_roundup,
                                            sq_init, sq_shutdown, NULL};

static const char *script_path = "tests/oom/api.lua";

static int boot(lua_State *L) {
  luaL_openlibs(L);
  lua_getglobal(L, "package");
  lua_getfield(L, -1, "preload");
  lua_pushcfunction(L, luaopen_k2_core);
  lua_setfield(L, -2, "k2.core");
  lua_pop(L, 1);
  lua_pushliteral(L, "lua/?.lua;lua/?/init.lua");
  lua_setfield(L, -2, "path");
  lua_pop(L, 1);
  if (luaL_loadfile(L, script_path) != LUA_OK) return lua_error(L);
  lua_call(L, 0, 1);
  return 1;
}

static int is_oom(const char *msg) {
  return msg && (strstr(msg, "not enough memory") || strstr(msg, "out of memory"));
}

int main(int argc, char **argv) {
  long n, points = 0, errors = 0, problems = 0, shard = 0, shards = 1;
  const char *mode = argc > 1 ? argv[1] : "sticky";
  char label[40];
  /* K2_OOM_SHARD=i/k sweeps N = 1+i, 1+i+k, ... so k processes share a mode. */
  if (getenv("K2_OOM_SHARD") && (sscanf(getenv("K2_OOM_SHARD"), "%ld/%ld", &shard, &shards) != 2 || shards < 1
                                 || shard < 0 || shard >= shards)) return 2;
  snprintf(label, sizeof label, shards > 1 ? "%s-%ld" : "%s", mode, shard);
  int selftest = strcmp(mode, "selftest") == 0; /* sticky, and it must find a leak */
  sticky = strcmp(mode, "once") != 0;
  if (argc > 2) script_path = argv[2];
  if (sqlite3_config(SQLITE_CONFIG_MALLOC, &methods) != SQLITE_OK) return 2;
  for (n = 1 + shard;; n += shards) {
    lua_State *L;
    int status = -1, reached;
    const char *msg = NULL;
    char keep[300] = "";
    count = 0;
    fail_at = n;
    L = lua_newstate(lua_alloc, NULL);
    if (L) {
      lua_pushcfunction(L, boot);
      status = lua_pcall(L, 0, 1, 0);
      msg = lua_tostring(L, -1);
      if (msg) snprintf(keep, sizeof keep, "%s", msg);
      lua_close(L);
    }
    sqlite3_shutdown();
    reached = count >= n;
    fail_at = -1;
    points++;
    if (live != 0) {
      problems++;
      fprintf(stderr, "%s N=%ld: %ld live blocks after close (%s)\n", mode, n, live, keep);
      live = 0;
      if (selftest) break;
    }
    if (L && status == LUA_OK && strcmp(keep, "ok") != 0) {
      problems++;
      fprintf(stderr, "%s N=%ld: finished with '%s', not ok\n", mode, n, keep);
    }
    if (L && status != LUA_OK) {
      errors++;
      if (!is_oom(keep)) {
        problems++;
        fprintf(stderr, "%s N=%ld: error that is not an out-of-memory error: %s\n", mode, n, keep);
      }
    }
    if (L && status == LUA_OK && !reached) break;
    if (n > 2000000) { problems++; fprintf(stderr, "no end in sight\n"); break; }
    if (getenv("K2_OOM_MAX") && n >= atol(getenv("K2_OOM_MAX"))) break;
  }
  if (selftest) {
    /* The deliberately broken build passes when the sweep caught its leak. */
    printf("oom-selftest: the deliberate leak was %s after %ld points\n", problems ? "caught" : "NOT caught", points);
    printf("oom-selftest: %d passed, %d failed\n", problems ? 1 : 0, problems ? 0 : 1);
    return problems ? 0 : 1;
  }
  printf("oom-%s: swept %ld failure points (%ld ended in a memory error)\n", label, points, errors);
  printf("oom-%s: %ld passed, %ld failed\n", label, points - problems, problems);
  return problems ? 1 : 0;
}
