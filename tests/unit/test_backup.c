/* Backups taken while another process writes, restore that verifies before
 * it replaces anything, the check, and key rotation: the old key opens
 * nothing afterwards and every user still logs in. */
#include "fixture.h"

#include <sys/stat.h>
#include <sys/wait.h>

#include "backup.h"
#include "clients.h"
#include "db_clients.h"
#include "demo_data.h"

static void setup(void) { fix_create(); }
static void teardown(void) { fix_remove(); }

static void add_demo_clients(rk_session *s, uint64_t seed, int n)
{
    rk_demo_gen *g = rk_demo_gen_new(seed);
    rk_err err;
    for (int i = 0; i < n; i++) {
        rk_client *c = rk_client_new();
        ck_assert_int_eq(rk_demo_gen_client(g, c, &err), RK_OK);
        size_t bad;
        ck_assert_msg(rk_clients_create_many(s, &c, 1, "test", &bad, &err) == RK_OK, "%s", err.msg);
        rk_client_free(c);
    }
    rk_demo_gen_free(g);
}

static int64_t count_in(const rk_paths *p)
{
    rk_session *s = NULL;
    rk_err err;
    ck_assert_msg(rk_session_login(p, "dpo", FIX_PW, &s, NULL, &err) == RK_OK, "%s", err.msg);
    int64_t n = -1;
    ck_assert_int_eq(rk_dbc_count(s->db, &n, &err), RK_OK);
    rk_session_logout(s);
    return n;
}

START_TEST(backup_while_writing_restores_and_checks)
{
    char file[600], target[600];
    snprintf(file, sizeof file, "%s/nightly.rkb", fix_dir);
    snprintf(target, sizeof target, "%s/restored", fix_dir);
    rk_session *rec = fix_login("dpo");
    add_demo_clients(rec, 1, 50);
    rk_session_logout(rec);

    pid_t child = fork();
    ck_assert_int_ge(child, 0);
    if (child == 0) {
        /* Another user adds clients the whole time. */
        rk_session *w = fix_login("dpo");
        add_demo_clients(w, 2, 200);
        rk_session_logout(w);
        _exit(0);
    }
    rk_session *adm = fix_login("admin");
    rk_err err;
    rk_backup_info info;
    usleep(100000);
    ck_assert_msg(rk_backup_make(adm, file, &info, &err) == RK_OK, "%s", err.msg);
    ck_assert_uint_gt(info.db_bytes, 0);
    rk_session_logout(adm);
    int status;
    waitpid(child, &status, 0);
    ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    struct stat st;
    ck_assert_int_eq(stat(file, &st), 0);
    ck_assert_int_eq(st.st_mode & 0777, 0600);

    rk_paths tp;
    ck_assert_int_eq(rk_paths_resolve(target, &tp, &err), RK_OK);
    rk_check_report rep;
    char kept[RK_PATH_MAX];
    ck_assert_msg(rk_backup_restore(file, &tp, "admin", FIX_PW, &rep, kept, &err) == RK_OK, "%s", err.msg);
    ck_assert(rep.db_ok && rep.audit_ok && rep.keyring_ok);
    ck_assert_str_eq(kept, "");
    int64_t n = count_in(&tp);
    ck_assert_int_ge(n, 50);
    ck_assert_int_le(n, 250);

    /* The check on the restored registry passes. */
    rk_session *s = NULL;
    ck_assert_int_eq(rk_session_login(&tp, "admin", FIX_PW, &s, NULL, &err), RK_OK);
    ck_assert_int_eq(rk_registry_check(s, &rep, &err), RK_OK);
    ck_assert_int_eq(rep.clients, n);
    rk_session_logout(s);
}
END_TEST

