/*
** lk2_journal.c — binding of the journal (k2_journal.c, k2_time.c; issue 15). Thin: check,
** call, push. core.journal_open(path) gives a handle with add(list), entries(from, to),
** remove(id), undo(), setting(key), set(key, value), stat() and path();
** core.parse_time(text, now) gives utc, offset. Entries are plain tables {id=, at=, offset=,
** kind=, text=, food=, grams=, note=, amounts={{form=, ug=}...}} (times in UTC seconds,
** offsets in seconds east of UTC, µg, g); lua/k2/journal.lua gives them meaning and shapes.
** A file that can't be used answers nil, message (K2_EFILE), like a user's text.
*/
#include <math.h>
#include <string.h>

#include "lk2.h"

#define LK2_JOURNAL_MT "k2.journal_file"

static k2_journal *check_journal(lua_State *L) {
  return (k2_journal *)lk2_check_open(L, 1, LK2_JOURNAL_MT, "journal");
}

/* Field `key` of the table at t: a string without NUL bytes, or NULL when absent (optional). */
static const char *field_string(lua_State *L, int t, const char *key, int optional, int item) {
  const char *s;
  size_t len;
  lua_getfield(L, t, key);
  if (lua_isnil(L, -1) && optional) {
    lua_pop(L, 1);
    return NULL;
  }
  if (lua_type(L, -1) != LUA_TSTRING) luaL_error(L, "bad argument #2 to 'add' (entry %d: %s must be a string)", item, key);
  s = lua_tolstring(L, -1, &len);
  if (strlen(s) != len) luaL_error(L, "bad argument #2 to 'add' (entry %d: %s holds a NUL byte)", item, key);
  lua_pop(L, 1); /* the table keeps the string alive */
  return s;
}

static double field_number(lua_State *L, int t, const char *key, int optional, int item) {
  double v;
  lua_getfield(L, t, key);
  if (lua_isnil(L, -1) && optional) {
    lua_pop(L, 1);
    return NAN;
  }
  if (lua_type(L, -1) != LUA_TNUMBER) luaL_error(L, "bad argument #2 to 'add' (entry %d: %s must be a number)", item, key);
  v = lua_tonumber(L, -1);
  lua_pop(L, 1);
  return v;
}

/* Fills e from the entry table at index t; amounts go to a[0..K2_JOURNAL_MAX_AMOUNTS). */
static void read_entry(lua_State *L, int t, int item, k2_entry *e, k2_amount *a) {
  size_t n;
  double at = field_number(L, t, "at", 0, item), offset = field_number(L, t, "offset", 0, item);
  if (at != floor(at) || offset != floor(offset) || fabs(at) > 9e15 || fabs(offset) > 1e9)
    luaL_error(L, "bad argument #2 to 'add' (entry %d: at and offset are whole seconds)", item);
  e->at = (int64_t)at, e->offset = (int32_t)offset;
  e->kind = field_string(L, t, "kind", 0, item);
  e->text = field_string(L, t, "text", 0, item);
  e->food = field_string(L, t, "food", 1, item);
  e->note = field_string(L, t, "note", 1, item);
  e->grams = field_number(L, t, "grams", 1, item);
  lua_getfield(L, t, "amounts");
  if (!lua_istable(L, -1)) luaL_error(L, "bad argument #2 to 'add' (entry %d: amounts must be a list)", item);
  n = raw_len(L, -1);
  if (n > K2_JOURNAL_MAX_AMOUNTS) n = K2_JOURNAL_MAX_AMOUNTS + 1; /* the core refuses it with its message */
  for (size_t k = 0; k < n && k < K2_JOURNAL_MAX_AMOUNTS; k++) {
    int at_k;
    lua_rawgeti(L, -1, (int)k + 1);
    at_k = lua_gettop(L);
    if (!lua_istable(L, at_k)) luaL_error(L, "bad argument #2 to 'add' (entry %d: amount %d must be a table)", item, (int)k + 1);
    a[k].form = field_string(L, at_k, "form", 0, item);
    a[k].ug = field_number(L, at_k, "ug", 0, item);
    lua_pop(L, 1); /* the amounts list keeps the table alive */
  }
  lua_pop(L, 1);
  e->amount_count = n, e->amounts = a;
}

