/* Backups, restore, the consistency check and key rotation.
 *
 * A backup is one file: the database copied with sqlcipher_export inside a
 * read transaction (consistent, while others keep working), still encrypted
 * with the database key, and the keyring beside it, so that the backup opens
 * with the passwords that opened the registry when it was made:
 *   magic "RKBACKUP" | version u16 | 0 u16 | keyring length u32 |
 *   database length u64 | keyring | database | BLAKE2b-256 of all before
 * (integers little-endian; the hash catches a damaged copy before anything
 * is replaced). It is written to a temporary file and renamed: a backup file
 * is either whole or absent.
 *
 * Restore unpacks into a new directory beside the target, logs in there
 * (so the password must be one of the backup's users, an administrator),
 * runs the full check, and only then swaps the directories in one
 * renameat2(RENAME_EXCHANGE); the old registry is kept beside it.
 *
 * Rotation: see rk_rekey and README's security section. */
#ifndef RK_BACKUP_H
#define RK_BACKUP_H

#include "session.h"

typedef struct rk_backup_info {
    uint64_t db_bytes;
    uint32_t keyring_bytes;
    double   seconds;
} rk_backup_info;

/* Admin. `file` is replaced atomically if it exists. */
int rk_backup_make(rk_session *s, const char *file, rk_backup_info *info, rk_err *err);

/* One line per part; ok = all three passed. */
typedef struct rk_check_report {
    bool    db_ok, audit_ok, keyring_ok;
    int64_t audit_rows, clients;
    size_t  slots;
    char    db_msg[512], audit_msg[512], keyring_msg[512];
} rk_check_report;

/* PRAGMA integrity_check and foreign keys, the audit chain, the keyring's
 * MAC under this database key. Admin or dpo; audited. RK_OK when all pass,
 * RK_EFAIL otherwise (the report says which). */
int rk_registry_check(rk_session *s, rk_check_report *rep, rk_err *err);

/* Restores `file` into target->dir (which may exist: it is kept as
 * "<dir>.before-restore-<time>", named in kept_old). Verifies first; nothing
 * is replaced unless every check passed. */
int rk_backup_restore(const char *file, const rk_paths *target, const char *user,
                      const char *password, rk_check_report *rep, char kept_old[RK_PATH_MAX],
                      rk_err *err);

/* Key rotation (admin): a new random database key; the database is
 * exported under it to a new file while writers are held off, the copy is
 * opened and checked with the new key, every keyring slot is re-sealed to
 * it, and the copy replaces the database with rename(). The old key then
 * opens nothing. Other users must log in again. */
int rk_rekey(rk_session *s, rk_err *err);

/* `user disable NAME --rekey`: after the account is disabled, its keyring
 * slot is removed and the key rotated, so a database key the user may have
 * copied opens nothing. Re-enabling then needs a password reset (which
 * gives the user a new slot). */
int rk_user_revoke_key(rk_session *s, const char *name, rk_err *err);

/* Before logging in after an interrupted rotation: if a copy from rk_rekey
 * is left, the keyring decides (with this user's password) whether it is
 * stale (removed) or the rotated database (put in place; *finished). */
int rk_rekey_recover(const rk_paths *p, const char *user, const char *password, bool *finished,
                     rk_err *err);

#endif
