#include "db_requests.h"

#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

#include "fields.h"

/* One statement with its connection, so that the helpers below need only
 * the statement. */
typedef struct q {
    rk_db *db;
    sqlite3_stmt *st;
} q;

static int q_fail(rk_db *db, const char *what, rk_err *err)
{
    return rk_err_set(err, RK_EFAIL, _("Database error while %s: %s."), what,
                      sqlite3_errmsg(rk_db_handle(db)));
}

static int q_open(q *x, rk_db *db, const char *sql, rk_err *err)
{
    x->db = db;
    if (sqlite3_prepare_v2(rk_db_handle(db), sql, -1, &x->st, NULL) != SQLITE_OK)
        return q_fail(db, _("preparing a query"), err);
    return RK_OK;
}

static void q_text(q *x, int i, const char *v)
{
    sqlite3_bind_text(x->st, i, v ? v : "", -1, SQLITE_TRANSIENT);
}

static void q_col(q *x, int i, char *dst, size_t n)
{
    const unsigned char *t = sqlite3_column_text(x->st, i);
    snprintf(dst, n, "%s", t ? (const char *)t : "");
}

/* Runs a statement that returns no rows. */
static int q_done(q *x, const char *what, rk_err *err)
{
    int rc = sqlite3_step(x->st);
    sqlite3_finalize(x->st);
    return rc == SQLITE_DONE ? RK_OK : q_fail(x->db, what, err);
}

/* ---- requests register ------------------------------------------------- */

#define REQUEST_COLS                                                                       \
    "r.id, r.client_id, c.customer_no, r.kind, r.received, r.channel, r.verified_how, "    \
    "r.verified_by, r.due, r.extension_months, r.extension_reason, r.status, r.decision, " \
    "r.closed, r.closed_by, r.created, r.created_by"

static void request_row(q *x, rk_dbr_request *r)
{
    memset(r, 0, sizeof *r);
    r->id = sqlite3_column_int64(x->st, 0);
    r->client_id = sqlite3_column_int64(x->st, 1);
    r->customer_no = sqlite3_column_int64(x->st, 2);
    q_col(x, 3, r->kind, sizeof r->kind);
    q_col(x, 4, r->received, sizeof r->received);
    q_col(x, 5, r->channel, sizeof r->channel);
    q_col(x, 6, r->verified_how, sizeof r->verified_how);
    q_col(x, 7, r->verified_by, sizeof r->verified_by);
    q_col(x, 8, r->due, sizeof r->due);
    r->extension_months = sqlite3_column_int(x->st, 9);
    q_col(x, 10, r->extension_reason, sizeof r->extension_reason);
    q_col(x, 11, r->status, sizeof r->status);
    q_col(x, 12, r->decision, sizeof r->decision);
    q_col(x, 13, r->closed, sizeof r->closed);
    q_col(x, 14, r->closed_by, sizeof r->closed_by);
    q_col(x, 15, r->created, sizeof r->created);
    q_col(x, 16, r->created_by, sizeof r->created_by);
}

int rk_dbr_request_insert(rk_db *db, rk_dbr_request *r, rk_err *err)
{
    q x;
    if (q_open(&x, db,
               "INSERT INTO requests (client_id, kind, received, channel, verified_how, verified_by,"
               " due, extension_months, extension_reason, status, decision, closed, closed_by,"
               " created, created_by) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12,"
               " ?13, ?14, ?15)", err))
        return err->code;
    sqlite3_bind_int64(x.st, 1, r->client_id);
    q_text(&x, 2, r->kind);
    q_text(&x, 3, r->received);
    q_text(&x, 4, r->channel);
    q_text(&x, 5, r->verified_how);
    q_text(&x, 6, r->verified_by);
    q_text(&x, 7, r->due);
    sqlite3_bind_int(x.st, 8, r->extension_months);
    q_text(&x, 9, r->extension_reason);
    q_text(&x, 10, r->status);
    q_text(&x, 11, r->decision);
    q_text(&x, 12, r->closed);
    q_text(&x, 13, r->closed_by);
    q_text(&x, 14, r->created);
    q_text(&x, 15, r->created_by);
    if (q_done(&x, _("saving a request"), err))
        return err->code;
    r->id = sqlite3_last_insert_rowid(rk_db_handle(db));
    return RK_OK;
}

