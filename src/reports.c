#include "reports.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <unistd.h>
#include <stdlib.h>
#include <string.h>

#include "audit_view.h"
#include "calls.h"
#include "client_format.h"
#include "clients.h"
#include "config.h"
#include "consent.h"
#include "disclosure.h"
#include "requests.h"
#include "rights.h"
#include "sanitize.h"

static const char *const kind_names[RK_REPORT_KIND_COUNT] = {
#define X(id, name) [RK_REPORT_##id] = name,
    RK_REPORT_KINDS(X)
#undef X
};

int rk_report_kind_parse(const char *name)
{
    for (int i = 0; name && i < RK_REPORT_KIND_COUNT; i++)
        if (strcmp(name, kind_names[i]) == 0)
            return i;
    return -1;
}

const char *rk_report_kind_name(rk_report_kind k)
{
    return (int)k >= 0 && k < RK_REPORT_KIND_COUNT ? kind_names[k] : "?";
}

/* Why each category is kept, on what basis and for how long (the privacy
 * notice's table). %s in retention is the setting it names. */
static const struct {
    const char *purpose, *basis, *retention;
    rk_config_key setting;
} purposes[RK_CAT_COUNT] = {
    [RK_CAT_IDENTITY] = { N_("Identifying the client and keeping the customer relationship"),
                          N_("contract and legitimate interest (GDPR 6(1)(b), 6(1)(f))"),
                          N_("while the customer relationship lasts, then at most %s months without contact"),
                          RK_CONFIG_NO_CONTACT_MONTHS },
    [RK_CAT_CONTACT] = { N_("Contacting the client; marketing only as the consents allow"),
                         N_("contract, legitimate interest, consent (GDPR 6(1)(a), (b), (f))"),
                         N_("while the customer relationship lasts, then at most %s months without contact"),
                         RK_CONFIG_NO_CONTACT_MONTHS },
    [RK_CAT_PROTECTION] = { N_("Honouring non-disclosure and the population register's bans"),
                            N_("legal obligation (GDPR 6(1)(c); Väestötietojärjestelmälaki 661/2009)"),
                            N_("as long as the client's other data"), RK_CONFIG_NO_CONTACT_MONTHS },
    [RK_CAT_BUSINESS] = { N_("Business customers' contact persons"),
                          N_("legitimate interest (GDPR 6(1)(f))"),
                          N_("while the customer relationship lasts, then at most %s months without contact"),
                          RK_CONFIG_NO_CONTACT_MONTHS },
    [RK_CAT_HOUSEHOLD] = { N_("Serving members of the same household"),
                           N_("legitimate interest (GDPR 6(1)(f))"),
                           N_("while the customer relationship lasts, then at most %s months without contact"),
                           RK_CONFIG_NO_CONTACT_MONTHS },
    [RK_CAT_HISTORY] = { N_("Service history, feedback and the client's own wishes"),
                         N_("contract and legitimate interest (GDPR 6(1)(b), 6(1)(f))"),
                         N_("while the customer relationship lasts, then at most %s months without contact"),
                         RK_CONFIG_NO_CONTACT_MONTHS },
    [RK_CAT_BILLING] = { N_("Invoicing, collection and accounting"),
                         N_("contract and legal obligation (GDPR 6(1)(b), (c); Kirjanpitolaki 1336/1997)"),
                         N_("%s months after the end of the year, also after an erasure (legal hold)"),
                         RK_CONFIG_BILLING_HOLD_MONTHS },
    [RK_CAT_SOURCES] = { N_("Showing where each piece of data came from"),
                         N_("GDPR 14(2)(f) and accountability (GDPR 5(2))"),
                         N_("as long as the data it describes"), RK_CONFIG_NO_CONTACT_MONTHS },
};

/* ---- what an access report holds ---------------------------------------- */

