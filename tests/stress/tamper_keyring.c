/* Keyring tampering report (issue 8). On the keyring of a real registry
 * (admin, user1, user2: same name length, so names can be exchanged):
 *   - every bit of every byte flipped, every byte set to 0x00 and to 0xFF;
 *   - slots swapped in place, user names exchanged between slots, a slot
 *     renamed, a user's slot taken from another registry's keyring;
 *   - the file cut at every length, extended by 1, 16 and 1000 bytes;
 * each tried with every user's right password through rk_keyring_unlock
 * (a tampered keyring must not give out the key at all), then the whole
 * keyring of another registry and old keyrings restored -- after a user was
 * disabled, and after a user changed the password -- tried through a real
 * login (rk_session_login: keyring, database and account state), which is
 * what decides whether the person gets in.
 * Prints the mutations and attempts tried and accepted (want 0) per kind.
 *   tamper_keyring [--quick]  exit 1 if anything was accepted
 * --quick (make check) flips bits 0 and 7 of each byte instead of all 8. */
#include <sodium.h>

#include "keyring.h"
#include "stress.h"

#define PW2 "changed-password-2"
static const char *users[] = { "admin", "user1", "user2" };
enum { NUSERS = 3 };

static unsigned char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    unsigned char *buf = malloc(1 << 16);
    if (!f || !buf)
        stress_die(path, NULL);
    *len = fread(buf, 1, 1 << 16, f);
    fclose(f);
    return buf;
}

static void spit(const char *path, const unsigned char *buf, size_t len)
{
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(buf, 1, len, f) != len || fclose(f) != 0)
        stress_die(path, NULL);
}

/* Slot i's offset (header 28 bytes; a slot is 201 fixed bytes + its name). */
enum { HEADER = 28, SLOT_FIXED = 201 };
static size_t slot_off(const unsigned char *buf, size_t i)
{
    size_t off = HEADER;
    while (i-- > 0)
        off += SLOT_FIXED + buf[off];
    return off;
}

struct tally {
    const char *what;
    long mutations, attempts, accepted;
};

/* Writes the image and tries every user's password: counts how many gave out a key. */
static void try_image(struct tally *t, const char *path, const unsigned char *buf, size_t len)
{
    spit(path, buf, len);
    t->mutations++;
    unsigned char *key = rk_secure_alloc(RK_KEY_BYTES);
    for (int u = 0; u < NUSERS; u++) {
        rk_err err;
        t->attempts++;
        if (rk_keyring_unlock(path, users[u], STRESS_PW, key, &err) == RK_OK) {
            t->accepted++;
            if (t->mutations > 0 && strncmp(t->what, "untouched", 9) != 0)
                fprintf(stderr, "ACCEPTED: %s (user %s)\n", t->what, users[u]);
        }
    }
    rk_secure_free(key);
}

/* A real login; true when it got in. */
static bool logs_in(const rk_paths *p, const char *user, const char *pw, char *why, size_t n)
{
    rk_session *s = NULL;
    rk_err err = { 0 };
    int rc = rk_session_login(p, user, pw, &s, NULL, &err);
    snprintf(why, n, "%s", rc ? err.msg : "logged in");
    if (rc == RK_OK)
        rk_session_logout(s);
    return rc == RK_OK;
}

static void print_tally(const struct tally *t)
{
    printf("  %-58s mutations %6ld  attempts %6ld  accepted %ld\n", t->what, t->mutations,
           t->attempts, t->accepted);
}

