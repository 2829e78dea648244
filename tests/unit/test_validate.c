/* Validators: henkilötunnus, Y-tunnus, phone, e-mail, postcode, dates.
 * Expected values are literals worked out by hand (shown in comments) or
 * come from reference code in this file that shares nothing with
 * validate.c, so a wrong table or formula there cannot agree with itself. */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "hetu_gen.h"
#include "hetu_set.h"
#include "validate.h"

/* A failure must carry one sentence (ends with '.') naming the problem. */
static void assert_msg(const rk_err *err, const char *input, const char *needle)
{
    size_t n = strlen(err->msg);
    ck_assert_int_eq(err->code, RK_EFAIL);
    ck_assert_msg(n > 0 && err->msg[n - 1] == '.', "'%s': message '%s' is not a sentence",
                  input, err->msg);
    ck_assert_msg(strstr(err->msg, needle) != NULL, "'%s': message '%s' lacks '%s'", input,
                  err->msg, needle);
}

/* ------------------------------------------------------- reference code */

/* Check character the long way: remainder digit by digit (Horner), and the
 * alphabet rebuilt from its definition: 0-9, then A-Y without G, I, O, Q. */
static char ref_hetu_check(const char *nine_digits)
{
    char alphabet[32];
    int k = 0;
    for (char c = '0'; c <= '9'; c++)
        alphabet[k++] = c;
    for (char c = 'A'; c <= 'Y'; c++)
        if (!strchr("GIOQ", c))
            alphabet[k++] = c;
    if (k != 31)
        ck_abort_msg("reference alphabet has %d characters", k);
    int r = 0;
    for (int i = 0; i < 9; i++)
        r = (r * 10 + (nine_digits[i] - '0')) % 31;
    return alphabet[r];
}

/* "DDMMYYCNNN" + reference check character. */
static void ref_hetu(char out[12], const char *ten)
{
    char nine[10];
    memcpy(nine, ten, 6);
    memcpy(nine + 6, ten + 7, 3);
    nine[9] = '\0';
    memcpy(out, ten, 10);
    out[10] = ref_hetu_check(nine);
    out[11] = '\0';
}

