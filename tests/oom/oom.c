/*
** oom.c — the out-of-memory sweep (`make oom`, part of `make test`). One
** failing allocator serves Lua (lua_newstate) and SQLite
** (SQLITE_CONFIG_MALLOC). For every allocation N of a script of tests/oom/
** (one area of the Lua API each), a run has the N-th allocation fail —
** once, or (sticky) every allocation from the N-th on. Every run must end
** with "ok" or with an error saying "not enough memory" / "out of memory",
** and with 0 live blocks after lua_close and sqlite3_shutdown; so must the
** run with no failure. Built with the core and the binding linked in, under
** UBSan (see the Makefile).
**
** Why it is cheap: a sweep that restarts for each N costs (points) x
** (length of a run), the square of the script's length. Here one process
** runs the script once and forks at every allocation: the child is the
** run where that allocation fails, the parent lets it succeed, waits for
** the child's verdict and goes on. No run repeats the allocations before
** its failure point. In the once mode most failures are absorbed: Lua
** collects and retries, and the run goes on as the sweep would. Such a run
** stops at the retry and reports it; the sweep then fails that allocation
** itself and goes on as that run, so their runs to the end are one.
** Every area script starts from the state of
** tests/oom/prelude.lua (require "k2", open the store, load the modules and
** the advice rules); the prelude's own failure points are swept once, by
** sweeping prelude.lua itself, and the scripts' sweeps begin after it.
** The prelude is long, so it is swept in stages: it calls oom_stage(n) at
** the end of its stage n; the sweep of stage k runs stages before k with
** no failure, and a run whose allocation failed in stage k ends as a
** finished run at oom_stage(k) — as an area script's run ends at its
** script's end. Every failure point is still swept once in each mode.
** Reference: shared/notes/reliability-research.md §3 (the harness design);
** Lua's testes/memerr.lua; SQLite's test_malloc.c.
**
** Usage: oom once|sticky|selftest|count SCRIPT [STAGE]
** (STAGE: sweep only that stage of the prelude, when SCRIPT is the prelude.)
** Prints "oom-MODE SCRIPT: N passed, N failed" over its failure points.
** K2_OOM_MAX=N stops after N failure points.
** count: one run with no failure, printing how many allocations the prelude
** and the script make (a script may call oom_count("where") to see where).
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

static long count, live; /* allocations so far; blocks allocated and not yet freed */
static int sticky;
/* In a run (a child) that is ending: frees only count, since the process
** exits next. Returning every block to the allocator would write to, and
** so copy, every page the child shares with the sweeping parent. */
static int ending;

/* The sweep: from allocation sweep_from on, the process forks at every
** allocation; the child (a run) fails it — and, sticky, every one after —
** while the parent lets it succeed, waits for the child's verdict and goes
** on to the next. So one pass covers every failure point, and no run
** repeats the allocations before its own. */
static long sweep_from = -1, sweep_max = -1, points, errors, problems, carried;
static long failed_at;    /* in a child: its failing allocation; 0 in the parent */
static int stop_at_problem; /* selftest: one problem is the answer */
static const char *label = "";
static int fork_run(void);

static int retry_next; /* the sweep failed the last allocation itself: the next is Lua's retry */

static int should_fail(void) {
  ++count;
  if (failed_at) return sticky;
  if (retry_next) { /* failing a retry is failing twice: the sticky sweep's case, not once's */
    retry_next = 0;
    return 0;
  }
  if (sweep_from < 0 || count < sweep_from) return 0;
  return fork_run();
}

/* A once-mode run whose failing allocation came from Lua: Lua collects
** (frees only) and asks again for the same block. When that retry comes,
** the failure was absorbed and the run would go on exactly as the sweep
** does after it, so the run reports ABSORBED and the sweeping parent fails
** the same allocation itself and carries on as that run: one pass goes on
** for all absorbed failures instead of each child running to the end. */
static int probing;
static void *probe_p;
static size_t probe_o, probe_n;
static void absorbed(void);
/* Where in Lua a retry comes from: the return addresses of the allocator
** calls that follow a failure Lua collected for (see calibrate). Another
** allocation with the same arguments, after an error Lua did not retry
** for, comes from elsewhere. */
static void *retry_site[2];
static int calibrating; /* 1: fail the next allocation; 2: note where the retry comes from */

