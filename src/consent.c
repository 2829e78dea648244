#include "consent.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clients.h"
#include "db_clients.h"
#include "db_consent.h"
#include "db_settings.h"
#include "rights.h"

/* ---- the tables ---------------------------------------------------------- */

static const struct { const char *name, *label; } purposes[RK_PURPOSE_COUNT] = {
#define X(id, n, l) [RK_PURPOSE_##id] = { n, l },
    RK_PURPOSES(X)
#undef X
};

static const struct { const char *name, *label; bool optin; } channels[RK_CHANNEL_COUNT] = {
#define X(id, n, l, o) [RK_CHANNEL_##id] = { n, l, o },
    RK_CHANNELS(X)
#undef X
};

static const struct { const char *name, *label; bool ban; } items[RK_PITEM_COUNT] = {
#define X(id, n, l, b) [RK_PITEM_##id] = { n, l, b },
    RK_PERSON_ITEMS(X)
#undef X
};

static const struct { const char *name, *label; } cstates[RK_CSTATE_COUNT] = {
#define X(id, n, l) [RK_CSTATE_##id] = { n, l },
    RK_CSTATES(X)
#undef X
};

static const struct { const char *name, *label; } csources[RK_CSOURCE_COUNT] = {
#define X(id, n, l) [RK_CSOURCE_##id] = { n, l },
    RK_CSOURCES(X)
#undef X
};

static const struct { const char *name, *label; bool allows; } reasons[RK_CONTACT_REASON_COUNT] = {
#define X(id, n, a, l) [RK_CONTACT_##id] = { n, l, a },
    RK_CONTACT_REASONS(X)
#undef X
};

#define IN_RANGE(v, n) ((int)(v) >= 0 && (int)(v) < (n))

const char *rk_purpose_name(rk_purpose p) { return IN_RANGE(p, RK_PURPOSE_COUNT) ? purposes[p].name : "?"; }
const char *rk_purpose_label(rk_purpose p) { return IN_RANGE(p, RK_PURPOSE_COUNT) ? _(purposes[p].label) : "?"; }
const char *rk_channel_name(rk_channel c) { return IN_RANGE(c, RK_CHANNEL_COUNT) ? channels[c].name : "?"; }
const char *rk_channel_label(rk_channel c) { return IN_RANGE(c, RK_CHANNEL_COUNT) ? _(channels[c].label) : "?"; }
bool rk_channel_optin_default(rk_channel c) { return IN_RANGE(c, RK_CHANNEL_COUNT) && channels[c].optin; }
const char *rk_person_item_name(rk_person_item i) { return IN_RANGE(i, RK_PITEM_COUNT) ? items[i].name : "?"; }
const char *rk_person_item_label(rk_person_item i) { return IN_RANGE(i, RK_PITEM_COUNT) ? _(items[i].label) : "?"; }
bool rk_person_item_is_ban(rk_person_item i) { return IN_RANGE(i, RK_PITEM_COUNT) && items[i].ban; }
const char *rk_cstate_name(rk_cstate s) { return IN_RANGE(s, RK_CSTATE_COUNT) ? cstates[s].name : "?"; }
const char *rk_cstate_label(rk_cstate s) { return IN_RANGE(s, RK_CSTATE_COUNT) ? _(cstates[s].label) : "?"; }
const char *rk_csource_name(rk_csource s) { return IN_RANGE(s, RK_CSOURCE_COUNT) ? csources[s].name : "?"; }
const char *rk_csource_label(rk_csource s) { return IN_RANGE(s, RK_CSOURCE_COUNT) ? _(csources[s].label) : "?"; }
bool rk_contact_reason_allows(rk_contact_reason r) { return IN_RANGE(r, RK_CONTACT_REASON_COUNT) && reasons[r].allows; }
const char *rk_contact_reason_name(rk_contact_reason r) { return IN_RANGE(r, RK_CONTACT_REASON_COUNT) ? reasons[r].name : "?"; }
const char *rk_contact_reason_label(rk_contact_reason r) { return IN_RANGE(r, RK_CONTACT_REASON_COUNT) ? _(reasons[r].label) : "?"; }

