/* Call-recording notes: saving with checks and defaults, amendments by the
 * author only with the original unchanged, visibility by role, consent
 * changes linked to the call, and the list of expired notes. */
#include "fixture.h"

#include <sqlite3.h>

#include "calls.h"
#include "clients.h"
#include "consent.h"
#include "db_clients.h"
#include "db_settings.h"

static void setup(void) { fix_create(); }
static void teardown(void) { fix_remove(); }

static const char *SUMMARY =
    "Asiakas soitti ja vahvisti tilauksen.\n"
    "Hyvää päivää – keskusteltiin ajanvarauksesta 日本 matkan jälkeen.\n"
    "Äänite tallennettu.";

static int64_t add_client(const char *first, const char *last)
{
    rk_session *dpo = fix_login("dpo");
    rk_client *c;
    rk_err err;
    ck_assert_int_eq(rk_clients_blank(dpo, &c, &err), RK_OK);
    ck_assert_int_eq(rk_client_set(c, RK_F_FIRST_NAMES, first, &err), RK_OK);
    ck_assert_int_eq(rk_client_set(c, RK_F_LAST_NAME, last, &err), RK_OK);
    int64_t existing;
    ck_assert_msg(rk_clients_create(dpo, c, &existing, &err) == RK_OK, "%s", err.msg);
    int64_t id = c->id;
    rk_client_free(c);
    rk_session_logout(dpo);
    return id;
}

static rk_call_input input_for(int64_t client)
{
    rk_call_input in = {
        .client_id = client, .started = "2026-01-15T09:30:00Z", .direction = RK_CALL_IN,
        .duration = 245, .number = "040 123 4567", .recording_id = "PBX-2026-0001",
        .purpose = RK_CALL_PURPOSE_VERIFY, .told = true, .training_consent = false,
        .summary = SUMMARY,
    };
    return in;
}

START_TEST(add_and_list_a_note)
{
    int64_t id = add_client("Anna", "Mäkinen");
    rk_session *s = fix_login("reception");
    rk_err err;
    rk_call_input in = input_for(id);
    int64_t note;
    ck_assert_msg(rk_calls_add(s, &in, NULL, 0, NULL, &note, NULL, &err) == RK_OK, "%s", err.msg);
    ck_assert_int_gt(note, 0);
    rk_call_note *notes;
    size_t n;
    ck_assert_int_eq(rk_calls_list(s, id, &notes, &n, &err), RK_OK);
    ck_assert_uint_eq(n, 1);
    ck_assert_int_eq(notes[0].id, note);
    ck_assert_int_eq(notes[0].client_id, id);
    ck_assert_str_eq(notes[0].started, "2026-01-15T09:30:00Z");
    ck_assert_int_eq(notes[0].direction, RK_CALL_IN);
    ck_assert_int_eq(notes[0].duration, 245);
    ck_assert_str_eq(notes[0].user, "reception");
    ck_assert_str_eq(notes[0].number, "+358401234567");
    ck_assert_str_eq(notes[0].recording_id, "PBX-2026-0001");
    ck_assert_int_eq(notes[0].purpose, RK_CALL_PURPOSE_VERIFY);
    ck_assert(notes[0].told);
    ck_assert(!notes[0].training_consent);
    ck_assert_str_eq(notes[0].summary, SUMMARY);
    ck_assert_str_eq(notes[0].keep_until, "2027-01-15");       /* 12 months by default */
    ck_assert_uint_eq(notes[0].namendments, 0);
    rk_calls_free(notes, n);
    ck_assert_int_eq(fix_sql_int(s, "SELECT COUNT(*) FROM audit WHERE action = 'call_note_added'"), 1);
    ck_assert_int_eq(fix_sql_int(s, "SELECT COUNT(*) FROM audit WHERE action = 'call_notes_read'"), 1);
    /* The audit never holds the summary or the number. */
    ck_assert_int_eq(fix_sql_int(s, "SELECT COUNT(*) FROM audit WHERE details LIKE '%358%'"
                                   " OR details LIKE '%tilauksen%'"), 0);
    rk_session_logout(s);
}
END_TEST

