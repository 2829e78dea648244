#include "clients.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db_clients.h"
#include "db_requests.h"
#include "rights.h"
#include "db_search.h"

static int no_admin(rk_session *s, rk_err *err)
{
    if (s->role == RK_ROLE_ADMIN)
        return rk_err_set(err, RK_EDENIED,
                          _("Administrators see no client data; log in with a client-facing role."));
    return RK_OK;
}

struct policy_ctx {
    rk_policy *p;
};

static int policy_row(void *ctx, const char *role, const char *field, const char *level)
{
    struct policy_ctx *pc = ctx;
    rk_policy_apply_row(pc->p, role, field, level);
    return 0;
}

int rk_clients_policy(rk_session *s, rk_policy *out, rk_err *err)
{
    return rk_clients_role_policy(s, s->role, out, err);
}

int rk_clients_role_policy(rk_session *s, rk_role role, rk_policy *out, rk_err *err)
{
    rk_policy_init(out, role);
    struct policy_ctx ctx = { out };
    return rk_dbc_policy_each(s->db, policy_row, &ctx, err);
}

int rk_clients_area_level(rk_session *s, rk_area a, rk_level *out, rk_err *err)
{
    rk_policy p;
    *out = RK_LEVEL_HIDDEN;
    if (rk_clients_policy(s, &p, err))
        return err->code;
    *out = p.area[a];
    return RK_OK;
}

static void mask_list(rk_client *c, rk_field f)
{
    char buf[RK_EMAIL_SIZE];
    if (f == RK_F_PHONES)
        for (size_t i = 0; i < c->nphones; i++) {
            char pbuf[RK_PHONE_SIZE];
            rk_policy_mask(f, c->phones[i].number, pbuf, sizeof pbuf);
            memcpy(c->phones[i].number, pbuf, sizeof pbuf);
        }
    if (f == RK_F_EMAILS)
        for (size_t i = 0; i < c->nemails; i++) {
            rk_policy_mask(f, c->emails[i].address, buf, sizeof buf);
            snprintf(c->emails[i].address, sizeof c->emails[i].address, "%s", buf);
        }
}

static void hide_list(rk_client *c, rk_field f)
{
    switch (rk_fields[f].type) {
    case RK_FT_PHONES: free(c->phones); c->phones = NULL; c->nphones = 0; break;
    case RK_FT_EMAILS: free(c->emails); c->emails = NULL; c->nemails = 0; break;
    case RK_FT_HOUSEHOLD:
        free(c->household);
        free(c->household_of);
        c->household = c->household_of = NULL;
        c->nhousehold = c->nhousehold_of = 0;
        break;
    case RK_FT_EVENTS: free(c->events); c->events = NULL; c->nevents = 0; break;
    case RK_FT_SOURCES: free(c->sources); c->sources = NULL; c->nsources = 0; break;
    default: break;
    }
}

/* The one place where raw values become what a role may see. */
static void apply_policy(rk_session *s, const rk_policy *p, rk_client *c)
{
    bool safety = c->value[RK_F_TURVAKIELTO] && strcmp(c->value[RK_F_TURVAKIELTO], "1") == 0;
    for (int i = 0; i < RK_F_COUNT; i++) {
        rk_field f = (rk_field)i;
        rk_level l = p->level[f];
        if (safety && s->role != RK_ROLE_DPO && rk_policy_turvakielto_hides(f))
            l = RK_LEVEL_HIDDEN;
        c->level[f] = l;
        if (rk_field_is_list(f)) {
            if (l == RK_LEVEL_HIDDEN)
                hide_list(c, f);
            else if (l == RK_LEVEL_MASKED)
                mask_list(c, f);
        } else if (l == RK_LEVEL_HIDDEN) {
            rk_client_clear_value(c, f);
        } else if (l == RK_LEVEL_MASKED && c->value[f][0]) {
            char m[256];
            rk_policy_mask(f, c->value[f], m, sizeof m);
            rk_client_set_raw(c, f, m);
        }
    }
}

