#include "common.h"

#include <errno.h>
#include <locale.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

const char *rk_pgettext(const char *ctx_msgid, const char *msgid)
{
    const char *t = dcgettext(NULL, ctx_msgid, LC_MESSAGES);
    return t == ctx_msgid ? msgid : t;
}

int rk_err_set(rk_err *err, int code, const char *fmt, ...)
{
    if (err) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err->msg, sizeof err->msg, fmt, ap);
        va_end(ap);
        err->code = code;
    }
    return code;
}

void rk_err_clear(rk_err *err)
{
    if (err) {
        err->code = RK_OK;
        err->msg[0] = '\0';
    }
}

bool rk_username_valid(const char *name)
{
    size_t n = name ? strlen(name) : 0;
    if (n == 0 || n > RK_USERNAME_MAX || name[0] < 'a' || name[0] > 'z')
        return false;
    for (size_t i = 0; i < n; i++) {
        char c = name[i];
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
              c == '.' || c == '_' || c == '-'))
            return false;
    }
    return true;
}

bool rk_grow(void *arrayp, size_t *cap, size_t n, size_t elem, size_t first)
{
    if (n < *cap)
        return true;
    size_t ncap = *cap ? *cap * 2 : first;
    void *arr;
    memcpy(&arr, arrayp, sizeof arr);   /* any T ** without aliasing it as void ** */
    void *p = realloc(arr, ncap * elem);
    if (!p)
        return false;
    memcpy(arrayp, &p, sizeof p);
    *cap = ncap;
    return true;
}

double rk_monotonic_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

void rk_thread_yield_priority(void)
{
    id_t tid = (id_t)syscall(SYS_gettid);
    errno = 0;
    int nice = getpriority(PRIO_PROCESS, tid);
    if (errno == 0)
        (void)setpriority(PRIO_PROCESS, tid, nice + 5);   /* best effort */
}

void rk_copy_str(char *out, size_t n, const char *s)
{
    size_t len = strnlen(s, n - 1);
    memcpy(out, s, len);
    out[len] = '\0';
}

#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23   /* Linux 5.14; older kernels refuse it: harmless */
#endif

void rk_prefault(void *p, size_t n)
{
    uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE);
    uintptr_t a = ((uintptr_t)p + page - 1) & ~(page - 1), e = ((uintptr_t)p + n) & ~(page - 1);
    if (e <= a)
        return;
    madvise((void *)a, e - a, MADV_HUGEPAGE);
    madvise((void *)a, e - a, MADV_POPULATE_WRITE);
}

void *rk_big_map(size_t n)
{
    void *p = mmap(NULL, n ? n : 1, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED)
        return NULL;
    madvise(p, n, MADV_HUGEPAGE);
    return p;
}

void rk_big_free(void *p, size_t n)
{
    if (p)
        munmap(p, n ? n : 1);
}

int rk_write_all(int fd, const void *buf, size_t len)
{
    const unsigned char *p = buf;
    while (len > 0) {
        ssize_t n = write(fd, p, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return -1;
        p += n;
        len -= (size_t)n;
    }
    return 0;
}

int rk_read_exact(int fd, void *buf, size_t len)
{
    unsigned char *p = buf;
    while (len > 0) {
        ssize_t n = read(fd, p, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n == 0)
            errno = 0;
        if (n <= 0)
            return -1;
        p += n;
        len -= (size_t)n;
    }
    return 0;
}
