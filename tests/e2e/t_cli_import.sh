#!/usr/bin/env bash
# `rekisteri import` and `export clients` from the command line: an Excel
# style Windows-1252 file with semicolons and Finnish headers is detected and
# imported; bad rows are reported with line and column and nothing is
# imported; --skip-invalid writes the rejects; --dry-run writes nothing; the
# progress bar appears on a terminal; the export re-imports into another
# registry to the same rows.
source "$(dirname "$0")/lib.sh"
make_registry
DPW="dpo-officer-password-42"; RPW="reception-password-42"
add_user tiina dpo "$DPW"
add_user riikka reception "$RPW"

rk_as() {   # rk_as USER PASSWORD ARGS... (the password on fd 3)
    local u=$1 p=$2; shift 2
    "$RK" --user "$u" --password-fd 3 "$@" 3<<<"$p"
}

# Excel: Windows-1252, ';', CRLF, a quoted field with a line break.
printf 'Etunimi;Sukunimi;Henkilötunnus;Matkapuhelin;Sähköposti;Postinumero;Postitoimipaikka;Lisätiedot;Vanha tunniste\r\nAnna;Mäkinen;131052-308T;040 123 4567;anna@example.com;00100;Helsinki;"Soittaa ""aamulla""\r\nei iltaisin";A1\r\nPekka;Öhman;010190-901R;;;02100;Espoo;;A2\r\nLiisa;Korhonen;020285-902X;+358 50 765 4321;;33100;Tampere;=1+1;A3\r\n' |
    iconv -f UTF-8 -t WINDOWS-1252 >"$WORK/excel.csv"

rk_as tiina "$DPW" import "$WORK/excel.csv" --dry-run >"$WORK/out" 2>"$WORK/err" || fail "dry run: $(cat "$WORK/err")"
grep -q "Dry run: read 3, imported 3" "$WORK/out" || fail "dry run summary: $(cat "$WORK/out")"
grep -q "Nothing was written" "$WORK/out" || fail "dry run says nothing written"
[ -z "$(rk_as tiina "$DPW" search Mäkinen)" ] || fail "dry run wrote clients"

rk_as tiina "$DPW" import "$WORK/excel.csv" >"$WORK/out" 2>"$WORK/err" || fail "import: $(cat "$WORK/err")"
grep -q "encoding Windows-1252 (detected), delimiter ';' (detected)" "$WORK/err" || fail "detection report: $(cat "$WORK/err")"
grep -q 'column 9 "Vanha tunniste" is not imported' "$WORK/err" || fail "unknown column not reported"
grep -q "Import: read 3, imported 3, updated 0, skipped 0 (already in the registry), rejected 0" "$WORK/out" ||
    fail "summary: $(cat "$WORK/out")"
rk_as tiina "$DPW" show 131052-308T >"$WORK/card" || fail "show Anna"
grep -q "Mäkinen" "$WORK/card" && grep -q "+358401234567" "$WORK/card" && grep -q "aamulla" "$WORK/card" ||
    fail "card after import: $(cat "$WORK/card")"
grep -q "import from an earlier register" "$WORK/card" || fail "data source missing: $(cat "$WORK/card")"

# Again: the same codes are skipped; with --on-duplicate update they change.
rk_as tiina "$DPW" import "$WORK/excel.csv" >"$WORK/out" 2>&1 || fail "re-import"
grep -q "imported 0, updated 0, skipped 3" "$WORK/out" || fail "duplicates not skipped: $(cat "$WORK/out")"
sed 's/Helsinki/Vantaa/' "$WORK/excel.csv" >"$WORK/excel2.csv"
rk_as tiina "$DPW" import "$WORK/excel2.csv" --on-duplicate update >"$WORK/out" 2>&1 || fail "update: $(cat "$WORK/out")"
grep -q "updated 3" "$WORK/out" || fail "not updated: $(cat "$WORK/out")"
rk_as tiina "$DPW" show 131052-308T | grep -q Vantaa || fail "update not applied"