static int audit_in_tx(rk_session *s, rk_audit_action a, int64_t client, const char *details,
                       rk_err *err)
{
    return rk_audit_append(s->db, s->audit_key, NULL, s->user, a, client, details, s->terminal, err);
}

/* "identity,contact": the categories of which the role saw something. */
static void shown_categories(const rk_client *c, char *out, size_t n)
{
    bool cat[RK_CAT_COUNT] = { false };
    for (int f = 0; f < RK_F_COUNT; f++)
        if (c->level[f] != RK_LEVEL_HIDDEN)
            cat[rk_fields[f].category] = true;
    snprintf(out, n, "categories=");
    bool first = true;
    for (int k = 0; k < RK_CAT_COUNT; k++)
        if (cat[k]) {
            size_t len = strlen(out);
            snprintf(out + len, n - len, "%s%s", first ? "" : ",", rk_category_name((rk_category)k));
            first = false;
        }
}

int rk_clients_get(rk_session *s, int64_t id, rk_client **out, rk_err *err)
{
    *out = NULL;
    rk_policy p;
    if (no_admin(s, err) || rk_clients_policy(s, &p, err))
        return err->code;
    rk_client *c;
    if (rk_dbc_load(s->db, id, &c, err))
        return err->code;
    apply_policy(s, &p, c);
    char details[200];
    shown_categories(c, details, sizeof details);
    if (rk_db_begin(s->db, err))
        goto fail;
    if (audit_in_tx(s, RK_AUDIT_CLIENT_VIEWED, id, details, err)) {
        rk_db_rollback(s->db);
        goto fail;
    }
    if (rk_db_commit(s->db, err))
        goto fail;
    *out = c;
    return RK_OK;
fail:
    rk_client_free(c);
    return err->code;
}

int rk_clients_blank(rk_session *s, rk_client **out, rk_err *err)
{
    *out = NULL;
    rk_policy p;
    if (no_admin(s, err) || rk_clients_policy(s, &p, err))
        return err->code;
    rk_client *c = rk_client_new();
    if (!c)
        return rk_err_set(err, RK_EFAIL, _("Out of memory."));
    apply_policy(s, &p, c);
    *out = c;
    return RK_OK;
}

/* May the role put this value into a field that holds `old`? Writing needs
 * WRITE; a masked field may be filled while it is empty (that reveals
 * nothing), which is how the front desk enters a new henkilötunnus. */
static bool may_write(rk_level l, bool old_empty)
{
    return l == RK_LEVEL_WRITE || (l == RK_LEVEL_MASKED && old_empty);
}

static int denied_field(rk_field f, rk_err *err)
{
    return rk_err_set(err, RK_EDENIED, _("%s: your role may not change this field."),
                      _(rk_fields[f].label));
}

/* Which fields differ between two cards (lists compared by their text). */
static int diff_fields(const rk_client *a, const rk_client *b, bool changed[RK_F_COUNT], int *count)
{
    *count = 0;
    for (int i = 0; i < RK_F_COUNT; i++) {
        rk_field f = (rk_field)i;
        changed[f] = false;
        if (rk_field_is_list(f)) {
            char *ta = NULL, *tb = NULL;
            if (rk_dbc_list_text(a, f, &ta) || rk_dbc_list_text(b, f, &tb)) {
                free(ta);
                free(tb);
                return RK_EFAIL;
            }
            changed[f] = strcmp(ta, tb) != 0;
            free(ta);
            free(tb);
        } else {
            const char *va = a->value[f] ? a->value[f] : "", *vb = b->value[f] ? b->value[f] : "";
            changed[f] = (a->value[f] || b->value[f]) && strcmp(va, vb) != 0;
        }
        if (changed[f])
            (*count)++;
    }
    return RK_OK;
}

