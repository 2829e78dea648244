/* Search as you type through the service: Finnish order (å, ä, ö after z),
 * exact letters ranked first, diacritic-insensitive prefixes of every word in
 * any order, henkilötunnus, customer number, phone and e-mail, role-filtered
 * hits, and the index kept in step with saves. */
#include "fixture.h"

#include "clients.h"
#include "demo_data.h"
#include "db_search.h"
#include "rights.h"

#include <sqlite3.h>

static void setup(void) { fix_create(); }
static void teardown(void) { fix_remove(); }

static int64_t add(rk_session *s, const char *first, const char *last, const char *hetu,
                   const char *phone, const char *email)
{
    rk_client *c;
    rk_err err;
    int64_t ex;
    ck_assert_int_eq(rk_clients_blank(s, &c, &err), RK_OK);
    ck_assert_int_eq(rk_client_set(c, RK_F_FIRST_NAMES, first, &err), RK_OK);
    ck_assert_int_eq(rk_client_set(c, RK_F_LAST_NAME, last, &err), RK_OK);
    if (hetu)
        ck_assert_msg(rk_client_set(c, RK_F_HETU, hetu, &err) == RK_OK, "%s", err.msg);
    if (phone)
        ck_assert_int_eq(rk_client_add_phone(c, "mobile", phone, &err), RK_OK);
    if (email)
        ck_assert_int_eq(rk_client_add_email(c, "personal", email, &err), RK_OK);
    ck_assert_msg(rk_clients_create(s, c, &ex, &err) == RK_OK, "%s", err.msg);
    int64_t id = c->id;
    rk_client_free(c);
    return id;
}

/* The base's entries must be in search_key's order (key, lit, sortkey,
 * client, tok): seeks and merges rely on it. twins counts a client's
 * entries of one key and lit (told apart by tok alone). */
struct order_check {
    char prev[1024];
    size_t prevl, prev_group;
    int64_t rows, twins;
};

static size_t row_key(char *out, size_t n, const char *key, int kl, const char *lit, int ll,
                      const unsigned char *sk, int skl, int64_t id, const char *tok, int tl,
                      size_t *group)
{
    size_t o = 0;
    ck_assert_uint_lt((size_t)(kl + ll + skl + tl) + 16, n);
    memcpy(out + o, key, (size_t)kl), o += (size_t)kl, out[o++] = 0;
    memcpy(out + o, lit, (size_t)ll), o += (size_t)ll, out[o++] = 0;
    /* sortkey then id decide the order; the sortkey's own 0x00 bytes come
     * before the birth day, which has a fixed length, so this compares as
     * the tuple does */
    memcpy(out + o, sk, (size_t)skl), o += (size_t)skl;
    for (int i = 7; i >= 0; i--)
        out[o++] = (char)(id >> (8 * i));
    *group = o;
    memcpy(out + o, tok, (size_t)tl), o += (size_t)tl;
    return o;
}

static void order_cb(const char *key, int kl, const char *lit, int ll, const unsigned char *sk,
                     int skl, int64_t id, const char *tok, int tl, void *ctx)
{
    struct order_check *x = ctx;
    char cur[1024];
    size_t group, n = row_key(cur, sizeof cur, key, kl, lit, ll, sk, skl, id, tok, tl, &group);
    if (x->rows++) {
        size_t m = n < x->prevl ? n : x->prevl;
        int c = memcmp(x->prev, cur, m);
        ck_assert_msg(c < 0 || (c == 0 && x->prevl < n), "base entries out of order at %.*s", kl, key);
        if (group == x->prev_group && !memcmp(x->prev, cur, group))
            x->twins++;
    }
    memcpy(x->prev, cur, n);
    x->prevl = n;
    x->prev_group = group;
}

/* Moves the whole index into the packed base, as a large import does, and
 * checks the base's order; returns the twins seen. */
