#include "hetu_set.h"

#include <string.h>

#include "common.h"

static size_t hetu_hash(const char *s)
{
    size_t h = 1469598103934665603ULL;   /* FNV-1a */
    for (int i = 0; i < RK_HETU_LEN && s[i]; i++)
        h = (h ^ (unsigned char)s[i]) * 1099511628211ULL;
    return h;
}

static rk_hetu_slot *find(rk_hetu_slot *slot, size_t cap, const char *code)
{
    size_t j = hetu_hash(code) & (cap - 1);
    while (slot[j].code[0] && strncmp(slot[j].code, code, RK_HETU_LEN) != 0)
        j = (j + 1) & (cap - 1);
    return &slot[j];
}

/* At most half full: linear probing stays short. Each code lands at
 * random in a table of tens of megabytes: huge pages spare most of the
 * TLB misses (1M codes: 0.22 s -> 0.10 s here). */
static bool resize(rk_hetu_set *hs, size_t cap)
{
    rk_hetu_slot *s = rk_big_map(cap * sizeof *s);
    if (!s)
        return false;
    for (size_t i = 0; i < hs->cap; i++)
        if (hs->slot[i].code[0])
            *find(s, cap, hs->slot[i].code) = hs->slot[i];
    rk_big_free(hs->slot, hs->cap * sizeof *hs->slot);
    hs->slot = s;
    hs->cap = cap;
    return true;
}

bool rk_hetu_set_reserve(rk_hetu_set *hs, size_t n)
{
    size_t cap = hs->cap ? hs->cap : 4096;
    while (cap / 2 <= n)
        cap *= 2;
    return cap == hs->cap || resize(hs, cap);
}

long long rk_hetu_set_add(rk_hetu_set *hs, const char *code, size_t value)
{
    if (!rk_hetu_set_reserve(hs, hs->n + 1))
        return -1;
    rk_hetu_slot *s = find(hs->slot, hs->cap, code);
    if (s->code[0])
        return (long long)s->value;
    strncpy(s->code, code, RK_HETU_LEN);
    s->value = value;
    hs->n++;
    return 0;
}

void rk_hetu_set_free(rk_hetu_set *hs)
{
    rk_big_free(hs->slot, hs->cap * sizeof *hs->slot);
    memset(hs, 0, sizeof *hs);
}