typedef struct access_data {
    rk_client *client;
    rk_consent_event *consents;  size_t nconsents;
    rk_call_note *notes;         size_t nnotes;
    rk_history_row *history;     size_t nhistory;
    rk_disclosure *disclosures;  size_t ndisclosures;
    rk_request *requests;        size_t nrequests;
    rk_dbr_erasure erasure;
    bool erased;
    char retention_value[RK_CAT_COUNT][32];
} access_data;

static void access_free(access_data *d)
{
    rk_client_free(d->client);
    rk_consent_history_free(d->consents);
    rk_calls_free(d->notes, d->nnotes);
    rk_dbc_history_free(d->history, d->nhistory);
    rk_disclosures_free(d->disclosures, d->ndisclosures);
    free(d->requests);
}

static int access_load(rk_session *s, int64_t id, access_data *d, rk_err *err)
{
    memset(d, 0, sizeof *d);
    if (rk_session_require_role(s, RK_ROLE_DPO, err))
        return err->code;
    int rc = rk_client_erasure(s, id, &d->erasure, err);
    if (rc != RK_OK && rc != RK_ENOTFOUND)
        return rc;
    d->erased = rc == RK_OK;
    if (rk_clients_get(s, id, &d->client, err) ||
        rk_consent_history(s, id, -1, &d->consents, &d->nconsents, err) ||
        rk_calls_list(s, id, &d->notes, &d->nnotes, err) ||
        rk_clients_history(s, id, &d->history, &d->nhistory, err) ||
        rk_disclosures_list(s, id, &d->disclosures, &d->ndisclosures, err) ||
        rk_requests_list(s, id, false, &d->requests, &d->nrequests, err))
        return err->code;
    for (int k = 0; k < RK_CAT_COUNT; k++)
        if (rk_config_get(s, purposes[k].setting, d->retention_value[k],
                          sizeof d->retention_value[k], err))
            return err->code;
    return RK_OK;
}

/* The translated retention sentence with the setting's value in place of
 * its "%s" (translations are data, never a format string). */
static void retention_text(const char *tmpl, const char *value, char *out, size_t n)
{
    const char *at = strstr(tmpl, "%s");
    if (!at)
        snprintf(out, n, "%s", tmpl);
    else
        snprintf(out, n, "%.*s%s%s", (int)(at - tmpl), tmpl, value, at + 2);
}

static void clean(char *out, size_t n, const char *in)
{
    rk_sanitize(out, n, in, 0);
}

static void heading(FILE *out, const char *title)
{
    fprintf(out, "\n%s\n", title);
    for (const char *p = title; *p; p++)
        if (((unsigned char)*p & 0xC0) != 0x80)
            fputc('=', out);
    fputc('\n', out);
}

static void print_block(FILE *out, const char *text)
{
    size_t n = strlen(text) * 4 + 1;
    char *c = malloc(n);
    if (!c)
        return;
    rk_sanitize(c, n, text, RK_SANITIZE_KEEP_NEWLINE);
    fputs("      ", out);
    for (const char *p = c; *p; p++) {
        fputc(*p, out);
        if (*p == '\n')
            fputs("      ", out);
    }
    fputc('\n', out);
    free(c);
}

