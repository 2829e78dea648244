/* The keyring file (layout in keyring.h). The parser trusts no length it
 * reads; every secret (Argon2id output, slot secret key, database key, MAC
 * key) lives in sodium_malloc memory and is wiped on free. */
#include "keyring.h"
#include "secure.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#define KR_MAGIC   "RKKEYRNG"
#define KR_VERSION 1u
#define KR_KDF_CTX "rkkeyrng"   /* crypto_kdf context of the file MAC key */

enum {
    KR_MAGIC_LEN   = 8,
    KR_ID_LEN      = 16,
    KR_HEADER_LEN  = KR_MAGIC_LEN + 2 + 2 + KR_ID_LEN,
    KR_AD_HEAD_LEN = KR_MAGIC_LEN + 2 + KR_ID_LEN,   /* header without the count */
    KR_PARAMS_LEN  = 8 + 8 + 1,
    KR_SALT_LEN    = 16,
    KR_NONCE_LEN   = 24,
    KR_SK_LEN      = 32,
    KR_WRAPPED_LEN = KR_SK_LEN + 16,
    KR_PK_LEN      = 32,
    KR_SEALED_LEN  = RK_KEY_BYTES + 48,
    KR_MAC_LEN     = 32,
    /* Everything in a slot except the username itself. */
    KR_SLOT_FIXED  = 1 + KR_PARAMS_LEN + KR_SALT_LEN + KR_NONCE_LEN + KR_WRAPPED_LEN +
                     KR_PK_LEN + KR_SEALED_LEN,
    KR_AD_MAX      = KR_AD_HEAD_LEN + 1 + RK_USERNAME_MAX + KR_PARAMS_LEN + KR_PK_LEN,
    KR_SLOTS_MAX   = 65535,
};

_Static_assert(KR_SALT_LEN == crypto_pwhash_SALTBYTES, "salt size");
_Static_assert(KR_NONCE_LEN == crypto_aead_xchacha20poly1305_ietf_NPUBBYTES, "nonce size");
_Static_assert(KR_WRAPPED_LEN == KR_SK_LEN + crypto_aead_xchacha20poly1305_ietf_ABYTES, "tag");
_Static_assert(KR_SK_LEN == crypto_box_SECRETKEYBYTES, "secret key size");
_Static_assert(KR_PK_LEN == crypto_box_PUBLICKEYBYTES, "public key size");
_Static_assert(KR_SEALED_LEN == RK_KEY_BYTES + crypto_box_SEALBYTES, "sealed box size");
_Static_assert(KR_MAC_LEN == crypto_generichash_BYTES, "MAC size");
_Static_assert(RK_KEY_BYTES == crypto_kdf_KEYBYTES, "database key is the KDF master key");
_Static_assert(sizeof KR_KDF_CTX - 1 == crypto_kdf_CONTEXTBYTES, "KDF context size");

#define KR_FILE_MAX ((size_t)KR_HEADER_LEN + KR_MAC_LEN + \
                     (size_t)KR_SLOTS_MAX * (KR_SLOT_FIXED + RK_USERNAME_MAX))

/* Bounds on stored Argon2id limits: never below libsodium's minimum, and no
 * slot may cost more than the "sensitive" preset, so an edited file can
 * neither weaken a slot nor make us allocate or spin without limit. */
#define KR_OPS_MAX  32u
#define KR_MEM_MAX  ((uint64_t)crypto_pwhash_argon2id_MEMLIMIT_SENSITIVE)
#define KR_COST_MAX ((uint64_t)crypto_pwhash_argon2id_OPSLIMIT_SENSITIVE * KR_MEM_MAX)

typedef struct kr_slot {
    char          user[RK_USERNAME_MAX + 1];
    uint64_t      opslimit, memlimit;
    uint8_t       alg;
    unsigned char salt[KR_SALT_LEN];
    unsigned char nonce[KR_NONCE_LEN];
    unsigned char wrapped[KR_WRAPPED_LEN];
    unsigned char pk[KR_PK_LEN];
    unsigned char sealed[KR_SEALED_LEN];
} kr_slot;

/* A parsed keyring. Holds no secret: slot keys are wrapped, the DB key sealed. */
typedef struct kr_file {
    unsigned char id[KR_ID_LEN];
    size_t        count;
    kr_slot      *slot;
} kr_file;

/* The secrets of one operation, in one guarded, wiped block. */
typedef struct kr_secrets {
    unsigned char kek[crypto_aead_xchacha20poly1305_ietf_KEYBYTES];
    unsigned char sk[KR_SK_LEN];
    unsigned char dbkey[RK_KEY_BYTES];
} kr_secrets;

