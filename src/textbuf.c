#include "textbuf.h"

#include <stdlib.h>
#include <string.h>
#include <wchar.h>

struct row {
    size_t start, len;
};

struct rk_textbuf {
    char  *text;          /* always valid UTF-8 and NUL-terminated */
    size_t len, cap;
    size_t nchars;
    size_t max_chars, max_bytes;
    size_t cursor;        /* byte offset, on a character boundary */
    int    goal;          /* display column kept by up/down; -1 = none */
    int    width;
    struct row *rows;
    size_t nrows, rows_cap;
    bool   dirty;         /* rows need recomputing */
    size_t top;
};

/* ---- UTF-8 ------------------------------------------------------------ */


long rk_utf8_invalid_at(const char *s)
{
    size_t len = strlen(s);
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        size_t n = rk_utf8_decode(s + i, len - i, &cp);
        if (!n)
            return (long)i;
        i += n;
    }
    return -1;
}

static bool dropped(uint32_t cp)
{
    return (cp < 0x20 && cp != '\n') || (cp >= 0x7F && cp <= 0x9F) ||
           (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069);
}

char *rk_text_clean(const char *s, size_t len, size_t *chars)
{
    char *out = malloc(len * 3 + 1);
    if (!out)
        return NULL;
    size_t o = 0, count = 0;
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        size_t n = rk_utf8_decode(s + i, len - i, &cp);
        if (!n) {
            memcpy(out + o, "\xEF\xBF\xBD", 3);    /* U+FFFD */
            o += 3;
            count++;
            i++;
            continue;
        }
        if (cp == '\r') {
            out[o++] = '\n';
            count++;
            i += (i + 1 < len && s[i + 1] == '\n') ? 2 : 1;
            continue;
        }
        if (cp == '\t') {
            out[o++] = ' ';
            count++;
        } else if (!dropped(cp)) {
            memcpy(out + o, s + i, n);
            o += n;
            count++;
        }
        i += n;
    }
    out[o] = '\0';
    if (chars)
        *chars = count;
    return out;
}

/* ---- characters in the buffer ----------------------------------------- */

static uint32_t cp_at(const rk_textbuf *tb, size_t pos, size_t *n)
{
    uint32_t cp = 0;
    size_t k = rk_utf8_decode(tb->text + pos, tb->len - pos, &cp);
    if (n)
        *n = k ? k : 1;
    return cp;
}

static int cp_width(uint32_t cp)
{
    if (cp == '\n')
        return 0;
    int w = wcwidth((wchar_t)cp);
    return w < 0 ? 1 : w;
}

/* A zero-width character that belongs to the one before it. */
static bool is_mark(uint32_t cp)
{
    return cp != '\n' && cp >= 0x300 && wcwidth((wchar_t)cp) == 0;
}

static size_t prev_cp(const rk_textbuf *tb, size_t pos)
{
    if (pos == 0)
        return 0;
    pos--;
    while (pos > 0 && ((unsigned char)tb->text[pos] & 0xC0) == 0x80)
        pos--;
    return pos;
}

/* End of the character starting at pos, with its marks; *w its width. */
static size_t next_cluster(const rk_textbuf *tb, size_t pos, int *w)
{
    size_t n;
    uint32_t cp = cp_at(tb, pos, &n);
    if (w)
        *w = cp_width(cp);
    pos += n;
    if (cp == '\n')
        return pos;
    while (pos < tb->len) {
        uint32_t m = cp_at(tb, pos, &n);
        if (!is_mark(m))
            break;
        pos += n;
    }
    return pos;
}

static size_t prev_cluster(const rk_textbuf *tb, size_t pos)
{
    size_t p = prev_cp(tb, pos);
    while (p > 0 && is_mark(cp_at(tb, p, NULL)))
        p = prev_cp(tb, p);
    return p;
}

