#include "db_data.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int rk_dbx_client_ids(rk_db *db, int64_t **ids, size_t *n, rk_err *err)
{
    sqlite3 *h = rk_db_handle(db);
    sqlite3_stmt *st = NULL;
    *ids = NULL;
    *n = 0;
    if (sqlite3_prepare_v2(h, "SELECT id FROM clients ORDER BY id", -1, &st, NULL) != SQLITE_OK)
        return rk_err_set(err, RK_EFAIL, _("Cannot read the clients: %s."), sqlite3_errmsg(h));
    size_t cap = 0;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (*n == cap) {
            cap = cap ? cap * 2 : 1024;
            int64_t *a = realloc(*ids, cap * sizeof *a);
            if (!a) {
                sqlite3_finalize(st);
                free(*ids);
                *ids = NULL;
                *n = 0;
                return rk_err_set(err, RK_EFAIL, _("Out of memory."));
            }
            *ids = a;
        }
        (*ids)[(*n)++] = sqlite3_column_int64(st, 0);
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        free(*ids);
        *ids = NULL;
        *n = 0;
        return rk_err_set(err, RK_EFAIL, _("Cannot read the clients: %s."), sqlite3_errmsg(h));
    }
    return RK_OK;
}

static int exec(sqlite3 *h, const char *sql, rk_err *err)
{
    if (sqlite3_exec(h, sql, NULL, NULL, NULL) != SQLITE_OK)
        return rk_err_set(err, RK_EFAIL, _("Cannot copy the database (%.40s): %s."), sql,
                          sqlite3_errmsg(h));
    return RK_OK;
}

