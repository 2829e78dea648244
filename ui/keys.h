/* Every action of the UI, declared once: the enum, its name, its keys, its
 * label in the function-key bar and its help sentence all come from
 * UI_ACTIONS. Each screen lists which actions it offers; the bar and the
 * help screen are drawn from that list, so they cannot disagree with what
 * the keys do.
 *
 * Every action with an F-key also has a Ctrl or letter alternative, and
 * Esc followed by a digit (or Alt-digit) is F1..F10 (0 = F10), as in
 * Midnight Commander, for terminals that send no F-keys. Letters only act
 * on screens without a text field. */
#ifndef RK_UI_KEYS_H
#define RK_UI_KEYS_H

#include <stdbool.h>
#include <stddef.h>
#include <wchar.h>

#include "common.h"

enum ui_keykind {
    UK_NONE, UK_FKEY, UK_CTRL, UK_LETTER, UK_ENTER, UK_ESC, UK_TAB, UK_BTAB,
    UK_CPGUP, UK_CPGDN,    /* Ctrl-PgUp/PgDn: terminfo kPRV5/kNXT5, where it has them */
    UK_YES, UK_NO,         /* the answer letters of the user's language (k/e, j/n, y/n) */
};

typedef struct ui_keyspec {
    enum ui_keykind kind;
    int val;               /* F-key number, letter, or the Ctrl letter */
} ui_keyspec;

#define KF(n)  { UK_FKEY, (n) }
#define KC(c)  { UK_CTRL, (c) }
#define KL(c)  { UK_LETTER, (c) }
#define KENTER { UK_ENTER, 0 }
#define KESC   { UK_ESC, 0 }
#define KTAB   { UK_TAB, 0 }
#define KBTAB  { UK_BTAB, 0 }
#define KCPGUP { UK_CPGUP, 0 }
#define KCPGDN { UK_CPGDN, 0 }
#define KYES   { UK_YES, 0 }
#define KNO    { UK_NO, 0 }
#define K0     { UK_NONE, 0 }

