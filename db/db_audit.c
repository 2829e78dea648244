/* SQL access to the append-only audit table. seq is the rowid, so storage
 * order and seq order are the same thing. */
#include "db_audit.h"

#include <sqlite3.h>
#include <string.h>

#define AUDIT_COLS "seq, ts, user, action, client_id, details, terminal, prev_hash, hash"

int rk_dba_last(rk_db *db, int64_t *seq, unsigned char hash[RK_AUDIT_HASH_BYTES], rk_err *err)
{
    sqlite3 *h = rk_db_handle(db);
    sqlite3_stmt *st = NULL;
    *seq = 0;
    memset(hash, 0, RK_AUDIT_HASH_BYTES);
    if (sqlite3_prepare_v2(h, "SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1", -1, &st,
                           NULL) != SQLITE_OK)
        return rk_err_set(err, RK_EFAIL, _("Cannot read the audit table: %s."), sqlite3_errmsg(h));
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        const void *b = sqlite3_column_blob(st, 1);
        int n = sqlite3_column_bytes(st, 1);
        *seq = sqlite3_column_int64(st, 0);
        if (!b || n != RK_AUDIT_HASH_BYTES) {
            sqlite3_finalize(st);
            return rk_err_set(err, RK_EFAIL,
                              _("The last row (%lld) of the audit table has a damaged hash."),
                              (long long)*seq);
        }
        memcpy(hash, b, RK_AUDIT_HASH_BYTES);
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return rk_err_set(err, RK_EFAIL, _("Cannot read the audit table: %s."), sqlite3_errmsg(h));
    return RK_OK;
}

int rk_dba_insert(rk_db *db, const rk_audit_row *row, rk_err *err)
{
    sqlite3 *h = rk_db_handle(db);
    /* The row must commit or roll back with the action it records, and the
     * read of the last row must not race another writer. */
    if (sqlite3_get_autocommit(h))
        return rk_err_set(err, RK_EFAIL,
                          _("Audit rows are written only inside a transaction (row %lld)."),
                          (long long)row->seq);
    if (strnlen(row->ts, sizeof row->ts) == sizeof row->ts ||
        strnlen(row->user, sizeof row->user) == sizeof row->user ||
        strnlen(row->action, sizeof row->action) == sizeof row->action ||
        strnlen(row->details, sizeof row->details) == sizeof row->details ||
        strnlen(row->terminal, sizeof row->terminal) == sizeof row->terminal)
        return rk_err_set(err, RK_EFAIL, _("Cannot write row %lld to the audit table: a field is not terminated."),
                          (long long)row->seq);

    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(h, "INSERT INTO audit (" AUDIT_COLS ") VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9)",
                           -1, &st, NULL) != SQLITE_OK)
        return rk_err_set(err, RK_EFAIL, _("Cannot write row %lld to the audit table: %s."),
                          (long long)row->seq, sqlite3_errmsg(h));
    sqlite3_bind_int64(st, 1, row->seq);
    sqlite3_bind_text(st, 2, row->ts, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 3, row->user, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 4, row->action, -1, SQLITE_TRANSIENT);
    if (row->client_id)
        sqlite3_bind_int64(st, 5, row->client_id);
    else
        sqlite3_bind_null(st, 5);
    sqlite3_bind_text(st, 6, row->details, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 7, row->terminal, -1, SQLITE_TRANSIENT);
    sqlite3_bind_blob(st, 8, row->prev_hash, RK_AUDIT_HASH_BYTES, SQLITE_TRANSIENT);
    sqlite3_bind_blob(st, 9, row->hash, RK_AUDIT_HASH_BYTES, SQLITE_TRANSIENT);
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE)
        return rk_err_set(err, RK_EFAIL, _("Cannot write row %lld to the audit table: %s."),
                          (long long)row->seq, rk_db_errmsg(db));
    return RK_OK;
}

/* Copies a text column; false when it does not fit or holds a NUL, which
 * only an edit outside the program can produce. */
static bool copy_text(sqlite3_stmt *st, int col, char *dst, size_t size)
{
    const char *v = (const char *)sqlite3_column_text(st, col);
    size_t n = (size_t)sqlite3_column_bytes(st, col);
    bool ok = v && n < size && memchr(v, '\0', n) == NULL;
    if (!v)
        n = 0;
    if (n >= size)
        n = size - 1;
    memcpy(dst, v ? v : "", n);
    dst[n] = '\0';
    return ok;
}

