/* Phone numbers: rk_phone_normalise (validate.h).
 *
 * Invariants for an accepted number:
 *  - the result is E.164: '+', then 7-15 digits, the first not 0;
 *  - a Finnish number (+358) has 6-12 digits after +358, the first not 0
 *    ("Finnish NSNs never start with 0");
 *  - normalisation is idempotent: the result normalises to itself;
 *  - the same number written with 00 instead of +, and a Finnish number in
 *    its national form (0 + NSN), normalise to the same result.
 * A rejection sets err to RK_EFAIL with a message. */
#include "fuzz.h"

#include "validate.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *input = fuzz_cstr(data, size, 256);
    char out[RK_PHONE_SIZE];
    rk_err err;
    rk_err_clear(&err);
    memset(out, 0x55, sizeof out);

    if (rk_phone_normalise(input, out, &err) == RK_OK) {
        size_t n = strnlen(out, sizeof out);
        FUZZ_CHECK(n < sizeof out, "result not terminated");
        FUZZ_CHECK(out[0] == '+' && fuzz_is_digits(out + 1, n - 1), "\"%s\" is not +digits", out);
        FUZZ_CHECK(n - 1 >= 7 && n - 1 <= 15, "\"%s\" has %zu digits", out, n - 1);
        FUZZ_CHECK(out[1] != '0', "\"%s\" has no country code", out);
        if (strncmp(out, "+358", 4) == 0) {
            FUZZ_CHECK(n - 4 >= 6 && n - 4 <= 12, "Finnish \"%s\" has %zu NSN digits", out, n - 4);
            FUZZ_CHECK(out[4] != '0', "Finnish \"%s\" keeps a trunk 0 (from \"%s\")", out, input);
        }

        char again[RK_PHONE_SIZE];
        rk_err err2;
        FUZZ_CHECK(rk_phone_normalise(out, again, &err2) == RK_OK,
                   "\"%s\" (from \"%s\") is refused when given again: %s", out, input, err2.msg);
        FUZZ_CHECK(strcmp(again, out) == 0, "not idempotent: \"%s\" -> \"%s\" -> \"%s\"", input,
                   out, again);

        char other[32];
        snprintf(other, sizeof other, "00%s", out + 1);
        FUZZ_CHECK(rk_phone_normalise(other, again, NULL) == RK_OK && strcmp(again, out) == 0,
                   "\"%s\" and \"%s\" differ", other, out);
        if (strncmp(out, "+358", 4) == 0) {
            snprintf(other, sizeof other, "0%s", out + 4);
            FUZZ_CHECK(rk_phone_normalise(other, again, NULL) == RK_OK && strcmp(again, out) == 0,
                       "national \"%s\" and \"%s\" differ", other, out);
        }
    } else {
        FUZZ_CHECK(err.code == RK_EFAIL && err.msg[0], "rejection without a message");
    }
    free(input);
    return 0;
}
