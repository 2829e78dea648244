#!/usr/bin/env bash
# Reception's home is the client search: typing a name letter by letter
# narrows the list on every key (with and without diacritics), Esc clears,
# Enter opens the selected card; at 80x24 a long name is cut, on a wider
# terminal the column widens to show it.
source "$(dirname "$0")/lib.sh"

PW="reception-password-42"
make_registry
add_user reception reception "$PW"
add_client() {
    "$RK" client add "$@" --user reception --password-fd 3 3<<<"$PW" >/dev/null ||
        fail "client add $* failed"
}
add_client --set first_names="Anna Maria Kristiina Eveliina" --set last_name=Mäkinen \
    --set hetu=131052-308T --add phones=mobile:0401234567
add_client --set first_names=Ville --set last_name=Mäkinen --set hetu=010180-1232
add_client --set first_names=Aino --set last_name=Mäkelä --set hetu=150375-4565
add_client --set first_names=Bertta --set last_name=Virtanen

start 80 24 -- "$RK"
login reception "$PW"
expect "Search:"
expect "Type a name"
expect "F2New"

# One letter at a time; the count and the rows follow each key.
type_text m
expect "3 hits"
expect "Mäkelä, Aino"
expect "Mäkinen, Ville"
expect_not "Virtanen"
type_text ä
expect "3 hits"
type_text k
expect "3 hits"
type_text i
expect "2 hits"
expect_not "Mäkelä"
type_text n
expect "2 hits"
type_text "en a"
expect "1 hit"
expect "Mäkinen, Anna"
expect_not "Mäkinen, Ville"
# Masked for reception, birth date as d.m.yyyy.
expect "131052-****"
expect "13.10.1952"
# The long name does not fit at 80 columns.
expect_not "Anna Maria Kristiina Eveliina"

# Esc empties the search.
keys Escape
expect "Type a name"
expect_not "Mäkinen"

# Without diacritics.
type_text makinen
expect "2 hits"
expect "Mäkinen, Ville"
expect_not "Mäkelä"

# Down selects the second row; Enter opens its card.
keys Down Enter
expect "Mäkinen, Ville, customer number"
expect "010180-****"
expect "Identity"
keys Escape
expect "Search: makinen"
expect "2 hits"

# Wider terminal: the name column grows and shows the whole name.
t_tmux resize-window -t =t: -x 130 -y 30
expect "Mäkinen, Anna Maria Kristiina Eveliina"
expect "Post office"
keys F10
expect "<<exit 0>>"
