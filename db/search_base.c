/* The packed part of the search index: blocks, cursors and names
 * (format in search_base.h). */
#include "search_base.h"

#include <stdlib.h>
#include <string.h>

/* ---- bytes ---------------------------------------------------------------- */

static int put_varint(unsigned char *p, uint64_t v)
{
    int n = 0;
    while (v >= 0x80) {
        p[n++] = (unsigned char)(v | 0x80);
        v >>= 7;
    }
    p[n++] = (unsigned char)v;
    return n;
}

static bool get_varint(const unsigned char *p, int len, int *pos, uint64_t *v)
{
    uint64_t r = 0;
    for (int shift = 0; shift < 64 && *pos < len; shift += 7) {
        unsigned char b = p[(*pos)++];
        r |= (uint64_t)(b & 0x7f) << shift;
        if (!(b & 0x80)) {
            *v = r;
            return true;
        }
    }
    return false;
}

int sb_cmp(const void *a, int al, const void *b, int bl)
{
    int c = memcmp(a, b, (size_t)(al < bl ? al : bl));
    return c ? c : (al > bl) - (al < bl);
}

static bool reserve(unsigned char **buf, size_t *cap, size_t need)
{
    if (need <= *cap)
        return true;
    size_t n = *cap ? *cap : 4096;
    while (n < need)
        n *= 2;
    unsigned char *p = realloc(*buf, n);
    if (!p)
        return false;
    *buf = p;
    *cap = n;
    return true;
}

/* An entry's first varint. */
enum {
    SB_SAME = 0,      /* g and tok as before; the rank's increase follows */
    SB_SAME_G = 1,    /* g as before; the rank's increase, then tok */
    SB_NEW_G = 2,     /* 2 + bytes of g shared: the rest of g, the rank, tok */
};

static int shared_prefix(const unsigned char *a, int al, const unsigned char *b, int bl)
{
    int n = 0, m = al < bl ? al : bl;
    while (n < m && a[n] == b[n])
        n++;
    return n;
}

/* An entry block's key: g, rank big-endian, tok. */
static int first_key(unsigned char *out, const void *g, int gl, uint32_t rank, const char *tok,
                     int tokl)
{
    memcpy(out, g, (size_t)gl);
    out[gl] = (unsigned char)(rank >> 24);
    out[gl + 1] = (unsigned char)(rank >> 16);
    out[gl + 2] = (unsigned char)(rank >> 8);
    out[gl + 3] = (unsigned char)rank;
    memcpy(out + gl + 4, tok, (size_t)tokl);
    return gl + 4 + tokl;
}

/* The most bytes an entry can take: its varints and its bytes. */
#define SB_ENTRY_MAX(gl, tokl) (48 + (size_t)(gl) + (size_t)(tokl))

/* Appends one entry to buf after the entry e holds (then holds this one).
 * Most entries repeat the previous g (a group's clients one after another)
 * and often its tok: they take two or three bytes. */
static bool encode_entry(sb_block *b, const unsigned char *g, int gl, uint32_t rank,
                         const char *tok, int tokl)
{
    if (!reserve(&b->buf, &b->cap, b->len + SB_ENTRY_MAX(gl, tokl)))
        return false;
    sb_enc *e = &b->enc;
    unsigned char *p = b->buf + b->len;
    int n;
    /* (an entry out of order, with a lower rank, takes the long form) */
    bool same = e->gl > 0 && gl == e->gl && rank >= e->rank && !memcmp(e->g, g, (size_t)gl);
    bool same_tok = tokl == e->tokl && !memcmp(e->tok, tok, (size_t)tokl);
    if (same) {
        n = put_varint(p, same_tok ? SB_SAME : SB_SAME_G);
        n += put_varint(p + n, rank - e->rank);
    } else {
        int sh = shared_prefix(e->g, e->gl, g, gl);
        n = put_varint(p, (uint64_t)sh + SB_NEW_G);
        n += put_varint(p + n, (uint64_t)(gl - sh));
        memcpy(p + n, g + sh, (size_t)(gl - sh));
        n += gl - sh;
        n += put_varint(p + n, rank);
        same_tok = false;
    }
    if (!same_tok) {
        int tsh = shared_prefix((const unsigned char *)e->tok, e->tokl, (const unsigned char *)tok, tokl);
        n += put_varint(p + n, (uint64_t)tsh);
        n += put_varint(p + n, (uint64_t)(tokl - tsh));
        memcpy(p + n, tok + tsh, (size_t)(tokl - tsh));
        n += tokl - tsh;
    }
    b->len += (size_t)n;
    memcpy(e->g, g, (size_t)gl);
    e->gl = gl;
    memcpy(e->tok, tok, (size_t)tokl);
    e->tokl = tokl;
    e->rank = rank;
    return true;
}

