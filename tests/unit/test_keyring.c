/* keyring.c against real files: unlock, every kind of tampering, slot
 * changes, key rotation, file modes and locking. The "min" Argon2id preset
 * keeps each unlock to microseconds. */
#include <check.h>
#include <dirent.h>
#include <fcntl.h>
#include <ftw.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "fixture.h"
#include "keyring.h"
#include "secure.h"

#define ALICE_PW "correct horse"
#define BOBBY_PW "battery staple"

/* Layout facts from keyring.h, written out independently of keyring.c. */
enum { HEADER = 28, SLOT_FIXED = 218, MAC = 32 };

/* One directory per test case, made and removed by the parent process so
 * that a failed test leaves nothing behind; one subdirectory per test. */
static char g_root[64];
static char g_dir[96];
static char g_path[128];

static void make_root(void)
{
    snprintf(g_root, sizeof g_root, "/tmp/rk-keyring-test-XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(g_root));
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st, (void)flag, (void)ftw;
    return remove(path);
}

static void remove_root(void)
{
    nftw(g_root, remove_entry, 8, FTW_DEPTH | FTW_PHYS);
}

static void setup(void)
{
    snprintf(g_dir, sizeof g_dir, "%s/t-XXXXXX", g_root);
    ck_assert_ptr_nonnull(mkdtemp(g_dir));
    snprintf(g_path, sizeof g_path, "%s/keyring", g_dir);
}

static rk_kdf_params kdf_min(void)
{
    rk_kdf_params p;
    ck_assert(rk_kdf_preset("min", &p));
    return p;
}

/* alice (created) and bobby (added), same name length so tests can swap. */
static void make2(unsigned char key[RK_KEY_BYTES])
{
    rk_err err;
    rk_kdf_params kdf = kdf_min();
    ck_assert_int_eq(rk_keyring_create(g_path, "alice", ALICE_PW, &kdf, key, &err), RK_OK);
    ck_assert_int_eq(rk_keyring_set_slot(g_path, key, "bobby", BOBBY_PW, &kdf, &err), RK_OK);
}


/* Recomputes the trailer as someone holding the database key could, so a
 * test can show that the per-slot AD refuses an edit on its own. */
static void remac(unsigned char *buf, size_t len, const unsigned char key[RK_KEY_BYTES])
{
    unsigned char sub[32];
    crypto_kdf_derive_from_key(sub, sizeof sub, 1, "rkkeyrng", key);
    crypto_generichash(buf + len - MAC, MAC, buf, len - MAC, sub, sizeof sub);
}

static size_t slot_off(const unsigned char *buf, size_t i)
{
    size_t off = HEADER;
    while (i-- > 0)
        off += SLOT_FIXED + buf[off];
    return off;
}

static void put_u64(unsigned char *p, uint64_t v)
{
    for (int i = 0; i < 8; i++)
        p[i] = (unsigned char)(v >> (8 * i));
}

static int unlock(const char *user, const char *pw, unsigned char key[RK_KEY_BYTES], rk_err *err)
{
    return rk_keyring_unlock(g_path, user, pw, key, err);
}

static void assert_unlocks_to(const char *user, const char *pw, const unsigned char *want)
{
    unsigned char got[RK_KEY_BYTES];
    rk_err err;
    int rc = unlock(user, pw, got, &err);
    ck_assert_msg(rc == RK_OK, "%s: %s", user, err.msg);
    ck_assert_mem_eq(got, want, RK_KEY_BYTES);
}

/* Refused, and the output key left untouched. */
static int assert_refused(const char *user, const char *pw)
{
    unsigned char got[RK_KEY_BYTES];
    memset(got, 0xAA, sizeof got);
    rk_err err;
    int rc = unlock(user, pw, got, &err);
    ck_assert_msg(rc == RK_EAUTH || rc == RK_EFAIL, "%s: rc %d (%s)", user, rc, err.msg);
    for (size_t i = 0; i < sizeof got; i++)
        ck_assert_int_eq(got[i], 0xAA);
    return rc;
}

START_TEST(test_create_and_unlock)
{
    unsigned char key[RK_KEY_BYTES], zero[RK_KEY_BYTES] = { 0 };
    rk_err err;
    rk_kdf_params kdf = kdf_min();
    ck_assert_int_eq(rk_keyring_create(g_path, "alice", ALICE_PW, &kdf, key, &err), RK_OK);
    ck_assert_mem_ne(key, zero, RK_KEY_BYTES);
    assert_unlocks_to("alice", ALICE_PW, key);

    /* A second create must not replace the first keyring. */
    unsigned char key2[RK_KEY_BYTES];
    ck_assert_int_eq(rk_keyring_create(g_path, "alice", "other", &kdf, key2, &err), RK_EFAIL);
    ck_assert_ptr_nonnull(strstr(err.msg, "already exists"));
    ck_assert_ptr_nonnull(strstr(err.msg, g_path));
    assert_unlocks_to("alice", ALICE_PW, key);
}
END_TEST

START_TEST(test_two_keyrings_have_different_keys)
{
    unsigned char k1[RK_KEY_BYTES], k2[RK_KEY_BYTES];
    rk_err err;
    rk_kdf_params kdf = kdf_min();
    ck_assert_int_eq(rk_keyring_create(g_path, "alice", ALICE_PW, &kdf, k1, &err), RK_OK);
    unlink(g_path);
    ck_assert_int_eq(rk_keyring_create(g_path, "alice", ALICE_PW, &kdf, k2, &err), RK_OK);
    ck_assert_mem_ne(k1, k2, RK_KEY_BYTES);
}
END_TEST

START_TEST(test_wrong_password_and_unknown_user)
{
    unsigned char key[RK_KEY_BYTES];
    make2(key);
    rk_err e1, e2, e3;
    unsigned char out[RK_KEY_BYTES];
    ck_assert_int_eq(unlock("alice", BOBBY_PW, out, &e1), RK_EAUTH);
    ck_assert_int_eq(unlock("carol", ALICE_PW, out, &e2), RK_EAUTH);
    ck_assert_int_eq(unlock("Not valid!", ALICE_PW, out, &e3), RK_EAUTH);
    ck_assert_str_eq(e1.msg, "Wrong username or password.");
    ck_assert_str_eq(e2.msg, e1.msg);   /* nothing tells which one was wrong */
    ck_assert_str_eq(e3.msg, e1.msg);
    ck_assert_int_eq(unlock("alice", "", out, &e1), RK_EAUTH);
    ck_assert_int_eq(unlock("alice", NULL, out, &e1), RK_EAUTH);
    assert_refused("alice", "correct horsE");
    assert_unlocks_to("bobby", BOBBY_PW, key);
}
END_TEST

START_TEST(test_every_byte_flipped)
{
    unsigned char key[RK_KEY_BYTES];
    make2(key);
    size_t len;
    unsigned char *orig = fix_slurp(g_path, &len);
    ck_assert_uint_eq(len, HEADER + 2 * (SLOT_FIXED + 5) + MAC);
    unsigned char *buf = malloc(len);
    ck_assert_ptr_nonnull(buf);
    static const unsigned char masks[] = { 0x01, 0x80 };
    size_t refused = 0;
    for (size_t off = 0; off < len; off++) {
        for (size_t m = 0; m < sizeof masks; m++) {
            memcpy(buf, orig, len);
            buf[off] ^= masks[m];
            fix_spit(g_path, buf, len);
            assert_refused("alice", ALICE_PW);
            assert_refused("bobby", BOBBY_PW);
            rk_err err;
            ck_assert_msg(rk_keyring_verify(g_path, key, &err) != RK_OK, "verify at %zu", off);
            refused += 2;
        }
    }
    ck_assert_uint_eq(refused, 4 * len);
    /* The loop was not vacuous: the untouched file still opens. */
    fix_spit(g_path, orig, len);
    assert_unlocks_to("alice", ALICE_PW, key);
    assert_unlocks_to("bobby", BOBBY_PW, key);
    free(buf);
    free(orig);
}
END_TEST

START_TEST(test_trailer_damage_message)
{
    unsigned char key[RK_KEY_BYTES];
    make2(key);
    size_t len;
    unsigned char *buf = fix_slurp(g_path, &len);
    buf[len - 1] ^= 1;
    fix_spit(g_path, buf, len);
    unsigned char out[RK_KEY_BYTES];
    rk_err err;
    ck_assert_int_eq(unlock("alice", ALICE_PW, out, &err), RK_EFAIL);
    char want[256];
    snprintf(want, sizeof want, "The keyring %s is damaged or has been tampered with.", g_path);
    ck_assert_str_eq(err.msg, want);
    free(buf);
}
END_TEST

START_TEST(test_usernames_swapped)
{
    unsigned char key[RK_KEY_BYTES];
    make2(key);
    size_t len;
    unsigned char *buf = fix_slurp(g_path, &len);
    size_t a = slot_off(buf, 0) + 1, b = slot_off(buf, 1) + 1;
    ck_assert_mem_eq(buf + a, "alice", 5);
    ck_assert_mem_eq(buf + b, "bobby", 5);

    /* The re-MACed but otherwise untouched file opens: remac() is right. */
    remac(buf, len, key);
    fix_spit(g_path, buf, len);
    assert_unlocks_to("alice", ALICE_PW, key);

    memcpy(buf + a, "bobby", 5);
    memcpy(buf + b, "alice", 5);
    fix_spit(g_path, buf, len);
    assert_refused("alice", BOBBY_PW);
    assert_refused("bobby", ALICE_PW);
    assert_refused("alice", ALICE_PW);
    assert_refused("bobby", BOBBY_PW);

    /* Even with a valid trailer, the AD refuses each slot under the other name. */
    remac(buf, len, key);
    fix_spit(g_path, buf, len);
    ck_assert_int_eq(assert_refused("alice", BOBBY_PW), RK_EAUTH);
    ck_assert_int_eq(assert_refused("bobby", ALICE_PW), RK_EAUTH);
    free(buf);
}
END_TEST

START_TEST(test_slot_renamed)
{
    unsigned char key[RK_KEY_BYTES];
    make2(key);
    size_t len;
    unsigned char *buf = fix_slurp(g_path, &len);
    memcpy(buf + slot_off(buf, 0) + 1, "carol", 5);
    fix_spit(g_path, buf, len);
    assert_refused("carol", ALICE_PW);
    remac(buf, len, key);
    fix_spit(g_path, buf, len);
    ck_assert_int_eq(assert_refused("carol", ALICE_PW), RK_EAUTH);
    ck_assert_int_eq(assert_refused("alice", ALICE_PW), RK_EAUTH);
    assert_unlocks_to("bobby", BOBBY_PW, key);   /* the edit itself was well-formed */
    free(buf);
}
END_TEST

START_TEST(test_slot_moved_to_other_keyring)
{
    /* Same user, same password, two keyrings: a slot copied from one into
     * the other (and re-MACed) is refused because the file id is in the AD. */
    unsigned char k1[RK_KEY_BYTES], k2[RK_KEY_BYTES];
    rk_err err;
    rk_kdf_params kdf = kdf_min();
    ck_assert_int_eq(rk_keyring_create(g_path, "alice", ALICE_PW, &kdf, k1, &err), RK_OK);
    size_t l1, l2;
    unsigned char *f1 = fix_slurp(g_path, &l1);
    unlink(g_path);
    ck_assert_int_eq(rk_keyring_create(g_path, "alice", ALICE_PW, &kdf, k2, &err), RK_OK);
    unsigned char *f2 = fix_slurp(g_path, &l2);
    ck_assert_uint_eq(l1, l2);
    memcpy(f2 + HEADER, f1 + HEADER, l1 - HEADER - MAC);
    remac(f2, l2, k1);   /* whichever key the attacker might know */
    fix_spit(g_path, f2, l2);
    ck_assert_int_eq(assert_refused("alice", ALICE_PW), RK_EAUTH);
    free(f1);
    free(f2);
}
END_TEST

START_TEST(test_params_weakened)
{
    unsigned char key[RK_KEY_BYTES];
    rk_err err;
    rk_kdf_params kdf = { 3, crypto_pwhash_argon2id_MEMLIMIT_MIN * 2 };
    ck_assert_int_eq(rk_keyring_create(g_path, "alice", ALICE_PW, &kdf, key, &err), RK_OK);
    size_t len;
    unsigned char *orig = fix_slurp(g_path, &len);
    unsigned char *buf = malloc(len);
    ck_assert_ptr_nonnull(buf);
    size_t ops = slot_off(orig, 0) + 1 + 5, mem = ops + 8, alg = ops + 16;

    memcpy(buf, orig, len);
    put_u64(buf + ops, 1);   /* fewer passes, still legal: the AD refuses it */
    remac(buf, len, key);
    fix_spit(g_path, buf, len);
    ck_assert_int_eq(assert_refused("alice", ALICE_PW), RK_EAUTH);

    memcpy(buf, orig, len);
    put_u64(buf + mem, crypto_pwhash_argon2id_MEMLIMIT_MIN);
    remac(buf, len, key);
    fix_spit(g_path, buf, len);
    ck_assert_int_eq(assert_refused("alice", ALICE_PW), RK_EAUTH);

    /* Argon2id counts memory in KiB, so one byte more derives the same key:
     * only the AD notices this edit. */
    memcpy(buf, orig, len);
    put_u64(buf + mem, crypto_pwhash_argon2id_MEMLIMIT_MIN * 2 + 1);
    remac(buf, len, key);
    fix_spit(g_path, buf, len);
    ck_assert_int_eq(assert_refused("alice", ALICE_PW), RK_EAUTH);

    /* Below libsodium's minimum, absurd memory, other algorithm: refused
     * by the parser, before any Argon2id run. */
    const struct { size_t at; uint64_t v; int bytes; } bad[] = {
        { ops, 0, 8 }, { ops, 1000, 8 }, { ops, UINT64_MAX, 8 },
        { mem, 4096, 8 }, { mem, 1ull << 40, 8 }, { mem, UINT64_MAX, 8 },
        { alg, 1, 1 }, { alg, 0, 1 },
    };
    for (size_t i = 0; i < RK_ARRAY_LEN(bad); i++) {
        memcpy(buf, orig, len);
        if (bad[i].bytes == 8)
            put_u64(buf + bad[i].at, bad[i].v);
        else
            buf[bad[i].at] = (unsigned char)bad[i].v;
        remac(buf, len, key);
        fix_spit(g_path, buf, len);
        unsigned char out[RK_KEY_BYTES];
        time_t t0 = time(NULL);
        ck_assert_int_eq(unlock("alice", ALICE_PW, out, &err), RK_EFAIL);
        ck_assert_msg(strstr(err.msg, "outside the allowed range"), "case %zu: %s", i, err.msg);
        ck_assert_int_le(time(NULL) - t0, 1);
        size_t n;
        ck_assert_int_eq(rk_keyring_parse_check(buf, len, &n, &err), RK_EFAIL);
    }

    /* A sane slot with more cost than the "sensitive" preset is refused too. */
    memcpy(buf, orig, len);
    put_u64(buf + ops, 8);
    put_u64(buf + mem, crypto_pwhash_argon2id_MEMLIMIT_SENSITIVE);
    size_t n;
    ck_assert_int_eq(rk_keyring_parse_check(buf, len, &n, &err), RK_EFAIL);
    free(buf);
    free(orig);
}
END_TEST

START_TEST(test_bad_kdf_refused_on_write)
{
    unsigned char key[RK_KEY_BYTES];
    rk_err err;
    const rk_kdf_params bad[] = {
        { 0, crypto_pwhash_argon2id_MEMLIMIT_MIN },
        { 1, crypto_pwhash_argon2id_MEMLIMIT_MIN - 1 },
        { 1, 1ull << 40 },
    };
    for (size_t i = 0; i < RK_ARRAY_LEN(bad); i++) {
        ck_assert_int_eq(rk_keyring_create(g_path, "alice", ALICE_PW, &bad[i], key, &err), RK_EFAIL);
        ck_assert_ptr_nonnull(strstr(err.msg, "outside the allowed range"));
        ck_assert_int_ne(access(g_path, F_OK), 0);
    }
    make2(key);
    ck_assert_int_eq(rk_keyring_set_slot(g_path, key, "carol", "pw", &bad[0], &err), RK_EFAIL);
}
END_TEST

START_TEST(test_unknown_version)
{
    unsigned char key[RK_KEY_BYTES];
    make2(key);
    size_t len;
    unsigned char *buf = fix_slurp(g_path, &len);
    buf[8] = 2;
    remac(buf, len, key);
    fix_spit(g_path, buf, len);
    unsigned char out[RK_KEY_BYTES];
    rk_err err;
    ck_assert_int_eq(unlock("alice", ALICE_PW, out, &err), RK_EFAIL);
    char want[256];
    snprintf(want, sizeof want,
             "The keyring %s has format version 2, which this version of Rekisteri cannot read.",
             g_path);
    ck_assert_str_eq(err.msg, want);
    free(buf);
}
END_TEST

START_TEST(test_not_a_keyring_and_missing)
{
    unsigned char out[RK_KEY_BYTES];
    rk_err err;
    ck_assert_int_eq(unlock("alice", ALICE_PW, out, &err), RK_EFAIL);
    ck_assert_ptr_nonnull(strstr(err.msg, g_path));
    fix_spit(g_path, (const unsigned char *)"SQLite format 3", 15);
    ck_assert_int_eq(unlock("alice", ALICE_PW, out, &err), RK_EFAIL);
    char want[256];
    snprintf(want, sizeof want, "%s is not a Rekisteri keyring.", g_path);
    ck_assert_str_eq(err.msg, want);
}
END_TEST

START_TEST(test_truncated_and_extended)
{
    unsigned char key[RK_KEY_BYTES];
    make2(key);
    size_t len;
    unsigned char *orig = fix_slurp(g_path, &len);
    for (size_t n = 0; n < len; n++) {
        unsigned char *cut = malloc(n ? n : 1);   /* exact size: ASan sees overreads */
        ck_assert_ptr_nonnull(cut);
        memcpy(cut, orig, n);
        size_t slots = 99;
        rk_err err;
        ck_assert_int_eq(rk_keyring_parse_check(cut, n, &slots, &err), RK_EFAIL);
        ck_assert_uint_eq(slots, 0);
        fix_spit(g_path, cut, n);
        ck_assert_int_eq(assert_refused("alice", ALICE_PW), RK_EFAIL);
        char (*users)[RK_USERNAME_MAX + 1];
        size_t count;
        ck_assert_int_eq(rk_keyring_users(g_path, &users, &count, &err), RK_EFAIL);
        free(cut);
    }
    unsigned char *longer = malloc(len + 1);
    ck_assert_ptr_nonnull(longer);
    memcpy(longer, orig, len);
    longer[len] = 0;
    fix_spit(g_path, longer, len + 1);
    ck_assert_int_eq(assert_refused("alice", ALICE_PW), RK_EFAIL);
    free(longer);
    free(orig);
}
END_TEST

START_TEST(test_set_slot_replaces_password)
{
    unsigned char key[RK_KEY_BYTES];
    make2(key);
    rk_err err;
    rk_kdf_params kdf = kdf_min();
    ck_assert_int_eq(rk_keyring_set_slot(g_path, key, "alice", "new secret", &kdf, &err), RK_OK);
    ck_assert_int_eq(assert_refused("alice", ALICE_PW), RK_EAUTH);
    assert_unlocks_to("alice", "new secret", key);
    assert_unlocks_to("bobby", BOBBY_PW, key);

    char (*users)[RK_USERNAME_MAX + 1];
    size_t count;
    ck_assert_int_eq(rk_keyring_users(g_path, &users, &count, &err), RK_OK);
    ck_assert_uint_eq(count, 2);
    ck_assert_str_eq(users[0], "alice");   /* replaced in place */
    ck_assert_str_eq(users[1], "bobby");
    free(users);
}
END_TEST

START_TEST(test_set_slot_needs_the_right_key)
{
    unsigned char key[RK_KEY_BYTES], wrong[RK_KEY_BYTES];
    make2(key);
    memcpy(wrong, key, sizeof wrong);
    wrong[0] ^= 1;
    size_t l1, l2;
    unsigned char *before = fix_slurp(g_path, &l1);
    rk_err err;
    rk_kdf_params kdf = kdf_min();
    ck_assert_int_eq(rk_keyring_set_slot(g_path, wrong, "mallory", "pw", &kdf, &err), RK_EFAIL);
    ck_assert_int_eq(rk_keyring_remove_slot(g_path, wrong, "bobby", &err), RK_EFAIL);
    unsigned char *after = fix_slurp(g_path, &l2);
    ck_assert_uint_eq(l1, l2);
    ck_assert_mem_eq(before, after, l1);
    ck_assert_int_eq(rk_keyring_set_slot(g_path, key, "Bad Name", "pw", &kdf, &err), RK_EFAIL);
    ck_assert_ptr_nonnull(strstr(err.msg, "Invalid username"));
    ck_assert_int_eq(rk_keyring_set_slot(g_path, key, "carol", "", &kdf, &err), RK_EFAIL);
    ck_assert_str_eq(err.msg, "No password given.");
    free(before);
    free(after);
}
END_TEST

START_TEST(test_remove_slot)
{
    unsigned char key[RK_KEY_BYTES];
    make2(key);
    rk_err err;
    ck_assert_int_eq(rk_keyring_remove_slot(g_path, key, "alice", &err), RK_OK);
    ck_assert_int_eq(assert_refused("alice", ALICE_PW), RK_EAUTH);
    assert_unlocks_to("bobby", BOBBY_PW, key);
    ck_assert_int_eq(rk_keyring_remove_slot(g_path, key, "alice", &err), RK_ENOTFOUND);
    ck_assert_ptr_nonnull(strstr(err.msg, "no slot for alice"));
    /* The last slot stays: without it the database could never be opened. */
    ck_assert_int_eq(rk_keyring_remove_slot(g_path, key, "bobby", &err), RK_EFAIL);
    ck_assert_ptr_nonnull(strstr(err.msg, "last one"));
    assert_unlocks_to("bobby", BOBBY_PW, key);

    char (*users)[RK_USERNAME_MAX + 1];
    size_t count;
    ck_assert_int_eq(rk_keyring_users(g_path, &users, &count, &err), RK_OK);
    ck_assert_uint_eq(count, 1);
    ck_assert_str_eq(users[0], "bobby");
    free(users);
}
END_TEST

START_TEST(test_rewrap_all)
{
    unsigned char old_key[RK_KEY_BYTES], new_key[RK_KEY_BYTES];
    make2(old_key);
    randombytes_buf(new_key, sizeof new_key);
    rk_err err;
    ck_assert_int_eq(rk_keyring_verify(g_path, old_key, &err), RK_OK);
    ck_assert_int_eq(rk_keyring_rewrap_all(g_path, old_key, new_key, &err), RK_OK);
    assert_unlocks_to("alice", ALICE_PW, new_key);
    assert_unlocks_to("bobby", BOBBY_PW, new_key);
    ck_assert_int_eq(rk_keyring_verify(g_path, new_key, &err), RK_OK);
    ck_assert_int_eq(rk_keyring_verify(g_path, old_key, &err), RK_EFAIL);

    /* The old key no longer changes anything. */
    unsigned char third[RK_KEY_BYTES];
    randombytes_buf(third, sizeof third);
    ck_assert_int_eq(rk_keyring_rewrap_all(g_path, old_key, third, &err), RK_EFAIL);
    rk_kdf_params kdf = kdf_min();
    ck_assert_int_eq(rk_keyring_set_slot(g_path, old_key, "carol", "pw", &kdf, &err), RK_EFAIL);
    assert_unlocks_to("alice", ALICE_PW, new_key);
}
END_TEST

START_TEST(test_users_and_verify)
{
    unsigned char key[RK_KEY_BYTES];
    make2(key);
    rk_err err;
    rk_kdf_params kdf = kdf_min();
    ck_assert_int_eq(rk_keyring_set_slot(g_path, key, "a.b-c_9", "x", &kdf, &err), RK_OK);
    char (*users)[RK_USERNAME_MAX + 1];
    size_t count;
    ck_assert_int_eq(rk_keyring_users(g_path, &users, &count, &err), RK_OK);
    ck_assert_uint_eq(count, 3);
    ck_assert_str_eq(users[0], "alice");
    ck_assert_str_eq(users[1], "bobby");
    ck_assert_str_eq(users[2], "a.b-c_9");
    free(users);
    ck_assert_int_eq(rk_keyring_verify(g_path, key, &err), RK_OK);
    key[31] ^= 0x80;
    ck_assert_int_eq(rk_keyring_verify(g_path, key, &err), RK_EFAIL);
}
END_TEST

static void check_dir_holds_only_keyring(void)
{
    DIR *d = opendir(g_dir);
    ck_assert_ptr_nonnull(d);
    struct dirent *e;
    while ((e = readdir(d)) != NULL)
        ck_assert_msg(!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..") ||
                      !strcmp(e->d_name, "keyring") || !strcmp(e->d_name, "keyring.lock"),
                      "left behind: %s", e->d_name);
    closedir(d);
}

START_TEST(test_file_mode)
{
    mode_t old_umask = umask(0);   /* a lax umask must not widen the file */
    unsigned char key[RK_KEY_BYTES];
    make2(key);
    umask(old_umask);
    struct stat st;
    ck_assert_int_eq(stat(g_path, &st), 0);
    ck_assert_int_eq(st.st_mode & 07777, 0600);
    check_dir_holds_only_keyring();

    /* A keyring shared with its group keeps 0660 and its group on rewrite. */
    ck_assert_int_eq(chmod(g_path, 0660), 0);
    gid_t gid = st.st_gid;
    rk_err err;
    rk_kdf_params kdf = kdf_min();
    old_umask = umask(077);
    ck_assert_int_eq(rk_keyring_set_slot(g_path, key, "carol", "pw", &kdf, &err), RK_OK);
    umask(old_umask);
    ck_assert_int_eq(stat(g_path, &st), 0);
    ck_assert_int_eq(st.st_mode & 07777, 0660);
    ck_assert_int_eq(st.st_gid, gid);

    ck_assert_int_eq(chmod(g_path, 0644), 0);   /* "other" bits are never kept */
    ck_assert_int_eq(rk_keyring_remove_slot(g_path, key, "carol", &err), RK_OK);
    ck_assert_int_eq(stat(g_path, &st), 0);
    ck_assert_int_eq(st.st_mode & 07777, 0640);
    check_dir_holds_only_keyring();
}
END_TEST

START_TEST(test_concurrent_set_slot)
{
    /* Each child adds its own user; the lock must keep every one of them. */
    unsigned char key[RK_KEY_BYTES];
    make2(key);
    enum { N = 8 };
    pid_t pids[N];
    for (int i = 0; i < N; i++) {
        pids[i] = fork();
        ck_assert_int_ge(pids[i], 0);
        if (pids[i] == 0) {
            char user[16], pw[16];
            snprintf(user, sizeof user, "user%d", i);
            snprintf(pw, sizeof pw, "pw%d", i);
            rk_err err;
            rk_kdf_params kdf = kdf_min();
            _exit(rk_keyring_set_slot(g_path, key, user, pw, &kdf, &err));
        }
    }
    for (int i = 0; i < N; i++) {
        int status;
        ck_assert_int_eq(waitpid(pids[i], &status, 0), pids[i]);
        ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == RK_OK);
    }
    char (*users)[RK_USERNAME_MAX + 1];
    size_t count;
    rk_err err;
    ck_assert_int_eq(rk_keyring_users(g_path, &users, &count, &err), RK_OK);
    ck_assert_uint_eq(count, N + 2);
    free(users);
    for (int i = 0; i < N; i++) {
        char user[16], pw[16];
        snprintf(user, sizeof user, "user%d", i);
        snprintf(pw, sizeof pw, "pw%d", i);
        assert_unlocks_to(user, pw, key);
    }
    check_dir_holds_only_keyring();
}
END_TEST

