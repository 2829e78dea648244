/* The program's language and its Finnish/Swedish conventions: where the
 * catalogs are, the per-user language over the locale, and the one place
 * that turns dates and times into text for people.
 *
 * Language: LANGUAGE, LC_ALL, LC_MESSAGES, LANG as gettext reads them; a
 * user's stored preference ("fi", "sv", "en"; "" follows the locale) is put
 * in LANGUAGE after login and wins.
 *
 * Dates: Finnish dd.mm.yyyy and times hh.mm. Swedish in Finland writes dates
 * and times the same way (Institutet för de inhemska språken: 2.3.2026,
 * kl. 14.05); we keep the zero-padded form so columns line up. Swedish with
 * a Swedish (sv_SE) LC_TIME gets Sweden's yyyy-mm-dd and hh:mm. English is
 * used in Finnish clinics, so it keeps the Finnish forms with 24-hour time.
 *
 * Order of names: the search index sorts in Finnish order (SFS 4600: å, ä,
 * ö after z; w with v is not merged). Swedish orders å, ä, ö after z in the
 * same sequence, so one order serves both (tests/unit/test_i18n.c). */
#ifndef RK_I18N_H
#define RK_I18N_H

#include <stdbool.h>
#include <stddef.h>

#include "validate.h"

#define RK_TEXTDOMAIN "rekisteri"

/* Binds the text domain to the first directory holding our catalogs, seen
 * from the executable (/proc/self/exe): build/locale or locale beside it (run
 * from the build tree), ../share/locale (installed, also when PREFIX was
 * staged or moved); else the compiled-in LOCALEDIR (PREFIX/share/locale).
 * REKISTERI_LOCALEDIR overrides all of them (tests, unusual layouts). */
void rk_i18n_init(void);

/* "", "fi", "sv" or "en". */
bool rk_language_valid(const char *code);
/* The languages a user may choose, in the order the account screen cycles:
 * "" (follow the locale), then each code. */
extern const char *const rk_languages[];
extern const size_t rk_languages_n;
/* The name of a language in that language ("suomi", "svenska", "English");
 * "" gives the translated "as the system (locale)". */
const char *rk_language_label(const char *code);

/* Speak `code` from now on ("" = back to the locale). Messages already
 * fetched keep their language; screens fetch theirs on every redraw. */
void rk_i18n_set_language(const char *code);
/* Messages of another language for a moment (the import matches column
 * headers written in any of the three): speak `code` until
 * rk_i18n_pop_language() puts back what was in use. One level. */
void rk_i18n_push_language(const char *code);
void rk_i18n_pop_language(void);
/* The language messages are in now: "fi", "sv" or "en" (read from the
 * catalog in use, so it is what the user sees). */
const char *rk_i18n_language(void);

/* Date and time for people, in the conventions of rk_i18n_language(). */
#define RK_DATE_TEXT 24
/* A date: "02.03.2026" (fi, sv_FI, en), "2026-03-02" (sv_SE). */
const char *rk_format_date(const rk_date *d, char *buf, size_t n);
/* A calendar day "YYYY-MM-DD" as rk_format_date; anything else unchanged. */
const char *rk_format_iso_date(const char *iso, char *buf, size_t n);
/* Local time of an ISO 8601 UTC stamp ("2026-03-02T12:05:00Z"):
 * "02.03.2026 14.05" ("" when iso is empty, "?" when unreadable). */
const char *rk_format_timestamp(const char *iso, char *buf, size_t n);
/* Today's local date as rk_format_date. */
const char *rk_format_today(char *buf, size_t n);

#endif
