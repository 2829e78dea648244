/* The audit hash chain over db/db_audit.c's rows. */
#include "audit.h"

#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static const struct {
    const char *name, *desc;
} action_table[RK_AUDIT_ACTION_COUNT] = {
#define X(id, n, d) [RK_AUDIT_##id] = { n, d },
    RK_AUDIT_ACTIONS(X)
#undef X
};

const char *rk_audit_action_name(rk_audit_action a)
{
    return (int)a >= 0 && a < RK_AUDIT_ACTION_COUNT ? action_table[a].name : "?";
}

/* Unknown names (from a newer program) are shown as stored. */
const char *rk_audit_action_description(const char *stored_name)
{
    if (!stored_name)
        return "?";
    for (int a = 0; a < RK_AUDIT_ACTION_COUNT; a++)
        if (strcmp(stored_name, action_table[a].name) == 0)
            return _(action_table[a].desc);
    return stored_name;
}

void rk_audit_derive_key(const unsigned char dbkey[RK_KEY_BYTES],
                         unsigned char audit_key[RK_KEY_BYTES])
{
    crypto_kdf_derive_from_key(audit_key, RK_KEY_BYTES, 1, "rkaudit_", dbkey);
}

/* Serialisation: every field is length-prefixed (u64 little-endian), so no
 * two different rows feed the same bytes to the hash. */
static void put_u64(crypto_generichash_state *s, uint64_t v)
{
    unsigned char b[8];
    for (int i = 0; i < 8; i++)
        b[i] = (unsigned char)(v >> (8 * i));
    crypto_generichash_update(s, b, sizeof b);
}

static void put_bytes(crypto_generichash_state *s, const void *p, size_t n)
{
    put_u64(s, n);
    crypto_generichash_update(s, p, n);
}

static void put_str(crypto_generichash_state *s, const char *str, size_t max)
{
    put_bytes(s, str, strnlen(str, max));
}

static void put_i64(crypto_generichash_state *s, int64_t v)
{
    unsigned char b[8];
    uint64_t u = (uint64_t)v;
    for (int i = 0; i < 8; i++)
        b[i] = (unsigned char)(u >> (8 * i));
    put_bytes(s, b, sizeof b);
}

void rk_audit_row_hash(const unsigned char audit_key[RK_KEY_BYTES], const rk_audit_row *row,
                       unsigned char out[RK_AUDIT_HASH_BYTES])
{
    static const char tag[] = "rekisteri audit row v1";
    crypto_generichash_state s;
    crypto_generichash_init(&s, audit_key, RK_KEY_BYTES, RK_AUDIT_HASH_BYTES);
    put_bytes(&s, tag, sizeof tag - 1);
    put_i64(&s, row->seq);
    put_str(&s, row->ts, sizeof row->ts);
    put_str(&s, row->user, sizeof row->user);
    put_str(&s, row->action, sizeof row->action);
    put_i64(&s, row->client_id);
    put_str(&s, row->details, sizeof row->details);
    put_str(&s, row->terminal, sizeof row->terminal);
    put_bytes(&s, row->prev_hash, RK_AUDIT_HASH_BYTES);
    crypto_generichash_final(&s, out, RK_AUDIT_HASH_BYTES);
    sodium_memzero(&s, sizeof s);
}

static bool set_field(char *dst, size_t size, const char *src)
{
    size_t n = strlen(src);
    if (n >= size)
        return false;
    memcpy(dst, src, n + 1);
    return true;
}

