/* Keyring images: rk_keyring_parse_check (keyring.h), and for images it
 * accepts, rk_keyring_users and rk_keyring_verify on the same bytes written
 * to a temp file.
 *
 * Invariants:
 *  - nothing crashes, leaks or reads out of bounds, whatever the bytes;
 *  - a refusal is RK_EFAIL with a message and reports 0 slots;
 *  - an accepted image is exactly header (28) + slots + MAC (32) bytes as
 *    documented in keyring.h: the slot count in the header is the count
 *    returned, each slot is 218 bytes plus a username that
 *    rk_username_valid accepts, no username repeats;
 *  - the image minus its last byte, and the image plus one byte, are refused;
 *  - rk_keyring_users lists the same number of users from the file, in the
 *    order of the image, and rk_keyring_verify under a database key the file
 *    was not made with refuses it (the MAC covers every byte). */
#include "fuzz.h"

#include <sodium.h>
#include <unistd.h>

#include "keyring.h"

#define HEADER_LEN 28
#define MAC_LEN 32
#define SLOT_FIXED 218

static char path[256];

static void cleanup(void)
{
    if (path[0])
        unlink(path);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    if (sodium_init() < 0)   /* rk_keyring_verify takes sodium_malloc memory */
        abort();
    const char *dir = getenv("RK_FUZZ_TMPDIR");
    if (!dir || !*dir)
        dir = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
    snprintf(path, sizeof path, "%s/rk-fuzz-keyring-XXXXXX", dir);
    int fd = mkstemp(path);
    if (fd < 0) {
        perror(path);
        abort();
    }
    close(fd);
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

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    rk_err err;
    size_t slots = 12345;
    rk_err_clear(&err);
    /* An exact-size copy, so ASan catches any read past the end. */
    uint8_t *buf = malloc(size ? size : 1);
    if (!buf)
        abort();
    if (size)
        memcpy(buf, data, size);

    int rc = rk_keyring_parse_check(buf, size, &slots, &err);
    if (rc != RK_OK) {
        FUZZ_CHECK(rc == RK_EFAIL && err.code == RK_EFAIL && err.msg[0],
                   "refusal %d without a message", rc);
        FUZZ_CHECK(slots == 0, "refused image reports %zu slots", slots);
        free(buf);
        return 0;
    }

    /* The documented layout, walked independently. */
    FUZZ_CHECK(size >= HEADER_LEN + MAC_LEN, "accepted %zu bytes", size);
    size_t count = (size_t)buf[10] | (size_t)buf[11] << 8;
    FUZZ_CHECK(slots == count && slots >= 1, "header says %zu slots, parser %zu", count, slots);
    char (*names)[RK_USERNAME_MAX + 1] = calloc(count, sizeof *names);
    if (!names)
        abort();
    size_t off = HEADER_LEN;
    for (size_t i = 0; i < count; i++) {
        FUZZ_CHECK(off < size - MAC_LEN, "slot %zu starts past the slots", i);
        size_t ulen = buf[off];
        FUZZ_CHECK(ulen >= 1 && ulen <= RK_USERNAME_MAX, "slot %zu username length %zu", i, ulen);
        FUZZ_CHECK(off + SLOT_FIXED + ulen <= size - MAC_LEN, "slot %zu runs into the MAC", i);
        memcpy(names[i], buf + off + 1, ulen);
        names[i][ulen] = '\0';
        FUZZ_CHECK(rk_username_valid(names[i]), "slot %zu username \"%s\"", i, names[i]);
        for (size_t j = 0; j < i; j++)
            FUZZ_CHECK(strcmp(names[i], names[j]) != 0, "username %s twice", names[i]);
        off += SLOT_FIXED + ulen;
    }
    FUZZ_CHECK(off == size - MAC_LEN, "%zu bytes of slots, %zu before the MAC", off - HEADER_LEN,
               size - MAC_LEN - HEADER_LEN);

    /* One byte less or more is not a keyring. */
    FUZZ_CHECK(rk_keyring_parse_check(buf, size - 1, NULL, NULL) == RK_EFAIL,
               "image minus its last byte accepted");
    uint8_t *longer = malloc(size + 1);
    if (!longer)
        abort();
    memcpy(longer, buf, size);
    longer[size] = 0;
    FUZZ_CHECK(rk_keyring_parse_check(longer, size + 1, NULL, NULL) == RK_EFAIL,
               "image plus one byte accepted");
    free(longer);

    /* The same bytes through the file API. */
    write_file(buf, size);
    char (*users)[RK_USERNAME_MAX + 1] = NULL;
    size_t nusers = 0;
    rc = rk_keyring_users(path, &users, &nusers, &err);
    FUZZ_CHECK(rc == RK_OK, "rk_keyring_users refuses an image parse_check accepts: %s", err.msg);
    FUZZ_CHECK(nusers == count, "rk_keyring_users lists %zu of %zu", nusers, count);
    for (size_t i = 0; i < nusers; i++)
        FUZZ_CHECK(strcmp(users[i], names[i]) == 0, "user %zu is %s, not %s", i, users[i],
                   names[i]);
    free(users);
    free(names);

    unsigned char key[RK_KEY_BYTES];
    memset(key, 0xa5, sizeof key);
    rk_err_clear(&err);
    FUZZ_CHECK(rk_keyring_verify(path, key, &err) == RK_EFAIL && err.msg[0],
               "rk_keyring_verify accepted a MAC under a key it was not made with");
    free(buf);
    return 0;
}
