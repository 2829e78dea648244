#!/usr/bin/env bash
# Concurrency, short run (RELIABILITY.md): 4 processes x 50 saves on shared
# clients; `make stress` runs 8 x 500.
source "$(dirname "$0")/lib.sh"
bin="$ROOT/build/tests/stress/concurrency"
[ -x "$bin" ] || fail "$bin is missing (make stress-bins)"
out=$(TMPDIR="$WORK" "$bin" --procs 4 --saves 50 2>&1) || fail "$out"
echo "$out"
