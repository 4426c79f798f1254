#!/bin/sh
# tour.sh — `make run`: a short tour of k2 on the built-in data, through the
# command line (bin/k2): doses for an adult and a child (where the sources
# disagree), timing, a safety check for a warfarin user, MK-4 against MK-7
# after one dose, MK-7 building up over 30 days with its steady state, and a
# search.
set -e
cd "$(dirname "$0")/.."
show() {
  printf '\n== %s\n$ k2 %s\n' "$1" "$2"
  shift
  eval "bin/k2 $1"
}
show "how much for an adult" "dose MK-7 --age 40"
show "and for a 10-year-old, where a label disagrees with the seed" "dose K2 --age 10"
show "when to take it" "timing MK-7"
show "is it safe with warfarin" "check MK-4 45mg --age 70 --meds warfarin"
show "MK-4 against MK-7 after one 180 µg dose" "pk MK-4 180ug --compare MK-7 --duration 3d --height 10"
show "MK-7 every morning for 30 days" "pk MK-7 180ug --every 24h --days 30 --height 10"
show "its steady state" "pk MK-7 180ug --every 24h --steady"
show "a search" "search menadione --limit 3"
printf '\nMore: bin/k2 help, bin/k2 repl, lua5.4 -i -l k2\n'
