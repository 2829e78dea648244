/* Lockout state file: delays, locking, events, the on-disk format and that
 * flock really serialises concurrent processes. */
#include <check.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lockout.h"

static char dir[64];
static char path[128];

static void setup(void)
{
    snprintf(dir, sizeof dir, "/tmp/rk-lockout-XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/lockout", dir);
}

static void teardown(void)
{
    char p[160];
    unlink(path);
    snprintf(p, sizeof p, "%s.lock", path);
    unlink(p);
    snprintf(p, sizeof p, "%s.tmp", path);
    unlink(p);
    rmdir(dir);
}

static void write_file(const char *content)
{
    FILE *f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    fputs(content, f);
    ck_assert_int_eq(fclose(f), 0);
}

static char *read_file(void)
{
    static char buf[65536];
    FILE *f = fopen(path, "r");
    ck_assert_ptr_nonnull(f);
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    buf[n] = '\0';
    fclose(f);
    return buf;
}

static void fail_n(const char *user, int n, time_t now, const char *tty)
{
    rk_err err;
    rk_lockout_status st;
    for (int i = 0; i < n; i++)
        ck_assert_msg(rk_lockout_failure(path, user, now, tty, &st, &err) == RK_OK,
                      "failure %d: %s", i, err.msg);
}

static rk_lockout_status check_at(const char *user, time_t now)
{
    rk_err err;
    rk_lockout_status st;
    ck_assert_msg(rk_lockout_check(path, user, now, &st, &err) == RK_OK, "%s", err.msg);
    return st;
}

START_TEST(delay_table)
{
    static const long want[] = { 0, 0, 0, 1, 2, 4, 8, 16, 32, 64, 128, 256, 300, 300,
                                 300, 300, 300, 300, 300, 300, 300 };
    for (int f = 0; f < (int)RK_ARRAY_LEN(want); f++)
        ck_assert_msg(rk_lockout_delay(f) == want[f], "delay(%d) = %ld, want %ld",
                      f, rk_lockout_delay(f), want[f]);
    ck_assert_int_eq(rk_lockout_delay(-5), 0);
    ck_assert_int_eq(rk_lockout_delay(70), 300);
    ck_assert_int_eq(rk_lockout_delay(INT_MAX), 300);
}
END_TEST

START_TEST(fresh_user_has_no_state)
{
    rk_lockout_status st = check_at("alice", 1000);
    ck_assert_int_eq(st.failures, 0);
    ck_assert(!st.locked);
    ck_assert_int_eq(st.wait_seconds, 0);
}
END_TEST

START_TEST(three_failures_wait_one_second)
{
    const time_t t = 1700000000;
    fail_n("alice", 2, t, "pts/1");
    ck_assert_int_eq(check_at("alice", t).wait_seconds, 0);
    fail_n("alice", 1, t, "pts/1");
    rk_lockout_status st = check_at("alice", t);
    ck_assert_int_eq(st.failures, 3);
    ck_assert_int_eq(st.last_failure, t);
    ck_assert_int_eq(st.wait_seconds, 1);
    ck_assert_int_eq(check_at("alice", t + 1).wait_seconds, 0);
    ck_assert_int_eq(check_at("alice", t + 1000).wait_seconds, 0);

    /* Fourth failure two seconds later: delay 2 from that moment. */
    rk_err err;
    ck_assert_int_eq(rk_lockout_failure(path, "alice", t + 2, "pts/1", &st, &err), RK_OK);
    ck_assert_int_eq(st.failures, 4);
    ck_assert_int_eq(st.wait_seconds, 2);
    ck_assert_int_eq(check_at("alice", t + 3).wait_seconds, 1);
    ck_assert_int_eq(check_at("alice", t + 4).wait_seconds, 0);
    /* A clock that went backwards never stretches the wait beyond the delay. */
    ck_assert_int_eq(check_at("alice", t - 5000).wait_seconds, 2);
    /* A clock before 1970 is stored as 0 and the file stays readable. */
    fail_n("dave", 1, -100, "pts/9");
    ck_assert_int_eq(check_at("dave", 0).failures, 1);
    ck_assert_int_eq(check_at("dave", 0).last_failure, 0);
    /* Other users are unaffected. */
    ck_assert_int_eq(check_at("bob", t).failures, 0);
}
END_TEST

