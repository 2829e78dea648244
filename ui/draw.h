/* Drawing on stdscr: styles (colour or monochrome), line glyphs (Unicode or
 * ASCII) and UTF-8 text clipped to a width. Text given here must already be
 * sanitized when it came from the database (rk_sanitize). */
#ifndef RK_UI_DRAW_H
#define RK_UI_DRAW_H

#include "term.h"

typedef struct ui_rect {
    int y, x, h, w;
} ui_rect;

typedef enum ui_style {
    UI_ST_NORMAL, UI_ST_TITLE, UI_ST_DEMO, UI_ST_BORDER, UI_ST_HEADING,
    UI_ST_FKEY_KEY, UI_ST_FKEY_LABEL, UI_ST_INFO, UI_ST_ERROR,
    UI_ST_SELECTED, UI_ST_FIELD, UI_ST_FIELD_FOCUS, UI_ST_DIM, UI_ST_WARN,
    UI_ST_COUNT
} ui_style;

typedef enum ui_glyph {
    UI_G_HLINE, UI_G_VLINE, UI_G_UL, UI_G_UR, UI_G_LL, UI_G_LR,
    UI_G_LTEE, UI_G_RTEE, UI_G_ELLIPSIS, UI_G_ARROW_L, UI_G_ARROW_R,
    UI_G_COUNT
} ui_glyph;

/* After ui_term_start: colour pairs (unless monochrome) and the glyph set. */
void ui_draw_init(void);

attr_t ui_attr(ui_style st);
wchar_t ui_glyph_char(ui_glyph g);
void ui_glyph_put(int y, int x, ui_glyph g, ui_style st);

/* Display width of UTF-8 text as ui_put would draw it. */
int ui_text_width(const char *s);
/* Draws UTF-8 text at (y, x) in at most maxw columns, cut with an ellipsis
 * when it does not fit. Returns the columns used. */
int ui_put(int y, int x, int maxw, const char *s, ui_style st);
/* Same for prose (hints, notes, errors): when it does not fit it is cut
 * after the last whole word that does, never inside a word. */
int ui_put_words(int y, int x, int maxw, const char *s, ui_style st);
/* Same, centred in [x, x + w). */
int ui_put_centre(int y, int x, int w, const char *s, ui_style st);
/* Same, padded with spaces to exactly w columns (a table cell). */
void ui_put_cell(int y, int x, int w, const char *s, ui_style st);

void ui_fill(int y, int x, int w, ui_style st);
void ui_hline(int y, int x, int w, ui_style st);
/* A frame around r; a title (may be NULL) set into its top edge. */
void ui_box(const ui_rect *r, const char *title, ui_style st);
/* r shrunk by one cell on every side. */
ui_rect ui_inner(const ui_rect *r);

/* Splits UTF-8 text at spaces into lines of at most width columns (a word
 * longer than that is cut). Returns the number of lines stored. */
#define UI_WRAP_LINE 512
size_t ui_wrap(const char *s, int width, char (*lines)[UI_WRAP_LINE], size_t max);


#endif
