/*
** lk2.c — the Lua binding of the k2 core, module "k2.core". One source,
** compiled twice: against Lua 5.4 headers (lua5.4) and against Lua 5.1
** headers (LuaJIT, Neovim). Never linked to liblua: the host provides it.
**
** Each build refuses to load in the other runtime (ABI tripwire, see
** shared notes/ecosystem-research.md §1): the 5.4 build calls luaL_newlib,
** whose luaL_checkversion_ LuaJIT lacks; the 5.1 build references
** luaL_register and lua_objlen, which Lua 5.4 lacks. dlopen(RTLD_NOW) then
** fails cleanly instead of loading a module that would corrupt memory.
**
** Thin by rule: check arguments, call one k2_* function, push the result.
** Programmer mistakes raise; text the user wrote that k2 can't understand
** returns nil, message. C-owned results are held by a "k2.box" userdata
** while they are copied to Lua, so an out-of-memory error while pushing
** can't leak them (the box's __gc frees them).
*/
#include "lk2.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef struct box { k2_fact_list *facts; k2_source_list *sources; } box;

#if LUA_VERSION_NUM == 501
/* Tripwire: a symbol only the 5.1 ABI exports; see the file comment. */
void *volatile k2_abi_tripwire __attribute__((used, visibility("hidden"))) = (void *)&lua_objlen;
#endif

/* ------------------------------------------------------------ helpers */

/* A required string argument (numbers are not strings here). */
const char *lk2_check_string(lua_State *L, int i, size_t *len) {
  if (lua_type(L, i) != LUA_TSTRING)
    luaL_argerror(L, i, lua_pushfstring(L, "string expected, got %s", luaL_typename(L, i)));
  return lua_tolstring(L, i, len);
}

/* An optional string argument: NULL when nil or absent. */
static const char *opt_string(lua_State *L, int i, size_t *len) {
  *len = 0;
  if (lua_isnoneornil(L, i)) return NULL;
  return lk2_check_string(L, i, len);
}

k2_store *lk2_check_store(lua_State *L) {
  store_ud *ud = (store_ud *)luaL_checkudata(L, 1, STORE_MT);
  if (!ud->store) luaL_error(L, "attempt to use a closed k2 store");
  return ud->store;
}

/* Pushes nil, message for input errors; raises for everything else. */
int lk2_push_failure(lua_State *L, k2_status rc, const char *msg) {
  if (rc == K2_EINPUT || rc == K2_ENOTFOUND) {
    lua_pushnil(L);
    lua_pushstring(L, msg);
    return 2;
  }
  if (rc == K2_ENOMEM) return luaL_error(L, "not enough memory");
  return luaL_error(L, "k2: %s", msg);
}

static box *new_box(lua_State *L) {
  box *b = (box *)new_userdata(L, sizeof *b);
  b->facts = NULL;
  b->sources = NULL;
  luaL_getmetatable(L, BOX_MT);
  lua_setmetatable(L, -2);
  return b;
}

