/* Consents: the ledger (latest event wins, since dates, history, atomic
 * batches, append-only), roles, THE contact rule's full truth table against
 * an independent statement of the rules, the opt-in setting, marketing
 * exports per role (fields, withdrawal, formula neutralising, agreement
 * with the card) and the disclosure register. */
#include "fixture.h"

#include <csv.h>
#include <jansson.h>
#include <sqlite3.h>

#include "clients.h"
#include "consent.h"
#include "db_clients.h"
#include "db_settings.h"
#include "disclosure.h"

static void setup(void) { fix_create(); }
static void teardown(void) { fix_remove(); }

typedef struct { rk_field f; const char *v; } fv;

/* Adds a client as dpo with the given fields; returns its id. */
static int64_t add_client(const char *first, const char *last, const char *email,
                          const char *phone, const fv *extra, size_t nextra, bool restricted)
{
    rk_session *dpo = fix_login("dpo");
    rk_client *c;
    rk_err err;
    ck_assert_int_eq(rk_clients_blank(dpo, &c, &err), RK_OK);
    ck_assert_msg(rk_client_set(c, RK_F_FIRST_NAMES, first, &err) == RK_OK, "%s", err.msg);
    ck_assert_msg(rk_client_set(c, RK_F_LAST_NAME, last, &err) == RK_OK, "%s", err.msg);
    for (size_t i = 0; i < nextra; i++)
        ck_assert_msg(rk_client_set(c, extra[i].f, extra[i].v, &err) == RK_OK, "%s: %s",
                      rk_fields[extra[i].f].name, err.msg);
    if (email)
        ck_assert_int_eq(rk_client_add_email(c, "personal", email, &err), RK_OK);
    if (phone)
        ck_assert_int_eq(rk_client_add_phone(c, "mobile", phone, &err), RK_OK);
    c->restricted = restricted;
    int64_t existing;
    ck_assert_msg(rk_clients_create(dpo, c, &existing, &err) == RK_OK, "%s", err.msg);
    int64_t id = c->id;
    rk_client_free(c);
    rk_session_logout(dpo);
    return id;
}

static int64_t plain_client(const char *first, const char *last, const char *email)
{
    return add_client(first, last, email, NULL, NULL, 0, false);
}

static void apply1(rk_session *s, int64_t id, const char *slot, rk_cstate st, rk_csource src)
{
    rk_consent_change ch = { rk_slot_parse(slot), st };
    ck_assert_int_ge(ch.slot, 0);
    rk_consent_batch b = { .source = src };
    rk_err err;
    ck_assert_msg(rk_consent_apply(s, id, &ch, 1, &b, NULL, &err) == RK_OK, "%s", err.msg);
}

/* ---- the declarations ------------------------------------------------------- */

START_TEST(tables_are_consistent)
{
    ck_assert_int_eq(RK_CONSENT_SLOTS, 6 * 4 + 3);
    for (int s = 0; s < RK_CONSENT_SLOTS; s++) {
        char name[48], label[200];
        rk_slot_name(s, name, sizeof name);
        ck_assert_int_eq(rk_slot_parse(name), s);
        rk_slot_label(s, label, sizeof label);
        ck_assert(label[0] && strcmp(label, "?") != 0);
    }
    ck_assert_int_eq(rk_slot_parse("direct_marketing:fax"), -1);
    ck_assert_int_eq(rk_slot_parse("nothing"), -1);
    ck_assert_int_eq(rk_slot_parse("direct_marketing:"), -1);
    /* Channels are the client card's preferred-channel choices. */
    ck_assert_uint_eq(rk_choices_channel.count, RK_CHANNEL_COUNT);
    for (size_t i = 0; i < rk_choices_channel.count; i++)
        ck_assert_int_ge(rk_channel_parse(rk_choices_channel.items[i].value), 0);
    ck_assert_uint_eq(rk_contact_default_optin(), (1u << RK_CHANNEL_EMAIL) | (1u << RK_CHANNEL_SMS));
    ck_assert_int_eq(rk_cstate_cycle(RK_CSTATE_UNKNOWN), RK_CSTATE_ALLOWED);
    ck_assert_int_eq(rk_cstate_cycle(RK_CSTATE_ALLOWED), RK_CSTATE_DENIED);
    ck_assert_int_eq(rk_cstate_cycle(RK_CSTATE_DENIED), RK_CSTATE_UNKNOWN);
    for (int r = 0; r < RK_CONTACT_REASON_COUNT; r++)
        ck_assert(rk_contact_reason_label((rk_contact_reason)r)[0]);
}
END_TEST

/* ---- the ledger ---------------------------------------------------------------- */

START_TEST(latest_event_wins_with_since_and_history)
{
    int64_t id = plain_client("Anna", "Mäkinen", "anna@example.com");
    rk_session *s = fix_login("reception");
    rk_err err;
    rk_consent_grid g;
    ck_assert_int_eq(rk_consent_grid_get(s, id, &g, &err), RK_OK);
    for (int k = 0; k < RK_CONSENT_SLOTS; k++) {
        ck_assert_int_eq(g.slot[k].state, RK_CSTATE_UNKNOWN);
        ck_assert_str_eq(g.slot[k].since, "");
        ck_assert_int_eq(g.slot[k].event_id, 0);
    }
    int dm_email = RK_SLOT_CELL(RK_PURPOSE_DIRECT_MARKETING, RK_CHANNEL_EMAIL);
    int dm_sms = RK_SLOT_CELL(RK_PURPOSE_DIRECT_MARKETING, RK_CHANNEL_SMS);
    apply1(s, id, "direct_marketing:email", RK_CSTATE_ALLOWED, RK_CSOURCE_LETTER);
    ck_assert_int_eq(rk_consent_grid_get(s, id, &g, &err), RK_OK);
    ck_assert_int_eq(g.slot[dm_email].state, RK_CSTATE_ALLOWED);
    int64_t first_event = g.slot[dm_email].event_id;
    char first_since[32];
    memcpy(first_since, g.slot[dm_email].since, sizeof first_since);
    ck_assert_int_eq(strlen(first_since), 20);          /* 2026-01-02T03:04:05Z */
    ck_assert_int_eq(first_since[19], 'Z');

    /* Another cell changes later: the first keeps its event and since. */
    apply1(s, id, "direct_marketing:sms", RK_CSTATE_DENIED, RK_CSOURCE_EMAIL);
    ck_assert_int_eq(rk_consent_grid_get(s, id, &g, &err), RK_OK);
    ck_assert_int_eq(g.slot[dm_email].event_id, first_event);
    ck_assert_str_eq(g.slot[dm_email].since, first_since);
    ck_assert_int_eq(g.slot[dm_sms].state, RK_CSTATE_DENIED);

    /* A later event on the same cell wins. */
    apply1(s, id, "direct_marketing:email", RK_CSTATE_DENIED, RK_CSOURCE_WEB_FORM);
    apply1(s, id, "all_marketing", RK_CSTATE_DENIED, RK_CSOURCE_IN_PERSON);
    ck_assert_int_eq(rk_consent_grid_get(s, id, &g, &err), RK_OK);
    ck_assert_int_eq(g.slot[dm_email].state, RK_CSTATE_DENIED);
    ck_assert_int_eq(g.slot[dm_email].source, RK_CSOURCE_WEB_FORM);
    ck_assert_int_gt(g.slot[dm_email].event_id, first_event);
    ck_assert_str_eq(g.slot[dm_email].user, "reception");
    ck_assert_int_eq(g.slot[RK_SLOT_ITEM(RK_PITEM_ALL_MARKETING)].state, RK_CSTATE_DENIED);
    ck_assert_str_eq(rk_slot_state_label(RK_SLOT_ITEM(RK_PITEM_ALL_MARKETING), RK_CSTATE_DENIED),
                     "ban in force");

    rk_consent_event *ev;
    size_t n;
    ck_assert_int_eq(rk_consent_history(s, id, -1, &ev, &n, &err), RK_OK);
    ck_assert_uint_eq(n, 4);
    ck_assert_str_eq(ev[0].slot_name, "all_marketing");           /* newest first */
    ck_assert_str_eq(ev[1].slot_name, "direct_marketing:email");
    ck_assert_int_eq(ev[1].state, RK_CSTATE_DENIED);
    ck_assert_str_eq(ev[3].slot_name, "direct_marketing:email");
    ck_assert_int_eq(ev[3].state, RK_CSTATE_ALLOWED);
    ck_assert_int_eq(ev[3].source, RK_CSOURCE_LETTER);
    ck_assert_int_eq(ev[1].id, g.slot[dm_email].event_id);
    ck_assert_str_eq(ev[1].ts, g.slot[dm_email].since);
    rk_consent_history_free(ev);
    ck_assert_int_eq(rk_consent_history(s, id, dm_email, &ev, &n, &err), RK_OK);
    ck_assert_uint_eq(n, 2);
    rk_consent_history_free(ev);
    rk_session_logout(s);
}
END_TEST

