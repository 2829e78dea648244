#!/usr/bin/env bash
# Tampering reports, short runs (RELIABILITY.md): 100 audit-table mutations
# each checked with `rekisteri audit verify`, and the keyring mutations with
# two bit positions per byte; `make tamper-report` runs 1000 and all 8 bits.
source "$(dirname "$0")/lib.sh"
for b in tamper_audit tamper_keyring; do
    [ -x "$ROOT/build/tests/stress/$b" ] || fail "build/tests/stress/$b is missing (make stress-bins)"
done
out=$(TMPDIR="$WORK" "$ROOT/build/tests/stress/tamper_audit" --rekisteri "$RK" --mutations 100 2>&1) ||
    fail "$out"
echo "$out"
out=$(TMPDIR="$WORK" "$ROOT/build/tests/stress/tamper_keyring" --quick 2>&1) || fail "$out"
echo "$out"