static void access_text(rk_session *s, const access_data *d, FILE *out)
{
    char a[64], b[1100], c[1100], when[40];
    char now[32];
    rk_date_display(rk_now_iso(now), when, sizeof when);
    clean(b, sizeof b, s->registry_name);
    fprintf(out, "%s\n", _("Report of personal data (GDPR Art. 15)"));
    fprintf(out, "%s: %s\n", _("Register"), b);
    fprintf(out, "%s: %s, %s\n", _("Produced"), when, s->full_name[0] ? s->full_name : s->user);
    fprintf(out, "%s: %s\n", _(rk_fields[RK_F_CUSTOMER_NO].label),
            d->client->value[RK_F_CUSTOMER_NO] ? d->client->value[RK_F_CUSTOMER_NO] : "");
    if (d->client->restricted)
        fprintf(out, "%s\n", _("Processing of this data is restricted (GDPR Art. 18)."));
    if (d->erased) {
        rk_date_display(d->erasure.erased, when, sizeof when);
        fprintf(out, _("The data was erased on %s."), when);
        if (d->erasure.hold_until[0] && !d->erasure.hold_ended[0]) {
            rk_date_display(d->erasure.hold_until, a, sizeof a);
            fprintf(out, " ");
            fprintf(out, _("Billing data is kept until %s (%s)."), a, d->erasure.hold_basis);
        }
        fputc('\n', out);
    }

    heading(out, _("Data on the card"));
    rk_client_print_text(out, d->client);

    heading(out, _("Consents and marketing bans"));
    if (!d->nconsents)
        fprintf(out, "  %s\n", _("None recorded."));
    for (size_t i = 0; i < d->nconsents; i++) {
        const rk_consent_event *e = &d->consents[i];
        if (e->slot >= 0)
            rk_slot_label(e->slot, b, sizeof b);
        else
            clean(b, sizeof b, e->slot_name);
        rk_date_display(e->ts, when, sizeof when);
        fprintf(out, "  %s  %s: %s (%s, %s)\n", when, b, rk_cstate_label(e->state),
                e->source >= 0 ? rk_csource_label((rk_csource)e->source) : "?", e->user);
        if (e->note[0]) {
            clean(c, sizeof c, e->note);
            fprintf(out, "      %s\n", c);
        }
    }

    heading(out, _("Call notes"));
    if (!d->nnotes)
        fprintf(out, "  %s\n", _("None."));
    for (size_t i = 0; i < d->nnotes; i++) {
        const rk_call_note *x = &d->notes[i];
        rk_date_display(x->started, when, sizeof when);
        rk_date_display(x->keep_until, a, sizeof a);
        fprintf(out, _("  %s, %s, %ld s, %s, by %s; purpose: %s; kept until %s\n"), when,
                rk_call_direction_label(x->direction), x->duration, x->number, x->user,
                rk_call_purpose_label(x->purpose), a);
        print_block(out, x->summary);
        for (size_t k = 0; k < x->namendments; k++) {
            rk_date_display(x->amendments[k].ts, when, sizeof when);
            fprintf(out, _("    Amendment %s by %s:\n"), when, x->amendments[k].user);
            print_block(out, x->amendments[k].text);
        }
    }

    heading(out, _("Changes to the data (field history)"));
    if (!d->nhistory)
        fprintf(out, "  %s\n", _("None."));
    for (size_t i = 0; i < d->nhistory; i++) {
        const rk_history_row *h = &d->history[i];
        int f = rk_field_parse(h->field);
        rk_date_display(h->ts, when, sizeof when);
        clean(b, sizeof b, h->old_value);
        clean(c, sizeof c, h->new_value);
        fprintf(out, "  %s %s, %s: \"%s\" -> \"%s\"\n", when, h->user,
                f >= 0 ? _(rk_fields[f].label) : h->field, b, c);
    }

    heading(out, _("Disclosures of the data"));
    if (!d->ndisclosures)
        fprintf(out, "  %s\n", _("None."));
    for (size_t i = 0; i < d->ndisclosures; i++) {
        const rk_disclosure *x = &d->disclosures[i];
        rk_date_display(x->ts, when, sizeof when);
        clean(b, sizeof b, x->recipient);
        fprintf(out, _("  %s to \"%s\": %s, purpose %s, legal basis: %s, data: %s\n"), when, b,
                x->kind, x->purpose, rk_legal_basis_label(x->legal_basis), x->categories);
    }

    heading(out, _("Requests made by the person"));
    if (!d->nrequests)
        fprintf(out, "  %s\n", _("None."));
    for (size_t i = 0; i < d->nrequests; i++) {
        const rk_request *r = &d->requests[i];
        rk_date_display(r->received, when, sizeof when);
        rk_date_display(r->due, a, sizeof a);
        fprintf(out, _("  %s %s (%s), due %s: %s\n"), when, rk_request_kind_label(r->kind),
                rk_request_channel_label(r->channel), a, rk_request_status_label(r->status));
    }

    heading(out, _("Purposes, legal bases and retention"));
    for (int k = 0; k < RK_CAT_COUNT; k++) {
        fprintf(out, "  %s\n", rk_category_label((rk_category)k));
        fprintf(out, "    %s: %s\n", _("Purpose"), _(purposes[k].purpose));
        fprintf(out, "    %s: %s\n", _("Legal basis"), _(purposes[k].basis));
        retention_text(_(purposes[k].retention), d->retention_value[k], b, sizeof b);
        fprintf(out, "    %s: %s\n", _("Kept"), b);
    }
}

