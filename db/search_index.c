
/* Search-as-you-type index and query engine, ported from the 1M-client
 * study (design and figures: BENCHMARKS.md). */
#include "search_index.h"
#include "search_base.h"
#include "search_fold.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>

int SIDX_L_NAME = 3, SIDX_L_MAIL = 3, SIDX_L_DIG = 5;
int SIDX_MIN_DIG = 3, SIDX_MIN_MAIL = 3;   /* shortest prefix rows for digits / e-mail */
int SIDX_K_GROUPS = 32;
int SIDX_C_COLLECT = 2000;
int SIDX_BUDGET = 0;
int SIDX_OWN_TXN = 1;

/* ------------------------------------------------------------------ */
/* Index rows of one client                                             */

#define MAXROWS 256
typedef struct rowbuf {
    int n;
    struct { char key[128]; char lit[160]; char tok[128]; int kl, ll, tl; } r[MAXROWS];
} rowbuf;

static void rb_add(rowbuf *b, const char *key, int kl, const char *lit, int ll, const char *tok, int tl)
{
    if (kl > 127) kl = 127;
    if (ll > 159) ll = 159;
    if (tl > 127) tl = 127;
    for (int i = 0; i < b->n; i++)
        if (b->r[i].kl == kl && b->r[i].ll == ll && b->r[i].tl == tl &&
            !memcmp(b->r[i].key, key, (size_t)kl) && !memcmp(b->r[i].lit, lit, (size_t)ll) &&
            !memcmp(b->r[i].tok, tok, (size_t)tl))
            return;
    if (b->n >= MAXROWS) return;
    memcpy(b->r[b->n].key, key, (size_t)kl); b->r[b->n].kl = kl;
    memcpy(b->r[b->n].lit, lit, (size_t)ll); b->r[b->n].ll = ll;
    memcpy(b->r[b->n].tok, tok, (size_t)tl); b->r[b->n].tl = tl;
    b->n++;
}

/* marker: "" or "@"; f: folded token; l: literal lowercase (NULL = same as f) */
static void add_token(rowbuf *b, const char *marker, const char *f, int fl, const char *l, int ll, int lo, int L)
{
    char key[160];
    int ml = (int)strlen(marker);
    memcpy(key, marker, (size_t)ml);
    int lim = fl < L ? fl : L;
    for (int n = lo; n <= lim; n++) {
        memcpy(key + ml, f, (size_t)n);
        const char *lp = ""; int lpl = 0;
        if (l) {
            int pb = utf8_prefix_bytes(l, ll, n);
            if (pb != n || memcmp(l, f, (size_t)n)) { lp = l; lpl = pb; }
        }
        const char *tok = ""; int tl = 0;
        if (n == L && fl > L) { tok = l ? l : f; tl = l ? ll : fl; }
        rb_add(b, key, ml + n, lp, lpl, tok, tl);
    }
    if (fl > L) {
        if (ml + fl > 150) fl = 150 - ml;
        memcpy(key + ml, f, (size_t)fl);
        const char *lp = ""; int lpl = 0;
        if (l && (ll != fl || memcmp(l, f, (size_t)fl))) { lp = l; lpl = ll; }
        rb_add(b, key, ml + fl, lp, lpl, "", 0);
    }
}

static void name_word_cb(const char *lit, int litlen, const char *fold, int foldlen, void *ctx)
{
    add_token((rowbuf *)ctx, "", fold, foldlen, lit, litlen, 1, SIDX_L_NAME);
}

void phone_token(const char *e164, char *out, int outmax)
{
    int o = 0;
    if (!strncmp(e164, "+358", 4)) { out[o++] = '0'; e164 += 4; }
    else if (*e164 == '+') { out[o++] = '+'; e164++; }
    for (; *e164 && o < outmax - 1; e164++)
        if (*e164 >= '0' && *e164 <= '9') out[o++] = *e164;
    out[o] = 0;
}

void hetu_token(const char *h, char *out, int outmax)
{
    int o = 0;
    for (int i = 0; h[i] && o < outmax - 1; i++) {
        if (i == 6) continue;           /* century sign */
        char c = h[i];
        if (c >= 'A' && c <= 'Z') c = (char)(c + 32);
        out[o++] = c;
    }
    out[o] = 0;
}

int sidx_client_rows(const client *c, sidx_row_cb cb, void *ctx)
{
    static __thread rowbuf b;
    b.n = 0;
    split_words(c->last, name_word_cb, &b);
    split_words(c->first, name_word_cb, &b);
    char t[128];
    if (c->hetu[0]) { hetu_token(c->hetu, t, sizeof t); add_token(&b, "", t, (int)strlen(t), NULL, 0, SIDX_MIN_DIG, SIDX_L_DIG); }
    for (int k = 0; k < c->nphone; k++) { phone_token(c->phone[k], t, sizeof t); add_token(&b, "", t, (int)strlen(t), NULL, 0, SIDX_MIN_DIG, SIDX_L_DIG); }
    if (c->custno[0]) add_token(&b, "", c->custno, (int)strlen(c->custno), NULL, 0, SIDX_MIN_DIG, SIDX_L_DIG);
    for (int k = 0; k < c->nemail; k++) {
        int n = fold_keep(c->email[k], "@._-+", t, sizeof t);
        if (n) add_token(&b, "@", t, n, NULL, 0, SIDX_MIN_MAIL, SIDX_L_MAIL);
    }
    unsigned char sk[256];
    int skl = make_sortkey(c->last, c->first, c->birthday, sk, sizeof sk);
    for (int i = 0; i < b.n; i++) {
        sidx_row r = { b.r[i].key, b.r[i].kl, b.r[i].lit, b.r[i].ll, sk, skl, c->id, b.r[i].tok, b.r[i].tl };
        cb(&r, ctx);
    }
    return b.n;
}

/* ------------------------------------------------------------------ */
/* Query engine                                                        */

enum { W_NAME, W_DIGIT, W_EMAIL };


typedef struct qword {
    int cls;
    char f[128]; int fl;        /* folded */
    char q[256]; int ql;        /* literal lowercase */
    unsigned char ex[128]; int exl;  /* sort encoding, exact */
    unsigned char fo[128];      /* sort encoding, å/ä->A ö->O */
    int digits_only;
} qword;

typedef struct arow { const unsigned char *sk; int skl; int64_t id; } arow;

enum { S_STMT, S_ARRAY, S_BASE };
typedef struct src {
    int type;
    sqlite3_stmt *st;
    sb_cursor *cur;              /* S_BASE: entries of the group g */
    unsigned char g[SB_GMAX]; int gl;
    int filt;                    /* 0 none, 1 literal tok prefix, 2 folded tok prefix, 3 folded but not literal */
    const char *fp; int fpl;     /* filter prefix (folded for 2/3, literal for 1) */
    const char *fp2; int fp2l;   /* filt 3: literal prefix that must NOT match */
    arow *rows; int n, pos;
    const unsigned char *sk; int skl; int64_t id; int valid;
} src;

