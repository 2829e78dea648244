/* The editing buffer behind a one-line text field, kept apart from curses so
 * it can be reasoned about (and tested) alone. Code points in caller-owned
 * storage; limits in characters and in UTF-8 bytes, since the services
 * measure names and passwords in bytes. */
#ifndef RK_UI_LINEEDIT_H
#define RK_UI_LINEEDIT_H

#include <stdbool.h>
#include <stddef.h>
#include <wchar.h>

typedef struct ui_lineedit {
    wchar_t *buf;       /* cap + 1 code points, caller's (maybe secure) memory */
    size_t cap;         /* most characters */
    size_t max_bytes;   /* most UTF-8 bytes of the whole text */
    size_t len;         /* characters in buf */
    size_t cur;         /* cursor: 0..len */
    size_t scroll;      /* first character shown */
} ui_lineedit;

void ui_le_init(ui_lineedit *le, wchar_t *storage, size_t cap, size_t max_bytes);

/* False when the character is a control (or otherwise unprintable) or the
 * text would grow past a limit. */
bool ui_le_insert(ui_lineedit *le, wchar_t c);
bool ui_le_backspace(ui_lineedit *le);
bool ui_le_delete(ui_lineedit *le);
void ui_le_left(ui_lineedit *le);
void ui_le_right(ui_lineedit *le);
void ui_le_home(ui_lineedit *le);
void ui_le_end(ui_lineedit *le);

/* Empties the buffer and wipes every byte of its storage. */
void ui_le_clear(ui_lineedit *le);

/* Replaces the text (cursor at the end); characters past a limit are dropped. */
void ui_le_set_utf8(ui_lineedit *le, const char *s);

/* Writes the text as UTF-8 plus NUL into out. Returns the bytes (without the
 * NUL), or (size_t)-1 if n is too small (out is then wiped). */
size_t ui_le_get_utf8(const ui_lineedit *le, char *out, size_t n);

size_t ui_le_utf8_bytes(const ui_lineedit *le);

/* Display columns of one character: 1 when masked (one '*'), else wcwidth
 * (unprintable counts 1, as it is shown as a replacement). */
int ui_le_char_width(wchar_t c, bool masked);

/* Scrolls so the cursor fits a field of `width` columns (one column kept for
 * the cursor past the end). Returns the cursor's column in the field. */
int ui_le_view(ui_lineedit *le, int width, bool masked);

#endif
