/* Dates and postcodes: rk_date_parse, rk_date_check, rk_date_format_iso,
 * rk_days_in_month, rk_leap_year and rk_postcode_check (validate.h), all fed
 * the same input.
 *
 * Invariants: an accepted date passes rk_date_check, formats as ISO
 * "YYYY-MM-DD", and both the ISO form and the Finnish form d.m.yyyy parse
 * back to the same date (idempotent). From bytes of the input: rk_date_check
 * agrees with rk_days_in_month and rk_leap_year (Gregorian rules), and
 * rk_date_format_iso writes an empty string for a date that does not exist.
 * An accepted postcode is five digits and checks to itself. Rejections carry
 * a message. */
#include "fuzz.h"

#include "validate.h"

static bool same_date(const rk_date *a, const rk_date *b)
{
    return a->year == b->year && a->month == b->month && a->day == b->day;
}

static void check_parsed(const rk_date *d)
{
    FUZZ_CHECK(rk_date_check(d, NULL) == RK_OK, "accepted %d-%d-%d fails rk_date_check", d->year,
               d->month, d->day);
    char iso[RK_DATE_ISO_SIZE];
    FUZZ_CHECK(rk_date_format_iso(d, iso, NULL) == RK_OK, "no ISO form");
    FUZZ_CHECK(strlen(iso) == 10 && fuzz_is_digits(iso, 4) && iso[4] == '-' &&
                   fuzz_is_digits(iso + 5, 2) && iso[7] == '-' && fuzz_is_digits(iso + 8, 2),
               "ISO form \"%s\"", iso);
    rk_date again;
    FUZZ_CHECK(rk_date_parse(iso, &again, NULL) == RK_OK && same_date(&again, d),
               "\"%s\" does not parse back", iso);
    char fi[32];
    snprintf(fi, sizeof fi, "%d.%d.%04d", d->day, d->month, d->year);
    FUZZ_CHECK(rk_date_parse(fi, &again, NULL) == RK_OK && same_date(&again, d),
               "\"%s\" does not parse back", fi);
}

static void check_rules(const uint8_t *b, size_t size)
{
    if (size < 4)
        return;
    rk_date d = { (int)((b[0] << 8 | b[1]) % 10050) - 20, b[2] % 15 - 1, b[3] % 34 - 1 };
    bool leap = (d.year % 4 == 0 && d.year % 100 != 0) || d.year % 400 == 0;
    FUZZ_CHECK(rk_leap_year(d.year) == leap, "leap year %d", d.year);
    static const int days[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    int dim = d.month >= 1 && d.month <= 12 ? days[d.month - 1] + (d.month == 2 && leap) : 0;
    FUZZ_CHECK(rk_days_in_month(d.year, d.month) == dim, "days in %d-%d", d.year, d.month);
    bool exists = d.year >= 1 && d.year <= 9999 && dim && d.day >= 1 && d.day <= dim;
    rk_err err;
    rk_err_clear(&err);
    int rc = rk_date_check(&d, &err);
    FUZZ_CHECK((rc == RK_OK) == exists, "rk_date_check(%d-%d-%d) = %d", d.year, d.month, d.day,
               rc);
    char iso[RK_DATE_ISO_SIZE];
    memset(iso, 'x', sizeof iso);
    if (exists) {
        check_parsed(&d);
    } else {
        FUZZ_CHECK(err.code == RK_EFAIL && err.msg[0], "rk_date_check without a message");
        FUZZ_CHECK(rk_date_format_iso(&d, iso, NULL) == RK_EFAIL && iso[0] == '\0',
                   "ISO form of a date that does not exist");
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *input = fuzz_cstr(data, size, 128);
    rk_err err;

    rk_date d;
    rk_err_clear(&err);
    if (rk_date_parse(input, &d, &err) == RK_OK)
        check_parsed(&d);
    else
        FUZZ_CHECK(err.code == RK_EFAIL && err.msg[0], "date rejection without a message");

    char pc[RK_POSTCODE_SIZE];
    rk_err_clear(&err);
    memset(pc, 0x55, sizeof pc);
    if (rk_postcode_check(input, pc, &err) == RK_OK) {
        FUZZ_CHECK(strnlen(pc, sizeof pc) == 5 && fuzz_is_digits(pc, 5), "postcode result");
        char again[RK_POSTCODE_SIZE];
        FUZZ_CHECK(rk_postcode_check(pc, again, NULL) == RK_OK && strcmp(again, pc) == 0,
                   "postcode \"%s\" not idempotent", pc);
    } else {
        FUZZ_CHECK(err.code == RK_EFAIL && err.msg[0], "postcode rejection without a message");
    }

    check_rules(data, size);
    free(input);
    return 0;
}