/* j:add(list) -> {id, ...} | nil, message — all entries in one transaction */
static int journal_add(lua_State *L) {
  k2_journal *j = check_journal(L);
  size_t n;
  k2_entry *e;
  k2_amount *a;
  int64_t *ids;
  k2_status rc;
  luaL_checktype(L, 2, LUA_TTABLE);
  n = raw_len(L, 2);
  if (n == 0 || n > K2_JOURNAL_MAX_BATCH) {
    lua_pushnil(L);
    lua_pushfstring(L, "one add writes 1 to %d entries, not %d", (int)K2_JOURNAL_MAX_BATCH, (int)n);
    return 2;
  }
  /* userdata: freed by the collector even when a bad field raises half-way */
  e = (k2_entry *)new_userdata(L, n * (sizeof *e + sizeof *ids + K2_JOURNAL_MAX_AMOUNTS * sizeof *a));
  ids = (int64_t *)(e + n);
  a = (k2_amount *)(ids + n);
  for (size_t i = 0; i < n; i++) {
    lua_rawgeti(L, 2, (int)i + 1);
    if (!lua_istable(L, -1)) luaL_error(L, "bad argument #2 to 'add' (entry %d must be a table)", (int)i + 1);
    read_entry(L, lua_gettop(L), (int)i + 1, &e[i], &a[i * K2_JOURNAL_MAX_AMOUNTS]);
    lua_pop(L, 1);
  }
  rc = k2_journal_add(j, e, n, ids);
  if (rc != K2_OK) return lk2_push_failure(L, rc, k2_journal_errmsg(j));
  lua_createtable(L, (int)n, 0);
  for (size_t i = 0; i < n; i++) {
    lk2_push_number(L, (double)ids[i]);
    lua_rawseti(L, -2, (int)i + 1);
  }
  return 1;
}

/* Results are pushed from inside the core's callbacks, while SQLite statements are open: an
** allocation error there must not longjmp through the core (it would leave them unfinalized).
** So each callback pushes inside lua_pcall; a failure stops the walk and is raised once the
** core has returned and cleaned up. */
typedef struct walk_state {
  lua_State *L;
  int list, forms, seen; /* stack indices of the result tables */
  int n, n_forms;
  int failed;            /* a pcall failed: its error is on the stack top */
  const k2_entry *e;     /* the entry or dose being pushed */
  int64_t at;
  int32_t offset;
  const char *form;
  double ug;
} walk_state;

/* Appends the entry to the list (argument 2). */
static int push_entry_now(lua_State *L) {
  walk_state *ws = (walk_state *)lua_touserdata(L, 1);
  const k2_entry *e = ws->e;
  lua_createtable(L, 0, 9);
  lk2_set_number(L, "id", (double)e->id);
  lk2_set_number(L, "at", (double)e->at);
  lk2_set_number(L, "offset", (double)e->offset);
  lk2_set_string(L, "kind", e->kind);
  lk2_set_string(L, "text", e->text);
  lk2_set_string(L, "food", e->food);
  lk2_set_number(L, "grams", e->grams);
  lk2_set_string(L, "note", e->note);
  lua_createtable(L, (int)e->amount_count, 0);
  for (size_t k = 0; k < e->amount_count; k++) {
    lua_createtable(L, 0, 2);
    lk2_set_string(L, "form", e->amounts[k].form);
    lk2_set_number(L, "ug", e->amounts[k].ug);
    lua_rawseti(L, -2, (int)k + 1);
  }
  lua_setfield(L, -2, "amounts");
  lua_rawseti(L, 2, ws->n + 1);
  ws->n++;
  return 0;
}

/* Appends at, offset, ug to the flat list (argument 2), and a form not seen before (keys of
** argument 3) to the forms (argument 4). */
static int push_dose_now(lua_State *L) {
  walk_state *ws = (walk_state *)lua_touserdata(L, 1);
  lk2_push_number(L, (double)ws->at);
  lua_rawseti(L, 2, ws->n + 1);
  lua_pushinteger(L, ws->offset);
  lua_rawseti(L, 2, ws->n + 2);
  lk2_push_number(L, ws->ug);
  lua_rawseti(L, 2, ws->n + 3);
  ws->n += 3;
  lua_getfield(L, 3, ws->form);
  if (lua_isnil(L, -1)) {
    lua_pushboolean(L, 1);
    lua_setfield(L, 3, ws->form);
    lua_pushstring(L, ws->form);
    lua_rawseti(L, 4, ++ws->n_forms);
  }
  return 0;
}