static int64_t to_base(rk_session *s)
{
    rk_err err;
    ck_assert_int_eq(rk_db_begin(s->db, &err), RK_OK);
    ck_assert_msg(rk_search_rebuild(s->db, &err) == RK_OK, "%s", err.msg);
    ck_assert_int_eq(rk_db_commit(s->db, &err), RK_OK);
    ck_assert_int_eq(fix_sql_int(s, "SELECT count(*) FROM search_key"), 0);
    ck_assert_int_gt(fix_sql_int(s, "SELECT count(*) FROM search_base"), 0);
    struct order_check x = { 0 };
    ck_assert_msg(rk_search_each_row(s->db, order_cb, &x, &err) == RK_OK, "%s", err.msg);
    return x.twins;
}

/* The hits' names joined with '|'. */
static const char *names(rk_session *s, const char *q)
{
    static char out[2048];
    rk_search_hit hits[50];
    size_t n;
    rk_err err;
    ck_assert_msg(rk_clients_search(s, q, hits, 50, &n, false, &err) == RK_OK, "%s", err.msg);
    out[0] = '\0';
    for (size_t i = 0; i < n; i++) {
        if (i)
            strcat(out, "|");
        strncat(out, hits[i].name, sizeof out - strlen(out) - 1);
    }
    return out;
}

START_TEST(finnish_order_and_exact_first)
{
    rk_session *s = fix_login("dpo");
    add(s, "Anna", "Öhman", NULL, NULL, NULL);
    add(s, "Anna", "Zetterberg", NULL, NULL, NULL);
    add(s, "Anna", "Ärväs", NULL, NULL, NULL);
    add(s, "Anna", "Åberg", NULL, NULL, NULL);
    add(s, "Anna", "Aalto", NULL, NULL, NULL);
    add(s, "Ville", "Mäkinen", NULL, NULL, NULL);
    add(s, "Aino", "Makkonen", NULL, NULL, NULL);
    /* The same answers from rows saves wrote and from the packed base. */
    for (int part = 0; part < 2; part++) {
        if (part == 1)
            to_base(s);
    /* å, ä, ö after z, in that order. */
    ck_assert_str_eq(names(s, "anna"), "Aalto, Anna|Zetterberg, Anna|Åberg, Anna|Ärväs, Anna|Öhman, Anna");
    /* Both find both (diacritics do not matter); exact letters rank first. */
    ck_assert_str_eq(names(s, "mak"), "Makkonen, Aino|Mäkinen, Ville");
    ck_assert_str_eq(names(s, "mäk"), "Mäkinen, Ville|Makkonen, Aino");
    ck_assert_str_eq(names(s, "makinen"), "Mäkinen, Ville");
    ck_assert_str_eq(names(s, "MÄKINEN"), "Mäkinen, Ville");
    /* Any word, any order, prefixes. */
    ck_assert_str_eq(names(s, "vil mäk"), "Mäkinen, Ville");
    ck_assert_str_eq(names(s, "ann öh"), "Öhman, Anna");
    ck_assert_str_eq(names(s, "aberg"), "Åberg, Anna");
    ck_assert_str_eq(names(s, "zz"), "");
    }
    rk_session_logout(s);
}
END_TEST

START_TEST(identifiers_phone_email)
{
    rk_session *s = fix_login("dpo");
    int64_t a = add(s, "Anna", "Mäkinen", "131052-308T", "040 123 4567", "anna.makinen@example.com");
    add(s, "Pekka", "Virtanen", "010101-123N", "+358 50 765 4321", "pekka@example.org");
    for (int part = 0; part < 2; part++) {
        if (part == 1)
            to_base(s);
    ck_assert_str_eq(names(s, "131052-308T"), "Mäkinen, Anna");
    ck_assert_str_eq(names(s, "131052"), "Mäkinen, Anna");
    ck_assert_str_eq(names(s, "040 123"), "Mäkinen, Anna");
    ck_assert_str_eq(names(s, "+358401234567"), "Mäkinen, Anna");
    ck_assert_str_eq(names(s, "050 7654"), "Virtanen, Pekka");
    ck_assert_str_eq(names(s, "anna.mak"), "Mäkinen, Anna");
    ck_assert_str_eq(names(s, "100001"), "Mäkinen, Anna");
    }
    (void)a;
    rk_session_logout(s);
}
END_TEST

