#!/usr/bin/env bash
# Fuzzing in CI (RELIABILITY.md): `make check` (and so .ci/run) runs every
# libFuzzer target briefly -- 3 s each, the tree left alone, known crashes
# replayed first -- when clang is installed; `make fuzz` is the long run.
source "$(dirname "$0")/lib.sh"
if ! command -v "${FUZZ_CC:-clang}" >/dev/null; then
    echo "SKIPPED: clang is not installed (scripts/ensure-deps installs it)"; exit 0
fi
out=$("$ROOT/tests/fuzz/run" --seconds "${FUZZ_SMOKE_SECONDS:-3}" --no-merge --build "$ROOT/build-fuzz" 2>&1) ||
    fail "$out"
echo "$out" | tail -13