static bool copy_hash(sqlite3_stmt *st, int col, unsigned char dst[RK_AUDIT_HASH_BYTES])
{
    const void *b = sqlite3_column_blob(st, col);
    int n = sqlite3_column_bytes(st, col);
    if (!b || n != RK_AUDIT_HASH_BYTES) {
        memset(dst, 0, RK_AUDIT_HASH_BYTES);
        return false;
    }
    memcpy(dst, b, RK_AUDIT_HASH_BYTES);
    return true;
}

int rk_dba_each(rk_db *db, int64_t from_seq, rk_audit_row_cb cb, void *ctx, rk_err *err)
{
    sqlite3 *h = rk_db_handle(db);
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(h, "SELECT " AUDIT_COLS " FROM audit WHERE seq >= ?1 ORDER BY rowid",
                           -1, &st, NULL) != SQLITE_OK)
        return rk_err_set(err, RK_EFAIL, _("Cannot read the audit table: %s."), sqlite3_errmsg(h));
    sqlite3_bind_int64(st, 1, from_seq);
    int rc, stop = 0;
    rk_audit_row row;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        memset(&row, 0, sizeof row);
        row.seq = sqlite3_column_int64(st, 0);
        bool ok = copy_text(st, 1, row.ts, sizeof row.ts);
        ok &= copy_text(st, 2, row.user, sizeof row.user);
        ok &= copy_text(st, 3, row.action, sizeof row.action);
        ok &= sqlite3_column_type(st, 4) == SQLITE_NULL ||
              sqlite3_column_type(st, 4) == SQLITE_INTEGER;
        row.client_id = sqlite3_column_int64(st, 4);
        ok &= copy_text(st, 5, row.details, sizeof row.details);
        ok &= copy_text(st, 6, row.terminal, sizeof row.terminal);
        ok &= copy_hash(st, 7, row.prev_hash);
        ok &= copy_hash(st, 8, row.hash);
        /* A field the struct cannot hold as stored was not written by
         * rk_dba_insert: clear the hash so the chain check reports the row
         * instead of verifying a cut-down copy. */
        if (!ok)
            memset(row.hash, 0, sizeof row.hash);
        stop = cb(ctx, &row);
        if (stop)
            break;
    }
    sqlite3_finalize(st);
    if (!stop && rc != SQLITE_DONE)
        return rk_err_set(err, RK_EFAIL, _("Cannot read the audit table: %s."), sqlite3_errmsg(h));
    return stop;
}

int rk_dba_count(rk_db *db, int64_t *n, rk_err *err)
{
    sqlite3 *h = rk_db_handle(db);
    sqlite3_stmt *st = NULL;
    *n = 0;
    if (sqlite3_prepare_v2(h, "SELECT count(*) FROM audit", -1, &st, NULL) != SQLITE_OK)
        return rk_err_set(err, RK_EFAIL, _("Cannot count the rows of the audit table: %s."),
                          sqlite3_errmsg(h));
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *n = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    if (rc != SQLITE_ROW)
        return rk_err_set(err, RK_EFAIL, _("Cannot count the rows of the audit table: %s."),
                          sqlite3_errmsg(h));
    return RK_OK;
}

int rk_dba_hash_at(rk_db *db, int64_t seq, unsigned char hash[RK_AUDIT_HASH_BYTES], rk_err *err)
{
    sqlite3 *h = rk_db_handle(db);
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(h, "SELECT hash FROM audit WHERE seq = ?", -1, &st, NULL) != SQLITE_OK)
        return rk_err_set(err, RK_EFAIL, _("Cannot read the audit table: %s."), sqlite3_errmsg(h));
    sqlite3_bind_int64(st, 1, seq);
    int rc = sqlite3_step(st);
    bool ok = rc == SQLITE_ROW && sqlite3_column_bytes(st, 0) == RK_AUDIT_HASH_BYTES;
    if (ok)
        memcpy(hash, sqlite3_column_blob(st, 0), RK_AUDIT_HASH_BYTES);
    sqlite3_finalize(st);
    if (rc == SQLITE_DONE)
        return RK_ENOTFOUND;
    if (!ok)
        return rk_err_set(err, RK_EFAIL, _("Cannot read the audit table: %s."), sqlite3_errmsg(h));
    return RK_OK;
}