#define PARSER(fn, table, count)                              \
    int fn(const char *name)                                  \
    {                                                         \
        for (int i = 0; name && i < (count); i++)             \
            if (strcmp(name, table[i].name) == 0)             \
                return i;                                     \
        return -1;                                            \
    }
PARSER(rk_purpose_parse, purposes, RK_PURPOSE_COUNT)
PARSER(rk_channel_parse, channels, RK_CHANNEL_COUNT)
PARSER(rk_cstate_parse, cstates, RK_CSTATE_COUNT)
PARSER(rk_csource_parse, csources, RK_CSOURCE_COUNT)
static PARSER(item_parse, items, RK_PITEM_COUNT)
#undef PARSER

bool rk_slot_is_cell(int slot) { return slot >= 0 && slot < RK_CONSENT_CELLS; }
rk_purpose rk_slot_purpose(int slot) { return (rk_purpose)(slot / RK_CHANNEL_COUNT); }
rk_channel rk_slot_channel(int slot) { return (rk_channel)(slot % RK_CHANNEL_COUNT); }
rk_person_item rk_slot_item(int slot) { return (rk_person_item)(slot - RK_CONSENT_CELLS); }

void rk_slot_name(int slot, char *out, size_t n)
{
    if (rk_slot_is_cell(slot))
        snprintf(out, n, "%s:%s", purposes[rk_slot_purpose(slot)].name,
                 channels[rk_slot_channel(slot)].name);
    else if (slot >= RK_CONSENT_CELLS && slot < RK_CONSENT_SLOTS)
        snprintf(out, n, "%s", items[rk_slot_item(slot)].name);
    else
        snprintf(out, n, "?");
}

void rk_slot_label(int slot, char *out, size_t n)
{
    if (rk_slot_is_cell(slot))
        snprintf(out, n, "%s, %s", rk_purpose_label(rk_slot_purpose(slot)),
                 rk_channel_label(rk_slot_channel(slot)));
    else
        snprintf(out, n, "%s", rk_person_item_label(rk_slot_item(slot)));
}

/* The ledger stores (item, channel); a slot name joins them with ':'. */
static int slot_of(const char *item, const char *channel)
{
    if (!channel[0]) {
        int i = item_parse(item);
        return i < 0 ? -1 : RK_SLOT_ITEM(i);
    }
    int p = rk_purpose_parse(item), c = rk_channel_parse(channel);
    return p < 0 || c < 0 ? -1 : RK_SLOT_CELL(p, c);
}

int rk_slot_parse(const char *name)
{
    if (!name)
        return -1;
    const char *colon = strchr(name, ':');
    if (!colon)
        return slot_of(name, "");
    char item[48];
    size_t len = (size_t)(colon - name);
    if (len >= sizeof item || !colon[1])
        return -1;
    memcpy(item, name, len);
    item[len] = '\0';
    return slot_of(item, colon + 1);
}

rk_cstate rk_cstate_cycle(rk_cstate s)
{
    return (rk_cstate)(((int)s + 1) % RK_CSTATE_COUNT);
}

const char *rk_slot_state_label(int slot, rk_cstate s)
{
    if (!rk_slot_is_cell(slot) && slot < RK_CONSENT_SLOTS && rk_person_item_is_ban(rk_slot_item(slot))) {
        if (s == RK_CSTATE_DENIED)
            return _("ban in force");
        if (s == RK_CSTATE_ALLOWED)
            return _("no ban (lifted)");
        return _("no ban recorded");
    }
    return rk_cstate_label(s);
}

/* ---- the contact rule ---------------------------------------------------- */

unsigned rk_contact_default_optin(void)
{
    unsigned bits = 0;
    for (int c = 0; c < RK_CHANNEL_COUNT; c++)
        if (channels[c].optin)
            bits |= 1u << c;
    return bits;
}

int rk_contact_parse_optin(const char *list, unsigned *out, rk_err *err)
{
    unsigned bits = 0;
    const char *p = list ? list : "";
    while (*p) {
        while (*p == ' ' || *p == ',')
            p++;
        if (!*p)
            break;
        size_t len = strcspn(p, " ,");
        char word[32];
        if (len >= sizeof word)
            len = sizeof word - 1;
        memcpy(word, p, len);
        word[len] = '\0';
        int c = rk_channel_parse(word);
        if (c < 0)
            return rk_err_set(err, RK_EUSAGE,
                              _("\"%s\" in the opt-in channels is not a channel: use email, sms, phone or post."),
                              word);
        bits |= 1u << c;
        p += strcspn(p, " ,");
    }
    *out = bits;
    return RK_OK;
}

