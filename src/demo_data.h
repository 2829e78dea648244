/* Synthetic Finnish clients for `rekisteri demo --clients N` and benchmarks.
 *
 * Everything is made up. Identifiers and e-mail are chosen so that they are
 * not a real person's or company's and reach no one; phone numbers are not:
 *  - henkilötunnus codes use only the temporary individual numbers 900-999,
 *    unique within one generator (the registry's hetu column is UNIQUE).
 *    Another generator, or the same seed again, can repeat a code: adding
 *    demo clients to a registry that has some must expect a conflict;
 *  - e-mail addresses are at example.com / example.org / example.net
 *    (RFC 2606 reserved domains);
 *  - Y-tunnus values are 39xxxxx-C with a valid check digit: synthetic, from
 *    a range not yet issued in 2026 (IDs are handed out in order), though
 *    not reserved; contacts sharing an ID share the organisation name;
 *  - phone numbers are random numbers in real Finnish number ranges: never
 *    call or text them.
 * Names, postcodes with their post offices and street names are real words
 * combined at random.
 *
 * Output depends only on the seed and on how many clients were generated
 * before, so the same seed gives the same registry on every machine. */
#ifndef RK_DEMO_DATA_H
#define RK_DEMO_DATA_H

#include "client.h"

typedef struct rk_demo_gen rk_demo_gen;

/* NULL when out of memory. */
rk_demo_gen *rk_demo_gen_new(uint64_t seed);
void         rk_demo_gen_free(rk_demo_gen *g);

/* Fills out, which must be fresh from rk_client_new(), through the public
 * setters (so every value passed the validators). No id or customer number:
 * the database assigns those. RK_OK, or RK_EFAIL with err set (only if a
 * setter refused a value, which would be a bug here, or out of memory).
 * After about 3.6 million codes the temporary numbers run out and further
 * clients get no henkilötunnus. */
int rk_demo_gen_client(rk_demo_gen *g, rk_client *out, rk_err *err);

/* The generator's random stream, for callers that want reproducible choices
 * of their own (which demo clients to link as a household, say). */
uint64_t rk_demo_gen_u64(rk_demo_gen *g);
/* Uniform in [0, n); 0 when n is 0. */
uint32_t rk_demo_gen_below(rk_demo_gen *g, uint32_t n);

/* The post office of one of the generator's postcodes ("00100" ->
 * "HELSINKI"), or NULL if the postcode is not in its table. */
const char *rk_demo_post_office(const char *postcode);
/* How many (postcode, post office) pairs the table holds. */
size_t rk_demo_postcode_count(void);

#endif
