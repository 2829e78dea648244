#!/usr/bin/env bash
# Colours by default; none with NO_COLOR; ASCII lines and no box-drawing
# characters in a non-UTF-8 locale.
source "$(dirname "$0")/lib.sh"

colours() { t_tmux capture-pane -e -p -t t | grep -cE $'\e\\[[0-9;]*(3[0-7]|4[0-7])m'; }

make_registry
start -- "$RK"
expect "Username"
[ "$(colours)" -gt 0 ] || fail "expected colours without NO_COLOR"
keys F10
expect "<<exit 0>>"

t_tmux kill-session -t t
start -- env NO_COLOR=1 "$RK"
login admin "$ADMIN_PW"
expect "Anna Admin (Administrator)"
[ "$(colours)" -eq 0 ] || fail "colours despite NO_COLOR"
keys F10
expect "<<exit 0>>"

t_tmux kill-session -t t
LANG_UI=fi_FI.ISO-8859-15@euro
start -- "$RK"
expect "Username"
expect "+-----"
screen | grep -q "^|  " || fail "no ASCII side border"
for ch in "─" "│" "┌" "┐" "└" "┘" "├" "┤" "—"; do expect_not "$ch"; done
login admin "$ADMIN_PW"
expect "Anna Admin (Administrator)"
expect "Last login"
for ch in "─" "│" "┌" "┐" "└" "┘" "├" "┤"; do expect_not "$ch"; done
keys F9
expect "Locked - enter the password of admin"
expect_not "—"
keys F10
expect "<<exit 0>>"
