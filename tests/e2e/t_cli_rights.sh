#!/usr/bin/env bash
# The rights from the command line: a request registered with its due date
# (31 Jan -> 28 Feb), extended with a reason, listed, closed; reports in
# every format (access as text and JSON in one run with --out); a typed
# erasure confirmation that does not match erases nothing (exit 2);
# restrict/unrestrict and the marketing export; the retention review; the
# access report in Finnish.
source "$(dirname "$0")/lib.sh"
make_registry
RPW="reception-password-42"; DPW="dpo-officer-password-42"; MPW="marketing-password-42"
add_user riikka reception "$RPW"
add_user tiina dpo "$DPW"
add_user maija marketing "$MPW"
rk_as() { local u=$1 p=$2; shift 2; "$RK" --user "$u" --password-fd 3 "$@" 3<<<"$p"; }
want_rc() {  # want_rc CODE DESCRIPTION -- command...
    local want=$1 what=$2; shift 3
    "$@" >"$WORK/out" 2>"$WORK/err"; local rc=$?
    [ "$rc" = "$want" ] || fail "$what: exit $rc, want $want; stderr: $(cat "$WORK/err")"
}

rk_as tiina "$DPW" client add --set first_names=Anna --set last_name=Mäkinen --set hetu=131052-308T \
    --add emails=personal:anna@example.com --set billing_address="Laskutie 1" >/dev/null || fail "client add"
rk_as riikka "$RPW" consent set 100001 --cell direct_marketing:email=allowed --source letter >/dev/null ||
    fail "consent"

want_rc 0 "request add" -- rk_as riikka "$RPW" request add 131052-308T --kind access \
    --channel letter --verified "signature compared" --received 31.1.2026
grep -q "Registered request 1" "$WORK/out" || fail "add output: $(cat "$WORK/out")"
want_rc 2 "bad kind" -- rk_as riikka "$RPW" request add 100001 --kind nosuch --channel letter --verified x
want_rc 2 "no identity check" -- rk_as riikka "$RPW" request add 100001 --kind access --channel letter
want_rc 4 "reception lists all" -- rk_as riikka "$RPW" request list
want_rc 0 "list" -- rk_as tiina "$DPW" request list --today 2026-02-28
grep -qP "^1\t100001\taccess\t31.01.2026\t28.02.2026\topen\t-\t-$" "$WORK/out" || fail "list: $(cat "$WORK/out")"
want_rc 0 "list overdue" -- rk_as tiina "$DPW" request list --today 1.3.2026
grep -qP "\tOVERDUE$" "$WORK/out" || fail "overdue: $(cat "$WORK/out")"
want_rc 2 "extend without reason" -- rk_as tiina "$DPW" request extend 1 --months 2
want_rc 0 "extend" -- rk_as tiina "$DPW" request extend 1 --months 2 --reason "archived files" --today 2026-02-20
grep -q "now due 30.04.2026" "$WORK/out" || fail "extend: $(cat "$WORK/out")"
want_rc 2 "third month" -- rk_as tiina "$DPW" request extend 1 --months 1 --reason more --today 2026-02-21

# Reports: access as text and JSON in one run, never overwriting.
want_rc 0 "access --out" -- rk_as tiina "$DPW" report access 100001 --out "$WORK/anna"
grep -q "Last name: Mäkinen" "$WORK/anna.txt" || fail "access text"
grep -q "Billing address: Laskutie 1" "$WORK/anna.txt" || fail "access billing"
grep -q '"schema": "rekisteri.access/1"' "$WORK/anna.json" || fail "access json"
want_rc 1 "no overwrite" -- rk_as tiina "$DPW" report access 100001 --out "$WORK/anna"
want_rc 0 "portability" -- rk_as tiina "$DPW" report portability 100001
grep -q '"schema": "rekisteri.portability/1"' "$WORK/out" || fail "portability json"
grep -q 'billing_address' "$WORK/out" && fail "portability has the controller's billing data"
want_rc 0 "portability csv" -- rk_as tiina "$DPW" report portability 100001 --format csv
grep -q '"consent:direct_marketing:email","","state","allowed"' "$WORK/out" || fail "csv: $(cat "$WORK/out")"
want_rc 0 "log" -- rk_as tiina "$DPW" report log 100001 --format csv
grep -q '"riikka","consent_changed"' "$WORK/out" || fail "log csv: $(cat "$WORK/out")"
want_rc 0 "manual disclosure" -- rk_as tiina "$DPW" disclosure add --client 100001 --recipient "Perintä Oy" \
    --legal-basis legitimate_interest --purpose "debt collection" --categories identity,billing