static int64_t int_pragma(sqlite3 *h, const char *sql)
{
    sqlite3_stmt *st = NULL;
    int64_t v = -1;
    if (sqlite3_prepare_v2(h, sql, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
        v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return v;
}

/* ATTACH with the raw key as x'hex', built in locked memory. */
static int attach(sqlite3 *h, const char *path, const unsigned char key[RK_KEY_BYTES], rk_err *err)
{
    /* SQLCipher 4 attaches with its own defaults unless told; 3.4 ignores it. */
    sqlite3_exec(h, "PRAGMA cipher_default_compatibility = 3", NULL, NULL, NULL);
    char hex[2 * RK_KEY_BYTES + 4];
    char *k = sodium_malloc(sizeof hex);
    if (!k)
        return rk_err_set(err, RK_EFAIL, _("Out of secure memory."));
    k[0] = 'x';
    k[1] = '\'';
    sodium_bin2hex(k + 2, 2 * RK_KEY_BYTES + 1, key, RK_KEY_BYTES);
    k[2 + 2 * RK_KEY_BYTES] = '\'';
    k[3 + 2 * RK_KEY_BYTES] = '\0';
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(h, "ATTACH DATABASE ?1 AS rk_copy KEY ?2", -1, &st, NULL);
    if (rc == SQLITE_OK) {
        sqlite3_bind_text(st, 1, path, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(st, 2, k, -1, SQLITE_STATIC);
        rc = sqlite3_step(st);
    }
    sqlite3_finalize(st);
    sodium_free(k);
    if (rc != SQLITE_DONE && rc != SQLITE_OK)
        return rk_err_set(err, RK_EFAIL, _("Cannot create the copy %s: %s."), path, sqlite3_errmsg(h));
    sqlite3_exec(h, "PRAGMA rk_copy.cipher_compatibility = 3", NULL, NULL, NULL);
    /* A copy is a new file: the page size of new files. */
    char ps[64];
    snprintf(ps, sizeof ps, "PRAGMA rk_copy.cipher_page_size = %d", RK_DB_PAGE_SIZE);
    sqlite3_exec(h, ps, NULL, NULL, NULL);
    return RK_OK;
}

/* One copy inside the caller's transaction (attached, not yet committed). */
static int copy_into(sqlite3 *h, rk_err *err)
{
    int64_t version = int_pragma(h, "PRAGMA main.user_version");
    char sql[64];
    snprintf(sql, sizeof sql, "PRAGMA rk_copy.user_version = %lld", (long long)version);
    /* A read first, so the snapshot is taken before anything is copied. */
    if (exec(h, "SELECT count(*) FROM main.sqlite_master", err) ||
        exec(h, "SELECT sqlcipher_export('rk_copy')", err) || exec(h, sql, err))
        return err->code;
    return RK_OK;
}

int rk_dbx_export(rk_db *db, const char *path, const unsigned char key[RK_KEY_BYTES],
                  bool hold_write_lock, rk_err *err)
{
    sqlite3 *h = rk_db_handle(db);
    for (int attempt = 0; attempt < 5; attempt++) {
        /* Made here, 0600 and new, before SQLite opens it. */
        int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
        if (fd < 0)
            return rk_err_set(err, RK_EFAIL, _("Cannot create the copy %s: %s."), path,
                              strerror(errno));
        close(fd);
        if (attach(h, path, key, err)) {
            unlink(path);
            return err->code;
        }
        int64_t before = -1;
        int rc = hold_write_lock ? rk_db_begin(db, err) : exec(h, "BEGIN", err);
        if (rc == RK_OK) {
            rc = copy_into(h, err);
            before = int_pragma(h, "PRAGMA main.data_version");
            if (rc == RK_OK)
                rc = rk_db_commit(db, err);
            else
                rk_db_rollback(db);
        }
        sqlite3_exec(h, "DETACH DATABASE rk_copy", NULL, NULL, NULL);
        if (rc) {
            unlink(path);
            return rc;
        }
        if (!hold_write_lock)
            return RK_OK;
        /* ATTACH and DETACH cannot run inside a transaction, so the write
         * lock is taken again; data_version tells whether anybody wrote in
         * between (then the copy is stale and is made again). */
        if (rk_db_begin(db, err)) {
            unlink(path);
            return err->code;
        }
        if (int_pragma(h, "PRAGMA main.data_version") == before)
            return RK_OK;
        rk_db_rollback(db);
        unlink(path);
    }
    return rk_err_set(err, RK_EFAIL,
                      _("The database kept changing while it was being copied; try again when it is quieter."));
}

/* Rows read for rk_dbx_audit_rewrite. */
struct audit_rows {
    rk_audit_row *rows;
    size_t n, cap;
};

static int collect_row(void *ctx, const rk_audit_row *row)
{
    struct audit_rows *a = ctx;
    if (!rk_grow(&a->rows, &a->cap, a->n, sizeof *a->rows, 1024))
        return -1;
    a->rows[a->n++] = *row;
    return 0;
}

int rk_dbx_audit_rewrite(rk_db *db, void (*rehash)(void *ctx, rk_audit_row *row), void *ctx,
                         rk_err *err)
{
    sqlite3 *h = rk_db_handle(db);
    struct audit_rows a = { 0 };
    sqlite3_stmt *st = NULL;
    char *trigger = NULL;
    if (rk_db_begin(db, err))
        return err->code;
    int rc = rk_dba_each(db, 0, collect_row, &a, err);
    if (rc == -1)
        rc = rk_err_set(err, RK_EFAIL, _("Out of memory."));
    if (rc == RK_OK &&
        sqlite3_prepare_v2(h, "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = 'audit_no_update'",
                           -1, &st, NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
        trigger = strdup((const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    st = NULL;
    if (rc == RK_OK && !trigger)
        rc = rk_err_set(err, RK_EFAIL, _("The audit table of the copy is not as expected."));
    if (rc == RK_OK)
        rc = exec(h, "DROP TRIGGER audit_no_update", err);
    if (rc == RK_OK && sqlite3_prepare_v2(h, "UPDATE audit SET prev_hash = ?1, hash = ?2 WHERE seq = ?3",
                                          -1, &st, NULL) != SQLITE_OK)
        rc = rk_err_set(err, RK_EFAIL, _("Cannot re-key the audit chain: %s."), sqlite3_errmsg(h));
    for (size_t i = 0; rc == RK_OK && i < a.n; i++) {
        rehash(ctx, &a.rows[i]);
        sqlite3_bind_blob(st, 1, a.rows[i].prev_hash, RK_AUDIT_HASH_BYTES, SQLITE_STATIC);
        sqlite3_bind_blob(st, 2, a.rows[i].hash, RK_AUDIT_HASH_BYTES, SQLITE_STATIC);
        sqlite3_bind_int64(st, 3, a.rows[i].seq);
        if (sqlite3_step(st) != SQLITE_DONE)
            rc = rk_err_set(err, RK_EFAIL, _("Cannot re-key the audit chain: %s."), sqlite3_errmsg(h));
        sqlite3_reset(st);
    }
    sqlite3_finalize(st);
    /* The trigger comes back exactly as the migration made it. */
    if (rc == RK_OK)
        rc = exec(h, trigger, err);
    if (rc == RK_OK)
        rc = rk_db_commit(db, err);
    else
        rk_db_rollback(db);
    free(trigger);
    free(a.rows);
    return rc;
}
