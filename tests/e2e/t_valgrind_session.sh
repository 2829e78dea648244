#!/usr/bin/env bash
# The TUI under valgrind memcheck (RELIABILITY.md): log in, search, open a
# card, edit a field, add a household link, look at the requests tab, save,
# back, quit -- with no memcheck errors and no
# definitely lost memory (--errors-for-leak-kinds=definite makes those
# errors, --error-exitcode makes them fail the program). No suppression
# file: none is needed (ncurses, SQLCipher, libsodium and jansson run clean).
source "$(dirname "$0")/lib.sh"
command -v valgrind >/dev/null || fail "valgrind is missing (scripts/ensure-deps installs it)"

RPW="reception-password-42"
make_registry
add_user reception reception "$RPW"
"$RK" client add --set first_names=Anna --set last_name=Mäkinen --set hetu=131052-308T \
    --user reception --password-fd 3 3<<<"$RPW" >/dev/null || fail "client add failed"
"$RK" client add --set first_names=Pekka --set last_name=Virtanen --set hetu=010190-901R \
    --user reception --password-fd 3 3<<<"$RPW" >/dev/null || fail "client add failed"

VG="valgrind --tool=memcheck --leak-check=full --errors-for-leak-kinds=definite --error-exitcode=99"
VG="$VG --log-file=$WORK/memcheck.log"
start 80 24 -- $VG "$RK"
expect "Username" 60
login reception "$RPW"
expect "Search:" 60
type_text mäkinen
expect "1 hit" 30
keys Enter
expect "version 1, saved by reception" 30
keys F8
expect "Street address:" 30
type_text "Valgrindinkatu 1"
expect "* unsaved changes" 30
keys F8 F8 F8
expect "Household members:" 30
keys F3
expect "Add a household member" 30
keys Tab
type_text 100002
keys F2
expect "Added to the card" 30
keys F7 F7 F7 F7 F7     # back past Identity to the last tab
expect "No requests registered for this client." 30
keys F2
expect "version 2, saved by reception" 30
keys Escape
expect "Search: mäkinen" 30
keys F10
expect "<<exit" 60
log=$WORK/memcheck.log
grep -q "<<exit 0>>" <<<"$(screen)" || { cat "$log"; fail "valgrind or the program failed (exit code on screen)"; }
grep -q "ERROR SUMMARY: 0 errors" "$log" || { cat "$log"; fail "memcheck reported errors"; }
if grep -q "definitely lost:" "$log"; then
    grep -q "definitely lost: 0 bytes in 0 blocks" "$log" || { cat "$log"; fail "definite leaks"; }
fi
# The figures for RELIABILITY.md.
grep -E "ERROR SUMMARY|definitely lost|indirectly lost|possibly lost|still reachable|All heap blocks|total heap usage|suppressed:" "$log" |
    sed 's/^==[0-9]*== *//'
