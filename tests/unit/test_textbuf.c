/* The multi-line editor's buffer: Finnish and wide characters, editing by
 * whole characters, wrapping and movement by display columns, pages, the
 * limit and its counter, cleaning, and a 5000-character paste. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <wchar.h>

#include "textbuf.h"

static rk_textbuf *tb_with(const char *text, int width)
{
    rk_textbuf *tb = rk_textbuf_new(0, 0);
    ck_assert_ptr_nonnull(tb);
    rk_textbuf_set_width(tb, width);
    ck_assert(rk_textbuf_set(tb, text));
    return tb;
}

static void assert_rc(rk_textbuf *tb, size_t row, int col)
{
    size_t r;
    int c;
    rk_textbuf_cursor_rc(tb, &r, &c);
    ck_assert_msg(r == row && c == col, "cursor at (%zu,%d), want (%zu,%d)", r, c, row, col);
}

/* Row r's text as a string. */
static char *row_text(rk_textbuf *tb, size_t r)
{
    size_t start, len;
    rk_textbuf_row(tb, r, &start, &len);
    static char buf[4096];
    snprintf(buf, sizeof buf, "%.*s", (int)len, rk_textbuf_text(tb) + start);
    return buf;
}

START_TEST(finnish_insert_and_counts)
{
    rk_textbuf *tb = rk_textbuf_new(100, 0);
    bool cut = true;
    ck_assert_uint_eq(rk_textbuf_insert(tb, "Hyvää päivää", strlen("Hyvää päivää"), &cut), 12);
    ck_assert(!cut);
    ck_assert_str_eq(rk_textbuf_text(tb), "Hyvää päivää");
    ck_assert_uint_eq(rk_textbuf_chars(tb), 12);
    ck_assert_uint_eq(rk_textbuf_bytes(tb), 17);
    ck_assert_uint_eq(rk_textbuf_cursor(tb), 17);
    assert_rc(tb, 0, 12);
    /* Insert in the middle: after "Hyvää". */
    rk_textbuf_home(tb);
    for (int i = 0; i < 5; i++)
        rk_textbuf_right(tb);
    assert_rc(tb, 0, 5);
    rk_textbuf_insert(tb, ",", 1, NULL);
    ck_assert_str_eq(rk_textbuf_text(tb), "Hyvää, päivää");
    ck_assert_uint_eq(rk_textbuf_chars(tb), 13);
    rk_textbuf_free(tb);
}
END_TEST

START_TEST(backspace_and_delete_whole_characters)
{
    rk_textbuf *tb = tb_with("Hyvää päivää", 40);
    ck_assert(rk_textbuf_backspace(tb));                 /* one "ä", two bytes */
    ck_assert_str_eq(rk_textbuf_text(tb), "Hyvää päivä");
    ck_assert_uint_eq(rk_textbuf_chars(tb), 11);
    rk_textbuf_home(tb);
    rk_textbuf_right(tb);
    rk_textbuf_right(tb);
    rk_textbuf_right(tb);                                /* before the first ä */
    ck_assert(rk_textbuf_delete(tb));
    ck_assert_str_eq(rk_textbuf_text(tb), "Hyvä päivä");
    ck_assert(rk_textbuf_backspace(tb));                 /* the v */
    ck_assert_str_eq(rk_textbuf_text(tb), "Hyä päivä");
    ck_assert_uint_eq(rk_textbuf_chars(tb), 9);
    rk_textbuf_top(tb);
    ck_assert(!rk_textbuf_backspace(tb));
    rk_textbuf_bottom(tb);
    ck_assert(!rk_textbuf_delete(tb));
    /* A base letter with a combining mark is one step and one deletion. */
    ck_assert(rk_textbuf_set(tb, "a\xCC\x88" "b"));     /* a + U+0308, b */
    ck_assert_uint_eq(rk_textbuf_chars(tb), 3);
    rk_textbuf_top(tb);
    rk_textbuf_right(tb);
    ck_assert_uint_eq(rk_textbuf_cursor(tb), 3);
    assert_rc(tb, 0, 1);
    ck_assert(rk_textbuf_backspace(tb));
    ck_assert_str_eq(rk_textbuf_text(tb), "b");
    ck_assert_uint_eq(rk_textbuf_chars(tb), 1);
    /* Wide characters go whole too. */
    ck_assert(rk_textbuf_set(tb, "日本"));
    ck_assert(rk_textbuf_backspace(tb));
    ck_assert_str_eq(rk_textbuf_text(tb), "日");
    rk_textbuf_free(tb);
}
END_TEST