want_rc 0 "log with disclosure" -- rk_as tiina "$DPW" report log 100001
grep -q 'to "Perintä Oy", purpose debt collection' "$WORK/out" || fail "log lacks the disclosure: $(cat "$WORK/out")"
want_rc 2 "since on access" -- rk_as tiina "$DPW" report access 100001 --since 1.1.2026
want_rc 4 "reception report" -- rk_as riikka "$RPW" report access 100001

# Restriction: out of the export, back after it is lifted.
want_rc 0 "restrict" -- rk_as tiina "$DPW" restrict 100001
want_rc 0 "export" -- rk_as maija "$MPW" export marketing --purpose direct_marketing --channel email
grep -q anna@example.com "$WORK/out" && fail "restricted client exported"
want_rc 4 "reception edits restricted" -- rk_as riikka "$RPW" client edit 100001 --set street="Tie 1"
grep -q "restricted" "$WORK/err" || fail "restricted message: $(cat "$WORK/err")"
want_rc 0 "unrestrict" -- rk_as tiina "$DPW" unrestrict 100001
want_rc 0 "export again" -- rk_as maija "$MPW" export marketing --purpose direct_marketing --channel email
grep -q anna@example.com "$WORK/out" || fail "unrestricted client not exported"

# Erasure: the wrong number typed erases nothing; --confirm for scripts.
want_rc 2 "erase mismatch" -- bash -c "echo 100002 | '$RK' --user tiina --password-fd 3 erase 100001 3<<<'$DPW'"
grep -q "nothing was erased" "$WORK/err" || fail "mismatch message"
want_rc 0 "erase" -- rk_as tiina "$DPW" erase 100001 --confirm 100001 --request 1
grep -q "legal hold until 31.12.20" "$WORK/out" || fail "hold: $(cat "$WORK/out")"
want_rc 0 "access after" -- rk_as tiina "$DPW" report access 100001
grep -q "131052" "$WORK/out" && fail "erased hetu reported"
grep -q "anna@example.com" "$WORK/out" && fail "erased e-mail reported"
want_rc 0 "close" -- rk_as tiina "$DPW" request close 1 --status granted --decision "Erased; billing kept by law"
want_rc 0 "retention" -- rk_as tiina "$DPW" retention --today 2040-01-02
grep -qP "^hold_ended\t100001\t31.12.20" "$WORK/out" || fail "retention list: $(cat "$WORK/out")"
want_rc 0 "retention apply" -- rk_as tiina "$DPW" retention --apply --today 2040-01-02
grep -q "1 legal holds ended" "$WORK/out" || fail "apply: $(cat "$WORK/out")"
want_rc 0 "access after hold" -- rk_as tiina "$DPW" report access 100001
grep -q "Mäkinen\|Laskutie" "$WORK/out" && fail "held data left after the hold ended"

# In Finnish: headings in the user's language, dates dd.mm.yyyy.
rk_as tiina "$DPW" user lang tiina fi >/dev/null || fail "user lang"
rk_as tiina "$DPW" client add --set first_names=Matti --set last_name=Meikäläinen \
    --set hetu=010190-901R >/dev/null || fail "client add Matti"
want_rc 0 "Finnish report" -- rk_as tiina "$DPW" report access 010190-901R
grep -q "^Selvitys henkilötiedoista (tietosuoja-asetus 15 art.)" "$WORK/out" || fail "fi heading: $(head -3 "$WORK/out")"
grep -q "^Käyttötarkoitukset, oikeusperusteet ja säilytysajat" "$WORK/out" || fail "fi purposes heading"
grep -q "Syntymäaika: 01.01.1990" "$WORK/out" || fail "fi date: $(grep -i synty "$WORK/out")"
exit 0