START_TEST(index_follows_saves_and_roles)
{
    rk_session *d = fix_login("dpo");
    int64_t id = add(d, "Anna", "Mäkinen", "131052-308T", NULL, NULL);
    /* A client of the packed base that changes leaves it, names and all. */
    to_base(d);
    ck_assert_str_eq(names(d, "mäkinen"), "Mäkinen, Anna");
    rk_client *o, *e;
    rk_err err;
    rk_conflict cf;
    ck_assert_int_eq(rk_clients_get(d, id, &o, &err), RK_OK);
    e = rk_client_clone(o);
    ck_assert_int_eq(rk_client_set(e, RK_F_LAST_NAME, "Korhonen", &err), RK_OK);
    ck_assert_int_eq(rk_clients_save(d, o, e, &cf, &err), RK_OK);
    ck_assert_str_eq(names(d, "mäkinen"), "");
    ck_assert_str_eq(names(d, "korh"), "Korhonen, Anna");
    ck_assert_str_eq(names(d, "131052"), "Korhonen, Anna");
    ck_assert_int_eq(fix_sql_int(d, "SELECT count(*) FROM search_base"), 0);
    ck_assert_int_eq(fix_sql_int(d, "SELECT count(*) FROM search_base_names"
                                    " WHERE instr(data, CAST('KINEN' AS BLOB)) > 0"), 0);
    rk_client_free(o);
    rk_client_free(e);
    rk_session_logout(d);
    /* Reception finds by the full code but sees it masked. */
    rk_session *r = fix_login("reception");
    rk_search_hit h[4];
    size_t n;
    ck_assert_int_eq(rk_clients_search(r, "131052-308T", h, 4, &n, true, &err), RK_OK);
    ck_assert_uint_eq(n, 1);
    ck_assert_str_eq(h[0].hetu, "131052-****");
    rk_session_logout(r);
    rk_session *m = fix_login("marketing");
    ck_assert_int_eq(rk_clients_search(m, "korh", h, 4, &n, false, &err), RK_OK);
    ck_assert_str_eq(h[0].hetu, "");
    ck_assert_str_eq(h[0].birth_date, "");
    rk_session_logout(m);
}
END_TEST

/* Every row of a query folded into one hash (FNV-1a over the columns). */
static uint64_t table_digest(rk_session *s, const char *sql, int64_t *rows)
{
    sqlite3_stmt *st;
    ck_assert_int_eq(sqlite3_prepare_v2(rk_db_handle(s->db), sql, -1, &st, NULL), SQLITE_OK);
    uint64_t h = 1469598103934665603u;
    *rows = 0;
    while (sqlite3_step(st) == SQLITE_ROW) {
        for (int i = 0; i < sqlite3_column_count(st); i++) {
            const unsigned char *t = sqlite3_column_text(st, i);
            for (; t && *t; t++)
                h = (h ^ *t) * 1099511628211u;
            h = (h ^ 0x1f) * 1099511628211u;
        }
        (*rows)++;
    }
    sqlite3_finalize(st);
    return h;
}

struct lines {
    char **l;
    size_t n, cap;
    int64_t orphans;    /* base entries whose client has left the base */
};

static void line_cb(const char *key, int kl, const char *lit, int ll, const unsigned char *sk,
                    int skl, int64_t id, const char *tok, int tl, void *ctx)
{
    struct lines *x = ctx;
    if (!id)
        x->orphans++;
    if (x->n == x->cap) {
        x->cap = x->cap ? x->cap * 2 : 4096;
        x->l = realloc(x->l, x->cap * sizeof *x->l);
    }
    char hex[600] = "";
    for (int i = 0; i < skl && i < 290; i++)
        sprintf(hex + 2 * i, "%02x", sk[i]);
    char buf[1200];
    snprintf(buf, sizeof buf, "%.*s|%.*s|%s|%lld|%.*s", kl, key, ll, lit, hex, (long long)id, tl, tok);
    x->l[x->n++] = strdup(buf);
}