/* Runs push in protected mode; nonzero (stop the walk) when it failed. */
static int protected_push(walk_state *ws, lua_CFunction push) {
  lua_State *L = ws->L;
  if (!lua_checkstack(L, 8)) {
    ws->failed = 2; /* no room even for the error: raised as a memory error afterwards */
    return 1;
  }
  /* the pushed function has a stack of its own: the tables go in as its arguments 2..4 */
  lua_pushcfunction(L, push);
  lua_pushlightuserdata(L, ws);
  lua_pushvalue(L, ws->list);
  if (ws->seen) lua_pushvalue(L, ws->seen); else lua_pushnil(L);
  if (ws->forms) lua_pushvalue(L, ws->forms); else lua_pushnil(L);
  if (lua_pcall(L, 4, 0, 0) != 0) {
    ws->failed = 1;
    return 1;
  }
  return 0;
}

static int each_entry(void *ud, const k2_entry *e) {
  walk_state *ws = (walk_state *)ud;
  ws->e = e;
  return protected_push(ws, push_entry_now);
}

static int each_dose(void *ud, int64_t at, int32_t offset, const char *form, double ug) {
  walk_state *ws = (walk_state *)ud;
  ws->at = at, ws->offset = offset, ws->form = form, ws->ug = ug;
  return protected_push(ws, push_dose_now);
}

/* After the walk: the error of a failed push raised, the core's failure answered. */
static int walk_result(lua_State *L, walk_state *ws, k2_journal *j, k2_status rc, int results) {
  if (ws->failed == 1) return lua_error(L);
  if (ws->failed == 2) return luaL_error(L, "not enough memory");
  if (rc != K2_OK) return lk2_push_failure(L, rc, k2_journal_errmsg(j));
  return results;
}

static int64_t check_time(lua_State *L, int i) {
  double t = luaL_checknumber(L, i);
  if (t != floor(t) || fabs(t) > 9e15) luaL_argerror(L, i, "whole seconds expected");
  return (int64_t)t;
}

/* j:entries(from, to) -> list of entries with from <= at < to */
static int journal_entries(lua_State *L) {
  k2_journal *j = check_journal(L);
  int64_t from = check_time(L, 2), to = check_time(L, 3);
  walk_state ws;
  k2_status rc;
  memset(&ws, 0, sizeof ws);
  ws.L = L;
  lua_settop(L, 3);
  lua_newtable(L);
  ws.list = lua_gettop(L);
  rc = k2_journal_entries(j, from, to, each_entry, &ws);
  return walk_result(L, &ws, j, rc, 1);
}

/* j:doses(form | nil, from, to) -> {at, offset, ug, at, offset, ug, ...}, {form, ...} */
static int journal_doses(lua_State *L) {
  k2_journal *j = check_journal(L);
  const char *form = luaL_optstring(L, 2, NULL);
  int64_t from = check_time(L, 3), to = check_time(L, 4);
  walk_state ws;
  k2_status rc;
  memset(&ws, 0, sizeof ws);
  ws.L = L;
  lua_settop(L, 4);
  lua_newtable(L);
  ws.seen = lua_gettop(L);
  lua_newtable(L);
  ws.list = lua_gettop(L);
  lua_newtable(L);
  ws.forms = lua_gettop(L);
  rc = k2_journal_doses(j, form, from, to, each_dose, &ws);
  return walk_result(L, &ws, j, rc, 2);
}

/* j:remove(id) -> true | nil, message */
static int journal_remove(lua_State *L) {
  k2_journal *j = check_journal(L);
  k2_status rc = k2_journal_remove(j, check_time(L, 2));
  if (rc != K2_OK) return lk2_push_failure(L, rc, k2_journal_errmsg(j));
  lua_pushboolean(L, 1);
  return 1;
}

