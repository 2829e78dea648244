/* The requests register: the GDPR 12(3) deadline (one calendar month, end
 * of month clamp), extensions of at most two months with a reason within
 * the first month, overdue, closing with a decision, roles and audit. */
#include "rights_fixture.h"

#include "requests.h"

static void due_is(const char *received, int ext, const char *want)
{
    char out[RK_DATE_ISO_SIZE];
    rk_err err;
    ck_assert_msg(rk_request_due(received, ext, out, &err) == RK_OK, "%s", err.msg);
    ck_assert_msg(strcmp(out, want) == 0, "%s + 1 + %d months: %s, want %s", received, ext, out, want);
}

START_TEST(due_one_calendar_month_clamped)
{
    due_is("2026-01-15", 0, "2026-02-15");
    due_is("2026-01-31", 0, "2026-02-28");      /* no 31 Feb: last day */
    due_is("2028-01-31", 0, "2028-02-29");      /* leap year */
    due_is("2026-01-30", 0, "2026-02-28");
    due_is("2026-03-31", 0, "2026-04-30");
    due_is("2026-12-31", 0, "2027-01-31");      /* over the year end */
    due_is("2026-02-28", 0, "2026-03-28");      /* not moved to the month's end */
    /* Extensions count from the received date, not from a clamped due date. */
    due_is("2026-01-31", 1, "2026-03-31");
    due_is("2026-01-31", 2, "2026-04-30");
    due_is("2026-11-30", 2, "2027-02-28");
    char out[RK_DATE_ISO_SIZE];
    rk_err err;
    ck_assert_int_eq(rk_request_due("2026-01-31", 3, out, &err), RK_EUSAGE);
    ck_assert_int_ne(rk_request_due("2026-02-30", 0, out, &err), RK_OK);
}
END_TEST

static int64_t add_request(rk_session *s, int64_t client, rk_request_kind kind, const char *received,
                           const char *today)
{
    rk_request_input in = { .client_id = client, .kind = kind, .channel = RK_REQCH_IN_PERSON,
                            .received = received, .verified_how = "passport seen" };
    int64_t id;
    rk_err err;
    ck_assert_msg(rk_request_add(s, &in, today, &id, &err) == RK_OK, "%s", err.msg);
    return id;
}

