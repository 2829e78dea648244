#!/usr/bin/env bash
# A locked account (lockout state written directly) is refused at the TUI
# login with the "administrator must unlock" message; the administrator sees
# it as LOCKED in the user list and unlocks it there; then it can log in.
source "$(dirname "$0")/lib.sh"

BOB_PW="bob-password-123"
make_registry
add_user bob reception "$BOB_PW"
printf 'rekisteri-state 1\nuser bob 20 %s 1\n' "$(date +%s)" >"$REKISTERI_DIR/state"

start -- "$RK"
login bob "$BOB_PW"
expect "administrator must unlock"
expect_not "Search:"
keys F10
expect "<<exit 0>>"

t_tmux kill-session -t =t
start -- "$RK"
login admin "$ADMIN_PW"
expect "Anna Admin (Administrator)"
expect "LOCKED"
keys End          # bob sorts after admin
type_text u       # letter alternative of F5 in a list
expect "User bob unlocked"
expect_not "LOCKED"
keys F10
expect "<<exit 0>>"

t_tmux kill-session -t =t
start -- "$RK"
login bob "$BOB_PW"
expect "(Reception)"
expect "Search:"          # reception's home is the client search
keys F10
expect "<<exit 0>>"