START_TEST(keep_until_setting_and_dates)
{
    char out[RK_DATE_ISO_SIZE];
    rk_err err;
    ck_assert_int_eq(rk_date_add_months("2024-11-30", 3, out, &err), RK_OK);
    ck_assert_str_eq(out, "2025-02-28");
    ck_assert_int_eq(rk_date_add_months("2024-02-29", 12, out, &err), RK_OK);
    ck_assert_str_eq(out, "2025-02-28");
    ck_assert_int_eq(rk_date_add_months("2023-12-31", 2, out, &err), RK_OK);
    ck_assert_str_eq(out, "2024-02-29");

    int64_t id = add_client("Anna", "Mäkinen");
    rk_session *a = fix_login("admin");
    ck_assert_int_eq(rk_db_begin(a->db, &err), RK_OK);
    ck_assert_int_eq(rk_dbs_set(a->db, RK_SETTING_CALL_KEEP_MONTHS, "3", &err), RK_OK);
    ck_assert_int_eq(rk_db_commit(a->db, &err), RK_OK);
    rk_session_logout(a);
    rk_session *s = fix_login("reception");
    rk_call_input in = input_for(id);
    in.started = "2025-11-30T12:00:00Z";
    int64_t note;
    ck_assert_int_eq(rk_calls_add(s, &in, NULL, 0, NULL, &note, NULL, &err), RK_OK);
    in.keep_until = "1.6.2027";                 /* Finnish form accepted */
    ck_assert_int_eq(rk_calls_add(s, &in, NULL, 0, NULL, &note, NULL, &err), RK_OK);
    rk_call_note *notes;
    size_t n;
    ck_assert_int_eq(rk_calls_list(s, id, &notes, &n, &err), RK_OK);
    ck_assert_uint_eq(n, 2);
    ck_assert_str_eq(notes[0].keep_until, "2026-02-28");
    ck_assert_str_eq(notes[1].keep_until, "2027-06-01");
    rk_calls_free(notes, n);
    rk_session_logout(s);
}
END_TEST

