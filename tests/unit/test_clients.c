/* The client service: policy for every role and field, on every read path;
 * validation at save; optimistic conflicts; field history; duplicates; the
 * schema agreeing with the field table. */
#include "fixture.h"

#include <sqlite3.h>

#include "client_format.h"
#include "clients.h"
#include "db_clients.h"
#include "demo_data.h"

static void setup(void) { fix_create(); }
static void teardown(void) { fix_remove(); }

/* A full card: every scalar field and every list filled with a value that a
 * test can look for. Returns its id. */
static int64_t add_full_client(rk_session *dpo, const char *hetu)
{
    rk_client *c;
    rk_err err;
    ck_assert_int_eq(rk_clients_blank(dpo, &c, &err), RK_OK);
    static const struct { rk_field f; const char *v; } vals[] = {
        { RK_F_FIRST_NAMES, "Anna Maria" }, { RK_F_LAST_NAME, "Mäkinen" },
        { RK_F_GENDER, "female" }, { RK_F_LANGUAGE, "fi" },
        { RK_F_STREET, "Hämeenkatu 1 A 2" }, { RK_F_POSTCODE, "33100" },
        { RK_F_POST_OFFICE, "TAMPERE" }, { RK_F_COUNTRY, "fi" },
        { RK_F_PREFERRED_CHANNEL, "email" }, { RK_F_TURVAKIELTO, "no" },
        { RK_F_POPREG_BANS, "genealogy, direct_marketing" },
        { RK_F_ORGANISATION, "Hammas Oy" }, { RK_F_YTUNNUS, "2077474-0" },
        { RK_F_POSITION, "Toimitusjohtaja" }, { RK_F_CONTACT_ROLE, "decision_maker" },
        { RK_F_LOYALTY, "gold" }, { RK_F_INTERESTS, "liikunta" },
        { RK_F_OTHER_INFO, "Toivoo aamuaikoja" }, { RK_F_BILLING_ADDRESS, "PL 1, 00100 HELSINKI" },
        { RK_F_EINVOICE_ADDRESS, "003720774740" }, { RK_F_COLLECTION, "reminder" },
    };
    for (size_t i = 0; i < RK_ARRAY_LEN(vals); i++)
        ck_assert_msg(rk_client_set(c, vals[i].f, vals[i].v, &err) == RK_OK, "%s", err.msg);
    if (hetu)
        ck_assert_msg(rk_client_set(c, RK_F_HETU, hetu, &err) == RK_OK, "%s", err.msg);
    ck_assert_int_eq(rk_client_add_phone(c, "mobile", "040 123 4567", &err), RK_OK);
    ck_assert_int_eq(rk_client_add_email(c, "work", "anna.makinen@example.com", &err), RK_OK);
    ck_assert_int_eq(rk_client_add_event(c, "1.2.2024", "service", "Tarkastus", &err), RK_OK);
    ck_assert_int_eq(rk_client_add_source(c, "population_register", "2024-01-15", "", &err), RK_OK);
    int64_t existing;
    ck_assert_msg(rk_clients_create(dpo, c, &existing, &err) == RK_OK, "%s", err.msg);
    int64_t id = c->id;
    rk_client_free(c);
    return id;
}

/* The scalar columns of the clients table are exactly the field table's. */
START_TEST(schema_matches_field_table)
{
    rk_session *s = fix_login("dpo");
    sqlite3 *h = rk_db_handle(s->db);
    sqlite3_stmt *st;
    ck_assert_int_eq(sqlite3_prepare_v2(h, "PRAGMA table_info(clients)", -1, &st, NULL), SQLITE_OK);
    int seen[RK_F_COUNT] = { 0 }, extra = 0;
    while (sqlite3_step(st) == SQLITE_ROW) {
        const char *col = (const char *)sqlite3_column_text(st, 1);
        int f = rk_field_parse(col);
        if (f >= 0)
            seen[f]++;
        else if (strcmp(col, "id") && strcmp(col, "version") && strcmp(col, "created") &&
                 strcmp(col, "updated") && strcmp(col, "updated_by") && strcmp(col, "restricted") &&
                 strcmp(col, "source_batch"))
            extra++;
    }
    sqlite3_finalize(st);
    for (int f = 0; f < RK_F_COUNT; f++)
        ck_assert_msg(seen[f] == (rk_field_is_list((rk_field)f) ? 0 : 1),
                      "field %s: %d columns", rk_fields[f].name, seen[f]);
    ck_assert_int_eq(extra, 0);
    rk_session_logout(s);
}
END_TEST

