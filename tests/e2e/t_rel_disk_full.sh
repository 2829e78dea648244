#!/usr/bin/env bash
# Disk full (RELIABILITY.md): writes past a file size limit and on a full
# tmpfs are refused with a clear message and leave the registry whole.
source "$(dirname "$0")/lib.sh"
out=$(TMPDIR="$WORK" "$ROOT/tests/stress/disk_full" 2>&1) || fail "$out"
echo "$out"
