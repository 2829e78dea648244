#include "db_clients.h"
#include "hetu_set.h"

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

/* A statement run for every client of a bulk addition or every keystroke:
 * kept prepared for the connection (sql must be a literal or a static
 * buffer). Reset, never finalised, after use. */
static int prepare_hot(rk_db *db, const char *sql, sqlite3_stmt **st, rk_err *err)
{
    if (!(*st = rk_db_cached(db, sql)))
        return sql_fail(db, err, _("preparing a query"));
    return RK_OK;
}

static const char *col_text(sqlite3_stmt *st, int i)
{
    const unsigned char *t = sqlite3_column_text(st, i);
    return t ? (const char *)t : "";
}

/* "first_names, last_name, ..." for every scalar field, in field order. */
static void scalar_columns(char *out, size_t n, const char *prefix, const char *suffix)
{
    out[0] = '\0';
    bool first = true;
    for (int f = 0; f < RK_F_COUNT; f++) {
        if (rk_field_is_list((rk_field)f))
            continue;
        size_t len = strlen(out);
        snprintf(out + len, n - len, "%s%s%s%s", first ? "" : ", ", prefix, rk_fields[f].name,
                 suffix);
        first = false;
    }
}

/* NULL for an empty henkilötunnus, so that UNIQUE allows many clients
 * without one. */
static void bind_scalar(sqlite3_stmt *st, int idx, rk_field f, const char *v)
{
    if (f == RK_F_CUSTOMER_NO)
        sqlite3_bind_int64(st, idx, strtoll(v ? v : "0", NULL, 10));
    else if (f == RK_F_HETU && (!v || !*v))
        sqlite3_bind_null(st, idx);
    else
        sqlite3_bind_text(st, idx, v ? v : "", -1, SQLITE_STATIC);   /* stepped at once */
}

static int load_lists(rk_db *db, rk_client *c, rk_err *err)
{
    sqlite3_stmt *st;
    rk_err ignore;
    if (prepare(db, "SELECT type, number FROM client_phones WHERE client_id = ? ORDER BY pos", &st, err))
        return err->code;
    sqlite3_bind_int64(st, 1, c->id);
    while (sqlite3_step(st) == SQLITE_ROW) {
        rk_phone p = { 0 };
        rk_copy_str(p.type, sizeof p.type, col_text(st, 0));
        rk_copy_str(p.number, sizeof p.number, col_text(st, 1));
        void *a = realloc(c->phones, (c->nphones + 1) * sizeof p);
        if (!a)
            break;
        c->phones = a;
        c->phones[c->nphones++] = p;
    }
    sqlite3_finalize(st);

    if (prepare(db, "SELECT type, address FROM client_emails WHERE client_id = ? ORDER BY pos", &st, err))
        return err->code;
    sqlite3_bind_int64(st, 1, c->id);
    while (sqlite3_step(st) == SQLITE_ROW) {
        rk_email e = { 0 };
        rk_copy_str(e.type, sizeof e.type, col_text(st, 0));
        rk_copy_str(e.address, sizeof e.address, col_text(st, 1));
        void *a = realloc(c->emails, (c->nemails + 1) * sizeof e);
        if (!a)
            break;
        c->emails = a;
        c->emails[c->nemails++] = e;
    }
    sqlite3_finalize(st);

    /* The card's own links, then those other cards hold to this client. */
    for (int of = 0; of < 2; of++) {
        if (prepare(db, of ? "SELECT client_id, relation FROM client_household WHERE other_id = ? ORDER BY client_id"
                           : "SELECT other_id, relation FROM client_household WHERE client_id = ? ORDER BY other_id",
                    &st, err))
            return err->code;
        rk_household_link **list = of ? &c->household_of : &c->household;
        size_t *n = of ? &c->nhousehold_of : &c->nhousehold;
        sqlite3_bind_int64(st, 1, c->id);
        while (sqlite3_step(st) == SQLITE_ROW) {
            rk_household_link h = { .other_id = sqlite3_column_int64(st, 0) };
            rk_copy_str(h.relation, sizeof h.relation, col_text(st, 1));
            rk_dbc_display_name(db, h.other_id, h.other_name, sizeof h.other_name, &h.other_no, &ignore);
            void *a = realloc(*list, (*n + 1) * sizeof h);
            if (!a)
                break;
            *list = a;
            (*list)[(*n)++] = h;
        }
        sqlite3_finalize(st);
    }

    if (prepare(db, "SELECT id, date, kind, text, user FROM client_events WHERE client_id = ? ORDER BY pos", &st, err))
        return err->code;
    sqlite3_bind_int64(st, 1, c->id);
    while (sqlite3_step(st) == SQLITE_ROW) {
        rk_event e = { .id = sqlite3_column_int64(st, 0) };
        rk_copy_str(e.date, sizeof e.date, col_text(st, 1));
        rk_copy_str(e.kind, sizeof e.kind, col_text(st, 2));
        rk_copy_str(e.text, sizeof e.text, col_text(st, 3));
        rk_copy_str(e.user, sizeof e.user, col_text(st, 4));
        void *a = realloc(c->events, (c->nevents + 1) * sizeof e);
        if (!a)
            break;
        c->events = a;
        c->events[c->nevents++] = e;
    }
    sqlite3_finalize(st);

    /* the source its load shared with other clients, if any, after its own */
    if (prepare(db, "SELECT source, date, note, 0, pos FROM client_sources WHERE client_id = ?1"
                    " UNION ALL SELECT b.source, b.date, b.note, 1, 0"
                    " FROM clients c JOIN source_batches b ON b.id = c.source_batch WHERE c.id = ?1"
                    " ORDER BY 4, 5", &st, err))
        return err->code;
    sqlite3_bind_int64(st, 1, c->id);
    while (sqlite3_step(st) == SQLITE_ROW) {
        rk_source s = { 0 };
        rk_copy_str(s.source, sizeof s.source, col_text(st, 0));
        rk_copy_str(s.date, sizeof s.date, col_text(st, 1));
        rk_copy_str(s.note, sizeof s.note, col_text(st, 2));
        void *a = realloc(c->sources, (c->nsources + 1) * sizeof s);
        if (!a)
            break;
        c->sources = a;
        c->sources[c->nsources++] = s;
    }
    sqlite3_finalize(st);
    return RK_OK;
}

