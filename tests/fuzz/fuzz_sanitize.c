/* Terminal sanitiser: rk_sanitize_n and rk_sanitize (sanitize.h).
 *
 * Input: byte 0 chooses the flags (bit 0: RK_SANITIZE_KEEP_NEWLINE) and
 * byte 1 the destination size (0-255; the buffer is allocated at exactly that
 * size so ASan sees any write past it); the rest is the untrusted text, NUL
 * bytes included.
 *
 * Invariants on the output:
 *  - never more than dstsize-1 bytes plus the NUL; the return value is its
 *    length; dstsize 0 writes nothing;
 *  - strictly valid UTF-8;
 *  - no C0 control (ESC included) except '\n' when KEEP_NEWLINE is given, no
 *    DEL, no C1 control U+0080-U+009F, no bidi embedding, override, isolate
 *    or mark (U+202A-U+202E, U+2066-U+2069, U+200E, U+200F, U+061C);
 *  - sanitising the output again changes nothing (idempotent);
 *  - a smaller destination gives the longest whole-code-point prefix of what
 *    a large one gets (truncation never splits a character or skips ahead);
 *  - rk_sanitize on the text up to its first NUL equals rk_sanitize_n of it;
 *  - escape sequences are dropped whole and every ESC restarts the parser:
 *    appending "ESC [ 3 1 m X" or "ESC ] 0 ; t BEL Y" to any text adds exactly
 *    "X" or "Y" to its output. */
#include "fuzz.h"

#include "sanitize.h"

#define BIG 8192

static bool forbidden(uint32_t cp, bool keep_newline)
{
    if (cp == '\n')
        return !keep_newline;
    return cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp <= 0x9f) ||
           (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069) || cp == 0x200e ||
           cp == 0x200f || cp == 0x061c;
}

static void check_output(const char *out, size_t len, size_t dstsize, int flags)
{
    FUZZ_CHECK(len < dstsize, "returned %zu bytes for a %zu-byte buffer", len, dstsize);
    FUZZ_CHECK(out[len] == '\0' && strlen(out) == len, "length %zu does not match the string",
               len);
    static uint32_t cps[BIG];
    size_t n = 0;
    FUZZ_CHECK(fuzz_utf8_decode((const unsigned char *)out, len, cps, BIG, &n),
               "output is not valid UTF-8");
    for (size_t i = 0; i < n; i++)
        FUZZ_CHECK(!forbidden(cps[i], flags & RK_SANITIZE_KEEP_NEWLINE),
                   "output keeps U+%04X (flags %d)", (unsigned)cps[i], flags);
}

/* Length of the longest prefix of s (len bytes) made of whole code points
 * and at most max bytes. s is valid UTF-8. */
static size_t whole_prefix(const char *s, size_t len, size_t max)
{
    size_t i = 0;
    while (i < len) {
        unsigned char b = (unsigned char)s[i];
        size_t cl = b < 0x80 ? 1 : b < 0xe0 ? 2 : b < 0xf0 ? 3 : 4;
        if (i + cl > max)
            break;
        i += cl;
    }
    return i;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2 || size > BIG / 4)
        return 0;
    int flags = data[0] & 1 ? RK_SANITIZE_KEEP_NEWLINE : 0;
    size_t dstsize = data[1];
    const char *src = (const char *)data + 2;
    size_t srclen = size - 2;

    static char big[BIG], again[BIG], tail[BIG], with[BIG + 32];
    size_t blen = rk_sanitize_n(big, sizeof big, src, srclen, flags);
    check_output(big, blen, sizeof big, flags);

    /* Idempotent: clean output passes through unchanged. */
    size_t alen = rk_sanitize_n(again, sizeof again, big, blen, flags);
    FUZZ_CHECK(alen == blen && memcmp(again, big, blen) == 0, "not idempotent (%zu -> %zu bytes)",
               blen, alen);

    /* The caller's size, allocated exactly. */
    char *dst = malloc(dstsize ? dstsize : 1);
    if (!dst)
        abort();
    dst[0] = 'Q';
    size_t dlen = rk_sanitize_n(dst, dstsize, src, srclen, flags);
    if (dstsize == 0) {
        FUZZ_CHECK(dlen == 0 && dst[0] == 'Q', "dstsize 0 wrote into the buffer");
    } else {
        check_output(dst, dlen, dstsize, flags);
        size_t want = whole_prefix(big, blen, dstsize - 1);
        FUZZ_CHECK(dlen == want && memcmp(dst, big, dlen) == 0,
                   "%zu-byte buffer got %zu bytes, not the %zu-byte prefix", dstsize, dlen, want);
    }
    free(dst);

    /* NUL-terminated entry point: the text up to its first NUL. */
    char *cstr = fuzz_cstr((const uint8_t *)src, srclen, srclen);
    size_t clen = rk_sanitize(again, sizeof again, cstr, flags);
    size_t nlen = rk_sanitize_n(tail, sizeof tail, cstr, strlen(cstr), flags);
    FUZZ_CHECK(clen == nlen && memcmp(again, tail, clen + 1) == 0,
               "rk_sanitize and rk_sanitize_n differ");
    free(cstr);

    /* Whatever state the text leaves the parser in, an ESC restarts it. */
    static const char *const suffix[] = { "\x1b[31mX", "\x1b]0;title\aY", "\x1bP1$r\x1b\\Z" };
    static const char visible[] = { 'X', 'Y', 'Z' };
    for (size_t k = 0; k < RK_ARRAY_LEN(suffix); k++) {
        size_t sl = strlen(suffix[k]);
        memcpy(with, src, srclen);
        memcpy(with + srclen, suffix[k], sl);
        size_t wlen = rk_sanitize_n(tail, sizeof tail, with, srclen + sl, flags);
        FUZZ_CHECK(wlen == blen + 1 && memcmp(tail, big, blen) == 0 && tail[blen] == visible[k],
                   "suffix %zu: %zu bytes out, expected %zu + '%c'", k, wlen, blen, visible[k]);
    }

    /* NULL text is an empty string. */
    FUZZ_CHECK(rk_sanitize(again, sizeof again, NULL, flags) == 0 && again[0] == '\0',
               "NULL source");
    return 0;
}
