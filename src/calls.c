#include "calls.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "clients.h"
#include "db_clients.h"
#include "db_consent.h"
#include "db_settings.h"
#include "rights.h"
#include "textbuf.h"

static const struct { const char *name, *label; } directions[RK_CALL_DIRECTION_COUNT] = {
#define X(id, n, l) [RK_CALL_##id] = { n, l },
    RK_CALL_DIRECTIONS(X)
#undef X
};

static const struct { const char *name, *label; } call_purposes[RK_CALL_PURPOSE_COUNT] = {
#define X(id, n, l) [RK_CALL_PURPOSE_##id] = { n, l },
    RK_CALL_PURPOSES(X)
#undef X
};

#define IN_RANGE(v, n) ((int)(v) >= 0 && (int)(v) < (n))

const char *rk_call_direction_name(rk_call_direction d) { return IN_RANGE(d, RK_CALL_DIRECTION_COUNT) ? directions[d].name : "?"; }
const char *rk_call_direction_label(rk_call_direction d) { return IN_RANGE(d, RK_CALL_DIRECTION_COUNT) ? _(directions[d].label) : "?"; }
const char *rk_call_purpose_name(rk_call_purpose p) { return IN_RANGE(p, RK_CALL_PURPOSE_COUNT) ? call_purposes[p].name : "?"; }
const char *rk_call_purpose_label(rk_call_purpose p) { return IN_RANGE(p, RK_CALL_PURPOSE_COUNT) ? _(call_purposes[p].label) : "?"; }

int rk_call_direction_parse(const char *name)
{
    for (int i = 0; name && i < RK_CALL_DIRECTION_COUNT; i++)
        if (strcmp(name, directions[i].name) == 0)
            return i;
    return -1;
}

int rk_call_purpose_parse(const char *name)
{
    for (int i = 0; name && i < RK_CALL_PURPOSE_COUNT; i++)
        if (strcmp(name, call_purposes[i].name) == 0)
            return i;
    return -1;
}

/* ---- access -------------------------------------------------------------- */

/* The level is the policy table's row for the area "call_notes" (defaults
 * and overrides in src/policy.c). */
int rk_calls_level(rk_session *s, rk_level *out, rk_err *err)
{
    return rk_clients_area_level(s, RK_AREA_CALL_NOTES, out, err);
}

static int need_level(rk_session *s, rk_level want, rk_err *err)
{
    rk_level l;
    if (rk_calls_level(s, &l, err))
        return err->code;
    if (l < want)
        return rk_err_set(err, RK_EDENIED,
                          want == RK_LEVEL_WRITE
                              ? _("Your role (%s) may not write call notes.")
                              : _("Your role (%s) may not see call notes."),
                          rk_role_label(s->role));
    return RK_OK;
}

/* ---- dates and times ------------------------------------------------------ */

int rk_date_add_months(const char *iso, int months, char out[RK_DATE_ISO_SIZE], rk_err *err)
{
    rk_date d;
    if (rk_date_parse(iso, &d, err))
        return RK_EFAIL;
    long m = (long)d.year * 12 + (d.month - 1) + months;
    d.year = (int)(m / 12);
    d.month = (int)(m % 12) + 1;
    int dim = rk_days_in_month(d.year, d.month);
    if (d.day > dim)
        d.day = dim;
    return rk_date_format_iso(&d, out, err);
}