static void field_list(const bool changed[RK_F_COUNT], char *out, size_t n)
{
    snprintf(out, n, "fields=");
    bool first = true;
    for (int f = 0; f < RK_F_COUNT; f++)
        if (changed[f]) {
            size_t len = strlen(out);
            snprintf(out + len, n - len, "%s%s", first ? "" : ",", rk_fields[f].name);
            first = false;
        }
}

int rk_clients_create(rk_session *s, rk_client *c, int64_t *existing_id, rk_err *err)
{
    if (existing_id)
        *existing_id = 0;
    rk_policy p;
    if (no_admin(s, err) || rk_clients_policy(s, &p, err))
        return err->code;
    int bad;
    if (rk_client_check(c, &bad, err))
        return err->code;
    bool changed[RK_F_COUNT];
    for (int i = 0; i < RK_F_COUNT; i++) {
        rk_field f = (rk_field)i;
        bool empty = rk_field_is_list(f) ? rk_client_list_empty(c, f) : !c->value[f] || !c->value[f][0];
        changed[f] = !empty;
        if (!empty && !(rk_fields[f].flags & RK_FF_READONLY) && !may_write(p.level[f], true))
            return denied_field(f, err);
    }
    changed[RK_F_CUSTOMER_NO] = false;
    /* Nobody creates a client they could not then find again. */
    if (p.level[RK_F_LAST_NAME] < RK_LEVEL_WRITE)
        return rk_err_set(err, RK_EDENIED, _("Your role may not add clients."));

    const char *hetu = c->value[RK_F_HETU];
    if (hetu && hetu[0]) {
        int64_t id;
        int rc = rk_dbc_by_hetu(s->db, hetu, &id, err);
        if (rc == RK_OK) {
            if (existing_id)
                *existing_id = id;
            return rk_err_set(err, RK_ECONFLICT,
                              _("A client with this personal identity code already exists; opening that card instead."));
        }
        if (rc != RK_ENOTFOUND)
            return rc;
    }
    char now[32], details[512];
    rk_now_iso(now);
    if (rk_db_begin(s->db, err))
        return err->code;
    int rc = rk_dbc_insert(s->db, c, s->user, now, err);
    if (rc == RK_OK)
        rc = rk_search_index_client(s->db, NULL, c, err);
    if (rc == RK_OK) {
        field_list(changed, details, sizeof details);
        rc = audit_in_tx(s, RK_AUDIT_CLIENT_CREATED, c->id, details, err);
    }
    if (rc) {
        rk_db_rollback(s->db);
        c->id = 0;
        return rc;
    }
    if (rk_db_commit(s->db, err)) {
        c->id = 0;
        return err->code;
    }
    apply_policy(s, &p, c);
    return RK_OK;
}

/* May this role add this client as it stands? */
static int check_new(const rk_policy *p, const rk_client *c, bool validate, rk_err *err)
{
    if (validate && rk_client_check(c, NULL, err))
        return err->code;
    for (int k = 0; k < RK_F_COUNT; k++) {
        rk_field f = (rk_field)k;
        bool empty = rk_field_is_list(f) ? rk_client_list_empty(c, f) : !c->value[f] || !c->value[f][0];
        if (!empty && !(rk_fields[f].flags & RK_FF_READONLY) && !may_write(p->level[f], true))
            return denied_field(f, err);
    }
    return RK_OK;
}

static rk_clients_load_times last_load;

void rk_clients_last_load(rk_clients_load_times *out)
{
    *out = last_load;
}

/* Below this many clients row-by-row indexing is cheaper than a rebuild. */
enum { REBUILD_MIN = 2000 };

