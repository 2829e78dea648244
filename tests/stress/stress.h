/* Shared by the programs in tests/stress: a throwaway registry in a
 * temporary directory (cheap Argon2id, as the unit fixture uses), its
 * removal, and a clock. Test code only. */
#ifndef RK_STRESS_H
#define RK_STRESS_H

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "registry.h"
#include "secure.h"
#include "session.h"
#include "users.h"

#define STRESS_PW "stress-password-1"

static int stress_rm_entry(const char *p, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb; (void)flag; (void)ftw;
    return remove(p);
}

static inline void stress_rm_tree(const char *dir)
{
    if (dir && *dir)
        nftw(dir, stress_rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

static inline double stress_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static inline void stress_die(const char *what, const rk_err *err)
{
    fprintf(stderr, "%s: %s\n", what, err ? err->msg : "");
    exit(1);
}

/* Makes tmp/<name>-XXXXXX/reg with the admin "admin" and `n` users named
 * prefix1..prefixN of `role`, all with STRESS_PW. root gets the temporary
 * directory (remove it with stress_rm_tree), paths the registry's. */
static inline void stress_registry(const char *name, const char *prefix, rk_role role, int n,
                                   char root[256], rk_paths *paths)
{
    const char *tmp = getenv("TMPDIR");
    snprintf(root, 256, "%s/%s-XXXXXX", tmp && *tmp ? tmp : "/tmp", name);
    if (!mkdtemp(root)) {
        perror("mkdtemp");
        exit(1);
    }
    char reg[300];
    snprintf(reg, sizeof reg, "%s/reg", root);
    rk_err err = { 0 };
    setenv("REKISTERI_KDF", "min", 1);
    if (rk_secure_init(&err) || rk_paths_resolve(reg, paths, &err) ||
        rk_registry_init(paths, "admin", "Stress Admin", STRESS_PW, "Stress", false, &err))
        stress_die("registry", &err);
    rk_session *a = NULL;
    if (rk_session_login(paths, "admin", STRESS_PW, &a, NULL, &err))
        stress_die("login admin", &err);
    for (int i = 1; i <= n; i++) {
        char user[RK_USERNAME_MAX + 1];
        snprintf(user, sizeof user, "%s%d", prefix, i);
        if (rk_user_add(a, user, role, user, STRESS_PW, &err))
            stress_die("user add", &err);
    }
    rk_session_logout(a);
}

#endif