START_TEST(checks_name_the_field)
{
    int64_t id = add_client("Anna", "Mäkinen");
    rk_err err;
    rk_call_field bad;
    rk_call_input in = input_for(id);
    ck_assert_int_eq(rk_calls_check(&in, &bad, &err), RK_OK);
    ck_assert_int_eq(bad, RK_CALL_F_NONE);

#define REFUSED(field, ...)                                                          \
    do {                                                                             \
        rk_call_input x = input_for(id);                                             \
        __VA_ARGS__;                                                                 \
        ck_assert_int_eq(rk_calls_check(&x, &bad, &err), RK_EUSAGE);                 \
        ck_assert_msg(bad == field, "field %d, want %d (%s)", bad, field, err.msg);  \
        ck_assert(err.msg[0]);                                                       \
    } while (0)
    REFUSED(RK_CALL_F_NUMBER, x.number = "12");
    REFUSED(RK_CALL_F_NUMBER, x.number = NULL);
    REFUSED(RK_CALL_F_STARTED, x.started = "2026-13-01T10:00:00Z");
    REFUSED(RK_CALL_F_STARTED, x.started = "2099-01-01T10:00:00Z");
    REFUSED(RK_CALL_F_STARTED, x.started = "yesterday");
    REFUSED(RK_CALL_F_DURATION, x.duration = -1);
    REFUSED(RK_CALL_F_DURATION, x.duration = RK_CALL_DURATION_MAX + 1);
    REFUSED(RK_CALL_F_DIRECTION, x.direction = (rk_call_direction)7);
    REFUSED(RK_CALL_F_PURPOSE, x.purpose = (rk_call_purpose)7);
    REFUSED(RK_CALL_F_RECORDING, x.recording_id = "has space");
    REFUSED(RK_CALL_F_TRAINING, x.told = false; x.training_consent = true);
    REFUSED(RK_CALL_F_KEEP_UNTIL, x.keep_until = "2025-01-01");
    REFUSED(RK_CALL_F_KEEP_UNTIL, x.keep_until = "31.2.2027");
    REFUSED(RK_CALL_F_SUMMARY, x.summary = " \n ");
    REFUSED(RK_CALL_F_SUMMARY, x.summary = "Hyv\xE4\xE4 p\xE4iv\xE4\xE4");     /* Latin-1 */
    REFUSED(RK_CALL_F_CLIENT, x.client_id = 0);
    char *longtext = malloc(RK_CALL_TEXT_MAX_CHARS * 2 + 3);
    for (int i = 0; i < RK_CALL_TEXT_MAX_CHARS + 1; i++)
        memcpy(longtext + 2 * i, "ä", 2);
    longtext[2 * (RK_CALL_TEXT_MAX_CHARS + 1)] = '\0';
    REFUSED(RK_CALL_F_SUMMARY, x.summary = longtext);
    longtext[2 * RK_CALL_TEXT_MAX_CHARS] = '\0';                        /* exactly the limit */
    in.summary = longtext;
    ck_assert_int_eq(rk_calls_check(&in, &bad, &err), RK_OK);
    free(longtext);
#undef REFUSED
    /* Local times are accepted and stored in UTC. */
    in = input_for(id);
    in.started = "15.1.2026 11:30";
    ck_assert_int_eq(rk_calls_check(&in, &bad, &err), RK_OK);

    rk_session *s = fix_login("reception");
    in = input_for(424242);
    int64_t note;
    ck_assert_int_eq(rk_calls_add(s, &in, NULL, 0, NULL, &note, &bad, &err), RK_ENOTFOUND);
    ck_assert_int_eq(bad, RK_CALL_F_CLIENT);
    ck_assert_int_eq(fix_sql_int(s, "SELECT COUNT(*) FROM call_notes"), 0);
    rk_session_logout(s);
}
END_TEST

START_TEST(amendments_by_the_author_only)
{
    int64_t id = add_client("Anna", "Mäkinen");
    rk_err err;
    rk_session *a = fix_login("admin");
    ck_assert_int_eq(rk_user_add(a, "reception2", RK_ROLE_RECEPTION, "Toinen", FIX_PW, &err), RK_OK);
    rk_session_logout(a);

    rk_session *s = fix_login("reception");
    rk_call_input in = input_for(id);
    int64_t note;
    ck_assert_int_eq(rk_calls_add(s, &in, NULL, 0, NULL, &note, NULL, &err), RK_OK);
    rk_session_logout(s);

    static const char *others[] = { "reception2", "dpo" };
    for (size_t i = 0; i < RK_ARRAY_LEN(others); i++) {
        rk_session *o = fix_login(others[i]);
        ck_assert_int_eq(rk_calls_amend(o, note, "Korjaus", NULL, &err), RK_EDENIED);
        ck_assert_ptr_nonnull(strstr(err.msg, "reception"));
        rk_session_logout(o);
    }
    s = fix_login("reception");
    int64_t am;
    ck_assert_int_eq(rk_calls_amend(s, note, "", &am, &err), RK_EUSAGE);
    ck_assert_int_eq(rk_calls_amend(s, 9999, "Korjaus", &am, &err), RK_ENOTFOUND);
    ck_assert_int_eq(rk_calls_amend(s, note, "Korjaus: puhelu kesti 5 min, ei 4.\nÄänite OK.", &am, &err), RK_OK);
    ck_assert_int_eq(rk_calls_amend(s, note, "Toinen lisäys", NULL, &err), RK_OK);
    rk_call_note *x;
    ck_assert_int_eq(rk_calls_get(s, note, &x, &err), RK_OK);
    ck_assert_str_eq(x->summary, SUMMARY);                 /* the original is unchanged */
    ck_assert_int_eq(x->duration, 245);
    ck_assert_uint_eq(x->namendments, 2);
    ck_assert_int_eq(x->amendments[0].id, am);
    ck_assert_str_eq(x->amendments[0].text, "Korjaus: puhelu kesti 5 min, ei 4.\nÄänite OK.");
    ck_assert_str_eq(x->amendments[0].user, "reception");
    ck_assert_int_eq(strlen(x->amendments[0].ts), 20);
    ck_assert_str_eq(x->amendments[1].text, "Toinen lisäys");
    rk_calls_free(x, 1);
    ck_assert_int_eq(fix_sql_int(s, "SELECT COUNT(*) FROM audit WHERE action = 'call_note_amended'"), 2);
    /* Not even SQL changes a saved note or amendment. */
    sqlite3 *h = rk_db_handle(s->db);
    ck_assert_int_ne(sqlite3_exec(h, "UPDATE call_notes SET summary = 'x'", NULL, NULL, NULL), SQLITE_OK);
    ck_assert_int_ne(sqlite3_exec(h, "UPDATE call_amendments SET text = 'x'", NULL, NULL, NULL), SQLITE_OK);
    ck_assert_int_ne(sqlite3_exec(h, "INSERT OR REPLACE INTO call_amendments SELECT id, note_id, user, ts, 'x'"
                                     " FROM call_amendments", NULL, NULL, NULL), SQLITE_OK);
    rk_session_logout(s);
}
END_TEST

