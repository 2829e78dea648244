#!/usr/bin/env bash
# The registered person's rights in the TUI: reception registers an access
# request on the card (Ctrl-G) and sees it on the card's requests tab; the dpo's desk (F5) lists it with its due date,
# writes the access report to files (text and JSON, dates dd.mm.yyyy) and
# closes the request with a decision; the audit log viewer verifies the
# chain, filters by user and client and opens an event; the retention
# review lists an expired call note and deletes it after a confirmation; a restricted client's card shows the
# banner; the dpo erases a client from the card (Ctrl-X) after typing the customer
# number again, and the client is gone from search and from the database.
source "$(dirname "$0")/lib.sh"

RPW="reception-password-42"
DPW="dpo-officer-password-42"
make_registry
add_user riikka reception "$RPW"
add_user tiina dpo "$DPW"
rk_dpo() { "$RK" --user tiina --password-fd 3 "$@" 3<<<"$DPW"; }
rk_dpo client add --set first_names=Anna --set last_name=Mäkinen --set hetu=131052-308T \
    --add phones=mobile:0401234567 >/dev/null || fail "client add Anna"
rk_dpo client add --set first_names=Pekka --set last_name=Virtanen --set hetu=010190-901R \
    >/dev/null || fail "client add Pekka"
rk_dpo client add --set first_names=Liisa --set last_name=Poistettava --set hetu=020285-902X \
    --add emails=personal:liisa.poistettava@example.com >/dev/null || fail "client add Liisa"
rk_dpo calls add 100002 --number 0401112223 --direction in --purpose verify --duration 30 \
    --summary "Vanha puhelu" --at 2020-01-01T10:00:00Z --keep-until 1.6.2020 >/dev/null ||
    fail "old call note"
REPORTS="$WORK/reports"
mkdir -m 700 "$REPORTS"
TODAY=$(date +%d.%m.%Y)

# Reception registers an access request at the desk, from the card.
start 100 30 -- "$RK"
login riikka "$RPW"
expect "Search:"
type_text mäkinen
expect "1 hit"
keys Enter
expect "Mäkinen, Anna, customer number 100001"
keys C-g
expect "Register a request"
expect "Access to own data (GDPR 15)"
keys Tab Tab            # kind -> channel -> identity
type_text "passport seen at the desk"
keys F2
expect "Registered request 1; the answer is due"
expect "Mäkinen, Anna, customer number 100001"
keys C-g                # the form lists the person's requests so far
expect "Requests so far:"
expect "#1 $TODAY Access to own data (GDPR 15), due"
keys Escape
expect "No request registered."
keys F7                 # the tab before Identity: the person's requests
expect "#1 $TODAY Access to own data (GDPR 15), due"
expect ": open"
expect "registers a request; the data protection officer answers it."
expect_not "Customer number:"
keys F8
expect "Customer number:"
keys F10
expect "<<exit 0>>"
t_tmux kill-session -t =t

# The dpo's desk: the request by due date, its report to files, closed.
start 100 30 -- env REKISTERI_REPORT_DIR="$REPORTS" "$RK"
login tiina "$DPW"
expect "Search:"
keys F5
expect "1 open requests by due date, 0 overdue"
expect "#1"
expect "Access to own data (GDPR 15)"
expect "$TODAY"
keys r
expect "Wrote $REPORTS/rekisteri-100001-access-r1.txt"
TXT="$REPORTS/rekisteri-100001-access-r1.txt"
[ -f "$TXT" ] && [ -f "$REPORTS/rekisteri-100001-access-r1.json" ] || fail "report files missing"
[ "$(stat -c %a "$TXT")" = 600 ] || fail "report file mode $(stat -c %a "$TXT")"
grep -q "Report of personal data (GDPR Art. 15)" "$TXT" || fail "report heading: $(head -3 "$TXT")"
grep -q "Last name: Mäkinen" "$TXT" || fail "report lacks the name"
grep -q "Birth date: 13.10.1952" "$TXT" || fail "report date not dd.mm.yyyy"
grep -q "+358401234567" "$TXT" || fail "report lacks the phone"
grep -q '"schema": "rekisteri.access/1"' "$REPORTS/rekisteri-100001-access-r1.json" || fail "json schema"
keys d
expect "Closing request #1"
keys Tab
type_text "Report handed over at the desk"
keys F2
expect "Request 1 closed: granted."
expect "No open requests."

# The audit log from the desk: verified, filtered by user, one event opened.
keys a
expect "events, newest first: all events"
expect "Data subject request closed"
keys v
expect "The audit chain is intact"
keys f
expect "Filter the audit log"
type_text riikka
keys Tab
type_text 100001
keys F2
expect "events, newest first: riikka, 100001"
expect "Data subject request registered"
expect_not "Data subject request closed"
keys Enter
expect "Sequence"
expect "Requests register read (requests_read)"
expect "Previous hash"
keys Escape
expect "newest first"
keys Escape
expect "No open requests."

# The retention review: an old call note is due; applied after a yes.
keys t
expect "1 items due under the retention rules"
expect "100002    01.06.2020       call note past its keep-until date"
keys x
expect "Erase and delete the 1 items listed?"
keys Enter
expect "Applied: 0 clients erased, 1 call notes deleted, 0 legal holds ended."
expect "Nothing is due."
keys Escape
expect "No open requests."
keys Escape
expect "Search:"

# The card's requests tab shows the decision.
search_open mäkinen
expect "Mäkinen, Anna, customer number 100001"
keys F7
expect "#1 $TODAY Access to own data (GDPR 15), due"
expect ": granted"
keys Escape
expect "Search:"

# Restriction: the card carries the banner.
rk_dpo restrict 100002 >/dev/null || fail "restrict"
search_open virtanen
expect "Virtanen, Pekka"
expect "! PROCESSING RESTRICTED (GDPR 18)"
keys Escape
expect "Search:"

# Erasure from the card: a wrong number erases nothing, the right one does.
search_open poistettava
expect "Poistettava, Liisa, customer number 100003"
keys C-x
expect "Customer number again"
type_text 100001
keys F2
expect "nothing was erased"
keys C-u
type_text 100003
keys F2
expect "Customer 100003 erased."
expect "Search:"
keys C-u
type_text poistettava
expect "No client matches."
keys F10
expect "<<exit 0>>"

out=$(rk_dpo report access 100003) || fail "access report after erasure"
case "$out" in *Poistettava*|*liisa.poistettava*|*020285*) fail "erased data still reported: $out" ;; esac
grep -q "The data was erased on $TODAY" <<<"$out" || fail "erasure not reported: $out"
rk_dpo request list --all | grep -qE "^1	100001	access	.*	granted	" || fail "request not closed: $(rk_dpo request list --all)"
exit 0
