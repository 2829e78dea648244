/* A set of henkilötunnus codes, each with a number (a file's line, say):
 * open addressing over fixed-size codes. Used where codes are checked for
 * twins without the database's index: an import's file, and a bulk load
 * while the index is dropped. */
#ifndef RK_HETU_SET_H
#define RK_HETU_SET_H

#include <stddef.h>

#include "validate.h"

typedef struct rk_hetu_set {
    char (*code)[RK_HETU_SIZE];
    size_t *value;
    size_t cap, n;
} rk_hetu_set;   /* zeroed: empty */

/* The value code was added with before, or 0 after adding it with value
 * (which must not be 0). -1 when out of memory. */
long long rk_hetu_set_add(rk_hetu_set *hs, const char *code, size_t value);
void rk_hetu_set_free(rk_hetu_set *hs);

#endif
