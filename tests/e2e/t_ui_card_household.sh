#!/usr/bin/env bash
# Household links on the card (reception): F3 on the household list asks the
# relation and the other client's customer number or identity code; an
# unknown number is refused in the form with the reason; the saved link shows
# the other's name and number, the other client's card shows it too (read
# only), and the command line adds one the same way.
source "$(dirname "$0")/lib.sh"

RPW="reception-password-42"
make_registry
add_user riikka reception "$RPW"
for c in "Anna Mäkinen 131052-308T" "Pekka Virtanen 010190-901R" "Liisa Lahtinen 020285-902X"; do
    set -- $c
    rk_as riikka "$RPW" client add --set first_names="$1" --set last_name="$2" --set hetu="$3" \
        >/dev/null || fail "client add $2"
done

open_card riikka "$RPW" mäkinen
keys F8 F8 F8 F8
expect "Household members:"
keys F3
expect "Add a household member"
expect "Relation"
expect "Client no. or ID code"
bar_has F2 Esc
keys Right              # spouse or partner -> child
expect "child"
keys Tab
type_text 100099
keys F2
expect 'No client has the number or code "100099".'
expect "Client no. or ID code"
keys C-u
type_text 100002
keys F2
expect "Added to the card; F2 saves the card."
expect "child: Virtanen, Pekka (100002)"
expect "* unsaved changes"
keys F2
expect "Saved: customer number 100001."
expect "version 2, saved by riikka"
expect "child: Virtanen, Pekka (100002)"
keys Escape
# Pekka's card shows the link Anna's card holds; it is removed there, not here.
search_open virtanen
expect "Virtanen, Pekka, customer number 100002"
keys F8 F8 F8 F8
expect "Mäkinen, Anna (100001) lists this client as: child"
keys F4
expect "That link is on the other client's card; remove it there."
expect_not "* unsaved changes"
keys Escape
expect "Search:"
keys F10
expect "<<exit 0>>"

# The command line: the same link by identity code; a wrong relation refused.
rk_as riikka "$RPW" client edit 100001 --add household=guardian:020285-902X >/dev/null ||
    fail "client edit --add household"
out=$(rk_as riikka "$RPW" client edit 100001 --add household=cousin:100002 2>&1) &&
    fail "a relation outside the list was accepted"
grep -q "Household members" <<<"$out" || fail "no field named in: $out"
out=$(rk_as riikka "$RPW" client edit 100001 --add household=100002 2>&1) &&
    fail "a link without a relation was accepted"
grep -qF "RELATION:CLIENT" <<<"$out" || fail "usage not explained: $out"
show=$(rk_as riikka "$RPW" show 100001)
grep -qF "Virtanen, Pekka (100002)" <<<"$show" || fail "show lacks the first link: $show"
grep -qF "Lahtinen, Liisa (100003)" <<<"$show" || fail "show lacks the second link: $show"