START_TEST(notice_version_note_and_audit)
{
    int64_t id = plain_client("Anna", "Mäkinen", NULL);
    rk_session *a = fix_login("admin");
    rk_err err;
    ck_assert_int_eq(rk_db_begin(a->db, &err), RK_OK);
    ck_assert_int_eq(rk_dbs_set(a->db, RK_SETTING_NOTICE_VERSION, "2026-01", &err), RK_OK);
    ck_assert_int_eq(rk_db_commit(a->db, &err), RK_OK);
    rk_session_logout(a);
    rk_session *s = fix_login("reception");
    int64_t before = fix_sql_int(s, "SELECT COUNT(*) FROM audit WHERE action = 'consent_changed'");
    rk_consent_change ch[] = {
        { RK_SLOT_CELL(RK_PURPOSE_NEWSLETTER, RK_CHANNEL_EMAIL), RK_CSTATE_ALLOWED },
        { RK_SLOT_CELL(RK_PURPOSE_NEWSLETTER, RK_CHANNEL_SMS), RK_CSTATE_DENIED },
        { RK_SLOT_ITEM(RK_PITEM_CALL_RECORDING), RK_CSTATE_ALLOWED },
    };
    rk_consent_batch b = { .source = RK_CSOURCE_IN_PERSON, .note = "Asiakas pyysi kirjeitse: Äänekoski" };
    int64_t batch;
    ck_assert_int_eq(rk_consent_apply(s, id, ch, 3, &b, &batch, &err), RK_OK);
    rk_consent_event *ev;
    size_t n;
    ck_assert_int_eq(rk_consent_history(s, id, -1, &ev, &n, &err), RK_OK);
    ck_assert_uint_eq(n, 3);
    for (size_t i = 0; i < n; i++) {
        ck_assert_int_eq(ev[i].batch, batch);
        ck_assert_str_eq(ev[i].notice_version, "2026-01");
        ck_assert_str_eq(ev[i].note, "Asiakas pyysi kirjeitse: Äänekoski");
    }
    rk_consent_history_free(ev);
    /* An explicit version wins over the setting. */
    /* Reading the grid or the history is a read of client data: audited. */
    int64_t reads = fix_sql_int(s, "SELECT COUNT(*) FROM audit WHERE action = 'consents_read'");
    rk_consent_grid g;
    ck_assert_int_eq(rk_consent_grid_get(s, id, &g, &err), RK_OK);
    ck_assert_int_eq(fix_sql_int(s, "SELECT COUNT(*) FROM audit WHERE action = 'consents_read'"), reads + 1);
    ck_assert_int_eq(fix_sql_int(s, "SELECT COUNT(*) FROM audit WHERE action = 'consents_read'"
                                   " AND details = 'grid'"), 1);
    ck_assert_int_ge(reads, 1);   /* the history read above */
    rk_consent_batch b2 = { .source = RK_CSOURCE_LETTER, .notice_version = "v7" };
    ck_assert_int_eq(rk_consent_apply(s, id, ch, 1, &b2, NULL, &err), RK_OK);
    ck_assert_int_eq(rk_consent_history(s, id, -1, &ev, &n, &err), RK_OK);
    ck_assert_str_eq(ev[0].notice_version, "v7");
    rk_consent_history_free(ev);
    /* One audit event per batch, naming cells, never the note. */
    ck_assert_int_eq(fix_sql_int(s, "SELECT COUNT(*) FROM audit WHERE action = 'consent_changed'"), before + 2);
    sqlite3_stmt *st;
    ck_assert_int_eq(sqlite3_prepare_v2(rk_db_handle(s->db),
                                        "SELECT details, client_id FROM audit WHERE action = 'consent_changed' ORDER BY seq DESC LIMIT 1 OFFSET 1",
                                        -1, &st, NULL), SQLITE_OK);
    ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
    const char *d = (const char *)sqlite3_column_text(st, 0);
    ck_assert_msg(strstr(d, "n=3") && strstr(d, "newsletter:email+sms") && strstr(d, "call_recording") &&
                  strstr(d, "source=in_person"), "details: %s", d);
    ck_assert_ptr_null(strstr(d, "Äänekoski"));
    ck_assert_int_eq(sqlite3_column_int64(st, 1), id);
    sqlite3_finalize(st);
    rk_session_logout(s);
}
END_TEST

START_TEST(grouped_change_is_atomic)
{
    int64_t id = plain_client("Anna", "Mäkinen", NULL);
    rk_session *s = fix_login("reception");
    rk_err err;
    int64_t audit_before = fix_sql_int(s, "SELECT COUNT(*) FROM audit");
    /* The third insert of the batch fails inside the database. */
    ck_assert_int_eq(sqlite3_exec(rk_db_handle(s->db),
                                  "CREATE TEMP TRIGGER fail_research BEFORE INSERT ON main.consent_events"
                                  " WHEN NEW.item = 'research' BEGIN SELECT RAISE(ABORT, 'boom'); END;",
                                  NULL, NULL, NULL), SQLITE_OK);
    rk_consent_change ch[] = {
        { RK_SLOT_CELL(RK_PURPOSE_DIRECT_MARKETING, RK_CHANNEL_EMAIL), RK_CSTATE_ALLOWED },
        { RK_SLOT_CELL(RK_PURPOSE_DIRECT_MARKETING, RK_CHANNEL_SMS), RK_CSTATE_ALLOWED },
        { RK_SLOT_CELL(RK_PURPOSE_RESEARCH, RK_CHANNEL_POST), RK_CSTATE_DENIED },
    };
    rk_consent_batch b = { .source = RK_CSOURCE_LETTER };
    ck_assert_int_eq(rk_consent_apply(s, id, ch, 3, &b, NULL, &err), RK_EFAIL);
    ck_assert_int_eq(fix_sql_int(s, "SELECT COUNT(*) FROM consent_events"), 0);
    ck_assert_int_eq(fix_sql_int(s, "SELECT COUNT(*) FROM audit"), audit_before);
    ck_assert_int_eq(sqlite3_exec(rk_db_handle(s->db), "DROP TRIGGER temp.fail_research", NULL, NULL, NULL), SQLITE_OK);
    ck_assert_int_eq(rk_consent_apply(s, id, ch, 3, &b, NULL, &err), RK_OK);
    ck_assert_int_eq(fix_sql_int(s, "SELECT COUNT(*) FROM consent_events"), 3);
    ck_assert_int_eq(fix_sql_int(s, "SELECT COUNT(DISTINCT batch) FROM consent_events"), 1);

    /* Refused before anything is written. */
    rk_consent_change dup[] = { ch[0], ch[0] };
    ck_assert_int_eq(rk_consent_apply(s, id, dup, 2, &b, NULL, &err), RK_EUSAGE);
    ck_assert_ptr_nonnull(strstr(err.msg, "direct_marketing:email"));
    rk_consent_batch phone = { .source = RK_CSOURCE_PHONE };
    ck_assert_int_eq(rk_consent_apply(s, id, ch, 1, &phone, NULL, &err), RK_EUSAGE);
    rk_consent_batch letter_call = { .source = RK_CSOURCE_LETTER, .call_id = 1 };
    ck_assert_int_eq(rk_consent_apply(s, id, ch, 1, &letter_call, NULL, &err), RK_EUSAGE);
    rk_consent_batch no_note = { .source = RK_CSOURCE_LETTER, .note = "two\nlines" };
    ck_assert_int_eq(rk_consent_apply(s, id, ch, 1, &no_note, NULL, &err), RK_EUSAGE);
    rk_consent_batch bad_src = { .source = (rk_csource)42 };
    ck_assert_int_eq(rk_consent_apply(s, id, ch, 1, &bad_src, NULL, &err), RK_EUSAGE);
    ck_assert_int_eq(rk_consent_apply(s, id, ch, 0, &b, NULL, &err), RK_EUSAGE);
    ck_assert_int_eq(rk_consent_apply(s, 99999, ch, 1, &b, NULL, &err), RK_ENOTFOUND);
    ck_assert_int_eq(fix_sql_int(s, "SELECT COUNT(*) FROM consent_events"), 3);
    rk_session_logout(s);
}
END_TEST

