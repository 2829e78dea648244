#include "requests.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "calls.h"
#include "db_consent.h"

typedef struct named { const char *name, *label; } named;

static const named kinds[RK_REQ_KIND_COUNT] = {
#define X(id, n, l) [RK_REQ_##id] = { n, l },
    RK_REQUEST_KINDS(X)
#undef X
};
static const named channels[RK_REQCH_COUNT] = {
#define X(id, n, l) [RK_REQCH_##id] = { n, l },
    RK_REQUEST_CHANNELS(X)
#undef X
};
static const named statuses[RK_REQST_COUNT] = {
#define X(id, n, l) [RK_REQST_##id] = { n, l },
    RK_REQUEST_STATUSES(X)
#undef X
};

static const char *name_of(const named *t, int count, int i)
{
    return i >= 0 && i < count ? t[i].name : "?";
}

static const char *label_of(const named *t, int count, const char *stored)
{
    for (int i = 0; i < count; i++)
        if (strcmp(stored, t[i].name) == 0)
            return _(t[i].label);
    return stored;
}

static int parse_in(const named *t, int count, const char *name)
{
    for (int i = 0; name && i < count; i++)
        if (strcmp(name, t[i].name) == 0)
            return i;
    return -1;
}

const char *rk_request_kind_name(rk_request_kind k) { return name_of(kinds, RK_REQ_KIND_COUNT, (int)k); }
const char *rk_request_kind_label(const char *s) { return label_of(kinds, RK_REQ_KIND_COUNT, s); }
int rk_request_kind_parse(const char *n) { return parse_in(kinds, RK_REQ_KIND_COUNT, n); }
const char *rk_request_channel_name(rk_request_channel c) { return name_of(channels, RK_REQCH_COUNT, (int)c); }
const char *rk_request_channel_label(const char *s) { return label_of(channels, RK_REQCH_COUNT, s); }
int rk_request_channel_parse(const char *n) { return parse_in(channels, RK_REQCH_COUNT, n); }
const char *rk_request_status_name(rk_request_status st) { return name_of(statuses, RK_REQST_COUNT, (int)st); }
const char *rk_request_status_label(const char *s) { return label_of(statuses, RK_REQST_COUNT, s); }
int rk_request_status_parse(const char *n) { return parse_in(statuses, RK_REQST_COUNT, n); }

int rk_request_due(const char *received, int extension_months, char out[RK_DATE_ISO_SIZE],
                   rk_err *err)
{
    if (extension_months < 0 || extension_months > RK_REQUEST_MAX_EXTENSION)
        return rk_err_set(err, RK_EUSAGE, _("A deadline can be extended by at most %d months."),
                          RK_REQUEST_MAX_EXTENSION);
    /* rk_date_add_months clamps the day to the month's length. */
    return rk_date_add_months(received, 1 + extension_months, out, err);
}

bool rk_request_overdue(const rk_dbr_request *r, const char *today)
{
    return r->closed[0] == '\0' && strcmp(today, r->due) > 0;
}

const char *rk_today(char out[RK_DATE_ISO_SIZE])
{
    time_t now = time(NULL);
    struct tm tm;
    localtime_r(&now, &tm);
    strftime(out, RK_DATE_ISO_SIZE, "%Y-%m-%d", &tm);
    return out;
}

/* One line of free text, 1..RK_REQUEST_TEXT_MAX bytes, no control characters. */
static int check_text(const char *what, const char *t, rk_err *err)
{
    if (!t || !*t)
        return rk_err_set(err, RK_EUSAGE, _("%s is required."), what);
    size_t len = strlen(t);
    if (len > RK_REQUEST_TEXT_MAX)
        return rk_err_set(err, RK_EUSAGE, _("%s is longer than %d bytes."), what, RK_REQUEST_TEXT_MAX);
    for (size_t i = 0; i < len; i++)
        if ((unsigned char)t[i] < 0x20 || t[i] == 0x7f)
            return rk_err_set(err, RK_EUSAGE, _("%s must be one line of text."), what);
    return RK_OK;
}

static int require_roles(const rk_session *s, bool reception_too, rk_err *err)
{
    if (s->role == RK_ROLE_DPO || (reception_too && rk_requests_may_list_client(s)))
        return RK_OK;
    return rk_session_require_role(s, RK_ROLE_DPO, err);
}