/* Pure: no I/O, no state. The order is the one documented in consent.h. */
rk_contact_reason rk_contact_decide(const rk_contact_facts *f)
{
    if (f->erased)
        return RK_CONTACT_ERASED;
    if (f->restricted)
        return RK_CONTACT_RESTRICTED;
    if (f->all_marketing == RK_CSTATE_DENIED)
        return RK_CONTACT_TOTAL_BAN;
    if (f->purpose == RK_PURPOSE_RESEARCH) {
        if (f->popreg_market_research)
            return RK_CONTACT_POPREG_MARKET_RESEARCH;
    } else if (f->popreg_direct_marketing) {
        return RK_CONTACT_POPREG_DIRECT_MARKETING;
    }
    if (f->purpose == RK_PURPOSE_PARTNER && f->partner_disclosure == RK_CSTATE_DENIED)
        return RK_CONTACT_PARTNER_BAN;
    if (f->channel == RK_CHANNEL_POST && f->turvakielto)
        return RK_CONTACT_TURVAKIELTO;
    if (f->cell == RK_CSTATE_DENIED)
        return RK_CONTACT_DENIED;
    if (f->cell == RK_CSTATE_ALLOWED)
        return RK_CONTACT_ALLOWED_CONSENT;
    if (f->optin_channels & (1u << f->channel))
        return RK_CONTACT_NO_CONSENT;
    return RK_CONTACT_ALLOWED_NO_OBJECTION;
}

/* ---- access ---------------------------------------------------------------- */

/* The level is the policy table's row for the area "consents" (defaults
 * and overrides in src/policy.c). */
int rk_consent_level(rk_session *s, rk_level *out, rk_err *err)
{
    return rk_clients_area_level(s, RK_AREA_CONSENTS, out, err);
}

static int need_read(rk_session *s, rk_err *err)
{
    rk_level l;
    if (rk_consent_level(s, &l, err))
        return err->code;
    if (l < RK_LEVEL_READ)
        return rk_err_set(err, RK_EDENIED, _("Your role (%s) may not see consents and marketing bans."),
                          rk_role_label(s->role));
    return RK_OK;
}

static int client_exists(rk_session *s, int64_t client_id, rk_err *err)
{
    int64_t no;
    return rk_dbco_client_customer_no(s->db, client_id, &no, err);
}

/* ---- reading the ledger ---------------------------------------------------- */

static int grid_row(void *ctx, const rk_dbco_event *e)
{
    rk_consent_grid *g = ctx;
    int slot = slot_of(e->item, e->channel);
    int st = rk_cstate_parse(e->state);
    if (slot < 0 || st < 0)         /* written by a newer version: not ours to show */
        return 0;
    rk_consent_entry *x = &g->slot[slot];
    x->state = (rk_cstate)st;
    snprintf(x->since, sizeof x->since, "%s", e->ts);
    snprintf(x->user, sizeof x->user, "%s", e->user);
    x->source = rk_csource_parse(e->source);
    x->call_id = e->call_id;
    x->event_id = e->id;
    return 0;
}

static void grid_init(rk_consent_grid *g, int64_t client_id)
{
    memset(g, 0, sizeof *g);
    g->client_id = client_id;
    for (int i = 0; i < RK_CONSENT_SLOTS; i++) {
        g->slot[i].state = RK_CSTATE_UNKNOWN;
        g->slot[i].source = -1;
    }
}

int rk_consent_grid_get(rk_session *s, int64_t client_id, rk_consent_grid *out, rk_err *err)
{
    grid_init(out, client_id);
    if (need_read(s, err) || client_exists(s, client_id, err) ||
        rk_dbco_latest(s->db, client_id, grid_row, out, err))
        return err->code;
    return rk_session_audit(s, RK_AUDIT_CONSENTS_READ, client_id, "grid", err);
}

struct history_ctx {
    rk_consent_event *ev;
    size_t n, cap;
    int only_slot;
    bool oom;
};

