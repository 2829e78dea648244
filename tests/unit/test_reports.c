/* Reports for the registered person: the access report covers every field
 * of the field table and everything else held (text and JSON in one run),
 * dates as dd.mm.yyyy; portability has its versioned schema and CSV; the
 * log report matches the audit chain; only dpo, and every report audited. */
#include "rights_fixture.h"

#include <jansson.h>
#include <time.h>

#include "client_format.h"
#include "disclosure.h"
#include "reports.h"

static char *run_access(rk_session *s, int64_t id, json_t **json)
{
    char *text = NULL, *js = NULL;
    size_t tl = 0, jl = 0;
    FILE *t = open_memstream(&text, &tl), *j = open_memstream(&js, &jl);
    rk_err err;
    ck_assert_msg(rk_report_access(s, id, t, j, &err) == RK_OK, "%s", err.msg);
    fclose(t);
    fclose(j);
    json_error_t je;
    *json = json_loads(js, 0, &je);
    ck_assert_msg(*json != NULL, "JSON: %s", je.text);
    free(js);
    return text;
}

static char *run_report(rk_session *s, rk_report_kind k, int64_t id, rk_report_format f,
                        const char *since, int want)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&buf, &len);
    rk_err err;
    int rc = rk_report(s, k, id, f, since, out, &err);
    fclose(out);
    ck_assert_msg(rc == want, "report %s: %d (%s)", rk_report_kind_name(k), rc, err.msg);
    return buf;
}

START_TEST(access_report_covers_every_field)
{
    setenv("TZ", "UTC", 1);
    tzset();
    rk_session *dpo = fix_login("dpo");
    int64_t id = rights_client(dpo, true);
    json_t *js;
    char *text = run_access(dpo, id, &js);

    /* Every field of the field table, by label in the text and by name in
     * the JSON, empty ones too; every category's purpose and retention. */
    json_t *fields = json_object_get(json_object_get(js, "client"), "fields");
    ck_assert_ptr_nonnull(fields);
    for (int f = 0; f < RK_F_COUNT; f++) {
        ck_assert_msg(json_object_get(fields, rk_fields[f].name) != NULL,
                      "access JSON lacks the field %s", rk_fields[f].name);
        char label[300];
        snprintf(label, sizeof label, "  %s:", _(rk_fields[f].label));
        ck_assert_msg(strstr(text, label) != NULL, "access text lacks the field %s", rk_fields[f].name);
    }
    ck_assert_uint_eq(json_array_size(json_object_get(js, "purposes")), RK_CAT_COUNT);
    for (int k = 0; k < RK_CAT_COUNT; k++)
        ck_assert(strstr(text, rk_category_label((rk_category)k)));
    ck_assert_str_eq(json_string_value(json_object_get(js, "schema")), "rekisteri.access/1");

    /* Everything held: card, consent note, call note, field history's old
     * value, history event, billing. */
    for (size_t i = 0; i < RK_ARRAY_LEN(full_values); i++)
        ck_assert_msg(strstr(text, full_values[i]) != NULL, "access text lacks \"%s\"", full_values[i]);
    char *dump = json_dumps(js, 0);
    for (size_t i = 0; i < RK_ARRAY_LEN(full_values); i++)
        ck_assert_msg(strstr(dump, full_values[i]) != NULL, "access JSON lacks \"%s\"", full_values[i]);
    free(dump);
    ck_assert_uint_eq(json_array_size(json_object_get(js, "call_notes")), 1);
    ck_assert_uint_eq(json_array_size(json_object_get(js, "consent_history")), 1);
    ck_assert_uint_ge(json_array_size(json_object_get(js, "field_history")), 1);

    /* Dates as dd.mm.yyyy (a call at 14:05 UTC shown in local time, here UTC). */
    ck_assert(strstr(text, "01.02.2024"));
    ck_assert(strstr(text, "02.03.2026 14.05"));
    ck_assert(!strstr(text, "2024-02-01"));
    char d[40];
    rk_date_display("2026-01-05", d, sizeof d);
    ck_assert_str_eq(d, "05.01.2026");
    free(text);
    json_decref(js);

    ck_assert_int_eq(rights_count(dpo, "SELECT count(*) FROM audit WHERE action = 'report_produced' AND client_id = ? AND details = 'kind=access format=text,json'", id), 1);
    rk_session_logout(dpo);
}
END_TEST

