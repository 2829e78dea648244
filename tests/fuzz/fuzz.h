/* Shared helpers for the libFuzzer targets in tests/fuzz (see tests/fuzz/run).
 * A target checks invariants with FUZZ_CHECK: a failed check prints what was
 * expected and aborts, so libFuzzer saves the input as a crash file exactly
 * as it does for a sanitizer report. No target writes outside its temp dir. */
#ifndef RK_FUZZ_H
#define RK_FUZZ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

#define FUZZ_CHECK(cond, ...)                                                   \
    do {                                                                        \
        if (!(cond)) {                                                          \
            fprintf(stderr, "fuzz invariant failed at %s:%d: ", __FILE__,       \
                    __LINE__);                                                  \
            fprintf(stderr, __VA_ARGS__);                                       \
            fprintf(stderr, " [%s]\n", #cond);                                  \
            abort();                                                            \
        }                                                                       \
    } while (0)

/* The input as a NUL-terminated string (it ends at the first NUL byte, as a
 * C string would), at most max bytes. Caller frees. */
static inline char *fuzz_cstr(const uint8_t *data, size_t size, size_t max)
{
    size_t n = 0;
    while (n < size && n < max && data[n] != 0)
        n++;
    char *s = malloc(n + 1);
    if (!s)
        abort();
    memcpy(s, data, n);
    s[n] = '\0';
    return s;
}

/* Strict UTF-8 (RFC 3629): no overlong forms, no surrogates, nothing above
 * U+10FFFF. Decodes s[0..n) into cps (may be NULL); returns false at the
 * first invalid byte. *count receives the number of code points. */
static inline bool fuzz_utf8_decode(const unsigned char *s, size_t n, uint32_t *cps,
                                    size_t cap, size_t *count)
{
    size_t k = 0;
    for (size_t i = 0; i < n;) {
        unsigned char b = s[i];
        uint32_t cp;
        size_t len;
        unsigned char lo = 0x80, hi = 0xbf;
        if (b < 0x80) {
            cp = b;
            len = 1;
        } else if (b >= 0xc2 && b <= 0xdf) {
            cp = b & 0x1fu;
            len = 2;
        } else if (b >= 0xe0 && b <= 0xef) {
            cp = b & 0x0fu;
            len = 3;
            if (b == 0xe0)
                lo = 0xa0;
            if (b == 0xed)
                hi = 0x9f;
        } else if (b >= 0xf0 && b <= 0xf4) {
            cp = b & 0x07u;
            len = 4;
            if (b == 0xf0)
                lo = 0x90;
            if (b == 0xf4)
                hi = 0x8f;
        } else {
            return false;
        }
        if (n - i < len)
            return false;
        for (size_t j = 1; j < len; j++) {
            unsigned char c = s[i + j];
            if (c < (j == 1 ? lo : 0x80) || c > (j == 1 ? hi : 0xbf))
                return false;
            cp = (cp << 6) | (c & 0x3fu);
        }
        if (cps && k < cap)
            cps[k] = cp;
        k++;
        i += len;
    }
    if (count)
        *count = k;
    return true;
}

static inline bool fuzz_utf8_valid(const char *s, size_t n)
{
    return fuzz_utf8_decode((const unsigned char *)s, n, NULL, 0, NULL);
}

static inline bool fuzz_is_digits(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return false;
    return true;
}

#endif