typedef struct kr_preset {
    const char *name;
    uint64_t    opslimit, memlimit;
} kr_preset;

static const kr_preset kr_presets[] = {
    { "min", crypto_pwhash_argon2id_OPSLIMIT_MIN, crypto_pwhash_argon2id_MEMLIMIT_MIN },
    { "interactive", crypto_pwhash_argon2id_OPSLIMIT_INTERACTIVE,
      crypto_pwhash_argon2id_MEMLIMIT_INTERACTIVE },
    { "moderate", crypto_pwhash_argon2id_OPSLIMIT_MODERATE,
      crypto_pwhash_argon2id_MEMLIMIT_MODERATE },
    { "sensitive", crypto_pwhash_argon2id_OPSLIMIT_SENSITIVE,
      crypto_pwhash_argon2id_MEMLIMIT_SENSITIVE },
};

bool rk_kdf_preset(const char *name, rk_kdf_params *out)
{
    for (size_t i = 0; name && i < RK_ARRAY_LEN(kr_presets); i++) {
        if (strcmp(name, kr_presets[i].name) == 0) {
            if (out) {
                out->opslimit = kr_presets[i].opslimit;
                out->memlimit = kr_presets[i].memlimit;
            }
            return true;
        }
    }
    return false;
}

static bool kdf_ok(uint64_t ops, uint64_t mem)
{
    return ops >= crypto_pwhash_argon2id_OPSLIMIT_MIN && ops <= KR_OPS_MAX &&
           mem >= crypto_pwhash_argon2id_MEMLIMIT_MIN && mem <= KR_MEM_MAX &&
           ops * mem <= KR_COST_MAX;
}

/* ---- messages ---- */

static int damaged(const char *where, rk_err *err)
{
    return rk_err_set(err, RK_EFAIL, _("The keyring %s is damaged or has been tampered with."),
                      where);
}

static int wrong_credentials(rk_err *err)
{
    return rk_err_set(err, RK_EAUTH, _("Wrong username or password."));
}

static int no_memory(rk_err *err)
{
    return rk_err_set(err, RK_EFAIL, _("Out of memory."));
}

static int no_secure_memory(rk_err *err)
{
    return rk_err_set(err, RK_EFAIL, _("Out of secure memory."));
}

/* ---- encoding ---- */

static void put_le(unsigned char *p, uint64_t v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        p[i] = (unsigned char)(v >> (8 * i));
}

static uint64_t get_le(const unsigned char *p, size_t n)
{
    uint64_t v = 0;
    for (size_t i = 0; i < n; i++)
        v |= (uint64_t)p[i] << (8 * i);
    return v;
}

static unsigned char *put(unsigned char *p, const void *src, size_t n)
{
    memcpy(p, src, n);
    return p + n;
}

/* username length | username | opslimit | memlimit | alg */
static unsigned char *put_slot_head(unsigned char *p, const kr_slot *s)
{
    size_t ulen = strlen(s->user);
    *p++ = (unsigned char)ulen;
    p = put(p, s->user, ulen);
    put_le(p, s->opslimit, 8);
    put_le(p + 8, s->memlimit, 8);
    p[16] = s->alg;
    return p + KR_PARAMS_LEN;
}

/* AD binds the wrapped secret to this file (id), this user, these limits and
 * this public key. The slot count is left out so adding a slot does not
 * invalidate every other user's slot. */
static size_t slot_ad(const kr_file *kr, const kr_slot *s, unsigned char ad[KR_AD_MAX])
{
    unsigned char *p = put(ad, KR_MAGIC, KR_MAGIC_LEN);
    put_le(p, KR_VERSION, 2);
    p = put(p + 2, kr->id, KR_ID_LEN);
    p = put_slot_head(p, s);
    p = put(p, s->pk, KR_PK_LEN);
    return (size_t)(p - ad);
}

/* Keyed BLAKE2b-256 of buf[0..n) under a subkey of the database key. */
static int file_mac(const unsigned char *buf, size_t n, const unsigned char dbkey[RK_KEY_BYTES],
                    unsigned char out[KR_MAC_LEN], rk_err *err)
{
    unsigned char *sub = rk_secure_alloc(crypto_generichash_KEYBYTES);
    if (!sub)
        return no_secure_memory(err);
    crypto_kdf_derive_from_key(sub, crypto_generichash_KEYBYTES, 1, KR_KDF_CTX, dbkey);
    crypto_generichash(out, KR_MAC_LEN, buf, n, sub, crypto_generichash_KEYBYTES);
    rk_secure_free(sub);
    return RK_OK;
}