START_TEST(portability_schema_and_csv)
{
    rk_session *dpo = fix_login("dpo");
    int64_t id = rights_client(dpo, true);
    char *out = run_report(dpo, RK_REPORT_PORTABILITY, id, RK_REPORT_JSON, NULL, RK_OK);
    json_error_t je;
    json_t *js = json_loads(out, 0, &je);
    ck_assert_ptr_nonnull(js);
    ck_assert_str_eq(json_string_value(json_object_get(js, "schema")), "rekisteri.portability/1");
    json_t *fields = json_object_get(js, "fields");
    ck_assert_str_eq(json_string_value(json_object_get(fields, "first_names")), "Aino Marjatta");
    ck_assert_str_eq(json_string_value(json_object_get(json_array_get(json_object_get(fields, "emails"), 0), "address")),
                     "aino.erased@example.com");
    /* Not given by the person: assigned, derived, other people's, the controller's. */
    static const char *const absent[] = { "customer_no", "loyalty", "household", "collection",
                                          "billing_address", "sources", "turvakielto" };
    for (size_t i = 0; i < RK_ARRAY_LEN(absent); i++)
        ck_assert_msg(json_object_get(fields, absent[i]) == NULL, "portability has %s", absent[i]);
    json_t *consent = json_array_get(json_object_get(js, "consents"), 0);
    ck_assert_str_eq(json_string_value(json_object_get(consent, "item")), "direct_marketing:email");
    ck_assert_str_eq(json_string_value(json_object_get(consent, "state")), "allowed");
    json_decref(js);
    free(out);

    out = run_report(dpo, RK_REPORT_PORTABILITY, id, RK_REPORT_CSV, NULL, RK_OK);
    ck_assert(strncmp(out, "\"field\",\"item\",\"key\",\"value\"\r\n", 30) == 0 ||
              strncmp(out, "field,item,key,value\r\n", 22) == 0);
    ck_assert(strstr(out, "first_names"));
    ck_assert(strstr(out, "Aino Marjatta"));
    ck_assert(strstr(out, "consent:direct_marketing:email"));
    ck_assert(strstr(out, "'+358401234567"));   /* formula start neutralised */
    free(out);
    free(run_report(dpo, RK_REPORT_PORTABILITY, id, RK_REPORT_TEXT, NULL, RK_EUSAGE));
    free(run_report(dpo, RK_REPORT_ACCESS, id, RK_REPORT_CSV, NULL, RK_EUSAGE));
    rk_session_logout(dpo);
}
END_TEST

