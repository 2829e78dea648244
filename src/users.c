#include "users.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "config.h"
#include "i18n.h"
#include "password.h"

static int require_admin(rk_session *s, rk_err *err)
{
    return rk_session_require_role(s, RK_ROLE_ADMIN, err);
}

static int check_username(const char *name, rk_err *err)
{
    if (rk_username_valid(name))
        return RK_OK;
    return rk_err_set(err, RK_EUSAGE,
                      _("The username \"%s\" is not valid: use 1-32 lowercase letters, digits, '.', '_' or '-', starting with a letter."),
                      name ? name : "");
}

/* Full names are shown on every screen: no control characters, bounded length. */
static int check_full_name(const char *name, rk_err *err)
{
    size_t n = strlen(name);
    if (n > RK_FULLNAME_MAX)
        return rk_err_set(err, RK_EUSAGE, _("The full name is too long (at most %d bytes)."),
                          RK_FULLNAME_MAX);
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)name[i];
        if (c < 0x20 || c == 0x7f)
            return rk_err_set(err, RK_EUSAGE,
                              _("The full name contains a control character at byte %zu."), i + 1);
    }
    return RK_OK;
}

static int kdf_for_new_slot(rk_session *s, rk_kdf_params *kdf, rk_err *err)
{
    char level[32];
    if (rk_config_get(s, RK_CONFIG_KDF, level, sizeof level, err))
        return err->code;
    return rk_kdf_for_new_slot(level, kdf, err);
}

/* Runs the database part of a change and its audit row in one transaction;
 * `keyring_step` (may be NULL) runs last before commit so a keyring failure
 * rolls the database back. */
typedef int (*keyring_step_fn)(rk_session *s, const void *arg, rk_err *err);

static int in_tx(rk_session *s, int (*db_step)(rk_session *, const void *, rk_err *),
                 keyring_step_fn keyring_step, const void *arg, rk_audit_action action,
                 const char *details, rk_err *err)
{
    if (rk_db_begin(s->db, err))
        return err->code;
    if ((db_step && db_step(s, arg, err)) ||
        rk_audit_append(s->db, s->audit_key, NULL, s->user, action, 0, details, s->terminal, err) ||
        (keyring_step && keyring_step(s, arg, err))) {
        rk_db_rollback(s->db);
        return err->code;
    }
    return rk_db_commit(s->db, err);
}

struct add_args {
    const rk_user_row *row;
    const char *password;
    rk_kdf_params kdf;
};

static int add_db(rk_session *s, const void *arg, rk_err *err)
{
    const struct add_args *a = arg;
    int rc = rk_dbu_insert(s->db, a->row, err);
    if (rc == RK_ECONFLICT)
        return rk_err_set(err, RK_EFAIL, _("The user %s already exists."), a->row->username);
    return rc;
}

static int add_keyring(rk_session *s, const void *arg, rk_err *err)
{
    const struct add_args *a = arg;
    if (rk_session_revoke_slot(s, a->row->username, err))
        return err->code;
    return rk_keyring_set_slot(s->paths.keyring, s->dbkey, a->row->username, a->password,
                               &a->kdf, err);
}

int rk_user_add(rk_session *s, const char *name, rk_role role, const char *full_name,
                const char *password, rk_err *err)
{
    if (require_admin(s, err) || check_username(name, err) ||
        check_full_name(full_name ? full_name : "", err))
        return err->code;
    if (role < 0 || role >= RK_ROLE_COUNT)
        return rk_err_set(err, RK_EUSAGE, _("Unknown role."));
    if (rk_password_acceptable(name, password, err))
        return err->code;

    rk_user_row u = { .active = true };
    char now[32];
    rk_now_iso(now);
    snprintf(u.username, sizeof u.username, "%s", name);
    snprintf(u.full_name, sizeof u.full_name, "%s", full_name ? full_name : "");
    snprintf(u.role, sizeof u.role, "%s", rk_role_name(role));
    snprintf(u.created, sizeof u.created, "%s", now);
    snprintf(u.password_changed, sizeof u.password_changed, "%s", now);

    struct add_args a = { .row = &u, .password = password };
    if (kdf_for_new_slot(s, &a.kdf, err))
        return err->code;
    char details[64];
    snprintf(details, sizeof details, "user=%s role=%s", name, rk_role_name(role));
    return in_tx(s, add_db, add_keyring, &a, RK_AUDIT_USER_ADDED, details, err);
}

struct passwd_args {
    const char *name;
    const char *password;
    rk_kdf_params kdf;
};

static int passwd_db(rk_session *s, const void *arg, rk_err *err)
{
    const struct passwd_args *a = arg;
    char now[32];
    return rk_dbu_touch_password(s->db, a->name, rk_now_iso(now), err);
}

static int passwd_keyring(rk_session *s, const void *arg, rk_err *err)
{
    const struct passwd_args *a = arg;
    if (rk_session_revoke_slot(s, a->name, err))
        return err->code;
    return rk_keyring_set_slot(s->paths.keyring, s->dbkey, a->name, a->password, &a->kdf, err);
}

static int existing_user(rk_session *s, const char *name, rk_user_row *u, rk_err *err)
{
    int rc = rk_dbu_get(s->db, name, u, err);
    if (rc == RK_ENOTFOUND)
        return rk_err_set(err, RK_EFAIL, _("There is no user %s."), name);
    return rc;
}