int rk_dbr_request_get(rk_db *db, int64_t id, rk_dbr_request *out, rk_err *err)
{
    q x;
    if (q_open(&x, db, "SELECT " REQUEST_COLS " FROM requests r JOIN clients c ON c.id = r.client_id"
                       " WHERE r.id = ?1", err))
        return err->code;
    sqlite3_bind_int64(x.st, 1, id);
    int rc = sqlite3_step(x.st);
    if (rc == SQLITE_ROW)
        request_row(&x, out);
    sqlite3_finalize(x.st);
    if (rc == SQLITE_ROW)
        return RK_OK;
    if (rc == SQLITE_DONE)
        return rk_err_set(err, RK_ENOTFOUND, _("There is no request number %lld."), (long long)id);
    return q_fail(db, _("reading a request"), err);
}

int rk_dbr_request_update(rk_db *db, const rk_dbr_request *r, rk_err *err)
{
    q x;
    if (q_open(&x, db,
               "UPDATE requests SET due = ?2, extension_months = ?3, extension_reason = ?4,"
               " status = ?5, decision = ?6, closed = ?7, closed_by = ?8 WHERE id = ?1", err))
        return err->code;
    sqlite3_bind_int64(x.st, 1, r->id);
    q_text(&x, 2, r->due);
    sqlite3_bind_int(x.st, 3, r->extension_months);
    q_text(&x, 4, r->extension_reason);
    q_text(&x, 5, r->status);
    q_text(&x, 6, r->decision);
    q_text(&x, 7, r->closed);
    q_text(&x, 8, r->closed_by);
    return q_done(&x, _("saving a request"), err);
}

int rk_dbr_requests_each(rk_db *db, int64_t client_id, bool open_only, rk_dbr_request_cb cb,
                         void *ctx, rk_err *err)
{
    q x;
    if (q_open(&x, db, "SELECT " REQUEST_COLS " FROM requests r JOIN clients c ON c.id = r.client_id"
                       " WHERE (?1 = 0 OR r.client_id = ?1) AND (?2 = 0 OR r.closed = '')"
                       " ORDER BY r.due, r.id", err))
        return err->code;
    sqlite3_bind_int64(x.st, 1, client_id);
    sqlite3_bind_int(x.st, 2, open_only);
    int rc;
    while ((rc = sqlite3_step(x.st)) == SQLITE_ROW) {
        rk_dbr_request r;
        request_row(&x, &r);
        int stop = cb(ctx, &r);
        if (stop) {
            sqlite3_finalize(x.st);
            return stop;
        }
    }
    sqlite3_finalize(x.st);
    return rc == SQLITE_DONE ? RK_OK : q_fail(db, _("reading requests"), err);
}

/* ---- restriction ------------------------------------------------------- */

int rk_dbr_set_restricted(rk_db *db, int64_t client_id, bool on, const char *user,
                          const char *ts, rk_err *err)
{
    q x;
    if (q_open(&x, db, "UPDATE clients SET restricted = ?2, version = version + 1, updated = ?3,"
                       " updated_by = ?4 WHERE id = ?1", err))
        return err->code;
    sqlite3_bind_int64(x.st, 1, client_id);
    sqlite3_bind_int(x.st, 2, on);
    q_text(&x, 3, ts);
    q_text(&x, 4, user);
    if (q_done(&x, _("restricting processing"), err))
        return err->code;
    if (sqlite3_changes(rk_db_handle(db)) == 0)
        return rk_err_set(err, RK_ENOTFOUND, _("There is no client with the internal id %lld."),
                          (long long)client_id);
    return RK_OK;
}

/* ---- erasure register and legal holds --------------------------------- */

