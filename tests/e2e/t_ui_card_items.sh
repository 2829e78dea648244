#!/usr/bin/env bash
# The card's list item forms with a date (dpo): an event (date, kind, text)
# and a data source (source, date, note) added with F3, a wrong date refused
# at the date, then saved with the card.
source "$(dirname "$0")/lib.sh"

DPW="dpo-officer-password-42"
make_registry
add_user tiina dpo "$DPW"
rk_as tiina "$DPW" client add --set first_names=Anna --set last_name=Mäkinen \
    --set hetu=131052-308T >/dev/null || fail "client add"
TODAY=$(date +%d.%m.%Y)

open_card tiina "$DPW" mäkinen
keys F8 F8 F8 F8 F8
expect "Service use, purchases, feedback and contacts:"
keys F3
expect "Add an event"
expect "Date: $TODAY"
expect "Kind: ◂ service used"
keys Right              # service used -> cancellation
expect "cancellation"
keys Tab
type_text "Peruttu puhelimessa"
keys Up Up C-u
type_text "31.2.2026"
keys F2
expect "Day 31 does not exist in February 2026."
keys C-u
type_text "1.11.2026"
keys F2
expect "Added to the card; F2 saves the card."
expect "01.11.2026 cancellation: Peruttu puhelimessa"
keys F8 F8
expect "Where the data came from:"
keys F3
expect "Add a data source"
expect "Source: ◂ the client"
keys Right              # the client -> population register
expect "population register"
keys Tab Tab
type_text "VTJ-kysely"
keys F2
expect "Added to the card; F2 saves the card."
expect "$TODAY population register: VTJ-kysely"
keys F2
expect "version 2, saved by tiina"
out=$(rk_as tiina "$DPW" show 100001)
grep -qF "cancellation" <<<"$out" || fail "event not saved: $out"
grep -qF "VTJ-kysely" <<<"$out" || fail "source not saved: $out"
keys F10
expect "<<exit 0>>"
