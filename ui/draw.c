#include "draw.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "utf8.h"

enum { PAIR_TITLE = 1, PAIR_DEMO, PAIR_BORDER, PAIR_FKEY, PAIR_INFO, PAIR_ERROR,
       PAIR_SELECTED, PAIR_WARN };

static attr_t styles[UI_ST_COUNT];

/* Unicode when the codeset is UTF-8; otherwise plain ASCII, never the
 * terminal's alternate character set (it shows as garbage on many setups). */
static const wchar_t glyph_utf8[UI_G_COUNT] = {
    [UI_G_HLINE] = 0x2500, [UI_G_VLINE] = 0x2502, [UI_G_UL] = 0x250C,
    [UI_G_UR] = 0x2510, [UI_G_LL] = 0x2514, [UI_G_LR] = 0x2518,
    [UI_G_LTEE] = 0x251C, [UI_G_RTEE] = 0x2524, [UI_G_ELLIPSIS] = 0x2026,
    [UI_G_ARROW_L] = 0x25C2, [UI_G_ARROW_R] = 0x25B8,
};
static const wchar_t glyph_ascii[UI_G_COUNT] = {
    [UI_G_HLINE] = '-', [UI_G_VLINE] = '|', [UI_G_UL] = '+', [UI_G_UR] = '+',
    [UI_G_LL] = '+', [UI_G_LR] = '+', [UI_G_LTEE] = '+', [UI_G_RTEE] = '+',
    [UI_G_ELLIPSIS] = '~', [UI_G_ARROW_L] = '<', [UI_G_ARROW_R] = '>',
};

void ui_draw_init(void)
{
    if (ui_term_colour()) {
        init_pair(PAIR_TITLE, COLOR_WHITE, COLOR_BLUE);
        init_pair(PAIR_DEMO, COLOR_WHITE, COLOR_RED);
        init_pair(PAIR_BORDER, COLOR_CYAN, -1);
        init_pair(PAIR_FKEY, COLOR_BLACK, COLOR_CYAN);
        init_pair(PAIR_INFO, COLOR_GREEN, -1);
        init_pair(PAIR_ERROR, COLOR_WHITE, COLOR_RED);
        init_pair(PAIR_SELECTED, COLOR_BLACK, COLOR_CYAN);
        init_pair(PAIR_WARN, COLOR_RED, -1);
        styles[UI_ST_NORMAL] = A_NORMAL;
        styles[UI_ST_TITLE] = COLOR_PAIR(PAIR_TITLE) | A_BOLD;
        styles[UI_ST_DEMO] = COLOR_PAIR(PAIR_DEMO) | A_BOLD;
        styles[UI_ST_BORDER] = COLOR_PAIR(PAIR_BORDER);
        styles[UI_ST_HEADING] = A_BOLD;
        styles[UI_ST_FKEY_KEY] = A_BOLD;
        styles[UI_ST_FKEY_LABEL] = COLOR_PAIR(PAIR_FKEY);
        styles[UI_ST_INFO] = COLOR_PAIR(PAIR_INFO) | A_BOLD;
        styles[UI_ST_ERROR] = COLOR_PAIR(PAIR_ERROR) | A_BOLD;
        styles[UI_ST_SELECTED] = COLOR_PAIR(PAIR_SELECTED);
        styles[UI_ST_FIELD] = A_UNDERLINE;
        styles[UI_ST_FIELD_FOCUS] = A_UNDERLINE | A_BOLD;
        styles[UI_ST_DIM] = A_DIM;
        styles[UI_ST_WARN] = COLOR_PAIR(PAIR_WARN) | A_BOLD;
    } else {
        /* NO_COLOR or no colours: attributes only. */
        styles[UI_ST_NORMAL] = A_NORMAL;
        styles[UI_ST_TITLE] = A_REVERSE;
        styles[UI_ST_DEMO] = A_BOLD;
        styles[UI_ST_BORDER] = A_NORMAL;
        styles[UI_ST_HEADING] = A_BOLD;
        styles[UI_ST_FKEY_KEY] = A_BOLD;
        styles[UI_ST_FKEY_LABEL] = A_REVERSE;
        styles[UI_ST_INFO] = A_BOLD;
        styles[UI_ST_ERROR] = A_REVERSE | A_BOLD;
        styles[UI_ST_SELECTED] = A_REVERSE;
        styles[UI_ST_FIELD] = A_UNDERLINE;
        styles[UI_ST_FIELD_FOCUS] = A_UNDERLINE | A_BOLD;
        styles[UI_ST_DIM] = A_DIM;
        styles[UI_ST_WARN] = A_BOLD;
    }
}

