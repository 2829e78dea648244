/* Terminal sanitising: known escape sequences, every byte value, byte pairs,
 * a seeded random mix, and truncation at code point boundaries. */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "sanitize.h"

/* Independent strict UTF-8 check of the output, plus the promise of
 * sanitize.h: no C0 (except '\n' when kept), DEL, C1 or bidi controls.
 * Returns NULL when fine, else what is wrong. */
static const char *output_problem(const char *s, size_t len, int flags)
{
    const unsigned char *p = (const unsigned char *)s;
    if (strlen(s) != len)
        return "length differs from the return value or NUL inside";
    size_t i = 0;
    while (i < len) {
        unsigned char b = p[i];
        uint32_t cp;
        size_t n;
        if (b < 0x80) {
            cp = b;
            n = 1;
        } else if ((b & 0xe0) == 0xc0) {
            cp = b & 0x1f;
            n = 2;
        } else if ((b & 0xf0) == 0xe0) {
            cp = b & 0x0f;
            n = 3;
        } else if ((b & 0xf8) == 0xf0) {
            cp = b & 0x07;
            n = 4;
        } else {
            return "invalid lead byte";
        }
        if (i + n > len)
            return "truncated sequence";
        for (size_t k = 1; k < n; k++) {
            if ((p[i + k] & 0xc0) != 0x80)
                return "bad continuation byte";
            cp = (cp << 6) | (p[i + k] & 0x3f);
        }
        static const uint32_t min_for_len[] = { 0, 0, 0x80, 0x800, 0x10000 };
        if (cp < min_for_len[n])
            return "overlong";
        if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
            return "not a scalar value";
        if (cp < 0x20 && !(cp == '\n' && (flags & RK_SANITIZE_KEEP_NEWLINE)))
            return "C0 control";
        if (cp == 0x7f)
            return "DEL";
        if (cp >= 0x80 && cp <= 0x9f)
            return "C1 control";
        if ((cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069) ||
            cp == 0x200e || cp == 0x200f || cp == 0x061c)
            return "bidi control";
        i += n;
    }
    return NULL;
}

/* Sanitises into a buffer followed by guard bytes and checks both. Plain
 * ifs, not ck_assert, in here: each ck_assert is a write to Check's pipe and
 * the exhaustive tests call this hundreds of thousands of times. */
static size_t run(char *out, size_t outsize, const char *in, size_t inlen, int flags)
{
    char buf[1024];
    if (outsize + 16 > sizeof buf)
        ck_abort_msg("test buffer too small");
    memset(buf, 0x5a, outsize + 16);
    size_t n = rk_sanitize_n(buf, outsize, in, inlen, flags);
    for (size_t i = outsize; i < outsize + 16; i++)
        if (buf[i] != 0x5a)
            ck_abort_msg("wrote past dstsize %zu", outsize);
    if (outsize == 0) {
        if (n != 0)
            ck_abort_msg("dstsize 0 but returned %zu", n);
        return 0;
    }
    if (n >= outsize)
        ck_abort_msg("returned %zu for dstsize %zu", n, outsize);
    const char *why = output_problem(buf, n, flags);
    if (why)
        ck_abort_msg("%s for input of %zu bytes", why, inlen);
    memcpy(out, buf, n + 1);
    return n;
}

static void expect(const char *in, size_t inlen, int flags, const char *want)
{
    char out[512];
    run(out, sizeof out, in, inlen, flags);
    ck_assert_msg(strcmp(out, want) == 0, "input %zu bytes: got \"%s\", want \"%s\"",
                  inlen, out, want);
}

#define EXPECT(in, want) expect(in, sizeof(in) - 1, 0, want)

