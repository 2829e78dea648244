/* Failed-login state file (format in lockout.h; the header line also carries
 * "next=<id>" so event ids never repeat while the file exists).
 *
 * Every call takes flock(LOCK_EX) on "<path>.lock", a file that is never
 * replaced: the state file itself is replaced by rename, and a lock held on
 * its old inode would not exclude the next process. Under the lock the whole
 * file is read and strictly parsed, and when it changed it is rewritten as a
 * temporary file that is fsynced, renamed over it, and the directory fsynced,
 * so a crash leaves either the old or the new state, never a mix. */
#include "lockout.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#define STATE_MAGIC     "rekisteri-state 1"
#define STATE_MAX_BYTES (16L << 20)  /* refuse absurd files instead of exhausting memory */
#define LINE_MAX_BYTES  512          /* a valid line is at most ~250 bytes */
#define TERMINAL_MAX    (sizeof ((rk_pending_event *)0)->terminal - 1)

struct user_rec {
    char   name[RK_USERNAME_MAX + 1];
    int    failures;
    time_t last;
    bool   locked;
};

struct state {
    struct user_rec  *users;
    size_t            nusers, capusers;
    rk_pending_event *events;
    size_t            nevents, capevents;
    uint64_t          next_id;
    bool              dirty;
};

/* One locked session on the file. */
struct handle {
    const char *path;
    char       *lockpath;
    char       *tmppath;
    int         lockfd;
    mode_t      mode;   /* of the existing file, kept across rewrites */
};

static int oom(rk_err *err)
{
    return rk_err_set(err, RK_EFAIL, "%s", _("Out of memory."));
}

long rk_lockout_delay(int failures)
{
    if (failures < RK_LOCKOUT_DELAY_AFTER)
        return 0;
    int shift = failures - RK_LOCKOUT_DELAY_AFTER;
    /* 2^9 = 512 already exceeds the cap; stop before the shift can overflow. */
    if (shift >= 9)
        return RK_LOCKOUT_DELAY_MAX;
    long d = 1L << shift;
    return d > RK_LOCKOUT_DELAY_MAX ? RK_LOCKOUT_DELAY_MAX : d;
}

/* ---- parsing ---------------------------------------------------------- */

/* Decimal digits only: no sign, no spaces, no overflow. */
static bool parse_u64(const char *s, uint64_t *out)
{
    if (!*s)
        return false;
    uint64_t v = 0;
    for (; *s; s++) {
        if (*s < '0' || *s > '9')
            return false;
        unsigned d = (unsigned)(*s - '0');
        if (v > (UINT64_MAX - d) / 10)
            return false;
        v = v * 10 + d;
    }
    *out = v;
    return true;
}

static bool parse_time(const char *s, time_t *out)
{
    uint64_t v;
    if (!parse_u64(s, &v) || v > (uint64_t)INT64_MAX)
        return false;
    *out = (time_t)v;
    return true;
}

static bool terminal_valid(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n > TERMINAL_MAX)
        return false;
    for (; *s; s++)
        if (*s < 0x21 || *s > 0x7e)
            return false;
    return true;
}

/* Splits a line in place at single spaces; an empty field (double or trailing
 * space) makes the line invalid. Returns the field count, or -1. */
static int split(char *line, char **fields, int max)
{
    int n = 0;
    char *p = line;
    for (;;) {
        char *sp = strchr(p, ' ');
        if (sp)
            *sp = '\0';
        if (!*p || n == max)
            return -1;
        fields[n++] = p;
        if (!sp)
            return n;
        p = sp + 1;
    }
}

static struct user_rec *find_user(struct state *s, const char *name)
{
    for (size_t i = 0; i < s->nusers; i++)
        if (strcmp(s->users[i].name, name) == 0)
            return &s->users[i];
    return NULL;
}

static struct user_rec *add_user(struct state *s, const char *name)
{
    if (s->nusers == s->capusers) {
        size_t cap = s->capusers ? s->capusers * 2 : 8;
        struct user_rec *u = realloc(s->users, cap * sizeof *u);
        if (!u)
            return NULL;
        s->users = u;
        s->capusers = cap;
    }
    struct user_rec *u = &s->users[s->nusers++];
    memset(u, 0, sizeof *u);
    snprintf(u->name, sizeof u->name, "%s", name);
    return u;
}

