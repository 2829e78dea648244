/* Languages and conventions: the catalogs follow the locale, a user's stored
 * language wins over it and "auto" gives the locale back; dates are
 * dd.mm.yyyy and times hh.mm in Finnish and Finland-Swedish, Sweden's forms
 * under sv_SE; Finnish and Swedish order names the same way (å, ä, ö after
 * z), which is the order of the search index. Uses the catalogs `make`
 * compiled into build/locale. */
#include "fixture.h"

#include <libgen.h>
#include <limits.h>
#include <locale.h>
#include <stdlib.h>

#include "audit.h"
#include "i18n.h"
#include "search_fold.h"


START_TEST(language_follows_the_locale)
{
    fix_build_catalogs("fi_FI.UTF-8");
    ck_assert_str_eq(rk_i18n_language(), "fi");
    ck_assert_str_eq(_("Client card"), "Asiakaskortti");
    ck_assert_str_eq(C_("fkey", "Quit"), "Lopeta");
    ck_assert_str_eq(rk_role_label(RK_ROLE_DPO), "Tietosuojavastaava");

    setlocale(LC_ALL, "sv_FI.UTF-8");
    ck_assert_str_eq(rk_i18n_language(), "sv");
    ck_assert_str_eq(_("Client card"), "Kundkort");
    ck_assert_str_eq(rk_role_label(RK_ROLE_DPO), "Dataskyddsombud");

    setlocale(LC_ALL, "C.UTF-8");
    ck_assert_str_eq(rk_i18n_language(), "en");
    ck_assert_str_eq(_("Client card"), "Client card");
}
END_TEST

START_TEST(user_language_overrides_and_auto_restores)
{
    fix_build_catalogs("fi_FI.UTF-8");
    rk_i18n_set_language("sv");
    ck_assert_str_eq(_("Client card"), "Kundkort");
    ck_assert_str_eq(C_("fkey", "Save"), "Spara");
    rk_i18n_set_language("en");
    ck_assert_str_eq(_("Client card"), "Client card");
    ck_assert_str_eq(rk_i18n_language(), "en");
    rk_i18n_set_language("");
    ck_assert_str_eq(_("Client card"), "Asiakaskortti");
    ck_assert_ptr_null(getenv("LANGUAGE"));
}
END_TEST

/* gettext ignores LANGUAGE under the C locale; a preference must still work
 * for a user whose environment has no locale at all. */
START_TEST(user_language_under_the_c_locale)
{
    fix_build_catalogs("C");
    ck_assert_str_eq(_("Client card"), "Client card");
    rk_i18n_set_language("fi");
    ck_assert_str_eq(_("Client card"), "Asiakaskortti");
    rk_i18n_set_language("");
    ck_assert_str_eq(_("Client card"), "Client card");
}
END_TEST

START_TEST(language_codes)
{
    ck_assert(rk_language_valid(""));
    ck_assert(rk_language_valid("fi"));
    ck_assert(rk_language_valid("sv"));
    ck_assert(rk_language_valid("en"));
    ck_assert(!rk_language_valid("de"));
    ck_assert(!rk_language_valid("FI"));
    ck_assert(!rk_language_valid(NULL));
    ck_assert_str_eq(rk_language_label("sv"), "svenska");
    ck_assert_str_eq(rk_language_label("fi"), "suomi");
}
END_TEST

static void dates_are(const char *locale, const char *lang, const char *date, const char *stamp)
{
    fix_build_catalogs(locale);
    rk_i18n_set_language(lang);
    setenv("TZ", "Europe/Helsinki", 1);
    tzset();
    char buf[RK_DATE_TEXT];
    rk_date d = { 2026, 3, 2 };
    ck_assert_str_eq(rk_format_date(&d, buf, sizeof buf), date);
    ck_assert_str_eq(rk_format_iso_date("2026-03-02", buf, sizeof buf), date);
    /* 12.05 UTC is 14.05 in Helsinki in March (EET). */
    ck_assert_str_eq(rk_format_timestamp("2026-03-02T12:05:00Z", buf, sizeof buf), stamp);
}

START_TEST(dates_finnish)
{
    dates_are("fi_FI.UTF-8", "", "02.03.2026", "02.03.2026 14.05");
}
END_TEST

START_TEST(dates_finland_swedish)
{
    dates_are("sv_FI.UTF-8", "", "02.03.2026", "02.03.2026 14.05");
    dates_are("fi_FI.UTF-8", "sv", "02.03.2026", "02.03.2026 14.05");
}
END_TEST

START_TEST(dates_sweden)
{
    dates_are("sv_SE.UTF-8", "", "2026-03-02", "2026-03-02 14:05");
}
END_TEST