/* ---- reading ------------------------------------------------------------- */

/* Decodes the entry at c->pos; false at the end of the block or on bytes
 * that do not decode (treated as the end). */
static bool decode_entry(sb_cursor *c)
{
    uint64_t h, rank, tsh, tsf;
    if (c->pos >= c->len || !get_varint(c->data, c->len, &c->pos, &h))
        return false;
    if (h < SB_NEW_G) {
        if (c->gl == 0 || !get_varint(c->data, c->len, &c->pos, &rank))
            return false;
        rank += c->rank;
    } else {
        uint64_t sh = h - SB_NEW_G, sf;
        if (!get_varint(c->data, c->len, &c->pos, &sf) || sh > (uint64_t)c->gl ||
            sh + sf > SB_GMAX || sf > (uint64_t)(c->len - c->pos))
            return false;
        memcpy(c->g + sh, c->data + c->pos, (size_t)sf);
        c->pos += (int)sf;
        c->gl = (int)(sh + sf);
        const unsigned char *z = memchr(c->g, 0, (size_t)c->gl);
        c->keyl = z ? (int)(z - c->g) : c->gl;
        if (!get_varint(c->data, c->len, &c->pos, &rank))
            return false;
    }
    if (rank > UINT32_MAX)
        return false;
    c->rank = (uint32_t)rank;
    if (h != SB_SAME) {
        if (!get_varint(c->data, c->len, &c->pos, &tsh) || !get_varint(c->data, c->len, &c->pos, &tsf) ||
            tsh > (uint64_t)c->tokl || tsh + tsf > SB_TOKMAX || tsf > (uint64_t)(c->len - c->pos))
            return false;
        memcpy(c->tokbuf + tsh, c->data + c->pos, (size_t)tsf);
        c->pos += (int)tsf;
        c->tokl = (int)(tsh + tsf);
    }
    c->tok = c->tokbuf;
    return true;
}

bool sb_block_decode(const unsigned char *data, int len, sb_entry_cb cb, void *ctx)
{
    sb_cursor *c = calloc(1, sizeof *c);
    if (!c)
        return false;
    c->data = data;
    c->len = len;
    bool ok = true;
    while (ok && c->pos < c->len)
        ok = decode_entry(c) && cb(ctx, c->g, c->gl, c->rank, c->tok, c->tokl);
    free(c);
    return ok;
}

bool sb_block_add(sb_block *b, const void *g, int gl, uint32_t rank, const char *tok, int tokl)
{
    if (gl < 2 || gl > SB_GMAX || tokl < 0 || tokl > SB_TOKMAX)
        return false;
    return encode_entry(b, g, gl, rank, tok, tokl);
}

void sb_block_free(sb_block *b)
{
    free(b->buf);
    memset(b, 0, sizeof *b);
}

static bool next_block(sb_cursor *c)
{
    if (sqlite3_step(c->fwd) != SQLITE_ROW)
        return false;
    c->data = sqlite3_column_blob(c->fwd, 0);
    c->len = sqlite3_column_bytes(c->fwd, 0);
    c->pos = 0;
    c->gl = 0;
    c->tokl = 0;
    c->rank = 0;
    return true;
}