static int is_retry(void *from, void *p, size_t osize, size_t nsize) {
  return (from == retry_site[0] || from == retry_site[1]) && from && p == probe_p && osize == probe_o
         && nsize == probe_n;
}

static void *lua_alloc(void *ud, void *p, size_t osize, size_t nsize) {
  void *q;
  (void)ud;
  if (nsize == 0) {
    if (p) live--;
    if (!ending) free(p);
    return NULL;
  }
  if (calibrating) {
    void *from = __builtin_return_address(0);
    if (calibrating == 2) {
      retry_site[retry_site[0] != NULL] = from;
      calibrating = 0;
    } else {
      calibrating = 2;
      return NULL;
    }
  }
  if (probing) {
    probing = 0;
    if (is_retry(__builtin_return_address(0), p, osize, nsize)) {
      if (failed_at) absorbed();
    } else if (!failed_at) { /* the sweep failed it itself, sure that Lua would retry */
      fprintf(stderr, "%s N=%ld: the sweep's own failure was not retried\n", label, count);
      problems++;
    }
  }
  if (should_fail()) {
    if (!sticky && (failed_at == count || !failed_at)) { probing = 1; probe_p = p; probe_o = osize; probe_n = nsize; }
    return NULL;
  }
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
  if (!ending) free((char *)p - 16);
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
static long stage; /* sweeping the prelude: the stage swept, or 0 for all of it */
static const char *const stage_end = "oom: the swept stage ended"; /* a run's finish, not an error */
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

/* Loads a Lua file whole, with its file closed again before Lua allocates
** anything: a forked run must never read from a file the sweeping parent
** has open, since the two share the file's offset. */
static int load_whole(lua_State *L, const char *path) {
  FILE *f;
  char *text;
  long n;
  int rc;
  lua_pushfstring(L, "@%s", path);
  f = fopen(path, "rb");
  if (!f || fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) != 0) {
    if (f) fclose(f);
    return luaL_error(L, "cannot read %s", path);
  }
  text = malloc((size_t)n + 1); /* the harness's own memory, not swept */
  if (!text || fread(text, 1, (size_t)n, f) != (size_t)n) {
    free(text);
    fclose(f);
    return luaL_error(L, "cannot read %s", path);
  }
  fclose(f);
  rc = luaL_loadbuffer(L, text, (size_t)n, lua_tostring(L, -1));
  free(text);
  if (rc != LUA_OK) return lua_error(L);
  lua_remove(L, -2);
  return 1;
}

/* package.searchers[2], reading through load_whole: searcher(name) → chunk, path */
static int lua_searcher(lua_State *L) {
  const char *name = luaL_checkstring(L, 1);
  lua_getglobal(L, "package");
  lua_getfield(L, -1, "searchpath");
  lua_pushstring(L, name);
  lua_getfield(L, -3, "path");
  lua_call(L, 2, 2);
  if (lua_isnil(L, -2)) return 1; /* the message */
  load_whole(L, lua_tostring(L, -2));
  lua_pushvalue(L, -3);
  return 2;
}

/* run_file(path [, arg]) → the file's first result */
static int run_file(lua_State *L) {
  int nargs = lua_gettop(L) - 1;
  load_whole(L, lua_tostring(L, 1));
  lua_insert(L, 2);
  lua_call(L, nargs, 1);
  return 1;
}

/* oom_stage(n): the prelude's stage n ends here. When stage n+1 is swept,
** its sweep starts here; a run whose failure fell in stage n is finished. */
static int end_of_stage(lua_State *L) {
  lua_Integer n = luaL_checkinteger(L, 1);
  if (stage == 0) return 0;
  if (n == stage - 1 && !failed_at) sweep_from = count + 1;
  if (n == stage) {
    if (failed_at) return luaL_error(L, "%s", stage_end);
    sweep_from = -1;
  }
  return 0;
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
  lua_getfield(L, -1, "searchers");
  lua_pushcfunction(L, lua_searcher);
  lua_rawseti(L, -2, 2);
  lua_pop(L, 2);
  if (with_leak) lua_register(L, "oom_leaky_open", leaky_open);
  lua_register(L, "oom_stage", end_of_stage);
  lua_pushcfunction(L, run_file);
  lua_pushstring(L, prelude_path);
  lua_call(L, 1, 1);
  return 1;
}