/* "...T14:05:00Z" (UTC) or "2026-03-02 16:05" / "2.3.2026 16:05" (local). */
static int parse_started(const char *in, char out[32], rk_err *err)
{
    time_t now = time(NULL);
    if (!in || !*in) {
        strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", gmtime(&now));
        return RK_OK;
    }
    char date_part[16];
    const char *sep = strpbrk(in, "T ");
    size_t dl = sep ? (size_t)(sep - in) : 0;
    if (!sep || dl >= sizeof date_part)
        return rk_err_set(err, RK_EUSAGE,
                          _("The call time \"%s\" needs a date and a time, e.g. 2026-03-02T14:05:00Z or 2.3.2026 16:05."),
                          in);
    memcpy(date_part, in, dl);
    date_part[dl] = '\0';
    rk_date d;
    if (rk_date_parse(date_part, &d, err))
        return RK_EUSAGE;
    int hh, mm, ss = 0, used = 0;
    const char *t = sep + 1;
    if (sscanf(t, "%2d:%2d%n", &hh, &mm, &used) != 2)
        return rk_err_set(err, RK_EUSAGE, _("The call time \"%s\" has no hours and minutes (HH:MM)."), in);
    t += used;
    if (*t == ':') {
        if (sscanf(t, ":%2d%n", &ss, &used) != 1)
            return rk_err_set(err, RK_EUSAGE, _("The call time \"%s\" has bad seconds."), in);
        t += used;
    }
    bool utc = *t == 'Z';
    if (utc)
        t++;
    if (*t || hh < 0 || hh > 23 || mm < 0 || mm > 59 || ss < 0 || ss > 59)
        return rk_err_set(err, RK_EUSAGE, _("The call time \"%s\" is not a valid time of day."), in);
    struct tm tm = { .tm_year = d.year - 1900, .tm_mon = d.month - 1, .tm_mday = d.day,
                     .tm_hour = hh, .tm_min = mm, .tm_sec = ss, .tm_isdst = -1 };
    time_t when = utc ? timegm(&tm) : mktime(&tm);
    if (when == (time_t)-1)
        return rk_err_set(err, RK_EUSAGE, _("The call time \"%s\" is not a valid time."), in);
    if (when > now + 300)
        return rk_err_set(err, RK_EUSAGE, _("The call time \"%s\" is in the future."), in);
    strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", gmtime(&when));
    return RK_OK;
}

/* ---- checks ---------------------------------------------------------------- */

/* Validates multi-line text: UTF-8, cleaned as the editor cleans, 1 to the
 * limit. *out malloc'd on success. */
static int check_text(const char *what, const char *text, char **out, rk_err *err)
{
    *out = NULL;
    if (!text)
        text = "";
    long bad = rk_utf8_invalid_at(text);
    if (bad >= 0)
        return rk_err_set(err, RK_EUSAGE, _("The %s is not valid UTF-8 text (byte %ld)."), what, bad + 1);
    size_t chars;
    char *clean = rk_text_clean(text, strlen(text), &chars);
    if (!clean)
        return rk_err_set(err, RK_EFAIL, _("Out of memory."));
    if (clean[strspn(clean, " \n")] == '\0') {
        free(clean);
        return rk_err_set(err, RK_EUSAGE, _("The %s is empty; write what was said."), what);
    }
    if (chars > RK_CALL_TEXT_MAX_CHARS || strlen(clean) > RK_CALL_TEXT_MAX_BYTES) {
        free(clean);
        return rk_err_set(err, RK_EUSAGE, _("The %s is %zu characters long; the limit is %d."), what,
                          chars, RK_CALL_TEXT_MAX_CHARS);
    }
    *out = clean;
    return RK_OK;
}

struct checked {
    char started[32];
    char number[RK_PHONE_SIZE];
    char recording_id[RK_CALL_RECORDING_ID_MAX + 1];
    char *summary;
    char keep_until[RK_DATE_ISO_SIZE];   /* "" = default, computed when saving */
};

static int bad_field(rk_call_field *bad, rk_call_field f, int rc)
{
    if (bad)
        *bad = f;
    return rc;
}

