#!/usr/bin/env bash
# The program in Finnish (fi_FI.UTF-8) at 80x24: login, client search and
# client card show Finnish labels, the function-key bar holds every label
# whole, dates are dd.mm.yyyy and times hh.mm; on "Oma tili" F4 switches the
# user's own language (suomi, svenska, English, back to the locale's) at once, and
# the choice is kept for the next login.
source "$(dirname "$0")/lib.sh"

PW="reception-password-42"
make_registry
add_user reception reception "$PW"
"$RK" client add --set first_names=Anna --set last_name=Mäkinen --set hetu=050380-1238 \
    --add phones=mobile:0401234567 --user reception --password-fd 3 3<<<"$PW" >/dev/null ||
    fail "client add failed"

LANG_UI=fi_FI.UTF-8
start 80 24 -- "$RK"
expect "Asiakasrekisteri – kirjautuminen"
expect "Käyttäjätunnus:"
expect "Salasana:"
bar_has "F1Ohje" "Enter Kirjaudu" "F10Lopeta"
type_text reception; keys Enter
type_text "$PW"; keys Enter

# Client search.
expect "Asiakashaku:"
expect "Kirjoita nimi, henkilötunnus, asiakasnumero, puhelinnumero tai sähköposti."
expect "Hetu"
expect "Syntynyt"
expect "Postitoimipaikka"
expect "reception (Vastaanotto)"
bar_has "F1Ohje" "F2Uusi" "Enter Avaa" "Esc Tyhjennä" "F3Oma tili" "F9Lukitse" "F10Lopeta"
type_text mäki
expect "1 osuma"
expect "Mäkinen, Anna"
expect "05.03.1980"            # dd.mm.yyyy, zero-padded
keys Escape
expect "Kirjoita nimi"
expect_not "Mäkinen"
type_text makinen
expect "1 osuma"

# Client card.
keys Enter
expect "Asiakaskortti"
expect "Mäkinen, Anna, asiakasnumero"
screen | grep -qE "versio 1, tallentanut reception $stamp_re" || fail "no 'versio 1, tallentanut reception dd.mm.yyyy hh.mm'"
expect "Henkilötiedot"
expect "Syntymäaika:"
expect "05.03.1980"
expect "Henkilötunnus:"
bar_has "F1Ohje" "F2Tallenna" "F5Suostumus" "F6Puhelut" "Esc Sulje" "F9Lukitse" "F10Lopeta"
keys F8
expect "Puhelinnumerot:"
expect "(matkapuhelin)"
expect "Ensisijainen yhteydenottotapa:"
keys F1
expect 'Näkymän "Asiakaskortti" näppäimet'
keys Escape
expect "Puhelinnumerot:"
# The discard question takes the Finnish answer letters (k = kyllä, e = ei).
type_text "x"
keys Escape
expect "Hylätäänkö muutokset? (k/e)"
keys e
expect_not "Hylätäänkö"
keys Escape
expect "Hylätäänkö muutokset? (k/e)"
keys k
expect "Asiakashaku:"

# My account: the language follows the locale until the user picks one.
keys F3
expect "Oma tili"
expect "Kieli:"
expect "järjestelmän mukaan (locale)"
screen | grep -qE "Edellinen kirjautuminen: +$stamp_re" || fail "previous login not dd.mm.yyyy hh.mm"
bar_has "F2Salasana" "F4Kieli" "Esc Sulje"
keys F4
expect "Kieli: suomi"
keys F4
expect "Mitt konto"
expect "Språk: svenska"
bar_has "F1Hjälp" "F2Lösenord" "F4Språk" "Esc Stäng" "F9Lås" "F10Avsluta"
keys F4
expect "My account"
expect "Language: English"
keys F4
expect "Oma tili"
expect "järjestelmän mukaan (locale)"
keys F4
expect "Kieli: suomi"
keys F4
expect "Språk: svenska"
keys Escape
expect "Kundsökning:"
keys F10
expect "<<exit 0>>"

# Kept with the user: Finnish locale, Swedish after login.
t_tmux kill-session -t =t
start 80 24 -- "$RK"
expect "Käyttäjätunnus:"
type_text reception; keys Enter
type_text "$PW"; keys Enter
expect "Kundsökning:"
expect "reception (Reception)"
keys F10
expect "<<exit 0>>"
