/* Field validators; see validate.h for the rules. Character tests are
 * written out by hand rather than with <ctype.h> so the result never
 * depends on the locale (and never sees a negative char). */
#include "validate.h"

#include <string.h>

/* Longest user text echoed back in a message, so the sentence (and its
 * closing full stop) always fits in rk_err.msg. */
#define ECHO_MAX 64

static bool is_digit(char c) { return c >= '0' && c <= '9'; }
static bool is_upper(char c) { return c >= 'A' && c <= 'Z'; }
static bool is_lower(char c) { return c >= 'a' && c <= 'z'; }
static bool is_alpha(char c) { return is_upper(c) || is_lower(c); }
static bool is_blank(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }
static char to_upper(char c) { return is_lower(c) ? (char)(c - 'a' + 'A') : c; }
static char to_lower(char c) { return is_upper(c) ? (char)(c - 'A' + 'a') : c; }

/* Span of s without surrounding blanks; NULL reads as "". */
static const char *trim(const char *s, size_t *len)
{
    if (!s)
        s = "";
    while (is_blank(*s))
        s++;
    size_t n = strlen(s);
    while (n > 0 && is_blank(s[n - 1]))
        n--;
    *len = n;
    return s;
}

/* Value of n decimal digits, or -1 if any is not a digit. */
static long digits_value(const char *s, size_t n)
{
    long v = 0;
    for (size_t i = 0; i < n; i++) {
        if (!is_digit(s[i]))
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

static int echo_len(size_t n) { return (int)(n > ECHO_MAX ? ECHO_MAX : n); }

/* ------------------------------------------------------------------ dates */

bool rk_leap_year(int year)
{
    return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

int rk_days_in_month(int year, int month)
{
    static const int days[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    if (month < 1 || month > 12)
        return 0;
    return month == 2 && rk_leap_year(year) ? 29 : days[month - 1];
}

/* One whole sentence per month so translators can inflect the month name. */
static int day_error(rk_err *err, int day, int month, int year)
{
    switch (month) {
    case 1:  return rk_err_set(err, RK_EFAIL, _("Day %d does not exist in January %d."), day, year);
    case 2:  return rk_err_set(err, RK_EFAIL, _("Day %d does not exist in February %d."), day, year);
    case 3:  return rk_err_set(err, RK_EFAIL, _("Day %d does not exist in March %d."), day, year);
    case 4:  return rk_err_set(err, RK_EFAIL, _("Day %d does not exist in April %d."), day, year);
    case 5:  return rk_err_set(err, RK_EFAIL, _("Day %d does not exist in May %d."), day, year);
    case 6:  return rk_err_set(err, RK_EFAIL, _("Day %d does not exist in June %d."), day, year);
    case 7:  return rk_err_set(err, RK_EFAIL, _("Day %d does not exist in July %d."), day, year);
    case 8:  return rk_err_set(err, RK_EFAIL, _("Day %d does not exist in August %d."), day, year);
    case 9:  return rk_err_set(err, RK_EFAIL, _("Day %d does not exist in September %d."), day, year);
    case 10: return rk_err_set(err, RK_EFAIL, _("Day %d does not exist in October %d."), day, year);
    case 11: return rk_err_set(err, RK_EFAIL, _("Day %d does not exist in November %d."), day, year);
    default: return rk_err_set(err, RK_EFAIL, _("Day %d does not exist in December %d."), day, year);
    }
}

int rk_date_check(const rk_date *d, rk_err *err)
{
    if (!d)
        return rk_err_set(err, RK_EFAIL, _("No date was given."));
    if (d->year < 1 || d->year > 9999)
        return rk_err_set(err, RK_EFAIL, _("Year %d is outside the range 1-9999."), d->year);
    if (d->month < 1 || d->month > 12)
        return rk_err_set(err, RK_EFAIL, _("Month %d does not exist; months run from 1 to 12."),
                          d->month);
    if (d->day < 1 || d->day > rk_days_in_month(d->year, d->month))
        return day_error(err, d->day, d->month, d->year);
    return RK_OK;
}

/* Reads 1 to max digits at *p, advancing *p; -1 if there are none or more. */
static long read_number(const char **p, const char *end, size_t max)
{
    const char *start = *p;
    while (*p < end && is_digit(**p))
        (*p)++;
    size_t n = (size_t)(*p - start);
    return n == 0 || n > max ? -1 : digits_value(start, n);
}

int rk_date_parse(const char *input, rk_date *out, rk_err *err)
{
    size_t n;
    const char *s = trim(input, &n);
    const char *end = s + n;
    long y = -1, m = -1, d = -1;

    if (n == 0)
        return rk_err_set(err, RK_EFAIL, _("The date is empty."));
    if (n == 10 && s[4] == '-' && s[7] == '-') {
        y = digits_value(s, 4);
        m = digits_value(s + 5, 2);
        d = digits_value(s + 8, 2);
    } else {
        const char *p = s, *year_at;
        d = read_number(&p, end, 2);
        if (d >= 0 && p < end && *p == '.') {
            p++;
            m = read_number(&p, end, 2);
            if (m >= 0 && p < end && *p == '.') {
                p++;
                year_at = p;
                y = read_number(&p, end, 4);
                if (p != end || p - year_at != 4)   /* the year has 4 digits */
                    y = -1;
            }
        }
    }
    if (y < 0 || m < 0 || d < 0)
        return rk_err_set(err, RK_EFAIL,
                          _("The date should be written as d.m.yyyy (31.12.1980) or yyyy-mm-dd (1980-12-31)."));

    rk_date date = { (int)y, (int)m, (int)d };
    if (rk_date_check(&date, err) != RK_OK)
        return RK_EFAIL;
    if (out)
        *out = date;
    return RK_OK;
}

static void put_digits(char *dst, int v, int width)
{
    for (int i = width - 1; i >= 0; i--) {
        dst[i] = (char)('0' + v % 10);
        v /= 10;
    }
}

int rk_date_format_iso(const rk_date *d, char out[RK_DATE_ISO_SIZE], rk_err *err)
{
    out[0] = '\0';
    if (rk_date_check(d, err) != RK_OK)
        return RK_EFAIL;
    put_digits(out, d->year, 4);
    out[4] = '-';
    put_digits(out + 5, d->month, 2);
    out[7] = '-';
    put_digits(out + 8, d->day, 2);
    out[10] = '\0';
    return RK_OK;
}

/* ---------------------------------------------------------- henkilötunnus */

static const char hetu_check_chars[] = "0123456789ABCDEFHJKLMNPRSTUVWXY";

/* Century of an (uppercase) sign, or -1. */
static int hetu_century(char sign)
{
    switch (sign) {
    case '+':
        return 1800;
    case '-': case 'Y': case 'X': case 'W': case 'V': case 'U':
        return 1900;
    case 'A': case 'B': case 'C': case 'D': case 'E': case 'F':
        return 2000;
    default:
        return -1;
    }
}

char rk_hetu_check_char(const rk_date *birth, int individual)
{
    if (!birth || birth->year < 1800 || birth->year > 2099 ||
        rk_date_check(birth, NULL) != RK_OK || individual < 2 || individual > 999)
        return '\0';
    long n = birth->day * 10000000L + birth->month * 100000L +
             (birth->year % 100) * 1000L + individual;
    return hetu_check_chars[n % 31];
}

/* Characters any part of a code may have; anything else is reported before
 * the length so "131052 308T" gets a useful message. */
static bool hetu_char_ok(char c)
{
    return is_digit(c) || is_alpha(c) || c == '+' || c == '-';
}

/* Date of DDMMYY (digits checked by the caller) in the given century. */
static rk_date hetu_date(const char *code, int century)
{
    rk_date d = { century + (int)digits_value(code + 4, 2),
                  (int)digits_value(code + 2, 2), (int)digits_value(code, 2) };
    return d;
}

int rk_hetu_parse(const char *input, rk_hetu *out, rk_err *err)
{
    size_t n;
    const char *s = trim(input, &n);
    char code[RK_HETU_SIZE];

    if (n == 0)
        return rk_err_set(err, RK_EFAIL, _("The henkilötunnus is empty."));
    for (size_t i = 0; i < n; i++)
        if (!hetu_char_ok(s[i]))
            return rk_err_set(err, RK_EFAIL,
                              _("The henkilötunnus contains a character other than a digit, a letter, + or -."));
    if (n != RK_HETU_LEN)
        return rk_err_set(err, RK_EFAIL,
                          _("A henkilötunnus has 11 characters (DDMMYYCNNNQ), not %zu."), n);
    for (size_t i = 0; i < RK_HETU_LEN; i++)
        code[i] = to_upper(s[i]);
    code[RK_HETU_LEN] = '\0';

    if (digits_value(code, 6) < 0)
        return rk_err_set(err, RK_EFAIL,
                          _("The henkilötunnus %s should start with the six digits of the birth date (DDMMYY)."),
                          code);
    int century = hetu_century(code[6]);
    if (century < 0)
        return rk_err_set(err, RK_EFAIL,
                          _("The henkilötunnus %s has %c where the century sign (+, -, Y, X, W, V, U, A, B, C, D, E or F) should be."),
                          code, code[6]);
    long individual = digits_value(code + 7, 3);
    if (individual < 0)
        return rk_err_set(err, RK_EFAIL,
                          _("The individual number of henkilötunnus %s (characters 8-10) should be three digits."),
                          code);
    rk_date birth = hetu_date(code, century);
    if (rk_date_check(&birth, NULL) != RK_OK)
        return rk_err_set(err, RK_EFAIL,
                          _("The birth date %02d.%02d.%04d in henkilötunnus %s does not exist."),
                          birth.day, birth.month, birth.year, code);
    if (individual < 2)
        return rk_err_set(err, RK_EFAIL,
                          _("The individual number %03ld in henkilötunnus %s is not in use; they run from 002 to 999."),
                          individual, code);
    char check = rk_hetu_check_char(&birth, (int)individual);
    if (code[10] != check)
        return rk_err_set(err, RK_EFAIL,
                          _("The check character of henkilötunnus %s should be %c."), code, check);

    if (out) {
        memcpy(out->code, code, sizeof code);
        out->birth = birth;
        out->individual = (int)individual;
        out->temporary = individual >= 900;
        out->gender_hint = individual % 2 ? RK_GENDER_HINT_MALE : RK_GENDER_HINT_FEMALE;
    }
    return RK_OK;
}

int rk_hetu_make(const rk_date *birth, int individual, char sign,
                 char out[RK_HETU_SIZE], rk_err *err)
{
    if (rk_date_check(birth, err) != RK_OK)
        return RK_EFAIL;
    if (birth->year < 1800 || birth->year > 2099)
        return rk_err_set(err, RK_EFAIL,
                          _("A henkilötunnus exists only for birth years 1800-2099, not %d."),
                          birth->year);
    if (individual < 2 || individual > 999)
        return rk_err_set(err, RK_EFAIL,
                          _("The individual number %d is out of range; it should be 2-999."),
                          individual);
    int century = birth->year / 100 * 100;
    if (sign == '\0')
        sign = century == 1800 ? '+' : century == 1900 ? '-' : 'A';
    sign = to_upper(sign);
    if (hetu_century(sign) < 0)
        return rk_err_set(err, RK_EFAIL,
                          _("That is not a century sign; use +, -, Y, X, W, V, U, A, B, C, D, E or F."));
    if (hetu_century(sign) != century)
        return rk_err_set(err, RK_EFAIL,
                          _("The century sign %c does not belong to birth year %d."), sign,
                          birth->year);

    put_digits(out, birth->day, 2);
    put_digits(out + 2, birth->month, 2);
    put_digits(out + 4, birth->year % 100, 2);
    out[6] = sign;
    put_digits(out + 7, individual, 3);
    out[10] = rk_hetu_check_char(birth, individual);
    out[11] = '\0';
    return RK_OK;
}

void rk_hetu_mask(const char *code, char out[RK_HETU_SIZE])
{
    size_t n;
    const char *s = trim(code, &n);
    for (size_t i = 0; i < RK_HETU_LEN; i++)
        out[i] = i < 7 && i < n && hetu_char_ok(s[i]) ? to_upper(s[i]) : '*';
    out[RK_HETU_LEN] = '\0';
}

rk_hetu_query rk_hetu_query_kind(const char *search, char norm[RK_HETU_SIZE])
{
    size_t n;
    const char *s = trim(search, &n);
    char code[RK_HETU_SIZE];
    rk_hetu_query kind = RK_HETU_QUERY_NONE;

    if (n != 6 && n != 7 && n != RK_HETU_LEN)
        return RK_HETU_QUERY_NONE;
    for (size_t i = 0; i < n; i++) {
        if (!hetu_char_ok(s[i]))
            return RK_HETU_QUERY_NONE;
        code[i] = to_upper(s[i]);
    }
    code[n] = '\0';
    if (digits_value(code, 6) < 0)
        return RK_HETU_QUERY_NONE;

    if (n == 6) {
        /* No sign: the date has to exist in at least one century. */
        for (int c = 1800; c <= 2000; c += 100) {
            rk_date d = hetu_date(code, c);
            if (rk_date_check(&d, NULL) == RK_OK)
                kind = RK_HETU_QUERY_BIRTH_DATE;
        }
    } else if (n == 7) {
        int c = hetu_century(code[6]);
        rk_date d = hetu_date(code, c);
        if (c > 0 && rk_date_check(&d, NULL) == RK_OK)
            kind = RK_HETU_QUERY_BIRTH_DATE_CENTURY;
    } else if (rk_hetu_parse(code, NULL, NULL) == RK_OK) {
        kind = RK_HETU_QUERY_FULL;
    }
    if (kind != RK_HETU_QUERY_NONE && norm)
        memcpy(norm, code, n + 1);
    return kind;
}

/* --------------------------------------------------------------- Y-tunnus */

char rk_ytunnus_check_digit(const char *seven_digits)
{
    static const int weights[7] = { 7, 9, 10, 5, 8, 4, 2 };
    if (!seven_digits || strlen(seven_digits) != 7 || digits_value(seven_digits, 7) < 0)
        return '\0';
    int sum = 0;
    for (int i = 0; i < 7; i++)
        sum += (seven_digits[i] - '0') * weights[i];
    int r = sum % 11;
    if (r == 1)
        return '\0';
    return (char)('0' + (r == 0 ? 0 : 11 - r));
}

int rk_ytunnus_parse(const char *input, char out[RK_YTUNNUS_SIZE], rk_err *err)
{
    size_t n;
    const char *s = trim(input, &n);
    char id[RK_YTUNNUS_SIZE];

    if (n == 0)
        return rk_err_set(err, RK_EFAIL, _("The Y-tunnus is empty."));
    /* Old six-digit IDs are the same number without the leading 0. */
    size_t pad = n == RK_YTUNNUS_LEN - 1 ? 1 : 0;
    if (n + pad != RK_YTUNNUS_LEN || s[n - 2] != '-' ||
        digits_value(s, n - 2) < 0 || !is_digit(s[n - 1]))
        return rk_err_set(err, RK_EFAIL,
                          _("A Y-tunnus should be seven digits, a hyphen and a check digit, like 1234567-1."));
    id[0] = '0';
    memcpy(id + pad, s, n);
    id[RK_YTUNNUS_LEN] = '\0';

    char digits[8];
    memcpy(digits, id, 7);
    digits[7] = '\0';
    char check = rk_ytunnus_check_digit(digits);
    if (check == '\0')
        return rk_err_set(err, RK_EFAIL,
                          _("The Y-tunnus %s cannot be valid because no check digit exists for %s."),
                          id, digits);
    if (id[8] != check)
        return rk_err_set(err, RK_EFAIL, _("The check digit of Y-tunnus %s should be %c."), id,
                          check);
    if (out)
        memcpy(out, id, sizeof id);
    return RK_OK;
}

/* ------------------------------------------------------------------ phone */

#define PHONE_MAX_DIGITS  15   /* E.164 */
#define PHONE_FI_NSN_MIN  6
#define PHONE_FI_NSN_MAX  12   /* 3 + 12 = 15 */
#define PHONE_INTL_MIN    7

int rk_phone_normalise(const char *input, char out[RK_PHONE_SIZE], rk_err *err)
{
    size_t n;
    const char *s = trim(input, &n);
    char digits[PHONE_MAX_DIGITS + 3];   /* room for a 00 prefix and a (0) */
    size_t nd = 0;
    bool plus = false, open = false, had_parens = false;
    size_t open_at = 0;
    long paren_zero = -1;                /* index of a "(0)" trunk digit */
    int shown = echo_len(n);

    if (n == 0)
        return rk_err_set(err, RK_EFAIL, _("The phone number is empty."));
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (is_digit(c)) {
            if (nd == sizeof digits)
                return rk_err_set(err, RK_EFAIL,
                                  _("The phone number is too long; with its country code it may have at most 15 digits."));
            digits[nd++] = c;
        } else if (c == '+') {
            if (i != 0)
                return rk_err_set(err, RK_EFAIL,
                                  _("A + can appear only at the start of a phone number."));
            plus = true;
        } else if (c == ' ' || c == '-' || c == '.') {
            continue;
        } else if (c == '(') {
            if (open || had_parens)
                return rk_err_set(err, RK_EFAIL,
                                  _("A phone number may contain only one pair of parentheses."));
            open = true;
            open_at = nd;
        } else if (c == ')') {
            if (!open)
                return rk_err_set(err, RK_EFAIL,
                                  _("The phone number has a ) without a matching (."));
            open = false;
            had_parens = true;
            if (nd == open_at + 1 && digits[open_at] == '0')
                paren_zero = (long)open_at;
        } else if (is_alpha(c)) {
            return rk_err_set(err, RK_EFAIL,
                              _("The phone number contains the letter %c; only digits, spaces, hyphens, dots, parentheses and a leading + are allowed."),
                              c);
        } else {
            return rk_err_set(err, RK_EFAIL,
                              _("The phone number contains a character that is not allowed; only digits, spaces, hyphens, dots, parentheses and a leading + are allowed."));
        }
    }
    if (open)
        return rk_err_set(err, RK_EFAIL, _("The phone number has a ( without a matching )."));
    if (nd == 0)
        return rk_err_set(err, RK_EFAIL, _("The phone number contains no digits."));

    /* Split into the country code + national significant number. */
    size_t prefix;
    bool finnish;
    if (plus) {
        prefix = 0;
        finnish = false;
    } else if (nd >= 2 && digits[0] == '0' && digits[1] == '0') {
        prefix = 2;
        finnish = false;
    } else if (digits[0] == '0') {
        prefix = 1;
        finnish = true;
    } else {
        return rk_err_set(err, RK_EFAIL,
                          _("The phone number %.*s should start with 0, or with + or 00 and a country code."),
                          shown, s);
    }

    char e164[sizeof digits + 4];   /* "+358" replaces a 1-digit prefix */
    size_t ne = 0;
    e164[ne++] = '+';
    if (finnish) {
        memcpy(e164 + ne, "358", 3);
        ne += 3;
    } else {
        if (prefix >= nd || digits[prefix] == '0')
            return rk_err_set(err, RK_EFAIL,
                              _("The phone number %.*s has no country code; after + or 00 comes a code such as 358, never 0."),
                              shown, s);
        /* "(0)" after the country code is the trunk prefix: not dialled
         * from abroad. */
        if (paren_zero > (long)prefix) {
            memmove(digits + paren_zero, digits + paren_zero + 1, nd - (size_t)paren_zero - 1);
            nd--;
        }
    }
    memcpy(e164 + ne, digits + prefix, nd - prefix);
    ne += nd - prefix;
    e164[ne] = '\0';

    if (finnish || strncmp(e164, "+358", 4) == 0) {
        /* Finnish NSNs never start with 0, so a 0 after +358 is a trunk 0. */
        if (!finnish && ne > 4 && e164[4] == '0') {
            memmove(e164 + 4, e164 + 5, ne - 4);   /* includes the NUL */
            ne--;
        }
        /* One trunk 0 at most: "+358 00 ..." or "00 ..." is no Finnish number,
         * and keeping it would store one number in two forms (tests/fuzz phone-1). */
        if (ne > 4 && e164[4] == '0')
            return rk_err_set(err, RK_EFAIL,
                              _("The phone number %.*s has too many zeros after the country code or before the area code."),
                              shown, s);
        size_t nsn = ne - 4;
        if (nsn < PHONE_FI_NSN_MIN)
            return rk_err_set(err, RK_EFAIL,
                              _("The phone number %.*s is too short; a Finnish number has at least 6 digits after the leading 0 or +358."),
                              shown, s);
        if (nsn > PHONE_FI_NSN_MAX)
            return rk_err_set(err, RK_EFAIL,
                              _("The phone number %.*s is too long; a Finnish number has at most 12 digits after the leading 0 or +358."),
                              shown, s);
    } else {
        size_t total = ne - 1;
        if (total < PHONE_INTL_MIN)
            return rk_err_set(err, RK_EFAIL,
                              _("The phone number %.*s is too short; with its country code it should have at least 7 digits."),
                              shown, s);
        if (total > PHONE_MAX_DIGITS)
            return rk_err_set(err, RK_EFAIL,
                              _("The phone number %.*s is too long; with its country code it may have at most 15 digits."),
                              shown, s);
    }
    memcpy(out, e164, ne + 1);
    return RK_OK;
}

/* ----------------------------------------------------------------- e-mail */

/* RFC 5322 atext without the letters and digits. */
static bool is_atext(char c)
{
    return is_alpha(c) || is_digit(c) || (c != '\0' && strchr("!#$%&'*+-/=?^_`{|}~", c));
}

static bool is_label_char(char c) { return is_alpha(c) || is_digit(c) || c == '-'; }

int rk_email_normalise(const char *input, char out[RK_EMAIL_SIZE], rk_err *err)
{
    size_t n;
    const char *s = trim(input, &n);

    if (n == 0)
        return rk_err_set(err, RK_EFAIL, _("The e-mail address is empty."));
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x80)
            return rk_err_set(err, RK_EFAIL,
                              _("The e-mail address contains a non-ASCII character; only ASCII addresses are accepted, with an international domain in its xn-- form."));
        if (c == ' ' || c == '\t')
            return rk_err_set(err, RK_EFAIL, _("The e-mail address contains a space."));
        if (c < 0x20 || c == 0x7f)
            return rk_err_set(err, RK_EFAIL, _("The e-mail address contains a control character."));
    }
    if (n > RK_EMAIL_MAX)
        return rk_err_set(err, RK_EFAIL,
                          _("The e-mail address has %zu characters; at most 254 are allowed."), n);

    const char *at = memchr(s, '@', n);
    if (!at)
        return rk_err_set(err, RK_EFAIL, _("The e-mail address has no @."));
    size_t ln = (size_t)(at - s);
    const char *dom = at + 1;
    size_t dn = n - ln - 1;
    if (memchr(dom, '@', dn))
        return rk_err_set(err, RK_EFAIL, _("The e-mail address has more than one @."));

    if (ln == 0)
        return rk_err_set(err, RK_EFAIL, _("The e-mail address has nothing before the @."));
    if (ln > 64)
        return rk_err_set(err, RK_EFAIL,
                          _("The part of the e-mail address before the @ has %zu characters; at most 64 are allowed."),
                          ln);
    for (size_t i = 0; i < ln; i++)
        if (s[i] != '.' && !is_atext(s[i]))
            return rk_err_set(err, RK_EFAIL,
                              _("The part of the e-mail address before the @ contains %c, which is not allowed there."),
                              s[i]);
    if (s[0] == '.' || s[ln - 1] == '.')
        return rk_err_set(err, RK_EFAIL,
                          _("The part of the e-mail address before the @ cannot start or end with a dot."));
    for (size_t i = 1; i < ln; i++)
        if (s[i] == '.' && s[i - 1] == '.')
            return rk_err_set(err, RK_EFAIL,
                              _("The part of the e-mail address before the @ cannot have two dots in a row."));

    if (dn == 0)
        return rk_err_set(err, RK_EFAIL, _("The e-mail address has nothing after the @."));
    int shown = echo_len(dn);
    for (size_t i = 0; i < dn; i++)
        if (dom[i] != '.' && !is_label_char(dom[i]))
            return rk_err_set(err, RK_EFAIL,
                              _("The domain %.*s contains %c; only letters, digits, hyphens and dots are allowed."),
                              shown, dom, dom[i]);
    size_t labels = 0, start = 0;
    bool all_digits = true;
    for (size_t i = 0; i <= dn; i++) {
        if (i < dn && dom[i] != '.')
            continue;
        size_t len = i - start;
        const char *label = dom + start;
        if (len == 0)
            return rk_err_set(err, RK_EFAIL,
                              _("The domain %.*s has an empty part: it starts or ends with a dot, or has two in a row."),
                              shown, dom);
        if (len > 63)
            return rk_err_set(err, RK_EFAIL,
                              _("A part of the domain has %zu characters; at most 63 are allowed."), len);
        if (label[0] == '-' || label[len - 1] == '-')
            return rk_err_set(err, RK_EFAIL,
                              _("The domain part %.*s cannot start or end with a hyphen."),
                              echo_len(len), label);
        all_digits = true;
        for (size_t j = 0; j < len; j++)
            if (!is_digit(label[j]))
                all_digits = false;
        labels++;
        start = i + 1;
    }
    if (labels < 2)
        return rk_err_set(err, RK_EFAIL,
                          _("The domain %.*s needs at least one dot, as in example.fi."), shown, dom);
    if (all_digits)
        return rk_err_set(err, RK_EFAIL,
                          _("The domain %.*s should end in a name such as fi or com, not a number."),
                          shown, dom);

    memcpy(out, s, ln + 1);   /* local part and the @, as typed */
    for (size_t i = 0; i < dn; i++)
        out[ln + 1 + i] = to_lower(dom[i]);
    out[n] = '\0';
    return RK_OK;
}

/* --------------------------------------------------------------- postcode */

int rk_postcode_check(const char *input, char out[RK_POSTCODE_SIZE], rk_err *err)
{
    size_t n;
    const char *s = trim(input, &n);

    if (n == 0)
        return rk_err_set(err, RK_EFAIL, _("The postcode is empty."));
    for (size_t i = 0; i < n; i++)
        if (!is_digit(s[i]))
            return rk_err_set(err, RK_EFAIL,
                              _("The postcode may contain only digits, like 00100."));
    if (n != 5)
        return rk_err_set(err, RK_EFAIL,
                          _("The postcode should have exactly five digits, not %zu."), n);
    memcpy(out, s, 5);
    out[5] = '\0';
    return RK_OK;
}
