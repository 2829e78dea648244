#include "disclosure.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "client_format.h"
#include "clients.h"
#include "db_clients.h"
#include "db_consent.h"
#include "db_data.h"

static const struct { const char *name, *label; } bases[RK_LEGAL_BASIS_COUNT] = {
#define X(id, n, l) [RK_LEGAL_##id] = { n, l },
    RK_LEGAL_BASES(X)
#undef X
};

const char *rk_legal_basis_name(rk_legal_basis b)
{
    return (int)b >= 0 && b < RK_LEGAL_BASIS_COUNT ? bases[b].name : "?";
}

const char *rk_legal_basis_label(const char *stored)
{
    for (int i = 0; i < RK_LEGAL_BASIS_COUNT; i++)
        if (strcmp(stored, bases[i].name) == 0)
            return _(bases[i].label);
    return stored;
}

static bool one_line_ok(const char *t, size_t max)
{
    size_t len = strlen(t);
    if (len > max)
        return false;
    for (size_t i = 0; i < len; i++)
        if ((unsigned char)t[i] < 0x20 || t[i] == 0x7f)
            return false;
    return true;
}

/* ---- what the role sees of one client --------------------------------------- */

/* Columns: every field the role may read, in the field table's order. */
struct columns {
    rk_field f[RK_F_COUNT];
    int n;
};

static void pick_columns(const rk_policy *p, struct columns *cols)
{
    cols->n = 0;
    for (int f = 0; f < RK_F_COUNT; f++)
        if (p->level[f] >= RK_LEVEL_READ)
            cols->f[cols->n++] = (rk_field)f;
}

/* As src/clients.c's apply_policy: turvakielto hides the address from every
 * role but dpo. tests/unit/test_consent.c compares with rk_clients_get. */
static bool cell_hidden(rk_session *s, const rk_client *c, rk_field f)
{
    bool safety = c->value[RK_F_TURVAKIELTO] && strcmp(c->value[RK_F_TURVAKIELTO], "1") == 0;
    return safety && s->role != RK_ROLE_DPO && rk_policy_turvakielto_hides(f);
}



/* One client as a CSV row or a JSON object appended to `arr`. */
static int write_client(rk_session *s, const struct columns *cols, const rk_client *c,
                        rk_export_format fmt, char delim, FILE *out, json_t *arr)
{
    json_t *obj = fmt == RK_EXPORT_JSON ? json_object() : NULL;
    if (fmt == RK_EXPORT_JSON && !obj)
        return RK_EFAIL;
    for (int i = 0; i < cols->n; i++) {
        rk_field f = cols->f[i];
        bool hidden = cell_hidden(s, c, f);
        if (rk_field_is_list(f)) {
            if (fmt == RK_EXPORT_JSON) {
                json_object_set_new(obj, rk_fields[f].name, hidden ? json_array() : rk_client_list_json(c, f));
            } else {
                char *text = NULL;
                if (!hidden && rk_dbc_list_text(c, f, &text))
                    return RK_EFAIL;
                int rc = rk_csv_cell_delim(out, text ? text : "", i == 0, delim);
                free(text);
                if (rc)
                    return rc;
            }
        } else {
            const char *v = hidden || !c->value[f] ? "" : c->value[f];
            if (fmt == RK_EXPORT_JSON)
                json_object_set_new(obj, rk_fields[f].name, json_string(v));
            else if (rk_csv_cell_delim(out, v, i == 0, delim))
                return RK_EFAIL;
        }
    }
    if (fmt == RK_EXPORT_JSON)
        return json_array_append_new(arr, obj) == 0 ? RK_OK : RK_EFAIL;
    return fputs("\r\n", out) == EOF ? RK_EFAIL : RK_OK;
}

static void join_fields(const struct columns *cols, char *out, size_t n)
{
    out[0] = '\0';
    for (int i = 0; i < cols->n; i++) {
        size_t len = strlen(out);
        snprintf(out + len, n - len, "%s%s", i ? "," : "", rk_fields[cols->f[i]].name);
    }
}

