#include "input.h"

#include <sodium.h>

#include "utf8.h"

void ui_input_draw(ui_lineedit *le, bool masked, int y, int x, int w, bool focus,
                   int *cy, int *cx)
{
    ui_style st = focus ? UI_ST_FIELD_FOCUS : UI_ST_FIELD;
    ui_fill(y, x, w, st);
    int col = ui_le_view(le, w, masked);
    /* Only what fits, so the text is never cut with an ellipsis mid-edit. */
    char text[1024];
    size_t o = 0;
    int used = 0;
    for (size_t i = le->scroll; i < le->len; i++) {
        wchar_t c = masked ? L'*' : le->buf[i];
        int cw = ui_le_char_width(c, false);
        if (used + cw > w || o + 5 > sizeof text)
            break;
        o += ui_utf8_put(c, text + o);
        used += cw;
    }
    text[o] = '\0';
    ui_put(y, x, w, text, st);
    sodium_memzero(text, sizeof text);
    if (focus) {
        *cy = y;
        *cx = x + col;
    }
}

bool ui_input_key(ui_lineedit *le, const ui_key *k)
{
    if (k->fn) {
        switch (k->ch) {
        case KEY_LEFT:      ui_le_left(le); return true;
        case KEY_RIGHT:     ui_le_right(le); return true;
        case KEY_HOME:      ui_le_home(le); return true;
        case KEY_END:       ui_le_end(le); return true;
        case KEY_BACKSPACE: ui_le_backspace(le); return true;
        case KEY_DC:        ui_le_delete(le); return true;
        default:            return false;
        }
    }
    switch (k->ch) {
    case 127: case 8:  ui_le_backspace(le); return true;
    case 1:            ui_le_home(le); return true;    /* Ctrl-A */
    case 5:            ui_le_end(le); return true;     /* Ctrl-E */
    case 4:            ui_le_delete(le); return true;  /* Ctrl-D */
    case 21:           ui_le_clear(le); return true;   /* Ctrl-U */
    default:
        if (k->ch < 0x20 || k->ch == 0x7F)
            return false;
        if (!ui_le_insert(le, (wchar_t)k->ch))
            beep();
        return true;
    }
}