START_TEST(twenty_failures_lock)
{
    const time_t t = 1700000000;
    fail_n("alice", RK_LOCKOUT_LOCK_AFTER - 1, t, "pts/1");
    ck_assert(!check_at("alice", t).locked);

    rk_err err;
    rk_lockout_status st;
    ck_assert_int_eq(rk_lockout_failure(path, "alice", t + 1, "pts/1", &st, &err), RK_OK);
    ck_assert(st.locked);
    ck_assert_int_eq(st.failures, RK_LOCKOUT_LOCK_AFTER);
    ck_assert_int_eq(st.wait_seconds, 300);

    rk_pending_event *ev;
    size_t n;
    ck_assert_int_eq(rk_lockout_pending(path, &ev, &n, &err), RK_OK);
    ck_assert_uint_eq(n, RK_LOCKOUT_LOCK_AFTER + 1);
    ck_assert_str_eq(ev[n - 2].action, "login_failed");
    ck_assert_str_eq(ev[n - 1].action, "account_locked");
    ck_assert_str_eq(ev[n - 1].user, "alice");
    ck_assert_int_eq(ev[n - 1].when, t + 1);
    free(ev);

    /* Further failures are counted but do not lock (or log the lock) again. */
    fail_n("alice", 1, t + 2, "pts/1");
    ck_assert_int_eq(rk_lockout_pending(path, &ev, &n, &err), RK_OK);
    ck_assert_uint_eq(n, RK_LOCKOUT_LOCK_AFTER + 2);
    ck_assert_str_eq(ev[n - 1].action, "login_failed");
    free(ev);
    ck_assert_int_eq(check_at("alice", t + 2).failures, RK_LOCKOUT_LOCK_AFTER + 1);
}
END_TEST

START_TEST(success_resets_failures)
{
    const time_t t = 1700000000;
    rk_err err;
    fail_n("alice", 5, t, "pts/1");
    fail_n("bob", 4, t, "pts/2");
    ck_assert_int_eq(rk_lockout_success(path, "alice", &err), RK_OK);
    rk_lockout_status st = check_at("alice", t);
    ck_assert_int_eq(st.failures, 0);
    ck_assert_int_eq(st.wait_seconds, 0);
    ck_assert(!st.locked);
    ck_assert_int_eq(check_at("bob", t).failures, 4);

    rk_pending_event *ev;
    size_t n;
    ck_assert_int_eq(rk_lockout_pending(path, &ev, &n, &err), RK_OK);
    ck_assert_uint_eq(n, 9);   /* events wait for the audit chain */
    free(ev);

    /* Success does not lift a lock: only an administrator's unlock does. */
    fail_n("carol", RK_LOCKOUT_LOCK_AFTER, t, "pts/3");
    ck_assert_int_eq(rk_lockout_success(path, "carol", &err), RK_OK);
    st = check_at("carol", t);
    ck_assert(st.locked);
    ck_assert_int_eq(st.failures, 0);
    ck_assert_int_eq(st.wait_seconds, 0);
}
END_TEST

START_TEST(unlock_resets)
{
    const time_t t = 1700000000;
    rk_err err;
    fail_n("alice", RK_LOCKOUT_LOCK_AFTER + 3, t, "pts/1");
    ck_assert(check_at("alice", t).locked);
    ck_assert_int_eq(rk_lockout_unlock(path, "alice", &err), RK_OK);
    rk_lockout_status st = check_at("alice", t);
    ck_assert(!st.locked);
    ck_assert_int_eq(st.failures, 0);
    ck_assert_int_eq(st.wait_seconds, 0);
    /* Unlocking a user with no record is fine. */
    ck_assert_int_eq(rk_lockout_unlock(path, "nobody", &err), RK_OK);
    /* A new failure after unlock starts from one. */
    fail_n("alice", 1, t + 10, "pts/1");
    ck_assert_int_eq(check_at("alice", t + 10).failures, 1);
}
END_TEST

