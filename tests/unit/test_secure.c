/* secure.c: process hardening, secure memory and password input from a
 * pipe and from a real pseudo-terminal. */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include "secure.h"

static void feed(int fd, const void *buf, size_t n)
{
    const char *p = buf;
    while (n > 0) {
        ssize_t w = write(fd, p, n);
        ck_assert_int_gt(w, 0);
        p += w;
        n -= (size_t)w;
    }
}

/* A pipe holding `data`, write end closed so EOF follows it. */
static int pipe_with(const void *data, size_t n)
{
    int p[2];
    ck_assert_int_eq(pipe(p), 0);
    feed(p[1], data, n);
    close(p[1]);
    return p[0];
}

START_TEST(test_init_hardens_process)
{
    /* check_main.c called rk_secure_init before running us. */
    ck_assert_int_eq(prctl(PR_GET_DUMPABLE, 0, 0, 0, 0), 0);
    struct rlimit rl;
    ck_assert_int_eq(getrlimit(RLIMIT_CORE, &rl), 0);
    ck_assert_uint_eq(rl.rlim_cur, 0);
    ck_assert_uint_eq(rl.rlim_max, 0);
    rk_err err;
    ck_assert_int_eq(rk_secure_init(&err), RK_OK);   /* calling twice is harmless */
}
END_TEST

START_TEST(test_secure_alloc)
{
    unsigned char *p = rk_secure_alloc(100);
    ck_assert_ptr_nonnull(p);
    memset(p, 0x5a, 100);
    ck_assert_int_eq(p[99], 0x5a);
    rk_secure_free(p);
    rk_secure_free(NULL);
    ck_assert_ptr_null(rk_secure_alloc(SIZE_MAX - 4096));
}
END_TEST

START_TEST(test_read_fd_two_lines_in_turn)
{
    static const char data[] = "current pw\nnew pw\r\nrest\n";
    int fd = pipe_with(data, sizeof data - 1);
    rk_err err;
    char *a = rk_password_read_fd(fd, &err);
    ck_assert_ptr_nonnull(a);
    ck_assert_str_eq(a, "current pw");
    char *b = rk_password_read_fd(fd, &err);
    ck_assert_ptr_nonnull(b);
    ck_assert_str_eq(b, "new pw");
    /* Nothing past the second line was taken from the fd. */
    char rest[16] = "";
    ck_assert_int_eq(read(fd, rest, sizeof rest - 1), 5);
    ck_assert_str_eq(rest, "rest\n");
    char *c = rk_password_read_fd(fd, &err);
    ck_assert_ptr_null(c);
    ck_assert_int_eq(err.code, RK_EFAIL);
    ck_assert_ptr_nonnull(strstr(err.msg, "No password given"));
    rk_password_free(a);
    rk_password_free(b);
    close(fd);
}
END_TEST

START_TEST(test_read_fd_last_line_without_newline)
{
    int fd = pipe_with("tail", 4);
    rk_err err;
    char *pw = rk_password_read_fd(fd, &err);
    ck_assert_ptr_nonnull(pw);
    ck_assert_str_eq(pw, "tail");
    rk_password_free(pw);
    close(fd);
}
END_TEST

START_TEST(test_read_fd_keeps_inner_cr_and_spaces)
{
    static const char data[] = " a\rb \n";
    int fd = pipe_with(data, sizeof data - 1);
    rk_err err;
    char *pw = rk_password_read_fd(fd, &err);
    ck_assert_ptr_nonnull(pw);
    ck_assert_str_eq(pw, " a\rb ");
    rk_password_free(pw);
    close(fd);
}
END_TEST

START_TEST(test_read_fd_empty_line_refused)
{
    static const char data[] = "\r\nnext\n";
    int fd = pipe_with(data, sizeof data - 1);
    rk_err err;
    ck_assert_ptr_null(rk_password_read_fd(fd, &err));
    ck_assert_int_eq(err.code, RK_EFAIL);
    char want[64];
    snprintf(want, sizeof want, "No password given on file descriptor %d.", fd);
    ck_assert_str_eq(err.msg, want);
    char *pw = rk_password_read_fd(fd, &err);   /* the next line is still there */
    ck_assert_ptr_nonnull(pw);
    ck_assert_str_eq(pw, "next");
    rk_password_free(pw);
    close(fd);
}
END_TEST

START_TEST(test_read_fd_length_limit)
{
    size_t n = 2 * RK_PASSWORD_MAX + 16;
    char *data = malloc(n);
    ck_assert_ptr_nonnull(data);
    /* exactly the limit, then one byte over it, then a short line */
    memset(data, 'a', RK_PASSWORD_MAX);
    data[RK_PASSWORD_MAX] = '\n';
    memset(data + RK_PASSWORD_MAX + 1, 'b', RK_PASSWORD_MAX + 1);
    size_t at = 2 * RK_PASSWORD_MAX + 2;
    memcpy(data + at, "\nok\n", 4);
    int fd = pipe_with(data, at + 4);
    free(data);

    rk_err err;
    char *pw = rk_password_read_fd(fd, &err);
    ck_assert_ptr_nonnull(pw);
    ck_assert_uint_eq(strlen(pw), RK_PASSWORD_MAX);
    rk_password_free(pw);

    ck_assert_ptr_null(rk_password_read_fd(fd, &err));
    ck_assert_int_eq(err.code, RK_EFAIL);
    ck_assert_ptr_nonnull(strstr(err.msg, "longer than 1024 bytes"));

    pw = rk_password_read_fd(fd, &err);   /* the rest of the long line was consumed */
    ck_assert_ptr_nonnull(pw);
    ck_assert_str_eq(pw, "ok");
    rk_password_free(pw);
    close(fd);
}
END_TEST