static void join_categories(const struct columns *cols, char *out, size_t n)
{
    bool cat[RK_CAT_COUNT] = { false };
    for (int i = 0; i < cols->n; i++)
        cat[rk_fields[cols->f[i]].category] = true;
    out[0] = '\0';
    for (int k = 0; k < RK_CAT_COUNT; k++)
        if (cat[k]) {
            size_t len = strlen(out);
            snprintf(out + len, n - len, "%s%s", len ? "," : "", rk_category_name((rk_category)k));
        }
}

/* ---- the export ---------------------------------------------------------------- */

/* What differs between the exports: which clients, how they are audited. */
typedef struct export_job {
    rk_export_format format;
    char delim;
    rk_encoding encoding;
    rk_audit_action action;
    int (*list)(rk_session *s, const void *arg, int64_t **ids, size_t *n, rk_err *err);
    const void *arg;
} export_job;

/* Records the disclosure `e` with the clients `job` lists, audits it, and
 * writes the data to `out` only after both were committed. */
static int run_export(rk_session *s, const export_job *job, rk_dbdi_entry *e,
                      const struct columns *cols, FILE *out, rk_export_result *res, rk_err *err)
{
    char *buf = NULL, *conv = NULL;
    size_t buflen = 0, convlen = 0;
    FILE *mem = open_memstream(&buf, &buflen);
    if (!mem)
        return rk_err_set(err, RK_EFAIL, _("Out of memory."));
    json_t *root = NULL, *arr = NULL;
    int64_t *ids = NULL;
    size_t n = 0;
    int rc;
    if ((rc = rk_db_begin(s->db, err)))
        goto out;
    /* The list is made inside the transaction: the list, the register
     * entry and the data are one consistent snapshot. */
    if ((rc = job->list(s, job->arg, &ids, &n, err)))
        goto fail;
    e->count = (int64_t)n;
    if ((rc = rk_dbdi_insert(s->db, e, ids, n, err)))
        goto fail;
    char details[256];
    snprintf(details, sizeof details, "disclosure=%lld purpose=%s channel=%s format=%s count=%zu",
             (long long)e->id, e->purpose[0] ? e->purpose : "-", e->channel[0] ? e->channel : "-",
             e->format, n);
    if ((rc = rk_audit_append(s->db, s->audit_key, e->ts, s->user, job->action, 0, details,
                              s->terminal, err)))
        goto fail;

    if (job->format == RK_EXPORT_JSON) {
        arr = json_array();
        root = json_pack("{s:I,s:s,s:s,s:s,s:s,s:s}", "disclosure", (json_int_t)e->id, "generated",
                         e->ts, "purpose", e->purpose, "channel", e->channel, "recipient",
                         e->recipient, "legal_basis", e->legal_basis);
        if (!arr || !root) {
            rc = rk_err_set(err, RK_EFAIL, _("Out of memory."));
            goto fail;
        }
    } else {
        for (int i = 0; i < cols->n; i++)
            /* A spreadsheet's header is read by a person: the field's label
             * in the user's language (import reads it back in any of the
             * three); JSON keys stay the stable English names. */
            if (rk_csv_cell_delim(mem, _(rk_fields[cols->f[i]].label), i == 0, job->delim)) {
                rc = rk_err_set(err, RK_EFAIL, _("Out of memory."));
                goto fail;
            }
        fputs("\r\n", mem);
    }
    for (size_t i = 0; i < n; i++) {
        rk_client *c;
        if ((rc = rk_dbc_load(s->db, ids[i], &c, err)))
            goto fail;
        rc = write_client(s, cols, c, job->format, job->delim, mem, arr);
        rk_client_free(c);
        if (rc) {
            rc = rk_err_set(err, RK_EFAIL, _("Out of memory."));
            goto fail;
        }
    }
    if (root) {
        json_object_set_new(root, "clients", arr);
        arr = NULL;
        if (json_dumpf(root, mem, JSON_INDENT(2) | JSON_PRESERVE_ORDER) != 0 || fputc('\n', mem) == EOF) {
            rc = rk_err_set(err, RK_EFAIL, _("Out of memory."));
            goto fail;
        }
    }
    if (fflush(mem) != 0) {
        rc = rk_err_set(err, RK_EFAIL, _("Out of memory."));
        goto fail;
    }
    if ((rc = rk_text_encode(buf, buflen, job->encoding, &conv, &convlen, err)))
        goto fail;
    if ((rc = rk_db_commit(s->db, err)))
        goto out;
    if (res) {
        res->disclosure_id = e->id;
        res->count = n;
    }
    /* Written only now: an export that is not in the register never leaves. */
    if (fwrite(conv, 1, convlen, out) != convlen || fflush(out) != 0)
        rc = rk_err_set(err, RK_EFAIL,
                        _("The export was recorded as disclosure %lld but could not be written out completely."),
                        (long long)e->id);
    goto out;
fail:
    rk_db_rollback(s->db);
out:
    json_decref(arr);
    json_decref(root);
    fclose(mem);
    free(buf);
    free(conv);
    free(ids);
    return rc;
}

