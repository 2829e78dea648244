/* SQL for moving whole registries: every client id (exports), and an
 * encrypted copy of the database under a given key (backups, key rotation)
 * made with sqlcipher_export into an attached database. */
#ifndef RK_DB_DATA_H
#define RK_DB_DATA_H

#include "db.h"
#include "db_audit.h"

/* Every client id, ascending; *ids malloc'd. */
int rk_dbx_client_ids(rk_db *db, int64_t **ids, size_t *n, rk_err *err);

/* Writes a consistent copy of the database to `path` (created 0600; it must
 * not exist)
 * encrypted with `key` (cipher_compatibility 3, schema version kept). The
 * copy is made inside one read transaction, so writers wait but other
 * readers and logged-in users carry on. With hold_write_lock the function
 * returns holding a write transaction (BEGIN IMMEDIATE) in which the
 * database is known to be unchanged since the copy: the caller ends it with
 * rk_db_rollback once the copy has replaced the database (key rotation). */
int rk_dbx_export(rk_db *db, const char *path, const unsigned char key[RK_KEY_BYTES],
                  bool hold_write_lock, rk_err *err);

/* Key rotation re-keys a copy's audit chain (its MAC key comes from the
 * database key): every row in order gets prev_hash and hash from `rehash`;
 * the append-only trigger is lifted inside this one transaction and put
 * back exactly as it was. Only for a private copy that nobody else opened. */
int rk_dbx_audit_rewrite(rk_db *db, void (*rehash)(void *ctx, rk_audit_row *row), void *ctx,
                         rk_err *err);

#endif