static json_t *access_json(rk_session *s, const access_data *d)
{
    char now[32];
    json_t *o = json_pack("{s:s,s:s,s:s,s:o}", "schema", "rekisteri.access/1", "generated",
                          rk_now_iso(now), "produced_by", s->user, "client",
                          rk_client_to_json(d->client));
    if (!o)
        return NULL;
    json_object_set_new(o, "erasure", d->erased
        ? json_pack("{s:s,s:s,s:s,s:s}", "erased", d->erasure.erased, "hold_until",
                    d->erasure.hold_until, "hold_basis", d->erasure.hold_basis, "hold_ended",
                    d->erasure.hold_ended)
        : json_null());
    json_t *a = json_array();
    for (size_t i = 0; i < d->nconsents; i++) {
        const rk_consent_event *e = &d->consents[i];
        json_array_append_new(a, json_pack("{s:I,s:s,s:s,s:s,s:s,s:s,s:s}", "id", (json_int_t)e->id,
                                           "item", e->slot_name, "state", rk_cstate_name(e->state),
                                           "ts", e->ts, "by", e->user, "source",
                                           e->source >= 0 ? rk_csource_name((rk_csource)e->source) : "",
                                           "note", e->note));
    }
    json_object_set_new(o, "consent_history", a);
    a = json_array();
    for (size_t i = 0; i < d->nnotes; i++) {
        const rk_call_note *x = &d->notes[i];
        json_t *am = json_array();
        for (size_t k = 0; k < x->namendments; k++)
            json_array_append_new(am, json_pack("{s:s,s:s,s:s}", "ts", x->amendments[k].ts, "by",
                                                x->amendments[k].user, "text", x->amendments[k].text));
        json_array_append_new(a, json_pack("{s:I,s:s,s:s,s:I,s:s,s:s,s:s,s:s,s:s,s:o}", "id",
                                           (json_int_t)x->id, "started", x->started, "direction",
                                           rk_call_direction_name(x->direction), "duration",
                                           (json_int_t)x->duration, "number", x->number, "by", x->user,
                                           "purpose", rk_call_purpose_name(x->purpose), "summary",
                                           x->summary, "keep_until", x->keep_until, "amendments", am));
    }
    json_object_set_new(o, "call_notes", a);
    a = json_array();
    for (size_t i = 0; i < d->nhistory; i++)
        json_array_append_new(a, json_pack("{s:s,s:s,s:s,s:s,s:s}", "ts", d->history[i].ts, "by",
                                           d->history[i].user, "field", d->history[i].field, "old",
                                           d->history[i].old_value, "new", d->history[i].new_value));
    json_object_set_new(o, "field_history", a);
    a = json_array();
    for (size_t i = 0; i < d->ndisclosures; i++) {
        const rk_disclosure *x = &d->disclosures[i];
        json_array_append_new(a, json_pack("{s:I,s:s,s:s,s:s,s:s,s:s,s:s}", "id", (json_int_t)x->id,
                                           "ts", x->ts, "kind", x->kind, "recipient", x->recipient,
                                           "purpose", x->purpose, "legal_basis", x->legal_basis,
                                           "categories", x->categories));
    }
    json_object_set_new(o, "disclosures", a);
    a = json_array();
    for (size_t i = 0; i < d->nrequests; i++) {
        const rk_request *r = &d->requests[i];
        json_array_append_new(a, json_pack("{s:I,s:s,s:s,s:s,s:s,s:s,s:s}", "id", (json_int_t)r->id,
                                           "kind", r->kind, "received", r->received, "channel",
                                           r->channel, "due", r->due, "status", r->status, "closed",
                                           r->closed));
    }
    json_object_set_new(o, "requests", a);
    a = json_array();
    for (int k = 0; k < RK_CAT_COUNT; k++) {
        char ret[256];
        retention_text(purposes[k].retention, d->retention_value[k], ret, sizeof ret);
        json_array_append_new(a, json_pack("{s:s,s:s,s:s,s:s}", "category",
                                           rk_category_name((rk_category)k), "purpose",
                                           purposes[k].purpose, "legal_basis", purposes[k].basis,
                                           "retention", ret));
    }
    json_object_set_new(o, "purposes", a);
    return o;
}

