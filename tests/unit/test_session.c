/* src/session.c: a keyring restored from an older copy cannot bring back a
 * replaced password (the database keeps the identities of replaced slots). */
#include <check.h>

#include "fixture.h"

#define NEW_PW "a-brand-new-password-9"


static int try_login(const char *user, const char *pw, rk_err *err)
{
    rk_session *s = NULL;
    int rc = rk_session_login(&fix_paths, user, pw, &s, NULL, err);
    if (rc == RK_OK)
        rk_session_logout(s);
    return rc;
}

static void check_old_keyring_refused(const char *user, bool by_admin)
{
    size_t old_len, new_len;
    unsigned char *old_kr = fix_slurp(fix_paths.keyring, &old_len);
    rk_session *s = fix_login(by_admin ? "admin" : user);
    rk_err err;
    ck_assert_msg(rk_user_passwd(s, user, NEW_PW, &err) == RK_OK, "%s", err.msg);
    rk_session_logout(s);
    ck_assert_int_eq(try_login(user, NEW_PW, &err), RK_OK);
    unsigned char *new_kr = fix_slurp(fix_paths.keyring, &new_len);

    /* The older copy of the keyring: the old password opens its slot, and the
     * login is refused with a message that says what happened. */
    fix_spit(fix_paths.keyring, old_kr, old_len);
    ck_assert_int_eq(try_login(user, FIX_PW, &err), RK_EAUTH);
    ck_assert_msg(strstr(err.msg, "older than the registry") != NULL, "%s", err.msg);
    ck_assert_int_eq(try_login(user, NEW_PW, &err), RK_EAUTH);
    /* Users whose slots were not replaced still log in with that copy. */
    ck_assert_int_eq(try_login("billing", FIX_PW, &err), RK_OK);

    fix_spit(fix_paths.keyring, new_kr, new_len);
    ck_assert_int_eq(try_login(user, NEW_PW, &err), RK_OK);
    free(old_kr);
    free(new_kr);
}

START_TEST(test_old_keyring_after_own_password_change)
{
    check_old_keyring_refused("reception", false);
}
END_TEST

START_TEST(test_old_keyring_after_admin_reset)
{
    check_old_keyring_refused("marketing", true);
}
END_TEST

static int count_refusals(void *ctx, const rk_audit_row *row)
{
    if (strcmp(row->action, "login_failed") == 0 && strcmp(row->user, "dpo") == 0 &&
        strcmp(row->details, "replaced keyring slot") == 0)
        ++*(int *)ctx;
    return 0;
}

START_TEST(test_refusal_is_audited)
{
    check_old_keyring_refused("dpo", false);
    rk_session *s = fix_login("admin");
    rk_err err;
    int64_t rows = 0, bad = 0;
    ck_assert_msg(rk_audit_verify(s->db, s->audit_key, &rows, &bad, &err) == RK_OK, "%s", err.msg);
    int refusals = 0;
    ck_assert_int_eq(rk_dba_each(s->db, 1, count_refusals, &refusals, &err), RK_OK);
    ck_assert_int_eq(refusals, 1);   /* the old password; the new one does not open the old slot */
    rk_session_logout(s);
}
END_TEST

static void setup(void) { fix_create(); }
static void teardown(void) { fix_remove(); }

Suite *test_suite(void)
{
    Suite *su = suite_create("session");
    TCase *tc = tcase_create("restored keyring");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_old_keyring_after_own_password_change);
    tcase_add_test(tc, test_old_keyring_after_admin_reset);
    tcase_add_test(tc, test_refusal_is_audited);
    suite_add_tcase(su, tc);
    return su;
}
