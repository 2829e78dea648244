/* The multi-line text editor's buffer, without curses: UTF-8 text, a cursor,
 * editing by whole characters, soft wrapping to a width in display columns
 * (wcwidth: "日" takes two), movement by display columns, pages, and a
 * length limit with a counter. A screen draws rows and places the cursor;
 * this module does the rest, so it is tested without a terminal.
 *
 * Characters: the limit counts code points. The cursor moves, Backspace
 * and Delete act on a base character with the zero-width marks after it
 * ("a" + U+0308 is one step). wcwidth() needs an LC_CTYPE UTF-8 locale
 * (main sets it; the tests use C.UTF-8); elsewhere every character is one
 * column wide.
 *
 * Layout: rows break at the last space that fits (the space stays at the
 * end of its row), or inside a word longer than the width. A space that
 * would overflow hangs at the row's end; the cursor on it shows at column
 * `width`, so give the widget one column more than the wrap width. */
#ifndef RK_TEXTBUF_H
#define RK_TEXTBUF_H

#include "common.h"
#include "utf8.h"

typedef struct rk_textbuf rk_textbuf;

/* Limits in characters and bytes; 0 = none. NULL when out of memory. */
rk_textbuf *rk_textbuf_new(size_t max_chars, size_t max_bytes);
void        rk_textbuf_free(rk_textbuf *tb);

/* Replaces the text (cleaned as by insert); the cursor goes to the end.
 * False when the text had to be cut at the limit. */
bool rk_textbuf_set(rk_textbuf *tb, const char *text);
/* The whole text, NUL-terminated; valid until the next change. */
const char *rk_textbuf_text(const rk_textbuf *tb);
size_t rk_textbuf_bytes(const rk_textbuf *tb);
size_t rk_textbuf_chars(const rk_textbuf *tb);       /* the counter: chars of max_chars */
size_t rk_textbuf_max_chars(const rk_textbuf *tb);
size_t rk_textbuf_cursor(const rk_textbuf *tb);      /* byte offset */

/* Inserts at the cursor, a typed key or a whole paste in one call (one
 * move of the tail, one relayout when next asked). The text is cleaned:
 * CR LF and CR become LF, TAB a space, other control characters and bidi
 * overrides are dropped, invalid bytes become U+FFFD. What does not fit
 * the limit is left out, never half a character. Returns the characters
 * inserted; *truncated (may be NULL) says whether some were left out. */
size_t rk_textbuf_insert(rk_textbuf *tb, const char *s, size_t len, bool *truncated);
bool   rk_textbuf_backspace(rk_textbuf *tb);         /* false at the start */
bool   rk_textbuf_delete(rk_textbuf *tb);            /* false at the end */

/* Wrap width in display columns (at least 2, so a wide character fits). */
void   rk_textbuf_set_width(rk_textbuf *tb, int width);
size_t rk_textbuf_rows(rk_textbuf *tb);
/* Row r's bytes: [*start, *start + *len), without its newline. */
void   rk_textbuf_row(rk_textbuf *tb, size_t r, size_t *start, size_t *len);
/* The cursor as (row, display column). */
void   rk_textbuf_cursor_rc(rk_textbuf *tb, size_t *row, int *col);
/* The first row to show in a window `height` rows high so that the cursor
 * is visible, scrolling as little as possible from the last answer. */
size_t rk_textbuf_scroll(rk_textbuf *tb, size_t height);

void rk_textbuf_left(rk_textbuf *tb);
void rk_textbuf_right(rk_textbuf *tb);
void rk_textbuf_up(rk_textbuf *tb);
void rk_textbuf_down(rk_textbuf *tb);
void rk_textbuf_home(rk_textbuf *tb);     /* start of the row */
void rk_textbuf_end(rk_textbuf *tb);      /* end of the row */
void rk_textbuf_page_up(rk_textbuf *tb, size_t page);
void rk_textbuf_page_down(rk_textbuf *tb, size_t page);
void rk_textbuf_top(rk_textbuf *tb);      /* start of the text */
void rk_textbuf_bottom(rk_textbuf *tb);   /* end of the text */

/* ---- UTF-8 helpers shared with services that store multi-line text ---- */

/* The cleaned copy that insert would store (malloc'd; NULL when out of
 * memory); *chars (may be NULL) gets its length in characters. */
char  *rk_text_clean(const char *s, size_t len, size_t *chars);
/* Byte offset of the first invalid UTF-8 byte, or -1 if there is none. */
long   rk_utf8_invalid_at(const char *s);

#endif
