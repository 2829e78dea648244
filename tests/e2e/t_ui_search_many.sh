#!/usr/bin/env bash
# More hits than the list shows: "50+ hits — type more", PgDn scrolls the
# results (the ^ marker shows rows above), and typing more narrows to one.
source "$(dirname "$0")/lib.sh"

PW="reception-password-42"
make_registry
add_user reception reception "$PW"
add_client() {
    "$RK" client add "$@" --user reception --password-fd 3 3<<<"$PW" >/dev/null ||
        fail "client add $* failed"
}
for ((i = 0; i < 50; i++)); do
    add_client --set first_names=Anna --set last_name=Moilanen
done
add_client --set first_names=Ville --set last_name=Moilanen

start 80 24 -- "$RK"
login reception "$PW"
expect "Search:"
type_text moilanen
expect "50+ hits — type more"
expect "Moilanen, Anna"

# Rows above the view once scrolled: the marker at the list's top right.
marker() { screen | sed -n 7p | grep -q '\^ *│$'; }
marker && fail "scroll marker before scrolling"
keys PageDown PageDown PageDown PageDown
for ((i = 0; i < 40; i++)); do marker && break; sleep 0.05; done
marker || fail "PgDn did not scroll the results"

type_text " v"
expect "1 hit"
expect "Moilanen, Ville"
expect_not "Moilanen, Anna"
keys Enter
expect "Moilanen, Ville, customer number"
keys Escape
expect "1 hit"
keys F10
expect "<<exit 0>>"