/* What the issue fixes as defaults. */
START_TEST(policy_defaults)
{
    ck_assert_int_eq(rk_policy_default(RK_ROLE_RECEPTION, RK_F_HETU), RK_LEVEL_MASKED);
    ck_assert_int_eq(rk_policy_default(RK_ROLE_RECEPTION, RK_F_LAST_NAME), RK_LEVEL_WRITE);
    ck_assert_int_eq(rk_policy_default(RK_ROLE_RECEPTION, RK_F_PHONES), RK_LEVEL_WRITE);
    ck_assert_int_eq(rk_policy_default(RK_ROLE_RECEPTION, RK_F_BILLING_ADDRESS), RK_LEVEL_HIDDEN);
    ck_assert_int_eq(rk_policy_default(RK_ROLE_RECEPTION, RK_F_COLLECTION), RK_LEVEL_HIDDEN);
    ck_assert_int_eq(rk_policy_default(RK_ROLE_BILLING, RK_F_HETU), RK_LEVEL_READ);
    ck_assert_int_eq(rk_policy_default(RK_ROLE_BILLING, RK_F_LAST_NAME), RK_LEVEL_READ);
    ck_assert_int_eq(rk_policy_default(RK_ROLE_BILLING, RK_F_COLLECTION), RK_LEVEL_WRITE);
    ck_assert_int_eq(rk_policy_default(RK_ROLE_BILLING, RK_F_INTERESTS), RK_LEVEL_HIDDEN);
    ck_assert_int_eq(rk_policy_default(RK_ROLE_MARKETING, RK_F_LAST_NAME), RK_LEVEL_READ);
    ck_assert_int_eq(rk_policy_default(RK_ROLE_MARKETING, RK_F_LANGUAGE), RK_LEVEL_READ);
    ck_assert_int_eq(rk_policy_default(RK_ROLE_MARKETING, RK_F_EMAILS), RK_LEVEL_READ);
    ck_assert_int_eq(rk_policy_default(RK_ROLE_MARKETING, RK_F_INTERESTS), RK_LEVEL_READ);
    ck_assert_int_eq(rk_policy_default(RK_ROLE_MARKETING, RK_F_HETU), RK_LEVEL_HIDDEN);
    ck_assert_int_eq(rk_policy_default(RK_ROLE_MARKETING, RK_F_BIRTH_DATE), RK_LEVEL_HIDDEN);
    ck_assert_int_eq(rk_policy_default(RK_ROLE_MARKETING, RK_F_EVENTS), RK_LEVEL_HIDDEN);
    for (int f = 0; f < RK_F_COUNT; f++) {
        ck_assert_int_ge(rk_policy_default(RK_ROLE_DPO, (rk_field)f), RK_LEVEL_READ);
        ck_assert_int_eq(rk_policy_default(RK_ROLE_ADMIN, (rk_field)f), RK_LEVEL_HIDDEN);
    }
    /* Nobody writes the customer number. */
    for (int r = 0; r < RK_ROLE_COUNT; r++)
        ck_assert_int_le(rk_policy_default((rk_role)r, RK_F_CUSTOMER_NO), RK_LEVEL_READ);
}
END_TEST

/* Does the text of `c` (card text and JSON) contain `needle`? */
static bool card_contains(const rk_client *c, const char *needle)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    rk_client_print_text(f, c);
    fclose(f);
    json_t *j = rk_client_to_json(c);
    char *js = json_dumps(j, 0);
    bool found = strstr(buf, needle) || strstr(js, needle);
    free(buf);
    free(js);
    json_decref(j);
    return found;
}

/* Every role x field: a hidden field's value reaches neither the card, its
 * text, nor its JSON; a masked one only masked; a readable one whole. */
START_TEST(policy_enforced_on_every_read_path)
{
    rk_session *dpo = fix_login("dpo");
    int64_t id = add_full_client(dpo, "131052-308T");
    rk_client *raw;
    rk_err err;
    ck_assert_int_eq(rk_dbc_load(dpo->db, id, &raw, &err), RK_OK);
    rk_session_logout(dpo);

    static const char *roles[] = { "reception", "billing", "marketing", "dpo" };
    for (size_t r = 0; r < RK_ARRAY_LEN(roles); r++) {
        rk_session *s = fix_login(roles[r]);
        rk_client *c;
        ck_assert_msg(rk_clients_get(s, id, &c, &err) == RK_OK, "%s: %s", roles[r], err.msg);
        for (int i = 0; i < RK_F_COUNT; i++) {
            rk_field f = (rk_field)i;
            rk_level want = rk_policy_default(s->role, f);
            ck_assert_msg(c->level[f] == want, "%s %s: level %d want %d", roles[r],
                          rk_fields[f].name, c->level[f], want);
            if (rk_field_is_list(f))
                continue;
            const char *secret = raw->value[f];
            if (!secret[0] || strlen(secret) < 3)
                continue;
            if (want == RK_LEVEL_HIDDEN) {
                ck_assert_msg(c->value[f] == NULL, "%s sees hidden %s", roles[r], rk_fields[f].name);
                /* Values shared with a visible field (e.g. "fi") prove nothing. */
                bool shared = false;
                for (int k = 0; k < RK_F_COUNT; k++)
                    if (k != i && !rk_field_is_list((rk_field)k) && c->value[k] &&
                        strstr(c->value[k], secret))
                        shared = true;
                if (!shared)
                    ck_assert_msg(!card_contains(c, secret), "%s: hidden %s in text or JSON",
                                  roles[r], rk_fields[f].name);
            } else if (want == RK_LEVEL_MASKED) {
                ck_assert_str_ne(c->value[f], secret);
                ck_assert_msg(!card_contains(c, secret), "%s: masked %s in full", roles[r],
                              rk_fields[f].name);
            } else {
                ck_assert_str_eq(c->value[f], secret);
            }
        }
        /* Lists: hidden ones are empty; visible ones complete. */
        bool phones = rk_policy_default(s->role, RK_F_PHONES) >= RK_LEVEL_READ;
        ck_assert_uint_eq(c->nphones, phones ? 1 : 0);
        bool events = rk_policy_default(s->role, RK_F_EVENTS) >= RK_LEVEL_READ;
        ck_assert_uint_eq(c->nevents, events ? 1 : 0);
        if (!events)
            ck_assert(!card_contains(c, "Tarkastus"));
        rk_client_free(c);
        rk_session_logout(s);
    }
    /* The reception sees the code masked but finds the client by it. */
    rk_session *rec = fix_login("reception");
    rk_client *c;
    ck_assert_int_eq(rk_clients_get(rec, id, &c, &err), RK_OK);
    ck_assert_str_eq(c->value[RK_F_HETU], "131052-****");
    rk_client_free(c);
    int64_t found;
    ck_assert_int_eq(rk_clients_lookup(rec, "131052-308T", &found, &err), RK_OK);
    ck_assert_int_eq(found, id);
    rk_session_logout(rec);
    rk_client_free(raw);
}
END_TEST

