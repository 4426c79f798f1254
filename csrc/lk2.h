/*
** lk2.h — what the two files of the Lua binding share (lk2.c: module, fact
** store; lk2_pk.c: the pharmacokinetic model): the 5.1/5.4 compatibility
** layer and the argument and result helpers. Not installed; the binding's
** only export is luaopen_k2_core.
*/
#ifndef LK2_H
#define LK2_H

#include "k2.h"

#include <lauxlib.h>
#include <lua.h>

#if defined(__GNUC__)
#define LK2_HIDDEN __attribute__((visibility("hidden")))
#else
#define LK2_HIDDEN
#endif

#define STORE_MT "k2.store"
#define BOX_MT "k2.box"

#if LUA_VERSION_NUM == 501
#define ABI "5.1"
static inline void set_funcs(lua_State *L, const luaL_Reg *l) { luaL_register(L, NULL, l); }
#define new_userdata(L, size) lua_newuserdata(L, size)
/* Tripwire: a symbol only the 5.1 ABI exports; see the file comment. */
extern void *volatile k2_abi_tripwire;
#else
#define ABI "5.4"
static inline void set_funcs(lua_State *L, const luaL_Reg *l) { luaL_setfuncs(L, l, 0); }
#define new_userdata(L, size) lua_newuserdatauv(L, size, 0)
#endif


typedef struct store_ud { k2_store *store; } store_ud;

/* A required string argument (numbers are not strings here). */
LK2_HIDDEN const char *lk2_check_string(lua_State *L, int i, size_t *len);
/* The store handle at index 1; raises when it is closed. */
LK2_HIDDEN k2_store *lk2_check_store(lua_State *L);
/* nil, message for input errors (returns 2); raises for the rest. */
LK2_HIDDEN int lk2_push_failure(lua_State *L, k2_status rc, const char *msg);
/* Integral values as Lua integers on 5.3+, so 180 prints as 180. */
LK2_HIDDEN void lk2_push_number(lua_State *L, double value);
/* t[key] = value on the table at the top; NaN / NULL are left out. */
LK2_HIDDEN void lk2_set_number(lua_State *L, const char *key, double value);
LK2_HIDDEN void lk2_set_string(lua_State *L, const char *key, const char *value);
/* Adds the pk functions to the module table at the top, and the store method pk_params. */
LK2_HIDDEN void lk2_open_pk(lua_State *L);
LK2_HIDDEN int lk2_store_pk_params(lua_State *L);

#endif