START_TEST(ledger_is_append_only)
{
    int64_t id = plain_client("Anna", "Mäkinen", NULL);
    rk_session *s = fix_login("reception");
    apply1(s, id, "research:post", RK_CSTATE_DENIED, RK_CSOURCE_LETTER);
    sqlite3 *h = rk_db_handle(s->db);
    ck_assert_int_ne(sqlite3_exec(h, "UPDATE consent_events SET state = 'allowed'", NULL, NULL, NULL), SQLITE_OK);
    ck_assert_int_ne(sqlite3_exec(h, "DELETE FROM consent_events", NULL, NULL, NULL), SQLITE_OK);
    ck_assert_int_ne(sqlite3_exec(h,
                                  "INSERT OR REPLACE INTO consent_events (id, client_id, item, channel, state,"
                                  " user, ts, source, batch) SELECT id, client_id, item, channel, 'allowed',"
                                  " user, ts, source, batch FROM consent_events",
                                  NULL, NULL, NULL), SQLITE_OK);
    rk_err err;
    rk_contact_reason r;
    ck_assert_int_eq(rk_contact_check(s, id, RK_PURPOSE_RESEARCH, RK_CHANNEL_POST, &r, &err), RK_OK);
    ck_assert_int_eq(r, RK_CONTACT_DENIED);
    rk_session_logout(s);
}
END_TEST

START_TEST(roles_for_consents)
{
    int64_t id = plain_client("Anna", "Mäkinen", NULL);
    rk_err err;
    rk_consent_grid g;
    rk_consent_change allow = { RK_SLOT_CELL(RK_PURPOSE_DIRECT_MARKETING, RK_CHANNEL_EMAIL), RK_CSTATE_ALLOWED };
    rk_consent_change deny = { RK_SLOT_CELL(RK_PURPOSE_DIRECT_MARKETING, RK_CHANNEL_EMAIL), RK_CSTATE_DENIED };
    rk_consent_batch b = { .source = RK_CSOURCE_EMAIL };

    static const char *none[] = { "billing", "admin" };
    for (size_t i = 0; i < RK_ARRAY_LEN(none); i++) {
        rk_session *s = fix_login(none[i]);
        ck_assert_int_eq(rk_consent_grid_get(s, id, &g, &err), RK_EDENIED);
        ck_assert_int_eq(rk_consent_apply(s, id, &deny, 1, &b, NULL, &err), RK_EDENIED);
        rk_session_logout(s);
    }
    rk_session *m = fix_login("marketing");
    ck_assert_int_eq(rk_consent_grid_get(m, id, &g, &err), RK_OK);
    ck_assert_int_eq(rk_consent_apply(m, id, &allow, 1, &b, NULL, &err), RK_EDENIED);
    ck_assert_int_eq(rk_consent_apply(m, id, &deny, 1, &b, NULL, &err), RK_OK);
    rk_session_logout(m);
    static const char *writers[] = { "reception", "dpo" };
    for (size_t i = 0; i < RK_ARRAY_LEN(writers); i++) {
        rk_session *s = fix_login(writers[i]);
        ck_assert_int_eq(rk_consent_apply(s, id, &allow, 1, &b, NULL, &err), RK_OK);
        rk_session_logout(s);
    }
    /* The policy table's area "consents" overrides the default, set as
     * `rekisteri policy set` sets it. */
    rk_session *a = fix_login("admin");
    ck_assert_int_eq(rk_clients_policy_set(a, "billing", "consents", "read", &err), RK_OK);
    rk_session_logout(a);
    rk_session *bi = fix_login("billing");
    rk_level l;
    ck_assert_int_eq(rk_consent_level(bi, &l, &err), RK_OK);
    ck_assert_int_eq(l, RK_LEVEL_READ);
    ck_assert_int_eq(rk_consent_grid_get(bi, id, &g, &err), RK_OK);
    ck_assert_int_eq(g.slot[allow.slot].state, RK_CSTATE_ALLOWED);
    ck_assert_int_eq(rk_consent_apply(bi, id, &deny, 1, &b, NULL, &err), RK_EDENIED);
    rk_session_logout(bi);
}
END_TEST

/* The defaults live in the policy table (src/policy.c); an administrator's
 * row changes what a role may do, both ways, and "masked" is refused. */
START_TEST(consents_policy_rows)
{
    ck_assert_int_eq(rk_policy_area_default(RK_ROLE_RECEPTION, RK_AREA_CONSENTS), RK_LEVEL_WRITE);
    ck_assert_int_eq(rk_policy_area_default(RK_ROLE_MARKETING, RK_AREA_CONSENTS), RK_LEVEL_READ);
    ck_assert_int_eq(rk_policy_area_default(RK_ROLE_BILLING, RK_AREA_CONSENTS), RK_LEVEL_HIDDEN);
    ck_assert_int_eq(rk_policy_area_default(RK_ROLE_ADMIN, RK_AREA_CONSENTS), RK_LEVEL_HIDDEN);
    ck_assert_int_eq(rk_area_parse("consents"), RK_AREA_CONSENTS);

    int64_t id = plain_client("Anna", "Mäkinen", NULL);
    rk_err err;
    rk_consent_grid g;
    rk_consent_change allow = { RK_SLOT_CELL(RK_PURPOSE_RESEARCH, RK_CHANNEL_POST), RK_CSTATE_ALLOWED };
    rk_consent_batch b = { .source = RK_CSOURCE_LETTER };
    rk_session *a = fix_login("admin");
    ck_assert_int_eq(rk_clients_policy_set(a, "marketing", "consents", "masked", &err), RK_EUSAGE);
    ck_assert_ptr_nonnull(strstr(err.msg, "cannot be masked"));
    ck_assert_int_eq(rk_clients_policy_set(a, "marketing", "consent", "read", &err), RK_EUSAGE);
    /* Marketing may grant once given write; reception loses the grid. */
    ck_assert_int_eq(rk_clients_policy_set(a, "marketing", "consents", "write", &err), RK_OK);
    ck_assert_int_eq(rk_clients_policy_set(a, "reception", "consents", "hidden", &err), RK_OK);
    rk_session_logout(a);
    rk_session *m = fix_login("marketing");
    ck_assert_int_eq(rk_consent_apply(m, id, &allow, 1, &b, NULL, &err), RK_OK);
    rk_session_logout(m);
    rk_session *r = fix_login("reception");
    ck_assert_int_eq(rk_consent_grid_get(r, id, &g, &err), RK_EDENIED);
    ck_assert_int_eq(rk_consent_apply(r, id, &allow, 1, &b, NULL, &err), RK_EDENIED);
    rk_session_logout(r);
    /* Back to the default: the admin's row is replaced, not added to. */
    a = fix_login("admin");
    ck_assert_int_eq(rk_clients_policy_set(a, "marketing", "consents", "read", &err), RK_OK);
    rk_session_logout(a);
    m = fix_login("marketing");
    ck_assert_int_eq(rk_consent_apply(m, id, &allow, 1, &b, NULL, &err), RK_EDENIED);
    rk_session_logout(m);
}
END_TEST

