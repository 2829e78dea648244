#include "backup.h"
#include "common.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "db_clients.h"
#include "db_data.h"
#include "secure.h"

#define MAGIC "RKBACKUP"
#define HEADER_BYTES 24
#define HASH_BYTES crypto_generichash_BYTES

static int io_error(rk_err *err, const char *what, const char *path)
{
    return rk_err_set(err, RK_EFAIL, "%s %s: %s.", what, path, strerror(errno));
}

/* The directory that holds path, synced so a rename in it is durable. */
static void sync_parent(const char *path)
{
    char *copy = strdup(path);
    if (!copy)
        return;
    int fd = open(dirname(copy), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd >= 0) {
        (void)fsync(fd);
        close(fd);
    }
    free(copy);
}

static int slurp(const char *path, unsigned char **buf, size_t *len, rk_err *err)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0) {
        if (fd >= 0)
            close(fd);
        return io_error(err, _("Cannot read"), path);
    }
    *len = (size_t)st.st_size;
    *buf = malloc(*len ? *len : 1);
    if (!*buf || rk_read_exact(fd, *buf, *len) != 0) {
        free(*buf);
        close(fd);
        return io_error(err, _("Cannot read"), path);
    }
    close(fd);
    return RK_OK;
}

static void put_le(unsigned char *p, uint64_t v, int bytes)
{
    for (int i = 0; i < bytes; i++)
        p[i] = (unsigned char)(v >> (8 * i));
}

static uint64_t get_le(const unsigned char *p, int bytes)
{
    uint64_t v = 0;
    for (int i = bytes - 1; i >= 0; i--)
        v = (v << 8) | p[i];
    return v;
}

/* Copies `len` bytes from fd `in` to `out`, hashing them. */
static int copy_hashed(int in, int out, uint64_t len, crypto_generichash_state *h)
{
    unsigned char buf[1 << 16];
    while (len > 0) {
        size_t n = len < sizeof buf ? (size_t)len : sizeof buf;
        if (rk_read_exact(in, buf, n) != 0 || rk_write_all(out, buf, n) != 0)
            return -1;
        crypto_generichash_update(h, buf, n);
        len -= n;
    }
    return 0;
}

/* ---- backup ---------------------------------------------------------------------- */

int rk_backup_make(rk_session *s, const char *file, rk_backup_info *info, rk_err *err)
{
    memset(info, 0, sizeof *info);
    if (rk_session_require_role(s, RK_ROLE_ADMIN, err))
        return err->code;
    double t0 = rk_monotonic_s();
    size_t plen = strlen(file) + 16;
    char *dbtmp = malloc(plen), *tmp = malloc(plen);
    unsigned char *keyring = NULL;
    size_t klen = 0;
    int in = -1, out = -1, rc;
    if (!dbtmp || !tmp) {
        rc = rk_err_set(err, RK_EFAIL, _("Out of memory."));
        goto done;
    }
    snprintf(dbtmp, plen, "%s.db-XXXXXX", file);
    snprintf(tmp, plen, "%s.XXXXXX", file);
    /* A unique name for the database copy, which SQLite creates anew. */
    int fd = mkostemp(dbtmp, O_CLOEXEC);
    if (fd < 0) {
        rc = io_error(err, _("Cannot write next to"), file);
        dbtmp[0] = '\0';
        goto done;
    }
    close(fd);
    unlink(dbtmp);
    if ((rc = rk_dbx_export(s->db, dbtmp, s->dbkey, false, err)))
        goto done;
    if ((rc = slurp(s->paths.keyring, &keyring, &klen, err)))
        goto done;
    if ((rc = rk_keyring_verify(s->paths.keyring, s->dbkey, err)))
        goto done;
    struct stat st;
    if ((in = open(dbtmp, O_RDONLY | O_CLOEXEC)) < 0 || fstat(in, &st) != 0) {
        rc = io_error(err, _("Cannot read"), dbtmp);
        goto done;
    }
    if ((out = mkostemp(tmp, O_CLOEXEC)) < 0) {   /* 0600 */
        rc = io_error(err, _("Cannot write"), file);
        tmp[0] = '\0';
        goto done;
    }
    unsigned char head[HEADER_BYTES] = MAGIC;
    put_le(head + 8, 1, 2);
    put_le(head + 10, 0, 2);
    put_le(head + 12, klen, 4);
    put_le(head + 16, (uint64_t)st.st_size, 8);
    crypto_generichash_state h;
    crypto_generichash_init(&h, NULL, 0, HASH_BYTES);
    crypto_generichash_update(&h, head, sizeof head);
    crypto_generichash_update(&h, keyring, klen);
    unsigned char sum[HASH_BYTES];
    if (rk_write_all(out, head, sizeof head) != 0 || rk_write_all(out, keyring, klen) != 0 ||
        copy_hashed(in, out, (uint64_t)st.st_size, &h) != 0 ||
        crypto_generichash_final(&h, sum, sizeof sum) != 0 || rk_write_all(out, sum, sizeof sum) != 0 ||
        fsync(out) != 0) {
        rc = io_error(err, _("Cannot write"), tmp);
        goto done;
    }
    if (close(out) != 0) {
        out = -1;
        rc = io_error(err, _("Cannot write"), tmp);
        goto done;
    }
    out = -1;
    if (rename(tmp, file) != 0) {
        rc = io_error(err, _("Cannot create"), file);
        goto done;
    }
    tmp[0] = '\0';
    sync_parent(file);
    info->db_bytes = (uint64_t)st.st_size;
    info->keyring_bytes = (uint32_t)klen;
    info->seconds = rk_monotonic_s() - t0;
    char details[160], base[100];
    const char *slash = strrchr(file, '/');
    snprintf(base, sizeof base, "%s", slash ? slash + 1 : file);
    for (char *p = base; *p; p++)
        if ((unsigned char)*p <= ' ' || (unsigned char)*p >= 0x7f)
            *p = '_';
    snprintf(details, sizeof details, "file=%s bytes=%llu", base,
             (unsigned long long)(info->db_bytes + klen));
    rc = rk_session_audit(s, RK_AUDIT_BACKUP_MADE, 0, details, err);
done:
    if (in >= 0)
        close(in);
    if (out >= 0)
        close(out);
    if (tmp && tmp[0])
        unlink(tmp);
    if (dbtmp && dbtmp[0])
        unlink(dbtmp);
    free(keyring);
    free(dbtmp);
    free(tmp);
    return rc;
}