START_TEST(escape_sequences_removed_whole)
{
    EXPECT("\x1b[31mred\x1b[0m", "red");
    EXPECT("\x1b[?1049h\x1b[2J\x1b[1;1H", "");
    EXPECT("\x1b]0;title\x07x", "x");
    EXPECT("\x1b]0;title\x1b\\x", "x");
    EXPECT("\x1b]8;;http://e\x1b\\link\x1b]8;;\x1b\\", "link");
    EXPECT("\x1b]52;c;cm0gLXJmIH4K\x07ok", "ok");   /* clipboard write */
    EXPECT("\x1bP1$r0m\x1b\\ok", "ok");              /* DCS */
    EXPECT("\x1bXsos\x1b\\a\x1b^pm\x1b\\b\x1b_apc\x1b\\c", "abc");
    EXPECT("\x1b(Bok\x1b)0", "ok");                  /* charset: ESC, intermediate, final */
    EXPECT("\x1b" "7ok\x1b" "8", "ok");              /* two-byte ESC x */
    EXPECT("\x1b\x1b[1mok", "ok");
    EXPECT("a\x1b", "a");
    EXPECT("a\x1b[12;", "a");
    EXPECT("\x1b]0;never terminated", "");
    /* An ESC inside a string ends it and starts the next sequence. */
    EXPECT("\x1b]0;t\x1b[31mred", "red");
    EXPECT("\x1b[2@ok\x1b[3~", "ok");              /* '@' and '~' end a CSI */
    /* BEL ends only OSC; a DCS runs on to ST. */
    EXPECT("\x1bPq\x07hidden\x1b\\ok", "ok");
    /* CAN aborts a sequence. */
    EXPECT("\x1b]0;t\x18shown", "shown");
    /* ESC before a non-sequence character: only the ESC goes. */
    EXPECT("\x1b\xc3\xa4x", "\xc3\xa4x");
    EXPECT("\x1b[31\xc3\xa4x", "\xc3\xa4x");
}
END_TEST

START_TEST(c1_sequences_consume)
{
    /* U+009B is CSI, so "2J" is its parameter and final byte. */
    EXPECT("\xc2\x9b" "2J", "");
    EXPECT("\xc2\x9b" "2Jok", "ok");
    EXPECT("\xc2\x9b" "31mred", "red");
    EXPECT("\xc2\x9d" "0;title\x07ok", "ok");
    EXPECT("\xc2\x9d" "0;title\xc2\x9cok", "ok");   /* U+009C is ST */
    EXPECT("\xc2\x90" "dcs\xc2\x9cok", "ok");
    EXPECT("a\xc2\x85" "b\xc2\x80" "c\xc2\x9f", "abc");
    /* Raw 0x9B is not UTF-8: replaced, not interpreted as CSI. */
    EXPECT("\x9b" "2J", "\xef\xbf\xbd" "2J");
}
END_TEST

START_TEST(controls_and_bidi_dropped)
{
    EXPECT("a\tb", "a b");
    EXPECT("a\r\nb\x07\x08\x7f" "c", "abc");
    expect("a\r\nb\n", 5, RK_SANITIZE_KEEP_NEWLINE, "a\nb\n");
    expect("a\0b", 3, 0, "ab");
    EXPECT("\xe2\x80\xae" "evil", "evil");   /* RLO */
    EXPECT("x\xe2\x81\xa6y\xe2\x81\xa9z", "xyz");
    EXPECT("\xe2\x80\xaa\xe2\x80\xab\xe2\x80\xac\xe2\x80\xad\xe2\x81\xa7\xe2\x81\xa8"
           "\xe2\x80\x8e\xe2\x80\x8f\xd8\x9c", "");
    /* Neighbours of the bidi ranges are ordinary text. */
    EXPECT("\xe2\x80\xa9\xe2\x80\xaf\xe2\x81\xa5", "\xe2\x80\xa9\xe2\x80\xaf\xe2\x81\xa5");
}
END_TEST