static void skfold_init(void);

#define NPOOL 160
#define MAXSRC 320
#define MAXW 8
#define NBPOOL 168   /* base cursors: one per row stream, and a few for enumerating */

struct sidx {
    sqlite3 *db;
    sqlite3_stmt *pool[NPOOL]; int npool_used;     /* streams that filter on tok */
    sqlite3_stmt *pool2[NPOOL]; int npool2_used;   /* plain streams (no tok column) */
    sqlite3_stmt *lit_first, *lit_next, *grp_first, *grp_next, *collect, *client;
    sqlite3_stmt *stat_eq, *stat_range;   /* NULL without search_stat */
    src srcs[MAXSRC]; int nsrc;
    sb_names names;                       /* the base's ranks, per rebuild */
    int base;                             /* the base has entries (this query) */
    sqlite3_stmt *bprobe;
    sqlite3_stmt *bfwd[NBPOOL]; sb_cursor bcur[NBPOOL]; int nbcur_used;
    char *arena; size_t arena_cap, arena_used;
    arow *crow; int crow_cap;
    sidx_stats *st;
};

static sqlite3_stmt *prep(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *s = NULL;
    if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) != SQLITE_OK) {
        fprintf(stderr, "prepare: %s\n%s\n", sqlite3_errmsg(db), sql);
        exit(1);
    }
    return s;
}