static int marketing_list(rk_session *s, const void *arg, int64_t **ids, size_t *n, rk_err *err)
{
    const rk_export_request *req = arg;
    return rk_contact_list(s, req->purpose, req->channel, ids, n, err);
}

/* What every export checks first: the recipient (the default when none is
 * given) and the columns the user's role may read. */
static int export_setup(rk_session *s, const char *given, const char *fallback, const char **recipient,
                        rk_policy *pol, struct columns *cols, rk_err *err)
{
    *recipient = given && *given ? given : fallback;
    if (!one_line_ok(*recipient, RK_DISCLOSURE_TEXT_MAX))
        return rk_err_set(err, RK_EUSAGE, _("The recipient must be one line of at most %d bytes."),
                          RK_DISCLOSURE_TEXT_MAX);
    if (rk_clients_role_policy(s, s->role, pol, err))
        return err->code;
    pick_columns(pol, cols);
    if (cols->n == 0)
        return rk_err_set(err, RK_EDENIED, _("Your role may read no client field, so there is nothing to export."));
    return RK_OK;
}

int rk_export_marketing(rk_session *s, const rk_export_request *req, FILE *out,
                        rk_export_result *res, rk_err *err)
{
    if (res)
        memset(res, 0, sizeof *res);
    if (s->role != RK_ROLE_MARKETING && s->role != RK_ROLE_DPO)
        return rk_err_set(err, RK_EDENIED,
                          _("Only the marketing role and the data protection officer may export marketing lists; you are %s."),
                          rk_role_label(s->role));
    if ((int)req->purpose < 0 || req->purpose >= RK_PURPOSE_COUNT ||
        (int)req->channel < 0 || req->channel >= RK_CHANNEL_COUNT)
        return rk_err_set(err, RK_EUSAGE, _("An export needs a known purpose and channel."));
    if (req->format != RK_EXPORT_CSV && req->format != RK_EXPORT_JSON)
        return rk_err_set(err, RK_EUSAGE, _("The export format must be csv or json."));
    const char *recipient;
    rk_policy pol;
    struct columns cols;
    if (export_setup(s, req->recipient, RK_DISCLOSURE_RECIPIENT_DEFAULT, &recipient, &pol, &cols, err))
        return err->code;
    unsigned optin;
    if (rk_contact_optin_channels(s, &optin, err))
        return err->code;

    rk_dbdi_entry e = { .count = 0 };
    rk_now_iso(e.ts);
    snprintf(e.user, sizeof e.user, "%s", s->user);
    snprintf(e.kind, sizeof e.kind, "marketing_export");
    snprintf(e.purpose, sizeof e.purpose, "%s", rk_purpose_name(req->purpose));
    snprintf(e.channel, sizeof e.channel, "%s", rk_channel_name(req->channel));
    snprintf(e.recipient, sizeof e.recipient, "%s", recipient);
    /* Opt-in channels carry consent; opt-out channels the legitimate
     * interest of the customer relationship. */
    snprintf(e.legal_basis, sizeof e.legal_basis, "%s",
             rk_legal_basis_name((optin & (1u << req->channel)) ? RK_LEGAL_CONSENT
                                                                 : RK_LEGAL_LEGITIMATE_INTEREST));
    join_categories(&cols, e.categories, sizeof e.categories);
    join_fields(&cols, e.fields, sizeof e.fields);
    snprintf(e.format, sizeof e.format, "%s", req->format == RK_EXPORT_CSV ? "csv" : "json");
    export_job job = { .format = req->format, .delim = ',', .encoding = RK_ENC_UTF8,
                       .action = RK_AUDIT_MARKETING_EXPORTED, .list = marketing_list, .arg = req };
    return run_export(s, &job, &e, &cols, out, res, err);
}

