#include "registry.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "audit.h"
#include "db_settings.h"
#include "db_users.h"
#include "roles.h"
#include "secure.h"

static int join(char *out, const char *dir, const char *name, rk_err *err)
{
    int n = snprintf(out, RK_PATH_MAX, "%s/%s", dir, name);
    if (n < 0 || n >= RK_PATH_MAX)
        return rk_err_set(err, RK_EUSAGE, _("The registry path %s is too long."), dir);
    return RK_OK;
}

int rk_paths_resolve(const char *dir_opt, rk_paths *out, rk_err *err)
{
    memset(out, 0, sizeof *out);
    const char *env = getenv("REKISTERI_DIR");
    const char *xdg = getenv("XDG_DATA_HOME");
    const char *home = getenv("HOME");
    int n;
    if (dir_opt && *dir_opt)
        n = snprintf(out->dir, sizeof out->dir, "%s", dir_opt);
    else if (env && *env)
        n = snprintf(out->dir, sizeof out->dir, "%s", env);
    else if (xdg && *xdg)
        n = snprintf(out->dir, sizeof out->dir, "%s/rekisteri", xdg);
    else if (home && *home)
        n = snprintf(out->dir, sizeof out->dir, "%s/.local/share/rekisteri", home);
    else
        return rk_err_set(err, RK_EUSAGE,
                          _("No registry directory: give --dir DIR or set REKISTERI_DIR."));
    if (n < 0 || (size_t)n >= sizeof out->dir)
        return rk_err_set(err, RK_EUSAGE, _("The registry path is too long."));
    /* Trailing slashes would make messages read oddly ("dir//keyring"). */
    for (size_t len = strlen(out->dir); len > 1 && out->dir[len - 1] == '/'; len--)
        out->dir[len - 1] = '\0';
    if (join(out->db, out->dir, "registry.db", err) ||
        join(out->keyring, out->dir, "keyring", err) ||
        join(out->state, out->dir, "state", err))
        return err->code;
    return RK_OK;
}

bool rk_registry_exists(const rk_paths *p)
{
    return access(p->keyring, F_OK) == 0 || access(p->db, F_OK) == 0;
}

int rk_kdf_for_new_slot(const char *setting, rk_kdf_params *out, rk_err *err)
{
    const char *env = getenv("REKISTERI_KDF");
    const char *name = env && *env ? env : setting && *setting ? setting : RK_KDF_DEFAULT;
    if (!rk_kdf_preset(name, out))
        return rk_err_set(err, RK_EUSAGE,
                          _("Unknown key-derivation level \"%s\": use interactive, moderate or sensitive."),
                          name);
    return RK_OK;
}

static int make_dir(const char *dir, rk_err *err)
{
    if (mkdir(dir, 0700) == 0)
        return RK_OK;
    if (errno != EEXIST)
        return rk_err_set(err, RK_EFAIL, _("Cannot create the directory %s: %s."), dir,
                          strerror(errno));
    struct stat st;
    if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode))
        return rk_err_set(err, RK_EFAIL, _("%s exists and is not a directory."), dir);
    return RK_OK;
}

int rk_registry_init(const rk_paths *p, const char *admin, const char *full_name,
                     const char *password, const char *registry_name, bool demo,
                     rk_err *err)
{
    if (!rk_username_valid(admin))
        return rk_err_set(err, RK_EUSAGE,
                          _("The username \"%s\" is not valid: use 1-32 lowercase letters, digits, '.', '_' or '-', starting with a letter."),
                          admin);
    if (rk_registry_exists(p))
        return rk_err_set(err, RK_EFAIL, _("A registry already exists in %s."), p->dir);
    if (make_dir(p->dir, err))
        return err->code;

    rk_kdf_params kdf;
    if (rk_kdf_for_new_slot(NULL, &kdf, err))
        return err->code;

    unsigned char *key = rk_secure_alloc(RK_KEY_BYTES);
    unsigned char *akey = rk_secure_alloc(RK_KEY_BYTES);
    rk_db *db = NULL;
    int rc = RK_EFAIL;
    if (!key || !akey) {
        rk_err_set(err, RK_EFAIL, _("Out of secure memory."));
        goto out;
    }
    if (rk_keyring_create(p->keyring, admin, password, &kdf, key, err))
        goto out;
    if (rk_db_open(p->db, key, true, &db, err))
        goto out;
    rk_audit_derive_key(key, akey);

    char now[32], term[128];
    rk_now_iso(now);
    rk_audit_terminal(term, sizeof term);
    rk_user_row u = { .active = true };
    snprintf(u.username, sizeof u.username, "%s", admin);
    snprintf(u.full_name, sizeof u.full_name, "%s", full_name ? full_name : "");
    snprintf(u.role, sizeof u.role, "%s", rk_role_name(RK_ROLE_ADMIN));
    snprintf(u.created, sizeof u.created, "%s", now);
    snprintf(u.password_changed, sizeof u.password_changed, "%s", now);

    if (rk_db_begin(db, err))
        goto out;
    if (rk_dbs_set(db, "registry_name", registry_name && *registry_name ? registry_name : "Rekisteri", err) ||
        rk_dbs_set(db, "demo", demo ? "1" : "0", err) ||
        rk_dbu_insert(db, &u, err) ||
        rk_audit_append(db, akey, now, admin, RK_AUDIT_REGISTRY_CREATED, 0,
                        demo ? "demo registry" : "", term, err) ||
        rk_audit_append(db, akey, now, admin, RK_AUDIT_USER_ADDED, 0, "role=admin", term, err)) {
        rk_db_rollback(db);
        goto out;
    }
    if (rk_db_commit(db, err))
        goto out;
    rc = RK_OK;
out:
    if (db)
        rk_db_close(db);
    rk_secure_free(key);
    rk_secure_free(akey);
    if (rc != RK_OK) {
        /* Never leave a half-made registry behind: a keyring without its
         * database (or the reverse) would only confuse the next init. */
        unlink(p->db);
        unlink(p->keyring);
        char lock[RK_PATH_MAX + 8];
        snprintf(lock, sizeof lock, "%s.lock", p->keyring);
        unlink(lock);
        rmdir(p->dir);   /* only succeeds when it is empty */
    }
    return rc;
}
