# User administration from the command line: add, log in, disable, enable,
# lockout and unlock, password rules, role checks and exit codes.
source "$(dirname "$0")/lib.sh"
make_registry

rk_as() {   # rk_as USER PASSWORD ARGS... (the password on fd 3)
    local u=$1 p=$2; shift 2
    "$RK" "$@" --user "$u" --password-fd 3 3<<<"$p"
}
want_rc() {  # want_rc CODE DESCRIPTION -- command...
    local want=$1 what=$2; shift 3
    "$@" >"$WORK/out" 2>"$WORK/err"; local rc=$?
    [ "$rc" = "$want" ] || fail "$what: exit $rc, want $want; stderr: $(cat "$WORK/err")"
}

add_user riikka reception "riikka-password-1"
rk_as riikka riikka-password-1 user passwd --new-password-fd 4 4<<<"riikka-password-2" >/dev/null ||
    fail "own password change"
want_rc 3 "old password after change" -- rk_as riikka riikka-password-1 config show
want_rc 0 "new password" -- rk_as riikka riikka-password-2 config show

# Password rules: short, equal to the username.
want_rc 1 "short password" -- rk_as admin "$ADMIN_PW" user add lasse --role billing --new-password-fd 4 4<<<"short"
grep -q "at least 12" "$WORK/err" || fail "short password message: $(cat "$WORK/err")"

# Role checks: reception may not add users (exit 4).
want_rc 4 "reception adds a user" -- rk_as riikka riikka-password-2 user add x1 --role billing --new-password-fd 4 4<<<"long-enough-pass"
want_rc 2 "unknown role" -- rk_as admin "$ADMIN_PW" user add x2 --role boss --new-password-fd 4 4<<<"long-enough-pass"
want_rc 2 "missing argument" -- "$RK" user add
want_rc 2 "unknown command" -- "$RK" frobnicate

# Disable / enable.
rk_as admin "$ADMIN_PW" user disable riikka >/dev/null || fail "disable"
want_rc 3 "disabled user logs in" -- rk_as riikka riikka-password-2 config show
grep -q "disabled" "$WORK/err" || fail "disabled message: $(cat "$WORK/err")"
rk_as admin "$ADMIN_PW" user enable riikka >/dev/null || fail "enable"
want_rc 0 "enabled user logs in" -- rk_as riikka riikka-password-2 config show
want_rc 1 "admin disables self" -- rk_as admin "$ADMIN_PW" user disable admin

# Three failures start a delay; the message says to wait.
for i in 1 2 3; do want_rc 3 "wrong password $i" -- rk_as riikka wrong-password-x config show; done
want_rc 3 "during the delay" -- rk_as riikka riikka-password-2 config show
grep -q "wait" "$WORK/err" || fail "delay message: $(cat "$WORK/err")"

# Lock by writing 20 failures (the delays would take minutes), then unlock.
sed -i 's/^user riikka .*/user riikka 20 1 1/' "$REKISTERI_DIR/state"
want_rc 3 "locked account" -- rk_as riikka riikka-password-2 config show
grep -q "locked" "$WORK/err" || fail "locked message: $(cat "$WORK/err")"
rk_as admin "$ADMIN_PW" user unlock riikka >/dev/null || fail "unlock"
want_rc 0 "after unlock" -- rk_as riikka riikka-password-2 config show

# The list shows everyone; failed logins reached the audit chain.
rk_as admin "$ADMIN_PW" user list >"$WORK/list" || fail "user list"
grep -q "^riikka	reception	active" "$WORK/list" || fail "user list: $(cat "$WORK/list")"
rk_as admin "$ADMIN_PW" audit verify >"$WORK/out" || fail "audit verify: $(cat "$WORK/out")"
grep -q "intact" "$WORK/out" || fail "audit verify output"

# Settings: admin only, validated, and shown.
want_rc 4 "reception sets config" -- rk_as riikka riikka-password-2 config set idle_lock 5m
want_rc 2 "bad duration" -- rk_as admin "$ADMIN_PW" config set idle_lock soon
rk_as admin "$ADMIN_PW" config set idle_lock 5m >/dev/null || fail "config set"
rk_as riikka riikka-password-2 config show | grep -q "^idle_lock *5m" || fail "config show"
# The consent and call-note settings are checked too.
want_rc 2 "unknown opt-in channel" -- rk_as admin "$ADMIN_PW" config set consent_optin_channels fax
want_rc 2 "keep months out of range" -- rk_as admin "$ADMIN_PW" config set call_keep_months 200
rk_as admin "$ADMIN_PW" config set consent_optin_channels email,sms,phone >/dev/null || fail "opt-in set"

# --help and --version.
"$RK" --help | grep -q "user add NAME --role ROLE" || fail "--help lists commands"
"$RK" --version | grep -q "^rekisteri [0-9]" || fail "--version"

# The audit chain head kept outside the registry: `audit head` prints it,
# `audit verify --head` accepts it (and the syslog line's own form), and a
# head the chain no longer holds, or a malformed one, is refused.
want_rc 4 "reception reads the chain head" -- rk_as riikka riikka-password-2 audit head
want_rc 0 "audit head" -- rk_as admin "$ADMIN_PW" audit head
head=$(cat "$WORK/out")
[[ $head =~ ^[0-9]+:[0-9a-f]{64}$ ]] || fail "audit head printed: $head"
want_rc 0 "verify against the head" -- rk_as admin "$ADMIN_PW" audit verify --head "$head"
want_rc 0 "syslog form" -- rk_as admin "$ADMIN_PW" audit verify --head "seq=${head%%:*} hash=${head#*:}"
want_rc 1 "a head past the chain" -- rk_as admin "$ADMIN_PW" audit verify --head "$(( ${head%%:*} + 1000 )):${head#*:}"
grep -q "Audit log broken: row .* is missing; the newest rows were removed" "$WORK/err" || fail "tail message: $(cat "$WORK/err")"
want_rc 1 "another hash" -- rk_as admin "$ADMIN_PW" audit verify --head "${head%%:*}:$(printf '0%.0s' {1..64})"
grep -q "the chain was rewritten" "$WORK/err" || fail "rewritten message: $(cat "$WORK/err")"
want_rc 2 "malformed head" -- rk_as admin "$ADMIN_PW" audit verify --head nonsense
exit 0
