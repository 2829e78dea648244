/* The glue between the client model and the search index engine
 * (src/search_index.c): turning a client into index rows, keeping them in
 * step with saves, and running queries with a cached engine per connection. */
#include "search.h"

#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

#include "search_fold.h"
#include "search_index.h"

static void to_index_client(const rk_client *c, client *out)
{
    memset(out, 0, sizeof *out);
    out->id = c->id;
    snprintf(out->last, sizeof out->last, "%s", c->value[RK_F_LAST_NAME] ? c->value[RK_F_LAST_NAME] : "");
    snprintf(out->first, sizeof out->first, "%s", c->value[RK_F_FIRST_NAMES] ? c->value[RK_F_FIRST_NAMES] : "");
    snprintf(out->hetu, sizeof out->hetu, "%s", c->value[RK_F_HETU] ? c->value[RK_F_HETU] : "");
    snprintf(out->custno, sizeof out->custno, "%s", c->value[RK_F_CUSTOMER_NO] ? c->value[RK_F_CUSTOMER_NO] : "");
    for (size_t i = 0; i < c->nphones && out->nphone < 8; i++)
        snprintf(out->phone[out->nphone++], sizeof out->phone[0], "%s", c->phones[i].number);
    for (size_t i = 0; i < c->nemails && out->nemail < 8; i++)
        snprintf(out->email[out->nemail++], sizeof out->email[0], "%s", c->emails[i].address);
    rk_date d;
    const char *b = c->value[RK_F_BIRTH_DATE];
    out->birthday = b && *b && rk_date_parse(b, &d, NULL) == RK_OK ? days_from_civil(d.year, d.month, d.day) : 0;
}

struct row_ctx {
    sqlite3_stmt *st;
    int rc;
};

static void row_cb(const sidx_row *r, void *ctx)
{
    struct row_ctx *x = ctx;
    if (x->rc != SQLITE_DONE)
        return;
    sqlite3_bind_text(x->st, 1, r->key, r->keylen, SQLITE_STATIC);
    sqlite3_bind_text(x->st, 2, r->lit, r->litlen, SQLITE_STATIC);
    sqlite3_bind_blob(x->st, 3, r->sk, r->sklen, SQLITE_STATIC);
    sqlite3_bind_int64(x->st, 4, r->id);
    sqlite3_bind_text(x->st, 5, r->tok, r->toklen, SQLITE_STATIC);
    x->rc = sqlite3_step(x->st);
    sqlite3_reset(x->st);
}

static int apply_rows(rk_db *db, const rk_client *c, const char *sql, rk_err *err)
{
    client ic;
    to_index_client(c, &ic);
    struct row_ctx x = { NULL, SQLITE_DONE };
    if (sqlite3_prepare_v2(rk_db_handle(db), sql, -1, &x.st, NULL) != SQLITE_OK)
        return rk_err_set(err, RK_EFAIL, _("Cannot update the search index: %s."),
                          sqlite3_errmsg(rk_db_handle(db)));
    sidx_client_rows(&ic, row_cb, &x);
    sqlite3_finalize(x.st);
    if (x.rc != SQLITE_DONE)
        return rk_err_set(err, RK_EFAIL, _("Cannot update the search index: %s."),
                          sqlite3_errmsg(rk_db_handle(db)));
    return RK_OK;
}

int rk_search_index_client(rk_db *db, const rk_client *old_raw, const rk_client *raw, rk_err *err)
{
    if (old_raw && apply_rows(db, old_raw,
                              "DELETE FROM search_key WHERE key = ?1 AND lit = ?2 AND sortkey = ?3 "
                              "AND client_id = ?4 AND tok = ?5", err))
        return err->code;
    if (raw && apply_rows(db, raw,
                          "INSERT OR IGNORE INTO search_key(key, lit, sortkey, client_id, tok) "
                          "VALUES (?1, ?2, ?3, ?4, ?5)", err))
        return err->code;
    return RK_OK;
}

int rk_search_refresh_stats(rk_db *db, rk_err *err)
{
    /* Prefix keys always; whole name words only when common (50+), so that
     * a rare name — personal data — never lingers here after an erasure. */
    const char *sql =
        "DELETE FROM search_stat;"
        "INSERT INTO search_stat(key, n) SELECT key, count(*) FROM search_key GROUP BY key HAVING "
        " (substr(key, 1, 1) = '@' AND length(key) <= 4) OR "
        " (substr(key, 1, 1) BETWEEN 'a' AND 'z' AND (length(key) <= 3 OR count(*) >= 50)) OR "
        " (substr(key, 1, 1) NOT BETWEEN 'a' AND 'z' AND substr(key, 1, 1) <> '@' AND length(key) <= 5);";
    char *msg = NULL;
    if (sqlite3_exec(rk_db_handle(db), sql, NULL, NULL, &msg) != SQLITE_OK) {
        rk_err_set(err, RK_EFAIL, _("Cannot count the search index: %s."), msg ? msg : "?");
        sqlite3_free(msg);
        return RK_EFAIL;
    }
    /* The engine caches whether statistics exist; start it afresh. */
    rk_db_set_aux(db, NULL, NULL);
    return RK_OK;
}

static void engine_free(void *p)
{
    sidx_close(p);
}

int rk_search_query(rk_db *db, const char *query, int64_t *ids, size_t max, size_t *n,
                    rk_err *err)
{
    *n = 0;
    sidx *s = rk_db_aux(db);
    if (!s) {
        if (!(s = sidx_open(rk_db_handle(db))))
            return rk_err_set(err, RK_EFAIL, _("Cannot prepare the search: %s."),
                              sqlite3_errmsg(rk_db_handle(db)));
        rk_db_set_aux(db, s, engine_free);
    }
    sidx_stats st;
    memset(&st, 0, sizeof st);
    int got = sidx_search(s, query ? query : "", ids, (int)max, &st);
    *n = got > 0 ? (size_t)got : 0;
    return RK_OK;
}
