#!/usr/bin/env bash
# A new client from the search screen (F2): an empty card refuses to save
# without names, with the message at the field; a henkilötunnus already in
# the register opens that client's card instead of a twin; a proper card is
# created and found by the search; the same name and birth date again asks
# "open it / create anyway".
source "$(dirname "$0")/lib.sh"

PW="reception-password-42"
make_registry
add_user reception reception "$PW"
"$RK" client add --set first_names=Anna --set last_name=Mäkinen --set hetu=131052-308T \
    --user reception --password-fd 3 3<<<"$PW" >/dev/null || fail "client add failed"

start 80 24 -- "$RK"
login reception "$PW"
expect "Search:"

# Empty card: the first names are required.
keys F2
expect "New client"
expect "Not saved yet"
keys F2
expect "This field is required."
expect "Not saved: First names: this field is required."

# The code of a client already in the register: that card opens.
type_text Anneli; keys Tab
type_text Mäkinen; keys Tab
type_text 131052-308T
keys F2
expect "the identity code is already in the register; here is that card"
expect "Mäkinen, Anna, customer number"
expect "131052-****"
keys Escape
expect "Search:"

# A new client, saved; the code is masked once it is stored.
keys F2
expect "New client"
type_text Eino; keys Tab
type_text Leino; keys Tab
type_text 220290-789F; keys Tab
expect "22.02.1990"       # the birth date follows from the code, as dd.mm.yyyy
keys F2
expect "Client added: customer number"
expect "Leino, Eino, customer number"
expect "version 1, saved by reception"
expect "220290-****"
keys Escape
type_text leino
expect "1 hit"
expect "Leino, Eino"

# Same names and birth date, no code: asked first; "open it" shows Eino's card.
keys Escape
keys F2
expect "New client"
type_text Eino; keys Tab
type_text Leino; keys Tab Tab
type_text 22.2.1990
keys F2
expect "A client with the same name and birth date exists"
expect "Open it"
expect "Create"
keys o
expect "Leino, Eino, customer number"
expect "220290-****"
keys Escape
expect "Search:"

# And "create anyway" makes a second card.
keys F2
type_text Eino; keys Tab
type_text Leino; keys Tab Tab
type_text 22.2.1990
keys F2
expect "A client with the same name and birth date exists"
keys c
expect "Client added: customer number"
keys Escape
keys Escape
type_text leino
expect "2 hits"
keys F10
expect "<<exit 0>>"
