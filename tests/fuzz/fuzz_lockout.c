/* Failed-login state file: the parser behind every rk_lockout_* call
 * (lockout.h), reached only through the public API on a temp file that
 * holds the input.
 *
 * Invariants:
 *  - a file the parser refuses is never rewritten: rk_lockout_pending,
 *    rk_lockout_check and rk_lockout_failure all fail and leave its bytes as
 *    they were (a damaged file must not be "repaired" into a reset counter);
 *  - rk_lockout_check never changes the file;
 *  - accepted events have ids >= 1 in increasing order, a known action, a
 *    valid username and a printable, space-free terminal of 1-127 bytes;
 *  - what the writer writes the parser reads back: after rk_lockout_failure
 *    the file parses, the count went up by one (capped at INT_MAX), one new
 *    event (two when the account just reached RK_LOCKOUT_LOCK_AFTER) with
 *    an id above every earlier one, and the terminal stored sanitised;
 *    a failure of rk_lockout_failure leaves the file unchanged;
 *  - wait_seconds is 0-RK_LOCKOUT_DELAY_MAX;
 *  - rk_lockout_pending_clear(all) empties the queue, rk_lockout_success
 *    zeroes the count and keeps a lock, rk_lockout_unlock lifts it. */
#include "fuzz.h"

#include <fcntl.h>
#include <limits.h>
#include <unistd.h>

#include "lockout.h"

#define NOW ((time_t)1700000000)

static char dir[256], path[300], lockpath[310], tmppath[310];

static void cleanup(void)
{
    unlink(path);
    unlink(lockpath);
    unlink(tmppath);
    rmdir(dir);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    const char *base = getenv("RK_FUZZ_TMPDIR");
    if (!base || !*base)
        base = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
    snprintf(dir, sizeof dir, "%s/rk-fuzz-lockout-XXXXXX", base);
    if (!mkdtemp(dir)) {
        perror(dir);
        abort();
    }
    snprintf(path, sizeof path, "%s/state", dir);
    snprintf(lockpath, sizeof lockpath, "%s.lock", path);
    snprintf(tmppath, sizeof tmppath, "%s.tmp", path);
    atexit(cleanup);
    return 0;
}

static void write_file(const uint8_t *data, size_t size)
{
    FILE *f = fopen(path, "wb");
    if (!f || (size && fwrite(data, 1, size, f) != size) || fclose(f) != 0) {
        perror(path);
        abort();
    }
}

/* The file's bytes; caller frees. */
static uint8_t *read_file(size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        perror(path);
        abort();
    }
    size_t cap = 4096, n = 0;
    uint8_t *buf = malloc(cap);
    for (;;) {
        if (!buf)
            abort();
        n += fread(buf + n, 1, cap - n, f);
        if (n < cap)
            break;
        cap *= 2;
        buf = realloc(buf, cap);
    }
    fclose(f);
    *len = n;
    return buf;
}

static bool file_is(const uint8_t *data, size_t size)
{
    size_t n;
    uint8_t *now = read_file(&n);
    bool same = n == size && (size == 0 || memcmp(now, data, size) == 0);
    free(now);
    return same;
}

static void check_events(const rk_pending_event *ev, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        FUZZ_CHECK(ev[i].id >= 1 && (i == 0 || ev[i].id > ev[i - 1].id), "event %zu id", i);
        FUZZ_CHECK(strcmp(ev[i].action, "login_failed") == 0 ||
                       strcmp(ev[i].action, "account_locked") == 0,
                   "event %zu action \"%s\"", i, ev[i].action);
        FUZZ_CHECK(rk_username_valid(ev[i].user), "event %zu user", i);
        size_t tl = strnlen(ev[i].terminal, sizeof ev[i].terminal);
        FUZZ_CHECK(tl >= 1 && tl < sizeof ev[i].terminal, "event %zu terminal length", i);
        for (size_t k = 0; k < tl; k++)
            FUZZ_CHECK(ev[i].terminal[k] > 0x20 && ev[i].terminal[k] < 0x7f,
                       "event %zu terminal byte 0x%02x", i, (unsigned char)ev[i].terminal[k]);
    }
}