#define ERASURE_COLS                                                                \
    "e.client_id, c.customer_no, e.erased, e.user, e.reason, e.hold_until, e.hold_basis, " \
    "e.hold_ended"

static void erasure_row(q *x, rk_dbr_erasure *e)
{
    memset(e, 0, sizeof *e);
    e->client_id = sqlite3_column_int64(x->st, 0);
    e->customer_no = sqlite3_column_int64(x->st, 1);
    q_col(x, 2, e->erased, sizeof e->erased);
    q_col(x, 3, e->user, sizeof e->user);
    q_col(x, 4, e->reason, sizeof e->reason);
    q_col(x, 5, e->hold_until, sizeof e->hold_until);
    q_col(x, 6, e->hold_basis, sizeof e->hold_basis);
    q_col(x, 7, e->hold_ended, sizeof e->hold_ended);
}

int rk_dbr_erasure_insert(rk_db *db, const rk_dbr_erasure *e, rk_err *err)
{
    q x;
    if (q_open(&x, db, "INSERT INTO erasures (client_id, erased, user, reason, hold_until,"
                       " hold_basis, hold_ended) VALUES (?1, ?2, ?3, ?4, ?5, ?6, '')", err))
        return err->code;
    sqlite3_bind_int64(x.st, 1, e->client_id);
    q_text(&x, 2, e->erased);
    q_text(&x, 3, e->user);
    q_text(&x, 4, e->reason);
    q_text(&x, 5, e->hold_until);
    q_text(&x, 6, e->hold_basis);
    return q_done(&x, _("recording an erasure"), err);
}

int rk_dbr_erasure_get(rk_db *db, int64_t client_id, rk_dbr_erasure *out, rk_err *err)
{
    q x;
    if (q_open(&x, db, "SELECT " ERASURE_COLS " FROM erasures e JOIN clients c ON c.id = e.client_id"
                       " WHERE e.client_id = ?1", err))
        return err->code;
    sqlite3_bind_int64(x.st, 1, client_id);
    int rc = sqlite3_step(x.st);
    if (rc == SQLITE_ROW)
        erasure_row(&x, out);
    sqlite3_finalize(x.st);
    if (rc == SQLITE_ROW)
        return RK_OK;
    if (rc == SQLITE_DONE)
        return RK_ENOTFOUND;
    return q_fail(db, _("reading the erasure register"), err);
}

int rk_dbr_holds_due(rk_db *db, const char *today, rk_dbr_erasure_cb cb, void *ctx, rk_err *err)
{
    q x;
    if (q_open(&x, db, "SELECT " ERASURE_COLS " FROM erasures e JOIN clients c ON c.id = e.client_id"
                       " WHERE e.hold_until <> '' AND e.hold_until < ?1 AND e.hold_ended = ''"
                       " ORDER BY e.hold_until, e.client_id", err))
        return err->code;
    q_text(&x, 1, today);
    int rc;
    while ((rc = sqlite3_step(x.st)) == SQLITE_ROW) {
        rk_dbr_erasure e;
        erasure_row(&x, &e);
        int stop = cb(ctx, &e);
        if (stop) {
            sqlite3_finalize(x.st);
            return stop;
        }
    }
    sqlite3_finalize(x.st);
    return rc == SQLITE_DONE ? RK_OK : q_fail(db, _("reading legal holds"), err);
}

int rk_dbr_hold_ended(rk_db *db, int64_t client_id, const char *ts, rk_err *err)
{
    q x;
    if (q_open(&x, db, "UPDATE erasures SET hold_ended = ?2 WHERE client_id = ?1", err))
        return err->code;
    sqlite3_bind_int64(x.st, 1, client_id);
    q_text(&x, 2, ts);
    return q_done(&x, _("ending a legal hold"), err);
}

static int exec_client(rk_db *db, const char *sql, int64_t client_id, rk_err *err)
{
    q x;
    if (q_open(&x, db, sql, err))
        return err->code;
    sqlite3_bind_int64(x.st, 1, client_id);
    return q_done(&x, _("erasing a client"), err);
}