START_TEST(test_parse_check_garbage)
{
    unsigned char key[RK_KEY_BYTES];
    make2(key);
    size_t len, slots = 0;
    unsigned char *orig = fix_slurp(g_path, &len);
    rk_err err;
    ck_assert_int_eq(rk_keyring_parse_check(orig, len, &slots, &err), RK_OK);
    ck_assert_uint_eq(slots, 2);
    ck_assert_int_eq(rk_keyring_parse_check(NULL, 0, &slots, &err), RK_EFAIL);

    /* Pure noise, and noise behind a valid header: never accepted. */
    for (int i = 0; i < 10000; i++) {
        size_t n = (size_t)randombytes_uniform(700);
        unsigned char *buf = malloc(n ? n : 1);   /* exact size for ASan */
        ck_assert_ptr_nonnull(buf);
        randombytes_buf(buf, n);
        if (i % 2 && n >= HEADER)
            memcpy(buf, orig, HEADER - 16 - 2);   /* magic and version */
        ck_assert_int_eq(rk_keyring_parse_check(buf, n, &slots, &err), RK_EFAIL);
        free(buf);
    }
    /* Mutations of a real image: any answer, but no crash or overread. */
    for (int i = 0; i < 10000; i++) {
        size_t n = len - (i % 3 == 0 ? randombytes_uniform((uint32_t)len) : 0);
        unsigned char *buf = malloc(n ? n : 1);
        ck_assert_ptr_nonnull(buf);
        memcpy(buf, orig, n);
        for (uint32_t k = randombytes_uniform(4) + 1; k > 0 && n > 0; k--)
            buf[randombytes_uniform((uint32_t)n)] = (unsigned char)randombytes_uniform(256);
        int rc = rk_keyring_parse_check(buf, n, &slots, &err);
        ck_assert(rc == RK_OK || rc == RK_EFAIL);
        ck_assert(rc != RK_OK || slots == 2);
        free(buf);
    }
    free(orig);
}
END_TEST