/* X(id, name, key1, key2, in_bar, label (context "fkey"), help) */
#define UI_ACTIONS(X)                                                          \
    X(HELP, "help", KF(1), KL('?'), true, NC_("fkey", "Help"),                 \
      N_("Show the keys of this screen; Esc or F1 closes the help."))         \
    X(QUIT, "quit", KF(10), KC('Q'), true, NC_("fkey", "Quit"),                \
      N_("Log out and leave the program."))                                    \
    X(LOCK, "lock", KF(9), KL('l'), true, NC_("fkey", "Lock"),                 \
      N_("Lock the screen now, e.g. when leaving the desk."))                  \
    X(REDRAW, "redraw", KC('L'), K0, false, NC_("fkey", "Redraw"),             \
      N_("Redraw the whole screen."))                                          \
    X(LOGIN, "login", KENTER, K0, true, NC_("fkey", "Log in"),                 \
      N_("Log in with the username and password given."))                     \
    X(UNLOCK_SCREEN, "unlock-screen", KENTER, K0, true, NC_("fkey", "Unlock"), \
      N_("Unlock the screen with your password."))                             \
    X(NEXT_FIELD, "next-field", KTAB, K0, false, NC_("fkey", "Next"),          \
      N_("Move to the next field (also Down; Enter on all but the last field)."))\
    X(PREV_FIELD, "previous-field", KBTAB, K0, false, NC_("fkey", "Previous"), \
      N_("Move to the previous field (also Up)."))                             \
    X(SAVE, "save", KF(2), KC('S'), true, NC_("fkey", "Save"),                 \
      N_("Save the form (Enter on its last field does the same)."))            \
    X(CONFIRM, "confirm", KENTER, K0, true, NC_("fkey", "Confirm"),            \
      N_("Carry out the action asked about."))                                 \
    X(CANCEL, "cancel", KESC, KC('C'), true, NC_("fkey", "Cancel"),            \
      N_("Close without changing anything."))                                  \
    X(USER_ADD, "user-add", KF(2), KL('a'), true, NC_("fkey", "Add"),          \
      N_("Add a user: username, full name, role and a first password."))       \
    X(USER_DISABLE, "user-disable", KF(3), KL('d'), true, NC_("fkey", "Disable"), \
      N_("Disable the selected user: they can no longer log in."))             \
    X(USER_ENABLE, "user-enable", KF(4), KL('e'), true, NC_("fkey", "Enable"), \
      N_("Enable the selected user again."))                                   \
    X(USER_UNLOCK, "user-unlock", KF(5), KL('u'), true, NC_("fkey", "Unlock"), \
      N_("Clear the selected user's failed logins and lock."))                 \
    X(USER_RESET, "user-reset-password", KF(6), KL('p'), true, NC_("fkey", "Passwd"), \
      N_("Give the selected user a new password."))                            \
    X(OWN_PASSWD, "change-password", KF(2), KL('p'), true, NC_("fkey", "Passwd"), \
      N_("Change your own password."))                                         \
    X(CLIENT_NEW, "client-new", KF(2), KC('N'), true, NC_("fkey", "New"),      \
      N_("Add a new client on an empty card; saving checks first whether the client is already in the register.")) \
    X(CLIENT_OPEN, "client-open", KENTER, K0, true, NC_("fkey", "Open"),       \
      N_("Open the card of the selected client."))                            \
    X(SEARCH_CLEAR, "search-clear", KESC, K0, true, NC_("fkey", "Clear"),      \
      N_("Empty the search field and the result list."))                      \
    X(ACCOUNT, "account", KF(3), KC('P'), true, NC_("fkey", "Account"),        \
      N_("Show your account: role, previous login, language and password."))  \
    X(CLOSE, "close", KESC, KC('W'), true, NC_("fkey", "Close"),               \
      N_("Go back to the screen before."))                                    \
    X(CARD_CLOSE, "card-close", KESC, KC('W'), true, NC_("fkey", "Close"),     \
      N_("Close the card; if it has unsaved changes, asks whether to discard them.")) \
    X(TAB_PREV, "tab-previous", KF(7), KCPGUP, false, NC_("fkey", "Prev tab"),  \
      N_("Show the card's previous section."))                                \
    X(TAB_NEXT, "tab-next", KF(8), KCPGDN, false, NC_("fkey", "Next tab"),      \
      N_("Show the card's next section."))                                    \
    X(ITEM_ADD, "item-add", KF(3), KC('N'), false, NC_("fkey", "Add"),         \
      N_("Add an item to the list at the cursor: a phone number, an e-mail address, an event or a data source.")) \
    X(ITEM_DELETE, "item-delete", KF(4), KC('K'), false, NC_("fkey", "Remove"), \
      N_("Remove the selected item from the list at the cursor (Delete does the same there)."))  \
    X(DISCARD, "discard", KYES, K0, true, NC_("fkey", "Discard"),           \
      N_("Yes: discard the changes and close."))                              \
    X(KEEP_EDITING, "keep-editing", KNO, KESC, true, NC_("fkey", "Keep"),  \
      N_("No: go back, changes kept."))                           \
    X(RELOAD, "reload", KF(5), KL('r'), true, NC_("fkey", "Reload"),           \
      N_("Discard your edits and load the card as it is saved now."))         \
    X(REVIEW, "review", KF(6), KL('v'), true, NC_("fkey", "Review"),           \
      N_("Show your changed fields beside the values saved now, to apply yours again.")) \
    X(REAPPLY, "reapply", KF(2), KC('S'), true, NC_("fkey", "Re-apply"),       \
      N_("Put your changes on the card as it is saved now; check them, then save."))   \
    X(DUP_OPEN, "duplicate-open", KENTER, KL('o'), true, NC_("fkey", "Open it"), \
      N_("Open the card of the client already in the register; the new card is dropped.")) \
    X(DUP_CREATE, "duplicate-create", KF(2), KL('c'), true, NC_("fkey", "Create"), \
      N_("Create the new client anyway: it is a different person."))          \
    X(CONSENTS, "consents", KF(5), KC('T'), true, NC_("fkey", "Consent"),      \
      N_("Open the client's consents and marketing bans: purposes by channels, and the bans beside them.")) \
    X(CALL_NOTES, "call-notes", KF(6), KC('R'), true, NC_("fkey", "Calls"),    \
      N_("Open the client's call-recording notes."))                          \
    X(CONSENT_CYCLE, "consent-cycle", KL(' '), K0, false, NC_("fkey", "Cycle"), \
      N_("Change the selected cell: unknown, allowed, denied, and round again (skipping what your role may not record).")) \
    X(CONSENT_ALLOW, "consent-allow", KL('a'), K0, false, NC_("fkey", "Allow"), \
      N_("Set the selected cell to allowed (for a ban: lifted)."))            \
    X(CONSENT_DENY, "consent-deny", KL('d'), K0, false, NC_("fkey", "Deny"),   \
      N_("Set the selected cell to denied: refused or withdrawn (for a ban: in force).")) \
    X(CONSENT_UNKNOWN, "consent-unknown", KL('u'), K0, false, NC_("fkey", "Unknown"), \
      N_("Set the selected cell back to unknown: never asked."))              \
    X(CONSENT_SAVE, "consent-save", KF(2), KC('S'), true, NC_("fkey", "Save"), \
      N_("Save the changed cells as one event: asks once for their source and an optional note.")) \
    X(CONSENT_HISTORY, "consent-history", KF(5), KL('h'), true, NC_("fkey", "History"), \
      N_("List every recorded change of the selected cell: when, who, the source and the note.")) \
    X(EDIT_CLOSE, "edit-close", KESC, KC('W'), true, NC_("fkey", "Close"),     \
      N_("Close; if there are unsaved changes, asks whether to discard them.")) \
    X(CALL_NEW, "call-new", KF(2), KL('n'), true, NC_("fkey", "New"),          \
      N_("Write a note of a recorded call with this client."))                \
    X(CALL_AMEND, "call-amend", KF(3), KL('a'), true, NC_("fkey", "Amend"),    \
      N_("Append a dated correction to the selected note; only its author may.")) \
    X(LANGUAGE, "language", KF(4), KL('k'), true, NC_("fkey", "Language"),     \
      N_("Change the language of the program for you: as the system, suomi, svenska or English. It is saved with your account.")) \
    X(DESK, "desk", KF(5), KC('O'), false, NC_("fkey", "Desk"),                \
      N_("The data protection officer's desk: open requests by due date, overdue ones marked.")) \
    X(REQUEST_NEW, "request-new", KC('G'), K0, false, NC_("fkey", "Request"),  \
      N_("Register a request of this person (access, erasure, restriction ...) with how the identity was checked.")) \
    X(REQUEST_REPORT, "request-report", KF(2), KL('r'), true, NC_("fkey", "Report"), \
      N_("Write the report the selected request calls for to files (access: text and JSON).")) \
    X(REQUEST_DECIDE, "request-decide", KF(3), KL('d'), true, NC_("fkey", "Decide"), \
      N_("Close the selected request with the decision and its reasons."))     \
    X(CLIENT_ERASE, "client-erase", KC('X'), K0, false, NC_("fkey", "Erase"),  \
      N_("Erase this client for good (dpo), after typing the customer number again.")) \
    X(AUDIT_LOG, "audit-log", KF(4), KL('a'), false, NC_("fkey", "Audit"),     \
      N_("The audit log: who did what and when, filtered by user, client, action and date.")) \
    X(AUDIT_VERIFY, "audit-verify", KF(2), KL('v'), true, NC_("fkey", "Verify"), \
      N_("Check the whole audit chain: an edited, deleted or reordered row shows here.")) \
    X(AUDIT_FILTER, "audit-filter", KF(3), KL('f'), true, NC_("fkey", "Filter"), \
      N_("Choose which events to show: user, customer number, action, dates.")) \
    X(EVENT_OPEN, "event-open", KENTER, K0, true, NC_("fkey", "Open"),         \
      N_("Show every field of the selected event."))                           \
    X(RETENTION, "retention", KF(6), KL('t'), false, NC_("fkey", "Retention"), \
      N_("What the retention rules make due today, and why."))                 \
    X(RETENTION_APPLY, "retention-apply", KF(2), KL('x'), true, NC_("fkey", "Apply"), \
      N_("Erase and delete everything the review lists, after a confirmation."))

