/* SQL access to the users table. Values are checked to fit rk_user_row
 * before they are written, so a read never has to truncate. */
#include "db_users.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define USER_COLS "id, username, full_name, role, active, created, password_changed, " \
                  "last_login, language"

static int prep(rk_db *db, const char *sql, sqlite3_stmt **st, rk_err *err)
{
    sqlite3 *h = rk_db_handle(db);
    if (sqlite3_prepare_v2(h, sql, -1, st, NULL) != SQLITE_OK)
        return rk_err_set(err, RK_EFAIL, _("Cannot read the users table: %s."),
                          sqlite3_errmsg(h));
    return RK_OK;
}

static bool fits(const char *s, size_t size)
{
    return s && strlen(s) < size;
}

static void copy_col(sqlite3_stmt *st, int col, char *dst, size_t size)
{
    const char *v = (const char *)sqlite3_column_text(st, col);
    snprintf(dst, size, "%s", v ? v : "");
}

static void read_row(sqlite3_stmt *st, rk_user_row *u)
{
    memset(u, 0, sizeof *u);
    u->id = sqlite3_column_int64(st, 0);
    copy_col(st, 1, u->username, sizeof u->username);
    copy_col(st, 2, u->full_name, sizeof u->full_name);
    copy_col(st, 3, u->role, sizeof u->role);
    u->active = sqlite3_column_int(st, 4) != 0;
    copy_col(st, 5, u->created, sizeof u->created);
    copy_col(st, 6, u->password_changed, sizeof u->password_changed);
    copy_col(st, 7, u->last_login, sizeof u->last_login);
    copy_col(st, 8, u->language, sizeof u->language);
}

/* "" is stored as NULL for the optional timestamps. */
static void bind_opt(sqlite3_stmt *st, int i, const char *v)
{
    if (v && *v)
        sqlite3_bind_text(st, i, v, -1, SQLITE_TRANSIENT);
    else
        sqlite3_bind_null(st, i);
}

static int write_failed(sqlite3 *h, const char *username, rk_err *err)
{
    int ext = sqlite3_extended_errcode(h);
    if (ext == SQLITE_CONSTRAINT_UNIQUE || ext == SQLITE_CONSTRAINT_PRIMARYKEY)
        return rk_err_set(err, RK_ECONFLICT, _("The username \"%s\" is already taken."),
                          username);
    if (ext == SQLITE_CONSTRAINT_CHECK)
        return rk_err_set(err, RK_EFAIL,
                          _("Cannot save the user \"%s\": the role is not one of reception, billing, marketing, dpo or admin."),
                          username);
    return rk_err_set(err, RK_EFAIL, _("Cannot write the user \"%s\" to the users table: %s."),
                      username, sqlite3_errmsg(h));
}

int rk_dbu_insert(rk_db *db, const rk_user_row *u, rk_err *err)
{
    if (!rk_username_valid(u->username))
        return rk_err_set(err, RK_EFAIL, _("Cannot add the user \"%s\": the username is not valid."),
                          u->username);
    if (!fits(u->full_name, sizeof u->full_name) || !fits(u->role, sizeof u->role) ||
        !fits(u->created, sizeof u->created) ||
        !fits(u->password_changed, sizeof u->password_changed) ||
        !fits(u->last_login, sizeof u->last_login) || !fits(u->language, sizeof u->language))
        return rk_err_set(err, RK_EFAIL, _("Cannot add the user \"%s\": a field is too long."),
                          u->username);

    sqlite3 *h = rk_db_handle(db);
    sqlite3_stmt *st = NULL;
    /* created defaults to now when the caller leaves it empty. */
    int prc = prep(db,
                   "INSERT INTO users (username, full_name, role, active, created, "
                   "password_changed, last_login, language) VALUES (?1, ?2, ?3, ?4, "
                   "coalesce(?5, strftime('%Y-%m-%dT%H:%M:%SZ', 'now')), ?6, ?7, ?8)",
                   &st, err);
    if (prc)
        return prc;
    sqlite3_bind_text(st, 1, u->username, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 2, u->full_name, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 3, u->role, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int(st, 4, u->active ? 1 : 0);
    bind_opt(st, 5, u->created);
    bind_opt(st, 6, u->password_changed);
    bind_opt(st, 7, u->last_login);
    sqlite3_bind_text(st, 8, u->language, -1, SQLITE_TRANSIENT);
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE)
        return write_failed(h, u->username, err);
    return RK_OK;
}

int rk_dbu_get(rk_db *db, const char *username, rk_user_row *out, rk_err *err)
{
    sqlite3 *h = rk_db_handle(db);
    sqlite3_stmt *st = NULL;
    int prc = prep(db, "SELECT " USER_COLS " FROM users WHERE username = ?1", &st, err);
    if (prc)
        return prc;
    sqlite3_bind_text(st, 1, username, -1, SQLITE_TRANSIENT);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        read_row(st, out);
        sqlite3_finalize(st);
        return RK_OK;
    }
    sqlite3_finalize(st);
    if (rc == SQLITE_DONE)
        return rk_err_set(err, RK_ENOTFOUND, _("There is no user \"%s\"."), username);
    return rk_err_set(err, RK_EFAIL, _("Cannot read the users table: %s."), sqlite3_errmsg(h));
}

