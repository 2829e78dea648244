/* Test helper (never installed), run as root: searches the memory of a
 * running rekisteri for its secrets. It unlocks DIR's keyring itself with
 * USER's password (stdin) to learn what to look for, then reads every
 * readable mapping of PID through /proc/PID/mem (root with CAP_SYS_PTRACE
 * may read a non-dumpable process; nothing in the program is weakened for
 * this) and counts, per mapping, where these occur:
 *   - the password as UTF-8 and as wchar_t (what a line editor holds);
 *   - the raw audit key: only in libsodium's guarded allocations, which are
 *     locked (VmFlags "lo" in /proc/PID/smaps) and excluded from core dumps
 *     (VmFlags "dd", MADV_DONTDUMP);
 *   - the database key, raw and in hex (lower and upper case): besides the
 *     guarded allocations, only in SQLCipher's codec context, which keeps
 *     the key it encrypts pages with (raw) and the key string it was given
 *     (x'<hex>') once for reading and once for writing: at most 2 copies of
 *     each outside guarded memory (SQLCipher 3.4 mlocks them, but its
 *     munlock on freeing a neighbour on the same page can unlock them, so
 *     "locked" is reported, not required). A third copy would be ours;
 *   - a control text (--control TEXT) that must be found, so that a scan
 *     that read nothing cannot pass.
 *   memscan PID DIR USER [--control TEXT]     exit 0 clean, 1 otherwise */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <locale.h>
#include <sodium.h>
#include <wchar.h>

#include "audit.h"
#include "stress.h"

struct mapping {
    unsigned long lo, hi;
    char perms[8];
    char name[256];
    bool locked;
    bool guarded;   /* locked and not dumped: libsodium's sodium_malloc */
};

enum { PW_UTF8, PW_WIDE, KEY_HEX, KEY_HEX_UPPER, KEY_RAW, AUDIT_KEY_RAW, CONTROL, NPAT };
static const char *pat_name[NPAT] = {
    "password (UTF-8)", "password (wchar_t)", "database key, hex", "database key, HEX",
    "database key, raw", "audit key, raw", "control text",
};

static size_t read_maps(int pid, struct mapping **out)
{
    char path[64], line[1024];
    snprintf(path, sizeof path, "/proc/%d/smaps", pid);
    FILE *f = fopen(path, "r");
    if (!f)
        return 0;
    size_t n = 0, cap = 0;
    struct mapping *m = NULL;
    while (fgets(line, sizeof line, f)) {
        unsigned long lo, hi;
        char perms[8];
        int off = 0;
        if (sscanf(line, "%lx-%lx %7s %*s %*s %*s%n", &lo, &hi, perms, &off) == 3) {
            if (n == cap && !(m = realloc(m, (cap = cap ? 2 * cap : 64) * sizeof *m)))
                exit(1);
            m[n] = (struct mapping){ lo, hi, "", "", false, false };
            snprintf(m[n].perms, sizeof m[n].perms, "%s", perms);
            char *name = line + off;
            name += strspn(name, " ");
            name[strcspn(name, "\n")] = '\0';
            snprintf(m[n].name, sizeof m[n].name, "%s", *name ? name : "[anonymous]");
            n++;
        } else if (n && strncmp(line, "VmFlags:", 8) == 0) {
            m[n - 1].locked = strstr(line, " lo") != NULL;
            m[n - 1].guarded = m[n - 1].locked && strstr(line, " dd") != NULL;
        }
    }
    fclose(f);
    *out = m;
    return n;
}