typedef enum ui_action {
    UI_ACT_NONE = -1,
#define X(id, name, k1, k2, bar, label, help) UI_ACT_##id,
    UI_ACTIONS(X)
#undef X
    UI_ACT_COUNT
} ui_action;

/* A key as read from curses: fn means ch is a KEY_* code. */
typedef struct ui_key {
    bool fn;
    wint_t ch;
} ui_key;

const char *ui_action_name(ui_action a);
const char *ui_action_label(ui_action a);   /* translated, short */
const char *ui_action_help(ui_action a);    /* translated sentence */
bool        ui_action_in_bar(ui_action a);
const ui_keyspec *ui_action_keys(ui_action a, size_t *n);

/* "F2", "Ctrl-Q", "a", "Enter"... (translated where it is a word). */
void ui_keyspec_label(const ui_keyspec *k, char *buf, size_t n);
/* All keys of an action: "F2, a". */
void ui_action_keys_label(ui_action a, char *buf, size_t n);

bool ui_key_matches(const ui_key *k, const ui_keyspec *spec, bool letters);

/* The action among acts[0..n) bound to k, or UI_ACT_NONE. Letter keys count
 * only when `letters` (no text field has the focus). */
ui_action ui_key_action(const ui_key *k, const ui_action *acts, size_t n, bool letters);

/* The actions every screen offers, in bar order. */
extern const ui_action ui_global_actions[];
extern const size_t ui_global_actions_n;

#endif
