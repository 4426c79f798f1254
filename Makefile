# k2 — build, test and install. `make` builds the core for Lua 5.4 and for
# the Lua 5.1 ABI (LuaJIT/Neovim); `make run` shows a tour; `make test` runs
# every suite and ends with one line "N passed, N failed".
#
# Missing Debian packages are installed by tools/deps.sh when run as root;
# otherwise it prints the exact apt-get line to run.

VERSION   := 0.1.0
CC        ?= cc
CFLAGS    ?= -O2 -g
WARN      := -std=c99 -Wall -Wextra -Wshadow -Wstrict-prototypes
LUA54_PC  ?= lua5.4
LUA51_PC  ?= lua5.1
LUA       ?= lua5.4
SQLITE_CFLAGS := $(shell pkg-config --cflags sqlite3 2>/dev/null)
SQLITE_LIBS   := $(shell pkg-config --libs sqlite3 2>/dev/null || echo -lsqlite3)

PREFIX    ?= /usr/local
LUA_CMOD  ?= $(PREFIX)/lib/lua/5.4
LUA_LMOD  ?= $(PREFIX)/share/lua/5.4
DESTDIR   ?=

B         := build
DATA      := $(sort $(wildcard data/*.rec data/*/*.rec))
CORE_SRC  := csrc/k2_store.c csrc/k2_search.c csrc/k2_rank.c csrc/k2_units.c csrc/k2_text.c csrc/k2_pk.c csrc/k2_pkdata.c csrc/k2_sample.c
CORE_HDR  := csrc/k2.h csrc/k2_int.h csrc/k2_store_int.h
LUA_SRC   := $(wildcard lua/k2/*.lua)
NVIM_SRC  := $(wildcard lua/k2/nvim/*.lua)

.SECONDARY:
.PHONY: oom fuzz all deps test-deps run test test-c test-lua54 test-luajit test-nvim lint check-abi \
        check-data check-wording valgrind bench install uninstall rock clean

all: $(B)/.deps $(B)/5.4/k2/core.so $(B)/5.1/k2/core.so

deps $(B)/.deps: tools/deps.sh
	@sh tools/deps.sh build
	@mkdir -p $(B) && touch $(B)/.deps

test-deps: $(B)/.test-deps
$(B)/.test-deps: tools/deps.sh
	@sh tools/deps.sh test
	@mkdir -p $(B) && touch $@

# ---------------------------------------------------------------- data → image

$(B)/k2.sql: $(DATA) tools/k2data.lua | $(B)/.deps
	@mkdir -p $(B)
	K2_VERSION=$(VERSION) $(LUA) tools/k2data.lua --sql data > $@.tmp && mv $@.tmp $@

$(B)/k2.db: $(B)/k2.sql
	rm -f $@.tmp
	sqlite3 -bail $@.tmp < $<
	test "$$(sqlite3 $@.tmp 'PRAGMA integrity_check')" = ok
	sqlite3 $@.tmp 'VACUUM'
	mv $@.tmp $@

$(B)/k2_image.c: $(B)/k2.db tools/embed.lua
	$(LUA) tools/embed.lua $< > $@.tmp && mv $@.tmp $@

# ---------------------------------------------------------------- the core, twice

CORE_OBJ := $(patsubst csrc/%.c,$(B)/obj/%.o,$(CORE_SRC)) $(B)/obj/k2_image.o

$(B)/obj/%.o: csrc/%.c $(CORE_HDR) | $(B)/.deps
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(WARN) -fPIC -fvisibility=hidden $(SQLITE_CFLAGS) -c $< -o $@

$(B)/obj/k2_image.o: $(B)/k2_image.c csrc/k2_int.h
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -fPIC -fvisibility=hidden -Icsrc -c $< -o $@

# Written under a temporary name, then moved: a running Neovim that has the
# old .so mapped must never see a half-written file.
BIND_SRC := csrc/lk2.c csrc/lk2_store.c csrc/lk2_pk.c

# The model's inner loops (grid steps, subjects) vectorise at -O3.
$(B)/obj/k2_pk.o: CFLAGS += -O3

$(B)/%/k2/core.so: $(BIND_SRC) csrc/lk2.h $(CORE_OBJ) csrc/k2.h
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(WARN) -fPIC -shared \
	  $(shell pkg-config --cflags $(if $(filter 5.4,$*),$(LUA54_PC),$(LUA51_PC))) \
	  -o $@.tmp $(BIND_SRC) $(CORE_OBJ) $(SQLITE_LIBS) -lm
	mv $@.tmp $@

# ---------------------------------------------------------------- run

run: all
	@sh tools/tour.sh

# ---------------------------------------------------------------- tests

SAN := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all

# One test program per core file (tests/c/test_<file>.c), under ASan and UBSan.
C_TESTS := test_store test_search test_rank test_units test_text test_pkdata test_pk test_sample
$(addprefix $(B)/,$(C_TESTS)): $(B)/%: tests/c/%.c tests/c/check.h $(CORE_SRC) $(CORE_HDR) $(B)/k2_image.c
	$(CC) -O1 -g $(WARN) $(SAN) $(SQLITE_CFLAGS) -Icsrc -o $@ $< \
	  $(CORE_SRC) $(B)/k2_image.c $(SQLITE_LIBS) -lm

$(B)/test_roundtrip: tests/c/test_roundtrip.c tests/c/check.h $(CORE_SRC) $(CORE_HDR) $(B)/k2_image.c
	$(CC) -O2 -g $(WARN) $(SAN) $(SQLITE_CFLAGS) -Icsrc -o $@ tests/c/test_roundtrip.c \
	  $(CORE_SRC) $(B)/k2_image.c $(SQLITE_LIBS) -lm
$(B)/test_pk_random: tests/c/test_pk_random.c tests/c/check.h $(CORE_SRC) $(CORE_HDR) $(B)/k2_image.c
	$(CC) -O2 -g $(WARN) $(SAN) $(SQLITE_CFLAGS) -Icsrc -o $@ tests/c/test_pk_random.c \
	  $(CORE_SRC) $(B)/k2_image.c $(SQLITE_LIBS) -lm

$(B)/test_image: tests/c/test_image.c tests/c/check.h $(CORE_SRC) $(CORE_HDR) $(B)/k2_image.c
	$(CC) -O1 -g $(WARN) $(SAN) $(SQLITE_CFLAGS) -Icsrc -o $@ tests/c/test_image.c \
	  $(CORE_SRC) $(B)/k2_image.c $(SQLITE_LIBS) -lm

# The out-of-memory sweep: core and binding linked in, under ASan and UBSan;
# oom_selftest has a deliberate resource-before-owner bug the sweep must catch.
OOM_SRC := tests/oom/oom.c $(BIND_SRC) $(CORE_SRC) $(B)/k2_image.c
$(B)/oom: $(OOM_SRC) $(CORE_HDR) csrc/lk2.h
	$(CC) -O2 -g -std=c99 -Wall -Wextra $(SAN) $(shell pkg-config --cflags lua5.4) $(SQLITE_CFLAGS) -Icsrc \
	  -o $@ $(OOM_SRC) $(shell pkg-config --libs lua5.4) $(SQLITE_LIBS) -lm
$(B)/oom_selftest: $(OOM_SRC) $(CORE_HDR) csrc/lk2.h
	$(CC) -O2 -g -std=c99 -Wall -Wextra $(SAN) -DK2_OOM_SELFTEST $(shell pkg-config --cflags lua5.4) $(SQLITE_CFLAGS) \
	  -Icsrc -o $@ $(OOM_SRC) $(shell pkg-config --libs lua5.4) $(SQLITE_LIBS) -lm

oom: $(B)/oom $(B)/oom_selftest
	@sh tools/oom.sh

# libFuzzer targets (clang-14 with address and undefined sanitizers); make
# test replays their corpora, make fuzz runs each for FUZZ_SECONDS.
FUZZ_CC      ?= clang-14
FUZZ_SECONDS ?= 60
FUZZ_FLAGS   := -O1 -g -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all -Icsrc $(SQLITE_CFLAGS)
FUZZ_CORE    := $(CORE_SRC) $(B)/k2_image.c
FUZZERS      := $(B)/fuzz_dose $(B)/fuzz_duration $(B)/fuzz_search $(B)/fuzz_lua
$(B)/fuzz_dose: tests/fuzz/fuzz_parse.c $(CORE_SRC) $(CORE_HDR) $(B)/k2_image.c
	$(FUZZ_CC) $(FUZZ_FLAGS) -DTARGET_DOSE -o $@ tests/fuzz/fuzz_parse.c $(FUZZ_CORE) $(SQLITE_LIBS) -lm
$(B)/fuzz_duration: tests/fuzz/fuzz_parse.c $(CORE_SRC) $(CORE_HDR) $(B)/k2_image.c
	$(FUZZ_CC) $(FUZZ_FLAGS) -DTARGET_DURATION -o $@ tests/fuzz/fuzz_parse.c $(FUZZ_CORE) $(SQLITE_LIBS) -lm
$(B)/fuzz_search: tests/fuzz/fuzz_search.c $(CORE_SRC) $(CORE_HDR) $(B)/k2_image.c
	$(FUZZ_CC) $(FUZZ_FLAGS) -o $@ tests/fuzz/fuzz_search.c $(FUZZ_CORE) $(SQLITE_LIBS) -lm
$(B)/fuzz_lua: tests/fuzz/fuzz_lua.c $(BIND_SRC) $(CORE_SRC) $(CORE_HDR) csrc/lk2.h $(B)/k2_image.c
	$(FUZZ_CC) $(FUZZ_FLAGS) $(shell pkg-config --cflags lua5.4) -o $@ tests/fuzz/fuzz_lua.c $(BIND_SRC) \
	  $(FUZZ_CORE) $(shell pkg-config --libs lua5.4) $(SQLITE_LIBS) -lm

fuzz: $(FUZZERS)
	@sh tools/fuzz.sh run $(FUZZ_SECONDS)

test: all $(B)/.test-deps $(addprefix $(B)/,$(C_TESTS)) $(B)/test_pk_random $(B)/test_roundtrip $(B)/test_image $(B)/oom $(B)/oom_selftest $(FUZZERS)
	@sh tools/run-tests.sh

test-c: $(addprefix $(B)/,$(C_TESTS))
	@for t in $(C_TESTS); do ASAN_OPTIONS=detect_leaks=1 $(B)/$$t || exit 1; done

test-lua54: all
	busted --lua=lua5.4 -o utfTerminal tests/lua

test-luajit: all
	busted --lua=luajit -o utfTerminal tests/lua

test-nvim: all
	nvim --headless -u NONE -i NONE -c "luafile tests/nvim/run.lua"

lint:
	luacheck -q lua tests tools k2.lua $(wildcard plugin)
	@for f in $(LUA_SRC) $(NVIM_SRC) plugin/k2.lua k2.lua; do luajit -bl $$f > /dev/null || exit 1; done

check-abi: all
	@sh tools/check-abi.sh

check-data:
	$(LUA) tools/k2data.lua --check data

check-wording:
	$(LUA) tools/copycheck.lua ../shared $$(git ls-files data lua csrc tests tools doc README.md)

valgrind: all $(B)/.test-deps
	@sh tools/run-tests.sh valgrind

$(B)/bench_store: tests/c/bench_store.c $(CORE_SRC) $(CORE_HDR) $(B)/k2_image.c
	$(CC) -O2 $(WARN) $(SQLITE_CFLAGS) -Icsrc -o $@ tests/c/bench_store.c $(CORE_SRC) \
	  $(B)/k2_image.c $(SQLITE_LIBS) -lm

$(B)/bench_pk: tests/c/bench_pk.c $(CORE_SRC) $(CORE_HDR) $(B)/k2_image.c
	$(CC) -O3 $(WARN) $(SQLITE_CFLAGS) -Icsrc -o $@ tests/c/bench_pk.c $(CORE_SRC) \
	  $(B)/k2_image.c $(SQLITE_LIBS) -lm

bench: all $(B)/bench_store $(B)/bench_pk
	@sh tools/deps.sh bench
	@echo "== fact store"
	@$(B)/bench_store
	@$(LUA) tools/bench.lua
	@echo "== pharmacokinetics (shared/notes/pk-peers-and-baselines.md, job B.1)"
	@$(B)/bench_pk | tee $(B)/bench_pk.txt
	@c=$$(sed -n 's/.*median [0-9.]* ms (\([0-9.]*\) ns\/point).*/\1/p' $(B)/bench_pk.txt); \
	  $(LUA) tools/bench_pk.lua $$c; luajit tools/bench_pk.lua $$c
	@/usr/bin/python3 tools/bench_peers.py \
	  $$(sed -n 's/^single: C core best .* median \([0-9.]*\) ms.*/\1/p' $(B)/bench_pk.txt) \
	  $$(sed -n 's/^population: 10000 x 721 points, best .* median \([0-9.]*\) ms.*/\1/p' $(B)/bench_pk.txt)

# ---------------------------------------------------------------- install

install: $(B)/5.4/k2/core.so
	install -d $(DESTDIR)$(LUA_CMOD)/k2 $(DESTDIR)$(LUA_LMOD)/k2 $(DESTDIR)$(PREFIX)/bin
	install -m 755 bin/k2 $(DESTDIR)$(PREFIX)/bin/k2
	install -m 755 $(B)/5.4/k2/core.so $(DESTDIR)$(LUA_CMOD)/k2/core.so.tmp
	mv $(DESTDIR)$(LUA_CMOD)/k2/core.so.tmp $(DESTDIR)$(LUA_CMOD)/k2/core.so
	install -m 644 $(LUA_SRC) $(DESTDIR)$(LUA_LMOD)/k2/
	install -d $(DESTDIR)$(LUA_LMOD)/k2/nvim
	install -m 644 $(NVIM_SRC) $(DESTDIR)$(LUA_LMOD)/k2/nvim/

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/k2
	rm -f $(DESTDIR)$(LUA_CMOD)/k2/core.so
	rm -f $(addprefix $(DESTDIR)$(LUA_LMOD)/k2/,$(notdir $(LUA_SRC)))

# LuaRocks builds in the source tree; its objects are removed afterwards.
rock: $(B)/k2_image.c
	luarocks --lua-version=5.4 --tree=$(B)/rocks-5.4 make k2-scm-1.rockspec
	rm -rf k2 csrc/*.o $(B)/k2_image.o
	luarocks --lua-version=5.1 --tree=$(B)/rocks-5.1 make k2-scm-1.rockspec
	rm -rf k2 csrc/*.o $(B)/k2_image.o

clean:
	rm -rf $(B)