# Bad rows: each with line and column; nothing imported; exit 1.
printf 'etunimi;sukunimi;hetu\nMatti;Virtanen;110395-9046\nMaija;Lahti;110395-904X\nKalle;Koski\n' >"$WORK/bad.csv"
rk_as tiina "$DPW" import "$WORK/bad.csv" >"$WORK/out" 2>"$WORK/err"; rc=$?
[ "$rc" = 1 ] || fail "bad file: exit $rc, want 1"
grep -q 'line 3, column "hetu": Personal identity code' "$WORK/err" || fail "hetu line: $(cat "$WORK/err")"
grep -q 'line 4: the row has 2 fields but the header has 3' "$WORK/err" || fail "width line: $(cat "$WORK/err")"
grep -q "nothing was imported" "$WORK/err" || fail "all or nothing message"
[ -z "$(rk_as tiina "$DPW" search Virtanen)" ] || fail "a bad file imported a row"

rk_as tiina "$DPW" import "$WORK/bad.csv" --skip-invalid >/dev/null 2>&1; [ $? = 2 ] || fail "--skip-invalid without --reject-file"
rk_as tiina "$DPW" import "$WORK/bad.csv" --skip-invalid --reject-file "$WORK/rejects.csv" >"$WORK/out" 2>&1 ||
    fail "skip-invalid: $(cat "$WORK/out")"
grep -q "imported 1, .*rejected 2" "$WORK/out" || fail "skip-invalid summary: $(cat "$WORK/out")"
grep -q '"3";"hetu";' "$WORK/rejects.csv" && grep -q '"4";"";' "$WORK/rejects.csv" || fail "reject file: $(cat "$WORK/rejects.csv")"

# An unterminated quote names the line where the field starts.
printf 'etunimi;sukunimi\nA;B\n"C;D\nE;F\n' >"$WORK/quote.csv"
rk_as tiina "$DPW" import "$WORK/quote.csv" >/dev/null 2>"$WORK/err"
grep -q "starts on line 3 is never closed" "$WORK/err" || fail "quote: $(cat "$WORK/err")"

# The progress bar, on a terminal.
{ printf 'etunimi;sukunimi\n'; for i in $(seq 1 3000); do printf 'Testi;Henkilö\n'; done; } >"$WORK/many.csv"
printf '%s\n' "$DPW" >"$WORK/pw"
start -- "$RK" --user tiina --password-fd 3 import "$WORK/many.csv" "3<$WORK/pw"
expect "100%" 20
expect "imported 3000" 20
expect "<<exit 0>>" 10

# Export (formula cells neutralised) and re-import into a second registry.
rk_as tiina "$DPW" export clients >"$WORK/a.csv" 2>"$WORK/err" || fail "export: $(cat "$WORK/err")"
grep -q "recorded as disclosure" "$WORK/err" || fail "export not recorded"
grep -q "\"'=1+1\"" "$WORK/a.csv" || fail "formula not neutralised"
grep -q '"mobile +358401234567"' "$WORK/a.csv" || fail "phone: $(head -3 "$WORK/a.csv")"
rk_as tiina "$DPW" disclosures | grep -q client_export || fail "disclosure register"
B="$WORK/regb"
printf '%s\n' "$ADMIN_PW" | "$RK" init --dir "$B" --admin admin --new-password-fd 0 >/dev/null || fail "init B"
{ printf '%s\n' "$ADMIN_PW"; printf '%s\n' "$DPW"; } |
    "$RK" --dir "$B" user add tiina --role dpo --user admin --password-fd 0 --new-password-fd 0 >/dev/null || fail "user B"
"$RK" --dir "$B" --user tiina --password-fd 3 import "$WORK/a.csv" 3<<<"$DPW" >"$WORK/out" 2>&1 ||
    fail "re-import: $(cat "$WORK/out")"
"$RK" --dir "$B" --user tiina --password-fd 3 export clients 3<<<"$DPW" >"$WORK/b.csv" 2>/dev/null || fail "export B"
# Equal but for the customer number (first column) and the data sources
# (last column: B adds its own import).
strip() { sed -E 's/^"[^"]*";//; s/;"[^"]*"\r?$//' "$1"; }
diff <(strip "$WORK/a.csv") <(strip "$WORK/b.csv") >"$WORK/diff" || fail "round trip differs: $(head -20 "$WORK/diff")"
[ "$(wc -l <"$WORK/a.csv")" -ge 3000 ] || fail "export row count"
echo "PASS [$TEST_NAME]"
