#include "rights.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calls.h"
#include "config.h"
#include "db_clients.h"
#include "db_consent.h"
#include "requests.h"
#include "db_search.h"

static int audit_in_tx(rk_session *s, rk_audit_action a, int64_t client, const char *details,
                       rk_err *err)
{
    return rk_audit_append(s->db, s->audit_key, NULL, s->user, a, client, details, s->terminal, err);
}

/* ---- restriction -------------------------------------------------------- */

int rk_client_restrict(rk_session *s, int64_t client_id, bool on, rk_err *err)
{
    if (rk_session_require_role(s, RK_ROLE_DPO, err))
        return err->code;
    rk_client_summary sum;
    if (rk_dbc_summary(s->db, client_id, &sum, err))
        return err->code;
    if (sum.restricted == on)
        return rk_err_set(err, RK_EUSAGE, on ? _("Processing of this client is already restricted.")
                                             : _("Processing of this client is not restricted."));
    char now[32];
    rk_now_iso(now);
    if (rk_db_begin(s->db, err))
        return err->code;
    if (rk_dbr_set_restricted(s->db, client_id, on, s->user, now, err) ||
        audit_in_tx(s, on ? RK_AUDIT_CLIENT_RESTRICTED : RK_AUDIT_CLIENT_UNRESTRICTED, client_id, "",
                    err)) {
        rk_db_rollback(s->db);
        return err->code;
    }
    return rk_db_commit(s->db, err);
}

/* ---- erasure ------------------------------------------------------------ */

static bool has_billing_data(const rk_client *raw)
{
    for (int f = 0; f < RK_F_COUNT; f++) {
        const char *v = raw->value[f];
        if (rk_fields[f].category != RK_CAT_BILLING || rk_field_is_list((rk_field)f) || !v || !*v)
            continue;
        if (f == RK_F_COLLECTION && strcmp(v, "none") == 0)
            continue;
        return true;
    }
    return false;
}

/* The fields a legal hold keeps: the names and the billing category. */
static void hold_fields(const char *keep[RK_F_COUNT + 1])
{
    size_t n = 0;
    for (int f = 0; f < RK_F_COUNT; f++)
        if (f == RK_F_FIRST_NAMES || f == RK_F_LAST_NAME ||
            (rk_fields[f].category == RK_CAT_BILLING && !rk_field_is_list((rk_field)f)))
            keep[n++] = rk_fields[f].name;
    keep[n] = NULL;
}

static int config_months(rk_session *s, rk_config_key k, int *months, rk_err *err)
{
    char v[32];
    if (rk_config_get(s, k, v, sizeof v, err))
        return err->code;
    *months = atoi(v);
    return RK_OK;
}

/* Inside the caller's transaction. */
static int erase_in_tx(rk_session *s, int64_t client_id, const char *reason, const char *today,
                       rk_erase_result *res, rk_err *err)
{
    memset(res, 0, sizeof *res);
    rk_dbr_erasure e;
    int rc = rk_dbr_erasure_get(s->db, client_id, &e, err);
    if (rc == RK_OK)
        return rk_err_set(err, RK_ECONFLICT, _("Customer %lld was already erased on %.10s."),
                          (long long)e.customer_no, e.erased);
    if (rc != RK_ENOTFOUND)
        return rc;
    rk_client *raw;
    if (rk_dbc_load(s->db, client_id, &raw, err))
        return err->code;
    memset(&e, 0, sizeof e);
    e.client_id = client_id;
    rk_now_iso(e.erased);
    snprintf(e.user, sizeof e.user, "%s", s->user);
    snprintf(e.reason, sizeof e.reason, "%s", reason);
    const char *keep[RK_F_COUNT + 1] = { NULL };
    if (has_billing_data(raw)) {
        int months = 0;
        char year_end[RK_DATE_ISO_SIZE];
        if ((rc = config_months(s, RK_CONFIG_BILLING_HOLD_MONTHS, &months, err)))
            goto out;
        snprintf(year_end, sizeof year_end, "%.4s-12-31", today);
        if ((rc = rk_date_add_months(year_end, months, e.hold_until, err)))
            goto out;
        snprintf(e.hold_basis, sizeof e.hold_basis, "Kirjanpitolaki 1336/1997 2:10");
        hold_fields(keep);
        res->held = true;
        snprintf(res->hold_until, sizeof res->hold_until, "%s", e.hold_until);
    }
    char details[200];
    snprintf(details, sizeof details, "reason=%s%s%s", reason, res->held ? " hold_until=" : "",
             res->held ? e.hold_until : "");
    if ((rc = rk_dbr_erasure_insert(s->db, &e, err)) ||
        (rc = rk_search_index_client(s->db, raw, NULL, err)) ||
        (rc = rk_dbr_erase_client(s->db, client_id, keep, s->user, e.erased, err)))
        goto out;
    rc = audit_in_tx(s, RK_AUDIT_CLIENT_ERASED, client_id, details, err);
out:
    rk_client_free(raw);
    return rc;
}

