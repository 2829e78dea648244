#!/usr/bin/env bash
# The consent and ban grid, opened from the client card with F5: cells set
# with a, d and Space are marked until saved; saving asks once for the
# source (and a note) and records them as one event; the cell's history is
# one key away. A withdrawal saved on the grid removes the person from the
# next `export marketing` at once. Leaving with unsaved changes asks first.
# Billing sees no consents (the key says so) until `policy set billing
# consents read`, and then may change nothing. The audit chain grows with
# the changes and stays intact.
source "$(dirname "$0")/lib.sh"
make_registry

RPW="reception-password-42"; BPW="billing-password-42"; MPW="marketing-password-42"
DPW="dpo-officer-password-42"
add_user riikka reception "$RPW"
add_user lasse billing "$BPW"
add_user maija marketing "$MPW"
add_user tiina dpo "$DPW"

export_email() {   # the direct-marketing e-mail list, as marketing exports it
    rk_as maija "$MPW" export marketing --purpose direct_marketing --channel email 2>>"$WORK/err"
}

rk_as tiina "$DPW" client add --set first_names=Anna --set last_name=Mäkinen --set hetu=131052-308T \
    --set popreg_bans=market_research --add emails=personal:anna@example.com >/dev/null ||
    fail "client add Anna"
export_email >"$WORK/out" || fail "export 0"
grep -q "Mäkinen" "$WORK/out" && fail "e-mail marketing without a consent: $(cat "$WORK/out")"
rows_before=$(audit_rows tiina "$DPW")

open_card riikka "$RPW" mäkinen
expect "Mäkinen, Anna, customer number"
expect "F5"
keys F5
expect "Consents and marketing bans"
expect "Purpose"
expect "Newsletters and"
expect "Any direct marketing"
expect "Population register bans (on the card): market and opinion research"

# The help lists the grid's keys from the key table.
keys F1
expect "Space"
expect "Cycle: Change the selected cell"
expect "History: List every recorded change"
keys Escape
expect "Bans and consents of the person"

# Direct marketing by e-mail allowed, newsletters by SMS denied; the
# all-marketing ban cycled with Space to "no ban (lifted)" and back.
keys a
expect "allowed*"
expect "* 1 unsaved changes"
keys Down Down Down Down Down Right d
expect "denied*"
expect "* 2 unsaved changes"
keys Down Space
expect "no ban (lifted)*"
keys Space Space
expect "* 2 unsaved changes"
expect_not "no ban (lifted)"

# Saving asks for the source; none chosen is refused at the field.
keys F2
expect "Save 2 changes"
keys Enter Enter Enter
expect "Choose where the changes came from"
keys Right Right Right Right
expect "web form"
keys Down Down
type_text "Lomake 12"
keys F2
expect "Saved 2 consent changes (source: web form)."
expect_not "unsaved changes"
expect "$(date +%d.%m.%Y)"

export_email >"$WORK/out" || fail "export 1"
grep -q "Mäkinen" "$WORK/out" || fail "export after the consent lacks Anna: $(cat "$WORK/out")"

# The withdrawal: e-mail marketing denied, from a letter.
keys PageUp Home d
expect "was allowed"
keys F2
expect "Save 1 changes"
keys Right Right Right F2
expect "Saved 1 consent changes (source: letter)."
export_email >"$WORK/out" || fail "export 2"
grep -q "Mäkinen" "$WORK/out" && fail "withdrawn, yet exported: $(cat "$WORK/out")"

# The cell's history, newest first, with the first change's note.
keys h
expect "History: Direct marketing, E-mail"
expect "denied"
expect "letter"
keys Down
expect "web form"
expect "Note: Lomake 12"
keys Escape
expect "Bans and consents of the person"

# Leaving with a change asks; n keeps it, y drops it.
keys u
expect "* 1 unsaved changes"
keys Escape
expect "Discard changes? (y/n)"
keys n
expect "* 1 unsaved changes"
keys Escape
expect "Discard changes? (y/n)"
keys y
expect "Consent changes discarded."
expect "Mäkinen, Anna, customer number"
keys F10
expect "<<exit 0>>"

rows_after=$(audit_rows tiina "$DPW")
[ -n "$rows_before" ] && [ -n "$rows_after" ] || fail "audit verify gave no row count"
# At least the two saves, the card read, the login and the logout.
[ $((rows_after - rows_before)) -ge 5 ] || fail "audit rows $rows_before -> $rows_after"

# Billing: the key says the role sees no consents.
t_tmux kill-session -t =t
open_card lasse "$BPW" mäkinen
expect "Mäkinen, Anna, customer number"
keys F5
expect "may not see consents and marketing bans"
expect_not "Bans and consents of the person"
keys F10
expect "<<exit 0>>"

# The policy table's area "consents": given read, billing sees the grid
# but may change nothing in it.
rk_as admin "$ADMIN_PW" policy set billing consents read >"$WORK/out" || fail "policy set: $(cat "$WORK/out")"
rk_as admin "$ADMIN_PW" policy show >"$WORK/out" || fail "policy show"
grep -qE "^consents +write +read\* +read +write" "$WORK/out" || fail "policy show: $(cat "$WORK/out")"
rk_as admin "$ADMIN_PW" policy set billing consents masked >/dev/null 2>&1 && fail "consents masked accepted"
t_tmux kill-session -t =t
open_card lasse "$BPW" mäkinen
expect "Mäkinen, Anna, customer number"
keys F5
expect "Bans and consents of the person"
expect "Read only for your role"
keys a
expect "may not change consents and marketing bans"
expect_not "unsaved changes"
keys Escape
expect "Mäkinen, Anna, customer number"
keys F10
expect "<<exit 0>>"

rk_as tiina "$DPW" audit verify >"$WORK/out" || fail "audit verify: $(cat "$WORK/out")"
grep -q "intact" "$WORK/out" || fail "audit verify output"
exit 0
