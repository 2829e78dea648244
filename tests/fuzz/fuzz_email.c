/* E-mail addresses: rk_email_normalise (validate.h).
 *
 * Invariants for an accepted address: at most 254 bytes of printable ASCII
 * without spaces; exactly one '@'; a local part of 1-64 characters without
 * a leading, trailing or double dot, kept exactly as typed; a domain of at
 * least two labels, all lowercase; normalisation is idempotent, and the same
 * address with its domain in capitals normalises to the same result. A
 * rejection sets err to RK_EFAIL with a message. */
#include "fuzz.h"

#include "validate.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *input = fuzz_cstr(data, size, 400);
    char out[RK_EMAIL_SIZE];
    rk_err err;
    rk_err_clear(&err);
    memset(out, 0x55, sizeof out);

    if (rk_email_normalise(input, out, &err) == RK_OK) {
        size_t n = strnlen(out, sizeof out);
        FUZZ_CHECK(n >= 3 && n <= RK_EMAIL_MAX, "length %zu", n);
        for (size_t i = 0; i < n; i++)
            FUZZ_CHECK(out[i] > 0x20 && out[i] < 0x7f, "byte 0x%02x in \"%s\"",
                       (unsigned char)out[i], out);
        const char *at = strchr(out, '@');
        FUZZ_CHECK(at && !strchr(at + 1, '@'), "\"%s\" has not exactly one @", out);
        size_t ln = (size_t)(at - out);
        FUZZ_CHECK(ln >= 1 && ln <= 64, "local part of %zu characters", ln);
        FUZZ_CHECK(out[0] != '.' && out[ln - 1] != '.' && !memmem(out, ln, "..", 2),
                   "dots in the local part of \"%s\"", out);
        FUZZ_CHECK(memmem(input, strlen(input), out, ln + 1) != NULL,
                   "local part of \"%s\" was changed", out);
        const char *dom = at + 1;
        FUZZ_CHECK(strchr(dom, '.') && dom[0] != '.' && dom[strlen(dom) - 1] != '.',
                   "domain \"%s\"", dom);
        for (const char *p = dom; *p; p++)
            FUZZ_CHECK(!(*p >= 'A' && *p <= 'Z'), "domain \"%s\" not lowercased", dom);

        char again[RK_EMAIL_SIZE];
        rk_err err2;
        FUZZ_CHECK(rk_email_normalise(out, again, &err2) == RK_OK,
                   "\"%s\" refused when given again: %s", out, err2.msg);
        FUZZ_CHECK(strcmp(again, out) == 0, "not idempotent: \"%s\" -> \"%s\"", out, again);

        char upper[RK_EMAIL_SIZE];
        memcpy(upper, out, n + 1);
        for (char *p = upper + ln + 1; *p; p++)
            if (*p >= 'a' && *p <= 'z')
                *p = (char)(*p - 32);
        FUZZ_CHECK(rk_email_normalise(upper, again, NULL) == RK_OK && strcmp(again, out) == 0,
                   "\"%s\" and \"%s\" differ", upper, out);
    } else {
        FUZZ_CHECK(err.code == RK_EFAIL && err.msg[0], "rejection without a message");
    }
    free(input);
    return 0;
}