int rk_dbc_load(rk_db *db, int64_t id, rk_client **out, rk_err *err)
{
    *out = NULL;
    char cols[2048], sql[2300];
    scalar_columns(cols, sizeof cols, "", "");
    snprintf(sql, sizeof sql,
             "SELECT id, version, updated, updated_by, restricted, %s FROM clients WHERE id = ?", cols);
    sqlite3_stmt *st;
    if (prepare(db, sql, &st, err))
        return err->code;
    sqlite3_bind_int64(st, 1, id);
    int rc = sqlite3_step(st);
    if (rc != SQLITE_ROW) {
        sqlite3_finalize(st);
        if (rc == SQLITE_DONE)
            return rk_err_set(err, RK_ENOTFOUND, _("There is no client with the id %lld."), (long long)id);
        return sql_fail(db, err, _("reading a client"));
    }
    rk_client *c = rk_client_new();
    if (!c) {
        sqlite3_finalize(st);
        return rk_err_set(err, RK_EFAIL, _("Out of memory."));
    }
    c->id = sqlite3_column_int64(st, 0);
    c->version = sqlite3_column_int64(st, 1);
    rk_copy_str(c->updated, sizeof c->updated, col_text(st, 2));
    rk_copy_str(c->updated_by, sizeof c->updated_by, col_text(st, 3));
    c->restricted = sqlite3_column_int(st, 4) != 0;
    int col = 5;
    for (int f = 0; f < RK_F_COUNT; f++)
        if (!rk_field_is_list((rk_field)f))
            rk_client_set_raw(c, (rk_field)f, col_text(st, col++));
    sqlite3_finalize(st);
    if (load_lists(db, c, err)) {
        rk_client_free(c);
        return err->code;
    }
    *out = c;
    return RK_OK;
}

static int exec_id(rk_db *db, const char *sql, int64_t id, rk_err *err)
{
    sqlite3_stmt *st;
    if (prepare_hot(db, sql, &st, err))
        return err->code;
    sqlite3_bind_int64(st, 1, id);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? RK_OK : sql_fail(db, err, _("replacing a list"));
}