START_TEST(pending_order_ids_and_clear)
{
    rk_err err;
    rk_pending_event *ev;
    size_t n;
    ck_assert_int_eq(rk_lockout_pending(path, &ev, &n, &err), RK_OK);
    ck_assert_uint_eq(n, 0);
    free(ev);

    fail_n("alice", 1, 100, "pts/1");
    fail_n("bob", 1, 200, "tty 2\x1b[31m\xc3\xa4");
    fail_n("alice", 1, 300, NULL);
    ck_assert_int_eq(rk_lockout_pending(path, &ev, &n, &err), RK_OK);
    ck_assert_uint_eq(n, 3);
    ck_assert_str_eq(ev[0].user, "alice");
    ck_assert_str_eq(ev[1].user, "bob");
    ck_assert_str_eq(ev[2].user, "alice");
    ck_assert_int_eq(ev[0].when, 100);
    ck_assert_int_eq(ev[1].when, 200);
    ck_assert_int_eq(ev[2].when, 300);
    ck_assert_str_eq(ev[0].action, "login_failed");
    ck_assert_str_eq(ev[0].terminal, "pts/1");
    ck_assert_str_eq(ev[1].terminal, "tty_2_[31m__");  /* space, ESC, 2 bytes of ä */
    ck_assert_str_eq(ev[2].terminal, "-");
    ck_assert(ev[0].id < ev[1].id && ev[1].id < ev[2].id);
    uint64_t second = ev[1].id, third = ev[2].id;
    free(ev);

    ck_assert_int_eq(rk_lockout_pending_clear(path, second, &err), RK_OK);
    ck_assert_int_eq(rk_lockout_pending(path, &ev, &n, &err), RK_OK);
    ck_assert_uint_eq(n, 1);
    ck_assert_uint_eq(ev[0].id, third);
    free(ev);

    /* Ids never repeat, even once every event is cleared. */
    ck_assert_int_eq(rk_lockout_pending_clear(path, third, &err), RK_OK);
    ck_assert_int_eq(rk_lockout_pending(path, &ev, &n, &err), RK_OK);
    ck_assert_uint_eq(n, 0);
    free(ev);
    fail_n("carol", 1, 400, "pts/4");
    ck_assert_int_eq(rk_lockout_pending(path, &ev, &n, &err), RK_OK);
    ck_assert_uint_eq(n, 1);
    ck_assert_uint_gt(ev[0].id, third);
    free(ev);
    /* Failure counts survive clearing events. */
    ck_assert_int_eq(check_at("alice", 300).failures, 2);
}
END_TEST

START_TEST(terminal_truncated_to_fit)
{
    char tty[400];
    memset(tty, 'x', sizeof tty - 1);
    tty[sizeof tty - 1] = '\0';
    fail_n("alice", 1, 1, tty);
    rk_err err;
    rk_pending_event *ev;
    size_t n;
    ck_assert_int_eq(rk_lockout_pending(path, &ev, &n, &err), RK_OK);
    ck_assert_uint_eq(n, 1);
    ck_assert_uint_eq(strlen(ev[0].terminal), sizeof ev[0].terminal - 1);
    free(ev);
}
END_TEST

START_TEST(invalid_username_refused)
{
    static const char *bad[] = { "", "Alice", "bad name", "1abc", "a\x1b[2J",
                                 "abcdefghijklmnopqrstuvwxyz0123456" };
    rk_err err;
    rk_lockout_status st;
    for (size_t i = 0; i < RK_ARRAY_LEN(bad); i++) {
        ck_assert_int_eq(rk_lockout_failure(path, bad[i], 1, "pts/1", &st, &err), RK_EUSAGE);
        ck_assert_int_eq(rk_lockout_check(path, bad[i], 1, &st, &err), RK_EUSAGE);
        ck_assert_int_eq(rk_lockout_success(path, bad[i], &err), RK_EUSAGE);
        ck_assert_int_eq(rk_lockout_unlock(path, bad[i], &err), RK_EUSAGE);
    }
    ck_assert_int_eq(rk_lockout_failure(path, NULL, 1, "pts/1", &st, &err), RK_EUSAGE);
    ck_assert(strstr(err.msg, "username") != NULL);
    ck_assert_int_eq(access(path, F_OK), -1);   /* nothing was written */
}
END_TEST

