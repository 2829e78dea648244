#include "textedit.h"

#include <stdlib.h>
#include <string.h>

#include "utf8.h"

int ui_textedit_init(ui_textedit *te, size_t max_chars, size_t max_bytes, rk_err *err)
{
    memset(te, 0, sizeof *te);
    te->tb = rk_textbuf_new(max_chars, max_bytes);
    if (!te->tb)
        return rk_err_set(err, RK_EFAIL, _("Out of memory."));
    return RK_OK;
}

void ui_textedit_free(ui_textedit *te)
{
    rk_textbuf_free(te->tb);
    memset(te, 0, sizeof *te);
}

const char *ui_textedit_text(const ui_textedit *te)
{
    return te->tb ? rk_textbuf_text(te->tb) : "";
}

bool ui_textedit_blank(const ui_textedit *te)
{
    const char *t = ui_textedit_text(te);
    return t[strspn(t, " \n")] == '\0';
}

void ui_textedit_draw(ui_textedit *te, ui *u, const ui_rect *r, bool focus)
{
    if (!te->tb || r->h < 2 || r->w < 3)
        return;
    int width = r->w - 1;
    size_t height = (size_t)r->h - 1;
    te->page = height;
    rk_textbuf_set_width(te->tb, width);
    size_t top = rk_textbuf_scroll(te->tb, height), rows = rk_textbuf_rows(te->tb);
    const char *text = rk_textbuf_text(te->tb);
    ui_style fs = focus ? UI_ST_FIELD_FOCUS : UI_ST_FIELD;
    for (size_t i = 0; i < height; i++) {
        int y = r->y + (int)i;
        ui_fill(y, r->x, r->w, fs);
        if (top + i >= rows)
            continue;
        size_t start, len;
        rk_textbuf_row(te->tb, top + i, &start, &len);
        char *row = malloc(len + 1);
        if (!row)
            continue;
        memcpy(row, text + start, len);
        row[len] = '\0';
        ui_put(y, r->x, r->w, row, fs);
        free(row);
    }
    if (top > 0)
        ui_put(r->y, r->x + r->w - 1, 1, "^", UI_ST_DIM);
    if (top + height < rows)
        ui_put(r->y + (int)height - 1, r->x + r->w - 1, 1, "v", UI_ST_DIM);
    /* The counter; at the limit it says so. */
    char count[96];
    size_t n = rk_textbuf_chars(te->tb), max = rk_textbuf_max_chars(te->tb);
    snprintf(count, sizeof count, _("%zu / %zu characters"), n, max);
    int cw = ui_text_width(count);
    int cy = r->y + r->h - 1;
    ui_fill(cy, r->x, r->w, UI_ST_NORMAL);
    ui_put(cy, r->x + r->w - cw, cw, count, max && n >= max ? UI_ST_WARN : UI_ST_DIM);
    if (focus) {
        size_t row;
        int col;
        rk_textbuf_cursor_rc(te->tb, &row, &col);
        u->cursor_y = r->y + (int)(row - top);
        u->cursor_x = r->x + (col < r->w ? col : r->w - 1);
    }
}

/* A typed character and whatever text is already waiting behind it. */
static size_t insert_typed(ui_textedit *te, wint_t first)
{
    static char buf[32768];
    size_t len = ui_utf8_put((wchar_t)first, buf);
    len += ui_term_read_text(buf, len, sizeof buf);
    bool cut = false;
    size_t n = rk_textbuf_insert(te->tb, buf, len, &cut);
    te->cut = cut;
    return n;
}

bool ui_textedit_key(ui_textedit *te, const ui_key *k, bool *changed)
{
    bool ch = false, mine = true;
    size_t page = te->page > 1 ? te->page - 1 : 1;
    if (changed)
        *changed = false;
    if (!te->tb)
        return false;
    if (k->fn) {
        switch (k->ch) {
        case KEY_LEFT:      rk_textbuf_left(te->tb); break;
        case KEY_RIGHT:     rk_textbuf_right(te->tb); break;
        case KEY_UP:        rk_textbuf_up(te->tb); break;
        case KEY_DOWN:      rk_textbuf_down(te->tb); break;
        case KEY_HOME:      rk_textbuf_home(te->tb); break;
        case KEY_END:       rk_textbuf_end(te->tb); break;
        case KEY_PPAGE:     rk_textbuf_page_up(te->tb, page); break;
        case KEY_NPAGE:     rk_textbuf_page_down(te->tb, page); break;
        case KEY_BACKSPACE: ch = rk_textbuf_backspace(te->tb); break;
        case KEY_DC:        ch = rk_textbuf_delete(te->tb); break;
        case KEY_ENTER:     ch = insert_typed(te, '\n') > 0; break;
        default:            mine = false; break;
        }
    } else {
        switch (k->ch) {
        case 127: case 8: ch = rk_textbuf_backspace(te->tb); break;
        case 4:           ch = rk_textbuf_delete(te->tb); break;   /* Ctrl-D */
        case 1:           rk_textbuf_home(te->tb); break;          /* Ctrl-A */
        case 5:           rk_textbuf_end(te->tb); break;           /* Ctrl-E */
        default:
            if ((k->ch < 0x20 && k->ch != '\r' && k->ch != '\n' && k->ch != '\t') || k->ch == 0x7f) {
                mine = false;
                break;
            }
            ch = insert_typed(te, k->ch) > 0;
            if (!ch)
                beep();
            break;
        }
    }
    if (changed)
        *changed = ch;
    return mine;
}