int rk_user_passwd(rk_session *s, const char *name, const char *password, rk_err *err)
{
    bool self = strcmp(name, s->user) == 0;
    if (!self && require_admin(s, err))
        return err->code;
    rk_user_row u;
    if (check_username(name, err) || existing_user(s, name, &u, err) ||
        rk_password_acceptable(name, password, err))
        return err->code;
    struct passwd_args a = { .name = name, .password = password };
    if (kdf_for_new_slot(s, &a.kdf, err))
        return err->code;
    char details[64];
    snprintf(details, sizeof details, "user=%s", name);
    return in_tx(s, passwd_db, passwd_keyring, &a,
                 self ? RK_AUDIT_PASSWORD_CHANGED : RK_AUDIT_PASSWORD_RESET, details, err);
}

struct active_args {
    const char *name;
    bool active;
};

static int active_db(rk_session *s, const void *arg, rk_err *err)
{
    const struct active_args *a = arg;
    return rk_dbu_set_active(s->db, a->name, a->active, err);
}

int rk_user_set_active(rk_session *s, const char *name, bool active, rk_err *err)
{
    rk_user_row u;
    if (require_admin(s, err) || check_username(name, err) || existing_user(s, name, &u, err))
        return err->code;
    if (!active && strcmp(name, s->user) == 0)
        return rk_err_set(err, RK_EFAIL, _("You cannot disable your own account."));
    if (!active && u.active && strcmp(u.role, rk_role_name(RK_ROLE_ADMIN)) == 0) {
        int admins = 0;
        if (rk_dbu_count_active_role(s->db, u.role, &admins, err))
            return err->code;
        if (admins <= 1)
            return rk_err_set(err, RK_EFAIL,
                              _("%s is the last active administrator and cannot be disabled."), name);
    }
    struct active_args a = { .name = name, .active = active };
    char details[64];
    snprintf(details, sizeof details, "user=%s", name);
    return in_tx(s, active_db, NULL, &a, active ? RK_AUDIT_USER_ENABLED : RK_AUDIT_USER_DISABLED,
                 details, err);
}

int rk_user_unlock(rk_session *s, const char *name, rk_err *err)
{
    rk_user_row u;
    if (require_admin(s, err) || check_username(name, err) || existing_user(s, name, &u, err))
        return err->code;
    /* Audit first: an unlock that is not recorded must not happen. */
    char details[64];
    snprintf(details, sizeof details, "user=%s", name);
    if (in_tx(s, NULL, NULL, NULL, RK_AUDIT_ACCOUNT_UNLOCKED, details, err))
        return err->code;
    return rk_lockout_unlock(s->paths.state, name, err);
}

struct language_args {
    const char *name;
    const char *language;
};

static int language_db(rk_session *s, const void *arg, rk_err *err)
{
    const struct language_args *a = arg;
    return rk_dbu_set_language(s->db, a->name, a->language, err);
}

int rk_user_set_language(rk_session *s, const char *name, const char *language, rk_err *err)
{
    bool self = strcmp(name, s->user) == 0;
    if (!self && require_admin(s, err))
        return err->code;
    rk_user_row u;
    if (check_username(name, err) || existing_user(s, name, &u, err))
        return err->code;
    if (!rk_language_valid(language))
        return rk_err_set(err, RK_EUSAGE,
                          _("Unknown language \"%s\": use fi, sv, en, or auto to follow the locale."),
                          language ? language : "");
    struct language_args a = { .name = name, .language = language };
    char details[64];
    snprintf(details, sizeof details, "user=%s language=%s", name, *language ? language : "auto");
    if (in_tx(s, language_db, NULL, &a, RK_AUDIT_USER_LANGUAGE, details, err))
        return err->code;
    if (self)
        snprintf(s->language, sizeof s->language, "%s", language);
    return RK_OK;
}

int rk_user_list(rk_session *s, rk_user_info **out, size_t *n, rk_err *err)
{
    *out = NULL;
    *n = 0;
    if (require_admin(s, err))
        return err->code;
    rk_user_row *rows = NULL;
    size_t count = 0;
    if (rk_dbu_list(s->db, &rows, &count, err))
        return err->code;
    char (*slots)[RK_USERNAME_MAX + 1] = NULL;
    size_t nslots = 0;
    if (rk_keyring_users(s->paths.keyring, &slots, &nslots, err)) {
        free(rows);
        return err->code;
    }
    rk_user_info *info = calloc(count ? count : 1, sizeof *info);
    if (!info) {
        free(rows);
        free(slots);
        return rk_err_set(err, RK_EFAIL, _("Out of memory."));
    }
    time_t now = time(NULL);
    for (size_t i = 0; i < count; i++) {
        info[i].row = rows[i];
        for (size_t j = 0; j < nslots; j++)
            if (strcmp(slots[j], rows[i].username) == 0)
                info[i].has_slot = true;
        rk_err ignore;
        rk_lockout_check(s->paths.state, rows[i].username, now, &info[i].lockout, &ignore);
    }
    free(rows);
    free(slots);
    *out = info;
    *n = count;
    return RK_OK;
}
