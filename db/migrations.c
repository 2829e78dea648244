/* Numbered schema migrations. Each runs once, in its own BEGIN IMMEDIATE
 * transaction, and records itself in PRAGMA user_version. Never edit a
 * migration that has shipped: add the next one. */
#include "db.h"

#include <sqlite3.h>
#include <stdio.h>

static const struct migration {
    int         version;
    const char *name;
    const char *sql;
} migrations[] = {
    { 1, "users, settings and the audit log",
      "CREATE TABLE users ("
      "  id INTEGER PRIMARY KEY,"
      "  username TEXT NOT NULL UNIQUE,"
      "  full_name TEXT NOT NULL DEFAULT '',"
      "  role TEXT NOT NULL CHECK(role IN ('reception','billing','marketing','dpo','admin')),"
      "  active INTEGER NOT NULL DEFAULT 1,"
      "  created TEXT NOT NULL,"
      "  password_changed TEXT,"
      "  last_login TEXT,"
      "  language TEXT NOT NULL DEFAULT ''"
      ");"
      "CREATE TABLE settings ("
      "  key TEXT PRIMARY KEY,"
      "  value TEXT NOT NULL"
      ");"
      "CREATE TABLE audit ("
      "  seq INTEGER PRIMARY KEY,"
      "  ts TEXT NOT NULL,"
      "  user TEXT NOT NULL,"
      "  action TEXT NOT NULL,"
      "  client_id INTEGER,"
      "  details TEXT NOT NULL DEFAULT '',"
      "  terminal TEXT NOT NULL DEFAULT '',"
      "  prev_hash BLOB NOT NULL,"
      "  hash BLOB NOT NULL"
      ");"
      /* Append-only through SQL; the hash chain catches what bypasses this. */
      "CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit"
      "  BEGIN SELECT RAISE(ABORT, 'audit rows cannot be changed'); END;"
      "CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit"
      "  BEGIN SELECT RAISE(ABORT, 'audit rows cannot be deleted'); END;"
      /* INSERT OR REPLACE deletes the old row without firing DELETE triggers. */
      "CREATE TRIGGER audit_no_replace BEFORE INSERT ON audit"
      "  WHEN EXISTS (SELECT 1 FROM audit WHERE seq = NEW.seq)"
      "  BEGIN SELECT RAISE(ABORT, 'audit rows cannot be replaced'); END;"
      "CREATE INDEX audit_client ON audit(client_id);"
      "CREATE INDEX audit_user ON audit(user);" },
};

int rk_db_latest_version(void)
{
    return migrations[RK_ARRAY_LEN(migrations) - 1].version;
}

static const char *db_file(sqlite3 *h)
{
    const char *f = sqlite3_db_filename(h, "main");
    return f && *f ? f : "?";
}

static int too_new(sqlite3 *h, int have, rk_err *err)
{
    return rk_err_set(err, RK_EFAIL,
                      _("The database %s was made by a newer version of Rekisteri (schema %d; this program knows up to %d): update the program."),
                      db_file(h), have, rk_db_latest_version());
}

int rk_db_migrate(rk_db *db, rk_err *err)
{
    sqlite3 *h = rk_db_handle(db);
    int have = rk_db_schema_version(db);
    if (have < 0)
        return rk_err_set(err, RK_EFAIL, _("Cannot read the schema version of the database %s: %s."),
                          db_file(h), sqlite3_errmsg(h));
    if (have > rk_db_latest_version())
        return too_new(h, have, err);

    for (size_t i = 0; i < RK_ARRAY_LEN(migrations); i++) {
        const struct migration *m = &migrations[i];
        if (m->version <= have)
            continue;
        int rc = rk_db_begin(db, err);
        if (rc)
            return rc;
        /* Another process may have migrated while we waited for the lock. */
        have = rk_db_schema_version(db);
        if (have > rk_db_latest_version()) {
            rk_db_rollback(db);
            return too_new(h, have, err);
        }
        if (m->version <= have) {
            rk_db_rollback(db);
            continue;
        }
        char setver[64];
        snprintf(setver, sizeof setver, "PRAGMA user_version = %d", m->version);
        if (sqlite3_exec(h, m->sql, NULL, NULL, NULL) != SQLITE_OK ||
            sqlite3_exec(h, setver, NULL, NULL, NULL) != SQLITE_OK) {
            rk_err_set(err, RK_EFAIL, _("Cannot update the database %s to schema %d (%s): %s."),
                       db_file(h), m->version, m->name, sqlite3_errmsg(h));
            rk_db_rollback(db);
            return RK_EFAIL;
        }
        if ((rc = rk_db_commit(db, err)) != RK_OK)
            return rc;
        have = m->version;
    }
    return RK_OK;
}