START_TEST(concurrent_processes_count_every_failure)
{
    pid_t kids[2];
    for (int k = 0; k < 2; k++) {
        kids[k] = fork();
        ck_assert_int_ge(kids[k], 0);
        if (kids[k] == 0) {
            rk_err err;
            rk_lockout_status st;
            for (int i = 0; i < 100; i++)
                if (rk_lockout_failure(path, "alice", 1000 + i, k ? "pts/2" : "pts/1",
                                       &st, &err) != RK_OK) {
                    fprintf(stderr, "child %d: %s\n", k, err.msg);
                    _exit(1);
                }
            _exit(0);
        }
    }
    for (int k = 0; k < 2; k++) {
        int status;
        ck_assert_int_eq(waitpid(kids[k], &status, 0), kids[k]);
        ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    }
    rk_lockout_status st = check_at("alice", 2000);
    ck_assert_int_eq(st.failures, 200);
    ck_assert(st.locked);

    rk_err err;
    rk_pending_event *ev;
    size_t n;
    ck_assert_int_eq(rk_lockout_pending(path, &ev, &n, &err), RK_OK);
    ck_assert_uint_eq(n, 201);
    int locks = 0;
    for (size_t i = 0; i < n; i++) {
        if (i)
            ck_assert_uint_gt(ev[i].id, ev[i - 1].id);
        locks += strcmp(ev[i].action, "account_locked") == 0;
    }
    ck_assert_int_eq(locks, 1);
    free(ev);
}
END_TEST

START_TEST(malformed_file_names_line)
{
    static const struct { const char *content; int line; } cases[] = {
        { "rekisteri-state 2\n", 1 },
        { "garbage\n", 1 },
        { "rekisteri-state 1 next=0\n", 1 },
        { "rekisteri-state 1\nuser alice 3 1000 0\nuser bob x 0 0\n", 3 },
        { "rekisteri-state 1\nuser alice 3 1000 0\nuser alice 1 1000 0\n", 3 },
        { "rekisteri-state 1\nuser alice 3 1000 2\n", 2 },
        { "rekisteri-state 1\nuser alice -3 1000 0\n", 2 },
        { "rekisteri-state 1\nuser alice 3  1000 0\n", 2 },
        { "rekisteri-state 1\nuser alice 3 1000 0 \n", 2 },
        { "rekisteri-state 1\nuser Alice 3 1000 0\n", 2 },
        { "rekisteri-state 1\nuser alice 99999999999 1000 0\n", 2 },
        { "rekisteri-state 1\n\n", 2 },
        { "rekisteri-state 1\nuser alice 3 1000 0", 2 },
        { "rekisteri-state 1\nuser alice 3 1000 0\r\n", 2 },
        { "rekisteri-state 1\nfrobnicate\n", 2 },
        { "rekisteri-state 1 next=9\nevent 3 100 login_failed alice pts/1\n"
          "event 2 100 login_failed alice pts/1\n", 3 },
        { "rekisteri-state 1 next=3\nevent 3 100 login_failed alice pts/1\n", 2 },
        { "rekisteri-state 1\nevent 1 100 logged_in alice pts/1\n", 2 },
        { "rekisteri-state 1\nevent 1 100 login_failed alice\n", 2 },
        { "rekisteri-state 1\nuser alice 3 1000 0\nuser bob 1 1000 0\n"
          "event 1 100 login_failed alice pts/1\nevent 2 100 login_failed bob\n", 5 },
    };
    for (size_t i = 0; i < RK_ARRAY_LEN(cases); i++) {
        write_file(cases[i].content);
        rk_err err;
        rk_lockout_status st;
        int rc = rk_lockout_failure(path, "alice", 5000, "pts/1", &st, &err);
        ck_assert_msg(rc == RK_EFAIL, "case %zu accepted", i);
        char want[32];
        snprintf(want, sizeof want, "Line %d ", cases[i].line);
        ck_assert_msg(strstr(err.msg, want) != NULL, "case %zu: \"%s\" lacks \"%s\"",
                      i, err.msg, want);
        ck_assert_msg(strstr(err.msg, path) != NULL, "case %zu: no path in \"%s\"", i, err.msg);
        /* The damaged file is left for a human, never reset. */
        ck_assert_str_eq(read_file(), cases[i].content);
        ck_assert_int_eq(rk_lockout_check(path, "alice", 5000, &st, &err), RK_EFAIL);
        rk_pending_event *ev;
        size_t n;
        ck_assert_int_eq(rk_lockout_pending(path, &ev, &n, &err), RK_EFAIL);
        ck_assert_ptr_null(ev);
    }
}
END_TEST

