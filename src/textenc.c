#include "textenc.h"

#include <errno.h>
#include <iconv.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "utf8.h"

static const struct {
    const char *iconv, *label, *names;
} encodings[RK_ENC_COUNT] = {
#define X(id, ic, label, names) [RK_ENC_##id] = { ic, label, names },
    RK_ENCODINGS(X)
#undef X
};

const char *rk_encoding_label(rk_encoding e)
{
    return (int)e >= 0 && e < RK_ENC_COUNT ? encodings[e].label : "?";
}

int rk_encoding_parse(const char *name, rk_encoding *out, rk_err *err)
{
    size_t n = strlen(name);
    for (int e = 0; e < RK_ENC_COUNT; e++)
        for (const char *p = encodings[e].names; *p;) {
            size_t len = strcspn(p, " ");
            if (len == n && strncasecmp(p, name, n) == 0) {
                *out = (rk_encoding)e;
                return 0;
            }
            p += len;
            while (*p == ' ')
                p++;
        }
    char list[256] = "";
    for (int e = 0; e < RK_ENC_COUNT; e++) {
        strncat(list, encodings[e].label, sizeof list - strlen(list) - 1);
        if (e + 1 < RK_ENC_COUNT)
            strncat(list, ", ", sizeof list - strlen(list) - 1);
    }
    rk_err_set(err, RK_EUSAGE, _("Unknown encoding \"%s\": use one of %s."), name, list);
    return -1;
}

static size_t line_at(const unsigned char *s, size_t off)
{
    size_t line = 1;
    for (const unsigned char *p = s; (p = memchr(p, '\n', (size_t)(s + off - p))) != NULL; p++)
        line++;
    return line;
}

/* Converts with iconv. On a character that does not convert, RK_EFAIL with
 * *bad_off at it and no message (the caller words it); other failures set
 * err and leave *bad_off at SIZE_MAX. */
/* The first byte that is not part of valid UTF-8 (len if none), and whether
 * any valid multi-byte sequence was seen before it. */
static size_t first_invalid_utf8(const unsigned char *s, size_t len, bool *multibyte)
{
    *multibyte = false;
    size_t i = 0;
    while (i < len) {
        if (s[i] < 0x80) {
            i++;
            continue;
        }
        uint32_t cp;
        size_t n = rk_utf8_decode((const char *)s + i, len - i, &cp);
        if (!n)
            return i;
        *multibyte = true;
        i += n;
    }
    return len;
}

static int convert(const char *from, const char *to, const char *in, size_t len, char **out,
                   size_t *outlen, size_t *bad_off, rk_err *err)
{
    *out = NULL;
    *bad_off = SIZE_MAX;
    iconv_t cd = iconv_open(to, from);
    if (cd == (iconv_t)-1)
        return rk_err_set(err, RK_EFAIL, _("This system cannot convert %s to %s."), from, to);
    size_t cap = len * 2 + 16, used = 0;
    char *buf = malloc(cap + 1);
    char *ip = (char *)in;
    size_t ileft = len;
    int rc = RK_OK;
    while (buf && ileft > 0) {
        char *op = buf + used;
        size_t oleft = cap - used;
        size_t r = iconv(cd, &ip, &ileft, &op, &oleft);
        used = (size_t)(op - buf);
        if (r != (size_t)-1)
            break;
        if (errno == E2BIG) {
            cap *= 2;
            char *nb = realloc(buf, cap + 1);
            if (!nb)
                free(buf);
            buf = nb;
            continue;
        }
        *bad_off = (size_t)(ip - in);
        rc = RK_EFAIL;   /* EILSEQ or EINVAL: the caller words it */
        break;
    }
    if (buf && rc == RK_OK) {
        /* Flush any shift state (and a UTF-16 BOM when writing). */
        char *op = buf + used;
        size_t oleft = cap - used;
        iconv(cd, NULL, NULL, &op, &oleft);
        used = (size_t)(op - buf);
    }
    iconv_close(cd);
    if (!buf)
        return rk_err_set(err, RK_EFAIL, _("Out of memory."));
    if (rc) {
        free(buf);
        return RK_EFAIL;
    }
    buf[used] = '\0';
    *out = buf;
    *outlen = used;
    return RK_OK;
}

