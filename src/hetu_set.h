/* A set of henkilötunnus codes, each with a number (a file's line, say):
 * open addressing over fixed-size entries. Used where codes are checked for
 * twins without the database's index: an import's file, and a bulk load
 * while the index is dropped. */
#ifndef RK_HETU_SET_H
#define RK_HETU_SET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "validate.h"

/* Code and number side by side: a lookup touches one cache line (with a
 * million codes the table is far larger than the caches; two arrays cost
 * two misses a code). */
typedef struct rk_hetu_slot {
    uint64_t value;
    char code[RK_HETU_SIZE];   /* "" for a free slot */
} rk_hetu_slot;

typedef struct rk_hetu_set {
    rk_hetu_slot *slot;
    size_t cap, n;
} rk_hetu_set;   /* zeroed: empty */

/* Room for n codes without growing (growing rehashes every code): for a
 * caller that knows about how many will come. false when out of memory. */
bool rk_hetu_set_reserve(rk_hetu_set *hs, size_t n);
/* The value code was added with before, or 0 after adding it with value
 * (which must not be 0; code must not be empty). -1 when out of memory.
 * Codes longer than RK_HETU_LEN are compared by their first RK_HETU_LEN
 * bytes. */
long long rk_hetu_set_add(rk_hetu_set *hs, const char *code, size_t value);
void rk_hetu_set_free(rk_hetu_set *hs);

#endif