int rk_audit_append(rk_db *db, const unsigned char audit_key[RK_KEY_BYTES], const char *ts,
                    const char *user, rk_audit_action action, int64_t client_id,
                    const char *details, const char *terminal, rk_err *err)
{
    if ((int)action < 0 || action >= RK_AUDIT_ACTION_COUNT)
        return rk_err_set(err, RK_EFAIL, _("Cannot write to the audit log: unknown action %d."),
                          (int)action);
    rk_audit_row row;
    memset(&row, 0, sizeof row);
    char now[32], term[sizeof row.terminal];
    if (!ts)
        ts = rk_now_iso(now);
    if (!terminal)
        terminal = rk_audit_terminal(term, sizeof term);
    if (!set_field(row.ts, sizeof row.ts, ts) ||
        !set_field(row.user, sizeof row.user, user ? user : "") ||
        !set_field(row.action, sizeof row.action, action_table[action].name) ||
        !set_field(row.details, sizeof row.details, details ? details : "") ||
        !set_field(row.terminal, sizeof row.terminal, terminal))
        return rk_err_set(err, RK_EFAIL,
                          _("Cannot write the event %s to the audit log: a field is too long."),
                          action_table[action].name);
    row.client_id = client_id;

    int64_t last = 0;
    int rc = rk_dba_last(db, &last, row.prev_hash, err);
    if (rc)
        return rc;
    row.seq = last + 1;
    rk_audit_row_hash(audit_key, &row, row.hash);
    return rk_dba_insert(db, &row, err);
}

/* ---- verification ---- */

struct verify_ctx {
    const unsigned char *key;
    int64_t prev_seq;                         /* 0 before the first row */
    unsigned char prev_hash[RK_AUDIT_HASH_BYTES];
    int64_t ok_rows;
    int64_t last_seq;                         /* highest seq stored */
    int64_t bad;
    rk_err *err;
};

/* A row whose hash fails under its own seq but holds under another was
 * written at that other position: it was moved, or rows were renumbered. */
static int64_t written_as(const struct verify_ctx *v, const rk_audit_row *row)
{
    enum { WINDOW = 10000 };
    rk_audit_row probe = *row;
    unsigned char h[RK_AUDIT_HASH_BYTES];
    int64_t lo = row->seq > WINDOW ? row->seq - WINDOW : 1;
    int64_t hi = (v->last_seq > row->seq ? v->last_seq : row->seq) + 1;
    if (hi - row->seq > WINDOW)
        hi = row->seq + WINDOW;
    for (int64_t s = lo; s <= hi; s++) {
        if (s == row->seq)
            continue;
        probe.seq = s;
        rk_audit_row_hash(v->key, &probe, h);
        if (sodium_memcmp(h, row->hash, sizeof h) == 0)
            return s;
    }
    return 0;
}

static int verify_row(void *ctx, const rk_audit_row *row)
{
    struct verify_ctx *v = ctx;
    int64_t want = v->prev_seq + 1;
    v->bad = row->seq;

    if (row->seq > want) {
        if (row->seq - want == 1)
            rk_err_set(v->err, RK_EFAIL,
                       _("Audit log broken at row %lld: row %lld before it is missing."),
                       (long long)row->seq, (long long)want);
        else
            rk_err_set(v->err, RK_EFAIL,
                       _("Audit log broken at row %lld: rows %lld to %lld before it are missing."),
                       (long long)row->seq, (long long)want, (long long)(row->seq - 1));
        return RK_EFAIL;
    }
    if (row->seq < want) {
        rk_err_set(v->err, RK_EFAIL,
                   _("Audit log broken at row %lld: it is out of order, stored after row %lld."),
                   (long long)row->seq, (long long)v->prev_seq);
        return RK_EFAIL;
    }

    unsigned char h[RK_AUDIT_HASH_BYTES];
    rk_audit_row_hash(v->key, row, h);
    if (sodium_memcmp(h, row->hash, sizeof h) != 0) {
        int64_t other = written_as(v, row);
        if (other)
            rk_err_set(v->err, RK_EFAIL,
                       _("Audit log broken at row %lld: it holds the entry written as row %lld, so rows are out of order or were renumbered."),
                       (long long)row->seq, (long long)other);
        else
            rk_err_set(v->err, RK_EFAIL,
                       _("Audit log broken at row %lld: the row was edited (its contents do not match its hash)."),
                       (long long)row->seq);
        return RK_EFAIL;
    }
    if (sodium_memcmp(row->prev_hash, v->prev_hash, RK_AUDIT_HASH_BYTES) != 0) {
        if (v->prev_seq == 0)
            rk_err_set(v->err, RK_EFAIL,
                       _("Audit log broken at row %lld: it is not the start of the chain, so rows before it were removed."),
                       (long long)row->seq);
        else
            rk_err_set(v->err, RK_EFAIL,
                       _("Audit log broken at row %lld: it does not follow row %lld, so rows between them were removed or replaced."),
                       (long long)row->seq, (long long)v->prev_seq);
        return RK_EFAIL;
    }

    v->prev_seq = row->seq;
    memcpy(v->prev_hash, row->hash, RK_AUDIT_HASH_BYTES);
    v->ok_rows++;
    v->bad = 0;
    return 0;
}