int rk_clients_create_stream(rk_session *s, rk_client_source next, void *ctx, size_t expected,
                             unsigned flags, const rk_source *shared, const char *details,
                             size_t *count, rk_err *err)
{
    rk_policy p;
    *count = 0;
    if (no_admin(s, err) || rk_clients_policy(s, &p, err))
        return err->code;
    if (p.level[RK_F_LAST_NAME] < RK_LEVEL_WRITE)
        return rk_err_set(err, RK_EDENIED, _("Your role may not add clients."));
    if (shared && !(rk_fields[RK_F_SOURCES].flags & RK_FF_READONLY) &&
        !may_write(p.level[RK_F_SOURCES], true))
        return denied_field(RK_F_SOURCES, err);
    char now[32];
    rk_now_iso(now);
    if (rk_db_begin(s->db, err))
        return err->code;
    int64_t existing = 0;
    int rc = rk_dbc_count(s->db, &existing, err);
    /* A batch that is a fair part of the registry: index it all at once. */
    bool rebuild = expected >= REBUILD_MIN && (int64_t)expected * 4 >= existing;
    rk_dbc_bulk bulk = { 0 };
    memset(&last_load, 0, sizeof last_load);
    double t0 = rk_monotonic_s();
    if (rc == RK_OK)
        rc = rk_dbc_bulk_begin(s->db, &bulk, rebuild, expected, flags & RK_STREAM_CHECKED, err);
    if (rc == RK_OK && shared)
        rc = rk_dbc_bulk_shared_source(s->db, &bulk, shared, err);
    /* Into an empty registry, the clients coming are the whole index. */
    rk_search_feed *feed = NULL;
    if (rc == RK_OK && rebuild && bulk.indexes_dropped)
        rc = rk_search_feed_start(&feed, err);
    rk_client *c = NULL;
    while (rc == RK_OK && (rc = next(ctx, &c, err)) == RK_OK && c) {
        rc = check_new(&p, c, !(flags & RK_STREAM_CHECKED), err);
        if (rc == RK_OK)
            rc = rk_dbc_bulk_insert(s->db, &bulk, c, s->user, now, err);
        if (rc == RK_OK && feed)
            rk_search_feed_client(feed, c);
        else if (rc == RK_OK && !rebuild)
            rc = rk_search_index_client(s->db, NULL, c, err);
        if (rc == RK_OK)
            (*count)++;
    }
    if (feed && rc == RK_OK)
        rk_search_feed_close(feed);   /* it sorts while the indexes are built */
    else if (feed) {
        rk_search_feed_abandon(feed);
        feed = NULL;
    }
    double t1 = rk_monotonic_s();
    if (rc == RK_OK)
        rc = rk_dbc_bulk_end(s->db, &bulk, err);
    else
        rk_dbc_bulk_abandon(&bulk);   /* the rollback below puts the indexes back */
    if (rc == RK_OK && feed)
        rk_db_start_writeback(s->db);   /* the disk is idle while the search index is sorted */
    double t2 = rk_monotonic_s();
    if (rc == RK_OK && feed)
        rc = rk_search_feed_finish(s->db, feed, err);
    else if (feed)
        rk_search_feed_abandon(feed);
    else if (rc == RK_OK && rebuild)
        rc = rk_search_rebuild(s->db, err);
    last_load = (rk_clients_load_times){ t1 - t0, t2 - t1, rk_monotonic_s() - t2 };
    if (rc == RK_OK) {
        char d[256];
        snprintf(d, sizeof d, "count=%zu %s", *count, details ? details : "");
        rc = audit_in_tx(s, RK_AUDIT_CLIENT_CREATED, 0, d, err);
    }
    if (rc)
        rk_db_rollback(s->db);
    else
        rc = rk_db_commit(s->db, err);
    return rc;
}

struct array_source {
    rk_client **cs;
    size_t n, next;
};

static int array_next(void *ctx, rk_client **out, rk_err *err)
{
    (void)err;
    struct array_source *a = ctx;
    *out = a->next < a->n ? a->cs[a->next++] : NULL;
    return RK_OK;
}