int main(int argc, char **argv)
{
    bool quick = argc > 1 && strcmp(argv[1], "--quick") == 0;
    char root[256], root2[256];
    rk_paths paths, other;
    stress_registry("rk-tamper-keyring", "user", RK_ROLE_RECEPTION, 2, root, &paths);
    stress_registry("rk-tamper-keyring", "user", RK_ROLE_RECEPTION, 2, root2, &other);
    size_t len, olen;
    unsigned char *orig = slurp(paths.keyring, &len);
    unsigned char *oth = slurp(other.keyring, &olen);
    unsigned char *buf = malloc(len + 1000);
    if (!buf)
        return 1;
    /* The untouched keyring opens for everyone: the counts below are not vacuous. */
    struct tally control = { "untouched keyring (control: must open for all 3)", 0, 0, 0 };
    try_image(&control, paths.keyring, orig, len);
    if (control.accepted != NUSERS) {
        fprintf(stderr, "control failed: the untouched keyring did not open\n");
        return 1;
    }

    struct tally flips = { quick ? "bits 0 and 7 of every byte flipped" : "every bit of every byte flipped",
                           0, 0, 0 };
    struct tally bytes = { "every byte set to 0x00 and to 0xFF", 0, 0, 0 };
    for (size_t off = 0; off < len; off++) {
        for (int bit = 0; bit < 8; bit += quick ? 7 : 1) {
            memcpy(buf, orig, len);
            buf[off] ^= (unsigned char)(1u << bit);
            try_image(&flips, paths.keyring, buf, len);
        }
        for (int v = 0; v <= 0xFF; v += 0xFF)
            if (orig[off] != v) {
                memcpy(buf, orig, len);
                buf[off] = (unsigned char)v;
                try_image(&bytes, paths.keyring, buf, len);
            }
    }

    struct tally swaps = { "two slots swapped in place", 0, 0, 0 };
    struct tally names = { "user names exchanged between two slots", 0, 0, 0 };
    struct tally renamed = { "a slot renamed (to \"mallo\")", 0, 0, 0 };
    struct tally moved = { "a slot taken from another registry's keyring", 0, 0, 0 };
    size_t slot_len = SLOT_FIXED + 5;
    for (int a = 0; a < NUSERS; a++) {
        for (int b = a + 1; b < NUSERS; b++) {
            size_t oa = slot_off(orig, (size_t)a), ob = slot_off(orig, (size_t)b);
            memcpy(buf, orig, len);
            memcpy(buf + oa, orig + ob, slot_len);
            memcpy(buf + ob, orig + oa, slot_len);
            try_image(&swaps, paths.keyring, buf, len);
            memcpy(buf, orig, len);
            memcpy(buf + oa + 1, orig + ob + 1, 5);
            memcpy(buf + ob + 1, orig + oa + 1, 5);
            try_image(&names, paths.keyring, buf, len);
        }
        memcpy(buf, orig, len);
        memcpy(buf + slot_off(orig, (size_t)a) + 1, "mallo", 5);
        try_image(&renamed, paths.keyring, buf, len);
        memcpy(buf, orig, len);
        memcpy(buf + slot_off(orig, (size_t)a), oth + slot_off(oth, (size_t)a), slot_len);
        try_image(&moved, paths.keyring, buf, len);
    }

    struct tally cut = { "cut at every length, extended by 1, 16, 1000 bytes", 0, 0, 0 };
    for (size_t n = 0; n < len; n++)
        try_image(&cut, paths.keyring, orig, n);
    static const size_t extra[] = { 1, 16, 1000 };
    for (size_t i = 0; i < 3; i++) {
        memcpy(buf, orig, len);
        randombytes_buf(buf + len, extra[i]);
        try_image(&cut, paths.keyring, buf, len + extra[i]);
    }
    spit(paths.keyring, orig, len);

    /* Whole keyrings, through a real login. */
    char why[600];
    struct tally foreign = { "another registry's whole keyring (login)", 0, 0, 0 };
    spit(paths.keyring, oth, olen);
    for (int u = 0; u < NUSERS; u++) {
        foreign.attempts++;
        if (logs_in(&paths, users[u], STRESS_PW, why, sizeof why)) {
            foreign.accepted++;
            fprintf(stderr, "ACCEPTED: foreign keyring, %s\n", users[u]);
        }
    }
    foreign.mutations = 1;
    spit(paths.keyring, orig, len);

    rk_err err = { 0 };
    rk_session *admin = NULL;
    if (rk_session_login(&paths, "admin", STRESS_PW, &admin, NULL, &err) ||
        rk_user_set_active(admin, "user2", false, &err))
        stress_die("disable user2", &err);
    rk_session_logout(admin);
    struct tally disabled = { "old keyring restored after user2 was disabled (login)", 1, 1, 0 };
    spit(paths.keyring, orig, len);
    if (logs_in(&paths, "user2", STRESS_PW, why, sizeof why)) {
        disabled.accepted++;
        fprintf(stderr, "ACCEPTED: disabled user2 with the old keyring\n");
    }
    char disabled_why[600];
    snprintf(disabled_why, sizeof disabled_why, "%s", why);

    rk_session *u1 = NULL;
    if (rk_session_login(&paths, "user1", STRESS_PW, &u1, NULL, &err) ||
        rk_user_passwd(u1, "user1", PW2, &err))
        stress_die("passwd user1", &err);
    rk_session_logout(u1);
    bool new_pw_ok = logs_in(&paths, "user1", PW2, why, sizeof why);
    struct tally stale = { "old keyring restored after user1 changed password (login)", 1, 1, 0 };
    spit(paths.keyring, orig, len);
    if (logs_in(&paths, "user1", STRESS_PW, why, sizeof why)) {
        stale.accepted++;
        fprintf(stderr, "ACCEPTED: user1's old password with the old keyring\n");
    }
    char stale_why[600];
    snprintf(stale_why, sizeof stale_why, "%s", why);

    struct tally *all[] = { &flips, &bytes, &swaps, &names, &renamed, &moved, &cut, &foreign,
                            &disabled, &stale };
    long mutations = 0, attempts = 0, accepted = 0;
    printf("tamper_keyring: keyring of %zu bytes with 3 slots; each mutation tried with every"
           " user's right password\n", len);
    print_tally(&control);
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) {
        print_tally(all[i]);
        mutations += all[i]->mutations;
        attempts += all[i]->attempts;
        accepted += all[i]->accepted;
    }
    printf("tamper_keyring: disabled user2 with the old keyring: %s\n", disabled_why);
    printf("tamper_keyring: user1's old password with the old keyring: %s"
           " (new password before the restore: %s)\n", stale_why, new_pw_ok ? "logged in" : "refused");
    printf("tamper_keyring: %ld mutations, %ld attempts, %ld accepted\n", mutations, attempts, accepted);
    free(buf);
    free(orig);
    free(oth);
    stress_rm_tree(root);
    stress_rm_tree(root2);
    return accepted == 0 && new_pw_ok ? 0 : 1;
}