static int check_mac(const unsigned char *buf, size_t len, const unsigned char dbkey[RK_KEY_BYTES],
                     const char *where, rk_err *err)
{
    unsigned char mac[KR_MAC_LEN];
    if (len < KR_MAC_LEN)
        return damaged(where, err);
    int rc = file_mac(buf, len - KR_MAC_LEN, dbkey, mac, err);
    if (rc)
        return rc;
    return crypto_verify_32(mac, buf + len - KR_MAC_LEN) == 0 ? RK_OK : damaged(where, err);
}

static unsigned char *serialize(const kr_file *kr, const unsigned char dbkey[RK_KEY_BYTES],
                                size_t *len_out, rk_err *err)
{
    size_t len = KR_HEADER_LEN + KR_MAC_LEN;
    for (size_t i = 0; i < kr->count; i++)
        len += KR_SLOT_FIXED + strlen(kr->slot[i].user);
    unsigned char *buf = malloc(len);
    if (!buf) {
        no_memory(err);
        return NULL;
    }
    unsigned char *p = put(buf, KR_MAGIC, KR_MAGIC_LEN);
    put_le(p, KR_VERSION, 2);
    put_le(p + 2, kr->count, 2);
    p = put(p + 4, kr->id, KR_ID_LEN);
    for (size_t i = 0; i < kr->count; i++) {
        const kr_slot *s = &kr->slot[i];
        p = put_slot_head(p, s);
        p = put(p, s->salt, KR_SALT_LEN);
        p = put(p, s->nonce, KR_NONCE_LEN);
        p = put(p, s->wrapped, KR_WRAPPED_LEN);
        p = put(p, s->pk, KR_PK_LEN);
        p = put(p, s->sealed, KR_SEALED_LEN);
    }
    if (file_mac(buf, len - KR_MAC_LEN, dbkey, p, err)) {
        free(buf);
        return NULL;
    }
    *len_out = len;
    return buf;
}

/* ---- parsing ---- */

static void kr_free(kr_file *kr)
{
    free(kr->slot);
    kr->slot = NULL;
    kr->count = 0;
}

static int parse_slot(const unsigned char *buf, size_t end, size_t *off, kr_file *kr, size_t i,
                      const char *where, rk_err *err)
{
    kr_slot *s = &kr->slot[i];
    const unsigned char *p = buf + *off;
    size_t left = end - *off;
    size_t ulen = left > 0 ? p[0] : 0;
    if (ulen == 0 || ulen > RK_USERNAME_MAX || left < KR_SLOT_FIXED + ulen)
        return damaged(where, err);
    memcpy(s->user, p + 1, ulen);
    s->user[ulen] = '\0';
    if (strlen(s->user) != ulen || !rk_username_valid(s->user))
        return damaged(where, err);
    for (size_t j = 0; j < i; j++)
        if (strcmp(kr->slot[j].user, s->user) == 0)
            return damaged(where, err);
    p += 1 + ulen;
    s->opslimit = get_le(p, 8);
    s->memlimit = get_le(p + 8, 8);
    s->alg = p[16];
    p += KR_PARAMS_LEN;
    if (s->alg != crypto_pwhash_ALG_ARGON2ID13 || !kdf_ok(s->opslimit, s->memlimit))
        return rk_err_set(err, RK_EFAIL,
                          _("The keyring %s is damaged or has been tampered with: the slot of %s "
                            "asks for key-derivation limits outside the allowed range."),
                          where, s->user);
    memcpy(s->salt, p, KR_SALT_LEN);
    p += KR_SALT_LEN;
    memcpy(s->nonce, p, KR_NONCE_LEN);
    p += KR_NONCE_LEN;
    memcpy(s->wrapped, p, KR_WRAPPED_LEN);
    p += KR_WRAPPED_LEN;
    memcpy(s->pk, p, KR_PK_LEN);
    p += KR_PK_LEN;
    memcpy(s->sealed, p, KR_SEALED_LEN);
    *off += KR_SLOT_FIXED + ulen;
    return RK_OK;
}