static rk_pending_event *add_event(struct state *s)
{
    if (s->nevents == s->capevents) {
        size_t cap = s->capevents ? s->capevents * 2 : 16;
        rk_pending_event *e = realloc(s->events, cap * sizeof *e);
        if (!e)
            return NULL;
        s->events = e;
        s->capevents = cap;
    }
    rk_pending_event *e = &s->events[s->nevents++];
    memset(e, 0, sizeof *e);
    return e;
}

static void state_free(struct state *s)
{
    free(s->users);
    free(s->events);
    memset(s, 0, sizeof *s);
}

static int parse_header(char *line, struct state *s, bool *have_next)
{
    if (strcmp(line, STATE_MAGIC) == 0)
        return 0;
    size_t m = strlen(STATE_MAGIC);
    if (strncmp(line, STATE_MAGIC " next=", m + 6) != 0)
        return -1;
    if (!parse_u64(line + m + 6, &s->next_id) || s->next_id == 0)
        return -1;
    *have_next = true;
    return 0;
}

static int parse_user(char **f, int nf, struct state *s, const char *path,
                      size_t lineno, rk_err *err)
{
    uint64_t failures, locked;
    time_t last;
    if (nf != 5 || !rk_username_valid(f[1]) || !parse_u64(f[2], &failures) ||
        failures > INT_MAX || !parse_time(f[3], &last) ||
        !parse_u64(f[4], &locked) || locked > 1 || strlen(f[4]) != 1)
        return rk_err_set(err, RK_EFAIL,
                          _("Line %zu of the lockout file %s is not a valid user entry."),
                          lineno, path);
    if (find_user(s, f[1]))
        return rk_err_set(err, RK_EFAIL,
                          _("Line %zu of the lockout file %s repeats the user %s."),
                          lineno, path, f[1]);
    struct user_rec *u = add_user(s, f[1]);
    if (!u)
        return oom(err);
    u->failures = (int)failures;
    u->last = last;
    u->locked = locked == 1;
    return RK_OK;
}

static int parse_event(char **f, int nf, struct state *s, bool have_next,
                       const char *path, size_t lineno, rk_err *err)
{
    uint64_t id;
    time_t when;
    if (nf != 6 || !parse_u64(f[1], &id) || id == 0 || !parse_time(f[2], &when) ||
        (strcmp(f[3], "login_failed") != 0 && strcmp(f[3], "account_locked") != 0) ||
        !rk_username_valid(f[4]) || !terminal_valid(f[5]))
        return rk_err_set(err, RK_EFAIL,
                          _("Line %zu of the lockout file %s is not a valid event entry."),
                          lineno, path);
    /* Ids only grow; anything else means the file was edited or damaged. */
    if ((s->nevents && id <= s->events[s->nevents - 1].id) ||
        (have_next && id >= s->next_id))
        return rk_err_set(err, RK_EFAIL,
                          _("Line %zu of the lockout file %s has an event id out of sequence."),
                          lineno, path);
    rk_pending_event *e = add_event(s);
    if (!e)
        return oom(err);
    e->id = id;
    e->when = when;
    snprintf(e->action, sizeof e->action, "%s", f[3]);
    snprintf(e->user, sizeof e->user, "%s", f[4]);
    snprintf(e->terminal, sizeof e->terminal, "%s", f[5]);
    return RK_OK;
}