int rk_dbu_list(rk_db *db, rk_user_row **rows, size_t *n, rk_err *err)
{
    *rows = NULL;
    *n = 0;
    sqlite3 *h = rk_db_handle(db);
    sqlite3_stmt *st = NULL;
    int prc = prep(db, "SELECT " USER_COLS " FROM users ORDER BY username", &st, err);
    if (prc)
        return prc;
    rk_user_row *v = NULL;
    size_t cnt = 0, cap = 0;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (cnt == cap) {
            size_t ncap = cap ? cap * 2 : 16;
            rk_user_row *nv = realloc(v, ncap * sizeof *nv);
            if (!nv) {
                free(v);
                sqlite3_finalize(st);
                return rk_err_set(err, RK_EFAIL, _("Out of memory reading the users table."));
            }
            v = nv;
            cap = ncap;
        }
        read_row(st, &v[cnt++]);
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        free(v);
        return rk_err_set(err, RK_EFAIL, _("Cannot read the users table: %s."), sqlite3_errmsg(h));
    }
    *rows = v;
    *n = cnt;
    return RK_OK;
}

/* UPDATE users SET <col> = ?1 WHERE username = ?2, with RK_ENOTFOUND when no
 * row matched. col is one of this file's literals, never input. */
static int update_text(rk_db *db, const char *username, const char *sql, const char *val,
                       bool null_if_empty, rk_err *err)
{
    sqlite3 *h = rk_db_handle(db);
    sqlite3_stmt *st = NULL;
    int prc = prep(db, sql, &st, err);
    if (prc)
        return prc;
    if (null_if_empty)
        bind_opt(st, 1, val);
    else
        sqlite3_bind_text(st, 1, val ? val : "", -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 2, username, -1, SQLITE_TRANSIENT);
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE)
        return write_failed(h, username, err);
    if (sqlite3_changes(h) == 0)
        return rk_err_set(err, RK_ENOTFOUND, _("There is no user \"%s\"."), username);
    return RK_OK;
}

int rk_dbu_set_active(rk_db *db, const char *username, bool active, rk_err *err)
{
    return update_text(db, username, "UPDATE users SET active = ?1 WHERE username = ?2",
                       active ? "1" : "0", false, err);
}

int rk_dbu_set_role(rk_db *db, const char *username, const char *role, rk_err *err)
{
    return update_text(db, username, "UPDATE users SET role = ?1 WHERE username = ?2", role,
                       false, err);
}

int rk_dbu_set_full_name(rk_db *db, const char *username, const char *full_name, rk_err *err)
{
    if (full_name && strlen(full_name) > RK_FULLNAME_MAX)
        return rk_err_set(err, RK_EFAIL,
                          _("Cannot save the name of \"%s\": it is longer than %d bytes."),
                          username, RK_FULLNAME_MAX);
    return update_text(db, username, "UPDATE users SET full_name = ?1 WHERE username = ?2",
                       full_name, false, err);
}

int rk_dbu_set_language(rk_db *db, const char *username, const char *language, rk_err *err)
{
    if (language && strlen(language) >= sizeof ((rk_user_row *)0)->language)
        return rk_err_set(err, RK_EFAIL,
                          _("Cannot save the language of \"%s\": \"%s\" is too long."),
                          username, language);
    return update_text(db, username, "UPDATE users SET language = ?1 WHERE username = ?2",
                       language, false, err);
}

/* ts NULL or "" = now. */
int rk_dbu_touch_login(rk_db *db, const char *username, const char *ts, rk_err *err)
{
    if (ts && strlen(ts) >= sizeof ((rk_user_row *)0)->last_login)
        return rk_err_set(err, RK_EFAIL, _("Cannot record the login of \"%s\": bad time stamp."),
                          username);
    return update_text(db, username,
                       "UPDATE users SET last_login = "
                       "coalesce(?1, strftime('%Y-%m-%dT%H:%M:%SZ', 'now')) WHERE username = ?2",
                       ts, true, err);
}

int rk_dbu_touch_password(rk_db *db, const char *username, const char *ts, rk_err *err)
{
    if (ts && strlen(ts) >= sizeof ((rk_user_row *)0)->password_changed)
        return rk_err_set(err, RK_EFAIL,
                          _("Cannot record the password change of \"%s\": bad time stamp."),
                          username);
    return update_text(db, username,
                       "UPDATE users SET password_changed = "
                       "coalesce(?1, strftime('%Y-%m-%dT%H:%M:%SZ', 'now')) WHERE username = ?2",
                       ts, true, err);
}

int rk_dbu_count_active_role(rk_db *db, const char *role, int *n, rk_err *err)
{
    sqlite3 *h = rk_db_handle(db);
    sqlite3_stmt *st = NULL;
    *n = 0;
    int prc = prep(db, "SELECT count(*) FROM users WHERE role = ?1 AND active = 1", &st, err);
    if (prc)
        return prc;
    sqlite3_bind_text(st, 1, role, -1, SQLITE_TRANSIENT);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *n = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    if (rc != SQLITE_ROW)
        return rk_err_set(err, RK_EFAIL, _("Cannot count users in the users table: %s."),
                          sqlite3_errmsg(h));
    return RK_OK;
}
