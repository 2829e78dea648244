#include "lineedit.h"

#include <sodium.h>
#include <string.h>
#include <wctype.h>

#include "utf8.h"

void ui_le_init(ui_lineedit *le, wchar_t *storage, size_t cap, size_t max_bytes)
{
    le->buf = storage;
    le->cap = cap;
    le->max_bytes = max_bytes;
    le->len = le->cur = le->scroll = 0;
    if (storage)
        storage[0] = L'\0';
}

/* Same refusals as rk_sanitize: nothing typed may carry terminal controls or
 * bidi overrides into the database. */
static bool insertable(wchar_t c)
{
    unsigned long u = (unsigned long)c;
    if (u < 0x20 || u == 0x7F || (u >= 0x80 && u <= 0x9F))
        return false;
    if ((u >= 0x202A && u <= 0x202E) || (u >= 0x2066 && u <= 0x2069))
        return false;
    if (u > 0x10FFFF || (u >= 0xD800 && u <= 0xDFFF))
        return false;
    return iswprint((wint_t)c) != 0;
}

size_t ui_le_utf8_bytes(const ui_lineedit *le)
{
    size_t n = 0;
    for (size_t i = 0; i < le->len; i++)
        n += ui_utf8_len(le->buf[i]);
    return n;
}

bool ui_le_insert(ui_lineedit *le, wchar_t c)
{
    if (!insertable(c) || le->len >= le->cap ||
        ui_le_utf8_bytes(le) + ui_utf8_len(c) > le->max_bytes)
        return false;
    for (size_t i = le->len; i > le->cur; i--)
        le->buf[i] = le->buf[i - 1];
    le->buf[le->cur++] = c;
    le->buf[++le->len] = L'\0';
    return true;
}

static void remove_at(ui_lineedit *le, size_t pos)
{
    for (size_t i = pos; i < le->len; i++)
        le->buf[i] = le->buf[i + 1];
    le->len--;
    le->buf[le->len + 1] = L'\0';   /* no stale copy of the last character */
}

bool ui_le_backspace(ui_lineedit *le)
{
    if (le->cur == 0)
        return false;
    remove_at(le, --le->cur);
    return true;
}

bool ui_le_delete(ui_lineedit *le)
{
    if (le->cur >= le->len)
        return false;
    remove_at(le, le->cur);
    return true;
}

void ui_le_left(ui_lineedit *le)  { if (le->cur > 0) le->cur--; }
void ui_le_right(ui_lineedit *le) { if (le->cur < le->len) le->cur++; }
void ui_le_home(ui_lineedit *le)  { le->cur = 0; }
void ui_le_end(ui_lineedit *le)   { le->cur = le->len; }

void ui_le_clear(ui_lineedit *le)
{
    if (le->buf)
        sodium_memzero(le->buf, (le->cap + 1) * sizeof *le->buf);
    le->len = le->cur = le->scroll = 0;
}

void ui_le_set_utf8(ui_lineedit *le, const char *s)
{
    ui_le_clear(le);
    size_t n = s ? strlen(s) : 0;
    while (n > 0) {
        wchar_t c;
        size_t k = ui_utf8_next(s, n, &c);
        ui_le_insert(le, c);
        s += k;
        n -= k;
    }
}

size_t ui_le_get_utf8(const ui_lineedit *le, char *out, size_t n)
{
    size_t o = 0;
    for (size_t i = 0; i < le->len; i++) {
        size_t k = ui_utf8_len(le->buf[i]);
        if (o + k + 1 > n) {
            sodium_memzero(out, n);
            return (size_t)-1;
        }
        o += ui_utf8_put(le->buf[i], out + o);
    }
    if (n == 0)
        return (size_t)-1;
    out[o] = '\0';
    return o;
}

int ui_le_char_width(wchar_t c, bool masked)
{
    if (masked)
        return 1;
    int w = wcwidth(c);
    return w < 0 ? 1 : w;
}

int ui_le_view(ui_lineedit *le, int width, bool masked)
{
    if (width < 1)
        width = 1;
    if (le->scroll > le->cur)
        le->scroll = le->cur;
    for (;;) {
        int col = 0;
        for (size_t i = le->scroll; i < le->cur; i++)
            col += ui_le_char_width(le->buf[i], masked);
        /* The cursor cell itself must be inside the field. */
        if (col < width || le->scroll >= le->cur)
            return col < width ? col : width - 1;
        le->scroll++;
    }
}
