#include "search_fold.h"
#include <string.h>

int utf8_dec(const unsigned char *s, size_t n, uint32_t *cp)
{
    if (n == 0) { *cp = 0; return 0; }
    unsigned c = s[0];
    if (c < 0x80) { *cp = c; return 1; }
    int len; uint32_t v;
    if ((c & 0xE0) == 0xC0) { len = 2; v = c & 0x1F; }
    else if ((c & 0xF0) == 0xE0) { len = 3; v = c & 0x0F; }
    else if ((c & 0xF8) == 0xF0) { len = 4; v = c & 0x07; }
    else { *cp = 0xFFFD; return 1; }
    if ((size_t)len > n) { *cp = 0xFFFD; return 1; }
    for (int i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80) { *cp = 0xFFFD; return 1; }
        v = (v << 6) | (s[i] & 0x3F);
    }
    *cp = v;
    return len;
}

int utf8_enc(uint32_t cp, char *o)
{
    if (cp < 0x80) { o[0] = (char)cp; return 1; }
    if (cp < 0x800) { o[0] = (char)(0xC0 | (cp >> 6)); o[1] = (char)(0x80 | (cp & 0x3F)); return 2; }
    if (cp < 0x10000) {
        o[0] = (char)(0xE0 | (cp >> 12)); o[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        o[2] = (char)(0x80 | (cp & 0x3F)); return 3;
    }
    o[0] = (char)(0xF0 | (cp >> 18)); o[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    o[2] = (char)(0x80 | ((cp >> 6) & 0x3F)); o[3] = (char)(0x80 | (cp & 0x3F)); return 4;
}

uint32_t cp_lower(uint32_t c)
{
    if (c >= 'A' && c <= 'Z') return c + 32;
    if (c >= 0xC0 && c <= 0xDE && c != 0xD7) return c + 32;
    if (c >= 0x100 && c <= 0x17F) {
        /* Latin Extended-A: mostly even = upper, odd = lower */
        if ((c >= 0x100 && c <= 0x137) || (c >= 0x14A && c <= 0x177)) return c | 1;
        if ((c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17E)) return (c & 1) ? c + 1 : c;
    }
    return c;
}

char cp_fold(uint32_t c)
{
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) return (char)c;
    switch (c) {
    case 0xE0: case 0xE1: case 0xE2: case 0xE3: case 0xE4: case 0xE5: case 0xE6:
    case 0x101: case 0x103: case 0x105: return 'a';
    case 0xE7: case 0x107: case 0x10D: return 'c';
    case 0x10F: case 0xF0: return 'd';
    case 0xE8: case 0xE9: case 0xEA: case 0xEB: case 0x113: case 0x117: case 0x119: case 0x11B: return 'e';
    case 0xEC: case 0xED: case 0xEE: case 0xEF: case 0x12B: return 'i';
    case 0xF1: case 0x144: case 0x148: return 'n';
    case 0xF2: case 0xF3: case 0xF4: case 0xF5: case 0xF6: case 0xF8: case 0x151: case 0x14D: return 'o';
    case 0xF9: case 0xFA: case 0xFB: case 0xFC: case 0x16B: case 0x16F: case 0x171: return 'u';
    case 0xFD: case 0xFF: return 'y';
    case 0xDF: case 0x15B: case 0x161: return 's';
    case 0xFE: return 't';
    case 0x142: case 0x13E: return 'l';
    case 0x159: return 'r';
    case 0x17A: case 0x17C: case 0x17E: return 'z';
    }
    return 0;
}

unsigned char cp_sort(uint32_t c)
{
    if (c >= '0' && c <= '9') return (unsigned char)c;
    switch (c) {
    case 0xE5: return SK_AA;                         /* å */
    case 0xE4: case 0xE6: return SK_AE;              /* ä æ */
    case 0xF6: case 0xF8: case 0xF5: case 0x151: return SK_OE; /* ö ø õ ő */
    case 0xFC: case 0x171: return 'Y';               /* ü sorts as y in Finnish */
    }
    char f = cp_fold(c);
    if (f >= 'a' && f <= 'z') return (unsigned char)(f - 32);
    return 0;
}

static int is_letter(uint32_t c) { char f = cp_fold(c); return f >= 'a' && f <= 'z'; }

void split_words(const char *text, word_cb cb, void *ctx)
{
    const unsigned char *s = (const unsigned char *)text;
    size_t n = strlen(text), i = 0;
    char lit[256], fold[128];
    int ll = 0, fl = 0;
    while (1) {
        uint32_t cp = 0; int k = 0;
        if (i < n) { k = utf8_dec(s + i, n - i, &cp); cp = cp_lower(cp); }
        if (i < n && is_letter(cp)) {
            if (fl < 120) { ll += utf8_enc(cp, lit + ll); fold[fl++] = cp_fold(cp); }
        } else if (fl > 0) {
            lit[ll] = 0; fold[fl] = 0;
            cb(lit, ll, fold, fl, ctx);
            ll = fl = 0;
        }
        if (i >= n) break;
        i += (size_t)k;
    }
}

int fold_keep(const char *in, const char *keep, char *out, int outmax)
{
    const unsigned char *s = (const unsigned char *)in;
    size_t n = strlen(in), i = 0; int o = 0;
    while (i < n && o < outmax - 1) {
        uint32_t cp; int k = utf8_dec(s + i, n - i, &cp); i += (size_t)k;
        cp = cp_lower(cp);
        char f = cp_fold(cp);
        if (f) out[o++] = f;
        else if (cp < 0x80 && cp && strchr(keep, (int)cp)) out[o++] = (char)cp;
    }
    out[o] = 0;
    return o;
}

int lower_keep(const char *in, const char *keep, char *out, int outmax)
{
    const unsigned char *s = (const unsigned char *)in;
    size_t n = strlen(in), i = 0; int o = 0;
    while (i < n && o < outmax - 5) {
        uint32_t cp; int k = utf8_dec(s + i, n - i, &cp); i += (size_t)k;
        cp = cp_lower(cp);
        if (cp_fold(cp)) o += utf8_enc(cp, out + o);
        else if (cp < 0x80 && cp && strchr(keep, (int)cp)) out[o++] = (char)cp;
    }
    out[o] = 0;
    return o;
}

int utf8_prefix_bytes(const char *s, int len, int nchars)
{
    int i = 0;
    while (i < len && nchars > 0) {
        uint32_t cp; i += utf8_dec((const unsigned char *)s + i, (size_t)(len - i), &cp); nchars--;
    }
    return i;
}

static int sort_field(const char *text, unsigned char *out, int o, int outmax)
{
    const unsigned char *s = (const unsigned char *)text;
    size_t n = strlen(text), i = 0;
    int inword = 0, any = 0;
    while (i < n && o < outmax - 4) {
        uint32_t cp; int k = utf8_dec(s + i, n - i, &cp); i += (size_t)k;
        unsigned char b = cp_sort(cp_lower(cp));
        if (b && !(b >= '0' && b <= '9')) {
            if (!inword && any) out[o++] = SK_SEP_WORD;
            out[o++] = b; inword = 1; any = 1;
        } else inword = 0;
    }
    return o;
}

int make_sortkey(const char *last, const char *first, int birthday, unsigned char *out, int outmax)
{
    int o = sort_field(last, out, 0, outmax - 4);
    out[o++] = SK_SEP_LAST;
    o = sort_field(first, out, o, outmax - 4);
    out[o++] = SK_END;
    out[o++] = (unsigned char)(birthday >> 8);
    out[o++] = (unsigned char)(birthday & 0xFF);
    return o;
}

int sort_encode_word(const char *lit, int litlen, unsigned char *out, int outmax)
{
    int i = 0, o = 0;
    while (i < litlen && o < outmax) {
        uint32_t cp; i += utf8_dec((const unsigned char *)lit + i, (size_t)(litlen - i), &cp);
        unsigned char b = cp_sort(cp_lower(cp));
        if (b) out[o++] = b;
    }
    return o;
}

/* Howard Hinnant's algorithms, epoch shifted to 1850-01-01. */
static int dfc(int y, unsigned m, unsigned d)
{
    y -= m <= 2;
    const int era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = (unsigned)(y - era * 400);
    const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (int)doe - 719468;
}
#define EPOCH_1850 (-43829) /* dfc(1850,1,1), checked in selftest */
int days_from_civil(int y, int m, int d) { return dfc(y, (unsigned)m, (unsigned)d) - EPOCH_1850; }
int fold_epoch_check(void) { return dfc(1850, 1, 1) == EPOCH_1850; }
void civil_from_days(int z, int *yy, int *mm, int *dd)
{
    z += EPOCH_1850;
    z += 719468;
    const int era = (z >= 0 ? z : z - 146096) / 146097;
    const unsigned doe = (unsigned)(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const int y = (int)yoe + era * 400;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    const unsigned d = doy - (153 * mp + 2) / 5 + 1;
    const unsigned m = mp < 10 ? mp + 3 : mp - 9;
    *yy = y + (m <= 2); *mm = (int)m; *dd = (int)d;
}
