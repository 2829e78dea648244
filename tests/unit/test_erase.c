/* Erasure, legal holds, restriction and the retention review: after an
 * erasure the decrypted database (every table, exported to plaintext with
 * sqlcipher_export) holds none of the erased values; a legal hold keeps the
 * names and billing data until its end date and the retention work then
 * erases them; a restricted record leaves exports and is the dpo's to
 * change. */
#include "rights_fixture.h"

#include <sys/stat.h>

#include "disclosure.h"
#include "requests.h"
#include "rights.h"

/* Values that only the search index or a normalised column holds. */
static const char *const index_values[] = { "erasedtestila", "131052308t", "0401234567" };

/* The whole database decrypted into one plaintext file, read into memory. */
static char *plain_dump(rk_session *s, size_t *len)
{
    char path[400], sql[600];
    snprintf(path, sizeof path, "%s/plain.db", fix_dir);
    /* The connection may not create files: an empty file is an empty database. */
    FILE *mk = fopen(path, "wb");
    ck_assert_ptr_nonnull(mk);
    fclose(mk);
    snprintf(sql, sizeof sql, "ATTACH DATABASE '%s' AS plain KEY '';"
                              "SELECT sqlcipher_export('plain'); DETACH DATABASE plain;", path);
    char *msg = NULL;
    ck_assert_msg(sqlite3_exec(rk_db_handle(s->db), sql, NULL, NULL, &msg) == SQLITE_OK, "%s",
                  msg ? msg : "?");
    FILE *f = fopen(path, "rb");
    ck_assert_ptr_nonnull(f);
    struct stat st;
    ck_assert_int_eq(fstat(fileno(f), &st), 0);
    char *buf = malloc((size_t)st.st_size + 1);
    ck_assert_ptr_nonnull(buf);
    *len = fread(buf, 1, (size_t)st.st_size, f);
    fclose(f);
    remove(path);
    /* The export is a real database: the same tables as the original. */
    ck_assert_uint_gt(*len, 4096);
    ck_assert(memcmp(buf, "SQLite format 3", 15) == 0);
    return buf;
}

static bool found(const char *buf, size_t len, const char *value)
{
    return memmem(buf, len, value, strlen(value)) != NULL;
}

static bool held_value(const char *v)
{
    static const char *const held[] = { "Aino Marjatta", "Erasedtestilä", "Laskutuskatu 5", "003712345678" };
    for (size_t i = 0; i < RK_ARRAY_LEN(held); i++)
        if (strcmp(v, held[i]) == 0)
            return true;
    return false;
}

/* Every value is in the dump before, and none (but the held ones) after. */
static void assert_trace(rk_session *s, bool expect_present, bool hold)
{
    size_t len;
    char *buf = plain_dump(s, &len);
    for (size_t i = 0; i < RK_ARRAY_LEN(full_values); i++) {
        const char *v = full_values[i];
        bool want = expect_present || (hold && held_value(v));
        if (!expect_present && !hold && (strcmp(v, "Laskutuskatu 5") == 0 || strcmp(v, "003712345678") == 0))
            want = false;
        if (expect_present && !hold && (strcmp(v, "Laskutuskatu 5") == 0 || strcmp(v, "003712345678") == 0))
            continue;   /* the client without billing data never had them */
        ck_assert_msg(found(buf, len, v) == want, "\"%s\" %s in the decrypted database", v,
                      want ? "missing" : "still");
    }
    for (size_t i = 0; i < RK_ARRAY_LEN(index_values); i++)
        ck_assert_msg(found(buf, len, index_values[i]) == expect_present,
                      "index value \"%s\" %s", index_values[i], expect_present ? "missing" : "still there");
    free(buf);
}

