/* Secret memory, process hardening and password input. Passwords are never
 * printed, logged or kept outside sodium_malloc memory. */
#include "secure.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <termios.h>
#include <unistd.h>

#define PW_BUF (RK_PASSWORD_MAX + 1)

int rk_secure_init(rk_err *err)
{
    if (sodium_init() < 0)
        return rk_err_set(err, RK_EFAIL, _("Cannot initialise the cryptography library (libsodium)."));
    /* Not dumpable: no ptrace by other users' tools, no core with keys in it. */
    if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0)
        return rk_err_set(err, RK_EFAIL, _("Cannot make the process non-dumpable: %s."),
                          strerror(errno));
    struct rlimit rl = { 0, 0 };
    if (setrlimit(RLIMIT_CORE, &rl) != 0)
        return rk_err_set(err, RK_EFAIL, _("Cannot switch off core dumps: %s."), strerror(errno));
    rk_err_clear(err);
    return RK_OK;
}

void *rk_secure_alloc(size_t n)
{
    return sodium_malloc(n);
}

void rk_secure_free(void *p)
{
    if (p)
        sodium_free(p);
}

static char *pw_alloc(rk_err *err)
{
    char *pw = sodium_malloc(PW_BUF);
    if (!pw) {
        rk_err_set(err, RK_EFAIL, _("Out of secure memory."));
        return NULL;
    }
    memset(pw, 0, PW_BUF);
    return pw;
}

/* Shared end of both readers: refuses empty, over-long and NUL-containing
 * input and frees the buffer then. `where` names the source. */
static char *pw_finish(char *pw, size_t len, bool too_long, const char *where, rk_err *err)
{
    int rc = RK_OK;
    if (too_long)
        rc = rk_err_set(err, RK_EFAIL, _("The password read from %s is longer than %d bytes."),
                        where, RK_PASSWORD_MAX);
    else if (memchr(pw, '\0', len))
        rc = rk_err_set(err, RK_EFAIL, _("The password read from %s contains a NUL byte."), where);
    else if (len == 0)
        rc = rk_err_set(err, RK_EFAIL, _("No password given on %s."), where);
    if (rc) {
        sodium_free(pw);
        return NULL;
    }
    pw[len] = '\0';
    rk_err_clear(err);
    return pw;
}

static ssize_t read_byte(int fd, unsigned char *c)
{
    ssize_t n;
    do
        n = read(fd, c, 1);
    while (n < 0 && errno == EINTR);
    return n;
}

/* One byte at a time so the next line stays in the pipe for the next
 * reader (scripts send the current and the new password on one fd). */
char *rk_password_read_fd(int fd, rk_err *err)
{
    char where[64];
    snprintf(where, sizeof where, _("file descriptor %d"), fd);
    char *pw = pw_alloc(err);
    if (!pw)
        return NULL;
    size_t len = 0;
    bool too_long = false;
    for (;;) {
        unsigned char c;
        ssize_t n = read_byte(fd, &c);
        if (n < 0) {
            int e = errno;
            sodium_free(pw);
            rk_err_set(err, RK_EFAIL, _("Cannot read the password from %s: %s."), where,
                       strerror(e));
            return NULL;
        }
        if (n == 0 || c == '\n')
            break;
        if (len < RK_PASSWORD_MAX)
            pw[len++] = (char)c;
        else
            too_long = true;   /* keep reading: the next line must stay aligned */
    }
    if (!too_long && len > 0 && pw[len - 1] == '\r')
        len--;
    return pw_finish(pw, len, too_long, where, err);
}

/* Removes the last UTF-8 character, not just its last byte. */
static size_t erase_char(const char *pw, size_t len)
{
    while (len > 0 && ((unsigned char)pw[len - 1] & 0xC0) == 0x80)
        len--;
    return len > 0 ? len - 1 : 0;
}

static bool is_cc(const struct termios *t, int idx, unsigned char c)
{
    return t->c_cc[idx] != _POSIX_VDISABLE && c == t->c_cc[idx];
}

