/* Test data: the i-th of 28 * 12 * 40 * 800 valid henkilötunnus codes of
 * the 1900s, all different (day, month, year and individual number from i,
 * the check character computed). */
#ifndef RK_TEST_HETU_GEN_H
#define RK_TEST_HETU_GEN_H

#include <stdio.h>

#include "validate.h"

static inline void test_hetu_nth(int i, char out[RK_HETU_SIZE])
{
    int d = i / 800, ind = 2 + i % 800;
    int dd = 1 + d % 28, mm = 1 + (d / 28) % 12, yy = 60 + d / 336;
    long num = ((long)dd * 10000 + mm * 100 + yy) * 1000 + ind;
    snprintf(out, RK_HETU_SIZE, "%02d%02d%02d-%03d%c", dd, mm, yy, ind,
             "0123456789ABCDEFHJKLMNPRSTUVWXY"[num % 31]);
}

#endif
