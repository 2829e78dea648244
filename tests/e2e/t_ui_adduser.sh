#!/usr/bin/env bash
# The administrator adds a user through the TUI form (field errors first:
# short password, mismatch), then that user logs in in a second run and sees
# their account with the chosen role.
source "$(dirname "$0")/lib.sh"

NEW_PW="carol-password-42"
make_registry
start -- "$RK"
login admin "$ADMIN_PW"
expect "Anna Admin (Administrator)"

keys F2
expect "Add user"
type_text carol; keys Tab
type_text "Carol Ääkkönen"; keys Tab
keys Right Right          # Reception -> Billing -> Marketing
expect "Marketing"
keys Tab
type_text short; keys Tab
type_text short; keys Enter
expect "at least 12"
expect "Add user"

type_text "$NEW_PW"; keys Tab
type_text "$NEW_PW-typo"; keys Enter
expect "do not match"

type_text "$NEW_PW"; keys Tab
type_text "$NEW_PW"; keys Enter
expect "User carol added"
expect "Carol Ääkkönen"
expect "never"
keys F10
expect "<<exit 0>>"

t_tmux kill-session -t =t
start -- "$RK"
login carol "$NEW_PW"
expect "Carol Ääkkönen (Marketing)"
expect "My account"
expect "none: this is your first login"
keys F10
expect "<<exit 0>>"