int main(int argc, char **argv)
{
    if (argc != 4 && !(argc == 6 && strcmp(argv[4], "--control") == 0)) {
        fprintf(stderr, "usage: memscan PID DIR USER [--control TEXT]  (password on stdin)\n");
        return 2;
    }
    int pid = atoi(argv[1]);
    setlocale(LC_ALL, "C.UTF-8");   /* the wide form of a non-ASCII password */
    rk_err err = { 0 };
    rk_paths paths;
    if (rk_secure_init(&err) || rk_paths_resolve(argv[2], &paths, &err))
        stress_die("init", &err);
    char *pw = rk_password_read_fd(0, &err);
    unsigned char *key = rk_secure_alloc(RK_KEY_BYTES), *akey = rk_secure_alloc(RK_KEY_BYTES);
    if (!pw || !key || !akey || rk_keyring_unlock(paths.keyring, argv[3], pw, key, &err))
        stress_die("keyring", &err);
    rk_audit_derive_key(key, akey);

    /* The patterns, in secure memory like the secrets they copy. */
    unsigned char *pat[NPAT];
    size_t plen[NPAT];
    for (int i = 0; i < NPAT; i++)
        pat[i] = rk_secure_alloc(4 * (RK_PASSWORD_MAX + 1));
    plen[PW_UTF8] = strlen(pw);
    memcpy(pat[PW_UTF8], pw, plen[PW_UTF8]);
    mbstate_t st = { 0 };
    const char *src = pw;
    size_t wn = mbsrtowcs((wchar_t *)pat[PW_WIDE], &src, RK_PASSWORD_MAX, &st);
    plen[PW_WIDE] = wn == (size_t)-1 ? 0 : wn * sizeof(wchar_t);
    sodium_bin2hex((char *)pat[KEY_HEX], 2 * RK_KEY_BYTES + 1, key, RK_KEY_BYTES);
    plen[KEY_HEX] = plen[KEY_HEX_UPPER] = 2 * RK_KEY_BYTES;
    for (size_t i = 0; i < plen[KEY_HEX]; i++)
        pat[KEY_HEX_UPPER][i] = (unsigned char)toupper(pat[KEY_HEX][i]);
    memcpy(pat[KEY_RAW], key, plen[KEY_RAW] = RK_KEY_BYTES);
    memcpy(pat[AUDIT_KEY_RAW], akey, plen[AUDIT_KEY_RAW] = RK_KEY_BYTES);
    plen[CONTROL] = argc == 6 ? strlen(argv[5]) : 0;
    memcpy(pat[CONTROL], argc == 6 ? argv[5] : "", plen[CONTROL]);

    struct mapping *maps = NULL;
    size_t nmaps = read_maps(pid, &maps);
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/mem", pid);
    int fd = open(path, O_RDONLY);
    if (fd < 0 || nmaps == 0) {
        fprintf(stderr, "memscan: cannot read %s: %s\n", path, strerror(errno));
        return 1;
    }
    long hits[NPAT] = { 0 }, unlocked_hits[NPAT] = { 0 }, unguarded_hits[NPAT] = { 0 };
    unsigned long long scanned = 0;
    size_t locked_maps = 0, guarded_maps = 0;
    enum { CHUNK = 1 << 20, OVERLAP = 4 * (RK_PASSWORD_MAX + 1) };
    unsigned char *buf = malloc(CHUNK + OVERLAP);
    for (size_t i = 0; i < nmaps; i++) {
        struct mapping *m = &maps[i];
        locked_maps += m->locked;
        guarded_maps += m->guarded;
        if (m->perms[0] != 'r' || strncmp(m->name, "[vvar", 5) == 0 || strcmp(m->name, "[vsyscall]") == 0)
            continue;
        for (unsigned long a = m->lo; a < m->hi; a += CHUNK) {
            size_t want = m->hi - a > CHUNK + OVERLAP ? CHUNK + OVERLAP : m->hi - a;
            ssize_t got = pread(fd, buf, want, (off_t)a);
            if (got <= 0)
                break;
            scanned += (unsigned long long)(got > CHUNK ? CHUNK : got);
            for (int p = 0; p < NPAT; p++) {
                if (!plen[p])
                    continue;
                /* Count a match once: only where it starts inside this chunk. */
                const unsigned char *at = buf, *end = buf + got;
                while ((at = memmem(at, (size_t)(end - at), pat[p], plen[p])) != NULL &&
                       at - buf < CHUNK) {
                    hits[p]++;
                    unlocked_hits[p] += !m->locked;
                    unguarded_hits[p] += !m->guarded;
                    if (!m->guarded && p != CONTROL)
                        printf("  found %s at %#lx in %s (%s%s)\n", pat_name[p],
                               a + (unsigned long)(at - buf), m->name, m->perms,
                               m->locked ? ", locked" : ", not locked");
                    at++;
                }
            }
        }
    }
    close(fd);

    printf("memscan: pid %d, %zu mappings (%zu locked, %zu guarded), %.1f MiB read\n", pid, nmaps,
           locked_maps, guarded_maps, (double)scanned / (1 << 20));
    for (int p = 0; p < NPAT; p++)
        printf("  %-22s %ld found: %ld outside guarded memory, %ld not locked\n", pat_name[p],
               hits[p], unguarded_hits[p], unlocked_hits[p]);
    bool ok = hits[PW_UTF8] == 0 && hits[PW_WIDE] == 0 &&
              unguarded_hits[KEY_HEX] + unguarded_hits[KEY_HEX_UPPER] <= 2 &&
              unguarded_hits[KEY_RAW] <= 2 && unguarded_hits[AUDIT_KEY_RAW] == 0 &&
              hits[AUDIT_KEY_RAW] > 0 && (plen[CONTROL] == 0 || hits[CONTROL] > 0) &&
              scanned > 0;
    printf("memscan: %s\n", ok ? "ok" : "FAILED");
    for (int i = 0; i < NPAT; i++)
        rk_secure_free(pat[i]);
    rk_secure_free(key);
    rk_secure_free(akey);
    rk_password_free(pw);
    free(buf);
    free(maps);
    return ok ? 0 : 1;
}
