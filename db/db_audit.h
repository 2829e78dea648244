/* SQL access to the append-only audit table. Chain hashing is src/audit.c. */
#ifndef RK_DB_AUDIT_H
#define RK_DB_AUDIT_H

#include "db.h"

#define RK_AUDIT_HASH_BYTES 32

typedef struct rk_audit_row {
    int64_t seq;                 /* 1, 2, 3, ... */
    char    ts[32];              /* ISO 8601 UTC, "2026-11-22T05:32:16Z" */
    char    user[RK_USERNAME_MAX + 1];
    char    action[48];
    int64_t client_id;           /* 0 = none */
    char    details[512];        /* never personal data values */
    char    terminal[128];
    unsigned char prev_hash[RK_AUDIT_HASH_BYTES];
    unsigned char hash[RK_AUDIT_HASH_BYTES];
} rk_audit_row;

/* Last row's seq and hash; seq 0 and an all-zero hash when the table is empty. */
int rk_dba_last(rk_db *db, int64_t *seq, unsigned char hash[RK_AUDIT_HASH_BYTES], rk_err *err);
int rk_dba_insert(rk_db *db, const rk_audit_row *row, rk_err *err);
/* Rows in storage order (rowid ascending) with seq >= from_seq; cb returns
 * non-zero to stop, which is passed back. */
typedef int (*rk_audit_row_cb)(void *ctx, const rk_audit_row *row);
int rk_dba_each(rk_db *db, int64_t from_seq, rk_audit_row_cb cb, void *ctx, rk_err *err);
/* The stored hash of row seq; RK_ENOTFOUND (no message) when there is none. */
int rk_dba_hash_at(rk_db *db, int64_t seq, unsigned char hash[RK_AUDIT_HASH_BYTES], rk_err *err);
int rk_dba_count(rk_db *db, int64_t *n, rk_err *err);

#endif
