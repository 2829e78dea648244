/* The multi-line text editor widget: src/textbuf.c's buffer (UTF-8, wide
 * characters, wrapping, movement, the length limit) drawn in a rectangle
 * with a counter under the text. The wrap width is one column less than
 * the rectangle, so the cursor after a full row still has a cell. A paste
 * is read in one go (ui_term_read_text), so a few thousand characters go
 * in with one relayout and one screen update. */
#ifndef RK_UI_TEXTEDIT_H
#define RK_UI_TEXTEDIT_H

#include "screen.h"
#include "textbuf.h"

typedef struct ui_textedit {
    rk_textbuf *tb;
    size_t page;       /* text rows shown at the last draw: PgUp/PgDn's step */
    bool cut;          /* the last insertion was cut at the limit */
} ui_textedit;

/* Limits as rk_textbuf_new's. RK_EFAIL when out of memory. */
int  ui_textedit_init(ui_textedit *te, size_t max_chars, size_t max_bytes, rk_err *err);
void ui_textedit_free(ui_textedit *te);

const char *ui_textedit_text(const ui_textedit *te);
/* Nothing but spaces and line breaks. */
bool ui_textedit_blank(const ui_textedit *te);

/* Text in r's rows but the last, wrapped at r->w - 1 columns; the counter
 * ("12 / 4000") right-aligned in the last row. When focused, the cursor
 * goes to u. */
void ui_textedit_draw(ui_textedit *te, ui *u, const ui_rect *r, bool focus);

/* Typing, a paste, Enter (a line break), Backspace, Delete, the arrows,
 * Home/End (of the row, also Ctrl-A/Ctrl-E), PgUp/PgDn. True when the key
 * was the editor's; *changed (may be NULL) says whether the text changed. */
bool ui_textedit_key(ui_textedit *te, const ui_key *k, bool *changed);

#endif