START_TEST(erasure_leaves_no_trace)
{
    rk_session *dpo = fix_login("dpo");
    int64_t id = rights_client(dpo, false);
    /* A household member links to the person; the link goes both ways out. */
    rk_client *c;
    rk_err err;
    int64_t existing;
    ck_assert_int_eq(rk_clients_blank(dpo, &c, &err), RK_OK);
    ck_assert_int_eq(rk_client_set(c, RK_F_FIRST_NAMES, "Toivo", &err), RK_OK);
    ck_assert_int_eq(rk_client_set(c, RK_F_LAST_NAME, "Talonmies", &err), RK_OK);
    ck_assert_int_eq(rk_client_add_household(c, id, "spouse", &err), RK_OK);
    ck_assert_msg(rk_clients_create(dpo, c, &existing, &err) == RK_OK, "%s", err.msg);
    int64_t other = c->id;
    rk_client_free(c);
    ck_assert_int_eq(rights_count(dpo, "SELECT count(*) FROM client_household WHERE other_id = ?", id), 1);
    assert_trace(dpo, true, false);
    int64_t consents = rights_count(dpo, "SELECT count(*) FROM consent_events WHERE client_id = ?", id);
    rk_session *rec = fix_login("reception");
    int64_t audit_before = rights_count(dpo, "SELECT count(*) FROM audit", 0);

    rk_erase_result res;
    ck_assert_int_eq(rk_client_erase(rec, id, "100001", 0, NULL, &res, &err), RK_EDENIED);
    ck_assert_int_eq(rk_client_erase(dpo, id, "100002", 0, NULL, &res, &err), RK_EUSAGE);
    ck_assert_int_eq(rk_client_erase(dpo, id, NULL, 0, NULL, &res, &err), RK_EUSAGE);
    ck_assert_int_eq(rights_count(dpo, "SELECT count(*) FROM erasures", 0), 0);
    ck_assert_msg(rk_client_erase(dpo, id, "100001", 0, NULL, &res, &err) == RK_OK, "%s", err.msg);
    ck_assert(!res.held);
    assert_trace(dpo, false, false);
    ck_assert_int_eq(rights_count(dpo, "SELECT count(*) FROM client_household WHERE other_id = ?1 OR client_id = ?1", id), 0);
    ck_assert_int_eq(rights_count(dpo, "SELECT count(*) FROM clients WHERE id = ? AND last_name = 'Talonmies'", other), 1);

    /* The ledger keeps who recorded what (without the note); the audit chain
     * only grew and still verifies. */
    ck_assert_int_eq(rights_count(dpo, "SELECT count(*) FROM consent_events WHERE client_id = ?", id), consents);
    ck_assert_int_eq(rights_count(dpo, "SELECT count(*) FROM consent_events WHERE note <> ''", 0), 0);
    ck_assert_int_eq(rights_count(dpo, "SELECT count(*) FROM audit", 0), audit_before + 1);
    ck_assert_int_eq(rights_count(dpo, "SELECT count(*) FROM audit WHERE action = 'client_erased' AND client_id = ?", id), 1);
    int64_t rows, bad;
    ck_assert_msg(rk_audit_verify(dpo->db, dpo->audit_key, &rows, &bad, &err) == RK_OK, "%s", err.msg);
    ck_assert_int_eq(rights_count(dpo, "PRAGMA secure_delete", 0), 1);

    /* The tombstone: found by nothing, contacted by nobody, never saved again. */
    rk_search_hit hits[4];
    size_t n;
    ck_assert_int_eq(rk_clients_search(dpo, "Erasedtestilä", hits, 4, &n, false, &err), RK_OK);
    ck_assert_uint_eq(n, 0);
    rk_contact_reason why;
    ck_assert_int_eq(rk_contact_check(dpo, id, RK_PURPOSE_DIRECT_MARKETING, RK_CHANNEL_EMAIL, &why, &err), RK_OK);
    ck_assert_int_eq(why, RK_CONTACT_ERASED);
    rk_client *orig, *ed;
    ck_assert_int_eq(rk_clients_get(dpo, id, &orig, &err), RK_OK);
    ck_assert_str_eq(orig->value[RK_F_LAST_NAME], "");
    ed = rk_client_clone(orig);
    ck_assert_int_eq(rk_client_set(ed, RK_F_LAST_NAME, "Uusi", &err), RK_OK);
    ck_assert_int_eq(rk_clients_save(dpo, orig, ed, NULL, &err), RK_EDENIED);
    rk_client_free(orig);
    rk_client_free(ed);
    ck_assert_int_eq(rk_client_erase(dpo, id, "100001", 0, NULL, &res, &err), RK_ECONFLICT);
    /* Nothing new attaches to the tombstone: no consent change, no call note. */
    rk_consent_change ch = { rk_slot_parse("newsletter:email"), RK_CSTATE_DENIED };
    rk_consent_batch cb = { .source = RK_CSOURCE_LETTER };
    ck_assert_int_eq(rk_consent_apply(rec, id, &ch, 1, &cb, NULL, &err), RK_EDENIED);
    ck_assert_ptr_nonnull(strstr(err.msg, "erased"));
    rk_call_input in = { .client_id = id, .started = "2026-03-03T10:00:00Z",
                         .direction = RK_CALL_IN, .duration = 30, .number = "0401234567",
                         .purpose = RK_CALL_PURPOSE_VERIFY, .summary = "Uusi soitto",
                         .keep_until = "2027-03-03" };
    ck_assert_int_eq(rk_calls_add(rec, &in, NULL, 0, NULL, NULL, NULL, &err), RK_EDENIED);
    /* The ledger's note can be blanked only for an erased client. */
    ck_assert_int_ne(sqlite3_exec(rk_db_handle(dpo->db), "UPDATE consent_events SET state = 'denied'", NULL, NULL, NULL), SQLITE_OK);
    rk_session_logout(rec);
    rk_session_logout(dpo);
}
END_TEST

