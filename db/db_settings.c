/* SQL access to the settings table. */
#include "db_settings.h"

#include <sqlite3.h>
#include <string.h>

int rk_dbs_get(rk_db *db, const char *key, char *val, size_t valsize, rk_err *err)
{
    sqlite3 *h = rk_db_handle(db);
    sqlite3_stmt *st = NULL;
    if (valsize)
        val[0] = '\0';
    if (sqlite3_prepare_v2(h, "SELECT value FROM settings WHERE key = ?1", -1, &st, NULL) !=
        SQLITE_OK)
        return rk_err_set(err, RK_EFAIL, _("Cannot read the setting %s from the settings table: %s."),
                          key, sqlite3_errmsg(h));
    sqlite3_bind_text(st, 1, key, -1, SQLITE_TRANSIENT);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_DONE) {
        sqlite3_finalize(st);
        return rk_err_set(err, RK_ENOTFOUND, _("The setting %s is not in the settings table."), key);
    }
    if (rc != SQLITE_ROW) {
        rk_err_set(err, RK_EFAIL, _("Cannot read the setting %s from the settings table: %s."),
                   key, sqlite3_errmsg(h));
        sqlite3_finalize(st);
        return RK_EFAIL;
    }
    const char *v = (const char *)sqlite3_column_text(st, 0);
    size_t len = (size_t)sqlite3_column_bytes(st, 0);
    /* A cut-off value could be a different, valid value: refuse instead. */
    if (len >= valsize) {
        sqlite3_finalize(st);
        return rk_err_set(err, RK_EFAIL,
                          _("The setting %s in the settings table is longer than %zu bytes."), key,
                          valsize ? valsize - 1 : 0);
    }
    memcpy(val, v ? v : "", len);
    val[len] = '\0';
    sqlite3_finalize(st);
    return RK_OK;
}

/* INSERT OR REPLACE: SQLite 3.15 has no UPSERT. */
int rk_dbs_set(rk_db *db, const char *key, const char *val, rk_err *err)
{
    sqlite3 *h = rk_db_handle(db);
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(h, "INSERT OR REPLACE INTO settings (key, value) VALUES (?1, ?2)", -1,
                           &st, NULL) != SQLITE_OK)
        return rk_err_set(err, RK_EFAIL, _("Cannot write the setting %s to the settings table: %s."),
                          key, sqlite3_errmsg(h));
    sqlite3_bind_text(st, 1, key, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 2, val ? val : "", -1, SQLITE_TRANSIENT);
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE)
        return rk_err_set(err, RK_EFAIL, _("Cannot write the setting %s to the settings table: %s."),
                          key, sqlite3_errmsg(h));
    return RK_OK;
}
