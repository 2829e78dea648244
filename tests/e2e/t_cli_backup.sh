#!/usr/bin/env bash
# `rekisteri backup` while another user writes, `restore` (checked before it
# replaces anything; a damaged backup changes nothing), `check`, and key
# rotation: after `rekey` a copied old keyring opens nothing while every
# user logs in as before; `user disable --rekey` shuts out the user's key.
source "$(dirname "$0")/lib.sh"
make_registry
DPW="dpo-officer-password-42"; RPW="reception-password-42"
add_user tiina dpo "$DPW"
add_user riikka reception "$RPW"
rk_as() { local u=$1 p=$2; shift 2; "$RK" --user "$u" --password-fd 3 "$@" 3<<<"$p"; }

{ printf 'etunimi;sukunimi;hetu\n'; printf 'Anna;Mäkinen;131052-308T\nPekka;Öhman;010190-901R\n'; } >"$WORK/in.csv"
rk_as tiina "$DPW" import "$WORK/in.csv" >/dev/null 2>&1 || fail "import"

# Another user adds clients while the backup runs.
( for i in $(seq 1 40); do
      rk_as tiina "$DPW" client add --set first_names=Testi --set last_name="Kirjoittaja" >/dev/null 2>&1 || exit 1
  done ) &
writer=$!
sleep 0.3
rk_as admin "$ADMIN_PW" backup "$WORK/nightly.rkb" >"$WORK/out" 2>&1 || fail "backup: $(cat "$WORK/out")"
wait $writer || fail "the writer failed during the backup"
[ "$(stat -c %a "$WORK/nightly.rkb")" = 600 ] || fail "backup file mode"
rk_as admin "$ADMIN_PW" check >"$WORK/out" || fail "check: $(cat "$WORK/out")"
grep -q "audit chain: ok" "$WORK/out" || fail "check report: $(cat "$WORK/out")"

# Restore into a new directory: it passes the check there.
rk_as admin "$ADMIN_PW" restore "$WORK/nightly.rkb" --dir "$WORK/restored" >"$WORK/out" 2>&1 || fail "restore: $(cat "$WORK/out")"
grep -q "Restored" "$WORK/out" || fail "restore message"
"$RK" --dir "$WORK/restored" --user admin --password-fd 3 check 3<<<"$ADMIN_PW" >"$WORK/out" || fail "check restored: $(cat "$WORK/out")"
"$RK" --dir "$WORK/restored" --user tiina --password-fd 3 search Mäkinen 3<<<"$DPW" | grep -q "Mäkinen" || fail "restored data"

# A damaged backup is refused and the registry stays as it was.
cp "$WORK/nightly.rkb" "$WORK/bad.rkb"
size=$(stat -c %s "$WORK/bad.rkb")
printf '\x00\x01\x02' | dd of="$WORK/bad.rkb" bs=1 seek=$((size / 2)) conv=notrunc 2>/dev/null
before=$(rk_as tiina "$DPW" search Kirjoittaja | wc -l)
rk_as admin "$ADMIN_PW" restore "$WORK/bad.rkb" --dir "$REKISTERI_DIR" >"$WORK/out" 2>&1 && fail "damaged backup restored"
grep -q "damaged" "$WORK/out" || fail "damaged message: $(cat "$WORK/out")"
[ "$(rk_as tiina "$DPW" search Kirjoittaja | wc -l)" = "$before" ] || fail "registry changed by a refused restore"
ls -d "$REKISTERI_DIR".restore-* 2>/dev/null && fail "staging directory left behind"

# Key rotation: a copy of the old keyring (the old key) opens nothing.
mkdir "$WORK/thief"
cp "$REKISTERI_DIR/keyring" "$WORK/thief/keyring"
rk_as admin "$ADMIN_PW" rekey >"$WORK/out" 2>&1 || fail "rekey: $(cat "$WORK/out")"
cp "$REKISTERI_DIR/registry.db" "$WORK/thief/registry.db"
"$RK" --dir "$WORK/thief" --user riikka --password-fd 3 search Mäkinen 3<<<"$RPW" >"$WORK/out" 2>&1 &&
    fail "the old key opened the rotated database"
rk_as riikka "$RPW" search Mäkinen | grep -q Mäkinen || fail "riikka after rekey"
rk_as tiina "$DPW" search Öhman | grep -q Öhman || fail "tiina after rekey"
rk_as admin "$ADMIN_PW" check >"$WORK/out" || fail "check after rekey: $(cat "$WORK/out")"

# Disabling with --rekey: riikka's copied slot stops working.
cp "$REKISTERI_DIR/keyring" "$WORK/thief/keyring"
rk_as admin "$ADMIN_PW" user disable riikka --rekey >"$WORK/out" 2>&1 || fail "disable --rekey: $(cat "$WORK/out")"
grep -q "rotated" "$WORK/out" || fail "disable --rekey message"
cp "$REKISTERI_DIR/registry.db" "$WORK/thief/registry.db"
"$RK" --dir "$WORK/thief" --user riikka --password-fd 3 search Mäkinen 3<<<"$RPW" >/dev/null 2>&1 &&
    fail "the disabled user's old key opened the database"
rk_as tiina "$DPW" search Mäkinen | grep -q Mäkinen || fail "tiina after disable --rekey"
rk_as admin "$ADMIN_PW" check >/dev/null || fail "check after disable --rekey"

# A damaged database fails the check (exit 1).
size=$(stat -c %s "$REKISTERI_DIR/registry.db")
printf 'XXXXXXXX' | dd of="$REKISTERI_DIR/registry.db" bs=1 seek=$((size - 3000)) conv=notrunc 2>/dev/null
rk_as admin "$ADMIN_PW" check >"$WORK/out" 2>&1 && fail "check passed a damaged database"
echo "PASS [$TEST_NAME]"