int rk_clients_create_many(rk_session *s, rk_client **cs, size_t n, const char *details,
                           size_t *bad_index, rk_err *err)
{
    struct array_source a = { cs, n, 0 };
    int rc = rk_clients_create_stream(s, array_next, &a, n, 0, NULL, details, bad_index, err);
    if (rc)
        for (size_t i = 0; i < n; i++)
            cs[i]->id = 0;
    return rc;
}

int rk_clients_possible_duplicates(rk_session *s, const rk_client *c, int64_t *ids, size_t max,
                                   size_t *n, rk_err *err)
{
    *n = 0;
    if (no_admin(s, err))
        return err->code;
    const char *first = c->value[RK_F_FIRST_NAMES], *last = c->value[RK_F_LAST_NAME],
               *birth = c->value[RK_F_BIRTH_DATE];
    if (!first || !last || !birth || !birth[0])
        return RK_OK;
    return rk_dbc_same_name_birth(s->db, first, last, birth, c->id, ids, max, n, err);
}

/* Copies changed fields from the edited card onto the raw stored one. */
static int merge(rk_client *raw, const rk_client *edited, const bool changed[RK_F_COUNT])
{
    for (int i = 0; i < RK_F_COUNT; i++) {
        rk_field f = (rk_field)i;
        if (!changed[f])
            continue;
        if (!rk_field_is_list(f)) {
            rk_client_set_raw(raw, f, edited->value[f]);
            continue;
        }
        rk_client *tmp = rk_client_clone(edited);
        if (!tmp)
            return RK_EFAIL;
#define SWAP(arr, n)                                                     \
        do { void *t = raw->arr; raw->arr = tmp->arr; tmp->arr = t;      \
             size_t tn = raw->n; raw->n = tmp->n; tmp->n = tn; } while (0)
        switch (rk_fields[f].type) {
        case RK_FT_PHONES: SWAP(phones, nphones); break;
        case RK_FT_EMAILS: SWAP(emails, nemails); break;
        case RK_FT_HOUSEHOLD: SWAP(household, nhousehold); break;
        case RK_FT_EVENTS: SWAP(events, nevents); break;
        case RK_FT_SOURCES: SWAP(sources, nsources); break;
        default: break;
        }
#undef SWAP
        rk_client_free(tmp);
    }
    return RK_OK;
}

static int write_history(rk_session *s, const rk_client *old_raw, const rk_client *new_raw,
                         const bool changed[RK_F_COUNT], const char *now, rk_err *err)
{
    for (int i = 0; i < RK_F_COUNT; i++) {
        rk_field f = (rk_field)i;
        if (!changed[f])
            continue;
        int rc;
        if (rk_field_is_list(f)) {
            char *a = NULL, *b = NULL;
            if (rk_dbc_list_text(old_raw, f, &a) || rk_dbc_list_text(new_raw, f, &b)) {
                free(a);
                free(b);
                return rk_err_set(err, RK_EFAIL, _("Out of memory."));
            }
            rc = rk_dbc_history_add(s->db, new_raw->id, rk_fields[f].name, a, b, s->user, now, err);
            free(a);
            free(b);
        } else {
            rc = rk_dbc_history_add(s->db, new_raw->id, rk_fields[f].name, old_raw->value[f],
                                    new_raw->value[f], s->user, now, err);
        }
        if (rc)
            return rc;
    }
    return RK_OK;
}

/* An erased card is a tombstone; a restricted one is the dpo's until the
 * restriction is lifted (src/rights.h). */
static int may_change_record(rk_session *s, int64_t id, rk_err *err)
{
    rk_dbr_erasure e;
    rk_client_summary sum;
    int rc = rk_dbr_erasure_get(s->db, id, &e, err);
    if (rc == RK_OK)
        return rk_err_set(err, RK_EDENIED, _("This client was erased on %.10s; the card cannot be changed."),
                          e.erased);
    if (rc != RK_ENOTFOUND)
        return rc;
    if (rk_dbc_summary(s->db, id, &sum, err))
        return err->code;
    if (sum.restricted && s->role != RK_ROLE_DPO)
        return rk_err_set(err, RK_EDENIED,
                          _("Processing of this client is restricted (GDPR Art. 18): only the data protection officer may change the card until the restriction is lifted."));
    return RK_OK;
}

