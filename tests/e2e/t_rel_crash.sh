#!/usr/bin/env bash
# Crash safety, short run (RELIABILITY.md): 20 rounds of kill -9 on two
# concurrent writers; `make crash-test` runs 200.
source "$(dirname "$0")/lib.sh"
out=$("$ROOT/tests/stress/crash_loop" 20) || fail "$out"
echo "$out"