START_TEST(header_without_next_id_is_read)
{
    write_file("rekisteri-state 1\nuser alice 4 1000 0\n"
               "event 5 1000 login_failed alice pts/1\n");
    rk_lockout_status st = check_at("alice", 1000);
    ck_assert_int_eq(st.failures, 4);
    ck_assert_int_eq(st.wait_seconds, 2);
    fail_n("alice", 1, 1001, "pts/1");
    rk_err err;
    rk_pending_event *ev;
    size_t n;
    ck_assert_int_eq(rk_lockout_pending(path, &ev, &n, &err), RK_OK);
    ck_assert_uint_eq(n, 2);
    ck_assert_uint_eq(ev[0].id, 5);
    ck_assert_uint_eq(ev[1].id, 6);
    free(ev);
    ck_assert_str_eq(read_file(), "rekisteri-state 1 next=7\nuser alice 5 1001 0\n"
                                  "event 5 1000 login_failed alice pts/1\n"
                                  "event 6 1001 login_failed alice pts/1\n");
}
END_TEST

START_TEST(file_mode_0600_and_kept)
{
    /* The program runs under umask 077 (007 in a shared directory); new
     * files are 0660 masked by it. */
    mode_t old = umask(077);
    fail_n("alice", 1, 1, "pts/1");
    struct stat sb;
    ck_assert_int_eq(stat(path, &sb), 0);
    ck_assert_int_eq(sb.st_mode & 0777, 0600);
    char lock[160];
    snprintf(lock, sizeof lock, "%s.lock", path);
    ck_assert_int_eq(stat(lock, &sb), 0);
    ck_assert_int_eq(sb.st_mode & 0777, 0600);
    umask(old);

    /* An administrator's chosen mode survives the atomic rewrite. */
    ck_assert_int_eq(chmod(path, 0640), 0);
    fail_n("alice", 1, 2, "pts/1");
    ck_assert_int_eq(stat(path, &sb), 0);
    ck_assert_int_eq(sb.st_mode & 0777, 0640);
    ck_assert_int_eq(check_at("alice", 2).failures, 2);
    /* No temporary file is left behind. */
    char tmp[160];
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    ck_assert_int_eq(access(tmp, F_OK), -1);
}
END_TEST

START_TEST(unwritable_directory_reports_error)
{
    if (geteuid() == 0)
        return;   /* root ignores directory permissions */
    fail_n("alice", 1, 1, "pts/1");
    ck_assert_int_eq(chmod(dir, 0500), 0);
    rk_err err;
    rk_lockout_status st;
    int rc = rk_lockout_failure(path, "alice", 2, "pts/1", &st, &err);
    chmod(dir, 0700);
    ck_assert_int_eq(rc, RK_EFAIL);
    ck_assert(strstr(err.msg, "lockout file") != NULL);
    ck_assert_int_eq(check_at("alice", 2).failures, 1);
}
END_TEST

Suite *test_suite(void)
{
    Suite *s = suite_create("lockout");
    TCase *tc = tcase_create("lockout");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 120);   /* the fork test does 400 fsyncs */
    tcase_add_test(tc, delay_table);
    tcase_add_test(tc, fresh_user_has_no_state);
    tcase_add_test(tc, three_failures_wait_one_second);
    tcase_add_test(tc, twenty_failures_lock);
    tcase_add_test(tc, success_resets_failures);
    tcase_add_test(tc, unlock_resets);
    tcase_add_test(tc, pending_order_ids_and_clear);
    tcase_add_test(tc, terminal_truncated_to_fit);
    tcase_add_test(tc, invalid_username_refused);
    tcase_add_test(tc, concurrent_processes_count_every_failure);
    tcase_add_test(tc, malformed_file_names_line);
    tcase_add_test(tc, header_without_next_id_is_read);
    tcase_add_test(tc, file_mode_0600_and_kept);
    tcase_add_test(tc, unwritable_directory_reports_error);
    suite_add_tcase(s, tc);
    return s;
}
