/* Password rules: length in code points, byte cap, username, common
 * passwords, one repeated character, invalid UTF-8. */
#include <check.h>
#include <string.h>

#include "password.h"

static void accepted(const char *user, const char *pw)
{
    rk_err err = { .code = 99, .msg = "stale" };
    int rc = rk_password_acceptable(user, pw, &err);
    ck_assert_msg(rc == RK_OK, "\"%s\" refused: %s", pw, err.msg);
    ck_assert_int_eq(err.code, RK_OK);
    ck_assert_str_eq(err.msg, "");
}

/* Refused, with a message containing `why`. */
static void refused(const char *user, const char *pw, const char *why)
{
    rk_err err;
    rk_err_clear(&err);
    int rc = rk_password_acceptable(user, pw, &err);
    ck_assert_msg(rc == RK_EFAIL, "\"%s\" accepted", pw);
    ck_assert_int_eq(err.code, RK_EFAIL);
    ck_assert_msg(strstr(err.msg, why) != NULL, "\"%s\": message \"%s\" lacks \"%s\"",
                  pw, err.msg, why);
}

START_TEST(length_in_code_points)
{
    refused("alice", "", "(it has 0)");
    refused("alice", "kor-lumi7ab", "at least 12 characters long (it has 11)");
    accepted("alice", "kor-lumi7abc");
    accepted("alice", "korppi lumi 7");   /* spaces are allowed */
    /* 12 code points in 23 bytes: counted as 12, accepted. */
    accepted("alice", "\xc3\xa4\xc3\xa4\xc3\xa4\xc3\xa4\xc3\xa4\xc3\xa4\xc3\xa4"
                      "\xc3\xa4\xc3\xa4\xc3\xa4\xc3\xa4" "b");
    /* 11 code points in 21 bytes: bytes would pass, code points do not. */
    refused("alice", "\xc3\xa4\xc3\xa4\xc3\xa4\xc3\xa4\xc3\xa4\xc3\xa4\xc3\xa4"
                     "\xc3\xa4\xc3\xa4\xc3\xa4" "b", "(it has 11)");
    /* Four-byte code points count once each. */
    refused("alice", "\xf0\x9f\x90\xbb\xf0\x9f\x90\xbc\xf0\x9f\x90\xbd"
                     "\xf0\x9f\x90\xbe\xf0\x9f\x90\xbf" "abcdef", "(it has 11)");
    accepted("alice", "\xf0\x9f\x90\xbb\xf0\x9f\x90\xbc\xf0\x9f\x90\xbd"
                      "\xf0\x9f\x90\xbe\xf0\x9f\x90\xbf" "abcdefg");
    refused("alice", NULL, "(it has 0)");
}
END_TEST

START_TEST(byte_cap)
{
    char pw[300];
    for (size_t i = 0; i < sizeof pw; i++)
        pw[i] = (char)('a' + i % 26);
    pw[RK_PASSWORD_MAX_BYTES] = '\0';
    accepted("alice", pw);
    pw[RK_PASSWORD_MAX_BYTES] = 'x';
    pw[RK_PASSWORD_MAX_BYTES + 1] = '\0';
    refused("alice", pw, "at most 256 bytes long (it has 257");
    /* 129 two-byte letters = 258 bytes, although only 129 characters. */
    char wide[300] = "";
    for (int i = 0; i < 129; i++)
        strcat(wide, i % 2 ? "\xc3\xa4" : "\xc3\xb6");
    refused("alice", wide, "(it has 258");
}
END_TEST

