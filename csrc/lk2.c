/*
** lk2.c — the Lua binding of the k2 core, module "k2.core": the module
** table (open, the dose and duration parsers, format_number, set_shapes,
** limits, version, abi), the helpers the binding's files share (lk2.h) and
** the handle recipe every userdata follows. The store's methods are in
** lk2_store.c, the pharmacokinetic model's in lk2_pk.c.
**
** One source, compiled twice: against Lua 5.4 headers (lua5.4) and against
** Lua 5.1 headers (LuaJIT, Neovim). Never linked to liblua: the host
** provides it. Each build refuses to load in the other runtime (ABI
** tripwire, see shared notes/ecosystem-research.md §1): the 5.4 build calls
** luaL_newlib, whose luaL_checkversion_ LuaJIT lacks; the 5.1 build
** references luaL_register and lua_objlen, which Lua 5.4 lacks. dlopen
** (RTLD_NOW) then fails cleanly instead of loading a module that would
** corrupt memory.
**
** Thin by rule: check arguments, call one k2_* function, push the result.
** Programmer mistakes raise; text the user wrote that k2 can't understand
** returns nil, message.
*/
#include "lk2.h"

#include <math.h>
#include <string.h>

#if LUA_VERSION_NUM == 501
/* Tripwire: a symbol only the 5.1 ABI exports; see the file comment. */
void *volatile k2_abi_tripwire __attribute__((used, visibility("hidden"))) = (void *)&lua_objlen;
#endif

/* ------------------------------------------------------------ arguments and results */

const char *lk2_check_string(lua_State *L, int i, size_t *len) {
  if (lua_type(L, i) != LUA_TSTRING)
    luaL_argerror(L, i, lua_pushfstring(L, "string expected, got %s", luaL_typename(L, i)));
  return lua_tolstring(L, i, len);
}

const char *lk2_opt_string(lua_State *L, int i, size_t *len) {
  *len = 0;
  if (lua_isnoneornil(L, i)) return NULL;
  return lk2_check_string(L, i, len);
}

int lk2_push_failure(lua_State *L, k2_status rc, const char *msg) {
  if (rc == K2_EINPUT || rc == K2_ENOTFOUND || rc == K2_EFILE) {
    lua_pushnil(L);
    lua_pushstring(L, msg);
    return 2;
  }
  if (rc == K2_ENOMEM) return luaL_error(L, "not enough memory");
  return luaL_error(L, "k2: %s", msg);
}

/* lua_pushlstring, not lua_pushstring: 5.4's pushstring first looks the
** pointer up in its string cache with strcmp, a third of the cost of a fact. */
void lk2_set_string(lua_State *L, const char *key, const char *value) {
  if (!value) return;
  lua_pushlstring(L, value, strlen(value));
  lua_setfield(L, -2, key);
}

/* Pushes an integral value as a Lua integer (5.4), so 180 prints as 180, not 180.0. */
void lk2_push_number(lua_State *L, double value) {
#if LUA_VERSION_NUM >= 503
  if (value == floor(value) && fabs(value) < 9007199254740992.0) {
    lua_pushinteger(L, (lua_Integer)value);
    return;
  }
#endif
  lua_pushnumber(L, value);
}

void lk2_set_number(lua_State *L, const char *key, double value) {
  if (isnan(value)) return;
  lk2_push_number(L, value);
  lua_setfield(L, -2, key);
}

void lk2_push_numbers(lua_State *L, const double *v, size_t n) {
  lua_createtable(L, (int)n, 0);
  for (size_t i = 0; i < n; i++) {
    lua_pushnumber(L, v[i]);
    lua_rawseti(L, -2, (int)i + 1);
  }
}

/* ------------------------------------------------------------ handles */

lk2_handle *lk2_new_handle(lua_State *L, const char *name) {
  lk2_handle *h = (lk2_handle *)new_userdata(L, sizeof *h);
  h->ptr = NULL;
  luaL_getmetatable(L, name);
  lua_setmetatable(L, -2);
  return h;
}

lk2_handle *lk2_to_handle(lua_State *L, int i, const char *name) {
  return (lk2_handle *)luaL_checkudata(L, i, name);
}

