#include "session.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>

#include "db_settings.h"
#include "db_users.h"
#include "secure.h"

static const char *epoch_iso(time_t t, char buf[32])
{
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(buf, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

static int auth_failed(rk_err *err)
{
    /* One message for unknown user and wrong password: no user enumeration. */
    return rk_err_set(err, RK_EAUTH, _("Wrong username or password."));
}

static int lockout_refusal(const char *user, const rk_lockout_status *st, rk_err *err)
{
    if (st->locked)
        return rk_err_set(err, RK_EAUTH,
                          _("The account %s is locked after too many failed logins; an administrator must unlock it."),
                          user);
    return rk_err_set(err, RK_EAUTH,
                      _("Too many failed logins: wait %ld s before trying again."),
                      st->wait_seconds);
}

/* Moves failed-login events from the lockout file into the audit chain, in the
 * caller's transaction. Returns the id to clear after commit (0 = none). */
static int queue_pending(rk_session *s, uint64_t *upto, rk_err *err)
{
    rk_pending_event *ev = NULL;
    size_t n = 0;
    *upto = 0;
    if (rk_lockout_pending(s->paths.state, &ev, &n, err))
        return err->code;
    int rc = RK_OK;
    for (size_t i = 0; i < n && rc == RK_OK; i++) {
        char ts[32];
        rk_audit_action a = strcmp(ev[i].action, "account_locked") == 0
                                ? RK_AUDIT_ACCOUNT_LOCKED : RK_AUDIT_LOGIN_FAILED;
        rc = rk_audit_append(s->db, s->audit_key, epoch_iso(ev[i].when, ts), ev[i].user, a,
                             0, "", ev[i].terminal, err);
        *upto = ev[i].id;
    }
    free(ev);
    return rc;
}

static int write_events(rk_session *s, rk_audit_action action, const char *details, rk_err *err)
{
    uint64_t upto = 0;
    if (rk_db_begin(s->db, err))
        return err->code;
    if (queue_pending(s, &upto, err) ||
        rk_audit_append(s->db, s->audit_key, NULL, s->user, action, 0, details, s->terminal, err)) {
        rk_db_rollback(s->db);
        return err->code;
    }
    if (action == RK_AUDIT_LOGIN) {
        char now[32];
        if (rk_dbu_touch_login(s->db, s->user, rk_now_iso(now), err)) {
            rk_db_rollback(s->db);
            return err->code;
        }
    }
    if (rk_db_commit(s->db, err))
        return err->code;
    if (upto) {
        rk_err ignore;
        /* Committed: a failure to clear only means the events repeat later. */
        rk_lockout_pending_clear(s->paths.state, upto, &ignore);
    }
    return RK_OK;
}

/* The settings row that marks a replaced slot: "revoked_slot:<hex id>". */
static void revoked_slot_key(const unsigned char id[RK_SLOT_ID_BYTES], char *out, size_t n)
{
    char hex[2 * RK_SLOT_ID_BYTES + 1];
    sodium_bin2hex(hex, sizeof hex, id, RK_SLOT_ID_BYTES);
    snprintf(out, n, "revoked_slot:%s", hex);
}

int rk_session_revoke_slot(rk_session *s, const char *user, rk_err *err)
{
    unsigned char id[RK_SLOT_ID_BYTES];
    int rc = rk_keyring_slot_id(s->paths.keyring, user, id, err);
    if (rc == RK_ENOTFOUND) {
        rk_err_clear(err);
        return RK_OK;
    }
    if (rc)
        return rc;
    char key[64];
    revoked_slot_key(id, key, sizeof key);
    return rk_dbs_set(s->db, key, user, err);
}

static void session_free(rk_session *s)
{
    if (!s)
        return;
    if (s->db)
        rk_db_close(s->db);
    rk_secure_free(s->dbkey);
    rk_secure_free(s->audit_key);
    sodium_memzero(s, sizeof *s);
    free(s);
}

int rk_session_login(const rk_paths *paths, const char *user, const char *password,
                     rk_session **out, rk_lockout_status *st_out, rk_err *err)
{
    rk_lockout_status st = { 0 };
    *out = NULL;
    if (st_out)
        *st_out = st;
    if (!rk_username_valid(user))
        return auth_failed(err);
    if (!rk_registry_exists(paths))
        return rk_err_set(err, RK_EFAIL,
                          _("There is no registry in %s: create one with \"rekisteri init --dir %s --admin NAME\"."),
                          paths->dir, paths->dir);

    if (rk_lockout_check(paths->state, user, time(NULL), &st, err))
        return err->code;
    if (st_out)
        *st_out = st;
    if (st.locked || st.wait_seconds > 0)
        return lockout_refusal(user, &st, err);

    rk_session *s = calloc(1, sizeof *s);
    if (!s)
        return rk_err_set(err, RK_EFAIL, _("Out of memory."));
    s->paths = *paths;
    s->dbkey = rk_secure_alloc(RK_KEY_BYTES);
    s->audit_key = rk_secure_alloc(RK_KEY_BYTES);
    if (!s->dbkey || !s->audit_key) {
        session_free(s);
        return rk_err_set(err, RK_EFAIL, _("Out of secure memory."));
    }
    snprintf(s->user, sizeof s->user, "%s", user);
    rk_audit_terminal(s->terminal, sizeof s->terminal);

    unsigned char slot[RK_SLOT_ID_BYTES];
    int rc = rk_keyring_unlock_slot(paths->keyring, user, password, s->dbkey, slot, err);
    if (rc == RK_EAUTH) {
        rk_err lerr;
        if (rk_lockout_failure(paths->state, user, time(NULL), s->terminal, &st, &lerr) == RK_OK &&
            st_out)
            *st_out = st;
        session_free(s);
        return auth_failed(err);
    }
    if (rc) {
        session_free(s);
        return rc;
    }
    rk_audit_derive_key(s->dbkey, s->audit_key);
    if (rk_db_open(paths->db, s->dbkey, false, &s->db, err)) {
        rc = err->code;
        session_free(s);
        return rc;
    }

    char key[64], who[RK_USERNAME_MAX + 1];
    rk_err ignore;
    revoked_slot_key(slot, key, sizeof key);
    if (rk_dbs_get(s->db, key, who, sizeof who, &ignore) == RK_OK) {
        write_events(s, RK_AUDIT_LOGIN_FAILED, "replaced keyring slot", &ignore);
        session_free(s);
        return rk_err_set(err, RK_EAUTH,
                          _("The keyring file is older than the registry: the password it holds for %s was replaced. Put the current keyring back, or ask an administrator to reset the password."),
                          user);
    }

    rk_user_row u;
    rc = rk_dbu_get(s->db, user, &u, err);
    if (rc == RK_ENOTFOUND) {
        /* A slot without a user row: the row is what grants a role. */
        session_free(s);
        return auth_failed(err);
    }
    if (rc) {
        session_free(s);
        return rc;
    }
    if (!u.active) {
        write_events(s, RK_AUDIT_LOGIN_FAILED, "account disabled", &ignore);
        session_free(s);
        return rk_err_set(err, RK_EAUTH, _("The account %s is disabled."), user);
    }
    s->role = rk_role_parse(u.role);
    if (s->role == RK_ROLE_NONE) {
        session_free(s);
        return rk_err_set(err, RK_EFAIL, _("The user %s has an unknown role \"%s\" in the database."),
                          user, u.role);
    }
    snprintf(s->full_name, sizeof s->full_name, "%s", u.full_name);
    snprintf(s->language, sizeof s->language, "%s", u.language);
    snprintf(s->previous_login, sizeof s->previous_login, "%s", u.last_login);

    char val[128];
    if (rk_dbs_get(s->db, "registry_name", val, sizeof val, &ignore) == RK_OK)
        snprintf(s->registry_name, sizeof s->registry_name, "%s", val);
    else
        snprintf(s->registry_name, sizeof s->registry_name, "Rekisteri");
    s->demo = rk_dbs_get(s->db, "demo", val, sizeof val, &ignore) == RK_OK && strcmp(val, "1") == 0;

    if (write_events(s, RK_AUDIT_LOGIN, "", err)) {
        rc = err->code;
        session_free(s);
        return rc;
    }
    rk_lockout_success(paths->state, user, &ignore);
    *out = s;
    return RK_OK;
}

static void log_chain_head(rk_session *s)
{
    int64_t seq = 0;
    unsigned char hash[RK_AUDIT_HASH_BYTES];
    char hex[2 * RK_AUDIT_HASH_BYTES + 1];
    rk_err ignore;
    if (rk_dba_last(s->db, &seq, hash, &ignore) != RK_OK)
        return;
    sodium_bin2hex(hex, sizeof hex, hash, sizeof hash);
    /* An outside record of the chain head: a rewritten chain shows against it. */
    openlog("rekisteri", LOG_PID, LOG_AUTHPRIV);
    syslog(LOG_INFO, "audit chain head registry=%s seq=%lld hash=%s", s->paths.dir,
           (long long)seq, hex);
    closelog();
}

void rk_session_logout(rk_session *s)
{
    if (!s)
        return;
    rk_err ignore;
    write_events(s, RK_AUDIT_LOGOUT, "", &ignore);
    log_chain_head(s);
    session_free(s);
}

void rk_session_close(rk_session *s)
{
    session_free(s);
}

int rk_session_lock(rk_session *s, rk_err *err)
{
    return write_events(s, RK_AUDIT_SESSION_LOCKED, "", err);
}

int rk_session_verify_password(rk_session *s, const char *password, rk_err *err)
{
    rk_lockout_status st;
    if (rk_lockout_check(s->paths.state, s->user, time(NULL), &st, err))
        return err->code;
    if (st.locked || st.wait_seconds > 0)
        return lockout_refusal(s->user, &st, err);

    unsigned char *key = rk_secure_alloc(RK_KEY_BYTES);
    if (!key)
        return rk_err_set(err, RK_EFAIL, _("Out of secure memory."));
    int rc = rk_keyring_unlock(s->paths.keyring, s->user, password, key, err);
    bool same = rc == RK_OK && sodium_memcmp(key, s->dbkey, RK_KEY_BYTES) == 0;
    rk_secure_free(key);
    if (rc == RK_EAUTH || (rc == RK_OK && !same)) {
        rk_lockout_failure(s->paths.state, s->user, time(NULL), s->terminal, &st, err);
        if (st.locked)
            return lockout_refusal(s->user, &st, err);
        return rk_err_set(err, RK_EAUTH, _("Wrong password."));
    }
    if (rc)
        return rc;
    rk_lockout_success(s->paths.state, s->user, err);
    return RK_OK;
}

int rk_session_unlock(rk_session *s, const char *password, rk_err *err)
{
    if (rk_session_verify_password(s, password, err))
        return err->code;
    return write_events(s, RK_AUDIT_SESSION_UNLOCKED, "", err);
}

int rk_session_audit(rk_session *s, rk_audit_action action, int64_t client_id,
                     const char *details, rk_err *err)
{
    if (rk_db_begin(s->db, err))
        return err->code;
    if (rk_audit_append(s->db, s->audit_key, NULL, s->user, action, client_id, details,
                        s->terminal, err)) {
        rk_db_rollback(s->db);
        return err->code;
    }
    return rk_db_commit(s->db, err);
}

int rk_session_require_role(const rk_session *s, rk_role role, rk_err *err)
{
    if (s->role == role)
        return RK_OK;
    return rk_err_set(err, RK_EDENIED, _("Only the %s role may do this; you are %s."),
                      rk_role_label(role), rk_role_label(s->role));
}