START_TEST(test_read_fd_nul_refused)
{
    int fd = pipe_with("ab\0cd\n", 6);
    rk_err err;
    ck_assert_ptr_null(rk_password_read_fd(fd, &err));
    ck_assert_ptr_nonnull(strstr(err.msg, "NUL byte"));
    close(fd);
}
END_TEST

START_TEST(test_read_fd_bad_fd)
{
    rk_err err;
    ck_assert_ptr_null(rk_password_read_fd(-1, &err));
    ck_assert_int_eq(err.code, RK_EFAIL);
    ck_assert_ptr_nonnull(strstr(err.msg, "Cannot read the password from file descriptor -1"));
}
END_TEST

START_TEST(test_dup_and_free)
{
    rk_err err;
    char *pw = rk_password_dup("hunter2 äö", &err);
    ck_assert_ptr_nonnull(pw);
    ck_assert_str_eq(pw, "hunter2 äö");
    pw[RK_PASSWORD_MAX] = 'x';   /* the buffer is RK_PASSWORD_MAX + 1 bytes (ASan would see) */
    rk_password_free(pw);
    rk_password_free(NULL);

    ck_assert_ptr_null(rk_password_dup("", &err));
    ck_assert_str_eq(err.msg, "No password given.");
    ck_assert_ptr_null(rk_password_dup(NULL, &err));

    char long_pw[RK_PASSWORD_MAX + 2];
    memset(long_pw, 'z', sizeof long_pw - 1);
    long_pw[RK_PASSWORD_MAX + 1] = '\0';
    ck_assert_ptr_null(rk_password_dup(long_pw, &err));
    ck_assert_ptr_nonnull(strstr(err.msg, "longer than"));
    long_pw[RK_PASSWORD_MAX] = '\0';
    pw = rk_password_dup(long_pw, &err);
    ck_assert_ptr_nonnull(pw);
    ck_assert_uint_eq(strlen(pw), RK_PASSWORD_MAX);
    rk_password_free(pw);
}
END_TEST

/* ---- the terminal reader, on a real pseudo-terminal ---- */

typedef struct tty_result {
    int  got;             /* rk_password_read_tty returned a password */
    int  echo_restored;   /* ECHO and ICANON set again afterwards */
    char pw[RK_PASSWORD_MAX + 1];
    char msg[512];
} tty_result;

/* Reads the master until `want` appeared in the output or 5 s passed;
 * appends everything to out. */
static void read_master(int m, char *out, size_t cap, size_t *len, const char *want)
{
    for (int i = 0; i < 500; i++) {
        if (want && strstr(out, want))
            return;
        struct pollfd p = { m, POLLIN, 0 };
        if (poll(&p, 1, 10) <= 0)
            continue;
        ssize_t n = read(m, out + *len, cap - 1 - *len);
        if (n <= 0)
            return;   /* EIO once the child closed the slave */
        *len += (size_t)n;
        out[*len] = '\0';
    }
}

/* The child becomes a session leader on a new pty so /dev/tty is that pty,
 * reads one password; the parent types `input` after the prompt shows. */
static void run_tty(const char *input, size_t input_len, tty_result *r, char *echo, size_t echo_cap)
{
    int m = posix_openpt(O_RDWR | O_NOCTTY);
    ck_assert_int_ge(m, 0);
    ck_assert_int_eq(grantpt(m), 0);
    ck_assert_int_eq(unlockpt(m), 0);
    char slave[128];
    ck_assert_int_eq(ptsname_r(m, slave, sizeof slave), 0);
    int res[2];
    ck_assert_int_eq(pipe(res), 0);

    pid_t pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
        close(m);
        close(res[0]);
        tty_result out = { 0 };
        int s = -1;
        if (setsid() >= 0 && (s = open(slave, O_RDWR)) >= 0) {
            rk_err err = { 0 };
            char *pw = rk_password_read_tty("Password: ", &err);
            out.got = pw != NULL;
            if (pw)
                snprintf(out.pw, sizeof out.pw, "%s", pw);
            snprintf(out.msg, sizeof out.msg, "%s", err.msg);
            rk_password_free(pw);
            struct termios t;
            out.echo_restored = tcgetattr(s, &t) == 0 && (t.c_lflag & ECHO) && (t.c_lflag & ICANON);
        }
        if (write(res[1], &out, sizeof out) != (ssize_t)sizeof out)
            _exit(2);
        _exit(0);
    }
    close(res[1]);
    size_t len = 0;
    echo[0] = '\0';
    read_master(m, echo, echo_cap, &len, "Password: ");
    ck_assert_ptr_nonnull(strstr(echo, "Password: "));
    feed(m, input, input_len);
    ssize_t got = 0, n;
    while ((n = read(res[0], (char *)r + got, sizeof *r - (size_t)got)) > 0)
        got += n;
    ck_assert_int_eq(got, (ssize_t)sizeof *r);
    read_master(m, echo, echo_cap, &len, NULL);
    int status;
    ck_assert_int_eq(waitpid(pid, &status, 0), pid);
    ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    close(res[0]);
    close(m);
}