int rk_clients_save(rk_session *s, const rk_client *original, rk_client *edited,
                    rk_conflict *conflict, rk_err *err)
{
    rk_policy p;
    if (no_admin(s, err) || rk_clients_policy(s, &p, err))
        return err->code;
    bool changed[RK_F_COUNT];
    int nchanged;
    if (diff_fields(original, edited, changed, &nchanged))
        return rk_err_set(err, RK_EFAIL, _("Out of memory."));
    for (int i = 0; i < RK_F_COUNT; i++) {
        rk_field f = (rk_field)i;
        if (!changed[f])
            continue;
        bool was_empty = rk_field_is_list(f) ? rk_client_list_empty(original, f)
                                             : !original->value[f] || !original->value[f][0];
        /* The level the card was read with, not a later override: a card
         * opened with a field hidden can never write it. */
        if ((rk_fields[f].flags & RK_FF_READONLY) || !may_write(original->level[f], was_empty) ||
            !may_write(p.level[f], was_empty))
            return denied_field(f, err);
    }
    if (nchanged == 0)
        return RK_OK;
    int bad;
    /* Checked again inside the transaction; here so that the reason comes first. */
    if (may_change_record(s, original->id, err) || rk_client_check(edited, &bad, err))
        return err->code;

    char now[32], details[512];
    rk_now_iso(now);
    rk_client *raw = NULL, *old_raw = NULL;
    if (rk_db_begin(s->db, err))
        return err->code;
    int64_t version;
    rk_conflict cf = { 0 };
    int rc = rk_dbc_version(s->db, original->id, &version, cf.updated, cf.updated_by, err);
    if (rc)
        goto fail;
    if (version != original->version) {
        cf.version = version;
        if (conflict)
            *conflict = cf;
        rc = rk_err_set(err, RK_ECONFLICT,
                        _("%s saved this client at %s, after you opened the card; nothing was saved."),
                        cf.updated_by, cf.updated);
        goto fail;
    }
    if ((rc = rk_dbc_load(s->db, original->id, &raw, err)))
        goto fail;
    if ((rc = may_change_record(s, raw->id, err)))
        goto fail;
    if (!(old_raw = rk_client_clone(raw)) || merge(raw, edited, changed)) {
        rc = rk_err_set(err, RK_EFAIL, _("Out of memory."));
        goto fail;
    }
    rc = rk_dbc_update(s->db, raw, changed, s->user, now, err);
    if (rc == RK_ECONFLICT)
        rc = rk_err_set(err, RK_EFAIL, _("%s: another client already has this code."),
                        _(rk_fields[RK_F_HETU].label));
    if (rc == RK_OK)
        rc = write_history(s, old_raw, raw, changed, now, err);
    if (rc == RK_OK)
        rc = rk_search_index_client(s->db, old_raw, raw, err);
    if (rc == RK_OK) {
        field_list(changed, details, sizeof details);
        rc = audit_in_tx(s, RK_AUDIT_CLIENT_CHANGED, original->id, details, err);
    }
    if (rc)
        goto fail;
    if ((rc = rk_db_commit(s->db, err)))
        goto out;
    edited->version = raw->version;
    snprintf(edited->updated, sizeof edited->updated, "%s", raw->updated);
    snprintf(edited->updated_by, sizeof edited->updated_by, "%s", raw->updated_by);
    goto out;
fail:
    rk_db_rollback(s->db);
out:
    rk_client_free(raw);
    rk_client_free(old_raw);
    return rc;
}