/* ---- check ----------------------------------------------------------------------- */

int rk_registry_check(rk_session *s, rk_check_report *rep, rk_err *err)
{
    memset(rep, 0, sizeof *rep);
    if (s->role != RK_ROLE_ADMIN && s->role != RK_ROLE_DPO)
        return rk_err_set(err, RK_EDENIED, _("Only an administrator or the data protection officer may check the registry."));
    rk_err e;
    rep->db_ok = rk_db_integrity_check(s->db, &e) == RK_OK && rk_dbc_count(s->db, &rep->clients, &e) == RK_OK;
    snprintf(rep->db_msg, sizeof rep->db_msg, "%s", rep->db_ok ? "" : e.msg);
    int64_t first_bad = 0;
    rep->audit_ok = rk_audit_verify(s->db, s->audit_key, &rep->audit_rows, &first_bad, &e) == RK_OK;
    snprintf(rep->audit_msg, sizeof rep->audit_msg, "%s", rep->audit_ok ? "" : e.msg);
    char (*users)[RK_USERNAME_MAX + 1] = NULL;
    rep->keyring_ok = rk_keyring_verify(s->paths.keyring, s->dbkey, &e) == RK_OK &&
                      rk_keyring_users(s->paths.keyring, &users, &rep->slots, &e) == RK_OK;
    free(users);
    snprintf(rep->keyring_msg, sizeof rep->keyring_msg, "%s", rep->keyring_ok ? "" : e.msg);
    bool ok = rep->db_ok && rep->audit_ok && rep->keyring_ok;
    char details[96];
    snprintf(details, sizeof details, "database=%s audit=%s keyring=%s", rep->db_ok ? "ok" : "bad",
             rep->audit_ok ? "ok" : "bad", rep->keyring_ok ? "ok" : "bad");
    /* A damaged database may refuse the event too; the report stands. */
    rk_session_audit(s, RK_AUDIT_REGISTRY_CHECKED, 0, details, &e);
    if (!ok)
        return rk_err_set(err, RK_EFAIL, _("The registry did not pass the check."));
    return RK_OK;
}

/* ---- restore ------------------------------------------------------------------------ */

static int rm_staging(const rk_paths *p)
{
    static const char *extra[] = { "registry.db-journal", "keyring.lock", "state.lock" };
    unlink(p->db);
    unlink(p->keyring);
    unlink(p->state);
    for (size_t i = 0; i < RK_ARRAY_LEN(extra); i++) {
        char path[RK_PATH_MAX + 32];
        snprintf(path, sizeof path, "%s/%s", p->dir, extra[i]);
        unlink(path);
    }
    return rmdir(p->dir);
}