void *lk2_check_open(lua_State *L, int i, const char *name, const char *what) {
  lk2_handle *h = lk2_to_handle(L, i, name);
  if (!h->ptr) luaL_error(L, "attempt to use a closed %s", what);
  return h->ptr;
}

/* __tostring: "<name> (0x..)" or "<name> (closed)"; the class name is upvalue 1. */
static int handle_tostring(lua_State *L) {
  const char *name = lua_tostring(L, lua_upvalueindex(1));
  lk2_handle *h = lk2_to_handle(L, 1, name);
  if (h->ptr) lua_pushfstring(L, "%s (%p)", name, (void *)h);
  else lua_pushfstring(L, "%s (closed)", name);
  return 1;
}

void lk2_new_class(lua_State *L, const char *name, const luaL_Reg *methods, lua_CFunction close,
                   const char *const *aliases) {
  luaL_newmetatable(L, name);
#if LUA_VERSION_NUM == 501
  lua_pushstring(L, name); /* 5.4's luaL_newmetatable sets __name itself */
  lua_setfield(L, -2, "__name");
#endif
  lua_newtable(L);
  set_funcs(L, methods);
  lua_pushcfunction(L, close); /* one function value for every name, so c.free == c.close */
  for (int i = 0; aliases && aliases[i]; i++) {
    lua_pushvalue(L, -1);
    lua_setfield(L, -3, aliases[i]);
  }
  lua_pushvalue(L, -1);
  lua_setfield(L, -3, "close");
  lua_pushvalue(L, -1);
  lua_setfield(L, -4, "__gc");
  lua_setfield(L, -3, "__close");
  lua_setfield(L, -2, "__index");
  lua_pushstring(L, name);
  lua_pushcclosure(L, handle_tostring, 1);
  lua_setfield(L, -2, "__tostring");
  lua_pop(L, 1);
}

/* ------------------------------------------------------------ module functions */

/* open() → store | nil, message. The handle exists before the store it will own. */
static int core_open(lua_State *L) {
  lk2_handle *h = lk2_new_handle(L, LK2_STORE_MT);
  k2_store *st = NULL;
  k2_status rc = k2_store_open(&st);
  h->ptr = st;
  if (rc == K2_OK) return 1;
  lua_pushnil(L);
  lua_pushstring(L, k2_store_errmsg(st));
  k2_store_close(st);
  h->ptr = NULL;
  if (rc == K2_ENOMEM) return luaL_error(L, "not enough memory");
  return 2;
}

typedef k2_status (*parser)(const char *, size_t, double *, char *, size_t);

static int parse_with(lua_State *L, parser parse) {
  size_t len;
  const char *text = lk2_check_string(L, 1, &len);
  char msg[256];
  double value = 0;
  k2_status rc = parse(text, len, &value, msg, sizeof msg);
  if (rc != K2_OK) return lk2_push_failure(L, rc, msg);
  lk2_push_number(L, value);
  return 1;
}

static int core_parse_dose(lua_State *L) { return parse_with(L, k2_parse_dose); }
static int core_parse_duration(lua_State *L) { return parse_with(L, k2_parse_duration); }

/* Raises for a finite x too large to format, stating K2_FORMAT_MAX_ABS as "1e<n>". */
static int too_large(lua_State *L) {
  char exponent[8];
  k2_format_number(log10(K2_FORMAT_MAX_ABS), 0, exponent, sizeof exponent);
  return luaL_argerror(L, 1, lua_pushfstring(L, "magnitude must be below 1e%s", exponent));
}

/* format_number(x [, decimals]) → locale-independent text */
static int core_format_number(lua_State *L) {
  double x = luaL_checknumber(L, 1);
  lua_Integer decimals = luaL_optinteger(L, 2, 2);
  char buf[48];
  luaL_argcheck(L, decimals >= 0 && decimals <= K2_FORMAT_MAX_DECIMALS, 2,
                lua_pushfstring(L, "decimals must be 0 to %d", K2_FORMAT_MAX_DECIMALS));
  if (k2_format_number(x, (int)decimals, buf, sizeof buf) == 0) {
    if (isnan(x)) lua_pushliteral(L, "nan");
    else if (isinf(x)) lua_pushstring(L, x > 0 ? "inf" : "-inf");
    else too_large(L);
    return 1;
  }
  lua_pushstring(L, buf);
  return 1;
}

