/* Stored text is untrusted: before it reaches a terminal it loses C0 controls,
 * DEL, C1 controls (U+0080-U+009F), whole escape sequences (ESC, CSI, OSC,
 * DCS...), Unicode bidi overrides and isolates (U+202A-U+202E,
 * U+2066-U+2069) and invalid UTF-8 (each bad byte becomes U+FFFD). */
#ifndef RK_SANITIZE_H
#define RK_SANITIZE_H

#include "common.h"

enum { RK_SANITIZE_KEEP_NEWLINE = 1 };

/* Writes at most dstsize-1 bytes plus NUL, never splitting a UTF-8 sequence.
 * Returns the bytes written. */
size_t rk_sanitize(char *dst, size_t dstsize, const char *src, int flags);
size_t rk_sanitize_n(char *dst, size_t dstsize, const char *src, size_t srclen, int flags);

#endif
