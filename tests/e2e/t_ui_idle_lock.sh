#!/usr/bin/env bash
# Idle lock: with idle_lock 2s the screen locks by itself, hides everything
# but the unlock box, refuses a wrong password, unlocks with the right one;
# F10 at the lock screen logs out and quits.
source "$(dirname "$0")/lib.sh"

make_registry
printf '%s\n' "$ADMIN_PW" |
    "$RK" config set idle_lock 2s --user admin --password-fd 0 >/dev/null ||
    fail "config set idle_lock failed"

start -- "$RK"
login admin "$ADMIN_PW"
expect "Anna Admin (Administrator)"
expect "Last login"
expect "Locked — enter the password of admin to continue" 6
expect_not "Anna Admin"
expect_not "Last login"
expect_not "F2Add"

type_text not-the-password; keys Enter
expect "Wrong password"
expect "Locked — enter the password"

type_text "$ADMIN_PW"; keys Enter
expect "Last login"
expect "Anna Admin (Administrator)"

# It locks again after another idle spell; F10 there quits.
expect "Locked — enter the password of admin" 6
keys F10
expect "<<exit 0>>"