/* ---- the rule ------------------------------------------------------------------ */

/* The rules as the issue states them, written independently of
 * rk_contact_decide: which exclusions apply, then the channel rule. */
static bool expected_allowed(const rk_contact_facts *f, bool *by_consent)
{
    bool optin = (f->optin_channels >> f->channel) & 1u;
    bool popreg_ban = f->purpose == RK_PURPOSE_RESEARCH ? f->popreg_market_research
                                                        : f->popreg_direct_marketing;
    bool excluded = f->erased || f->restricted || f->all_marketing == RK_CSTATE_DENIED || popreg_ban ||
                    (f->purpose == RK_PURPOSE_PARTNER && f->partner_disclosure == RK_CSTATE_DENIED) ||
                    (f->channel == RK_CHANNEL_POST && f->turvakielto);
    bool channel_ok = optin ? f->cell == RK_CSTATE_ALLOWED : f->cell != RK_CSTATE_DENIED;
    *by_consent = f->cell == RK_CSTATE_ALLOWED;
    return !excluded && channel_ok;
}

/* The reason a refusal gives: the first exclusion in the documented order. */
static rk_contact_reason expected_reason(const rk_contact_facts *f)
{
    bool by_consent;
    if (expected_allowed(f, &by_consent))
        return by_consent ? RK_CONTACT_ALLOWED_CONSENT : RK_CONTACT_ALLOWED_NO_OBJECTION;
    struct { bool when; rk_contact_reason r; } order[] = {
        { f->erased, RK_CONTACT_ERASED },
        { f->restricted, RK_CONTACT_RESTRICTED },
        { f->all_marketing == RK_CSTATE_DENIED, RK_CONTACT_TOTAL_BAN },
        { f->purpose == RK_PURPOSE_RESEARCH && f->popreg_market_research, RK_CONTACT_POPREG_MARKET_RESEARCH },
        { f->purpose != RK_PURPOSE_RESEARCH && f->popreg_direct_marketing, RK_CONTACT_POPREG_DIRECT_MARKETING },
        { f->purpose == RK_PURPOSE_PARTNER && f->partner_disclosure == RK_CSTATE_DENIED, RK_CONTACT_PARTNER_BAN },
        { f->channel == RK_CHANNEL_POST && f->turvakielto, RK_CONTACT_TURVAKIELTO },
        { f->cell == RK_CSTATE_DENIED, RK_CONTACT_DENIED },
    };
    for (size_t i = 0; i < RK_ARRAY_LEN(order); i++)
        if (order[i].when)
            return order[i].r;
    return RK_CONTACT_NO_CONSENT;
}

START_TEST(contact_rule_full_truth_table)
{
    /* Every opt-in set of channels, not only the default one. */
    size_t rows = 0, allowed = 0;
    size_t by_reason[RK_CONTACT_REASON_COUNT] = { 0 };
    for (unsigned optin = 0; optin < (1u << RK_CHANNEL_COUNT); optin++)
    for (int p = 0; p < RK_PURPOSE_COUNT; p++)
    for (int c = 0; c < RK_CHANNEL_COUNT; c++)
    for (int cell = 0; cell < RK_CSTATE_COUNT; cell++)
    for (int all = 0; all < RK_CSTATE_COUNT; all++)
    for (int partner = 0; partner < RK_CSTATE_COUNT; partner++)
    for (int bits = 0; bits < 32; bits++) {
        rk_contact_facts f = {
            .purpose = (rk_purpose)p, .channel = (rk_channel)c, .cell = (rk_cstate)cell,
            .all_marketing = (rk_cstate)all, .partner_disclosure = (rk_cstate)partner,
            .popreg_direct_marketing = bits & 1, .popreg_market_research = bits & 2,
            .restricted = bits & 4, .erased = bits & 8, .turvakielto = bits & 16,
            .optin_channels = optin,
        };
        bool by_consent;
        bool want = expected_allowed(&f, &by_consent);
        rk_contact_reason got = rk_contact_decide(&f);
        ck_assert_msg(rk_contact_reason_allows(got) == want,
                      "optin=%x %s:%s cell=%d all=%d partner=%d bits=%d: got %s",
                      optin, rk_purpose_name(f.purpose), rk_channel_name(f.channel), cell, all,
                      partner, bits, rk_contact_reason_name(got));
        ck_assert_msg(got == expected_reason(&f), "reason %s, want %s",
                      rk_contact_reason_name(got), rk_contact_reason_name(expected_reason(&f)));
        rows++;
        allowed += want;
        by_reason[got]++;
    }
    ck_assert_uint_eq(rows, 16u * 6 * 4 * 3 * 3 * 3 * 32);
    ck_assert_uint_gt(allowed, 0);
    for (int r = 0; r < RK_CONTACT_REASON_COUNT; r++)
        ck_assert_msg(by_reason[r] > 0, "reason %s never reached", rk_contact_reason_name((rk_contact_reason)r));

    /* The default channel rule, spelled out. */
    rk_contact_facts f = { .purpose = RK_PURPOSE_DIRECT_MARKETING, .optin_channels = rk_contact_default_optin() };
    f.channel = RK_CHANNEL_EMAIL;
    ck_assert_int_eq(rk_contact_decide(&f), RK_CONTACT_NO_CONSENT);
    f.channel = RK_CHANNEL_SMS;
    ck_assert_int_eq(rk_contact_decide(&f), RK_CONTACT_NO_CONSENT);
    f.cell = RK_CSTATE_ALLOWED;
    ck_assert_int_eq(rk_contact_decide(&f), RK_CONTACT_ALLOWED_CONSENT);
    f.cell = RK_CSTATE_UNKNOWN;
    f.channel = RK_CHANNEL_PHONE;
    ck_assert_int_eq(rk_contact_decide(&f), RK_CONTACT_ALLOWED_NO_OBJECTION);
    f.channel = RK_CHANNEL_POST;
    ck_assert_int_eq(rk_contact_decide(&f), RK_CONTACT_ALLOWED_NO_OBJECTION);
    f.turvakielto = true;
    ck_assert_int_eq(rk_contact_decide(&f), RK_CONTACT_TURVAKIELTO);
    f.channel = RK_CHANNEL_PHONE;
    ck_assert_int_eq(rk_contact_decide(&f), RK_CONTACT_ALLOWED_NO_OBJECTION);
    f.purpose = RK_PURPOSE_NEWSLETTER;
    f.channel = RK_CHANNEL_EMAIL;
    ck_assert_int_eq(rk_contact_decide(&f), RK_CONTACT_NO_CONSENT);
    f.popreg_market_research = true;              /* research ban: not for newsletters */
    f.cell = RK_CSTATE_ALLOWED;
    ck_assert_int_eq(rk_contact_decide(&f), RK_CONTACT_ALLOWED_CONSENT);
    f.purpose = RK_PURPOSE_RESEARCH;
    ck_assert_int_eq(rk_contact_decide(&f), RK_CONTACT_POPREG_MARKET_RESEARCH);
}
END_TEST