static int history_row(void *ctx, const rk_dbco_event *e)
{
    struct history_ctx *h = ctx;
    int slot = slot_of(e->item, e->channel);
    if (h->only_slot >= 0 && slot != h->only_slot)
        return 0;
    if (!rk_grow(&h->ev, &h->cap, h->n, sizeof *h->ev, 16)) {
        h->oom = true;
        return 1;
    }
    rk_consent_event *x = &h->ev[h->n++];
    memset(x, 0, sizeof *x);
    x->id = e->id;
    x->client_id = e->client_id;
    x->batch = e->batch;
    x->slot = slot;
    if (e->channel[0])
        snprintf(x->slot_name, sizeof x->slot_name, "%s:%s", e->item, e->channel);
    else
        snprintf(x->slot_name, sizeof x->slot_name, "%s", e->item);
    int st = rk_cstate_parse(e->state);
    x->state = st < 0 ? RK_CSTATE_UNKNOWN : (rk_cstate)st;
    snprintf(x->user, sizeof x->user, "%s", e->user);
    snprintf(x->ts, sizeof x->ts, "%s", e->ts);
    x->source = rk_csource_parse(e->source);
    x->call_id = e->call_id;
    snprintf(x->notice_version, sizeof x->notice_version, "%s", e->notice_version);
    snprintf(x->note, sizeof x->note, "%s", e->note);
    return 0;
}

int rk_consent_history(rk_session *s, int64_t client_id, int slot, rk_consent_event **events,
                       size_t *n, rk_err *err)
{
    *events = NULL;
    *n = 0;
    if (need_read(s, err) || client_exists(s, client_id, err))
        return err->code;
    struct history_ctx h = { .only_slot = slot };
    int rc = rk_dbco_history(s->db, client_id, history_row, &h, err);
    if (h.oom)
        rc = rk_err_set(err, RK_EFAIL, _("Out of memory."));
    if (rc) {
        free(h.ev);
        return rc;
    }
    char details[64];
    snprintf(details, sizeof details, "history events=%zu", h.n);
    if ((rc = rk_session_audit(s, RK_AUDIT_CONSENTS_READ, client_id, details, err))) {
        free(h.ev);
        return rc;
    }
    *events = h.ev;
    *n = h.n;
    return RK_OK;
}

void rk_consent_history_free(rk_consent_event *events) { free(events); }

/* ---- changing the ledger --------------------------------------------------- */

static bool text_ok(const char *t, size_t max)
{
    size_t len = strlen(t);
    if (len > max)
        return false;
    for (size_t i = 0; i < len; i++)
        if ((unsigned char)t[i] < 0x20 || t[i] == 0x7f)
            return false;
    return true;
}

/* The call note exists and is this client's. */
static int check_call(rk_session *s, int64_t client_id, int64_t call_id, rk_err *err);

static int check_batch(rk_session *s, int64_t client_id, const rk_consent_change *ch, size_t n,
                       const rk_consent_batch *b, rk_err *err)
{
    if (n == 0)
        return rk_err_set(err, RK_EUSAGE, _("There are no consent changes to save."));
    if (!IN_RANGE(b->source, RK_CSOURCE_COUNT))
        return rk_err_set(err, RK_EUSAGE, _("A consent change needs its source: in_person, phone, letter, web_form, email or population_register."));
    if (b->source == RK_CSOURCE_PHONE && b->call_id <= 0)
        return rk_err_set(err, RK_EUSAGE, _("A change made on a phone call must name the call's note."));
    if (b->source != RK_CSOURCE_PHONE && b->call_id != 0)
        return rk_err_set(err, RK_EUSAGE, _("Only a change made on a phone call can link to a call note."));
    if (b->note && !text_ok(b->note, RK_CONSENT_NOTE_MAX))
        return rk_err_set(err, RK_EUSAGE, _("The note on a consent change must be one line of at most %d bytes."),
                          RK_CONSENT_NOTE_MAX);
    if (b->notice_version && !text_ok(b->notice_version, 64))
        return rk_err_set(err, RK_EUSAGE, _("The privacy-notice version must be one line of at most 64 bytes."));
    bool seen[RK_CONSENT_SLOTS] = { false };
    for (size_t i = 0; i < n; i++) {
        if (ch[i].slot < 0 || ch[i].slot >= RK_CONSENT_SLOTS || !IN_RANGE(ch[i].state, RK_CSTATE_COUNT))
            return rk_err_set(err, RK_EUSAGE, _("Consent change %zu names no known cell or state."), i + 1);
        if (seen[ch[i].slot]) {
            char name[48];
            rk_slot_name(ch[i].slot, name, sizeof name);
            return rk_err_set(err, RK_EUSAGE, _("The cell %s is changed twice in one save; give it once."), name);
        }
        seen[ch[i].slot] = true;
    }
    if (rk_client_refuse_if_erased(s, client_id, err))
        return err->code;
    if (b->call_id)
        return check_call(s, client_id, b->call_id, err);
    return RK_OK;
}