/* A new client (fresh) has no old rows to delete first. */
static int write_list(rk_db *db, const rk_client *c, rk_field f, bool fresh, rk_err *err)
{
    sqlite3_stmt *st;
    int rc = SQLITE_DONE;
    if (fresh && rk_client_list_empty(c, f))
        return RK_OK;   /* a new client's empty list: nothing to write or clear */
    switch (rk_fields[f].type) {
    case RK_FT_PHONES:
        if ((!fresh && exec_id(db, "DELETE FROM client_phones WHERE client_id = ?", c->id, err)) ||
            prepare_hot(db, "INSERT INTO client_phones(client_id, pos, type, number) VALUES (?,?,?,?)", &st, err))
            return err->code;
        for (size_t i = 0; i < c->nphones && rc == SQLITE_DONE; i++) {
            sqlite3_bind_int64(st, 1, c->id);
            sqlite3_bind_int64(st, 2, (int64_t)i);
            sqlite3_bind_text(st, 3, c->phones[i].type, -1, SQLITE_STATIC);
            sqlite3_bind_text(st, 4, c->phones[i].number, -1, SQLITE_STATIC);
            rc = sqlite3_step(st);
            sqlite3_reset(st);
        }
        break;
    case RK_FT_EMAILS:
        if ((!fresh && exec_id(db, "DELETE FROM client_emails WHERE client_id = ?", c->id, err)) ||
            prepare_hot(db, "INSERT INTO client_emails(client_id, pos, type, address) VALUES (?,?,?,?)", &st, err))
            return err->code;
        for (size_t i = 0; i < c->nemails && rc == SQLITE_DONE; i++) {
            sqlite3_bind_int64(st, 1, c->id);
            sqlite3_bind_int64(st, 2, (int64_t)i);
            sqlite3_bind_text(st, 3, c->emails[i].type, -1, SQLITE_STATIC);
            sqlite3_bind_text(st, 4, c->emails[i].address, -1, SQLITE_STATIC);
            rc = sqlite3_step(st);
            sqlite3_reset(st);
        }
        break;
    case RK_FT_HOUSEHOLD:
        if ((!fresh && exec_id(db, "DELETE FROM client_household WHERE client_id = ?", c->id, err)) ||
            prepare_hot(db, "INSERT INTO client_household(client_id, other_id, relation) VALUES (?,?,?)", &st, err))
            return err->code;
        for (size_t i = 0; i < c->nhousehold && rc == SQLITE_DONE; i++) {
            sqlite3_bind_int64(st, 1, c->id);
            sqlite3_bind_int64(st, 2, c->household[i].other_id);
            sqlite3_bind_text(st, 3, c->household[i].relation, -1, SQLITE_STATIC);
            rc = sqlite3_step(st);
            sqlite3_reset(st);
        }
        break;
    case RK_FT_EVENTS:
        if ((!fresh && exec_id(db, "DELETE FROM client_events WHERE client_id = ?", c->id, err)) ||
            prepare_hot(db, "INSERT INTO client_events(client_id, pos, date, kind, text, user) VALUES (?,?,?,?,?,?)", &st, err))
            return err->code;
        for (size_t i = 0; i < c->nevents && rc == SQLITE_DONE; i++) {
            sqlite3_bind_int64(st, 1, c->id);
            sqlite3_bind_int64(st, 2, (int64_t)i);
            sqlite3_bind_text(st, 3, c->events[i].date, -1, SQLITE_STATIC);
            sqlite3_bind_text(st, 4, c->events[i].kind, -1, SQLITE_STATIC);
            sqlite3_bind_text(st, 5, c->events[i].text, -1, SQLITE_STATIC);
            sqlite3_bind_text(st, 6, c->events[i].user, -1, SQLITE_STATIC);
            rc = sqlite3_step(st);
            sqlite3_reset(st);
        }
        break;
    case RK_FT_SOURCES:
        /* the list as loaded holds the shared source too: all of it is
         * the client's own from now on */
        if ((!fresh && (exec_id(db, "DELETE FROM client_sources WHERE client_id = ?", c->id, err) ||
                        exec_id(db, "UPDATE clients SET source_batch = NULL WHERE id = ?", c->id, err))) ||
            prepare_hot(db, "INSERT INTO client_sources(client_id, pos, source, date, note) VALUES (?,?,?,?,?)", &st, err))
            return err->code;
        for (size_t i = 0; i < c->nsources && rc == SQLITE_DONE; i++) {
            sqlite3_bind_int64(st, 1, c->id);
            sqlite3_bind_int64(st, 2, (int64_t)i);
            sqlite3_bind_text(st, 3, c->sources[i].source, -1, SQLITE_STATIC);
            sqlite3_bind_text(st, 4, c->sources[i].date, -1, SQLITE_STATIC);
            sqlite3_bind_text(st, 5, c->sources[i].note, -1, SQLITE_STATIC);
            rc = sqlite3_step(st);
            sqlite3_reset(st);
        }
        break;
    default:
        return RK_OK;
    }
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? RK_OK : sql_fail(db, err, _("writing a list"));
}

