/*
** lk2_store.c — the fact store's handle ("k2.store") and its methods:
** search, facts, fact, sources, source, conflict, form, find_form, aliases, info, pk_params,
** rules, close. Facts and sources become Lua tables with the metatables
** k2.show registered (core.set_shapes). C-owned result lists are held by a
** "k2.box" userdata while they are copied to Lua, so an out-of-memory error
** while pushing can't leak them (the box's __gc frees them).
*/
#include "lk2.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define BOX_MT "k2.box"

typedef struct box { k2_fact_list *facts; k2_source_list *sources; } box;

k2_store *lk2_check_store(lua_State *L) {
  return (k2_store *)lk2_check_open(L, 1, LK2_STORE_MT, "k2 store");
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

/* Sets t[key] to the items of the comma list `text` (numbers if as_numbers),
** split by the core (k2_list_next). */
static void set_list(lua_State *L, const char *key, const char *text, int as_numbers, int shape) {
  const char *item;
  size_t len;
  int n = 0;
  lua_newtable(L);
  while (k2_list_next(&text, &item, &len)) {
    if (as_numbers) lk2_push_number(L, (double)strtol(item, NULL, 10));
    else lua_pushlstring(L, item, len);
    lua_rawseti(L, -2, ++n);
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
  lk2_set_string(L, "via", f->via);
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

/* Pushes the table of fact tables already built for the store at index 1:
** facts never change, so each is built once per store (registry
** "k2.fact_cache", weak-keyed by the store handle). A cached fact is shared
** by every list holding it; only its rank is set again. */
static int push_fact_cache(lua_State *L) {
  lua_getfield(L, LUA_REGISTRYINDEX, "k2.fact_cache");
  if (!lua_istable(L, -1)) {
    lua_pop(L, 1);
    lua_newtable(L);
    lua_newtable(L);
    lua_pushliteral(L, "k");
    lua_setfield(L, -2, "__mode");
    lua_setmetatable(L, -2);
    lua_pushvalue(L, -1);
    lua_setfield(L, LUA_REGISTRYINDEX, "k2.fact_cache");
  }
  lua_pushvalue(L, 1);
  lua_rawget(L, -2);
  if (!lua_istable(L, -1)) {
    lua_pop(L, 1);
    lua_newtable(L);
    lua_pushvalue(L, 1);
    lua_pushvalue(L, -2);
    lua_rawset(L, -4);
  }
  lua_remove(L, -2);
  return lua_gettop(L);
}

/* Sets t[key] to the words of the space-separated `text`. */
static void set_words(lua_State *L, const char *key, const char *text, int shape) {
  int n = 0;
  lua_newtable(L);
  while (*text) {
    const char *end = strchr(text, ' ');
    size_t len = end ? (size_t)(end - text) : strlen(text);
    if (len) {
      lua_pushlstring(L, text, len);
      lua_rawseti(L, -2, ++n);
    }
    text += len + (end != NULL);
  }
  set_shape(L, shape);
  lua_setfield(L, -2, key);
}

/* Pushes the facts held by b as a list, then frees them. */
static int push_fact_list(lua_State *L, box *b) {
  shapes sh;
  int cache = push_fact_cache(L);
  push_shapes(L, &sh);
  lua_createtable(L, (int)b->facts->count, 0);
  for (size_t i = 0; i < b->facts->count; i++) {
    const k2_fact *f = &b->facts->items[i];
    lua_getfield(L, cache, f->id);
    if (lua_istable(L, -1)) {
      if (isnan(f->rank)) lua_pushnil(L);
      else lk2_push_number(L, f->rank);
      lua_setfield(L, -2, "rank");
    } else {
      lua_pop(L, 1);
      push_fact(L, f, &sh);
      lua_pushvalue(L, -1);
      lua_setfield(L, cache, f->id);
    }
    lua_rawseti(L, -2, (int)i + 1);
  }
  if (b->facts->matched) { /* a search: which words found facts */
    set_words(L, "matched", b->facts->matched, sh.list);
    set_words(L, "unmatched", b->facts->unmatched, sh.list);
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
  f->form = lk2_opt_string(L, first, &f->form_len);
  f->topic = lk2_opt_string(L, first + 1, &f->topic_len);
  f->evidence = lk2_opt_string(L, first + 2, &f->evidence_len);
  f->population = lk2_opt_string(L, first + 3, &f->population_len);
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
  luaL_argcheck(L, limit >= 1 && limit <= K2_SEARCH_MAX_LIMIT, 3,
                lua_pushfstring(L, "limit must be 1 to %d", K2_SEARCH_MAX_LIMIT));
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
  box *b;
  /* a fact already built is the answer (facts never change): no lookup, no list */
  lua_pushvalue(L, 2);
  lua_rawget(L, push_fact_cache(L));
  if (lua_istable(L, -1)) {
    lua_pushnil(L);
    lua_setfield(L, -2, "rank"); /* read without a search: no score, as the core gives it */
    return 1;
  }
  lua_pop(L, 2);
  b = new_box(L);
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

/* store:find_form(text) → canonical form | nil: the resolver's lookup with no message. */
static int store_find_form(lua_State *L) {
  k2_store *st = lk2_check_store(L);
  size_t len;
  const char *text = lk2_check_string(L, 2, &len);
  const char *canonical = NULL;
  if (k2_form_find(st, text, len, &canonical) == K2_OK) lua_pushstring(L, canonical);
  else lua_pushnil(L);
  return 1;
}

/* store:aliases() → {alias = canonical form, ...}: every name the resolver knows. */
static int store_aliases(lua_State *L) {
  k2_store *st = lk2_check_store(L);
  const char *alias, *form;
  lua_newtable(L);
  for (size_t i = 0; k2_form_alias_at(st, i, &alias, &form) == K2_OK; i++) {
    lua_pushstring(L, form);
    lua_setfield(L, -2, alias);
  }
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

/* store:pk_params(form [, set]) → {form, set, about, facts, ka, ke, ...} | nil, message */
static int store_pk_params(lua_State *L) {
  k2_store *st = lk2_check_store(L);
  size_t flen, slen = 0;
  const char *form = lk2_check_string(L, 2, &flen);
  const char *set = lk2_opt_string(L, 3, &slen);
  const k2_pk_params *p = NULL;
  k2_status rc = k2_pk_params_get(st, form, flen, set, slen, &p);
  if (rc != K2_OK) return lk2_push_failure(L, rc, k2_store_errmsg(st));
  lua_createtable(L, 0, 16);
  lk2_set_string(L, "form", p->form);
  lk2_set_string(L, "set", p->set);
  lk2_set_string(L, "about", p->about);
  lk2_set_string(L, "facts", p->facts);
  lk2_set_number(L, "ka", p->model.ka);
  lk2_set_number(L, "ke", p->model.ke);
  lk2_set_number(L, "F", p->model.F);
  lk2_set_number(L, "F_ref", p->model.F_ref);
  lk2_set_number(L, "V", p->model.V);
  lk2_set_number(L, "lag", p->model.lag);
  lk2_set_number(L, "tmax_h", p->tmax_h);
  lk2_set_number(L, "half_life_h", p->half_life_h);
  lk2_set_number(L, "fat", p->fat);
  lk2_set_number(L, "mol_weight", p->mol_weight);
  lk2_set_number(L, "ref_ug", p->ref_ug);
  if (p->matrix) lk2_set_string(L, "matrix", p->matrix);
  if (p->fat_matrix) lk2_set_string(L, "fat_matrix", p->fat_matrix);
  if (p->blq_fact) lk2_set_string(L, "below_quantification", p->blq_fact);
  if (p->baseline_fact) lk2_set_string(L, "baseline", p->baseline_fact);
  return 1;
}

/* close, __gc and __close: idempotent. */
static int store_close(lua_State *L) {
  lk2_handle *h = lk2_to_handle(L, 1, LK2_STORE_MT);
  k2_store_close((k2_store *)h->ptr);
  h->ptr = NULL;
  return 0;
}

static const luaL_Reg store_methods[] = {
    {"search", store_search}, {"facts", store_facts}, {"fact", store_fact},
    {"sources", store_sources}, {"source", store_source}, {"conflict", store_conflict},
    {"form", store_form}, {"find_form", store_find_form}, {"aliases", store_aliases}, {"info", store_info}, {"pk_params", store_pk_params}, {"rules", store_rules},
    {NULL, NULL}};

void lk2_open_store(lua_State *L) {
  lk2_new_class(L, LK2_STORE_MT, store_methods, store_close, NULL);
  luaL_newmetatable(L, BOX_MT);
  lua_pushcfunction(L, box_gc);
  lua_setfield(L, -2, "__gc");
  lua_pop(L, 1);
}