START_TEST(visibility_by_role)
{
    int64_t id = add_client("Anna", "Mäkinen");
    rk_err err;
    rk_session *s = fix_login("dpo");
    rk_call_input in = input_for(id);
    int64_t note;
    ck_assert_int_eq(rk_calls_add(s, &in, NULL, 0, NULL, &note, NULL, &err), RK_OK);
    rk_session_logout(s);

    static const char *none[] = { "billing", "marketing", "admin" };
    for (size_t i = 0; i < RK_ARRAY_LEN(none); i++) {
        rk_session *o = fix_login(none[i]);
        rk_call_note *notes = NULL;
        size_t n = 0;
        ck_assert_int_eq(rk_calls_list(o, id, &notes, &n, &err), RK_EDENIED);
        ck_assert_ptr_null(notes);
        ck_assert_int_eq(rk_calls_get(o, note, &notes, &err), RK_EDENIED);
        ck_assert_int_eq(rk_calls_add(o, &in, NULL, 0, NULL, NULL, NULL, &err), RK_EDENIED);
        rk_call_expired *e;
        ck_assert_int_eq(rk_calls_expired(o, NULL, &e, &n, &err), RK_EDENIED);
        rk_session_logout(o);
    }
    rk_session *r = fix_login("reception");
    rk_call_note *notes;
    size_t n;
    ck_assert_int_eq(rk_calls_list(r, id, &notes, &n, &err), RK_OK);
    ck_assert_uint_eq(n, 1);
    rk_calls_free(notes, n);
    rk_session_logout(r);
    /* The policy table's area "call_notes" overrides the default, set as
     * `rekisteri policy set` sets it. */
    ck_assert_int_eq(rk_policy_area_default(RK_ROLE_RECEPTION, RK_AREA_CALL_NOTES), RK_LEVEL_WRITE);
    ck_assert_int_eq(rk_policy_area_default(RK_ROLE_BILLING, RK_AREA_CALL_NOTES), RK_LEVEL_HIDDEN);
    rk_session *a = fix_login("admin");
    ck_assert_int_eq(rk_clients_policy_set(a, "billing", "call_notes", "masked", &err), RK_EUSAGE);
    ck_assert_int_eq(rk_clients_policy_set(a, "billing", "call_notes", "read", &err), RK_OK);
    ck_assert_int_eq(rk_clients_policy_set(a, "dpo", "call_notes", "read", &err), RK_OK);
    rk_session_logout(a);
    rk_session *b = fix_login("billing");
    rk_level l;
    ck_assert_int_eq(rk_calls_level(b, &l, &err), RK_OK);
    ck_assert_int_eq(l, RK_LEVEL_READ);
    ck_assert_int_eq(rk_calls_list(b, id, &notes, &n, &err), RK_OK);
    ck_assert_uint_eq(n, 1);
    rk_calls_free(notes, n);
    ck_assert_int_eq(rk_calls_add(b, &in, NULL, 0, NULL, NULL, NULL, &err), RK_EDENIED);
    rk_session_logout(b);
    /* Lowered for the dpo: reads still, writes and amendments refused. */
    rk_session *d = fix_login("dpo");
    ck_assert_int_eq(rk_calls_list(d, id, &notes, &n, &err), RK_OK);
    rk_calls_free(notes, n);
    ck_assert_int_eq(rk_calls_add(d, &in, NULL, 0, NULL, NULL, NULL, &err), RK_EDENIED);
    ck_assert_int_eq(rk_calls_amend(d, note, "Korjaus", NULL, &err), RK_EDENIED);
    rk_session_logout(d);
}
END_TEST

