/* Concurrency (issue 8): P processes x S saves on a few shared clients
 * through the client service (src/clients.h), each save a read-modify-write
 * of a counter kept in the client's other_info field, with the optimistic
 * version check. A conflict is retried from a fresh read, as the card's
 * Reload does. Afterwards:
 *   - no lost update: each client's counter equals the saves acknowledged
 *     on it, its version is 1 + that number, and the versions handed out
 *     by acknowledged saves are exactly 2..version, once each;
 *   - field_history rows and client_changed audit events equal the saves;
 *   - the audit chain verifies and PRAGMA integrity_check says ok;
 *   - no error other than a version conflict reached a worker (so no
 *     SQLITE_BUSY or "database is locked" message was shown to a user).
 * Prints saves per second and save-time percentiles (the rk_clients_save
 * call, which includes waiting for the write lock and the fsync).
 *
 *   concurrency [--procs P] [--saves S] [--clients K]   (defaults 8, 500, 4) */
#include <errno.h>
#include <sqlite3.h>
#include <sys/wait.h>

#include "audit.h"
#include "clients.h"
#include "stress.h"

enum { MAX_CLIENTS = 64 };

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static long long count_sql(rk_session *s, const char *sql, int64_t id)
{
    sqlite3_stmt *st = NULL;
    long long n = -1;
    if (sqlite3_prepare_v2(rk_db_handle(s->db), sql, -1, &st, NULL) == SQLITE_OK) {
        if (sqlite3_bind_parameter_count(st) > 0)
            sqlite3_bind_int64(st, 1, id);
        if (sqlite3_step(st) == SQLITE_ROW)
            n = sqlite3_column_int64(st, 0);
    }
    sqlite3_finalize(st);
    return n;
}

/* One worker: S acknowledged saves; one line per event in its result file:
 *   S <client index> <new version> <seconds>   an acknowledged save
 *   C <seconds>                                a conflict (then retried)
 *   E <message>                                any other error */
static int worker(const rk_paths *paths, int w, int saves, const int64_t *ids, int nclients,
                  const char *out_path)
{
    FILE *out = fopen(out_path, "w");
    if (!out)
        return 1;
    char user[RK_USERNAME_MAX + 1];
    snprintf(user, sizeof user, "w%d", w);
    rk_err err = { 0 };
    rk_session *s = NULL;
    if (rk_session_login(paths, user, STRESS_PW, &s, NULL, &err)) {
        fprintf(out, "E login: %s\n", err.msg);
        fclose(out);
        return 1;
    }
    unsigned seed = (unsigned)(getpid() * 2654435761u);
    for (int i = 0; i < saves; i++) {
        int k = (int)(rand_r(&seed) % (unsigned)nclients);
        for (;;) {
            rk_client *orig = NULL, *ed = NULL;
            if (rk_clients_get(s, ids[k], &orig, &err) || !(ed = rk_client_clone(orig))) {
                fprintf(out, "E get: %s\n", err.msg);
                rk_client_free(orig);
                break;
            }
            char next[32];
            snprintf(next, sizeof next, "%ld", strtol(orig->value[RK_F_OTHER_INFO], NULL, 10) + 1);
            rk_conflict cf;
            int rc = rk_client_set(ed, RK_F_OTHER_INFO, next, &err);
            double t0 = stress_now();
            if (rc == RK_OK)
                rc = rk_clients_save(s, orig, ed, &cf, &err);
            double dt = stress_now() - t0;
            if (rc == RK_OK)
                fprintf(out, "S %d %lld %.6f\n", k, (long long)ed->version, dt);
            else if (rc == RK_ECONFLICT)
                fprintf(out, "C %.6f\n", dt);
            else
                fprintf(out, "E save: %s\n", err.msg);
            rk_client_free(orig);
            rk_client_free(ed);
            if (rc != RK_ECONFLICT)
                break;
        }
    }
    rk_session_logout(s);
    return fclose(out) == 0 ? 0 : 1;
}