/* Structure only; the MAC needs the database key and is checked apart. */
static int parse(const unsigned char *buf, size_t len, const char *where, kr_file *kr,
                 rk_err *err)
{
    memset(kr, 0, sizeof *kr);
    if (!buf || len < KR_MAGIC_LEN || memcmp(buf, KR_MAGIC, KR_MAGIC_LEN) != 0)
        return rk_err_set(err, RK_EFAIL, _("%s is not a Rekisteri keyring."), where);
    if (len < KR_HEADER_LEN + KR_MAC_LEN)
        return damaged(where, err);
    unsigned version = (unsigned)get_le(buf + KR_MAGIC_LEN, 2);
    if (version != KR_VERSION)
        return rk_err_set(err, RK_EFAIL,
                          _("The keyring %s has format version %u, which this version of "
                            "Rekisteri cannot read."),
                          where, version);
    size_t count = (size_t)get_le(buf + KR_MAGIC_LEN + 2, 2);
    memcpy(kr->id, buf + KR_MAGIC_LEN + 4, KR_ID_LEN);
    size_t end = len - KR_MAC_LEN;
    /* The count must fit the bytes there are before anything is allocated. */
    if (count == 0 || count > (end - KR_HEADER_LEN) / (KR_SLOT_FIXED + 1))
        return damaged(where, err);
    kr->slot = calloc(count, sizeof *kr->slot);
    if (!kr->slot)
        return no_memory(err);
    kr->count = count;
    size_t off = KR_HEADER_LEN;
    for (size_t i = 0; i < count; i++) {
        int rc = parse_slot(buf, end, &off, kr, i, where, err);
        if (rc) {
            kr_free(kr);
            return rc;
        }
    }
    if (off != end) {
        kr_free(kr);
        return damaged(where, err);
    }
    return RK_OK;
}

static size_t find_slot(const kr_file *kr, const char *user)
{
    for (size_t i = 0; user && i < kr->count; i++)
        if (strcmp(kr->slot[i].user, user) == 0)
            return i;
    return kr->count;
}

/* ---- slots ---- */

static int derive_kek(const kr_slot *s, const char *password, unsigned char *kek, rk_err *err)
{
    const char *pw = password ? password : "";
    if (crypto_pwhash(kek, crypto_aead_xchacha20poly1305_ietf_KEYBYTES, pw, strlen(pw), s->salt,
                      s->opslimit, (size_t)s->memlimit, s->alg) != 0)
        return rk_err_set(err, RK_EFAIL,
                          _("Not enough memory to derive the key of %s (%llu MiB are needed)."),
                          s->user, (unsigned long long)(s->memlimit >> 20));
    return RK_OK;
}

/* A new slot for user: fresh salt, nonce and X25519 pair, the secret key
 * wrapped under Argon2id(password), the database key sealed to the pair. */
static int fill_slot(const kr_file *kr, kr_slot *s, const char *user, const char *password,
                     const rk_kdf_params *kdf, const unsigned char dbkey[RK_KEY_BYTES],
                     rk_err *err)
{
    memset(s, 0, sizeof *s);
    snprintf(s->user, sizeof s->user, "%s", user);
    s->opslimit = kdf->opslimit;
    s->memlimit = kdf->memlimit;
    s->alg = crypto_pwhash_ALG_ARGON2ID13;
    randombytes_buf(s->salt, sizeof s->salt);
    randombytes_buf(s->nonce, sizeof s->nonce);
    kr_secrets *sec = rk_secure_alloc(sizeof *sec);
    if (!sec)
        return no_secure_memory(err);
    int rc = derive_kek(s, password, sec->kek, err);
    if (rc == RK_OK) {
        unsigned char ad[KR_AD_MAX];
        crypto_box_keypair(s->pk, sec->sk);
        size_t adlen = slot_ad(kr, s, ad);
        crypto_aead_xchacha20poly1305_ietf_encrypt(s->wrapped, NULL, sec->sk, KR_SK_LEN, ad, adlen,
                                                   NULL, s->nonce, sec->kek);
        if (crypto_box_seal(s->sealed, dbkey, RK_KEY_BYTES, s->pk) != 0)
            rc = rk_err_set(err, RK_EFAIL, _("Cannot seal the database key for %s."), user);
    }
    rk_secure_free(sec);
    return rc;
}

/* Wrong password and a wrapped secret that was edited look the same: EAUTH.
 * Once the slot opens, a sealed key that does not is damage: EFAIL. */
static int open_slot(const kr_file *kr, const kr_slot *s, const char *password, kr_secrets *sec,
                     const char *where, rk_err *err)
{
    int rc = derive_kek(s, password, sec->kek, err);
    if (rc)
        return rc;
    unsigned char ad[KR_AD_MAX];
    size_t adlen = slot_ad(kr, s, ad);
    unsigned long long sklen = 0;
    if (crypto_aead_xchacha20poly1305_ietf_decrypt(sec->sk, &sklen, NULL, s->wrapped,
                                                   KR_WRAPPED_LEN, ad, adlen, s->nonce,
                                                   sec->kek) != 0 ||
        sklen != KR_SK_LEN)
        return wrong_credentials(err);
    if (crypto_box_seal_open(sec->dbkey, s->sealed, KR_SEALED_LEN, s->pk, sec->sk) != 0)
        return damaged(where, err);
    return RK_OK;
}

