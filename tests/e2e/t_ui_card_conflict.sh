#!/usr/bin/env bash
# Two desks edit the same client in two terminals. The second save is not
# written over the first: a dialog names who saved and offers Reload or
# Review. Review shows the changed field beside the saved value and puts the
# change back on the newer card to save; Reload drops the edits.
source "$(dirname "$0")/lib.sh"

APW="riikka-password-42"
BPW="ville-password-42"
make_registry
add_user riikka reception "$APW"
add_user ville reception "$BPW"
"$RK" client add --set first_names=Anna --set last_name=Mäkinen --set hetu=131052-308T \
    --user riikka --password-fd 3 3<<<"$APW" >/dev/null || fail "client add failed"

# The second terminal: session "u" beside lib.sh's "t". Targets are exact
# ("=t:", "=u:"): a bare "t" is also tried as the start of a window name in
# the session used last, so when u's window was named "tmux" the first desk's
# keys went to the second (seen in CI, where TERM is unset).
start2() {
    t_tmux new-session -d -s u -x 80 -y 24 \
        "env REKISTERI_DIR='$REKISTERI_DIR' REKISTERI_KDF=min ESCDELAY=500 LANG=C.UTF-8 LC_ALL=C.UTF-8 $RK ; echo '<<exit '\$?'>>'; sleep 30"
}
screen2() { t_tmux capture-pane -p -t =u:; }
keys2() { t_tmux send-keys -t =u: "$@"; }
type2() { t_tmux send-keys -t =u: -l -- "$1"; }
expect2() {
    local i
    for ((i = 0; i < ${2:-5} * 20; i++)); do
        screen2 | grep -qF -- "$1" && return 0
        sleep 0.05
    done
    echo "----- second terminal -----"; screen2
    fail "expected '$1' in the second terminal"
}

# Both open the card at version 1.
start 80 24 -- "$RK"
login riikka "$APW"
expect "Search:"
type_text mäkinen
expect "1 hit"
keys Enter
expect "version 1, saved by riikka"

start2
expect2 "Username"
type2 ville; keys2 Enter
type2 "$BPW"; keys2 Enter
expect2 "Search:"
type2 mäkinen
expect2 "1 hit"
keys2 Enter
expect2 "version 1, saved by riikka"

# Riikka saves first.
keys F8
expect "Street address:"
type_text "Riikan katu 1"
expect "Riikan katu 1"     # seen typed before saving, as a user does
keys F2
expect "version 2, saved by riikka"

# Ville's save meets the conflict, naming riikka.
keys2 F8
expect2 "Street address:"
type2 "Villen tie 2"
expect2 "Villen tie 2"
keys2 F2
expect2 "riikka saved this client at"
expect2 "after you opened it"
expect2 "Reload"
expect2 "Review"
screen2 | grep -qF "version 2" && fail "the second save was written"

# Review: the street, Ville's value beside Riikka's.
keys2 F6
expect2 "Review your changes"
expect2 "Street address"
expect2 "Villen tie 2"
expect2 "Riikan katu 1"
keys2 F2
expect2 "Your changes are on the card as saved now"
expect2 "version 2, saved by riikka"
expect2 "* unsaved changes"
expect2 "Villen tie 2"
keys2 F2
expect2 "version 3, saved by ville"

# Riikka, still on version 2, edits again: conflict naming ville; Reload
# drops her edit and shows Ville's street.
keys C-u
type_text "Riikan katu 3"
expect "Riikan katu 3"
keys F2
expect "ville saved this client at"
keys r
expect "Card reloaded"
expect "version 3, saved by ville"
expect "Villen tie 2"
expect_not "Riikan katu 3"

keys F10
expect "<<exit 0>>"
keys2 F10
expect2 "<<exit 0>>"