START_TEST(test_kdf_presets)
{
    rk_kdf_params p;
    ck_assert(rk_kdf_preset("min", &p));
    ck_assert_uint_eq(p.opslimit, crypto_pwhash_argon2id_OPSLIMIT_MIN);
    ck_assert_uint_eq(p.memlimit, crypto_pwhash_argon2id_MEMLIMIT_MIN);
    ck_assert(rk_kdf_preset("interactive", &p));
    ck_assert_uint_eq(p.opslimit, crypto_pwhash_argon2id_OPSLIMIT_INTERACTIVE);
    ck_assert_uint_eq(p.memlimit, crypto_pwhash_argon2id_MEMLIMIT_INTERACTIVE);
    ck_assert(rk_kdf_preset(RK_KDF_DEFAULT, &p));
    ck_assert_uint_eq(p.opslimit, crypto_pwhash_argon2id_OPSLIMIT_MODERATE);
    ck_assert_uint_eq(p.memlimit, crypto_pwhash_argon2id_MEMLIMIT_MODERATE);
    ck_assert(rk_kdf_preset("sensitive", &p));
    ck_assert_uint_eq(p.opslimit, crypto_pwhash_argon2id_OPSLIMIT_SENSITIVE);
    ck_assert_uint_eq(p.memlimit, crypto_pwhash_argon2id_MEMLIMIT_SENSITIVE);
    ck_assert(!rk_kdf_preset("fast", &p));
    ck_assert(!rk_kdf_preset("", &p));
    ck_assert(!rk_kdf_preset(NULL, &p));
}
END_TEST

