#include "db_consent.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int sql_fail(rk_db *db, rk_err *err, const char *what)
{
    return rk_err_set(err, RK_EFAIL, _("Database error while %s: %s."), what,
                      rk_db_errmsg(db));
}

static int prepare(rk_db *db, const char *sql, sqlite3_stmt **st, rk_err *err)
{
    if (sqlite3_prepare_v2(rk_db_handle(db), sql, -1, st, NULL) != SQLITE_OK)
        return sql_fail(db, err, _("preparing a query"));
    return RK_OK;
}

static const char *col_text(sqlite3_stmt *st, int i)
{
    const unsigned char *t = sqlite3_column_text(st, i);
    return t ? (const char *)t : "";
}

#define COPY(dst, st, i) snprintf((dst), sizeof(dst), "%s", col_text((st), (i)))

/* Steps a statement to its end; a callback's non-zero return stops and is
 * passed back. */
typedef int (*row_fn)(sqlite3_stmt *st, void *cb, void *ctx);

static int run_rows(rk_db *db, sqlite3_stmt *st, row_fn fn, void *cb, void *ctx, const char *what,
                    rk_err *err)
{
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        int stop = fn(st, cb, ctx);
        if (stop) {
            sqlite3_finalize(st);
            return stop;
        }
    }
    if (rc != SQLITE_DONE) {
        sql_fail(db, err, what);
        sqlite3_finalize(st);
        return RK_EFAIL;
    }
    sqlite3_finalize(st);
    return RK_OK;
}

static int step_done(rk_db *db, sqlite3_stmt *st, const char *what, rk_err *err)
{
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE)
        return sql_fail(db, err, what);
    return RK_OK;
}

/* ---- consent ledger ---------------------------------------------------- */

int rk_dbco_next_batch(rk_db *db, int64_t *batch, rk_err *err)
{
    sqlite3_stmt *st;
    if (prepare(db, "SELECT COALESCE(MAX(batch), 0) + 1 FROM consent_events", &st, err))
        return err->code;
    int rc = sqlite3_step(st);
    *batch = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    sqlite3_finalize(st);
    if (rc != SQLITE_ROW)
        return sql_fail(db, err, _("numbering consent changes"));
    return RK_OK;
}