START_TEST(wide_characters_by_display_columns)
{
    rk_textbuf *tb = tb_with("日本", 40);
    assert_rc(tb, 0, 4);
    rk_textbuf_left(tb);
    assert_rc(tb, 0, 2);
    ck_assert_uint_eq(rk_textbuf_cursor(tb), 3);
    /* Width 3: the second wide character does not fit beside the first. */
    rk_textbuf_set_width(tb, 3);
    ck_assert_uint_eq(rk_textbuf_rows(tb), 2);
    ck_assert_str_eq(row_text(tb, 0), "日");
    ck_assert_str_eq(row_text(tb, 1), "本");
    assert_rc(tb, 1, 0);
    rk_textbuf_free(tb);
}
END_TEST

START_TEST(soft_wrap_at_width)
{
    rk_textbuf *tb = tb_with("Hyvää päivää maailma", 10);
    ck_assert_uint_eq(rk_textbuf_rows(tb), 3);
    ck_assert_str_eq(row_text(tb, 0), "Hyvää ");
    ck_assert_str_eq(row_text(tb, 1), "päivää ");
    ck_assert_str_eq(row_text(tb, 2), "maailma");
    /* Exactly the width: the space after it hangs at the row's end. */
    rk_textbuf_set_width(tb, 12);
    ck_assert_str_eq(row_text(tb, 0), "Hyvää päivää ");
    ck_assert_str_eq(row_text(tb, 1), "maailma");
    /* A word longer than the width is cut. */
    ck_assert(rk_textbuf_set(tb, "abcdefghijklmnop"));
    rk_textbuf_set_width(tb, 5);
    ck_assert_uint_eq(rk_textbuf_rows(tb), 4);
    ck_assert_str_eq(row_text(tb, 0), "abcde");
    ck_assert_str_eq(row_text(tb, 3), "p");
    /* Newlines are hard breaks; an empty line is a row; a final newline
     * leaves an empty last row. */
    ck_assert(rk_textbuf_set(tb, "ab\n\ncd\n"));
    ck_assert_uint_eq(rk_textbuf_rows(tb), 4);
    ck_assert_str_eq(row_text(tb, 0), "ab");
    ck_assert_str_eq(row_text(tb, 1), "");
    ck_assert_str_eq(row_text(tb, 2), "cd");
    ck_assert_str_eq(row_text(tb, 3), "");
    assert_rc(tb, 3, 0);
    /* Every row fits the width (hanging spaces aside). */
    ck_assert(rk_textbuf_set(tb, "Tämä on pitkä lause, jossa on 日本語 ja ääkkösiä sekä välilyöntejä."));
    for (int w = 2; w <= 30; w++) {
        rk_textbuf_set_width(tb, w);
        size_t rows = rk_textbuf_rows(tb), total = 0;
        for (size_t r = 0; r < rows; r++) {
            size_t start, len;
            rk_textbuf_row(tb, r, &start, &len);
            ck_assert_uint_eq(start, total);         /* rows cover the text in order */
            total += len;
            char t[256];
            snprintf(t, sizeof t, "%.*s", (int)len, rk_textbuf_text(tb) + start);
            size_t tl = strlen(t);
            while (tl > 0 && t[tl - 1] == ' ')
                t[--tl] = '\0';
            wchar_t wbuf[256];
            size_t nw = mbstowcs(wbuf, t, 256);
            int cols = wcswidth(wbuf, nw);
            ck_assert_msg(cols <= w, "width %d row %zu \"%s\" is %d columns", w, r, t, cols);
        }
        ck_assert_uint_eq(total, rk_textbuf_bytes(tb));
    }
    rk_textbuf_free(tb);
}
END_TEST

