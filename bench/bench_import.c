/* Import benchmark: BENCH_IMPORT_ROWS (default 1,000,000) valid synthetic
 * clients from the demo generator are written as a UTF-8 CSV file the way
 * `export clients` writes one, then imported into a fresh registry through
 * rk_import_file (validators, batches, search index, one transaction). As
 * the reference, the same number of rows of the same columns is inserted
 * raw into an encrypted database (the registry's page size and pragmas)
 * with one prepared statement in one transaction, in the same run on the
 * same disk. The reference and the dry run each run in a child process, as
 * `rekisteri import` runs in a process of its own, so that the timed import
 * does not allocate from a heap holding the reference's million freed
 * clients (no difference stood out of this machine's noise either way). */
#include <sodium.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "clients.h"
#include "csv_cell.h"
#include "common.h"
#include "db.h"
#include "db_clients.h"
#include "db_search.h"
#include "demo_data.h"
#include "import.h"
#include "registry.h"
#include "secure.h"
#include "session.h"
#include "users.h"

static const rk_field columns[] = {
    RK_F_FIRST_NAMES, RK_F_LAST_NAME, RK_F_HETU, RK_F_GENDER, RK_F_LANGUAGE, RK_F_STREET,
    RK_F_POSTCODE, RK_F_POST_OFFICE, RK_F_PHONES, RK_F_EMAILS,
};
#define NCOL (sizeof columns / sizeof columns[0])

/* One row's cells as the export writes them (lists as rk_dbc_list_text). */
static void cells_of(const rk_client *c, char *cell[NCOL])
{
    for (size_t i = 0; i < NCOL; i++) {
        if (rk_field_is_list(columns[i]))
            rk_dbc_list_text(c, columns[i], &cell[i]);
        else
            cell[i] = strdup(c->value[columns[i]]);
    }
}

static int write_csv(const char *path, long rows, rk_err *err)
{
    FILE *f = fopen(path, "w");
    if (!f)
        return rk_err_set(err, RK_EFAIL, "cannot write %s", path);
    for (size_t i = 0; i < NCOL; i++)
        rk_csv_cell_delim(f, rk_fields[columns[i]].name, i == 0, ';');
    fputs("\r\n", f);
    rk_demo_gen *g = rk_demo_gen_new(2026);
    for (long r = 0; r < rows; r++) {
        rk_client *c = rk_client_new();
        if (rk_demo_gen_client(g, c, err))
            return err->code;
        char *cell[NCOL];
        cells_of(c, cell);
        for (size_t i = 0; i < NCOL; i++) {
            rk_csv_cell_delim(f, cell[i], i == 0, ';');
            free(cell[i]);
        }
        fputs("\r\n", f);
        rk_client_free(c);
    }
    rk_demo_gen_free(g);
    return fclose(f) == 0 ? RK_OK : rk_err_set(err, RK_EFAIL, "cannot write %s", path);
}

