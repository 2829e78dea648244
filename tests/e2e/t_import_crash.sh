#!/usr/bin/env bash
# kill -9 during a large import: afterwards the registry passes `rekisteri
# check` and holds either none or all of that import (one transaction).
source "$(dirname "$0")/lib.sh"
make_registry
DPW="dpo-officer-password-42"
add_user tiina dpo "$DPW"
ROWS=${CRASH_ROWS:-10000}
{ printf 'etunimi;sukunimi;lähiosoite;postinumero\n'
  for i in $(seq 1 "$ROWS"); do printf 'Testi;Henkilö;Koekatu %d;00100\n' "$i"; done; } >"$WORK/big.csv"
printf '%s\n' "$DPW" >"$WORK/pw"

clients() {   # the client count from `check`, which must pass
    "$RK" --user admin --password-fd 3 check 3<<<"$ADMIN_PW" >"$WORK/check" 2>&1 ||
        fail "check failed after a kill: $(cat "$WORK/check")"
    sed -nE 's/.*foreign keys; ([0-9]+) clients.*/\1/p' "$WORK/check"
}

# How long a whole import takes here: the kills land at fractions of it.
t0=$(date +%s.%N)
"$RK" --user tiina --password-fd 3 import "$WORK/big.csv" 3<"$WORK/pw" >/dev/null 2>&1 || fail "first import"
t1=$(date +%s.%N)
base=$(clients) killed=0 midway=0
[ "$base" = "$ROWS" ] || fail "the first import holds $base clients, not $ROWS"
for frac in 0.3 0.5 0.7 0.85; do
    delay=$(awk -v a="$t0" -v b="$t1" -v f="$frac" 'BEGIN { printf "%.2f", (b - a) * f }')
    "$RK" --user tiina --password-fd 3 import "$WORK/big.csv" 3<"$WORK/pw" >/dev/null 2>&1 &
    pid=$!
    sleep "$delay"
    kill -9 "$pid" 2>/dev/null && killed=$((killed + 1))
    wait "$pid" 2>/dev/null
    # A journal with content: the kill came inside the import's transaction.
    [ -s "$REKISTERI_DIR/registry.db-journal" ] && midway=$((midway + 1))
    n=$(clients)
    if [ "$n" = "$base" ]; then
        :
    elif [ "$n" = $((base + ROWS)) ]; then
        base=$n
    else
        fail "after kill -9 at ${delay} s the registry holds $n clients: neither $base nor $((base + ROWS))"
    fi
done
[ "$midway" -gt 0 ] || fail "no kill landed inside the import's transaction: raise CRASH_ROWS"
# And one left alone holds all of it.
"$RK" --user tiina --password-fd 3 import "$WORK/big.csv" 3<"$WORK/pw" >/dev/null 2>&1 || fail "import"
[ "$(clients)" = $((base + ROWS)) ] || fail "a whole import is not all there"
echo "PASS [$TEST_NAME] ($killed imports killed, $midway inside the transaction)"