/* buf holds the whole file (len bytes, NUL-terminated by the caller). */
static int parse_state(char *buf, size_t len, const char *path, struct state *s,
                       rk_err *err)
{
    memset(s, 0, sizeof *s);
    s->next_id = 1;
    if (len == 0)   /* just created by O_CREAT: no state yet */
        return RK_OK;

    bool have_next = false;
    size_t lineno = 0;
    char *p = buf, *end = buf + len;
    while (p < end) {
        lineno++;
        char *nl = memchr(p, '\n', (size_t)(end - p));
        if (!nl)   /* we always end with a newline: this is a torn or foreign file */
            return rk_err_set(err, RK_EFAIL,
                              _("Line %zu of the lockout file %s is incomplete (it has no line end)."),
                              lineno, path);
        if (nl - p > LINE_MAX_BYTES)
            return rk_err_set(err, RK_EFAIL,
                              _("Line %zu of the lockout file %s is too long."), lineno, path);
        *nl = '\0';
        for (char *c = p; c < nl; c++)
            if (*c < 0x20 || *c > 0x7e)
                return rk_err_set(err, RK_EFAIL,
                                  _("Line %zu of the lockout file %s contains characters that do not belong in it."),
                                  lineno, path);
        if (lineno == 1) {
            if (parse_header(p, s, &have_next) != 0)
                return rk_err_set(err, RK_EFAIL,
                                  _("Line %zu of the lockout file %s is not the expected header \"%s\"."),
                                  lineno, path, STATE_MAGIC);
        } else {
            char *f[7];
            int nf = split(p, f, 7);
            int rc;
            if (nf > 0 && strcmp(f[0], "user") == 0)
                rc = parse_user(f, nf, s, path, lineno, err);
            else if (nf > 0 && strcmp(f[0], "event") == 0)
                rc = parse_event(f, nf, s, have_next, path, lineno, err);
            else
                rc = rk_err_set(err, RK_EFAIL,
                                _("Line %zu of the lockout file %s is neither a user nor an event entry."),
                                lineno, path);
            if (rc != RK_OK)
                return rc;
        }
        p = nl + 1;
    }
    if (!have_next && s->nevents) {
        /* An id of UINT64_MAX would wrap the next one to 0 (tests/fuzz lockout-1). */
        if (s->events[s->nevents - 1].id == UINT64_MAX)
            return rk_err_set(err, RK_EFAIL,
                              _("The lockout file %s has an event id too large to continue from."), path);
        s->next_id = s->events[s->nevents - 1].id + 1;
    }
    return RK_OK;
}

/* ---- file handling ---------------------------------------------------- */

static char *concat(const char *a, const char *b)
{
    size_t na = strlen(a), nb = strlen(b);
    char *r = malloc(na + nb + 1);
    if (r) {
        memcpy(r, a, na);
        memcpy(r + na, b, nb + 1);
    }
    return r;
}

static void handle_close(struct handle *h)
{
    if (h->lockfd >= 0)
        close(h->lockfd);   /* releases the flock */
    free(h->lockpath);
    free(h->tmppath);
    h->lockfd = -1;
    h->lockpath = h->tmppath = NULL;
}

/* Locks, opens (creating it 0660 & ~umask if missing: private under the
 * program's usual umask 077, group-shared in a shared directory) and parses
 * the state file. */