bool rk_requests_may_list_client(const rk_session *s)
{
    return s->role == RK_ROLE_DPO || s->role == RK_ROLE_RECEPTION;
}

static int audit_in_tx(rk_session *s, rk_audit_action a, int64_t client, const char *details,
                       rk_err *err)
{
    return rk_audit_append(s->db, s->audit_key, NULL, s->user, a, client, details, s->terminal, err);
}

int rk_request_add(rk_session *s, const rk_request_input *in, const char *today, int64_t *id,
                   rk_err *err)
{
    if (require_roles(s, true, err))
        return err->code;
    if ((int)in->kind < 0 || in->kind >= RK_REQ_KIND_COUNT || (int)in->channel < 0 ||
        in->channel >= RK_REQCH_COUNT)
        return rk_err_set(err, RK_EUSAGE, _("Unknown request kind or channel."));
    if (check_text(_("How the identity was verified"), in->verified_how, err))
        return err->code;
    char day[RK_DATE_ISO_SIZE], now_day[RK_DATE_ISO_SIZE];
    if (!today)
        today = rk_today(now_day);
    rk_request r = { .client_id = in->client_id };
    if (in->received && *in->received) {
        rk_date d;
        if (rk_date_parse(in->received, &d, err) || rk_date_format_iso(&d, day, err))
            return rk_err_set(err, RK_EUSAGE, _("Received date: %s"), err->msg);
        if (strcmp(day, today) > 0)
            return rk_err_set(err, RK_EUSAGE, _("Received date %s is in the future."), in->received);
    } else {
        snprintf(day, sizeof day, "%s", today);
    }
    snprintf(r.received, sizeof r.received, "%s", day);
    if (rk_request_due(r.received, 0, r.due, err))
        return err->code;
    snprintf(r.kind, sizeof r.kind, "%s", kinds[in->kind].name);
    snprintf(r.channel, sizeof r.channel, "%s", channels[in->channel].name);
    snprintf(r.verified_how, sizeof r.verified_how, "%s", in->verified_how);
    snprintf(r.verified_by, sizeof r.verified_by, "%s", s->user);
    snprintf(r.status, sizeof r.status, "%s", statuses[RK_REQST_OPEN].name);
    snprintf(r.created_by, sizeof r.created_by, "%s", s->user);
    rk_now_iso(r.created);
    int64_t customer_no;
    if (rk_dbco_client_customer_no(s->db, r.client_id, &customer_no, err))
        return err->code;
    if (rk_db_begin(s->db, err))
        return err->code;
    int rc = rk_dbr_request_insert(s->db, &r, err);
    if (rc == RK_OK) {
        char details[128];
        snprintf(details, sizeof details, "request=%lld kind=%s due=%s", (long long)r.id, r.kind,
                 r.due);
        rc = audit_in_tx(s, RK_AUDIT_REQUEST_ADDED, r.client_id, details, err);
    }
    if (rc) {
        rk_db_rollback(s->db);
        return rc;
    }
    if (rk_db_commit(s->db, err))
        return err->code;
    if (id)
        *id = r.id;
    return RK_OK;
}

struct collect {
    rk_request *rows;
    size_t n, cap;
};

static int collect_row(void *ctx, const rk_dbr_request *r)
{
    struct collect *c = ctx;
    if (!rk_grow(&c->rows, &c->cap, c->n, sizeof *c->rows, 16))
        return RK_EFAIL;
    c->rows[c->n++] = *r;
    return 0;
}

int rk_requests_list(rk_session *s, int64_t client_id, bool open_only, rk_request **out,
                     size_t *n, rk_err *err)
{
    *out = NULL;
    *n = 0;
    if (require_roles(s, client_id != 0, err))
        return err->code;
    struct collect c = { 0 };
    int rc = rk_dbr_requests_each(s->db, client_id, open_only, collect_row, &c, err);
    if (rc == RK_EFAIL && !err->msg[0])
        rk_err_set(err, RK_EFAIL, _("Out of memory."));
    if (rc == RK_OK) {
        char details[64];
        snprintf(details, sizeof details, "rows=%zu%s", c.n, open_only ? " open" : "");
        rc = rk_session_audit(s, RK_AUDIT_REQUESTS_READ, client_id, details, err);
    }
    if (rc) {
        free(c.rows);
        return rc;
    }
    *out = c.rows;
    *n = c.n;
    return RK_OK;
}