sidx *sidx_open(sqlite3 *db)
{
    sidx *s = calloc(1, sizeof *s);
    s->db = db;
    skfold_init();
    for (int i = 0; i < NPOOL; i++)
        s->pool[i] = prep(db, "SELECT sortkey, client_id, tok FROM search_key"
                              " WHERE key=?1 AND lit=?2 ORDER BY sortkey, client_id, tok");
    for (int i = 0; i < NPOOL; i++)
        s->pool2[i] = prep(db, "SELECT sortkey, client_id FROM search_key"
                               " WHERE key=?1 AND lit=?2 ORDER BY sortkey, client_id, tok");
    s->lit_first = prep(db, "SELECT lit FROM search_key WHERE key=?1 ORDER BY lit LIMIT 1");
    s->lit_next  = prep(db, "SELECT lit FROM search_key WHERE key=?1 AND lit>?2 ORDER BY lit LIMIT 1");
    s->grp_first = prep(db, "SELECT key, lit FROM search_key WHERE key>=?1 AND key<?2 ORDER BY key, lit LIMIT 1");
    s->grp_next  = prep(db, "SELECT key, lit FROM search_key WHERE key>?1 AND key<?2 ORDER BY key, lit LIMIT 1");
    s->collect   = prep(db, "SELECT key, lit, sortkey, client_id FROM search_key WHERE key>=?1 AND key<?2 LIMIT ?3");
    /* Phones and e-mail addresses, space-separated (neither contains one). */
    s->client    = prep(db, "SELECT hetu,"
                            " (SELECT group_concat(number, ' ') FROM client_phones WHERE client_id = c.id),"
                            " customer_no,"
                            " (SELECT group_concat(address, ' ') FROM client_emails WHERE client_id = c.id)"
                            " FROM clients c WHERE id=?1");
    if (sqlite3_prepare_v2(db, "SELECT n FROM search_stat WHERE key=?1", -1, &s->stat_eq, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(db, "SELECT total(n) FROM search_stat WHERE key>=?1 AND key<?2", -1, &s->stat_range, NULL) != SQLITE_OK) {
        sqlite3_finalize(s->stat_eq); s->stat_eq = s->stat_range = NULL;
    }
    s->names.gen = -1;
    s->bprobe = prep(db, SB_PROBE_SQL);
    for (int i = 0; i < NBPOOL; i++)
        s->bfwd[i] = prep(db, SB_FWD_SQL);
    s->arena_cap = 4u << 20;
    s->arena = malloc(s->arena_cap);
    s->crow_cap = 1 << 16;
    s->crow = malloc(sizeof(arow) * (size_t)s->crow_cap);
    return s;
}

void sidx_close(sidx *s)
{
    if (!s) return;
    for (int i = 0; i < NPOOL; i++) { sqlite3_finalize(s->pool[i]); sqlite3_finalize(s->pool2[i]); }
    sqlite3_finalize(s->lit_first); sqlite3_finalize(s->lit_next);
    sqlite3_finalize(s->grp_first); sqlite3_finalize(s->grp_next);
    sqlite3_finalize(s->collect); sqlite3_finalize(s->client);
    sqlite3_finalize(s->stat_eq); sqlite3_finalize(s->stat_range);
    sqlite3_finalize(s->bprobe);
    for (int i = 0; i < NBPOOL; i++) sqlite3_finalize(s->bfwd[i]);
    sb_names_free(&s->names);
    free(s->arena); free(s->crow); free(s);
}

sb_names *sidx_base_names(sidx *s)
{
    return sb_names_sync(s->db, &s->names) == SQLITE_OK ? &s->names : NULL;
}

/* ---- the base ---- */

/* key 0x00 lit 0x00: an entry's group in the base */
static int make_g(unsigned char *g, const char *key, int kl, const char *lit, int ll)
{
    if (kl + ll + 2 > SB_GMAX) return -1;
    memcpy(g, key, (size_t)kl); g[kl] = 0;
    memcpy(g + kl + 1, lit, (size_t)ll); g[kl + 1 + ll] = 0;
    return kl + ll + 2;
}

static sb_cursor *base_cursor(sidx *s)
{
    if (s->nbcur_used >= NBPOOL) return NULL;
    sb_cursor *c = &s->bcur[s->nbcur_used];
    memset(c, 0, sizeof *c);
    c->fwd = s->bfwd[s->nbcur_used++];
    return c;
}

static sb_cursor *base_seek(sidx *s, const void *t, int tl)
{
    sb_cursor *c = base_cursor(s);
    if (!c) return NULL;
    s->st->probes++;
    if (sb_seek(s->bprobe, c, t, tl) != SQLITE_OK) c->valid = false;
    return c;
}

/* The base entry's client, or 0 for a rank whose client has changed since. */
static int64_t base_client(sidx *s, const sb_cursor *c, const unsigned char **sk, int *skl)
{
    if (c->rank >= s->names.n) return 0;
    *sk = s->names.arena + s->names.off[c->rank];
    *skl = s->names.len[c->rank];
    return s->names.id[c->rank];
}

/* After a cursor is used up for enumerating: its statement goes back. */
static void base_release(sidx *s, sb_cursor *c)
{
    if (c && c == &s->bcur[s->nbcur_used - 1]) { sqlite3_reset(c->fwd); s->nbcur_used--; }
}

static void *arena_alloc(sidx *s, size_t n)
{
    n = (n + 7) & ~(size_t)7;
    if (s->arena_used + n > s->arena_cap) return NULL;
    void *p = s->arena + s->arena_used;
    s->arena_used += n;
    return p;
}

static int key_succ(const char *k, int kl, char *out)
{
    memcpy(out, k, (size_t)kl);
    out[kl - 1] = (char)((unsigned char)out[kl - 1] + 1);
    return kl;
}

static int starts_with(const char *s, int sl, const char *p, int pl)
{
    return sl >= pl && !memcmp(s, p, (size_t)pl);
}

/* folded compare of a literal lowercase UTF-8 token against folded prefix */
static int fold_starts_with(const char *tok, int tl, const char *f, int fl)
{
    int i = 0, j = 0;
    while (j < fl) {
        if (i >= tl) return 0;
        unsigned char c = (unsigned char)tok[i];
        char fc;
        if (c < 0x80) { fc = (char)c; i++; }
        else { uint32_t cp; i += utf8_dec((const unsigned char *)tok + i, (size_t)(tl - i), &cp); fc = cp_fold(cp); }
        if (fc != f[j]) return 0;
        j++;
    }
    return 1;
}

/* --- sources --- */

/* The rows of (key, lit) in result order: a stream over search_key and,
 * when there is a base, one over its entries of the same group. */
static void add_stmt_src(sidx *s, const char *key, int kl, const char *lit, int ll, int filt,
                         const char *fp, int fpl, const char *fp2, int fp2l)
{
    if (s->nsrc >= MAXSRC - 1 || s->npool_used >= NPOOL - 1 || s->npool2_used >= NPOOL) return;   /* pool[NPOOL-1]: sampling */
    src *x = &s->srcs[s->nsrc++];
    memset(x, 0, sizeof *x);
    x->type = S_STMT;
    x->st = filt ? s->pool[s->npool_used++] : s->pool2[s->npool2_used++];
    sqlite3_bind_text(x->st, 1, key, kl, SQLITE_TRANSIENT);
    sqlite3_bind_text(x->st, 2, lit, ll, SQLITE_TRANSIENT);
    x->filt = filt; x->fp = fp; x->fpl = fpl; x->fp2 = fp2; x->fp2l = fp2l;
    s->st->probes++;
    if (!s->base) return;
    src *b = &s->srcs[s->nsrc];
    memset(b, 0, sizeof *b);
    b->type = S_BASE;
    b->filt = filt; b->fp = fp; b->fpl = fpl; b->fp2 = fp2; b->fp2l = fp2l;
    if ((b->gl = make_g(b->g, key, kl, lit, ll)) < 0) return;
    if (!(b->cur = base_seek(s, b->g, b->gl))) return;
    s->nsrc++;
}

/* Does tok pass the stream's filter? */
static int tok_passes(const src *x, const char *tok, int tl)
{
    if (!x->filt) return 1;
    if (x->filt == 1 ? !starts_with(tok, tl, x->fp, x->fpl) : !fold_starts_with(tok, tl, x->fp, x->fpl))
        return 0;
    if (x->filt == 3 && starts_with(tok, tl, x->fp2, x->fp2l))
        return 0;
    return 1;
}

static void src_next(sidx *s, src *x)
{
    if (x->type == S_ARRAY) {
        if (x->pos < x->n) {
            x->sk = x->rows[x->pos].sk; x->skl = x->rows[x->pos].skl; x->id = x->rows[x->pos].id;
            x->pos++; x->valid = 1;
        } else x->valid = 0;
        return;
    }
    if (x->type == S_BASE) {
        sb_cursor *c = x->cur;
        while (c->valid && c->gl == x->gl && !memcmp(c->g, x->g, (size_t)x->gl)) {
            s->st->rows++;
            const unsigned char *sk; int skl;
            int ok = tok_passes(x, c->tok, c->tokl);
            int64_t id = ok ? base_client(s, c, &sk, &skl) : 0;
            sb_next(c);
            if (!id) continue;
            x->sk = sk; x->skl = skl; x->id = id; x->valid = 1;
            return;
        }
        x->valid = 0;
        return;
    }
    while (sqlite3_step(x->st) == SQLITE_ROW) {
        s->st->rows++;
        if (x->filt) {
            const char *tok = (const char *)sqlite3_column_text(x->st, 2);
            int tl = sqlite3_column_bytes(x->st, 2);
            if (!tok_passes(x, tok, tl))
                continue;
        }
        x->sk = sqlite3_column_blob(x->st, 0);
        x->skl = sqlite3_column_bytes(x->st, 0);
        x->id = sqlite3_column_int64(x->st, 1);
        x->valid = 1;
        return;
    }
    x->valid = 0;
}

static int cmp_sk(const unsigned char *a, int al, int64_t ai, const unsigned char *b, int bl, int64_t bi)
{
    int n = al < bl ? al : bl;
    int c = memcmp(a, b, (size_t)n);
    if (c) return c;
    if (al != bl) return al < bl ? -1 : 1;
    return ai < bi ? -1 : ai > bi;
}

static int arow_cmp(const void *pa, const void *pb)
{
    const arow *a = pa, *b = pb;
    return cmp_sk(a->sk, a->skl, a->id, b->sk, b->skl, b->id);
}

typedef struct grp { char *k; int kl; char *l; int ll; } grp;

/* Distinct (key, lit) groups of the base from lo on, while the key is
 * below hi (hi NULL: while the key is lo itself), into the arena; at most
 * max + 1. */
static int base_groups(sidx *s, const char *lo, int lol, const char *hi, int hil, grp *g, int max)
{
    unsigned char t[SB_GMAX + 2];
    int tl;
    if (hi) { if (lol > SB_GMAX) return 0; memcpy(t, lo, (size_t)lol); tl = lol; }
    else { if (lol + 1 > SB_GMAX) return 0; memcpy(t, lo, (size_t)lol); t[lol] = 0; tl = lol + 1; }
    sb_cursor *c = base_seek(s, t, tl);
    int n = 0;
    while (c && c->valid && n <= max) {
        if (hi ? sb_cmp(c->g, c->keyl, hi, hil) >= 0
               : (c->keyl != lol || memcmp(c->g, lo, (size_t)lol)))
            break;
        int ll = c->gl - c->keyl - 2;
        if (ll < 0) break;
        char *k = arena_alloc(s, (size_t)c->keyl + 1), *l = arena_alloc(s, (size_t)ll + 1);
        if (!k || !l) break;
        memcpy(k, c->g, (size_t)c->keyl); k[c->keyl] = 0;
        memcpy(l, c->g + c->keyl + 1, (size_t)ll); l[ll] = 0;
        g[n++] = (grp){ k, c->keyl, l, ll };
        /* the next group: past every entry of this one */
        memcpy(t, c->g, (size_t)c->gl - 1);
        t[c->gl - 1] = 1;
        tl = c->gl;
        s->st->probes++;
        if (sb_seek(s->bprobe, c, t, tl) != SQLITE_OK) break;
    }
    base_release(s, c);
    return n;
}

static int grp_cmp(const grp *a, const grp *b)
{
    int c = sb_cmp(a->k, a->kl, b->k, b->kl);
    return c ? c : sb_cmp(a->l, a->ll, b->l, b->ll);
}

/* Merges two sorted group lists into a (distinct, at most max + 1). */
static int merge_groups(grp *a, int na, const grp *b, int nb, int max, sidx *s)
{
    grp *m = arena_alloc(s, sizeof(grp) * (size_t)(na + nb + 1));
    if (!m) return na;
    int i = 0, j = 0, n = 0;
    while ((i < na || j < nb) && n <= max) {
        int c = i >= na ? 1 : j >= nb ? -1 : grp_cmp(&a[i], &b[j]);
        if (c <= 0) { m[n++] = a[i++]; if (c == 0) j++; }
        else m[n++] = b[j++];
    }
    memcpy(a, m, sizeof(grp) * (size_t)n);
    return n;
}

/* enumerate lits of one key: returns count, lits copied to arena */
static int enum_lits_rows(sidx *s, const char *key, int kl, char **lits, int *lls, int max);
static int enum_lits(sidx *s, const char *key, int kl, char **lits, int *lls, int max)
{
    int n = enum_lits_rows(s, key, kl, lits, lls, max);
    if (!s->base) return n;
    grp *a = arena_alloc(s, sizeof(grp) * (size_t)(2 * max + 2)), *b = arena_alloc(s, sizeof(grp) * (size_t)(max + 2));
    if (!a || !b) return n;
    for (int i = 0; i < n; i++) a[i] = (grp){ (char *)key, kl, lits[i], lls[i] };
    int nb = base_groups(s, key, kl, NULL, 0, b, max);
    n = merge_groups(a, n, b, nb, max, s);
    if (n > max) n = max;
    for (int i = 0; i < n; i++) { lits[i] = a[i].l; lls[i] = a[i].ll; }
    return n;
}

static int enum_lits_rows(sidx *s, const char *key, int kl, char **lits, int *lls, int max)
{
    int n = 0;
    sqlite3_stmt *q = s->lit_first;
    sqlite3_bind_text(q, 1, key, kl, SQLITE_STATIC);
    s->st->probes++;
    while (n < max && sqlite3_step(q) == SQLITE_ROW) {
        int ll = sqlite3_column_bytes(q, 0);
        char *l = arena_alloc(s, (size_t)ll + 1);
        if (!l) break;
        memcpy(l, sqlite3_column_text(q, 0), (size_t)ll); l[ll] = 0;
        lits[n] = l; lls[n] = ll; n++;
        sqlite3_reset(q);
        q = s->lit_next;
        sqlite3_bind_text(q, 1, key, kl, SQLITE_STATIC);
        sqlite3_bind_text(q, 2, l, ll, SQLITE_STATIC);
        s->st->probes++;
    }
    sqlite3_reset(q);
    return n;
}

/* enumerate distinct (key,lit) in [lo, hi); returns count (max+1 = overflow) */
static int enum_groups_rows(sidx *s, const char *lo, int lol, const char *hi, int hil, grp *g, int max);
static int enum_groups(sidx *s, const char *lo, int lol, const char *hi, int hil, grp *g, int max)
{
    int n = enum_groups_rows(s, lo, lol, hi, hil, g, max);
    if (!s->base || n > max) return n;
    grp *b = arena_alloc(s, sizeof(grp) * (size_t)(max + 2));
    if (!b) return max + 1;
    int nb = base_groups(s, lo, lol, hi, hil, b, max);
    return merge_groups(g, n, b, nb, max, s);
}

static int enum_groups_rows(sidx *s, const char *lo, int lol, const char *hi, int hil, grp *g, int max)
{
    int n = 0;
    sqlite3_stmt *q = s->grp_first;
    sqlite3_bind_text(q, 1, lo, lol, SQLITE_STATIC);
    sqlite3_bind_text(q, 2, hi, hil, SQLITE_STATIC);
    s->st->probes++;
    while (1) {
        if (sqlite3_step(q) != SQLITE_ROW) { sqlite3_reset(q); break; }
        int kl = sqlite3_column_bytes(q, 0), ll = sqlite3_column_bytes(q, 1);
        char *k = arena_alloc(s, (size_t)kl + 1), *l = arena_alloc(s, (size_t)ll + 1);
        if (!k || !l) { sqlite3_reset(q); return max + 1; }
        memcpy(k, sqlite3_column_text(q, 0), (size_t)kl); k[kl] = 0;
        memcpy(l, sqlite3_column_text(q, 1), (size_t)ll); l[ll] = 0;
        sqlite3_reset(q);
        if (n >= max) return max + 1;
        g[n].k = k; g[n].kl = kl; g[n].l = l; g[n].ll = ll; n++;
        /* more lits of the same key? */
        sqlite3_stmt *ln = s->lit_next;
        sqlite3_bind_text(ln, 1, k, kl, SQLITE_STATIC);
        const char *cur = l; int curl = ll;
        int m = 0;
        while (1) {
            sqlite3_bind_text(ln, 2, cur, curl, SQLITE_STATIC);
            s->st->probes++;
            if (sqlite3_step(ln) != SQLITE_ROW) { sqlite3_reset(ln); break; }
            int l2 = sqlite3_column_bytes(ln, 0);
            char *lp = arena_alloc(s, (size_t)l2 + 1);
            if (!lp) { sqlite3_reset(ln); return max + 1; }
            memcpy(lp, sqlite3_column_text(ln, 0), (size_t)l2); lp[l2] = 0;
            sqlite3_reset(ln);
            if (n >= max || m >= 64) return max + 1;
            g[n].k = k; g[n].kl = kl; g[n].l = lp; g[n].ll = l2; n++;
            m++;
            cur = lp; curl = l2;
        }
        q = s->grp_next;
        sqlite3_bind_text(q, 1, k, kl, SQLITE_STATIC);
        sqlite3_bind_text(q, 2, hi, hil, SQLITE_STATIC);
        s->st->probes++;
    }
    return n;
}

/* Collects up to C rows of [lo,hi) into p->ex (exact rows, or all rows when
 * exact_part is 0) and p->rest. Returns 0, or -1 on overflow. */
typedef struct nsplan {
    int kind;                  /* 0 undecided, K_* */
    char *key; int kl;         /* marker + folded word */
    grp *g; int ng;
    arow *ex, *rest; int nex, nrest;
    char **lits; int *lls; int nlits;   /* lits of key (prefix) or key0 (scan); -1 = not enumerated */
} nsplan;
enum { K_PREFIX = 1, K_GROUPS, K_COLLECT, K_SCAN };

static arow *sorted_copy(sidx *s, const arow *r, int n)
{
    arow *k = arena_alloc(s, sizeof(arow) * (size_t)(n ? n : 1));
    if (!k) return NULL;
    memcpy(k, r, sizeof(arow) * (size_t)n);
    qsort(k, (size_t)n, sizeof(arow), arow_cmp);
    return k;
}

static int collect(sidx *s, const char *lo, int lol, const char *hi, int hil, int exact_part, const qword *w, nsplan *p)
{
    sqlite3_stmt *q = s->collect;
    sqlite3_bind_text(q, 1, lo, lol, SQLITE_STATIC);
    sqlite3_bind_text(q, 2, hi, hil, SQLITE_STATIC);
    sqlite3_bind_int(q, 3, SIDX_C_COLLECT + 1);
    s->st->probes++;
    int nex = 0, nrest = 0, total = 0, cap = s->crow_cap / 2;
    arow *ex = s->crow, *rest = s->crow + cap;
    while (sqlite3_step(q) == SQLITE_ROW) {
        s->st->rows++;
        if (++total > SIDX_C_COLLECT || total > cap) { sqlite3_reset(q); return -1; }
        int is_ex = 1;
        if (exact_part) {
            const char *k = (const char *)sqlite3_column_text(q, 0); int kl = sqlite3_column_bytes(q, 0);
            const char *l = (const char *)sqlite3_column_text(q, 1); int ll = sqlite3_column_bytes(q, 1);
            is_ex = ll ? starts_with(l, ll, w->q, w->ql) : starts_with(k, kl, w->q, w->ql);
        }
        int skl = sqlite3_column_bytes(q, 2);
        unsigned char *sk = arena_alloc(s, (size_t)skl);
        if (!sk) { sqlite3_reset(q); return -1; }
        memcpy(sk, sqlite3_column_blob(q, 2), (size_t)skl);
        arow *r = is_ex ? &ex[nex++] : &rest[nrest++];
        r->sk = sk; r->skl = skl; r->id = sqlite3_column_int64(q, 3);
    }
    sqlite3_reset(q);
    sb_cursor *c = s->base ? base_seek(s, lo, lol) : NULL;
    for (; c && c->valid && sb_cmp(c->g, c->keyl, hi, hil) < 0; sb_next(c)) {
        s->st->rows++;
        const unsigned char *sk; int skl;
        int64_t id = base_client(s, c, &sk, &skl);
        if (!id) continue;
        if (++total > SIDX_C_COLLECT || total > cap) { base_release(s, c); return -1; }
        int is_ex = 1;
        if (exact_part) {
            int ll = c->gl - c->keyl - 2;
            const char *l = (const char *)c->g + c->keyl + 1;
            is_ex = ll > 0 ? starts_with(l, ll, w->q, w->ql) : starts_with((const char *)c->g, c->keyl, w->q, w->ql);
        }
        arow *r = is_ex ? &ex[nex++] : &rest[nrest++];
        r->sk = sk; r->skl = skl; r->id = id;
    }
    base_release(s, c);
    p->ex = sorted_copy(s, ex, nex); p->nex = nex;
    p->rest = sorted_copy(s, rest, nrest); p->nrest = nrest;
    if (!p->ex || !p->rest) return -1;
    return 0;
}

static src *add_array_src(sidx *s, arow *rows, int n)
{
    if (s->nsrc >= MAXSRC) return NULL;
    src *x = &s->srcs[s->nsrc++];
    memset(x, 0, sizeof *x);
    x->type = S_ARRAY; x->rows = rows; x->n = n;
    return x;
}

static void plan_lits(sidx *s, nsplan *p, int keylen)
{
    if (p->nlits >= 0) return;
    p->lits = arena_alloc(s, sizeof(char *) * 16);
    p->lls = arena_alloc(s, sizeof(int) * 16);
    p->nlits = enum_lits(s, p->key, keylen, p->lits, p->lls, 16);
}

/* Decides how word w is read in one namespace (once per query). */
static void plan_decide(sidx *s, const qword *w, const char *marker, int L, int is_name_ns, nsplan *p)
{
    int ml = (int)strlen(marker);
    p->key = arena_alloc(s, 160);
    memcpy(p->key, marker, (size_t)ml);
    memcpy(p->key + ml, w->f, (size_t)w->fl);
    p->kl = ml + w->fl;
    p->nlits = -1;
    if (w->fl <= L) { p->kind = K_PREFIX; return; }
    char *hi = arena_alloc(s, 160);
    int hil = key_succ(p->key, p->kl, hi);
    int exact_part = (w->cls == W_NAME && is_name_ns);
    if (is_name_ns) {
        /* name words: few distinct tokens per prefix -> merge their streams */
        int K = SIDX_K_GROUPS < 127 ? SIDX_K_GROUPS : 127;
        grp *g = arena_alloc(s, sizeof(grp) * (size_t)(K + 1));
        int n = enum_groups(s, p->key, p->kl, hi, hil, g, K);
        if (n <= K) { p->kind = K_GROUPS; p->g = g; p->ng = n; return; }
        if (collect(s, p->key, p->kl, hi, hil, exact_part, w, p) == 0) { p->kind = K_COLLECT; return; }
        p->kind = K_SCAN;
        return;
    }
    /* digits / e-mail: (nearly) unique tokens. Collect and sort them when
     * few, else read the L-prefix stream in result order with a filter.
     * n0 = rows under the L-prefix; a sample of that stream estimates the
     * share that matches. Scan cost ~ 50*n0/n, collect cost ~ n. */
    int k0l = ml + L;
    double n0 = -1;
    if (s->stat_eq) {
        sqlite3_bind_text(s->stat_eq, 1, p->key, k0l, SQLITE_STATIC);
        if (sqlite3_step(s->stat_eq) == SQLITE_ROW) n0 = sqlite3_column_double(s->stat_eq, 0); else n0 = 0;
        sqlite3_reset(s->stat_eq);
        s->st->probes++;
    }
    int try_collect = 1;
    if (n0 > SIDX_C_COLLECT) {
        sqlite3_stmt *q = s->pool[NPOOL - 1];
        sqlite3_bind_text(q, 1, p->key, k0l, SQLITE_STATIC);
        sqlite3_bind_text(q, 2, "", 0, SQLITE_STATIC);
        s->st->probes++;
        int m = 0, h = 0;
        while (m < 256 && sqlite3_step(q) == SQLITE_ROW) {
            s->st->rows++; m++;
            const char *tok = (const char *)sqlite3_column_text(q, 2);
            if (starts_with(tok, sqlite3_column_bytes(q, 2), w->f, w->fl)) h++;
        }
        sqlite3_reset(q);
        unsigned char g0[SB_GMAX];
        int g0l = s->base ? make_g(g0, p->key, k0l, "", 0) : -1;
        sb_cursor *c = g0l > 0 ? base_seek(s, g0, g0l) : NULL;
        for (; c && c->valid && m < 256 && c->gl == g0l && !memcmp(c->g, g0, (size_t)g0l); sb_next(c)) {
            s->st->rows++; m++;
            if (starts_with(c->tok, c->tokl, w->f, w->fl)) h++;
        }
        base_release(s, c);
        double est = m ? n0 * h / m : 0;
        if (est > sqrt(50.0 * n0)) try_collect = 0;
    }
    if (try_collect && collect(s, p->key, p->kl, hi, hil, exact_part, w, p) == 0) { p->kind = K_COLLECT; return; }
    p->kind = K_SCAN;
}

enum { M_EXACT, M_REST, M_MAIL };

/* Adds the sources of word w in one namespace for a pass.
 * M_EXACT: rows where the word matches letter for letter (name words in the
 *          name namespace), or all rows (other words / namespaces).
 * M_REST:  the folded-only rest, read only for name words. */
static void ns_sources(sidx *s, const qword *w, const char *marker, int L, int is_name_ns, int mode,
                       nsplan *p, char *plan, size_t plansz)
{
    /* mode is M_EXACT or M_REST for a name word in the name namespace,
     * M_EXACT meaning "everything" otherwise (see word_sources) */
    int exact_part = w->cls == W_NAME && is_name_ns;
    int want_exact = mode == M_EXACT && exact_part;   /* only the exact part */
    int want_rest = mode == M_REST && exact_part;     /* only the folded rest */
    if (!is_name_ns && w->fl < (marker[0] == '@' ? SIDX_MIN_MAIL : SIDX_MIN_DIG)) {
        size_t l = strlen(plan);
        snprintf(plan + l, plansz - l, "%sshort", l ? "+" : "");
        return;
    }
    if (!p->kind) plan_decide(s, w, marker, L, is_name_ns, p);
    size_t pl = strlen(plan);
    int ml = (int)strlen(marker);
    int used = 0;
    switch (p->kind) {
    case K_PREFIX: {
        int same = (w->ql == w->fl && !memcmp(w->q, w->f, (size_t)w->fl));
        const char *exl = same ? "" : w->q; int exll = same ? 0 : w->ql;
        if (want_exact) { add_stmt_src(s, p->key, p->kl, exl, exll, 0, NULL, 0, NULL, 0); used = 1; }
        else {
            plan_lits(s, p, p->kl);
            for (int i = 0; i < p->nlits; i++) {
                int is_ex = p->lls[i] == exll && !memcmp(p->lits[i], exl, (size_t)exll);
                if (want_rest && is_ex) continue;
                add_stmt_src(s, p->key, p->kl, p->lits[i], p->lls[i], 0, NULL, 0, NULL, 0); used++;
            }
        }
        snprintf(plan + pl, plansz - pl, "%sP%d", pl ? "+" : "", used);
        break;
    }
    case K_GROUPS:
        for (int i = 0; i < p->ng; i++) {
            if (want_exact || want_rest) {
                const char *lit = p->g[i].ll ? p->g[i].l : p->g[i].k; int litl = p->g[i].ll ? p->g[i].ll : p->g[i].kl;
                int is_ex = starts_with(lit, litl, w->q, w->ql);
                if (is_ex != want_exact) continue;
            }
            add_stmt_src(s, p->g[i].k, p->g[i].kl, p->g[i].l, p->g[i].ll, 0, NULL, 0, NULL, 0); used++;
        }
        snprintf(plan + pl, plansz - pl, "%sG%d/%d", pl ? "+" : "", used, p->ng);
        break;
    case K_COLLECT:
        if (want_exact) { add_array_src(s, p->ex, p->nex); used = p->nex; }
        else if (want_rest) { add_array_src(s, p->rest, p->nrest); used = p->nrest; }
        else { add_array_src(s, p->ex, p->nex); add_array_src(s, p->rest, p->nrest); used = p->nex + p->nrest; }
        snprintf(plan + pl, plansz - pl, "%sC%d", pl ? "+" : "", used);
        break;
    case K_SCAN: {
        /* Many distinct tokens and many rows: read the L-prefix stream in
         * result order and filter on the whole token carried in tok. */
        int pb = utf8_prefix_bytes(w->q, w->ql, L);
        int k0l = ml + L;
        int same = (pb == L && !memcmp(w->q, w->f, (size_t)L));
        const char *l0 = same ? "" : w->q; int l0l = same ? 0 : pb;
        if (want_exact) { add_stmt_src(s, p->key, k0l, l0, l0l, 1, w->q, w->ql, NULL, 0); used = 1; }
        else {
            plan_lits(s, p, k0l);
            for (int i = 0; i < p->nlits; i++) {
                int is_l0 = p->lls[i] == l0l && !memcmp(p->lits[i], l0, (size_t)l0l);
                int rest_of_l0 = want_rest && is_l0;
                add_stmt_src(s, p->key, k0l, p->lits[i], p->lls[i], rest_of_l0 ? 3 : 2, w->f, w->fl,
                             rest_of_l0 ? w->q : NULL, rest_of_l0 ? w->ql : 0);
                used++;
            }
        }
        snprintf(plan + pl, plansz - pl, "%sS%d", pl ? "+" : "", used);
        break;
    }
    }
}

/* Pass 1 (M_EXACT): name words letter for letter in the name namespace;
 *   digit and e-mail words: everything.
 * Pass 2 (M_REST): name words, folded-only rest of the name namespace.
 * Pass 3 (M_MAIL): a single name word as an e-mail prefix. */
static void word_sources(sidx *s, const qword *w, int mode, nsplan *p, char *plan, size_t plansz)
{
    switch (w->cls) {
    case W_NAME:
        if (mode == M_MAIL) ns_sources(s, w, "@", SIDX_L_MAIL, 0, M_EXACT, &p[1], plan, plansz);
        else ns_sources(s, w, "", SIDX_L_NAME, 1, mode, &p[0], plan, plansz);
        break;
    case W_DIGIT:
        if (mode == M_EXACT) ns_sources(s, w, "", SIDX_L_DIG, 0, M_EXACT, &p[0], plan, plansz);
        break;
    case W_EMAIL:
        if (mode == M_EXACT) ns_sources(s, w, "@", SIDX_L_MAIL, 0, M_EXACT, &p[0], plan, plansz);
        break;
    }
}

/* --- query parsing --- */

static int is_hetu_like(const char *c)
{
    for (int i = 0; i < 6; i++) if (c[i] < '0' || c[i] > '9') return 0;
    char m = c[6];
    if (!(m == '-' || m == '+' || (m >= 'a' && m <= 'f') || (m >= 'u' && m <= 'y'))) return 0;
    for (int i = 7; c[i]; i++)
        if (!((c[i] >= '0' && c[i] <= '9') || (c[i] >= 'a' && c[i] <= 'y'))) return 0;
    return 1;
}

static void set_digit_word(qword *w, const char *d)
{
    w->cls = W_DIGIT;
    int o = 0;
    if (!strncmp(d, "+358", 4)) { w->f[o++] = '0'; d += 4; }
    else if (!strncmp(d, "00358", 5)) { w->f[o++] = '0'; d += 5; }
    else if (*d == '+') { w->f[o++] = '+'; d++; }
    for (; *d && o < 120; d++)
        if ((*d >= '0' && *d <= '9') || (*d >= 'a' && *d <= 'z')) w->f[o++] = *d;
    w->f[o] = 0; w->fl = o;
    memcpy(w->q, w->f, (size_t)o + 1); w->ql = o;
    w->digits_only = 1;
    for (int i = 0; i < o; i++) if (w->f[i] < '0' || w->f[i] > '9') w->digits_only = 0;
}

typedef struct wlist { qword w[MAXW]; int n; } wlist;

static void name_cb(const char *lit, int litlen, const char *fold, int foldlen, void *ctx)
{
    wlist *wl = ctx;
    if (wl->n >= MAXW || litlen > 250 || foldlen > 120) return;
    qword *w = &wl->w[wl->n++];
    memset(w, 0, sizeof *w);
    w->cls = W_NAME;
    memcpy(w->f, fold, (size_t)foldlen); w->fl = foldlen;
    memcpy(w->q, lit, (size_t)litlen); w->ql = litlen;
    w->exl = sort_encode_word(lit, litlen, w->ex, sizeof w->ex);
    for (int i = 0; i < w->exl; i++)
        w->fo[i] = (w->ex[i] == SK_AA || w->ex[i] == SK_AE) ? 'A' : w->ex[i] == SK_OE ? 'O' : w->ex[i];
}

static void parse_query(const char *query, wlist *wl)
{
    char low[512];
    lower_keep(query, " +-()@._'\t", low, sizeof low);
    wl->n = 0;
    /* the whole query looks like a phone number or a hetu typed with spaces */
    int phoneish = 1, digits = 0;
    const char *p = low;
    while (*p == ' ' || *p == '\t') p++;
    if (!(*p == '+' || (*p >= '0' && *p <= '9'))) phoneish = 0;
    for (const char *c = p; *c && phoneish; c++) {
        if (*c >= '0' && *c <= '9') digits++;
        else if (!strchr(" +-()\t", *c)) phoneish = 0;
    }
    if (phoneish && (digits || *p == '+')) {
        qword *w = &wl->w[wl->n++];
        memset(w, 0, sizeof *w);
        set_digit_word(w, p);
        if (w->fl == 0) wl->n--;
        return;
    }
    char *save = NULL;
    for (char *chunk = strtok_r(low, " \t", &save); chunk && wl->n < MAXW; chunk = strtok_r(NULL, " \t", &save)) {
        int has_digit = 0, has_at_dot = 0, has_alpha = 0;
        for (char *c = chunk; *c; c++) {
            if (*c >= '0' && *c <= '9') has_digit = 1;
            else if (*c == '@' || *c == '.') has_at_dot = 1;
            else if ((unsigned char)*c >= 0x80 || (*c >= 'a' && *c <= 'z')) has_alpha = 1;
        }
        if ((int)strlen(chunk) >= 7 && is_hetu_like(chunk)) {
            char h[64]; int o = 0;
            for (int i = 0; chunk[i] && o < 60; i++) if (i != 6) h[o++] = chunk[i];
            h[o] = 0;
            qword *w = &wl->w[wl->n++]; memset(w, 0, sizeof *w);
            set_digit_word(w, h);
        } else if (has_digit && !has_alpha && !has_at_dot) {
            qword *w = &wl->w[wl->n++]; memset(w, 0, sizeof *w);
            set_digit_word(w, chunk);
            if (w->fl == 0) wl->n--;
        } else if (has_at_dot || has_digit) {
            qword *w = &wl->w[wl->n++]; memset(w, 0, sizeof *w);
            w->cls = W_EMAIL;
            w->fl = fold_keep(chunk, "@._-+", w->f, sizeof w->f);
            memcpy(w->q, w->f, (size_t)w->fl + 1); w->ql = w->fl;
            if (w->fl == 0) wl->n--;
        } else {
            split_words(chunk, name_cb, wl);
        }
    }
}

/* --- filters --- */

/* 0: no name word of the sort key starts with w, 1: only when folded
 * (å/ä -> a, ö -> o), 2: letter for letter. */
static unsigned char SKFOLD[256];
static void skfold_init(void)
{
    for (int i = 0; i < 256; i++) SKFOLD[i] = (unsigned char)i;
    SKFOLD[SK_AA] = 'A'; SKFOLD[SK_AE] = 'A'; SKFOLD[SK_OE] = 'O';
}

static int name_in_sortkey(const qword *w, const unsigned char *sk, int skl)
{
    const unsigned char *ex = w->ex, *fo = w->fo;
    int pl = w->exl, best = 0;
    int i = 0;
    while (i < skl && sk[i] != SK_END) {
        /* sk[i] is at a word start */
        if (i + pl <= skl && SKFOLD[sk[i]] == fo[0]) {
            int j = 1;
            while (j < pl && SKFOLD[sk[i + j]] == fo[j]) j++;
            if (j == pl) {
                if (!memcmp(sk + i, ex, (size_t)pl)) return 2;
                best = 1;
            }
        }
        while (i < skl && sk[i] > SK_SEP_WORD) i++;   /* skip rest of word */
        if (i < skl && sk[i] != SK_END) i++;          /* skip separator */
    }
    return best;
}

/* Does any space-separated phone (mail = 0) or address (mail = 1) start with w? */
static int any_token_match(const char *list, const qword *w, int mail)
{
    char one[128], t[128];
    while (list && *list) {
        const char *sp = strchr(list, ' ');
        int len = sp ? (int)(sp - list) : (int)strlen(list);
        if (len > 0 && len < (int)sizeof one) {
            memcpy(one, list, (size_t)len);
            one[len] = 0;
            if (mail) {
                int n = fold_keep(one, "@._-+", t, sizeof t);
                if (starts_with(t, n, w->f, w->fl)) return 1;
            } else {
                phone_token(one, t, sizeof t);
                if (starts_with(t, (int)strlen(t), w->f, w->fl)) return 1;
            }
        }
        list = sp ? sp + 1 : NULL;
    }
    return 0;
}

static int lookup_match(sidx *s, const qword *w, int64_t id)
{
    sqlite3_stmt *q = s->client;
    sqlite3_bind_int64(q, 1, id);
    s->st->lookups++;
    int ok = 0;
    if (sqlite3_step(q) == SQLITE_ROW) {
        char t[128];
        const char *hetu = (const char *)sqlite3_column_text(q, 0);
        const char *phone = (const char *)sqlite3_column_text(q, 1);
        const char *cust = (const char *)sqlite3_column_text(q, 2);
        const char *email = (const char *)sqlite3_column_text(q, 3);
        if (w->cls == W_DIGIT) {
            if (hetu) { hetu_token(hetu, t, sizeof t); ok |= starts_with(t, (int)strlen(t), w->f, w->fl); }
            ok |= any_token_match(phone, w, 0);
            if (cust) ok |= starts_with(cust, (int)strlen(cust), w->f, w->fl);
        } else {
            ok = any_token_match(email, w, 1);
        }
    }
    sqlite3_reset(q);
    return ok;
}

static int filter_level(sidx *s, const qword *w, const unsigned char *sk, int skl, int64_t id)
{
    if (w->cls == W_NAME) return name_in_sortkey(w, sk, skl);
    if (w->cls == W_DIGIT && w->digits_only && w->fl <= 6) {
        int day = (sk[skl - 2] << 8) | sk[skl - 1], y, m, d;
        civil_from_days(day, &y, &m, &d);
        char b[8];
        snprintf(b, sizeof b, "%02d%02d%02d", d, m, y % 100);
        return memcmp(b, w->f, (size_t)w->fl) ? 0 : 2;
    }
    return lookup_match(s, w, id) ? 2 : 0;
}

/* --- search --- */

static void reset_sources(sidx *s)
{
    for (int i = 0; i < s->npool_used; i++) { sqlite3_reset(s->pool[i]); sqlite3_clear_bindings(s->pool[i]); }
    for (int i = 0; i < s->npool2_used; i++) { sqlite3_reset(s->pool2[i]); sqlite3_clear_bindings(s->pool2[i]); }
    for (int i = 0; i < s->nbcur_used; i++) { sqlite3_reset(s->bfwd[i]); sqlite3_clear_bindings(s->bfwd[i]); }
    s->npool_used = s->npool2_used = s->nbcur_used = 0;
    s->nsrc = 0;
}

/* Estimated number of rows a word's stream will yield (plans only). */
static double estimate(sidx *s, const qword *w)
{
    if (w->cls == W_EMAIL) return 10;
    if (w->cls == W_DIGIT) return w->fl >= 6 ? 10 : w->fl >= 4 ? 3000 : 1e7;
    if (!s->stat_eq) return 1e6 / (w->fl + 1);
    sqlite3_stmt *q;
    if (w->fl <= SIDX_L_NAME) {
        q = s->stat_eq;
        sqlite3_bind_text(q, 1, w->f, w->fl, SQLITE_STATIC);
    } else {
        q = s->stat_range;
        char hi[160];
        int hil = key_succ(w->f, w->fl, hi);
        sqlite3_bind_text(q, 1, w->f, w->fl, SQLITE_STATIC);
        sqlite3_bind_text(q, 2, hi, hil, SQLITE_TRANSIENT);
    }
    double n = 0;
    if (sqlite3_step(q) == SQLITE_ROW) n = sqlite3_column_double(q, 0);
    sqlite3_reset(q);
    s->st->probes++;
    return n;
}

/* Lowest match level over the words other than the driver (2 = all exact). */
static int filters_level(sidx *s, const wlist *wl, int drv, const unsigned char *sk, int skl, int64_t id)
{
    int lvl = 2;
    for (int i = 0; i < wl->n && lvl; i++) {
        const qword *w = &wl->w[i];
        /* the driver's own stream already proves a name match; other kinds
         * re-check so that multi-word semantics do not depend on the driver */
        if (i == drv && (w->cls == W_NAME || wl->n == 1)) continue;
        int l = filter_level(s, w, sk, skl, id);
        if (l < lvl) lvl = l;
    }
    return lvl;
}

int sidx_search(sidx *s, const char *query, int64_t *ids, int max, sidx_stats *st)
{
    sidx_stats dummy;
    if (!st) st = &dummy;
    memset(st, 0, sizeof *st);
    s->st = st;
    s->arena_used = 0;
    wlist wl;
    parse_query(query, &wl);
    st->words = wl.n;
    if (wl.n == 0 || max <= 0) return 0;
    /* One read transaction for the whole keystroke: every autocommit
     * statement would otherwise take and drop the file lock (~11 syscalls). */
    int own_txn = SIDX_OWN_TXN && sqlite3_get_autocommit(s->db);
    if (own_txn) sqlite3_exec(s->db, "BEGIN", NULL, NULL, NULL);
    /* The base's ranks in memory match the base on disk (reloaded after a
     * rebuild, also by another process). Without them, search the rows. */
    s->base = sb_names_sync(s->db, &s->names) == SQLITE_OK && s->names.n > 0;

    int drv = 0, any_name = 0;
    double best = 0;
    for (int i = 0; i < wl.n; i++) {
        const qword *w = &wl.w[i];
        if (w->cls == W_NAME) any_name = 1;
        double e = wl.n == 1 ? 0 : estimate(s, w);
        if (i == 0 || e < best || (e == best && w->fl > wl.w[drv].fl)) { best = e; drv = i; }
    }
    st->driver = drv;
    qword dw = wl.w[drv];
    nsplan plans[2];
    memset(plans, 0, sizeof plans);

    int n = 0, nrem = 0;
    arow *rem = arena_alloc(s, sizeof(arow) * (size_t)max);
    int64_t examined = 0;
    for (int pass = 0; pass < 3 && n < max; pass++) {
        int mode = pass == 0 ? M_EXACT : pass == 1 ? M_REST : M_MAIL;
        if (pass == 1 && !any_name) continue;
        if (pass == 2 && (wl.n > 1 || dw.cls != W_NAME)) continue;
        st->passes++;
        size_t used = strlen(st->plan);
        char *plan = st->plan + used;
        size_t plansz = sizeof st->plan - used;
        if (pass > 0 && plansz > 2) { *plan++ = '|'; *plan = 0; plansz--; }
        reset_sources(s);
        word_sources(s, &dw, mode, plans, plan, plansz);
        if (pass == 1 && nrem) add_array_src(s, rem, nrem);
        for (int i = 0; i < s->nsrc; i++) src_next(s, &s->srcs[i]);
        int64_t last_id = -1;
        unsigned char cursk[256];
        while (n < max) {
            src *m = NULL;
            if (s->nsrc == 1) m = s->srcs[0].valid ? &s->srcs[0] : NULL;
            else for (int i = 0; i < s->nsrc; i++) {
                src *x = &s->srcs[i];
                if (x->valid && (!m || cmp_sk(x->sk, x->skl, x->id, m->sk, m->skl, m->id) < 0)) m = x;
            }
            if (!m) break;
            int64_t id = m->id;
            int skl = m->skl < (int)sizeof cursk ? m->skl : (int)sizeof cursk;
            memcpy(cursk, m->sk, (size_t)skl);
            src_next(s, m);
            if (id == last_id) continue;
            last_id = id;
            if (SIDX_BUDGET && ++examined > SIDX_BUDGET) { st->truncated = 1; break; }
            if (pass > 0) {
                int dup = 0;
                for (int i = 0; i < n; i++) if (ids[i] == id) { dup = 1; break; }
                if (dup) continue;
                if (filters_level(s, &wl, drv, cursk, skl, id)) ids[n++] = id;
                continue;
            }
            int lvl = filters_level(s, &wl, drv, cursk, skl, id);
            if (lvl == 2) ids[n++] = id;
            else if (lvl == 1 && nrem < max) {
                /* exact driver, folded-only other word: tier 2, keep for pass 2 */
                unsigned char *k = arena_alloc(s, (size_t)skl);
                if (k) { memcpy(k, cursk, (size_t)skl); rem[nrem].sk = k; rem[nrem].skl = skl; rem[nrem].id = id; nrem++; }
            }
        }
        reset_sources(s);
        if (st->truncated) break;
    }
    if (own_txn) sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL);
    return n;
}