START_TEST(consent_changes_link_to_the_call)
{
    int64_t id = add_client("Anna", "Mäkinen"), other = add_client("Pekka", "Virtanen");
    rk_session *s = fix_login("reception");
    rk_err err;
    rk_call_input in = input_for(id);
    rk_consent_change ch[] = {
        { RK_SLOT_CELL(RK_PURPOSE_TELEMARKETING, RK_CHANNEL_PHONE), RK_CSTATE_DENIED },
        { RK_SLOT_ITEM(RK_PITEM_CALL_RECORDING), RK_CSTATE_ALLOWED },
    };
    int64_t note;
    ck_assert_int_eq(rk_calls_add(s, &in, ch, 2, "Kielsi puhelinmyynnin", &note, NULL, &err), RK_OK);
    rk_consent_grid g;
    ck_assert_int_eq(rk_consent_grid_get(s, id, &g, &err), RK_OK);
    for (size_t i = 0; i < 2; i++) {
        ck_assert_int_eq(g.slot[ch[i].slot].state, ch[i].state);
        ck_assert_int_eq(g.slot[ch[i].slot].source, RK_CSOURCE_PHONE);
        ck_assert_int_eq(g.slot[ch[i].slot].call_id, note);
    }
    rk_contact_reason r;
    ck_assert_int_eq(rk_contact_check(s, id, RK_PURPOSE_TELEMARKETING, RK_CHANNEL_PHONE, &r, &err), RK_OK);
    ck_assert_int_eq(r, RK_CONTACT_DENIED);
    /* Later changes may cite the call, but only for its own client. */
    rk_consent_batch b = { .source = RK_CSOURCE_PHONE, .call_id = note };
    ck_assert_int_eq(rk_consent_apply(s, id, ch, 1, &b, NULL, &err), RK_OK);
    ck_assert_int_eq(rk_consent_apply(s, other, ch, 1, &b, NULL, &err), RK_EUSAGE);
    b.call_id = 9999;
    ck_assert_int_eq(rk_consent_apply(s, id, ch, 1, &b, NULL, &err), RK_ENOTFOUND);

    /* Note and consents are one transaction: a bad change saves neither. */
    int64_t notes_before = fix_sql_int(s, "SELECT COUNT(*) FROM call_notes");
    rk_consent_change dup[] = { ch[0], ch[0] };
    ck_assert_int_eq(rk_calls_add(s, &in, dup, 2, NULL, &note, NULL, &err), RK_EUSAGE);
    ck_assert_int_eq(fix_sql_int(s, "SELECT COUNT(*) FROM call_notes"), notes_before);
    rk_session_logout(s);
    /* A role that may write notes but not grant consents is refused whole. */
    rk_session *a = fix_login("admin");
    ck_assert_int_eq(rk_db_begin(a->db, &err), RK_OK);
    ck_assert_int_eq(rk_dbc_policy_set(a->db, "marketing", "call_notes", "write", &err), RK_OK);
    ck_assert_int_eq(rk_db_commit(a->db, &err), RK_OK);
    rk_session_logout(a);
    rk_session *m = fix_login("marketing");
    rk_consent_change allow = { RK_SLOT_CELL(RK_PURPOSE_DIRECT_MARKETING, RK_CHANNEL_EMAIL), RK_CSTATE_ALLOWED };
    ck_assert_int_eq(rk_calls_add(m, &in, &allow, 1, NULL, &note, NULL, &err), RK_EDENIED);
    ck_assert_int_eq(fix_sql_int(m, "SELECT COUNT(*) FROM call_notes"), notes_before);
    rk_session_logout(m);
}
END_TEST

