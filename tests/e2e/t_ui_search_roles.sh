#!/usr/bin/env bash
# What each role sees of the same client: reception the henkilötunnus
# masked (131052-****) in the results and on the card, the data protection
# officer the whole code; the administrator's home has no client search, and
# `rekisteri show` as admin is refused with exit status 4.
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
expect "131052-****"
expect_not "308T"
keys Enter
expect "Mäkinen, Anna, customer number"
expect "Personal identity code: 131052-****"
expect_not "308T"
keys F10
expect "<<exit 0>>"

t_tmux kill-session -t =t
start 80 24 -- "$RK"
login tiina "$DPW"
expect "Search:"
type_text mäkinen
expect "1 hit"
expect "131052-308T"
keys Enter
expect "Mäkinen, Anna, customer number"
expect "Personal identity code: 131052-308T"
keys F10
expect "<<exit 0>>"

t_tmux kill-session -t =t
start 80 24 -- "$RK"
login admin "$ADMIN_PW"
expect "Anna Admin (Administrator)"
expect "Last login"
expect_not "Search:"
expect_not "Mäkinen"
keys F10
expect "<<exit 0>>"

out=$("$RK" show 131052-308T --user admin --password-fd 3 3<<<"$ADMIN_PW" 2>&1)
rc=$?
[ "$rc" -eq 4 ] || fail "rekisteri show as admin: exit $rc, expected 4 ($out)"
case "$out" in *308T*) fail "rekisteri show as admin printed the code: $out" ;; esac
exit 0
