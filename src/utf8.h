/* Strict UTF-8 (RFC 3629), one decoder for every module that checks or
 * walks text: no overlong forms, no surrogates, nothing above U+10FFFF. */
#ifndef RK_UTF8_H
#define RK_UTF8_H

#include <stddef.h>
#include <stdint.h>

/* Decodes the code point at str (len bytes available); returns its length,
 * or 0 when the bytes there are not valid UTF-8 (or len is 0). */
size_t rk_utf8_decode(const char *str, size_t len, uint32_t *cp);

#endif