START_TEST(text_unchanged)
{
    EXPECT("M\xc3\xa4kinen \xc3\x85sa \xc3\x98re", "M\xc3\xa4kinen \xc3\x85sa \xc3\x98re");
    EXPECT("Hyv\xc3\xa4\xc3\xa4 p\xc3\xa4iv\xc3\xa4\xc3\xa4 \xe2\x82\xac 5 \xf0\x9f\x98\x80",
           "Hyv\xc3\xa4\xc3\xa4 p\xc3\xa4iv\xc3\xa4\xc3\xa4 \xe2\x82\xac 5 \xf0\x9f\x98\x80");
    EXPECT("[1;2] ~!@#$%^&*()_+{}|:\"<>?`-=\\;',./", "[1;2] ~!@#$%^&*()_+{}|:\"<>?`-=\\;',./");
    EXPECT("", "");
    char out[8];
    ck_assert_uint_eq(rk_sanitize(out, sizeof out, NULL, 0), 0);
    ck_assert_str_eq(out, "");
}
END_TEST

START_TEST(invalid_utf8_replaced_per_byte)
{
    EXPECT("a\xff" "b", "a\xef\xbf\xbd" "b");
    EXPECT("\xc0\xaf", "\xef\xbf\xbd\xef\xbf\xbd");                      /* overlong */
    EXPECT("\xe0\x80\xaf", "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");        /* overlong */
    EXPECT("\xed\xa0\x80", "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");        /* surrogate */
    EXPECT("\xf4\x90\x80\x80",
           "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");           /* > U+10FFFF */
    EXPECT("\xe2\x82" "x", "\xef\xbf\xbd\xef\xbf\xbd" "x");                /* truncated */
    EXPECT("\xf4\x8f\xbf\xbf", "\xf4\x8f\xbf\xbf");                        /* U+10FFFF ok */
    /* srclen ends mid-sequence: the bytes beyond it are not read. */
    expect("\xc3\xa4", 1, 0, "\xef\xbf\xbd");
    expect("a\xe2\x82\xac", 3, 0, "a\xef\xbf\xbd\xef\xbf\xbd");
    /* Latin-1 "ä" is one invalid byte. */
    EXPECT("M\xe4kinen", "M\xef\xbf\xbdkinen");
}
END_TEST

START_TEST(every_single_byte)
{
    for (int flags = 0; flags <= RK_SANITIZE_KEEP_NEWLINE; flags++) {
        for (int b = 0; b < 256; b++) {
            char in[2] = { (char)b, 'x' };
            char out[64];
            size_t n = run(out, sizeof out, in, 1, flags);
            char want[8] = "";
            if (b >= 0x20 && b < 0x7f)
                snprintf(want, sizeof want, "%c", b);
            else if (b == '\t')
                strcpy(want, " ");
            else if (b == '\n' && flags)
                strcpy(want, "\n");
            else if (b >= 0x80)
                strcpy(want, "\xef\xbf\xbd");
            if (strcmp(out, want) != 0)
                ck_abort_msg("byte 0x%02x flags %d: got %zu bytes", b, flags, n);
            /* And followed by text: the text survives unless b starts a sequence. */
            run(out, sizeof out, in, 2, flags);
            if (b != 0x1b && (strlen(out) == 0 || out[strlen(out) - 1] != 'x'))
                ck_abort_msg("byte 0x%02x swallowed the next character", b);
        }
    }
}
END_TEST

START_TEST(every_byte_pair_and_c1_code_point)
{
    char out[64];
    for (int a = 0; a < 256; a++)
        for (int b = 0; b < 256; b++) {
            char in[2] = { (char)a, (char)b };
            run(out, sizeof out, in, 2, 0);
            run(out, sizeof out, in, 2, RK_SANITIZE_KEEP_NEWLINE);
        }
    for (unsigned cp = 0x80; cp <= 0x9f; cp++) {
        char in[4] = { (char)(0xc0 | (cp >> 6)), (char)(0x80 | (cp & 0x3f)), '~', 'z' };
        run(out, sizeof out, in, sizeof in, 0);
    }
}
END_TEST

/* xorshift: reproducible without touching the global rand() state. */
static uint32_t rng = 0x2545f491;
static uint32_t next_rand(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 17;
    rng ^= rng << 5;
    return rng;
}

