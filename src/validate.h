/* Field validators shared by the client card form, the command line and CSV
 * import. Each fallible function returns RK_OK, or RK_EFAIL with err holding
 * one translated sentence that says exactly what is wrong. err may be NULL.
 * Inputs are NUL-terminated UTF-8; surrounding blanks (space, tab, CR, LF)
 * are ignored. Outputs are written only on success. No I/O, no allocation. */
#ifndef RK_VALIDATE_H
#define RK_VALIDATE_H

#include "common.h"

/* ---- Dates (proleptic Gregorian, years 1-9999) ---- */

typedef struct rk_date {
    int year;
    int month;   /* 1-12 */
    int day;     /* 1-31 */
} rk_date;

#define RK_DATE_ISO_SIZE 11   /* "YYYY-MM-DD" + NUL */

bool rk_leap_year(int year);
/* 28-31, or 0 when month is not 1-12. */
int  rk_days_in_month(int year, int month);
/* "Day 30 does not exist in February 2000." and the like. */
int  rk_date_check(const rk_date *d, rk_err *err);
/* Finnish d.m.yyyy (day and month 1-2 digits) or ISO yyyy-mm-dd (exactly
 * 4-2-2 digits); the year always has four digits. */
int  rk_date_parse(const char *input, rk_date *out, rk_err *err);
/* Writes "YYYY-MM-DD"; RK_EFAIL (and an empty string) if d is not a date. */
int  rk_date_format_iso(const rk_date *d, char out[RK_DATE_ISO_SIZE], rk_err *err);

/* ---- Henkilötunnus (Finnish personal identity code) DDMMYYCNNNQ ----
 * C is the century sign: '+' 1800s; '-' 'Y' 'X' 'W' 'V' 'U' 1900s;
 * 'A' 'B' 'C' 'D' 'E' 'F' 2000s. NNN is the individual number 002-999
 * (900-999 are temporary codes). Q = "0123456789ABCDEFHJKLMNPRSTUVWXY"
 * [DDMMYYNNN mod 31]. The date is checked in its full century, so
 * 290200A1239 (2000) is valid and 290200-1239 (1900) is not.
 *
 * Input is normalised: surrounding spaces dropped, letters uppercased.
 * Store and compare only the normalised code, in full: the century sign is
 * part of the identity, so 010150-123A and 010150Y123A are different people.
 * Never map one sign to another. */

#define RK_HETU_LEN  11
#define RK_HETU_SIZE (RK_HETU_LEN + 1)

/* From the individual number: odd = male, even = female. Only a hint for
 * prefilling; the card keeps gender as its own field. */
typedef enum rk_gender_hint {
    RK_GENDER_HINT_FEMALE = 0,
    RK_GENDER_HINT_MALE   = 1,
} rk_gender_hint;

typedef struct rk_hetu {
    char           code[RK_HETU_SIZE];  /* normalised */
    rk_date        birth;               /* full year from the century sign */
    int            individual;          /* NNN, 2-999 */
    bool           temporary;           /* NNN 900-999; still valid */
    rk_gender_hint gender_hint;
} rk_hetu;

/* out may be NULL to only validate. */
int  rk_hetu_parse(const char *input, rk_hetu *out, rk_err *err);

/* Check character for a birth date in 1800-2099 and individual number
 * 2-999, or '\0' if either is out of range. */
char rk_hetu_check_char(const rk_date *birth, int individual);

/* Builds a valid code (demo data, temporary codes). sign '\0' picks the
 * classic sign of the century ('+', '-', 'A'); otherwise it must belong to
 * the birth year's century. */
int  rk_hetu_make(const rk_date *birth, int individual, char sign,
                  char out[RK_HETU_SIZE], rk_err *err);

/* Display form "131052-****": the first 7 characters of the normalised input
 * (birth date and century sign), then '*'. Always 11 characters; positions
 * the input does not fill are '*', so nothing past the sign ever shows. */
void rk_hetu_mask(const char *code, char out[RK_HETU_SIZE]);

/* What a search string is, so a search can match a full code exactly or by
 * birth-date prefix. DDMMYY must be a date in some century 1800-2099;
 * DDMMYYC a date in the sign's century; FULL a code rk_hetu_parse accepts
 * (an 11-character string it rejects is NONE; ask rk_hetu_parse why).
 * norm (may be NULL) receives the normalised string for any kind but NONE. */
typedef enum rk_hetu_query {
    RK_HETU_QUERY_NONE = 0,
    RK_HETU_QUERY_BIRTH_DATE,          /* DDMMYY  */
    RK_HETU_QUERY_BIRTH_DATE_CENTURY,  /* DDMMYYC */
    RK_HETU_QUERY_FULL,                /* DDMMYYCNNNQ, valid */
} rk_hetu_query;

rk_hetu_query rk_hetu_query_kind(const char *search, char norm[RK_HETU_SIZE]);

/* ---- Y-tunnus (business ID) NNNNNNN-C ----
 * Weights 7,9,10,5,8,4,2 on the digits; r = sum mod 11; C = 0 if r = 0,
 * 11 - r if r > 1; r = 1 means no valid ID has these digits. The old
 * six-digit form NNNNNN-C is accepted and left-padded with 0. */

#define RK_YTUNNUS_LEN  9
#define RK_YTUNNUS_SIZE (RK_YTUNNUS_LEN + 1)

/* out (may be NULL) receives the normalised 9-character form. */
int  rk_ytunnus_parse(const char *input, char out[RK_YTUNNUS_SIZE], rk_err *err);
/* Check digit '0'-'9' for seven digits, or '\0' if r = 1 or the input is
 * not exactly seven digits. */
char rk_ytunnus_check_digit(const char *seven_digits);

/* ---- Phone numbers, normalised to E.164 "+<digits>" ----
 * Digits may be separated by spaces, '-', '.' and one pair of parentheses.
 * A number starting with a single 0 is Finnish: the 0 becomes +358.
 * '+' or 00 starts an international number. After +358 a trunk 0, written
 * "(0)" or not, is dropped (+358 (0)40... = +35840...). Bounds: at most 15
 * digits in all (E.164); a Finnish number needs 6-12 digits after +358,
 * any other at least 7 digits including the country code. */

#define RK_PHONE_SIZE 17   /* '+', 15 digits, NUL */

int  rk_phone_normalise(const char *input, char out[RK_PHONE_SIZE], rk_err *err);

/* ---- E-mail address (syntax only, ASCII only) ----
 * One '@'; local part 1-64 characters of RFC 5322 atext and dots (no
 * leading, trailing or double dot; no quoted strings); domain of at least
 * two dot-separated labels, each 1-63 letters, digits or hyphens not at
 * either end, last label not all digits; at most 254 characters in all.
 * Internationalised domains must be given in their xn-- form.
 * Normalisation lowercases the domain and keeps the local part as typed. */

#define RK_EMAIL_MAX  254
#define RK_EMAIL_SIZE (RK_EMAIL_MAX + 1)

int  rk_email_normalise(const char *input, char out[RK_EMAIL_SIZE], rk_err *err);

/* ---- Finnish postcode: exactly five digits ---- */

#define RK_POSTCODE_SIZE 6

int  rk_postcode_check(const char *input, char out[RK_POSTCODE_SIZE], rk_err *err);

#endif
