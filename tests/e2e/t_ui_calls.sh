#!/usr/bin/env bash
# Call-recording notes, opened from the client card with F6: a new note with
# Finnish text typed over two lines and ~3000 characters pasted (tmux
# paste-buffer) into the summary editor, its counter following; saved, it
# is the source a consent change on the grid links to ("phone call"); it
# is there when the notes are opened again, whole (PgDn scrolls to its
# end). Its author amends it; another reception user may not; a paste past
# the 4000-character limit is cut and said so, and Esc then asks before
# dropping the text. Billing cannot open notes (the key says why). The
# command line sees the same note and amendment; the audit chain grows.
source "$(dirname "$0")/lib.sh"
make_registry

RPW="reception-password-42"; R2PW="reception2-password-42"; BPW="billing-password-42"
DPW="dpo-officer-password-42"
add_user riikka reception "$RPW"
add_user raimo reception "$R2PW"
add_user lasse billing "$BPW"
add_user tiina dpo "$DPW"


rk_as tiina "$DPW" client add --set first_names=Anna --set last_name=Mäkinen --set hetu=131052-308T \
    --add phones=mobile:0401234567 >/dev/null || fail "client add Anna"
# About 3000 characters of Finnish words, no line breaks, ending in a mark.
python3 - >"$WORK/long.txt" <<'EOF'
import random, sys
random.seed(7)
words = ["laskusta", "äänitys", "öljynvaihto", "Åland", "kysyi", "asiakas", "sopimus",
         "hinta", "maksu", "päivämäärä", "yhteystieto", "tervehdys"]
text = ""
while len(text) < 2980:
    text += random.choice(words) + " "
sys.stdout.write(text + "LOPPUMERKKI")
EOF
long_chars=$(python3 -c "import sys; print(len(open(sys.argv[1], encoding='utf-8').read()))" "$WORK/long.txt")
rows_before=$(audit_rows tiina "$DPW")

open_card riikka "$RPW" mäkinen
keys F6
expect "Call notes: Mäkinen, Anna"
expect "No call notes yet."
keys F2
expect "New call note: Mäkinen, Anna"
expect "+358401234567"
expect "0 / 4000 characters"
type_text "3:25"
keys Tab Tab Tab Tab Tab Tab Tab          # length -> ... -> keep until -> summary
type_text "Asiakas kysyi laskusta."
# Home, End, Backspace and Delete edit by whole characters.
keys Home
type_text "»ä"
expect "»äAsiakas kysyi laskusta."
keys End BSpace
expect "24 / 4000 characters"
keys Home DC DC
expect "22 / 4000 characters"
expect_not "»ä"
keys End
type_text "."
keys Enter
type_text "Hän sanoi: äöå ÄÖÅ, kiitos."
keys Enter
expect "$((23 + 1 + 27 + 1)) / 4000 characters"
t_tmux load-buffer -b long "$WORK/long.txt"
t_tmux paste-buffer -b long -t =t:
expect "$((52 + long_chars)) / 4000 characters" 20
expect "LOPPUMERKKI"
keys F2
expect "Call note saved."
expect "incoming 3:25  verifying a transaction  riikka"
expect "Hän sanoi: äöå ÄÖÅ, kiitos."

# A refusal of telemarketing said on the call: saved on the consent grid
# with the source "phone call", linked to this note.
keys Escape
expect "Mäkinen, Anna, customer number"
keys F5
expect "Bans and consents of the person"
keys Down Right Right d
expect "denied*"
keys F2
expect "Save 1 changes"
keys Right Right
expect "phone call"
keys F2
expect "Choose the call's note"
keys Right                   # the cursor is at the call note already
expect ", +358401234567"
expect_not "Choose the call's note"
keys F2
expect "Saved 1 consent changes (source: phone call)."
keys Escape
rk_as riikka "$RPW" consent history 131052-308T >"$WORK/out" 2>&1 || fail "consent history: $(cat "$WORK/out")"
grep -qE "telemarketing:phone	denied	riikka	phone	[0-9]+	" "$WORK/out" ||
    fail "the refusal is not linked to the call: $(cat "$WORK/out")"

# Opened again: the note is there, whole.
keys F6
expect "Asiakas kysyi laskusta."
expect "Hän sanoi: äöå ÄÖÅ, kiitos."
expect_not "LOPPUMERKKI"
for i in 1 2 3 4 5 6 7 8 9 10 11 12; do keys PageDown; done
expect "LOPPUMERKKI"

# The author amends it.
keys F3
expect "Amendment to Mäkinen, Anna"
type_text "Korjaus: summa oli 120 €, ei 210 €. Äänitys ok."
keys F2
expect "Amendment saved."
expect "+1 amended"
for i in 1 2 3 4 5 6 7 8 9 10 11 12 13; do keys PageDown; done
expect "Amendment by riikka"
expect "Korjaus: summa oli 120 €, ei 210 €. Äänitys ok."

# A paste past the limit is cut, and said so; Esc asks before dropping it.
keys F3
expect "Amendment to"
t_tmux paste-buffer -b long -t =t:
expect "/ 4000 characters" 20
t_tmux paste-buffer -b long -t =t:
expect "at its limit of 4000 characters" 20
expect "4000 / 4000 characters"
keys Escape
expect "Discard changes? (y/n)"
keys y
expect "Nothing saved."
expect "+1 amended"
keys F10
expect "<<exit 0>>"

# Another reception user reads the note but may not amend it.
t_tmux kill-session -t =t
open_card raimo "$R2PW" mäkinen
keys F6
expect "Hän sanoi: äöå ÄÖÅ, kiitos."
keys F3
expect "Only riikka, who wrote this note, may amend it."
keys F10
expect "<<exit 0>>"

# Billing: the key says the role sees no call notes.
t_tmux kill-session -t =t
open_card lasse "$BPW" mäkinen
keys F6
expect "may not see call notes"
expect_not "Call notes: Mäkinen"
keys F10
expect "<<exit 0>>"

# The command line sees the same note and amendment.
rk_as riikka "$RPW" calls list 131052-308T >"$WORK/out" 2>&1 || fail "calls list: $(cat "$WORK/out")"
grep -q "Hän sanoi: äöå ÄÖÅ, kiitos." "$WORK/out" || fail "calls list lacks the text: $(head -c 600 "$WORK/out")"
grep -q "LOPPUMERKKI" "$WORK/out" || fail "calls list lacks the pasted end"
grep -q "Korjaus: summa oli 120 €" "$WORK/out" || fail "calls list lacks the amendment"

rows_after=$(audit_rows tiina "$DPW")
[ -n "$rows_before" ] && [ -n "$rows_after" ] || fail "audit verify gave no row count"
# The note and the amendment, the reads, logins and logouts.
[ $((rows_after - rows_before)) -ge 8 ] || fail "audit rows $rows_before -> $rows_after"
exit 0
