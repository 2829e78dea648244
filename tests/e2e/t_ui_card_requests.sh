#!/usr/bin/env bash
# The card's requests tab (reception): the person's requests with their due
# dates, an overdue one marked with "!", and a client with none says so.
source "$(dirname "$0")/lib.sh"

RPW="reception-password-42"
make_registry
add_user riikka reception "$RPW"
rk_as riikka "$RPW" client add --set first_names=Anna --set last_name=Mäkinen \
    --set hetu=131052-308T >/dev/null || fail "client add Anna"
rk_as riikka "$RPW" client add --set first_names=Pekka --set last_name=Virtanen \
    --set hetu=010190-901R >/dev/null || fail "client add Pekka"
# Received long ago: overdue. Received today: due in a month.
rk_as riikka "$RPW" request add 100001 --kind access --channel letter --verified passport \
    --received 1.9.2025 >/dev/null || fail "request add (old)"
rk_as riikka "$RPW" request add 100001 --kind erasure --channel email --verified passport \
    >/dev/null || fail "request add (today)"
TODAY=$(date +%d.%m.%Y)

open_card riikka "$RPW" mäkinen
keys F7
expect "! #1 01.09.2025 Access to own data (GDPR 15), due 01.10.2025: open"
screen | grep -qF "! #2" && fail "the request received today is marked overdue"
expect "#2 $TODAY Erasure (GDPR 17), due"
bar_has F2 Esc
keys Escape
search_open virtanen
expect "Virtanen, Pekka"
keys F7
expect "No requests registered for this client."
keys F10
expect "<<exit 0>>"
