/* The encrypted database: opening with a raw key, pragmas, transactions and
 * numbered migrations. Only db/ sees sqlite3. */
#ifndef RK_DB_H
#define RK_DB_H

#include "common.h"

typedef struct rk_db rk_db;

/* 8 KiB pages: a million clients are an eighth as many pages to encrypt,
 * authenticate and write one by one as with SQLCipher 3's 1 KiB default,
 * and a 1M-row import's two index builds read half as many as with 4 KiB
 * (BENCHMARKS.md). Registries made earlier keep their pages (4 KiB since
 * session 4, 1 KiB before) and open with them; copies (backup, rekey) are
 * written with RK_DB_PAGE_SIZE. */
#define RK_DB_PAGE_SIZE 8192
#define RK_DB_OLDER_PAGE_SIZES { 4096, 1024 }

/* Opens (or with create, creates) path with a raw 256-bit key
 * (x'<64 hex>', skipping SQLCipher's PBKDF2), sets cipher_compatibility = 3 so
 * SQLCipher 4 opens the same files, checks the key by reading sqlite_master,
 * opens RK_DB_PAGE_SIZE pages, or those of RK_DB_OLDER_PAGE_SIZES the file
 * has, sets journal_mode=TRUNCATE, synchronous=FULL, busy_timeout, temp_store=MEMORY,
 * foreign_keys, secure_delete, then applies pending migrations.
 * RK_EAUTH: the key does not open the file; RK_EFAIL otherwise. */
int  rk_db_open(const char *path, const unsigned char key[RK_KEY_BYTES], bool create,
                rk_db **out, rk_err *err);
void rk_db_close(rk_db *db);

/* BEGIN IMMEDIATE (waits up to the busy timeout), COMMIT, ROLLBACK. */
int  rk_db_begin(rk_db *db, rk_err *err);
int  rk_db_commit(rk_db *db, rk_err *err);
void rk_db_rollback(rk_db *db);

/* One transaction around many service calls (an import: all or nothing).
 * While it is open, rk_db_begin/commit/rollback work on a savepoint inside
 * it, so services keep their own all-or-nothing steps. */
int  rk_db_begin_outer(rk_db *db, rk_err *err);
bool rk_db_in_transaction(rk_db *db);
int  rk_db_commit_outer(rk_db *db, rk_err *err);
void rk_db_rollback_outer(rk_db *db);

/* Foreign-key enforcement on or off, between transactions only (it is on
 * from rk_db_open). Off only for a bulk load whose every child row belongs
 * to a client it has just added; rk_db_check_references still checks. */
int  rk_db_foreign_keys(rk_db *db, bool on, rk_err *err);

/* Starts writing to disk what SQLite has written of the file so far,
 * without waiting: a bulk load's commit then waits for less in its sync
 * (0.17 s of 0.9 at a million clients). */
void rk_db_start_writeback(rk_db *db);

int  rk_db_schema_version(rk_db *db);   /* PRAGMA user_version */
int  rk_db_latest_version(void);         /* highest migration number */
int  rk_db_integrity_check(rk_db *db, rk_err *err);   /* includes the next */
/* PRAGMA foreign_key_check: every reference points at an existing row. */
int  rk_db_check_references(rk_db *db, rk_err *err);

/* The last error on the connection as a user should read it: a full disk,
 * a file size limit (ulimit -f) or a used-up quota is named as such, with
 * "nothing was saved" (the transaction is rolled back), not as SQLite's
 * "disk I/O error"; anything else is SQLite's message. Valid until the next
 * call. */
const char *rk_db_errmsg(rk_db *db);

/* One opaque object a higher layer keeps with the connection (the search
 * module's prepared statements); freed before the connection closes. */
/* A prepared statement kept for the connection's life, for queries run
 * once per shown row. `sql` must be a string literal: its address is the
 * key. Reset and unbound; the caller resets it after use (sqlite3_reset)
 * and never finalises it. NULL when it does not prepare. */
struct sqlite3_stmt *rk_db_cached(rk_db *db, const char *sql);
void *rk_db_aux(rk_db *db);
void  rk_db_set_aux(rk_db *db, void *aux, void (*aux_free)(void *));

/* For db/ modules only. */
struct sqlite3 *rk_db_handle(rk_db *db);
int  rk_db_migrate(rk_db *db, rk_err *err);   /* db/migrations.c, from rk_db_open */
/* For tests of a migration: later opens stop after this schema version
 * (0: run them all again), to make a registry as an older program did. */
void rk_db_stop_migrations_at(int version);

#endif