static int ref_days(int y, int m)
{
    static const int d[13] = { 0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    bool leap = y % 400 == 0 || (y % 100 != 0 && y % 4 == 0);
    return m == 2 && leap ? 29 : d[m];
}

/* -------------------------------------------------------- henkilötunnus */

static void hetu_ok(const char *in, const char *code, int y, int m, int d, int nnn,
                    bool temporary, rk_gender_hint g)
{
    rk_hetu h;
    rk_err err;
    rk_err_clear(&err);
    ck_assert_msg(rk_hetu_parse(in, &h, &err) == RK_OK, "'%s' rejected: %s", in, err.msg);
    ck_assert_str_eq(h.code, code);
    ck_assert_int_eq(h.birth.year, y);
    ck_assert_int_eq(h.birth.month, m);
    ck_assert_int_eq(h.birth.day, d);
    ck_assert_int_eq(h.individual, nnn);
    ck_assert_int_eq(h.temporary, temporary);
    ck_assert_int_eq(h.gender_hint, g);
}

static void hetu_bad(const char *in, const char *needle)
{
    rk_hetu h;
    rk_err err;
    rk_err_clear(&err);
    memset(&h, 'x', sizeof h);
    ck_assert_msg(rk_hetu_parse(in, &h, &err) == RK_EFAIL, "'%s' accepted", in);
    assert_msg(&err, in, needle);
    ck_assert_int_eq(h.code[0], 'x');   /* output untouched on failure */
    ck_assert_int_eq(rk_hetu_parse(in, NULL, NULL), RK_EFAIL);
}

START_TEST(hetu_vectors)
{
    /* 131052308 = 31 * 4227493 + 25 (31 * 4227493 = 131052283); index 25
     * of 0-9 A B C D E F H J K L M N P R S T ... is T. 308 even: female. */
    hetu_ok("131052-308T", "131052-308T", 1952, 10, 13, 308, false, RK_GENDER_HINT_FEMALE);
    hetu_bad("131052-308U", "The check character of henkilötunnus 131052-308U should be T.");
    /* 290200123 = 31 * 9361294 + 9 (31 * 9361294 = 290200114): '9'. */
    hetu_ok("290200A1239", "290200A1239", 2000, 2, 29, 123, false, RK_GENDER_HINT_MALE);
    hetu_bad("290200-1239", "29.02.1900");
    /* 010101123 = 10101123 = 31 * 325842 + 21 (31 * 325842 = 10101102);
     * index 21: 16 H, 17 J, 18 K, 19 L, 20 M, 21 N. */
    hetu_ok("010101-123N", "010101-123N", 1901, 1, 1, 123, false, RK_GENDER_HINT_MALE);
    hetu_bad("010101-123M", "should be N.");

    /* The reference agrees with the hand values, so it can be trusted below. */
    ck_assert_int_eq(ref_hetu_check("131052308"), 'T');
    ck_assert_int_eq(ref_hetu_check("290200123"), '9');
    ck_assert_int_eq(ref_hetu_check("010101123"), 'N');
    rk_date b = { 1952, 10, 13 };
    ck_assert_int_eq(rk_hetu_check_char(&b, 308), 'T');
}
END_TEST

START_TEST(hetu_every_century_sign)
{
    /* 010150123 = 10150123 = 31 * 327423 + 10 (31 * 327423 = 10150113): 'A'.
     * The sign is not in the sum, so one check character fits all signs. */
    static const struct { char sign; int year; } signs[] = {
        { '+', 1850 }, { '-', 1950 }, { 'Y', 1950 }, { 'X', 1950 }, { 'W', 1950 },
        { 'V', 1950 }, { 'U', 1950 }, { 'A', 2050 }, { 'B', 2050 }, { 'C', 2050 },
        { 'D', 2050 }, { 'E', 2050 }, { 'F', 2050 },
    };
    char first[12] = "";
    for (size_t i = 0; i < sizeof signs / sizeof signs[0]; i++) {
        char code[12];
        snprintf(code, sizeof code, "010150%c123A", signs[i].sign);
        hetu_ok(code, code, signs[i].year, 1, 1, 123, false, RK_GENDER_HINT_MALE);
        /* Distinct normalised codes: the sign is part of the identity. */
        if (i > 0)
            ck_assert_str_ne(code, first);
        else
            memcpy(first, code, sizeof first);
    }
    /* Letters that are not signs, including the gaps T and G-Z. */
    static const char *bad[] = { "010150G123A", "010150T123A", "010150Z123A",
                                 "0101501123A", "010150*123A", "010150/123A" };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        hetu_bad(bad[i], i < 4 ? "century sign" : "character other than");
}
END_TEST

START_TEST(hetu_leap_days)
{
    char code[12];
    /* 1900 is not a leap year; 29.02.1900 does not exist. */
    hetu_bad("290200-1239", "The birth date 29.02.1900 in henkilötunnus 290200-1239 does not exist.");
    hetu_bad("290200Y1239", "29.02.1900");
    /* 1800 is not a leap year either. */
    hetu_bad("290200+1239", "29.02.1800");
    /* 2000 is (divisible by 400): 290200A1239 above. 30.02.2000 is not. */
    hetu_ok("290200B1239", "290200B1239", 2000, 2, 29, 123, false, RK_GENDER_HINT_MALE);
    hetu_bad("300200A1239", "30.02.2000");
    /* 2024: 290224123 = 31 * 9362068 + 15 (= 290224108 + 15): 'F'. */
    hetu_ok("290224A123F", "290224A123F", 2024, 2, 29, 123, false, RK_GENDER_HINT_MALE);
    hetu_bad("290223A123F", "29.02.2023");
    /* 1896 leap in the 1800s: 290296123 = 31 * 9364391 + 2: '2'. */
    hetu_ok("290296+1232", "290296+1232", 1896, 2, 29, 123, false, RK_GENDER_HINT_MALE);
    /* 28.02.1900 is fine: 280200123 = 31 * 9038713 + 20: 'M'. */
    hetu_ok("280200-123M", "280200-123M", 1900, 2, 28, 123, false, RK_GENDER_HINT_MALE);
    /* Other impossible dates. */
    ref_hetu(code, "310452-308");
    hetu_bad(code, "31.04.1952");
    ref_hetu(code, "011352-308");
    hetu_bad(code, "01.13.1952");
    ref_hetu(code, "000152-308");
    hetu_bad(code, "00.01.1952");
}
END_TEST

START_TEST(hetu_individual_numbers)
{
    /* 010101NNN, 10101000 = 31 * 325838 + 22 (31 * 325838 = 10100978):
     * 000 -> 22 'P', 001 -> 23 'R', 002 -> 24 'S'; 31 * 325867 = 10101877:
     * 899 -> 22 'P', 900 -> 23 'R'; 31 * 325870 = 10101970: 999 -> 29 'X'. */
    hetu_bad("010101-000P", "individual number 000");
    hetu_bad("010101-001R", "individual number 001");
    hetu_ok("010101-002S", "010101-002S", 1901, 1, 1, 2, false, RK_GENDER_HINT_FEMALE);
    hetu_ok("010101-899P", "010101-899P", 1901, 1, 1, 899, false, RK_GENDER_HINT_MALE);
    hetu_ok("010101-900R", "010101-900R", 1901, 1, 1, 900, true, RK_GENDER_HINT_FEMALE);
    hetu_ok("010101-999X", "010101-999X", 1901, 1, 1, 999, true, RK_GENDER_HINT_MALE);
    hetu_bad("010101-9O9X", "three digits");   /* letter O, not zero */
}
END_TEST

START_TEST(hetu_length_and_characters)
{
    hetu_bad("", "empty");
    hetu_bad("   ", "empty");
    hetu_bad(NULL, "empty");
    hetu_bad("131052-308", "not 10");
    hetu_bad("131052-308TT", "not 12");
    hetu_bad("131052308T", "not 10");
    hetu_bad("131052 308T", "character other than");
    hetu_bad("131052-308Ä", "character other than");
    hetu_bad("13105X-308T", "six digits");
}
END_TEST

START_TEST(hetu_normalises_case_and_spaces)
{
    hetu_ok("\t 290200a1239\n", "290200A1239", 2000, 2, 29, 123, false, RK_GENDER_HINT_MALE);
    hetu_ok("131052-308t", "131052-308T", 1952, 10, 13, 308, false, RK_GENDER_HINT_FEMALE);
    hetu_ok("010150y123a", "010150Y123A", 1950, 1, 1, 123, false, RK_GENDER_HINT_MALE);
    /* Messages show the normalised code. */
    hetu_bad(" 131052-308u ", "131052-308U should be T.");
}
END_TEST

START_TEST(hetu_mask)
{
    char out[RK_HETU_SIZE];
    rk_hetu_mask("131052-308T", out);
    ck_assert_str_eq(out, "131052-****");
    rk_hetu_mask(" 290200a1239 ", out);
    ck_assert_str_eq(out, "290200A****");
    rk_hetu_mask("1310", out);          /* never longer, never leaks */
    ck_assert_str_eq(out, "1310*******");
    rk_hetu_mask("131052-308TXYZ", out);
    ck_assert_str_eq(out, "131052-****");
    rk_hetu_mask(NULL, out);
    ck_assert_str_eq(out, "***********");
}
END_TEST

START_TEST(hetu_make_round_trip)
{
    /* Every day 1800-01-01..2099-12-31, each with a normal and a temporary
     * number, made with every sign of its century in turn. */
    static const char *signs[3] = { "+", "-YXWVU", "ABCDEF" };
    long days = 0;
    for (int y = 1800; y <= 2099; y++) {
        const char *cs = signs[(y - 1800) / 100];
        for (int m = 1; m <= 12; m++) {
            for (int d = 1; d <= ref_days(y, m); d++, days++) {
                rk_date b = { y, m, d };
                int nums[2] = { 2 + (int)(days % 898), 900 + (int)(days % 100) };
                char sign = cs[days % (long)strlen(cs)];
                for (int k = 0; k < 2; k++) {
                    char code[RK_HETU_SIZE], ten[48], ref[12];
                    rk_err err;
                    rk_hetu h;
                    /* Plain ifs: every passing ck_assert costs a pipe write. */
                    if (rk_hetu_make(&b, nums[k], sign, code, &err) != RK_OK)
                        ck_abort_msg("%d-%d-%d: %s", y, m, d, err.msg);
                    snprintf(ten, sizeof ten, "%02d%02d%02d%c%03d", d, m, y % 100, sign, nums[k]);
                    ref_hetu(ref, ten);
                    if (strcmp(code, ref) != 0)
                        ck_abort_msg("made %s, reference %s", code, ref);
                    if (rk_hetu_parse(code, &h, &err) != RK_OK)
                        ck_abort_msg("%s: %s", code, err.msg);
                    if (h.birth.year != y || h.birth.month != m || h.birth.day != d ||
                        h.individual != nums[k] || h.temporary != (k == 1) ||
                        (int)h.gender_hint != nums[k] % 2 || strcmp(h.code, code) != 0)
                        ck_abort_msg("%s parsed back wrong", code);
                }
            }
        }
    }
    /* 300 * 365 + 73 leap days (75 multiples of 4 from 1800 to 2096, less
     * 1800 and 1900). */
    ck_assert_int_eq(days, 109573);
}
END_TEST

START_TEST(hetu_make_defaults_and_errors)
{
    char code[RK_HETU_SIZE] = "unchanged";
    rk_err err;
    rk_date b1850 = { 1850, 1, 1 }, b1950 = { 1950, 1, 1 }, b2050 = { 2050, 1, 1 };
    ck_assert_int_eq(rk_hetu_make(&b1850, 123, '\0', code, &err), RK_OK);
    ck_assert_str_eq(code, "010150+123A");
    ck_assert_int_eq(rk_hetu_make(&b1950, 123, '\0', code, &err), RK_OK);
    ck_assert_str_eq(code, "010150-123A");
    ck_assert_int_eq(rk_hetu_make(&b2050, 123, '\0', code, &err), RK_OK);
    ck_assert_str_eq(code, "010150A123A");
    ck_assert_int_eq(rk_hetu_make(&b2050, 123, 'c', code, &err), RK_OK);
    ck_assert_str_eq(code, "010150C123A");

    ck_assert_int_eq(rk_hetu_make(&b1950, 123, 'A', code, &err), RK_EFAIL);
    assert_msg(&err, "1950/A", "century sign A does not belong to birth year 1950");
    ck_assert_int_eq(rk_hetu_make(&b1950, 123, 'G', code, &err), RK_EFAIL);
    assert_msg(&err, "G", "not a century sign");
    ck_assert_int_eq(rk_hetu_make(&b1950, 1, '-', code, &err), RK_EFAIL);
    assert_msg(&err, "1", "individual number 1");
    ck_assert_int_eq(rk_hetu_make(&b1950, 1000, '-', code, &err), RK_EFAIL);
    assert_msg(&err, "1000", "individual number 1000");
    rk_date b1799 = { 1799, 12, 31 }, b2100 = { 2100, 1, 1 }, bad = { 1900, 2, 29 };
    ck_assert_int_eq(rk_hetu_make(&b1799, 123, '\0', code, &err), RK_EFAIL);
    assert_msg(&err, "1799", "1800-2099, not 1799");
    ck_assert_int_eq(rk_hetu_make(&b2100, 123, '\0', code, &err), RK_EFAIL);
    ck_assert_int_eq(rk_hetu_make(&bad, 123, '\0', code, &err), RK_EFAIL);
    assert_msg(&err, "1900-02-29", "Day 29 does not exist in February 1900.");
    ck_assert_int_eq(rk_hetu_make(NULL, 123, '\0', code, &err), RK_EFAIL);

    ck_assert_int_eq(rk_hetu_check_char(&b1950, 1), '\0');
    ck_assert_int_eq(rk_hetu_check_char(&b1950, 1000), '\0');
    ck_assert_int_eq(rk_hetu_check_char(&b1799, 123), '\0');
    ck_assert_int_eq(rk_hetu_check_char(&b2100, 123), '\0');
    ck_assert_int_eq(rk_hetu_check_char(&bad, 123), '\0');
    ck_assert_int_eq(rk_hetu_check_char(NULL, 123), '\0');
}
END_TEST

START_TEST(hetu_query_kinds)
{
    char norm[RK_HETU_SIZE];
    ck_assert_int_eq(rk_hetu_query_kind("131052", norm), RK_HETU_QUERY_BIRTH_DATE);
    ck_assert_str_eq(norm, "131052");
    ck_assert_int_eq(rk_hetu_query_kind(" 131052- ", norm), RK_HETU_QUERY_BIRTH_DATE_CENTURY);
    ck_assert_str_eq(norm, "131052-");
    ck_assert_int_eq(rk_hetu_query_kind("290200a", norm), RK_HETU_QUERY_BIRTH_DATE_CENTURY);
    ck_assert_str_eq(norm, "290200A");
    ck_assert_int_eq(rk_hetu_query_kind("131052-308t", norm), RK_HETU_QUERY_FULL);
    ck_assert_str_eq(norm, "131052-308T");
    ck_assert_int_eq(rk_hetu_query_kind("131052-308T", NULL), RK_HETU_QUERY_FULL);

    strcpy(norm, "untouched");
    ck_assert_int_eq(rk_hetu_query_kind("131052-308U", norm), RK_HETU_QUERY_NONE);
    ck_assert_str_eq(norm, "untouched");
    /* 29.02 exists in 2000 only, so DDMMYY matches but '-' (1900) does not. */
    ck_assert_int_eq(rk_hetu_query_kind("290200", NULL), RK_HETU_QUERY_BIRTH_DATE);
    ck_assert_int_eq(rk_hetu_query_kind("290200-", NULL), RK_HETU_QUERY_NONE);
    /* 1801, 1901, 2001: no leap year in any century. */
    ck_assert_int_eq(rk_hetu_query_kind("290201", NULL), RK_HETU_QUERY_NONE);
    ck_assert_int_eq(rk_hetu_query_kind("123456", NULL), RK_HETU_QUERY_NONE);  /* month 34 */
    ck_assert_int_eq(rk_hetu_query_kind("131052G", NULL), RK_HETU_QUERY_NONE);
    ck_assert_int_eq(rk_hetu_query_kind("Virtanen", NULL), RK_HETU_QUERY_NONE);
    ck_assert_int_eq(rk_hetu_query_kind("13105", NULL), RK_HETU_QUERY_NONE);
    ck_assert_int_eq(rk_hetu_query_kind("131052-3", NULL), RK_HETU_QUERY_NONE);
    ck_assert_int_eq(rk_hetu_query_kind("", NULL), RK_HETU_QUERY_NONE);
    ck_assert_int_eq(rk_hetu_query_kind(NULL, NULL), RK_HETU_QUERY_NONE);
}
END_TEST

/* -------------------------------------------------------------- Y-tunnus */

static void ytunnus_ok(const char *in, const char *expect)
{
    char out[RK_YTUNNUS_SIZE];
    rk_err err;
    ck_assert_msg(rk_ytunnus_parse(in, out, &err) == RK_OK, "'%s' rejected: %s", in, err.msg);
    ck_assert_str_eq(out, expect);
}

static void ytunnus_bad(const char *in, const char *needle)
{
    char out[RK_YTUNNUS_SIZE] = "untouched";
    rk_err err;
    ck_assert_msg(rk_ytunnus_parse(in, out, &err) == RK_EFAIL, "'%s' accepted", in);
    assert_msg(&err, in, needle);
    ck_assert_str_eq(out, "untouched");
}

START_TEST(ytunnus_vectors)
{
    /* Weights 7 9 10 5 8 4 2.
     * 2077474: 14+0+70+35+32+28+8 = 187 = 17*11 + 0 -> 0.
     * 1655568: 7+54+50+25+40+24+16 = 216 = 19*11 + 7 -> 11-7 = 4.
     * 2292350: 14+18+90+10+24+20+0 = 176 = 16*11 + 0 -> 0.
     * 0250157: 0+18+50+0+8+20+14 = 110 = 10*11 + 0 -> 0.
     * 2477525: 14+36+70+35+40+8+10 = 213 = 19*11 + 4 -> 11-4 = 7. */
    ytunnus_ok("2077474-0", "2077474-0");
    ytunnus_ok("1655568-4", "1655568-4");
    ytunnus_ok("2292350-0", "2292350-0");
    ytunnus_ok("0250157-0", "0250157-0");
    ytunnus_ok("2477525-7", "2477525-7");
    ytunnus_ok("\t 2477525-7\r\n", "2477525-7");
    ytunnus_bad("2077474-1", "The check digit of Y-tunnus 2077474-1 should be 0.");
    ytunnus_bad("1655568-5", "should be 4.");
    ck_assert_int_eq(rk_ytunnus_check_digit("1655568"), '4');
    ck_assert_int_eq(rk_ytunnus_check_digit("2477525"), '7');
    ck_assert_int_eq(rk_ytunnus_check_digit("165556"), '\0');
    ck_assert_int_eq(rk_ytunnus_check_digit("165556x"), '\0');
    ck_assert_int_eq(rk_ytunnus_check_digit(NULL), '\0');
}
END_TEST

START_TEST(ytunnus_remainder_one)
{
    /* 1234568: 7+18+30+20+40+24+16 = 155 = 14*11 + 1, so no check digit
     * works. (1234567 gives 153 = 13*11 + 10 -> 1, a valid neighbour.) */
    ck_assert_int_eq(rk_ytunnus_check_digit("1234568"), '\0');
    for (char c = '0'; c <= '9'; c++) {
        char in[10] = "1234568-0";
        in[8] = c;
        ytunnus_bad(in, "no check digit exists for 1234568");
    }
    ytunnus_ok("1234567-1", "1234567-1");
}
END_TEST

START_TEST(ytunnus_old_form_and_format)
{
    /* Six digits are left-padded: 250157-0 is 0250157-0 (sum 110 above). */
    ytunnus_ok("250157-0", "0250157-0");
    ytunnus_bad("250157-1", "Y-tunnus 0250157-1 should be 0.");
    ytunnus_bad("", "empty");
    ytunnus_bad(NULL, "empty");
    ytunnus_bad("20774740", "seven digits, a hyphen");
    ytunnus_bad("2077474 0", "seven digits, a hyphen");
    ytunnus_bad("207747-40", "seven digits, a hyphen");
    ytunnus_bad("A077474-0", "seven digits, a hyphen");
    ytunnus_bad("12345-6", "seven digits, a hyphen");
    ytunnus_bad("12077474-0", "seven digits, a hyphen");
    ytunnus_bad("2077474-X", "seven digits, a hyphen");
    ytunnus_bad("-", "seven digits, a hyphen");
}
END_TEST

/* ----------------------------------------------------------------- phone */

START_TEST(phone_normalisation_table)
{
    static const struct { const char *in, *out; } t[] = {
        { "040 123 4567", "+358401234567" },
        { "+358 40 1234567", "+358401234567" },
        { "(09) 123 456", "+3589123456" },
        { "09-123 456", "+3589123456" },
        { "00358 40 123 4567", "+358401234567" },
        { "+46 8 123 456 78", "+46812345678" },
        { "0401234567", "+358401234567" },
        { "  050-555 1234\t", "+358505551234" },
        { "+358 (0)40 123 4567", "+358401234567" },   /* trunk 0 in () */
        { "+358 040 123 4567", "+358401234567" },     /* trunk 0 bare */
        { "00358 (0)9 123 456", "+3589123456" },
        { "+44 (0)20 7946 0958", "+442079460958" },
        { "+1 (212) 555-0100", "+12125550100" },
        { "0044 20 7946 0958", "+442079460958" },
        { "040.123.4567", "+358401234567" },
        { "09 12345", "+358912345" },                 /* 6-digit NSN: minimum */
        { "+358 9 123 456", "+3589123456" },
        { "0401234567890", "+358401234567890" },      /* 12-digit NSN: max */
        { "+123456789012345", "+123456789012345" },   /* 15 digits: E.164 max */
        { "+299 123456", "+299123456" },
    };
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
        char out[RK_PHONE_SIZE];
        rk_err err;
        rk_err_clear(&err);
        ck_assert_msg(rk_phone_normalise(t[i].in, out, &err) == RK_OK, "'%s' rejected: %s",
                      t[i].in, err.msg);
        ck_assert_msg(strcmp(out, t[i].out) == 0, "'%s' gave %s, want %s", t[i].in, out,
                      t[i].out);
    }
}
END_TEST

