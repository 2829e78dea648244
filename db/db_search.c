/* The glue between the client model and the search index engine
 * (db/search_index.c): turning a client into index rows, keeping them in
 * step with saves, and running queries with a cached engine per connection. */
#include "db_search.h"
#include "common.h"

#include <pthread.h>
#include <sqlite3.h>
#include <stdint.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>

#include "search_base.h"
#include "search_fold.h"
#include "search_index.h"

static void to_index_client(const rk_client *c, client *out)
{
    memset(out, 0, sizeof *out);
    out->id = c->id;
    rk_copy_str(out->last, sizeof out->last, c->value[RK_F_LAST_NAME] ? c->value[RK_F_LAST_NAME] : "");
    rk_copy_str(out->first, sizeof out->first, c->value[RK_F_FIRST_NAMES] ? c->value[RK_F_FIRST_NAMES] : "");
    rk_copy_str(out->hetu, sizeof out->hetu, c->value[RK_F_HETU] ? c->value[RK_F_HETU] : "");
    rk_copy_str(out->custno, sizeof out->custno, c->value[RK_F_CUSTOMER_NO] ? c->value[RK_F_CUSTOMER_NO] : "");
    for (size_t i = 0; i < c->nphones && out->nphone < 8; i++)
        rk_copy_str(out->phone[out->nphone++], sizeof out->phone[0], c->phones[i].number);
    for (size_t i = 0; i < c->nemails && out->nemail < 8; i++)
        rk_copy_str(out->email[out->nemail++], sizeof out->email[0], c->emails[i].address);
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

static void engine_free(void *p)
{
    sidx_close(p);
}

/* The connection's engine, opened on first use. */
static sidx *engine(rk_db *db, rk_err *err)
{
    sidx *s = rk_db_aux(db);
    if (!s) {
        if (!(s = sidx_open(rk_db_handle(db)))) {
            rk_err_set(err, RK_EFAIL, _("Cannot prepare the search: %s."),
                       sqlite3_errmsg(rk_db_handle(db)));
            return NULL;
        }
        rk_db_set_aux(db, s, engine_free);
    }
    return s;
}

struct base_del {
    sqlite3 *h;
    uint32_t rank;
    int rc;
};

static void base_del_cb(const sidx_row *r, void *ctx)
{
    struct base_del *x = ctx;
    unsigned char g[SB_GMAX];
    if (x->rc != SQLITE_OK || r->keylen + r->litlen + 2 > SB_GMAX)
        return;
    memcpy(g, r->key, (size_t)r->keylen);
    g[r->keylen] = 0;
    memcpy(g + r->keylen + 1, r->lit, (size_t)r->litlen);
    g[r->keylen + 1 + r->litlen] = 0;
    x->rc = sb_delete(x->h, g, r->keylen + r->litlen + 2, x->rank, r->tok, r->toklen);
}

/* A client of the base that changes leaves it: its entries are removed
 * and its rank forgotten (so no name or code of it stays in the base),
 * and from now on its rows live in search_key. */
static int leave_base(rk_db *db, const rk_client *old_raw, rk_err *err)
{
    sidx *e = engine(db, err);
    if (!e)
        return err->code;
    sb_names *nm = sidx_base_names(e);
    if (!nm)
        return rk_err_set(err, RK_EFAIL, _("Cannot update the search index: %s."),
                          sqlite3_errmsg(rk_db_handle(db)));
    int64_t rank = sb_names_rank_of(nm, old_raw->id);
    if (rank < 0)
        return RK_OK;
    client ic;
    to_index_client(old_raw, &ic);
    struct base_del x = { rk_db_handle(db), (uint32_t)rank, SQLITE_OK };
    sidx_client_rows(&ic, base_del_cb, &x);
    if (x.rc == SQLITE_OK)
        x.rc = sb_names_forget(x.h, (uint32_t)rank);
    if (x.rc != SQLITE_OK)
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
    if (old_raw && leave_base(db, old_raw, err))
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

/* The engine caches whether statistics exist; start it afresh. */
static void stats_changed(rk_db *db)
{
    rk_db_set_aux(db, NULL, NULL);
}

/* search_stat's rows, written in key order. */
struct stat_out {
    sqlite3_stmt *ins;
    int rc;
};

static int stat_open(sqlite3 *h, struct stat_out *o)
{
    o->rc = SQLITE_DONE;
    o->ins = NULL;
    if (sqlite3_exec(h, "DELETE FROM search_stat", NULL, NULL, NULL) != SQLITE_OK)
        return SQLITE_ERROR;
    return sqlite3_prepare_v2(h, "INSERT INTO search_stat(key, n) VALUES (?1, ?2)", -1, &o->ins, NULL);
}

static void stat_put(struct stat_out *o, const void *key, int kl, int64_t n)
{
    if (o->rc != SQLITE_DONE || !stat_wanted((const char *)key, (size_t)kl, n))
        return;
    sqlite3_bind_text(o->ins, 1, key, kl, SQLITE_STATIC);
    sqlite3_bind_int64(o->ins, 2, n);
    o->rc = sqlite3_step(o->ins);
    sqlite3_reset(o->ins);
}

static int stat_close(struct stat_out *o)
{
    sqlite3_finalize(o->ins);
    return o->rc == SQLITE_DONE ? SQLITE_OK : o->rc;
}

/* The base's entries key by key: the next key and its count. */
struct base_keys {
    sb_cursor c;
    char key[SB_GMAX];
    int keyl;            /* -1 at the end */
    int64_t n;
};

static void base_keys_next(struct base_keys *b)
{
    b->keyl = -1;
    if (!b->c.valid)
        return;
    b->keyl = b->c.keyl;
    memcpy(b->key, b->c.g, (size_t)b->keyl);
    b->n = 0;
    while (b->c.valid && b->c.keyl == b->keyl && !memcmp(b->c.g, b->key, (size_t)b->keyl)) {
        b->n++;
        sb_next(&b->c);
    }
}

/* Counts of both parts of the index, key by key. */
static int count_all(sqlite3 *h)
{
    sqlite3_stmt *grp = NULL;
    struct base_keys b;
    memset(&b, 0, sizeof b);
    struct stat_out o;
    int rc = stat_open(h, &o);
    if (rc == SQLITE_OK)
        rc = sqlite3_prepare_v2(h, "SELECT key, count(*) FROM search_key GROUP BY key ORDER BY key",
                                -1, &grp, NULL);
    if (rc == SQLITE_OK)
        rc = sb_open_all(h, &b.c);
    if (rc == SQLITE_OK) {
        base_keys_next(&b);
        int src = sqlite3_step(grp);
        while (src == SQLITE_ROW || b.keyl >= 0) {
            const char *k = src == SQLITE_ROW ? (const char *)sqlite3_column_text(grp, 0) : NULL;
            int kl = src == SQLITE_ROW ? sqlite3_column_bytes(grp, 0) : 0;
            int cmp = !k ? 1 : b.keyl < 0 ? -1 : sb_cmp(k, kl, b.key, b.keyl);
            if (cmp <= 0)
                stat_put(&o, k, kl, sqlite3_column_int64(grp, 1) + (cmp == 0 ? b.n : 0));
            else
                stat_put(&o, b.key, b.keyl, b.n);
            if (cmp <= 0)
                src = sqlite3_step(grp);
            if (cmp >= 0)
                base_keys_next(&b);
        }
        if (src != SQLITE_DONE)
            rc = src;
    }
    int orc = stat_close(&o);
    sqlite3_finalize(grp);
    sb_close_all(&b.c);
    return rc != SQLITE_OK ? rc : orc;
}

int rk_search_refresh_stats(rk_db *db, rk_err *err)
{
    sqlite3 *h = rk_db_handle(db);
    if (count_all(h) != SQLITE_OK)
        return rk_err_set(err, RK_EFAIL, _("Cannot count the search index: %s."), sqlite3_errmsg(h));
    stats_changed(db);
    return RK_OK;
}

int rk_search_each_row(rk_db *db, rk_search_row_cb cb, void *ctx, rk_err *err)
{
    sqlite3 *h = rk_db_handle(db);
    sqlite3_stmt *st = NULL;
    sb_cursor c;
    memset(&c, 0, sizeof c);
    sidx *e = engine(db, err);
    if (!e)
        return err->code;
    sb_names *nm = sidx_base_names(e);
    int rc = nm ? sqlite3_prepare_v2(h, "SELECT key, lit, sortkey, client_id, tok FROM search_key",
                                     -1, &st, NULL)
                : SQLITE_ERROR;
    if (rc == SQLITE_OK)
        while ((rc = sqlite3_step(st)) == SQLITE_ROW)
            cb((const char *)sqlite3_column_text(st, 0), sqlite3_column_bytes(st, 0),
           (const char *)sqlite3_column_text(st, 1), sqlite3_column_bytes(st, 1),
           sqlite3_column_blob(st, 2), sqlite3_column_bytes(st, 2), sqlite3_column_int64(st, 3),
           (const char *)sqlite3_column_text(st, 4), sqlite3_column_bytes(st, 4), ctx);
    if (rc == SQLITE_DONE)
        rc = sb_open_all(h, &c);
    for (; rc == SQLITE_OK && c.valid; sb_next(&c)) {
        bool known = c.rank < nm->n;
        cb((const char *)c.g, c.keyl, (const char *)c.g + c.keyl + 1, c.gl - c.keyl - 2,
           known ? nm->arena + nm->off[c.rank] : NULL, known ? nm->len[c.rank] : 0,
           known ? nm->id[c.rank] : 0, c.tok, c.tokl, ctx);
    }
    sqlite3_finalize(st);
    sb_close_all(&c);
    if (rc != SQLITE_OK)
        return rk_err_set(err, RK_EFAIL, _("Cannot read the search index: %s."), sqlite3_errmsg(h));
    return RK_OK;
}

int rk_search_query(rk_db *db, const char *query, int64_t *ids, size_t max, size_t *n,
                    rk_err *err)
{
    *n = 0;
    sidx *s = engine(db, err);
    if (!s)
        return err->code;
    sidx_stats st;
    memset(&st, 0, sizeof st);
    int got = sidx_search(s, query ? query : "", ids, (int)max, &st);
    *n = got > 0 ? (size_t)got : 0;
    return RK_OK;
}

/* ---- rebuilding the whole index ------------------------------------------
 * A rebuild writes the packed base (search_base.h) from the clients table
 * and empties search_key. Every client's rows are generated, the clients
 * sorted into result order (their ranks), the rows sorted by group with a
 * radix sort on the group's first 8 bytes (rows generated in rank order, so
 * a stable sort keeps ranks in order), and written front to back as blocks:
 * about 27 rows a client become a few bytes each, and the writing is
 * appends of ~2 KiB blobs instead of millions of B-tree inserts. */

static rk_search_rebuild_times last_rebuild;

void rk_search_last_rebuild(rk_search_rebuild_times *out)
{
    *out = last_rebuild;
}

typedef struct gen_client {
    int64_t id;
    uint64_t sk;          /* offset of the sortkey in the arena */
    uint32_t row0;        /* its first row */
    uint16_t skl, nrows;
} gen_client;

typedef struct gen_row {
    uint64_t off;         /* g then tok, in the arena */
    uint32_t client;
    uint16_t gl, tokl;
} gen_row;

typedef struct gen {
    unsigned char *arena;
    size_t used, cap;
    gen_client *cl;
    size_t ncl, clcap;
    gen_row *rows;
    size_t nrows, rowcap;
    size_t first[256];    /* rows by the first byte of their g */
    bool oom;
} gen;

/* The large arrays of a rebuild are mapped directly, asking for
 * transparent huge pages (rk_big_map). The sort's arrays, used whole at
 * once, are filled in by the kernel in one call besides; the growing ones
 * (rows, their bytes) grow by moving pages instead of copying them. Sizes
 * are the caller's to keep. */
static void *big_alloc(size_t n)
{
    void *p = rk_big_map(n);
    if (p)
        rk_prefault(p, n);
    return p;
}

/* Room for need elements of a big array, doubling it (from 1 Mi elements). */
static bool grow_big(void **p, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap)
        return true;
    size_t n = *cap ? *cap : (size_t)1 << 20;
    while (n < need)
        n *= 2;
    /* not populated: only about half of the last doubling is ever used */
    void *q = *p ? mremap(*p, *cap * size, n * size, MREMAP_MAYMOVE) : rk_big_map(n * size);
    if (!q || q == MAP_FAILED)
        return false;
    *p = q;
    *cap = n;
    return true;
}

static uint64_t arena_put(gen *b, const void *a, size_t al, const void *c, size_t cl)
{
    if (!grow_big((void **)&b->arena, &b->cap, b->used + al + cl, 1)) {
        b->oom = true;
        return 0;
    }
    uint64_t off = b->used;
    memcpy(b->arena + b->used, a, al);
    memcpy(b->arena + b->used + al, c, cl);
    b->used += al + cl;
    return off;
}

static uint64_t prefix8(const unsigned char *g, int gl)
{
    uint64_t p = 0;
    for (int i = 0; i < 8; i++)
        p = p << 8 | (i < gl ? g[i] : 0);
    return p;
}

static void gen_cb(const sidx_row *r, void *ctx)
{
    gen *b = ctx;
    if (b->oom || r->keylen + r->litlen + 2 > SB_GMAX || r->toklen > SB_TOKMAX)
        return;
    if (!b->ncl || b->cl[b->ncl - 1].id != r->id) {
        if (!grow_big((void **)&b->cl, &b->clcap, b->ncl + 1, sizeof *b->cl)) {
            b->oom = true;
            return;
        }
        gen_client *c = &b->cl[b->ncl++];
        c->id = r->id;
        c->sk = arena_put(b, r->sk, (size_t)r->sklen, "", 0);
        c->skl = (uint16_t)r->sklen;
        c->row0 = (uint32_t)b->nrows;
        c->nrows = 0;
    }
    if (!grow_big((void **)&b->rows, &b->rowcap, b->nrows + 1, sizeof *b->rows)) {
        b->oom = true;
        return;
    }
    unsigned char g[SB_GMAX];
    memcpy(g, r->key, (size_t)r->keylen);
    g[r->keylen] = 0;
    memcpy(g + r->keylen + 1, r->lit, (size_t)r->litlen);
    g[r->keylen + 1 + r->litlen] = 0;
    int gl = r->keylen + r->litlen + 2;
    b->rows[b->nrows++] = (gen_row){ arena_put(b, g, (size_t)gl, r->tok, (size_t)r->toklen),
                                     (uint32_t)(b->ncl - 1), (uint16_t)gl, (uint16_t)r->toklen };
    b->cl[b->ncl - 1].nrows++;
    b->first[g[0]]++;
}

static const char *col(sqlite3_stmt *st, int i)
{
    const unsigned char *t = sqlite3_column_text(st, i);
    return t ? (const char *)t : "";
}

/* Every client's index rows, reading the clients, phones and e-mails
 * tables side by side in id order. An erased client's card is a tombstone
 * that no search finds (rk_search_index_client removed its rows). */
static int collect_all(sqlite3 *h, gen *b)
{
    sqlite3_stmt *cl = NULL, *ph = NULL, *em = NULL;
    int rc = SQLITE_ERROR;
    if (sqlite3_prepare_v2(h, "SELECT id, last_name, first_names, ifnull(hetu, ''), customer_no,"
                              " birth_date FROM clients"
                              " WHERE id NOT IN (SELECT client_id FROM erasures) ORDER BY id",
                           -1, &cl, NULL) ||
        sqlite3_prepare_v2(h, "SELECT client_id, number FROM client_phones ORDER BY client_id, pos",
                           -1, &ph, NULL) ||
        sqlite3_prepare_v2(h, "SELECT client_id, address FROM client_emails ORDER BY client_id, pos",
                           -1, &em, NULL))
        goto out;
    int prc = sqlite3_step(ph), erc = sqlite3_step(em);
    client ic;
    while ((rc = sqlite3_step(cl)) == SQLITE_ROW && !b->oom) {
        ic.id = sqlite3_column_int64(cl, 0);
        ic.nphone = ic.nemail = 0;
        rk_copy_str(ic.last, sizeof ic.last, col(cl, 1));
        rk_copy_str(ic.first, sizeof ic.first, col(cl, 2));
        rk_copy_str(ic.hetu, sizeof ic.hetu, col(cl, 3));
        rk_copy_str(ic.custno, sizeof ic.custno, col(cl, 4));
        rk_date d;
        const char *birth = col(cl, 5);
        ic.birthday = *birth && rk_date_parse(birth, &d, NULL) == RK_OK
                          ? days_from_civil(d.year, d.month, d.day) : 0;
        for (; prc == SQLITE_ROW && sqlite3_column_int64(ph, 0) <= ic.id; prc = sqlite3_step(ph))
            if (sqlite3_column_int64(ph, 0) == ic.id && ic.nphone < 8)
                rk_copy_str(ic.phone[ic.nphone++], sizeof ic.phone[0], col(ph, 1));
        for (; erc == SQLITE_ROW && sqlite3_column_int64(em, 0) <= ic.id; erc = sqlite3_step(em))
            if (sqlite3_column_int64(em, 0) == ic.id && ic.nemail < 8)
                rk_copy_str(ic.email[ic.nemail++], sizeof ic.email[0], col(em, 1));
        sidx_client_rows(&ic, gen_cb, b);
    }
    if (rc == SQLITE_DONE && (prc == SQLITE_ERROR || erc == SQLITE_ERROR))
        rc = SQLITE_ERROR;
out:
    sqlite3_finalize(cl);
    sqlite3_finalize(ph);
    sqlite3_finalize(em);
    return b->oom ? SQLITE_NOMEM : rc == SQLITE_DONE ? SQLITE_OK : SQLITE_ERROR;
}

/* Result order of clients: sortkey, then id. */
static const gen *order_of;

static int cmp_client(const void *pa, const void *pb)
{
    const gen_client *a = &order_of->cl[*(const uint32_t *)pa], *b = &order_of->cl[*(const uint32_t *)pb];
    int c = sb_cmp(order_of->arena + a->sk, a->skl, order_of->arena + b->sk, b->skl);
    return c ? c : (a->id > b->id) - (a->id < b->id);
}

typedef struct sort_el {
    uint64_t p;           /* first 8 bytes of g, big-endian, zero-padded */
    uint32_t row;         /* for entries: row << 2 | (g longer than 8 bytes) << 1
                             | (p is the whole g and tok is empty) */
    uint32_t rank;
} sort_el;

static uint32_t el_row(const sort_el *e)
{
    return e->row >> 2;
}

static bool el_longer(const sort_el *e)
{
    return e->row & 2;
}

/* About half the entries are short prefixes (g of at most 8 bytes, no
 * tok): encoding them needs nothing but the element, which saves a read of
 * their row and bytes at a place of their own. */
static bool el_plain(const sort_el *e)
{
    return e->row & 1;
}

static uint32_t el_make_row(uint32_t row, const gen_row *r)
{
    return row << 2 | (uint32_t)(r->gl > 8) << 1 | (uint32_t)(r->gl <= 8 && r->tokl == 0);
}

/* g of a plain element, from its first 8 bytes: key 0x00 lit 0x00. */
static int el_plain_g(const sort_el *e, unsigned char g[8])
{
    int zeros = 0, gl = 0;
    while (gl < 8 && zeros < 2) {
        g[gl] = (unsigned char)(e->p >> (56 - 8 * gl));
        zeros += g[gl++] == 0;
    }
    return gl;
}

/* Stable LSD radix sort of a[0..n) by p, 8 bits a pass: the counts of
 * all eight bytes in one read, passes where every element has the same
 * byte skipped, and the elements moving between a and tmp instead of being
 * copied back each pass. tmp has room for n; the result is in a. */
static void radix_sort(sort_el *a, sort_el *tmp, size_t n)
{
    static __thread size_t count[8][256];
    memset(count, 0, sizeof count);
    for (size_t i = 0; i < n; i++)
        for (int b = 0; b < 8; b++)
            count[b][(a[i].p >> (8 * b)) & 0xff]++;
    sort_el *from = a, *to = tmp;
    for (int b = 0; b < 8 && n; b++) {
        size_t *c = count[b];
        if (c[(a[0].p >> (8 * b)) & 0xff] == n)
            continue;
        size_t sum = 0;
        for (int i = 0; i < 256; i++) {
            size_t k = c[i];
            c[i] = sum;
            sum += k;
        }
        for (size_t i = 0; i < n; i++)
            to[c[(from[i].p >> (8 * b)) & 0xff]++] = from[i];
        sort_el *t = from;
        from = to;
        to = t;
    }
    if (from != a)
        memcpy(a, from, n * sizeof *a);
}

static int cmp_client_el(const void *pa, const void *pb)
{
    return cmp_client(&((const sort_el *)pa)->row, &((const sort_el *)pb)->row);
}

/* Result order of the clients: radix on the first 8 bytes of the sort
 * keys, then the ties by the whole key and the id. */
static bool rank_clients(const gen *b, uint32_t *rank_order)
{
    size_t bytes = (b->ncl + 1) * sizeof(sort_el);
    sort_el *a = big_alloc(bytes), *tmp = big_alloc(bytes);
    if (!a || !tmp) {
        rk_big_free(a, bytes);
        rk_big_free(tmp, bytes);
        return false;
    }
    for (size_t i = 0; i < b->ncl; i++)
        a[i] = (sort_el){ prefix8(b->arena + b->cl[i].sk, b->cl[i].skl), (uint32_t)i, 0 };
    radix_sort(a, tmp, b->ncl);
    for (size_t i = 0; i < b->ncl;) {
        size_t j = i + 1;
        while (j < b->ncl && a[j].p == a[i].p)
            j++;
        if (j - i > 1)
            qsort(a + i, j - i, sizeof *a, cmp_client_el);
        i = j;
    }
    for (size_t i = 0; i < b->ncl; i++)
        rank_order[i] = a[i].row;
    rk_big_free(a, bytes);
    rk_big_free(tmp, bytes);
    return true;
}

/* Entries whose first 8 bytes tie but whose g is longer: full order. */
static int cmp_el_full(const void *pa, const void *pb)
{
    const sort_el *a = pa, *b = pb;
    const gen_row *x = &order_of->rows[el_row(a)], *y = &order_of->rows[el_row(b)];
    const unsigned char *gx = order_of->arena + x->off, *gy = order_of->arena + y->off;
    int c = sb_cmp(gx, x->gl, gy, y->gl);
    if (c)
        return c;
    if (a->rank != b->rank)
        return a->rank < b->rank ? -1 : 1;
    return sb_cmp(gx + x->gl, x->tokl, gy + y->gl, y->tokl);
}

/* Runs of entries whose first 8 bytes tie are short (at a million
 * clients over half a million of them, none longer than 14 entries):
 * qsort's setup for each cost more than the sorting. */
enum { INSERTION_MAX = 32 };

static void insertion_sort(sort_el *a, size_t n)
{
    for (size_t x = 1; x < n; x++) {
        sort_el t = a[x];
        size_t y = x;
        for (; y > 0 && cmp_el_full(&a[y - 1], &t) > 0; y--)
            a[y] = a[y - 1];
        a[y] = t;
    }
}

/* A key's count, for search_stat. */
struct key_count {
    const unsigned char *key;
    int kl;
    int64_t n;
};

/* A part of the rows, split by their first byte: sorted, then encoded as
 * blocks with its keys counted, on a thread of its own. A key never spans
 * two parts (the first byte of g is the key's). */
struct sort_part {
    sort_el *a, *tmp;          /* tmp: room for the part's largest bucket */
    size_t n;
    const size_t *bucket;      /* the part's elements by first byte, in order */
    int nbuckets;
    sb_writer w;
    struct key_count *keys;
    size_t nkeys, keycap;
    int rc;
};

static void count_key(struct sort_part *s, const unsigned char *key, int kl, int64_t n)
{
    if (!stat_wanted((const char *)key, (size_t)kl, n))
        return;
    if (!rk_grow(&s->keys, &s->keycap, s->nkeys, sizeof *s->keys, 256)) {
        s->rc = SQLITE_NOMEM;
        return;
    }
    s->keys[s->nkeys++] = (struct key_count){ key, kl, n };
}

static void encode_part(struct sort_part *s)
{
    const gen *b = order_of;
    const unsigned char *key = NULL;
    int keyl = 0;
    int64_t n = 0;
    sb_writer_init(&s->w);
    for (size_t i = 0; i < s->n && s->rc == SQLITE_OK; i++) {
        /* the rows are in client order, the entries in group order: fetch
         * ahead what the coming entries will read */
        if (i + 16 < s->n && !el_plain(&s->a[i + 16]))
            __builtin_prefetch(&b->rows[el_row(&s->a[i + 16])]);
        if (i + 8 < s->n && !el_plain(&s->a[i + 8]))
            __builtin_prefetch(b->arena + b->rows[el_row(&s->a[i + 8])].off);
        const sort_el *e = &s->a[i];
        unsigned char plain[8];
        const unsigned char *g;
        const char *tok = "";
        int gl, tokl = 0;
        if (el_plain(e)) {
            gl = el_plain_g(e, plain);
            g = plain;
        } else {
            const gen_row *row = &b->rows[el_row(e)];
            g = b->arena + row->off;
            gl = row->gl;
            tok = (const char *)g + gl;
            tokl = row->tokl;
        }
        int kl = (int)strlen((const char *)g);
        if (!key || kl != keyl || memcmp(g, key, (size_t)kl)) {
            if (key)
                count_key(s, key, keyl, n);
            key = b->arena + b->rows[el_row(e)].off;   /* kept until written */
            keyl = kl;
            n = 0;
        }
        n++;
        s->rc = sb_writer_add(&s->w, g, gl, e->rank, tok, tokl);
    }
    if (key && s->rc == SQLITE_OK)
        count_key(s, key, keyl, n);
    if (s->rc == SQLITE_OK)
        s->rc = sb_writer_finish(&s->w);
}

static void *sort_part_run(void *p)
{
    struct sort_part *s = p;
    /* bucket by bucket (the first byte is the same within one) */
    for (size_t v = 0, at = 0; v < (size_t)s->nbuckets; at += s->bucket[v++])
        radix_sort(s->a + at, s->tmp, s->bucket[v]);
    /* Equal first 8 bytes: when some g is longer, sort the run fully;
     * else g is the same and the run is in rank order (the sort is stable),
     * and only a client's entries of one g need their toks in order. */
    for (size_t i = 0; i < s->n;) {
        size_t j = i + 1;
        bool longer = el_longer(&s->a[i]), twins = false;
        for (; j < s->n && s->a[j].p == s->a[i].p; j++) {
            longer |= el_longer(&s->a[j]);
            twins |= s->a[j].rank == s->a[j - 1].rank;
        }
        if (longer && j - i > INSERTION_MAX) {
            qsort(s->a + i, j - i, sizeof *s->a, cmp_el_full);
        } else if (longer && j - i > 1) {
            insertion_sort(s->a + i, j - i);
        } else if (twins) {
            for (size_t x = i + 1; x < j; x++)   /* insertion sort: few and short */
                for (size_t y = x; y > i && s->a[y].rank == s->a[y - 1].rank &&
                                   cmp_el_full(&s->a[y - 1], &s->a[y]) > 0; y--) {
                    sort_el t = s->a[y];
                    s->a[y] = s->a[y - 1];
                    s->a[y - 1] = t;
                }
        }
        i = j;
    }
    encode_part(s);
    return NULL;
}

static void *sort_part_thread(void *p)
{
    rk_thread_yield_priority();
    return sort_part_run(p);
}

/* Clients in rank order are all over memory: each one's entry, rows and
 * bytes a cache miss after the other, too short a run for the hardware to
 * fetch ahead. Fetched in three steps, each a few clients before its use
 * and after the step it reads. */
static void prefetch_ahead(const gen *b, const uint32_t *rank_order, size_t r)
{
    enum { CLIENT_AHEAD = 16, ROWS_AHEAD = 8, BYTES_AHEAD = 4 };
    if (r + CLIENT_AHEAD < b->ncl)
        __builtin_prefetch(&b->cl[rank_order[r + CLIENT_AHEAD]]);
    if (r + ROWS_AHEAD < b->ncl) {
        const gen_client *c = &b->cl[rank_order[r + ROWS_AHEAD]];
        for (uint32_t i = 0; i < c->nrows; i += 64 / sizeof *b->rows)
            __builtin_prefetch(&b->rows[c->row0 + i]);
    }
    if (r + BYTES_AHEAD < b->ncl) {
        const gen_client *c = &b->cl[rank_order[r + BYTES_AHEAD]];
        if (c->nrows) {
            const gen_row *first = &b->rows[c->row0], *last = &b->rows[c->row0 + c->nrows - 1];
            for (uint64_t at = first->off; at < last->off + last->gl + last->tokl; at += 64)
                __builtin_prefetch(b->arena + at);
        }
    }
}

/* All rows as sort elements in g order, sorted and encoded in two parts
 * on two threads. The elements are made in rank order straight into their
 * first byte's bucket, so each bucket is in rank order (the radix sort
 * keeps it: it is stable) and is sorted on its own, with a buffer the size
 * of the largest bucket instead of all. The parts split the buckets where
 * about half the rows are below. Freed once encoded; false when out of
 * memory. */
static bool sort_rows(const gen *b, const uint32_t *rank_order, struct sort_part part[2])
{
    size_t k = b->nrows;
    int split = 0;
    for (size_t below = 0; split < 256 && below + b->first[split] <= k / 2; split++)
        below += b->first[split];
    size_t nlo = 0, maxlo = 0, maxhi = 0;
    for (int v = 0; v < 256; v++) {
        if (v < split)
            nlo += b->first[v], maxlo = b->first[v] > maxlo ? b->first[v] : maxlo;
        else
            maxhi = b->first[v] > maxhi ? b->first[v] : maxhi;
    }
    size_t bytes = k * sizeof(sort_el), lob = maxlo * sizeof(sort_el), hib = maxhi * sizeof(sort_el);
    sort_el *a = big_alloc(bytes), *tlo = big_alloc(lob), *thi = big_alloc(hib);
    if (!a || !tlo || !thi) {
        rk_big_free(a, bytes);
        rk_big_free(tlo, lob);
        rk_big_free(thi, hib);
        return false;
    }
    size_t at[256];
    for (size_t v = 0, sum = 0; v < 256; sum += b->first[v++])
        at[v] = sum;
    for (size_t r = 0; r < b->ncl; r++) {
        prefetch_ahead(b, rank_order, r);
        const gen_client *cl = &b->cl[rank_order[r]];
        for (uint32_t i = cl->row0; i < cl->row0 + cl->nrows; i++) {
            const gen_row *row = &b->rows[i];
            const unsigned char *g = b->arena + row->off;
            a[at[g[0]]++] = (sort_el){ prefix8(g, row->gl), el_make_row(i, row), (uint32_t)r };
        }
    }
    part[0] = (struct sort_part){ .a = a, .tmp = tlo, .n = nlo, .bucket = b->first, .nbuckets = split };
    part[1] = (struct sort_part){ .a = a + nlo, .tmp = thi, .n = k - nlo, .bucket = b->first + split,
                                  .nbuckets = 256 - split };
    pthread_t t;
    bool threaded = k >= (1 << 16) && pthread_create(&t, NULL, sort_part_thread, &part[0]) == 0;
    if (!threaded)
        sort_part_run(&part[0]);
    sort_part_run(&part[1]);
    if (threaded)
        pthread_join(t, NULL);
    rk_big_free(thi, hib);
    rk_big_free(tlo, lob);
    rk_big_free(a, bytes);   /* the parts hold the blocks and the counts */
    part[0].a = part[0].tmp = part[1].a = part[1].tmp = NULL;
    return true;
}

/* The old index gone, and the names of the new one's ranks: they need
 * only the clients' order, not their sorted entries. */
static int clear_and_name(sqlite3 *h, const gen *b, const uint32_t *rank_order)
{
    int rc = sqlite3_exec(h, "DELETE FROM search_key", NULL, NULL, NULL);
    if (rc == SQLITE_OK)
        rc = sb_clear(h);
    sb_names_writer nw;
    if (rc == SQLITE_OK)
        rc = sb_names_writer_open(&nw, h);
    else
        return rc;
    for (size_t r = 0; r < b->ncl && rc == SQLITE_OK; r++) {
        const gen_client *c = &b->cl[rank_order[r]];
        rc = sb_names_writer_add(&nw, b->arena + c->sk, c->skl, c->id);
    }
    int nrc = sb_names_writer_close(&nw, h);
    return rc != SQLITE_OK ? rc : nrc;
}

/* Inserts the encoded parts and the per-key counts. */
static int write_base(sqlite3 *h, struct sort_part part[2])
{
    struct stat_out o;
    int rc = stat_open(h, &o);
    for (int p = 0; p < 2 && rc == SQLITE_OK; p++) {
        rc = part[p].rc != SQLITE_OK ? part[p].rc : sb_writer_insert(&part[p].w, h);
        for (size_t i = 0; i < part[p].nkeys && rc == SQLITE_OK; i++)
            stat_put(&o, part[p].keys[i].key, part[p].keys[i].kl, part[p].keys[i].n);
        last_rebuild.blocks += part[p].w.blocks;
        last_rebuild.bytes += part[p].w.bytes;
    }
    int orc = stat_close(&o);
    return rc != SQLITE_OK ? rc : orc;
}

/* A rebuild's rows in memory, from collecting to writing. */
typedef struct built {
    gen b;
    uint32_t *rank_order;      /* rank -> client */
    struct sort_part part[2];
} built;

/* Ranks the collected clients, sorts their rows and encodes them: the
 * part of a rebuild that needs no database. */
static int rank_only(built *x)
{
    gen *b = &x->b;
    double t1 = rk_monotonic_s();
    if (b->oom)
        return SQLITE_NOMEM;
    if (b->ncl > UINT32_MAX / 4 || b->nrows > UINT32_MAX / 4)
        return SQLITE_TOOBIG;
    if (!(x->rank_order = malloc((b->ncl + 1) * sizeof *x->rank_order)))
        return SQLITE_NOMEM;
    order_of = b;
    bool ranked = rank_clients(b, x->rank_order);
    last_rebuild.order = rk_monotonic_s() - t1;
    return ranked ? SQLITE_OK : SQLITE_NOMEM;
}

static int sort_ranked(built *x)
{
    double t2 = rk_monotonic_s();
    bool sorted = sort_rows(&x->b, x->rank_order, x->part);
    last_rebuild.sort = rk_monotonic_s() - t2;
    return sorted ? SQLITE_OK : SQLITE_NOMEM;
}

static int rank_and_sort(built *x)
{
    int rc = rank_only(x);
    return rc == SQLITE_OK ? sort_ranked(x) : rc;
}

static void free_built(built *x)
{
    order_of = NULL;
    for (int p = 0; p < 2; p++) {
        sb_writer_free(&x->part[p].w);
        free(x->part[p].keys);
    }
    free(x->rank_order);
    rk_big_free(x->b.arena, x->b.cap);
    rk_big_free(x->b.cl, x->b.clcap * sizeof *x->b.cl);
    rk_big_free(x->b.rows, x->b.rowcap * sizeof *x->b.rows);
    memset(x, 0, sizeof *x);
}

/* Replaces the index with the sorted rows (named: the old one is gone and
 * the names are in already), frees what the rebuild held, and says what
 * went wrong. */
static int write_and_free(rk_db *db, built *x, int rc, bool named, rk_err *err)
{
    sqlite3 *h = rk_db_handle(db);
    double t3 = rk_monotonic_s();
    if (rc == SQLITE_OK && !named)
        rc = clear_and_name(h, &x->b, x->rank_order);
    if (rc == SQLITE_OK)
        rc = write_base(h, x->part);
    last_rebuild.clients = x->b.ncl;
    last_rebuild.rows = x->b.nrows;
    last_rebuild.write = rk_monotonic_s() - t3;
    free_built(x);
    if (rc == SQLITE_NOMEM)
        return rk_err_set(err, RK_EFAIL, _("Out of memory while rebuilding the search index."));
    if (rc != SQLITE_OK)
        return rk_err_set(err, RK_EFAIL, _("Cannot rebuild the search index: %s."), sqlite3_errmsg(h));
    stats_changed(db);
    return RK_OK;
}

int rk_search_rebuild(rk_db *db, rk_err *err)
{
    built x;
    memset(&x, 0, sizeof x);
    memset(&last_rebuild, 0, sizeof last_rebuild);
    double t0 = rk_monotonic_s();
    int rc = collect_all(rk_db_handle(db), &x.b);
    last_rebuild.collect = rk_monotonic_s() - t0;
    if (rc == SQLITE_OK)
        rc = rank_and_sort(&x);
    return write_and_free(db, &x, rc, false, err);
}

/* ---- the feed: a rebuild from the clients of a load as they are added ----
 * The loading thread packs each client's indexed fields into a chunk (a
 * few copies, no allocation); the feed's thread unpacks them, makes their
 * rows, and when the load ends ranks and sorts them while the loader
 * builds its other indexes. Only the feed's thread grows the row arrays. */
enum { FEED_CHUNKS = 8, FEED_PER_CHUNK = 512 };

typedef struct feed_chunk {
    unsigned char *buf;
    size_t len, n;
} feed_chunk;

struct rk_search_feed {
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    feed_chunk chunk[FEED_CHUNKS];
    size_t filled, taken;      /* chunks handed over and taken back, counted */
    bool started, closed, abandoned;
    feed_chunk *cur;           /* the loader's */
    built x;
    int rc;
    bool ranked;               /* the clients' order is known (or cannot be) */
    int rank_rc;
    double busy;               /* seconds the thread spent making rows */
};

/* The largest packed client: the fields as to_index_client keeps them. */
enum { FEED_MAX = 8 + 4 * 2 + sizeof(((client *)0)->last) + sizeof(((client *)0)->first) +
                  sizeof(((client *)0)->hetu) + sizeof(((client *)0)->custno) + 2 +
                  sizeof(((client *)0)->phone) + sizeof(((client *)0)->email) + 16 * 2 };

static void pack(feed_chunk *k, const char *v, size_t max)
{
    size_t n = v ? strnlen(v, max - 1) : 0;
    k->buf[k->len++] = (unsigned char)(n >> 8);
    k->buf[k->len++] = (unsigned char)n;
    memcpy(k->buf + k->len, v, n);
    k->len += n;
}

static const unsigned char *unpack(const unsigned char *p, char *out)
{
    size_t n = (size_t)p[0] << 8 | p[1];
    memcpy(out, p + 2, n);
    out[n] = '\0';
    return p + 2 + n;
}

static void feed_chunk_rows(rk_search_feed *f, const feed_chunk *k)
{
    const unsigned char *p = k->buf;
    client ic;
    char birth[16];
    for (size_t i = 0; i < k->n; i++) {
        int64_t id = 0;
        for (int j = 0; j < 8; j++)
            id = id << 8 | *p++;
        ic.id = id;
        p = unpack(p, ic.last);
        p = unpack(p, ic.first);
        p = unpack(p, ic.hetu);
        p = unpack(p, ic.custno);
        p = unpack(p, birth);
        ic.nphone = *p++;
        for (int j = 0; j < ic.nphone; j++)
            p = unpack(p, ic.phone[j]);
        ic.nemail = *p++;
        for (int j = 0; j < ic.nemail; j++)
            p = unpack(p, ic.email[j]);
        rk_date d;
        ic.birthday = birth[0] && rk_date_parse(birth, &d, NULL) == RK_OK
                          ? days_from_civil(d.year, d.month, d.day) : 0;
        sidx_client_rows(&ic, gen_cb, &f->x.b);
    }
}

static void *feed_run(void *arg)
{
    rk_search_feed *f = arg;
    rk_thread_yield_priority();   /* the loader's inserts and indexes come first */
    pthread_mutex_lock(&f->mu);
    for (;;) {
        while (f->taken == f->filled && !f->closed)
            pthread_cond_wait(&f->cv, &f->mu);
        if (f->taken == f->filled)
            break;
        feed_chunk *k = &f->chunk[f->taken % FEED_CHUNKS];
        pthread_mutex_unlock(&f->mu);
        double t0 = rk_monotonic_s();
        feed_chunk_rows(f, k);
        f->busy += rk_monotonic_s() - t0;
        pthread_mutex_lock(&f->mu);
        f->taken++;
        pthread_cond_broadcast(&f->cv);
    }
    bool sort = !f->abandoned;
    pthread_mutex_unlock(&f->mu);
    if (sort) {
        int rc = rank_only(&f->x);
        pthread_mutex_lock(&f->mu);
        f->ranked = true;
        f->rank_rc = rc;
        pthread_cond_broadcast(&f->cv);
        pthread_mutex_unlock(&f->mu);
        f->rc = rc == SQLITE_OK ? sort_ranked(&f->x) : rc;
    }
    return NULL;
}

int rk_search_feed_start(rk_search_feed **out, rk_err *err)
{
    rk_search_feed *f = calloc(1, sizeof *f);
    *out = NULL;
    if (!f)
        return rk_err_set(err, RK_EFAIL, _("Out of memory."));
    for (int i = 0; i < FEED_CHUNKS; i++)
        if (!(f->chunk[i].buf = malloc((size_t)FEED_PER_CHUNK * FEED_MAX))) {
            for (int j = 0; j < i; j++)
                free(f->chunk[j].buf);
            free(f);
            return rk_err_set(err, RK_EFAIL, _("Out of memory."));
        }
    pthread_mutex_init(&f->mu, NULL);
    pthread_cond_init(&f->cv, NULL);
    memset(&last_rebuild, 0, sizeof last_rebuild);
    if (pthread_create(&f->thread, NULL, feed_run, f) != 0) {
        rk_search_feed_abandon(f);
        return rk_err_set(err, RK_EFAIL, _("Cannot start a thread for the search index."));
    }
    f->started = true;
    *out = f;
    return RK_OK;
}

/* Hands the loader's chunk over (when it has clients); with the lock held.
 * The loader takes a free one when its next client comes. */
static void hand_over(rk_search_feed *f)
{
    if (f->cur && f->cur->n) {
        f->filled++;
        pthread_cond_broadcast(&f->cv);
    }
    f->cur = NULL;
}

void rk_search_feed_client(rk_search_feed *f, const rk_client *c)
{
    if (!f->cur) {
        pthread_mutex_lock(&f->mu);
        while (f->filled - f->taken == FEED_CHUNKS)
            pthread_cond_wait(&f->cv, &f->mu);
        pthread_mutex_unlock(&f->mu);
        f->cur = &f->chunk[f->filled % FEED_CHUNKS];
        f->cur->len = f->cur->n = 0;
    }
    feed_chunk *k = f->cur;
    for (int j = 7; j >= 0; j--)
        k->buf[k->len++] = (unsigned char)((uint64_t)c->id >> (8 * j));
    pack(k, c->value[RK_F_LAST_NAME], sizeof(((client *)0)->last));
    pack(k, c->value[RK_F_FIRST_NAMES], sizeof(((client *)0)->first));
    pack(k, c->value[RK_F_HETU], sizeof(((client *)0)->hetu));
    pack(k, c->value[RK_F_CUSTOMER_NO], sizeof(((client *)0)->custno));
    pack(k, c->value[RK_F_BIRTH_DATE], 16);
    size_t np = c->nphones < 8 ? c->nphones : 8, ne = c->nemails < 8 ? c->nemails : 8;
    k->buf[k->len++] = (unsigned char)np;
    for (size_t i = 0; i < np; i++)
        pack(k, c->phones[i].number, sizeof(((client *)0)->phone[0]));
    k->buf[k->len++] = (unsigned char)ne;
    for (size_t i = 0; i < ne; i++)
        pack(k, c->emails[i].address, sizeof(((client *)0)->email[0]));
    if (++k->n == FEED_PER_CHUNK) {
        pthread_mutex_lock(&f->mu);
        hand_over(f);
        pthread_mutex_unlock(&f->mu);
    }
}

void rk_search_feed_close(rk_search_feed *f)
{
    pthread_mutex_lock(&f->mu);
    hand_over(f);
    f->closed = true;
    pthread_cond_broadcast(&f->cv);
    pthread_mutex_unlock(&f->mu);
}

int rk_search_feed_finish(rk_db *db, rk_search_feed *f, rk_err *err)
{
    int named = SQLITE_OK;
    bool early = false;
    if (f->started)
        rk_search_feed_close(f);
    if (db && f->started) {
        /* The names go in while the entries are sorted: the loader would
         * only wait for the sort (a second or so at a million clients). */
        pthread_mutex_lock(&f->mu);
        while (!f->ranked)
            pthread_cond_wait(&f->cv, &f->mu);
        early = f->rank_rc == SQLITE_OK;
        pthread_mutex_unlock(&f->mu);
        if (early)
            named = clear_and_name(rk_db_handle(db), &f->x.b, f->x.rank_order);
    }
    if (f->started)
        pthread_join(f->thread, NULL);
    int rc = RK_OK;
    last_rebuild.collect = f->busy;
    if (db && f->started)
        rc = write_and_free(db, &f->x, f->rc != SQLITE_OK ? f->rc : named, early, err);
    else
        free_built(&f->x);
    pthread_mutex_destroy(&f->mu);
    pthread_cond_destroy(&f->cv);
    for (int i = 0; i < FEED_CHUNKS; i++)
        free(f->chunk[i].buf);
    free(f);
    return rc;
}

void rk_search_feed_abandon(rk_search_feed *f)
{
    if (!f)
        return;
    pthread_mutex_lock(&f->mu);
    f->abandoned = true;   /* no sorting for nothing */
    pthread_mutex_unlock(&f->mu);
    rk_search_feed_finish(NULL, f, NULL);
}