void sb_next(sb_cursor *c)
{
    while (c->valid) {
        if (decode_entry(c))
            return;
        c->valid = next_block(c);
    }
}

int sb_open_all(sqlite3 *h, sb_cursor *c)
{
    memset(c, 0, sizeof *c);
    int rc = sqlite3_prepare_v2(h, SB_FWD_SQL, -1, &c->fwd, NULL);
    if (rc != SQLITE_OK)
        return rc;
    sqlite3_bind_zeroblob(c->fwd, 1, 0);
    c->valid = next_block(c);
    sb_next(c);
    return SQLITE_OK;
}

void sb_close_all(sb_cursor *c)
{
    sqlite3_finalize(c->fwd);
    c->fwd = NULL;
    c->valid = false;
}

int sb_seek(sqlite3_stmt *probe, sb_cursor *c, const void *t, int tl)
{
    sqlite3_reset(c->fwd);
    c->valid = false;
    sqlite3_bind_blob(probe, 1, t, tl, SQLITE_STATIC);
    int rc = sqlite3_step(probe);
    if (rc == SQLITE_ROW)
        sqlite3_bind_blob(c->fwd, 1, sqlite3_column_blob(probe, 0), sqlite3_column_bytes(probe, 0),
                          SQLITE_TRANSIENT);
    else
        sqlite3_bind_zeroblob(c->fwd, 1, 0);
    sqlite3_reset(probe);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return rc;
    c->valid = next_block(c);
    for (sb_next(c); c->valid && sb_cmp(c->g, c->gl, t, tl) < 0; sb_next(c))
        ;
    return SQLITE_OK;
}

/* ---- names --------------------------------------------------------------- */

struct sb_idrank {
    int64_t id;
    uint32_t rank;
};

void sb_names_free(sb_names *nm)
{
    free(nm->off);
    free(nm->len);
    free(nm->id);
    free(nm->arena);
    free(nm->by_id);
    memset(nm, 0, sizeof *nm);
    nm->gen = -1;
}

static int read_meta(sqlite3 *h, int64_t *gen, int64_t *n)
{
    sqlite3_stmt *st;
    *gen = 0;
    *n = 0;
    int rc = sqlite3_prepare_v2(h, "SELECT gen, n FROM search_base_meta WHERE id = 1", -1, &st, NULL);
    if (rc != SQLITE_OK)
        return rc;
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        *gen = sqlite3_column_int64(st, 0);
        *n = sqlite3_column_int64(st, 1);
        rc = SQLITE_DONE;
    }
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

/* Decodes one names block into (sortkey, id) pairs through cb. */
typedef bool (*name_cb)(void *ctx, const unsigned char *sk, int skl, int64_t id);

static bool decode_names(const unsigned char *d, int len, name_cb cb, void *ctx)
{
    unsigned char sk[256];
    int skl = 0, pos = 0;
    while (pos < len) {
        uint64_t sh, sf, id;
        if (!get_varint(d, len, &pos, &sh) || !get_varint(d, len, &pos, &sf) ||
            sh > (uint64_t)skl || sh + sf > sizeof sk || sf > (uint64_t)(len - pos))
            return false;
        memcpy(sk + sh, d + pos, (size_t)sf);
        pos += (int)sf;
        skl = (int)(sh + sf);
        if (!get_varint(d, len, &pos, &id) || !cb(ctx, sk, skl, (int64_t)id))
            return false;
    }
    return true;
}

struct load_ctx {
    sb_names *nm;
    size_t used, cap;
    uint32_t r;
};

static bool load_one(void *p, const unsigned char *sk, int skl, int64_t id)
{
    struct load_ctx *x = p;
    if (x->r >= x->nm->n || !reserve(&x->nm->arena, &x->cap, x->used + (size_t)skl + 1))
        return false;
    memcpy(x->nm->arena + x->used, sk, (size_t)skl);
    x->nm->off[x->r] = (uint32_t)x->used;
    x->nm->len[x->r] = (uint16_t)skl;
    x->nm->id[x->r] = id;
    x->used += (size_t)skl;
    x->r++;
    return true;
}