START_TEST(username_refused)
{
    refused("matti.virtanen", "matti.virtanen", "username");
    refused("matti.virtanen", "Matti.Virtanen", "username");
    refused("matti.virtanen", "MATTI.VIRTANEN2024", "username");
    refused("matti.virtanen", "2024matti.virtanen", "username");
    refused("matti.virtanen", "12matti.virtanen34", "username");
    refused("matti", "matti1234567", "username");
    refused("matti", "1234567matti", "username");
    /* Anything other than digits around it makes it a different password. */
    accepted("matti.virtanen", "matti.virtanen-x");
    accepted("matti", "matti1234567x");
    accepted("matti", "x1234567matti");
    /* Without a username only the other rules apply. */
    accepted(NULL, "matti.virtanen");
    accepted("", "matti.virtanen");
}
END_TEST

START_TEST(common_passwords_refused)
{
    refused("alice", "password1234", "commonly used");
    refused("alice", "PassWord1234", "commonly used");
    refused("alice", "123456789012", "commonly used");
    refused("alice", "qwertyuiop12", "commonly used");
    refused("alice", "salasana1234", "commonly used");
    refused("alice", "Asiakasrekisteri", "commonly used");
    /* Case folding covers Finnish letters too. */
    refused("alice", "qwertyuiop\xc3\xa5\xc3\xa4", "commonly used");
    refused("alice", "QWERTYUIOP\xc3\x85\xc3\x84", "commonly used");
    /* Common words with digits only. */
    refused("alice", "Salasana2025", "common word");
    refused("alice", "2025salasana", "common word");
    refused("alice", "password12345678", "common word");
    refused("alice", "rekisteri2026", "common word");
    refused("alice", "kes\xc3\xa4" "20242025", "common word");
    refused("alice", "KES\xc3\x84" "20242025", "common word");
    /* Not a listed password or word plus digits: fine. */
    accepted("alice", "salasana-kissalle");
    accepted("alice", "password1234x");
}
END_TEST

START_TEST(repeated_character_refused)
{
    refused("alice", "aaaaaaaaaaaa", "repeated");
    refused("alice", "\xc3\xa4\xc3\xa4\xc3\xa4\xc3\xa4\xc3\xa4\xc3\xa4\xc3\xa4\xc3\xa4"
                     "\xc3\xa4\xc3\xa4\xc3\xa4\xc3\xa4\xc3\xa4", "repeated");
    refused("alice", "                ", "repeated");
    accepted("alice", "aaaaaaaaaaab");
    accepted("alice", "baaaaaaaaaaa");
}
END_TEST

START_TEST(invalid_utf8_refused)
{
    static const char *bad[] = {
        "abcdefghijkl\xff",
        "abcdefghijkl\xc3",               /* truncated */
        "abcdefghijkl\xc0\xaf",           /* overlong '/' */
        "abcdefghijkl\xe0\x80\xaf",       /* overlong */
        "abcdefghijkl\xf0\x80\x80\xaf",   /* overlong */
        "abcdefghijkl\xed\xa0\x80",       /* surrogate U+D800 */
        "abcdefghijkl\xf4\x90\x80\x80",   /* above U+10FFFF */
        "abcdefghijkl\x80",               /* stray continuation */
        "\xe4\xe4\xe4\xe4\xe4\xe4\xe4\xe4\xe4\xe4\xe4\xe4\xe4",   /* Latin-1 ä */
    };
    for (size_t i = 0; i < RK_ARRAY_LEN(bad); i++)
        refused("alice", bad[i], "UTF-8");
    accepted("alice", "abcdefghijkl\xf4\x8f\xbf\xbf");   /* U+10FFFF is valid */
    accepted("alice", "abcdefghijkl\xef\xbf\xbd");       /* U+FFFD itself */
}
END_TEST

Suite *test_suite(void)
{
    Suite *s = suite_create("password");
    TCase *tc = tcase_create("password");
    tcase_add_test(tc, length_in_code_points);
    tcase_add_test(tc, byte_cap);
    tcase_add_test(tc, username_refused);
    tcase_add_test(tc, common_passwords_refused);
    tcase_add_test(tc, repeated_character_refused);
    tcase_add_test(tc, invalid_utf8_refused);
    suite_add_tcase(s, tc);
    return s;
}