static int handle_open(struct handle *h, const char *path, struct state *s, rk_err *err)
{
    memset(h, 0, sizeof *h);
    h->lockfd = -1;
    memset(s, 0, sizeof *s);
    if (!path || !*path)
        return rk_err_set(err, RK_EUSAGE, "%s", _("No lockout file path was given."));
    h->path = path;
    h->lockpath = concat(path, ".lock");
    h->tmppath = concat(path, ".tmp");
    if (!h->lockpath || !h->tmppath) {
        handle_close(h);
        return oom(err);
    }

    h->lockfd = open(h->lockpath, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0660);
    if (h->lockfd < 0) {
        int rc = rk_err_set(err, RK_EFAIL, _("Cannot open the lock file %s: %s."),
                            h->lockpath, strerror(errno));
        handle_close(h);
        return rc;
    }
    while (flock(h->lockfd, LOCK_EX) != 0) {
        if (errno == EINTR)
            continue;
        int rc = rk_err_set(err, RK_EFAIL, _("Cannot lock the lock file %s: %s."),
                            h->lockpath, strerror(errno));
        handle_close(h);
        return rc;
    }

    int fd = open(path, O_RDONLY | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0660);
    if (fd < 0) {
        int rc = rk_err_set(err, RK_EFAIL, _("Cannot open the lockout file %s: %s."),
                            path, strerror(errno));
        handle_close(h);
        return rc;
    }
    struct stat sb;
    int rc = RK_OK;
    char *buf = NULL;
    if (fstat(fd, &sb) != 0) {
        rc = rk_err_set(err, RK_EFAIL, _("Cannot read the lockout file %s: %s."),
                        path, strerror(errno));
    } else if (!S_ISREG(sb.st_mode)) {
        rc = rk_err_set(err, RK_EFAIL, _("The lockout file %s is not a regular file."), path);
    } else if (sb.st_size > STATE_MAX_BYTES) {
        rc = rk_err_set(err, RK_EFAIL, _("The lockout file %s is too large to be a lockout file."),
                        path);
    } else {
        h->mode = sb.st_mode & 07777;
        size_t cap = (size_t)sb.st_size + 1, len = 0;
        buf = malloc(cap);
        if (!buf)
            rc = oom(err);
        /* Read to EOF rather than trusting st_size; under our lock it cannot
         * change, but a foreign writer could still have appended. */
        while (rc == RK_OK) {
            if (len + 1 >= cap) {
                if (cap > (size_t)STATE_MAX_BYTES) {
                    rc = rk_err_set(err, RK_EFAIL,
                                    _("The lockout file %s is too large to be a lockout file."),
                                    path);
                    break;
                }
                char *nb = realloc(buf, cap * 2);
                if (!nb) {
                    rc = oom(err);
                    break;
                }
                buf = nb;
                cap *= 2;
            }
            ssize_t r = read(fd, buf + len, cap - 1 - len);
            if (r < 0 && errno == EINTR)
                continue;
            if (r < 0) {
                rc = rk_err_set(err, RK_EFAIL, _("Cannot read the lockout file %s: %s."),
                                path, strerror(errno));
                break;
            }
            if (r == 0)
                break;
            len += (size_t)r;
        }
        if (rc == RK_OK) {
            buf[len] = '\0';
            rc = parse_state(buf, len, path, s, err);
        }
    }
    close(fd);
    free(buf);
    if (rc != RK_OK) {
        state_free(s);
        handle_close(h);
    }
    return rc;
}

static int fsync_parent_dir(const char *path)
{
    const char *slash = strrchr(path, '/');
    char *dir;
    if (!slash)
        dir = concat(".", "");
    else if (slash == path)
        dir = concat("/", "");
    else {
        dir = malloc((size_t)(slash - path) + 1);
        if (dir) {
            memcpy(dir, path, (size_t)(slash - path));
            dir[slash - path] = '\0';
        }
    }
    if (!dir) {
        errno = ENOMEM;
        return -1;
    }
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    free(dir);
    if (fd < 0)
        return -1;
    int rc = fsync(fd);
    /* Some file systems cannot fsync a directory; the rename is done anyway. */
    if (rc != 0 && errno == EINVAL)
        rc = 0;
    int saved = errno;
    close(fd);
    errno = saved;
    return rc;
}

static char *serialize(const struct state *s, size_t *len)
{
    char *buf = NULL;
    FILE *f = open_memstream(&buf, len);
    if (!f)
        return NULL;
    fprintf(f, STATE_MAGIC " next=%" PRIu64 "\n", s->next_id);
    for (size_t i = 0; i < s->nusers; i++) {
        const struct user_rec *u = &s->users[i];
        fprintf(f, "user %s %d %lld %d\n", u->name, u->failures, (long long)u->last,
                u->locked ? 1 : 0);
    }
    for (size_t i = 0; i < s->nevents; i++) {
        const rk_pending_event *e = &s->events[i];
        fprintf(f, "event %" PRIu64 " %lld %s %s %s\n", e->id, (long long)e->when,
                e->action, e->user, e->terminal);
    }
    if (ferror(f)) {
        fclose(f);
        free(buf);
        return NULL;
    }
    if (fclose(f) != 0) {
        free(buf);
        return NULL;
    }
    return buf;
}