/* An unknown user costs one Argon2id run like a known one, so timing does
 * not tell which usernames have a slot. */
static void decoy_kdf(const kr_file *kr, const char *password, kr_secrets *sec)
{
    kr_slot s = kr->slot[0];
    rk_err ignore;
    randombytes_buf(s.salt, sizeof s.salt);
    derive_kek(&s, password, sec->kek, &ignore);
}

static int check_new_slot(const char *user, const char *password, const rk_kdf_params *kdf,
                          rk_err *err)
{
    if (!rk_username_valid(user))
        return rk_err_set(err, RK_EFAIL,
                          _("Invalid username: use 1-32 characters from a-z, 0-9, '.', '_' and '-', "
                            "starting with a letter."));
    if (!password || !*password)
        return rk_err_set(err, RK_EFAIL, _("No password given."));
    if (!kdf || !kdf_ok(kdf->opslimit, kdf->memlimit))
        return rk_err_set(err, RK_EFAIL,
                          _("The key-derivation limits for %s are outside the allowed range."),
                          user);
    return RK_OK;
}

/* ---- files ---- */

static int read_all(const char *path, unsigned char **buf_out, size_t *len_out, rk_err *err)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return rk_err_set(err, RK_EFAIL, _("Cannot read the keyring %s: %s."), path,
                          strerror(errno));
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        close(fd);
        return rk_err_set(err, RK_EFAIL, _("The keyring %s is not a regular file."), path);
    }
    if ((uint64_t)st.st_size > KR_FILE_MAX) {
        close(fd);
        return damaged(path, err);
    }
    size_t len = (size_t)st.st_size, got = 0;
    unsigned char *buf = malloc(len ? len : 1);
    if (!buf) {
        close(fd);
        return no_memory(err);
    }
    while (got < len) {
        ssize_t n = read(fd, buf + got, len - got);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            int e = n < 0 ? errno : 0;
            close(fd);
            free(buf);
            return e ? rk_err_set(err, RK_EFAIL, _("Cannot read the keyring %s: %s."), path,
                                  strerror(e))
                     : damaged(path, err);
        }
        got += (size_t)n;
    }
    close(fd);
    *buf_out = buf;
    *len_out = len;
    return RK_OK;
}

/* Reads and parses path; on success the caller frees *buf and kr. */
static int load(const char *path, kr_file *kr, unsigned char **buf, size_t *len, rk_err *err)
{
    int rc = read_all(path, buf, len, err);
    if (rc)
        return rc;
    rc = parse(*buf, *len, path, kr, err);
    if (rc) {
        free(*buf);
        *buf = NULL;
    }
    return rc;
}

/* flock on path".lock" serialises read-modify-write. The lock file gets the
 * keyring's group bits so every member of a shared registry can take it.
 * Returns the fd to close for unlocking, or -1. */
static int lock_take(const char *path, rk_err *err)
{
    size_t llen = strlen(path) + sizeof ".lock";
    char *lock = malloc(llen);
    if (!lock) {
        no_memory(err);
        return -1;
    }
    snprintf(lock, llen, "%s.lock", path);
    struct stat st;
    mode_t mode = 0600 | (stat(path, &st) == 0 ? (st.st_mode & 0060) : 0);
    int fd = open(lock, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, mode);
    if (fd >= 0)
        (void)fchmod(fd, mode);   /* umask must not take the group bits away */
    else if (errno == EEXIST)
        fd = open(lock, O_RDWR | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0 && errno == EACCES)
        fd = open(lock, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);   /* flock works read-only */
    int rc = -1;
    while (fd >= 0 && (rc = flock(fd, LOCK_EX)) != 0 && errno == EINTR)
        ;
    if (fd < 0 || rc != 0) {
        rk_err_set(err, RK_EFAIL, _("Cannot lock %s: %s."), lock, strerror(errno));
        if (fd >= 0)
            close(fd);
        fd = -1;
    }
    free(lock);
    return fd;
}

/* Best effort: once rename() returned, the new keyring is what everyone
 * reads, so a failed directory sync must not be reported as a failed write. */
static void sync_dir(const char *path)
{
    const char *slash = strrchr(path, '/');
    char *dir = slash ? strndup(path, slash == path ? 1 : (size_t)(slash - path)) : strdup(".");
    if (!dir)
        return;
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd >= 0) {
        (void)fsync(fd);
        close(fd);
    }
    free(dir);
}

