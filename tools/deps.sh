#!/bin/sh
# deps.sh — the Debian packages k2 needs.
#   sh tools/deps.sh [check] build   compiler, SQLite, Lua 5.4 and 5.1 headers, LuaJIT
#   sh tools/deps.sh [check] test    + Neovim, busted, luacheck, valgrind, LuaRocks, clang
#   sh tools/deps.sh [check] bench   + hyperfine, SciPy
# With "check" (what plain `make` runs) it only reports: it names what is
# missing and the apt-get line that gets it, and fails. Without it, as
# root, it installs what is missing (`make run`, `make test`, .ci/run); not
# as root it reports like check. On a system without dpkg it only checks commands.
set -eu
install=yes
if [ "${1:-}" = check ]; then install=no; shift; fi
build="gcc make pkg-config libsqlite3-dev sqlite3 lua5.4 liblua5.4-dev liblua5.1-0-dev luajit lua-dkjson"
test="neovim lua-busted lua-check valgrind luarocks tmux locales lua-cjson bsdutils clang-14 libclang-rt-14-dev zip unzip"
case "${1:-build}" in
  build) want="$build" ;;
  test) want="$build $test" ;;
  bench) want="$build hyperfine python3-scipy python3-numpy" ;;
  *) echo "usage: deps.sh [check] build|test|bench" >&2; exit 2 ;;
esac

if ! command -v dpkg-query >/dev/null 2>&1; then
  for c in cc pkg-config sqlite3 lua5.4 luajit; do
    command -v "$c" >/dev/null 2>&1 || { echo "k2: missing command '$c'" >&2; exit 1; }
  done
  exit 0
fi

# The locale tests need a decimal-comma locale; generate it when we may.
ensure_locale() {
  [ "${1:-build}" = test ] || return 0
  locale -a 2>/dev/null | grep -qi '^de_DE\.utf-\?8$' && return 0
  if [ $install = yes ] && [ "$(id -u)" = 0 ] && [ -f /etc/locale.gen ]; then
    sed -i 's/^# *\(de_DE\.UTF-8 UTF-8\)/\1/' /etc/locale.gen
    grep -q '^de_DE.UTF-8 UTF-8' /etc/locale.gen || echo 'de_DE.UTF-8 UTF-8' >> /etc/locale.gen
    locale-gen >/dev/null 2>&1 || echo "k2: locale-gen failed; the locale tests will be skipped" >&2
  else
    echo "k2: de_DE.UTF-8 locale missing; the locale tests will be skipped (as root: locale-gen)" >&2
  fi
}

# The USDA table test re-extracts data/food from Debian's cronometer package:
# fetch its .deb (never install it: it pulls in Java) when we may.
fetch_food_deb() {
  [ "${1:-build}" = test ] && [ $install = yes ] && [ "$(id -u)" = 0 ] || return 0
  ls build/cronometer_*.deb >/dev/null 2>&1 && return 0
  mkdir -p build
  (cd build && { apt-get download cronometer >/dev/null 2>&1 ||
    { apt-get update -qq && apt-get download cronometer >/dev/null 2>&1; }; }) ||
    echo "k2: the cronometer .deb could not be fetched; the USDA re-extraction test will be skipped" >&2
}

missing=""
for p in $want; do
  status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  case "$status" in *"install ok installed"*) ;; *) missing="$missing $p" ;; esac
done
if [ -z "$missing" ]; then ensure_locale "${1:-build}"; fetch_food_deb "${1:-build}"; exit 0; fi

if [ $install = yes ] && [ "$(id -u)" = 0 ]; then
  echo "k2: installing missing Debian packages:$missing" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  # shellcheck disable=SC2086
  apt-get install -y -qq --no-install-recommends $missing >&2
  ensure_locale "${1:-build}"
  fetch_food_deb "${1:-build}"
else
  echo "k2: missing Debian packages:$missing" >&2
  if [ "$(id -u)" = 0 ]; then echo "k2: get them with:  apt-get install -y$missing" >&2
  else echo "k2: get them with:  sudo apt-get install -y$missing" >&2; fi
  [ $install = no ] && echo "k2: (or run 'make run' / 'make test' as root, which installs them)" >&2
  exit 1
fi