/* Customer numbers: the next free one; the UNIQUE index makes MAX cheap. */
static int next_customer_no(rk_db *db, int64_t *next, rk_err *err)
{
    sqlite3_stmt *st;
    if (prepare_hot(db, "SELECT MAX(customer_no) FROM clients", &st, err))
        return err->code;
    *next = 100001;
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL)
        *next = sqlite3_column_int64(st, 0) + 1;
    sqlite3_reset(st);
    return rc == SQLITE_ROW ? RK_OK : sql_fail(db, err, _("adding a client"));
}

/* The insert of one client, built once from the field table. Two copies
 * of the same text: the statement cache keys statements by the address,
 * so a bulk load's statement (bulk_insert_sql) is its own and keeps its
 * bindings between rows (below). */
static char insert_sql[2800], bulk_insert_sql[2800];

static void build_insert_sql(void)
{
    if (insert_sql[0])
        return;
    char cols[2048], marks[512];
    scalar_columns(cols, sizeof cols, "", "");
    marks[0] = '\0';
    int nscalar = 0;
    for (int f = 0; f < RK_F_COUNT; f++)
        if (!rk_field_is_list((rk_field)f))
            nscalar++;
    for (int i = 0; i < nscalar; i++)
        strcat(marks, i ? ",?" : "?");
    snprintf(insert_sql, sizeof insert_sql,
             "INSERT INTO clients(version, created, updated, updated_by, restricted, source_batch, %s) "
             "VALUES (1, ?, ?, ?, ?, ?, %s)", cols, marks);
    memcpy(bulk_insert_sql, insert_sql, sizeof insert_sql);
}

enum { FIRST_SCALAR_PARAM = 6 };
_Static_assert(FIRST_SCALAR_PARAM + RK_F_COUNT <= 64, "empty_bound has a bit for each parameter");

/* Binds the scalar fields from parameter FIRST_SCALAR_PARAM on. With
 * `empty_bound` (a bulk load's own statement), a parameter already bound
 * to an empty value is left as it is for another empty one: most fields
 * of most rows are empty, and each bind costs some 300 instructions. The
 * bits say which parameters are bound to "" (or NULL) now. */
static void bind_scalars(sqlite3_stmt *st, const rk_client *c, uint64_t *empty_bound)
{
    int idx = FIRST_SCALAR_PARAM;
    for (int f = 0; f < RK_F_COUNT; f++) {
        if (rk_field_is_list((rk_field)f))
            continue;
        const char *v = c->value[f];
        uint64_t bit = (uint64_t)1 << idx;
        bool empty = f != RK_F_CUSTOMER_NO && (!v || !*v);
        if (!empty_bound || !empty || !(*empty_bound & bit))
            bind_scalar(st, idx, (rk_field)f, v);
        if (empty_bound)
            *empty_bound = empty ? *empty_bound | bit : *empty_bound & ~bit;
        idx++;
    }
}

/* bulk: a bulk load's statement and bindings, or NULL. */
static int insert_numbered(rk_db *db, rk_client *c, int64_t customer_no, const char *user,
                           const char *ts, rk_dbc_bulk *bulk, rk_err *err)
{
    sqlite3_stmt *st;
    char no[24];
    snprintf(no, sizeof no, "%lld", (long long)customer_no);
    rk_client_set_raw(c, RK_F_CUSTOMER_NO, no);

    build_insert_sql();
    if (bulk)
        st = bulk->insert;
    else if (prepare_hot(db, insert_sql, &st, err))
        return err->code;
    sqlite3_bind_text(st, 1, ts, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, ts, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, user, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 4, c->restricted);
    if (bulk && bulk->batch)
        sqlite3_bind_int64(st, 5, bulk->batch);
    else
        sqlite3_bind_null(st, 5);
    bind_scalars(st, c, bulk ? &bulk->empty_bound : NULL);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if ((rc & 0xff) == SQLITE_CONSTRAINT)   /* extended codes are on */
        return rk_err_set(err, RK_ECONFLICT, _("A client with this personal identity code already exists."));
    if (rc != SQLITE_DONE)
        return sql_fail(db, err, _("adding a client"));
    c->id = sqlite3_last_insert_rowid(rk_db_handle(db));
    c->version = 1;
    rk_copy_str(c->updated, sizeof c->updated, ts);
    rk_copy_str(c->updated_by, sizeof c->updated_by, user);
    for (int f = 0; f < RK_F_COUNT; f++)
        if (rk_field_is_list((rk_field)f) && write_list(db, c, (rk_field)f, true, err))
            return err->code;
    return RK_OK;
}