int rk_client_erase(rk_session *s, int64_t client_id, const char *confirm, int64_t request_id,
                    const char *today, rk_erase_result *res, rk_err *err)
{
    if (rk_session_require_role(s, RK_ROLE_DPO, err))
        return err->code;
    rk_client_summary sum;
    if (rk_dbc_summary(s->db, client_id, &sum, err))
        return err->code;
    char expected[24];
    snprintf(expected, sizeof expected, "%lld", (long long)sum.customer_no);
    if (!confirm || strcmp(confirm, expected) != 0)
        return rk_err_set(err, RK_EUSAGE,
                          _("The customer number typed does not match; nothing was erased."));
    char day[RK_DATE_ISO_SIZE], reason[64];
    if (!today)
        today = rk_today(day);
    if (request_id) {
        rk_dbr_request r;
        if (rk_dbr_request_get(s->db, request_id, &r, err))
            return err->code;
        if (r.client_id != client_id)
            return rk_err_set(err, RK_EUSAGE, _("Request %lld is about another client."),
                              (long long)request_id);
        snprintf(reason, sizeof reason, "request %lld", (long long)request_id);
    } else {
        snprintf(reason, sizeof reason, "dpo decision");
    }
    if (rk_db_begin(s->db, err))
        return err->code;
    if (erase_in_tx(s, client_id, reason, today, res, err)) {
        rk_db_rollback(s->db);
        return err->code;
    }
    return rk_db_commit(s->db, err);
}

int rk_client_erasure(rk_session *s, int64_t client_id, rk_dbr_erasure *out, rk_err *err)
{
    if (s->role == RK_ROLE_ADMIN)
        return rk_session_require_role(s, RK_ROLE_DPO, err);
    return rk_dbr_erasure_get(s->db, client_id, out, err);
}

int rk_client_refuse_if_erased(rk_session *s, int64_t client_id, rk_err *err)
{
    rk_dbr_erasure e;
    int rc = rk_dbr_erasure_get(s->db, client_id, &e, err);
    if (rc == RK_OK)
        return rk_err_set(err, RK_EDENIED, _("This client was erased on %.10s; nothing can be added or changed."),
                          e.erased);
    return rc == RK_ENOTFOUND ? RK_OK : rc;
}

/* ---- retention ---------------------------------------------------------- */

static const struct { const char *name, *label; } retention_kinds[RK_RET_COUNT] = {
#define X(id, n, l) [RK_RET_##id] = { n, l },
    RK_RETENTION_KINDS(X)
#undef X
};

const char *rk_retention_kind_name(rk_retention_kind k)
{
    return (int)k >= 0 && k < RK_RET_COUNT ? retention_kinds[k].name : "?";
}

const char *rk_retention_kind_label(rk_retention_kind k)
{
    return (int)k >= 0 && k < RK_RET_COUNT ? _(retention_kinds[k].label) : "?";
}

struct due_list {
    rk_session *s;
    rk_retention_item *items;
    size_t n, cap;
    rk_err *err;
};

static int push(struct due_list *d, const rk_retention_item *it)
{
    if (!rk_grow(&d->items, &d->cap, d->n, sizeof *d->items, 32))
        return rk_err_set(d->err, RK_EFAIL, _("Out of memory."));
    d->items[d->n++] = *it;
    return 0;
}

static int idle_row(void *ctx, const rk_dbr_idle *r)
{
    struct due_list *d = ctx;
    rk_client_summary sum;
    if (rk_dbc_summary(d->s->db, r->client_id, &sum, d->err))
        return d->err->code;
    if (sum.restricted)
        return 0;
    rk_retention_item it = { .kind = RK_RET_NO_CONTACT, .client_id = r->client_id,
                             .customer_no = r->customer_no };
    snprintf(it.date, sizeof it.date, "%s", r->last_seen);
    return push(d, &it);
}

static int has_open_request(void *ctx, const rk_dbr_request *r)
{
    (void)r;
    *(bool *)ctx = true;
    return 1;
}

static int note_row(void *ctx, const rk_dbca_expired *e)
{
    rk_retention_item it = { .kind = RK_RET_CALL_NOTE, .client_id = e->client_id,
                             .customer_no = e->customer_no, .note_id = e->id };
    snprintf(it.date, sizeof it.date, "%s", e->keep_until);
    return push(ctx, &it);
}

static int hold_row(void *ctx, const rk_dbr_erasure *e)
{
    rk_retention_item it = { .kind = RK_RET_HOLD_ENDED, .client_id = e->client_id,
                             .customer_no = e->customer_no };
    snprintf(it.date, sizeof it.date, "%s", e->hold_until);
    return push(ctx, &it);
}