START_TEST(phone_rejects)
{
    static const struct { const char *in, *needle; } t[] = {
        { "", "empty" },
        { "   ", "empty" },
        { "040 ABC 4567", "letter A" },
        { "040 123 4567 ext 2", "letter e" },
        { "040 123 456ä", "character that is not allowed" },
        { "040/123 4567", "character that is not allowed" },
        { "0401", "too short" },
        { "09 1234", "too short; a Finnish number has at least 6 digits" },
        { "+358 40 1234567890123", "too long" },
        { "04012345678901", "too long" },
        { "+1234567890123456", "at most 15 digits" },
        { "+46 123", "at least 7 digits" },
        { "123 4567", "should start with 0, or with + or 00" },
        { "040+1234567", "A + can appear only at the start" },
        { "++358401234567", "A + can appear only at the start" },
        { "+0 123 456 789", "no country code" },
        { "000 123 4567", "no country code" },
        { "(09 123 456", "( without a matching )" },
        { "09) 123 456", ") without a matching (" },
        { "(09) (123) 456", "one pair of parentheses" },
        { "- - -", "no digits" },
        { "+", "no digits" },
        { "00", "no country code" },
        { "0000000000000000000000000000", "too long" },
    };
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
        char out[RK_PHONE_SIZE] = "untouched";
        rk_err err;
        rk_err_clear(&err);
        ck_assert_msg(rk_phone_normalise(t[i].in, out, &err) == RK_EFAIL, "'%s' accepted as %s",
                      t[i].in, out);
        assert_msg(&err, t[i].in, t[i].needle);
        ck_assert_str_eq(out, "untouched");
    }
    char out[RK_PHONE_SIZE];
    ck_assert_int_eq(rk_phone_normalise(NULL, out, NULL), RK_EFAIL);
}
END_TEST

