#include "audit_view.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db_consent.h"

struct collect {
    const rk_audit_filter *f;
    size_t max;
    rk_audit_row *rows;            /* a ring of max rows when max > 0 */
    size_t n, cap, start;
};

static bool matches(const rk_audit_filter *f, const rk_audit_row *r)
{
    if (f->user[0] && strcmp(f->user, r->user) != 0)
        return false;
    if (f->client_id && f->client_id != r->client_id)
        return false;
    if (f->action[0] && strcmp(f->action, r->action) != 0)
        return false;
    /* ISO timestamps compare as text with a date: "2026-01-01T.." >= "2026-01-01". */
    if (f->from[0] && strcmp(r->ts, f->from) < 0)
        return false;
    if (f->to[0] && strncmp(r->ts, f->to, 10) > 0)
        return false;
    return true;
}

static int collect_row(void *ctx, const rk_audit_row *r)
{
    struct collect *c = ctx;
    if (!matches(c->f, r))
        return 0;
    if (c->max && c->n == c->max) {
        c->rows[c->start] = *r;               /* drop the oldest */
        c->start = (c->start + 1) % c->max;
        return 0;
    }
    if (c->n == c->cap) {
        size_t cap = c->cap ? c->cap * 2 : 64;
        if (c->max && cap > c->max)
            cap = c->max;
        rk_audit_row *p = realloc(c->rows, cap * sizeof *p);
        if (!p)
            return RK_EFAIL;
        c->rows = p;
        c->cap = cap;
    }
    c->rows[c->n++] = *r;
    return 0;
}

int rk_audit_rows(rk_session *s, const rk_audit_filter *f, size_t max, rk_audit_row **out,
                  size_t *n, rk_err *err)
{
    *out = NULL;
    *n = 0;
    struct collect c = { .f = f, .max = max };
    rk_err_clear(err);
    int rc = rk_dba_each(s->db, 1, collect_row, &c, err);
    if (rc) {
        free(c.rows);
        return err->msg[0] ? rc : rk_err_set(err, RK_EFAIL, _("Out of memory."));
    }
    if (c.start) {
        /* Unroll the ring into chain order. */
        rk_audit_row *sorted = malloc(c.n * sizeof *sorted);
        if (!sorted) {
            free(c.rows);
            return rk_err_set(err, RK_EFAIL, _("Out of memory."));
        }
        for (size_t i = 0; i < c.n; i++)
            sorted[i] = c.rows[(c.start + i) % c.n];
        free(c.rows);
        c.rows = sorted;
    }
    *out = c.rows;
    *n = c.n;
    return RK_OK;
}

int rk_audit_search(rk_session *s, const rk_audit_filter *f, size_t max, rk_audit_row **out,
                    size_t *n, rk_err *err)
{
    if (rk_session_require_role(s, RK_ROLE_DPO, err) || rk_audit_rows(s, f, max, out, n, err))
        return err->code;
    char details[200];
    snprintf(details, sizeof details, "rows=%zu user=%s action=%s from=%s to=%s", *n,
             f->user[0] ? f->user : "*", f->action[0] ? f->action : "*", f->from[0] ? f->from : "*",
             f->to[0] ? f->to : "*");
    if (rk_session_audit(s, RK_AUDIT_AUDIT_READ, f->client_id, details, err)) {
        free(*out);
        *out = NULL;
        *n = 0;
        return err->code;
    }
    return RK_OK;
}

int rk_audit_check(rk_session *s, int64_t *rows, int64_t *first_bad, rk_err *err)
{
    *rows = *first_bad = 0;
    if (s->role != RK_ROLE_DPO && s->role != RK_ROLE_ADMIN)
        return rk_err_set(err, RK_EDENIED,
                          _("Only the data protection officer or an administrator may verify the audit chain."));
    if (rk_audit_verify(s->db, s->audit_key, rows, first_bad, err))
        return err->code;
    char details[64];
    snprintf(details, sizeof details, "rows=%lld", (long long)*rows);
    return rk_session_audit(s, RK_AUDIT_AUDIT_VERIFIED, 0, details, err);
}

int64_t rk_audit_customer_no(rk_session *s, int64_t client_id)
{
    int64_t no = 0;
    rk_err err;
    if (client_id <= 0 || rk_dbco_client_customer_no(s->db, client_id, &no, &err) != RK_OK)
        return 0;
    return no;
}