int rk_clients_history(rk_session *s, int64_t id, rk_history_row **rows, size_t *n, rk_err *err)
{
    *rows = NULL;
    *n = 0;
    if (rk_session_require_role(s, RK_ROLE_DPO, err))
        return err->code;
    if (rk_dbc_history_list(s->db, id, rows, n, err))
        return err->code;
    if (rk_db_begin(s->db, err) == RK_OK) {
        if (audit_in_tx(s, RK_AUDIT_HISTORY_VIEWED, id, "", err) == RK_OK)
            return rk_db_commit(s->db, err) == RK_OK ? RK_OK : err->code;
        rk_db_rollback(s->db);
    }
    rk_dbc_history_free(*rows, *n);
    *rows = NULL;
    *n = 0;
    return err->code;
}

int rk_clients_lookup(rk_session *s, const char *key, int64_t *id, rk_err *err)
{
    if (no_admin(s, err))
        return err->code;
    size_t len = strlen(key);
    bool digits = len > 0 && len < 19;
    for (size_t i = 0; digits && i < len; i++)
        digits = key[i] >= '0' && key[i] <= '9';
    int rc;
    if (digits) {
        rc = rk_dbc_by_customer_no(s->db, strtoll(key, NULL, 10), id, err);
    } else {
        rk_hetu h;
        if (rk_hetu_parse(key, &h, NULL) != RK_OK)
            return rk_err_set(err, RK_EUSAGE,
                              _("\"%s\" is neither a customer number nor a personal identity code."), key);
        rc = rk_dbc_by_hetu(s->db, h.code, id, err);
    }
    if (rc == RK_ENOTFOUND)
        return rk_err_set(err, RK_ENOTFOUND, _("No client has the number or code \"%s\"."), key);
    return rc;
}

int rk_clients_add_household(rk_session *s, rk_client *c, const char *relation, const char *other,
                             rk_err *err)
{
    int64_t id;
    char key[64];
    const char *k = other ? other : "";
    while (*k == ' ')
        k++;
    snprintf(key, sizeof key, "%s", k);
    for (size_t n = strlen(key); n > 0 && key[n - 1] == ' ';)
        key[--n] = '\0';
    if (!key[0])
        return rk_err_set(err, RK_EUSAGE, _("%s: give the other client's customer number or identity code."),
                          _(rk_fields[RK_F_HOUSEHOLD].label));
    if (rk_clients_lookup(s, key, &id, err) || rk_client_refuse_if_erased(s, id, err) ||
        rk_client_add_household(c, id, relation, err))
        return err->code;
    rk_household_link *h = &c->household[c->nhousehold - 1];
    if (rk_dbc_display_name(s->db, id, h->other_name, sizeof h->other_name, &h->other_no, err)) {
        c->nhousehold--;
        return err->code;
    }
    return RK_OK;
}

int rk_clients_policy_set(rk_session *s, const char *role, const char *field, const char *level,
                          rk_err *err)
{
    if (rk_session_require_role(s, RK_ROLE_ADMIN, err))
        return err->code;
    rk_role r = rk_role_parse(role);
    if (r == RK_ROLE_NONE)
        return rk_err_set(err, RK_EUSAGE, _("Unknown role \"%s\"."), role);
    if (r == RK_ROLE_ADMIN)
        return rk_err_set(err, RK_EUSAGE, _("The admin role never sees client data; its levels cannot be changed."));
    if (rk_policy_check_setting(field, level, err))
        return err->code;
    char details[128];
    snprintf(details, sizeof details, "role=%s field=%s level=%s", role, field, level);
    if (rk_db_begin(s->db, err))
        return err->code;
    if (rk_dbc_policy_set(s->db, role, field, level, err) ||
        audit_in_tx(s, RK_AUDIT_POLICY_CHANGED, 0, details, err)) {
        rk_db_rollback(s->db);
        return err->code;
    }
    return rk_db_commit(s->db, err);
}

/* ---- search ------------------------------------------------------------ */

