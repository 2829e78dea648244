/* A throwaway registry for service-level tests: a temporary directory, an
 * admin and one user per role (cheap Argon2id), and sessions for each. */
#ifndef RK_TEST_FIXTURE_H
#define RK_TEST_FIXTURE_H

#include <check.h>
#include <ftw.h>
#include <libgen.h>
#include <limits.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "i18n.h"
#include "registry.h"
#include "session.h"
#include "users.h"

#define FIX_PW "fixture-password-1"

static char fix_dir[256];
static rk_paths fix_paths;

static int fix_rm_entry(const char *p, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb; (void)flag; (void)ftw;
    return remove(p);
}

static inline void fix_remove(void)
{
    if (fix_dir[0])
        nftw(fix_dir, fix_rm_entry, 16, FTW_DEPTH | FTW_PHYS);
    fix_dir[0] = '\0';
}

static inline rk_session *fix_login(const char *user)
{
    rk_session *s = NULL;
    rk_err err;
    int rc = rk_session_login(&fix_paths, user, FIX_PW, &s, NULL, &err);
    ck_assert_msg(rc == RK_OK, "login %s: %s", user, err.msg);
    return s;
}

/* Creates the registry with users admin, reception, billing, marketing, dpo. */
static inline void fix_create(void)
{
    const char *tmp = getenv("TMPDIR");
    snprintf(fix_dir, sizeof fix_dir, "%s/rk-unit-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    ck_assert_ptr_nonnull(mkdtemp(fix_dir));
    char reg[300];
    snprintf(reg, sizeof reg, "%s/reg", fix_dir);
    rk_err err;
    setenv("REKISTERI_KDF", "min", 1);
    ck_assert_int_eq(rk_paths_resolve(reg, &fix_paths, &err), RK_OK);
    ck_assert_msg(rk_registry_init(&fix_paths, "admin", "Test Admin", FIX_PW, "Test", false, &err) == RK_OK,
                  "%s", err.msg);
    rk_session *a = fix_login("admin");
    static const struct { const char *n; rk_role r; } users[] = {
        { "reception", RK_ROLE_RECEPTION }, { "billing", RK_ROLE_BILLING },
        { "marketing", RK_ROLE_MARKETING }, { "dpo", RK_ROLE_DPO },
    };
    for (size_t i = 0; i < sizeof users / sizeof users[0]; i++)
        ck_assert_msg(rk_user_add(a, users[i].n, users[i].r, users[i].n, FIX_PW, &err) == RK_OK,
                      "%s", err.msg);
    rk_session_logout(a);
}

/* The catalogs `make` compiled: <root>/<build>/tests/test_X ->
 * <root>/build/locale, under the given locale. */
static inline void fix_build_catalogs(const char *locale)
{
    char exe[PATH_MAX], dir[PATH_MAX + 32];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    ck_assert_int_gt(n, 0);
    exe[n] = '\0';
    char *root = dirname(dirname(dirname(exe)));
    snprintf(dir, sizeof dir, "%s/build/locale", root);
    char mo[PATH_MAX + 64];
    snprintf(mo, sizeof mo, "%s/fi/LC_MESSAGES/rekisteri.mo", dir);
    ck_assert_msg(access(mo, R_OK) == 0, "no catalog %s: run make first", mo);
    setenv("REKISTERI_LOCALEDIR", dir, 1);
    unsetenv("LANGUAGE");
    ck_assert_msg(setlocale(LC_ALL, locale) != NULL,
                  "locale %s is not installed (scripts/ensure-deps)", locale);
    rk_i18n_init();
}

/* A small file's bytes (up to 64 KiB; the caller frees), and writing them back. */
static inline unsigned char *fix_slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    ck_assert_ptr_nonnull(f);
    unsigned char *buf = malloc(1 << 16);
    ck_assert_ptr_nonnull(buf);
    *len = fread(buf, 1, 1 << 16, f);
    fclose(f);
    return buf;
}

static inline void fix_spit(const char *path, const unsigned char *buf, size_t len)
{
    FILE *f = fopen(path, "wb");
    ck_assert_ptr_nonnull(f);
    ck_assert_uint_eq(fwrite(buf, 1, len, f), len);
    ck_assert_int_eq(fclose(f), 0);
}

/* The one integer a query returns (a count, mostly), read straight from
 * the session's database. */
static inline int64_t fix_sql_int(rk_session *s, const char *sql)
{
    sqlite3_stmt *st;
    ck_assert_int_eq(sqlite3_prepare_v2(rk_db_handle(s->db), sql, -1, &st, NULL), SQLITE_OK);
    ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
    int64_t v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return v;
}

#endif
