#!/usr/bin/env bash
# Layout holds at 80x24; below that only the "too small" notice shows, and
# the screen comes back whole when the terminal grows again.
source "$(dirname "$0")/lib.sh"

make_registry
start 80 24 -- "$RK"
login admin "$ADMIN_PW"
expect "Anna Admin (Administrator)"
expect "Last login"
expect "F10Quit"

t_tmux resize-window -t =t: -x 60 -y 20
expect "Terminal too small: need 80x24, have 60x20"
expect_not "Last login"
expect_not "Anna Admin"

t_tmux resize-window -t =t: -x 100 -y 30
expect "Last login"
expect "Anna Admin (Administrator)"
expect "F10Quit"
expect_not "Terminal too small"

# The bottom line is the function-key bar, at the new size.
last=$(screen | sed -n 30p)
case "$last" in *F10Quit*) ;; *) fail "function-key bar not on line 30: '$last'" ;; esac
keys F10
expect "<<exit 0>>"