static int box_gc(lua_State *L) {
  box *b = (box *)luaL_checkudata(L, 1, BOX_MT);
  k2_fact_list_free(b->facts);
  k2_source_list_free(b->sources);
  b->facts = NULL;
  b->sources = NULL;
  return 0;
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

/* The metatables k2.show registers (see core_set_shapes), pushed once per
** result list rather than looked up by name for every table in it. Each
** field is the stack index of the metatable, or of nil when none is set. */
typedef struct shapes { int fact, list, source; } shapes;

static int push_shape(lua_State *L, const char *name) {
  lua_getfield(L, LUA_REGISTRYINDEX, name);
  return lua_gettop(L);
}

static void push_shapes(lua_State *L, shapes *s) {
  s->fact = push_shape(L, "k2.fact");
  s->list = push_shape(L, "k2.list");
  s->source = push_shape(L, "k2.source");
}

/* Gives the table at the top the metatable at stack index `shape`, if any. */
static void set_shape(lua_State *L, int shape) {
  if (!lua_istable(L, shape)) return;
  lua_pushvalue(L, shape);
  lua_setmetatable(L, -2);
}

static void set_named_shape(lua_State *L, const char *name) {
  lua_getfield(L, LUA_REGISTRYINDEX, name);
  if (lua_istable(L, -1)) lua_setmetatable(L, -2);
  else lua_pop(L, 1);
}

static void push_source(lua_State *L, const k2_source *s, int shape) {
  lua_createtable(L, 0, 8);
  lk2_set_string(L, "id", s->id);
  lk2_set_string(L, "title", s->title);
  lk2_set_string(L, "year", s->year);
  lk2_set_string(L, "kind", s->kind);
  lk2_set_string(L, "ref", s->ref);
  lk2_set_string(L, "authors", s->authors);
  lk2_set_string(L, "journal", s->journal);
  lk2_set_string(L, "note", s->note);
  set_shape(L, shape);
}

/* Sets t[key] to the items of the comma list `text` (numbers if as_numbers). */
static void set_list(lua_State *L, const char *key, const char *text, int as_numbers, int shape) {
  int n = 0;
  lua_newtable(L);
  while (text && *text) {
    const char *end = strchr(text, ',');
    size_t len = end ? (size_t)(end - text) : strlen(text);
    const char *a = text, *b = text + len;
    while (a < b && *a == ' ') a++;
    while (b > a && b[-1] == ' ') b--;
    if (b > a) {
      if (as_numbers) lk2_push_number(L, (double)strtol(a, NULL, 10));
      else lua_pushlstring(L, a, (size_t)(b - a));
      lua_rawseti(L, -2, ++n);
    }
    text = end ? end + 1 : NULL;
  }
  set_shape(L, shape);
  lua_setfield(L, -2, key);
}

/* A fact as k2's Lua API promises it: see lua/k2/init.lua. */
static void push_fact(lua_State *L, const k2_fact *f, const shapes *sh) {
  lua_createtable(L, 0, 24);
  lk2_set_string(L, "id", f->id);
  lk2_set_string(L, "topic", f->topic);
  lk2_set_string(L, "form", f->forms);
  set_list(L, "forms", f->forms, 0, sh->list);
  lk2_set_string(L, "population", f->population);
  lk2_set_string(L, "claim", f->claim);
  lk2_set_string(L, "evidence", f->evidence);
  lk2_set_string(L, "ages", f->ages);
  lk2_set_string(L, "sex", f->sex);
  lk2_set_string(L, "unit", f->unit);
  lk2_set_string(L, "certainty", f->certainty);
  set_list(L, "also", f->also, 0, sh->list);
  set_list(L, "seed", f->seed, 1, sh->list);
  set_list(L, "conflicts", f->conflict, 0, sh->list);
  lk2_set_string(L, "note", f->note);
  lk2_set_number(L, "value", f->value);
  lk2_set_number(L, "low", f->low);
  lk2_set_number(L, "high", f->high);
  lk2_set_number(L, "age_min", f->age_min);
  lk2_set_number(L, "age_max", f->age_max);
  lk2_set_number(L, "rank", f->rank);
  push_source(L, &f->source, sh->source);
  lua_setfield(L, -2, "source");
  set_shape(L, sh->fact);
}

/* Pushes the facts held by b as a list, then frees them. */
static int push_fact_list(lua_State *L, box *b) {
  shapes sh;
  push_shapes(L, &sh);
  lua_createtable(L, (int)b->facts->count, 0);
  for (size_t i = 0; i < b->facts->count; i++) {
    push_fact(L, &b->facts->items[i], &sh);
    lua_rawseti(L, -2, (int)i + 1);
  }
  set_named_shape(L, "k2.fact_list");
  k2_fact_list_free(b->facts);
  b->facts = NULL;
  return 1;
}

static int push_source_list(lua_State *L, box *b) {
  int shape = push_shape(L, "k2.source");
  lua_createtable(L, (int)b->sources->count, 0);
  for (size_t i = 0; i < b->sources->count; i++) {
    push_source(L, &b->sources->items[i], shape);
    lua_rawseti(L, -2, (int)i + 1);
  }
  set_named_shape(L, "k2.source_list");
  k2_source_list_free(b->sources);
  b->sources = NULL;
  return 1;
}

/* ------------------------------------------------------------ store methods */

static void read_filter(lua_State *L, int first, k2_filter *f) {
  f->form = opt_string(L, first, &f->form_len);
  f->topic = opt_string(L, first + 1, &f->topic_len);
  f->evidence = opt_string(L, first + 2, &f->evidence_len);
  f->population = opt_string(L, first + 3, &f->population_len);
}

/* store:search(text [, limit, form, topic, evidence, population]) */
static int store_search(lua_State *L) {
  k2_store *st = lk2_check_store(L);
  size_t len;
  const char *text = lk2_check_string(L, 2, &len);
  lua_Integer limit = luaL_optinteger(L, 3, 10);
  k2_filter filter;
  box *b;
  k2_status rc;
  luaL_argcheck(L, limit >= 1 && limit <= K2_SEARCH_MAX_LIMIT, 3, "limit must be 1 to 1000");
  read_filter(L, 4, &filter);
  b = new_box(L);
  rc = k2_search(st, text, len, &filter, (int)limit, &b->facts);
  return rc == K2_OK ? push_fact_list(L, b) : lk2_push_failure(L, rc, k2_store_errmsg(st));
}

/* store:facts([form, topic, evidence, population]) */
static int store_facts(lua_State *L) {
  k2_store *st = lk2_check_store(L);
  k2_filter filter;
  box *b;
  k2_status rc;
  read_filter(L, 2, &filter);
  b = new_box(L);
  rc = k2_facts(st, &filter, &b->facts);
  return rc == K2_OK ? push_fact_list(L, b) : lk2_push_failure(L, rc, k2_store_errmsg(st));
}

static int store_fact(lua_State *L) {
  k2_store *st = lk2_check_store(L);
  size_t len;
  const char *id = lk2_check_string(L, 2, &len);
  box *b = new_box(L);
  k2_status rc = k2_fact_get(st, id, len, &b->facts);
  if (rc != K2_OK) return lk2_push_failure(L, rc, k2_store_errmsg(st));
  push_fact_list(L, b);
  lua_rawgeti(L, -1, 1);
  return 1;
}

static int store_sources(lua_State *L) {
  k2_store *st = lk2_check_store(L);
  box *b = new_box(L);
  k2_status rc = k2_sources(st, &b->sources);
  return rc == K2_OK ? push_source_list(L, b) : lk2_push_failure(L, rc, k2_store_errmsg(st));
}

static int store_source(lua_State *L) {
  k2_store *st = lk2_check_store(L);
  size_t len;
  const char *id = lk2_check_string(L, 2, &len);
  box *b = new_box(L);
  k2_status rc = k2_source_get(st, id, len, &b->sources);
  if (rc != K2_OK) return lk2_push_failure(L, rc, k2_store_errmsg(st));
  push_source_list(L, b);
  lua_rawgeti(L, -1, 1);
  return 1;
}

static int store_conflict(lua_State *L) {
  k2_store *st = lk2_check_store(L);
  size_t len;
  const char *id = lk2_check_string(L, 2, &len);
  k2_conflict c;
  k2_status rc = k2_conflict_get(st, id, len, &c);
  if (rc != K2_OK) return lk2_push_failure(L, rc, k2_store_errmsg(st));
  lua_createtable(L, 0, 4);
  lk2_set_string(L, "id", c.id);
  lk2_set_string(L, "topic", c.topic);
  lk2_set_string(L, "summary", c.summary);
  lk2_set_string(L, "facts", c.facts);
  return 1;
}

static int store_form(lua_State *L) {
  k2_store *st = lk2_check_store(L);
  size_t len;
  const char *text = lk2_check_string(L, 2, &len);
  const char *canonical = NULL;
  k2_status rc = k2_form_resolve(st, text, len, &canonical);
  if (rc != K2_OK) return lk2_push_failure(L, rc, k2_store_errmsg(st));
  lua_pushstring(L, canonical);
  return 1;
}

static int store_info(lua_State *L) {
  k2_store *st = lk2_check_store(L);
  k2_store_info info;
  k2_status rc = k2_store_info_get(st, &info);
  if (rc != K2_OK) return lk2_push_failure(L, rc, k2_store_errmsg(st));
  lua_createtable(L, 0, 5);
  lk2_set_string(L, "data_version", info.data_version);
  lk2_set_string(L, "sqlite_version", info.sqlite_version);
  lk2_set_number(L, "facts", (double)info.facts);
  lk2_set_number(L, "sources", (double)info.sources);
  lk2_set_number(L, "conflicts", (double)info.conflicts);
  return 1;
}

/* store:rules() → list of {kind, id, <field> = value, ...} records in file order */
static int store_rules(lua_State *L) {
  k2_store *st = lk2_check_store(L);
  const k2_rule_row *rows = NULL;
  size_t n = 0;
  int records = 0;
  k2_status rc = k2_rules(st, &rows, &n);
  if (rc != K2_OK) return lk2_push_failure(L, rc, k2_store_errmsg(st));
  lua_newtable(L);
  for (size_t i = 0; i < n; i++) {
    if (i == 0 || strcmp(rows[i].kind, rows[i - 1].kind) != 0 || strcmp(rows[i].id, rows[i - 1].id) != 0) {
      if (i > 0) lua_rawseti(L, -2, records);
      lua_createtable(L, 0, 8);
      lk2_set_string(L, "kind", rows[i].kind);
      lk2_set_string(L, "id", rows[i].id);
      records++;
    }
    lk2_set_string(L, rows[i].field, rows[i].value);
  }
  if (n > 0) lua_rawseti(L, -2, records);
  return 1;
}

/* close, __gc and __close: idempotent. */
static int store_close(lua_State *L) {
  store_ud *ud = (store_ud *)luaL_checkudata(L, 1, STORE_MT);
  k2_store_close(ud->store);
  ud->store = NULL;
  return 0;
}

static int store_tostring(lua_State *L) {
  store_ud *ud = (store_ud *)luaL_checkudata(L, 1, STORE_MT);
  if (ud->store) lua_pushfstring(L, "k2.store (%p)", (void *)ud);
  else lua_pushliteral(L, "k2.store (closed)");
  return 1;
}

/* ------------------------------------------------------------ module functions */

/* open() → store | nil, message */
static int core_open(lua_State *L) {
#ifdef K2_OOM_SELFTEST
  /* The harness's self-test build (tests/oom): the classic leak, the store
  ** opened before the userdata that owns it exists. The sweep must catch it. */
  k2_store *early = NULL;
  k2_status early_rc = k2_store_open(&early);
  store_ud *ud = (store_ud *)new_userdata(L, sizeof *ud);
  k2_status rc;
  ud->store = early;
  luaL_getmetatable(L, STORE_MT);
  lua_setmetatable(L, -2);
  rc = early_rc;
#else
  store_ud *ud = (store_ud *)new_userdata(L, sizeof *ud);
  k2_status rc;
  ud->store = NULL;
  luaL_getmetatable(L, STORE_MT);
  lua_setmetatable(L, -2);
  rc = k2_store_open(&ud->store);
#endif
  if (rc == K2_OK) return 1;
  lua_pushnil(L);
  lua_pushstring(L, k2_store_errmsg(ud->store));
  k2_store_close(ud->store);
  ud->store = NULL;
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

/* format_number(x [, decimals]) → locale-independent text */
static int core_format_number(lua_State *L) {
  double x = luaL_checknumber(L, 1);
  lua_Integer decimals = luaL_optinteger(L, 2, 2);
  char buf[48];
  luaL_argcheck(L, decimals >= 0 && decimals <= 9, 2, "decimals must be 0 to 9");
  if (k2_format_number(x, (int)decimals, buf, sizeof buf) == 0) {
    if (isnan(x)) lua_pushliteral(L, "nan");
    else if (isinf(x)) lua_pushstring(L, x > 0 ? "inf" : "-inf");
    else luaL_argerror(L, 1, "magnitude must be below 1e15");
    return 1;
  }
  lua_pushstring(L, buf);
  return 1;
}

/* set_shapes{fact=, fact_list=, source=, source_list=}: metatables that the
** results get (kept in the registry as "k2.<name>"), so they print readably. */
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

static const luaL_Reg store_methods[] = {
    {"search", store_search}, {"facts", store_facts}, {"fact", store_fact},
    {"sources", store_sources}, {"source", store_source}, {"conflict", store_conflict},
    {"form", store_form}, {"info", store_info}, {"pk_params", lk2_store_pk_params}, {"rules", store_rules},
    {"close", store_close},
    {NULL, NULL}};

static const luaL_Reg store_meta[] = {
    {"__gc", store_close}, {"__close", store_close}, {"__tostring", store_tostring}, {NULL, NULL}};

static const luaL_Reg core_functions[] = {
    {"open", core_open}, {"parse_dose", core_parse_dose}, {"parse_duration", core_parse_duration},
    {"format_number", core_format_number}, {"set_shapes", core_set_shapes}, {NULL, NULL}};

static void create_metatables(lua_State *L) {
  luaL_newmetatable(L, STORE_MT);
  set_funcs(L, store_meta);
  lua_newtable(L);
  set_funcs(L, store_methods);
  lua_setfield(L, -2, "__index");
  lua_pop(L, 1);
  luaL_newmetatable(L, BOX_MT);
  lua_pushcfunction(L, box_gc);
  lua_setfield(L, -2, "__gc");
  lua_pop(L, 1);
}

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
  create_metatables(L);
#if LUA_VERSION_NUM == 501
  lua_newtable(L);
  luaL_register(L, NULL, core_functions);
#else
  luaL_newlib(L, core_functions);
#endif
  lk2_open_pk(L);
  push_limits(L);
  lua_setfield(L, -2, "limits");
  lua_pushliteral(L, K2_VERSION);
  lua_setfield(L, -2, "version");
  lua_pushliteral(L, ABI);
  lua_setfield(L, -2, "abi");
  return 1;
}
