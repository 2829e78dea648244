#!/usr/bin/env bash
# Consents, call notes and marketing exports from the command line: cells set
# with a source and seen in the grid and its history; a withdrawal removes the
# person from the next `export marketing`; exports land in the disclosure
# register; a call note with Finnish text and a long pasted summary, amended
# by its author only; billing cannot list notes (exit 4); `calls expired`.
# The commands' own options follow "--" (global options come before it).
source "$(dirname "$0")/lib.sh"
make_registry

RPW="reception-password-42"; BPW="billing-password-42"; MPW="marketing-password-42"
DPW="dpo-officer-password-42"; R2PW="reception2-password-42"
add_user riikka reception "$RPW"
add_user raimo reception "$R2PW"
add_user lasse billing "$BPW"
add_user maija marketing "$MPW"
add_user tiina dpo "$DPW"

want_rc() {  # want_rc CODE DESCRIPTION -- command...
    local want=$1 what=$2; shift 3
    "$@" >"$WORK/out" 2>"$WORK/err"; local rc=$?
    [ "$rc" = "$want" ] || fail "$what: exit $rc, want $want; stderr: $(cat "$WORK/err")"
}

ANNA=131052-308T; PEKKA=010190-901R; LIISA=020285-902X
rk_as tiina "$DPW" client add --set first_names=Anna --set last_name=Mäkinen --set hetu=$ANNA \
    --add phones=mobile:0401234567 --add emails=personal:anna@example.com >/dev/null || fail "client add Anna"
rk_as tiina "$DPW" client add --set first_names=Pekka --set last_name=Virtanen --set hetu=$PEKKA \
    --add emails=personal:pekka@example.com >/dev/null || fail "client add Pekka"
rk_as tiina "$DPW" client add --set first_names=Liisa --set last_name=Korhonen --set hetu=$LIISA \
    --set popreg_bans=direct_marketing --add emails=personal:liisa@example.com >/dev/null ||
    fail "client add Liisa"

# Cells set together with one source; the grid shows them with since dates.
want_rc 0 "consent set Anna" -- rk_as riikka "$RPW" consent set $ANNA \
    --cell direct_marketing:email=allowed --cell newsletter:sms=denied --source web_form --note "Lomake 12"
grep -q "Recorded 2 consent changes" "$WORK/out" || fail "consent set output: $(cat "$WORK/out")"
want_rc 0 "consent set Pekka" -- rk_as riikka "$RPW" consent set $PEKKA \
    --cell direct_marketing:email=allowed --source in_person
want_rc 0 "consent set Liisa" -- rk_as riikka "$RPW" consent set $LIISA \
    --cell direct_marketing:email=allowed --source letter
want_rc 0 "consent show" -- rk_as maija "$MPW" consent show $ANNA
grep -qE "^direct_marketing +allowed +unknown" "$WORK/out" || fail "grid: $(cat "$WORK/out")"
grep -qE "^newsletter +unknown +denied" "$WORK/out" || fail "grid newsletter: $(cat "$WORK/out")"
grep -qE "direct_marketing:email +allowed +[0-3][0-9]\.[01][0-9]\.20[0-9]{2} [0-2][0-9]\.[0-5][0-9] riikka web_form" "$WORK/out" ||
    fail "since date: $(cat "$WORK/out")"
want_rc 2 "unknown cell" -- rk_as riikka "$RPW" consent set $ANNA --cell direct_marketing:fax=allowed --source letter
want_rc 2 "option of another command" -- rk_as riikka "$RPW" consent show $ANNA --source letter
grep -q -- "--source does not apply to \"rekisteri consent show\"" "$WORK/err" || fail "option check: $(cat "$WORK/err")"
want_rc 2 "single option twice" -- rk_as riikka "$RPW" consent set $ANNA --cell research:email=allowed --source letter --source email
grep -q -- "--source is given twice" "$WORK/err" || fail "twice: $(cat "$WORK/err")"
want_rc 2 "missing source" -- rk_as riikka "$RPW" consent set $ANNA --cell direct_marketing:email=allowed
want_rc 4 "billing sets a consent" -- rk_as lasse "$BPW" consent set $ANNA --cell direct_marketing:email=denied --source letter
want_rc 4 "marketing grants a consent" -- rk_as maija "$MPW" consent set $ANNA --cell research:email=allowed --source letter