START_TEST(random_mixes)
{
    /* Weighted toward the bytes that drive the state machine. */
    static const unsigned char alphabet[] = {
        0x1b, 0x1b, '[', ']', '\\', 'P', '_', 0x07, 0x18, '\n', '\t', 'm', 'J', '2',
        ';', 'a', 0xc2, 0x9b, 0x9c, 0x9d, 0x90, 0xe2, 0x80, 0xae, 0x81, 0xa6, 0xc3,
        0xa4, 0xf0, 0x9f, 0x98, 0xed, 0xa0, 0x7f, 0x00, 0xff,
    };
    char in[96], out[256];
    for (int iter = 0; iter < 50000; iter++) {
        size_t len = next_rand() % sizeof in;
        for (size_t i = 0; i < len; i++) {
            uint32_t r = next_rand();
            in[i] = (char)(r & 0x100 ? alphabet[(r >> 9) % sizeof alphabet] : r & 0xff);
        }
        size_t outsize = next_rand() % sizeof out;
        run(out, outsize, in, len, (int)(next_rand() & RK_SANITIZE_KEEP_NEWLINE));
    }
}
END_TEST

START_TEST(truncation_keeps_whole_code_points)
{
    char out[64];
    /* "ää" needs 4 bytes + NUL. */
    ck_assert_uint_eq(run(out, 5, "\xc3\xa4\xc3\xa4", 4, 0), 4);
    ck_assert_uint_eq(run(out, 4, "\xc3\xa4\xc3\xa4", 4, 0), 2);
    ck_assert_str_eq(out, "\xc3\xa4");
    ck_assert_uint_eq(run(out, 3, "\xc3\xa4\xc3\xa4", 4, 0), 2);
    ck_assert_uint_eq(run(out, 2, "\xc3\xa4\xc3\xa4", 4, 0), 0);
    ck_assert_str_eq(out, "");
    ck_assert_uint_eq(run(out, 1, "abc", 3, 0), 0);
    run(out, 0, "abc", 3, 0);   /* dstsize 0: nothing written at all */

    /* Every size: the output is a code point prefix of the full output, and
     * nothing later is squeezed in after a character that did not fit. */
    static const char text[] = "M\xc3\xa4kinen \xe2\x82\xac\xf0\x9f\x98\x80 \xc3\x85sa";
    char full[64];
    size_t fulln = run(full, sizeof full, text, sizeof text - 1, 0);
    ck_assert_uint_eq(fulln, sizeof text - 1);
    for (size_t size = 1; size <= fulln + 1; size++) {
        size_t n = run(out, size, text, sizeof text - 1, 0);
        ck_assert(memcmp(out, full, n) == 0);
        ck_assert(n == fulln || (full[n] & 0xc0) != 0x80);   /* boundary */
        ck_assert_uint_gt(n + 4, size - 1);                 /* lost < one code point */
    }
    /* rk_sanitize (NUL-terminated input) truncates the same way. */
    ck_assert_uint_eq(rk_sanitize(out, 4, "\xc3\xa4\xc3\xa4", 0), 2);
    ck_assert_str_eq(out, "\xc3\xa4");
}
END_TEST

Suite *test_suite(void)
{
    Suite *s = suite_create("sanitize");
    TCase *tc = tcase_create("sanitize");
    tcase_set_timeout(tc, 60);   /* the exhaustive ones are slow under ASan */
    tcase_add_test(tc, escape_sequences_removed_whole);
    tcase_add_test(tc, c1_sequences_consume);
    tcase_add_test(tc, controls_and_bidi_dropped);
    tcase_add_test(tc, text_unchanged);
    tcase_add_test(tc, invalid_utf8_replaced_per_byte);
    tcase_add_test(tc, every_single_byte);
    tcase_add_test(tc, every_byte_pair_and_c1_code_point);
    tcase_add_test(tc, random_mixes);
    tcase_add_test(tc, truncation_keeps_whole_code_points);
    suite_add_tcase(s, tc);
    return s;
}
