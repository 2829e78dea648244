#include "hetu_set.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static size_t hetu_hash(const char *s)
{
    size_t h = 1469598103934665603ULL;   /* FNV-1a */
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    return h;
}

long long rk_hetu_set_add(rk_hetu_set *hs, const char *code, size_t value)
{
    if (hs->n * 2 >= hs->cap) {
        size_t cap = hs->cap ? hs->cap * 2 : 4096;
        char (*c)[RK_HETU_SIZE] = calloc(cap, sizeof *c);
        size_t *v = calloc(cap, sizeof *v);
        if (!c || !v) {
            free(c);
            free(v);
            return -1;
        }
        for (size_t i = 0; i < hs->cap; i++)
            if (hs->code[i][0]) {
                size_t j = hetu_hash(hs->code[i]) & (cap - 1);
                while (c[j][0])
                    j = (j + 1) & (cap - 1);
                memcpy(c[j], hs->code[i], RK_HETU_SIZE);
                v[j] = hs->value[i];
            }
        free(hs->code);
        free(hs->value);
        hs->code = c;
        hs->value = v;
        hs->cap = cap;
    }
    size_t j = hetu_hash(code) & (hs->cap - 1);
    while (hs->code[j][0]) {
        if (strcmp(hs->code[j], code) == 0)
            return (long long)hs->value[j];
        j = (j + 1) & (hs->cap - 1);
    }
    snprintf(hs->code[j], RK_HETU_SIZE, "%s", code);
    hs->value[j] = value;
    hs->n++;
    return 0;
}

void rk_hetu_set_free(rk_hetu_set *hs)
{
    free(hs->code);
    free(hs->value);
    memset(hs, 0, sizeof *hs);
}