START_TEST(admin_sees_no_client)
{
    rk_session *dpo = fix_login("dpo");
    int64_t id = add_full_client(dpo, NULL);
    rk_session_logout(dpo);
    rk_session *a = fix_login("admin");
    rk_client *c = NULL;
    rk_err err;
    ck_assert_int_eq(rk_clients_get(a, id, &c, &err), RK_EDENIED);
    ck_assert_ptr_null(c);
    rk_search_hit hits[4];
    size_t n;
    ck_assert_int_eq(rk_clients_search(a, "mäkinen", hits, 4, &n, false, &err), RK_EDENIED);
    ck_assert_int_eq(rk_clients_blank(a, &c, &err), RK_EDENIED);
    /* An override cannot give the admin role client data. */
    ck_assert_int_ne(rk_clients_policy_set(a, "admin", "last_name", "read", &err), RK_OK);
    rk_session_logout(a);
}
END_TEST

START_TEST(policy_override_applies_and_is_audited)
{
    rk_session *a = fix_login("admin");
    rk_err err;
    ck_assert_int_eq(rk_clients_policy_set(a, "reception", "hetu", "read", &err), RK_OK);
    ck_assert_int_eq(rk_clients_policy_set(a, "reception", "nosuch", "read", &err), RK_EUSAGE);
    ck_assert_int_eq(rk_clients_policy_set(a, "reception", "hetu", "everything", &err), RK_EUSAGE);
    rk_session_logout(a);
    rk_session *dpo = fix_login("dpo");
    int64_t id = add_full_client(dpo, "131052-308T");
    rk_session_logout(dpo);
    rk_session *rec = fix_login("reception");
    rk_client *c;
    ck_assert_int_eq(rk_clients_get(rec, id, &c, &err), RK_OK);
    ck_assert_str_eq(c->value[RK_F_HETU], "131052-308T");
    rk_client_free(c);
    /* Only the admin changes the policy. */
    ck_assert_int_eq(rk_clients_policy_set(rec, "reception", "collection", "write", &err), RK_EDENIED);
    rk_session_logout(rec);
}
END_TEST

START_TEST(role_cannot_write_what_it_may_not)
{
    rk_session *dpo = fix_login("dpo");
    int64_t id = add_full_client(dpo, "131052-308T");
    rk_session_logout(dpo);
    rk_err err;
    rk_conflict cf;
    /* Billing reads names but may not change them. */
    rk_session *b = fix_login("billing");
    rk_client *o, *e;
    ck_assert_int_eq(rk_clients_get(b, id, &o, &err), RK_OK);
    e = rk_client_clone(o);
    ck_assert_int_eq(rk_client_set(e, RK_F_LAST_NAME, "Virtanen", &err), RK_OK);
    ck_assert_int_eq(rk_clients_save(b, o, e, &cf, &err), RK_EDENIED);
    rk_client_free(e);
    e = rk_client_clone(o);
    ck_assert_int_eq(rk_client_set(e, RK_F_COLLECTION, "settled", &err), RK_OK);
    ck_assert_msg(rk_clients_save(b, o, e, &cf, &err) == RK_OK, "%s", err.msg);
    rk_client_free(o);
    rk_client_free(e);
    rk_session_logout(b);
    /* Reception may not replace a masked henkilötunnus it cannot see. */
    rk_session *r = fix_login("reception");
    ck_assert_int_eq(rk_clients_get(r, id, &o, &err), RK_OK);
    e = rk_client_clone(o);
    ck_assert_int_eq(rk_client_set(e, RK_F_HETU, "010101-123N", &err), RK_OK);
    ck_assert_int_eq(rk_clients_save(r, o, e, &cf, &err), RK_EDENIED);
    rk_client_free(o);
    rk_client_free(e);
    /* ...but enters one for a new client. */
    rk_client *n;
    int64_t existing;
    ck_assert_int_eq(rk_clients_blank(r, &n, &err), RK_OK);
    ck_assert_int_eq(rk_client_set(n, RK_F_FIRST_NAMES, "Ville", &err), RK_OK);
    ck_assert_int_eq(rk_client_set(n, RK_F_LAST_NAME, "Laine", &err), RK_OK);
    ck_assert_int_eq(rk_client_set(n, RK_F_HETU, "010101-123N", &err), RK_OK);
    ck_assert_msg(rk_clients_create(r, n, &existing, &err) == RK_OK, "%s", err.msg);
    ck_assert_str_eq(n->value[RK_F_HETU], "010101-****");
    rk_client_free(n);
    rk_session_logout(r);
}
END_TEST

START_TEST(optimistic_conflict)
{
    rk_session *s1 = fix_login("reception"), *s2 = fix_login("dpo");
    int64_t id = add_full_client(s2, NULL);
    rk_err err;
    rk_conflict cf;
    rk_client *o1, *o2, *e1, *e2;
    ck_assert_int_eq(rk_clients_get(s1, id, &o1, &err), RK_OK);
    ck_assert_int_eq(rk_clients_get(s2, id, &o2, &err), RK_OK);
    e1 = rk_client_clone(o1);
    e2 = rk_client_clone(o2);
    ck_assert_int_eq(rk_client_set(e2, RK_F_STREET, "Kauppakatu 5", &err), RK_OK);
    ck_assert_int_eq(rk_clients_save(s2, o2, e2, &cf, &err), RK_OK);
    ck_assert_int_eq(e2->version, o2->version + 1);
    ck_assert_int_eq(rk_client_set(e1, RK_F_STREET, "Rantatie 9", &err), RK_OK);
    memset(&cf, 0, sizeof cf);
    ck_assert_int_eq(rk_clients_save(s1, o1, e1, &cf, &err), RK_ECONFLICT);
    ck_assert_str_eq(cf.updated_by, "dpo");
    ck_assert_int_eq(cf.version, e2->version);
    ck_assert(strstr(err.msg, "dpo") != NULL);
    /* Nothing of the loser was written. */
    rk_client *now;
    ck_assert_int_eq(rk_clients_get(s1, id, &now, &err), RK_OK);
    ck_assert_str_eq(now->value[RK_F_STREET], "Kauppakatu 5");
    /* Reload and save again works. */
    rk_client *e3 = rk_client_clone(now);
    ck_assert_int_eq(rk_client_set(e3, RK_F_STREET, "Rantatie 9", &err), RK_OK);
    ck_assert_int_eq(rk_clients_save(s1, now, e3, &cf, &err), RK_OK);
    rk_client_free(o1); rk_client_free(o2); rk_client_free(e1); rk_client_free(e2);
    rk_client_free(now); rk_client_free(e3);
    rk_session_logout(s1);
    rk_session_logout(s2);
}
END_TEST