START_TEST(expired_notes_listed_without_text)
{
    int64_t id = add_client("Anna", "Mäkinen");
    rk_session *s = fix_login("reception");
    rk_err err;
    rk_call_input in = input_for(id);
    in.started = "2024-01-01T10:00:00Z";
    in.keep_until = "2024-06-01";
    int64_t old_note, new_note;
    ck_assert_int_eq(rk_calls_add(s, &in, NULL, 0, NULL, &old_note, NULL, &err), RK_OK);
    in = input_for(id);
    ck_assert_int_eq(rk_calls_add(s, &in, NULL, 0, NULL, &new_note, NULL, &err), RK_OK);
    int64_t customer_no;
    rk_client *c;
    ck_assert_int_eq(rk_clients_get(s, id, &c, &err), RK_OK);
    customer_no = strtoll(c->value[RK_F_CUSTOMER_NO], NULL, 10);
    rk_client_free(c);

    rk_call_expired *e;
    size_t n;
    ck_assert_int_eq(rk_calls_expired(s, "2024-06-01", &e, &n, &err), RK_OK);
    ck_assert_uint_eq(n, 0);                   /* kept through its last day */
    free(e);
    ck_assert_int_eq(rk_calls_expired(s, "2.6.2024", &e, &n, &err), RK_OK);
    ck_assert_uint_eq(n, 1);
    ck_assert_int_eq(e[0].id, old_note);
    ck_assert_int_eq(e[0].client_id, id);
    ck_assert_int_eq(e[0].customer_no, customer_no);
    ck_assert_str_eq(e[0].started, "2024-01-01T10:00:00Z");
    ck_assert_str_eq(e[0].keep_until, "2024-06-01");
    free(e);
    ck_assert_int_eq(rk_calls_expired(s, NULL, &e, &n, &err), RK_OK);   /* today */
    ck_assert_uint_eq(n, 1);
    free(e);
    ck_assert_int_eq(rk_calls_expired(s, "2028-01-01", &e, &n, &err), RK_OK);
    ck_assert_uint_eq(n, 2);
    free(e);
    ck_assert_int_eq(rk_calls_expired(s, "soon", &e, &n, &err), RK_EUSAGE);
    ck_assert_int_eq(fix_sql_int(s, "SELECT COUNT(*) FROM audit WHERE action = 'call_notes_expired'"), 4);
    /* The retention work may delete a note; its amendments go with it. */
    ck_assert_int_eq(rk_calls_amend(s, old_note, "Lisäys", NULL, &err), RK_OK);
    sqlite3 *h = rk_db_handle(s->db);
    char sql[96];
    snprintf(sql, sizeof sql, "DELETE FROM call_notes WHERE id = %lld", (long long)old_note);
    ck_assert_int_eq(sqlite3_exec(h, sql, NULL, NULL, NULL), SQLITE_OK);
    ck_assert_int_eq(fix_sql_int(s, "SELECT COUNT(*) FROM call_amendments"), 0);
    rk_session_logout(s);
}
END_TEST

Suite *test_suite(void)
{
    Suite *s = suite_create("calls");
    TCase *tc = tcase_create("calls");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, add_and_list_a_note);
    tcase_add_test(tc, keep_until_setting_and_dates);
    tcase_add_test(tc, checks_name_the_field);
    tcase_add_test(tc, amendments_by_the_author_only);
    tcase_add_test(tc, visibility_by_role);
    tcase_add_test(tc, consent_changes_link_to_the_call);
    tcase_add_test(tc, expired_notes_listed_without_text);
    suite_add_tcase(s, tc);
    return s;
}