/* Unpacks the backup into the staging paths, checking its hash. */
static int unpack(const char *file, const rk_paths *st, rk_err *err)
{
    int in = open(file, O_RDONLY | O_CLOEXEC), kfd = -1, dfd = -1;
    if (in < 0)
        return io_error(err, _("Cannot read"), file);
    unsigned char head[HEADER_BYTES], sum[HASH_BYTES], want[HASH_BYTES];
    unsigned char *keyring = NULL;
    int rc = RK_EFAIL;
    struct stat fst;
    if (fstat(in, &fst) != 0 || rk_read_exact(in, head, sizeof head) != 0 ||
        memcmp(head, MAGIC, 8) != 0) {
        rk_err_set(err, RK_EFAIL, _("%s is not a Rekisteri backup."), file);
        goto out;
    }
    if (get_le(head + 8, 2) != 1) {
        rk_err_set(err, RK_EFAIL, _("%s is a backup of a newer version of Rekisteri (format %u)."),
                   file, (unsigned)get_le(head + 8, 2));
        goto out;
    }
    uint64_t klen = get_le(head + 12, 4), dlen = get_le(head + 16, 8);
    if ((uint64_t)fst.st_size != HEADER_BYTES + klen + dlen + HASH_BYTES || klen > (1u << 24)) {
        rk_err_set(err, RK_EFAIL, _("The backup %s is truncated or damaged (its size is wrong)."), file);
        goto out;
    }
    crypto_generichash_state h;
    crypto_generichash_init(&h, NULL, 0, HASH_BYTES);
    crypto_generichash_update(&h, head, sizeof head);
    keyring = malloc(klen ? klen : 1);
    kfd = open(st->keyring, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    dfd = open(st->db, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (!keyring || kfd < 0 || dfd < 0 || rk_read_exact(in, keyring, klen) != 0 ||
        rk_write_all(kfd, keyring, klen) != 0 || fsync(kfd) != 0) {
        io_error(err, _("Cannot unpack the backup into"), st->dir);
        goto out;
    }
    crypto_generichash_update(&h, keyring, klen);
    if (copy_hashed(in, dfd, dlen, &h) != 0 || fsync(dfd) != 0 || rk_read_exact(in, want, sizeof want) != 0) {
        io_error(err, _("Cannot unpack the backup into"), st->dir);
        goto out;
    }
    crypto_generichash_final(&h, sum, sizeof sum);
    if (sodium_memcmp(sum, want, sizeof sum) != 0) {
        rk_err_set(err, RK_EFAIL, _("The backup %s is damaged: its checksum does not match."), file);
        goto out;
    }
    rc = RK_OK;
out:
    if (kfd >= 0)
        close(kfd);
    if (dfd >= 0)
        close(dfd);
    free(keyring);
    close(in);
    return rc;
}

int rk_backup_restore(const char *file, const rk_paths *target, const char *user,
                      const char *password, rk_check_report *rep, char kept_old[RK_PATH_MAX],
                      rk_err *err)
{
    memset(rep, 0, sizeof *rep);
    kept_old[0] = '\0';
    char staging[RK_PATH_MAX];
    if (snprintf(staging, sizeof staging, "%s.restore-XXXXXX", target->dir) >= (int)sizeof staging)
        return rk_err_set(err, RK_EUSAGE, _("The registry path is too long."));
    if (!mkdtemp(staging))
        return io_error(err, _("Cannot create a directory next to"), target->dir);
    rk_paths st;
    if (rk_paths_resolve(staging, &st, err)) {
        rmdir(staging);
        return err->code;
    }
    int rc = unpack(file, &st, err);
    rk_session *s = NULL;
    if (rc == RK_OK && (rc = rk_session_login(&st, user, password, &s, NULL, err)) == RK_OK) {
        if (s->role != RK_ROLE_ADMIN)
            rc = rk_err_set(err, RK_EDENIED, _("Only an administrator of the backup may restore it."));
        else if ((rc = rk_registry_check(s, rep, err)) == RK_OK) {
            char details[160];
            const char *slash = strrchr(file, '/');
            snprintf(details, sizeof details, "file=%.100s", slash ? slash + 1 : file);
            for (char *p = details; *p; p++)
                if ((unsigned char)*p <= ' ' || (unsigned char)*p >= 0x7f)
                    *p = '_';
            rc = rk_session_audit(s, RK_AUDIT_REGISTRY_RESTORED, 0, details, err);
        }
        rk_session_logout(s);
    }
    if (rc) {
        rm_staging(&st);
        return rc;
    }
    /* The target's mode and group, so a shared registry stays shared. */
    struct stat old;
    bool exists = stat(target->dir, &old) == 0;
    if (exists) {
        /* Best effort: without it the directory keeps the caller's group
         * and 0700, still usable by the caller. */
        if (chown(staging, (uid_t)-1, old.st_gid) == 0)
            (void)chmod(staging, old.st_mode & 07777);
        if (renameat2(AT_FDCWD, staging, AT_FDCWD, target->dir, RENAME_EXCHANGE) != 0) {
            rc = io_error(err, _("Cannot put the restored registry in place of"), target->dir);
            rm_staging(&st);
            return rc;
        }
        /* staging now holds the registry that was replaced: keep it. */
        char stamp[16];
        time_t now = time(NULL);
        strftime(stamp, sizeof stamp, "%Y%m%dT%H%M%S", gmtime(&now));
        snprintf(kept_old, RK_PATH_MAX, "%.*s.before-restore-%.15s", (int)(RK_PATH_MAX - 40),
                 target->dir, stamp);
        if (rename(staging, kept_old) != 0)
            snprintf(kept_old, RK_PATH_MAX, "%s", staging);
    } else if (rename(staging, target->dir) != 0) {
        rc = io_error(err, _("Cannot create"), target->dir);
        rm_staging(&st);
        return rc;
    }
    sync_parent(target->dir);
    return RK_OK;
}

/* ---- key rotation ------------------------------------------------------------------ */

struct rehash_ctx {
    const unsigned char *key;
    unsigned char prev[RK_AUDIT_HASH_BYTES];
};

static void rehash_row(void *ctx, rk_audit_row *row)
{
    struct rehash_ctx *r = ctx;
    memcpy(row->prev_hash, r->prev, sizeof r->prev);
    rk_audit_row_hash(r->key, row, row->hash);
    memcpy(r->prev, row->hash, sizeof r->prev);
}

static void rekey_path(const rk_paths *p, char out[RK_PATH_MAX + 8])
{
    snprintf(out, RK_PATH_MAX + 8, "%s.rekey", p->db);
}

static void remove_copy(const char *path)
{
    char journal[RK_PATH_MAX + 16];
    snprintf(journal, sizeof journal, "%s-journal", path);
    unlink(path);
    unlink(journal);
}

/* Makes the copy under new_key and checks it: audit chain re-keyed after
 * the old one verified, one key_rotated event, integrity. */
static int prepare_copy(rk_session *s, const char *copy, const unsigned char *new_key,
                        unsigned char *new_akey, rk_err *err)
{
    int64_t rows = 0, first_bad = 0;
    if (rk_audit_verify(s->db, s->audit_key, &rows, &first_bad, err))
        return rk_err_set(err, RK_EFAIL, _("The audit chain does not verify (row %lld), so the key is not rotated: run \"rekisteri check\"."),
                          (long long)first_bad);
    int64_t seq = 0;
    unsigned char head[RK_AUDIT_HASH_BYTES];
    if (rk_dba_last(s->db, &seq, head, err))
        return err->code;
    if (rk_dbx_export(s->db, copy, new_key, true, err))
        return err->code;
    /* From here the live database is write-locked until the caller ends it. */
    rk_db *db2 = NULL;
    int rc = rk_db_open(copy, new_key, false, &db2, err);
    rk_audit_derive_key(new_key, new_akey);
    struct rehash_ctx rctx = { .key = new_akey };
    if (rc == RK_OK)
        rc = rk_dbx_audit_rewrite(db2, rehash_row, &rctx, err);
    if (rc == RK_OK) {
        char hex[2 * RK_AUDIT_HASH_BYTES + 1], details[200];
        sodium_bin2hex(hex, sizeof hex, head, sizeof head);
        snprintf(details, sizeof details, "rows=%lld old_head=%s", (long long)seq, hex);
        if ((rc = rk_db_begin(db2, err)) == RK_OK) {
            rc = rk_audit_append(db2, new_akey, NULL, s->user, RK_AUDIT_KEY_ROTATED, 0, details,
                                 s->terminal, err);
            rc = rc ? (rk_db_rollback(db2), rc) : rk_db_commit(db2, err);
        }
    }
    int64_t rows2 = 0;
    if (rc == RK_OK && (rc = rk_db_integrity_check(db2, err)) == RK_OK &&
        (rc = rk_audit_verify(db2, new_akey, &rows2, &first_bad, err)) == RK_OK && rows2 != seq + 1)
        rc = rk_err_set(err, RK_EFAIL, _("The copy under the new key lost audit rows; nothing was changed."));
    rk_db_close(db2);
    if (rc)
        rk_db_rollback(s->db);
    return rc;
}

int rk_rekey(rk_session *s, rk_err *err)
{
    if (rk_session_require_role(s, RK_ROLE_ADMIN, err))
        return err->code;
    char copy[RK_PATH_MAX + 8];
    rekey_path(&s->paths, copy);
    remove_copy(copy);   /* a stale copy: this session's key opened the live database */
    unsigned char *new_key = rk_secure_alloc(RK_KEY_BYTES), *new_akey = rk_secure_alloc(RK_KEY_BYTES);
    if (!new_key || !new_akey) {
        rk_secure_free(new_key);
        rk_secure_free(new_akey);
        return rk_err_set(err, RK_EFAIL, _("Out of secure memory."));
    }
    randombytes_buf(new_key, RK_KEY_BYTES);
    int rc = prepare_copy(s, copy, new_key, new_akey, err);
    int old_fd = -1;
    if (rc == RK_OK) {
        old_fd = open(s->paths.db, O_WRONLY | O_CLOEXEC);
        /* The keyring first, then the database: if the two steps are cut
         * apart, the next "rekisteri rekey" or "check" finds the copy that
         * the keyring opens and puts it in place (rk_rekey_recover). */
        rc = rk_keyring_rewrap_all(s->paths.keyring, s->dbkey, new_key, err);
        if (rc == RK_OK && rename(copy, s->paths.db) != 0)
            rc = io_error(err, _("Cannot replace"), s->paths.db);
        if (rc == RK_OK)
            sync_parent(s->paths.db);
        rk_db_rollback(s->db);
        if (rc == RK_OK && old_fd >= 0) {
            /* Sessions still open on the old file would go on writing into
             * a file nobody reads: spoil its first page so they fail loudly. */
            unsigned char junk[1024];
            randombytes_buf(junk, sizeof junk);
            if (pwrite(old_fd, junk, sizeof junk, 0) == (ssize_t)sizeof junk)
                (void)fsync(old_fd);
        }
    }
    if (old_fd >= 0)
        close(old_fd);
    if (rc)
        remove_copy(copy);
    rk_secure_free(new_key);
    rk_secure_free(new_akey);
    return rc;
}

int rk_user_revoke_key(rk_session *s, const char *name, rk_err *err)
{
    if (rk_session_require_role(s, RK_ROLE_ADMIN, err))
        return err->code;
    if (strcmp(name, s->user) == 0)
        return rk_err_set(err, RK_EUSAGE, _("You cannot remove your own key."));
    /* Recorded as replaced, as a password change does: even a keyring copy
     * from before is refused at login. */
    if (rk_db_begin(s->db, err))
        return err->code;
    if (rk_session_revoke_slot(s, name, err)) {
        rk_db_rollback(s->db);
        return err->code;
    }
    if (rk_db_commit(s->db, err))
        return err->code;
    if (rk_keyring_remove_slot(s->paths.keyring, s->dbkey, name, err))
        return err->code;
    return rk_rekey(s, err);
}

int rk_rekey_recover(const rk_paths *p, const char *user, const char *password, bool *finished,
                     rk_err *err)
{
    *finished = false;
    char copy[RK_PATH_MAX + 8];
    rekey_path(p, copy);
    if (access(copy, F_OK) != 0)
        return RK_OK;
    unsigned char *key = rk_secure_alloc(RK_KEY_BYTES);
    if (!key)
        return rk_err_set(err, RK_EFAIL, _("Out of secure memory."));
    int rc = rk_keyring_unlock(p->keyring, user, password, key, err);
    rk_db *db = NULL;
    if (rc == RK_OK) {
        rk_err e;
        if (rk_db_open(p->db, key, false, &db, &e) == RK_OK) {
            rk_db_close(db);
            remove_copy(copy);   /* the rotation never reached the keyring */
        } else if ((rc = rk_db_open(copy, key, false, &db, err)) == RK_OK) {
            rk_db_close(db);
            if (rename(copy, p->db) != 0)
                rc = io_error(err, _("Cannot replace"), p->db);
            else {
                sync_parent(p->db);
                *finished = true;
            }
        }
    }
    rk_secure_free(key);
    return rc;
}