static int check_input(const rk_call_input *in, struct checked *c, rk_call_field *bad, rk_err *err)
{
    memset(c, 0, sizeof *c);
    if (bad)
        *bad = RK_CALL_F_NONE;
    if (in->client_id <= 0)
        return bad_field(bad, RK_CALL_F_CLIENT, rk_err_set(err, RK_EUSAGE, _("A call note needs its client.")));
    if (parse_started(in->started, c->started, err))
        return bad_field(bad, RK_CALL_F_STARTED, RK_EUSAGE);
    if (!IN_RANGE(in->direction, RK_CALL_DIRECTION_COUNT))
        return bad_field(bad, RK_CALL_F_DIRECTION,
                         rk_err_set(err, RK_EUSAGE, _("The call's direction must be in or out.")));
    if (in->duration < 0 || in->duration > RK_CALL_DURATION_MAX)
        return bad_field(bad, RK_CALL_F_DURATION,
                         rk_err_set(err, RK_EUSAGE, _("The call's duration must be 0 to %d seconds."),
                                    RK_CALL_DURATION_MAX));
    rk_err e2;
    if (rk_phone_normalise(in->number ? in->number : "", c->number, &e2))
        return bad_field(bad, RK_CALL_F_NUMBER,
                         rk_err_set(err, RK_EUSAGE, _("The caller's number: %s"), e2.msg));
    const char *rid = in->recording_id ? in->recording_id : "";
    size_t rl = strlen(rid);
    bool rid_ok = rl <= RK_CALL_RECORDING_ID_MAX;
    for (size_t i = 0; rid_ok && i < rl; i++)
        rid_ok = rid[i] > 0x20 && rid[i] < 0x7f;
    if (!rid_ok)
        return bad_field(bad, RK_CALL_F_RECORDING,
                         rk_err_set(err, RK_EUSAGE,
                                    _("The recording's identifier must be at most %d visible ASCII characters without spaces."),
                                    RK_CALL_RECORDING_ID_MAX));
    memcpy(c->recording_id, rid, rl + 1);
    if (!IN_RANGE(in->purpose, RK_CALL_PURPOSE_COUNT))
        return bad_field(bad, RK_CALL_F_PURPOSE,
                         rk_err_set(err, RK_EUSAGE, _("The recording's purpose must be verify, training or quality.")));
    if (in->training_consent && !in->told)
        return bad_field(bad, RK_CALL_F_TRAINING,
                         rk_err_set(err, RK_EUSAGE,
                                    _("Consent to use the recording for training needs the caller to have been told of the recording.")));
    if (in->keep_until && *in->keep_until) {
        rk_date d;
        if (rk_date_parse(in->keep_until, &d, &e2) || rk_date_format_iso(&d, c->keep_until, &e2))
            return bad_field(bad, RK_CALL_F_KEEP_UNTIL,
                             rk_err_set(err, RK_EUSAGE, _("Keep until: %s"), e2.msg));
        if (strncmp(c->keep_until, c->started, 10) < 0)
            return bad_field(bad, RK_CALL_F_KEEP_UNTIL,
                             rk_err_set(err, RK_EUSAGE, _("Keep until %s is before the call itself."),
                                        c->keep_until));
    }
    if (check_text(_("summary"), in->summary, &c->summary, err))
        return bad_field(bad, RK_CALL_F_SUMMARY, err->code);
    return RK_OK;
}

int rk_calls_check(const rk_call_input *in, rk_call_field *bad, rk_err *err)
{
    struct checked c;
    int rc = check_input(in, &c, bad, err);
    free(c.summary);
    return rc;
}

static int keep_months(rk_session *s, int *months, rk_err *err)
{
    char val[16];
    rk_err e2;
    int rc = rk_dbs_get(s->db, RK_SETTING_CALL_KEEP_MONTHS, val, sizeof val, &e2);
    *months = RK_CALL_KEEP_MONTHS_DEFAULT;
    if (rc == RK_ENOTFOUND)
        return RK_OK;
    if (rc)
        return rk_err_set(err, rc, "%s", e2.msg);
    char *end;
    long v = strtol(val, &end, 10);
    if (!*val || *end || v < 1 || v > 120)
        return rk_err_set(err, RK_EFAIL, _("The setting %s holds \"%s\"; it must be 1 to 120 months."),
                          RK_SETTING_CALL_KEEP_MONTHS, val);
    *months = (int)v;
    return RK_OK;
}

static int audit(rk_session *s, rk_audit_action a, int64_t client_id, const char *details,
                 rk_err *err)
{
    return rk_audit_append(s->db, s->audit_key, NULL, s->user, a, client_id, details, s->terminal, err);
}

/* Audits a read in its own transaction. */
static int audit_tx(rk_session *s, rk_audit_action a, int64_t client_id, const char *details,
                    rk_err *err)
{
    if (rk_db_begin(s->db, err))
        return err->code;
    if (audit(s, a, client_id, details, err)) {
        rk_db_rollback(s->db);
        return err->code;
    }
    return rk_db_commit(s->db, err);
}

/* ---- writing ---------------------------------------------------------------- */