static size_t count_cps(const char *s, size_t len)
{
    size_t n = 0;
    for (size_t i = 0; i < len; i++)
        if (((unsigned char)s[i] & 0xC0) != 0x80)
            n++;
    return n;
}

/* ---- life cycle ------------------------------------------------------- */

static bool reserve(rk_textbuf *tb, size_t need)
{
    if (need + 1 <= tb->cap)
        return true;
    size_t cap = tb->cap ? tb->cap : 256;
    while (cap < need + 1)
        cap *= 2;
    char *t = realloc(tb->text, cap);
    if (!t)
        return false;
    tb->text = t;
    tb->cap = cap;
    return true;
}

rk_textbuf *rk_textbuf_new(size_t max_chars, size_t max_bytes)
{
    rk_textbuf *tb = calloc(1, sizeof *tb);
    if (!tb || !reserve(tb, 0)) {
        free(tb);
        return NULL;
    }
    tb->text[0] = '\0';
    tb->max_chars = max_chars;
    tb->max_bytes = max_bytes;
    tb->goal = -1;
    tb->width = 60;
    tb->dirty = true;
    return tb;
}

void rk_textbuf_free(rk_textbuf *tb)
{
    if (!tb)
        return;
    free(tb->text);
    free(tb->rows);
    free(tb);
}

const char *rk_textbuf_text(const rk_textbuf *tb) { return tb->text; }
size_t rk_textbuf_bytes(const rk_textbuf *tb) { return tb->len; }
size_t rk_textbuf_chars(const rk_textbuf *tb) { return tb->nchars; }
size_t rk_textbuf_max_chars(const rk_textbuf *tb) { return tb->max_chars; }
size_t rk_textbuf_cursor(const rk_textbuf *tb) { return tb->cursor; }

/* ---- editing ---------------------------------------------------------- */

size_t rk_textbuf_insert(rk_textbuf *tb, const char *s, size_t len, bool *truncated)
{
    if (truncated)
        *truncated = false;
    size_t chars;
    char *clean = rk_text_clean(s, len, &chars);
    if (!clean) {
        if (truncated)
            *truncated = true;
        return 0;
    }
    size_t clen = strlen(clean);
    size_t room_c = tb->max_chars ? (tb->max_chars > tb->nchars ? tb->max_chars - tb->nchars : 0) : (size_t)-1;
    size_t room_b = tb->max_bytes ? (tb->max_bytes > tb->len ? tb->max_bytes - tb->len : 0) : (size_t)-1;
    /* Cut at the limit, on a character boundary. */
    size_t take = 0, took = 0;
    while (take < clen && took < room_c) {
        size_t n = 1;
        while (take + n < clen && ((unsigned char)clean[take + n] & 0xC0) == 0x80)
            n++;
        if (take + n > room_b)
            break;
        take += n;
        took++;
    }
    if (take < clen && truncated)
        *truncated = true;
    if (take == 0 || !reserve(tb, tb->len + take)) {
        if (take && truncated)
            *truncated = true;
        free(clean);
        return 0;
    }
    memmove(tb->text + tb->cursor + take, tb->text + tb->cursor, tb->len - tb->cursor + 1);
    memcpy(tb->text + tb->cursor, clean, take);
    free(clean);
    tb->len += take;
    tb->cursor += take;
    tb->nchars += took;
    tb->goal = -1;
    tb->dirty = true;
    return took;
}

bool rk_textbuf_set(rk_textbuf *tb, const char *text)
{
    tb->len = tb->nchars = tb->cursor = tb->top = 0;
    tb->text[0] = '\0';
    tb->goal = -1;
    tb->dirty = true;
    bool cut = false;
    rk_textbuf_insert(tb, text ? text : "", text ? strlen(text) : 0, &cut);
    return !cut;
}

static void erase(rk_textbuf *tb, size_t a, size_t b)
{
    tb->nchars -= count_cps(tb->text + a, b - a);
    memmove(tb->text + a, tb->text + b, tb->len - b + 1);
    tb->len -= b - a;
    tb->cursor = a;
    tb->goal = -1;
    tb->dirty = true;
}

