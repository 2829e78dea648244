#include "utf8.h"

#define REPLACEMENT ((wchar_t)0xFFFD)

static int valid_cp(unsigned long c)
{
    return c <= 0x10FFFF && !(c >= 0xD800 && c <= 0xDFFF);
}

size_t ui_utf8_next(const char *s, size_t n, wchar_t *out)
{
    if (n == 0)
        return 0;
    const unsigned char *p = (const unsigned char *)s;
    unsigned long c = p[0];
    size_t len;
    unsigned long min;
    if (c < 0x80) {
        *out = (wchar_t)c;
        return 1;
    } else if ((c & 0xE0) == 0xC0) {
        len = 2; c &= 0x1F; min = 0x80;
    } else if ((c & 0xF0) == 0xE0) {
        len = 3; c &= 0x0F; min = 0x800;
    } else if ((c & 0xF8) == 0xF0) {
        len = 4; c &= 0x07; min = 0x10000;
    } else {
        *out = REPLACEMENT;
        return 1;
    }
    if (len > n) {
        *out = REPLACEMENT;
        return 1;
    }
    for (size_t i = 1; i < len; i++) {
        if ((p[i] & 0xC0) != 0x80) {
            *out = REPLACEMENT;
            return 1;
        }
        c = (c << 6) | (p[i] & 0x3F);
    }
    /* Overlong forms and surrogates are refused like any bad byte. */
    *out = c >= min && valid_cp(c) ? (wchar_t)c : REPLACEMENT;
    return *out == REPLACEMENT && c != 0xFFFD ? 1 : len;
}

size_t ui_utf8_len(wchar_t wc)
{
    unsigned long c = (unsigned long)wc;
    if (c < 0x80)
        return 1;
    if (c < 0x800)
        return 2;
    if (c < 0x10000 || !valid_cp(c))
        return 3;
    return 4;
}

size_t ui_utf8_put(wchar_t wc, char *out)
{
    unsigned long c = (unsigned long)wc;
    unsigned char *o = (unsigned char *)out;
    if (!valid_cp(c))
        c = 0xFFFD;
    if (c < 0x80) {
        o[0] = (unsigned char)c;
        return 1;
    }
    if (c < 0x800) {
        o[0] = (unsigned char)(0xC0 | (c >> 6));
        o[1] = (unsigned char)(0x80 | (c & 0x3F));
        return 2;
    }
    if (c < 0x10000) {
        o[0] = (unsigned char)(0xE0 | (c >> 12));
        o[1] = (unsigned char)(0x80 | ((c >> 6) & 0x3F));
        o[2] = (unsigned char)(0x80 | (c & 0x3F));
        return 3;
    }
    o[0] = (unsigned char)(0xF0 | (c >> 18));
    o[1] = (unsigned char)(0x80 | ((c >> 12) & 0x3F));
    o[2] = (unsigned char)(0x80 | ((c >> 6) & 0x3F));
    o[3] = (unsigned char)(0x80 | (c & 0x3F));
    return 4;
}
