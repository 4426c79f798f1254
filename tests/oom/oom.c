/*
** oom.c — the out-of-memory sweep (`make oom`, part of `make test`). One
** failing allocator serves Lua (lua_newstate) and SQLite
** (SQLITE_CONFIG_MALLOC). For N = 1, 2, ... the N-th allocation fails —
** once, or (sticky) every allocation from the N-th on — while one short
** script of tests/oom/ runs through one area of the Lua API. Every run must
** end with "ok" or with an error saying "not enough memory" / "out of
** memory", and with 0 live blocks after lua_close and sqlite3_shutdown. The
** sweep stops at the first N the script completes without reaching.
** Built with the core and the binding linked in, under ASan and UBSan.
**
** Why many short scripts and a prelude: a sweep costs (points) x (length of
** a run), the square of the script's length. Every area script starts from
** tests/oom/prelude.lua (require "k2", open the store, load every module);
** the prelude's own failure points are swept once, by sweeping prelude.lua
** itself, and an area script's sweep starts at the first allocation after
** the prelude (its allocation count is measured by a clean run first and
** checked on every run, so a drifting prelude is reported, not skipped).
** Reference: shared/notes/reliability-research.md §3 (the harness design);
** Lua's testes/memerr.lua; SQLite's test_malloc.c.
**
** Usage: oom once|sticky|selftest|count SCRIPT
** (count: one clean run, printing how many allocations the prelude and the
** script make; a script may call oom_count("where") to see where they go.)
** Prints "oom-MODE SCRIPT: N passed, N failed" (or "oom-selftest: ...").
** K2_OOM_SHARD=i/k (0 <= i < k) sweeps every k-th point from the first;
** K2_OOM_MAX=N stops after failure point N.
** selftest: the harness proves it catches a leak. Only in this mode it
** registers oom_leaky_open(), which opens a k2 store (through k2.h) BEFORE
** it creates the userdata that owns it — the classic resource-before-owner
** bug. The sticky sweep of SCRIPT (tests/oom/selftest.lua) must report it.
*/
#include <lauxlib.h>
#include <lua.h>
#include <lualib.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "k2.h"

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

static const char *const prelude_path = "tests/oom/prelude.lua";
static int with_leak; /* selftest mode: register oom_leaky_open */

/* ---------------------------------------------------------------- selftest */

static int leaky_gc(lua_State *L) {
  k2_store **box = (k2_store **)lua_touserdata(L, 1);
  if (*box) k2_store_close(*box);
  *box = NULL;
  return 0;
}

/* The deliberate bug: the store exists before its owner. When the userdata
** allocation fails, nothing closes the store, and the sweep must see it. */
static int leaky_open(lua_State *L) {
  k2_store *store = NULL;
  k2_store **box;
  if (k2_store_open(&store) != K2_OK) {
    k2_store_close(store);
    return luaL_error(L, "not enough memory");
  }
  box = (k2_store **)lua_newuserdata(L, sizeof *box);
  *box = store;
  lua_newtable(L);
  lua_pushcfunction(L, leaky_gc);
  lua_setfield(L, -2, "__gc");
  lua_setmetatable(L, -2);
  return 1;
}

/* ---------------------------------------------------------------- one run */

/* run_file(path [, arg]) → the file's first result */
static int run_file(lua_State *L) {
  int nargs = lua_gettop(L) - 1;
  if (luaL_loadfile(L, lua_tostring(L, 1)) != LUA_OK) return lua_error(L);
  lua_insert(L, 2);
  lua_call(L, nargs, 1);
  return 1;
}

/* boot() → k2: the libraries, the core preloaded, then the prelude. */
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
  if (with_leak) lua_register(L, "oom_leaky_open", leaky_open);
  lua_pushcfunction(L, run_file);
  lua_pushstring(L, prelude_path);
  lua_call(L, 1, 1);
  return 1;
}

static int is_oom(const char *msg) {
  return msg && (strstr(msg, "not enough memory") || strstr(msg, "out of memory"));
}