START_TEST(legal_hold_kept_then_deleted)
{
    rk_session *dpo = fix_login("dpo");
    int64_t id = rights_client(dpo, true);
    rk_request_input in = { .client_id = id, .kind = RK_REQ_ERASURE, .channel = RK_REQCH_LETTER,
                            .verified_how = "signed letter, signature compared" };
    int64_t req;
    rk_err err;
    ck_assert_int_eq(rk_request_add(dpo, &in, "2026-06-01", &req, &err), RK_OK);
    rk_erase_result res;
    ck_assert_msg(rk_client_erase(dpo, id, "100001", req, "2026-06-01", &res, &err) == RK_OK, "%s", err.msg);
    ck_assert(res.held);
    ck_assert_str_eq(res.hold_until, "2032-12-31");   /* 31.12.2026 + 72 months */
    assert_trace(dpo, false, true);
    ck_assert_int_eq(rights_count(dpo, "SELECT count(*) FROM audit WHERE action = 'client_erased' AND details LIKE 'reason=request %'", 0), 1);

    /* Not due on the hold's last day; due the day after. */
    rk_retention_item *items;
    size_t n;
    ck_assert_int_eq(rk_retention_review(dpo, "2032-12-31", &items, &n, &err), RK_OK);
    for (size_t i = 0; i < n; i++)
        ck_assert_int_ne(items[i].kind, RK_RET_HOLD_ENDED);
    free(items);
    ck_assert_int_eq(rk_retention_review(dpo, "2033-01-01", &items, &n, &err), RK_OK);
    bool listed = false;
    for (size_t i = 0; i < n; i++)
        listed |= items[i].kind == RK_RET_HOLD_ENDED && items[i].client_id == id;
    ck_assert(listed);
    free(items);
    size_t counts[RK_RET_COUNT];
    ck_assert_msg(rk_retention_apply(dpo, "2033-01-01", counts, &err) == RK_OK, "%s", err.msg);
    ck_assert_uint_eq(counts[RK_RET_HOLD_ENDED], 1);
    assert_trace(dpo, false, false);
    ck_assert_int_eq(rk_retention_review(dpo, "2033-01-02", &items, &n, &err), RK_OK);
    for (size_t i = 0; i < n; i++)
        ck_assert_int_ne(items[i].kind, RK_RET_HOLD_ENDED);
    free(items);
    rk_session_logout(dpo);
}
END_TEST