int rk_calls_add(rk_session *s, const rk_call_input *in, const rk_consent_change *changes,
                 size_t n, const char *consent_note, int64_t *note_id, rk_call_field *bad,
                 rk_err *err)
{
    if (note_id)
        *note_id = 0;
    if (bad)
        *bad = RK_CALL_F_NONE;
    if (need_level(s, RK_LEVEL_WRITE, err))
        return err->code;
    struct checked c;
    int rc = check_input(in, &c, bad, err);
    if (rc)
        goto out;
    int64_t customer_no;
    if ((rc = rk_dbco_client_customer_no(s->db, in->client_id, &customer_no, err)) ||
        (rc = rk_client_refuse_if_erased(s, in->client_id, err))) {
        bad_field(bad, RK_CALL_F_CLIENT, rc);
        goto out;
    }
    if (n && (rc = rk_consent_may_apply(s, changes, n, err)))
        goto out;
    if (!c.keep_until[0]) {
        int months;
        char day[RK_DATE_ISO_SIZE];
        snprintf(day, sizeof day, "%.10s", c.started);
        if ((rc = keep_months(s, &months, err)) ||
            (rc = rk_date_add_months(day, months, c.keep_until, err)))
            goto out;
    }
    rk_dbca_note row = { .client_id = in->client_id, .duration = in->duration,
                         .told = in->told, .training_consent = in->training_consent,
                         .summary = c.summary };
    snprintf(row.started, sizeof row.started, "%s", c.started);
    snprintf(row.direction, sizeof row.direction, "%s", directions[in->direction].name);
    snprintf(row.user, sizeof row.user, "%s", s->user);
    snprintf(row.number, sizeof row.number, "%s", c.number);
    snprintf(row.recording_id, sizeof row.recording_id, "%s", c.recording_id);
    snprintf(row.purpose, sizeof row.purpose, "%s", call_purposes[in->purpose].name);
    snprintf(row.keep_until, sizeof row.keep_until, "%s", c.keep_until);
    rk_now_iso(row.created);

    if ((rc = rk_db_begin(s->db, err)))
        goto out;
    char details[128];
    if ((rc = rk_dbca_insert(s->db, &row, err)))
        goto fail;
    snprintf(details, sizeof details, "note=%lld purpose=%s consents=%zu", (long long)row.id,
             row.purpose, n);
    if ((rc = audit(s, RK_AUDIT_CALL_NOTE_ADDED, in->client_id, details, err)))
        goto fail;
    if (n) {
        rk_consent_batch b = { .source = RK_CSOURCE_PHONE, .call_id = row.id, .note = consent_note };
        if ((rc = rk_consent_apply_in_tx(s, in->client_id, changes, n, &b, row.created, NULL, err)))
            goto fail;
    }
    if ((rc = rk_db_commit(s->db, err)))
        goto out;
    if (note_id)
        *note_id = row.id;
    goto out;
fail:
    rk_db_rollback(s->db);
out:
    free(c.summary);
    return rc;
}

struct one_note {
    rk_call_note *note;
    bool oom;
};

static int copy_note(rk_call_note *dst, const rk_dbca_note *src)
{
    memset(dst, 0, sizeof *dst);
    dst->id = src->id;
    dst->client_id = src->client_id;
    snprintf(dst->started, sizeof dst->started, "%s", src->started);
    int d = rk_call_direction_parse(src->direction);
    dst->direction = d < 0 ? RK_CALL_IN : (rk_call_direction)d;
    dst->duration = (long)src->duration;
    snprintf(dst->user, sizeof dst->user, "%s", src->user);
    snprintf(dst->number, sizeof dst->number, "%s", src->number);
    snprintf(dst->recording_id, sizeof dst->recording_id, "%s", src->recording_id);
    int p = rk_call_purpose_parse(src->purpose);
    dst->purpose = p < 0 ? RK_CALL_PURPOSE_QUALITY : (rk_call_purpose)p;
    dst->told = src->told;
    dst->training_consent = src->training_consent;
    snprintf(dst->keep_until, sizeof dst->keep_until, "%s", src->keep_until);
    snprintf(dst->created, sizeof dst->created, "%s", src->created);
    dst->summary = strdup(src->summary ? src->summary : "");
    return dst->summary ? 0 : 1;
}