enum { RAN = 64, ERRORED = 1, PROBLEM = 2, REACHED = 4 }; /* a run's outcome, also a child's exit code */

/* Ends a run that failed allocation n: closes L (NULL when lua_newstate
** itself failed), shuts SQLite down, prints what is wrong, returns the outcome. */
static int judge(const char *label, long n, lua_State *L, int status) {
  int outcome = RAN;
  char msg[300] = "";
  if (L) {
    if (lua_tostring(L, -1)) snprintf(msg, sizeof msg, "%s", lua_tostring(L, -1));
    lua_close(L);
  }
  sqlite3_shutdown();
  if (count >= n) outcome |= REACHED;
  fail_at = -1;
  if (live != 0) {
    outcome |= PROBLEM;
    fprintf(stderr, "%s N=%ld: %ld live blocks after close (%s)\n", label, n, live, msg);
  }
  if (L && status == LUA_OK && strcmp(msg, "ok") != 0) {
    outcome |= PROBLEM;
    fprintf(stderr, "%s N=%ld: finished with '%s', not ok\n", label, n, msg);
  }
  if (L && status != LUA_OK) {
    outcome |= ERRORED;
    if (!is_oom(msg)) {
      outcome |= PROBLEM;
      fprintf(stderr, "%s N=%ld: error that is not an out-of-memory error: %s\n", label, n, msg);
    }
  }
  if (!L) outcome |= ERRORED;
  live = 0;
  return outcome;
}

/* Sweeping the prelude itself: every run is a fresh state. */
static int run_prelude(const char *label, long n) {
  lua_State *L;
  int status = -1;
  count = 0;
  fail_at = n;
  L = lua_newstate(lua_alloc, NULL);
  if (L) {
    lua_pushcfunction(L, boot);
    status = lua_pcall(L, 0, 1, 0);
    /* the prelude's result is k2, a table; "ok" stands for it */
    if (status == LUA_OK && lua_istable(L, -1)) lua_pushliteral(L, "ok");
  }
  return judge(label, n, L, status);
}

/* Sweeping an area script: a child forked from the state the prelude left
** (k2 at index 1 of L) runs the script with allocation n failing. */
static int run_forked(const char *label, long n, lua_State *L) {
  int wstatus;
  pid_t pid;
  fflush(stdout);
  fflush(stderr);
  pid = fork();
  if (pid < 0) return RAN | PROBLEM;
  if (pid == 0) {
    int status;
    fail_at = n;
    status = lua_pcall(L, 2, 1, 0); /* run_file(script, k2), pushed by main */
    status = judge(label, n, L, status);
    fflush(stderr);
    _exit(status); /* skip atexit: the parent owns the leak check of the state */
  }
  if (waitpid(pid, &wstatus, 0) != pid || !WIFEXITED(wstatus) || !(WEXITSTATUS(wstatus) & RAN)) {
    fprintf(stderr, "%s N=%ld: the run died (status %d)\n", label, n, wstatus);
    return RAN | PROBLEM | REACHED;
  }
  return WEXITSTATUS(wstatus);
}

/* oom count SCRIPT: how many allocations the prelude and the script make
** (oom_count() in the script prints the running count, to see where they go). */
static int print_count(lua_State *L) {
  printf("count %s: %ld\n", luaL_optstring(L, 1, ""), count);
  return 0;
}
static int count_allocations(const char *script) {
  lua_State *L;
  long prelude;
  count = 0;
  fail_at = 1L << 62;
  L = lua_newstate(lua_alloc, NULL);
  lua_pushcfunction(L, boot);
  if (lua_pcall(L, 0, 1, 0) != LUA_OK) return 1;
  prelude = count;
  lua_register(L, "oom_count", print_count);
  lua_pushcfunction(L, run_file);
  lua_pushstring(L, script);
  lua_pushvalue(L, 1);
  if (lua_pcall(L, 2, 1, 0) != LUA_OK) printf("error: %s\n", lua_tostring(L, -1));
  printf("%s: the prelude makes %ld allocations, the script %ld\n", script, prelude, count - prelude);
  lua_close(L);
  return 0;
}

