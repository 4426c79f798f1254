# k2 — build, test and package.
#
#   make            the core for Lua 5.4 (build/5.4/k2/core.so) and for the
#                   Lua 5.1 ABI of LuaJIT/Neovim (build/5.1/k2/core.so)
#   make run        a short tour through bin/k2
#   make check      the quick tier (under 60 s): C tests under ASan/UBSan,
#                   Lua specs on 5.4 and LuaJIT, Neovim, the command line
#   make test       every suite (what CI runs), under 6 minutes
#   make dist       the source rock k2-<version>-1.src.rock
#   make install / uninstall, make bench, make fuzz, make clean
# Every test target ends with one line "N passed, N failed".
#
# Packages: plain `make` never installs anything; when a Debian package is
# missing it says which and the apt-get line to get it (tools/deps.sh
# check). `make run` and `make test` set the machine up: as root they
# install what is missing (tools/deps.sh), so a fresh Debian machine works.
#
# Files are found, not listed: the core is csrc/k2_*.c, the Lua binding
# csrc/lk2*.c, the C tests tests/c/test_*.c, the data data/**/*.rec.
# The version is written once, in csrc/k2.h (K2_VERSION).

VERSION   := $(shell sed -n 's/^\#define K2_VERSION "\(.*\)"$$/\1/p' csrc/k2.h)
CC        ?= cc
CFLAGS    ?= -O2 -g
WARN      := -std=c99 -Wall -Wextra -Wshadow -Wstrict-prototypes
LUA       ?= lua5.4
LUA_PC_5.4 ?= lua5.4
LUA_PC_5.1 ?= lua5.1
SQLITE_CFLAGS := $(shell pkg-config --cflags sqlite3 2>/dev/null)
SQLITE_LIBS   := $(shell pkg-config --libs sqlite3 2>/dev/null || echo -lsqlite3)
lua_cflags = $(shell pkg-config --cflags $(LUA_PC_$(1)))
lua_libs   = $(shell pkg-config --libs $(LUA_PC_$(1)))

PREFIX    ?= /usr/local
LUA_CMOD  ?= $(PREFIX)/lib/lua/5.4
LUA_LMOD  ?= $(PREFIX)/share/lua/5.4
DESTDIR   ?=

B         := build
DATA      := $(sort $(wildcard data/*.rec data/*/*.rec))
CORE_SRC  := $(sort $(wildcard csrc/k2_*.c))
CORE_HDR  := $(wildcard csrc/k2*.h)
BIND_SRC  := $(sort $(wildcard csrc/lk2*.c))
BIND_HDR  := $(wildcard csrc/lk2*.h)
LUA_SRC   := $(sort $(shell find lua -name '*.lua'))
C_TESTS   := $(patsubst tests/c/%.c,$(B)/%,$(wildcard tests/c/test_*.c))
ROCK      := k2-$(VERSION)-1.src.rock

.SECONDARY:
.DELETE_ON_ERROR:
.PHONY: all setup setup-test run check test test-build oom fuzz valgrind lint check-abi check-data \
        check-wording bench install uninstall dist rockspec rockspec-check rock clean

all: $(B)/5.4/k2/core.so $(B)/5.1/k2/core.so

# ---------------------------------------------------------------- packages

# Checked once per change of tools/deps.sh; `make` only reports.
$(B)/.deps: tools/deps.sh
	@mkdir -p $(B)
	@sh tools/deps.sh check build
	@touch $@

setup:
	@sh tools/deps.sh build
setup-test:
	@sh tools/deps.sh test

# ---------------------------------------------------------------- data → image

# The image depends on the list of data files and the version, not only on
# the files: build/data.list is rewritten only when that list changes, so
# adding or deleting a .rec file (or a new version) rebuilds the image.
DATA_LIST := $(VERSION) $(DATA)
$(shell mkdir -p $(B); [ "$$(cat $(B)/data.list 2>/dev/null)" = "$(DATA_LIST)" ] || echo "$(DATA_LIST)" > $(B)/data.list)

$(B)/k2.sql: $(DATA) $(B)/data.list tools/k2data.lua lua/k2/measures.lua | $(B)/.deps
	K2_VERSION=$(VERSION) $(LUA) tools/k2data.lua --sql data > $@.tmp && mv $@.tmp $@

