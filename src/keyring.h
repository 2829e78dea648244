/* The keyring: one slot per user, each giving that user the database key.
 *
 * File layout (all integers little-endian), version 1:
 *   header:  magic "RKKEYRNG" (8) | version u16 | slot count u16 | file id (16)
 *   slot:    username length u8 | username | opslimit u64 | memlimit u64 |
 *            alg u8 | salt (16) | nonce (24) |
 *            wrapped secret (32 + 16 tag)   -- XChaCha20-Poly1305 of the slot's
 *                                              X25519 secret key under
 *                                              Argon2id(password, salt, params);
 *                                              AD = header without the slot count |
 *                                                   username length | username |
 *                                                   params | pk
 *            public key (32) | sealed db key (32 + 48)  -- crypto_box_seal to pk
 *   trailer: keyed BLAKE2b-256 of everything before it, key derived from the
 *            database key, so any changed byte anywhere is refused.
 * The X25519 pair lets an administrator give every slot a new database key
 * (rotation) without knowing anyone's password. */
#ifndef RK_KEYRING_H
#define RK_KEYRING_H

#include "common.h"

typedef struct rk_kdf_params {
    uint64_t opslimit;
    uint64_t memlimit;   /* bytes */
} rk_kdf_params;

/* "min" (tests only), "interactive", "moderate" (default), "sensitive".
 * Returns false for an unknown name. */
bool rk_kdf_preset(const char *name, rk_kdf_params *out);
#define RK_KDF_DEFAULT "moderate"

/* Creates a new keyring with one slot and a fresh random database key,
 * written to dbkey_out (caller's secure memory). Fails if path exists. */
int rk_keyring_create(const char *path, const char *user, const char *password,
                      const rk_kdf_params *kdf,
                      unsigned char dbkey_out[RK_KEY_BYTES], rk_err *err);

/* Opens user's slot with password and checks the whole file's MAC.
 * RK_EAUTH: no such slot or wrong password (one message for both);
 * RK_EFAIL: unreadable, truncated or tampered file. */
int rk_keyring_unlock(const char *path, const char *user, const char *password,
                      unsigned char dbkey_out[RK_KEY_BYTES], rk_err *err);

/* A slot's identity: a hash of its salt and public key, new with every
 * rewrite of the slot (password change or reset). The database keeps the
 * identities of replaced slots, so a keyring restored from an older copy
 * cannot bring back a replaced password (src/session.c). */
#define RK_SLOT_ID_BYTES 16
/* rk_keyring_unlock that also gives the opened slot's identity. */
int rk_keyring_unlock_slot(const char *path, const char *user, const char *password,
                           unsigned char dbkey_out[RK_KEY_BYTES],
                           unsigned char slot_id_out[RK_SLOT_ID_BYTES], rk_err *err);
/* The current identity of user's slot (structure only). RK_ENOTFOUND: none. */
int rk_keyring_slot_id(const char *path, const char *user, unsigned char out[RK_SLOT_ID_BYTES],
                       rk_err *err);

/* Adds or replaces user's slot. Needs the database key (the caller is logged
 * in). Read-modify-write under flock(path".lock"), atomic replace. */
int rk_keyring_set_slot(const char *path, const unsigned char dbkey[RK_KEY_BYTES],
                        const char *user, const char *password,
                        const rk_kdf_params *kdf, rk_err *err);
int rk_keyring_remove_slot(const char *path, const unsigned char dbkey[RK_KEY_BYTES],
                           const char *user, rk_err *err);

/* Re-seals every slot to new_dbkey (key rotation); old_dbkey checks the MAC. */
int rk_keyring_rewrap_all(const char *path, const unsigned char old_dbkey[RK_KEY_BYTES],
                          const unsigned char new_dbkey[RK_KEY_BYTES], rk_err *err);

/* Checks the MAC and that every slot's sealed key opens to dbkey... where
 * it can: sealed keys need the slot's secret, so this checks structure and MAC. */
int rk_keyring_verify(const char *path, const unsigned char dbkey[RK_KEY_BYTES], rk_err *err);

/* Usernames that have a slot, in file order. *users is malloc'd
 * (count entries of RK_USERNAME_MAX + 1 bytes). Structure is checked, not the MAC. */
int rk_keyring_users(const char *path, char (**users)[RK_USERNAME_MAX + 1],
                     size_t *count, rk_err *err);

/* Parses an in-memory image (structure only, no crypto): for tests and fuzzing. */
int rk_keyring_parse_check(const unsigned char *buf, size_t len, size_t *slots, rk_err *err);

#endif
