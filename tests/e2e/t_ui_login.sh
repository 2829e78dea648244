#!/usr/bin/env bash
# TUI login: a wrong password is refused with the service's message, repeated
# failures show the live delay, the right password shows the home screen
# with the user and role in the title, and Ctrl-Q quits with status 0.
source "$(dirname "$0")/lib.sh"

make_registry
start -- "$RK"
expect "Username"
expect "F10Quit"
expect_not "Anna Admin"

# Esc then a digit is an F-key: Esc 1 opens the help, Esc closes it.
keys Escape 1
expect "Keys of the screen"
expect "Log in with the username and password"
keys Escape
for ((i = 0; i < 40; i++)); do screen | grep -qF "Keys of the screen" || break; sleep 0.05; done
expect_not "Keys of the screen"
expect "Username"

type_text admin; keys Enter
type_text wrong-password-1; keys Enter
expect "Wrong username or password"
# Still on the login screen, focus kept on the password field.
expect "Username"
expect_not "Administrator"

# Two more failures: the third starts the delay, counted down on screen.
type_text wrong-password-2; keys Enter
sleep 0.3
type_text wrong-password-3; keys Enter
expect "Too many failed attempts: wait"
# The countdown ends by itself.
for ((i = 0; i < 100; i++)); do
    screen | grep -qF "Too many failed attempts" || break
    sleep 0.1
done
expect_not "Too many failed attempts"

# The password field shows one '*' per character, never the text.
type_text "$ADMIN_PW"
expect "$(printf '%*s' ${#ADMIN_PW} '' | tr ' ' '*')"
expect_not "$ADMIN_PW"
keys Enter
expect "Anna Admin (Administrator)"
expect "Users"
expect "Last login"
expect "F2Add"

keys C-q
expect "<<exit 0>>"
