#!/usr/bin/env bash
# The client card: a field edited and saved is there when the card is opened
# again; Esc on a modified card asks "Discard changes? (y/n)" (n keeps the
# edit, y drops it); an invalid henkilötunnus is refused with its message at
# the field, and nothing is saved. Phone numbers are added in a sub-form
# (a bad number refused there) and removed with F4.
source "$(dirname "$0")/lib.sh"

RPW="reception-password-42"
DPW="dpo-officer-password-42"
make_registry
add_user reception reception "$RPW"
add_user tiina dpo "$DPW"
"$RK" client add --set first_names=Anna --set last_name=Mäkinen --set hetu=131052-308T \
    --add phones=mobile:0401234567 --user reception --password-fd 3 3<<<"$RPW" >/dev/null ||
    fail "client add failed"

start 80 24 -- "$RK"
login reception "$RPW"
expect "Search:"
type_text mäkinen
expect "1 hit"
keys Enter
expect "Mäkinen, Anna, customer number"
expect "version 1, saved by reception"

# The Contact tab; the cursor starts on its first field, the street.
keys F8
expect "Street address:"
expect "+358401234567 (mobile)"
type_text "Mannerheimintie 1 A"
expect "* unsaved changes"
keys F2
expect "Saved: customer number"
expect "version 2, saved by reception"
expect_not "* unsaved changes"

# Phone numbers: a sub-form adds one (a bad number refused at its field),
# F4 removes the selected one.
keys Tab Tab Tab Tab    # street -> postcode -> post office -> country -> phones
expect "F3 adds an item"
keys F3
expect "Add a phone number"
type_text 040-12ab; keys Enter
expect "contains the letter a"
keys C-u
type_text "050 555 1234"; keys Enter
expect "+358505551234 (mobile)"
keys Up F4
expect "Item removed from the card"
expect_not "+358401234567"
keys F2
expect "version 3, saved by reception"
expect "+358505551234 (mobile)"
expect_not "+358401234567"

# Esc, then the card again from the search.
keys Escape
expect "Search: mäkinen"
keys Enter
expect "version 3, saved by reception"
keys C-PageDown
expect "Street address:"
expect "Mannerheimintie 1 A"

# A change, then Esc: asked first; n keeps the card and the edit.
type_text "x"
keys Escape
expect "Discard changes? (y/n)"
keys n
expect "* unsaved changes"
expect "Mannerheimintie 1 Ax"
keys Escape
expect "Discard changes? (y/n)"
keys y
expect "Search: mäkinen"
keys Enter
keys F8
expect "Mannerheimintie 1 A"
expect_not "Mannerheimintie 1 Ax"
keys Escape
expect "Search:"
keys F10
expect "<<exit 0>>"

# The data protection officer may change the code: a wrong check character
# is refused at the field, and the card stays at version 3.
t_tmux kill-session -t =t
start 80 24 -- "$RK"
login tiina "$DPW"
expect "Search:"
type_text mäkinen
expect "1 hit"
keys Enter
expect "Personal identity code: 131052-308T"
keys Tab Tab           # first names -> last name -> personal identity code
keys C-u
type_text 131052-308X
keys F2
expect "should be T."
expect "Not saved:"
expect "version 3, saved by reception"
keys Escape
expect "Discard changes? (y/n)"
keys y
expect "Search: mäkinen"
keys Enter
expect "Personal identity code: 131052-308T"
expect "version 3, saved by reception"
keys F10
expect "<<exit 0>>"