/* ---------------------------------------------------------------- e-mail */

START_TEST(email_good)
{
    char local64[65], long254[255];
    memset(local64, 'a', 64);
    local64[64] = '\0';
    /* 64 + "@" + 63 + "." + 63 + "." + 61 = 254. */
    snprintf(long254, sizeof long254, "%s@%.63s.%.63s.%.61s", local64,
             "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb",
             "cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc",
             "dddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddd");
    ck_assert_uint_eq(strlen(long254), 254);
    char local64_at[80];
    snprintf(local64_at, sizeof local64_at, "%s@example.com", local64);

    const struct { const char *in, *out; } t[] = {
        { "matti.meikalainen@example.fi", "matti.meikalainen@example.fi" },
        { "Matti.Virtanen@Klinikka.EXAMPLE.FI", "Matti.Virtanen@klinikka.example.fi" },
        { "a@b.co", "a@b.co" },
        { "first.last+tag@sub.domain.example.com", "first.last+tag@sub.domain.example.com" },
        { "user_name-1@host-name.fi", "user_name-1@host-name.fi" },
        { "o'brien@example.ie", "o'brien@example.ie" },
        { "  info@klinikka.fi \t", "info@klinikka.fi" },
        { "posti@xn--kklinikka-0za.fi", "posti@xn--kklinikka-0za.fi" },
        { "!#$%&'*+-/=?^_`{|}~@example.org", "!#$%&'*+-/=?^_`{|}~@example.org" },
        { "x@123.example.fi", "x@123.example.fi" },
        { local64_at, local64_at },
        { long254, long254 },
    };
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
        char out[RK_EMAIL_SIZE];
        rk_err err;
        rk_err_clear(&err);
        ck_assert_msg(rk_email_normalise(t[i].in, out, &err) == RK_OK, "'%s' rejected: %s",
                      t[i].in, err.msg);
        ck_assert_str_eq(out, t[i].out);
    }
}
END_TEST

