/* Where a registry lives and how one is created. A registry is a directory:
 *   registry.db   SQLCipher database (random 256-bit raw key)
 *   keyring       one slot per user wrapping that key
 *   state         failed-login counters (lockout.h)
 * Chosen by --dir, else $REKISTERI_DIR, else $XDG_DATA_HOME/rekisteri,
 * else ~/.local/share/rekisteri. */
#ifndef RK_REGISTRY_H
#define RK_REGISTRY_H

#include "common.h"
#include "keyring.h"

#define RK_PATH_MAX 4096

typedef struct rk_paths {
    char dir[RK_PATH_MAX];
    char db[RK_PATH_MAX];
    char keyring[RK_PATH_MAX];
    char state[RK_PATH_MAX];
} rk_paths;

int  rk_paths_resolve(const char *dir_opt, rk_paths *out, rk_err *err);
bool rk_registry_exists(const rk_paths *p);

/* Creates the directory (0700, or kept if it exists and is empty), keyring,
 * database and first admin; audits registry_created and user_added.
 * kdf NULL = RK_KDF_DEFAULT (or $REKISTERI_KDF, meant for tests). */
int rk_registry_init(const rk_paths *p, const char *admin, const char *full_name,
                     const char *password, const char *registry_name, bool demo,
                     rk_err *err);

/* KDF parameters for a new slot: $REKISTERI_KDF if set (tests), else the
 * given setting, else RK_KDF_DEFAULT. */
int rk_kdf_for_new_slot(const char *setting, rk_kdf_params *out, rk_err *err);

#endif
