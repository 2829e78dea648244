/* Opening the encrypted database, its pragmas and transactions. */
#include "db.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* 64 MiB: search as you type at 1M clients needs its index pages cached
 * (BENCHMARKS.md: 2 MiB default = 10x slower worst case). */
#define RK_DB_CACHE_PRAGMA "PRAGMA cache_size=-65536"


#define RK_BUSY_TIMEOUT_MS 10000

struct rk_db {
    sqlite3 *h;
    char    *path;   /* for messages only */
    void    *aux;    /* prepared-statement cache of a higher module (search) */
    void   (*aux_free)(void *);
    struct { const char *sql; sqlite3_stmt *st; } cache[32];  /* hot statements */
    char     errmsg[256];   /* rk_db_errmsg's text for a write that found no room */
    bool     outer;    /* rk_db_begin_outer's transaction is open */
    bool     nested;   /* a service's transaction runs as a savepoint in it */
};

sqlite3_stmt *rk_db_cached(rk_db *db, const char *sql)
{
    size_t i = 0;
    for (; i < RK_ARRAY_LEN(db->cache) && db->cache[i].sql; i++)
        if (db->cache[i].sql == sql) {
            sqlite3_reset(db->cache[i].st);
            sqlite3_clear_bindings(db->cache[i].st);
            return db->cache[i].st;
        }
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db->h, sql, -1, &st, NULL) != SQLITE_OK)
        return NULL;
    if (i < RK_ARRAY_LEN(db->cache))
        db->cache[i].sql = sql, db->cache[i].st = st;
    else
        abort();    /* more hot statements than slots: raise the array */
    return st;
}

void *rk_db_aux(rk_db *db) { return db->aux; }

void rk_db_set_aux(rk_db *db, void *aux, void (*aux_free)(void *))
{
    if (db->aux && db->aux_free)
        db->aux_free(db->aux);
    db->aux = aux;
    db->aux_free = aux_free;
}

sqlite3 *rk_db_handle(rk_db *db)
{
    return db ? db->h : NULL;
}

static long long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void sleep_us(long us)
{
    struct timespec ts = { us / 1000000, (us % 1000000) * 1000L };
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
        ;
}

/* Creates the file 0600 before SQLite sees it: SQLite would create it with
 * 0644 & ~umask, and its journal copies the database file's mode. */
static int create_file(const char *path, rk_err *err)
{
    int fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd < 0) {
        if (errno == EEXIST)
            return RK_OK;
        return rk_err_set(err, RK_EFAIL, _("Cannot create the database %s: %s."), path,
                          strerror(errno));
    }
    if (fchmod(fd, 0600) != 0) {
        int e = errno;
        close(fd);
        unlink(path);
        return rk_err_set(err, RK_EFAIL, _("Cannot set the permissions of %s: %s."), path,
                          strerror(e));
    }
    close(fd);
    return RK_OK;
}

/* The key goes to SQLCipher as the literal x'<64 hex>' so that it is used as
 * is, without SQLCipher's own PBKDF2. The string lives only in locked memory. */
static int apply_key(sqlite3 *h, const unsigned char key[RK_KEY_BYTES])
{
    size_t n = 2 * RK_KEY_BYTES + 4;   /* x ' hex ' NUL */
    char *s = sodium_malloc(n);
    if (!s)
        return SQLITE_NOMEM;
    s[0] = 'x';
    s[1] = '\'';
    sodium_bin2hex(s + 2, 2 * RK_KEY_BYTES + 1, key, RK_KEY_BYTES);
    s[2 + 2 * RK_KEY_BYTES] = '\'';
    s[3 + 2 * RK_KEY_BYTES] = '\0';
    int rc = sqlite3_key(h, s, (int)(n - 1));
    sodium_free(s);   /* wipes */
    return rc;
}

static int exec_pragma(rk_db *db, const char *sql, rk_err *err)
{
    if (sqlite3_exec(db->h, sql, NULL, NULL, NULL) != SQLITE_OK)
        return rk_err_set(err, RK_EFAIL, _("Cannot configure the database %s (%s): %s."),
                          db->path, sql, sqlite3_errmsg(db->h));
    return RK_OK;
}