START_TEST(restriction_marks_excludes_and_locks)
{
    rk_session *dpo = fix_login("dpo"), *rec = fix_login("reception");
    int64_t id = rights_client(dpo, false);
    rk_err err;
    rk_export_request xr = { .purpose = RK_PURPOSE_DIRECT_MARKETING, .channel = RK_CHANNEL_EMAIL,
                             .format = RK_EXPORT_CSV };
    rk_export_result xres;
    char *buf = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&buf, &len);
    ck_assert_int_eq(rk_export_marketing(dpo, &xr, out, &xres, &err), RK_OK);
    fclose(out);
    ck_assert_uint_eq(xres.count, 1);
    ck_assert(strstr(buf, "aino.erased@example.com"));
    free(buf);

    ck_assert_int_eq(rk_client_restrict(rec, id, true, &err), RK_EDENIED);
    ck_assert_int_eq(rk_client_restrict(dpo, id, true, &err), RK_OK);
    ck_assert_int_eq(rk_client_restrict(dpo, id, true, &err), RK_EUSAGE);
    rk_client *orig;
    ck_assert_int_eq(rk_clients_get(rec, id, &orig, &err), RK_OK);
    ck_assert(orig->restricted);     /* the card shows it (banner) */

    /* Out of the next export and the contact rule. */
    out = open_memstream(&buf, &len);
    ck_assert_int_eq(rk_export_marketing(dpo, &xr, out, &xres, &err), RK_OK);
    fclose(out);
    ck_assert_uint_eq(xres.count, 0);
    ck_assert(!strstr(buf, "aino.erased@example.com"));
    free(buf);
    rk_contact_reason why;
    ck_assert_int_eq(rk_contact_check(dpo, id, RK_PURPOSE_DIRECT_MARKETING, RK_CHANNEL_EMAIL, &why, &err), RK_OK);
    ck_assert_int_eq(why, RK_CONTACT_RESTRICTED);

    /* Reception may not change the card; dpo may. */
    rk_client *ed = rk_client_clone(orig);
    ck_assert_int_eq(rk_client_set(ed, RK_F_STREET, "Toinen tie 1", &err), RK_OK);
    ck_assert_int_eq(rk_clients_save(rec, orig, ed, NULL, &err), RK_EDENIED);
    ck_assert(strstr(err.msg, "restricted"));
    rk_client_free(orig);
    rk_client_free(ed);
    ck_assert_int_eq(rk_clients_get(dpo, id, &orig, &err), RK_OK);
    ed = rk_client_clone(orig);
    ck_assert_int_eq(rk_client_set(ed, RK_F_STREET, "Toinen tie 1", &err), RK_OK);
    ck_assert_msg(rk_clients_save(dpo, orig, ed, NULL, &err) == RK_OK, "%s", err.msg);
    rk_client_free(orig);
    rk_client_free(ed);

    /* Lifted: reception edits again, the export has the person again. */
    ck_assert_int_eq(rk_client_restrict(dpo, id, false, &err), RK_OK);
    ck_assert_int_eq(rk_clients_get(rec, id, &orig, &err), RK_OK);
    ck_assert(!orig->restricted);
    ed = rk_client_clone(orig);
    ck_assert_int_eq(rk_client_set(ed, RK_F_STREET, "Kolmas tie 2", &err), RK_OK);
    ck_assert_msg(rk_clients_save(rec, orig, ed, NULL, &err) == RK_OK, "%s", err.msg);
    rk_client_free(orig);
    rk_client_free(ed);
    ck_assert_int_eq(rights_count(dpo, "SELECT count(*) FROM audit WHERE action IN ('client_restricted', 'client_unrestricted') AND client_id = ?", id), 2);
    rk_session_logout(rec);
    rk_session_logout(dpo);
}
END_TEST

