/* Password rules: rk_password_acceptable (password.h).
 *
 * Input: byte 0 is the username length (mod 48), then the username, then the
 * password (each ends at a NUL, as C strings do).
 *
 * Invariants: an accepted password is valid UTF-8, 12 or more code points,
 * at most 256 bytes, not one character repeated, not the username in any
 * ASCII case; acceptance clears err; a refusal is RK_EFAIL with a message.
 * The username rule only ever removes passwords: accepted with a username
 * means accepted with no username (NULL or ""). The answer is the same when
 * asked twice. For a valid username, the username with digits before or after
 * it, in any ASCII case, is always refused. */
#include "fuzz.h"

#include "password.h"

static bool accepts(const char *user, const char *pw, rk_err *err)
{
    rk_err local;
    if (!err)
        err = &local;
    memset(err, 0x55, sizeof *err);
    err->msg[sizeof err->msg - 1] = '\0';
    int rc = rk_password_acceptable(user, pw, err);
    if (rc == RK_OK) {
        FUZZ_CHECK(err->code == RK_OK && err->msg[0] == '\0', "acceptance leaves err set");
        return true;
    }
    FUZZ_CHECK(rc == RK_EFAIL && err->code == RK_EFAIL && err->msg[0] &&
                   strnlen(err->msg, sizeof err->msg) < sizeof err->msg,
               "refusal %d without a message", rc);
    return false;
}

static void check_user_digits(const char *user, const uint8_t *data, size_t size)
{
    if (!rk_username_valid(user))
        return;
    char digits[24];
    size_t nd = 0;
    for (size_t i = 0; i < size && nd < sizeof digits - 1; i++)
        digits[nd++] = (char)('0' + data[i] % 10);
    digits[nd] = '\0';
    char pw[96], upper[RK_USERNAME_MAX + 1];
    for (size_t i = 0; i <= strlen(user); i++)
        upper[i] = user[i] >= 'a' && user[i] <= 'z' ? (char)(user[i] - 32) : user[i];
    size_t half = nd / 2;
    snprintf(pw, sizeof pw, "%s%s", user, digits);
    FUZZ_CHECK(!accepts(user, pw, NULL), "\"%s\" accepted for user %s", pw, user);
    snprintf(pw, sizeof pw, "%.*s%s%s", (int)half, digits, upper, digits + half);
    FUZZ_CHECK(!accepts(user, pw, NULL), "\"%s\" accepted for user %s", pw, user);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    size_t ulen = data[0] % 48;
    if (ulen > size - 1)
        ulen = size - 1;
    char *user = fuzz_cstr(data + 1, ulen, ulen);
    char *pw = fuzz_cstr(data + 1 + ulen, size - 1 - ulen, 1024);
    rk_err err;

    bool ok = accepts(user, pw, &err);
    FUZZ_CHECK(accepts(user, pw, NULL) == ok, "two answers for the same password");
    if (ok) {
        size_t bytes = strlen(pw), cps = 0;
        static uint32_t cp[1100];
        FUZZ_CHECK(bytes <= RK_PASSWORD_MAX_BYTES, "accepted %zu bytes", bytes);
        FUZZ_CHECK(fuzz_utf8_decode((const unsigned char *)pw, bytes, cp, 1100, &cps),
                   "accepted invalid UTF-8");
        FUZZ_CHECK(cps >= RK_PASSWORD_MIN_CHARS, "accepted %zu code points", cps);
        bool same = true;
        for (size_t i = 1; i < cps; i++)
            same = same && cp[i] == cp[0];
        FUZZ_CHECK(!same, "accepted one character repeated");
        if (*user) {
            bool equal = strlen(user) == bytes;
            for (size_t i = 0; equal && i < bytes; i++) {
                char a = user[i], b = pw[i];
                a = a >= 'A' && a <= 'Z' ? (char)(a + 32) : a;
                b = b >= 'A' && b <= 'Z' ? (char)(b + 32) : b;
                equal = a == b;
            }
            FUZZ_CHECK(!equal, "accepted the username as the password");
        }
        FUZZ_CHECK(accepts(NULL, pw, NULL), "accepted for %s but not without a username", user);
        FUZZ_CHECK(accepts("", pw, NULL), "accepted for %s but not for \"\"", user);
    } else if (!accepts(NULL, pw, NULL)) {
        FUZZ_CHECK(!accepts("", pw, NULL), "NULL and \"\" usernames differ");
    }
    check_user_digits(user, data + 1 + ulen, size - 1 - ulen);
    free(user);
    free(pw);
    return 0;
}