static int dump_json(json_t *o, FILE *out, rk_err *err)
{
    if (!o)
        return rk_err_set(err, RK_EFAIL, _("Out of memory."));
    int rc = json_dumpf(o, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    json_decref(o);
    fputc('\n', out);
    if (rc)
        return rk_err_set(err, RK_EFAIL, _("Cannot write the report."));
    return RK_OK;
}

static int audit_report(rk_session *s, rk_report_kind kind, int64_t id, const char *format,
                        rk_err *err)
{
    char details[96];
    snprintf(details, sizeof details, "kind=%s format=%s", kind_names[kind], format);
    return rk_session_audit(s, RK_AUDIT_REPORT_PRODUCED, id, details, err);
}

int rk_report_access(rk_session *s, int64_t client_id, FILE *text, FILE *json, rk_err *err)
{
    access_data d;
    int rc = access_load(s, client_id, &d, err);
    if (rc == RK_OK) {
        if (text)
            access_text(s, &d, text);
        if (json)
            rc = dump_json(access_json(s, &d), json, err);
    }
    access_free(&d);
    if (rc)
        return rc;
    return audit_report(s, RK_REPORT_ACCESS, client_id,
                        text && json ? "text,json" : text ? "text" : "json", err);
}

/* ---- portability -------------------------------------------------------- */

static bool portable(rk_field f)
{
    rk_category c = rk_fields[f].category;
    if (rk_fields[f].flags & RK_FF_READONLY)
        return false;
    if (f == RK_F_LOYALTY)
        return false;
    return c == RK_CAT_IDENTITY || c == RK_CAT_CONTACT || c == RK_CAT_BUSINESS ||
           c == RK_CAT_HISTORY;
}

static json_t *portability_json(rk_session *s, int64_t id, rk_err *err)
{
    rk_client *c;
    if (rk_clients_get(s, id, &c, err))
        return NULL;
    rk_consent_grid g;
    if (rk_consent_grid_get(s, id, &g, err)) {
        rk_client_free(c);
        return NULL;
    }
    json_t *card = rk_client_to_json(c);
    char now[32];
    json_t *fields = json_object();
    for (int f = 0; card && f < RK_F_COUNT; f++) {
        json_t *v = json_object_get(json_object_get(card, "fields"), rk_fields[f].name);
        if (portable((rk_field)f) && v)
            json_object_set(fields, rk_fields[f].name, v);
    }
    json_t *consents = json_array();
    for (int k = 0; k < RK_CONSENT_SLOTS; k++) {
        if (!g.slot[k].event_id)
            continue;
        char name[48];
        rk_slot_name(k, name, sizeof name);
        json_array_append_new(consents, json_pack("{s:s,s:s,s:s}", "item", name, "state",
                                                  rk_cstate_name(g.slot[k].state), "since",
                                                  g.slot[k].since));
    }
    json_t *o = json_pack("{s:s,s:s,s:I,s:o,s:o}", "schema", "rekisteri.portability/1", "generated",
                          rk_now_iso(now), "customer_no",
                          (json_int_t)strtoll(c->value[RK_F_CUSTOMER_NO] ? c->value[RK_F_CUSTOMER_NO] : "0",
                                              NULL, 10),
                          "fields", fields, "consents", consents);
    json_decref(card);
    rk_client_free(c);
    if (!o)
        rk_err_set(err, RK_EFAIL, _("Out of memory."));
    return o;
}

static void csv_row(FILE *out, const char *a, const char *b, const char *c, const char *d)
{
    rk_csv_cell(out, a, true);
    rk_csv_cell(out, b, false);
    rk_csv_cell(out, c, false);
    rk_csv_cell(out, d, false);
    fputs("\r\n", out);
}

static const char *json_scalar(json_t *v, char *buf, size_t n)
{
    if (json_is_string(v))
        return json_string_value(v);
    if (json_is_integer(v))
        snprintf(buf, n, "%lld", (long long)json_integer_value(v));
    else
        snprintf(buf, n, "%s", json_is_true(v) ? "true" : json_is_false(v) ? "false" : "");
    return buf;
}

static void portability_csv(json_t *o, FILE *out)
{
    char num[32], item[24];
    csv_row(out, "field", "item", "key", "value");
    const char *name;
    json_t *v;
    json_object_foreach(json_object_get(o, "fields"), name, v) {
        if (!json_is_array(v)) {
            csv_row(out, name, "", "", json_scalar(v, num, sizeof num));
            continue;
        }
        size_t i;
        json_t *el;
        json_array_foreach(v, i, el) {
            snprintf(item, sizeof item, "%zu", i + 1);
            const char *key;
            json_t *m;
            json_object_foreach(el, key, m)
                csv_row(out, name, item, key, json_scalar(m, num, sizeof num));
        }
    }
    size_t i;
    json_t *el;
    json_array_foreach(json_object_get(o, "consents"), i, el) {
        char field[64];
        snprintf(field, sizeof field, "consent:%s", json_string_value(json_object_get(el, "item")));
        csv_row(out, field, "", "state", json_string_value(json_object_get(el, "state")));
        csv_row(out, field, "", "since", json_string_value(json_object_get(el, "since")));
    }
}

/* ---- log data ----------------------------------------------------------- */

static int since_date(const char *since, char out[RK_DATE_ISO_SIZE], rk_err *err)
{
    if (since && *since) {
        rk_date d;
        if (rk_date_parse(since, &d, err) || rk_date_format_iso(&d, out, err))
            return rk_err_set(err, RK_EUSAGE, _("--since: %s"), err->msg);
        return RK_OK;
    }
    char today[RK_DATE_ISO_SIZE];
    return rk_date_add_months(rk_today(today), -RK_REPORT_LOG_MONTHS, out, err);
}

int rk_report_log_rows(rk_session *s, int64_t client_id, const char *since, rk_audit_row **out,
                       size_t *n, rk_err *err)
{
    *out = NULL;
    *n = 0;
    if (rk_session_require_role(s, RK_ROLE_DPO, err))
        return err->code;
    rk_audit_filter f = { .client_id = client_id };
    if (since_date(since, f.from, err))
        return err->code;
    return rk_audit_rows(s, &f, 0, out, n, err);
}

static int log_report(rk_session *s, int64_t id, rk_report_format format, const char *since,
                      FILE *out, rk_err *err)
{
    char from[RK_DATE_ISO_SIZE];
    if (since_date(since, from, err))
        return err->code;
    rk_audit_row *rows;
    size_t n;
    if (rk_report_log_rows(s, id, from, &rows, &n, err))
        return err->code;
    rk_disclosure *d;
    size_t nd;
    if (rk_disclosures_list(s, id, &d, &nd, err)) {
        free(rows);
        return err->code;
    }
    char when[40], det[1100];
    if (format == RK_REPORT_TEXT) {
        rk_date_display(from, when, sizeof when);
        fprintf(out, "%s\n", _("Log data: who has viewed or processed the data"));
        fprintf(out, _("Since %s\n"), when);
        heading(out, _("Events"));
        for (size_t i = 0; i < n; i++) {
            rk_date_display(rows[i].ts, when, sizeof when);
            clean(det, sizeof det, rows[i].details);
            fprintf(out, "  %s  %-12s %s%s%s\n", when, rows[i].user,
                    rk_audit_action_description(rows[i].action), det[0] ? " - " : "", det);
        }
        heading(out, _("Disclosures"));
    } else if (format == RK_REPORT_CSV) {
        fputs("kind,ts,user,action,details\r\n", out);
    }
    json_t *events = json_array(), *disclosures = json_array();
    for (size_t i = 0; i < n; i++) {
        if (format == RK_REPORT_CSV) {
            rk_csv_cell(out, "event", true);
            rk_csv_cell(out, rows[i].ts, false);
            rk_csv_cell(out, rows[i].user, false);
            rk_csv_cell(out, rows[i].action, false);
            rk_csv_cell(out, rows[i].details, false);
            fputs("\r\n", out);
        }
        json_array_append_new(events, json_pack("{s:I,s:s,s:s,s:s,s:s}", "seq", (json_int_t)rows[i].seq,
                                                "ts", rows[i].ts, "user", rows[i].user, "action",
                                                rows[i].action, "details", rows[i].details));
    }
    for (size_t i = 0; i < nd; i++) {
        if (strcmp(d[i].ts, from) < 0)
            continue;
        char what[700];
        snprintf(what, sizeof what, "recipient=%s purpose=%s legal_basis=%s categories=%s",
                 d[i].recipient, d[i].purpose, d[i].legal_basis, d[i].categories);
        if (format == RK_REPORT_TEXT) {
            rk_date_display(d[i].ts, when, sizeof when);
            clean(det, sizeof det, d[i].recipient);
            fprintf(out, _("  %s  %-12s to \"%s\", purpose %s, legal basis: %s, data: %s\n"), when,
                    d[i].user, det, d[i].purpose, rk_legal_basis_label(d[i].legal_basis),
                    d[i].categories);
        } else if (format == RK_REPORT_CSV) {
            rk_csv_cell(out, "disclosure", true);
            rk_csv_cell(out, d[i].ts, false);
            rk_csv_cell(out, d[i].user, false);
            rk_csv_cell(out, d[i].kind, false);
            rk_csv_cell(out, what, false);
            fputs("\r\n", out);
        }
        json_array_append_new(disclosures,
                              json_pack("{s:I,s:s,s:s,s:s,s:s,s:s,s:s,s:s}", "id", (json_int_t)d[i].id,
                                        "ts", d[i].ts, "user", d[i].user, "kind", d[i].kind,
                                        "recipient", d[i].recipient, "purpose", d[i].purpose,
                                        "legal_basis", d[i].legal_basis, "categories",
                                        d[i].categories));
    }
    int rc = RK_OK;
    if (format == RK_REPORT_JSON)
        rc = dump_json(json_pack("{s:s,s:s,s:o,s:o}", "schema", "rekisteri.log/1", "since", from,
                                 "events", events, "disclosures", disclosures),
                       out, err);
    else {
        json_decref(events);
        json_decref(disclosures);
    }
    free(rows);
    rk_disclosures_free(d, nd);
    return rc;
}

static const char *format_name(rk_report_format f)
{
    return f == RK_REPORT_TEXT ? "text" : f == RK_REPORT_JSON ? "json" : "csv";
}

int rk_report(rk_session *s, rk_report_kind kind, int64_t client_id, rk_report_format format,
              const char *since, FILE *out, rk_err *err)
{
    if (rk_session_require_role(s, RK_ROLE_DPO, err))
        return err->code;
    int rc;
    switch (kind) {
    case RK_REPORT_ACCESS:
        if (format == RK_REPORT_CSV)
            return rk_err_set(err, RK_EUSAGE, _("The access report is text or json."));
        return rk_report_access(s, client_id, format == RK_REPORT_TEXT ? out : NULL,
                                format == RK_REPORT_JSON ? out : NULL, err);
    case RK_REPORT_PORTABILITY: {
        if (format == RK_REPORT_TEXT)
            return rk_err_set(err, RK_EUSAGE, _("The portability report is json or csv."));
        json_t *o = portability_json(s, client_id, err);
        if (!o)
            return err->code;
        if (format == RK_REPORT_CSV) {
            portability_csv(o, out);
            json_decref(o);
            rc = RK_OK;
        } else {
            rc = dump_json(o, out, err);
        }
        break;
    }
    case RK_REPORT_LOG:
        rc = log_report(s, client_id, format, since, out, err);
        break;
    default:
        return rk_err_set(err, RK_EUSAGE, _("Unknown report."));
    }
    if (rc)
        return rc;
    return audit_report(s, kind, client_id, format_name(format), err);
}

/* ---- files for a request ------------------------------------------------ */

static FILE *create_report_file(const char *dir, const rk_request *r, const char *ext, char *path,
                                size_t n, rk_err *err)
{
    snprintf(path, n, "%s/rekisteri-%lld-%s-r%lld.%s", dir, (long long)r->customer_no, r->kind,
             (long long)r->id, ext);
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
    if (!f) {
        rk_err_set(err, RK_EFAIL, _("Cannot create %s: %s."), path, strerror(errno));
        if (fd >= 0)
            close(fd);
    }
    return f;
}

static void add_written(char *written, size_t n, const char *path)
{
    size_t len = strlen(written);
    snprintf(written + len, n - len, "%s%s", len ? "; " : "", path);
}

int rk_report_for_request(rk_session *s, int64_t request_id, const char *dir, char *written,
                          size_t n, rk_err *err)
{
    written[0] = '\0';
    rk_request r;
    if (rk_request_get(s, request_id, &r, err))
        return err->code;
    char p1[1024], p2[1024];
    FILE *a = NULL, *b = NULL;
    int rc;
    if (strcmp(r.kind, rk_request_kind_name(RK_REQ_LOG_DATA)) == 0) {
        if (!(a = create_report_file(dir, &r, "txt", p1, sizeof p1, err)))
            return err->code;
        rc = rk_report(s, RK_REPORT_LOG, r.client_id, RK_REPORT_TEXT, NULL, a, err);
    } else if (strcmp(r.kind, rk_request_kind_name(RK_REQ_PORTABILITY)) == 0) {
        if (!(a = create_report_file(dir, &r, "json", p1, sizeof p1, err)))
            return err->code;
        if (!(b = create_report_file(dir, &r, "csv", p2, sizeof p2, err))) {
            fclose(a);
            unlink(p1);
            return err->code;
        }
        rc = rk_report(s, RK_REPORT_PORTABILITY, r.client_id, RK_REPORT_JSON, NULL, a, err);
        if (rc == RK_OK)
            rc = rk_report(s, RK_REPORT_PORTABILITY, r.client_id, RK_REPORT_CSV, NULL, b, err);
    } else {
        if (!(a = create_report_file(dir, &r, "txt", p1, sizeof p1, err)))
            return err->code;
        if (!(b = create_report_file(dir, &r, "json", p2, sizeof p2, err))) {
            fclose(a);
            unlink(p1);
            return err->code;
        }
        rc = rk_report_access(s, r.client_id, a, b, err);
    }
    if (fclose(a) && rc == RK_OK)
        rc = rk_err_set(err, RK_EFAIL, _("Cannot write %s."), p1);
    if (b && fclose(b) && rc == RK_OK)
        rc = rk_err_set(err, RK_EFAIL, _("Cannot write %s."), p2);
    if (rc) {
        /* Half a report is no report. */
        unlink(p1);
        if (b)
            unlink(p2);
        return rc;
    }
    add_written(written, n, p1);
    if (b)
        add_written(written, n, p2);
    return RK_OK;
}