bool rk_textbuf_backspace(rk_textbuf *tb)
{
    if (tb->cursor == 0)
        return false;
    erase(tb, prev_cluster(tb, tb->cursor), tb->cursor);
    return true;
}

bool rk_textbuf_delete(rk_textbuf *tb)
{
    if (tb->cursor >= tb->len)
        return false;
    erase(tb, tb->cursor, next_cluster(tb, tb->cursor, NULL));
    return true;
}

/* ---- layout ----------------------------------------------------------- */

void rk_textbuf_set_width(rk_textbuf *tb, int width)
{
    if (width < 2)
        width = 2;
    if (width != tb->width) {
        tb->width = width;
        tb->dirty = true;
    }
}

static bool add_row(rk_textbuf *tb, size_t start, size_t end)
{
    if (tb->nrows == tb->rows_cap) {
        size_t cap = tb->rows_cap ? tb->rows_cap * 2 : 32;
        struct row *r = realloc(tb->rows, cap * sizeof *r);
        if (!r)
            return false;
        tb->rows = r;
        tb->rows_cap = cap;
    }
    tb->rows[tb->nrows++] = (struct row){ start, end - start };
    return true;
}

/* One paragraph [a, b) (no newline inside) into rows. */
static bool layout_paragraph(rk_textbuf *tb, size_t a, size_t b)
{
    size_t start = a;
    for (;;) {
        int col = 0;
        size_t pos = start, brk = start, end = b;
        bool wrapped = false;
        while (pos < b) {
            int w;
            size_t q = next_cluster(tb, pos, &w);
            bool space = tb->text[pos] == ' ';
            if (space && col + w > tb->width) {     /* hangs at the row's end */
                end = q;
                wrapped = true;
                break;
            }
            if (!space && col + w > tb->width) {
                end = brk > start ? brk : pos > start ? pos : q;
                wrapped = true;
                break;
            }
            col += w;
            pos = q;
            if (space)
                brk = pos;
        }
        if (!add_row(tb, start, end))
            return false;
        if (!wrapped)
            return true;
        start = end;
    }
}

static void layout(rk_textbuf *tb)
{
    if (!tb->dirty)
        return;
    tb->nrows = 0;
    size_t p = 0;
    for (;;) {
        const char *nl = memchr(tb->text + p, '\n', tb->len - p);
        size_t pe = nl ? (size_t)(nl - tb->text) : tb->len;
        if (!layout_paragraph(tb, p, pe))
            break;             /* out of memory: fewer rows, still consistent */
        if (!nl)
            break;
        p = pe + 1;
    }
    if (tb->nrows == 0)
        add_row(tb, 0, 0);
    tb->dirty = false;
}

size_t rk_textbuf_rows(rk_textbuf *tb)
{
    layout(tb);
    return tb->nrows;
}

void rk_textbuf_row(rk_textbuf *tb, size_t r, size_t *start, size_t *len)
{
    layout(tb);
    if (r >= tb->nrows) {
        *start = tb->len;
        *len = 0;
        return;
    }
    *start = tb->rows[r].start;
    *len = tb->rows[r].len;
}

/* The last row starting at or before pos. */
static size_t row_of(const rk_textbuf *tb, size_t pos)
{
    size_t lo = 0, hi = tb->nrows;
    while (hi - lo > 1) {
        size_t mid = (lo + hi) / 2;
        if (tb->rows[mid].start <= pos)
            lo = mid;
        else
            hi = mid;
    }
    return lo;
}

static int width_between(const rk_textbuf *tb, size_t a, size_t b)
{
    int col = 0;
    while (a < b) {
        int w;
        a = next_cluster(tb, a, &w);
        col += w;
    }
    return col;
}

/* The furthest cursor position shown on row r: the end of a paragraph's
 * last row, else before the row's last character (its end is the next
 * row's start). */