int main(int argc, char **argv)
{
    int procs = 8, saves = 500, nclients = 4;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (strcmp(argv[i], "--procs") == 0)
            procs = atoi(argv[i + 1]);
        else if (strcmp(argv[i], "--saves") == 0)
            saves = atoi(argv[i + 1]);
        else if (strcmp(argv[i], "--clients") == 0)
            nclients = atoi(argv[i + 1]);
    }
    if (procs < 1 || saves < 1 || nclients < 1 || nclients > MAX_CLIENTS || argc % 2 == 0) {
        fprintf(stderr, "usage: concurrency [--procs P] [--saves S] [--clients K<=%d]\n", MAX_CLIENTS);
        return 2;
    }
    char root[256];
    rk_paths paths;
    stress_registry("rk-concurrency", "w", RK_ROLE_RECEPTION, procs, root, &paths);

    rk_err err = { 0 };
    rk_session *s = NULL;
    int64_t ids[MAX_CLIENTS];
    if (rk_session_login(&paths, "w1", STRESS_PW, &s, NULL, &err))
        stress_die("login", &err);
    for (int k = 0; k < nclients; k++) {
        rk_client *c = NULL;
        int64_t existing = 0;
        if (rk_clients_blank(s, &c, &err) || rk_client_set(c, RK_F_FIRST_NAMES, "Anna", &err) ||
            rk_client_set(c, RK_F_LAST_NAME, "Testinen", &err) ||
            rk_client_set(c, RK_F_OTHER_INFO, "0", &err) ||
            rk_clients_create(s, c, &existing, &err))
            stress_die("client", &err);
        ids[k] = c->id;
        rk_client_free(c);
    }
    long long changed_before = count_sql(s, "SELECT count(*) FROM audit WHERE action = 'client_changed'", 0);
    rk_session_logout(s);

    double t0 = stress_now();
    pid_t pids[256];
    char out_path[256][320];
    if (procs > 256)
        procs = 256;
    for (int w = 1; w <= procs; w++) {
        snprintf(out_path[w - 1], sizeof out_path[0], "%s/w%d.out", root, w);
        pids[w - 1] = fork();
        if (pids[w - 1] == 0)
            _exit(worker(&paths, w, saves, ids, nclients, out_path[w - 1]));
    }
    int bad_exit = 0;
    for (int w = 0; w < procs; w++) {
        int st;
        while (waitpid(pids[w], &st, 0) < 0 && errno == EINTR)
            ;
        bad_exit += !(WIFEXITED(st) && WEXITSTATUS(st) == 0);
    }
    double wall = stress_now() - t0;

    /* Gather. */
    size_t cap = (size_t)procs * (size_t)saves, nlat = 0;
    double *lat = malloc(cap * sizeof *lat);
    unsigned char *seen = calloc((size_t)nclients * (cap + 2), 1);
    long long acked[MAX_CLIENTS] = { 0 }, conflicts = 0, errors = 0, busy_shown = 0, dup_versions = 0;
    for (int w = 0; w < procs; w++) {
        FILE *in = fopen(out_path[w], "r");
        char line[700];
        while (in && fgets(line, sizeof line, in)) {
            int k;
            long long v;
            double dt;
            if (sscanf(line, "S %d %lld %lf", &k, &v, &dt) == 3 && k >= 0 && k < nclients) {
                acked[k]++;
                if (nlat < cap)
                    lat[nlat++] = dt;
                if (v >= 2 && (size_t)v < cap + 2) {
                    unsigned char *slot = &seen[(size_t)k * (cap + 2) + (size_t)v];
                    dup_versions += *slot;
                    *slot = 1;
                }
            } else if (line[0] == 'C') {
                conflicts++;
            } else {
                errors++;
                if (strcasestr(line, "busy") || strcasestr(line, "locked"))
                    busy_shown++;
                if (errors <= 5)
                    fprintf(stderr, "worker %d: %s", w + 1, line);
            }
        }
        if (in)
            fclose(in);
    }

    /* Check the registry. */
    int fails = 0;
    if (rk_session_login(&paths, "w1", STRESS_PW, &s, NULL, &err))
        stress_die("login after", &err);
    long long total = 0, gaps = 0, lost = 0, history_bad = 0;
    for (int k = 0; k < nclients; k++) {
        total += acked[k];
        rk_client *c = NULL;
        if (rk_clients_get(s, ids[k], &c, &err))
            stress_die("get after", &err);
        long counter = strtol(c->value[RK_F_OTHER_INFO], NULL, 10);
        if (counter != acked[k] || c->version != acked[k] + 1) {
            fprintf(stderr, "client %d: counter %ld, version %lld, acknowledged saves %lld\n", k,
                    counter, (long long)c->version, acked[k]);
            lost += acked[k] - counter;
            fails++;
        }
        for (long long v = 2; v <= c->version && (size_t)v < cap + 2; v++)
            gaps += !seen[(size_t)k * (cap + 2) + (size_t)v];
        long long h = count_sql(s, "SELECT count(*) FROM field_history WHERE client_id = ?1", ids[k]);
        if (h != acked[k]) {
            fprintf(stderr, "client %d: %lld history rows, %lld saves\n", k, h, acked[k]);
            history_bad++;
        }
        rk_client_free(c);
    }
    long long changed = count_sql(s, "SELECT count(*) FROM audit WHERE action = 'client_changed'", 0) -
                        changed_before;
    int64_t rows = 0, first_bad = 0;
    rk_err verr = { 0 }, ierr = { 0 };
    int chain = rk_audit_verify(s->db, s->audit_key, &rows, &first_bad, &verr);
    int integrity = rk_db_integrity_check(s->db, &ierr);
    rk_session_logout(s);

    qsort(lat, nlat, sizeof *lat, cmp_double);
#define PCT(p) (nlat ? lat[(size_t)((double)(nlat - 1) * (p))] * 1000.0 : 0.0)
    printf("concurrency: %d processes x %d saves on %d clients: %lld saves acknowledged in %.2f s = %.1f saves/s;"
           " %lld version conflicts detected and retried\n",
           procs, saves, nclients, total, wall, wall > 0 ? (double)total / wall : 0.0, conflicts);
    printf("concurrency: save time (rk_clients_save) p50 %.2f ms, p90 %.2f ms, p99 %.2f ms, max %.2f ms\n",
           PCT(0.50), PCT(0.90), PCT(0.99), PCT(1.0));
    printf("concurrency: lost updates %lld, version gaps %lld, duplicate versions %lld, errors %lld"
           " (busy/locked shown %lld), history mismatches %lld, client_changed events %lld,"
           " audit chain %s (%lld rows), integrity %s\n",
           lost, gaps, dup_versions, errors, busy_shown, history_bad, changed,
           chain == RK_OK ? "ok" : verr.msg, (long long)rows, integrity == RK_OK ? "ok" : ierr.msg);
    fails += bad_exit + (gaps != 0) + (dup_versions != 0) + (errors != 0) + (history_bad != 0) +
             (changed != total) + (chain != RK_OK) + (integrity != RK_OK) +
             (total != (long long)procs * saves);
    printf("concurrency: %s\n", fails ? "FAILED" : "ok");
    free(lat);
    free(seen);
    stress_rm_tree(root);
    return fails ? 1 : 0;
}
