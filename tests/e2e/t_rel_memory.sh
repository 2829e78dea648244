#!/usr/bin/env bash
# Memory (RELIABILITY.md): the running TUI, logged in with a card open, is
# not dumpable and writes no core file, and a forced dump of its memory
# holds neither the password nor the database key outside locked memory.
#  - Not dumpable: the program runs without capabilities (setpriv; it needs
#    none), and an observer of the same user id, also without capabilities,
#    is refused /proc/PID/environ -- while it reads a plain process started
#    the same way (the control), so the refusal comes from PR_SET_DUMPABLE 0
#    alone.
#  - No core: /proc/PID/limits shows a core file size of 0.
#  - The dump: as root, build/tests/stress/memscan reads every mapping
#    through /proc/PID/mem (root's CAP_SYS_PTRACE passes the dumpable
#    check; gcore would attach the same way), nothing in the program is
#    switched off for the test. Needs root: skipped (and said so) otherwise.
source "$(dirname "$0")/lib.sh"
scan="$ROOT/build/tests/stress/memscan"
[ -x "$scan" ] || fail "$scan is missing (make stress-bins)"
if [ "$(id -u)" != 0 ]; then
    echo "SKIPPED: reading another process's memory needs root"; exit 0
fi
command -v setpriv >/dev/null || fail "setpriv (util-linux) is missing"

RPW="Vastaanotto-salasana-77"
make_registry
add_user reception reception "$RPW"
"$RK" client add --set first_names=Anna --set last_name=Muistinen --set hetu=131052-308T \
    --user reception --password-fd 3 3<<<"$RPW" >/dev/null || fail "client add failed"

NOCAPS="setpriv --bounding-set=-all --inh-caps=-all"
start 80 24 -- $NOCAPS "$RK"
login reception "$RPW"
expect "Search:"
type_text muistinen
expect "1 hit"
keys Enter
expect "version 1, saved by reception"
pane=$(t_tmux display-message -p -t =t: '#{pane_pid}')
pid=$(pgrep -f -P "$pane" "$RK" | head -1)
[ -n "$pid" ] || pid=$pane
[ "$(readlink "/proc/$pid/exe")" = "$(readlink -f "$RK")" ] || fail "no rekisteri process under pane $pane"

observer() { $NOCAPS head -c 1 "/proc/$1/environ" >/dev/null 2>&1; }
$NOCAPS sleep 60 & control=$!
# Until setpriv has exec'd sleep it still holds root's permitted
# capabilities, and a capability-less observer is refused for that reason.
for ((i = 0; i < 100; i++)); do
    [ "$(readlink "/proc/$control/exe")" = "$(readlink -f "$(command -v sleep)")" ] && break
    sleep 0.05
done
observer "$control" || fail "control: a capability-less observer cannot read a plain process"
kill "$control"
observer "$pid" && fail "the running rekisteri is dumpable: a same-user observer read /proc/$pid/environ"
echo "not dumpable: a same-user observer without CAP_SYS_PTRACE is refused /proc/$pid/environ (control read)"
grep -E "^Max core file size +0 +" "/proc/$pid/limits" >/dev/null || fail "core files are allowed: $(grep core "/proc/$pid/limits")"
echo "core file size limit: 0"

out=$(printf '%s\n' "$RPW" | "$scan" "$pid" "$REKISTERI_DIR" reception --control Muistinen) ||
    fail "secrets in memory: $out"
echo "$out"
keys Escape
expect "Search:"
keys F10
expect "<<exit 0>>"