/* The reference: raw inserts of the same columns into an encrypted file. */
static double raw_insert_rate(const char *path, long rows)
{
    sqlite3 *h;
    /* As rk_db_open: no connection mutex, no memory statistics. */
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
    if (sqlite3_open_v2(path, &h, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                        NULL) != SQLITE_OK)
        return 0;
    unsigned char key[32];
    randombytes_buf(key, sizeof key);
    char hex[80] = "x'";
    sodium_bin2hex(hex + 2, 65, key, sizeof key);
    strcat(hex, "'");
    sqlite3_key(h, hex, (int)strlen(hex));
    /* The registry's settings: page size, journal, sync, cache. */
    char ps[64];
    snprintf(ps, sizeof ps, "PRAGMA cipher_page_size = %d", RK_DB_PAGE_SIZE);
    sqlite3_exec(h, "PRAGMA cipher_compatibility = 3", NULL, NULL, NULL);
    sqlite3_exec(h, ps, NULL, NULL, NULL);
    sqlite3_exec(h, "PRAGMA journal_mode=TRUNCATE;"
                    "PRAGMA synchronous=FULL; PRAGMA cache_size=-65536;"
                    "CREATE TABLE t (id INTEGER PRIMARY KEY, first TEXT, last TEXT, hetu TEXT UNIQUE,"
                    " gender TEXT, language TEXT, street TEXT, postcode TEXT, office TEXT,"
                    " phone TEXT, email TEXT)", NULL, NULL, NULL);
    rk_demo_gen *g = rk_demo_gen_new(2026);
    rk_client **cs = calloc((size_t)rows, sizeof *cs);
    rk_err err;
    for (long r = 0; r < rows; r++) {
        cs[r] = rk_client_new();
        rk_demo_gen_client(g, cs[r], &err);
    }
    rk_demo_gen_free(g);
    sqlite3_stmt *st;
    double t0 = rk_monotonic_s();
    sqlite3_exec(h, "BEGIN IMMEDIATE", NULL, NULL, NULL);
    sqlite3_prepare_v2(h, "INSERT INTO t VALUES (NULL,?,?,?,?,?,?,?,?,?,?)", -1, &st, NULL);
    for (long r = 0; r < rows; r++) {
        char *cell[NCOL];
        cells_of(cs[r], cell);
        for (size_t i = 0; i < NCOL; i++)
            sqlite3_bind_text(st, (int)i + 1, cell[i], -1, SQLITE_TRANSIENT);
        sqlite3_step(st);
        sqlite3_reset(st);
        for (size_t i = 0; i < NCOL; i++)
            free(cell[i]);
    }
    sqlite3_finalize(st);
    sqlite3_exec(h, "COMMIT", NULL, NULL, NULL);
    double t = rk_monotonic_s() - t0;
    sqlite3_close(h);
    for (long r = 0; r < rows; r++)
        rk_client_free(cs[r]);
    free(cs);
    return rows / t;
}

static double raw_rate_of(const char *path, long rows)
{
    return raw_insert_rate(path, rows);
}

/* fn(arg, rows) in a child process; its result, or 0 if the child failed. */
static double in_child(double (*fn)(const char *, long), const char *arg, long rows)
{
    int fd[2];
    if (pipe(fd) != 0)
        return 0;
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        close(fd[0]);
        double v = fn(arg, rows);
        _exit(write(fd[1], &v, sizeof v) == (ssize_t)sizeof v ? 0 : 1);
    }
    close(fd[1]);
    double v = 0;
    if (pid < 0 || read(fd[0], &v, sizeof v) != (ssize_t)sizeof v)
        v = 0;
    close(fd[0]);
    if (pid > 0)
        waitpid(pid, NULL, 0);
    return v;
}

static const char *bench_reg;   /* the registry the import and its dry run use */

/* The dry run's seconds (-1 on failure), logged in on its own. */
static double dry_run_of(const char *csv, long rows)
{
    (void)rows;
    rk_paths p;
    rk_session *s;
    rk_err err;
    if (rk_paths_resolve(bench_reg, &p, &err) ||
        rk_session_login(&p, "importer", "bench-importer-pw", &s, NULL, &err)) {
        fprintf(stderr, "bench_import: %s\n", err.msg);
        return -1;
    }
    rk_import_opts o = { .encoding = -1, .dry_run = true };
    rk_import_result r;
    double secs = rk_import_file(s, csv, &o, &r, &err) == RK_OK ? r.seconds : -1;
    if (secs < 0)
        fprintf(stderr, "bench_import: %s\n", err.msg);
    rk_import_result_free(&r);
    rk_session_logout(s);
    return secs;
}