START_TEST(test_no_plaintext_in_file)
{
    unsigned char key[RK_KEY_BYTES];
    make2(key);
    size_t len;
    unsigned char *buf = fix_slurp(g_path, &len);
    ck_assert_ptr_null(memmem(buf, len, ALICE_PW, strlen(ALICE_PW)));
    ck_assert_ptr_null(memmem(buf, len, key, RK_KEY_BYTES));
    free(buf);
}
END_TEST

Suite *test_suite(void)
{
    Suite *s = suite_create("keyring");
    TCase *tc = tcase_create("unlock");
    tcase_add_unchecked_fixture(tc, make_root, remove_root);
    tcase_add_checked_fixture(tc, setup, NULL);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_create_and_unlock);
    tcase_add_test(tc, test_two_keyrings_have_different_keys);
    tcase_add_test(tc, test_wrong_password_and_unknown_user);
    tcase_add_test(tc, test_kdf_presets);
    tcase_add_test(tc, test_no_plaintext_in_file);
    suite_add_tcase(s, tc);

    tc = tcase_create("tamper");
    tcase_add_unchecked_fixture(tc, make_root, remove_root);
    tcase_add_checked_fixture(tc, setup, NULL);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_every_byte_flipped);
    tcase_add_test(tc, test_trailer_damage_message);
    tcase_add_test(tc, test_usernames_swapped);
    tcase_add_test(tc, test_slot_renamed);
    tcase_add_test(tc, test_slot_moved_to_other_keyring);
    tcase_add_test(tc, test_params_weakened);
    tcase_add_test(tc, test_bad_kdf_refused_on_write);
    tcase_add_test(tc, test_unknown_version);
    tcase_add_test(tc, test_not_a_keyring_and_missing);
    tcase_add_test(tc, test_truncated_and_extended);
    tcase_add_test(tc, test_parse_check_garbage);
    suite_add_tcase(s, tc);

    tc = tcase_create("edit");
    tcase_add_unchecked_fixture(tc, make_root, remove_root);
    tcase_add_checked_fixture(tc, setup, NULL);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_set_slot_replaces_password);
    tcase_add_test(tc, test_set_slot_needs_the_right_key);
    tcase_add_test(tc, test_remove_slot);
    tcase_add_test(tc, test_rewrap_all);
    tcase_add_test(tc, test_users_and_verify);
    tcase_add_test(tc, test_file_mode);
    tcase_add_test(tc, test_concurrent_set_slot);
    suite_add_tcase(s, tc);
    return s;
}
