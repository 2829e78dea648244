/* A logged-in user: the open database, the keys (secure memory) and who the
 * user is according to the database. Every service call takes a session. */
#ifndef RK_SESSION_H
#define RK_SESSION_H

#include "audit.h"
#include "registry.h"
#include "roles.h"
#include "lockout.h"

typedef struct rk_session {
    rk_paths paths;
    rk_db   *db;
    unsigned char *dbkey;       /* RK_KEY_BYTES, sodium_malloc */
    unsigned char *audit_key;   /* RK_KEY_BYTES, sodium_malloc */
    char     user[RK_USERNAME_MAX + 1];
    char     full_name[RK_FULLNAME_MAX + 1];
    rk_role  role;
    char     language[16];
    char     terminal[128];
    char     previous_login[32];  /* before this one; "" if first */
    char     registry_name[128];
    bool     demo;
} rk_session;

/* Logs in: lockout check (RK_EAUTH with a message that names the wait or the
 * lock), keyring unlock, database open, active-user check, last_login update,
 * pending failed-login events and a login event into the audit chain.
 * A failure is counted in the lockout file. On RK_EAUTH with a delay, *st
 * (may be NULL) says how long to wait. */
int  rk_session_login(const rk_paths *paths, const char *user, const char *password,
                      rk_session **out, rk_lockout_status *st, rk_err *err);
/* Audits the logout, logs the chain head to syslog (authpriv), closes and wipes. */
void rk_session_logout(rk_session *s);
/* Closes and wipes without auditing (e.g. after a fatal signal, nothing more may be written). */
void rk_session_close(rk_session *s);

/* Idle lock: is this the session user's password? Counted as a failure when not. */
int  rk_session_lock(rk_session *s, rk_err *err);
int  rk_session_unlock(rk_session *s, const char *password, rk_err *err);

/* Re-checks the session user's password (before a sensitive change such as
 * a new password). Wrong passwords count towards the lockout like logins. */
int  rk_session_verify_password(rk_session *s, const char *password, rk_err *err);

/* Records, inside the caller's transaction, that user's current keyring
 * slot is about to be replaced (new password or reset): a login through
 * that slot -- a keyring restored from an older copy -- is refused from
 * then on. No slot yet: nothing to record. */
int  rk_session_revoke_slot(rk_session *s, const char *user, rk_err *err);

/* Audit an event as this session's user in its own transaction. */
int  rk_session_audit(rk_session *s, rk_audit_action action, int64_t client_id,
                      const char *details, rk_err *err);

/* RK_EDENIED with a message unless the session's role is `role`. */
int  rk_session_require_role(const rk_session *s, rk_role role, rk_err *err);

#endif