int rk_request_get(rk_session *s, int64_t id, rk_request *out, rk_err *err)
{
    if (require_roles(s, false, err) || rk_dbr_request_get(s->db, id, out, err))
        return err->code;
    char details[48];
    snprintf(details, sizeof details, "request=%lld", (long long)id);
    return rk_session_audit(s, RK_AUDIT_REQUESTS_READ, out->client_id, details, err);
}

/* Loads an open request inside the transaction the caller began. */
static int load_open(rk_session *s, int64_t id, rk_request *r, rk_err *err)
{
    if (rk_dbr_request_get(s->db, id, r, err))
        return err->code;
    if (r->closed[0])
        return rk_err_set(err, RK_EUSAGE, _("Request %lld was closed on %s."), (long long)id, r->closed);
    return RK_OK;
}

static int save_audited(rk_session *s, const rk_request *r, rk_audit_action a, const char *details,
                        rk_err *err)
{
    if (rk_dbr_request_update(s->db, r, err) || audit_in_tx(s, a, r->client_id, details, err)) {
        rk_db_rollback(s->db);
        return err->code;
    }
    return rk_db_commit(s->db, err);
}

int rk_request_extend(rk_session *s, int64_t id, int months, const char *reason, const char *today,
                      rk_err *err)
{
    if (require_roles(s, false, err) || check_text(_("The reason for the extension"), reason, err))
        return err->code;
    if (months < 1)
        return rk_err_set(err, RK_EUSAGE, _("Extend by 1 or 2 months."));
    char now_day[RK_DATE_ISO_SIZE], first_due[RK_DATE_ISO_SIZE];
    if (!today)
        today = rk_today(now_day);
    rk_request r;
    if (rk_db_begin(s->db, err))
        return err->code;
    if (load_open(s, id, &r, err))
        goto fail;
    int total = r.extension_months + months;
    if (total > RK_REQUEST_MAX_EXTENSION) {
        rk_err_set(err, RK_EUSAGE,
                   _("Request %lld is already extended by %d month(s); the deadline can be extended by at most %d months in all."),
                   (long long)id, r.extension_months, RK_REQUEST_MAX_EXTENSION);
        goto fail;
    }
    if (rk_request_due(r.received, 0, first_due, err))
        goto fail;
    if (strcmp(today, first_due) > 0) {
        rk_err_set(err, RK_EUSAGE,
                   _("The first month of request %lld ended on %s: an extension must be decided and told to the person within it."),
                   (long long)id, first_due);
        goto fail;
    }
    if (rk_request_due(r.received, total, r.due, err))
        goto fail;
    r.extension_months = total;
    snprintf(r.extension_reason, sizeof r.extension_reason, "%s", reason);
    char details[96];
    snprintf(details, sizeof details, "request=%lld months=%d due=%s", (long long)id, total, r.due);
    return save_audited(s, &r, RK_AUDIT_REQUEST_EXTENDED, details, err);
fail:
    rk_db_rollback(s->db);
    return err->code;
}

int rk_request_close(rk_session *s, int64_t id, rk_request_status status, const char *decision,
                     const char *today, rk_err *err)
{
    if (require_roles(s, false, err) || check_text(_("The decision and its reasons"), decision, err))
        return err->code;
    if ((int)status <= RK_REQST_OPEN || status >= RK_REQST_COUNT)
        return rk_err_set(err, RK_EUSAGE,
                          _("Close a request as granted, partly_granted, refused or withdrawn."));
    char now_day[RK_DATE_ISO_SIZE];
    if (!today)
        today = rk_today(now_day);
    rk_request r;
    if (rk_db_begin(s->db, err))
        return err->code;
    if (load_open(s, id, &r, err)) {
        rk_db_rollback(s->db);
        return err->code;
    }
    snprintf(r.status, sizeof r.status, "%s", statuses[status].name);
    snprintf(r.decision, sizeof r.decision, "%s", decision);
    snprintf(r.closed, sizeof r.closed, "%s", today);
    snprintf(r.closed_by, sizeof r.closed_by, "%s", s->user);
    char details[96];
    snprintf(details, sizeof details, "request=%lld status=%s%s", (long long)id, r.status,
             strcmp(today, r.due) > 0 ? " late" : "");
    return save_audited(s, &r, RK_AUDIT_REQUEST_CLOSED, details, err);
}
