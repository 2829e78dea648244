/* db/: opening with a key, pragmas, transactions, migrations, users and
 * settings. Every test works in its own temporary directory. */
#include <check.h>
#include <errno.h>
#include <ftw.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "db.h"
#include "db_clients.h"
#include "db_search.h"
#include "db_settings.h"
#include "db_users.h"

/* ---- per-test directory (removed by the parent even when a test fails) ---- */

static char root_dir[256];
static pid_t root_pid;
static char dir[320];
static char dbpath[400];
static unsigned char key[RK_KEY_BYTES];
static unsigned char key2[RK_KEY_BYTES];

static int rm_entry(const char *p, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb; (void)flag; (void)ftw;
    return remove(p);
}

static void rm_tree(const char *p)
{
    if (*p)
        nftw(p, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

static void remove_root(void)
{
    if (getpid() == root_pid)
        rm_tree(root_dir);
}

static void setup(void)
{
    snprintf(dir, sizeof dir, "%s/t-XXXXXX", root_dir);
    ck_assert_ptr_nonnull(mkdtemp(dir));
    snprintf(dbpath, sizeof dbpath, "%s/reg.db", dir);
    for (int i = 0; i < RK_KEY_BYTES; i++) {
        key[i] = (unsigned char)(i * 7 + 1);
        key2[i] = (unsigned char)(i * 7 + 2);
    }
}

static void teardown(void)
{
    rm_tree(dir);
}

static rk_db *open_ok(const unsigned char *k, bool create)
{
    rk_db *db = NULL;
    rk_err err = { 0 };
    int rc = rk_db_open(dbpath, k, create, &db, &err);
    ck_assert_msg(rc == RK_OK, "rk_db_open: %d %s", rc, err.msg);
    ck_assert_ptr_nonnull(db);
    return db;
}

static long long pragma_int(rk_db *db, const char *sql)
{
    sqlite3_stmt *st = NULL;
    ck_assert_int_eq(sqlite3_prepare_v2(rk_db_handle(db), sql, -1, &st, NULL), SQLITE_OK);
    ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
    long long v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return v;
}

static void pragma_text(rk_db *db, const char *sql, char *out, size_t n)
{
    sqlite3_stmt *st = NULL;
    ck_assert_int_eq(sqlite3_prepare_v2(rk_db_handle(db), sql, -1, &st, NULL), SQLITE_OK);
    ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
    snprintf(out, n, "%s", (const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
}

/* ---- opening ---- */

START_TEST(test_create_and_reopen)
{
    rk_db *db = open_ok(key, true);
    rk_err err = { 0 };
    ck_assert_int_eq(rk_db_begin(db, &err), RK_OK);
    ck_assert_int_eq(rk_dbs_set(db, "k", "v", &err), RK_OK);
    ck_assert_int_eq(rk_db_commit(db, &err), RK_OK);
    rk_db_close(db);

    db = open_ok(key, false);
    char v[16];
    ck_assert_int_eq(rk_dbs_get(db, "k", v, sizeof v, &err), RK_OK);
    ck_assert_str_eq(v, "v");
    ck_assert_int_eq(rk_db_integrity_check(db, &err), RK_OK);
    rk_db_close(db);
}
END_TEST

START_TEST(test_file_is_encrypted)
{
    rk_db *db = open_ok(key, true);
    rk_err err = { 0 };
    ck_assert_int_eq(rk_db_begin(db, &err), RK_OK);
    ck_assert_int_eq(rk_dbs_set(db, "marker", "plain-marker-text", &err), RK_OK);
    ck_assert_int_eq(rk_db_commit(db, &err), RK_OK);
    rk_db_close(db);

    FILE *f = fopen(dbpath, "rb");
    ck_assert_ptr_nonnull(f);
    static unsigned char buf[1 << 16];
    size_t n = fread(buf, 1, sizeof buf, f);
    fclose(f);
    ck_assert_uint_ge(n, 1024);
    ck_assert_msg(memcmp(buf, "SQLite format 3", 16) != 0, "database header is plain SQLite");
    ck_assert_ptr_null(memmem(buf, n, "plain-marker-text", 17));
    ck_assert_ptr_null(memmem(buf, n, "CREATE TABLE", 12));
}
END_TEST

START_TEST(test_wrong_key)
{
    rk_db_close(open_ok(key, true));
    rk_db *db = NULL;
    rk_err err = { 0 };
    int rc = rk_db_open(dbpath, key2, false, &db, &err);
    ck_assert_int_eq(rc, RK_EAUTH);
    ck_assert_ptr_null(db);
    ck_assert_ptr_nonnull(strstr(err.msg, dbpath));
    ck_assert_ptr_nonnull(strstr(err.msg, "key"));
    /* The right key still opens it: the failed attempt changed nothing. */
    rk_db_close(open_ok(key, false));
}
END_TEST

/* New files have RK_DB_PAGE_SIZE pages; registries made with the older
 * sizes (4 KiB, and SQLCipher 3's 1 KiB before session 4) still open, and
 * keep theirs. */
START_TEST(test_page_sizes)
{
    rk_db *db = open_ok(key, true);
    ck_assert_int_eq(pragma_int(db, "PRAGMA page_size"), RK_DB_PAGE_SIZE);
    rk_db_close(db);
    static const int older[] = RK_DB_OLDER_PAGE_SIZES;
    for (size_t i = 0; i < sizeof older / sizeof older[0]; i++) {
        unlink(dbpath);
        sqlite3 *h;
        ck_assert_int_eq(sqlite3_open(dbpath, &h), SQLITE_OK);
        char hex[2 * RK_KEY_BYTES + 4] = "x'";
        for (int k = 0; k < RK_KEY_BYTES; k++)
            sprintf(hex + 2 + 2 * k, "%02x", key[k]);
        strcat(hex, "'");
        ck_assert_int_eq(sqlite3_key(h, hex, (int)strlen(hex)), SQLITE_OK);
        char sql[200];
        snprintf(sql, sizeof sql, "PRAGMA cipher_compatibility = 3; PRAGMA cipher_page_size = %d;"
                                  " CREATE TABLE old (x); INSERT INTO old VALUES ('kept');", older[i]);
        ck_assert_int_eq(sqlite3_exec(h, sql, NULL, NULL, NULL), SQLITE_OK);
        sqlite3_close(h);
        db = open_ok(key, false);
        ck_assert_int_eq(pragma_int(db, "PRAGMA page_size"), older[i]);
        ck_assert_int_eq(pragma_int(db, "SELECT count(*) FROM old WHERE x = 'kept'"), 1);
        rk_err err = { 0 };
        ck_assert_int_eq(rk_db_integrity_check(db, &err), RK_OK);
        rk_db_close(db);
        /* And a wrong key is told as such for it too. */
        rk_err err2 = { 0 };
        ck_assert_int_eq(rk_db_open(dbpath, key2, false, &db, &err2), RK_EAUTH);
    }
}
END_TEST

START_TEST(test_plain_file_refused)
{
    FILE *f = fopen(dbpath, "wb");
    ck_assert_ptr_nonnull(f);
    for (int i = 0; i < 4096; i++)
        fputc('A', f);
    fclose(f);
    rk_db *db = NULL;
    rk_err err = { 0 };
    ck_assert_int_eq(rk_db_open(dbpath, key, false, &db, &err), RK_EAUTH);
    ck_assert_ptr_null(db);
}
END_TEST

START_TEST(test_missing_without_create)
{
    rk_db *db = NULL;
    rk_err err = { 0 };
    ck_assert_int_eq(rk_db_open(dbpath, key, false, &db, &err), RK_EFAIL);
    ck_assert_ptr_null(db);
    ck_assert_ptr_nonnull(strstr(err.msg, dbpath));
    ck_assert_int_eq(access(dbpath, F_OK), -1);
}
END_TEST

START_TEST(test_mode_0600_despite_umask)
{
    mode_t old = umask(0277);   /* would give 0400 without the fchmod */
    rk_db *db = open_ok(key, true);
    rk_err err = { 0 };
    ck_assert_int_eq(rk_db_begin(db, &err), RK_OK);
    ck_assert_int_eq(rk_dbs_set(db, "a", "b", &err), RK_OK);
    ck_assert_int_eq(rk_db_commit(db, &err), RK_OK);
    umask(old);
    struct stat st;
    ck_assert_int_eq(stat(dbpath, &st), 0);
    ck_assert_int_eq(st.st_mode & 07777, 0600);
    char jpath[420];
    snprintf(jpath, sizeof jpath, "%s-journal", dbpath);
    if (stat(jpath, &st) == 0)   /* TRUNCATE keeps an empty journal */
        ck_assert_int_eq(st.st_mode & 07777, 0600);
    rk_db_close(db);
    umask(0022);
    rk_db_close(open_ok(key, true));   /* create on an existing file just opens it */
    ck_assert_int_eq(stat(dbpath, &st), 0);
    ck_assert_int_eq(st.st_mode & 07777, 0600);
}
END_TEST

START_TEST(test_pragmas)
{
    rk_db *db = open_ok(key, true);
    char mode[32];
    pragma_text(db, "PRAGMA journal_mode", mode, sizeof mode);
    ck_assert_str_eq(mode, "truncate");
    ck_assert_int_eq(pragma_int(db, "PRAGMA synchronous"), 2);     /* FULL */
    ck_assert_int_eq(pragma_int(db, "PRAGMA temp_store"), 2);      /* MEMORY */
    ck_assert_int_eq(pragma_int(db, "PRAGMA foreign_keys"), 1);
    ck_assert_int_eq(pragma_int(db, "PRAGMA secure_delete"), 1);
    ck_assert_int_eq(pragma_int(db, "PRAGMA busy_timeout"), 10000);
    rk_db_close(db);
}
END_TEST

/* ---- transactions ---- */

START_TEST(test_transactions)
{
    rk_db *db = open_ok(key, true);
    rk_err err = { 0 };
    char v[16];
    ck_assert_int_eq(rk_db_begin(db, &err), RK_OK);
    ck_assert_int_eq(rk_db_begin(db, &err), RK_EFAIL);   /* no nesting */
    ck_assert_int_eq(rk_dbs_set(db, "gone", "1", &err), RK_OK);
    rk_db_rollback(db);
    ck_assert_int_eq(rk_dbs_get(db, "gone", v, sizeof v, &err), RK_ENOTFOUND);
    rk_db_rollback(db);   /* harmless without a transaction */
    ck_assert_int_eq(rk_db_begin(db, &err), RK_OK);
    ck_assert_int_eq(rk_dbs_set(db, "kept", "1", &err), RK_OK);
    ck_assert_int_eq(rk_db_commit(db, &err), RK_OK);
    ck_assert_int_eq(rk_dbs_get(db, "kept", v, sizeof v, &err), RK_OK);
    rk_db_close(db);
}
END_TEST

static long long ms_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* A second process holds the write lock for a moment: rk_db_begin waits for
 * it instead of failing with SQLITE_BUSY. */
START_TEST(test_begin_waits_for_writer)
{
    rk_db_close(open_ok(key, true));
    int fds[2];
    ck_assert_int_eq(pipe(fds), 0);
    pid_t pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
        rk_db *c = NULL;
        rk_err e;
        close(fds[0]);
        if (rk_db_open(dbpath, key, false, &c, &e) || rk_db_begin(c, &e) ||
            rk_dbs_set(c, "writer", "child", &e))
            _exit(1);
        if (write(fds[1], "x", 1) != 1)
            _exit(1);
        usleep(400 * 1000);
        _exit(rk_db_commit(c, &e) == RK_OK ? 0 : 1);
    }
    close(fds[1]);
    char ch;
    ck_assert_int_eq(read(fds[0], &ch, 1), 1);
    close(fds[0]);

    rk_db *db = open_ok(key, false);
    rk_err err = { 0 };
    long long t0 = ms_now();
    ck_assert_msg(rk_db_begin(db, &err) == RK_OK, "%s", err.msg);
    ck_assert_int_ge(ms_now() - t0, 200);
    char v[16];
    ck_assert_int_eq(rk_dbs_get(db, "writer", v, sizeof v, &err), RK_OK);
    ck_assert_str_eq(v, "child");
    ck_assert_int_eq(rk_db_commit(db, &err), RK_OK);
    int status;
    ck_assert_int_eq(waitpid(pid, &status, 0), pid);
    ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    rk_db_close(db);
}
END_TEST

/* ---- migrations ---- */

static bool table_exists(rk_db *db, const char *type, const char *name)
{
    sqlite3_stmt *st = NULL;
    ck_assert_int_eq(sqlite3_prepare_v2(rk_db_handle(db),
                                        "SELECT 1 FROM sqlite_master WHERE type = ?1 AND name = ?2",
                                        -1, &st, NULL), SQLITE_OK);
    sqlite3_bind_text(st, 1, type, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, name, -1, SQLITE_STATIC);
    bool found = sqlite3_step(st) == SQLITE_ROW;
    sqlite3_finalize(st);
    return found;
}

START_TEST(test_migrations_applied)
{
    ck_assert_int_ge(rk_db_latest_version(), 1);
    rk_db *db = open_ok(key, true);
    ck_assert_int_eq(rk_db_schema_version(db), rk_db_latest_version());
    ck_assert(table_exists(db, "table", "users"));
    ck_assert(table_exists(db, "table", "settings"));
    ck_assert(table_exists(db, "table", "audit"));
    ck_assert(table_exists(db, "trigger", "audit_no_update"));
    ck_assert(table_exists(db, "trigger", "audit_no_delete"));
    ck_assert(table_exists(db, "trigger", "audit_no_replace"));
    ck_assert(table_exists(db, "index", "audit_client"));
    ck_assert(table_exists(db, "index", "audit_user"));
    rk_db_close(db);
}
END_TEST

START_TEST(test_migrations_run_once)
{
    rk_db *db = open_ok(key, true);
    long long schema = pragma_int(db, "PRAGMA schema_version");
    rk_db_close(db);
    db = open_ok(key, false);
    /* Any CREATE would have bumped the schema cookie. */
    ck_assert_int_eq(pragma_int(db, "PRAGMA schema_version"), schema);
    ck_assert_int_eq(rk_db_schema_version(db), rk_db_latest_version());
    rk_db_close(db);
}
END_TEST

/* Schema 7 rebuilds the clients table with a named unique index on
 * henkilötunnus: a registry made at schema 6 keeps its clients and the
 * rows that refer to them, and the references still work. */
START_TEST(test_migration_7_keeps_clients)
{
    rk_db_stop_migrations_at(6);
    rk_db *db = open_ok(key, true);
    ck_assert_int_eq(rk_db_schema_version(db), 6);
    ck_assert(table_exists(db, "index", "sqlite_autoindex_clients_2"));
    sqlite3 *h = rk_db_handle(db);
    ck_assert_int_eq(sqlite3_exec(h,
        "INSERT INTO clients(id, created, updated, updated_by, customer_no, first_names, last_name, hetu)"
        " VALUES (1, 't', 't', 'u', 100001, 'Anna', 'Mäkinen', '131052-308T'),"
        "        (2, 't', 't', 'u', 100002, 'Ville', 'Virtanen', NULL);"
        "INSERT INTO client_phones VALUES (1, 0, 'mobile', '+358401234567');"
        "INSERT INTO client_sources VALUES (2, 0, 'import', '2026-01-01', 'old.csv');",
        NULL, NULL, NULL), SQLITE_OK);
    rk_db_close(db);

    rk_db_stop_migrations_at(0);
    db = open_ok(key, false);
    h = rk_db_handle(db);
    ck_assert_int_eq(rk_db_schema_version(db), rk_db_latest_version());
    ck_assert(!table_exists(db, "index", "sqlite_autoindex_clients_2"));
    ck_assert(table_exists(db, "index", "clients_hetu"));
    ck_assert(table_exists(db, "index", "clients_name_birth"));
    ck_assert(!table_exists(db, "table", "clients_v7"));
    ck_assert_int_eq(pragma_int(db, "PRAGMA foreign_keys"), 1);
    ck_assert_int_eq(pragma_int(db, "SELECT count(*) FROM clients"), 2);
    ck_assert_int_eq(pragma_int(db, "SELECT id FROM clients WHERE hetu = '131052-308T'"), 1);
    ck_assert_int_eq(pragma_int(db, "SELECT customer_no FROM clients WHERE last_name = 'Virtanen'"), 100002);
    ck_assert_int_eq(pragma_int(db, "SELECT count(*) FROM client_phones WHERE client_id = 1"), 1);
    rk_err err = { 0 };
    ck_assert_msg(rk_db_integrity_check(db, &err) == RK_OK, "%s", err.msg);
    /* the code is still unique, and the lists still follow their client */
    ck_assert_int_ne(sqlite3_exec(h,
        "INSERT INTO clients(created, updated, updated_by, customer_no, hetu)"
        " VALUES ('t', 't', 'u', 100003, '131052-308T')", NULL, NULL, NULL), SQLITE_OK);
    ck_assert_int_eq(sqlite3_exec(h, "DELETE FROM clients WHERE id = 1", NULL, NULL, NULL), SQLITE_OK);
    ck_assert_int_eq(pragma_int(db, "SELECT count(*) FROM client_phones"), 0);
    ck_assert_int_ne(sqlite3_exec(h, "INSERT INTO client_phones VALUES (9, 0, 'mobile', '+358401234567')",
                                  NULL, NULL, NULL), SQLITE_OK);
    rk_db_close(db);
}
END_TEST

/* The base's blocks, first and data, in order, as one text. */
static char *base_text(rk_db *db)
{
    sqlite3_stmt *st;
    ck_assert_int_eq(sqlite3_prepare_v2(rk_db_handle(db),
        "SELECT group_concat(hex(first) || ':' || hex(data), ';') FROM"
        " (SELECT first, data FROM search_base ORDER BY first)", -1, &st, NULL), SQLITE_OK);
    ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
    char *t = strdup((const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    return t;
}

START_TEST(test_migration_8_keeps_the_search_base)
{
    rk_db_stop_migrations_at(7);
    rk_db *db = open_ok(key, true);
    ck_assert_int_eq(rk_db_schema_version(db), 7);
    sqlite3 *h = rk_db_handle(db);
    ck_assert_int_eq(sqlite3_exec(h, "BEGIN", NULL, NULL, NULL), SQLITE_OK);
    for (int i = 0; i < 400; i++) {
        char sql[300];
        snprintf(sql, sizeof sql,
                 "INSERT INTO clients(id, created, updated, updated_by, customer_no, first_names, last_name)"
                 " VALUES (%d, 't', 't', 'u', %d, 'Anna', 'Virta%c%c')", i + 1, 100001 + i,
                 'a' + i % 26, 'a' + i / 26 % 26);
        ck_assert_int_eq(sqlite3_exec(h, sql, NULL, NULL, NULL), SQLITE_OK);
    }
    rk_err err = { 0 };
    ck_assert_msg(rk_search_rebuild(db, &err) == RK_OK, "%s", err.msg);
    ck_assert_int_eq(sqlite3_exec(h, "COMMIT", NULL, NULL, NULL), SQLITE_OK);
    long long blocks = pragma_int(db, "SELECT count(*) FROM search_base");
    ck_assert_int_gt(blocks, 5);
    char *before = base_text(db);
    int64_t ids[50], ids2[50];
    size_t n = 0, n2 = 0;
    ck_assert_int_eq(rk_search_query(db, "virtab anna", ids, 50, &n, &err), RK_OK);
    ck_assert_uint_gt(n, 0);
    rk_db_close(db);

    rk_db_stop_migrations_at(0);
    db = open_ok(key, false);
    h = rk_db_handle(db);
    ck_assert_int_eq(rk_db_schema_version(db), rk_db_latest_version());
    ck_assert(!table_exists(db, "table", "search_base_v7"));
    ck_assert_int_eq(pragma_int(db, "SELECT count(blk) FROM search_base"), blocks);
    char *after = base_text(db);
    ck_assert_str_eq(after, before);
    ck_assert_int_eq(rk_search_query(db, "virtab anna", ids2, 50, &n2, &err), RK_OK);
    ck_assert_uint_eq(n2, n);
    ck_assert_mem_eq(ids2, ids, n * sizeof *ids);
    /* a block's first entry still names one block */
    ck_assert_int_ne(sqlite3_exec(h, "INSERT INTO search_base(first, data)"
                                     " SELECT first, data FROM search_base LIMIT 1", NULL, NULL, NULL),
                     SQLITE_OK);
    ck_assert_msg(rk_db_integrity_check(db, &err) == RK_OK, "%s", err.msg);
    free(before);
    free(after);
    rk_db_close(db);
}
END_TEST

/* Schema 9 adds the shared data sources of a batch: a registry made at
 * schema 8 keeps its clients' own sources, none of them in a batch, and
 * a reference to a batch that does not exist is refused. */
START_TEST(test_migration_9_adds_source_batches)
{
    rk_db_stop_migrations_at(8);
    rk_db *db = open_ok(key, true);
    ck_assert_int_eq(rk_db_schema_version(db), 8);
    ck_assert(!table_exists(db, "table", "source_batches"));
    sqlite3 *h = rk_db_handle(db);
    ck_assert_int_eq(sqlite3_exec(h,
        "INSERT INTO clients(id, created, updated, updated_by, customer_no, first_names, last_name)"
        " VALUES (1, 't', 't', 'u', 100001, 'Anna', 'Mäkinen');"
        "INSERT INTO client_sources VALUES (1, 0, 'import', '2026-01-01', 'old.csv');",
        NULL, NULL, NULL), SQLITE_OK);
    rk_db_close(db);

    rk_db_stop_migrations_at(0);
    db = open_ok(key, false);
    h = rk_db_handle(db);
    ck_assert_int_eq(rk_db_schema_version(db), rk_db_latest_version());
    ck_assert(table_exists(db, "table", "source_batches"));
    ck_assert_int_eq(pragma_int(db, "SELECT count(*) FROM clients WHERE source_batch IS NULL"), 1);
    ck_assert_int_eq(pragma_int(db, "SELECT count(*) FROM client_sources WHERE client_id = 1"), 1);
    rk_client *c = NULL;
    rk_err err = { 0 };
    ck_assert_int_eq(rk_dbc_load(db, 1, &c, &err), RK_OK);
    ck_assert_uint_eq(c->nsources, 1);
    ck_assert_str_eq(c->sources[0].note, "old.csv");
    rk_client_free(c);
    ck_assert_int_ne(sqlite3_exec(h, "UPDATE clients SET source_batch = 5 WHERE id = 1", NULL, NULL, NULL),
                     SQLITE_OK);
    ck_assert_msg(rk_db_integrity_check(db, &err) == RK_OK, "%s", err.msg);
    rk_db_close(db);
}
END_TEST

START_TEST(test_too_new_refused)
{
    rk_db *db = open_ok(key, true);
    char sql[64];
    snprintf(sql, sizeof sql, "PRAGMA user_version = %d", rk_db_latest_version() + 1);
    ck_assert_int_eq(sqlite3_exec(rk_db_handle(db), sql, NULL, NULL, NULL), SQLITE_OK);
    rk_db_close(db);

    db = NULL;
    rk_err err = { 0 };
    ck_assert_int_eq(rk_db_open(dbpath, key, false, &db, &err), RK_EFAIL);
    ck_assert_ptr_null(db);
    ck_assert_ptr_nonnull(strstr(err.msg, "newer"));
    ck_assert_ptr_nonnull(strstr(err.msg, dbpath));
}
END_TEST

/* ---- users ---- */

static rk_user_row user(const char *name, const char *role)
{
    rk_user_row u;
    memset(&u, 0, sizeof u);
    snprintf(u.username, sizeof u.username, "%s", name);
    snprintf(u.full_name, sizeof u.full_name, "Full %s", name);
    snprintf(u.role, sizeof u.role, "%s", role);
    snprintf(u.created, sizeof u.created, "2026-01-02T03:04:05Z");
    u.active = true;
    return u;
}

START_TEST(test_users_insert_get)
{
    rk_db *db = open_ok(key, true);
    rk_err err = { 0 };
    rk_user_row u = user("maija", "reception"), got;
    snprintf(u.full_name, sizeof u.full_name, "Maija Meikäläinen");
    snprintf(u.language, sizeof u.language, "fi");
    snprintf(u.password_changed, sizeof u.password_changed, "2026-01-02T03:04:06Z");
    ck_assert_int_eq(rk_dbu_insert(db, &u, &err), RK_OK);
    ck_assert_int_eq(rk_dbu_get(db, "maija", &got, &err), RK_OK);
    ck_assert_int_gt(got.id, 0);
    ck_assert_str_eq(got.username, "maija");
    ck_assert_str_eq(got.full_name, "Maija Meikäläinen");
    ck_assert_str_eq(got.role, "reception");
    ck_assert(got.active);
    ck_assert_str_eq(got.created, "2026-01-02T03:04:05Z");
    ck_assert_str_eq(got.password_changed, "2026-01-02T03:04:06Z");
    ck_assert_str_eq(got.last_login, "");
    ck_assert_str_eq(got.language, "fi");

    /* created left empty: filled in with the current time */
    rk_user_row v = user("ville", "billing");
    v.created[0] = '\0';
    v.active = false;
    ck_assert_int_eq(rk_dbu_insert(db, &v, &err), RK_OK);
    ck_assert_int_eq(rk_dbu_get(db, "ville", &got, &err), RK_OK);
    ck_assert_int_eq(strlen(got.created), 20);
    ck_assert_int_eq(got.created[19], 'Z');
    ck_assert(!got.active);

    ck_assert_int_eq(rk_dbu_get(db, "nobody", &got, &err), RK_ENOTFOUND);
    ck_assert_ptr_nonnull(strstr(err.msg, "nobody"));
    rk_db_close(db);
}
END_TEST

START_TEST(test_users_refused)
{
    rk_db *db = open_ok(key, true);
    rk_err err = { 0 };
    rk_user_row u = user("maija", "reception");
    ck_assert_int_eq(rk_dbu_insert(db, &u, &err), RK_OK);
    u = user("maija", "admin");
    ck_assert_int_eq(rk_dbu_insert(db, &u, &err), RK_ECONFLICT);
    ck_assert_ptr_nonnull(strstr(err.msg, "maija"));
    u = user("bad", "superuser");
    ck_assert_int_eq(rk_dbu_insert(db, &u, &err), RK_EFAIL);
    ck_assert_ptr_nonnull(strstr(err.msg, "role"));
    u = user("Bad Name", "admin");
    ck_assert_int_eq(rk_dbu_insert(db, &u, &err), RK_EFAIL);
    rk_user_row *rows = NULL;
    size_t n = 0;
    ck_assert_int_eq(rk_dbu_list(db, &rows, &n, &err), RK_OK);
    ck_assert_uint_eq(n, 1);
    free(rows);
    rk_db_close(db);
}
END_TEST

START_TEST(test_users_list)
{
    rk_db *db = open_ok(key, true);
    rk_err err = { 0 };
    rk_user_row *rows = NULL;
    size_t n = 99;
    ck_assert_int_eq(rk_dbu_list(db, &rows, &n, &err), RK_OK);
    ck_assert_uint_eq(n, 0);
    free(rows);

    const char *names[] = { "pekka", "anna", "zoe", "matti", "bea" };
    for (size_t i = 0; i < RK_ARRAY_LEN(names); i++) {
        rk_user_row u = user(names[i], "billing");
        ck_assert_int_eq(rk_dbu_insert(db, &u, &err), RK_OK);
    }
    /* more than the first allocation */
    for (int i = 0; i < 40; i++) {
        char nm[16];
        snprintf(nm, sizeof nm, "u%02d", i);
        rk_user_row u = user(nm, "marketing");
        ck_assert_int_eq(rk_dbu_insert(db, &u, &err), RK_OK);
    }
    ck_assert_int_eq(rk_dbu_list(db, &rows, &n, &err), RK_OK);
    ck_assert_uint_eq(n, 45);
    ck_assert_str_eq(rows[0].username, "anna");
    ck_assert_str_eq(rows[1].username, "bea");
    ck_assert_str_eq(rows[2].username, "matti");
    ck_assert_str_eq(rows[3].username, "pekka");
    ck_assert_str_eq(rows[4].username, "u00");
    ck_assert_str_eq(rows[44].username, "zoe");
    ck_assert_str_eq(rows[44].full_name, "Full zoe");
    free(rows);
    rk_db_close(db);
}
END_TEST

START_TEST(test_users_update)
{
    rk_db *db = open_ok(key, true);
    rk_err err = { 0 };
    rk_user_row a = user("admin1", "admin"), b = user("admin2", "admin"),
                c = user("rec", "reception"), got;
    ck_assert_int_eq(rk_dbu_insert(db, &a, &err), RK_OK);
    ck_assert_int_eq(rk_dbu_insert(db, &b, &err), RK_OK);
    ck_assert_int_eq(rk_dbu_insert(db, &c, &err), RK_OK);

    int n = -1;
    ck_assert_int_eq(rk_dbu_count_active_role(db, "admin", &n, &err), RK_OK);
    ck_assert_int_eq(n, 2);
    ck_assert_int_eq(rk_dbu_set_active(db, "admin2", false, &err), RK_OK);
    ck_assert_int_eq(rk_dbu_count_active_role(db, "admin", &n, &err), RK_OK);
    ck_assert_int_eq(n, 1);
    ck_assert_int_eq(rk_dbu_get(db, "admin2", &got, &err), RK_OK);
    ck_assert(!got.active);
    ck_assert_int_eq(rk_dbu_set_active(db, "admin2", true, &err), RK_OK);
    ck_assert_int_eq(rk_dbu_count_active_role(db, "admin", &n, &err), RK_OK);
    ck_assert_int_eq(n, 2);
    ck_assert_int_eq(rk_dbu_count_active_role(db, "dpo", &n, &err), RK_OK);
    ck_assert_int_eq(n, 0);
    ck_assert_int_eq(rk_dbu_set_active(db, "ghost", false, &err), RK_ENOTFOUND);

    ck_assert_int_eq(rk_dbu_touch_login(db, "rec", "2026-11-22T05:32:16Z", &err), RK_OK);
    ck_assert_int_eq(rk_dbu_touch_password(db, "rec", "2026-11-23T01:00:00Z", &err), RK_OK);
    ck_assert_int_eq(rk_dbu_get(db, "rec", &got, &err), RK_OK);
    ck_assert_str_eq(got.last_login, "2026-11-22T05:32:16Z");
    ck_assert_str_eq(got.password_changed, "2026-11-23T01:00:00Z");
    ck_assert_int_eq(rk_dbu_touch_login(db, "ghost", "2026-11-22T05:32:16Z", &err), RK_ENOTFOUND);
    ck_assert_int_eq(rk_dbu_touch_login(db, "admin1", NULL, &err), RK_OK);
    ck_assert_int_eq(rk_dbu_get(db, "admin1", &got, &err), RK_OK);
    ck_assert_int_eq(strlen(got.last_login), 20);

    ck_assert_int_eq(rk_dbu_set_role(db, "rec", "dpo", &err), RK_OK);
    ck_assert_int_eq(rk_dbu_set_role(db, "rec", "root", &err), RK_EFAIL);
    ck_assert_int_eq(rk_dbu_set_full_name(db, "rec", "Riitta Räsänen", &err), RK_OK);
    ck_assert_int_eq(rk_dbu_set_language(db, "rec", "sv", &err), RK_OK);
    ck_assert_int_eq(rk_dbu_get(db, "rec", &got, &err), RK_OK);
    ck_assert_str_eq(got.role, "dpo");
    ck_assert_str_eq(got.full_name, "Riitta Räsänen");
    ck_assert_str_eq(got.language, "sv");
    char longname[RK_FULLNAME_MAX + 2];
    memset(longname, 'x', sizeof longname - 1);
    longname[sizeof longname - 1] = '\0';
    ck_assert_int_eq(rk_dbu_set_full_name(db, "rec", longname, &err), RK_EFAIL);
    rk_db_close(db);
}
END_TEST

/* ---- settings ---- */

START_TEST(test_settings)
{
    rk_db *db = open_ok(key, true);
    rk_err err = { 0 };
    char v[8];
    ck_assert_int_eq(rk_dbs_get(db, "lang", v, sizeof v, &err), RK_ENOTFOUND);
    ck_assert_ptr_nonnull(strstr(err.msg, "lang"));
    ck_assert_int_eq(rk_dbs_set(db, "lang", "fi", &err), RK_OK);
    ck_assert_int_eq(rk_dbs_get(db, "lang", v, sizeof v, &err), RK_OK);
    ck_assert_str_eq(v, "fi");
    ck_assert_int_eq(rk_dbs_set(db, "lang", "sv", &err), RK_OK);
    ck_assert_int_eq(rk_dbs_get(db, "lang", v, sizeof v, &err), RK_OK);
    ck_assert_str_eq(v, "sv");
    ck_assert_int_eq(rk_dbs_set(db, "empty", "", &err), RK_OK);
    ck_assert_int_eq(rk_dbs_get(db, "empty", v, sizeof v, &err), RK_OK);
    ck_assert_str_eq(v, "");
    /* exactly fits / one byte too long */
    ck_assert_int_eq(rk_dbs_set(db, "long", "1234567", &err), RK_OK);
    ck_assert_int_eq(rk_dbs_get(db, "long", v, sizeof v, &err), RK_OK);
    ck_assert_str_eq(v, "1234567");
    ck_assert_int_eq(rk_dbs_set(db, "long", "12345678", &err), RK_OK);
    ck_assert_int_eq(rk_dbs_get(db, "long", v, sizeof v, &err), RK_EFAIL);
    ck_assert_int_eq(pragma_int(db, "SELECT count(*) FROM settings"), 3);
    rk_db_close(db);
}
END_TEST

Suite *test_suite(void)
{
    if (!root_dir[0]) {
        const char *tmp = getenv("TMPDIR");
        snprintf(root_dir, sizeof root_dir, "%s/rk-test-db-XXXXXX", tmp && *tmp ? tmp : "/tmp");
        if (!mkdtemp(root_dir)) {
            perror("mkdtemp");
            exit(1);
        }
        root_pid = getpid();
        atexit(remove_root);
    }
    Suite *s = suite_create("db");
    TCase *tc = tcase_create("open");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_create_and_reopen);
    tcase_add_test(tc, test_file_is_encrypted);
    tcase_add_test(tc, test_wrong_key);
    tcase_add_test(tc, test_page_sizes);
    tcase_add_test(tc, test_plain_file_refused);
    tcase_add_test(tc, test_missing_without_create);
    tcase_add_test(tc, test_mode_0600_despite_umask);
    tcase_add_test(tc, test_pragmas);
    tcase_add_test(tc, test_transactions);
    tcase_add_test(tc, test_begin_waits_for_writer);
    suite_add_tcase(s, tc);

    tc = tcase_create("migrations");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_migrations_applied);
    tcase_add_test(tc, test_migrations_run_once);
    tcase_add_test(tc, test_migration_7_keeps_clients);
    tcase_add_test(tc, test_migration_9_adds_source_batches);
    tcase_add_test(tc, test_migration_8_keeps_the_search_base);
    tcase_add_test(tc, test_too_new_refused);
    suite_add_tcase(s, tc);

    tc = tcase_create("users_settings");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_users_insert_get);
    tcase_add_test(tc, test_users_refused);
    tcase_add_test(tc, test_users_list);
    tcase_add_test(tc, test_users_update);
    tcase_add_test(tc, test_settings);
    suite_add_tcase(s, tc);
    return s;
}
