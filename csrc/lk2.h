/*
** lk2.h — the one private header of the Lua binding, listing everything its
** three files share: lk2.c (the module: open, parsers, format_number,
** set_shapes, limits, luaopen), lk2_store.c (the store handle and its
** methods), lk2_pk.c (curves, populations, the pk functions). The files call
** each other only through what is declared here. Not installed; the
** binding's only export is luaopen_k2_core.
**
** Handles (store, curve, population) follow one recipe, like liolib's file
** handle: a userdata holding one pointer, created before the C object it will
** own (so an error in between cannot leak it); methods `close` (idempotent),
** metamethods __gc and __close (= close), __tostring ("k2.curve (0x..)" or
** "k2.curve (closed)") and __name; any other method on a closed handle raises
** "attempt to use a closed k2 curve".
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

#define LK2_STORE_MT "k2.store"
#define LK2_CURVE_MT "k2.curve"
#define LK2_POPULATION_MT "k2.population"

#if LUA_VERSION_NUM == 501
#define ABI "5.1"
static inline void set_funcs(lua_State *L, const luaL_Reg *l) { luaL_register(L, NULL, l); }
#define new_userdata(L, size) lua_newuserdata(L, size)
#define raw_len(L, i) lua_objlen(L, i)
#else
#define ABI "5.4"
static inline void set_funcs(lua_State *L, const luaL_Reg *l) { luaL_setfuncs(L, l, 0); }
#define new_userdata(L, size) lua_newuserdatauv(L, size, 0)
#define raw_len(L, i) lua_rawlen(L, i)
#endif

/* ------------------------------------------------------------ arguments and results (lk2.c) */

/* A required string argument (numbers are not strings here). */
LK2_HIDDEN const char *lk2_check_string(lua_State *L, int i, size_t *len);
/* An optional string argument: NULL (and *len = 0) when nil or absent. */
LK2_HIDDEN const char *lk2_opt_string(lua_State *L, int i, size_t *len);
/* nil, message for input errors (returns 2); raises for the rest. */
LK2_HIDDEN int lk2_push_failure(lua_State *L, k2_status rc, const char *msg);
/* Integral values as Lua integers on 5.3+, so 180 prints as 180. */
LK2_HIDDEN void lk2_push_number(lua_State *L, double value);
/* t[key] = value on the table at the top; NaN / NULL are left out. */
LK2_HIDDEN void lk2_set_number(lua_State *L, const char *key, double value);
LK2_HIDDEN void lk2_set_string(lua_State *L, const char *key, const char *value);
/* Pushes a new list of the n numbers v. */
LK2_HIDDEN void lk2_push_numbers(lua_State *L, const double *v, size_t n);

/* ------------------------------------------------------------ handles (lk2.c) */

typedef struct lk2_handle { void *ptr; } lk2_handle;

/* Creates metatable `name`: __index = methods plus `close` (and the other
** names in aliases, e.g. "free"), __gc and __close = close, __tostring, __name. */
LK2_HIDDEN void lk2_new_class(lua_State *L, const char *name, const luaL_Reg *methods, lua_CFunction close,
                              const char *const *aliases);
/* Pushes a handle of class `name` that owns nothing yet. */
LK2_HIDDEN lk2_handle *lk2_new_handle(lua_State *L, const char *name);
/* The handle at index i; raises if it is not one of class `name`. */
LK2_HIDDEN lk2_handle *lk2_to_handle(lua_State *L, int i, const char *name);
/* The pointer of the open handle at index i; raises "attempt to use a closed
** <what>" when it is closed. */
LK2_HIDDEN void *lk2_check_open(lua_State *L, int i, const char *name, const char *what);

/* ------------------------------------------------------------ the areas */

/* The store handle at index 1; raises when it is closed (lk2_store.c). */
LK2_HIDDEN k2_store *lk2_check_store(lua_State *L);
/* Registers the store's and result boxes' metatables (lk2_store.c). */
LK2_HIDDEN void lk2_open_store(lua_State *L);
/* Registers curves and populations and adds the pk functions to the module
** table at the top (lk2_pk.c). */
LK2_HIDDEN void lk2_open_pk(lua_State *L);
/* Registers the food table handle and adds core.food_open (lk2_food.c, issue 14). */
LK2_HIDDEN void lk2_open_food(lua_State *L);
/* Registers the journal handle and adds core.journal_open, core.parse_time (lk2_journal.c, issue 15). */
LK2_HIDDEN void lk2_open_journal(lua_State *L);

#endif