attr_t ui_attr(ui_style st)
{
    return st >= 0 && st < UI_ST_COUNT ? styles[st] : A_NORMAL;
}

wchar_t ui_glyph_char(ui_glyph g)
{
    return (ui_term_utf8() ? glyph_utf8 : glyph_ascii)[g];
}

/* One code point as drawn: itself when the terminal's codeset has it and it
 * is printable, else an ASCII stand-in. Returns how many were written. */
static int map_char(wchar_t c, wchar_t out[3])
{
    if (c != 0xFFFD && wcwidth(c) >= 0) {
        if (ui_term_utf8()) {
            out[0] = c;
            return 1;
        }
        char mb[MB_LEN_MAX];
        mbstate_t ps;
        memset(&ps, 0, sizeof ps);
        if (wcrtomb(mb, c, &ps) != (size_t)-1) {
            out[0] = c;
            return 1;
        }
    }
    switch ((unsigned long)c) {
    case 0x2013: case 0x2014: case 0x2212: out[0] = '-'; return 1;
    case 0x2018: case 0x2019: out[0] = '\''; return 1;
    case 0x201C: case 0x201D: out[0] = '"'; return 1;
    case 0x2026: out[0] = out[1] = out[2] = '.'; return 3;
    case 0x00A0: out[0] = ' '; return 1;
    default: out[0] = '?'; return 1;
    }
}

static int char_width(wchar_t c)
{
    int w = wcwidth(c);
    return w < 0 ? 1 : w;
}

int ui_text_width(const char *s)
{
    int w = 0;
    size_t n = s ? strlen(s) : 0;
    while (n > 0) {
        wchar_t c, out[3];
        size_t k = ui_utf8_next(s, n, &c);
        int m = map_char(c, out);
        for (int i = 0; i < m; i++)
            w += char_width(out[i]);
        s += k;
        n -= k;
    }
    return w;
}

/* Draws at most maxw columns; returns columns used. */
static int put_raw(int y, int x, int maxw, const char *s, attr_t a)
{
    wchar_t buf[256];
    int used = 0, nb = 0;
    size_t n = s ? strlen(s) : 0;
    move(y, x);
    attr_on(a, NULL);
    while (n > 0) {
        wchar_t c, out[3];
        size_t k = ui_utf8_next(s, n, &c);
        int m = map_char(c, out);
        for (int i = 0; i < m; i++) {
            int w = char_width(out[i]);
            if (used + w > maxw)
                goto done;
            if (nb == (int)RK_ARRAY_LEN(buf)) {
                addnwstr(buf, nb);
                nb = 0;
            }
            buf[nb++] = out[i];
            used += w;
        }
        s += k;
        n -= k;
    }
done:
    if (nb)
        addnwstr(buf, nb);
    attr_off(a, NULL);
    return used;
}

int ui_put(int y, int x, int maxw, const char *s, ui_style st)
{
    if (maxw <= 0)
        return 0;
    if (ui_text_width(s) <= maxw)
        return put_raw(y, x, maxw, s, ui_attr(st));
    int used = put_raw(y, x, maxw - 1, s, ui_attr(st));
    wchar_t e = ui_glyph_char(UI_G_ELLIPSIS);
    attr_on(ui_attr(st), NULL);
    mvaddnwstr(y, x + used, &e, 1);
    attr_off(ui_attr(st), NULL);
    return used + 1;
}

int ui_put_words(int y, int x, int maxw, const char *s, ui_style st)
{
    char first[1][UI_WRAP_LINE];
    if (maxw < 2 || ui_text_width(s) <= maxw || ui_wrap(s, maxw - 1, first, 1) == 0)
        return ui_put(y, x, maxw, s, st);
    int used = ui_put(y, x, maxw - 1, first[0], st);
    ui_glyph_put(y, x + used, UI_G_ELLIPSIS, st);
    return used + 1;
}