START_TEST(rule_reads_client_flags_and_withdrawals_at_once)
{
    fv popreg[] = { { RK_F_POPREG_BANS, "direct_marketing" } };
    fv research[] = { { RK_F_POPREG_BANS, "genealogy,market_research" } };
    fv safety[] = { { RK_F_TURVAKIELTO, "yes" } };
    int64_t plain = plain_client("Anna", "Mäkinen", "anna@example.com");
    int64_t banned = add_client("Pekka", "Virtanen", NULL, NULL, popreg, 1, false);
    int64_t safe = add_client("Liisa", "Korhonen", NULL, NULL, safety, 1, false);
    int64_t restr = add_client("Matti", "Nieminen", NULL, NULL, NULL, 0, true);
    int64_t polled = add_client("Outi", "Laine", NULL, NULL, research, 1, false);
    rk_session *s = fix_login("reception");
    rk_err err;
    rk_contact_reason r;
#define CHECK(id, p, c, want)                                                             \
    do {                                                                                  \
        ck_assert_int_eq(rk_contact_check(s, id, p, c, &r, &err), RK_OK);                 \
        ck_assert_msg(r == want, "%s, want %s", rk_contact_reason_name(r),                \
                      rk_contact_reason_name(want));                                      \
    } while (0)
    CHECK(plain, RK_PURPOSE_DIRECT_MARKETING, RK_CHANNEL_EMAIL, RK_CONTACT_NO_CONSENT);
    CHECK(plain, RK_PURPOSE_DIRECT_MARKETING, RK_CHANNEL_POST, RK_CONTACT_ALLOWED_NO_OBJECTION);
    CHECK(banned, RK_PURPOSE_DIRECT_MARKETING, RK_CHANNEL_POST, RK_CONTACT_POPREG_DIRECT_MARKETING);
    CHECK(banned, RK_PURPOSE_RESEARCH, RK_CHANNEL_POST, RK_CONTACT_ALLOWED_NO_OBJECTION);
    CHECK(polled, RK_PURPOSE_RESEARCH, RK_CHANNEL_PHONE, RK_CONTACT_POPREG_MARKET_RESEARCH);
    CHECK(polled, RK_PURPOSE_DIRECT_MARKETING, RK_CHANNEL_PHONE, RK_CONTACT_ALLOWED_NO_OBJECTION);
    CHECK(safe, RK_PURPOSE_DIRECT_MARKETING, RK_CHANNEL_POST, RK_CONTACT_TURVAKIELTO);
    CHECK(safe, RK_PURPOSE_DIRECT_MARKETING, RK_CHANNEL_PHONE, RK_CONTACT_ALLOWED_NO_OBJECTION);
    CHECK(restr, RK_PURPOSE_DIRECT_MARKETING, RK_CHANNEL_PHONE, RK_CONTACT_RESTRICTED);

    apply1(s, plain, "direct_marketing:email", RK_CSTATE_ALLOWED, RK_CSOURCE_WEB_FORM);
    CHECK(plain, RK_PURPOSE_DIRECT_MARKETING, RK_CHANNEL_EMAIL, RK_CONTACT_ALLOWED_CONSENT);
    /* A withdrawal counts from the next question on: no cache. */
    apply1(s, plain, "direct_marketing:email", RK_CSTATE_DENIED, RK_CSOURCE_EMAIL);
    CHECK(plain, RK_PURPOSE_DIRECT_MARKETING, RK_CHANNEL_EMAIL, RK_CONTACT_DENIED);
    apply1(s, plain, "partner_disclosure", RK_CSTATE_DENIED, RK_CSOURCE_LETTER);
    CHECK(plain, RK_PURPOSE_PARTNER, RK_CHANNEL_POST, RK_CONTACT_PARTNER_BAN);
    CHECK(plain, RK_PURPOSE_TELEMARKETING, RK_CHANNEL_PHONE, RK_CONTACT_ALLOWED_NO_OBJECTION);
    apply1(s, plain, "all_marketing", RK_CSTATE_DENIED, RK_CSOURCE_LETTER);
    CHECK(plain, RK_PURPOSE_TELEMARKETING, RK_CHANNEL_PHONE, RK_CONTACT_TOTAL_BAN);
    apply1(s, plain, "all_marketing", RK_CSTATE_ALLOWED, RK_CSOURCE_LETTER);   /* ban lifted */
    CHECK(plain, RK_PURPOSE_TELEMARKETING, RK_CHANNEL_PHONE, RK_CONTACT_ALLOWED_NO_OBJECTION);
#undef CHECK
    int64_t *ids;
    size_t n;
    ck_assert_int_eq(rk_contact_list(s, RK_PURPOSE_DIRECT_MARKETING, RK_CHANNEL_POST, &ids, &n, &err), RK_OK);
    ck_assert_uint_eq(n, 2);            /* banned, safe and restricted are out */
    ck_assert_int_eq(ids[0], plain);
    ck_assert_int_eq(ids[1], polled);
    free(ids);
    ck_assert_int_eq(rk_contact_check(s, 424242, RK_PURPOSE_RESEARCH, RK_CHANNEL_POST, &r, &err), RK_ENOTFOUND);
    rk_session_logout(s);
    rk_session *a = fix_login("admin");
    ck_assert_int_eq(rk_contact_check(a, plain, RK_PURPOSE_RESEARCH, RK_CHANNEL_POST, &r, &err), RK_EDENIED);
    rk_session_logout(a);
}
END_TEST

static void set_setting(const char *key, const char *val)
{
    rk_session *a = fix_login("admin");
    rk_err err;
    ck_assert_int_eq(rk_db_begin(a->db, &err), RK_OK);
    ck_assert_int_eq(rk_dbs_set(a->db, key, val, &err), RK_OK);
    ck_assert_int_eq(rk_db_commit(a->db, &err), RK_OK);
    rk_session_logout(a);
}

START_TEST(optin_channels_setting)
{
    int64_t id = plain_client("Anna", "Mäkinen", NULL);
    rk_err err;
    rk_contact_reason r;
    unsigned bits;
    ck_assert_int_eq(rk_contact_parse_optin("email, sms,phone", &bits, &err), RK_OK);
    ck_assert_uint_eq(bits, (1u << RK_CHANNEL_EMAIL) | (1u << RK_CHANNEL_SMS) | (1u << RK_CHANNEL_PHONE));
    ck_assert_int_eq(rk_contact_parse_optin("email,fax", &bits, &err), RK_EUSAGE);
    ck_assert_ptr_nonnull(strstr(err.msg, "fax"));

    set_setting(RK_SETTING_OPTIN_CHANNELS, "email,sms,phone");
    rk_session *s = fix_login("reception");
    ck_assert_int_eq(rk_contact_check(s, id, RK_PURPOSE_TELEMARKETING, RK_CHANNEL_PHONE, &r, &err), RK_OK);
    ck_assert_int_eq(r, RK_CONTACT_NO_CONSENT);
    rk_session_logout(s);
    set_setting(RK_SETTING_OPTIN_CHANNELS, "");
    s = fix_login("reception");
    ck_assert_int_eq(rk_contact_check(s, id, RK_PURPOSE_DIRECT_MARKETING, RK_CHANNEL_EMAIL, &r, &err), RK_OK);
    ck_assert_int_eq(r, RK_CONTACT_ALLOWED_NO_OBJECTION);
    rk_session_logout(s);
    set_setting(RK_SETTING_OPTIN_CHANNELS, "telepathy");
    s = fix_login("reception");
    ck_assert_int_eq(rk_contact_check(s, id, RK_PURPOSE_DIRECT_MARKETING, RK_CHANNEL_EMAIL, &r, &err), RK_EFAIL);
    ck_assert_ptr_nonnull(strstr(err.msg, RK_SETTING_OPTIN_CHANNELS));
    rk_session_logout(s);
}
END_TEST