static int all_clients(rk_session *s, const void *arg, int64_t **ids, size_t *n, rk_err *err)
{
    (void)arg;
    return rk_dbx_client_ids(s->db, ids, n, err);
}

int rk_export_clients(rk_session *s, const rk_client_export_request *req, FILE *out,
                      rk_export_result *res, rk_err *err)
{
    if (res)
        memset(res, 0, sizeof *res);
    if (s->role == RK_ROLE_ADMIN)
        return rk_err_set(err, RK_EDENIED,
                          _("Administrators see no client data; export as a client-facing role."));
    if (req->format != RK_EXPORT_CSV && req->format != RK_EXPORT_JSON)
        return rk_err_set(err, RK_EUSAGE, _("The export format must be csv or json."));
    if (req->format == RK_EXPORT_JSON && req->encoding != RK_ENC_UTF8)
        return rk_err_set(err, RK_EUSAGE, _("JSON is always written in UTF-8."));
    char delim = req->delimiter ? req->delimiter : ';';
    if (delim != ';' && delim != ',' && delim != '\t')
        return rk_err_set(err, RK_EUSAGE, _("The delimiter must be ';', ',' or tab."));
    const char *recipient;
    rk_policy pol;
    struct columns cols;
    if (export_setup(s, req->recipient, RK_DISCLOSURE_RECIPIENT_EXPORT, &recipient, &pol, &cols, err))
        return err->code;

    rk_dbdi_entry e = { .count = 0 };
    rk_now_iso(e.ts);
    snprintf(e.user, sizeof e.user, "%s", s->user);
    snprintf(e.kind, sizeof e.kind, "client_export");
    snprintf(e.recipient, sizeof e.recipient, "%s", recipient);
    snprintf(e.legal_basis, sizeof e.legal_basis, "%s",
             rk_legal_basis_name(RK_LEGAL_LEGITIMATE_INTEREST));
    join_categories(&cols, e.categories, sizeof e.categories);
    join_fields(&cols, e.fields, sizeof e.fields);
    snprintf(e.format, sizeof e.format, "%s", req->format == RK_EXPORT_CSV ? "csv" : "json");
    export_job job = { .format = req->format, .delim = delim, .encoding = req->encoding,
                       .action = RK_AUDIT_CLIENTS_EXPORTED, .list = all_clients, .arg = NULL };
    return run_export(s, &job, &e, &cols, out, res, err);
}

/* ---- the register ------------------------------------------------------------------ */

struct list_ctx {
    rk_disclosure *d;
    size_t n, cap;
    bool oom;
};

static int list_row(void *ctx, const rk_dbdi_entry *e)
{
    struct list_ctx *l = ctx;
    if (!rk_grow(&l->d, &l->cap, l->n, sizeof *l->d, 16)) {
        l->oom = true;
        return 1;
    }
    rk_disclosure *x = &l->d[l->n++];
    memset(x, 0, sizeof *x);
    x->id = e->id;
    x->count = e->count;
    x->corrects = e->corrects;
#define C(f) snprintf(x->f, sizeof x->f, "%s", e->f)
    C(ts); C(user); C(kind); C(purpose); C(channel); C(recipient); C(legal_basis);
    C(categories); C(fields); C(format); C(note);
#undef C
    return 0;
}

void rk_disclosures_free(rk_disclosure *d, size_t n)
{
    if (!d)
        return;
    for (size_t i = 0; i < n; i++)
        free(d[i].client_ids);
    free(d);
}