/* Atomic replace: temp file, fsync, rename, fsync the directory. */
static int handle_commit(struct handle *h, const struct state *s, rk_err *err)
{
    if (!s->dirty)
        return RK_OK;
    size_t len = 0;
    char *buf = serialize(s, &len);
    if (!buf)
        return oom(err);

    int fd = open(h->tmppath, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd < 0) {
        int rc = rk_err_set(err, RK_EFAIL, _("Cannot write the lockout file %s: %s."),
                            h->tmppath, strerror(errno));
        free(buf);
        return rc;
    }
    /* fchmod because a leftover temp file keeps its old mode under O_CREAT. */
    int ok = fchmod(fd, h->mode) == 0 && rk_write_all(fd, buf, len) == 0 && fsync(fd) == 0;
    int saved = errno;
    free(buf);
    if (close(fd) != 0 && ok) {
        ok = 0;
        saved = errno;
    }
    if (ok && rename(h->tmppath, h->path) != 0) {
        ok = 0;
        saved = errno;
    }
    if (!ok) {
        unlink(h->tmppath);
        return rk_err_set(err, RK_EFAIL, _("Cannot write the lockout file %s: %s."),
                          h->path, strerror(saved));
    }
    if (fsync_parent_dir(h->path) != 0)
        return rk_err_set(err, RK_EFAIL, _("Cannot write the lockout file %s: %s."),
                          h->path, strerror(errno));
    return RK_OK;
}

static int finish(struct handle *h, struct state *s, int rc, rk_err *err)
{
    if (rc == RK_OK)
        rc = handle_commit(h, s, err);
    state_free(s);
    handle_close(h);
    return rc;
}

/* ---- public API ------------------------------------------------------- */

static int check_username(const char *user, rk_err *err)
{
    if (rk_username_valid(user))
        return RK_OK;
    /* The name is not echoed: it is untrusted and may hold control bytes. */
    return rk_err_set(err, RK_EUSAGE, "%s",
                      _("The username is not valid: it must be 1-32 characters of a-z, 0-9, '.', '_' and '-', starting with a letter."));
}

static long wait_for(const struct user_rec *u, time_t now)
{
    long d = rk_lockout_delay(u->failures);
    if (d == 0)
        return 0;
    /* If the clock went backwards, wait the full delay, not the jump as well. */
    if (now <= u->last)
        return d;
    time_t elapsed = now - u->last;
    return elapsed >= d ? 0 : d - (long)elapsed;
}

static void fill_status(rk_lockout_status *st, const struct user_rec *u, time_t now)
{
    if (!st)
        return;
    memset(st, 0, sizeof *st);
    if (!u)
        return;
    st->failures = u->failures;
    st->locked = u->locked;
    st->last_failure = u->last;
    st->wait_seconds = wait_for(u, now);
}

int rk_lockout_check(const char *path, const char *user, time_t now,
                     rk_lockout_status *st, rk_err *err)
{
    if (st)
        memset(st, 0, sizeof *st);
    int rc = check_username(user, err);
    if (rc != RK_OK)
        return rc;
    struct handle h;
    struct state s;
    if ((rc = handle_open(&h, path, &s, err)) != RK_OK)
        return rc;
    fill_status(st, find_user(&s, user), now);
    return finish(&h, &s, RK_OK, err);
}

/* Stored terminals are one space-free printable-ASCII field; replacing byte by
 * byte (not code point) also means truncation cannot split UTF-8. */
static void terminal_copy(char *dst, size_t size, const char *src)
{
    size_t n = 0;
    if (src)
        for (; src[n] && n < size - 1; n++)
            dst[n] = (src[n] < 0x21 || src[n] > 0x7e) ? '_' : src[n];
    if (n == 0)
        dst[n++] = '-';
    dst[n] = '\0';
}

static int queue_event(struct state *s, const char *action, const char *user,
                       time_t now, const char *terminal, rk_err *err)
{
    if (s->next_id == UINT64_MAX)
        return rk_err_set(err, RK_EFAIL, "%s", _("The lockout file has run out of event ids."));
    rk_pending_event *e = add_event(s);
    if (!e)
        return oom(err);
    e->id = s->next_id++;
    e->when = now;
    snprintf(e->action, sizeof e->action, "%s", action);
    snprintf(e->user, sizeof e->user, "%s", user);
    terminal_copy(e->terminal, sizeof e->terminal, terminal);
    return RK_OK;
}