/* ---- exports ---------------------------------------------------------------- */

/* A parsed CSV: rows of cells. */
typedef struct csvdoc {
    char *cell[64][40];
    int ncells[64];
    int nrows;
    int col;
} csvdoc;

static void csv_cb_field(void *s, size_t len, void *data)
{
    csvdoc *d = data;
    if (d->nrows < 64 && d->col < 40) {
        char *v = malloc(len + 1);
        memcpy(v, s, len);
        v[len] = '\0';
        d->cell[d->nrows][d->col] = v;
    }
    d->col++;
}

static void csv_cb_row(int c, void *data)
{
    (void)c;
    csvdoc *d = data;
    if (d->nrows < 64)
        d->ncells[d->nrows] = d->col;
    d->nrows++;
    d->col = 0;
}

static void csv_load(csvdoc *d, const char *text)
{
    memset(d, 0, sizeof *d);
    struct csv_parser p;
    ck_assert_int_eq(csv_init(&p, CSV_STRICT | CSV_STRICT_FINI), 0);
    ck_assert_uint_eq(csv_parse(&p, text, strlen(text), csv_cb_field, csv_cb_row, d), strlen(text));
    csv_fini(&p, csv_cb_field, csv_cb_row, d);
    csv_free(&p);
}

static void csv_free_doc(csvdoc *d)
{
    for (int r = 0; r < d->nrows && r < 64; r++)
        for (int c = 0; c < d->ncells[r] && c < 40; c++)
            free(d->cell[r][c]);
}

static int csv_col(const csvdoc *d, const char *name)
{
    for (int c = 0; c < d->ncells[0]; c++)
        if (strcmp(d->cell[0][c], name) == 0)
            return c;
    return -1;
}

/* Runs an export as `user`; returns the output (malloc'd) and the rc. */
static char *run_export(const char *user, rk_purpose p, rk_channel c, rk_export_format fmt,
                        const char *recipient, int *rc, rk_export_result *res, rk_err *err)
{
    rk_session *s = fix_login(user);
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    rk_export_request req = { p, c, fmt, recipient };
    *rc = rk_export_marketing(s, &req, f, res, err);
    fclose(f);
    rk_session_logout(s);
    return buf;
}

static const char *HETU = "131052-308T";

/* Anna: e-mail allowed, full card; Pekka: unknown; Liisa: denied; Matti:
 * allowed but a total ban; Olli: allowed and turvakielto. */
struct people { int64_t anna, pekka, liisa, matti, olli; };

static struct people make_people(void)
{
    struct people p;
    fv anna[] = {
        { RK_F_HETU, HETU }, { RK_F_LANGUAGE, "fi" }, { RK_F_STREET, "@SUM(A1) Hämeenkatu 1" },
        { RK_F_POSTCODE, "33100" }, { RK_F_POST_OFFICE, "TAMPERE" },
        { RK_F_INTERESTS, "=HYPERLINK(\"http://x\")" }, { RK_F_BILLING_ADDRESS, "PL 99 Laskutie" },
        { RK_F_OTHER_INFO, "-2+3 toivoo aamuaikoja" },
    };
    p.anna = add_client("Anna", "Mäkinen", "anna@example.com", "040 123 4567", anna, RK_ARRAY_LEN(anna), false);
    p.pekka = plain_client("Pekka", "Virtanen", "pekka@example.com");
    p.liisa = plain_client("Liisa", "Korhonen", "liisa@example.com");
    p.matti = plain_client("Matti", "Nieminen", "matti@example.com");
    fv olli[] = { { RK_F_TURVAKIELTO, "yes" }, { RK_F_STREET, "Salainen katu 5" }, { RK_F_POST_OFFICE, "OULU" } };
    p.olli = add_client("Olli", "Salo", "olli@example.com", NULL, olli, RK_ARRAY_LEN(olli), false);
    rk_session *s = fix_login("reception");
    apply1(s, p.anna, "direct_marketing:email", RK_CSTATE_ALLOWED, RK_CSOURCE_WEB_FORM);
    apply1(s, p.liisa, "direct_marketing:email", RK_CSTATE_DENIED, RK_CSOURCE_WEB_FORM);
    apply1(s, p.matti, "direct_marketing:email", RK_CSTATE_ALLOWED, RK_CSOURCE_WEB_FORM);
    apply1(s, p.matti, "all_marketing", RK_CSTATE_DENIED, RK_CSOURCE_LETTER);
    apply1(s, p.olli, "direct_marketing:email", RK_CSTATE_ALLOWED, RK_CSOURCE_IN_PERSON);
    rk_session_logout(s);
    return p;
}

START_TEST(export_refused_for_other_roles)
{
    make_people();
    static const char *roles[] = { "reception", "billing", "admin" };
    for (size_t i = 0; i < RK_ARRAY_LEN(roles); i++) {
        int rc;
        rk_err err;
        rk_export_result res;
        char *out = run_export(roles[i], RK_PURPOSE_DIRECT_MARKETING, RK_CHANNEL_EMAIL,
                               RK_EXPORT_CSV, NULL, &rc, &res, &err);
        ck_assert_msg(rc == RK_EDENIED, "%s: rc %d", roles[i], rc);
        ck_assert_str_eq(out, "");
        free(out);
    }
    rk_session *d = fix_login("dpo");
    ck_assert_int_eq(fix_sql_int(d, "SELECT COUNT(*) FROM disclosures"), 0);
    rk_session_logout(d);
}
END_TEST

START_TEST(export_marketing_gets_names_and_contact_only)
{
    struct people p = make_people();
    int rc;
    rk_err err;
    rk_export_result res;
    char *out = run_export("marketing", RK_PURPOSE_DIRECT_MARKETING, RK_CHANNEL_EMAIL,
                           RK_EXPORT_CSV, NULL, &rc, &res, &err);
    ck_assert_msg(rc == RK_OK, "%s", err.msg);
    ck_assert_uint_eq(res.count, 2);                   /* Anna and Olli */
    csvdoc d;
    csv_load(&d, out);
    ck_assert_int_eq(d.nrows, 3);
    /* Exactly the fields marketing may read. */
    rk_policy pol;
    rk_policy_init(&pol, RK_ROLE_MARKETING);
    int want = 0;
    for (int f = 0; f < RK_F_COUNT; f++)
        if (pol.level[f] >= RK_LEVEL_READ) {
            ck_assert_msg(csv_col(&d, rk_fields[f].label) >= 0, "no column %s", rk_fields[f].label);
            want++;
        }
    ck_assert_int_eq(d.ncells[0], want);
    ck_assert_int_ge(csv_col(&d, rk_fields[RK_F_FIRST_NAMES].label), 0);
    ck_assert_int_ge(csv_col(&d, rk_fields[RK_F_EMAILS].label), 0);
    ck_assert_int_eq(csv_col(&d, rk_fields[RK_F_HETU].label), -1);
    ck_assert_int_eq(csv_col(&d, rk_fields[RK_F_CUSTOMER_NO].label), -1);
    ck_assert_int_eq(csv_col(&d, rk_fields[RK_F_BILLING_ADDRESS].label), -1);
    ck_assert_int_eq(csv_col(&d, rk_fields[RK_F_BIRTH_DATE].label), -1);
    ck_assert_ptr_null(strstr(out, "131052"));
    ck_assert_ptr_null(strstr(out, "Laskutie"));
    ck_assert_ptr_null(strstr(out, "aamuaikoja"));      /* other_info is not marketing's */
    ck_assert_ptr_null(strstr(out, "Virtanen"));
    ck_assert_ptr_null(strstr(out, "Korhonen"));
    ck_assert_ptr_null(strstr(out, "Nieminen"));
    int last = csv_col(&d, rk_fields[RK_F_LAST_NAME].label), street = csv_col(&d, rk_fields[RK_F_STREET].label),
        interests = csv_col(&d, rk_fields[RK_F_INTERESTS].label), phones = csv_col(&d, rk_fields[RK_F_PHONES].label);
    ck_assert_str_eq(d.cell[1][last], "Mäkinen");
    ck_assert_str_eq(d.cell[2][last], "Salo");
    /* Formula starts neutralised; the phone number is E.164 behind a quote. */
    ck_assert_str_eq(d.cell[1][street], "'@SUM(A1) Hämeenkatu 1");
    ck_assert_str_eq(d.cell[1][interests], "'=HYPERLINK(\"http://x\")");
    ck_assert_str_eq(d.cell[1][phones], "mobile +358401234567");
    /* Turvakielto: the address stays hidden from marketing. */
    ck_assert_str_eq(d.cell[2][street], "");
    ck_assert_ptr_null(strstr(out, "Salainen"));
    csv_free_doc(&d);
    free(out);

    /* A field the role sees only masked is left out of an export. */
    rk_session *a = fix_login("admin");
    ck_assert_int_eq(rk_clients_policy_set(a, "marketing", "hetu", "masked", &err), RK_OK);
    ck_assert_int_eq(rk_clients_policy_set(a, "marketing", "birth_date", "read", &err), RK_OK);
    rk_session_logout(a);
    out = run_export("marketing", RK_PURPOSE_DIRECT_MARKETING, RK_CHANNEL_EMAIL,
                     RK_EXPORT_CSV, NULL, &rc, &res, &err);
    ck_assert_int_eq(rc, RK_OK);
    csv_load(&d, out);
    ck_assert_int_eq(csv_col(&d, rk_fields[RK_F_HETU].label), -1);
    ck_assert_int_ge(csv_col(&d, rk_fields[RK_F_BIRTH_DATE].label), 0);
    ck_assert_ptr_null(strstr(out, "131052"));
    csv_free_doc(&d);
    free(out);
    (void)p;
}
END_TEST

