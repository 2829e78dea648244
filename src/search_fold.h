/* Text folding for the search index.
 *
 * Three forms of a word are used:
 *   lit   lowercase UTF-8, letters kept as typed (ä stays ä)   "mäkinen"
 *   fold  one ASCII byte per letter, diacritics removed         "makinen"
 *   sort  one byte per letter in Finnish collation order        "M\x5cKINEN"
 *
 * fold is 1:1 per character (æ->a, ß->s, ø->o ...), so the first n
 * characters of lit correspond to the first n bytes of fold.
 *
 * Sort bytes: separators 0x00-0x02, digits '0'-'9', a..z -> 'A'..'Z',
 * å -> 0x5B, ä/æ -> 0x5C, ö/ø/õ -> 0x5D (so å < ä < ö after z, SFS 4600),
 * ü -> 'Y', other accented letters -> their base letter.  memcmp order of
 * the bytes is Finnish order. */
#ifndef SS_FOLD_H
#define SS_FOLD_H

#include <stddef.h>
#include <stdint.h>

#define SK_SEP_LAST  0x01   /* between last name and first names */
#define SK_SEP_WORD  0x02   /* between words of one name field */
#define SK_END       0x00   /* end of names; 2 bytes birth day follow */
#define SK_AA 0x5B
#define SK_AE 0x5C
#define SK_OE 0x5D

/* Decodes one UTF-8 character; returns bytes used (>=1), *cp = U+FFFD on error. */
int utf8_dec(const unsigned char *s, size_t n, uint32_t *cp);
int utf8_enc(uint32_t cp, char *out);

uint32_t cp_lower(uint32_t cp);
/* ASCII fold of a lowercase letter/digit, 0 if not a letter or digit. */
char cp_fold(uint32_t cp);
/* Sort byte of a lowercase letter/digit, 0 if none. */
unsigned char cp_sort(uint32_t cp);

/* Splits text into words of letters (anything else separates). For each
 * word calls cb(lit, litlen, fold, foldlen, ctx). */
typedef void (*word_cb)(const char *lit, int litlen, const char *fold, int foldlen, void *ctx);
void split_words(const char *text, word_cb cb, void *ctx);

/* Lowercases and folds a whole string, keeping letters, digits and the
 * punctuation in keep (e.g. "@._-+"). Returns length. */
int fold_keep(const char *in, const char *keep, char *out, int outmax);
int lower_keep(const char *in, const char *keep, char *out, int outmax);

/* Byte offset of the n-th character of UTF-8 s (or len if shorter). */
int utf8_prefix_bytes(const char *s, int len, int nchars);

/* Finnish sort key: last-name words, SK_SEP_LAST, first-name words,
 * SK_END, birth day (days since 1850-01-01) big-endian 16 bit.
 * Returns length. */
int make_sortkey(const char *last, const char *first, int birthday, unsigned char *out, int outmax);

/* Sort-encoding of a lowercase query word (letters only). */
int sort_encode_word(const char *lit, int litlen, unsigned char *out, int outmax);

/* days since 1850-01-01 <-> civil date */
int days_from_civil(int y, int m, int d);
void civil_from_days(int z, int *y, int *m, int *d);

#endif
