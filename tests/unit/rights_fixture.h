/* Shared by test_requests.c, test_reports.c and test_erase.c: a client with
 * data in every place an erasure or a report must reach. */
#ifndef RK_TEST_RIGHTS_FIXTURE_H
#define RK_TEST_RIGHTS_FIXTURE_H

#include "fixture.h"

#include <sqlite3.h>

#include "calls.h"
#include "clients.h"
#include "consent.h"

static void setup(void) { fix_create(); }
static void teardown(void) { fix_remove(); }


/* Values a full client holds; every one must be gone after an erasure
 * (except the legal hold's) and present in an access report. */
static const char *const full_values[] = {
    "Aino Marjatta", "Erasedtestilä", "131052-308T", "Kuusitie 17 B 9", "Kuusamo",
    "+358401234567", "aino.erased@example.com", "Rajatieto Oy", "Kalastus ja sienestys",
    "Kertoi allergiasta", "Laskutuskatu 5", "003712345678", "Soitti hinnastosta",
    "Lomakkeen huomautus", "Muutettu nimi", "Tapahtumateksti", "Lomakkeelta",
};

static int64_t rights_client(rk_session *dpo, bool billing)
{
    rk_err err;
    rk_client *c;
    ck_assert_int_eq(rk_clients_blank(dpo, &c, &err), RK_OK);
    static const struct { rk_field f; const char *v; } vals[] = {
        { RK_F_FIRST_NAMES, "Muutettu nimi" }, { RK_F_LAST_NAME, "Erasedtestilä" },
        { RK_F_HETU, "131052-308T" }, { RK_F_STREET, "Kuusitie 17 B 9" },
        { RK_F_POSTCODE, "93600" }, { RK_F_POST_OFFICE, "Kuusamo" },
        { RK_F_ORGANISATION, "Rajatieto Oy" }, { RK_F_INTERESTS, "Kalastus ja sienestys" },
        { RK_F_OTHER_INFO, "Kertoi allergiasta" },
    };
    for (size_t i = 0; i < RK_ARRAY_LEN(vals); i++)
        ck_assert_msg(rk_client_set(c, vals[i].f, vals[i].v, &err) == RK_OK, "%s", err.msg);
    if (billing) {
        ck_assert_int_eq(rk_client_set(c, RK_F_BILLING_ADDRESS, "Laskutuskatu 5", &err), RK_OK);
        ck_assert_int_eq(rk_client_set(c, RK_F_EINVOICE_ADDRESS, "003712345678", &err), RK_OK);
    }
    ck_assert_int_eq(rk_client_add_phone(c, "mobile", "0401234567", &err), RK_OK);
    ck_assert_int_eq(rk_client_add_email(c, "personal", "aino.erased@example.com", &err), RK_OK);
    ck_assert_int_eq(rk_client_add_event(c, "1.2.2024", "feedback", "Tapahtumateksti", &err), RK_OK);
    ck_assert_int_eq(rk_client_add_source(c, "client", "1.2.2024", "Lomakkeelta", &err), RK_OK);
    int64_t existing;
    ck_assert_msg(rk_clients_create(dpo, c, &existing, &err) == RK_OK, "%s", err.msg);
    int64_t id = c->id;
    rk_client_free(c);

    /* A rectification: field history gets the old and new first names. */
    rk_client *orig, *ed;
    ck_assert_int_eq(rk_clients_get(dpo, id, &orig, &err), RK_OK);
    ed = rk_client_clone(orig);
    ck_assert_int_eq(rk_client_set(ed, RK_F_FIRST_NAMES, "Aino Marjatta", &err), RK_OK);
    ck_assert_msg(rk_clients_save(dpo, orig, ed, NULL, &err) == RK_OK, "%s", err.msg);
    rk_client_free(orig);
    rk_client_free(ed);

    /* A consent with a note, and a call note. */
    rk_consent_change ch = { rk_slot_parse("direct_marketing:email"), RK_CSTATE_ALLOWED };
    rk_consent_batch b = { .source = RK_CSOURCE_LETTER, .note = "Lomakkeen huomautus" };
    ck_assert_msg(rk_consent_apply(dpo, id, &ch, 1, &b, NULL, &err) == RK_OK, "%s", err.msg);
    rk_call_input in = { .client_id = id, .started = "2026-03-02T14:05:00Z",
                         .direction = RK_CALL_IN, .duration = 60, .number = "0401234567",
                         .purpose = RK_CALL_PURPOSE_VERIFY, .told = true,
                         .summary = "Soitti hinnastosta", .keep_until = "2027-03-02" };
    int64_t note;
    ck_assert_msg(rk_calls_add(dpo, &in, NULL, 0, NULL, &note, NULL, &err) == RK_OK, "%s", err.msg);
    return id;
}

static int64_t rights_count(rk_session *s, const char *sql, int64_t id)
{
    sqlite3_stmt *st;
    ck_assert_int_eq(sqlite3_prepare_v2(rk_db_handle(s->db), sql, -1, &st, NULL), SQLITE_OK);
    if (sqlite3_bind_parameter_count(st) > 0)
        sqlite3_bind_int64(st, 1, id);
    ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
    int64_t n = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return n;
}

#endif