START_TEST(field_history_and_audit)
{
    rk_session *dpo = fix_login("dpo");
    int64_t id = add_full_client(dpo, NULL);
    rk_err err;
    rk_conflict cf;
    rk_client *o, *e;
    ck_assert_int_eq(rk_clients_get(dpo, id, &o, &err), RK_OK);
    e = rk_client_clone(o);
    ck_assert_int_eq(rk_client_set(e, RK_F_POSTCODE, "00100", &err), RK_OK);
    ck_assert_int_eq(rk_client_add_phone(e, "home", "(09) 123 456", &err), RK_OK);
    ck_assert_int_eq(rk_clients_save(dpo, o, e, &cf, &err), RK_OK);
    rk_history_row *rows;
    size_t n;
    ck_assert_int_eq(rk_clients_history(dpo, id, &rows, &n, &err), RK_OK);
    ck_assert_uint_eq(n, 2);
    ck_assert_str_eq(rows[0].field, "postcode");
    ck_assert_str_eq(rows[0].old_value, "33100");
    ck_assert_str_eq(rows[0].new_value, "00100");
    ck_assert_str_eq(rows[0].user, "dpo");
    ck_assert_str_eq(rows[1].field, "phones");
    ck_assert(strstr(rows[1].new_value, "+3589123456") != NULL);
    rk_dbc_history_free(rows, n);
    /* Saving an unchanged card writes nothing. */
    rk_client *o2, *e2;
    ck_assert_int_eq(rk_clients_get(dpo, id, &o2, &err), RK_OK);
    e2 = rk_client_clone(o2);
    ck_assert_int_eq(rk_clients_save(dpo, o2, e2, &cf, &err), RK_OK);
    ck_assert_int_eq(e2->version, o2->version);
    rk_client_free(o); rk_client_free(e); rk_client_free(o2); rk_client_free(e2);
    /* History is the dpo's; the chain stays intact with the client events. */
    int64_t rowsv, bad;
    ck_assert_int_eq(rk_audit_verify(dpo->db, dpo->audit_key, &rowsv, &bad, &err), RK_OK);
    rk_session_logout(dpo);
    rk_session *r = fix_login("reception");
    ck_assert_int_eq(rk_clients_history(r, id, &rows, &n, &err), RK_EDENIED);
    rk_session_logout(r);
}
END_TEST

/* The audit log names who read which client and which categories, never values. */
START_TEST(reads_are_audited_without_values)
{
    rk_session *dpo = fix_login("dpo");
    int64_t id = add_full_client(dpo, "131052-308T");
    rk_session_logout(dpo);
    rk_session *b = fix_login("billing");
    rk_client *c;
    rk_err err;
    ck_assert_int_eq(rk_clients_get(b, id, &c, &err), RK_OK);
    rk_client_free(c);
    sqlite3_stmt *st;
    ck_assert_int_eq(sqlite3_prepare_v2(rk_db_handle(b->db),
        "SELECT user, action, client_id, details FROM audit ORDER BY seq", -1, &st, NULL), SQLITE_OK);
    bool viewed = false;
    while (sqlite3_step(st) == SQLITE_ROW) {
        const char *d = (const char *)sqlite3_column_text(st, 3);
        ck_assert(strstr(d, "Mäkinen") == NULL && strstr(d, "131052") == NULL &&
                  strstr(d, "33100") == NULL);
        if (strcmp((const char *)sqlite3_column_text(st, 1), "client_viewed") == 0 &&
            strcmp((const char *)sqlite3_column_text(st, 0), "billing") == 0 &&
            sqlite3_column_int64(st, 2) == id) {
            viewed = true;
            ck_assert(strstr(d, "billing") != NULL);      /* the category */
            ck_assert(strstr(d, "history") == NULL);      /* hidden from billing */
        }
    }
    sqlite3_finalize(st);
    ck_assert(viewed);
    rk_session_logout(b);
}
END_TEST