/* *rows = the rows that verified (all of them on success). */
int rk_audit_verify(rk_db *db, const unsigned char audit_key[RK_KEY_BYTES], int64_t *rows,
                    int64_t *first_bad, rk_err *err)
{
    struct verify_ctx v;
    memset(&v, 0, sizeof v);
    v.key = audit_key;
    v.err = err;
    if (rows)
        *rows = 0;
    if (first_bad)
        *first_bad = 0;

    rk_err ignore;
    unsigned char h[RK_AUDIT_HASH_BYTES];
    rk_dba_last(db, &v.last_seq, h, &ignore);   /* seq is set even if that row is damaged */

    int rc = rk_dba_each(db, 1, verify_row, &v, err);
    if (rows)
        *rows = v.ok_rows;
    if (rc == RK_OK)
        return RK_OK;
    if (v.bad && first_bad)
        *first_bad = v.bad;
    return RK_EFAIL;
}

/* Keeps printable ASCII other than space: the value is one token in a line. */
static void clean_token(char *dst, size_t size, const char *src, size_t len)
{
    size_t j = 0;
    for (size_t i = 0; i < len && src[i] && j + 1 < size; i++) {
        unsigned char c = (unsigned char)src[i];
        if (c > 0x20 && c < 0x7f)
            dst[j++] = (char)c;
    }
    if (size)
        dst[j] = '\0';
}

static const char *next_token(const char *p, size_t *len)
{
    static const char ws[] = " \t\n\r\v\f";
    p += strspn(p, ws);
    *len = strcspn(p, ws);
    return p;
}

/* Only what an address or a port can hold; anything else means the variable
 * was not set by sshd and is ignored. */
static bool all_of(const char *s, size_t n, const char *allowed, bool alnum)
{
    if (n == 0)
        return false;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        bool ok = (c >= '0' && c <= '9') || (c && strchr(allowed, c)) ||
                  (alnum && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')));
        if (!ok)
            return false;
    }
    return true;
}

const char *rk_audit_terminal(char *buf, size_t n)
{
    if (!buf || n == 0)
        return "";
    /* "client_ip client_port server_ip server_port" */
    const char *ssh = getenv("SSH_CONNECTION");
    if (ssh && *ssh) {
        size_t il, pl;
        const char *ip = next_token(ssh, &il);
        const char *port = next_token(ip + il, &pl);
        if (il < 64 && all_of(ip, il, ".:%-_", true)) {
            if (pl <= 5 && all_of(port, pl, "", false))
                snprintf(buf, n, "ssh %.*s %.*s", (int)il, ip, (int)pl, port);
            else
                snprintf(buf, n, "ssh %.*s", (int)il, ip);
            return buf;
        }
    }
    char name[128];
    bool have = ttyname_r(0, name, sizeof name) == 0;
    if (!have) {
        int fd = open("/dev/tty", O_RDONLY | O_NOCTTY | O_CLOEXEC);
        if (fd >= 0) {
            have = ttyname_r(fd, name, sizeof name) == 0;
            close(fd);
        }
    }
    if (have) {
        clean_token(buf, n, name, strlen(name));
        if (*buf)
            return buf;
    }
    snprintf(buf, n, "local");
    return buf;
}

const char *rk_now_iso(char buf[32])
{
    time_t t = time(NULL);
    struct tm tm;
    if (!gmtime_r(&t, &tm) || strftime(buf, 32, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
        snprintf(buf, 32, "1970-01-01T00:00:00Z");
    return buf;
}