/* j:undo() -> id, added | nil, message */
static int journal_undo(lua_State *L) {
  k2_journal *j = check_journal(L);
  int64_t id = 0;
  int added = 0;
  k2_status rc = k2_journal_undo(j, &id, &added);
  if (rc != K2_OK) return lk2_push_failure(L, rc, k2_journal_errmsg(j));
  lk2_push_number(L, (double)id);
  lua_pushboolean(L, added);
  return 2;
}

/* j:setting(key) -> value | nil */
static int journal_setting(lua_State *L) {
  k2_journal *j = check_journal(L);
  const char *key = luaL_checkstring(L, 2), *value = NULL;
  k2_status rc = k2_journal_setting(j, key, &value);
  if (rc != K2_OK) return lk2_push_failure(L, rc, k2_journal_errmsg(j));
  if (value) lua_pushstring(L, value);
  else lua_pushnil(L);
  return 1;
}

/* j:set(key, value | nil) -> true | nil, message */
static int journal_set(lua_State *L) {
  k2_journal *j = check_journal(L);
  const char *key = luaL_checkstring(L, 2), *value = luaL_optstring(L, 3, NULL);
  k2_status rc = k2_journal_set(j, key, value);
  if (rc != K2_OK) return lk2_push_failure(L, rc, k2_journal_errmsg(j));
  lua_pushboolean(L, 1);
  return 1;
}

/* j:stat() -> schema version, live entries | nil, message */
static int journal_stat(lua_State *L) {
  k2_journal *j = check_journal(L);
  int version = 0;
  long entries = 0;
  k2_status rc = k2_journal_stat(j, &version, &entries);
  if (rc != K2_OK) return lk2_push_failure(L, rc, k2_journal_errmsg(j));
  lua_pushinteger(L, version);
  lua_pushinteger(L, entries);
  return 2;
}

static int journal_path(lua_State *L) {
  lua_pushstring(L, k2_journal_path(check_journal(L)));
  return 1;
}

static int journal_close(lua_State *L) {
  lk2_handle *h = lk2_to_handle(L, 1, LK2_JOURNAL_MT);
  k2_journal_close((k2_journal *)h->ptr);
  h->ptr = NULL;
  return 0;
}

/* core.journal_open(path) -> handle | nil, message */
static int core_journal_open(lua_State *L) {
  size_t len;
  const char *path = lk2_check_string(L, 1, &len);
  lk2_handle *h = lk2_new_handle(L, LK2_JOURNAL_MT);
  k2_journal *j = NULL;
  k2_status rc = k2_journal_open(path, len, &j);
  h->ptr = j; /* owned at once: if pushing the message raises, __gc closes it */
  if (rc == K2_OK) return 1;
  if (rc == K2_ENOMEM) return luaL_error(L, "not enough memory");
  lua_pushnil(L);
  lua_pushstring(L, j ? k2_journal_errmsg(j) : "not enough memory");
  k2_journal_close(j);
  h->ptr = NULL;
  if (rc != K2_EINPUT && rc != K2_EFILE) return luaL_error(L, "k2: %s", lua_tostring(L, -1));
  return 2;
}

/* core.parse_time(text, now) -> utc, offset | nil, message */
static int core_parse_time(lua_State *L) {
  size_t len;
  const char *text = lk2_check_string(L, 1, &len);
  int64_t now = check_time(L, 2), utc = 0;
  int32_t offset = 0;
  char msg[256];
  k2_status rc = k2_parse_time(text, len, now, &utc, &offset, msg, sizeof msg);
  if (rc != K2_OK) return lk2_push_failure(L, rc, msg);
  lk2_push_number(L, (double)utc);
  lua_pushinteger(L, offset);
  return 2;
}

static const luaL_Reg journal_methods[] = {
    {"add", journal_add},         {"entries", journal_entries}, {"doses", journal_doses}, {"remove", journal_remove},
    {"undo", journal_undo},       {"setting", journal_setting}, {"set", journal_set},
    {"stat", journal_stat},       {"path", journal_path},       {NULL, NULL}};
static const luaL_Reg journal_functions[] = {
    {"journal_open", core_journal_open}, {"parse_time", core_parse_time}, {NULL, NULL}};

void lk2_open_journal(lua_State *L) {
  lk2_new_class(L, LK2_JOURNAL_MT, journal_methods, journal_close, NULL);
  set_funcs(L, journal_functions);
}