START_TEST(duplicate_hetu_opens_existing)
{
    /* The full card holds protections only the dpo may set. */
    rk_session *d = fix_login("dpo");
    int64_t id = add_full_client(d, "131052-308T");
    rk_session_logout(d);
    rk_session *r = fix_login("reception");
    rk_client *n;
    rk_err err;
    int64_t existing = 0;
    ck_assert_int_eq(rk_clients_blank(r, &n, &err), RK_OK);
    ck_assert_int_eq(rk_client_set(n, RK_F_FIRST_NAMES, "Anna", &err), RK_OK);
    ck_assert_int_eq(rk_client_set(n, RK_F_LAST_NAME, "Twin", &err), RK_OK);
    ck_assert_int_eq(rk_client_set(n, RK_F_HETU, "131052-308t", &err), RK_OK);
    ck_assert_int_eq(rk_clients_create(r, n, &existing, &err), RK_ECONFLICT);
    ck_assert_int_eq(existing, id);
    /* The century sign is part of the identity: another sign, another person. */
    ck_assert_int_eq(rk_client_set(n, RK_F_HETU, "131052Y308T", &err), RK_OK);
    ck_assert_msg(rk_clients_create(r, n, &existing, &err) == RK_OK, "%s", err.msg);
    rk_client_free(n);
    /* Same name and birth date without a code: offered as a possible twin. */
    ck_assert_int_eq(rk_clients_blank(r, &n, &err), RK_OK);
    ck_assert_int_eq(rk_client_set(n, RK_F_FIRST_NAMES, "Anna Maria", &err), RK_OK);
    ck_assert_int_eq(rk_client_set(n, RK_F_LAST_NAME, "Mäkinen", &err), RK_OK);
    ck_assert_int_eq(rk_client_set(n, RK_F_BIRTH_DATE, "13.10.1952", &err), RK_OK);
    int64_t ids[4];
    size_t nd;
    ck_assert_int_eq(rk_clients_possible_duplicates(r, n, ids, 4, &nd, &err), RK_OK);
    ck_assert_uint_eq(nd, 1);
    ck_assert_int_eq(ids[0], id);
    rk_client_free(n);
    rk_session_logout(r);
}
END_TEST

/* Household links name the other client by customer number or
 * henkilötunnus; wrong ones are refused with the reason, and a saved link
 * comes back with the relation and the other's name and number. */
START_TEST(household_links)
{
    rk_session *dpo = fix_login("dpo"), *s = fix_login("reception");
    int64_t a = add_full_client(dpo, "131052-308T");
    int64_t b = add_full_client(dpo, "010190-901R");
    rk_err err;
    rk_client *o, *e;
    ck_assert_int_eq(rk_clients_get(s, a, &o, &err), RK_OK);
    e = rk_client_clone(o);
    ck_assert_int_eq(rk_clients_add_household(s, e, "child", "100099", &err), RK_ENOTFOUND);
    ck_assert_ptr_nonnull(strstr(err.msg, "100099"));
    ck_assert_int_eq(rk_clients_add_household(s, e, "child", "", &err), RK_EUSAGE);
    ck_assert_int_ne(rk_clients_add_household(s, e, "child", "100001", &err), RK_OK);
    ck_assert_ptr_nonnull(strstr(err.msg, "another client"));
    ck_assert_int_ne(rk_clients_add_household(s, e, "cousin", "100002", &err), RK_OK);
    ck_assert_int_eq(e->nhousehold, 0);
    /* By henkilötunnus, with spaces around it. */
    ck_assert_msg(rk_clients_add_household(s, e, "spouse", " 010190-901R ", &err) == RK_OK, "%s", err.msg);
    ck_assert_int_ne(rk_clients_add_household(s, e, "child", "100002", &err), RK_OK);
    ck_assert_ptr_nonnull(strstr(err.msg, "already linked"));
    ck_assert_int_eq(e->nhousehold, 1);
    ck_assert_str_eq(e->household[0].other_name, "Mäkinen, Anna Maria (100002)");
    rk_conflict cf;
    ck_assert_msg(rk_clients_save(s, o, e, &cf, &err) == RK_OK, "%s", err.msg);
    rk_client *now;
    ck_assert_int_eq(rk_clients_get(s, a, &now, &err), RK_OK);
    ck_assert_int_eq(now->nhousehold, 1);
    ck_assert_int_eq(now->household[0].other_id, b);
    ck_assert_int_eq(now->household[0].other_no, 100002);
    ck_assert_str_eq(now->household[0].relation, "spouse");
    /* Outside the registry the link names the customer number. */
    char *text = NULL;
    ck_assert_int_eq(rk_dbc_list_text(now, RK_F_HOUSEHOLD, &text), RK_OK);
    ck_assert_str_eq(text, "spouse 100002");
    free(text);
    /* The other client's card shows the link it is named in, and saving
     * that card writes none of it as its own. */
    rk_client *ob, *eb;
    ck_assert_int_eq(rk_clients_get(s, b, &ob, &err), RK_OK);
    ck_assert_int_eq(ob->nhousehold, 0);
    ck_assert_int_eq(ob->nhousehold_of, 1);
    ck_assert_int_eq(ob->household_of[0].other_id, a);
    ck_assert_str_eq(ob->household_of[0].relation, "spouse");
    ck_assert_str_eq(ob->household_of[0].other_name, "Mäkinen, Anna Maria (100001)");
    char *printed = NULL;
    size_t plen = 0;
    FILE *mf = open_memstream(&printed, &plen);
    rk_client_print_text(mf, ob);
    fclose(mf);
    ck_assert_ptr_nonnull(strstr(printed, "Mäkinen, Anna Maria (100001) lists this client as: spouse or partner"));
    free(printed);
    eb = rk_client_clone(ob);
    ck_assert_int_eq(rk_client_set(eb, RK_F_STREET, "Rantatie 9", &err), RK_OK);
    ck_assert_msg(rk_clients_save(s, ob, eb, &cf, &err) == RK_OK, "%s", err.msg);
    ck_assert_int_eq(fix_sql_int(s, "SELECT count(*) FROM client_household"), 1);
    /* It may name the first client back: a link of its own. */
    rk_client *ob2, *eb2;
    ck_assert_int_eq(rk_clients_get(s, b, &ob2, &err), RK_OK);
    eb2 = rk_client_clone(ob2);
    ck_assert_msg(rk_clients_add_household(s, eb2, "spouse", "100001", &err) == RK_OK, "%s", err.msg);
    ck_assert_msg(rk_clients_save(s, ob2, eb2, &cf, &err) == RK_OK, "%s", err.msg);
    ck_assert_int_eq(fix_sql_int(s, "SELECT count(*) FROM client_household"), 2);
    rk_client_free(ob);
    rk_client_free(eb);
    rk_client_free(ob2);
    rk_client_free(eb2);
    rk_client_free(o);
    rk_client_free(e);
    rk_client_free(now);
    rk_session_logout(s);
    rk_session_logout(dpo);
}
END_TEST