static int decode(const unsigned char *bytes, size_t len, int given, rk_decoded *out,
                  unsigned char **adopt, rk_err *err)
{
    memset(out, 0, sizeof *out);
    rk_encoding enc = RK_ENC_UTF8;
    size_t skip = 0;
    if (len >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF) {
        enc = RK_ENC_UTF8;
        skip = 3;
    } else if (len >= 2 && bytes[0] == 0xFF && bytes[1] == 0xFE) {
        enc = RK_ENC_UTF16LE;
        skip = 2;
    } else if (len >= 2 && bytes[0] == 0xFE && bytes[1] == 0xFF) {
        enc = RK_ENC_UTF16BE;
        skip = 2;
    }
    out->bom = skip > 0;
    if (given >= 0) {
        /* A BOM that contradicts the given encoding is kept as text by
         * nobody: say so instead of importing garbage. */
        if (out->bom && enc != (rk_encoding)given)
            return rk_err_set(err, RK_EFAIL,
                              _("The file begins with a %s byte-order mark but --encoding says %s."),
                              rk_encoding_label(enc), rk_encoding_label((rk_encoding)given));
        enc = (rk_encoding)given;
    } else {
        out->detected = true;
    }
    const unsigned char *s = bytes + skip;
    size_t n = len - skip;
    bool utf16 = enc == RK_ENC_UTF16LE || enc == RK_ENC_UTF16BE;

    if (!utf16) {
        const unsigned char *nul = memchr(s, '\0', n);
        if (nul) {
            size_t line = line_at(s, (size_t)(nul - s));
            return rk_err_set(err, RK_EFAIL,
                              _("Line %zu contains a NUL byte: this is not a text file in %s (a UTF-16 file without its byte-order mark? then give --encoding utf-16le)."),
                              line, rk_encoding_label(enc));
        }
        if (enc == RK_ENC_UTF8) {
            bool multibyte;
            size_t bad = first_invalid_utf8(s, n, &multibyte);
            if (bad < n) {
                if (out->detected && !out->bom && !multibyte) {
                    enc = RK_ENC_CP1252;
                } else {
                    return rk_err_set(err, RK_EFAIL,
                                      _("Line %zu is not valid UTF-8 (byte 0x%02X at byte offset %zu of the file); give the file's encoding with --encoding, e.g. windows-1252."),
                                      line_at(s, bad), s[bad], bad + skip);
                }
            }
        }
    }
    out->encoding = enc;
    if (enc == RK_ENC_UTF8 && adopt) {
        unsigned char *b = *adopt;
        if (s != b)
            memmove(b, s, n);   /* past a BOM */
        b[n] = '\0';
        out->text = (char *)b;
        out->len = n;
        *adopt = NULL;
        return RK_OK;
    }
    if (enc == RK_ENC_UTF8) {
        if (!(out->text = malloc(n + 1)))
            return rk_err_set(err, RK_EFAIL, _("Out of memory."));
        memcpy(out->text, s, n);
        out->text[n] = '\0';
        out->len = n;
        return RK_OK;
    }
    size_t bad = 0;
    if (convert(encodings[enc].iconv, "UTF-8", (const char *)s, n, &out->text, &out->len, &bad,
                err)) {
        if (bad == SIZE_MAX)
            return err->code;
        if (utf16) {
            /* Count lines in what converts before the bad unit. */
            char *head = NULL;
            size_t hlen = 0, ignore;
            size_t line = 1;
            if (convert(encodings[enc].iconv, "UTF-8", (const char *)s, bad & ~(size_t)1, &head,
                        &hlen, &ignore, err) == RK_OK)
                line = line_at((const unsigned char *)head, hlen);
            free(head);
            return rk_err_set(err, RK_EFAIL,
                              _("Line %zu is not valid %s (at byte offset %zu of the file)."), line,
                              rk_encoding_label(enc), bad + skip);
        }
        return rk_err_set(err, RK_EFAIL,
                          _("Line %zu has the byte 0x%02X, which is not a character in %s; give the file's encoding with --encoding."),
                          line_at(s, bad), s[bad], rk_encoding_label(enc));
    }
    if (strlen(out->text) != out->len) {
        size_t off = strlen(out->text);
        size_t line = line_at((const unsigned char *)out->text, off);
        rk_decoded_free(out);
        return rk_err_set(err, RK_EFAIL, _("Line %zu contains a NUL character."), line);
    }
    return RK_OK;
}

int rk_text_decode(const unsigned char *bytes, size_t len, int given, rk_decoded *out,
                   rk_err *err)
{
    return decode(bytes, len, given, out, NULL, err);
}

int rk_text_decode_buffer(unsigned char **bytes, size_t len, int given, rk_decoded *out,
                          rk_err *err)
{
    return decode(*bytes, len, given, out, bytes, err);
}

void rk_decoded_free(rk_decoded *d)
{
    free(d->text);
    d->text = NULL;
    d->len = 0;
}

int rk_text_encode(const char *utf8, size_t len, rk_encoding enc, char **out, size_t *outlen,
                   rk_err *err)
{
    if (enc == RK_ENC_UTF8) {
        if (!(*out = malloc(len + 1)))
            return rk_err_set(err, RK_EFAIL, _("Out of memory."));
        memcpy(*out, utf8, len);
        (*out)[len] = '\0';
        *outlen = len;
        return RK_OK;
    }
    /* "UTF-16" writes a BOM, which is how Excel recognises the file. */
    const char *to = enc == RK_ENC_UTF16LE ? "UTF-16LE" : encodings[enc].iconv;
    size_t bad = 0;
    char *body = NULL;
    size_t blen = 0;
    if (convert("UTF-8", to, utf8, len, &body, &blen, &bad, err)) {
        if (bad != SIZE_MAX) {
            uint32_t cp = 0;
            rk_utf8_decode(utf8 + bad, len - bad, &cp);
            return rk_err_set(err, RK_EFAIL,
                              _("The character U+%04X on line %zu cannot be written in %s; choose --encoding utf-8."),
                              (unsigned)cp, line_at((const unsigned char *)utf8, bad),
                              rk_encoding_label(enc));
        }
        return err->code;
    }
    if (enc == RK_ENC_UTF16LE || enc == RK_ENC_UTF16BE) {
        char *b = malloc(blen + 2);
        if (!b) {
            free(body);
            return rk_err_set(err, RK_EFAIL, _("Out of memory."));
        }
        b[0] = enc == RK_ENC_UTF16LE ? '\xFF' : '\xFE';
        b[1] = enc == RK_ENC_UTF16LE ? '\xFE' : '\xFF';
        memcpy(b + 2, body, blen);
        free(body);
        body = b;
        blen += 2;
    }
    *out = body;
    *outlen = blen;
    return RK_OK;
}