# The search's word index is made from FTS5's own tokens of the facts (tools/search_index.lua).
$(B)/k2.db: $(B)/k2.sql tools/search_index.lua
	rm -f $@.tmp
	sqlite3 -bail $@.tmp < $<
	sqlite3 -bail -separator "$$(printf '\t')" $@.tmp "CREATE VIRTUAL TABLE temp.v USING fts5vocab(main, fact_fts, 'instance');\
	  SELECT term, doc, col, offset FROM temp.v ORDER BY term, doc, col" | $(LUA) tools/search_index.lua > $@.index
	sqlite3 -bail $@.tmp < $@.index
	rm -f $@.index
	test "$$(sqlite3 $@.tmp 'PRAGMA integrity_check')" = ok
	sqlite3 $@.tmp 'VACUUM'
	mv $@.tmp $@

# The food image (issue 14): the USDA table and the literature links, opened on first use.
$(B)/k2_food.sql: $(wildcard data/food/*.tsv) $(wildcard data/facts/food*.rec) tools/food.lua | $(B)/.deps
	$(LUA) tools/food.lua data > $@.tmp && mv $@.tmp $@

$(B)/k2_food.db: $(B)/k2_food.sql
	rm -f $@.tmp
	sqlite3 -bail $@.tmp < $<
	test "$$(sqlite3 $@.tmp 'PRAGMA integrity_check')" = ok
	sqlite3 $@.tmp 'VACUUM'
	mv $@.tmp $@

$(B)/k2_image.c: $(B)/k2.db $(B)/k2_food.db tools/embed.lua
	$(LUA) tools/embed.lua $(B)/k2.db $(B)/k2_food.db > $@.tmp && mv $@.tmp $@

# ---------------------------------------------------------------- the core, twice

# Three object sets from the same sources: the release build (obj/), the
# sanitized one the C tests and the OOM sweep link (san/), and clang's for
# libFuzzer (fuzzobj/).
CORE_OBJ := $(patsubst csrc/%.c,$(B)/obj/%.o,$(CORE_SRC)) $(B)/obj/k2_image.o
SAN_OBJ  := $(patsubst csrc/%.c,$(B)/san/%.o,$(CORE_SRC)) $(B)/san/k2_image.o
FUZZ_OBJ := $(patsubst csrc/%.c,$(B)/fuzzobj/%.o,$(CORE_SRC)) $(B)/fuzzobj/k2_image.o

# The model's inner loops (grid steps, subjects) vectorise at -O3.
$(B)/obj/k2_pk.o: CFLAGS += -O3

$(B)/obj/%.o: csrc/%.c $(CORE_HDR) | $(B)/.deps
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(WARN) -fPIC -fvisibility=hidden $(SQLITE_CFLAGS) -c $< -o $@
$(B)/obj/k2_image.o: $(B)/k2_image.c $(CORE_HDR)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -fPIC -fvisibility=hidden -Icsrc -c $< -o $@

# Written under a temporary name, then moved: a running Neovim that has the
# old .so mapped must never see a half-written file.
$(B)/%/k2/core.so: $(BIND_SRC) $(BIND_HDR) $(CORE_OBJ) $(CORE_HDR)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(WARN) -fPIC -shared $(call lua_cflags,$*) -Icsrc \
	  -o $@.tmp $(BIND_SRC) $(CORE_OBJ) $(SQLITE_LIBS) -lm
	mv $@.tmp $@

# ---------------------------------------------------------------- run

run: setup
	@$(MAKE) --no-print-directory all
	@sh tools/tour.sh

# ---------------------------------------------------------------- tests

SAN      := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
SAN_CC   := $(CC) -O1 -g $(WARN) $(SAN) $(SQLITE_CFLAGS) -Icsrc

$(B)/san/%.o: csrc/%.c $(CORE_HDR) | $(B)/.deps
	@mkdir -p $(@D)
	$(SAN_CC) -c $< -o $@
$(B)/san/k2_image.o: $(B)/k2_image.c $(CORE_HDR)
	@mkdir -p $(@D)
	$(SAN_CC) -c $< -o $@

# One C test program per tests/c/test_*.c, each linked with the sanitized core.
$(B)/test_%: tests/c/test_%.c tests/c/check.h $(SAN_OBJ)
	$(SAN_CC) -o $@ $< $(SAN_OBJ) $(SQLITE_LIBS) -lm

# The out-of-memory sweep: tests/oom/oom.c with the core and the binding
# linked in (tools/oom.sh runs it), under UBSan alone, on glibc's allocator:
# the sweep counts every live block itself, and ASan made each of its forks
# two to three times dearer (its shadow memory is copied at every fork).
UB_CC := $(CC) -O1 -g $(WARN) -fsanitize=undefined -fno-sanitize-recover=all $(SQLITE_CFLAGS) -Icsrc
$(B)/ub/%.o: csrc/%.c $(BIND_HDR) $(CORE_HDR) | $(B)/.deps
	@mkdir -p $(@D)
	$(UB_CC) $(call lua_cflags,5.4) -c $< -o $@
$(B)/ub/k2_image.o: $(B)/k2_image.c $(CORE_HDR)
	@mkdir -p $(@D)
	$(UB_CC) -c $< -o $@
$(B)/oom: tests/oom/oom.c $(patsubst csrc/%.c,$(B)/ub/%.o,$(BIND_SRC) $(CORE_SRC)) $(B)/ub/k2_image.o
	$(UB_CC) -O2 -D_POSIX_C_SOURCE=200809L $(call lua_cflags,5.4) -o $@ $^ $(call lua_libs,5.4) $(SQLITE_LIBS) -lm

# The image-damage test's random part, under UBSan alone (tools/run-tests.sh).
$(B)/test_image-ub: tests/c/test_image.c tests/c/check.h $(patsubst csrc/%.c,$(B)/ub/%.o,$(CORE_SRC)) $(B)/ub/k2_image.o
	$(UB_CC) -o $@ $< $(filter %.o,$^) $(SQLITE_LIBS) -lm

oom: all $(B)/oom
	@sh tools/oom.sh

# libFuzzer targets (clang-14, address and undefined sanitizers); make test
# replays their corpora, make fuzz runs each for FUZZ_SECONDS.
FUZZ_CC      ?= clang-14
FUZZ_SECONDS ?= 60
FUZZ_CFLAGS  := -O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all -Icsrc $(SQLITE_CFLAGS)
FUZZ_LINK     = $(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer -o $@ $(filter %.c,$^) $(FUZZ_OBJ) $(SQLITE_LIBS) -lm
FUZZERS      := $(B)/fuzz_dose $(B)/fuzz_duration $(B)/fuzz_time $(B)/fuzz_search $(B)/fuzz_lua

$(B)/fuzzobj/%.o: csrc/%.c $(CORE_HDR) | $(B)/.deps
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -c $< -o $@
$(B)/fuzzobj/k2_image.o: $(B)/k2_image.c $(CORE_HDR)
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -c $< -o $@
$(B)/fuzz_dose: tests/fuzz/fuzz_parse.c $(FUZZ_OBJ)
	$(FUZZ_LINK) -DTARGET_DOSE
$(B)/fuzz_duration: tests/fuzz/fuzz_parse.c $(FUZZ_OBJ)
	$(FUZZ_LINK) -DTARGET_DURATION
$(B)/fuzz_time: tests/fuzz/fuzz_time.c $(FUZZ_OBJ)
	$(FUZZ_LINK)
$(B)/fuzz_search: tests/fuzz/fuzz_search.c $(FUZZ_OBJ)
	$(FUZZ_LINK)
$(B)/fuzz_lua: tests/fuzz/fuzz_lua.c $(BIND_SRC) $(BIND_HDR) $(FUZZ_OBJ)
	$(FUZZ_LINK) $(call lua_cflags,5.4) $(call lua_libs,5.4)

fuzz: $(FUZZERS)
	@sh tools/fuzz.sh run $(FUZZ_SECONDS)

# The quick tier: no set-up, no sweeps, no valgrind.
check: all $(C_TESTS)
	@sh tools/run-tests.sh check

# Everything CI runs. As root, first installs what is missing.
test: setup-test
	@$(MAKE) --no-print-directory -j2 test-build
	@sh tools/run-tests.sh test

test-build: all $(C_TESTS) $(B)/oom $(B)/test_image-ub $(FUZZERS) $(ROCK)

valgrind: all
	@sh tools/run-tests.sh valgrind

lint:
	luacheck -q lua tests tools k2.lua bin/k2 plugin
	@for f in $(LUA_SRC) plugin/*.lua k2.lua; do luajit -bl $$f > /dev/null || exit 1; done

check-abi: all
	@sh tools/check-abi.sh

check-data:
	$(LUA) tools/k2data.lua --check data

check-wording:
	$(LUA) tools/copycheck.lua ../shared $$(git ls-files data lua csrc tests tools doc README.md)

# ---------------------------------------------------------------- benchmarks

$(B)/bench_%: tests/c/bench_%.c $(CORE_SRC) $(CORE_HDR) $(B)/k2_image.c
	$(CC) -O3 $(WARN) $(SQLITE_CFLAGS) -Icsrc -o $@ $< $(CORE_SRC) $(B)/k2_image.c $(SQLITE_LIBS) -lm

bench: all $(B)/bench_store $(B)/bench_pk
	@sh tools/deps.sh bench
	@echo "== fact store"
	@$(B)/bench_store
	@$(LUA) tools/bench.lua
	@$(LUA) tools/bench_food.lua
	@$(LUA) tools/bench_journal.lua
	@echo "== questions (issue 13: k2.ask <= 200 us median, k2.search <= 20 us median, under the load uptime shows)"
	@uptime
	@$(LUA) tools/bench_ask.lua
	@echo "== pharmacokinetics (shared/notes/pk-peers-and-baselines.md, job B.1)"
	@$(B)/bench_pk | tee $(B)/bench_pk.txt
	@c=$$(sed -n 's/.*median [0-9.]* ms (\([0-9.]*\) ns\/point).*/\1/p' $(B)/bench_pk.txt); \
	  $(LUA) tools/bench_pk.lua $$c; luajit tools/bench_pk.lua $$c
	@/usr/bin/python3 tools/bench_peers.py \
	  $$(sed -n 's/^single: C core best .* median \([0-9.]*\) ms.*/\1/p' $(B)/bench_pk.txt) \
	  $$(sed -n 's/^population: 10000 x 721 points, best .* median \([0-9.]*\) ms.*/\1/p' $(B)/bench_pk.txt)
	@echo "== the largest accepted input of each call (issue 17)"
	@$(LUA) tools/bench_bounds.lua

# ---------------------------------------------------------------- install

# What install puts down, relative to DESTDIR; uninstall removes exactly this.
INSTALLED := $(PREFIX)/bin/k2 $(LUA_CMOD)/k2/core.so $(addprefix $(LUA_LMOD)/,$(patsubst lua/%,%,$(LUA_SRC)))

install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(LUA_CMOD)/k2
	install -m 755 bin/k2 $(DESTDIR)$(PREFIX)/bin/k2
	install -m 755 $(B)/5.4/k2/core.so $(DESTDIR)$(LUA_CMOD)/k2/core.so.tmp
	mv $(DESTDIR)$(LUA_CMOD)/k2/core.so.tmp $(DESTDIR)$(LUA_CMOD)/k2/core.so
	for f in $(patsubst lua/%,%,$(LUA_SRC)); do \
	  install -d $(DESTDIR)$(LUA_LMOD)/$$(dirname $$f) && install -m 644 lua/$$f $(DESTDIR)$(LUA_LMOD)/$$f || exit 1; done

# Removes the files, then k2's own directories (lua/k2, lua/k2/nvim, ...)
# once they are empty; shared ones such as $(PREFIX)/bin stay.
uninstall:
	rm -f $(addprefix $(DESTDIR),$(INSTALLED))
	for d in $$(printf '%s\n' $(sort $(dir $(addprefix $(DESTDIR),$(INSTALLED)))) | grep '/k2/' | sort -r); do \
	  rmdir "$$d" 2>/dev/null || true; done

# ---------------------------------------------------------------- packaging

# The rockspecs are written by tools/rockspec.lua from the file lists above:
# k2-scm-1.rockspec (checked in; `make rockspec` after adding a source file,
# make test fails while it is stale) and the versioned one inside the rock.
ROCKSPEC_ARGS = $(CORE_SRC) $(BIND_SRC) $(LUA_SRC)

rockspec:
	$(LUA) tools/rockspec.lua scm $(ROCKSPEC_ARGS) > k2-scm-1.rockspec
rockspec-check:
	@$(LUA) tools/rockspec.lua scm $(ROCKSPEC_ARGS) | cmp -s - k2-scm-1.rockspec \
	  || { echo "k2-scm-1.rockspec does not list the sources: run 'make rockspec'"; exit 1; }

# The source rock: a tarball of the sources with the generated image in
# it, packed with its rockspec by luarocks (see tools/dist.sh).
dist: $(ROCK)
$(ROCK): $(B)/k2_image.c $(CORE_SRC) $(CORE_HDR) $(BIND_SRC) $(BIND_HDR) $(LUA_SRC) tools/rockspec.lua tools/dist.sh
	sh tools/dist.sh $(VERSION) $(ROCKSPEC_ARGS)

# LuaRocks builds in the source tree; its objects are removed afterwards.
rock: $(B)/k2_image.c
	luarocks --lua-version=5.4 --tree=$(B)/rocks-5.4 make k2-scm-1.rockspec
	rm -rf k2 csrc/*.o $(B)/k2_image.o
	luarocks --lua-version=5.1 --tree=$(B)/rocks-5.1 make k2-scm-1.rockspec
	rm -rf k2 csrc/*.o $(B)/k2_image.o

clean:
	rm -rf $(B) k2-*.src.rock