START_TEST(invalid_values_refused_with_field)
{
    rk_client *c = rk_client_new();
    rk_err err;
    ck_assert_int_eq(rk_client_set(c, RK_F_HETU, "131052-308U", &err), RK_EFAIL);
    ck_assert(strstr(err.msg, "Personal identity code") != NULL);
    ck_assert(strstr(err.msg, "T") != NULL);
    ck_assert_str_eq(c->value[RK_F_HETU], "");
    ck_assert_int_eq(rk_client_set(c, RK_F_YTUNNUS, "2077474-1", &err), RK_EFAIL);
    ck_assert_int_eq(rk_client_set(c, RK_F_POSTCODE, "0010", &err), RK_EFAIL);
    ck_assert_int_eq(rk_client_set(c, RK_F_GENDER, "robot", &err), RK_EFAIL);
    ck_assert(strstr(err.msg, "female") != NULL);
    ck_assert_int_eq(rk_client_set(c, RK_F_LAST_NAME, "R2-D2", &err), RK_EFAIL);
    ck_assert_int_eq(rk_client_set(c, RK_F_STREET, "evil\x1b[31m", &err), RK_EFAIL);
    /* Strict UTF-8: a surrogate, an overlong ESC, a code point past U+10FFFF. */
    ck_assert_int_eq(rk_client_set(c, RK_F_LAST_NAME, "M\xED\xA0\x80inen", &err), RK_EFAIL);
    ck_assert_int_eq(rk_client_set(c, RK_F_STREET, "a\xE0\x80\x9B[31m", &err), RK_EFAIL);
    ck_assert_int_eq(rk_client_set(c, RK_F_STREET, "\xF4\x90\x80\x80", &err), RK_EFAIL);
    ck_assert_int_eq(rk_client_set(c, RK_F_STREET, "Hämeenkatu 1 \xF0\x9F\x8F\xA0", &err), RK_OK);
    ck_assert_int_eq(rk_client_add_phone(c, "mobile", "040 abc", &err), RK_EFAIL);
    /* One trunk zero at most (else one number would have two stored forms). */
    ck_assert_int_eq(rk_client_add_phone(c, "mobile", "+358 00 123 4567", &err), RK_EFAIL);
    ck_assert_int_eq(rk_client_add_email(c, NULL, "not-an-address", &err), RK_EFAIL);
    ck_assert_int_eq(rk_client_set(c, RK_F_CUSTOMER_NO, "5", &err), RK_EFAIL);
    /* The henkilötunnus sets the birth date; a different one is refused at save. */
    ck_assert_int_eq(rk_client_set(c, RK_F_HETU, "290200a1239", &err), RK_OK);
    ck_assert_str_eq(c->value[RK_F_HETU], "290200A1239");
    ck_assert_str_eq(c->value[RK_F_BIRTH_DATE], "2000-02-29");
    ck_assert_int_eq(rk_client_set(c, RK_F_BIRTH_DATE, "1.3.2000", &err), RK_OK);
    int bad;
    ck_assert_int_eq(rk_client_set(c, RK_F_FIRST_NAMES, "Aino", &err), RK_OK);
    ck_assert_int_eq(rk_client_set(c, RK_F_LAST_NAME, "Aalto", &err), RK_OK);
    ck_assert_int_eq(rk_client_check(c, &bad, &err), RK_EFAIL);
    ck_assert_int_eq(bad, RK_F_BIRTH_DATE);
    /* Required fields. */
    ck_assert_int_eq(rk_client_set(c, RK_F_BIRTH_DATE, "29.2.2000", &err), RK_OK);
    ck_assert_int_eq(rk_client_set(c, RK_F_LAST_NAME, "", &err), RK_OK);
    ck_assert_int_eq(rk_client_check(c, &bad, &err), RK_EFAIL);
    ck_assert_int_eq(bad, RK_F_LAST_NAME);
    rk_client_free(c);
}
END_TEST

/* A large load into an empty registry builds the name and henkilötunnus
 * indexes after its rows (db_clients.h): a duplicate code in the batch is
 * still refused at that card with nothing added, the indexes are there
 * again afterwards, committed or not, and the unique one holds. */
static bool has_index(rk_session *s, const char *name)
{
    char sql[160];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name = '%s'",
             name);
    return fix_sql_int(s, sql) == 1;
}

/* n generated clients, one of them (*dup, from index 2000 on) given the
 * henkilötunnus of an earlier one (*orig); kept: its own code. Some
 * generated clients have no code: the two taken have one. */
static void clients_with_twin(rk_demo_gen *g, rk_client **cs, int n, int *dup, int *orig,
                              char kept[16])
{
    rk_err err;
    for (int i = 0; i < n; i++) {
        cs[i] = rk_client_new();
        ck_assert_msg(rk_demo_gen_client(g, cs[i], &err) == RK_OK, "%s", err.msg);
    }
    for (*dup = 2000; !cs[*dup]->value[RK_F_HETU][0];)
        ++*dup;
    for (*orig = 10; !cs[*orig]->value[RK_F_HETU][0];)
        ++*orig;
    snprintf(kept, 16, "%s", cs[*dup]->value[RK_F_HETU]);
    ck_assert_int_eq(rk_client_set(cs[*dup], RK_F_HETU, cs[*orig]->value[RK_F_HETU], &err), RK_OK);
}