static int one_note_row(void *ctx, const rk_dbca_note *n)
{
    struct one_note *o = ctx;
    if (copy_note(o->note, n)) {
        o->oom = true;
        return 1;
    }
    return 0;
}

/* Reads a note without auditing (for the amend check and rk_calls_get). */
static int load_note(rk_session *s, int64_t id, rk_call_note **out, rk_err *err);

int rk_calls_amend(rk_session *s, int64_t note_id, const char *text, int64_t *amendment_id,
                   rk_err *err)
{
    if (amendment_id)
        *amendment_id = 0;
    if (need_level(s, RK_LEVEL_WRITE, err))
        return err->code;
    rk_call_note *note;
    int rc = load_note(s, note_id, &note, err);
    if (rc)
        return rc;
    char author[RK_USERNAME_MAX + 1];
    int64_t client_id = note->client_id;
    snprintf(author, sizeof author, "%s", note->user);
    rk_calls_free(note, 1);
    if (strcmp(author, s->user) != 0)
        return rk_err_set(err, RK_EDENIED, _("Only %s, who wrote call note %lld, may amend it."),
                          author, (long long)note_id);
    char *clean;
    if ((rc = check_text(_("amendment"), text, &clean, err)))
        return rc;
    char now[32], details[96];
    rk_now_iso(now);
    if ((rc = rk_db_begin(s->db, err)))
        goto out;
    int64_t aid;
    if ((rc = rk_dbca_amend(s->db, note_id, s->user, now, clean, &aid, err)))
        goto fail;
    snprintf(details, sizeof details, "note=%lld amendment=%lld", (long long)note_id, (long long)aid);
    if ((rc = audit(s, RK_AUDIT_CALL_NOTE_AMENDED, client_id, details, err)))
        goto fail;
    if ((rc = rk_db_commit(s->db, err)))
        goto out;
    if (amendment_id)
        *amendment_id = aid;
    goto out;
fail:
    rk_db_rollback(s->db);
out:
    free(clean);
    return rc;
}

/* ---- reading ----------------------------------------------------------------- */

struct amend_ctx {
    rk_call_note *note;
    bool oom;
};

static int amend_row(void *ctx, const rk_dbca_amendment *a)
{
    struct amend_ctx *x = ctx;
    rk_call_note *n = x->note;
    rk_call_amendment *arr = realloc(n->amendments, (n->namendments + 1) * sizeof *arr);
    if (!arr) {
        x->oom = true;
        return 1;
    }
    n->amendments = arr;
    rk_call_amendment *m = &arr[n->namendments];
    memset(m, 0, sizeof *m);
    m->id = a->id;
    snprintf(m->user, sizeof m->user, "%s", a->user);
    snprintf(m->ts, sizeof m->ts, "%s", a->ts);
    if (!(m->text = strdup(a->text))) {
        x->oom = true;
        return 1;
    }
    n->namendments++;
    return 0;
}

static int load_amendments(rk_session *s, rk_call_note *n, rk_err *err)
{
    struct amend_ctx x = { n, false };
    int rc = rk_dbca_amendments(s->db, n->id, amend_row, &x, err);
    if (x.oom)
        return rk_err_set(err, RK_EFAIL, _("Out of memory."));
    return rc;
}

static int load_note(rk_session *s, int64_t id, rk_call_note **out, rk_err *err)
{
    *out = calloc(1, sizeof **out);
    if (!*out)
        return rk_err_set(err, RK_EFAIL, _("Out of memory."));
    struct one_note o = { *out, false };
    int rc = rk_dbca_get(s->db, id, one_note_row, &o, err);
    if (o.oom)
        rc = rk_err_set(err, RK_EFAIL, _("Out of memory."));
    if (rc == RK_OK)
        rc = load_amendments(s, *out, err);
    if (rc) {
        rk_calls_free(*out, 1);
        *out = NULL;
    }
    return rc;
}

int rk_calls_get(rk_session *s, int64_t note_id, rk_call_note **note, rk_err *err)
{
    *note = NULL;
    if (need_level(s, RK_LEVEL_READ, err))
        return err->code;
    int rc = load_note(s, note_id, note, err);
    if (rc)
        return rc;
    char details[64];
    snprintf(details, sizeof details, "note=%lld", (long long)note_id);
    if ((rc = audit_tx(s, RK_AUDIT_CALL_NOTES_READ, (*note)->client_id, details, err))) {
        rk_calls_free(*note, 1);
        *note = NULL;
    }
    return rc;
}

