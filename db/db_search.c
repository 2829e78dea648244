/* The glue between the client model and the search index engine
 * (db/search_index.c): turning a client into index rows, keeping them in
 * step with saves, and running queries with a cached engine per connection. */
#include "db_search.h"

#include <pthread.h>
#include <sqlite3.h>
#include <stdint.h>
#include <stdlib.h>
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

/* Which keys of n rows get a count in search_stat: the prefix keys (e-mail
 * up to 3 characters after the "@" marker, names up to 3, digits up to 5),
 * and whole name words only when common (50+), so that a rare name —
 * personal data — never lingers there after an erasure. */
static bool stat_wanted(const char *key, size_t len, int64_t n)
{
    size_t chars = 0;
    for (size_t i = 0; i < len; i++)
        chars += ((unsigned char)key[i] & 0xC0) != 0x80;
    if (chars == 0)
        return false;
    unsigned char c = (unsigned char)key[0];
    if (c == '@')
        return chars <= 4;
    if (c >= 'a' && c <= 'z')
        return chars <= 3 || n >= 50;
    return chars <= 5;
}

static void stat_wanted_sql(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    const char *key = (const char *)sqlite3_value_text(argv[0]);
    size_t len = (size_t)sqlite3_value_bytes(argv[0]);
    sqlite3_result_int(ctx, key && stat_wanted(key, len, sqlite3_value_int64(argv[1])));
}

/* The engine caches whether statistics exist; start it afresh. */
static void stats_changed(rk_db *db)
{
    rk_db_set_aux(db, NULL, NULL);
}

