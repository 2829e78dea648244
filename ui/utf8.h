/* UTF-8 <-> wchar_t without the locale: the database and gettext (bound to
 * UTF-8 by the UI) always speak UTF-8, whatever the terminal's codeset is.
 * glibc's wchar_t is UCS-4, so a code point is a wchar_t. */
#ifndef RK_UI_UTF8_H
#define RK_UI_UTF8_H

#include <stddef.h>
#include <wchar.h>

/* Decodes one code point from s (at most n bytes); bad input gives U+FFFD
 * and consumes one byte. Returns the bytes consumed (0 only when n == 0). */
size_t ui_utf8_next(const char *s, size_t n, wchar_t *out);

/* Bytes c takes in UTF-8 (1-4; 3 for invalid, which encodes as U+FFFD). */
size_t ui_utf8_len(wchar_t c);

/* Writes c as UTF-8 into out (at least 4 bytes). Returns the bytes written. */
size_t ui_utf8_put(wchar_t c, char *out);

#endif
