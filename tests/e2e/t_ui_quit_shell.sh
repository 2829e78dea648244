#!/usr/bin/env bash
# F10 quits from an interactive shell and leaves the terminal usable: the
# prompt answers, and the tty is back in canonical mode with echo.
source "$(dirname "$0")/lib.sh"

prompts() { screen | grep -c '^rkprompt:'; }

make_registry
start -- env PS1=rkprompt: bash --norc
expect "rkprompt:"
type_text "'$RK'"; keys Enter
login admin "$ADMIN_PW"
expect "Anna Admin (Administrator)"
keys F10
# The program's screen is gone and a second prompt is there: it has exited.
for ((i = 0; i < 100; i++)); do
    [ "$(prompts)" -ge 2 ] && break
    sleep 0.05
done
[ "$(prompts)" -ge 2 ] || fail "no shell prompt after F10"
expect_not "Anna Admin"
type_text 'echo ok-$((40+2))'; keys Enter
expect "ok-42"
type_text "stty -a | grep -qwE -- '-icanon|-echo' && echo tty-raw || echo tty-sane"; keys Enter
expect "tty-sane"
screen | grep -qx "tty-raw" && fail "the terminal was left in raw or no-echo mode"
exit 0