static int is_stage_end(const char *msg) { return msg && strstr(msg, stage_end); }

static int is_oom(const char *msg) {
  return msg && (strstr(msg, "not enough memory") || strstr(msg, "out of memory"));
}

enum { RAN = 64, ERRORED = 1, PROBLEM = 2, ABSORBED = 4 }; /* a run's verdict: a child's exit code */

/* Finds retry_site: in a scratch state, fails one fresh allocation
** (luaM_malloc_) and one growth (luaM_realloc_) and notes where Lua's
** retry of each comes from. Without both, no run is counted absorbed. */
static void calibrate(void) {
  lua_State *L = lua_newstate(lua_alloc, NULL);
  int i;
  if (!L) return;
  calibrating = 1;
  lua_newtable(L);
  lua_newtable(L);
  calibrating = 1;
  for (i = 1; i <= 4; i++) {
    lua_pushinteger(L, i);
    lua_rawseti(L, -2, i);
  }
  calibrating = 0;
  lua_close(L);
  if (!retry_site[0] || !retry_site[1]) retry_site[0] = retry_site[1] = NULL;
  count = 0;
}

static void absorbed(void) { _exit(RAN | ABSORBED); }

/* Ends a run (a child) where allocation failed_at failed: closes L (NULL
** when lua_newstate itself failed), shuts SQLite down, prints what is
** wrong and exits with the verdict. */
static void finish_run(lua_State *L, int status) {
  int verdict = RAN;
  char msg[300] = "";
  ending = 1;
  if (L) {
    const char *top = lua_tostring(L, -1);
    if (is_stage_end(top)) { /* the swept stage ran to its end */
      status = LUA_OK;
      snprintf(msg, sizeof msg, "ok");
    } else if (top) snprintf(msg, sizeof msg, "%s", top);
    else if (status == LUA_OK && lua_istable(L, -1)) snprintf(msg, sizeof msg, "ok"); /* the prelude's k2 */
    lua_close(L);
  }
  sqlite3_shutdown();
  if (live != 0) {
    verdict |= PROBLEM;
    fprintf(stderr, "%s N=%ld: %ld live blocks after close (%s)\n", label, failed_at, live, msg);
  }
  if (L && status == LUA_OK && strcmp(msg, "ok") != 0) {
    verdict |= PROBLEM;
    fprintf(stderr, "%s N=%ld: finished with '%s', not ok\n", label, failed_at, msg);
  }
  if (L && status != LUA_OK) {
    verdict |= ERRORED;
    if (!is_oom(msg)) {
      verdict |= PROBLEM;
      fprintf(stderr, "%s N=%ld: error that is not an out-of-memory error: %s\n", label, failed_at, msg);
    }
  }
  if (!L) verdict |= ERRORED;
  fflush(stderr);
  _exit(verdict); /* skip atexit handlers: the parent owns the process's own checks */
}

/* At allocation `count` of the sweep: 1 in the child, which fails it; in
** the parent, once the child's verdict is counted, 0 — or 1 when the child
** found its failure absorbed (see lua_alloc). */
static int fork_run(void) {
  int wstatus, verdict;
  pid_t pid;
  fflush(stdout);
  fflush(stderr);
  pid = fork();
  if (pid == 0) {
    failed_at = count;
    return 1;
  }
  if (pid < 0 || waitpid(pid, &wstatus, 0) != pid || !WIFEXITED(wstatus) || !(WEXITSTATUS(wstatus) & RAN)) {
    fprintf(stderr, "%s N=%ld: the run died (status %d)\n", label, count, pid < 0 ? -1 : wstatus);
    verdict = RAN | PROBLEM;
  } else {
    verdict = WEXITSTATUS(wstatus);
  }
  points++;
  if (verdict & ERRORED) errors++;
  if (verdict & PROBLEM) problems++;
  if (verdict & ABSORBED) carried++;
  if ((stop_at_problem && problems) || (sweep_max > 0 && points >= sweep_max)) sweep_from = -1;
  retry_next = (verdict & ABSORBED) != 0; /* absorbed: this process fails it too and goes on as that run */
  return retry_next;
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
  L = lua_newstate(lua_alloc, NULL);
  lua_register(L, "oom_count", print_count);
  lua_pushcfunction(L, boot);
  if (lua_pcall(L, 0, 1, 0) != LUA_OK) return 1;
  prelude = count;
  lua_pushcfunction(L, run_file);
  lua_pushstring(L, script);
  lua_pushvalue(L, 1);
  if (lua_pcall(L, 2, 1, 0) != LUA_OK) printf("error: %s\n", lua_tostring(L, -1));
  printf("%s: the prelude makes %ld allocations, the script %ld\n", script, prelude, count - prelude);
  lua_close(L);
  return 0;
}

