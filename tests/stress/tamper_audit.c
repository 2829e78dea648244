/* Audit tampering report (issue 8): random edits, deletions, reorderings
 * and forged rows in the audit table of a real registry, made through a
 * keyed connection with the append-only triggers dropped (what someone
 * holding the database key but not using the program could do), each on a
 * fresh copy of the same registry and each checked with the real command
 * `rekisteri audit verify`. A mutation is detected when the command exits
 * non-zero saying "Audit log broken". Every 50 mutations an untouched copy
 * must verify (so "detected" cannot come from a broken test).
 *
 * Removing the newest rows (tail truncation) leaves a shorter chain that is
 * whole; the chain alone cannot show it. The chain head that goes to syslog
 * (authpriv) at every logout is the outside record that shows it: those
 * trials run `audit verify --head SEQ:HASH` with the untouched registry's
 * head, as an administrator would with the last syslog line.
 *
 *   tamper_audit [--rekisteri PATH] [--mutations N] [--seed S]
 * Exit 1 when any counted mutation went undetected or a control failed. */
#include <fcntl.h>
#include <sodium.h>
#include <sqlite3.h>
#include <sys/wait.h>

#include "audit.h"
#include "db.h"
#include "db_audit.h"
#include "stress.h"

enum { EDIT, DELETE, REORDER, FORGE, TAIL, KINDS };
static const char *kind_name[KINDS] = {
    "edit one field of a row", "delete rows (not the newest)", "reorder rows",
    "insert a forged row", "remove the newest rows (tail)",
};
static const char *columns[] = { "ts", "user", "action", "client_id", "details", "terminal",
                                 "prev_hash", "hash", "seq" };

static uint64_t rng;
static uint32_t rnd(uint32_t n)   /* xorshift64*, reproducible from --seed */
{
    rng ^= rng >> 12; rng ^= rng << 25; rng ^= rng >> 27;
    return n ? (uint32_t)((rng * 2685821657736338717ULL) >> 33) % n : 0;
}

static int exec_sql(rk_db *db, const char *sql)
{
    char *msg = NULL;
    int rc = sqlite3_exec(rk_db_handle(db), sql, NULL, NULL, &msg);
    if (rc != SQLITE_OK)
        fprintf(stderr, "tamper_audit: %s: %s\n", sql, msg ? msg : "?");
    sqlite3_free(msg);
    return rc;
}