int rk_dbc_insert(rk_db *db, rk_client *c, const char *user, const char *ts, rk_err *err)
{
    int64_t no;
    return next_customer_no(db, &no, err) ? err->code : insert_numbered(db, c, no, user, ts, NULL, err);
}

int rk_dbc_bulk_begin(rk_db *db, rk_dbc_bulk *b, bool large, size_t expected, bool codes_distinct,
                      rk_err *err)
{
    int64_t n;
    memset(b, 0, sizeof *b);
    if (next_customer_no(db, &b->next_no, err) || rk_dbc_count(db, &n, err))
        return err->code;
    build_insert_sql();
    if (!(b->insert = rk_db_cached(db, bulk_insert_sql)))
        return sql_fail(db, err, _("preparing a query"));
    if (!large || n > 0)
        return RK_OK;
    if (!codes_distinct) {
        if (!(b->seen = calloc(1, sizeof *b->seen)))
            return rk_err_set(err, RK_EFAIL, _("Out of memory."));
        rk_hetu_set_reserve(b->seen, expected);   /* else it grows as it goes */
    }
    if (sqlite3_exec(rk_db_handle(db), "DROP INDEX clients_name_birth; DROP INDEX clients_hetu",
                     NULL, NULL, NULL) != SQLITE_OK)
        return sql_fail(db, err, _("adding clients"));
    b->indexes_dropped = true;
    return RK_OK;
}

int rk_dbc_bulk_shared_source(rk_db *db, rk_dbc_bulk *b, const rk_source *src, rk_err *err)
{
    sqlite3_stmt *st;
    if (prepare(db, "INSERT INTO source_batches(source, date, note) VALUES (?, ?, ?)", &st, err))
        return err->code;
    sqlite3_bind_text(st, 1, src->source, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, src->date, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, src->note, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE)
        return sql_fail(db, err, _("adding clients"));
    b->batch = sqlite3_last_insert_rowid(rk_db_handle(db));
    return RK_OK;
}

int rk_dbc_bulk_insert(rk_db *db, rk_dbc_bulk *b, rk_client *c, const char *user, const char *ts,
                       rk_err *err)
{
    const char *hetu = c->value[RK_F_HETU];
    long long before = b->seen && hetu && *hetu ? rk_hetu_set_add(b->seen, hetu, 1) : 0;
    if (before < 0)
        return rk_err_set(err, RK_EFAIL, _("Out of memory."));
    if (before > 0)
        return rk_err_set(err, RK_ECONFLICT, _("A client with this personal identity code already exists."));
    int rc = insert_numbered(db, c, b->next_no, user, ts, b, err);
    if (rc == RK_OK)
        b->next_no++;
    return rc;
}

void rk_dbc_bulk_abandon(rk_dbc_bulk *b)
{
    if (b->seen)
        rk_hetu_set_free(b->seen);
    free(b->seen);
    b->seen = NULL;
    if (b->insert)
        sqlite3_clear_bindings(b->insert);   /* they point into the load's clients */
    b->insert = NULL;
}

int rk_dbc_bulk_end(rk_db *db, rk_dbc_bulk *b, rk_err *err)
{
    rk_dbc_bulk_abandon(b);
    if (!b->indexes_dropped)
        return RK_OK;
    b->indexes_dropped = false;
    sqlite3 *h = rk_db_handle(db);
    if (sqlite3_exec(h, RK_DBC_NAME_INDEX, NULL, NULL, NULL) != SQLITE_OK)
        return sql_fail(db, err, _("adding clients"));
    int rc = sqlite3_exec(h, RK_DBC_HETU_INDEX, NULL, NULL, NULL);
    if ((rc & 0xff) == SQLITE_CONSTRAINT)   /* after the set above, a safety net */
        return rk_err_set(err, RK_ECONFLICT,
                          _("Two of the new clients have the same personal identity code; nothing was added."));
    return rc == SQLITE_OK ? RK_OK : sql_fail(db, err, _("adding clients"));
}