# The first export: Anna and Pekka; Liisa has the population register's ban.
want_rc 0 "export 1" -- rk_as maija "$MPW" export marketing --purpose direct_marketing --channel email
grep -q "Mäkinen" "$WORK/out" || fail "export 1 lacks Anna: $(cat "$WORK/out")"
grep -q "Virtanen" "$WORK/out" || fail "export 1 lacks Pekka"
grep -q "Korhonen" "$WORK/out" && fail "export 1 has Liisa (population register ban)"
grep -q "131052" "$WORK/out" && fail "marketing export shows a henkilötunnus"
grep -q '"'"'"'+358401234567\|mobile +358401234567' "$WORK/out" || fail "export phone: $(cat "$WORK/out")"
grep -q "exported 2 clients; recorded as disclosure 1" "$WORK/err" || fail "export 1 stderr: $(cat "$WORK/err")"
want_rc 4 "reception exports" -- rk_as riikka "$RPW" export marketing --purpose direct_marketing --channel email
want_rc 4 "billing exports" -- rk_as lasse "$BPW" export marketing --purpose direct_marketing --channel email
want_rc 2 "unknown purpose" -- rk_as maija "$MPW" export marketing --purpose spam --channel email

# Anna withdraws by e-mail; marketing records it; she is gone from the next export.
want_rc 0 "withdrawal" -- rk_as maija "$MPW" consent set $ANNA --cell direct_marketing:email=denied --source email
want_rc 0 "export 2" -- rk_as maija "$MPW" export marketing --purpose direct_marketing --channel email --format json
grep -q "Mäkinen" "$WORK/out" && fail "export 2 still has Anna: $(cat "$WORK/out")"
grep -q '"last_name": "Virtanen"' "$WORK/out" || fail "export 2 JSON: $(cat "$WORK/out")"
want_rc 0 "consent check" -- rk_as riikka "$RPW" consent check $ANNA --purpose direct_marketing --channel email
grep -q "^no	denied" "$WORK/out" || fail "consent check: $(cat "$WORK/out")"

# The history: newest first, both events of the cell, with sources and users.
want_rc 0 "history" -- rk_as riikka "$RPW" consent history $ANNA --cell direct_marketing:email
[ "$(grep -c 'direct_marketing:email' "$WORK/out")" = 2 ] || fail "history: $(cat "$WORK/out")"
sed -n 2p "$WORK/out" | grep -q "denied	maija	email" || fail "history newest: $(cat "$WORK/out")"
sed -n 3p "$WORK/out" | grep -q "allowed	riikka	web_form	-	-	Lomake 12" || fail "history oldest: $(cat "$WORK/out")"

# The disclosure register: the dpo reads both exports; marketing may not.
want_rc 0 "disclosures" -- rk_as tiina "$DPW" disclosures
grep -q "Disclosure 1: .* by maija, marketing_export" "$WORK/out" || fail "register: $(cat "$WORK/out")"
grep -q 'recipient "internal marketing", legal basis: consent' "$WORK/out" || fail "register recipient"
[ "$(grep -c '^  clients: ' "$WORK/out")" = 2 ] || fail "register entries: $(cat "$WORK/out")"
grep -q "^  clients: 1, format json" "$WORK/out" || fail "register count after withdrawal"
want_rc 4 "marketing reads the register" -- rk_as maija "$MPW" disclosures
want_rc 0 "correction" -- rk_as tiina "$DPW" disclosures correct 1 --note "Vastaanottaja korjattu" --recipient "Markkinointi Oy"
want_rc 0 "disclosures after correction" -- rk_as tiina "$DPW" disclosures
grep -q "Disclosure 3: .* correction of entry 1" "$WORK/out" || fail "correction entry: $(cat "$WORK/out")"
grep -q 'recipient "internal marketing"' "$WORK/out" || fail "the original entry changed"