int rk_search_refresh_stats(rk_db *db, rk_err *err)
{
    const char *sql =
        "DELETE FROM search_stat;"
        "INSERT INTO search_stat(key, n) SELECT key, count(*) FROM search_key GROUP BY key"
        " HAVING rk_stat_wanted(key, count(*));";
    char *msg = NULL;
    sqlite3 *h = rk_db_handle(db);
    if (sqlite3_create_function(h, "rk_stat_wanted", 2, SQLITE_UTF8 | SQLITE_DETERMINISTIC, NULL,
                                stat_wanted_sql, NULL, NULL) != SQLITE_OK ||
        sqlite3_exec(h, sql, NULL, NULL, &msg) != SQLITE_OK) {
        rk_err_set(err, RK_EFAIL, _("Cannot count the search index: %s."),
                   msg ? msg : sqlite3_errmsg(h));
        sqlite3_free(msg);
        return RK_EFAIL;
    }
    stats_changed(db);
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

/* ---- rebuilding the whole index ------------------------------------------
 * Inserting a client's rows one by one lands them all over the B-tree; at a
 * million clients (about 20 million rows) that is random page I/O through an
 * encrypting pager and takes the better part of an hour. A rebuild instead
 * regenerates every row from the clients table, sorts them in the table's
 * key order and inserts them front to back, so SQLite only appends pages. */

typedef struct packed_row {
    uint64_t prefix;        /* first 8 bytes of the key, big-endian: most
                               comparisons end here */
    char    *rec;           /* u16 lens[4] (key, lit, sortkey, tok), i64 id, bytes */
} packed_row;

typedef struct row_buf {
    char  *arena;  size_t used, cap;
    packed_row *rows; size_t n, rcap;
    bool   oom;
} row_buf;

static void rec_lens(const char *rec, uint16_t len[4], int64_t *id)
{
    memcpy(len, rec, 4 * sizeof(uint16_t));
    memcpy(id, rec + 8, sizeof *id);
}

static int cmp_bytes(const char *a, size_t al, const char *b, size_t bl)
{
    int c = memcmp(a, b, al < bl ? al : bl);
    return c ? c : (al > bl) - (al < bl);
}

/* SQLite's order for (key TEXT, lit TEXT, sortkey BLOB, client_id, tok TEXT)
 * under BINARY collation: bytes, then length; the id as an integer. */
static int cmp_rows(const void *pa, const void *pb)
{
    const packed_row *a = pa, *b = pb;
    if (a->prefix != b->prefix)
        return a->prefix < b->prefix ? -1 : 1;
    uint16_t la[4], lb[4];
    int64_t ia, ib;
    rec_lens(a->rec, la, &ia);
    rec_lens(b->rec, lb, &ib);
    const char *x = a->rec + 16, *y = b->rec + 16;
    for (int k = 0; k < 4; k++) {
        if (k == 3 && ia != ib)
            return ia < ib ? -1 : 1;
        int c = cmp_bytes(x, la[k], y, lb[k]);
        if (c)
            return c;
        x += la[k];
        y += lb[k];
    }
    return 0;
}

/* Chunks of the arena never move (rows point into them). */
enum { ARENA_CHUNK = 64 << 20 };

static char *buf_alloc(row_buf *b, size_t need)
{
    if (!b->arena || b->used + need > b->cap) {
        char **chunk = malloc(sizeof(char *) + ARENA_CHUNK);
        if (!chunk)
            return NULL;
        *chunk = b->arena;          /* chained for freeing */
        b->arena = (char *)chunk;
        b->used = sizeof(char *);
        b->cap = sizeof(char *) + ARENA_CHUNK;
    }
    char *p = b->arena + b->used;
    b->used += need;
    return p;
}

static void buf_free(row_buf *b)
{
    for (char *c = b->arena; c;) {
        char *next = *(char **)c;
        free(c);
        c = next;
    }
    free(b->rows);
}

static void collect_cb(const sidx_row *r, void *ctx)
{
    row_buf *b = ctx;
    if (b->oom)
        return;
    if (b->n == b->rcap) {
        size_t cap = b->rcap ? b->rcap * 2 : 1 << 16;
        packed_row *nr = realloc(b->rows, cap * sizeof *nr);
        if (!nr) {
            b->oom = true;
            return;
        }
        b->rows = nr;
        b->rcap = cap;
    }
    uint16_t len[4] = { (uint16_t)r->keylen, (uint16_t)r->litlen, (uint16_t)r->sklen,
                        (uint16_t)r->toklen };
    char *rec = buf_alloc(b, 16 + (size_t)len[0] + len[1] + len[2] + len[3]);
    if (!rec) {
        b->oom = true;
        return;
    }
    memcpy(rec, len, sizeof len);
    memcpy(rec + 8, &r->id, sizeof r->id);
    char *p = rec + 16;
    memcpy(p, r->key, len[0]); p += len[0];
    memcpy(p, r->lit, len[1]); p += len[1];
    memcpy(p, r->sk, len[2]);  p += len[2];
    memcpy(p, r->tok, len[3]);
    uint64_t prefix = 0;
    for (int i = 0; i < 8; i++)
        prefix = prefix << 8 | (i < r->keylen ? (unsigned char)r->key[i] : 0);
    b->rows[b->n++] = (packed_row){ prefix, rec };
}

static const char *col(sqlite3_stmt *st, int i)
{
    const unsigned char *t = sqlite3_column_text(st, i);
    return t ? (const char *)t : "";
}

/* Every client's index rows into b, reading the clients, phones and e-mails
 * tables side by side in id order. */
static int collect_all(sqlite3 *h, row_buf *b)
{
    sqlite3_stmt *cl = NULL, *ph = NULL, *em = NULL;
    int rc = SQLITE_ERROR;
    if (sqlite3_prepare_v2(h, "SELECT id, last_name, first_names, ifnull(hetu, ''), customer_no,"
                              " birth_date FROM clients ORDER BY id", -1, &cl, NULL) ||
        sqlite3_prepare_v2(h, "SELECT client_id, number FROM client_phones ORDER BY client_id, pos",
                           -1, &ph, NULL) ||
        sqlite3_prepare_v2(h, "SELECT client_id, address FROM client_emails ORDER BY client_id, pos",
                           -1, &em, NULL))
        goto out;
    int prc = sqlite3_step(ph), erc = sqlite3_step(em);
    while ((rc = sqlite3_step(cl)) == SQLITE_ROW && !b->oom) {
        client ic;
        memset(&ic, 0, sizeof ic);
        ic.id = sqlite3_column_int64(cl, 0);
        snprintf(ic.last, sizeof ic.last, "%s", col(cl, 1));
        snprintf(ic.first, sizeof ic.first, "%s", col(cl, 2));
        snprintf(ic.hetu, sizeof ic.hetu, "%s", col(cl, 3));
        snprintf(ic.custno, sizeof ic.custno, "%s", col(cl, 4));
        rk_date d;
        const char *birth = col(cl, 5);
        ic.birthday = *birth && rk_date_parse(birth, &d, NULL) == RK_OK
                          ? days_from_civil(d.year, d.month, d.day) : 0;
        for (; prc == SQLITE_ROW && sqlite3_column_int64(ph, 0) <= ic.id; prc = sqlite3_step(ph))
            if (sqlite3_column_int64(ph, 0) == ic.id && ic.nphone < 8)
                snprintf(ic.phone[ic.nphone++], sizeof ic.phone[0], "%s", col(ph, 1));
        for (; erc == SQLITE_ROW && sqlite3_column_int64(em, 0) <= ic.id; erc = sqlite3_step(em))
            if (sqlite3_column_int64(em, 0) == ic.id && ic.nemail < 8)
                snprintf(ic.email[ic.nemail++], sizeof ic.email[0], "%s", col(em, 1));
        sidx_client_rows(&ic, collect_cb, b);
    }
    if (rc == SQLITE_DONE && (prc == SQLITE_ERROR || erc == SQLITE_ERROR))
        rc = SQLITE_ERROR;
out:
    sqlite3_finalize(cl);
    sqlite3_finalize(ph);
    sqlite3_finalize(em);
    return b->oom ? SQLITE_NOMEM : rc == SQLITE_DONE ? SQLITE_OK : SQLITE_ERROR;
}

/* The rows of one key are side by side once sorted: their count goes to
 * search_stat here, which saves a pass over the whole table afterwards. */
static int insert_stats(sqlite3 *h, const row_buf *b)
{
    sqlite3_stmt *st;
    if (sqlite3_exec(h, "DELETE FROM search_stat", NULL, NULL, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(h, "INSERT INTO search_stat(key, n) VALUES (?1, ?2)", -1, &st, NULL) !=
            SQLITE_OK)
        return SQLITE_ERROR;
    int rc = SQLITE_DONE;
    for (size_t i = 0; i < b->n && rc == SQLITE_DONE;) {
        uint16_t len[4], l2[4];
        int64_t id;
        rec_lens(b->rows[i].rec, len, &id);
        const char *key = b->rows[i].rec + 16;
        int64_t n = 1;
        size_t j = i + 1;
        for (; j < b->n; j++) {
            rec_lens(b->rows[j].rec, l2, &id);
            if (cmp_bytes(key, len[0], b->rows[j].rec + 16, l2[0]) != 0)
                break;
            n += cmp_rows(&b->rows[j - 1], &b->rows[j]) != 0;   /* a twin row is stored once */
        }
        if (stat_wanted(key, len[0], n)) {
            sqlite3_bind_text(st, 1, key, len[0], SQLITE_STATIC);
            sqlite3_bind_int64(st, 2, n);
            rc = sqlite3_step(st);
            sqlite3_reset(st);
        }
        i = j;
    }
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

/* Sorting about 27 rows per client is a third of a rebuild: the two halves
 * are sorted side by side, then merged. */
struct sort_half {
    packed_row *rows;
    size_t n;
};

static void *sort_half_run(void *p)
{
    struct sort_half *h = p;
    qsort(h->rows, h->n, sizeof *h->rows, cmp_rows);
    return NULL;
}

static bool sort_rows(row_buf *b)
{
    enum { PARALLEL_MIN = 1 << 16 };
    if (b->n < PARALLEL_MIN) {
        qsort(b->rows, b->n, sizeof *b->rows, cmp_rows);
        return true;
    }
    packed_row *out = malloc(b->n * sizeof *out);
    if (!out)
        return false;
    struct sort_half lo = { b->rows, b->n / 2 }, hi = { b->rows + b->n / 2, b->n - b->n / 2 };
    pthread_t t;
    bool threaded = pthread_create(&t, NULL, sort_half_run, &lo) == 0;
    if (!threaded)
        sort_half_run(&lo);
    sort_half_run(&hi);
    if (threaded)
        pthread_join(t, NULL);
    size_t i = 0, j = 0, k = 0;
    while (i < lo.n && j < hi.n)
        out[k++] = cmp_rows(&hi.rows[j], &lo.rows[i]) < 0 ? hi.rows[j++] : lo.rows[i++];
    while (i < lo.n)
        out[k++] = lo.rows[i++];
    while (j < hi.n)
        out[k++] = hi.rows[j++];
    free(b->rows);
    b->rows = out;
    b->rcap = b->n;
    return true;
}

static int insert_sorted(sqlite3 *h, const row_buf *b)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(h, "INSERT OR IGNORE INTO search_key(key, lit, sortkey, client_id, tok)"
                              " VALUES (?1, ?2, ?3, ?4, ?5)", -1, &st, NULL) != SQLITE_OK)
        return SQLITE_ERROR;
    int rc = SQLITE_DONE;
    for (size_t i = 0; i < b->n && rc == SQLITE_DONE; i++) {
        uint16_t len[4];
        int64_t id;
        rec_lens(b->rows[i].rec, len, &id);
        const char *p = b->rows[i].rec + 16;
        sqlite3_bind_text(st, 1, p, len[0], SQLITE_STATIC); p += len[0];
        sqlite3_bind_text(st, 2, p, len[1], SQLITE_STATIC); p += len[1];
        sqlite3_bind_blob(st, 3, p, len[2], SQLITE_STATIC); p += len[2];
        sqlite3_bind_int64(st, 4, id);
        sqlite3_bind_text(st, 5, p, len[3], SQLITE_STATIC);
        rc = sqlite3_step(st);
        sqlite3_reset(st);
    }
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

int rk_search_rebuild(rk_db *db, rk_err *err)
{
    sqlite3 *h = rk_db_handle(db);
    row_buf b;
    memset(&b, 0, sizeof b);
    int rc = collect_all(h, &b);
    if (rc == SQLITE_OK && !sort_rows(&b))
        rc = SQLITE_NOMEM;
    if (rc == SQLITE_OK)
        rc = sqlite3_exec(h, "DELETE FROM search_key", NULL, NULL, NULL);
    if (rc == SQLITE_OK)
        rc = insert_sorted(h, &b);
    if (rc == SQLITE_OK)
        rc = insert_stats(h, &b);
    buf_free(&b);
    if (rc == SQLITE_NOMEM)
        return rk_err_set(err, RK_EFAIL, _("Out of memory while rebuilding the search index."));
    if (rc != SQLITE_OK)
        return rk_err_set(err, RK_EFAIL, _("Cannot rebuild the search index: %s."), sqlite3_errmsg(h));
    stats_changed(db);
    return RK_OK;
}
