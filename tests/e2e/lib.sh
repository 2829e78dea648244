# Helpers for end-to-end tests: the real ./rekisteri in a real terminal (tmux),
# keys sent with send-keys, the screen read with capture-pane.
# Each test script sources this, and is run by tests/run; it exits non-zero on
# the first failed expectation, printing the screen it saw.
set -u
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
RK=${RK:-$ROOT/rekisteri}
# Cheap Argon2id parameters for test slots only (see registry.h).
export REKISTERI_KDF=min
TMUX_SOCK="rk-e2e-$$"
WORK=$(mktemp -d /tmp/rk-e2e.XXXXXX)
export REKISTERI_DIR="$WORK/reg"
TEST_NAME=$(basename "$0" .sh)

t_tmux() { tmux -L "$TMUX_SOCK" -f /dev/null "$@"; }

cleanup() {
    t_tmux kill-server 2>/dev/null
    rm -rf "$WORK"
}
trap cleanup EXIT

fail() {
    echo "FAIL [$TEST_NAME]: $*"
    if t_tmux has-session -t =t 2>/dev/null; then
        echo "----- screen -----"; screen; echo "------------------"
    fi
    exit 1
}

# Creates a registry with an admin (password in $ADMIN_PW) at $REKISTERI_DIR.
ADMIN_PW="admin-password-1"
make_registry() {
    printf '%s\n' "$ADMIN_PW" | "$RK" init --admin admin --name "Anna Admin" \
        --new-password-fd 0 >/dev/null || fail "init failed"
}

# Adds a user as admin: add_user NAME ROLE PASSWORD
add_user() {
    { printf '%s\n' "$ADMIN_PW"; printf '%s\n' "$3"; } |
        "$RK" user add "$1" --role "$2" --user admin --password-fd 0 --new-password-fd 0 \
        >/dev/null || fail "user add $1 failed"
}

# Runs the command line as a user, the password on fd 3: rk_as USER PASSWORD ARGS...
rk_as() {
    local u=$1 p=$2; shift 2
    "$RK" --user "$u" --password-fd 3 "$@" 3<<<"$p"
}

# The rows of the audit chain (it is verified on the way): audit_rows USER PASSWORD
audit_rows() {
    rk_as "$1" "$2" audit verify | sed -nE 's/.*intact: ([0-9]+) rows.*/\1/p'
}

# start [WIDTH HEIGHT] -- command...: runs a command in a fresh tmux session.
start() {
    local w=100 h=30
    if [ "${1:-}" != "--" ]; then w=$1; h=$2; shift 2; fi
    shift
    t_tmux new-session -d -s t -x "$w" -y "$h" \
        "env REKISTERI_DIR='$REKISTERI_DIR' REKISTERI_KDF=min ESCDELAY=500 LANG=${LANG_UI:-C.UTF-8} LC_ALL=${LANG_UI:-C.UTF-8} $* ; echo '<<exit '\$?'>>'; sleep 30"
    t_tmux set-option -t =t: remain-on-exit on >/dev/null
}

screen() { t_tmux capture-pane -p -t =t:; }
keys()   { t_tmux send-keys -t =t: "$@"; }
# Types literal text (no key-name interpretation).
type_text() { t_tmux send-keys -t =t: -l -- "$1"; }

# expect TEXT [SECONDS]: waits until TEXT is on screen.
expect() {
    local text=$1 secs=${2:-5} i
    for ((i = 0; i < secs * 20; i++)); do
        screen | grep -qF -- "$text" && return 0
        sleep 0.05
    done
    fail "expected '$text' on screen"
}

# expect_not TEXT: TEXT is not on screen now.
expect_not() {
    screen | grep -qF -- "$1" && fail "did not expect '$1' on screen"
    return 0
}

# Logs in at the login screen: login USER PASSWORD
login() {
    expect "Username"
    type_text "$1"; keys Enter
    type_text "$2"; keys Enter
}

# On the search screen, opens the card of the one client a new search finds:
# search_open QUERY
search_open() {
    expect "Search:"
    keys C-u
    type_text "$1"
    expect "1 hit"
    keys Enter
    expect ", customer number"
}

# Starts the program at 80x24, logs in and opens the card of the one client
# a search finds: open_card USER PASSWORD QUERY
open_card() {
    start 80 24 -- "$RK"
    login "$1" "$2"
    search_open "$3"
}

# The function-key bar (the last line).
bar() { screen | tail -1; }
# bar_has LABEL...: each label whole on the bar, nothing on screen cut with an ellipsis.
bar_has() {
    local l b
    b=$(bar)
    for l in "$@"; do
        grep -qF -- "$l" <<<"$b" || fail "function-key bar lacks '$l': $b"
    done
    grep -qF "…" <<<"$b" && fail "a label on the bar is cut: $b"
    # No test data is long enough to be cut, so no text on screen may be.
    screen | grep -qF "…" && fail "text cut on screen"
    return 0
}
stamp_re='[0-3][0-9]\.[01][0-9]\.20[0-9][0-9] [0-2][0-9]\.[0-5][0-9]'