struct call_owner { int64_t client_id; };

static int call_owner_row(void *ctx, const rk_dbca_note *n)
{
    ((struct call_owner *)ctx)->client_id = n->client_id;
    return 0;
}

static int check_call(rk_session *s, int64_t client_id, int64_t call_id, rk_err *err)
{
    struct call_owner o = { 0 };
    int rc = rk_dbca_get(s->db, call_id, call_owner_row, &o, err);
    if (rc)
        return rc;
    if (o.client_id != client_id)
        return rk_err_set(err, RK_EUSAGE, _("The call note %lld belongs to another client."),
                          (long long)call_id);
    return RK_OK;
}

/* "source=letter n=3 allowed=1 denied=2 unknown=0 slots=direct_marketing:email+sms,all_marketing" */
static void audit_details(const rk_consent_change *ch, size_t n, const rk_consent_batch *b,
                          int64_t batch, char *out, size_t size)
{
    size_t count[RK_CSTATE_COUNT] = { 0 };
    bool on[RK_CONSENT_SLOTS] = { false };
    for (size_t i = 0; i < n; i++) {
        count[ch[i].state]++;
        on[ch[i].slot] = true;
    }
    snprintf(out, size, "batch=%lld source=%s n=%zu allowed=%zu denied=%zu unknown=%zu%s slots=",
             (long long)batch, rk_csource_name(b->source), n, count[RK_CSTATE_ALLOWED],
             count[RK_CSTATE_DENIED], count[RK_CSTATE_UNKNOWN], b->call_id ? " call=yes" : "");
    bool first = true;
    for (int p = 0; p < RK_PURPOSE_COUNT; p++) {
        char chs[64] = "";
        for (int c = 0; c < RK_CHANNEL_COUNT; c++)
            if (on[RK_SLOT_CELL(p, c)]) {
                size_t len = strlen(chs);
                snprintf(chs + len, sizeof chs - len, "%s%s", len ? "+" : "", channels[c].name);
            }
        if (chs[0]) {
            size_t len = strlen(out);
            snprintf(out + len, size - len, "%s%s:%s", first ? "" : ",", purposes[p].name, chs);
            first = false;
        }
    }
    for (int i = 0; i < RK_PITEM_COUNT; i++)
        if (on[RK_SLOT_ITEM(i)]) {
            size_t len = strlen(out);
            snprintf(out + len, size - len, "%s%s", first ? "" : ",", items[i].name);
            first = false;
        }
}

