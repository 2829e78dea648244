/* src/audit.c and db/db_audit.c: the hash chain, its verification against
 * every kind of tampering, the append-only triggers and the helpers. */
#include <check.h>
#include <ftw.h>
#include <sodium.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "audit.h"
#include "db.h"

static char root_dir[256];
static pid_t root_pid;
static char dir[320];
static char dbpath[400];
static unsigned char dbkey[RK_KEY_BYTES];
static unsigned char akey[RK_KEY_BYTES];

static int rm_entry(const char *p, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb; (void)flag; (void)ftw;
    return remove(p);
}

static void rm_tree(const char *p)
{
    if (*p)
        nftw(p, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

static void remove_root(void)
{
    if (getpid() == root_pid)
        rm_tree(root_dir);
}

static void setup(void)
{
    snprintf(dir, sizeof dir, "%s/t-XXXXXX", root_dir);
    ck_assert_ptr_nonnull(mkdtemp(dir));
    snprintf(dbpath, sizeof dbpath, "%s/reg.db", dir);
    for (int i = 0; i < RK_KEY_BYTES; i++)
        dbkey[i] = (unsigned char)(0xA5 ^ i);
    rk_audit_derive_key(dbkey, akey);
}

static void teardown(void)
{
    rm_tree(dir);
}

/* A fresh database in its own file (name) with n audit rows. Row 5 (when
 * present) has client 7 so client_id is a real value there. */
static rk_db *chain(const char *name, int n)
{
    snprintf(dbpath, sizeof dbpath, "%s/%s.db", dir, name);
    rk_db *db = NULL;
    rk_err err = { 0 };
    ck_assert_msg(rk_db_open(dbpath, dbkey, true, &db, &err) == RK_OK, "%s", err.msg);
    ck_assert_int_eq(rk_db_begin(db, &err), RK_OK);
    for (int i = 1; i <= n; i++) {
        char ts[32], details[64], user[16];
        snprintf(ts, sizeof ts, "2026-11-22T05:%02d:16Z", i);
        snprintf(details, sizeof details, "event %d", i);
        snprintf(user, sizeof user, "user%d", i % 3);
        int rc = rk_audit_append(db, akey, ts, user,
                                 (rk_audit_action)(i % RK_AUDIT_ACTION_COUNT),
                                 i == 5 ? 7 : 0, details, "ssh 10.0.0.5 51234", &err);
        ck_assert_msg(rc == RK_OK, "append %d: %s", i, err.msg);
    }
    ck_assert_int_eq(rk_db_commit(db, &err), RK_OK);
    return db;
}

static void exec_ok(rk_db *db, const char *sql)
{
    char *msg = NULL;
    int rc = sqlite3_exec(rk_db_handle(db), sql, NULL, NULL, &msg);
    ck_assert_msg(rc == SQLITE_OK, "%s: %s", sql, msg ? msg : "?");
    sqlite3_free(msg);
}

/* What an attacker with the key to the file (but not to the chain) could do. */
static void drop_triggers(rk_db *db)
{
    exec_ok(db, "DROP TRIGGER audit_no_update; DROP TRIGGER audit_no_delete; "
                "DROP TRIGGER audit_no_replace");
}

static void expect_bad(rk_db *db, int64_t want_bad, const char *want_words)
{
    int64_t rows = -1, bad = -1;
    rk_err err = { 0 };
    int rc = rk_audit_verify(db, akey, &rows, &bad, &err);
    ck_assert_msg(rc == RK_EFAIL, "tampering not detected (want row %lld)", (long long)want_bad);
    ck_assert_msg(bad == want_bad, "first_bad %lld, want %lld: %s", (long long)bad,
                  (long long)want_bad, err.msg);
    ck_assert_msg(strstr(err.msg, want_words) != NULL, "message \"%s\" lacks \"%s\"", err.msg,
                  want_words);
    char num[32];
    snprintf(num, sizeof num, "row %lld", (long long)want_bad);
    ck_assert_msg(strstr(err.msg, num) != NULL, "message \"%s\" lacks \"%s\"", err.msg, num);
}

static void expect_ok(rk_db *db, int64_t want_rows)
{
    int64_t rows = -1, bad = -1;
    rk_err err = { 0 };
    ck_assert_msg(rk_audit_verify(db, akey, &rows, &bad, &err) == RK_OK, "%s", err.msg);
    ck_assert_int_eq(rows, want_rows);
    ck_assert_int_eq(bad, 0);
}

/* ---- helpers ---- */

START_TEST(test_action_names)
{
    ck_assert_str_eq(rk_audit_action_name(RK_AUDIT_LOGIN), "login");
    ck_assert_str_eq(rk_audit_action_name(RK_AUDIT_REGISTRY_CREATED), "registry_created");
    ck_assert_str_eq(rk_audit_action_name(RK_AUDIT_AUDIT_VERIFIED), "audit_verified");
    ck_assert_str_eq(rk_audit_action_name(RK_AUDIT_ACTION_COUNT), "?");
    ck_assert_str_eq(rk_audit_action_name((rk_audit_action)-1), "?");
    ck_assert_str_eq(rk_audit_action_description("login"), "Logged in");
    ck_assert_str_eq(rk_audit_action_description("config_changed"), "Setting changed");
    ck_assert_str_eq(rk_audit_action_description("from_the_future"), "from_the_future");
    ck_assert_str_eq(rk_audit_action_description(NULL), "?");
    for (int a = 0; a < RK_AUDIT_ACTION_COUNT; a++)
        ck_assert_str_ne(rk_audit_action_description(rk_audit_action_name((rk_audit_action)a)),
                         rk_audit_action_name((rk_audit_action)a));
}
END_TEST

START_TEST(test_derive_key)
{
    unsigned char k1[RK_KEY_BYTES], k2[RK_KEY_BYTES], other[RK_KEY_BYTES], k3[RK_KEY_BYTES];
    rk_audit_derive_key(dbkey, k1);
    rk_audit_derive_key(dbkey, k2);
    ck_assert_mem_eq(k1, k2, RK_KEY_BYTES);
    ck_assert(memcmp(k1, dbkey, RK_KEY_BYTES) != 0);
    /* the documented derivation, so another tool can recompute it */
    crypto_kdf_derive_from_key(k3, RK_KEY_BYTES, 1, "rkaudit_", dbkey);
    ck_assert_mem_eq(k1, k3, RK_KEY_BYTES);
    memcpy(other, dbkey, RK_KEY_BYTES);
    other[0] ^= 1;
    rk_audit_derive_key(other, k2);
    ck_assert(memcmp(k1, k2, RK_KEY_BYTES) != 0);
}
END_TEST

static rk_audit_row sample_row(void)
{
    rk_audit_row r;
    memset(&r, 0, sizeof r);
    r.seq = 3;
    snprintf(r.ts, sizeof r.ts, "2026-11-22T05:32:16Z");
    snprintf(r.user, sizeof r.user, "ab");
    snprintf(r.action, sizeof r.action, "c");
    r.client_id = 9;
    snprintf(r.details, sizeof r.details, "d");
    snprintf(r.terminal, sizeof r.terminal, "local");
    memset(r.prev_hash, 0x11, sizeof r.prev_hash);
    memset(r.hash, 0x22, sizeof r.hash);
    return r;
}

START_TEST(test_row_hash_covers_fields)
{
    rk_audit_row r = sample_row(), m;
    unsigned char h0[RK_AUDIT_HASH_BYTES], h[RK_AUDIT_HASH_BYTES];
    rk_audit_row_hash(akey, &r, h0);

    /* hash itself is not an input */
    m = r;
    memset(m.hash, 0x33, sizeof m.hash);
    rk_audit_row_hash(akey, &m, h);
    ck_assert_mem_eq(h, h0, sizeof h);

#define CHANGED(stmt)                                           \
    do {                                                        \
        m = r;                                                  \
        stmt;                                                   \
        rk_audit_row_hash(akey, &m, h);                         \
        ck_assert_msg(memcmp(h, h0, sizeof h) != 0, #stmt);     \
    } while (0)
    CHANGED(m.seq = 4);
    CHANGED(m.ts[0] = '3');
    CHANGED(m.user[1] = 'x');
    CHANGED(m.action[0] = 'x');
    CHANGED(m.client_id = 0);
    CHANGED(m.details[0] = '\0');
    CHANGED(m.terminal[0] = 'L');
    CHANGED(m.prev_hash[31] ^= 1);
    /* field boundaries are part of the input: "ab"+"c" != "a"+"bc" */
    CHANGED((snprintf(m.user, sizeof m.user, "a"), snprintf(m.action, sizeof m.action, "bc")));
#undef CHANGED

    unsigned char otherkey[RK_KEY_BYTES];
    memcpy(otherkey, akey, sizeof otherkey);
    otherkey[5] ^= 0x80;
    rk_audit_row_hash(otherkey, &r, h);
    ck_assert(memcmp(h, h0, sizeof h) != 0);
}
END_TEST

START_TEST(test_now_iso)
{
    char buf[32];
    const char *s = rk_now_iso(buf);
    ck_assert_ptr_eq(s, buf);
    ck_assert_int_eq(strlen(buf), 20);
    int y, mo, d, h, mi, se;
    char z = 0;
    ck_assert_int_eq(sscanf(buf, "%4d-%2d-%2dT%2d:%2d:%2d%c", &y, &mo, &d, &h, &mi, &se, &z), 7);
    ck_assert_int_eq(z, 'Z');
    ck_assert_int_ge(y, 2024);
    ck_assert(mo >= 1 && mo <= 12 && d >= 1 && d <= 31 && h < 24 && mi < 60 && se <= 60);
}
END_TEST

static void assert_one_token_line(const char *s)
{
    for (const char *p = s; *p; p++)
        ck_assert_msg((unsigned char)*p >= 0x20 && (unsigned char)*p < 0x7f,
                      "control byte in \"%s\"", s);
}

START_TEST(test_terminal)
{
    char buf[128];
    setenv("SSH_CONNECTION", "10.0.0.5 51234 10.0.0.1 22", 1);
    ck_assert_str_eq(rk_audit_terminal(buf, sizeof buf), "ssh 10.0.0.5 51234");
    setenv("SSH_CONNECTION", "fe80::1%eth0 2222 fe80::2 22", 1);
    ck_assert_str_eq(rk_audit_terminal(buf, sizeof buf), "ssh fe80::1%eth0 2222");
    setenv("SSH_CONNECTION", "\t10.0.0.5\t51234 10.0.0.1 22\n", 1);
    ck_assert_str_eq(rk_audit_terminal(buf, sizeof buf), "ssh 10.0.0.5 51234");
    /* hostile values: a bad port is dropped, a bad address ignores the variable */
    setenv("SSH_CONNECTION", "10.0.0.5\n\033[31m\t51234\r 10.0.0.1 22", 1);
    ck_assert_str_eq(rk_audit_terminal(buf, sizeof buf), "ssh 10.0.0.5");
    setenv("SSH_CONNECTION", "10.0.0.5\033[2J 22 1 2", 1);
    rk_audit_terminal(buf, sizeof buf);
    assert_one_token_line(buf);
    ck_assert_ptr_null(strstr(buf, "ssh"));
    char small[8];
    setenv("SSH_CONNECTION", "192.168.100.200 65535 1 2", 1);
    rk_audit_terminal(small, sizeof small);
    ck_assert_str_eq(small, "ssh 192");
    unsetenv("SSH_CONNECTION");
    rk_audit_terminal(buf, sizeof buf);
    ck_assert_uint_gt(strlen(buf), 0);
    assert_one_token_line(buf);
    ck_assert_ptr_null(strchr(buf, ' '));
    ck_assert(strcmp(buf, "local") == 0 || strncmp(buf, "/dev/", 5) == 0);
}
END_TEST

/* ---- the chain ---- */

struct collect {
    rk_audit_row rows[16];
    int n;
};

static int collect_cb(void *ctx, const rk_audit_row *row)
{
    struct collect *c = ctx;
    if (c->n < 16)
        c->rows[c->n++] = *row;
    return 0;
}

START_TEST(test_append_and_verify)
{
    rk_db *db = chain("ok", 10);
    expect_ok(db, 10);

    struct collect c = { .n = 0 };
    rk_err err = { 0 };
    ck_assert_int_eq(rk_dba_each(db, 1, collect_cb, &c, &err), RK_OK);
    ck_assert_int_eq(c.n, 10);
    unsigned char zero[RK_AUDIT_HASH_BYTES] = { 0 };
    ck_assert_mem_eq(c.rows[0].prev_hash, zero, sizeof zero);
    for (int i = 0; i < 10; i++) {
        ck_assert_int_eq(c.rows[i].seq, i + 1);
        if (i)
            ck_assert_mem_eq(c.rows[i].prev_hash, c.rows[i - 1].hash, RK_AUDIT_HASH_BYTES);
        unsigned char h[RK_AUDIT_HASH_BYTES];
        rk_audit_row_hash(akey, &c.rows[i], h);
        ck_assert_mem_eq(h, c.rows[i].hash, sizeof h);
    }
    ck_assert_str_eq(c.rows[4].details, "event 5");
    ck_assert_int_eq(c.rows[4].client_id, 7);
    ck_assert_int_eq(c.rows[3].client_id, 0);
    ck_assert_str_eq(c.rows[0].action, rk_audit_action_name(RK_AUDIT_LOGIN));

    int64_t last = 0, n = 0;
    unsigned char h[RK_AUDIT_HASH_BYTES];
    ck_assert_int_eq(rk_dba_last(db, &last, h, &err), RK_OK);
    ck_assert_int_eq(last, 10);
    ck_assert_mem_eq(h, c.rows[9].hash, sizeof h);
    ck_assert_int_eq(rk_dba_count(db, &n, &err), RK_OK);
    ck_assert_int_eq(n, 10);

    c.n = 0;
    ck_assert_int_eq(rk_dba_each(db, 8, collect_cb, &c, &err), RK_OK);
    ck_assert_int_eq(c.n, 3);
    ck_assert_int_eq(c.rows[0].seq, 8);

    /* the chain survives closing and reopening */
    rk_db_close(db);
    db = NULL;
    ck_assert_int_eq(rk_db_open(dbpath, dbkey, false, &db, &err), RK_OK);
    expect_ok(db, 10);
    rk_db_close(db);
}
END_TEST

START_TEST(test_empty_chain_verifies)
{
    rk_db *db = chain("empty", 0);
    expect_ok(db, 0);
    int64_t last = -1;
    unsigned char h[RK_AUDIT_HASH_BYTES];
    memset(h, 0xff, sizeof h);
    rk_err err = { 0 };
    ck_assert_int_eq(rk_dba_last(db, &last, h, &err), RK_OK);
    ck_assert_int_eq(last, 0);
    unsigned char zero[RK_AUDIT_HASH_BYTES] = { 0 };
    ck_assert_mem_eq(h, zero, sizeof h);
    rk_db_close(db);
}
END_TEST

START_TEST(test_append_defaults_and_limits)
{
    rk_db *db = chain("defaults", 0);
    rk_err err = { 0 };
    unsetenv("SSH_CONNECTION");
    ck_assert_int_eq(rk_db_begin(db, &err), RK_OK);
    ck_assert_int_eq(rk_audit_append(db, akey, NULL, "maija", RK_AUDIT_LOGOUT, 0, NULL, NULL, &err),
                     RK_OK);
    char big[600];
    memset(big, 'x', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    ck_assert_int_eq(rk_audit_append(db, akey, NULL, "maija", RK_AUDIT_LOGOUT, 0, big, NULL, &err),
                     RK_EFAIL);
    ck_assert_int_eq(rk_audit_append(db, akey, NULL, "maija", RK_AUDIT_ACTION_COUNT, 0, "", NULL,
                                     &err), RK_EFAIL);
    ck_assert_int_eq(rk_db_commit(db, &err), RK_OK);

    struct collect c = { .n = 0 };
    ck_assert_int_eq(rk_dba_each(db, 1, collect_cb, &c, &err), RK_OK);
    ck_assert_int_eq(c.n, 1);
    ck_assert_int_eq(strlen(c.rows[0].ts), 20);
    ck_assert_uint_gt(strlen(c.rows[0].terminal), 0);
    ck_assert_str_eq(c.rows[0].details, "");
    ck_assert_str_eq(c.rows[0].action, "logout");
    expect_ok(db, 1);
    rk_db_close(db);
}
END_TEST

START_TEST(test_append_needs_transaction)
{
    rk_db *db = chain("notx", 0);
    rk_err err = { 0 };
    ck_assert_int_eq(rk_audit_append(db, akey, NULL, "u", RK_AUDIT_LOGIN, 0, "", "t", &err),
                     RK_EFAIL);
    ck_assert_ptr_nonnull(strstr(err.msg, "transaction"));
    int64_t n = -1;
    ck_assert_int_eq(rk_dba_count(db, &n, &err), RK_OK);
    ck_assert_int_eq(n, 0);
    rk_db_close(db);
}
END_TEST

START_TEST(test_rollback_leaves_no_row)
{
    rk_db *db = chain("rollback", 3);
    rk_err err = { 0 };
    ck_assert_int_eq(rk_db_begin(db, &err), RK_OK);
    ck_assert_int_eq(rk_audit_append(db, akey, NULL, "u", RK_AUDIT_USER_ADDED, 0, "x", "t", &err),
                     RK_OK);
    rk_db_rollback(db);
    int64_t n = -1;
    ck_assert_int_eq(rk_dba_count(db, &n, &err), RK_OK);
    ck_assert_int_eq(n, 3);
    /* the next append continues from row 3 as if nothing happened */
    ck_assert_int_eq(rk_db_begin(db, &err), RK_OK);
    ck_assert_int_eq(rk_audit_append(db, akey, NULL, "u", RK_AUDIT_LOGOUT, 0, "", "t", &err),
                     RK_OK);
    ck_assert_int_eq(rk_db_commit(db, &err), RK_OK);
    int64_t last = 0;
    unsigned char h[RK_AUDIT_HASH_BYTES];
    ck_assert_int_eq(rk_dba_last(db, &last, h, &err), RK_OK);
    ck_assert_int_eq(last, 4);
    expect_ok(db, 4);
    rk_db_close(db);
}
END_TEST

START_TEST(test_triggers_refuse_changes)
{
    rk_db *db = chain("triggers", 3);
    sqlite3 *h = rk_db_handle(db);
    ck_assert_int_ne(sqlite3_exec(h, "UPDATE audit SET details = 'x' WHERE seq = 2", NULL, NULL,
                                  NULL), SQLITE_OK);
    ck_assert_ptr_nonnull(strstr(sqlite3_errmsg(h), "audit rows cannot be changed"));
    ck_assert_int_ne(sqlite3_exec(h, "DELETE FROM audit WHERE seq = 2", NULL, NULL, NULL),
                     SQLITE_OK);
    ck_assert_ptr_nonnull(strstr(sqlite3_errmsg(h), "audit rows cannot be deleted"));
    ck_assert_int_ne(sqlite3_exec(h, "DELETE FROM audit", NULL, NULL, NULL), SQLITE_OK);
    /* REPLACE would delete the old row without firing the DELETE trigger */
    ck_assert_int_ne(sqlite3_exec(h,
                                  "INSERT OR REPLACE INTO audit SELECT seq, ts, user, action, "
                                  "client_id, 'forged', terminal, prev_hash, hash FROM audit "
                                  "WHERE seq = 1", NULL, NULL, NULL), SQLITE_OK);
    ck_assert_ptr_nonnull(strstr(sqlite3_errmsg(h), "audit rows cannot be replaced"));
    ck_assert_int_ne(sqlite3_exec(h, "UPDATE OR REPLACE audit SET seq = 1 WHERE seq = 2", NULL,
                                  NULL, NULL), SQLITE_OK);
    rk_err err = { 0 };
    int64_t n = -1;
    ck_assert_int_eq(rk_dba_count(db, &n, &err), RK_OK);
    ck_assert_int_eq(n, 3);
    expect_ok(db, 3);
    rk_db_close(db);
}
END_TEST

START_TEST(test_wrong_audit_key)
{
    rk_db *db = chain("wrongkey", 4);
    akey[0] ^= 1;
    expect_bad(db, 1, "edited");
    rk_db_close(db);
}
END_TEST

/* Each column of row 5 edited in turn, each in a fresh chain. */
START_TEST(test_detect_edited_field)
{
    static const struct {
        const char *name, *sql;
    } edits[] = {
        { "ts", "UPDATE audit SET ts = '2026-11-22T05:05:17Z' WHERE seq = 5" },
        { "user", "UPDATE audit SET user = 'user9' WHERE seq = 5" },
        { "action", "UPDATE audit SET action = 'logout' WHERE seq = 5" },
        { "client_id", "UPDATE audit SET client_id = 8 WHERE seq = 5" },
        { "client_id_null", "UPDATE audit SET client_id = NULL WHERE seq = 5" },
        { "details", "UPDATE audit SET details = 'event 5 ' WHERE seq = 5" },
        { "terminal", "UPDATE audit SET terminal = 'local' WHERE seq = 5" },
        { "prev_hash", "UPDATE audit SET prev_hash = (SELECT hash FROM audit WHERE seq = 3) WHERE seq = 5" },
        { "hash", "UPDATE audit SET hash = zeroblob(32) WHERE seq = 5" },
        { "hash_short", "UPDATE audit SET hash = substr(hash, 1, 31) WHERE seq = 5" },
        { "details_long", "UPDATE audit SET details = 'event 5' || hex(zeroblob(300)) WHERE seq = 5" },
        /* a NUL would cut the field back to its old value in the C struct */
        { "user_nul", "UPDATE audit SET user = CAST(user || x'00' || 'evil' AS TEXT) WHERE seq = 5" },
        { "ts_type", "UPDATE audit SET ts = 20261122 WHERE seq = 5" },
    };
    for (size_t i = 0; i < RK_ARRAY_LEN(edits); i++) {
        rk_db *db = chain(edits[i].name, 10);
        drop_triggers(db);
        exec_ok(db, edits[i].sql);
        ck_assert_int_eq(sqlite3_changes(rk_db_handle(db)), 1);
        expect_bad(db, 5, "edited");
        rk_db_close(db);
    }
}
END_TEST

START_TEST(test_detect_edited_seq)
{
    /* row 5 moved to the end: row 6 finds its predecessor missing */
    rk_db *db = chain("seq", 10);
    drop_triggers(db);
    exec_ok(db, "UPDATE audit SET seq = 100 WHERE seq = 5");
    expect_bad(db, 6, "row 5 before it is missing");
    rk_db_close(db);
}
END_TEST

START_TEST(test_detect_deleted_middle)
{
    rk_db *db = chain("delmid", 10);
    drop_triggers(db);
    exec_ok(db, "DELETE FROM audit WHERE seq = 5");
    expect_bad(db, 6, "missing");
    rk_db_close(db);

    db = chain("delmid3", 10);
    drop_triggers(db);
    exec_ok(db, "DELETE FROM audit WHERE seq BETWEEN 4 AND 6");
    expect_bad(db, 7, "rows 4 to 6 before it are missing");
    rk_db_close(db);
}
END_TEST

START_TEST(test_detect_deleted_first)
{
    rk_db *db = chain("delfirst", 10);
    drop_triggers(db);
    exec_ok(db, "DELETE FROM audit WHERE seq = 1");
    expect_bad(db, 2, "row 1 before it is missing");
    rk_db_close(db);
}
END_TEST

/* Rows 3 and 4 exchange everything but their position. */
START_TEST(test_detect_swapped)
{
    rk_db *db = chain("swap", 10);
    drop_triggers(db);
    exec_ok(db,
            "CREATE TEMP TABLE t AS SELECT * FROM audit WHERE seq IN (3, 4);"
            "UPDATE audit SET (ts, user, action, client_id, details, terminal, prev_hash, hash) = "
            "  (SELECT ts, user, action, client_id, details, terminal, prev_hash, hash FROM t "
            "   WHERE t.seq = 7 - audit.seq) WHERE seq IN (3, 4);"
            "DROP TABLE t;");
    expect_bad(db, 3, "written as row 4");
    rk_db_close(db);
}
END_TEST

/* A row deleted and the later ones renumbered to close the gap. */
START_TEST(test_detect_deleted_and_renumbered)
{
    rk_db *db = chain("renumber", 10);
    drop_triggers(db);
    exec_ok(db, "DELETE FROM audit WHERE seq = 5");
    for (int s = 6; s <= 10; s++) {
        char sql[64];
        snprintf(sql, sizeof sql, "UPDATE audit SET seq = %d WHERE seq = %d", s - 1, s);
        exec_ok(db, sql);
    }
    expect_bad(db, 5, "written as row 6");
    rk_db_close(db);
}
END_TEST

static int find_row8(void *ctx, const rk_audit_row *row)
{
    if (row->seq == 8) {
        *(rk_audit_row *)ctx = *row;
        return 1;
    }
    return 0;
}

/* Row 8 taken from a copy of the registry that diverged after row 5: it is
 * validly hashed under the same key and seq, but does not link to row 7. */
START_TEST(test_detect_row_from_diverged_copy)
{
    rk_db *other = chain("branch", 5);
    rk_err err = { 0 };
    ck_assert_int_eq(rk_db_begin(other, &err), RK_OK);
    for (int i = 6; i <= 10; i++)
        ck_assert_int_eq(rk_audit_append(other, akey, NULL, "branch", RK_AUDIT_LOGIN, 0, "", "t",
                                         &err), RK_OK);
    ck_assert_int_eq(rk_db_commit(other, &err), RK_OK);
    rk_audit_row r8;
    memset(&r8, 0, sizeof r8);
    ck_assert_int_eq(rk_dba_each(other, 1, find_row8, &r8, &err), 1);
    rk_db_close(other);

    rk_db *db = chain("main", 10);
    drop_triggers(db);
    exec_ok(db, "DELETE FROM audit WHERE seq = 8");
    ck_assert_int_eq(rk_db_begin(db, &err), RK_OK);
    ck_assert_int_eq(rk_dba_insert(db, &r8, &err), RK_OK);
    ck_assert_int_eq(rk_db_commit(db, &err), RK_OK);
    expect_bad(db, 8, "does not follow row 7");
    rk_db_close(db);
}
END_TEST

/* A forged row inserted at the end without the audit key. */
START_TEST(test_detect_forged_append)
{
    rk_db *db = chain("forged", 4);
    unsigned char wrong[RK_KEY_BYTES];
    memset(wrong, 0x42, sizeof wrong);
    rk_err err = { 0 };
    ck_assert_int_eq(rk_db_begin(db, &err), RK_OK);
    ck_assert_int_eq(rk_audit_append(db, wrong, NULL, "mallory", RK_AUDIT_LOGIN, 0, "", "t", &err),
                     RK_OK);
    ck_assert_int_eq(rk_db_commit(db, &err), RK_OK);
    expect_bad(db, 5, "edited");
    rk_db_close(db);
}
END_TEST

Suite *test_suite(void)
{
    if (!root_dir[0]) {
        const char *tmp = getenv("TMPDIR");
        snprintf(root_dir, sizeof root_dir, "%s/rk-test-audit-XXXXXX",
                 tmp && *tmp ? tmp : "/tmp");
        if (!mkdtemp(root_dir)) {
            perror("mkdtemp");
            exit(1);
        }
        root_pid = getpid();
        atexit(remove_root);
    }
    Suite *s = suite_create("audit");
    TCase *tc = tcase_create("helpers");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_action_names);
    tcase_add_test(tc, test_derive_key);
    tcase_add_test(tc, test_row_hash_covers_fields);
    tcase_add_test(tc, test_now_iso);
    tcase_add_test(tc, test_terminal);
    suite_add_tcase(s, tc);

    tc = tcase_create("chain");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_append_and_verify);
    tcase_add_test(tc, test_empty_chain_verifies);
    tcase_add_test(tc, test_append_defaults_and_limits);
    tcase_add_test(tc, test_append_needs_transaction);
    tcase_add_test(tc, test_rollback_leaves_no_row);
    tcase_add_test(tc, test_triggers_refuse_changes);
    tcase_add_test(tc, test_wrong_audit_key);
    suite_add_tcase(s, tc);

    tc = tcase_create("tampering");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_detect_edited_field);
    tcase_add_test(tc, test_detect_edited_seq);
    tcase_add_test(tc, test_detect_deleted_middle);
    tcase_add_test(tc, test_detect_deleted_first);
    tcase_add_test(tc, test_detect_swapped);
    tcase_add_test(tc, test_detect_deleted_and_renumbered);
    tcase_add_test(tc, test_detect_forged_append);
    tcase_add_test(tc, test_detect_row_from_diverged_copy);
    suite_add_tcase(s, tc);
    return s;
}