START_TEST(register_extend_close_overdue)
{
    rk_session *dpo = fix_login("dpo"), *rec = fix_login("reception");
    int64_t client = rights_client(dpo, false);
    rk_err err;
    /* Reception registers at the desk; the received date in Finnish form. */
    int64_t id = add_request(rec, client, RK_REQ_ACCESS, "31.1.2026", "2026-02-02");
    rk_request r;
    ck_assert_int_eq(rk_request_get(dpo, id, &r, &err), RK_OK);
    ck_assert_str_eq(r.received, "2026-01-31");
    ck_assert_str_eq(r.due, "2026-02-28");
    ck_assert_str_eq(r.status, "open");
    ck_assert_str_eq(r.verified_by, "reception");
    ck_assert(!rk_request_overdue(&r, "2026-02-28"));
    ck_assert(rk_request_overdue(&r, "2026-03-01"));

    /* Reception cannot extend, close or list every request. */
    ck_assert_int_eq(rk_request_extend(rec, id, 1, "many files", "2026-02-10", &err), RK_EDENIED);
    ck_assert_int_eq(rk_request_close(rec, id, RK_REQST_GRANTED, "ok", "2026-02-10", &err), RK_EDENIED);
    rk_request *list;
    size_t n;
    ck_assert_int_eq(rk_requests_list(rec, 0, true, &list, &n, &err), RK_EDENIED);
    ck_assert_int_eq(rk_requests_list(rec, client, true, &list, &n, &err), RK_OK);
    ck_assert_uint_eq(n, 1);
    free(list);

    /* Extension: a reason is required; 1 month, then 1 more, never a third. */
    ck_assert_int_eq(rk_request_extend(dpo, id, 1, "", "2026-02-10", &err), RK_EUSAGE);
    ck_assert_int_eq(rk_request_extend(dpo, id, 1, "many files", "2026-02-10", &err), RK_OK);
    ck_assert_int_eq(rk_request_get(dpo, id, &r, &err), RK_OK);
    ck_assert_str_eq(r.due, "2026-03-31");
    ck_assert_int_eq(r.extension_months, 1);
    ck_assert_int_eq(rk_request_extend(dpo, id, 2, "more", "2026-02-11", &err), RK_EUSAGE);
    ck_assert_int_eq(rk_request_extend(dpo, id, 1, "archive boxes", "2026-02-11", &err), RK_OK);
    ck_assert_int_eq(rk_request_get(dpo, id, &r, &err), RK_OK);
    ck_assert_str_eq(r.due, "2026-04-30");
    ck_assert_str_eq(r.extension_reason, "archive boxes");
    ck_assert(!rk_request_overdue(&r, "2026-04-30"));
    ck_assert(rk_request_overdue(&r, "2026-05-01"));

    /* After the first month nothing can be extended any more. */
    int64_t late = add_request(rec, client, RK_REQ_ERASURE, "2026-01-10", "2026-01-10");
    ck_assert_int_eq(rk_request_extend(dpo, late, 1, "too late", "2026-02-11", &err), RK_EUSAGE);
    ck_assert_int_eq(rk_request_extend(dpo, late, 1, "in time", "2026-02-10", &err), RK_OK);

    /* The desk list: open ones by due date (late's 10.3. before id's 30.4.). */
    ck_assert_int_eq(rk_requests_list(dpo, 0, true, &list, &n, &err), RK_OK);
    ck_assert_uint_eq(n, 2);
    ck_assert_int_eq(list[0].id, late);
    ck_assert_int_eq(list[1].id, id);
    free(list);

    /* Closing needs a decision; a closed request stays closed. */
    ck_assert_int_eq(rk_request_close(dpo, id, RK_REQST_GRANTED, "", "2026-03-01", &err), RK_EUSAGE);
    ck_assert_int_eq(rk_request_close(dpo, id, RK_REQST_OPEN, "x", "2026-03-01", &err), RK_EUSAGE);
    ck_assert_int_eq(rk_request_close(dpo, id, RK_REQST_GRANTED, "Report handed over", "2026-03-01", &err), RK_OK);
    ck_assert_int_eq(rk_request_close(dpo, id, RK_REQST_REFUSED, "again", "2026-03-02", &err), RK_EUSAGE);
    ck_assert_int_eq(rk_request_extend(dpo, id, 1, "x", "2026-03-02", &err), RK_EUSAGE);
    ck_assert_int_eq(rk_request_get(dpo, id, &r, &err), RK_OK);
    ck_assert_str_eq(r.closed, "2026-03-01");
    ck_assert_str_eq(r.status, "granted");
    ck_assert(!rk_request_overdue(&r, "2027-01-01"));
    ck_assert_int_eq(rk_requests_list(dpo, 0, true, &list, &n, &err), RK_OK);
    ck_assert_uint_eq(n, 1);
    free(list);
    ck_assert_int_eq(rk_requests_list(dpo, 0, false, &list, &n, &err), RK_OK);
    ck_assert_uint_eq(n, 2);
    free(list);

    /* Every step left an audit event about the client. */
    ck_assert_int_eq(rights_count(dpo, "SELECT count(*) FROM audit WHERE action = 'request_added' AND client_id = ?", client), 2);
    ck_assert_int_eq(rights_count(dpo, "SELECT count(*) FROM audit WHERE action = 'request_extended' AND client_id = ?", client), 3);
    ck_assert_int_eq(rights_count(dpo, "SELECT count(*) FROM audit WHERE action = 'request_closed' AND client_id = ?", client), 1);
    rk_session_logout(rec);
    rk_session_logout(dpo);
}
END_TEST

START_TEST(bad_input_is_refused)
{
    rk_session *dpo = fix_login("dpo"), *mk = fix_login("marketing");
    int64_t client = rights_client(dpo, false);
    rk_err err;
    int64_t id;
    rk_request_input in = { .client_id = client, .kind = RK_REQ_ACCESS, .channel = RK_REQCH_EMAIL,
                            .verified_how = "" };
    ck_assert_int_eq(rk_request_add(dpo, &in, NULL, &id, &err), RK_EUSAGE);   /* no identity check */
    in.verified_how = "line\nbreak";
    ck_assert_int_eq(rk_request_add(dpo, &in, NULL, &id, &err), RK_EUSAGE);
    in.verified_how = "strong e-identification";
    in.received = "2026-13-01";
    ck_assert_int_eq(rk_request_add(dpo, &in, NULL, &id, &err), RK_EUSAGE);
    in.received = "2026-05-02";
    ck_assert_int_eq(rk_request_add(dpo, &in, "2026-05-01", &id, &err), RK_EUSAGE);  /* future */
    in.received = NULL;
    ck_assert_int_eq(rk_request_add(mk, &in, NULL, &id, &err), RK_EDENIED);
    in.client_id = client + 1000;
    ck_assert_int_eq(rk_request_add(dpo, &in, NULL, &id, &err), RK_ENOTFOUND);
    ck_assert_int_eq(rights_count(dpo, "SELECT count(*) FROM requests", 0), 0);
    ck_assert_int_eq(rk_request_kind_parse("log_data"), RK_REQ_LOG_DATA);
    ck_assert_int_eq(rk_request_kind_parse("nonsense"), -1);
    rk_session_logout(mk);
    rk_session_logout(dpo);
}
END_TEST

Suite *test_suite(void)
{
    Suite *s = suite_create("requests");
    TCase *tc = tcase_create("requests");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, due_one_calendar_month_clamped);
    tcase_add_test(tc, register_extend_close_overdue);
    tcase_add_test(tc, bad_input_is_refused);
    suite_add_tcase(s, tc);
    return s;
}