START_TEST(test_tty_reads_without_echo)
{
    tty_result r;
    char echo[8192];
    run_tty("s3cret pw\r", 10, &r, echo, sizeof echo);
    ck_assert_msg(r.got, "refused: %s", r.msg);
    ck_assert_str_eq(r.pw, "s3cret pw");
    ck_assert_msg(strstr(echo, "s3cret") == NULL, "the password was echoed: %s", echo);
    ck_assert(r.echo_restored);
}
END_TEST

START_TEST(test_tty_line_editing)
{
    tty_result r;
    char echo[8192];
    /* backspace, a UTF-8 character erased whole, and Ctrl-U killing the line */
    static const char in[] = "junk\x15" "abX\x7f" "c\xc3\xa4\x7f" "d\r";
    run_tty(in, sizeof in - 1, &r, echo, sizeof echo);
    ck_assert_msg(r.got, "refused: %s", r.msg);
    ck_assert_str_eq(r.pw, "abcd");
    ck_assert(r.echo_restored);
}
END_TEST

START_TEST(test_tty_ctrl_c_cancels_and_restores)
{
    tty_result r;
    char echo[8192];
    run_tty("ab\x03", 3, &r, echo, sizeof echo);
    ck_assert(!r.got);
    ck_assert_str_eq(r.msg, "Password entry was cancelled.");
    ck_assert(r.echo_restored);
}
END_TEST

START_TEST(test_tty_empty_and_long_refused)
{
    tty_result r;
    char echo[8192];
    run_tty("\r", 1, &r, echo, sizeof echo);
    ck_assert(!r.got);
    ck_assert_str_eq(r.msg, "No password given on /dev/tty.");
    ck_assert(r.echo_restored);

    char in[RK_PASSWORD_MAX + 3];
    memset(in, 'q', RK_PASSWORD_MAX + 1);
    in[RK_PASSWORD_MAX + 1] = '\r';
    run_tty(in, RK_PASSWORD_MAX + 2, &r, echo, sizeof echo);
    ck_assert(!r.got);
    ck_assert_ptr_nonnull(strstr(r.msg, "longer than 1024 bytes"));
    ck_assert(r.echo_restored);
}
END_TEST

START_TEST(test_tty_missing)
{
    /* A new session has no controlling terminal, so /dev/tty cannot open. */
    int res[2];
    ck_assert_int_eq(pipe(res), 0);
    pid_t pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
        char msg[512] = "";
        rk_err err = { 0 };
        if (setsid() >= 0 && rk_password_read_tty("Password: ", &err) == NULL)
            snprintf(msg, sizeof msg, "%s", err.msg);
        _exit(write(res[1], msg, sizeof msg) == (ssize_t)sizeof msg ? 0 : 2);
    }
    close(res[1]);
    char msg[512] = "";
    ck_assert_int_eq(read(res[0], msg, sizeof msg), (ssize_t)sizeof msg);
    close(res[0]);
    waitpid(pid, NULL, 0);
    ck_assert_ptr_nonnull(strstr(msg, "no terminal to read the password from"));
    ck_assert_ptr_nonnull(strstr(msg, "--password-fd"));
}
END_TEST

Suite *test_suite(void)
{
    Suite *s = suite_create("secure");
    TCase *tc = tcase_create("memory");
    tcase_add_test(tc, test_init_hardens_process);
    tcase_add_test(tc, test_secure_alloc);
    tcase_add_test(tc, test_dup_and_free);
    suite_add_tcase(s, tc);

    tc = tcase_create("read_fd");
    tcase_add_test(tc, test_read_fd_two_lines_in_turn);
    tcase_add_test(tc, test_read_fd_last_line_without_newline);
    tcase_add_test(tc, test_read_fd_keeps_inner_cr_and_spaces);
    tcase_add_test(tc, test_read_fd_empty_line_refused);
    tcase_add_test(tc, test_read_fd_length_limit);
    tcase_add_test(tc, test_read_fd_nul_refused);
    tcase_add_test(tc, test_read_fd_bad_fd);
    suite_add_tcase(s, tc);

    tc = tcase_create("read_tty");
    tcase_set_timeout(tc, 20);
    tcase_add_test(tc, test_tty_reads_without_echo);
    tcase_add_test(tc, test_tty_line_editing);
    tcase_add_test(tc, test_tty_ctrl_c_cancels_and_restores);
    tcase_add_test(tc, test_tty_empty_and_long_refused);
    tcase_add_test(tc, test_tty_missing);
    suite_add_tcase(s, tc);
    return s;
}
