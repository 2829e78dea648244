#!/usr/bin/env bash
# SIGHUP (a dropped SSH connection) and SIGTERM end the TUI cleanly: the
# session is logged out, the exit status is 128+signal, and the registry and
# its audit chain are intact afterwards.
source "$(dirname "$0")/lib.sh"

rk_pid() {
    local pane
    pane=$(t_tmux list-panes -t =t: -F '#{pane_pid}')
    pgrep -P "$pane" -x rekisteri
}

make_registry
for sig in HUP TERM; do
    t_tmux kill-session -t =t 2>/dev/null
    start -- "$RK"
    login admin "$ADMIN_PW"
    expect "Anna Admin (Administrator)"
    pid=$(rk_pid) || fail "rekisteri process not found"
    kill -"$sig" "$pid"
    case $sig in HUP) code=129 ;; TERM) code=143 ;; esac
    expect "<<exit $code>>"
    expect_not "Anna Admin"
done

printf '%s\n' "$ADMIN_PW" | "$RK" audit verify --user admin --password-fd 0 >/dev/null ||
    fail "audit chain does not verify after signals"