int rk_dbc_update(rk_db *db, rk_client *c, const bool changed[RK_F_COUNT], const char *user,
                  const char *ts, rk_err *err)
{
    char sets[2048] = "";
    for (int f = 0; f < RK_F_COUNT; f++)
        if (changed[f] && !rk_field_is_list((rk_field)f)) {
            size_t len = strlen(sets);
            snprintf(sets + len, sizeof sets - len, ", %s = ?", rk_fields[f].name);
        }
    char sql[2400];
    snprintf(sql, sizeof sql,
             "UPDATE clients SET version = version + 1, updated = ?, updated_by = ?, restricted = ?%s "
             "WHERE id = ?", sets);
    sqlite3_stmt *st;
    if (prepare(db, sql, &st, err))
        return err->code;
    sqlite3_bind_text(st, 1, ts, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, user, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 3, c->restricted);
    int idx = 4;
    for (int f = 0; f < RK_F_COUNT; f++)
        if (changed[f] && !rk_field_is_list((rk_field)f))
            bind_scalar(st, idx++, (rk_field)f, c->value[f]);
    sqlite3_bind_int64(st, idx, c->id);
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if ((rc & 0xff) == SQLITE_CONSTRAINT)   /* extended codes are on */
        return rk_err_set(err, RK_ECONFLICT, _("A client with this personal identity code already exists."));
    if (rc != SQLITE_DONE)
        return sql_fail(db, err, _("saving a client"));
    for (int f = 0; f < RK_F_COUNT; f++)
        if (changed[f] && rk_field_is_list((rk_field)f) && write_list(db, c, (rk_field)f, false, err))
            return err->code;
    c->version++;
    rk_copy_str(c->updated, sizeof c->updated, ts);
    rk_copy_str(c->updated_by, sizeof c->updated_by, user);
    return RK_OK;
}

int rk_dbc_version(rk_db *db, int64_t id, int64_t *version, char updated[32],
                   char updated_by[RK_USERNAME_MAX + 1], rk_err *err)
{
    sqlite3_stmt *st;
    if (prepare(db, "SELECT version, updated, updated_by FROM clients WHERE id = ?", &st, err))
        return err->code;
    sqlite3_bind_int64(st, 1, id);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        *version = sqlite3_column_int64(st, 0);
        rk_copy_str(updated, 32, col_text(st, 1));
        rk_copy_str(updated_by, RK_USERNAME_MAX + 1, col_text(st, 2));
    }
    sqlite3_finalize(st);
    if (rc == SQLITE_DONE)
        return rk_err_set(err, RK_ENOTFOUND, _("There is no client with the id %lld."), (long long)id);
    return rc == SQLITE_ROW ? RK_OK : sql_fail(db, err, _("reading a client's version"));
}

static int lookup_id(rk_db *db, const char *sql, const char *text, int64_t num, int64_t *id,
                     rk_err *err)
{
    sqlite3_stmt *st;
    if (prepare_hot(db, sql, &st, err))
        return err->code;
    if (text)
        sqlite3_bind_text(st, 1, text, -1, SQLITE_STATIC);
    else
        sqlite3_bind_int64(st, 1, num);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *id = sqlite3_column_int64(st, 0);
    sqlite3_reset(st);
    if (rc == SQLITE_DONE)
        return rk_err_set(err, RK_ENOTFOUND, _("No such client."));
    return rc == SQLITE_ROW ? RK_OK : sql_fail(db, err, _("looking up a client"));
}

int rk_dbc_by_hetu(rk_db *db, const char *hetu, int64_t *id, rk_err *err)
{
    return lookup_id(db, "SELECT id FROM clients WHERE hetu = ?", hetu, 0, id, err);
}

int rk_dbc_by_customer_no(rk_db *db, int64_t no, int64_t *id, rk_err *err)
{
    return lookup_id(db, "SELECT id FROM clients WHERE customer_no = ?", NULL, no, id, err);
}

int rk_dbc_same_name_birth(rk_db *db, const char *first, const char *last, const char *birth,
                           int64_t exclude_id, int64_t *ids, size_t max, size_t *n, rk_err *err)
{
    *n = 0;
    sqlite3_stmt *st;
    if (prepare(db, "SELECT id FROM clients WHERE last_name = ? AND first_names = ? "
                    "AND birth_date = ? AND id <> ? LIMIT ?", &st, err))
        return err->code;
    sqlite3_bind_text(st, 1, last, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, first, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, birth, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 4, exclude_id);
    sqlite3_bind_int64(st, 5, (int64_t)max);
    while (sqlite3_step(st) == SQLITE_ROW && *n < max)
        ids[(*n)++] = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return RK_OK;
}

int rk_dbc_count(rk_db *db, int64_t *n, rk_err *err)
{
    sqlite3_stmt *st;
    if (prepare(db, "SELECT count(*) FROM clients", &st, err))
        return err->code;
    int rc = sqlite3_step(st);
    *n = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    sqlite3_finalize(st);
    return rc == SQLITE_ROW ? RK_OK : sql_fail(db, err, _("counting clients"));
}

