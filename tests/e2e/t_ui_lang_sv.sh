#!/usr/bin/env bash
# The program in Swedish (sv_FI.UTF-8) at 80x24: login, client search and
# client card show Swedish labels, the function-key bar holds every label
# whole, dates are dd.mm.yyyy and times hh.mm (Finland-Swedish usage). A
# language stored with the user (rekisteri user lang) wins over the locale
# after login; "auto" gives the locale back.
source "$(dirname "$0")/lib.sh"

PW="reception-password-42"
make_registry
add_user reception reception "$PW"
"$RK" client add --set first_names=Anna --set last_name=Åberg --set hetu=050380-1238 \
    --add phones=mobile:0401234567 --user reception --password-fd 3 3<<<"$PW" >/dev/null ||
    fail "client add failed"

LANG_UI=sv_FI.UTF-8
start 80 24 -- "$RK"
expect "Kundregister – inloggning"
expect "Användarnamn:"
expect "Lösenord:"
bar_has "F1Hjälp" "Enter Logga in" "F10Avsluta"
type_text reception; keys Enter
type_text "$PW"; keys Enter

# Client search.
expect "Kundsökning:"
expect "Skriv namn, personbeteckning, kundnummer, telefonnummer eller e-post."
expect "Personbet."
expect "Född"
expect "Kundnr"
expect "reception (Reception)"
bar_has "F1Hjälp" "F2Ny" "Enter Öppna" "Esc Töm" "F3Konto" "F9Lås" "F10Avsluta"
type_text åber
expect "1 träff"
expect "Åberg, Anna"
expect "05.03.1980"

# Client card.
keys Enter
expect "Kundkort"
expect "Åberg, Anna, kundnummer"
screen | grep -qE "version 1, sparad av reception $stamp_re" || fail "no 'version 1, sparad av reception dd.mm.yyyy hh.mm'"
expect "Identitet"
expect "Födelsedatum:"
expect "05.03.1980"
expect "Personbeteckning:"
bar_has "F1Hjälp" "F2Spara" "F5Samtycke" "F6Samtal" "Esc Stäng" "F9Lås" "F10Avsluta"
keys F8
expect "Telefonnummer:"
expect "(mobil)"
expect "Önskad kontaktkanal:"
# The discard question takes the Swedish answer letters (j = ja, n = nej).
type_text "x"
keys Escape
expect "Förkasta ändringarna? (j/n)"
keys n
expect_not "Förkasta ändringarna"
keys Escape
expect "Förkasta ändringarna? (j/n)"
keys j
expect "Kundsökning:"
keys F10
expect "<<exit 0>>"

# The user's stored language wins over the locale, after login.
"$RK" user lang reception en --user admin --password-fd 3 3<<<"$ADMIN_PW" >/dev/null ||
    fail "user lang failed"
t_tmux kill-session -t =t
start 80 24 -- "$RK"
expect "Användarnamn:"
type_text reception; keys Enter
type_text "$PW"; keys Enter
expect "Search:"
expect "reception (Reception)"
bar_has "F1Help" "F2New" "F3Account"
keys F10
expect "<<exit 0>>"

# auto: the locale again. The command answers in the admin's locale.
LC_ALL=sv_FI.UTF-8 "$RK" user lang reception auto --user admin --password-fd 3 3<<<"$ADMIN_PW" |
    grep -qF "reception använder nu språket: enligt systemet (locale)." || fail "user lang auto"
t_tmux kill-session -t =t
start 80 24 -- "$RK"
type_text reception; keys Enter
type_text "$PW"; keys Enter
expect "Kundsökning:"
keys F10
expect "<<exit 0>>"
