/* Henkilötunnus: rk_hetu_parse, rk_hetu_mask, rk_hetu_query_kind,
 * rk_hetu_check_char and rk_hetu_make (validate.h).
 *
 * Invariants, for any input string:
 *  - rk_hetu_mask always yields 11 characters, '*' from position 8 on, and
 *    nothing but [0-9A-Z+-*]: nothing past the century sign ever shows;
 *  - rk_hetu_query_kind's normalised string is 6, 7 or 11 characters, and a
 *    FULL query is a code rk_hetu_parse accepts (and only then);
 *  - a rejection sets err to RK_EFAIL with a message.
 * For an accepted input:
 *  - the code is 11 characters DDMMYYCNNNQ, birth year 1800-2099, individual
 *    2-999, temporary and the gender hint follow from NNN;
 *  - the normalised code, the lowercased input and the input wrapped in
 *    blanks all re-parse to the same struct (normalisation is idempotent);
 *  - the mask is the code's first 7 characters and "****";
 *  - rk_hetu_check_char gives code[10], no other check character is accepted,
 *    and rk_hetu_make rebuilds the same code from its birth date, individual
 *    number and sign.
 * And from the other side: a code rk_hetu_make builds from bytes of the input
 * parses back to the same date and number. */
#include "fuzz.h"

#include "validate.h"

static bool same_hetu(const rk_hetu *a, const rk_hetu *b)
{
    return strcmp(a->code, b->code) == 0 && a->birth.year == b->birth.year &&
           a->birth.month == b->birth.month && a->birth.day == b->birth.day &&
           a->individual == b->individual && a->temporary == b->temporary &&
           a->gender_hint == b->gender_hint;
}