static int cmp_line(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The index's whole content, both parts, as one digest. */
static uint64_t index_digest(rk_session *s, int64_t *rows)
{
    struct lines x = { 0 };
    rk_err err;
    ck_assert_msg(rk_search_each_row(s->db, line_cb, &x, &err) == RK_OK, "%s", err.msg);
    ck_assert_int_eq(x.orphans, 0);
    qsort(x.l, x.n, sizeof *x.l, cmp_line);
    uint64_t h = 1469598103934665603u;
    for (size_t i = 0; i < x.n; i++) {
        for (const char *t = x.l[i]; *t; t++)
            h = (h ^ (unsigned char)*t) * 1099511628211u;
        h = (h ^ 0x1f) * 1099511628211u;
        free(x.l[i]);
    }
    free(x.l);
    *rows = (int64_t)x.n;
    return h;
}

/* Patterns that take each plan of the engine: one-letter prefixes,
 * groups of whole words, collected rows, digit and e-mail prefixes,
 * several words. */
static const char *const queries[] = { "aalt", "östman", "ostm", "040 555", "m", "ma", "mak", "mäk",
                                       "virtanen", "anna m", "a", "ö", "131", "1310", "1000",
                                       "matti.", "anna.k", "040", "+35840", "m a", "virt mat", "zz",
                                       NULL };

/* Every hit of each query, joined. */
static void all_hits(rk_session *s, const char *const *qs, char *out, size_t outsz)
{
    out[0] = '\0';
    for (size_t i = 0; qs[i]; i++) {
        strncat(out, names(s, qs[i]), outsz - strlen(out) - 1);
        strncat(out, "#", outsz - strlen(out) - 1);
    }
}

/* The index's content, its counts (by the pass over both parts that
 * follows an erasure) and the answers to every pattern, before and after a
 * rebuild moves it all into the base: the same. Returns the twins seen. */
static int64_t same_after_rebuild(rk_session *s)
{
    static char before[65536], after[65536];
    const char *counts = "SELECT key, n FROM search_stat ORDER BY key";
    int64_t rows_a, rows_b, stats_a, stats_b;
    rk_err err;
    ck_assert_msg(rk_search_refresh_stats(s->db, &err) == RK_OK, "%s", err.msg);
    uint64_t ia = index_digest(s, &rows_a), sa = table_digest(s, counts, &stats_a);
    all_hits(s, queries, before, sizeof before);
    int64_t twins = to_base(s);
    uint64_t ib = index_digest(s, &rows_b), sb = table_digest(s, counts, &stats_b);
    all_hits(s, queries, after, sizeof after);
    ck_assert_int_eq(rows_a, rows_b);
    ck_assert(ia == ib);
    ck_assert_int_eq(stats_a, stats_b);
    ck_assert(sa == sb);
    ck_assert_str_eq(before, after);
    return twins;
}

/* n clients from the demo generator with this seed. */
static void generated(uint64_t seed, rk_client **cs, int n)
{
    rk_demo_gen *g = rk_demo_gen_new(seed);
    rk_err err;
    for (int i = 0; i < n; i++) {
        cs[i] = rk_client_new();
        ck_assert_msg(rk_demo_gen_client(g, cs[i], &err) == RK_OK, "%s", err.msg);
    }
    rk_demo_gen_free(g);
}

/* A search for the client's last and first names lists it. */
static void found_by_name(rk_session *s, const rk_client *c)
{
    char q[256];
    snprintf(q, sizeof q, "%s %s", c->value[RK_F_LAST_NAME], c->value[RK_F_FIRST_NAMES]);
    ck_assert_ptr_nonnull(strstr(names(s, q), c->value[RK_F_LAST_NAME]));
}

/* The bulk path (sort all rows, insert in key order, count keys on the way)
 * must build exactly the index that row-by-row saves build: same rows and
 * the same counts as a pass over the table, nothing lost or extra. */
START_TEST(rebuild_equals_row_by_row)
{
    rk_session *s = fix_login("dpo");
    /* Enough rows (about 27 a client) for the two-thread sort, and names
     * common enough for whole-word counts; added in batches small enough
     * to be indexed row by row. */
    enum { N = 3000, BATCH = 500 };
    static rk_client *cs[N];
    rk_err err;
    generated(7, cs, N);
    size_t bad;
    for (int i = 0; i < N; i += BATCH)
        ck_assert_msg(rk_clients_create_many(s, cs + i, BATCH, "test", &bad, &err) == RK_OK, "%s",
                      err.msg);
    ck_assert_int_gt(fix_sql_int(s, "SELECT count(*) FROM search_key"), 1 << 16);
    /* Counts by a pass over the table, as after an erasure... */
    ck_assert_msg(rk_search_refresh_stats(s->db, &err) == RK_OK, "%s", err.msg);
    ck_assert_int_gt(fix_sql_int(s, "SELECT count(*) FROM search_stat"), 100);
    ck_assert_int_eq(fix_sql_int(s, "SELECT count(*) FROM search_stat WHERE length(key) > 5"
                                " AND substr(key, 1, 1) BETWEEN 'a' AND 'z' AND n < 50"), 0);
    int64_t common = fix_sql_int(s, "SELECT count(*) FROM search_stat WHERE length(key) > 3"
                                    " AND substr(key, 1, 1) BETWEEN 'a' AND 'z'");
    ck_assert_int_gt(common, 0);   /* a common whole word is counted */
    /* ...and as the rebuild counts them while writing the base: the same;
     * the base holds the same rows and answers every query as they did.
     * Some generated clients have two words under one 3-letter prefix (the
     * entries then differ in tok alone): their order is checked too. */
    ck_assert_int_gt(same_after_rebuild(s), 0);
    /* And searching still finds a generated client by name. */
    found_by_name(s, cs[N / 2]);

    /* Saves after the rebuild: some clients of the base change (name,
     * phone), one is erased, new ones come; the two parts together are
     * the index a rebuild makes of the result, and answer the same. */
    for (int i = 0; i < 40; i++) {
        rk_client *o, *e;
        rk_conflict cf;
        ck_assert_int_eq(rk_clients_get(s, cs[i * 70]->id, &o, &err), RK_OK);
        e = rk_client_clone(o);
        ck_assert_int_eq(rk_client_set(e, RK_F_LAST_NAME, i % 2 ? "Östman" : "Aaltonen-Mäki", &err), RK_OK);
        if (i % 3 == 0)
            ck_assert_int_eq(rk_client_add_phone(e, "work", "040 555 0101", &err), RK_OK);
        ck_assert_msg(rk_clients_save(s, o, e, &cf, &err) == RK_OK, "%s", err.msg);
        rk_client_free(o);
        rk_client_free(e);
    }
    rk_erase_result er;
    ck_assert_msg(rk_client_erase(s, cs[N - 1]->id, cs[N - 1]->value[RK_F_CUSTOMER_NO], 0, NULL, &er,
                                  &err) == RK_OK, "%s", err.msg);
    add(s, "Matti", "Aaltonen", NULL, "040 555 0102", NULL);
    ck_assert_int_gt(fix_sql_int(s, "SELECT count(*) FROM search_key"), 0);
    same_after_rebuild(s);
    ck_assert_ptr_nonnull(strstr(names(s, "östman"), "Östman"));
    for (int i = 0; i < N; i++)
        rk_client_free(cs[i]);
    rk_session_logout(s);
}
END_TEST

/* A large load into an empty registry feeds its clients to the rebuild as
 * they are added (db_search.h): the index is the one a rebuild from the
 * tables makes, block for block, with the same names, counts and answers. */
START_TEST(fed_load_equals_rebuild)
{
    rk_session *s = fix_login("dpo");
    enum { N = 3000 };
    static rk_client *cs[N];
    rk_err err;
    generated(9, cs, N);
    size_t bad;
    ck_assert_msg(rk_clients_create_many(s, cs, N, "test", &bad, &err) == RK_OK, "%s", err.msg);
    rk_search_rebuild_times t;
    rk_search_last_rebuild(&t);
    ck_assert_uint_eq(t.clients, N);
    ck_assert_int_eq(fix_sql_int(s, "SELECT count(*) FROM search_key"), 0);
    ck_assert_int_gt(fix_sql_int(s, "SELECT count(*) FROM search_base"), 10);
    const char *blocks = "SELECT first, data FROM search_base ORDER BY first",
               *namesq = "SELECT blk, data FROM search_base_names ORDER BY blk",
               *counts = "SELECT key, n FROM search_stat ORDER BY key";
    static char before[65536], after[65536];
    int64_t n[4], m[4];
    uint64_t fed[4] = { table_digest(s, blocks, &n[0]), table_digest(s, namesq, &n[1]),
                        table_digest(s, counts, &n[2]), index_digest(s, &n[3]) };
    all_hits(s, queries, before, sizeof before);
    ck_assert_int_eq(rk_db_begin(s->db, &err), RK_OK);
    ck_assert_msg(rk_search_rebuild(s->db, &err) == RK_OK, "%s", err.msg);
    ck_assert_int_eq(rk_db_commit(s->db, &err), RK_OK);
    uint64_t rebuilt[4] = { table_digest(s, blocks, &m[0]), table_digest(s, namesq, &m[1]),
                            table_digest(s, counts, &m[2]), index_digest(s, &m[3]) };
    all_hits(s, queries, after, sizeof after);
    for (int i = 0; i < 4; i++) {
        ck_assert_int_eq(n[i], m[i]);
        ck_assert_msg(fed[i] == rebuilt[i], "part %d differs", i);
    }
    ck_assert_str_eq(before, after);
    found_by_name(s, cs[N / 3]);
    for (int i = 0; i < N; i++)
        rk_client_free(cs[i]);
    rk_session_logout(s);
}
END_TEST

/* A rebuild of an empty registry writes an empty base; saves after it
 * are found. */
START_TEST(rebuild_of_nothing)
{
    rk_session *s = fix_login("dpo");
    rk_err err;
    ck_assert_int_eq(rk_db_begin(s->db, &err), RK_OK);
    ck_assert_msg(rk_search_rebuild(s->db, &err) == RK_OK, "%s", err.msg);
    ck_assert_int_eq(rk_db_commit(s->db, &err), RK_OK);
    ck_assert_int_eq(fix_sql_int(s, "SELECT count(*) FROM search_base"), 0);
    ck_assert_str_eq(names(s, "a"), "");
    add(s, "Anna", "Aalto", NULL, NULL, NULL);
    ck_assert_str_eq(names(s, "a"), "Aalto, Anna");
    rk_session_logout(s);
}
END_TEST

Suite *test_suite(void)
{
    Suite *s = suite_create("search");
    TCase *t = tcase_create("search");
    tcase_set_timeout(t, 60);
    tcase_add_checked_fixture(t, setup, teardown);
    tcase_add_test(t, finnish_order_and_exact_first);
    tcase_add_test(t, identifiers_phone_email);
    tcase_add_test(t, index_follows_saves_and_roles);
    tcase_add_test(t, rebuild_equals_row_by_row);
    tcase_add_test(t, rebuild_of_nothing);
    tcase_add_test(t, fed_load_equals_rebuild);
    suite_add_tcase(s, t);
    return s;
}