START_TEST(cursor_moves_by_display_columns)
{
    rk_textbuf *tb = tb_with("abcdef\n日本語", 40);
    rk_textbuf_top(tb);
    rk_textbuf_right(tb);
    rk_textbuf_right(tb);
    rk_textbuf_right(tb);
    assert_rc(tb, 0, 3);
    rk_textbuf_down(tb);                /* column 3 is inside 本: stop before it */
    assert_rc(tb, 1, 2);
    ck_assert_uint_eq(rk_textbuf_cursor(tb), 7 + 3);
    rk_textbuf_up(tb);                  /* the goal column (3) is kept */
    assert_rc(tb, 0, 3);
    rk_textbuf_end(tb);
    assert_rc(tb, 0, 6);
    rk_textbuf_down(tb);
    assert_rc(tb, 1, 6);
    rk_textbuf_home(tb);
    assert_rc(tb, 1, 0);
    rk_textbuf_left(tb);                /* back over the newline */
    assert_rc(tb, 0, 6);
    rk_textbuf_right(tb);
    assert_rc(tb, 1, 0);
    /* Up from the first row and down from the last stay in place. */
    rk_textbuf_top(tb);
    rk_textbuf_up(tb);
    assert_rc(tb, 0, 0);
    /* End on a soft-wrapped row stays on that row. */
    ck_assert(rk_textbuf_set(tb, "aaaa bbbb cccc"));
    rk_textbuf_set_width(tb, 6);
    ck_assert_str_eq(row_text(tb, 0), "aaaa ");
    rk_textbuf_top(tb);
    rk_textbuf_end(tb);
    assert_rc(tb, 0, 4);
    rk_textbuf_down(tb);
    assert_rc(tb, 1, 4);
    rk_textbuf_free(tb);
}
END_TEST

START_TEST(pages_and_scroll)
{
    char text[400] = "";
    for (int i = 0; i < 30; i++) {
        char line[16];
        snprintf(line, sizeof line, "rivi %02d\n", i);
        strcat(text, line);
    }
    rk_textbuf *tb = tb_with(text, 20);
    ck_assert_uint_eq(rk_textbuf_rows(tb), 31);
    rk_textbuf_top(tb);
    rk_textbuf_right(tb);
    rk_textbuf_right(tb);
    rk_textbuf_page_down(tb, 10);
    assert_rc(tb, 10, 2);
    rk_textbuf_page_down(tb, 10);
    assert_rc(tb, 20, 2);
    ck_assert_uint_eq(rk_textbuf_scroll(tb, 8), 13);
    rk_textbuf_page_up(tb, 10);
    assert_rc(tb, 10, 2);
    ck_assert_uint_eq(rk_textbuf_scroll(tb, 8), 10);
    rk_textbuf_page_up(tb, 25);
    assert_rc(tb, 0, 2);
    rk_textbuf_page_up(tb, 10);         /* on the first row: to the start */
    assert_rc(tb, 0, 0);
    rk_textbuf_page_down(tb, 100);
    assert_rc(tb, 30, 0);
    rk_textbuf_free(tb);
}
END_TEST

START_TEST(limit_enforced_with_counter)
{
    rk_textbuf *tb = rk_textbuf_new(10, 0);
    bool cut = false;
    ck_assert_uint_eq(rk_textbuf_insert(tb, "Hyvää päivää", strlen("Hyvää päivää"), &cut), 10);
    ck_assert(cut);
    ck_assert_str_eq(rk_textbuf_text(tb), "Hyvää päiv");
    ck_assert_uint_eq(rk_textbuf_chars(tb), rk_textbuf_max_chars(tb));
    ck_assert_uint_eq(rk_textbuf_insert(tb, "x", 1, &cut), 0);
    ck_assert(cut);
    ck_assert(rk_textbuf_backspace(tb));
    ck_assert_uint_eq(rk_textbuf_insert(tb, "ä", 2, &cut), 1);
    ck_assert(!cut);
    ck_assert_str_eq(rk_textbuf_text(tb), "Hyvää päiä");
    ck_assert(!rk_textbuf_set(tb, "0123456789ABC"));
    ck_assert_str_eq(rk_textbuf_text(tb), "0123456789");
    rk_textbuf_free(tb);
    /* A byte limit never splits a character. */
    tb = rk_textbuf_new(0, 5);
    ck_assert_uint_eq(rk_textbuf_insert(tb, "ääää", 8, &cut), 2);
    ck_assert(cut);
    ck_assert_uint_eq(rk_textbuf_bytes(tb), 4);
    ck_assert_uint_eq(rk_textbuf_insert(tb, "a", 1, &cut), 1);
    ck_assert_uint_eq(rk_textbuf_insert(tb, "a", 1, &cut), 0);
    rk_textbuf_free(tb);
}
END_TEST

