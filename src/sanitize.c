/* Terminal-safe copy of untrusted text. The input is decoded strictly as
 * UTF-8 and run through a small escape-sequence state machine modelled on
 * what terminals parse (ECMA-48), so a sequence is dropped whole rather than
 * leaving its parameters on screen. Output is re-encoded from code points, so
 * it is always valid UTF-8 whatever the input was. */
#include "utf8.h"
#include "sanitize.h"

#include <string.h>

enum state {
    S_TEXT,
    S_ESC,        /* after ESC */
    S_ESC_INTER,  /* ESC + intermediate bytes 0x20-0x2F, e.g. ESC ( B */
    S_CSI,        /* ESC [ or U+009B: parameters until a final byte 0x40-0x7E */
    S_OSC,        /* ESC ] or U+009D: until BEL or ST */
    S_STR,        /* DCS, SOS, PM, APC: until ST (ESC \ or U+009C) */
};

#define ESC 0x1b
#define BEL 0x07
#define CAN 0x18  /* CAN and SUB abort any sequence in terminals */
#define SUB 0x1a
#define C1_DCS 0x90
#define C1_SOS 0x98
#define C1_CSI 0x9b
#define C1_ST  0x9c
#define C1_OSC 0x9d
#define C1_PM  0x9e
#define C1_APC 0x9f

struct out {
    char  *dst;
    size_t size;   /* dstsize - 1: room for text, the NUL is extra */
    size_t len;
    bool   full;   /* once a code point does not fit, nothing later is written */
    int    flags;
};

/* The project's one strict decoder, with this file's byte-pointer calls. */
static size_t utf8_decode(const unsigned char *s, size_t n, uint32_t *cp)
{
    return rk_utf8_decode((const char *)s, n, cp);
}

static void put(struct out *o, uint32_t cp)
{
    if (o->full)
        return;
    unsigned char b[4];
    size_t n;
    if (cp < 0x80) {
        b[0] = (unsigned char)cp;
        n = 1;
    } else if (cp < 0x800) {
        b[0] = (unsigned char)(0xc0 | (cp >> 6));
        b[1] = (unsigned char)(0x80 | (cp & 0x3f));
        n = 2;
    } else if (cp < 0x10000) {
        b[0] = (unsigned char)(0xe0 | (cp >> 12));
        b[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3f));
        b[2] = (unsigned char)(0x80 | (cp & 0x3f));
        n = 3;
    } else {
        b[0] = (unsigned char)(0xf0 | (cp >> 18));
        b[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3f));
        b[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3f));
        b[3] = (unsigned char)(0x80 | (cp & 0x3f));
        n = 4;
    }
    if (o->size - o->len < n) {
        o->full = true;
        return;
    }
    memcpy(o->dst + o->len, b, n);
    o->len += n;
}

/* Bidi embeddings, overrides, isolates and marks: they reorder what follows
 * on screen, so a name could display as something else. */
static bool is_bidi_control(uint32_t cp)
{
    return (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069) ||
           cp == 0x200e || cp == 0x200f || cp == 0x061c;
}

static void put_text(struct out *o, uint32_t cp)
{
    if (cp == '\n' && (o->flags & RK_SANITIZE_KEEP_NEWLINE))
        put(o, cp);
    else if (cp == '\t')
        put(o, ' ');
    else if (cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp <= 0x9f) || is_bidi_control(cp))
        return;
    else
        put(o, cp);
}

/* Feeds one code point through the escape-sequence machine. */
static enum state step(enum state st, uint32_t cp, struct out *o)
{
    for (;;) {
        switch (st) {
        case S_TEXT:
            switch (cp) {
            case ESC:    return S_ESC;
            case C1_CSI: return S_CSI;
            case C1_OSC: return S_OSC;
            case C1_DCS: case C1_SOS: case C1_PM: case C1_APC: return S_STR;
            default:
                put_text(o, cp);
                return S_TEXT;
            }
        case S_ESC:
            if (cp == '[')
                return S_CSI;
            if (cp == ']')
                return S_OSC;
            if (cp == 'P' || cp == 'X' || cp == '^' || cp == '_')
                return S_STR;
            if (cp == ESC)
                return S_ESC;
            if (cp >= 0x20 && cp <= 0x2f)
                return S_ESC_INTER;
            if (cp >= 0x30 && cp <= 0x7e)
                return S_TEXT;   /* two-byte sequence: ESC 7, ESC c ... */
            st = S_TEXT;         /* not a sequence: drop ESC, read cp as text */
            continue;
        case S_ESC_INTER:
            if (cp >= 0x20 && cp <= 0x2f)
                return S_ESC_INTER;
            if (cp >= 0x30 && cp <= 0x7e)
                return S_TEXT;
            if (cp == ESC)
                return S_ESC;
            st = S_TEXT;
            continue;
        case S_CSI:
            if (cp >= 0x20 && cp <= 0x3f)
                return S_CSI;
            if (cp >= 0x40 && cp <= 0x7e)
                return S_TEXT;
            if (cp == ESC)
                return S_ESC;
            /* Anything else cannot be part of a CSI: end it and show cp. */
            st = S_TEXT;
            continue;
        case S_OSC:
        case S_STR:
            /* An ESC ends the string: ESC \ (ST) is then consumed by S_ESC as
             * a two-byte sequence, any other ESC starts the next sequence. */
            if (cp == ESC)
                return S_ESC;
            if (cp == C1_ST || cp == CAN || cp == SUB || (st == S_OSC && cp == BEL))
                return S_TEXT;
            return st;   /* string content, consumed */
        }
        return S_TEXT;
    }
}

size_t rk_sanitize_n(char *dst, size_t dstsize, const char *src, size_t srclen, int flags)
{
    if (!dst || dstsize == 0)
        return 0;
    struct out o = { .dst = dst, .size = dstsize - 1, .len = 0, .full = false, .flags = flags };
    const unsigned char *p = (const unsigned char *)src;
    if (!src)
        srclen = 0;
    enum state st = S_TEXT;
    while (srclen > 0 && !o.full) {
        uint32_t cp = 0;
        size_t n = utf8_decode(p, srclen, &cp);
        if (n == 0) {   /* one bad byte, one U+FFFD; resynchronise on the next */
            cp = 0xfffd;
            n = 1;
        }
        st = step(st, cp, &o);
        p += n;
        srclen -= n;
    }
    dst[o.len] = '\0';
    return o.len;
}

size_t rk_sanitize(char *dst, size_t dstsize, const char *src, int flags)
{
    return rk_sanitize_n(dst, dstsize, src, src ? strlen(src) : 0, flags);
}
