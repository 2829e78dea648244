/* Password acceptance per NIST SP 800-63B: length in code points, a byte cap
 * (the hash input and the secure buffers are sized in bytes), no password
 * derived from the username, no commonly used password, no composition rules.
 * Every refusal says which rule applies so the user can pick a better one. */
#include "utf8.h"
#include "password.h"

#include <string.h>

/* The project's one strict decoder, with this file's byte-pointer calls. */
static size_t utf8_decode(const unsigned char *s, size_t n, uint32_t *cp)
{
    return rk_utf8_decode((const char *)s, n, cp);
}

/* Case folding for comparisons: ASCII and the Latin-1 letters (Ä, Ö, Å, Ø...),
 * which is what Finnish and Swedish users type. */
static uint32_t fold(uint32_t c)
{
    if (c >= 'A' && c <= 'Z')
        return c + 32;
    if (c >= 0xc0 && c <= 0xde && c != 0xd7)
        return c + 32;
    return c;
}

/* Decodes valid UTF-8 (checked beforehand) into folded code points. */
static size_t to_folded(const char *s, uint32_t *out, size_t max)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t n = strlen(s), k = 0;
    while (n > 0 && k < max) {
        uint32_t cp = 0;
        size_t len = utf8_decode(p, n, &cp);
        if (len == 0)
            break;
        out[k++] = fold(cp);
        p += len;
        n -= len;
    }
    return k;
}

static bool is_digit(uint32_t c)
{
    return c >= '0' && c <= '9';
}

/* True if pw (folded code points) is word with only digits before and after,
 * e.g. "2024matti", "matti.virtanen1234": the word adds nothing an attacker
 * would not try first. */
static bool word_plus_digits(const uint32_t *pw, size_t npw, const char *word)
{
    uint32_t w[RK_PASSWORD_MAX_BYTES];
    size_t nw = to_folded(word, w, RK_ARRAY_LEN(w));
    if (nw == 0 || nw > npw)
        return false;
    for (size_t start = 0; start + nw <= npw; start++) {
        if (start > 0 && !is_digit(pw[start - 1]))
            break;
        if (memcmp(pw + start, w, nw * sizeof *w) != 0)
            continue;
        size_t i = start + nw;
        while (i < npw && is_digit(pw[i]))
            i++;
        if (i == npw)
            return true;
    }
    return false;
}

static bool folded_equal(const uint32_t *pw, size_t npw, const char *word)
{
    uint32_t w[RK_PASSWORD_MAX_BYTES];
    size_t nw = to_folded(word, w, RK_ARRAY_LEN(w));
    return nw == npw && memcmp(pw, w, nw * sizeof *w) == 0;
}

/* The most used passwords of 12+ characters in public breach lists, plus
 * Finnish and service-specific ones. Compared case-insensitively. */
static const char *const common_passwords[] = {
    "123456789012", "1234567890123", "12345678901234", "123456789123",
    "123123123123", "123412341234", "098765432109", "147258369147",
    "abcdefghijkl", "abc123abc123", "abcd1234abcd", "aaaaaa111111",
    "qwertyuiop12", "qwertyuiop123", "qwertyuiopasdf", "qwerty123456",
    "qwertyqwerty", "qwertyuiopåä", "1234qwerasdf", "qazwsxedcrfv",
    "1qaz2wsx3edc", "1q2w3e4r5t6y", "zaq12wsxcde3", "asdfghjkl123",
    "zxcvbnm12345", "iloveyou1234", "passwordpassword", "password123!",
    "p@ssw0rd1234", "letmeinletmein", "trustno1trustno1", "changemechangeme",
    "salasana123!", "salasanasalasana", "s4l4s4n41234", "salasana1234!",
    "kesäloma2024", "kesäloma2025", "asiakasrekisteri", "potilasrekisteri",
    "password1234", "salasana1234",
};

/* Common words that are refused with digits added before or after:
 * "salasana2025", "Password1234567"... */
static const char *const common_words[] = {
    "password", "passw0rd", "salasana", "qwerty", "qwertyuiop", "qwertyuiopå",
    "asdfghjkl", "asdfghjklöä",
    "admin", "administrator", "welcome", "letmein", "iloveyou", "changeme",
    "rekisteri", "tervetuloa", "kesäkuu", "heinäkuu", "syksy", "talvi", "kevät",
    "kesä", "suomi", "finland", "helsinki", "klinikka", "vastaanotto",
};

int rk_password_acceptable(const char *user, const char *password, rk_err *err)
{
    if (!password)
        password = "";
    size_t bytes = strlen(password);
    if (bytes > RK_PASSWORD_MAX_BYTES)
        return rk_err_set(err, RK_EFAIL,
                          _("The password must be at most %d bytes long (it has %zu; letters such as ä take two bytes)."),
                          RK_PASSWORD_MAX_BYTES, bytes);

    uint32_t cps[RK_PASSWORD_MAX_BYTES];
    size_t n = 0;
    const unsigned char *p = (const unsigned char *)password;
    for (size_t left = bytes; left > 0;) {
        uint32_t cp = 0;
        size_t len = utf8_decode(p, left, &cp);
        if (len == 0)
            return rk_err_set(err, RK_EFAIL, "%s",
                              _("The password is not valid UTF-8 text; check the terminal's character encoding."));
        cps[n++] = cp;
        p += len;
        left -= len;
    }

    if (n < RK_PASSWORD_MIN_CHARS)
        return rk_err_set(err, RK_EFAIL,
                          _("The password must be at least %d characters long (it has %zu)."),
                          RK_PASSWORD_MIN_CHARS, n);

    bool same = true;
    for (size_t i = 1; i < n && same; i++)
        same = cps[i] == cps[0];
    if (same)
        return rk_err_set(err, RK_EFAIL, "%s",
                          _("The password must not be a single character repeated."));

    uint32_t folded[RK_PASSWORD_MAX_BYTES];
    for (size_t i = 0; i < n; i++)
        folded[i] = fold(cps[i]);

    if (user && *user && word_plus_digits(folded, n, user))
        return rk_err_set(err, RK_EFAIL, "%s",
                          _("The password must not be the username, with or without digits added."));

    for (size_t i = 0; i < RK_ARRAY_LEN(common_passwords); i++)
        if (folded_equal(folded, n, common_passwords[i]))
            return rk_err_set(err, RK_EFAIL, "%s",
                              _("The password is one of the most commonly used passwords; choose another."));
    for (size_t i = 0; i < RK_ARRAY_LEN(common_words); i++)
        if (word_plus_digits(folded, n, common_words[i]))
            return rk_err_set(err, RK_EFAIL, "%s",
                              _("The password is a common word with only digits added; choose another."));

    rk_err_clear(err);
    return RK_OK;
}
