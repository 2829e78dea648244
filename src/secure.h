/* Secret handling: every password and key lives in sodium_malloc memory
 * (guard pages, mlock, wiped on free), the process is not dumpable and
 * writes no core files. */
#ifndef RK_SECURE_H
#define RK_SECURE_H

#include "common.h"

#define RK_PASSWORD_MAX 1024   /* bytes, excluding the terminating NUL */

/* sodium_init, prctl(PR_SET_DUMPABLE, 0), RLIMIT_CORE 0. Call first thing. */
int  rk_secure_init(rk_err *err);

/* sodium_malloc / sodium_free; NULL on failure. Freeing wipes. */
void *rk_secure_alloc(size_t n);
void  rk_secure_free(void *p);

/* Reads a password from /dev/tty with echo off (prompt on /dev/tty), or one
 * line from fd (newline stripped; EOF ends the line). Returns a NUL-terminated
 * sodium_malloc buffer of RK_PASSWORD_MAX + 1 bytes, or NULL with err set
 * (empty input is refused: "no password given"). */
char *rk_password_read_tty(const char *prompt, rk_err *err);
char *rk_password_read_fd(int fd, rk_err *err);
/* Copies a password (e.g. from a curses field) into secure memory. */
char *rk_password_dup(const char *pw, rk_err *err);
void  rk_password_free(char *pw);

#endif