START_TEST(email_bad)
{
    char local65[80], long255[300];
    snprintf(local65, sizeof local65, "%065d@example.com", 0);
    snprintf(long255, sizeof long255, "a@%.63s.%.63s.%.63s.%.61s",
             "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb",
             "cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc",
             "dddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddd",
             "eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee");
    ck_assert_uint_eq(strlen(long255), 255);
    char label64[100];
    snprintf(label64, sizeof label64, "a@%064d.fi", 0);

    const struct { const char *in, *needle; } t[] = {
        { "", "empty" },
        { "plainaddress", "no @" },
        { "a@@b.fi", "more than one @" },
        { "a@b@c.fi", "more than one @" },
        { "@example.fi", "nothing before the @" },
        { "user@", "nothing after the @" },
        { ".lead@example.fi", "cannot start or end with a dot" },
        { "trail.@example.fi", "cannot start or end with a dot" },
        { "dou..ble@example.fi", "two dots in a row" },
        { "us er@example.fi", "space" },
        { "a(b)@example.fi", "contains (" },
        { "\"quoted\"@example.fi", "contains \"" },
        { "user@localhost", "at least one dot" },
        { "user@-host.fi", "-host cannot start or end with a hyphen" },
        { "user@host-.fi", "host- cannot start or end with a hyphen" },
        { "user@exa_mple.fi", "contains _" },
        { "user@example..fi", "empty part" },
        { "user@example.fi.", "empty part" },
        { "user@.example.fi", "empty part" },
        { "user@1.2.3.4", "not a number" },
        { "matti@äiti.fi", "non-ASCII" },
        { "mätti@example.fi", "non-ASCII" },
        { "a\x01@example.fi", "control character" },
        { local65, "65 characters; at most 64" },
        { long255, "255 characters; at most 254" },
        { label64, "64 characters; at most 63" },
    };
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
        char out[RK_EMAIL_SIZE] = "untouched";
        rk_err err;
        rk_err_clear(&err);
        ck_assert_msg(rk_email_normalise(t[i].in, out, &err) == RK_EFAIL, "'%s' accepted",
                      t[i].in);
        assert_msg(&err, t[i].in, t[i].needle);
        ck_assert_str_eq(out, "untouched");
    }
}
END_TEST