/* New file: 0600. Replacing one that is shared with its group (0660 and a
 * group): keep both, or members would lose access. */
static int set_mode(int fd, const char *path, const struct stat *old, rk_err *err)
{
    mode_t mode = 0600 | (old ? (old->st_mode & 0060) : 0);
    struct stat st;
    if (old && fstat(fd, &st) == 0 && st.st_gid != old->st_gid &&
        fchown(fd, (uid_t)-1, old->st_gid) != 0)
        return rk_err_set(err, RK_EFAIL,
                          _("Cannot give the new keyring %s the group of the old one: %s."), path,
                          strerror(errno));
    if (fchmod(fd, mode) != 0)
        return rk_err_set(err, RK_EFAIL, _("Cannot set the mode of the keyring %s: %s."), path,
                          strerror(errno));
    return RK_OK;
}

/* Temp file in the same directory, fsync, rename, fsync the directory: the
 * keyring is always either the old or the new one, never half of each. */
static int write_atomic(const char *path, const unsigned char *buf, size_t len,
                        const struct stat *old, rk_err *err)
{
    size_t tlen = strlen(path) + sizeof ".XXXXXX";
    char *tmp = malloc(tlen);
    if (!tmp)
        return no_memory(err);
    snprintf(tmp, tlen, "%s.XXXXXX", path);
    int fd = mkostemp(tmp, O_CLOEXEC);   /* created 0600 */
    if (fd < 0) {
        int rc = rk_err_set(err, RK_EFAIL, _("Cannot write the keyring %s: %s."), path,
                            strerror(errno));
        free(tmp);
        return rc;
    }
    int rc = set_mode(fd, path, old, err);
    if (rc == RK_OK && (rk_write_all(fd, buf, len) != 0 || fsync(fd) != 0))
        rc = rk_err_set(err, RK_EFAIL, _("Cannot write the keyring %s: %s."), path,
                        strerror(errno));
    if (close(fd) != 0 && rc == RK_OK)
        rc = rk_err_set(err, RK_EFAIL, _("Cannot write the keyring %s: %s."), path,
                        strerror(errno));
    if (rc == RK_OK && rename(tmp, path) != 0)
        rc = rk_err_set(err, RK_EFAIL, _("Cannot replace the keyring %s: %s."), path,
                        strerror(errno));
    if (rc)
        unlink(tmp);
    else
        sync_dir(path);
    free(tmp);
    return rc;
}

/* ---- read-modify-write ---- */

typedef int (*kr_edit_fn)(kr_file *kr, const void *arg, const char *path, rk_err *err);

/* Under the lock: load, check the MAC with old_key, edit, write with a MAC
 * under new_key (the same key unless rotating). */
static int edit_keyring(const char *path, const unsigned char old_key[RK_KEY_BYTES],
                        const unsigned char new_key[RK_KEY_BYTES], kr_edit_fn edit,
                        const void *arg, rk_err *err)
{
    int lock = lock_take(path, err);
    if (lock < 0)
        return RK_EFAIL;
    unsigned char *buf = NULL, *out = NULL;
    size_t len = 0, out_len = 0;
    kr_file kr;
    struct stat st;
    int rc = load(path, &kr, &buf, &len, err);
    if (rc == RK_OK) {
        if (stat(path, &st) != 0)
            rc = rk_err_set(err, RK_EFAIL, _("Cannot read the keyring %s: %s."), path,
                            strerror(errno));
        if (rc == RK_OK)
            rc = check_mac(buf, len, old_key, path, err);
        if (rc == RK_OK)
            rc = edit(&kr, arg, path, err);
        if (rc == RK_OK && !(out = serialize(&kr, new_key, &out_len, err)))
            rc = RK_EFAIL;
        if (rc == RK_OK)
            rc = write_atomic(path, out, out_len, &st, err);
        kr_free(&kr);
    }
    free(buf);
    free(out);
    close(lock);
    if (rc == RK_OK)
        rk_err_clear(err);
    return rc;
}

typedef struct set_arg {
    const char          *user;
    const char          *password;
    const rk_kdf_params *kdf;
    const unsigned char *dbkey;
} set_arg;

static int edit_set(kr_file *kr, const void *varg, const char *path, rk_err *err)
{
    const set_arg *a = varg;
    size_t i = find_slot(kr, a->user);
    if (i == kr->count) {
        if (kr->count >= KR_SLOTS_MAX)
            return rk_err_set(err, RK_EFAIL, _("The keyring %s is full: it has %d slots already."),
                              path, KR_SLOTS_MAX);
        kr_slot *grown = realloc(kr->slot, (kr->count + 1) * sizeof *grown);
        if (!grown)
            return no_memory(err);
        kr->slot = grown;
    }
    kr_slot fresh;
    int rc = fill_slot(kr, &fresh, a->user, a->password, a->kdf, a->dbkey, err);
    if (rc)
        return rc;
    kr->slot[i] = fresh;
    if (i == kr->count)
        kr->count++;
    return RK_OK;
}

