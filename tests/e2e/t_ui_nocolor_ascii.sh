#!/usr/bin/env bash
# Colours by default; none with NO_COLOR; ASCII lines and no box-drawing
# characters in a non-UTF-8 locale, where the Finnish text keeps its ä and ö.
source "$(dirname "$0")/lib.sh"

colours() { t_tmux capture-pane -e -p -t =t: | grep -cE $'\e\\[[0-9;]*(3[0-7]|4[0-7])m'; }

make_registry
start -- "$RK"
expect "Username"
[ "$(colours)" -gt 0 ] || fail "expected colours without NO_COLOR"
keys F10
expect "<<exit 0>>"

t_tmux kill-session -t =t
start -- env NO_COLOR=1 "$RK"
login admin "$ADMIN_PW"
expect "Anna Admin (Administrator)"
[ "$(colours)" -eq 0 ] || fail "colours despite NO_COLOR"
keys F10
expect "<<exit 0>>"

# fi_FI.ISO-8859-15: the program speaks Finnish in that codeset (gettext
# hands it UTF-8, the drawing code converts), draws its lines in ASCII and
# maps what Latin-9 lacks (the dash) to ASCII.
t_tmux kill-session -t =t
LANG_UI=fi_FI.ISO-8859-15@euro
start -- "$RK"
expect "Salasana:"
expect "+-----"
screen | grep -q "^|  " || fail "no ASCII side border"
for ch in "─" "│" "┌" "┐" "└" "┘" "├" "┤" "—" "–"; do expect_not "$ch"; done

# tmux reads every pane as UTF-8 and drops Latin-9 bytes such as ä (0xE4),
# so the letters are checked in the program's own output: piped raw from
# the pane, redrawn whole with Ctrl-L, converted from ISO-8859-15.
t_tmux pipe-pane -o -t =t: "cat >> '$WORK/raw'"
raw_has() {   # raw_has TEXT: TEXT is in the output once read as ISO-8859-15
    local i
    keys C-l
    for ((i = 0; i < 100; i++)); do
        iconv -f ISO-8859-15 -t UTF-8 "$WORK/raw" 2>/dev/null | grep -qF -- "$1" && return 0
        sleep 0.05
    done
    fail "expected '$1' in the ISO-8859-15 output"
}
raw_has "Käyttäjätunnus:"
raw_has "Asiakasrekisteri - kirjautuminen"
type_text admin; keys Enter
type_text "$ADMIN_PW"; keys Enter
expect "Anna Admin (P"
raw_has "Anna Admin (Pääkäyttäjä)"
raw_has "Kirjautunut"
raw_has "käytössä"
for ch in "─" "│" "┌" "┐" "└" "┘" "├" "┤"; do expect_not "$ch"; done
keys F9
raw_has "Lukittu - jatka antamalla käyttäjän admin salasana"
# Nothing was written as UTF-8 (ä would be C3 A4; box lines E2 94 xx) and no
# line-drawing charset was switched on (ESC ( 0).
LC_ALL=C grep -q $'\xc3\|\xe2' "$WORK/raw" && fail "UTF-8 bytes written to an ISO-8859-15 terminal"
LC_ALL=C grep -qF $'\e(0' "$WORK/raw" && fail "alternate character set used"
keys F10
expect "<<exit 0>>"