START_TEST(restore_verifies_before_replacing)
{
    char file[600], bad[600];
    snprintf(file, sizeof file, "%s/b.rkb", fix_dir);
    snprintf(bad, sizeof bad, "%s/bad.rkb", fix_dir);
    rk_session *rec = fix_login("dpo");
    add_demo_clients(rec, 3, 10);
    rk_session_logout(rec);
    rk_session *adm = fix_login("admin");
    rk_err err;
    rk_backup_info info;
    ck_assert_int_eq(rk_backup_make(adm, file, &info, &err), RK_OK);
    rk_session_logout(adm);

    /* More clients after the backup. */
    rec = fix_login("dpo");
    add_demo_clients(rec, 4, 5);
    rk_session_logout(rec);
    ck_assert_int_eq(count_in(&fix_paths), 15);

    /* A damaged copy: one byte changed in the middle. */
    FILE *in = fopen(file, "rb"), *out = fopen(bad, "wb");
    int ch;
    long pos = 0, flip = (long)(info.db_bytes / 2) + 100;
    while ((ch = fgetc(in)) != EOF)
        fputc(pos++ == flip ? ch ^ 0x01 : ch, out);
    fclose(in);
    fclose(out);
    rk_check_report rep;
    char kept[RK_PATH_MAX];
    ck_assert_int_eq(rk_backup_restore(bad, &fix_paths, "admin", FIX_PW, &rep, kept, &err), RK_EFAIL);
    ck_assert_ptr_nonnull(strstr(err.msg, "checksum"));
    /* Wrong password, and a user who is not an administrator. */
    ck_assert_int_eq(rk_backup_restore(file, &fix_paths, "admin", "wrong", &rep, kept, &err), RK_EAUTH);
    ck_assert_int_eq(rk_backup_restore(file, &fix_paths, "dpo", FIX_PW, &rep, kept, &err), RK_EDENIED);
    /* Not a backup at all. */
    ck_assert_int_eq(rk_backup_restore(fix_paths.db, &fix_paths, "admin", FIX_PW, &rep, kept, &err), RK_EFAIL);
    ck_assert_int_eq(count_in(&fix_paths), 15);

    /* The real one replaces the registry and keeps the old one beside it. */
    ck_assert_msg(rk_backup_restore(file, &fix_paths, "admin", FIX_PW, &rep, kept, &err) == RK_OK, "%s", err.msg);
    ck_assert_ptr_nonnull(strstr(kept, ".before-restore-"));
    ck_assert_int_eq(count_in(&fix_paths), 10);
    rk_paths old;
    ck_assert_int_eq(rk_paths_resolve(kept, &old, &err), RK_OK);
    ck_assert_int_eq(count_in(&old), 15);
    /* No staging directories are left. */
    char cmd[RK_PATH_MAX + 64];
    snprintf(cmd, sizeof cmd, "ls -d %s/reg.restore-* 2>/dev/null | grep -q .", fix_dir);
    ck_assert_int_ne(system(cmd), 0);
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", kept);
    ck_assert_int_eq(system(cmd), 0);
}
END_TEST

START_TEST(rekey_old_key_opens_nothing_everyone_logs_in)
{
    rk_session *rec = fix_login("dpo");
    add_demo_clients(rec, 5, 20);
    rk_session_logout(rec);
    rk_session *adm = fix_login("admin");
    unsigned char old_key[RK_KEY_BYTES];
    memcpy(old_key, adm->dbkey, RK_KEY_BYTES);
    rk_err err;
    rk_session *other = fix_login("dpo");
    ck_assert_msg(rk_rekey(adm, &err) == RK_OK, "%s", err.msg);
    rk_session_close(adm);

    rk_db *db = NULL;
    ck_assert_int_eq(rk_db_open(fix_paths.db, old_key, false, &db, &err), RK_EAUTH);
    /* A session opened before the rotation fails loudly, never writes
     * into the replaced file. */
    ck_assert_int_ne(rk_session_audit(other, RK_AUDIT_REGISTRY_CHECKED, 0, "", &err), RK_OK);
    rk_session_close(other);

    static const char *users[] = { "admin", "reception", "billing", "marketing", "dpo" };
    for (size_t i = 0; i < RK_ARRAY_LEN(users); i++) {
        rk_session *s = fix_login(users[i]);
        ck_assert(memcmp(s->dbkey, old_key, RK_KEY_BYTES) != 0);
        rk_session_logout(s);
    }
    ck_assert_int_eq(count_in(&fix_paths), 20);
    adm = fix_login("admin");
    rk_check_report rep;
    ck_assert_msg(rk_registry_check(adm, &rep, &err) == RK_OK, "%s / %s", rep.audit_msg, rep.keyring_msg);
    rk_session_logout(adm);
    char copy[RK_PATH_MAX + 8];
    snprintf(copy, sizeof copy, "%s.rekey", fix_paths.db);
    ck_assert_int_ne(access(copy, F_OK), 0);
}
END_TEST