static bool kept(const char *const *keep, const char *name)
{
    for (; keep && *keep; keep++)
        if (strcmp(*keep, name) == 0)
            return true;
    return false;
}

int rk_dbr_erase_client(rk_db *db, int64_t client_id, const char *const *keep, const char *user,
                        const char *ts, rk_err *err)
{
    static const char *const statements[] = {
        "DELETE FROM client_phones WHERE client_id = ?1",
        "DELETE FROM client_emails WHERE client_id = ?1",
        "DELETE FROM client_events WHERE client_id = ?1",
        "DELETE FROM client_sources WHERE client_id = ?1",
        "DELETE FROM client_household WHERE client_id = ?1 OR other_id = ?1",
        "DELETE FROM field_history WHERE client_id = ?1",
        "DELETE FROM call_notes WHERE client_id = ?1",
        "UPDATE consent_events SET note = '' WHERE client_id = ?1 AND note <> ''",
    };
    for (size_t i = 0; i < RK_ARRAY_LEN(statements); i++)
        if (exec_client(db, statements[i], client_id, err))
            return err->code;
    /* Every scalar column of the field table but the customer number and
     * the kept ones; the henkilötunnus becomes NULL (UNIQUE allows many). */
    char sql[2048] = "UPDATE clients SET version = version + 1, updated = ?2, updated_by = ?3,"
                     " source_batch = NULL";
    for (int f = 0; f < RK_F_COUNT; f++) {
        if (rk_field_is_list((rk_field)f) || f == RK_F_CUSTOMER_NO || kept(keep, rk_fields[f].name))
            continue;
        size_t len = strlen(sql);
        snprintf(sql + len, sizeof sql - len, ", %s = %s", rk_fields[f].name,
                 f == RK_F_HETU ? "NULL" : "''");
    }
    strncat(sql, " WHERE id = ?1", sizeof sql - strlen(sql) - 1);
    q x;
    if (q_open(&x, db, sql, err))
        return err->code;
    sqlite3_bind_int64(x.st, 1, client_id);
    q_text(&x, 2, ts);
    q_text(&x, 3, user);
    return q_done(&x, _("erasing a client"), err);
}

/* ---- retention --------------------------------------------------------- */

int rk_dbr_idle_clients(rk_db *db, const char *cutoff, rk_dbr_idle_cb cb, void *ctx, rk_err *err)
{
    /* Dates and ISO timestamps compare as text: "2020-01-01" < "2020-01-01T..". */
    q x;
    if (q_open(&x, db,
               "SELECT id, customer_no, seen FROM (SELECT c.id, c.customer_no, max(c.updated,"
               " COALESCE((SELECT max(date) FROM client_events WHERE client_id = c.id), ''),"
               " COALESCE((SELECT max(started) FROM call_notes WHERE client_id = c.id), ''),"
               " COALESCE((SELECT max(ts) FROM consent_events WHERE client_id = c.id), '')) AS seen"
               " FROM clients c WHERE NOT EXISTS (SELECT 1 FROM erasures e WHERE e.client_id = c.id))"
               " WHERE seen < ?1 ORDER BY seen, id", err))
        return err->code;
    q_text(&x, 1, cutoff);
    int rc;
    while ((rc = sqlite3_step(x.st)) == SQLITE_ROW) {
        rk_dbr_idle r = { .client_id = sqlite3_column_int64(x.st, 0),
                          .customer_no = sqlite3_column_int64(x.st, 1) };
        q_col(&x, 2, r.last_seen, sizeof r.last_seen);
        int stop = cb(ctx, &r);
        if (stop) {
            sqlite3_finalize(x.st);
            return stop;
        }
    }
    sqlite3_finalize(x.st);
    return rc == SQLITE_DONE ? RK_OK : q_fail(db, _("finding clients for the retention review"), err);
}

int rk_dbr_call_note_delete(rk_db *db, int64_t note_id, rk_err *err)
{
    return exec_client(db, "DELETE FROM call_notes WHERE id = ?1", note_id, err);
}