/* set_shapes{fact=, fact_list=, source=, source_list=, list=}: metatables
** that the results get (kept in the registry as "k2.<name>"; lk2_store.c
** reads them), so they print readably. */
static int core_set_shapes(lua_State *L) {
  static const char *const names[] = {"fact", "fact_list", "source", "source_list", "list", NULL};
  luaL_checktype(L, 1, LUA_TTABLE);
  for (int i = 0; names[i]; i++) {
    lua_getfield(L, 1, names[i]);
    if (!lua_isnil(L, -1)) luaL_checktype(L, -1, LUA_TTABLE);
    lua_pushfstring(L, "k2.%s", names[i]);
    lua_insert(L, -2);
    lua_settable(L, LUA_REGISTRYINDEX);
  }
  return 0;
}

/* pk_budget(n_doses, subjects, points) → true | nil, message: the work
** budget of a run (k2_pk_budget_check), asked before a dose list is built. */
static int core_pk_budget(lua_State *L) {
  lua_Number d = luaL_checknumber(L, 1), s = luaL_checknumber(L, 2), p = luaL_checknumber(L, 3);
  char msg[320];
  k2_status rc;
  luaL_argcheck(L, d >= 0 && d == d, 1, "a count of doses expected");
  luaL_argcheck(L, s >= 1 && s == s, 2, "a count of subjects expected");
  luaL_argcheck(L, p >= 0 && p == p, 3, "a count of points expected");
  /* counts past size_t are over every limit anyway */
  rc = k2_pk_budget_check(d > 1e15 ? (size_t)1e15 : (size_t)d, s > 1e15 ? (size_t)1e15 : (size_t)s,
                          p > 1e15 ? (size_t)1e15 : (size_t)p, msg, sizeof msg);
  if (rc != K2_OK) {
    lua_pushnil(L);
    lua_pushstring(L, msg);
    return 2;
  }
  lua_pushboolean(L, 1);
  return 1;
}

/* limit_info() → {{name=, value=, unit=, about=}, ...} in the core's order,
** for README and messages. */
static int core_limit_info(lua_State *L) {
  size_t n;
  const k2_limit *l = k2_limits(&n);
  lua_createtable(L, (int)n, 0);
  for (size_t i = 0; i < n; i++) {
    lua_createtable(L, 0, 4);
    lua_pushstring(L, l[i].name);
    lua_setfield(L, -2, "name");
    lk2_push_number(L, l[i].value);
    lua_setfield(L, -2, "value");
    lua_pushstring(L, l[i].unit);
    lua_setfield(L, -2, "unit");
    lua_pushstring(L, l[i].about);
    lua_setfield(L, -2, "about");
    lua_rawseti(L, -2, (int)i + 1);
  }
  return 1;
}

static const luaL_Reg core_functions[] = {
    {"pk_budget", core_pk_budget}, {"limit_info", core_limit_info},
    {"open", core_open}, {"parse_dose", core_parse_dose}, {"parse_duration", core_parse_duration},
    {"format_number", core_format_number}, {"set_shapes", core_set_shapes}, {NULL, NULL}};

/* core.limits: {name = value} from the core's one table of limits. */
static void push_limits(lua_State *L) {
  size_t n;
  const k2_limit *l = k2_limits(&n);
  lua_createtable(L, 0, (int)n);
  for (size_t i = 0; i < n; i++) {
    lk2_push_number(L, l[i].value);
    lua_setfield(L, -2, l[i].name);
  }
}

int luaopen_k2_core(lua_State *L) {
  lk2_open_store(L);
#if LUA_VERSION_NUM == 501
  lua_newtable(L);
  luaL_register(L, NULL, core_functions);
#else
  luaL_newlib(L, core_functions);
#endif
  lk2_open_pk(L);
  lk2_open_food(L);
  lk2_open_journal(L);
  push_limits(L);
  lua_setfield(L, -2, "limits");
  lua_pushliteral(L, K2_VERSION);
  lua_setfield(L, -2, "version");
  lua_pushliteral(L, ABI);
  lua_setfield(L, -2, "abi");
  return 1;
}
