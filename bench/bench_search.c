/* Search-as-you-type benchmark on a registry filled by `rekisteri demo
 * --clients N`: each pattern run REPS times through the real engine
 * (rk_search_query) and through the policy-filtered service that also
 * fetches the shown rows (rk_clients_search), beside a raw indexed SQLite
 * probe with LIMIT 50 measured in the same run as the reference. */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "clients.h"
#include "db_search.h"
#include "secure.h"
#include "session.h"

#define REPS 200

static double now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

static int cmp_d(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static const char *patterns[] = {
    "m", "ma", "mä", "mäk", "mak", "maki", "makinen", "a", "an", "anna", "ö", "x", "aberg",
    "virtanen", "anna m", "mäk an", "virtanen mat", "virtanen matti", "matti vi", "m a",
    "lindholm åsa", "anna maria virtanen", "131", "1310", "131052", "040", "0401", "0401234",
    "040 123", "+35840", "matti.", "anna.k", "zz",
};

static double all_engine[RK_ARRAY_LEN(patterns) * REPS], all_service[RK_ARRAY_LEN(patterns) * REPS];

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: bench_search REGISTRY_DIR (a demo registry)\n");
        return 2;
    }
    rk_err err;
    if (rk_secure_init(&err)) {
        fprintf(stderr, "%s\n", err.msg);
        return 1;
    }
    rk_paths p;
    rk_session *s;
    if (rk_paths_resolve(argv[1], &p, &err) ||
        rk_session_login(&p, "dpo", "demo-dpo-2026", &s, NULL, &err)) {
        fprintf(stderr, "bench_search: %s\n", err.msg);
        return 1;
    }
    int64_t nclients = 0;
    sqlite3 *h = rk_db_handle(s->db);
    sqlite3_stmt *st;
    sqlite3_prepare_v2(h, "SELECT count(*) FROM clients", -1, &st, NULL);
    if (sqlite3_step(st) == SQLITE_ROW)
        nclients = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    printf("clients: %lld, %d runs per pattern, times in microseconds\n\n", (long long)nclients, REPS);
    printf("%-22s %5s %9s %9s %9s %11s %11s\n", "pattern", "hits", "median", "p99", "max",
           "svc median", "svc max");

    /* Warm the page cache once, as a desk that has been typing would. */
    int64_t ids[50];
    size_t n;
    for (size_t i = 0; i < RK_ARRAY_LEN(patterns); i++)
        rk_search_query(s->db, patterns[i], ids, 50, &n, &err);

    rk_search_hit *hits = calloc(50, sizeof *hits);
    size_t ae = 0, as = 0;
    double t[REPS], u[REPS];
    for (size_t i = 0; i < RK_ARRAY_LEN(patterns); i++) {
        for (int r = 0; r < REPS; r++) {
            double t0 = now_us();
            rk_search_query(s->db, patterns[i], ids, 50, &n, &err);
            double t1 = now_us();
            t[r] = all_engine[ae++] = t1 - t0;
            size_t nh;
            double t2 = now_us();
            sqlite3_exec(h, "BEGIN", NULL, NULL, NULL);
            rk_clients_search(s, patterns[i], hits, 50, &nh, false, &err);
            sqlite3_exec(h, "COMMIT", NULL, NULL, NULL);
            u[r] = all_service[as++] = now_us() - t2;
        }
        qsort(t, REPS, sizeof t[0], cmp_d);
        qsort(u, REPS, sizeof u[0], cmp_d);
        printf("%-22s %5zu %9.1f %9.1f %9.1f %11.1f %11.1f\n", patterns[i], n, t[REPS / 2],
               t[REPS * 99 / 100], t[REPS - 1], u[REPS / 2], u[REPS - 1]);
    }
    /* The reference: an indexed range probe with LIMIT 50 on the same file. */
    sqlite3_prepare_v2(h, "SELECT client_id FROM search_key WHERE key >= 'ma' AND key < 'mb' LIMIT 50",
                       -1, &st, NULL);
    for (int r = 0; r < REPS; r++) {
        double t0 = now_us();
        while (sqlite3_step(st) == SQLITE_ROW)
            ;
        sqlite3_reset(st);
        t[r] = now_us() - t0;
    }
    sqlite3_finalize(st);
    qsort(t, REPS, sizeof t[0], cmp_d);
    printf("%-22s %5d %9.1f %9.1f %9.1f\n", "raw probe LIMIT 50", 50, t[REPS / 2],
           t[REPS * 99 / 100], t[REPS - 1]);

    qsort(all_engine, ae, sizeof all_engine[0], cmp_d);
    qsort(all_service, as, sizeof all_service[0], cmp_d);
    printf("\noverall engine:  median %.1f us, p99 %.1f us, worst %.1f us\n", all_engine[ae / 2],
           all_engine[ae * 99 / 100], all_engine[ae - 1]);
    printf("overall service: median %.1f us, p99 %.1f us, worst %.1f us (search + fetch of shown rows)\n",
           all_service[as / 2], all_service[as * 99 / 100], all_service[as - 1]);
    free(hits);
    rk_session_close(s);
    return 0;
}
