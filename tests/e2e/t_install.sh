# make install honours PREFIX and DESTDIR; the installed program runs, its
# man page renders, and a group-writable (shared) registry gets group files.
source "$(dirname "$0")/lib.sh"
make -s -C "$ROOT" install PREFIX=/usr DESTDIR="$WORK/inst" >/dev/null 2>&1 || fail "make install"
[ -x "$WORK/inst/usr/bin/rekisteri" ] || fail "no installed binary"
[ -f "$WORK/inst/usr/share/man/man1/rekisteri.1" ] || fail "no man page"
"$WORK/inst/usr/bin/rekisteri" --version | grep -q '^rekisteri ' || fail "installed binary does not run"
man -l "$WORK/inst/usr/share/man/man1/rekisteri.1" 2>/dev/null | grep -q "EXIT STATUS" || fail "man page"
for po in "$ROOT"/locale/*.po; do
    [ -f "$po" ] || continue
    lang=$(basename "$po" .po)
    [ -f "$WORK/inst/usr/share/locale/$lang/LC_MESSAGES/rekisteri.mo" ] || fail "no $lang catalog"
done
# The installed program finds its own catalogs (PREFIX/share/locale, seen
# from the executable, so also from the DESTDIR staging tree).
LC_ALL=fi_FI.UTF-8 "$WORK/inst/usr/bin/rekisteri" --help | grep -q '^Käyttö: rekisteri' ||
    fail "installed program does not speak Finnish under fi_FI.UTF-8"
LC_ALL=sv_FI.UTF-8 "$WORK/inst/usr/bin/rekisteri" --help | grep -q '^Användning: rekisteri' ||
    fail "installed program does not speak Swedish under sv_FI.UTF-8"
make -s -C "$ROOT" uninstall PREFIX=/usr DESTDIR="$WORK/inst" >/dev/null 2>&1 || fail "make uninstall"
[ ! -e "$WORK/inst/usr/bin/rekisteri" ] || fail "uninstall left the binary"

# Shared registry: a group-writable directory makes group-writable files.
mkdir -m 2770 "$REKISTERI_DIR"
chmod 2770 "$REKISTERI_DIR"
make_registry
for i in 1 2 3; do "$RK" config show --user admin --password-fd 3 3<<<"wrong-password-$i" >/dev/null 2>&1; done
mode=$(stat -c %a "$REKISTERI_DIR/state")
[ "$mode" = 660 ] || fail "state in a shared directory has mode $mode, want 660"
exit 0
