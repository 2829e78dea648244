/* Test helper (never installed): opens a registry with a user's password
 * (one line on stdin), runs SQLite's integrity and foreign-key checks and
 * the audit-chain verification, and prints the row counts the stress tests
 * compare. It reads only: no login event, no last_login update, so a
 * damaged registry is seen as it was left.
 *
 *   regcheck DIR USER                 "ok clients=N history=N audit=N ..." or
 *                                     "FAILED: <why>", exit 1
 *   regcheck DIR USER --query SQL     also prints the query's rows, one line
 *                                     each, columns separated by tabs */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "db.h"
#include "registry.h"
#include "secure.h"

static long long count(rk_db *db, const char *sql)
{
    sqlite3_stmt *st = NULL;
    long long n = -1;
    if (sqlite3_prepare_v2(rk_db_handle(db), sql, -1, &st, NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW)
        n = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return n;
}

static int print_query(rk_db *db, const char *sql)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(rk_db_handle(db), sql, -1, &st, NULL) != SQLITE_OK) {
        printf("FAILED: query: %s\n", sqlite3_errmsg(rk_db_handle(db)));
        return 1;
    }
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        for (int i = 0; i < sqlite3_column_count(st); i++) {
            const unsigned char *v = sqlite3_column_text(st, i);
            printf("%s%s", i ? "\t" : "", v ? (const char *)v : "");
        }
        printf("\n");
    }
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? 0 : 1;
}

int main(int argc, char **argv)
{
    if (argc != 3 && !(argc == 5 && strcmp(argv[3], "--query") == 0)) {
        fprintf(stderr, "usage: regcheck DIR USER [--query SQL]  (password on stdin)\n");
        return 2;
    }
    rk_err err = { 0 };
    if (rk_secure_init(&err)) {
        printf("FAILED: %s\n", err.msg);
        return 1;
    }
    char *pw = rk_password_read_fd(0, &err);
    unsigned char *key = rk_secure_alloc(RK_KEY_BYTES);
    unsigned char *akey = rk_secure_alloc(RK_KEY_BYTES);
    rk_paths paths;
    rk_db *db = NULL;
    int status = 1;
    if (!pw || !key || !akey || rk_paths_resolve(argv[1], &paths, &err) ||
        rk_keyring_unlock(paths.keyring, argv[2], pw, key, &err) ||
        rk_db_open(paths.db, key, false, &db, &err)) {
        printf("FAILED: %s\n", err.msg);
        goto out;
    }
    if (rk_db_integrity_check(db, &err)) {
        printf("FAILED: integrity: %s\n", err.msg);
        goto out;
    }
    rk_audit_derive_key(key, akey);
    int64_t rows = 0, bad = 0;
    if (rk_audit_verify(db, akey, &rows, &bad, &err)) {
        printf("FAILED: audit: %s\n", err.msg);
        goto out;
    }
    printf("ok clients=%lld history=%lld audit=%lld changed=%lld consent_events=%lld "
           "consent_audit=%lld versions=%lld\n",
           count(db, "SELECT count(*) FROM clients"),
           count(db, "SELECT count(*) FROM field_history"), (long long)rows,
           count(db, "SELECT count(*) FROM audit WHERE action = 'client_changed'"),
           count(db, "SELECT count(*) FROM consent_events"),
           count(db, "SELECT count(*) FROM audit WHERE action = 'consent_changed'"),
           count(db, "SELECT coalesce(sum(version - 1), 0) FROM clients"));
    status = argc == 5 ? print_query(db, argv[4]) : 0;
out:
    rk_db_close(db);
    rk_secure_free(akey);
    rk_secure_free(key);
    rk_password_free(pw);
    return status;
}