int rk_disclosures_list(rk_session *s, int64_t client_id, rk_disclosure **out, size_t *n,
                        rk_err *err)
{
    *out = NULL;
    *n = 0;
    if (rk_session_require_role(s, RK_ROLE_DPO, err))
        return err->code;
    struct list_ctx l = { 0 };
    int rc = rk_dbdi_each(s->db, client_id, list_row, &l, err);
    if (l.oom)
        rc = rk_err_set(err, RK_EFAIL, _("Out of memory."));
    for (size_t i = 0; rc == RK_OK && i < l.n; i++)
        rc = rk_dbdi_clients(s->db, l.d[i].id, &l.d[i].client_ids, &l.d[i].nclients, err);
    if (rc == RK_OK) {
        char details[64];
        snprintf(details, sizeof details, "entries=%zu", l.n);
        if ((rc = rk_db_begin(s->db, err)) == RK_OK) {
            rc = rk_audit_append(s->db, s->audit_key, NULL, s->user, RK_AUDIT_DISCLOSURES_READ,
                                 client_id, details, s->terminal, err);
            if (rc)
                rk_db_rollback(s->db);
            else
                rc = rk_db_commit(s->db, err);
        }
    }
    if (rc) {
        rk_disclosures_free(l.d, l.n);
        return rc;
    }
    *out = l.d;
    *n = l.n;
    return RK_OK;
}

int rk_disclosure_correct(rk_session *s, int64_t id, const char *recipient,
                          const char *legal_basis, const char *note, int64_t *new_id,
                          rk_err *err)
{
    if (new_id)
        *new_id = 0;
    if (rk_session_require_role(s, RK_ROLE_DPO, err))
        return err->code;
    if (!note || !*note || !one_line_ok(note, RK_DISCLOSURE_TEXT_MAX))
        return rk_err_set(err, RK_EUSAGE,
                          _("A correction needs a note of one line (at most %d bytes) saying what was wrong."),
                          RK_DISCLOSURE_TEXT_MAX);
    if (recipient && (!*recipient || !one_line_ok(recipient, RK_DISCLOSURE_TEXT_MAX)))
        return rk_err_set(err, RK_EUSAGE, _("The recipient must be one line of 1 to %d bytes."),
                          RK_DISCLOSURE_TEXT_MAX);
    if (legal_basis) {
        bool known = false;
        for (int i = 0; i < RK_LEGAL_BASIS_COUNT; i++)
            known = known || strcmp(legal_basis, bases[i].name) == 0;
        if (!known)
            return rk_err_set(err, RK_EUSAGE,
                              _("Unknown legal basis \"%s\": use consent or legitimate_interest."),
                              legal_basis);
    }
    if (rk_db_begin(s->db, err))
        return err->code;
    rk_dbdi_entry e;
    int64_t *ids = NULL;
    size_t n = 0;
    int rc = rk_dbdi_get(s->db, id, &e, err);
    if (rc == RK_OK)
        rc = rk_dbdi_clients(s->db, id, &ids, &n, err);
    if (rc)
        goto fail;
    e.corrects = id;
    rk_now_iso(e.ts);
    snprintf(e.user, sizeof e.user, "%s", s->user);
    snprintf(e.kind, sizeof e.kind, "correction");
    if (recipient)
        snprintf(e.recipient, sizeof e.recipient, "%s", recipient);
    if (legal_basis)
        snprintf(e.legal_basis, sizeof e.legal_basis, "%s", legal_basis);
    snprintf(e.note, sizeof e.note, "%s", note);
    if ((rc = rk_dbdi_insert(s->db, &e, ids, n, err)))
        goto fail;
    char details[96];
    snprintf(details, sizeof details, "disclosure=%lld corrects=%lld", (long long)e.id, (long long)id);
    if ((rc = rk_audit_append(s->db, s->audit_key, e.ts, s->user, RK_AUDIT_DISCLOSURE_CORRECTED, 0,
                              details, s->terminal, err)))
        goto fail;
    free(ids);
    if ((rc = rk_db_commit(s->db, err)))
        return rc;
    if (new_id)
        *new_id = e.id;
    return RK_OK;
fail:
    free(ids);
    rk_db_rollback(s->db);
    return rc;
}

static bool categories_ok(const char *list)
{
    char copy[160];
    if (!*list || strlen(list) >= sizeof copy)
        return false;
    snprintf(copy, sizeof copy, "%s", list);
    char *save = NULL;
    for (char *w = strtok_r(copy, ",", &save); w; w = strtok_r(NULL, ",", &save)) {
        bool known = false;
        for (int k = 0; k < RK_CAT_COUNT; k++)
            known = known || strcmp(w, rk_category_name((rk_category)k)) == 0;
        if (!known)
            return false;
    }
    return true;
}