START_TEST(large_load_builds_indexes_after)
{
    rk_session *dpo = fix_login("dpo");
    rk_demo_gen *g = rk_demo_gen_new(11);
    enum { N = 2500 };   /* above the size that makes a load large */
    static rk_client *cs[N];
    rk_err err;
    int dup, orig;
    char kept[16];
    clients_with_twin(g, cs, N, &dup, &orig, kept);
    size_t bad = 0;
    ck_assert_int_eq(rk_clients_create_many(dpo, cs, N, "test", &bad, &err), RK_ECONFLICT);
    ck_assert_uint_eq(bad, (size_t)dup);
    ck_assert_ptr_nonnull(strstr(err.msg, "personal identity code already exists"));
    ck_assert_int_eq(fix_sql_int(dpo, "SELECT count(*) FROM clients"), 0);
    ck_assert(has_index(dpo, "clients_name_birth") && has_index(dpo, "clients_hetu"));

    ck_assert_int_eq(rk_client_set(cs[dup], RK_F_HETU, kept, &err), RK_OK);
    ck_assert_msg(rk_clients_create_many(dpo, cs, N, "test", &bad, &err) == RK_OK, "%s", err.msg);
    ck_assert_int_eq(fix_sql_int(dpo, "SELECT count(*) FROM clients"), N);
    ck_assert(has_index(dpo, "clients_name_birth") && has_index(dpo, "clients_hetu"));
    /* customer numbers counted on without gaps, in the batch's order */
    ck_assert_int_eq(fix_sql_int(dpo, "SELECT min(customer_no) FROM clients"), 100001);
    ck_assert_int_eq(fix_sql_int(dpo, "SELECT max(customer_no) FROM clients"), 100000 + N);
    ck_assert_int_eq(fix_sql_int(dpo, "SELECT count(*) FROM clients WHERE customer_no != 100000 + id"), 0);
    /* the indexes are the ones lookups use, and the unique one holds */
    int64_t id;
    ck_assert_int_eq(rk_dbc_by_hetu(dpo->db, cs[dup]->value[RK_F_HETU], &id, &err), RK_OK);
    ck_assert_int_eq(id, cs[dup]->id);
    ck_assert_int_eq(rk_db_integrity_check(dpo->db, &err), RK_OK);
    rk_client *again = rk_client_new();
    rk_demo_gen *g2 = rk_demo_gen_new(12);
    ck_assert_int_eq(rk_demo_gen_client(g2, again, &err), RK_OK);
    rk_demo_gen_free(g2);
    ck_assert_int_eq(rk_client_set(again, RK_F_HETU, cs[orig]->value[RK_F_HETU], &err), RK_OK);
    int rc = rk_clients_create_many(dpo, &again, 1, "test", &bad, &err);
    ck_assert_msg(rc == RK_ECONFLICT, "%d %s", rc, err.msg);

    /* A second large load, into a registry that is not empty: the codes
     * already there are refused as before. One generator gives distinct
     * codes. */
    for (int i = 0; i < N; i++) {
        rk_client_free(cs[i]);
        cs[i] = rk_client_new();
        ck_assert_msg(rk_demo_gen_client(g, cs[i], &err) == RK_OK, "%s", err.msg);
    }
    ck_assert_int_eq(rk_client_set(cs[1500], RK_F_HETU, kept, &err), RK_OK);
    ck_assert_int_eq(rk_clients_create_many(dpo, cs, N, "test", &bad, &err), RK_ECONFLICT);
    ck_assert_uint_eq(bad, 1500);
    ck_assert_int_eq(fix_sql_int(dpo, "SELECT count(*) FROM clients"), N);
    ck_assert(has_index(dpo, "clients_name_birth") && has_index(dpo, "clients_hetu"));
    rk_demo_gen_free(g);
    rk_client_free(again);
    for (int i = 0; i < N; i++)
        rk_client_free(cs[i]);
    rk_session_logout(dpo);
}
END_TEST

/* A source that vouches for its clients (RK_STREAM_CHECKED) is not
 * checked again, but a henkilötunnus twin it let through still fails the
 * unique index built at the end: nothing is added. */
struct vouched {
    rk_client **cs;
    size_t n, next;
};

static int vouched_next(void *ctx, rk_client **out, rk_err *err)
{
    (void)err;
    struct vouched *v = ctx;
    *out = v->next < v->n ? v->cs[v->next++] : NULL;
    return RK_OK;
}

START_TEST(checked_stream_twin_fails_the_index)
{
    rk_session *dpo = fix_login("dpo");
    rk_demo_gen *g = rk_demo_gen_new(21);
    enum { N = 2500 };
    static rk_client *cs[N];
    rk_err err;
    int dup, orig;
    char kept[16];
    clients_with_twin(g, cs, N, &dup, &orig, kept);
    struct vouched v = { cs, N, 0 };
    size_t count = 0;
    int rc = rk_clients_create_stream(dpo, vouched_next, &v, N, RK_STREAM_CHECKED, NULL, "test", &count,
                                      &err);
    ck_assert_msg(rc == RK_ECONFLICT, "%d %s", rc, err.msg);
    ck_assert_ptr_nonnull(strstr(err.msg, "same personal identity code"));
    ck_assert_uint_eq(v.next, N);   /* refused at the end, not at the twin */
    ck_assert_int_eq(fix_sql_int(dpo, "SELECT count(*) FROM clients"), 0);
    ck_assert(has_index(dpo, "clients_name_birth") && has_index(dpo, "clients_hetu"));
    ck_assert_int_eq(rk_db_integrity_check(dpo->db, &err), RK_OK);
    rk_demo_gen_free(g);
    for (int i = 0; i < N; i++)
        rk_client_free(cs[i]);
    rk_session_logout(dpo);
}
END_TEST

/* A bulk load keeps its statement's bindings between rows and binds again
 * only what is not empty now or was not before: every client keeps its
 * own values whatever the fields of the one before held. */