static int edit_remove(kr_file *kr, const void *varg, const char *path, rk_err *err)
{
    const char *user = varg;
    size_t i = find_slot(kr, user);
    if (i == kr->count)
        return rk_err_set(err, RK_ENOTFOUND, _("There is no slot for %s in the keyring %s."),
                          user, path);
    if (kr->count == 1)
        return rk_err_set(err, RK_EFAIL,
                          _("Cannot remove the slot of %s: it is the last one in the keyring %s, "
                            "and without it nobody could open the registry."),
                          user, path);
    memmove(&kr->slot[i], &kr->slot[i + 1], (kr->count - i - 1) * sizeof *kr->slot);
    kr->count--;
    return RK_OK;
}

/* Rotation needs no password: each slot's public key is enough to seal. */
static int edit_rewrap(kr_file *kr, const void *new_key, const char *path, rk_err *err)
{
    for (size_t i = 0; i < kr->count; i++)
        if (crypto_box_seal(kr->slot[i].sealed, new_key, RK_KEY_BYTES, kr->slot[i].pk) != 0)
            return rk_err_set(err, RK_EFAIL, _("Cannot seal the new database key in %s."), path);
    return RK_OK;
}

/* ---- public ---- */

int rk_keyring_create(const char *path, const char *user, const char *password,
                      const rk_kdf_params *kdf, unsigned char dbkey_out[RK_KEY_BYTES], rk_err *err)
{
    int rc = check_new_slot(user, password, kdf, err);
    if (rc)
        return rc;
    int lock = lock_take(path, err);
    if (lock < 0)
        return RK_EFAIL;
    struct stat st;
    kr_secrets *sec = NULL;
    kr_file kr = { .count = 1, .slot = calloc(1, sizeof(kr_slot)) };
    unsigned char *buf = NULL;
    size_t len = 0;
    if (lstat(path, &st) == 0)
        rc = rk_err_set(err, RK_EFAIL, _("The keyring %s already exists; it was left as it is."),
                        path);
    else if (errno != ENOENT)
        rc = rk_err_set(err, RK_EFAIL, _("Cannot create the keyring %s: %s."), path,
                        strerror(errno));
    else if (!kr.slot)
        rc = no_memory(err);
    else if (!(sec = rk_secure_alloc(sizeof *sec)))
        rc = no_secure_memory(err);
    if (rc == RK_OK) {
        randombytes_buf(kr.id, sizeof kr.id);
        randombytes_buf(sec->dbkey, RK_KEY_BYTES);
        rc = fill_slot(&kr, &kr.slot[0], user, password, kdf, sec->dbkey, err);
    }
    if (rc == RK_OK && !(buf = serialize(&kr, sec->dbkey, &len, err)))
        rc = RK_EFAIL;
    if (rc == RK_OK)
        rc = write_atomic(path, buf, len, NULL, err);
    if (rc == RK_OK) {
        memcpy(dbkey_out, sec->dbkey, RK_KEY_BYTES);
        rk_err_clear(err);
    }
    rk_secure_free(sec);
    kr_free(&kr);
    free(buf);
    close(lock);
    return rc;
}

/* Which version of a slot this is: every rewrite draws a new salt and key pair. */
static void slot_id(const kr_slot *s, unsigned char out[RK_SLOT_ID_BYTES])
{
    crypto_generichash_state st;
    crypto_generichash_init(&st, NULL, 0, RK_SLOT_ID_BYTES);
    crypto_generichash_update(&st, s->salt, sizeof s->salt);
    crypto_generichash_update(&st, s->pk, sizeof s->pk);
    crypto_generichash_final(&st, out, RK_SLOT_ID_BYTES);
}

int rk_keyring_unlock(const char *path, const char *user, const char *password,
                      unsigned char dbkey_out[RK_KEY_BYTES], rk_err *err)
{
    return rk_keyring_unlock_slot(path, user, password, dbkey_out, NULL, err);
}

