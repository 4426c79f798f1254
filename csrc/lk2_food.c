/*
** lk2_food.c — binding of the food table (k2_food.c, issue 14): core.food_open() gives a
** handle with search(text, limit), get(id), weights(), volumes() and info(). Thin: check, call, push.
** Foods come back as plain tables with the field names of k2.foods: {id=, name=, k1_per_100g=
** (µg/100 g, absent = not measured), deprecated=true|nil, rank=, partial=true|nil (holds only
** some of the words), literature=true|nil (literature figures: get), measures={{amount=, grams=,
** name=}...}, links={{fact=, form=, value=}...}}; lua/k2/food.lua gives them their shapes. A
** search's list is returned as is, so its tables are built once.
*/
#include <string.h>

#include "lk2.h"

#define LK2_FOOD_MT "k2.food_table"

static k2_food *check_food(lua_State *L) {
  return (k2_food *)lk2_check_open(L, 1, LK2_FOOD_MT, "food table");
}

typedef struct push_state {
  lua_State *L;
  int n;
} push_state;

static int push_food(void *ud, const k2_food_item *it) {
  push_state *ps = (push_state *)ud;
  lua_State *L = ps->L;
  lua_createtable(L, 0, 7);
  lk2_set_string(L, "id", it->id);
  lk2_set_string(L, "name", it->name);
  lk2_set_number(L, "k1_per_100g", it->k1);
  if (it->deprecated) {
    lua_pushboolean(L, 1);
    lua_setfield(L, -2, "deprecated");
  }
  lk2_set_number(L, "rank", it->rank);
  if (it->partial) {
    lua_pushboolean(L, 1);
    lua_setfield(L, -2, "partial");
  }
  if (it->linked) {
    lua_pushboolean(L, 1);
    lua_setfield(L, -2, "literature");
  }
  if (it->measures) {
    lua_createtable(L, (int)it->measure_count, 0);
    for (size_t i = 0; i < it->measure_count; i++) {
      lua_createtable(L, 0, 3);
      lk2_set_number(L, "amount", it->measures[i].amount);
      lk2_set_number(L, "grams", it->measures[i].grams);
      lk2_set_string(L, "name", it->measures[i].name);
      lua_rawseti(L, -2, (int)i + 1);
    }
    lua_setfield(L, -2, "measures");
    lua_createtable(L, (int)it->link_count, 0);
    for (size_t i = 0; i < it->link_count; i++) {
      lua_createtable(L, 0, 3);
      lk2_set_string(L, "fact", it->links[i].fact);
      lk2_set_string(L, "form", it->links[i].form);
      lk2_set_number(L, "value", it->links[i].value);
      lua_rawseti(L, -2, (int)i + 1);
    }
    lua_setfield(L, -2, "links");
  }
  lua_rawseti(L, -2, ++ps->n);
  return 0;
}

/* t:search(text, limit) -> list of foods | nil, message */
static int food_search(lua_State *L) {
  k2_food *f = check_food(L);
  size_t len;
  const char *text = lk2_check_string(L, 2, &len);
  int limit = (int)luaL_checkinteger(L, 3);
  push_state ps = {L, 0};
  k2_status rc;
  lua_newtable(L);
  rc = k2_food_search(f, text, len, limit, push_food, &ps);
  if (rc != K2_OK) return lk2_push_failure(L, rc, k2_food_errmsg(f));
  return 1;
}

/* t:get(id) -> food | nil, message */
static int food_get(lua_State *L) {
  k2_food *f = check_food(L);
  size_t len;
  const char *id = lk2_check_string(L, 2, &len);
  push_state ps = {L, 0};
  k2_status rc;
  lua_newtable(L);
  rc = k2_food_get(f, id, len, push_food, &ps);
  if (rc != K2_OK) return lk2_push_failure(L, rc, k2_food_errmsg(f));
  lua_rawgeti(L, -1, 1);
  return 1;
}

/* t:weights() -> {unit = grams} */
static int food_weights(lua_State *L) {
  k2_food *f = check_food(L);
  const char *name;
  double grams;
  k2_status rc;
  lua_newtable(L);
  for (size_t i = 0; (rc = k2_food_weight_at(f, i, &name, &grams)) == K2_OK; i++) {
    lua_pushnumber(L, grams);
    lua_setfield(L, -2, name);
  }
  if (rc != K2_ENOTFOUND) return lk2_push_failure(L, rc, k2_food_errmsg(f));
  return 1;
}

/* t:volumes() -> {unit = {ml = mL in one unit, kind = "amount" | "measure"}} */
static int food_volumes(lua_State *L) {
  k2_food *f = check_food(L);
  const char *name, *kind;
  double ml;
  k2_status rc;
  lua_newtable(L);
  for (size_t i = 0; (rc = k2_food_volume_at(f, i, &name, &ml, &kind)) == K2_OK; i++) {
    lua_createtable(L, 0, 2);
    lua_pushnumber(L, ml);
    lua_setfield(L, -2, "ml");
    lua_pushstring(L, kind);
    lua_setfield(L, -2, "kind");
    lua_setfield(L, -2, name);
  }
  if (rc != K2_ENOTFOUND) return lk2_push_failure(L, rc, k2_food_errmsg(f));
  return 1;
}

/* t:info() -> {source=, foods=, measures=} */
static int food_info(lua_State *L) {
  k2_food *f = check_food(L);
  const char *source;
  long foods, measures;
  k2_status rc = k2_food_info(f, &source, &foods, &measures);
  if (rc != K2_OK) return lk2_push_failure(L, rc, k2_food_errmsg(f));
  lua_createtable(L, 0, 3);
  lk2_set_string(L, "source", source);
  lk2_set_number(L, "foods", (double)foods);
  lk2_set_number(L, "measures", (double)measures);
  return 1;
}

static int food_close(lua_State *L) {
  lk2_handle *h = lk2_to_handle(L, 1, LK2_FOOD_MT);
  k2_food_close((k2_food *)h->ptr);
  h->ptr = NULL;
  return 0;
}

/* core.food_open() -> handle | nil, message */
static int core_food_open(lua_State *L) {
  lk2_handle *h = lk2_new_handle(L, LK2_FOOD_MT);
  k2_food *f = NULL;
  k2_status rc = k2_food_open(&f);
  if (rc == K2_OK) {
    h->ptr = f;
    return 1;
  }
  lua_pushnil(L);
  lua_pushstring(L, k2_food_errmsg(f));
  k2_food_close(f);
  if (rc == K2_ENOMEM) return luaL_error(L, "not enough memory");
  return 2;
}

static const luaL_Reg food_methods[] = {
    {"search", food_search}, {"get", food_get}, {"weights", food_weights}, {"volumes", food_volumes}, {"info", food_info}, {NULL, NULL}};
static const luaL_Reg food_functions[] = {{"food_open", core_food_open}, {NULL, NULL}};

void lk2_open_food(lua_State *L) {
  lk2_new_class(L, LK2_FOOD_MT, food_methods, food_close, NULL);
  set_funcs(L, food_functions);
}