int rk_dbco_insert(rk_db *db, rk_dbco_event *e, rk_err *err)
{
    sqlite3_stmt *st;
    if (prepare(db,
                "INSERT INTO consent_events (client_id, item, channel, state, user, ts, source,"
                " call_id, notice_version, note, batch) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                &st, err))
        return err->code;
    sqlite3_bind_int64(st, 1, e->client_id);
    sqlite3_bind_text(st, 2, e->item, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, e->channel, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, e->state, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 5, e->user, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 6, e->ts, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 7, e->source, -1, SQLITE_STATIC);
    if (e->call_id)
        sqlite3_bind_int64(st, 8, e->call_id);
    else
        sqlite3_bind_null(st, 8);
    sqlite3_bind_text(st, 9, e->notice_version, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 10, e->note, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 11, e->batch);
    if (step_done(db, st, _("recording a consent change"), err))
        return err->code;
    e->id = sqlite3_last_insert_rowid(rk_db_handle(db));
    return RK_OK;
}

#define EVENT_COLS "e.id, e.client_id, e.item, e.channel, e.state, e.user, e.ts, e.source," \
                   " e.call_id, e.notice_version, e.note, e.batch"

static int event_row(sqlite3_stmt *st, void *cb, void *ctx)
{
    rk_dbco_event e = { .id = sqlite3_column_int64(st, 0), .client_id = sqlite3_column_int64(st, 1) };
    COPY(e.item, st, 2);
    COPY(e.channel, st, 3);
    COPY(e.state, st, 4);
    COPY(e.user, st, 5);
    COPY(e.ts, st, 6);
    COPY(e.source, st, 7);
    e.call_id = sqlite3_column_int64(st, 8);
    COPY(e.notice_version, st, 9);
    COPY(e.note, st, 10);
    e.batch = sqlite3_column_int64(st, 11);
    return ((rk_dbco_event_cb)cb)(ctx, &e);
}

int rk_dbco_latest(rk_db *db, int64_t client_id, rk_dbco_event_cb cb, void *ctx, rk_err *err)
{
    sqlite3_stmt *st;
    /* No window functions in SQLite 3.15: the latest id per cell. */
    if (prepare(db,
                "SELECT " EVENT_COLS " FROM consent_events e JOIN"
                " (SELECT MAX(id) AS mid FROM consent_events WHERE client_id = ?1"
                "  GROUP BY item, channel) m ON e.id = m.mid ORDER BY e.id",
                &st, err))
        return err->code;
    sqlite3_bind_int64(st, 1, client_id);
    return run_rows(db, st, event_row, (void *)cb, ctx, _("reading consents"), err);
}

int rk_dbco_history(rk_db *db, int64_t client_id, rk_dbco_event_cb cb, void *ctx, rk_err *err)
{
    sqlite3_stmt *st;
    if (prepare(db, "SELECT " EVENT_COLS " FROM consent_events e WHERE e.client_id = ?1"
                    " ORDER BY e.id DESC", &st, err))
        return err->code;
    sqlite3_bind_int64(st, 1, client_id);
    return run_rows(db, st, event_row, (void *)cb, ctx, _("reading the consent history"), err);
}

static int contact_row(sqlite3_stmt *st, void *cb, void *ctx)
{
    rk_dbco_contact_row r = { .client_id = sqlite3_column_int64(st, 0),
                              .customer_no = sqlite3_column_int64(st, 1),
                              .restricted = sqlite3_column_int(st, 2) != 0 };
    r.turvakielto = strcmp(col_text(st, 3), "1") == 0;
    COPY(r.popreg_bans, st, 4);
    COPY(r.cell, st, 5);
    COPY(r.ban_all, st, 6);
    COPY(r.ban_partner, st, 7);
    r.erased = sqlite3_column_int(st, 8) != 0;
    return ((rk_dbco_contact_cb)cb)(ctx, &r);
}

int rk_dbco_contact_rows(rk_db *db, int64_t client_id, const char *item, const char *channel,
                         const char *all_item, const char *partner_item,
                         rk_dbco_contact_cb cb, void *ctx, rk_err *err)
{
#define LATEST(i, ch) "(SELECT state FROM consent_events WHERE client_id = c.id AND item = " i \
                      " AND channel = " ch " ORDER BY id DESC LIMIT 1)"
    static const char sql[] =
        "SELECT c.id, c.customer_no, c.restricted, c.turvakielto, c.popreg_bans, "
        LATEST("?1", "?2") ", " LATEST("?3", "''") ", " LATEST("?4", "''")
        ", EXISTS (SELECT 1 FROM erasures e WHERE e.client_id = c.id)"
        " FROM clients c WHERE ?5 = 0 OR c.id = ?5 ORDER BY c.id";
#undef LATEST
    sqlite3_stmt *st;
    if (prepare(db, sql, &st, err))
        return err->code;
    sqlite3_bind_text(st, 1, item, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, channel, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, all_item, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, partner_item, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 5, client_id);
    return run_rows(db, st, contact_row, (void *)cb, ctx, _("reading contact permissions"), err);
}

int rk_dbco_client_customer_no(rk_db *db, int64_t client_id, int64_t *customer_no, rk_err *err)
{
    sqlite3_stmt *st;
    if (prepare(db, "SELECT customer_no FROM clients WHERE id = ?1", &st, err))
        return err->code;
    sqlite3_bind_int64(st, 1, client_id);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *customer_no = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    if (rc == SQLITE_ROW)
        return RK_OK;
    if (rc == SQLITE_DONE)
        return rk_err_set(err, RK_ENOTFOUND, _("There is no client with the internal id %lld."),
                          (long long)client_id);
    return sql_fail(db, err, _("reading a client"));
}

/* ---- call notes -------------------------------------------------------- */

int rk_dbca_insert(rk_db *db, rk_dbca_note *n, rk_err *err)
{
    sqlite3_stmt *st;
    if (prepare(db,
                "INSERT INTO call_notes (client_id, started, direction, duration, user, number,"
                " recording_id, purpose, told, training_consent, summary, keep_until, created)"
                " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
                &st, err))
        return err->code;
    sqlite3_bind_int64(st, 1, n->client_id);
    sqlite3_bind_text(st, 2, n->started, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, n->direction, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 4, n->duration);
    sqlite3_bind_text(st, 5, n->user, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 6, n->number, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 7, n->recording_id, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 8, n->purpose, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 9, n->told);
    sqlite3_bind_int(st, 10, n->training_consent);
    sqlite3_bind_text(st, 11, n->summary ? n->summary : "", -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 12, n->keep_until, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 13, n->created, -1, SQLITE_STATIC);
    if (step_done(db, st, _("saving a call note"), err))
        return err->code;
    n->id = sqlite3_last_insert_rowid(rk_db_handle(db));
    return RK_OK;
}

#define NOTE_COLS "id, client_id, started, direction, duration, user, number, recording_id," \
                  " purpose, told, training_consent, summary, keep_until, created"

static int note_row(sqlite3_stmt *st, void *cb, void *ctx)
{
    rk_dbca_note n = { .id = sqlite3_column_int64(st, 0), .client_id = sqlite3_column_int64(st, 1) };
    COPY(n.started, st, 2);
    COPY(n.direction, st, 3);
    n.duration = sqlite3_column_int64(st, 4);
    COPY(n.user, st, 5);
    COPY(n.number, st, 6);
    COPY(n.recording_id, st, 7);
    COPY(n.purpose, st, 8);
    n.told = sqlite3_column_int(st, 9) != 0;
    n.training_consent = sqlite3_column_int(st, 10) != 0;
    n.summary = (char *)col_text(st, 11);
    COPY(n.keep_until, st, 12);
    COPY(n.created, st, 13);
    return ((rk_dbca_note_cb)cb)(ctx, &n);
}

int rk_dbca_get(rk_db *db, int64_t id, rk_dbca_note_cb cb, void *ctx, rk_err *err)
{
    sqlite3_stmt *st;
    if (prepare(db, "SELECT " NOTE_COLS " FROM call_notes WHERE id = ?1", &st, err))
        return err->code;
    sqlite3_bind_int64(st, 1, id);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        int stop = note_row(st, (void *)cb, ctx);
        sqlite3_finalize(st);
        return stop;
    }
    sqlite3_finalize(st);
    if (rc == SQLITE_DONE)
        return rk_err_set(err, RK_ENOTFOUND, _("There is no call note number %lld."),
                          (long long)id);
    return sql_fail(db, err, _("reading a call note"));
}

int rk_dbca_for_client(rk_db *db, int64_t client_id, rk_dbca_note_cb cb, void *ctx, rk_err *err)
{
    sqlite3_stmt *st;
    if (prepare(db, "SELECT " NOTE_COLS " FROM call_notes WHERE client_id = ?1"
                    " ORDER BY started, id", &st, err))
        return err->code;
    sqlite3_bind_int64(st, 1, client_id);
    return run_rows(db, st, note_row, (void *)cb, ctx, _("reading call notes"), err);
}

int rk_dbca_amend(rk_db *db, int64_t note_id, const char *user, const char *ts, const char *text,
                  int64_t *id, rk_err *err)
{
    sqlite3_stmt *st;
    if (prepare(db, "INSERT INTO call_amendments (note_id, user, ts, text) VALUES (?,?,?,?)",
                &st, err))
        return err->code;
    sqlite3_bind_int64(st, 1, note_id);
    sqlite3_bind_text(st, 2, user, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, ts, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, text, -1, SQLITE_STATIC);
    if (step_done(db, st, _("saving an amendment"), err))
        return err->code;
    if (id)
        *id = sqlite3_last_insert_rowid(rk_db_handle(db));
    return RK_OK;
}

static int amendment_row(sqlite3_stmt *st, void *cb, void *ctx)
{
    rk_dbca_amendment a = { .id = sqlite3_column_int64(st, 0), .note_id = sqlite3_column_int64(st, 1) };
    COPY(a.user, st, 2);
    COPY(a.ts, st, 3);
    a.text = col_text(st, 4);
    return ((rk_dbca_amendment_cb)cb)(ctx, &a);
}

int rk_dbca_amendments(rk_db *db, int64_t note_id, rk_dbca_amendment_cb cb, void *ctx,
                       rk_err *err)
{
    sqlite3_stmt *st;
    if (prepare(db, "SELECT id, note_id, user, ts, text FROM call_amendments WHERE note_id = ?1"
                    " ORDER BY id", &st, err))
        return err->code;
    sqlite3_bind_int64(st, 1, note_id);
    return run_rows(db, st, amendment_row, (void *)cb, ctx, _("reading amendments"), err);
}

static int expired_row(sqlite3_stmt *st, void *cb, void *ctx)
{
    rk_dbca_expired e = { .id = sqlite3_column_int64(st, 0), .client_id = sqlite3_column_int64(st, 1),
                          .customer_no = sqlite3_column_int64(st, 2) };
    COPY(e.started, st, 3);
    COPY(e.keep_until, st, 4);
    return ((rk_dbca_expired_cb)cb)(ctx, &e);
}

int rk_dbca_expired_each(rk_db *db, const char *today, rk_dbca_expired_cb cb, void *ctx,
                         rk_err *err)
{
    sqlite3_stmt *st;
    if (prepare(db,
                "SELECT n.id, n.client_id, COALESCE(c.customer_no, 0), n.started, n.keep_until"
                " FROM call_notes n LEFT JOIN clients c ON c.id = n.client_id"
                " WHERE n.keep_until < ?1 ORDER BY n.keep_until, n.id",
                &st, err))
        return err->code;
    sqlite3_bind_text(st, 1, today, -1, SQLITE_STATIC);
    return run_rows(db, st, expired_row, (void *)cb, ctx, _("listing expired call notes"), err);
}

/* ---- disclosure register ----------------------------------------------- */

int rk_dbdi_insert(rk_db *db, rk_dbdi_entry *e, const int64_t *client_ids, size_t n, rk_err *err)
{
    sqlite3_stmt *st;
    if (prepare(db,
                "INSERT INTO disclosures (ts, user, kind, purpose, channel, recipient, legal_basis,"
                " categories, fields, count, format, corrects, note)"
                " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
                &st, err))
        return err->code;
    sqlite3_bind_text(st, 1, e->ts, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, e->user, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, e->kind, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, e->purpose, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 5, e->channel, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 6, e->recipient, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 7, e->legal_basis, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 8, e->categories, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 9, e->fields, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 10, e->count);
    sqlite3_bind_text(st, 11, e->format, -1, SQLITE_STATIC);
    if (e->corrects)
        sqlite3_bind_int64(st, 12, e->corrects);
    else
        sqlite3_bind_null(st, 12);
    sqlite3_bind_text(st, 13, e->note, -1, SQLITE_STATIC);
    if (step_done(db, st, _("recording a disclosure"), err))
        return err->code;
    e->id = sqlite3_last_insert_rowid(rk_db_handle(db));

    if (prepare(db, "INSERT INTO disclosure_clients (disclosure_id, client_id) VALUES (?1, ?2)",
                &st, err))
        return err->code;
    for (size_t i = 0; i < n; i++) {
        sqlite3_reset(st);
        sqlite3_bind_int64(st, 1, e->id);
        sqlite3_bind_int64(st, 2, client_ids[i]);
        if (sqlite3_step(st) != SQLITE_DONE) {
            sql_fail(db, err, _("recording the clients of a disclosure"));
            sqlite3_finalize(st);
            return RK_EFAIL;
        }
    }
    sqlite3_finalize(st);
    return RK_OK;
}

#define DISC_COLS "d.id, d.ts, d.user, d.kind, d.purpose, d.channel, d.recipient, d.legal_basis," \
                  " d.categories, d.fields, d.count, d.format, d.corrects, d.note"

static void disc_fill(sqlite3_stmt *st, rk_dbdi_entry *e)
{
    memset(e, 0, sizeof *e);
    e->id = sqlite3_column_int64(st, 0);
    COPY(e->ts, st, 1);
    COPY(e->user, st, 2);
    COPY(e->kind, st, 3);
    COPY(e->purpose, st, 4);
    COPY(e->channel, st, 5);
    COPY(e->recipient, st, 6);
    COPY(e->legal_basis, st, 7);
    COPY(e->categories, st, 8);
    COPY(e->fields, st, 9);
    e->count = sqlite3_column_int64(st, 10);
    COPY(e->format, st, 11);
    e->corrects = sqlite3_column_int64(st, 12);
    COPY(e->note, st, 13);
}

static int disc_row(sqlite3_stmt *st, void *cb, void *ctx)
{
    rk_dbdi_entry e;
    disc_fill(st, &e);
    return ((rk_dbdi_entry_cb)cb)(ctx, &e);
}

int rk_dbdi_each(rk_db *db, int64_t client_id, rk_dbdi_entry_cb cb, void *ctx, rk_err *err)
{
    sqlite3_stmt *st;
    if (prepare(db,
                "SELECT " DISC_COLS " FROM disclosures d WHERE ?1 = 0 OR EXISTS"
                " (SELECT 1 FROM disclosure_clients x WHERE x.disclosure_id = d.id"
                "  AND x.client_id = ?1) ORDER BY d.id",
                &st, err))
        return err->code;
    sqlite3_bind_int64(st, 1, client_id);
    return run_rows(db, st, disc_row, (void *)cb, ctx, _("reading the disclosure register"), err);
}

int rk_dbdi_get(rk_db *db, int64_t id, rk_dbdi_entry *out, rk_err *err)
{
    sqlite3_stmt *st;
    if (prepare(db, "SELECT " DISC_COLS " FROM disclosures d WHERE d.id = ?1", &st, err))
        return err->code;
    sqlite3_bind_int64(st, 1, id);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        disc_fill(st, out);
    sqlite3_finalize(st);
    if (rc == SQLITE_ROW)
        return RK_OK;
    if (rc == SQLITE_DONE)
        return rk_err_set(err, RK_ENOTFOUND, _("There is no disclosure number %lld."),
                          (long long)id);
    return sql_fail(db, err, _("reading the disclosure register"));
}

int rk_dbdi_clients(rk_db *db, int64_t id, int64_t **ids, size_t *n, rk_err *err)
{
    *ids = NULL;
    *n = 0;
    sqlite3_stmt *st;
    if (prepare(db, "SELECT client_id FROM disclosure_clients WHERE disclosure_id = ?1"
                    " ORDER BY client_id", &st, err))
        return err->code;
    sqlite3_bind_int64(st, 1, id);
    size_t cap = 0;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (*n == cap) {
            size_t ncap = cap ? cap * 2 : 64;
            int64_t *a = realloc(*ids, ncap * sizeof **ids);
            if (!a) {
                sqlite3_finalize(st);
                free(*ids);
                *ids = NULL;
                *n = 0;
                return rk_err_set(err, RK_EFAIL, _("Out of memory."));
            }
            *ids = a;
            cap = ncap;
        }
        (*ids)[(*n)++] = sqlite3_column_int64(st, 0);
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        free(*ids);
        *ids = NULL;
        *n = 0;
        return sql_fail(db, err, _("reading the clients of a disclosure"));
    }
    return RK_OK;
}