int rk_lockout_failure(const char *path, const char *user, time_t now,
                       const char *terminal, rk_lockout_status *st, rk_err *err)
{
    if (st)
        memset(st, 0, sizeof *st);
    int rc = check_username(user, err);
    if (rc != RK_OK)
        return rc;
    struct handle h;
    struct state s;
    if ((rc = handle_open(&h, path, &s, err)) != RK_OK)
        return rc;

    /* The format has no sign: a pre-1970 clock must not make the file unreadable. */
    if (now < 0)
        now = 0;
    struct user_rec *u = find_user(&s, user);
    if (!u && !(u = add_user(&s, user)))
        return finish(&h, &s, oom(err), err);
    if (u->failures < INT_MAX)
        u->failures++;
    u->last = now;
    s.dirty = true;
    rc = queue_event(&s, "login_failed", user, now, terminal, err);
    if (rc == RK_OK && !u->locked && u->failures >= RK_LOCKOUT_LOCK_AFTER) {
        u->locked = true;
        rc = queue_event(&s, "account_locked", user, now, terminal, err);
    }
    if (rc == RK_OK)
        fill_status(st, u, now);
    rc = finish(&h, &s, rc, err);
    if (rc != RK_OK && st)
        memset(st, 0, sizeof *st);
    return rc;
}

static void remove_user(struct state *s, struct user_rec *u)
{
    size_t i = (size_t)(u - s->users);
    memmove(&s->users[i], &s->users[i + 1], (s->nusers - i - 1) * sizeof *u);
    s->nusers--;
    s->dirty = true;
}

int rk_lockout_success(const char *path, const char *user, rk_err *err)
{
    int rc = check_username(user, err);
    if (rc != RK_OK)
        return rc;
    struct handle h;
    struct state s;
    if ((rc = handle_open(&h, path, &s, err)) != RK_OK)
        return rc;
    struct user_rec *u = find_user(&s, user);
    if (u && !u->locked) {
        remove_user(&s, u);   /* an all-zero record carries no information */
    } else if (u && (u->failures != 0 || u->last != 0)) {
        /* Locked stays: only an administrator's unlock lifts it. */
        u->failures = 0;
        u->last = 0;
        s.dirty = true;
    }
    return finish(&h, &s, RK_OK, err);
}

int rk_lockout_unlock(const char *path, const char *user, rk_err *err)
{
    int rc = check_username(user, err);
    if (rc != RK_OK)
        return rc;
    struct handle h;
    struct state s;
    if ((rc = handle_open(&h, path, &s, err)) != RK_OK)
        return rc;
    struct user_rec *u = find_user(&s, user);
    if (u)
        remove_user(&s, u);
    return finish(&h, &s, RK_OK, err);
}

int rk_lockout_pending(const char *path, rk_pending_event **events, size_t *n, rk_err *err)
{
    *events = NULL;
    *n = 0;
    struct handle h;
    struct state s;
    int rc = handle_open(&h, path, &s, err);
    if (rc != RK_OK)
        return rc;
    if (s.nevents) {
        *events = malloc(s.nevents * sizeof **events);
        if (!*events)
            return finish(&h, &s, oom(err), err);
        memcpy(*events, s.events, s.nevents * sizeof **events);
        *n = s.nevents;
    }
    return finish(&h, &s, RK_OK, err);
}

int rk_lockout_pending_clear(const char *path, uint64_t upto_id, rk_err *err)
{
    struct handle h;
    struct state s;
    int rc = handle_open(&h, path, &s, err);
    if (rc != RK_OK)
        return rc;
    /* Events are in id order, so the cleared ones are a prefix. */
    size_t k = 0;
    while (k < s.nevents && s.events[k].id <= upto_id)
        k++;
    if (k) {
        memmove(s.events, s.events + k, (s.nevents - k) * sizeof *s.events);
        s.nevents -= k;
        s.dirty = true;
    }
    return finish(&h, &s, RK_OK, err);
}