/* -------------------------------------------------------------- postcode */

START_TEST(postcodes)
{
    char out[RK_POSTCODE_SIZE];
    rk_err err;
    ck_assert_int_eq(rk_postcode_check("00100", out, &err), RK_OK);
    ck_assert_str_eq(out, "00100");
    ck_assert_int_eq(rk_postcode_check(" 99999 ", out, &err), RK_OK);
    ck_assert_str_eq(out, "99999");

    static const struct { const char *in, *needle; } t[] = {
        { "", "empty" },
        { "0010", "exactly five digits, not 4" },
        { "001000", "exactly five digits, not 6" },
        { "00 100", "only digits" },
        { "0010A", "only digits" },
        { "FI-00100", "only digits" },
        { "\xef\xbc\x91\xef\xbc\x92\xef\xbc\x93\xef\xbc\x94\xef\xbc\x95", "only digits" },
    };
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
        char o[RK_POSTCODE_SIZE] = "keep";
        ck_assert_msg(rk_postcode_check(t[i].in, o, &err) == RK_EFAIL, "'%s' accepted", t[i].in);
        assert_msg(&err, t[i].in, t[i].needle);
        ck_assert_str_eq(o, "keep");
    }
}
END_TEST

/* ----------------------------------------------------------------- dates */

static void date_ok(const char *in, const char *iso)
{
    rk_date d;
    rk_err err;
    char out[RK_DATE_ISO_SIZE];
    ck_assert_msg(rk_date_parse(in, &d, &err) == RK_OK, "'%s' rejected: %s", in, err.msg);
    ck_assert_int_eq(rk_date_format_iso(&d, out, &err), RK_OK);
    ck_assert_str_eq(out, iso);
}