START_TEST(export_dpo_gets_all_fields_json)
{
    struct people p = make_people();
    int rc;
    rk_err err;
    rk_export_result res;
    char *out = run_export("dpo", RK_PURPOSE_DIRECT_MARKETING, RK_CHANNEL_EMAIL,
                           RK_EXPORT_JSON, "Mainostoimisto Oy", &rc, &res, &err);
    ck_assert_msg(rc == RK_OK, "%s", err.msg);
    json_error_t je;
    json_t *root = json_loads(out, 0, &je);
    ck_assert_msg(root != NULL, "%s", je.text);
    ck_assert_int_eq(json_integer_value(json_object_get(root, "disclosure")), res.disclosure_id);
    ck_assert_str_eq(json_string_value(json_object_get(root, "recipient")), "Mainostoimisto Oy");
    ck_assert_str_eq(json_string_value(json_object_get(root, "legal_basis")), "consent");
    json_t *clients = json_object_get(root, "clients");
    ck_assert_uint_eq(json_array_size(clients), 2);
    json_t *anna = json_array_get(clients, 0);
    for (int f = 0; f < RK_F_COUNT; f++)
        ck_assert_msg(json_object_get(anna, rk_fields[f].name), "dpo misses %s", rk_fields[f].name);
    ck_assert_str_eq(json_string_value(json_object_get(anna, "hetu")), HETU);
    ck_assert_str_eq(json_string_value(json_object_get(anna, "billing_address")), "PL 99 Laskutie");
    /* JSON is not a spreadsheet: values as stored. */
    ck_assert_str_eq(json_string_value(json_object_get(anna, "interests")), "=HYPERLINK(\"http://x\")");
    json_t *ph = json_array_get(json_object_get(anna, "phones"), 0);
    ck_assert_str_eq(json_string_value(json_object_get(ph, "number")), "+358401234567");
    /* The dpo sees a turvakielto address, as on the card. */
    json_t *olli = json_array_get(clients, 1);
    ck_assert_str_eq(json_string_value(json_object_get(olli, "street")), "Salainen katu 5");
    json_decref(root);
    free(out);
    (void)p;
}
END_TEST

/* What an export holds for a role is what rk_clients_get shows that role. */
START_TEST(export_agrees_with_the_card)
{
    struct people p = make_people();
    static const char *roles[] = { "marketing", "dpo" };
    for (size_t r = 0; r < RK_ARRAY_LEN(roles); r++) {
        int rc;
        rk_err err;
        rk_export_result res;
        char *out = run_export(roles[r], RK_PURPOSE_DIRECT_MARKETING, RK_CHANNEL_EMAIL,
                               RK_EXPORT_JSON, NULL, &rc, &res, &err);
        ck_assert_int_eq(rc, RK_OK);
        json_t *root = json_loads(out, 0, NULL);
        json_t *clients = json_object_get(root, "clients");
        int64_t ids[] = { p.anna, p.olli };
        rk_session *s = fix_login(roles[r]);
        for (size_t i = 0; i < 2; i++) {
            rk_client *c;
            ck_assert_int_eq(rk_clients_get(s, ids[i], &c, &err), RK_OK);
            json_t *row = json_array_get(clients, i);
            for (int f = 0; f < RK_F_COUNT; f++) {
                json_t *v = json_object_get(row, rk_fields[f].name);
                if (rk_field_is_list((rk_field)f)) {
                    if (f == RK_F_EMAILS)
                        ck_assert_uint_eq(json_array_size(v), c->nemails);
                    if (f == RK_F_PHONES)
                        ck_assert_uint_eq(json_array_size(v), c->nphones);
                    continue;
                }
                if (c->level[f] < RK_LEVEL_READ) {
                    /* Hidden or masked on the card: absent or empty here. */
                    ck_assert_msg(!v || !*json_string_value(v), "%s %s: \"%s\"", roles[r],
                                  rk_fields[f].name, json_string_value(v));
                } else {
                    ck_assert_msg(v != NULL, "%s: no %s", roles[r], rk_fields[f].name);
                    ck_assert_str_eq(json_string_value(v), c->value[f]);
                }
            }
            rk_client_free(c);
        }
        rk_session_logout(s);
        json_decref(root);
        free(out);
    }
}
END_TEST

START_TEST(withdrawal_removes_from_next_export)
{
    struct people p = make_people();
    int rc;
    rk_err err;
    rk_export_result res;
    char *out = run_export("marketing", RK_PURPOSE_DIRECT_MARKETING, RK_CHANNEL_EMAIL,
                           RK_EXPORT_CSV, NULL, &rc, &res, &err);
    ck_assert_ptr_nonnull(strstr(out, "Mäkinen"));
    free(out);
    /* Anna writes to withdraw; marketing itself records it. */
    rk_session *m = fix_login("marketing");
    apply1(m, p.anna, "direct_marketing:email", RK_CSTATE_DENIED, RK_CSOURCE_EMAIL);
    rk_session_logout(m);
    out = run_export("marketing", RK_PURPOSE_DIRECT_MARKETING, RK_CHANNEL_EMAIL,
                     RK_EXPORT_CSV, NULL, &rc, &res, &err);
    ck_assert_int_eq(rc, RK_OK);
    ck_assert_uint_eq(res.count, 1);
    ck_assert_ptr_null(strstr(out, "Mäkinen"));
    ck_assert_ptr_nonnull(strstr(out, "Salo"));
    free(out);
}
END_TEST

