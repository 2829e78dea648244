/* Shared definitions for every layer: status codes, the error carrier and
 * the gettext macros. No curses and no SQL here. */
#ifndef RK_COMMON_H
#define RK_COMMON_H

#include <libintl.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define _(s)  gettext(s)
#define N_(s) (s)
/* Context-qualified message: C_("fkey", "Quit"). Same wire format as
 * gettext.h's pgettext (context EOT msgid). */
#define C_(ctx, s)  rk_pgettext(ctx "\004" s, s)
#define NC_(ctx, s) (s)
const char *rk_pgettext(const char *ctx_msgid, const char *msgid);

/* Status codes double as the program's exit codes (see --help, rekisteri.1). */
enum rk_status {
    RK_OK      = 0,
    RK_EFAIL   = 1,   /* any failure: I/O, corrupt data, invalid input */
    RK_EUSAGE  = 2,   /* wrong command-line usage */
    RK_EAUTH   = 3,   /* wrong credentials, disabled or locked account */
    RK_EDENIED = 4,   /* not allowed for this role */
    RK_ECONFLICT = 5, /* someone else changed the row first (internal) */
    RK_ENOTFOUND = 6, /* no such user / client / key (internal) */
};

/* Every fallible call takes an rk_err* and fills it with one translated,
 * human sentence; callers print it, never build their own. */
typedef struct rk_err {
    int  code;
    char msg[512];
} rk_err;

int  rk_err_set(rk_err *err, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void rk_err_clear(rk_err *err);

/* Lengths of names that appear in files and the database. */
#define RK_USERNAME_MAX 32
#define RK_FULLNAME_MAX 128
#define RK_KEY_BYTES    32

/* Usernames: 1-32 of [a-z0-9._-], starting with a letter. They appear in the
 * keyring, the lockout file and the audit log, so they are kept plain. */
bool rk_username_valid(const char *name);

/* snprintf(out, n, "%s", s) without parsing a format: s copied into out
 * and cut to n - 1 bytes (n > 0). For the copies made for every field of
 * every row of a large import, where the format machinery cost more than
 * the copying. */
void rk_copy_str(char *out, size_t n, const char *s);

#define RK_ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* Room for element n of a growing array *arrayp (any T **): when n has
 * reached *cap, the array is doubled (to `first` elements at the start).
 * false when out of memory; the array is then left as it was. */
bool rk_grow(void *arrayp, size_t *cap, size_t n, size_t elem, size_t first);

/* n zeroed bytes mapped on their own, asking for transparent huge pages:
 * for large arrays read at random or filled in one go. On a virtual
 * machine with shadow page tables, as here, faulting in each fresh 4 KiB
 * page on first touch is dear and so are TLB misses; one 2 MiB page
 * replaces 512 of each (BENCHMARKS.md; where the kernel gives no huge pages
 * the advice is ignored). NULL when out of memory; free with rk_big_free
 * and the same n. */
void *rk_big_map(size_t n);
void rk_big_free(void *p, size_t n);
/* The whole pages inside p[0..n) asked for huge pages and faulted in now,
 * in one call, instead of one fault a page on first touch: for a large
 * buffer about to be filled (a 150 MB import file: its read went from 0.42
 * to 0.04 s here). Advice only: nothing changes where it is refused. */
void rk_prefault(void *p, size_t n);

/* All len bytes to or from fd, again after EINTR and short counts.
 * 0, or -1 with errno set (0 when a read met the end of the file first). */
int rk_write_all(int fd, const void *buf, size_t len);
/* Seconds on the monotonic clock, for measuring durations. */
double rk_monotonic_s(void);
/* Lowers the calling thread's scheduling priority a little (nice + 5; on
 * Linux the nice value is per thread). For the helper threads of a bulk
 * load: with more runnable threads than cores the loader, whose work
 * the others only feed, keeps a core to itself. */
void rk_thread_yield_priority(void);
int rk_read_exact(int fd, void *buf, size_t len);

#endif