int sb_names_sync(sqlite3 *h, sb_names *nm)
{
    int64_t gen, n;
    int rc = read_meta(h, &gen, &n);
    if (rc != SQLITE_OK)
        return rc;
    if (nm->gen == gen && nm->n == (uint32_t)n)
        return SQLITE_OK;
    sb_names_free(nm);
    if (n <= 0 || n > UINT32_MAX) {
        nm->gen = gen;
        return SQLITE_OK;
    }
    nm->n = (uint32_t)n;
    nm->off = malloc(sizeof *nm->off * (size_t)n);
    nm->len = malloc(sizeof *nm->len * (size_t)n);
    nm->id = malloc(sizeof *nm->id * (size_t)n);
    struct load_ctx x = { nm, 0, 0, 0 };
    if (!nm->off || !nm->len || !nm->id) {
        sb_names_free(nm);
        return SQLITE_NOMEM;
    }
    sqlite3_stmt *st;
    rc = sqlite3_prepare_v2(h, "SELECT data FROM search_base_names ORDER BY blk", -1, &st, NULL);
    while (rc == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
        if (!decode_names(sqlite3_column_blob(st, 0), sqlite3_column_bytes(st, 0), load_one, &x))
            rc = SQLITE_CORRUPT;
    sqlite3_finalize(st);
    if (rc == SQLITE_OK && x.r != nm->n)
        rc = SQLITE_CORRUPT;
    if (rc != SQLITE_OK) {
        sb_names_free(nm);
        return rc;
    }
    nm->gen = gen;
    return SQLITE_OK;
}

static int cmp_idrank(const void *a, const void *b)
{
    const struct sb_idrank *x = a, *y = b;
    return (x->id > y->id) - (x->id < y->id);
}

int64_t sb_names_rank_of(sb_names *nm, int64_t id)
{
    if (nm->n == 0 || id <= 0)
        return -1;
    if (!nm->by_id) {
        if (!(nm->by_id = malloc(sizeof *nm->by_id * nm->n)))
            return -1;
        for (uint32_t r = 0; r < nm->n; r++)
            nm->by_id[r] = (struct sb_idrank){ nm->id[r], r };
        qsort(nm->by_id, nm->n, sizeof *nm->by_id, cmp_idrank);
    }
    size_t lo = 0, hi = nm->n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (nm->by_id[mid].id < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo < nm->n && nm->by_id[lo].id == id && nm->id[nm->by_id[lo].rank] == id)
        return nm->by_id[lo].rank;
    return -1;
}

/* ---- writing ------------------------------------------------------------- */

int sb_clear(sqlite3 *h)
{
    /* The meta row stays: the next base's number follows its number. */
    return sqlite3_exec(h, "DELETE FROM search_base; DELETE FROM search_base_names;"
                           " UPDATE search_base_meta SET n = 0;", NULL, NULL, NULL);
}

void sb_writer_init(sb_writer *w)
{
    memset(w, 0, sizeof *w);
}

static int flush_block(sb_writer *w)
{
    if (!w->blk.len)
        return SQLITE_OK;
    size_t need = w->outlen + 6 + (size_t)w->firstl + w->blk.len;
    if (need > w->outcap) {
        size_t cap = w->outcap ? w->outcap : 1 << 20;
        while (cap < need)
            cap *= 2;
        unsigned char *o = realloc(w->out, cap);
        if (!o)
            return SQLITE_NOMEM;
        w->out = o;
        w->outcap = cap;
    }
    unsigned char *p = w->out + w->outlen;
    uint32_t len = (uint32_t)w->blk.len;
    p[0] = (unsigned char)(w->firstl >> 8);
    p[1] = (unsigned char)w->firstl;
    memcpy(p + 2, &len, 4);
    memcpy(p + 6, w->first, (size_t)w->firstl);
    memcpy(p + 6 + w->firstl, w->blk.buf, w->blk.len);
    w->outlen = need;
    w->bytes += (int64_t)w->blk.len;
    w->blk.len = 0;
    memset(&w->blk.enc, 0, sizeof w->blk.enc);
    w->blocks++;
    return SQLITE_OK;
}

int sb_writer_add(sb_writer *w, const void *g, int gl, uint32_t rank, const char *tok, int tokl)
{
    if (gl > SB_GMAX || tokl > SB_TOKMAX)
        return SQLITE_TOOBIG;
    if (w->blk.len && w->blk.len + SB_ENTRY_MAX(gl, tokl) > SB_BLOCK_BYTES) {
        int rc = flush_block(w);
        if (rc != SQLITE_OK)
            return rc;
    }
    if (!w->blk.len)
        w->firstl = first_key(w->first, g, gl, rank, tok, tokl);
    return encode_entry(&w->blk, g, gl, rank, tok, tokl) ? SQLITE_OK : SQLITE_NOMEM;
}

int sb_writer_finish(sb_writer *w)
{
    int rc = flush_block(w);
    sb_block_free(&w->blk);
    return rc;
}

int sb_writer_insert(sb_writer *w, sqlite3 *h)
{
    sqlite3_stmt *ins;
    int rc = sqlite3_prepare_v2(h, "INSERT INTO search_base(first, data) VALUES (?1, ?2)", -1, &ins,
                                NULL);
    for (size_t at = 0; rc == SQLITE_OK && at < w->outlen;) {
        const unsigned char *p = w->out + at;
        int firstl = p[0] << 8 | p[1];
        uint32_t len;
        memcpy(&len, p + 2, 4);
        sqlite3_bind_blob(ins, 1, p + 6, firstl, SQLITE_STATIC);
        sqlite3_bind_blob(ins, 2, p + 6 + firstl, (int)len, SQLITE_STATIC);
        rc = sqlite3_step(ins) == SQLITE_DONE ? SQLITE_OK : sqlite3_errcode(h);
        sqlite3_reset(ins);
        at += 6 + (size_t)firstl + len;
    }
    sqlite3_finalize(ins);
    return rc;
}

void sb_writer_free(sb_writer *w)
{
    sb_block_free(&w->blk);
    free(w->out);
    memset(w, 0, sizeof *w);
}

int sb_names_writer_open(sb_names_writer *w, sqlite3 *h)
{
    memset(w, 0, sizeof *w);
    return sqlite3_prepare_v2(h, "INSERT INTO search_base_names(blk, data) VALUES (?1, ?2)", -1,
                              &w->ins, NULL);
}

static int flush_names(sb_names_writer *w)
{
    if (!w->len)
        return SQLITE_OK;
    sqlite3_bind_int64(w->ins, 1, (int64_t)((w->n - 1) / SB_NAMES_BLOCK));
    sqlite3_bind_blob(w->ins, 2, w->buf, (int)w->len, SQLITE_STATIC);
    int rc = sqlite3_step(w->ins);
    sqlite3_reset(w->ins);
    w->len = 0;
    w->prevl = 0;
    return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

static bool encode_name(unsigned char **buf, size_t *len, size_t *cap, unsigned char *prev,
                        int *prevl, const unsigned char *sk, int skl, int64_t id)
{
    if (skl > 255 || !reserve(buf, cap, *len + 32 + (size_t)skl))
        return false;
    int sh = shared_prefix(prev, *prevl, sk, skl);
    unsigned char *p = *buf + *len;
    int n = put_varint(p, (uint64_t)sh);
    n += put_varint(p + n, (uint64_t)(skl - sh));
    memcpy(p + n, sk + sh, (size_t)(skl - sh));
    n += skl - sh;
    n += put_varint(p + n, (uint64_t)id);
    *len += (size_t)n;
    memcpy(prev, sk, (size_t)skl);
    *prevl = skl;
    return true;
}

int sb_names_writer_add(sb_names_writer *w, const unsigned char *sk, int skl, int64_t id)
{
    if (w->n && w->n % SB_NAMES_BLOCK == 0) {
        int rc = flush_names(w);
        if (rc != SQLITE_OK)
            return rc;
    }
    w->n++;
    return encode_name(&w->buf, &w->len, &w->cap, w->prev, &w->prevl, sk, skl, id)
               ? SQLITE_OK : SQLITE_NOMEM;
}

int sb_names_writer_close(sb_names_writer *w, sqlite3 *h)
{
    int rc = flush_names(w);
    sqlite3_finalize(w->ins);
    free(w->buf);
    w->ins = NULL;
    w->buf = NULL;
    int64_t gen = 0, n = 0;
    if (rc == SQLITE_OK)
        rc = read_meta(h, &gen, &n);
    if (rc == SQLITE_OK) {
        sqlite3_stmt *st;
        rc = sqlite3_prepare_v2(h, "INSERT OR REPLACE INTO search_base_meta(id, gen, n)"
                                   " VALUES (1, ?1, ?2)", -1, &st, NULL);
        if (rc == SQLITE_OK) {
            /* Connections keep the names of the base they read by its
             * number: a new base needs a new one. */
            sqlite3_bind_int64(st, 1, gen + 1);
            sqlite3_bind_int64(st, 2, w->n);
            rc = sqlite3_step(st) == SQLITE_DONE ? SQLITE_OK : SQLITE_ERROR;
            sqlite3_finalize(st);
        }
    }
    return rc;
}

/* ---- changing one client ------------------------------------------------- */

struct entry {
    int goff, gl;
    uint32_t rank;
    int tokoff, tokl;
};

int sb_delete(sqlite3 *h, const void *g, int gl, uint32_t rank, const char *tok, int tokl)
{
    if (gl > SB_GMAX || tokl > SB_TOKMAX)
        return SQLITE_OK;   /* never written */
    unsigned char key[SB_GMAX + 4 + SB_TOKMAX];
    int kl = first_key(key, g, gl, rank, tok, tokl);
    sqlite3_stmt *st;
    int rc = sqlite3_prepare_v2(h, "SELECT first, data FROM search_base WHERE first <= ?1"
                                   " ORDER BY first DESC LIMIT 1", -1, &st, NULL);
    if (rc != SQLITE_OK)
        return rc;
    sqlite3_bind_blob(st, 1, key, kl, SQLITE_STATIC);
    if ((rc = sqlite3_step(st)) != SQLITE_ROW) {
        sqlite3_finalize(st);
        return rc == SQLITE_DONE ? SQLITE_OK : rc;
    }
    int oldl = sqlite3_column_bytes(st, 0), len = sqlite3_column_bytes(st, 1);
    unsigned char *old = malloc((size_t)oldl + 1), *data = malloc((size_t)len + 1);
    if (!old || !data) {
        free(old);
        free(data);
        sqlite3_finalize(st);
        return SQLITE_NOMEM;
    }
    memcpy(old, sqlite3_column_blob(st, 0), (size_t)oldl);
    memcpy(data, sqlite3_column_blob(st, 1), (size_t)len);
    sqlite3_finalize(st);

    /* Re-encode the block without the entry. */
    sb_cursor c = { .data = data, .len = len, .valid = true };
    unsigned char first[SB_GMAX + 4 + SB_TOKMAX];
    sb_block out = { 0 };
    int firstl = 0, kept = 0;
    bool found = false, first_gone = false, ok = true;
    while (ok && decode_entry(&c)) {
        if (!found && c.rank == rank && sb_cmp(c.g, c.gl, g, gl) == 0 &&
            sb_cmp(c.tok, c.tokl, tok, tokl) == 0) {
            found = true;
            first_gone = kept == 0;
            continue;
        }
        if (!kept)
            firstl = first_key(first, c.g, c.gl, c.rank, c.tok, c.tokl);
        ok = encode_entry(&out, c.g, c.gl, c.rank, c.tok, c.tokl);
        kept++;
    }
    rc = !ok ? SQLITE_NOMEM : SQLITE_OK;
    if (rc == SQLITE_OK && found) {
        sqlite3_stmt *w = NULL;
        if (kept == 0 || first_gone) {
            rc = sqlite3_prepare_v2(h, "DELETE FROM search_base WHERE first = ?1", -1, &w, NULL);
            if (rc == SQLITE_OK) {
                sqlite3_bind_blob(w, 1, old, oldl, SQLITE_STATIC);
                rc = sqlite3_step(w) == SQLITE_DONE ? SQLITE_OK : SQLITE_ERROR;
            }
            sqlite3_finalize(w);
            w = NULL;
            if (rc == SQLITE_OK && kept)
                rc = sqlite3_prepare_v2(h, "INSERT INTO search_base(data, first) VALUES (?1, ?2)",
                                        -1, &w, NULL);
        } else {
            rc = sqlite3_prepare_v2(h, "UPDATE search_base SET data = ?1 WHERE first = ?2", -1, &w,
                                    NULL);
            memcpy(first, old, (size_t)oldl);
            firstl = oldl;
        }
        if (rc == SQLITE_OK && w) {
            sqlite3_bind_blob(w, 1, out.buf, (int)out.len, SQLITE_STATIC);
            sqlite3_bind_blob(w, 2, first, firstl, SQLITE_STATIC);
            rc = sqlite3_step(w) == SQLITE_DONE ? SQLITE_OK : SQLITE_ERROR;
        }
        sqlite3_finalize(w);
    }
    sb_block_free(&out);
    free(old);
    free(data);
    return rc;
}

struct forget_ctx {
    unsigned char *out;
    size_t len, cap;
    unsigned char prev[256];
    int prevl;
    uint32_t i, wipe;
    bool ok;
};

static bool forget_one(void *p, const unsigned char *sk, int skl, int64_t id)
{
    struct forget_ctx *x = p;
    bool wipe = x->i++ == x->wipe;
    x->ok = encode_name(&x->out, &x->len, &x->cap, x->prev, &x->prevl, sk, wipe ? 0 : skl,
                        wipe ? 0 : id);
    return x->ok;
}

int sb_names_forget(sqlite3 *h, uint32_t rank)
{
    int64_t blk = rank / SB_NAMES_BLOCK;
    sqlite3_stmt *st;
    int rc = sqlite3_prepare_v2(h, "SELECT data FROM search_base_names WHERE blk = ?1", -1, &st, NULL);
    if (rc != SQLITE_OK)
        return rc;
    sqlite3_bind_int64(st, 1, blk);
    struct forget_ctx x = { .wipe = rank % SB_NAMES_BLOCK, .ok = true };
    if (sqlite3_step(st) == SQLITE_ROW &&
        !decode_names(sqlite3_column_blob(st, 0), sqlite3_column_bytes(st, 0), forget_one, &x))
        rc = x.ok ? SQLITE_CORRUPT : SQLITE_NOMEM;
    sqlite3_finalize(st);
    if (rc == SQLITE_OK && x.len) {
        rc = sqlite3_prepare_v2(h, "UPDATE search_base_names SET data = ?1 WHERE blk = ?2", -1, &st,
                                NULL);
        if (rc == SQLITE_OK) {
            sqlite3_bind_blob(st, 1, x.out, (int)x.len, SQLITE_STATIC);
            sqlite3_bind_int64(st, 2, blk);
            rc = sqlite3_step(st) == SQLITE_DONE ? SQLITE_OK : SQLITE_ERROR;
            sqlite3_finalize(st);
        }
    }
    free(x.out);
    return rc;
}