START_TEST(csv_cells_neutralised)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    const char *in[] = { "=1+1", "+358401234567", "-5", "@A1", "\tx", "\ry", "normal", "a=b", "" };
    for (size_t i = 0; i < RK_ARRAY_LEN(in); i++)
        ck_assert_int_eq(rk_csv_cell(f, in[i], i == 0), RK_OK);
    fputs("\r\n", f);
    fclose(f);
    csvdoc d;
    csv_load(&d, buf);
    ck_assert_int_eq(d.nrows, 1);
    ck_assert_int_eq(d.ncells[0], (int)RK_ARRAY_LEN(in));
    const char *want[] = { "'=1+1", "'+358401234567", "'-5", "'@A1", "'\tx", "'\ry", "normal", "a=b", "" };
    for (size_t i = 0; i < RK_ARRAY_LEN(in); i++)
        ck_assert_str_eq(d.cell[0][i], want[i]);
    csv_free_doc(&d);
    free(buf);
}
END_TEST

/* ---- the disclosure register ---------------------------------------------------- */

START_TEST(disclosure_entries)
{
    struct people p = make_people();
    int rc;
    rk_err err;
    rk_export_result r1, r2;
    free(run_export("marketing", RK_PURPOSE_DIRECT_MARKETING, RK_CHANNEL_EMAIL, RK_EXPORT_CSV,
                    NULL, &rc, &r1, &err));
    ck_assert_int_eq(rc, RK_OK);
    free(run_export("dpo", RK_PURPOSE_RESEARCH, RK_CHANNEL_POST, RK_EXPORT_JSON,
                    "Tutkimus Oy", &rc, &r2, &err));
    ck_assert_int_eq(rc, RK_OK);

    rk_session *m = fix_login("marketing");
    rk_disclosure *d;
    size_t n;
    ck_assert_int_eq(rk_disclosures_list(m, 0, &d, &n, &err), RK_EDENIED);
    rk_session_logout(m);

    rk_session *s = fix_login("dpo");
    ck_assert_int_eq(fix_sql_int(s, "SELECT COUNT(*) FROM audit WHERE action = 'marketing_exported'"), 2);
    ck_assert_int_eq(rk_disclosures_list(s, 0, &d, &n, &err), RK_OK);
    ck_assert_uint_eq(n, 2);
    ck_assert_int_eq(d[0].id, r1.disclosure_id);
    ck_assert_str_eq(d[0].user, "marketing");
    ck_assert_str_eq(d[0].kind, "marketing_export");
    ck_assert_str_eq(d[0].purpose, "direct_marketing");
    ck_assert_str_eq(d[0].channel, "email");
    ck_assert_str_eq(d[0].recipient, RK_DISCLOSURE_RECIPIENT_DEFAULT);
    ck_assert_str_eq(d[0].legal_basis, "consent");
    ck_assert_str_eq(d[0].categories, "identity,contact,history");
    ck_assert_ptr_nonnull(strstr(d[0].fields, "emails"));
    ck_assert_ptr_null(strstr(d[0].fields, "hetu"));
    ck_assert_int_eq(d[0].count, 2);
    ck_assert_uint_eq(d[0].nclients, 2);
    ck_assert_int_eq(d[0].client_ids[0], p.anna);
    ck_assert_int_eq(d[0].client_ids[1], p.olli);
    ck_assert_str_eq(d[0].format, "csv");
    ck_assert_int_eq(strlen(d[0].ts), 20);
    /* Research by post: opt-out channel, turvakielto (Olli) and the
     * total ban (Matti) excluded. */
    ck_assert_str_eq(d[1].legal_basis, "legitimate_interest");
    ck_assert_str_eq(d[1].recipient, "Tutkimus Oy");
    ck_assert_int_eq(d[1].count, 3);
    ck_assert_uint_eq(d[1].nclients, 3);
    ck_assert_int_eq(d[1].client_ids[0], p.anna);
    ck_assert_int_eq(d[1].client_ids[1], p.pekka);
    ck_assert_int_eq(d[1].client_ids[2], p.liisa);
    rk_disclosures_free(d, n);

    /* A person's entries only. */
    ck_assert_int_eq(rk_disclosures_list(s, p.pekka, &d, &n, &err), RK_OK);
    ck_assert_uint_eq(n, 1);
    ck_assert_int_eq(d[0].id, r2.disclosure_id);
    rk_disclosures_free(d, n);

    /* A correction is a new entry; the original is untouched. */
    int64_t cid;
    ck_assert_int_eq(rk_disclosure_correct(s, r2.disclosure_id, "Tutkimus ja Analyysi Oy", NULL, "", &cid, &err), RK_EUSAGE);
    ck_assert_int_eq(rk_disclosure_correct(s, r2.disclosure_id, NULL, "gossip", "x", &cid, &err), RK_EUSAGE);
    ck_assert_int_eq(rk_disclosure_correct(s, 999, NULL, NULL, "x", &cid, &err), RK_ENOTFOUND);
    ck_assert_int_eq(rk_disclosure_correct(s, r2.disclosure_id, "Tutkimus ja Analyysi Oy", NULL,
                                           "The recipient's name was wrong.", &cid, &err), RK_OK);
    ck_assert_int_eq(rk_disclosures_list(s, 0, &d, &n, &err), RK_OK);
    ck_assert_uint_eq(n, 3);
    ck_assert_str_eq(d[1].recipient, "Tutkimus Oy");
    ck_assert_int_eq(d[1].corrects, 0);
    ck_assert_int_eq(d[2].id, cid);
    ck_assert_int_eq(d[2].corrects, r2.disclosure_id);
    ck_assert_str_eq(d[2].kind, "correction");
    ck_assert_str_eq(d[2].recipient, "Tutkimus ja Analyysi Oy");
    ck_assert_str_eq(d[2].legal_basis, "legitimate_interest");
    ck_assert_str_eq(d[2].user, "dpo");
    ck_assert_uint_eq(d[2].nclients, 3);
    rk_disclosures_free(d, n);
    ck_assert_int_eq(fix_sql_int(s, "SELECT COUNT(*) FROM audit WHERE action = 'disclosure_corrected'"), 1);
    ck_assert_int_ge(fix_sql_int(s, "SELECT COUNT(*) FROM audit WHERE action = 'disclosures_read'"), 3);

    /* Append-only in SQL too. */
    sqlite3 *h = rk_db_handle(s->db);
    ck_assert_int_ne(sqlite3_exec(h, "UPDATE disclosures SET recipient = 'x'", NULL, NULL, NULL), SQLITE_OK);
    ck_assert_int_ne(sqlite3_exec(h, "DELETE FROM disclosures", NULL, NULL, NULL), SQLITE_OK);
    ck_assert_int_ne(sqlite3_exec(h, "DELETE FROM disclosure_clients", NULL, NULL, NULL), SQLITE_OK);
    rk_session_logout(s);
}
END_TEST

Suite *test_suite(void)
{
    Suite *s = suite_create("consent");
    TCase *tc = tcase_create("consent");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, tables_are_consistent);
    tcase_add_test(tc, latest_event_wins_with_since_and_history);
    tcase_add_test(tc, notice_version_note_and_audit);
    tcase_add_test(tc, grouped_change_is_atomic);
    tcase_add_test(tc, ledger_is_append_only);
    tcase_add_test(tc, roles_for_consents);
    tcase_add_test(tc, consents_policy_rows);
    tcase_add_test(tc, contact_rule_full_truth_table);
    tcase_add_test(tc, rule_reads_client_flags_and_withdrawals_at_once);
    tcase_add_test(tc, optin_channels_setting);
    tcase_add_test(tc, export_refused_for_other_roles);
    tcase_add_test(tc, export_marketing_gets_names_and_contact_only);
    tcase_add_test(tc, export_dpo_gets_all_fields_json);
    tcase_add_test(tc, export_agrees_with_the_card);
    tcase_add_test(tc, withdrawal_removes_from_next_export);
    tcase_add_test(tc, csv_cells_neutralised);
    tcase_add_test(tc, disclosure_entries);
    suite_add_tcase(s, tc);
    return s;
}