START_TEST(interrupted_rekey_is_finished_or_discarded)
{
    char copy[RK_PATH_MAX + 8];
    snprintf(copy, sizeof copy, "%s.rekey", fix_paths.db);
    rk_err err;
    bool finished = true;
    /* A copy the keyring does not open is stale: removed. */
    FILE *f = fopen(copy, "w");
    fputs("half a copy", f);
    fclose(f);
    ck_assert_int_eq(rk_rekey_recover(&fix_paths, "admin", FIX_PW, &finished, &err), RK_OK);
    ck_assert(!finished);
    ck_assert_int_ne(access(copy, F_OK), 0);
    /* Cut after the keyring was re-sealed: the database file is the old
     * one while the keyring already holds the new key. Simulated by putting
     * the rotated database aside and the old one back. */
    char saved[RK_PATH_MAX + 8];
    snprintf(saved, sizeof saved, "%s.saved", fix_paths.db);
    char cmd[3 * RK_PATH_MAX];
    snprintf(cmd, sizeof cmd, "cp '%s' '%s'", fix_paths.db, saved);
    ck_assert_int_eq(system(cmd), 0);
    rk_session *adm = fix_login("admin");
    ck_assert_int_eq(rk_rekey(adm, &err), RK_OK);
    rk_session_close(adm);
    ck_assert_int_eq(rename(fix_paths.db, copy), 0);
    ck_assert_int_eq(rename(saved, fix_paths.db), 0);
    rk_session *s = NULL;
    ck_assert_int_ne(rk_session_login(&fix_paths, "admin", FIX_PW, &s, NULL, &err), RK_OK);
    ck_assert_int_eq(rk_rekey_recover(&fix_paths, "admin", FIX_PW, &finished, &err), RK_OK);
    ck_assert(finished);
    s = fix_login("admin");
    rk_check_report rep;
    ck_assert_int_eq(rk_registry_check(s, &rep, &err), RK_OK);
    rk_session_logout(s);
}
END_TEST

START_TEST(check_and_backup_are_for_admin)
{
    rk_session *rec = fix_login("reception");
    rk_err err;
    rk_check_report rep;
    rk_backup_info info;
    char file[600];
    snprintf(file, sizeof file, "%s/x.rkb", fix_dir);
    ck_assert_int_eq(rk_registry_check(rec, &rep, &err), RK_EDENIED);
    ck_assert_int_eq(rk_backup_make(rec, file, &info, &err), RK_EDENIED);
    ck_assert_int_eq(rk_rekey(rec, &err), RK_EDENIED);
    rk_session_logout(rec);
    ck_assert_int_ne(access(file, F_OK), 0);
}
END_TEST

Suite *test_suite(void)
{
    Suite *s = suite_create("backup");
    TCase *tc = tcase_create("backup");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, backup_while_writing_restores_and_checks);
    tcase_add_test(tc, restore_verifies_before_replacing);
    tcase_add_test(tc, rekey_old_key_opens_nothing_everyone_logs_in);
    tcase_add_test(tc, interrupted_rekey_is_finished_or_discarded);
    tcase_add_test(tc, check_and_backup_are_for_admin);
    suite_add_tcase(s, tc);
    return s;
}