int main(void)
{
    const char *env = getenv("BENCH_IMPORT_ROWS");
    long rows = env && *env ? atol(env) : 1000000;
    rk_err err;
    if (rk_secure_init(&err)) {
        fprintf(stderr, "%s\n", err.msg);
        return 1;
    }
    setenv("REKISTERI_KDF", "min", 1);   /* slots only; no effect on the data path */
    char dir[] = "/tmp/rk-bench-import-XXXXXX";
    if (!mkdtemp(dir))
        return 1;
    char csv[256], raw[256], reg[256], cmd[320];
    snprintf(csv, sizeof csv, "%s/clients.csv", dir);
    snprintf(raw, sizeof raw, "%s/raw.db", dir);
    snprintf(reg, sizeof reg, "%s/reg", dir);
    double t0 = rk_monotonic_s();
    if (write_csv(csv, rows, &err)) {
        fprintf(stderr, "bench_import: %s\n", err.msg);
        return 1;
    }
    printf("import: generated %ld rows of CSV in %.1f s\n", rows, rk_monotonic_s() - t0);
    /* Each measurement starts with nothing of the steps before it left to
     * write: the kernel's write-back of the 150 MB file would otherwise
     * fall into the middle of the next one (after 30 s, by default). */
    sync();
    double raw_rate = in_child(raw_rate_of, raw, rows);
    unlink(raw);
    sync();

    rk_paths p;
    rk_session *adm = NULL, *s = NULL;
    if (rk_paths_resolve(reg, &p, &err) ||
        rk_registry_init(&p, "admin", "Bench", "bench-admin-pw", "Bench", false, &err) ||
        rk_session_login(&p, "admin", "bench-admin-pw", &adm, NULL, &err) ||
        rk_user_add(adm, "importer", RK_ROLE_DPO, "Importer", "bench-importer-pw", &err)) {
        fprintf(stderr, "bench_import: %s\n", err.msg);
        return 1;
    }
    rk_session_logout(adm);
    /* First a dry run: reading, parsing and checking alone. */
    bench_reg = reg;
    double dry = in_child(dry_run_of, csv, rows);
    if (dry <= 0)
        return 1;
    printf("import --dry-run (read, decode, parse, validate): %.2f s = %.0f rows/s\n", dry, rows / dry);
    if (rk_session_login(&p, "importer", "bench-importer-pw", &s, NULL, &err)) {
        fprintf(stderr, "bench_import: %s\n", err.msg);
        return 1;
    }
    rk_import_opts o = { .encoding = -1 };
    rk_import_result r;
    int rc = rk_import_file(s, csv, &o, &r, &err);
    if (rc) {
        fprintf(stderr, "bench_import: %s\n", err.msg);
        return 1;
    }
    printf("import: %ld rows in %.2f s = %.0f rows/s (imported %zu, rejected %zu); raw encrypted insert: %.0f rows/s; target 1M rows < 15 s\n",
           rows, r.seconds, rows / r.seconds, r.imported, r.rejected, raw_rate);
    rk_search_rebuild_times t;
    rk_search_last_rebuild(&t);
    rk_clients_load_times l;
    rk_clients_last_load(&l);
    printf("  of which: read, check and insert the clients %.2f s; build the name and henkilötunnus"
           " indexes %.2f s; search index %.2f s for %zu entries (%.1f MB in %lld blocks): rows"
           " generated %.2f s, clients ranked %.2f s, sorted %.2f s, written %.2f s; the rest"
           " (header, links, audit, commit) %.2f s\n",
           l.stream, l.indexes, l.search, t.rows, t.bytes / 1e6, (long long)t.blocks, t.collect,
           t.order, t.sort, t.write, r.seconds - l.stream - l.indexes - l.search);
    rk_import_result_free(&r);
    rk_session_logout(s);
    /* BENCH_IMPORT_KEEP=1 keeps the file and the registry to look into. */
    const char *keep = getenv("BENCH_IMPORT_KEEP");
    if (keep && *keep == '1') {
        printf("kept: %s\n", dir);
        return (long)r.imported == rows ? 0 : 1;
    }
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    return system(cmd) == 0 && (long)r.imported == rows ? 0 : 1;
}