START_TEST(log_report_matches_audit_chain)
{
    rk_session *dpo = fix_login("dpo"), *rec = fix_login("reception");
    int64_t id = rights_client(dpo, false);
    rk_client *c;
    rk_err err;
    ck_assert_int_eq(rk_clients_get(rec, id, &c, &err), RK_OK);   /* a view by reception */
    rk_client_free(c);

    /* A disclosure made outside the program, entered by hand. */
    rk_manual_disclosure m = { .recipient = "Perintä Oy", .legal_basis = "legitimate_interest",
                               .purpose = "debt collection", .categories = "identity,billing",
                               .client_ids = &id, .nclients = 1, .note = "invoice 12" };
    int64_t did;
    ck_assert_int_eq(rk_disclosure_add_manual(rec, &m, &did, &err), RK_EDENIED);
    m.categories = "identity,nosuch";
    ck_assert_int_eq(rk_disclosure_add_manual(dpo, &m, &did, &err), RK_EUSAGE);
    m.categories = "identity,billing";
    ck_assert_msg(rk_disclosure_add_manual(dpo, &m, &did, &err) == RK_OK, "%s", err.msg);
    int64_t last = rights_count(dpo, "SELECT max(seq) FROM audit", 0);
    char *out = run_report(dpo, RK_REPORT_LOG, id, RK_REPORT_JSON, NULL, RK_OK);
    json_error_t je;
    json_t *js = json_loads(out, 0, &je);
    ck_assert_ptr_nonnull(js);
    json_t *events = json_object_get(js, "events");

    /* The same rows, in the same order, as the chain itself holds. */
    sqlite3_stmt *st;
    ck_assert_int_eq(sqlite3_prepare_v2(rk_db_handle(dpo->db),
                                        "SELECT seq, user, action FROM audit WHERE client_id = ?1 "
                                        "AND seq <= ?2 "
                                        "ORDER BY seq", -1, &st, NULL), SQLITE_OK);
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_int64(st, 2, last);
    size_t i = 0;
    bool reception_seen = false;
    while (sqlite3_step(st) == SQLITE_ROW) {
        json_t *e = json_array_get(events, i++);
        ck_assert_ptr_nonnull(e);
        ck_assert_int_eq(json_integer_value(json_object_get(e, "seq")), sqlite3_column_int64(st, 0));
        ck_assert_str_eq(json_string_value(json_object_get(e, "user")), (const char *)sqlite3_column_text(st, 1));
        ck_assert_str_eq(json_string_value(json_object_get(e, "action")), (const char *)sqlite3_column_text(st, 2));
        reception_seen |= strcmp((const char *)sqlite3_column_text(st, 1), "reception") == 0;
    }
    sqlite3_finalize(st);
    ck_assert(reception_seen);
    ck_assert_uint_gt(i, 5);
    ck_assert_uint_eq(json_array_size(events), i);
    json_t *dis = json_object_get(js, "disclosures");
    ck_assert_uint_eq(json_array_size(dis), 1);
    ck_assert_str_eq(json_string_value(json_object_get(json_array_get(dis, 0), "kind")), "manual");
    ck_assert_str_eq(json_string_value(json_object_get(json_array_get(dis, 0), "recipient")), "Perintä Oy");
    json_decref(js);
    free(out);
    int64_t rows, bad;
    ck_assert_int_eq(rk_audit_verify(dpo->db, dpo->audit_key, &rows, &bad, &err), RK_OK);

    /* A window after everything: nothing; the text form names the viewer. */
    out = run_report(dpo, RK_REPORT_LOG, id, RK_REPORT_JSON, "1.1.2999", RK_OK);
    js = json_loads(out, 0, &je);
    ck_assert_uint_eq(json_array_size(json_object_get(js, "events")), 0);
    json_decref(js);
    free(out);
    out = run_report(dpo, RK_REPORT_LOG, id, RK_REPORT_TEXT, NULL, RK_OK);
    ck_assert(strstr(out, "reception"));
    ck_assert(strstr(out, _("Client card opened")));
    free(out);
    free(run_report(dpo, RK_REPORT_LOG, id, RK_REPORT_TEXT, "31.2.2026", RK_EUSAGE));

    /* Reports are the dpo's. */
    free(run_report(rec, RK_REPORT_LOG, id, RK_REPORT_TEXT, NULL, RK_EDENIED));
    free(run_report(rec, RK_REPORT_ACCESS, id, RK_REPORT_TEXT, NULL, RK_EDENIED));
    ck_assert_int_eq(rights_count(dpo, "SELECT count(*) FROM audit WHERE action = 'report_produced' AND client_id = ?", id), 3);
    rk_session_logout(rec);
    rk_session_logout(dpo);
}
END_TEST

Suite *test_suite(void)
{
    Suite *s = suite_create("reports");
    TCase *tc = tcase_create("reports");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, access_report_covers_every_field);
    tcase_add_test(tc, portability_schema_and_csv);
    tcase_add_test(tc, log_report_matches_audit_chain);
    suite_add_tcase(s, tc);
    return s;
}