int rk_dbc_household_link(rk_db *db, int64_t client_id, int64_t other_id, const char *relation,
                          rk_err *err)
{
    sqlite3_stmt *st;
    if (prepare_hot(db, "INSERT OR IGNORE INTO client_household(client_id, other_id, relation) VALUES (?,?,?)",
                    &st, err))
        return err->code;
    sqlite3_bind_int64(st, 1, client_id);
    sqlite3_bind_int64(st, 2, other_id);
    sqlite3_bind_text(st, 3, relation, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? RK_OK : sql_fail(db, err, _("linking household members"));
}

int rk_dbc_display_name(rk_db *db, int64_t id, char *out, size_t n, int64_t *customer_no,
                        rk_err *err)
{
    sqlite3_stmt *st;
    out[0] = '\0';
    if (customer_no)
        *customer_no = 0;
    if (prepare(db, "SELECT last_name, first_names, customer_no FROM clients WHERE id = ?", &st, err))
        return err->code;
    sqlite3_bind_int64(st, 1, id);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        snprintf(out, n, "%s, %s (%lld)", col_text(st, 0), col_text(st, 1),
                 (long long)sqlite3_column_int64(st, 2));
        if (customer_no)
            *customer_no = sqlite3_column_int64(st, 2);
    }
    sqlite3_finalize(st);
    return rc == SQLITE_ROW ? RK_OK : rk_err_set(err, RK_ENOTFOUND, _("No such client."));
}

int rk_dbc_summary(rk_db *db, int64_t id, rk_client_summary *out, rk_err *err)
{
    memset(out, 0, sizeof *out);
    sqlite3_stmt *st = rk_db_cached(db, "SELECT first_names, last_name, hetu, birth_date, post_office,"
                                        " customer_no, turvakielto, restricted FROM clients WHERE id = ?");
    if (!st)
        return sql_fail(db, err, _("preparing a query"));
    sqlite3_bind_int64(st, 1, id);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        out->id = id;
        rk_copy_str(out->first_names, sizeof out->first_names, col_text(st, 0));
        rk_copy_str(out->last_name, sizeof out->last_name, col_text(st, 1));
        rk_copy_str(out->hetu, sizeof out->hetu, col_text(st, 2));
        rk_copy_str(out->birth_date, sizeof out->birth_date, col_text(st, 3));
        rk_copy_str(out->post_office, sizeof out->post_office, col_text(st, 4));
        out->customer_no = sqlite3_column_int64(st, 5);
        out->turvakielto = strcmp(col_text(st, 6), "1") == 0;
        out->restricted = sqlite3_column_int(st, 7) != 0;
    }
    sqlite3_reset(st);
    if (rc == SQLITE_DONE)
        return rk_err_set(err, RK_ENOTFOUND, _("There is no client with the id %lld."), (long long)id);
    return rc == SQLITE_ROW ? RK_OK : sql_fail(db, err, _("reading a client"));
}

int rk_dbc_history_add(rk_db *db, int64_t client_id, const char *field, const char *old_value,
                       const char *new_value, const char *user, const char *ts, rk_err *err)
{
    sqlite3_stmt *st;
    if (prepare(db, "INSERT INTO field_history(client_id, field, old_value, new_value, user, ts) "
                    "VALUES (?,?,?,?,?,?)", &st, err))
        return err->code;
    sqlite3_bind_int64(st, 1, client_id);
    sqlite3_bind_text(st, 2, field, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, old_value ? old_value : "", -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, new_value ? new_value : "", -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 5, user, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 6, ts, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? RK_OK : sql_fail(db, err, _("writing field history"));
}

int rk_dbc_history_list(rk_db *db, int64_t client_id, rk_history_row **rows, size_t *n,
                        rk_err *err)
{
    *rows = NULL;
    *n = 0;
    sqlite3_stmt *st;
    if (prepare(db, "SELECT id, field, old_value, new_value, user, ts FROM field_history "
                    "WHERE client_id = ? ORDER BY id", &st, err))
        return err->code;
    sqlite3_bind_int64(st, 1, client_id);
    while (sqlite3_step(st) == SQLITE_ROW) {
        rk_history_row *a = realloc(*rows, (*n + 1) * sizeof **rows);
        if (!a) {
            sqlite3_finalize(st);
            return rk_err_set(err, RK_EFAIL, _("Out of memory."));
        }
        *rows = a;
        rk_history_row *r = &a[*n];
        memset(r, 0, sizeof *r);
        r->id = sqlite3_column_int64(st, 0);
        r->client_id = client_id;
        rk_copy_str(r->field, sizeof r->field, col_text(st, 1));
        r->old_value = strdup(col_text(st, 2));
        r->new_value = strdup(col_text(st, 3));
        rk_copy_str(r->user, sizeof r->user, col_text(st, 4));
        rk_copy_str(r->ts, sizeof r->ts, col_text(st, 5));
        (*n)++;
    }
    sqlite3_finalize(st);
    return RK_OK;
}

void rk_dbc_history_free(rk_history_row *rows, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(rows[i].old_value);
        free(rows[i].new_value);
    }
    free(rows);
}