static void check_status(const rk_lockout_status *st)
{
    FUZZ_CHECK(st->failures >= 0, "negative failure count");
    FUZZ_CHECK(st->wait_seconds >= 0 && st->wait_seconds <= RK_LOCKOUT_DELAY_MAX,
               "wait %ld s", st->wait_seconds);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 64 * 1024)
        return 0;
    write_file(data, size);
    rk_err err;
    rk_err_clear(&err);
    rk_pending_event *ev = NULL;
    size_t n = 0;
    rk_lockout_status st, st2;

    if (rk_lockout_pending(path, &ev, &n, &err) != RK_OK) {
        FUZZ_CHECK(err.code == RK_EFAIL && err.msg[0], "refusal without a message");
        FUZZ_CHECK(ev == NULL && n == 0, "refusal returned events");
        FUZZ_CHECK(file_is(data, size), "rk_lockout_pending changed a refused file");
        FUZZ_CHECK(rk_lockout_check(path, "fuzz", NOW, &st, NULL) == RK_EFAIL,
                   "rk_lockout_check accepts what rk_lockout_pending refused");
        FUZZ_CHECK(rk_lockout_failure(path, "fuzz", NOW, "tty1", &st, NULL) == RK_EFAIL,
                   "rk_lockout_failure accepts what rk_lockout_pending refused");
        FUZZ_CHECK(file_is(data, size), "a refused file was rewritten");
        return 0;
    }
    check_events(ev, n);
    uint64_t last_id = n ? ev[n - 1].id : 0;
    const char *user = n ? ev[0].user : "fuzz";
    char who[RK_USERNAME_MAX + 1];
    snprintf(who, sizeof who, "%s", user);
    free(ev);

    FUZZ_CHECK(rk_lockout_check(path, who, NOW, &st, &err) == RK_OK, "check: %s", err.msg);
    check_status(&st);
    FUZZ_CHECK(file_is(data, size), "rk_lockout_check changed the file");

    int rc = rk_lockout_failure(path, who, NOW, "pts/7\x1b[2J x", &st2, &err);
    if (rc != RK_OK) {
        FUZZ_CHECK(err.msg[0], "failure refused without a message");
        FUZZ_CHECK(file_is(data, size), "a failed rk_lockout_failure changed the file");
        return 0;
    }
    check_status(&st2);
    int want = st.failures < INT_MAX ? st.failures + 1 : INT_MAX;
    FUZZ_CHECK(st2.failures == want, "failures %d -> %d", st.failures, st2.failures);
    bool locks = !st.locked && st2.failures >= RK_LOCKOUT_LOCK_AFTER;
    FUZZ_CHECK(st2.locked == (st.locked || locks), "locked %d -> %d at %d failures", st.locked,
               st2.locked, st2.failures);

    rk_pending_event *ev2 = NULL;
    size_t n2 = 0;
    FUZZ_CHECK(rk_lockout_pending(path, &ev2, &n2, &err) == RK_OK,
               "the rewritten file does not parse: %s", err.msg);
    check_events(ev2, n2);
    FUZZ_CHECK(n2 == n + 1 + locks, "%zu events -> %zu", n, n2);
    for (size_t i = n; i < n2; i++) {
        FUZZ_CHECK(ev2[i].id > last_id, "new event id %llu not above %llu",
                   (unsigned long long)ev2[i].id, (unsigned long long)last_id);
        FUZZ_CHECK(strcmp(ev2[i].user, who) == 0 && ev2[i].when == NOW, "new event fields");
        FUZZ_CHECK(strcmp(ev2[i].terminal, "pts/7_[2J_x") == 0, "terminal stored as \"%s\"",
                   ev2[i].terminal);
    }
    FUZZ_CHECK(strcmp(ev2[n].action, "login_failed") == 0, "first new event \"%s\"",
               ev2[n].action);
    if (locks)
        FUZZ_CHECK(strcmp(ev2[n + 1].action, "account_locked") == 0, "lock event");
    free(ev2);

    FUZZ_CHECK(rk_lockout_pending_clear(path, UINT64_MAX, &err) == RK_OK, "clear: %s", err.msg);
    FUZZ_CHECK(rk_lockout_pending(path, &ev2, &n2, &err) == RK_OK && n2 == 0,
               "%zu events after clearing all", n2);
    free(ev2);

    FUZZ_CHECK(rk_lockout_success(path, who, &err) == RK_OK, "success: %s", err.msg);
    FUZZ_CHECK(rk_lockout_check(path, who, NOW, &st, &err) == RK_OK && st.failures == 0 &&
                   st.wait_seconds == 0 && st.locked == st2.locked,
               "after success: %d failures, wait %ld, locked %d", st.failures, st.wait_seconds,
               st.locked);
    FUZZ_CHECK(rk_lockout_unlock(path, who, &err) == RK_OK, "unlock: %s", err.msg);
    FUZZ_CHECK(rk_lockout_check(path, who, NOW, &st, &err) == RK_OK && !st.locked &&
                   st.failures == 0,
               "still locked after unlock");
    return 0;
}