int rk_consent_apply_in_tx(rk_session *s, int64_t client_id, const rk_consent_change *ch,
                           size_t n, const rk_consent_batch *b, const char *ts,
                           int64_t *batch_out, rk_err *err)
{
    int rc = check_batch(s, client_id, ch, n, b, err);
    if (rc)
        return rc;
    char notice[RK_DBCO_NOTICE_SIZE] = "";
    if (b->notice_version) {
        snprintf(notice, sizeof notice, "%s", b->notice_version);
    } else {
        rk_err ignore;
        if (rk_dbs_get(s->db, RK_SETTING_NOTICE_VERSION, notice, sizeof notice, &ignore))
            notice[0] = '\0';
    }
    int64_t batch;
    if ((rc = rk_dbco_next_batch(s->db, &batch, err)))
        return rc;
    for (size_t i = 0; i < n; i++) {
        rk_dbco_event e = { .client_id = client_id, .batch = batch, .call_id = b->call_id };
        int slot = ch[i].slot;
        if (rk_slot_is_cell(slot)) {
            snprintf(e.item, sizeof e.item, "%s", purposes[rk_slot_purpose(slot)].name);
            snprintf(e.channel, sizeof e.channel, "%s", channels[rk_slot_channel(slot)].name);
        } else {
            snprintf(e.item, sizeof e.item, "%s", items[rk_slot_item(slot)].name);
        }
        snprintf(e.state, sizeof e.state, "%s", cstates[ch[i].state].name);
        snprintf(e.user, sizeof e.user, "%s", s->user);
        snprintf(e.ts, sizeof e.ts, "%s", ts);
        snprintf(e.source, sizeof e.source, "%s", csources[b->source].name);
        snprintf(e.notice_version, sizeof e.notice_version, "%s", notice);
        snprintf(e.note, sizeof e.note, "%s", b->note ? b->note : "");
        if ((rc = rk_dbco_insert(s->db, &e, err)))
            return rc;
    }
    char details[512];
    audit_details(ch, n, b, batch, details, sizeof details);
    if ((rc = rk_audit_append(s->db, s->audit_key, ts, s->user, RK_AUDIT_CONSENT_CHANGED,
                              client_id, details, s->terminal, err)))
        return rc;
    if (batch_out)
        *batch_out = batch;
    return RK_OK;
}

int rk_consent_may_apply(rk_session *s, const rk_consent_change *ch, size_t n, rk_err *err)
{
    rk_level l;
    if (rk_consent_level(s, &l, err))
        return err->code;
    if (l < RK_LEVEL_READ || (l == RK_LEVEL_READ && s->role != RK_ROLE_MARKETING))
        return rk_err_set(err, RK_EDENIED, _("Your role (%s) may not change consents and marketing bans."),
                          rk_role_label(s->role));
    if (l == RK_LEVEL_READ)
        for (size_t i = 0; i < n; i++)
            if (ch[i].state != RK_CSTATE_DENIED)
                return rk_err_set(err, RK_EDENIED,
                                  _("Your role (%s) may record only refusals and bans (\"denied\"); reception or the data protection officer records the rest."),
                                  rk_role_label(s->role));
    return RK_OK;
}

int rk_consent_apply(rk_session *s, int64_t client_id, const rk_consent_change *ch, size_t n,
                     const rk_consent_batch *b, int64_t *batch_out, rk_err *err)
{
    if (rk_consent_may_apply(s, ch, n, err) || client_exists(s, client_id, err))
        return err->code;
    char now[32];
    rk_now_iso(now);
    if (rk_db_begin(s->db, err))
        return err->code;
    int rc = rk_consent_apply_in_tx(s, client_id, ch, n, b, now, batch_out, err);
    if (rc) {
        rk_db_rollback(s->db);
        return rc;
    }
    return rk_db_commit(s->db, err);
}

/* ---- gathering facts ------------------------------------------------------- */

static bool has_flag(const char *list, const char *flag)
{
    size_t fl = strlen(flag);
    for (const char *p = list; (p = strstr(p, flag)) != NULL; p += fl) {
        bool start = p == list || p[-1] == ',' || p[-1] == ' ';
        bool end = p[fl] == '\0' || p[fl] == ',' || p[fl] == ' ';
        if (start && end)
            return true;
    }
    return false;
}

static rk_cstate state_or_unknown(const char *s)
{
    int st = rk_cstate_parse(s);
    return st < 0 ? RK_CSTATE_UNKNOWN : (rk_cstate)st;
}

static void facts_from_row(const rk_dbco_contact_row *r, rk_purpose p, rk_channel c,
                           unsigned optin, rk_contact_facts *f)
{
    memset(f, 0, sizeof *f);
    f->purpose = p;
    f->channel = c;
    f->cell = state_or_unknown(r->cell);
    f->all_marketing = state_or_unknown(r->ban_all);
    f->partner_disclosure = state_or_unknown(r->ban_partner);
    f->popreg_direct_marketing = has_flag(r->popreg_bans, "direct_marketing");
    f->popreg_market_research = has_flag(r->popreg_bans, "market_research");
    f->restricted = r->restricted;
    f->turvakielto = r->turvakielto;
    f->erased = r->erased;
    f->optin_channels = optin;
}