int rk_dbc_policy_each(rk_db *db, rk_policy_row_cb cb, void *ctx, rk_err *err)
{
    sqlite3_stmt *st;
    if (prepare(db, "SELECT role, field, level FROM policy ORDER BY role, field", &st, err))
        return err->code;
    int rc = 0;
    while (rc == 0 && sqlite3_step(st) == SQLITE_ROW)
        rc = cb(ctx, col_text(st, 0), col_text(st, 1), col_text(st, 2));
    sqlite3_finalize(st);
    return RK_OK;
}

int rk_dbc_policy_set(rk_db *db, const char *role, const char *field, const char *level,
                      rk_err *err)
{
    sqlite3_stmt *st;
    if (prepare(db, "INSERT OR REPLACE INTO policy(role, field, level) VALUES (?,?,?)", &st, err))
        return err->code;
    sqlite3_bind_text(st, 1, role, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, field, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, level, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? RK_OK : sql_fail(db, err, _("changing the policy"));
}

/* Appends to a growing heap string. */
static bool cat(char **s, size_t *len, size_t *cap, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

#include <stdarg.h>
static bool cat(char **s, size_t *len, size_t *cap, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int need = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (need < 0)
        return false;
    if (*len + (size_t)need + 1 > *cap) {
        size_t ncap = (*cap + (size_t)need + 1) * 2;
        char *p = realloc(*s, ncap);
        if (!p)
            return false;
        *s = p;
        *cap = ncap;
    }
    va_start(ap, fmt);
    vsnprintf(*s + *len, *cap - *len, fmt, ap);
    va_end(ap);
    *len += (size_t)need;
    return true;
}

int rk_dbc_list_text(const rk_client *c, rk_field f, char **out)
{
    char *s = NULL;
    size_t len = 0, cap = 0;
    bool ok = cat(&s, &len, &cap, "%s", "");
    switch (rk_fields[f].type) {
    case RK_FT_PHONES:
        for (size_t i = 0; ok && i < c->nphones; i++)
            ok = cat(&s, &len, &cap, "%s%s %s", i ? "; " : "", c->phones[i].type, c->phones[i].number);
        break;
    case RK_FT_EMAILS:
        for (size_t i = 0; ok && i < c->nemails; i++)
            ok = cat(&s, &len, &cap, "%s%s %s", i ? "; " : "", c->emails[i].type, c->emails[i].address);
        break;
    case RK_FT_HOUSEHOLD:
        for (size_t i = 0; ok && i < c->nhousehold; i++)
            /* The customer number names the other client outside the
             * registry (exports, history); the row id where it is not known. */
            ok = c->household[i].other_no
                     ? cat(&s, &len, &cap, "%s%s %lld", i ? "; " : "", c->household[i].relation,
                           (long long)c->household[i].other_no)
                     : cat(&s, &len, &cap, "%s%s #%lld", i ? "; " : "", c->household[i].relation,
                           (long long)c->household[i].other_id);
        break;
    case RK_FT_EVENTS:
        for (size_t i = 0; ok && i < c->nevents; i++)
            ok = cat(&s, &len, &cap, "%s%s %s %s", i ? "; " : "", c->events[i].date,
                     c->events[i].kind, c->events[i].text);
        break;
    case RK_FT_SOURCES:
        for (size_t i = 0; ok && i < c->nsources; i++)
            ok = cat(&s, &len, &cap, "%s%s %s %s", i ? "; " : "", c->sources[i].source,
                     c->sources[i].date, c->sources[i].note);
        break;
    default:
        break;
    }
    if (!ok) {
        free(s);
        *out = NULL;
        return RK_EFAIL;
    }
    *out = s;
    return RK_OK;
}