static int cmp_id(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

int rk_disclosure_add_manual(rk_session *s, const rk_manual_disclosure *m, int64_t *new_id,
                             rk_err *err)
{
    if (new_id)
        *new_id = 0;
    if (rk_session_require_role(s, RK_ROLE_DPO, err))
        return err->code;
    rk_dbdi_entry e;
    memset(&e, 0, sizeof e);
    if (!m->recipient || !*m->recipient || !one_line_ok(m->recipient, RK_DISCLOSURE_TEXT_MAX))
        return rk_err_set(err, RK_EUSAGE, _("The recipient must be one line of 1 to %d bytes."),
                          RK_DISCLOSURE_TEXT_MAX);
    if (!m->purpose || !*m->purpose || !one_line_ok(m->purpose, sizeof e.purpose - 1))
        return rk_err_set(err, RK_EUSAGE, _("The purpose must be one line of 1 to %zu bytes."),
                          sizeof e.purpose - 1);
    if (m->note && !one_line_ok(m->note, RK_DISCLOSURE_TEXT_MAX))
        return rk_err_set(err, RK_EUSAGE, _("The note must be one line of at most %d bytes."),
                          RK_DISCLOSURE_TEXT_MAX);
    bool known = false;
    for (int i = 0; m->legal_basis && i < RK_LEGAL_BASIS_COUNT; i++)
        known = known || strcmp(m->legal_basis, bases[i].name) == 0;
    if (!known)
        return rk_err_set(err, RK_EUSAGE,
                          _("Unknown legal basis \"%s\": use consent, legitimate_interest, legal_obligation or contract."),
                          m->legal_basis ? m->legal_basis : "");
    if (!m->categories || !categories_ok(m->categories))
        return rk_err_set(err, RK_EUSAGE,
                          _("Data categories are names of the card's sections, comma-separated: identity, contact, protection, business, household, history, billing, sources."));
    if (m->nclients == 0)
        return rk_err_set(err, RK_EUSAGE, _("Name at least one client whose data was disclosed."));
    int64_t *ids = malloc(m->nclients * sizeof *ids);
    if (!ids)
        return rk_err_set(err, RK_EFAIL, _("Out of memory."));
    memcpy(ids, m->client_ids, m->nclients * sizeof *ids);
    qsort(ids, m->nclients, sizeof *ids, cmp_id);
    size_t n = 0;
    for (size_t i = 0; i < m->nclients; i++)
        if (n == 0 || ids[n - 1] != ids[i])
            ids[n++] = ids[i];
    rk_now_iso(e.ts);
    snprintf(e.user, sizeof e.user, "%s", s->user);
    snprintf(e.kind, sizeof e.kind, "manual");
    snprintf(e.purpose, sizeof e.purpose, "%s", m->purpose);
    snprintf(e.recipient, sizeof e.recipient, "%s", m->recipient);
    snprintf(e.legal_basis, sizeof e.legal_basis, "%s", m->legal_basis);
    snprintf(e.categories, sizeof e.categories, "%s", m->categories);
    snprintf(e.note, sizeof e.note, "%s", m->note ? m->note : "");
    e.count = (int64_t)n;
    int rc = rk_db_begin(s->db, err);
    for (size_t i = 0; rc == RK_OK && i < n; i++) {
        int64_t no;
        rc = rk_dbco_client_customer_no(s->db, ids[i], &no, err);
    }
    if (rc == RK_OK)
        rc = rk_dbdi_insert(s->db, &e, ids, n, err);
    char details[96];
    snprintf(details, sizeof details, "disclosure=%lld clients=%zu", (long long)e.id, n);
    for (size_t i = 0; rc == RK_OK && i < n; i++)
        rc = rk_audit_append(s->db, s->audit_key, e.ts, s->user, RK_AUDIT_DISCLOSURE_ADDED, ids[i],
                             details, s->terminal, err);
    free(ids);
    if (rc) {
        rk_db_rollback(s->db);
        return rc;
    }
    if ((rc = rk_db_commit(s->db, err)))
        return rc;
    if (new_id)
        *new_id = e.id;
    return RK_OK;
}