START_TEST(dates_english_and_edge_cases)
{
    dates_are("C.UTF-8", "", "02.03.2026", "02.03.2026 14.05");
    char buf[RK_DATE_TEXT];
    ck_assert_str_eq(rk_format_timestamp("", buf, sizeof buf), "");
    ck_assert_str_eq(rk_format_timestamp("yesterday", buf, sizeof buf), "?");
    ck_assert_str_eq(rk_format_iso_date("", buf, sizeof buf), "");
    ck_assert_str_eq(rk_format_iso_date("2026-02-30", buf, sizeof buf), "2026-02-30");
    ck_assert_str_eq(rk_format_iso_date("1952-10-13", buf, sizeof buf), "13.10.1952");
    /* What is shown is read back by the date fields. */
    rk_date d;
    ck_assert_int_eq(rk_date_parse("13.10.1952", &d, NULL), RK_OK);
    ck_assert_int_eq(d.day * 10000 + d.month * 100 + d.year % 100, 131052);
}
END_TEST

static int coll(const void *a, const void *b)
{
    return strcoll(*(const char *const *)a, *(const char *const *)b);
}

/* Finnish (SFS 4600) and Swedish both put å, ä, ö after z, in that order;
 * the search index's sort bytes do the same, so one order serves both. */
START_TEST(finnish_and_swedish_order_agree)
{
    static const char *want[] = { "Aalto", "Virtanen", "Zetterberg", "Åberg", "Ärväs", "Öhman" };
    const char *locales[] = { "fi_FI.UTF-8", "sv_FI.UTF-8" };
    for (size_t l = 0; l < 2; l++) {
        ck_assert_msg(setlocale(LC_COLLATE, locales[l]) != NULL, "%s missing", locales[l]);
        const char *names[] = { "Öhman", "Åberg", "Zetterberg", "Ärväs", "Aalto", "Virtanen" };
        qsort(names, 6, sizeof names[0], coll);
        for (size_t i = 0; i < 6; i++)
            ck_assert_msg(strcmp(names[i], want[i]) == 0, "%s: %s at %zu, want %s", locales[l],
                          names[i], i, want[i]);
    }
    ck_assert_int_lt(cp_sort('z'), cp_sort(0xE5));   /* z < å */
    ck_assert_int_lt(cp_sort(0xE5), cp_sort(0xE4));  /* å < ä */
    ck_assert_int_lt(cp_sort(0xE4), cp_sort(0xF6));  /* ä < ö */
}
END_TEST

static void setup(void) { fix_create(); }
static void teardown(void) { fix_remove(); }

static int count_language_events(void *ctx, const rk_audit_row *row)
{
    if (strcmp(row->action, "user_language") == 0)
        (*(int *)ctx)++;
    return 0;
}

START_TEST(user_language_is_stored_checked_and_audited)
{
    rk_err err;
    rk_session *r = fix_login("reception");
    ck_assert_str_eq(r->language, "");
    ck_assert_msg(rk_user_set_language(r, "reception", "sv", &err) == RK_OK, "%s", err.msg);
    ck_assert_str_eq(r->language, "sv");
    ck_assert_int_eq(rk_user_set_language(r, "reception", "de", &err), RK_EUSAGE);
    ck_assert_ptr_nonnull(strstr(err.msg, "\"de\""));
    ck_assert_int_eq(rk_user_set_language(r, "billing", "fi", &err), RK_EDENIED);
    rk_session_logout(r);

    r = fix_login("reception");
    ck_assert_str_eq(r->language, "sv");   /* stored with the user */
    rk_session_logout(r);

    rk_session *a = fix_login("admin");
    ck_assert_msg(rk_user_set_language(a, "billing", "fi", &err) == RK_OK, "%s", err.msg);
    ck_assert_msg(rk_user_set_language(a, "reception", "", &err) == RK_OK, "%s", err.msg);
    ck_assert_int_ne(rk_user_set_language(a, "nobody", "fi", &err), RK_OK);
    int events = 0;
    ck_assert_int_eq(rk_dba_each(a->db, 1, count_language_events, &events, &err), RK_OK);
    ck_assert_int_eq(events, 3);
    rk_session_logout(a);

    rk_session *b = fix_login("billing");
    ck_assert_str_eq(b->language, "fi");
    rk_session_logout(b);
    r = fix_login("reception");
    ck_assert_str_eq(r->language, "");
    rk_session_logout(r);
}
END_TEST

Suite *test_suite(void)
{
    Suite *s = suite_create("i18n");
    TCase *t = tcase_create("language");
    tcase_add_test(t, language_follows_the_locale);
    tcase_add_test(t, user_language_overrides_and_auto_restores);
    tcase_add_test(t, user_language_under_the_c_locale);
    tcase_add_test(t, language_codes);
    tcase_add_test(t, dates_finnish);
    tcase_add_test(t, dates_finland_swedish);
    tcase_add_test(t, dates_sweden);
    tcase_add_test(t, dates_english_and_edge_cases);
    tcase_add_test(t, finnish_and_swedish_order_agree);
    suite_add_tcase(s, t);
    TCase *u = tcase_create("user");
    tcase_add_checked_fixture(u, setup, teardown);
    tcase_set_timeout(u, 60);
    tcase_add_test(u, user_language_is_stored_checked_and_audited);
    suite_add_tcase(s, u);
    return s;
}
