/*
** fuzz_lua.c — libFuzzer target that drives the Lua API through a real
** Lua 5.4 state (core and binding linked in): the input, as a Lua string,
** goes to k2.search, k2.fact, k2.parse_dose, k2.parse_duration, k2.dose,
** k2.timing, k2.check and k2.pk.simulate (tests/fuzz/drive.lua). Every call
** runs under pcall: a returned nil, message or a raised Lua error is fine;
** a crash, a leak or a C-level abort is a finding. One state per run.
** Reference: llvm.org/docs/LibFuzzer.html; shared/notes/reliability-research.md.
*/
#include <lauxlib.h>
#include <lua.h>
#include <lualib.h>
#include <stdint.h>
#include <stdlib.h>

int luaopen_k2_core(lua_State *L);

static lua_State *L;

static void boot(void) {
  L = luaL_newstate();
  if (!L) abort();
  luaL_openlibs(L);
  lua_getglobal(L, "package");
  lua_getfield(L, -1, "preload");
  lua_pushcfunction(L, luaopen_k2_core);
  lua_setfield(L, -2, "k2.core");
  lua_pop(L, 1);
  lua_pushliteral(L, "lua/?.lua;lua/?/init.lua");
  lua_setfield(L, -2, "path");
  lua_pop(L, 1);
  if (luaL_dofile(L, "tests/fuzz/drive.lua") != LUA_OK) abort(); /* leaves the driver function */
  if (!lua_isfunction(L, -1)) abort();
  lua_setglobal(L, "k2_fuzz_drive");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (!L) boot();
  lua_getglobal(L, "k2_fuzz_drive");
  lua_pushlstring(L, (const char *)data, size);
  if (lua_pcall(L, 1, 0, 0) != LUA_OK) abort(); /* the driver catches API errors itself */
  lua_gc(L, LUA_GCCOLLECT, 0);
  return 0;
}