struct list_ctx {
    rk_call_note *notes;
    size_t n, cap;
    bool oom;
};

static int list_row(void *ctx, const rk_dbca_note *n)
{
    struct list_ctx *l = ctx;
    if (!rk_grow(&l->notes, &l->cap, l->n, sizeof *l->notes, 8)) {
        l->oom = true;
        return 1;
    }
    if (copy_note(&l->notes[l->n], n)) {
        l->oom = true;
        return 1;
    }
    l->n++;
    return 0;
}

int rk_calls_list(rk_session *s, int64_t client_id, rk_call_note **notes, size_t *n, rk_err *err)
{
    *notes = NULL;
    *n = 0;
    int64_t customer_no;
    if (need_level(s, RK_LEVEL_READ, err) ||
        rk_dbco_client_customer_no(s->db, client_id, &customer_no, err))
        return err->code;
    struct list_ctx l = { 0 };
    int rc = rk_dbca_for_client(s->db, client_id, list_row, &l, err);
    if (l.oom)
        rc = rk_err_set(err, RK_EFAIL, _("Out of memory."));
    for (size_t i = 0; rc == RK_OK && i < l.n; i++)
        rc = load_amendments(s, &l.notes[i], err);
    if (rc == RK_OK) {
        char details[64];
        snprintf(details, sizeof details, "notes=%zu", l.n);
        rc = audit_tx(s, RK_AUDIT_CALL_NOTES_READ, client_id, details, err);
    }
    if (rc) {
        rk_calls_free(l.notes, l.n);
        return rc;
    }
    *notes = l.notes;
    *n = l.n;
    return RK_OK;
}

void rk_calls_free(rk_call_note *notes, size_t n)
{
    if (!notes)
        return;
    for (size_t i = 0; i < n; i++) {
        free(notes[i].summary);
        for (size_t k = 0; k < notes[i].namendments; k++)
            free(notes[i].amendments[k].text);
        free(notes[i].amendments);
    }
    free(notes);
}

struct expired_ctx {
    rk_call_expired *out;
    size_t n, cap;
    bool oom;
};

static int expired_row(void *ctx, const rk_dbca_expired *e)
{
    struct expired_ctx *x = ctx;
    if (!rk_grow(&x->out, &x->cap, x->n, sizeof *x->out, 32)) {
        x->oom = true;
        return 1;
    }
    rk_call_expired *r = &x->out[x->n++];
    memset(r, 0, sizeof *r);
    r->id = e->id;
    r->client_id = e->client_id;
    r->customer_no = e->customer_no;
    snprintf(r->started, sizeof r->started, "%s", e->started);
    snprintf(r->keep_until, sizeof r->keep_until, "%s", e->keep_until);
    return 0;
}

int rk_calls_expired(rk_session *s, const char *today, rk_call_expired **out, size_t *n,
                     rk_err *err)
{
    *out = NULL;
    *n = 0;
    if (need_level(s, RK_LEVEL_READ, err))
        return err->code;
    char day[RK_DATE_ISO_SIZE];
    if (today) {
        rk_date d;
        if (rk_date_parse(today, &d, err) || rk_date_format_iso(&d, day, err))
            return RK_EUSAGE;
    } else {
        time_t now = time(NULL);
        strftime(day, sizeof day, "%Y-%m-%d", gmtime(&now));
    }
    struct expired_ctx x = { 0 };
    int rc = rk_dbca_expired_each(s->db, day, expired_row, &x, err);
    if (x.oom)
        rc = rk_err_set(err, RK_EFAIL, _("Out of memory."));
    if (rc == RK_OK) {
        char details[64];
        snprintf(details, sizeof details, "before=%s count=%zu", day, x.n);
        rc = audit_tx(s, RK_AUDIT_CALL_NOTES_EXPIRED, 0, details, err);
    }
    if (rc) {
        free(x.out);
        return rc;
    }
    *out = x.out;
    *n = x.n;
    return RK_OK;
}