static void check_mask(const char *input)
{
    char mask[RK_HETU_SIZE];
    memset(mask, 'Z', sizeof mask);
    rk_hetu_mask(input, mask);
    FUZZ_CHECK(mask[RK_HETU_LEN] == '\0' && strlen(mask) == RK_HETU_LEN, "mask length");
    for (size_t i = 0; i < RK_HETU_LEN; i++) {
        char c = mask[i];
        bool ok = (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || c == '+' || c == '-' ||
                  c == '*';
        FUZZ_CHECK(ok, "mask character 0x%02x at %zu", (unsigned char)c, i);
        if (i >= 7)
            FUZZ_CHECK(c == '*', "mask shows position %zu: \"%s\"", i, mask);
    }
}

static void check_query(const char *input)
{
    char norm[RK_HETU_SIZE];
    memset(norm, 0x55, sizeof norm);
    rk_hetu_query kind = rk_hetu_query_kind(input, norm);
    rk_hetu h;
    if (kind == RK_HETU_QUERY_NONE)
        return;
    size_t n = strnlen(norm, sizeof norm);
    FUZZ_CHECK(n < sizeof norm, "query norm not terminated");
    FUZZ_CHECK(fuzz_is_digits(norm, 6), "query norm \"%s\" does not start with DDMMYY", norm);
    switch (kind) {
    case RK_HETU_QUERY_BIRTH_DATE:
        FUZZ_CHECK(n == 6, "BIRTH_DATE query of length %zu", n);
        break;
    case RK_HETU_QUERY_BIRTH_DATE_CENTURY:
        FUZZ_CHECK(n == 7, "BIRTH_DATE_CENTURY query of length %zu", n);
        break;
    case RK_HETU_QUERY_FULL:
        FUZZ_CHECK(n == RK_HETU_LEN, "FULL query of length %zu", n);
        FUZZ_CHECK(rk_hetu_parse(norm, &h, NULL) == RK_OK, "FULL query \"%s\" does not parse",
                   norm);
        FUZZ_CHECK(strcmp(h.code, norm) == 0, "FULL query norm \"%s\" != code \"%s\"", norm,
                   h.code);
        break;
    default:
        FUZZ_CHECK(false, "unknown query kind %d", (int)kind);
    }
}

static void check_accepted(const char *input, const rk_hetu *h)
{
    const char *c = h->code;
    FUZZ_CHECK(strlen(c) == RK_HETU_LEN, "code \"%s\" is not 11 characters", c);
    FUZZ_CHECK(fuzz_is_digits(c, 6) && fuzz_is_digits(c + 7, 3), "code \"%s\" layout", c);
    FUZZ_CHECK(strchr("+-YXWVUABCDEF", c[6]) != NULL, "century sign %c", c[6]);
    FUZZ_CHECK(h->birth.year >= 1800 && h->birth.year <= 2099, "birth year %d", h->birth.year);
    FUZZ_CHECK(rk_date_check(&h->birth, NULL) == RK_OK, "birth date does not exist");
    FUZZ_CHECK(h->individual >= 2 && h->individual <= 999, "individual %d", h->individual);
    FUZZ_CHECK(h->temporary == (h->individual >= 900), "temporary flag");
    FUZZ_CHECK(h->gender_hint == (h->individual % 2 ? RK_GENDER_HINT_MALE : RK_GENDER_HINT_FEMALE),
               "gender hint");
    FUZZ_CHECK(rk_hetu_check_char(&h->birth, h->individual) == c[10], "check char of \"%s\"", c);

    /* Normalisation is idempotent, and case and surrounding blanks do not matter. */
    rk_hetu again;
    FUZZ_CHECK(rk_hetu_parse(c, &again, NULL) == RK_OK, "normalised \"%s\" rejected", c);
    FUZZ_CHECK(same_hetu(h, &again), "normalised \"%s\" parses differently", c);
    char variant[64];
    size_t n = strlen(input);
    if (n < 48) {
        for (size_t i = 0; i <= n; i++)
            variant[i] = input[i] >= 'A' && input[i] <= 'Z' ? (char)(input[i] + 32) : input[i];
        FUZZ_CHECK(rk_hetu_parse(variant, &again, NULL) == RK_OK && same_hetu(h, &again),
                   "lowercase \"%s\" differs", variant);
        snprintf(variant, sizeof variant, " \t%s\r\n ", c);
        FUZZ_CHECK(rk_hetu_parse(variant, &again, NULL) == RK_OK && same_hetu(h, &again),
                   "blank-wrapped code differs");
    }

    /* The mask shows the date and sign only. */
    char mask[RK_HETU_SIZE];
    rk_hetu_mask(input, mask);
    FUZZ_CHECK(memcmp(mask, c, 7) == 0 && strcmp(mask + 7, "****") == 0,
               "mask \"%s\" of \"%s\"", mask, c);

    /* Exactly one check character is right. */
    static const char checks[] = "0123456789ABCDEFHJKLMNPRSTUVWXY";
    char other[RK_HETU_SIZE];
    for (size_t i = 0; i < sizeof checks - 1; i++) {
        if (checks[i] == c[10])
            continue;
        memcpy(other, c, sizeof other);
        other[10] = checks[i];
        FUZZ_CHECK(rk_hetu_parse(other, NULL, NULL) != RK_OK, "\"%s\" also accepted", other);
    }

    /* rk_hetu_make rebuilds the code from its parts. */
    char made[RK_HETU_SIZE];
    rk_err err;
    FUZZ_CHECK(rk_hetu_make(&h->birth, h->individual, c[6], made, &err) == RK_OK,
               "rk_hetu_make refused the parts of \"%s\": %s", c, err.msg);
    FUZZ_CHECK(strcmp(made, c) == 0, "rk_hetu_make gave \"%s\" for \"%s\"", made, c);
}

/* Builds a code from raw bytes; whatever rk_hetu_make accepts must parse back. */
static void check_make(const uint8_t *d, size_t size)
{
    if (size < 7)
        return;
    rk_date birth = { 1790 + (d[0] << 8 | d[1]) % 330, d[2] % 14, d[3] % 33 };
    int individual = (d[4] << 8 | d[5]) % 1003;
    static const char signs[] = "+-YXWVUABCDEFGa";
    char sign = d[6] % 3 == 0 ? '\0' : signs[d[6] % (sizeof signs - 1)];
    char code[RK_HETU_SIZE];
    rk_err err;
    rk_err_clear(&err);
    if (rk_hetu_make(&birth, individual, sign, code, &err) != RK_OK) {
        FUZZ_CHECK(err.code == RK_EFAIL && err.msg[0], "rk_hetu_make failed without a message");
        return;
    }
    rk_hetu h;
    FUZZ_CHECK(rk_hetu_parse(code, &h, &err) == RK_OK, "made \"%s\" rejected: %s", code, err.msg);
    FUZZ_CHECK(h.birth.year == birth.year && h.birth.month == birth.month &&
                   h.birth.day == birth.day && h.individual == individual,
               "made \"%s\" parses to another person", code);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *input = fuzz_cstr(data, size, 256);
    rk_hetu h;
    rk_err err;
    rk_err_clear(&err);

    check_mask(input);
    check_query(input);
    if (rk_hetu_parse(input, &h, &err) == RK_OK) {
        check_accepted(input, &h);
        char norm[RK_HETU_SIZE];
        FUZZ_CHECK(rk_hetu_query_kind(input, norm) == RK_HETU_QUERY_FULL &&
                       strcmp(norm, h.code) == 0,
                   "accepted code \"%s\" is not a FULL query", h.code);
    } else {
        FUZZ_CHECK(err.code == RK_EFAIL && err.msg[0], "rejection without a message");
        FUZZ_CHECK(rk_hetu_query_kind(input, NULL) != RK_HETU_QUERY_FULL,
                   "rejected input is a FULL query");
    }
    check_make(data, size);
    free(input);
    return 0;
}