/* Non-canonical, no echo, no signals: we edit the line ourselves so Ctrl-C
 * cancels here and the caller always gets to restore the terminal. DRAIN,
 * not FLUSH: a repeated password typed ahead must not be thrown away. */
static int tty_raw(int fd, const struct termios *saved)
{
    struct termios t = *saved;
    t.c_lflag &= ~(tcflag_t)(ECHO | ECHOE | ECHOK | ECHONL | ICANON | ISIG | IEXTEN);
    t.c_cc[VMIN] = 1;
    t.c_cc[VTIME] = 0;
    return tcsetattr(fd, TCSADRAIN, &t);
}

/* Reads up to Enter. Returns 0 then, 1 when cancelled (Ctrl-C, or Ctrl-D on
 * an empty line), -1 on a read error. Bytes past the limit are counted in
 * *over so that erasing them works as the user expects. */
static int tty_line(int fd, const struct termios *saved, char *pw, size_t *len_out,
                    size_t *over)
{
    size_t len = 0;
    *over = 0;
    for (;;) {
        unsigned char c;
        ssize_t n = read_byte(fd, &c);
        if (n < 0)
            return -1;
        if (n == 0 || c == '\n' || c == '\r')
            break;
        if (is_cc(saved, VINTR, c) || (is_cc(saved, VEOF, c) && len == 0 && *over == 0))
            return 1;
        if (is_cc(saved, VERASE, c) || c == 0x7f || c == 0x08) {
            if (*over > 0)
                (*over)--;
            else
                len = erase_char(pw, len);
        } else if (is_cc(saved, VKILL, c)) {
            len = *over = 0;
        } else if (len < RK_PASSWORD_MAX) {
            pw[len++] = (char)c;
        } else {
            (*over)++;
        }
    }
    *len_out = len;
    return 0;
}

char *rk_password_read_tty(const char *prompt, rk_err *err)
{
    int fd = open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (fd < 0) {
        rk_err_set(err, RK_EFAIL,
                   _("There is no terminal to read the password from (/dev/tty: %s); use --password-fd."),
                   strerror(errno));
        return NULL;
    }
    char *pw = pw_alloc(err);
    struct termios saved;
    if (!pw || tcgetattr(fd, &saved) != 0) {
        int e = errno;
        close(fd);
        if (pw) {
            sodium_free(pw);
            rk_err_set(err, RK_EFAIL, _("Cannot read the password: /dev/tty is not a terminal (%s)."),
                       strerror(e));
        }
        return NULL;
    }
    size_t len = 0, over = 0;
    int rc = -1, e = 0;
    if (tty_raw(fd, &saved) != 0) {
        e = errno;
    } else {
        if (prompt)   /* after tty_raw, so nothing typed after it is echoed */
            (void)rk_write_all(fd, prompt, strlen(prompt));
        rc = tty_line(fd, &saved, pw, &len, &over);
        e = errno;
        (void)rk_write_all(fd, "\n", 1);   /* the user's Enter was not echoed */
    }
    /* Every path from here on has the terminal back as it was. */
    tcsetattr(fd, TCSADRAIN, &saved);
    close(fd);
    if (rc == 0)
        return pw_finish(pw, len, over > 0, "/dev/tty", err);
    sodium_free(pw);
    if (rc > 0)
        rk_err_set(err, RK_EFAIL, _("Password entry was cancelled."));
    else
        rk_err_set(err, RK_EFAIL, _("Cannot read the password from /dev/tty: %s."), strerror(e));
    return NULL;
}

char *rk_password_dup(const char *src, rk_err *err)
{
    size_t len = src ? strnlen(src, PW_BUF) : 0;
    if (len == 0) {
        rk_err_set(err, RK_EFAIL, _("No password given."));
        return NULL;
    }
    if (len > RK_PASSWORD_MAX) {
        rk_err_set(err, RK_EFAIL, _("The password is longer than %d bytes."), RK_PASSWORD_MAX);
        return NULL;
    }
    char *pw = pw_alloc(err);
    if (!pw)
        return NULL;
    memcpy(pw, src, len);
    rk_err_clear(err);
    return pw;
}

void rk_password_free(char *pw)
{
    if (pw)
        sodium_free(pw);
}