START_TEST(retention_no_contact_respects_requests_and_restriction)
{
    rk_session *dpo = fix_login("dpo");
    int64_t a = rights_client(dpo, false);
    rk_err err;
    rk_client *c;
    ck_assert_int_eq(rk_clients_blank(dpo, &c, &err), RK_OK);
    ck_assert_int_eq(rk_client_set(c, RK_F_FIRST_NAMES, "Bertta", &err), RK_OK);
    ck_assert_int_eq(rk_client_set(c, RK_F_LAST_NAME, "Pidettävä", &err), RK_OK);
    int64_t existing;
    ck_assert_int_eq(rk_clients_create(dpo, c, &existing, &err), RK_OK);
    int64_t b = c->id;
    rk_client_free(c);
    ck_assert_int_eq(rk_client_restrict(dpo, b, true, &err), RK_OK);

    /* Today nobody is idle; in 2040 both are, but b is restricted. */
    rk_retention_item *items;
    size_t n;
    ck_assert_int_eq(rk_retention_review(dpo, NULL, &items, &n, &err), RK_OK);
    ck_assert_uint_eq(n, 0);
    free(items);
    ck_assert_int_eq(rk_retention_review(dpo, "2040-01-01", &items, &n, &err), RK_OK);
    size_t idle = 0, notes = 0;
    for (size_t i = 0; i < n; i++) {
        if (items[i].kind == RK_RET_NO_CONTACT) {
            ck_assert_int_eq(items[i].client_id, a);
            idle++;
        }
        notes += items[i].kind == RK_RET_CALL_NOTE;
    }
    ck_assert_uint_eq(idle, 1);
    ck_assert_uint_eq(notes, 1);      /* a's call note, kept until 2.3.2027 */
    free(items);

    /* An open request holds the erasure back. */
    rk_request_input in = { .client_id = a, .kind = RK_REQ_ACCESS, .channel = RK_REQCH_PHONE,
                            .verified_how = "called back to the number on file" };
    int64_t req;
    ck_assert_int_eq(rk_request_add(dpo, &in, NULL, &req, &err), RK_OK);
    ck_assert_int_eq(rk_retention_review(dpo, "2040-01-01", &items, &n, &err), RK_OK);
    for (size_t i = 0; i < n; i++)
        ck_assert_int_ne(items[i].kind, RK_RET_NO_CONTACT);
    free(items);
    ck_assert_int_eq(rk_request_close(dpo, req, RK_REQST_GRANTED, "report sent", NULL, &err), RK_OK);

    size_t counts[RK_RET_COUNT];
    ck_assert_msg(rk_retention_apply(dpo, "2040-01-01", counts, &err) == RK_OK, "%s", err.msg);
    ck_assert_uint_eq(counts[RK_RET_NO_CONTACT], 1);
    ck_assert_uint_eq(counts[RK_RET_CALL_NOTE], 0);    /* went with the erasure */
    rk_dbr_erasure e;
    ck_assert_int_eq(rk_client_erasure(dpo, a, &e, &err), RK_OK);
    ck_assert_str_eq(e.reason, "retention no_contact");
    ck_assert_int_eq(rk_client_erasure(dpo, b, &e, &err), RK_ENOTFOUND);
    assert_trace(dpo, false, false);
    rk_session_logout(dpo);
}
END_TEST

Suite *test_suite(void)
{
    Suite *s = suite_create("erase");
    TCase *tc = tcase_create("erase");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, erasure_leaves_no_trace);
    tcase_add_test(tc, legal_hold_kept_then_deleted);
    tcase_add_test(tc, restriction_marks_excludes_and_locks);
    tcase_add_test(tc, retention_no_contact_respects_requests_and_restriction);
    suite_add_tcase(s, tc);
    return s;
}