START_TEST(bulk_rows_keep_their_own_values)
{
    rk_session *dpo = fix_login("dpo");
    rk_demo_gen *g = rk_demo_gen_new(22);
    enum { N = 64 };
    static const rk_field optional[] = { RK_F_HETU, RK_F_STREET, RK_F_ORGANISATION,
                                         RK_F_OTHER_INFO, RK_F_INTERESTS, RK_F_LANGUAGE };
    rk_client *cs[N];
    rk_err err;
    for (int i = 0; i < N; i++) {
        cs[i] = rk_client_new();
        ck_assert_msg(rk_demo_gen_client(g, cs[i], &err) == RK_OK, "%s", err.msg);
        for (size_t k = 0; k < RK_ARRAY_LEN(optional); k++) {
            /* each field empty and set in its own pattern of runs */
            bool set = (i >> (k % 3)) % 2 == (int)(k % 2);
            char v[32];
            snprintf(v, sizeof v, "Arvo %d", i);
            const char *value = !set ? "" : optional[k] == RK_F_LANGUAGE ? (i % 4 ? "fi" : "sv")
                              : optional[k] == RK_F_HETU ? cs[i]->value[RK_F_HETU] : v;
            if (optional[k] == RK_F_HETU && !value[0] && set)
                continue;   /* the generator gave none */
            char keep[32];
            snprintf(keep, sizeof keep, "%s", value);
            ck_assert_msg(rk_client_set(cs[i], optional[k], keep, &err) == RK_OK, "%s", err.msg);
        }
    }
    size_t bad = 0;
    ck_assert_msg(rk_clients_create_many(dpo, cs, N, "test", &bad, &err) == RK_OK, "%s", err.msg);
    for (int i = 0; i < N; i++) {
        rk_client *back;
        ck_assert_int_eq(rk_dbc_load(dpo->db, cs[i]->id, &back, &err), RK_OK);
        for (int f = 0; f < RK_F_COUNT; f++)
            if (!rk_field_is_list((rk_field)f))
                ck_assert_msg(!strcmp(back->value[f], cs[i]->value[f]), "client %d, %s: \"%s\", not \"%s\"",
                              i, rk_fields[f].name, back->value[f], cs[i]->value[f]);
        rk_client_free(back);
    }
    rk_demo_gen_free(g);
    for (int i = 0; i < N; i++)
        rk_client_free(cs[i]);
    rk_session_logout(dpo);
}
END_TEST

/* A reused client is as a new one, and its values (copied into its own
 * block, or allocated when they do not fit) stay apart from its clones'. */
START_TEST(client_reuse_starts_empty)
{
    rk_err err;
    rk_client *c = rk_client_new();
    for (int round = 0; round < 3; round++) {
        ck_assert_int_eq(rk_client_set(c, RK_F_LAST_NAME, "Virtanen", &err), RK_OK);
        ck_assert_int_eq(rk_client_set(c, RK_F_FIRST_NAMES, "Matti", &err), RK_OK);
        char longer[200];
        memset(longer, 'x', sizeof longer - 1);
        longer[sizeof longer - 1] = '\0';
        for (int i = 0; i < 4; i++)   /* past the block: the rest allocated */
            ck_assert_int_eq(rk_client_set(c, RK_F_OTHER_INFO, longer, &err), RK_OK);
        ck_assert_int_eq(rk_client_set(c, RK_F_FIRST_NAMES, "Maija", &err), RK_OK);
        ck_assert_int_eq(rk_client_add_phone(c, "mobile", "040 123 4567", &err), RK_OK);
        ck_assert_int_eq(rk_client_add_source(c, "import", "2026-12-01", "x.csv", &err), RK_OK);
        c->id = 7;
        c->restricted = true;
        rk_client *twin = rk_client_clone(c);
        ck_assert_ptr_nonnull(twin);
        rk_client_reuse(c);
        ck_assert_str_eq(twin->value[RK_F_FIRST_NAMES], "Maija");
        ck_assert_str_eq(twin->value[RK_F_OTHER_INFO], longer);
        ck_assert_uint_eq(twin->nphones, 1);
        rk_client_free(twin);
        rk_client *fresh = rk_client_new();
        ck_assert(c->id == 0 && !c->restricted && c->nphones == 0 && c->nsources == 0);
        for (int f = 0; f < RK_F_COUNT; f++) {
            ck_assert_int_eq(c->level[f], fresh->level[f]);
            ck_assert((c->value[f] == NULL) == (fresh->value[f] == NULL));
            if (c->value[f])
                ck_assert_str_eq(c->value[f], "");
        }
        rk_client_free(fresh);
    }
    rk_client_free(c);
}
END_TEST

Suite *test_suite(void)
{
    Suite *s = suite_create("clients");
    TCase *t = tcase_create("service");
    tcase_set_timeout(t, 60);
    tcase_add_checked_fixture(t, setup, teardown);
    tcase_add_test(t, schema_matches_field_table);
    tcase_add_test(t, policy_defaults);
    tcase_add_test(t, policy_enforced_on_every_read_path);
    tcase_add_test(t, admin_sees_no_client);
    tcase_add_test(t, policy_override_applies_and_is_audited);
    tcase_add_test(t, role_cannot_write_what_it_may_not);
    tcase_add_test(t, optimistic_conflict);
    tcase_add_test(t, field_history_and_audit);
    tcase_add_test(t, reads_are_audited_without_values);
    tcase_add_test(t, duplicate_hetu_opens_existing);
    tcase_add_test(t, invalid_values_refused_with_field);
    tcase_add_test(t, household_links);
    tcase_add_test(t, large_load_builds_indexes_after);
    tcase_add_test(t, checked_stream_twin_fails_the_index);
    tcase_add_test(t, bulk_rows_keep_their_own_values);
    tcase_add_test(t, client_reuse_starts_empty);
    suite_add_tcase(s, t);
    return s;
}