START_TEST(insert_cleans_text)
{
    rk_textbuf *tb = rk_textbuf_new(0, 0);
    const char in[] = "a\r\nb\rc\td\x1b[31me\xff" "f\xe2\x80\xae" "g\x7f";
    rk_textbuf_insert(tb, in, sizeof in - 1, NULL);
    ck_assert_str_eq(rk_textbuf_text(tb), "a\nb\nc d[31me\xEF\xBF\xBD" "fg");
    rk_textbuf_free(tb);
    size_t chars;
    char *clean = rk_text_clean("x\ty", 3, &chars);
    ck_assert_str_eq(clean, "x y");
    ck_assert_uint_eq(chars, 3);
    free(clean);
    ck_assert_int_eq(rk_utf8_invalid_at("Hyvää"), -1);
    ck_assert_int_eq(rk_utf8_invalid_at("ab\xC3"), 2);
    ck_assert_int_eq(rk_utf8_invalid_at("\xC0\x80"), 0);            /* overlong NUL */
    ck_assert_int_eq(rk_utf8_invalid_at("\xED\xA0\x80"), 0);        /* surrogate */
}
END_TEST

static double seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

START_TEST(paste_5000_characters)
{
    /* 5000 characters: Finnish words, wide characters, newlines. */
    static const char *parts[] = { "Hyvää ", "päivää ", "日本 ", "öljy\n" };
    size_t cap = 5000 * 4 + 1, len = 0, chars = 0;
    char *paste = malloc(cap);
    for (int i = 0; chars < 5000; i++) {
        const char *p = parts[i % 4];
        for (const char *q = p; *q && chars < 5000;) {
            size_t n = 1;
            while (((unsigned char)q[n] & 0xC0) == 0x80)
                n++;
            memcpy(paste + len, q, n);
            len += n;
            q += n;
            chars++;
        }
    }
    paste[len] = '\0';

    rk_textbuf *tb = rk_textbuf_new(6000, 0);
    rk_textbuf_set_width(tb, 60);
    double t0 = seconds();
    bool cut = true;
    ck_assert_uint_eq(rk_textbuf_insert(tb, paste, len, &cut), 5000);
    ck_assert(!cut);
    size_t rows = rk_textbuf_rows(tb);
    double t1 = seconds();
    ck_assert_str_eq(rk_textbuf_text(tb), paste);
    ck_assert_uint_eq(rk_textbuf_chars(tb), 5000);
    ck_assert_uint_gt(rows, 5000 / 24);
    ck_assert_msg(t1 - t0 < 0.5, "paste and layout took %.3f s", t1 - t0);
    /* The same paste in the middle of existing text. */
    rk_textbuf_top(tb);
    ck_assert_uint_eq(rk_textbuf_insert(tb, paste, len, &cut), 1000);
    ck_assert(cut);
    ck_assert_uint_eq(rk_textbuf_chars(tb), 6000);
    rk_textbuf_free(tb);

    /* Typed one key at a time (a terminal's paste), with a relayout per key. */
    tb = rk_textbuf_new(5000, 0);
    t0 = seconds();
    for (size_t i = 0; i < len;) {
        size_t n = 1;
        while (i + n < len && ((unsigned char)paste[i + n] & 0xC0) == 0x80)
            n++;
        rk_textbuf_insert(tb, paste + i, n, NULL);
        if (i % 50 == 0)
            rk_textbuf_rows(tb);
        i += n;
    }
    t1 = seconds();
    ck_assert_str_eq(rk_textbuf_text(tb), paste);
    ck_assert_msg(t1 - t0 < 2.0, "typed paste took %.3f s", t1 - t0);
    rk_textbuf_free(tb);
    free(paste);
}
END_TEST

Suite *test_suite(void)
{
    Suite *s = suite_create("textbuf");
    TCase *tc = tcase_create("textbuf");
    tcase_set_timeout(tc, 30);
    tcase_add_test(tc, finnish_insert_and_counts);
    tcase_add_test(tc, backspace_and_delete_whole_characters);
    tcase_add_test(tc, wide_characters_by_display_columns);
    tcase_add_test(tc, soft_wrap_at_width);
    tcase_add_test(tc, cursor_moves_by_display_columns);
    tcase_add_test(tc, pages_and_scroll);
    tcase_add_test(tc, limit_enforced_with_counter);
    tcase_add_test(tc, insert_cleans_text);
    tcase_add_test(tc, paste_5000_characters);
    suite_add_tcase(s, tc);
    return s;
}