int ui_put_centre(int y, int x, int w, const char *s, ui_style st)
{
    int tw = ui_text_width(s);
    int off = tw < w ? (w - tw) / 2 : 0;
    return off + ui_put(y, x + off, w, s, st);
}

void ui_put_cell(int y, int x, int w, const char *s, ui_style st)
{
    ui_fill(y, x, w, st);
    ui_put(y, x, w, s, st);
}

void ui_fill(int y, int x, int w, ui_style st)
{
    if (w <= 0)
        return;
    attr_on(ui_attr(st), NULL);
    mvhline(y, x, ' ', w);
    attr_off(ui_attr(st), NULL);
}

static void put_glyph(int y, int x, ui_glyph g, attr_t a)
{
    wchar_t c = ui_glyph_char(g);
    attr_on(a, NULL);
    mvaddnwstr(y, x, &c, 1);
    attr_off(a, NULL);
}

void ui_glyph_put(int y, int x, ui_glyph g, ui_style st)
{
    put_glyph(y, x, g, ui_attr(st));
}

void ui_hline(int y, int x, int w, ui_style st)
{
    for (int i = 0; i < w; i++)
        put_glyph(y, x + i, UI_G_HLINE, ui_attr(st));
}

void ui_box(const ui_rect *r, const char *title, ui_style st)
{
    if (r->h < 2 || r->w < 2)
        return;
    attr_t a = ui_attr(st);
    int x2 = r->x + r->w - 1, y2 = r->y + r->h - 1;
    put_glyph(r->y, r->x, UI_G_UL, a);
    put_glyph(r->y, x2, UI_G_UR, a);
    put_glyph(y2, r->x, UI_G_LL, a);
    put_glyph(y2, x2, UI_G_LR, a);
    ui_hline(r->y, r->x + 1, r->w - 2, st);
    ui_hline(y2, r->x + 1, r->w - 2, st);
    for (int y = r->y + 1; y < y2; y++) {
        put_glyph(y, r->x, UI_G_VLINE, a);
        put_glyph(y, x2, UI_G_VLINE, a);
    }
    if (title && *title && r->w > 6) {
        int x = r->x + 2;
        put_glyph(r->y, x, UI_G_RTEE, a);
        x++;
        int used = ui_put(r->y, x, r->w - 6, " ", UI_ST_HEADING);
        used += ui_put(r->y, x + used, r->w - 7 - used, title, UI_ST_HEADING);
        used += ui_put(r->y, x + used, 1, " ", UI_ST_HEADING);
        put_glyph(r->y, x + used, UI_G_LTEE, a);
    }
}

ui_rect ui_inner(const ui_rect *r)
{
    ui_rect in = { r->y + 1, r->x + 1, r->h - 2, r->w - 2 };
    if (in.h < 0)
        in.h = 0;
    if (in.w < 0)
        in.w = 0;
    return in;
}

size_t ui_wrap(const char *s, int width, char (*lines)[UI_WRAP_LINE], size_t max)
{
    size_t n = 0;
    int used = 0;
    bool open = false;   /* lines[n] has words */
    while (*s) {
        while (*s == ' ')
            s++;
        if (!*s)
            break;
        size_t wl = strcspn(s, " ");
        char word[UI_WRAP_LINE];
        if (wl >= sizeof word)
            wl = sizeof word - 1;
        memcpy(word, s, wl);
        word[wl] = '\0';
        s += wl;
        int ww = ui_text_width(word);
        if (open && used + 1 + ww > width) {
            n++;
            open = false;
        }
        if (!open) {
            if (n == max)
                break;
            lines[n][0] = '\0';
            used = 0;
            open = true;
        }
        size_t len = strlen(lines[n]);
        snprintf(lines[n] + len, UI_WRAP_LINE - len, "%s%s", used ? " " : "", word);
        used += (used ? 1 : 0) + ww;
    }
    return open ? n + 1 : n;
}