static int check_journal_mode(rk_db *db, rk_err *err)
{
    sqlite3_stmt *st = NULL;
    int ok = 0;
    if (sqlite3_prepare_v2(db->h, "PRAGMA journal_mode=TRUNCATE", -1, &st, NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW) {
        const char *m = (const char *)sqlite3_column_text(st, 0);
        ok = m && strcmp(m, "truncate") == 0;
    }
    sqlite3_finalize(st);
    if (!ok)
        return rk_err_set(err, RK_EFAIL,
                          _("Cannot set the journal mode of the database %s: %s."), db->path,
                          sqlite3_errmsg(db->h));
    return RK_OK;
}

/* Opens db->path with the key and page size and reads the first page: the
 * result of that read (a wrong key or page size is SQLITE_NOTADB), or -1
 * with err set when the file cannot be opened or keyed at all. */
static int open_keyed(rk_db *db, const unsigned char key[RK_KEY_BYTES], int page_size, rk_err *err)
{
    /* A connection is only ever used by the thread that opened it (the
     * helper threads of a bulk load never call SQLite), so it needs no
     * mutex of its own, and nothing reads SQLite's memory statistics: in a
     * large import the locks and counters around each bind, step and
     * allocation were a tenth of the loader's instructions (BENCHMARKS.md).
     * SQLite takes the setting only before its first use. */
    static bool configured;
    if (!configured) {
        configured = true;
        sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
    }
    int rc = sqlite3_open_v2(db->path, &db->h, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL);
    if (rc != SQLITE_OK) {
        rk_err_set(err, RK_EFAIL, _("Cannot open the database %s: %s."), db->path,
                   db->h ? sqlite3_errmsg(db->h) : sqlite3_errstr(rc));
        return -1;
    }
    sqlite3_extended_result_codes(db->h, 1);
    sqlite3_busy_timeout(db->h, RK_BUSY_TIMEOUT_MS);
    if (apply_key(db->h, key) != SQLITE_OK) {
        rk_err_set(err, RK_EFAIL, _("Cannot set the key of the database %s: %s."), db->path,
                   sqlite3_errmsg(db->h));
        return -1;
    }
    /* SQLCipher 4 reads 3.x files only in compatibility mode; 3.4 ignores it. */
    char sql[64];
    snprintf(sql, sizeof sql, "PRAGMA cipher_page_size = %d", page_size);
    if (exec_pragma(db, "PRAGMA cipher_compatibility = 3", err) || exec_pragma(db, sql, err))
        return -1;
    /* A wrong key shows only at the first read of a page. */
    return sqlite3_exec(db->h, "SELECT count(*) FROM sqlite_master", NULL, NULL, NULL);
}

int rk_db_open(const char *path, const unsigned char key[RK_KEY_BYTES], bool create,
               rk_db **out, rk_err *err)
{
    *out = NULL;
    if (sodium_init() < 0)
        return rk_err_set(err, RK_EFAIL, _("Cannot initialise the cryptography library."));
    if (create) {
        int st = create_file(path, err);
        if (st)
            return st;
    } else {
        struct stat st;
        if (stat(path, &st) != 0)
            return rk_err_set(err, RK_EFAIL, _("Cannot open the database %s: %s."), path,
                              strerror(errno));
    }

    int status = RK_EFAIL;
    rk_db *db = calloc(1, sizeof *db);
    if (!db || !(db->path = strdup(path))) {
        free(db);
        return rk_err_set(err, RK_EFAIL, _("Out of memory opening the database %s."), path);
    }
    /* An older file has older pages: the key opens it with those only. */
    static const int older[] = RK_DB_OLDER_PAGE_SIZES;
    int rc = open_keyed(db, key, RK_DB_PAGE_SIZE, err);
    for (size_t i = 0; !create && (rc & 0xff) == SQLITE_NOTADB && i < RK_ARRAY_LEN(older); i++) {
        sqlite3_close_v2(db->h);
        db->h = NULL;
        rc = open_keyed(db, key, older[i], err);
    }
    if (rc == -1)
        goto fail;
    if ((rc & 0xff) == SQLITE_NOTADB) {
        status = rk_err_set(err, RK_EAUTH, _("The key does not open the database %s."), path);
        goto fail;
    }
    if (rc != SQLITE_OK) {
        rk_err_set(err, RK_EFAIL, _("Cannot read the database %s: %s."), path,
                   sqlite3_errmsg(db->h));
        goto fail;
    }

    if (check_journal_mode(db, err) ||
        exec_pragma(db, "PRAGMA synchronous=FULL", err) ||
        exec_pragma(db, "PRAGMA temp_store=MEMORY", err) ||
        exec_pragma(db, RK_DB_CACHE_PRAGMA, err) ||
        exec_pragma(db, "PRAGMA foreign_keys=ON", err) ||
        exec_pragma(db, "PRAGMA secure_delete=ON", err))
        goto fail;

    if ((status = rk_db_migrate(db, err)) != RK_OK)
        goto fail;
    *out = db;
    return RK_OK;

fail:
    rk_db_close(db);
    return status;
}

void rk_db_close(rk_db *db)
{
    if (!db)
        return;
    rk_db_set_aux(db, NULL, NULL);   /* finalises its statements before the close */
    for (size_t i = 0; i < RK_ARRAY_LEN(db->cache) && db->cache[i].sql; i++)
        sqlite3_finalize(db->cache[i].st);
    if (db->h) {
        if (!sqlite3_get_autocommit(db->h))
            sqlite3_exec(db->h, "ROLLBACK", NULL, NULL, NULL);
        sqlite3_close_v2(db->h);
    }
    free(db->path);
    free(db);
}

/* Why a write failed for want of space, or NULL when it was not that. */
static const char *storage_full(rk_db *db)
{
    int sys = sqlite3_system_errno(db->h);
    if (sys == EFBIG)
        return _("the file size limit for this program was reached (ulimit -f)");
    if (sys == EDQUOT)
        return _("the disk quota is used up");
    if (sys == ENOSPC || (sqlite3_extended_errcode(db->h) & 0xff) == SQLITE_FULL)
        return _("the disk is full");
    return NULL;
}

const char *rk_db_errmsg(rk_db *db)
{
    const char *full = storage_full(db);
    if (!full)
        return sqlite3_errmsg(db->h);
    snprintf(db->errmsg, sizeof db->errmsg,
             _("%s, so nothing was saved; make room and try again"), full);
    return db->errmsg;
}

/* BEGIN IMMEDIATE takes the write lock up front, so a transaction never
 * fails half-way for want of it. SQLite's busy handler is off while we wait
 * for that lock: it sleeps in growing steps up to 100 ms, and under steady
 * load (tests/stress/concurrency, 8 writers) a process that sleeps that long
 * keeps losing the lock to the ones that just released it and starved past
 * the timeout. Short random sleeps give every waiter a fair chance. */
int rk_db_begin(rk_db *db, rk_err *err)
{
    if (db->outer && sqlite3_get_autocommit(db->h))
        return rk_err_set(err, RK_EFAIL,
                          _("The transaction around this work on %s ended early; nothing more is written."),
                          db->path);
    if (db->outer && !db->nested) {
        if (sqlite3_exec(db->h, "SAVEPOINT rk_nested", NULL, NULL, NULL) != SQLITE_OK)
            return rk_err_set(err, RK_EFAIL, _("Cannot start a transaction on the database %s: %s."),
                              db->path, sqlite3_errmsg(db->h));
        db->nested = true;
        return RK_OK;
    }
    if (!sqlite3_get_autocommit(db->h))
        return rk_err_set(err, RK_EFAIL,
                          _("A transaction is already open on the database %s."), db->path);
    long long deadline = now_ms() + RK_BUSY_TIMEOUT_MS;
    sqlite3_busy_timeout(db->h, 0);
    int status = RK_OK;
    for (;;) {
        int rc = sqlite3_exec(db->h, "BEGIN IMMEDIATE", NULL, NULL, NULL);
        if (rc == SQLITE_OK)
            break;
        if ((rc & 0xff) != SQLITE_BUSY && (rc & 0xff) != SQLITE_LOCKED) {
            status = rk_err_set(err, RK_EFAIL, _("Cannot start a transaction on the database %s: %s."),
                                db->path, rk_db_errmsg(db));
            break;
        }
        if (now_ms() >= deadline) {
            status = rk_err_set(err, RK_EFAIL,
                                _("The database %s is busy: another user kept it locked for over %d seconds."),
                                db->path, RK_BUSY_TIMEOUT_MS / 1000);
            break;
        }
        sleep_us(200 + (long)randombytes_uniform(2000));
    }
    sqlite3_busy_timeout(db->h, RK_BUSY_TIMEOUT_MS);
    return status;
}

int rk_db_commit(rk_db *db, rk_err *err)
{
    if (db->nested) {
        db->nested = false;
        if (sqlite3_exec(db->h, "RELEASE rk_nested", NULL, NULL, NULL) == SQLITE_OK)
            return RK_OK;
        rk_err_set(err, RK_EFAIL, _("Cannot save the changes to the database %s: %s."),
                   db->path, rk_db_errmsg(db));
        sqlite3_exec(db->h, "ROLLBACK TO rk_nested; RELEASE rk_nested", NULL, NULL, NULL);
        return RK_EFAIL;
    }
    long long deadline = now_ms() + RK_BUSY_TIMEOUT_MS;
    for (;;) {
        int rc = sqlite3_exec(db->h, "COMMIT", NULL, NULL, NULL);
        if (rc == SQLITE_OK)
            return RK_OK;
        /* COMMIT waits for readers to leave; on BUSY the transaction stays open. */
        if (((rc & 0xff) == SQLITE_BUSY) && now_ms() < deadline &&
            !sqlite3_get_autocommit(db->h)) {
            sleep_us(20000);
            continue;
        }
        rk_err_set(err, RK_EFAIL, _("Cannot save the changes to the database %s: %s."),
                   db->path, rk_db_errmsg(db));
        rk_db_rollback(db);
        return RK_EFAIL;
    }
}

void rk_db_rollback(rk_db *db)
{
    if (db && db->nested) {
        db->nested = false;
        sqlite3_exec(db->h, "ROLLBACK TO rk_nested; RELEASE rk_nested", NULL, NULL, NULL);
        return;
    }
    /* Inside rk_db_begin_outer this ends the outer transaction too; the
     * flag stays, so later work refuses to start instead of committing
     * on its own (see rk_db_begin). */
    if (db && db->h && !sqlite3_get_autocommit(db->h))
        sqlite3_exec(db->h, "ROLLBACK", NULL, NULL, NULL);
}

bool rk_db_in_transaction(rk_db *db)
{
    return db && db->h && !sqlite3_get_autocommit(db->h);
}

int rk_db_begin_outer(rk_db *db, rk_err *err)
{
    if (rk_db_begin(db, err))
        return err->code;
    db->outer = true;
    return RK_OK;
}

int rk_db_commit_outer(rk_db *db, rk_err *err)
{
    db->outer = false;
    db->nested = false;
    if (sqlite3_get_autocommit(db->h))
        return rk_err_set(err, RK_EFAIL,
                          _("The transaction around this work on %s ended early; nothing of it was saved."),
                          db->path);
    return rk_db_commit(db, err);
}

void rk_db_rollback_outer(rk_db *db)
{
    if (!db)
        return;
    db->outer = false;
    db->nested = false;
    rk_db_rollback(db);
}

int rk_db_schema_version(rk_db *db)
{
    sqlite3_stmt *st = NULL;
    int v = -1;
    if (sqlite3_prepare_v2(db->h, "PRAGMA user_version", -1, &st, NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW)
        v = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    return v;
}

int rk_db_integrity_check(rk_db *db, rk_err *err)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db->h, "PRAGMA integrity_check", -1, &st, NULL) != SQLITE_OK)
        return rk_err_set(err, RK_EFAIL, _("Cannot check the database %s: %s."), db->path,
                          sqlite3_errmsg(db->h));
    int rc = sqlite3_step(st);
    if (rc != SQLITE_ROW) {
        rk_err_set(err, RK_EFAIL, _("Cannot check the database %s: %s."), db->path,
                   sqlite3_errmsg(db->h));
        sqlite3_finalize(st);
        return RK_EFAIL;
    }
    const char *r = (const char *)sqlite3_column_text(st, 0);
    if (!r || strcmp(r, "ok") != 0) {
        rk_err_set(err, RK_EFAIL, _("The database %s is damaged: %s."), db->path,
                   r ? r : "?");
        sqlite3_finalize(st);
        return RK_EFAIL;
    }
    sqlite3_finalize(st);
    return rk_db_check_references(db, err);
}

