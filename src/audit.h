/* The audit chain: every row carries a keyed BLAKE2b-256 of its own fields and
 * the previous row's hash, so an edited, deleted or reordered row breaks the
 * chain from that row on. Rows are appended in the same transaction as the
 * action they record. */
#ifndef RK_AUDIT_H
#define RK_AUDIT_H

#include "db_audit.h"

/* X(enum suffix, stored action name, translated description) */
#define RK_AUDIT_ACTIONS(X)                                                     \
    X(REGISTRY_CREATED, "registry_created", N_("Registry created"))            \
    X(LOGIN,            "login",            N_("Logged in"))                   \
    X(LOGIN_FAILED,     "login_failed",     N_("Failed login"))                \
    X(LOGOUT,           "logout",           N_("Logged out"))                  \
    X(ACCOUNT_LOCKED,   "account_locked",   N_("Account locked after failed logins")) \
    X(ACCOUNT_UNLOCKED, "account_unlocked", N_("Account unlocked"))            \
    X(SESSION_LOCKED,   "session_locked",   N_("Screen locked when idle"))     \
    X(SESSION_UNLOCKED, "session_unlocked", N_("Screen unlocked"))             \
    X(USER_ADDED,       "user_added",       N_("User added"))                  \
    X(USER_DISABLED,    "user_disabled",    N_("User disabled"))               \
    X(USER_ENABLED,     "user_enabled",     N_("User enabled"))                \
    X(PASSWORD_CHANGED, "password_changed", N_("Password changed"))            \
    X(PASSWORD_RESET,   "password_reset",   N_("Password reset by an administrator")) \
    X(CONFIG_CHANGED,   "config_changed",   N_("Setting changed"))             \
    X(AUDIT_VERIFIED,   "audit_verified",   N_("Audit chain verified"))            \
    X(POLICY_CHANGED,   "policy_changed",   N_("Field visibility for a role changed")) \
    X(CLIENT_SEARCHED,  "client_searched",  N_("Clients searched"))                \
    X(CLIENT_VIEWED,    "client_viewed",    N_("Client card opened"))              \
    X(CLIENT_CREATED,   "client_created",   N_("Client added"))                    \
    X(CLIENT_CHANGED,   "client_changed",   N_("Client data changed"))             \
    X(HISTORY_VIEWED,   "history_viewed",   N_("Field history read"))                \
    X(CONSENT_CHANGED,  "consent_changed",  N_("Consents or marketing bans changed")) \
    X(CALL_NOTE_ADDED,  "call_note_added",  N_("Call note written"))               \
    X(CALL_NOTE_AMENDED, "call_note_amended", N_("Call note amended"))             \
    X(CALL_NOTES_READ,  "call_notes_read",  N_("Call notes read"))                 \
    X(CALL_NOTES_EXPIRED, "call_notes_expired", N_("Expired call notes listed"))   \
    X(MARKETING_EXPORTED, "marketing_exported", N_("Marketing list exported"))     \
    X(DISCLOSURES_READ, "disclosures_read", N_("Disclosure register read"))        \
    X(DISCLOSURE_CORRECTED, "disclosure_corrected", N_("Disclosure register corrected")) \
    X(CONSENTS_READ,    "consents_read",    N_("Consents and bans read")) \
    X(USER_LANGUAGE,    "user_language",    N_("User's language changed"))           \
    X(CLIENTS_IMPORTED, "clients_imported", N_("Clients imported from a file"))      \
    X(CLIENTS_EXPORTED, "clients_exported", N_("Clients exported to a file"))        \
    X(BACKUP_MADE,      "backup_made",      N_("Encrypted backup made"))             \
    X(REGISTRY_CHECKED, "registry_checked", N_("Registry checked"))                  \
    X(REGISTRY_RESTORED, "registry_restored", N_("Registry restored from a backup")) \
    X(KEY_ROTATED,      "key_rotated",      N_("Database key rotated")) \
    X(REQUEST_ADDED,    "request_added",    N_("Data subject request registered")) \
    X(REQUEST_EXTENDED, "request_extended", N_("Data subject request deadline extended")) \
    X(REQUEST_CLOSED,   "request_closed",   N_("Data subject request closed")) \
    X(REQUESTS_READ,    "requests_read",    N_("Requests register read"))      \
    X(REPORT_PRODUCED,  "report_produced",  N_("Access, portability or log report produced")) \
    X(CLIENT_ERASED,    "client_erased",    N_("Client erased"))               \
    X(HOLD_ENDED,       "hold_ended",       N_("Legal hold ended, kept data erased")) \
    X(CLIENT_RESTRICTED, "client_restricted", N_("Processing restricted"))     \
    X(CLIENT_UNRESTRICTED, "client_unrestricted", N_("Restriction of processing lifted")) \
    X(RETENTION_REVIEWED, "retention_reviewed", N_("Retention review listed")) \
    X(AUDIT_READ,       "audit_read",       N_("Audit log read"))              \
    X(CALL_NOTE_DELETED, "call_note_deleted", N_("Call note deleted after its keep-until date")) \
    X(DISCLOSURE_ADDED, "disclosure_added", N_("Disclosure entered in the register by hand"))

typedef enum rk_audit_action {
#define X(id, name, desc) RK_AUDIT_##id,
    RK_AUDIT_ACTIONS(X)
#undef X
    RK_AUDIT_ACTION_COUNT
} rk_audit_action;

const char *rk_audit_action_name(rk_audit_action a);
const char *rk_audit_action_description(const char *stored_name); /* translated */

/* Audit MAC key from the database key (crypto_kdf, context "rkaudit_"). */
void rk_audit_derive_key(const unsigned char dbkey[RK_KEY_BYTES],
                         unsigned char audit_key[RK_KEY_BYTES]);

/* Hash of a row (all fields but hash itself) under the audit key. */
void rk_audit_row_hash(const unsigned char audit_key[RK_KEY_BYTES],
                       const rk_audit_row *row,
                       unsigned char out[RK_AUDIT_HASH_BYTES]);

/* Appends one event inside the caller's transaction. ts NULL = now. */
int rk_audit_append(rk_db *db, const unsigned char audit_key[RK_KEY_BYTES],
                    const char *ts, const char *user, rk_audit_action action,
                    int64_t client_id, const char *details, const char *terminal,
                    rk_err *err);

/* Walks the whole chain. RK_OK, or RK_EFAIL with *first_bad = the seq of the
 * first row that does not verify (err says why). */
int rk_audit_verify(rk_db *db, const unsigned char audit_key[RK_KEY_BYTES],
                    int64_t *rows, int64_t *first_bad, rk_err *err);

/* Where the user is: "ssh 10.0.0.5 51234" from SSH_CONNECTION, else the tty
 * name, else "local". */
const char *rk_audit_terminal(char *buf, size_t n);

/* Current UTC time as ISO 8601 ("2026-11-22T05:32:16Z"). */
const char *rk_now_iso(char buf[32]);

#endif