/* Gathers what is due; reads only. */
static int gather(rk_session *s, const char *today, struct due_list *d, rk_err *err)
{
    int months = 0;
    char cutoff[RK_DATE_ISO_SIZE];
    if (config_months(s, RK_CONFIG_NO_CONTACT_MONTHS, &months, err) ||
        rk_date_add_months(today, -months, cutoff, err))
        return err->code;
    *d = (struct due_list){ .s = s, .err = err };
    if (rk_dbr_idle_clients(s->db, cutoff, idle_row, d, err))
        return err->code;
    /* A client with an open request waits for its decision. */
    size_t kept = 0;
    for (size_t i = 0; i < d->n; i++) {
        bool open = false;
        int rc = rk_dbr_requests_each(s->db, d->items[i].client_id, true, has_open_request, &open, err);
        if (rc != RK_OK && rc != 1)
            return err->code;
        if (!open)
            d->items[kept++] = d->items[i];
    }
    d->n = kept;
    if (rk_dbca_expired_each(s->db, today, note_row, d, err) ||
        rk_dbr_holds_due(s->db, today, hold_row, d, err))
        return err->code;
    return RK_OK;
}

int rk_retention_review(rk_session *s, const char *today, rk_retention_item **out, size_t *n,
                        rk_err *err)
{
    *out = NULL;
    *n = 0;
    if (rk_session_require_role(s, RK_ROLE_DPO, err))
        return err->code;
    char day[RK_DATE_ISO_SIZE];
    if (!today)
        today = rk_today(day);
    struct due_list d;
    if (gather(s, today, &d, err)) {
        free(d.items);
        return err->code;
    }
    size_t counts[RK_RET_COUNT] = { 0 };
    for (size_t i = 0; i < d.n; i++)
        counts[d.items[i].kind]++;
    char details[128];
    snprintf(details, sizeof details, "no_contact=%zu call_note=%zu hold_ended=%zu",
             counts[RK_RET_NO_CONTACT], counts[RK_RET_CALL_NOTE], counts[RK_RET_HOLD_ENDED]);
    if (rk_session_audit(s, RK_AUDIT_RETENTION_REVIEWED, 0, details, err)) {
        free(d.items);
        return err->code;
    }
    *out = d.items;
    *n = d.n;
    return RK_OK;
}

static int apply_item(rk_session *s, const rk_retention_item *it, const char *today, rk_err *err)
{
    char details[64], now[32];
    switch (it->kind) {
    case RK_RET_NO_CONTACT: {
        rk_erase_result res;
        return erase_in_tx(s, it->client_id, "retention no_contact", today, &res, err);
    }
    case RK_RET_CALL_NOTE:
        snprintf(details, sizeof details, "note=%lld keep_until=%s", (long long)it->note_id, it->date);
        if (rk_dbr_call_note_delete(s->db, it->note_id, err))
            return err->code;
        return audit_in_tx(s, RK_AUDIT_CALL_NOTE_DELETED, it->client_id, details, err);
    case RK_RET_HOLD_ENDED:
        rk_now_iso(now);
        snprintf(details, sizeof details, "hold_until=%s", it->date);
        if (rk_dbr_erase_client(s->db, it->client_id, NULL, s->user, now, err) ||
            rk_dbr_hold_ended(s->db, it->client_id, now, err))
            return err->code;
        return audit_in_tx(s, RK_AUDIT_HOLD_ENDED, it->client_id, details, err);
    default:
        return rk_err_set(err, RK_EFAIL, _("Unknown retention rule."));
    }
}

int rk_retention_apply(rk_session *s, const char *today, size_t counts[RK_RET_COUNT], rk_err *err)
{
    memset(counts, 0, RK_RET_COUNT * sizeof counts[0]);
    if (rk_session_require_role(s, RK_ROLE_DPO, err))
        return err->code;
    char day[RK_DATE_ISO_SIZE];
    if (!today)
        today = rk_today(day);
    if (rk_db_begin(s->db, err))
        return err->code;
    struct due_list d = { 0 };
    int rc = gather(s, today, &d, err);
    for (size_t i = 0; rc == RK_OK && i < d.n; i++) {
        /* A note of a client erased in this run went with the erasure. */
        if (d.items[i].kind == RK_RET_CALL_NOTE) {
            rk_dbr_erasure e;
            if (rk_dbr_erasure_get(s->db, d.items[i].client_id, &e, err) == RK_OK)
                continue;
        }
        rc = apply_item(s, &d.items[i], today, err);
        if (rc == RK_OK)
            counts[d.items[i].kind]++;
    }
    free(d.items);
    if (rc) {
        rk_db_rollback(s->db);
        memset(counts, 0, RK_RET_COUNT * sizeof counts[0]);
        return rc;
    }
    return rk_db_commit(s->db, err);
}
