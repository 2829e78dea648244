#include "i18n.h"

#include <libgen.h>
#include <limits.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "common.h"

/* A directory holds our catalogs when <dir>/fi/LC_MESSAGES/rekisteri.mo is
 * there: a source checkout's locale/ (only .po files) does not count. */
static bool has_catalogs(const char *dir)
{
    char mo[PATH_MAX + 64];
    snprintf(mo, sizeof mo, "%s/fi/LC_MESSAGES/" RK_TEXTDOMAIN ".mo", dir);
    return access(mo, R_OK) == 0;
}

void rk_i18n_init(void)
{
    static char dir[PATH_MAX + 32];
    const char *localedir = LOCALEDIR, *env = getenv("REKISTERI_LOCALEDIR");
    char exe[PATH_MAX];
    ssize_t n;
    if (env && *env) {
        localedir = env;
    } else if ((n = readlink("/proc/self/exe", exe, sizeof exe - 1)) > 0) {
        /* ./rekisteri in the checkout or build/rekisteri: the catalogs `make`
         * compiled into build/locale. Installed as PREFIX/bin/rekisteri: the
         * catalogs in PREFIX/share/locale, wherever PREFIX was moved to
         * (DESTDIR staging, a relocated tree). */
        exe[n] = '\0';
        const char *d = dirname(exe);
        const char *tries[] = { "build/locale", "locale", "../share/locale" };
        for (size_t i = 0; i < RK_ARRAY_LEN(tries); i++) {
            snprintf(dir, sizeof dir, "%s/%s", d, tries[i]);
            if (has_catalogs(dir)) {
                localedir = dir;
                break;
            }
        }
    }
    bindtextdomain(RK_TEXTDOMAIN, localedir);
    /* Our msgids and the database are UTF-8; the UI converts for a terminal
     * in another codeset, the command line prints through iconv-free UTF-8. */
    bind_textdomain_codeset(RK_TEXTDOMAIN, "UTF-8");
    textdomain(RK_TEXTDOMAIN);
}

const char *const rk_languages[] = { "", "fi", "sv", "en" };
const size_t rk_languages_n = RK_ARRAY_LEN(rk_languages);

bool rk_language_valid(const char *code)
{
    for (size_t i = 0; code && i < rk_languages_n; i++)
        if (strcmp(code, rk_languages[i]) == 0)
            return true;
    return false;
}

const char *rk_language_label(const char *code)
{
    /* Endonyms: a user who cannot read the current language still finds theirs. */
    if (code && strcmp(code, "fi") == 0)
        return "suomi";
    if (code && strcmp(code, "sv") == 0)
        return "svenska";
    if (code && strcmp(code, "en") == 0)
        return "English";
    return _("as the system (locale)");
}

/* What the process had before any user's preference: restored by "". */
static bool saved;
static char *orig_language;        /* NULL = LANGUAGE was unset */
static char *orig_messages;

static char current[8];      /* the code last set ("" = the locale) */
static char pushed[8];
static bool is_pushed;

void rk_i18n_push_language(const char *code)
{
    snprintf(pushed, sizeof pushed, "%s", current);
    is_pushed = true;
    rk_i18n_set_language(code);
}

void rk_i18n_pop_language(void)
{
    if (is_pushed)
        rk_i18n_set_language(pushed);
    is_pushed = false;
}

void rk_i18n_set_language(const char *code)
{
    snprintf(current, sizeof current, "%s", code ? code : "");
    if (!saved) {
        const char *l = getenv("LANGUAGE"), *m = setlocale(LC_MESSAGES, NULL);
        orig_language = l ? strdup(l) : NULL;
        orig_messages = strdup(m ? m : "C");
        saved = true;
    }
    if (code && *code) {
        setenv("LANGUAGE", code, 1);
        /* gettext ignores LANGUAGE under the "C" locale; C.UTF-8 is still
         * plain C for everything but that. */
        const char *m = setlocale(LC_MESSAGES, NULL);
        if (!m || strcmp(m, "C") == 0 || strcmp(m, "POSIX") == 0)
            setlocale(LC_MESSAGES, "C.UTF-8");
    } else {
        if (orig_language)
            setenv("LANGUAGE", orig_language, 1);
        else
            unsetenv("LANGUAGE");
        if (orig_messages)
            setlocale(LC_MESSAGES, orig_messages);
    }
    /* Setting the domain again drops gettext's cache of looked-up messages. */
    textdomain(textdomain(NULL));
}

const char *rk_i18n_language(void)
{
    /* The catalog's header names its language; no catalog means English. */
    static const char header[] = "";   /* a variable: not a message to extract */
    const char *hdr = gettext(header);
    const char *l = hdr && *hdr ? strstr(hdr, "Language: ") : NULL;
    if (l) {
        l += strlen("Language: ");
        if (strncmp(l, "fi", 2) == 0)
            return "fi";
        if (strncmp(l, "sv", 2) == 0)
            return "sv";
    }
    return "en";
}

/* Sweden writes ISO dates and hh:mm; Finland (in all three languages) d.m.y
 * and hh.mm. Only Swedish text with Swedish LC_TIME counts as Sweden. */
static bool sweden(void)
{
    const char *t = setlocale(LC_TIME, NULL);
    return strcmp(rk_i18n_language(), "sv") == 0 && t && strncmp(t, "sv_SE", 5) == 0;
}

const char *rk_format_date(const rk_date *d, char *buf, size_t n)
{
    if (sweden())
        snprintf(buf, n, "%04d-%02d-%02d", d->year, d->month, d->day);
    else
        snprintf(buf, n, "%02d.%02d.%04d", d->day, d->month, d->year);
    return buf;
}

const char *rk_format_iso_date(const char *iso, char *buf, size_t n)
{
    rk_date d;
    if (iso && strlen(iso) == 10 && iso[4] == '-' && rk_date_parse(iso, &d, NULL) == RK_OK)
        return rk_format_date(&d, buf, n);
    snprintf(buf, n, "%s", iso ? iso : "");
    return buf;
}

static const char *format_tm(const struct tm *tm, bool with_time, char *buf, size_t n)
{
    rk_date d = { tm->tm_year + 1900, tm->tm_mon + 1, tm->tm_mday };
    char date[RK_DATE_TEXT];
    rk_format_date(&d, date, sizeof date);
    if (!with_time)
        snprintf(buf, n, "%s", date);
    else
        snprintf(buf, n, sweden() ? "%s %02d:%02d" : "%s %02d.%02d", date, tm->tm_hour,
                 tm->tm_min);
    return buf;
}

const char *rk_format_timestamp(const char *iso, char *buf, size_t n)
{
    struct tm tm;
    memset(&tm, 0, sizeof tm);
    if (!iso || !*iso) {
        snprintf(buf, n, "%s", "");
        return buf;
    }
    const char *end = strptime(iso, "%Y-%m-%dT%H:%M:%S", &tm);
    if (!end) {
        snprintf(buf, n, "%s", "?");
        return buf;
    }
    time_t t = timegm(&tm);
    struct tm lt;
    localtime_r(&t, &lt);
    return format_tm(&lt, true, buf, n);
}

const char *rk_format_today(char *buf, size_t n)
{
    time_t now = time(NULL);
    struct tm tm;
    localtime_r(&now, &tm);
    return format_tm(&tm, false, buf, n);
}
