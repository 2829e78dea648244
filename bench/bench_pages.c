/* What fresh memory costs on this machine: 427 MB (the size of one of the
 * search rebuild's sort arrays at a million clients) touched once a page
 * after malloc, after MADV_POPULATE_WRITE, and a second time. On a VM with
 * shadow page tables the first touch of a fresh page is dear; this is why
 * db/db_search.c maps its sort arrays populated (BENCHMARKS.md). */
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>

#include "common.h"

#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23
#endif

static double touch(volatile char *p, size_t n, char v)
{
    double t0 = rk_monotonic_s();
    for (size_t i = 0; i < n; i += 4096)
        p[i] = v;
    return rk_monotonic_s() - t0;
}

int main(void)
{
    size_t n = (size_t)427 << 20;
    char *a = malloc(n);
    if (!a)
        return 1;
    double first = touch(a, n, 1), second = touch(a, n, 2);
    free(a);
    double t0 = rk_monotonic_s();
    char *b = mmap(NULL, n, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (b == MAP_FAILED)
        return 1;
    int rc = madvise(b, n, MADV_POPULATE_WRITE);
    double populate = rk_monotonic_s() - t0, after = touch(b, n, 1);
    munmap(b, n);
    printf("fresh memory, 427 MB: first touch %.2f s (%.1f us a page), second %.2f s;"
           " populated in one call %.2f s%s + first touch after %.2f s\n",
           first, first / (double)(n / 4096) * 1e6, second, populate,
           rc ? " (refused by this kernel)" : "", after);
    return 0;
}
