/* Test data: the i-th (i < 10,752,000) of 28 * 12 * 40 * 800 valid
 * henkilötunnus codes of the 1900s, all different (day, month, year and
 * individual number from i, the check character computed). Written digit
 * by digit: the sanitizer build's -Wformat-truncation cannot see the
 * ranges through snprintf. */
#ifndef RK_TEST_HETU_GEN_H
#define RK_TEST_HETU_GEN_H

#include "validate.h"

static inline void test_hetu_nth(int i, char out[RK_HETU_SIZE])
{
    int d = i / 800, ind = 2 + i % 800;
    int dd = 1 + d % 28, mm = 1 + (d / 28) % 12, yy = 60 + d / 336;
    long num = ((long)dd * 10000 + mm * 100 + yy) * 1000 + ind;
    const int digits[9] = { dd / 10, dd % 10, mm / 10, mm % 10, yy / 10 % 10, yy % 10,
                            ind / 100 % 10, ind / 10 % 10, ind % 10 };
    for (int k = 0, o = 0; k < 9; k++) {
        if (k == 6)
            out[o++] = '-';
        out[o++] = (char)('0' + digits[k]);
    }
    out[10] = "0123456789ABCDEFHJKLMNPRSTUVWXY"[num % 31];
    out[11] = '\0';
}

#endif