int main(int argc, char **argv) {
  long n, first = 1, points = 0, errors = 0, problems = 0, shard = 0, shards = 1;
  const char *mode = argc > 1 ? argv[1] : "", *script = argc > 2 ? argv[2] : "", *max = getenv("K2_OOM_MAX");
  int selftest = strcmp(mode, "selftest") == 0; /* sticky, and it must find a leak */
  int of_prelude = strcmp(script, prelude_path) == 0;
  lua_State *L = NULL;
  char label[300];
  if (argc != 3 || (!selftest && strcmp(mode, "once") != 0 && strcmp(mode, "sticky") != 0
                    && strcmp(mode, "count") != 0)) {
    fprintf(stderr, "usage: oom once|sticky|selftest|count SCRIPT\n");
    return 2;
  }
  /* K2_OOM_SHARD=i/k sweeps N = first+i, first+i+k, ... so k processes share a sweep. */
  if (getenv("K2_OOM_SHARD") && (sscanf(getenv("K2_OOM_SHARD"), "%ld/%ld", &shard, &shards) != 2 || shards < 1
                                 || shard < 0 || shard >= shards)) return 2;
  if (shards > 1) snprintf(label, sizeof label, "%s-%ld %s", mode, shard, script);
  else snprintf(label, sizeof label, "%s %s", mode, script);
  with_leak = selftest;
  sticky = strcmp(mode, "once") != 0;
  if (sqlite3_config(SQLITE_CONFIG_MALLOC, &methods) != SQLITE_OK) return 2;
  if (argc == 3 && strcmp(mode, "count") == 0) return count_allocations(script);
  if (!of_prelude) { /* one clean prelude; its count is where the script's points begin */
    count = 0;
    fail_at = 1L << 62;
    L = lua_newstate(lua_alloc, NULL);
    lua_pushcfunction(L, boot);
    if (!L || lua_pcall(L, 0, 1, 0) != LUA_OK) {
      fprintf(stderr, "%s: the prelude failed without a failing allocation: %s\n", label, L ? lua_tostring(L, -1) : "");
      return 1;
    }
    first = count + 1;
    fail_at = -1;
    if (!lua_checkstack(L, 3)) return 1;
    lua_pushcfunction(L, run_file); /* each child calls run_file(script, k2) */
    lua_pushstring(L, script);
    lua_pushvalue(L, 1);
  }
  for (n = first + shard;; n += shards) {
    int outcome = of_prelude ? run_prelude(label, n) : run_forked(label, n, L);
    points++;
    if (outcome & ERRORED) errors++;
    if (outcome & PROBLEM) {
      problems++;
      if (selftest) break;
    }
    if (!(outcome & ERRORED) && !(outcome & REACHED)) break;
    if (n > 2000000) { problems++; fprintf(stderr, "%s: no end in sight\n", label); break; }
    if (max && points >= atol(max)) break;
  }
  if (L) { /* the parent's own state must close clean too */
    lua_close(L);
    sqlite3_shutdown();
    if (live != 0) { problems++; fprintf(stderr, "%s: %ld live blocks after the clean prelude closed\n", label, live); }
  }
  if (selftest) {
    /* The deliberately broken build passes when the sweep caught its leak. */
    printf("oom-selftest: the deliberate leak was %s after %ld points\n", problems ? "caught" : "NOT caught", points);
    printf("oom-selftest: %d passed, %d failed\n", problems ? 1 : 0, problems ? 0 : 1);
    return problems ? 0 : 1;
  }
  printf("oom-%s: swept %ld failure points from %ld (%ld ended in a memory error)\n", label, points, first, errors);
  printf("oom-%s: %ld passed, %ld failed\n", label, points - problems, problems);
  return problems ? 1 : 0;
}
