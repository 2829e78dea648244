/* Y-tunnus: rk_ytunnus_parse and rk_ytunnus_check_digit (validate.h).
 *
 * Invariants: an accepted ID normalises to 9 characters NNNNNNN-C whose C is
 * rk_ytunnus_check_digit of the digits; the normalised form re-parses to
 * itself (idempotent); the old six-digit form is the same ID with a leading
 * 0; no other check digit is accepted. A rejection carries a message. From
 * the other side: any seven digits from the input with the check digit
 * rk_ytunnus_check_digit gives form an accepted ID, and when it gives none
 * (remainder 1) no digit makes one. */
#include "fuzz.h"

#include "validate.h"

static void check_digits(const uint8_t *data, size_t size)
{
    if (size < 7)
        return;
    char seven[8];
    for (size_t i = 0; i < 7; i++)
        seven[i] = (char)('0' + data[i] % 10);
    seven[7] = '\0';
    char check = rk_ytunnus_check_digit(seven);
    char id[RK_YTUNNUS_SIZE + 4], out[RK_YTUNNUS_SIZE];
    int accepted = 0;
    for (char c = '0'; c <= '9'; c++) {
        snprintf(id, sizeof id, "%s-%c", seven, c);
        if (rk_ytunnus_parse(id, out, NULL) == RK_OK) {
            accepted++;
            FUZZ_CHECK(c == check, "\"%s\" accepted, check digit is '%c'", id,
                       check ? check : '?');
            FUZZ_CHECK(strcmp(out, id) == 0, "\"%s\" normalised to \"%s\"", id, out);
        }
    }
    FUZZ_CHECK(accepted == (check ? 1 : 0), "%d check digits accepted for %s", accepted, seven);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *input = fuzz_cstr(data, size, 128);
    char out[RK_YTUNNUS_SIZE];
    rk_err err;
    rk_err_clear(&err);
    memset(out, 0x55, sizeof out);

    if (rk_ytunnus_parse(input, out, &err) == RK_OK) {
        FUZZ_CHECK(strnlen(out, sizeof out) == RK_YTUNNUS_LEN, "normalised length");
        FUZZ_CHECK(fuzz_is_digits(out, 7) && out[7] == '-' && fuzz_is_digits(out + 8, 1),
                   "normalised \"%s\" is not NNNNNNN-C", out);
        char seven[8];
        memcpy(seven, out, 7);
        seven[7] = '\0';
        FUZZ_CHECK(rk_ytunnus_check_digit(seven) == out[8], "check digit of \"%s\"", out);
        char again[RK_YTUNNUS_SIZE];
        FUZZ_CHECK(rk_ytunnus_parse(out, again, NULL) == RK_OK && strcmp(again, out) == 0,
                   "\"%s\" does not re-parse to itself", out);
        if (out[0] == '0') {   /* the old six-digit form is the same ID */
            FUZZ_CHECK(rk_ytunnus_parse(out + 1, again, NULL) == RK_OK && strcmp(again, out) == 0,
                       "six-digit \"%s\" differs", out + 1);
        }
        for (char c = '0'; c <= '9'; c++) {
            if (c == out[8])
                continue;
            char other[RK_YTUNNUS_SIZE];
            memcpy(other, out, sizeof other);
            other[8] = c;
            FUZZ_CHECK(rk_ytunnus_parse(other, NULL, NULL) != RK_OK, "\"%s\" also accepted", other);
        }
    } else {
        FUZZ_CHECK(err.code == RK_EFAIL && err.msg[0], "rejection without a message");
    }
    check_digits(data, size);
    free(input);
    return 0;
}