static void date_bad(const char *in, const char *needle)
{
    rk_date d = { -7, -7, -7 };
    rk_err err;
    ck_assert_msg(rk_date_parse(in, &d, &err) == RK_EFAIL, "'%s' accepted", in);
    assert_msg(&err, in, needle);
    ck_assert_int_eq(d.year, -7);
}

START_TEST(dates_leap_years)
{
    ck_assert(!rk_leap_year(1800));
    ck_assert(!rk_leap_year(1900));
    ck_assert(rk_leap_year(2000));
    ck_assert(rk_leap_year(2024));
    ck_assert(!rk_leap_year(2023));
    ck_assert(rk_leap_year(1600));
    ck_assert(!rk_leap_year(2100));
    ck_assert_int_eq(rk_days_in_month(1900, 2), 28);
    ck_assert_int_eq(rk_days_in_month(2000, 2), 29);
    ck_assert_int_eq(rk_days_in_month(2023, 4), 30);
    ck_assert_int_eq(rk_days_in_month(2023, 12), 31);
    ck_assert_int_eq(rk_days_in_month(2023, 0), 0);
    ck_assert_int_eq(rk_days_in_month(2023, 13), 0);

    /* Every (y, m, 1..31) in 1800-2099: exactly 109573 exist (see above). */
    long valid = 0;
    for (int y = 1800; y <= 2099; y++)
        for (int m = 1; m <= 12; m++)
            for (int d = 1; d <= 31; d++) {
                rk_date date = { y, m, d };
                bool ok = rk_date_check(&date, NULL) == RK_OK;
                if (ok != (d <= ref_days(y, m)))
                    ck_abort_msg("%d-%d-%d: rk_date_check says %d", y, m, d, ok);
                valid += ok;
            }
    ck_assert_int_eq(valid, 109573);
}
END_TEST

START_TEST(dates_parse)
{
    date_ok("1.2.2000", "2000-02-01");
    date_ok("01.02.2000", "2000-02-01");
    date_ok("29.2.2000", "2000-02-29");
    date_ok("2024-02-29", "2024-02-29");
    date_ok("31.12.1999", "1999-12-31");
    date_ok(" 1800-01-01\t", "1800-01-01");
    date_ok("13.10.1952", "1952-10-13");

    date_bad("29.2.1900", "Day 29 does not exist in February 1900.");
    date_bad("1800-02-29", "Day 29 does not exist in February 1800.");
    date_bad("30.2.2000", "Day 30 does not exist in February 2000.");
    date_bad("2023-02-29", "Day 29 does not exist in February 2023.");
    date_bad("31.04.2024", "Day 31 does not exist in April 2024.");
    date_bad("31.6.2024", "Day 31 does not exist in June 2024.");
    date_bad("0.1.2000", "Day 0 does not exist in January 2000.");
    date_bad("1.13.2000", "Month 13 does not exist");
    date_bad("2000-00-10", "Month 0 does not exist");
    date_bad("0000-01-01", "Year 0 is outside");
    date_bad("", "empty");
    date_bad(NULL, "empty");
    const char *format[] = { "2000-1-1", "1.1.00", "1.1.20000", "01.01.2000.", "1.1.2000x",
                             "1/1/2000", "001.1.2000", "1..2000", "2000-01-01T00", "20000101",
                             "2000-0a-01", "2000-01x01", "2000/01/01", "yesterday",
                             ".1.2000" };
    for (size_t i = 0; i < sizeof format / sizeof format[0]; i++)
        date_bad(format[i], "d.m.yyyy (31.12.1980) or yyyy-mm-dd (1980-12-31)");
}
END_TEST