static long long scalar(rk_db *db, const char *sql)
{
    sqlite3_stmt *st = NULL;
    long long v = -1;
    if (sqlite3_prepare_v2(rk_db_handle(db), sql, -1, &st, NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW)
        v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return v;
}

/* Changes one column of row `seq` to a value that differs from the stored
 * one in what the chain covers. */
static int edit_row(rk_db *db, long long seq, long long rows)
{
    char sql[512];
    const char *col = columns[rnd(sizeof columns / sizeof columns[0])];
    if (strcmp(col, "client_id") == 0)
        snprintf(sql, sizeof sql, "UPDATE audit SET client_id = coalesce(client_id, 0) + %u WHERE seq = %lld",
                 1 + rnd(1000), seq);
    else if (strcmp(col, "seq") == 0)   /* renumbered to a free number */
        snprintf(sql, sizeof sql, "UPDATE audit SET seq = %lld WHERE seq = %lld",
                 rows + 10 + rnd(1000), seq);
    else if (strcmp(col, "prev_hash") == 0 || strcmp(col, "hash") == 0) {
        unsigned pos = rnd(RK_AUDIT_HASH_BYTES), bit = rnd(8);
        /* One bit flipped (SQLite 3.15 has no bit operations on blobs). */
        sqlite3_stmt *st = NULL;
        snprintf(sql, sizeof sql, "SELECT %s FROM audit WHERE seq = %lld", col, seq);
        if (sqlite3_prepare_v2(rk_db_handle(db), sql, -1, &st, NULL) != SQLITE_OK ||
            sqlite3_step(st) != SQLITE_ROW) {
            sqlite3_finalize(st);
            return -1;
        }
        unsigned char h[RK_AUDIT_HASH_BYTES];
        memcpy(h, sqlite3_column_blob(st, 0), sizeof h);
        sqlite3_finalize(st);
        h[pos] ^= (unsigned char)(1u << bit);
        snprintf(sql, sizeof sql, "UPDATE audit SET %s = ?1 WHERE seq = %lld", col, seq);
        if (sqlite3_prepare_v2(rk_db_handle(db), sql, -1, &st, NULL) != SQLITE_OK)
            return -1;
        sqlite3_bind_blob(st, 1, h, sizeof h, SQLITE_TRANSIENT);
        int rc = sqlite3_step(st);
        sqlite3_finalize(st);
        return rc == SQLITE_DONE ? 0 : -1;
    } else {
        /* Text: one character replaced by another, one appended, or the
         * value replaced by another row's (a plausible forgery). */
        switch (rnd(3)) {
        case 0:
            {
                unsigned p = rnd(512);
                snprintf(sql, sizeof sql,
                         "UPDATE audit SET %s = CASE WHEN length(%s) = 0 THEN 'x' ELSE "
                         "substr(%s, 1, %u %% length(%s)) || "
                         "CASE WHEN substr(%s, 1 + %u %% length(%s), 1) = 'q' THEN 'Q' ELSE 'q' END || "
                         "substr(%s, 2 + %u %% length(%s)) END WHERE seq = %lld",
                         col, col, col, p, col, col, p, col, col, p, col, seq);
            }
            break;
        case 1:
            snprintf(sql, sizeof sql, "UPDATE audit SET %s = %s || ' ' WHERE seq = %lld", col, col, seq);
            break;
        default:
            snprintf(sql, sizeof sql,
                     "UPDATE audit SET %s = (SELECT %s || '' FROM audit a WHERE a.%s <> audit.%s "
                     "ORDER BY a.seq LIMIT 1) || '' WHERE seq = %lld AND EXISTS "
                     "(SELECT 1 FROM audit a WHERE a.%s <> audit.%s)",
                     col, col, col, col, seq, col, col);
            if (exec_sql(db, sql) != SQLITE_OK || sqlite3_changes(rk_db_handle(db)) == 0)
                snprintf(sql, sizeof sql, "UPDATE audit SET %s = %s || '!' WHERE seq = %lld", col, col, seq);
            else
                return 0;
        }
    }
    return exec_sql(db, sql) == SQLITE_OK && sqlite3_changes(rk_db_handle(db)) == 1 ? 0 : -1;
}

static int mutate(rk_db *db, int kind, long long rows)
{
    char sql[512];
    long long a = 1 + rnd((uint32_t)rows), b;
    switch (kind) {
    case EDIT:
        return edit_row(db, a, rows);
    case DELETE:   /* 1 to 3 rows, never reaching the newest */
        a = 1 + rnd((uint32_t)(rows - 1));
        b = a + rnd(3);
        if (b >= rows)
            b = rows - 1;
        snprintf(sql, sizeof sql, "DELETE FROM audit WHERE seq BETWEEN %lld AND %lld", a, b);
        return exec_sql(db, sql) == SQLITE_OK ? 0 : -1;
    case REORDER:
        do
            b = 1 + rnd((uint32_t)rows);
        while (b == a);
        if (rnd(2) == 0) {   /* two rows swap places (their seq numbers) */
            snprintf(sql, sizeof sql,
                     "UPDATE audit SET seq = -1 WHERE seq = %lld; UPDATE audit SET seq = %lld WHERE seq = %lld;"
                     "UPDATE audit SET seq = %lld WHERE seq = -1", a, a, b, b);
        } else {             /* two rows swap contents, keeping their numbers */
            snprintf(sql, sizeof sql,
                     "CREATE TEMP TABLE t AS SELECT * FROM audit WHERE seq IN (%lld, %lld);"
                     "DELETE FROM audit WHERE seq IN (%lld, %lld);"
                     "INSERT INTO audit SELECT CASE seq WHEN %lld THEN %lld ELSE %lld END, ts, user, action,"
                     " client_id, details, terminal, prev_hash, hash FROM t; DROP TABLE t",
                     a, b, a, b, a, b, a);
        }
        return exec_sql(db, sql) == SQLITE_OK ? 0 : -1;
    case FORGE: {   /* a plausible row with a made-up hash, at the end or replacing one */
        unsigned char h[RK_AUDIT_HASH_BYTES];
        randombytes_buf(h, sizeof h);
        sqlite3_stmt *st = NULL;
        long long seq = rnd(2) ? rows + 1 : a;
        if (seq == a)
            snprintf(sql, sizeof sql, "DELETE FROM audit WHERE seq = %lld", a), exec_sql(db, sql);
        if (sqlite3_prepare_v2(rk_db_handle(db),
                               "INSERT INTO audit (seq, ts, user, action, client_id, details, terminal,"
                               " prev_hash, hash) SELECT ?1, ts, 'admin', 'user_added', NULL, 'mallory',"
                               " terminal, hash, ?2 FROM audit WHERE seq < ?1 ORDER BY seq DESC LIMIT 1",
                               -1, &st, NULL) != SQLITE_OK)
            return -1;
        sqlite3_bind_int64(st, 1, seq);
        sqlite3_bind_blob(st, 2, h, sizeof h, SQLITE_TRANSIENT);
        int rc = sqlite3_step(st);
        sqlite3_finalize(st);
        return rc == SQLITE_DONE && sqlite3_changes(rk_db_handle(db)) == 1 ? 0 : -1;
    }
    case TAIL:
        snprintf(sql, sizeof sql, "DELETE FROM audit WHERE seq > %lld", rows - 1 - rnd(3));
        return exec_sql(db, sql) == SQLITE_OK ? 0 : -1;
    }
    return -1;
}

static int write_file(const char *path, const unsigned char *buf, size_t n)
{
    FILE *f = fopen(path, "wb");
    int ok = f && fwrite(buf, 1, n, f) == n;
    return (f && fclose(f) == 0 && ok) ? 0 : -1;
}

/* `rekisteri audit verify` as admin: 1 = reported broken, 0 = verified,
 * -1 = failed some other way (message in msg). */
static int run_verify(const char *rk, const char *dir, const char *head, char *msg, size_t msgsize)
{
    int pw[2], out[2];
    if (pipe(pw) || pipe(out))
        return -1;
    pid_t pid = fork();
    if (pid == 0) {
        dup2(pw[0], 3);
        dup2(out[1], 1);
        dup2(out[1], 2);
        close(pw[1]);
        close(out[0]);
        if (head)
            execl(rk, rk, "--dir", dir, "--user", "admin", "--password-fd", "3", "audit", "verify",
                  "--head", head, (char *)NULL);
        else
            execl(rk, rk, "--dir", dir, "--user", "admin", "--password-fd", "3", "audit", "verify",
                  (char *)NULL);
        _exit(127);
    }
    close(pw[0]);
    close(out[1]);
    if (write(pw[1], STRESS_PW "\n", sizeof STRESS_PW) < 0)
        perror("write");
    close(pw[1]);
    size_t n = 0;
    ssize_t r;
    while ((r = read(out[0], msg + n, msgsize - 1 - n)) > 0 && n + 1 < msgsize)
        n += (size_t)r;
    msg[n] = '\0';
    close(out[0]);
    int st;
    waitpid(pid, &st, 0);
    if (WIFEXITED(st) && WEXITSTATUS(st) == 0)
        return 0;
    if (strstr(msg, "Audit log broken"))
        return 1;
    size_t len = strlen(msg);
    snprintf(msg + len, msgsize - len, " [%s %d]", WIFSIGNALED(st) ? "killed by signal" : "exit status",
             WIFSIGNALED(st) ? WTERMSIG(st) : WEXITSTATUS(st));
    return -1;
}

int main(int argc, char **argv)
{
    const char *rk = "./rekisteri";
    int n = 1000;
    uint64_t seed = (uint64_t)time(NULL);
    for (int i = 1; i + 1 < argc; i += 2) {
        if (strcmp(argv[i], "--rekisteri") == 0)
            rk = argv[i + 1];
        else if (strcmp(argv[i], "--mutations") == 0)
            n = atoi(argv[i + 1]);
        else if (strcmp(argv[i], "--seed") == 0)
            seed = strtoull(argv[i + 1], NULL, 10);
    }
    if (n < 1 || access(rk, X_OK) != 0) {
        fprintf(stderr, "usage: tamper_audit [--rekisteri PATH] [--mutations N] [--seed S]\n");
        return 2;
    }
    rng = seed ? seed : 1;

    char root[256];
    rk_paths paths;
    stress_registry("rk-tamper-audit", "r", RK_ROLE_RECEPTION, 2, root, &paths);
    rk_err err = { 0 };
    /* More history: logins, each with events for clients and settings. */
    for (int i = 0; i < 8; i++) {
        rk_session *s = NULL;
        if (rk_session_login(&paths, i % 2 ? "r1" : "admin", STRESS_PW, &s, NULL, &err))
            stress_die("login", &err);
        for (int k = 0; k < 6; k++) {
            char details[64];
            snprintf(details, sizeof details, "event %d.%d", i, k);
            if (rk_session_audit(s, k % 2 ? RK_AUDIT_CLIENT_VIEWED : RK_AUDIT_CLIENT_SEARCHED,
                                 k % 2 ? 100 + k : 0, details, &err))
                stress_die("audit", &err);
        }
        rk_session_logout(s);
    }

    unsigned char *key = rk_secure_alloc(RK_KEY_BYTES);
    if (!key || rk_keyring_unlock(paths.keyring, "admin", STRESS_PW, key, &err))
        stress_die("keyring", &err);
    FILE *f = fopen(paths.db, "rb");
    static unsigned char pristine[8 << 20];
    size_t plen = f ? fread(pristine, 1, sizeof pristine, f) : 0;
    if (f)
        fclose(f);
    if (plen == 0 || plen == sizeof pristine)
        stress_die("read registry.db", NULL);

    long long chain_rows = -1;
    char head[32 + 2 * RK_AUDIT_HASH_BYTES];
    {
        rk_db *db = NULL;
        if (rk_db_open(paths.db, key, false, &db, &err))
            stress_die("open", &err);
        chain_rows = scalar(db, "SELECT count(*) FROM audit");
        int64_t hseq;
        unsigned char hash[RK_AUDIT_HASH_BYTES];
        char hex[2 * RK_AUDIT_HASH_BYTES + 1];
        if (rk_dba_last(db, &hseq, hash, &err))
            stress_die("chain head", &err);
        sodium_bin2hex(hex, sizeof hex, hash, sizeof hash);
        snprintf(head, sizeof head, "%lld:%s", (long long)hseq, hex);
        rk_db_close(db);
    }
    long long tried[KINDS] = { 0 }, detected[KINDS] = { 0 }, other[KINDS] = { 0 };
    int controls = 0, control_fail = 0, setup_fail = 0, ntail = n / 20 > 0 ? n / 20 : 1;
    char msg[2048], journal[RK_PATH_MAX + 16];
    snprintf(journal, sizeof journal, "%s-journal", paths.db);
    for (int i = 0; i < n + ntail; i++) {
        bool control = i % 50 == 0;
        int kind = i >= n ? TAIL : (int)(rnd(10) < 5 ? EDIT : rnd(10) < 4 ? DELETE : rnd(10) < 7 ? REORDER : FORGE);
        unlink(journal);
        if (write_file(paths.db, pristine, plen))
            stress_die("write registry.db", NULL);
        if (control) {
            controls++;
            if (run_verify(rk, paths.dir, head, msg, sizeof msg) != 0) {
                control_fail++;
                fprintf(stderr, "control (untouched copy) did not verify: %s", msg);
            }
            unlink(journal);
            if (write_file(paths.db, pristine, plen))
                stress_die("write registry.db", NULL);
        }
        rk_db *db = NULL;
        if (rk_db_open(paths.db, key, false, &db, &err))
            stress_die("open", &err);
        long long rows = scalar(db, "SELECT count(*) FROM audit");
        int rc = exec_sql(db, "DROP TRIGGER audit_no_update; DROP TRIGGER audit_no_delete;"
                              " DROP TRIGGER audit_no_replace") == SQLITE_OK ? mutate(db, kind, rows) : -1;
        rk_db_close(db);
        if (rc != 0) {
            setup_fail++;
            continue;
        }
        tried[kind]++;
        int v = run_verify(rk, paths.dir, kind == TAIL ? head : NULL, msg, sizeof msg);
        if (v == 1)
            detected[kind]++;
        else if (v < 0)
            other[kind]++, fprintf(stderr, "%s (trial %d): verify failed otherwise: %s\n", kind_name[kind], i, msg);
        else
            fprintf(stderr, "NOT DETECTED (%s, trial %d, seed %llu)\n", kind_name[kind], i,
                    (unsigned long long)seed);
    }

    long long all = 0, found = 0;
    printf("tamper_audit: registry with %lld audit rows, seed %llu, each mutation on a fresh copy,"
           " checked with `rekisteri audit verify`\n", chain_rows, (unsigned long long)seed);
    for (int k = 0; k < KINDS; k++) {
        printf("  %-32s tried %5lld  detected %5lld  other failure %lld\n", kind_name[k], tried[k],
               detected[k], other[k]);
        all += tried[k];
        found += detected[k];
    }
    printf("tamper_audit: %lld mutations, %lld detected = %.2f %%; %lld undetected;"
           " controls %d, failed %d; mutations that could not be applied %d\n",
           all, found, all ? 100.0 * (double)found / (double)all : 0.0, all - found, controls,
           control_fail, setup_fail);
    printf("tamper_audit: tail truncations detected against the chain head kept outside"
           " (audit verify --head): %lld of %lld\n", detected[TAIL], tried[TAIL]);
    rk_secure_free(key);
    stress_rm_tree(root);
    return (found == all && control_fail == 0 && all > 0) ? 0 : 1;
}