int rk_db_foreign_keys(rk_db *db, bool on, rk_err *err)
{
    if (!sqlite3_get_autocommit(db->h))   /* SQLite ignores the pragma in one */
        return rk_err_set(err, RK_EFAIL, _("A transaction is already open on the database %s."), db->path);
    return exec_pragma(db, on ? "PRAGMA foreign_keys=ON" : "PRAGMA foreign_keys=OFF", err);
}

void rk_db_start_writeback(rk_db *db)
{
    int fd = open(db->path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return;
    (void)sync_file_range(fd, 0, 0, SYNC_FILE_RANGE_WRITE);   /* advice: starts, never waits */
    close(fd);
}

int rk_db_check_references(rk_db *db, rk_err *err)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db->h, "PRAGMA foreign_key_check", -1, &st, NULL) != SQLITE_OK)
        return rk_err_set(err, RK_EFAIL, _("Cannot check the database %s: %s."), db->path,
                          sqlite3_errmsg(db->h));
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        const char *table = (const char *)sqlite3_column_text(st, 0);
        rk_err_set(err, RK_EFAIL,
                   _("The database %s is damaged: the table %s refers to rows that do not exist."),
                   db->path, table ? table : "?");
        sqlite3_finalize(st);
        return RK_EFAIL;
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE)
        return rk_err_set(err, RK_EFAIL, _("Cannot check the database %s: %s."), db->path,
                          sqlite3_errmsg(db->h));
    return RK_OK;
}