int main(int argc, char **argv) {
  long first = 1;
  const char *mode = argc > 1 ? argv[1] : "", *script = argc > 2 ? argv[2] : "", *max = getenv("K2_OOM_MAX");
  int selftest = strcmp(mode, "selftest") == 0; /* sticky, and it must find a leak */
  int of_prelude = strcmp(script, prelude_path) == 0, status;
  lua_State *L;
  char name[300];
  if (argc == 4) stage = atol(argv[3]);
  if ((argc != 3 && !(argc == 4 && of_prelude && stage > 0)) || (!selftest && strcmp(mode, "once") != 0 && strcmp(mode, "sticky") != 0
                    && strcmp(mode, "count") != 0)) {
    fprintf(stderr, "usage: oom once|sticky|selftest|count SCRIPT [STAGE]\n");
    return 2;
  }
  if (stage) snprintf(name, sizeof name, "%s %s (stage %ld)", mode, script, stage);
  else snprintf(name, sizeof name, "%s %s", mode, script);
  label = name;
  with_leak = selftest;
  stop_at_problem = selftest;
  sticky = strcmp(mode, "once") != 0;
  if (max) sweep_max = atol(max);
  if (sqlite3_config(SQLITE_CONFIG_MALLOC, &methods) != SQLITE_OK) return 2;
  if (strcmp(mode, "count") == 0) return count_allocations(script);
  calibrate();
  if (of_prelude && stage <= 1) sweep_from = 1; /* the prelude's sweep starts at lua_newstate */
  L = lua_newstate(lua_alloc, NULL);
  if (failed_at) finish_run(L, -1);
  if (!L) return 2;
  lua_pushcfunction(L, boot);
  status = lua_pcall(L, 0, 1, 0);
  if (failed_at) finish_run(L, status);
  if (status != LUA_OK) {
    fprintf(stderr, "%s: the prelude failed with no failing allocation: %s\n", label, lua_tostring(L, -1));
    return 1;
  }
  if (!of_prelude) { /* the script's sweep: run_file(script, k2) from the prelude's state */
    lua_pushcfunction(L, run_file);
    lua_pushstring(L, script);
    lua_pushvalue(L, 1);
    first = count + 1;
    sweep_from = first;
    status = lua_pcall(L, 2, 1, 0);
    if (failed_at) finish_run(L, status);
    if (status != LUA_OK || strcmp(lua_tostring(L, -1) ? lua_tostring(L, -1) : "", "ok") != 0) {
      problems++;
      fprintf(stderr, "%s: with no failing allocation the script ended with '%s', not ok\n", label,
              lua_tostring(L, -1) ? lua_tostring(L, -1) : "?");
    }
  }
  sweep_from = -1;
  lua_close(L); /* the run with no failure must close clean too */
  sqlite3_shutdown();
  if (live != 0) { problems++; fprintf(stderr, "%s: %ld live blocks after the run with no failure\n", label, live); }
  if (selftest) {
    /* The deliberately broken build passes when the sweep caught its leak. */
    printf("oom-selftest: the deliberate leak was %s after %ld points\n", problems ? "caught" : "NOT caught", points);
    printf("oom-selftest: %d passed, %d failed\n", problems ? 1 : 0, problems ? 0 : 1);
    return problems ? 0 : 1;
  }
  printf("oom-%s: swept %ld failure points from %ld (%ld ended in a memory error, %ld absorbed and carried on"
         " by the sweep)\n", label, points, first, errors, carried);
  printf("oom-%s: %ld passed, %ld failed\n", label, points - problems, problems);
  return problems ? 1 : 0;
}
