/* Packed search-index blocks (db/search_base.h): sb_block_decode on any
 * bytes, and encode/decode round trips through sb_block_add.
 *
 * Invariants:
 *  - nothing crashes, leaks or reads out of bounds, whatever the bytes;
 *  - every decoded entry has 2 <= g length <= SB_GMAX and tok length <=
 *    SB_TOKMAX;
 *  - the entries of bytes that decode, encoded again one by one, decode to
 *    the same entries;
 *  - entries made from the input (records split at 0xff: g, a rank, tok),
 *    sorted as a rebuild writes them, encoded and decoded, come back the
 *    same and in the same order. */
#include "fuzz.h"

#include "search_base.h"

typedef struct entry {
    unsigned char g[SB_GMAX];
    int gl;
    uint32_t rank;
    char tok[SB_TOKMAX];
    int tokl;
} entry;

typedef struct list {
    entry *e;
    size_t n, cap;
} list;

static bool collect(void *ctx, const unsigned char *g, int gl, uint32_t rank, const char *tok, int tokl)
{
    list *l = ctx;
    FUZZ_CHECK(gl >= 0 && gl <= SB_GMAX && tokl >= 0 && tokl <= SB_TOKMAX, "entry sizes %d %d", gl,
               tokl);
    if (l->n == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 16;
        l->e = realloc(l->e, l->cap * sizeof *l->e);
        FUZZ_CHECK(l->e != NULL, "out of memory");
    }
    entry *e = &l->e[l->n++];
    memcpy(e->g, g, (size_t)gl);
    e->gl = gl;
    e->rank = rank;
    memcpy(e->tok, tok, (size_t)tokl);
    e->tokl = tokl;
    return true;
}

static int cmp_entry(const void *pa, const void *pb)
{
    const entry *a = pa, *b = pb;
    int c = sb_cmp(a->g, a->gl, b->g, b->gl);
    if (c)
        return c;
    if (a->rank != b->rank)
        return a->rank < b->rank ? -1 : 1;
    return sb_cmp(a->tok, a->tokl, b->tok, b->tokl);
}

/* Encodes l, decodes the bytes, and checks the same entries come back. */
static void round_trip(const list *l)
{
    sb_block b = { 0 };
    size_t kept = 0;
    for (size_t i = 0; i < l->n; i++)
        if (l->e[i].gl >= 2 && sb_block_add(&b, l->e[i].g, l->e[i].gl, l->e[i].rank, l->e[i].tok, l->e[i].tokl))
            kept++;
        else
            FUZZ_CHECK(l->e[i].gl < 2, "an entry of %d bytes was refused", l->e[i].gl);
    list back = { 0 };
    FUZZ_CHECK(sb_block_decode(b.buf, (int)b.len, collect, &back), "encoded bytes do not decode");
    FUZZ_CHECK(back.n == kept, "%zu entries encoded, %zu decoded", kept, back.n);
    for (size_t i = 0, j = 0; i < l->n; i++) {
        if (l->e[i].gl < 2)
            continue;
        FUZZ_CHECK(cmp_entry(&l->e[i], &back.e[j]) == 0, "entry %zu changed", i);
        j++;
    }
    free(back.e);
    sb_block_free(&b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* The bytes as a block. */
    list got = { 0 };
    if (sb_block_decode(data, (int)size, collect, &got))
        round_trip(&got);
    free(got.e);

    /* The bytes as entries. */
    list made = { 0 };
    for (size_t at = 0; at < size;) {
        const uint8_t *end = memchr(data + at, 0xff, size - at);
        size_t n = end ? (size_t)(end - (data + at)) : size - at;
        const uint8_t *r = data + at;
        if (n >= 3) {
            entry e = { .rank = (uint32_t)r[0] << 16 | (uint32_t)r[1] << 8 | r[2] };
            size_t gl = (n - 3) / 2;
            if (gl > SB_GMAX - 2)
                gl = SB_GMAX - 2;
            memcpy(e.g, r + 3, gl);
            e.g[gl] = 0;
            e.g[gl + 1] = 0;
            e.gl = (int)gl + 2;
            size_t tl = n - 3 - gl;
            if (tl > SB_TOKMAX)
                tl = SB_TOKMAX;
            memcpy(e.tok, r + 3 + gl, tl);
            e.tokl = (int)tl;
            if (made.n == made.cap) {
                made.cap = made.cap ? made.cap * 2 : 16;
                made.e = realloc(made.e, made.cap * sizeof *made.e);
                FUZZ_CHECK(made.e != NULL, "out of memory");
            }
            made.e[made.n++] = e;
        }
        at += n + 1;
    }
    if (made.n)
        qsort(made.e, made.n, sizeof *made.e, cmp_entry);
    round_trip(&made);
    free(made.e);
    return 0;
}