static size_t row_max(const rk_textbuf *tb, size_t r)
{
    size_t end = tb->rows[r].start + tb->rows[r].len;
    bool soft = r + 1 < tb->nrows && tb->rows[r + 1].start == end;
    if (soft && tb->rows[r].len > 0)
        return prev_cluster(tb, end);    /* rows start on character boundaries */
    return end;
}

static size_t pos_at_col(const rk_textbuf *tb, size_t r, int goal)
{
    size_t pos = tb->rows[r].start, max = row_max(tb, r);
    int col = 0;
    while (pos < max) {
        int w;
        size_t q = next_cluster(tb, pos, &w);
        if (col + w > goal)
            break;
        col += w;
        pos = q;
    }
    return pos;
}

void rk_textbuf_cursor_rc(rk_textbuf *tb, size_t *row, int *col)
{
    layout(tb);
    size_t r = row_of(tb, tb->cursor);
    *row = r;
    *col = width_between(tb, tb->rows[r].start, tb->cursor);
}

size_t rk_textbuf_scroll(rk_textbuf *tb, size_t height)
{
    size_t r;
    int c;
    rk_textbuf_cursor_rc(tb, &r, &c);
    if (height == 0)
        height = 1;
    if (tb->top >= tb->nrows)
        tb->top = tb->nrows - 1;
    if (r < tb->top)
        tb->top = r;
    else if (r >= tb->top + height)
        tb->top = r - height + 1;
    return tb->top;
}

/* ---- movement --------------------------------------------------------- */

void rk_textbuf_left(rk_textbuf *tb)
{
    if (tb->cursor > 0)
        tb->cursor = prev_cluster(tb, tb->cursor);
    tb->goal = -1;
}

void rk_textbuf_right(rk_textbuf *tb)
{
    if (tb->cursor < tb->len)
        tb->cursor = next_cluster(tb, tb->cursor, NULL);
    tb->goal = -1;
}

static void move_rows(rk_textbuf *tb, long delta)
{
    size_t r;
    int col;
    rk_textbuf_cursor_rc(tb, &r, &col);
    if (tb->goal < 0)
        tb->goal = col;
    long target = (long)r + delta;
    if (target < 0)
        target = 0;
    if (target >= (long)tb->nrows)
        target = (long)tb->nrows - 1;
    tb->cursor = pos_at_col(tb, (size_t)target, tb->goal);
}

void rk_textbuf_up(rk_textbuf *tb) { move_rows(tb, -1); }
void rk_textbuf_down(rk_textbuf *tb) { move_rows(tb, 1); }

void rk_textbuf_page_up(rk_textbuf *tb, size_t page)
{
    size_t r;
    int c;
    rk_textbuf_cursor_rc(tb, &r, &c);
    if (r == 0)
        rk_textbuf_top(tb);
    else
        move_rows(tb, -(long)(page ? page : 1));
}

void rk_textbuf_page_down(rk_textbuf *tb, size_t page)
{
    size_t r;
    int c;
    rk_textbuf_cursor_rc(tb, &r, &c);
    if (r + 1 >= tb->nrows)
        rk_textbuf_bottom(tb);
    else
        move_rows(tb, (long)(page ? page : 1));
}

void rk_textbuf_home(rk_textbuf *tb)
{
    layout(tb);
    tb->cursor = tb->rows[row_of(tb, tb->cursor)].start;
    tb->goal = -1;
}

void rk_textbuf_end(rk_textbuf *tb)
{
    layout(tb);
    tb->cursor = row_max(tb, row_of(tb, tb->cursor));
    tb->goal = -1;
}

void rk_textbuf_top(rk_textbuf *tb)
{
    tb->cursor = 0;
    tb->goal = -1;
}

void rk_textbuf_bottom(rk_textbuf *tb)
{
    tb->cursor = tb->len;
    tb->goal = -1;
}