START_TEST(dates_format)
{
    char out[RK_DATE_ISO_SIZE];
    rk_err err;
    rk_date d = { 5, 3, 1 };
    ck_assert_int_eq(rk_date_format_iso(&d, out, &err), RK_OK);
    ck_assert_str_eq(out, "0005-03-01");
    rk_date bad = { 2023, 2, 29 };
    ck_assert_int_eq(rk_date_format_iso(&bad, out, &err), RK_EFAIL);
    ck_assert_str_eq(out, "");
    assert_msg(&err, "2023-02-29", "Day 29 does not exist in February 2023.");
    rk_date far = { 10000, 1, 1 };
    ck_assert_int_eq(rk_date_format_iso(&far, out, &err), RK_EFAIL);
    ck_assert_int_eq(rk_date_format_iso(NULL, out, &err), RK_EFAIL);

    /* Finnish text -> ISO text -> the same date, every day of 1999-2001. */
    for (int y = 1999; y <= 2001; y++)
        for (int m = 1; m <= 12; m++)
            for (int day = 1; day <= ref_days(y, m); day++) {
                char fi[48], iso[48];
                rk_date a, b;
                snprintf(fi, sizeof fi, "%d.%d.%d", day, m, y);
                snprintf(iso, sizeof iso, "%04d-%02d-%02d", y, m, day);
                if (rk_date_parse(fi, &a, &err) != RK_OK ||
                    rk_date_format_iso(&a, out, &err) != RK_OK || strcmp(out, iso) != 0 ||
                    rk_date_parse(out, &b, &err) != RK_OK ||
                    a.year != b.year || a.month != b.month || a.day != b.day)
                    ck_abort_msg("%s -> %s, want %s", fi, out, iso);
            }
}
END_TEST


START_TEST(hetu_set_twins_and_growth)
{
    /* 20,000 codes: past several doublings of the table from 4,096 slots */
    enum { N = 20000 };
    char h[RK_HETU_SIZE];
    for (int reserved = 0; reserved < 2; reserved++) {
        rk_hetu_set hs = { 0 };
        if (reserved)
            ck_assert(rk_hetu_set_reserve(&hs, N));
        size_t cap = hs.cap;
        for (int i = 0; i < N; i++) {
            test_hetu_nth(i, h);
            ck_assert_int_eq(rk_hetu_set_add(&hs, h, (size_t)i + 2), 0);
        }
        ck_assert_uint_eq(hs.n, N);
        ck_assert(hs.cap > 2 * N);
        if (reserved)
            ck_assert_uint_eq(hs.cap, cap);   /* no growing after the reserve */
        /* every code is found again with its own value, not a neighbour's */
        for (int i = 0; i < N; i++) {
            test_hetu_nth(i, h);
            ck_assert_int_eq(rk_hetu_set_add(&hs, h, 1), i + 2);
        }
        /* the century sign tells two people apart: 010160-0022 and 010160A0022 */
        test_hetu_nth(0, h);
        h[6] = 'A';
        ck_assert_int_eq(rk_hetu_set_add(&hs, h, 7), 0);
        ck_assert_int_eq(rk_hetu_set_add(&hs, h, 8), 7);
        ck_assert_uint_eq(hs.n, N + 1);
        rk_hetu_set_free(&hs);
        ck_assert_uint_eq(hs.n, 0);
    }
}
END_TEST

Suite *test_suite(void)
{
    Suite *s = suite_create("validate");
    TCase *hetu = tcase_create("henkilotunnus");
    tcase_set_timeout(hetu, 30);   /* the round trip covers 300 years */
    tcase_add_test(hetu, hetu_vectors);
    tcase_add_test(hetu, hetu_every_century_sign);
    tcase_add_test(hetu, hetu_leap_days);
    tcase_add_test(hetu, hetu_individual_numbers);
    tcase_add_test(hetu, hetu_length_and_characters);
    tcase_add_test(hetu, hetu_normalises_case_and_spaces);
    tcase_add_test(hetu, hetu_mask);
    tcase_add_test(hetu, hetu_make_round_trip);
    tcase_add_test(hetu, hetu_make_defaults_and_errors);
    tcase_add_test(hetu, hetu_query_kinds);
    tcase_add_test(hetu, hetu_set_twins_and_growth);
    suite_add_tcase(s, hetu);

    TCase *yt = tcase_create("ytunnus");
    tcase_add_test(yt, ytunnus_vectors);
    tcase_add_test(yt, ytunnus_remainder_one);
    tcase_add_test(yt, ytunnus_old_form_and_format);
    suite_add_tcase(s, yt);

    TCase *contact = tcase_create("contact");
    tcase_add_test(contact, phone_normalisation_table);
    tcase_add_test(contact, phone_rejects);
    tcase_add_test(contact, email_good);
    tcase_add_test(contact, email_bad);
    tcase_add_test(contact, postcodes);
    suite_add_tcase(s, contact);

    TCase *dates = tcase_create("dates");
    tcase_set_timeout(dates, 30);
    tcase_add_test(dates, dates_leap_years);
    tcase_add_test(dates, dates_parse);
    tcase_add_test(dates, dates_format);
    suite_add_tcase(s, dates);
    return s;
}