static const char *query_kind(const char *q)
{
    char norm[RK_HETU_SIZE];
    if (rk_hetu_query_kind(q, norm) != RK_HETU_QUERY_NONE)
        return "hetu";
    if (strchr(q, '@'))
        return "email";
    bool digits = *q != '\0';
    for (const char *p = q; *p; p++)
        if (!((*p >= '0' && *p <= '9') || *p == ' ' || *p == '+' || *p == '-' || *p == '(' || *p == ')'))
            digits = false;
    return digits ? "number" : "name";
}

static int audit_search(rk_session *s, const char *kind, size_t hits, rk_err *err)
{
    char details[64];
    snprintf(details, sizeof details, "kind=%s hits=%zu", kind, hits);
    if (rk_db_begin(s->db, err))
        return err->code;
    if (audit_in_tx(s, RK_AUDIT_CLIENT_SEARCHED, 0, details, err)) {
        rk_db_rollback(s->db);
        return err->code;
    }
    return rk_db_commit(s->db, err);
}

int rk_clients_search_audit(rk_session *s, size_t hits, rk_err *err)
{
    return audit_search(s, "interactive", hits, err);
}

int rk_clients_search(rk_session *s, const char *query, rk_search_hit *hits, size_t max,
                      size_t *n, bool audit, rk_err *err)
{
    *n = 0;
    rk_policy p;
    if (no_admin(s, err) || rk_clients_policy(s, &p, err))
        return err->code;
    /* A role that cannot see names has nothing to search for. */
    if (p.level[RK_F_LAST_NAME] < RK_LEVEL_READ)
        return rk_err_set(err, RK_EDENIED, _("Your role does not see client names."));
    if (max > RK_SEARCH_MAX_HITS)
        max = RK_SEARCH_MAX_HITS;
    int64_t ids[RK_SEARCH_MAX_HITS];
    size_t nids = 0;
    if (rk_search_query(s->db, query, ids, max, &nids, err))
        return err->code;
    for (size_t i = 0; i < nids; i++) {
        rk_client_summary sum;
        if (rk_dbc_summary(s->db, ids[i], &sum, err))
            return err->code;
        rk_search_hit *h = &hits[*n];
        memset(h, 0, sizeof *h);
        h->id = sum.id;
        h->restricted = sum.restricted;
        snprintf(h->name, sizeof h->name, "%s, %s", sum.last_name,
                 p.level[RK_F_FIRST_NAMES] >= RK_LEVEL_READ ? sum.first_names : "");
        if (p.level[RK_F_HETU] >= RK_LEVEL_READ)
            snprintf(h->hetu, sizeof h->hetu, "%s", sum.hetu);
        else if (p.level[RK_F_HETU] == RK_LEVEL_MASKED && sum.hetu[0])
            rk_policy_mask(RK_F_HETU, sum.hetu, h->hetu, sizeof h->hetu);
        if (p.level[RK_F_BIRTH_DATE] >= RK_LEVEL_READ)
            snprintf(h->birth_date, sizeof h->birth_date, "%s", sum.birth_date);
        if (p.level[RK_F_CUSTOMER_NO] >= RK_LEVEL_READ)
            snprintf(h->customer_no, sizeof h->customer_no, "%lld", (long long)sum.customer_no);
        bool safety_hidden = sum.turvakielto && s->role != RK_ROLE_DPO;
        if (p.level[RK_F_POST_OFFICE] >= RK_LEVEL_READ && !safety_hidden)
            snprintf(h->post_office, sizeof h->post_office, "%s", sum.post_office);
        (*n)++;
    }
    if (audit)
        return audit_search(s, query_kind(query), *n, err);
    return RK_OK;
}

int rk_clients_refresh_search(rk_session *s, rk_err *err)
{
    if (no_admin(s, err) || rk_db_begin(s->db, err))
        return err->code;
    if (rk_search_refresh_stats(s->db, err)) {
        rk_db_rollback(s->db);
        return err->code;
    }
    return rk_db_commit(s->db, err);
}
