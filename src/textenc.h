/* Character encodings of files that come from and go to other programs
 * (imports, exports): the ones a Finnish office meets, converted with
 * glibc iconv. Inside the program all text is UTF-8. */
#ifndef RK_TEXTENC_H
#define RK_TEXTENC_H

#include "common.h"

/* X(id, iconv name, label, accepted spellings separated by spaces) */
#define RK_ENCODINGS(X)                                                                   \
    X(UTF8,     "UTF-8",        "UTF-8",        "utf-8 utf8")                             \
    X(UTF16LE,  "UTF-16LE",     "UTF-16LE",     "utf-16le utf16le utf-16 utf16 unicode")  \
    X(UTF16BE,  "UTF-16BE",     "UTF-16BE",     "utf-16be utf16be")                       \
    X(CP1252,   "WINDOWS-1252", "Windows-1252", "windows-1252 cp1252 win1252 ansi")       \
    X(LATIN1,   "ISO-8859-1",   "ISO-8859-1",   "iso-8859-1 iso8859-1 latin1 latin-1")    \
    X(LATIN9,   "ISO-8859-15",  "ISO-8859-15",  "iso-8859-15 iso8859-15 latin9 latin-9")

typedef enum rk_encoding {
#define X(id, iconv, label, names) RK_ENC_##id,
    RK_ENCODINGS(X)
#undef X
    RK_ENC_COUNT
} rk_encoding;

const char *rk_encoding_label(rk_encoding e);
/* -1 and err set (listing the accepted names) if unknown. */
int rk_encoding_parse(const char *name, rk_encoding *out, rk_err *err);

/* How a file's bytes were read. */
typedef struct rk_decoded {
    char       *text;      /* UTF-8, NUL-terminated, malloc'd; no BOM */
    size_t      len;
    rk_encoding encoding;
    bool        bom;       /* the file began with a byte-order mark */
    bool        detected;  /* chosen here, not given */
} rk_decoded;

/* Decodes a whole file's bytes to UTF-8. `given` < 0 detects: a BOM decides
 * (UTF-8, UTF-16LE, UTF-16BE); else valid UTF-8 is UTF-8; bytes that are
 * not UTF-8 at all (no valid multi-byte sequence) are read as Windows-1252,
 * which is what Excel writes (ISO-8859-1 text reads the same). Errors say
 * the line: invalid UTF-8, a NUL byte, a character the encoding lacks. */
int  rk_text_decode(const unsigned char *bytes, size_t len, int given, rk_decoded *out,
                    rk_err *err);
/* The same for a malloc'd buffer with room for one byte past len: text
 * that is UTF-8 already stays where it is (a large import's file is not
 * copied); then out->text owns the buffer and *bytes is NULL. Otherwise
 * *bytes is still the caller's to free. */
int  rk_text_decode_buffer(unsigned char **bytes, size_t len, int given, rk_decoded *out,
                           rk_err *err);
void rk_decoded_free(rk_decoded *d);

/* Converts UTF-8 text to `enc` (no BOM is added; UTF-16 gets one). *out is
 * malloc'd. A character the encoding cannot hold is an error naming it. */
int  rk_text_encode(const char *utf8, size_t len, rk_encoding enc, char **out, size_t *outlen,
                    rk_err *err);

#endif