# A call note with Finnish characters and a long pasted summary; consent
# changes made during the call link to it.
{
    printf 'Asiakas soitti: hyvää päivää! Kielsi puhelinmyynnin ja kysyi äänitteestä.\n'
    for i in $(seq 1 40); do printf 'Rivi %02d: sääntöjen mukaan äänite säilytetään, öljynvaihto ja 日本.\n' "$i"; done
} >"$WORK/summary.txt"
want_rc 0 "calls add" -- rk_as riikka "$RPW" calls add $ANNA --number "040 123 4567" --direction in \
    --purpose verify --duration 245 --told --recording PBX-77 --summary-file "$WORK/summary.txt" \
    --cell telemarketing:phone=denied --note "Puhelun aikana"
grep -q "Saved call note 1" "$WORK/out" || fail "calls add: $(cat "$WORK/out")"
want_rc 0 "calls list" -- rk_as riikka "$RPW" calls list $ANNA
grep -q "hyvää päivää! Kielsi puhelinmyynnin" "$WORK/out" || fail "summary: $(cat "$WORK/out")"
grep -q "Rivi 40: sääntöjen mukaan" "$WORK/out" || fail "long summary cut: $(tail -3 "$WORK/out")"
grep -q "+358401234567, by riikka" "$WORK/out" || fail "number: $(head -3 "$WORK/out")"
want_rc 0 "consent show after call" -- rk_as riikka "$RPW" consent show $ANNA
grep -qE "telemarketing:phone +denied .* riikka phone call=1" "$WORK/out" || fail "link: $(cat "$WORK/out")"

# Amendments: by the author only; the original stays.
want_rc 4 "another user amends" -- rk_as raimo "$R2PW" calls amend 1 --text "Ei minun"
grep -q "Only riikka" "$WORK/err" || fail "amend message: $(cat "$WORK/err")"
want_rc 0 "author amends" -- rk_as riikka "$RPW" calls amend 1 --text "Lisäys: asiakas pyysi kirjeen, kesto 4 min 5 s."
want_rc 0 "calls list after amend" -- rk_as riikka "$RPW" calls list $ANNA
grep -q "Amendment 1, .* by riikka:" "$WORK/out" || fail "amendment: $(cat "$WORK/out")"
grep -q "Lisäys: asiakas pyysi kirjeen" "$WORK/out" || fail "amendment text"
grep -q "hyvää päivää! Kielsi puhelinmyynnin" "$WORK/out" || fail "original after amend"

# Billing and marketing see no notes.
want_rc 4 "billing lists notes" -- rk_as lasse "$BPW" calls list $ANNA
want_rc 4 "marketing lists notes" -- rk_as maija "$MPW" calls list $ANNA
want_rc 4 "billing adds a note" -- rk_as lasse "$BPW" calls add $ANNA --number 0401234567 \
    --direction in --purpose quality --duration 1 --summary x

# Expired notes: number, customer number and dates, never the summary.
want_rc 0 "old note" -- rk_as riikka "$RPW" calls add $PEKKA --number 0501234567 --direction out \
    --purpose quality --duration 60 --summary "Vanha äänite" --at 2024-01-02T10:00:00Z --keep-until 2024-06-01
want_rc 0 "dpo export for customer numbers" -- rk_as tiina "$DPW" export marketing --purpose research --channel post
PEKKA_NO=$(grep Virtanen "$WORK/out" | cut -d, -f1 | tr -d '"')
[ -n "$PEKKA_NO" ] || fail "no customer number for Pekka: $(cat "$WORK/out")"
want_rc 0 "calls expired" -- rk_as tiina "$DPW" calls expired
grep -qE "^2	$PEKKA_NO	2024-01-02	2024-06-01$" "$WORK/out" || fail "expired: $(cat "$WORK/out")"
[ "$(wc -l <"$WORK/out")" = 2 ] || fail "expired lists more: $(cat "$WORK/out")"
grep -q "äänite" "$WORK/out" && fail "expired list shows a summary"
want_rc 4 "billing lists expired" -- rk_as lasse "$BPW" calls expired

# Everything above left audit events, and the chain is intact.
rk_as tiina "$DPW" audit verify >"$WORK/out" || fail "audit verify: $(cat "$WORK/out")"
grep -q "intact" "$WORK/out" || fail "audit verify output"
exit 0