int rk_contact_optin_channels(rk_session *s, unsigned *out, rk_err *err)
{
    char val[128];
    rk_err e2;
    int rc = rk_dbs_get(s->db, RK_SETTING_OPTIN_CHANNELS, val, sizeof val, &e2);
    if (rc == RK_ENOTFOUND) {
        *out = rk_contact_default_optin();
        return RK_OK;
    }
    if (rc)
        return rk_err_set(err, rc, "%s", e2.msg);
    if (rk_contact_parse_optin(val, out, &e2))
        return rk_err_set(err, RK_EFAIL, _("The setting %s is wrong: %s"),
                          RK_SETTING_OPTIN_CHANNELS, e2.msg);
    return RK_OK;
}

struct decide_ctx {
    rk_purpose p;
    rk_channel c;
    unsigned optin;
    rk_contact_reason last;
    bool found;
    int64_t *ids;
    size_t n, cap;
    bool oom;
};

static int decide_one(void *ctx, const rk_dbco_contact_row *r)
{
    struct decide_ctx *d = ctx;
    rk_contact_facts f;
    facts_from_row(r, d->p, d->c, d->optin, &f);
    d->last = rk_contact_decide(&f);
    d->found = true;
    return 0;
}

static int decide_list(void *ctx, const rk_dbco_contact_row *r)
{
    struct decide_ctx *d = ctx;
    rk_contact_facts f;
    facts_from_row(r, d->p, d->c, d->optin, &f);
    if (!rk_contact_reason_allows(rk_contact_decide(&f)))
        return 0;
    if (!rk_grow(&d->ids, &d->cap, d->n, sizeof *d->ids, 256)) {
        d->oom = true;
        return 1;
    }
    d->ids[d->n++] = r->client_id;
    return 0;
}

static int valid_pc(rk_purpose p, rk_channel c, rk_err *err)
{
    if (!IN_RANGE(p, RK_PURPOSE_COUNT) || !IN_RANGE(c, RK_CHANNEL_COUNT))
        return rk_err_set(err, RK_EUSAGE, _("Unknown purpose or channel."));
    return RK_OK;
}

static int query(rk_session *s, int64_t client_id, struct decide_ctx *d, rk_err *err)
{
    return rk_dbco_contact_rows(s->db, client_id, purposes[d->p].name, channels[d->c].name,
                                items[RK_PITEM_ALL_MARKETING].name,
                                items[RK_PITEM_PARTNER_DISCLOSURE].name,
                                client_id ? decide_one : decide_list, d, err);
}

int rk_contact_check(rk_session *s, int64_t client_id, rk_purpose p, rk_channel c,
                     rk_contact_reason *out, rk_err *err)
{
    if (s->role == RK_ROLE_ADMIN)
        return rk_err_set(err, RK_EDENIED, _("Administrators see no client data; log in with a client-facing role."));
    if (valid_pc(p, c, err))
        return err->code;
    struct decide_ctx d = { .p = p, .c = c };
    if (rk_contact_optin_channels(s, &d.optin, err) || query(s, client_id, &d, err))
        return err->code;
    if (!d.found)
        return rk_err_set(err, RK_ENOTFOUND, _("There is no client with the internal id %lld."),
                          (long long)client_id);
    *out = d.last;
    return RK_OK;
}

int rk_contact_list(rk_session *s, rk_purpose p, rk_channel c, int64_t **ids, size_t *n,
                    rk_err *err)
{
    *ids = NULL;
    *n = 0;
    if (s->role == RK_ROLE_ADMIN)
        return rk_err_set(err, RK_EDENIED, _("Administrators see no client data; log in with a client-facing role."));
    if (valid_pc(p, c, err))
        return err->code;
    struct decide_ctx d = { .p = p, .c = c };
    if (rk_contact_optin_channels(s, &d.optin, err))
        return err->code;
    int rc = query(s, 0, &d, err);
    if (d.oom)
        rc = rk_err_set(err, RK_EFAIL, _("Out of memory."));
    if (rc) {
        free(d.ids);
        return rc;
    }
    *ids = d.ids;
    *n = d.n;
    return RK_OK;
}