int rk_keyring_unlock_slot(const char *path, const char *user, const char *password,
                           unsigned char dbkey_out[RK_KEY_BYTES],
                           unsigned char slot_id_out[RK_SLOT_ID_BYTES], rk_err *err)
{
    unsigned char *buf = NULL;
    size_t len = 0;
    kr_file kr;
    int rc = load(path, &kr, &buf, &len, err);
    if (rc)
        return rc;
    kr_secrets *sec = rk_secure_alloc(sizeof *sec);
    size_t i = find_slot(&kr, user);
    if (!sec) {
        rc = no_secure_memory(err);
    } else if (i == kr.count) {
        decoy_kdf(&kr, password, sec);
        rc = wrong_credentials(err);
    } else {
        rc = open_slot(&kr, &kr.slot[i], password, sec, path, err);
        /* The slot opened, so the key is right: the MAC now covers the rest. */
        if (rc == RK_OK)
            rc = check_mac(buf, len, sec->dbkey, path, err);
        if (rc == RK_OK) {
            memcpy(dbkey_out, sec->dbkey, RK_KEY_BYTES);
            if (slot_id_out)
                slot_id(&kr.slot[i], slot_id_out);
            rk_err_clear(err);
        }
    }
    rk_secure_free(sec);
    kr_free(&kr);
    free(buf);
    return rc;
}

int rk_keyring_set_slot(const char *path, const unsigned char dbkey[RK_KEY_BYTES],
                        const char *user, const char *password, const rk_kdf_params *kdf,
                        rk_err *err)
{
    int rc = check_new_slot(user, password, kdf, err);
    if (rc)
        return rc;
    set_arg a = { user, password, kdf, dbkey };
    return edit_keyring(path, dbkey, dbkey, edit_set, &a, err);
}

int rk_keyring_remove_slot(const char *path, const unsigned char dbkey[RK_KEY_BYTES],
                           const char *user, rk_err *err)
{
    if (!rk_username_valid(user))
        return rk_err_set(err, RK_EFAIL,
                          _("Invalid username: use 1-32 characters from a-z, 0-9, '.', '_' and '-', "
                            "starting with a letter."));
    return edit_keyring(path, dbkey, dbkey, edit_remove, user, err);
}

int rk_keyring_rewrap_all(const char *path, const unsigned char old_dbkey[RK_KEY_BYTES],
                          const unsigned char new_dbkey[RK_KEY_BYTES], rk_err *err)
{
    return edit_keyring(path, old_dbkey, new_dbkey, edit_rewrap, new_dbkey, err);
}

int rk_keyring_verify(const char *path, const unsigned char dbkey[RK_KEY_BYTES], rk_err *err)
{
    unsigned char *buf = NULL;
    size_t len = 0;
    kr_file kr;
    int rc = load(path, &kr, &buf, &len, err);
    if (rc)
        return rc;
    rc = check_mac(buf, len, dbkey, path, err);
    if (rc == RK_OK)
        rk_err_clear(err);
    kr_free(&kr);
    free(buf);
    return rc;
}

int rk_keyring_users(const char *path, char (**users)[RK_USERNAME_MAX + 1], size_t *count,
                     rk_err *err)
{
    unsigned char *buf = NULL;
    size_t len = 0;
    kr_file kr;
    *users = NULL;
    *count = 0;
    int rc = load(path, &kr, &buf, &len, err);
    if (rc)
        return rc;
    char (*list)[RK_USERNAME_MAX + 1] = malloc(kr.count * sizeof *list);
    if (!list) {
        rc = no_memory(err);
    } else {
        for (size_t i = 0; i < kr.count; i++)
            memcpy(list[i], kr.slot[i].user, sizeof list[i]);
        *users = list;
        *count = kr.count;
        rk_err_clear(err);
    }
    kr_free(&kr);
    free(buf);
    return rc;
}

int rk_keyring_slot_id(const char *path, const char *user, unsigned char out[RK_SLOT_ID_BYTES],
                       rk_err *err)
{
    unsigned char *buf = NULL;
    size_t len = 0;
    kr_file kr;
    int rc = load(path, &kr, &buf, &len, err);
    if (rc)
        return rc;
    size_t i = find_slot(&kr, user);
    if (i == kr.count)
        rc = rk_err_set(err, RK_ENOTFOUND, _("The keyring has no slot for %s."), user);
    else
        slot_id(&kr.slot[i], out);
    kr_free(&kr);
    free(buf);
    return rc;
}

int rk_keyring_parse_check(const unsigned char *buf, size_t len, size_t *slots, rk_err *err)
{
    kr_file kr;
    if (slots)
        *slots = 0;
    int rc = parse(buf, len, _("(in memory)"), &kr, err);
    if (rc)
        return rc;
    if (slots)
        *slots = kr.count;
    kr_free(&kr);
    rk_err_clear(err);
    return RK_OK;
}
