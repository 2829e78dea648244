/* Demo data generator: reproducible from the seed, every value passes the
 * real validators, only temporary henkilötunnus codes and reserved e-mail
 * domains, valid Y-tunnus, realistic shares and skew. Expected shares have
 * wide margins: the checks are for gross mistakes, not for exact numbers. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "demo_data.h"

#define N 10000

/* Check's ck_assert_* records every passing assertion through its pipe,
 * which made the per-client checks slower than generating the clients. */
#define MUST(cond, ...)                 \
    do {                                \
        if (!(cond))                    \
            ck_abort_msg(__VA_ARGS__);  \
    } while (0)

static bool is(const char *a, const char *b) { return strcmp(a, b) == 0; }
static const char *val(const rk_client *c, rk_field f) { return c->value[f]; }

typedef void (*visit_fn)(const rk_client *c, void *ctx);

/* Generates n clients from seed, checking each passes rk_client_check. */
static void each_client(uint64_t seed, int n, visit_fn fn, void *ctx)
{
    rk_demo_gen *g = rk_demo_gen_new(seed);
    ck_assert_ptr_nonnull(g);
    for (int i = 0; i < n; i++) {
        rk_client *c = rk_client_new();
        MUST(c != NULL, "out of memory");
        rk_err err;
        rk_err_clear(&err);
        int rc = rk_demo_gen_client(g, c, &err);
        MUST(rc == RK_OK, "client %d: %s", i, err.msg);
        int bad = 0;
        rc = rk_client_check(c, &bad, &err);
        MUST(rc == RK_OK, "client %d fails the card check (field %d): %s", i, bad,
             err.msg);
        fn(c, ctx);
        rk_client_free(c);
    }
    rk_demo_gen_free(g);
}

static bool in_list(const char *s, const char *const *list)
{
    for (; *list; list++)
        if (is(s, *list))
            return true;
    return false;
}

/* ---------------------------------------------------------- determinism */

typedef struct {
    char name[100][160];
    char hetu[100][RK_HETU_SIZE];
    int n;
} firsts;

static void remember(const rk_client *c, void *ctx)
{
    firsts *f = ctx;
    snprintf(f->name[f->n], sizeof f->name[0], "%s %s|%s|%s", val(c, RK_F_FIRST_NAMES),
             val(c, RK_F_LAST_NAME), val(c, RK_F_BIRTH_DATE), val(c, RK_F_STREET));
    snprintf(f->hetu[f->n], sizeof f->hetu[0], "%s", val(c, RK_F_HETU));
    f->n++;
}

START_TEST(same_seed_same_clients)
{
    static firsts a, b, d;
    memset(&a, 0, sizeof a);
    memset(&b, 0, sizeof b);
    memset(&d, 0, sizeof d);
    each_client(2026, 100, remember, &a);
    each_client(2026, 100, remember, &b);
    each_client(2027, 100, remember, &d);
    int differ = 0;
    for (int i = 0; i < 100; i++) {
        ck_assert_str_eq(a.name[i], b.name[i]);
        ck_assert_str_eq(a.hetu[i], b.hetu[i]);
        differ += !is(a.name[i], d.name[i]) || !is(a.hetu[i], d.hetu[i]);
    }
    MUST(differ >= 95, "only %d of 100 clients differ with another seed", differ);
}
END_TEST

START_TEST(random_helpers)
{
    rk_demo_gen *g = rk_demo_gen_new(1), *h = rk_demo_gen_new(1);
    ck_assert_uint_eq(rk_demo_gen_below(g, 0), 0);
    rk_demo_gen_below(h, 0);
    int hist[7] = { 0 };
    for (int i = 0; i < 70000; i++) {
        uint32_t r = rk_demo_gen_below(g, 7);
        MUST(r < 7, "below(7) gave %u", r);
        MUST(r == rk_demo_gen_below(h, 7), "same seed, different draw");
        hist[r]++;
    }
    for (int i = 0; i < 7; i++)
        MUST(hist[i] > 9000 && hist[i] < 11000, "value %d drawn %d times", i, hist[i]);
    ck_assert_uint_ne(rk_demo_gen_u64(g), rk_demo_gen_u64(g));
    rk_demo_gen_free(g);
    rk_demo_gen_free(h);
    rk_demo_gen_free(NULL);
}
END_TEST

/* ----------------------------------------------------- henkilötunnus */

typedef struct {
    int n, without, female, male, new_sign;
    char (*codes)[RK_HETU_SIZE];
} hetu_stats;

static void check_hetu(const rk_client *c, void *ctx)
{
    hetu_stats *s = ctx;
    const char *code = val(c, RK_F_HETU), *birth = val(c, RK_F_BIRTH_DATE);
    const char *gender = val(c, RK_F_GENDER);
    MUST(strlen(birth) == 10 && strcmp(birth, "1925-01-01") >= 0 &&
             strcmp(birth, "2024-12-31") <= 0,
         "birth date '%s'", birth);
    MUST(is(gender, "female") || is(gender, "male") || is(gender, "other") ||
             is(gender, "unknown"),
         "gender '%s'", gender);
    s->female += is(gender, "female");
    s->male += is(gender, "male");
    if (!code[0]) {
        s->without++;
        return;
    }
    rk_hetu h;
    rk_err err;
    MUST(rk_hetu_parse(code, &h, &err) == RK_OK, "%s: %s", code, err.msg);
    MUST(h.temporary && h.individual >= 900 && h.individual <= 999,
         "%s is not a temporary code", code);
    char iso[RK_DATE_ISO_SIZE];
    MUST(rk_date_format_iso(&h.birth, iso, NULL) == RK_OK && is(iso, birth),
         "%s: birth date %s, code says %s", code, birth, iso);
    /* Parity by hand from the code itself: odd = male. */
    int parity = (code[9] - '0') % 2;
    MUST(parity == (h.gender_hint == RK_GENDER_HINT_MALE), "%s: parity", code);
    if (is(gender, "female"))
        MUST(parity == 0, "female with odd code %s", code);
    if (is(gender, "male"))
        MUST(parity == 1, "male with even code %s", code);
    s->new_sign += !strchr("-+A", code[6]);
    memcpy(s->codes[s->n++], code, RK_HETU_SIZE);
}

static int cmp_code(const void *a, const void *b) { return strcmp(a, b); }

START_TEST(hetu_temporary_and_consistent)
{
    hetu_stats s = { 0 };
    s.codes = calloc(N, sizeof *s.codes);
    each_client(11, N, check_hetu, &s);
    MUST(s.without > N / 100 && s.without < N * 5 / 100, "%d without a code",
         s.without);
    MUST(s.female > N * 4 / 10 && s.male > N * 4 / 10, "%d female, %d male",
         s.female, s.male);
    MUST(s.new_sign > 0 && s.new_sign < N / 20, "%d codes with a 2023 sign",
         s.new_sign);
    /* The registry's hetu column is UNIQUE: no code twice. */
    qsort(s.codes, (size_t)s.n, sizeof *s.codes, cmp_code);
    for (int i = 1; i < s.n; i++)
        MUST(strcmp(s.codes[i - 1], s.codes[i]) != 0, "%s twice", s.codes[i]);
    free(s.codes);
}
END_TEST

/* ---------------------------------------------------------------- names */

static const char *const female_only[] = {
    "Maria", "Helena", "Anna", "Johanna", "Aino", "Kaarina", "Åsa", "Ebba", "Liisa", NULL,
};
static const char *const male_only[] = {
    "Juhani", "Johannes", "Mikael", "Matti", "Timo", "Olavi", "Anders", "Björn", "Erik", NULL,
};
/* Finland-Swedish names, a few of those named in the design brief. */
static const char *const swedish_first[] = {
    "Åsa", "Ebba", "Linnea", "Ingrid", "Birgitta", "Anders", "Björn", "Erik", "Lars",
    "Johan", "Fredrik", NULL,
};
static const char *const swedish_last[] = {
    "Lindholm", "Åberg", "Öhman", "Lindqvist", "Holmström", "Sjöberg", NULL,
};

typedef struct {
    char name[64];
    int count;
} name_count;

typedef struct {
    int n, sv, en, sv_swedish, fi, fi_swedish, sv_first, fi_first;
    int nlast;
    name_count last[1024];
} name_stats;

static void check_names(const rk_client *c, void *ctx)
{
    name_stats *s = ctx;
    const char *gender = val(c, RK_F_GENDER), *lang = val(c, RK_F_LANGUAGE);
    const char *last = val(c, RK_F_LAST_NAME);
    char first[160];
    snprintf(first, sizeof first, "%s", val(c, RK_F_FIRST_NAMES));
    int tokens = 0;
    bool swedish = false;
    char *save = NULL;
    for (char *t = strtok_r(first, " ", &save); t; t = strtok_r(NULL, " ", &save)) {
        tokens++;
        swedish |= in_list(t, swedish_first);
        if (is(gender, "female"))
            MUST(!in_list(t, male_only), "female client named %s", t);
        if (is(gender, "male"))
            MUST(!in_list(t, female_only), "male client named %s", t);
    }
    MUST(tokens >= 1 && tokens <= 3, "%d given names", tokens);
    MUST(last[0], "no last name");

    s->n++;
    if (is(lang, "sv")) {
        s->sv++;
        s->sv_swedish += in_list(last, swedish_last);
        s->sv_first += swedish;
    } else if (is(lang, "fi")) {
        s->fi++;
        s->fi_swedish += in_list(last, swedish_last);
        s->fi_first += swedish;
    } else {
        MUST(is(lang, "en"), "language %s", lang);
        s->en++;
    }
    if (strchr(last, '-'))
        return;   /* double-barrelled: counted apart from the name table */
    int i;
    for (i = 0; i < s->nlast && !is(s->last[i].name, last); i++)
        ;
    if (i == s->nlast) {
        MUST(s->nlast < 1024, "too many last names");
        snprintf(s->last[s->nlast++].name, sizeof s->last[0].name, "%s", last);
    }
    s->last[i].count++;
}

static int cmp_count_desc(const void *a, const void *b)
{
    const name_count *x = a, *y = b;
    return y->count - x->count;
}

static name_stats *names_of(uint64_t seed)
{
    name_stats *s = calloc(1, sizeof *s);
    each_client(seed, N, check_names, s);
    return s;
}

START_TEST(names_gender_consistent_and_languages)
{
    name_stats *s = names_of(12);
    MUST(s->sv > N * 3 / 100 && s->sv < N * 10 / 100, "%d Swedish speakers", s->sv);
    MUST(s->en > N / 200 && s->en < N * 4 / 100, "%d English speakers", s->en);
    /* Swedish speakers have Swedish surnames far more often. */
    MUST(s->sv_swedish >= 20, "only %d Swedish speakers with Swedish surnames",
         s->sv_swedish);
    double sv_share = (double)s->sv_swedish / s->sv, fi_share = (double)s->fi_swedish / s->fi;
    MUST(sv_share > 4 * fi_share, "Swedish surnames: %.3f of sv, %.3f of fi", sv_share,
fi_share);
    sv_share = (double)s->sv_first / s->sv;
    fi_share = (double)s->fi_first / s->fi;
    MUST(sv_share > 4 * fi_share, "Swedish given names: %.3f of sv, %.3f of fi", sv_share,
fi_share);
    free(s);
}
END_TEST

START_TEST(last_names_skewed)
{
    name_stats *s = names_of(13);
    qsort(s->last, (size_t)s->nlast, sizeof s->last[0], cmp_count_desc);
    MUST(s->nlast > 150, "only %d different last names", s->nlast);
    int top = s->last[0].count, median = s->last[s->nlast / 2].count;
    MUST(top >= 3 * median && top >= 80, "top %s %d, median %d", s->last[0].name,
         top, median);
    /* The most common is one of the real top ten. */
    static const char *const top10[] = { "Korhonen", "Virtanen", "Mäkinen", "Nieminen",
                                         "Mäkelä", "Hämäläinen", "Laine", "Heikkinen",
                                         "Koskinen", "Järvinen", NULL };
    MUST(in_list(s->last[0].name, top10), "most common last name %s",
         s->last[0].name);
    free(s);
}
END_TEST

/* ------------------------------------------------------- address, phone */

typedef struct {
    int n, codes_seen, mobile_first, two_phones;
    char seen[100000];
} addr_stats;

static void check_address(const rk_client *c, void *ctx)
{
    addr_stats *s = ctx;
    const char *pc = val(c, RK_F_POSTCODE), *office = val(c, RK_F_POST_OFFICE);
    MUST(strlen(pc) == 5 && strspn(pc, "0123456789") == 5, "postcode '%s'", pc);
    const char *expect = rk_demo_post_office(pc);
    MUST(expect && is(expect, office), "%s %s, table says %s", pc, office,
         expect ? expect : "nothing");
    if (!s->seen[atoi(pc)]++)
        s->codes_seen++;
    MUST(strlen(val(c, RK_F_STREET)) > 5, "street '%s'", val(c, RK_F_STREET));
    MUST(is(val(c, RK_F_COUNTRY), "FI"), "country %s", val(c, RK_F_COUNTRY));

    MUST(c->nphones >= 1 && c->nphones <= 2, "%zu phones", c->nphones);
    s->two_phones += c->nphones == 2;
    for (size_t i = 0; i < c->nphones; i++) {
        const rk_phone *p = &c->phones[i];
        MUST(strncmp(p->number, "+358", 4) == 0, "%s", p->number);
        if (is(p->type, "mobile")) {
            static const char *const pre[] = { "40", "41", "44", "45", "46", "50" };
            bool ok = false;
            for (size_t k = 0; k < 6; k++)
                ok |= strncmp(p->number + 4, pre[k], 2) == 0;
            MUST(ok && strlen(p->number) == 13, "mobile %s", p->number);
            s->mobile_first += i == 0;
        } else {
            MUST(is(p->type, "home") || is(p->type, "work"), "type %s", p->type);
        }
    }
    s->n++;
}

START_TEST(postcodes_map_to_offices)
{
    static const char *const known[][2] = {
        { "00100", "HELSINKI" }, { "20100", "TURKU" }, { "33100", "TAMPERE" },
        { "90100", "OULU" }, { "40100", "JYVÄSKYLÄ" }, { "65100", "VAASA" },
        { "70100", "KUOPIO" }, { "15110", "LAHTI" }, { "28100", "PORI" },
        { "96100", "ROVANIEMI" }, { "02100", "ESPOO" }, { "01300", "VANTAA" },
        { "06100", "PORVOO" }, { "22100", "MARIEHAMN" },
    };
    for (size_t i = 0; i < RK_ARRAY_LEN(known); i++) {
        const char *o = rk_demo_post_office(known[i][0]);
        MUST(o && is(o, known[i][1]), "%s -> %s", known[i][0], o ? o : "NULL");
    }
    ck_assert_ptr_null(rk_demo_post_office("99999"));
    ck_assert_ptr_null(rk_demo_post_office("0010"));
    ck_assert_ptr_null(rk_demo_post_office(NULL));

    /* Every five-digit string: as many hits as the table has pairs, so no
     * postcode is listed twice. */
    size_t hits = 0;
    char pc[6];
    for (int i = 0; i < 100000; i++) {
        snprintf(pc, sizeof pc, "%05d", i);
        hits += rk_demo_post_office(pc) != NULL;
    }
    ck_assert_uint_ge(rk_demo_postcode_count(), 150);
    ck_assert_uint_eq(hits, rk_demo_postcode_count());
}
END_TEST

START_TEST(addresses_and_phones)
{
    addr_stats *s = calloc(1, sizeof *s);
    each_client(14, N, check_address, s);
    MUST(s->codes_seen > 150, "only %d postcodes used", s->codes_seen);
    MUST(s->mobile_first > N * 8 / 10, "%d first phones mobile", s->mobile_first);
    MUST(s->two_phones > N / 20 && s->two_phones < N * 4 / 10, "%d with two phones",
         s->two_phones);
    free(s);
}
END_TEST

/* ---------------------------------------------------------------- e-mail */

/* Independent folding: lower-case, ä å -> a, ö -> o, é -> e, ü -> u. */
static void fold(const char *s, char *out)
{
    static const char *const from[] = { "ä", "Ä", "å", "Å", "ö", "Ö", "é", "ü" };
    static const char to[] = "aaaaooeu";
    while (*s) {
        size_t k;
        for (k = 0; k < 8 && strncmp(s, from[k], 2) != 0; k++)
            ;
        if (k < 8) {
            *out++ = to[k];
            s += 2;
        } else {
            *out++ = *s >= 'A' && *s <= 'Z' ? (char)(*s + 32) : *s;
            s++;
        }
    }
    *out = '\0';
}

typedef struct {
    int with, two;
    int channel_email, channel_sms;
} mail_stats;

static void check_email(const rk_client *c, void *ctx)
{
    mail_stats *s = ctx;
    char last[128];
    fold(val(c, RK_F_LAST_NAME), last);
    MUST(c->nemails <= 2, "%zu e-mails", c->nemails);
    s->with += c->nemails > 0;
    s->two += c->nemails == 2;
    for (size_t i = 0; i < c->nemails; i++) {
        const char *a = c->emails[i].address, *at = strchr(a, '@');
        MUST(at != NULL, "no @ in %s", a);
        MUST(is(at, "@example.com") || is(at, "@example.org") || is(at, "@example.net"),
             "address %s outside the reserved domains", a);
        for (const char *p = a; *p; p++)
            MUST((unsigned char)*p < 0x80, "non-ASCII in %s", a);
        MUST(strstr(a, last) != NULL, "%s lacks the last name %s", a, last);
    }
    const char *ch = val(c, RK_F_PREFERRED_CHANNEL);
    if (is(ch, "email")) {
        s->channel_email++;
        MUST(c->nemails > 0, "e-mail preferred without an address");
    }
    if (is(ch, "sms")) {
        bool mobile = false;
        for (size_t i = 0; i < c->nphones; i++)
            mobile |= is(c->phones[i].type, "mobile");
        s->channel_sms++;
        MUST(mobile, "SMS preferred without a mobile");
    }
}

START_TEST(emails_reserved_and_from_names)
{
    mail_stats s = { 0 };
    each_client(15, N, check_email, &s);
    MUST(s.with > N / 2 && s.two > N / 20, "%d with e-mail, %d with two", s.with,
         s.two);
    MUST(s.channel_email > N / 10 && s.channel_sms > N / 10, "%d e-mail, %d SMS",
         s.channel_email, s.channel_sms);
}
END_TEST

/* ------------------------------------------------------ business, flags */

typedef struct {
    int business, turvakielto, bans, loyal, interests;
} misc_stats;

static void check_business(const rk_client *c, void *ctx)
{
    misc_stats *s = ctx;
    const char *y = val(c, RK_F_YTUNNUS);
    if (!y[0]) {
        MUST(!val(c, RK_F_ORGANISATION)[0] && !val(c, RK_F_CONTACT_ROLE)[0] &&
        !val(c, RK_F_POSITION)[0],
    "business fields without a Y-tunnus");
    } else {
        s->business++;
        char norm[RK_YTUNNUS_SIZE];
        rk_err err;
        MUST(rk_ytunnus_parse(y, norm, &err) == RK_OK, "%s: %s", y, err.msg);
        MUST(is(norm, y), "%s not normalised", y);
        /* Check digit by hand as well: weights 7 9 10 5 8 4 2, mod 11. */
        static const int w[7] = { 7, 9, 10, 5, 8, 4, 2 };
        int sum = 0;
        for (int i = 0; i < 7; i++)
            sum += (y[i] - '0') * w[i];
        MUST(sum % 11 != 1 && y[8] - '0' == (sum % 11 ? 11 - sum % 11 : 0), "%s: check digit", y);
        MUST(strncmp(y, "39", 2) == 0, "%s outside the synthetic range", y);
        MUST(strlen(val(c, RK_F_ORGANISATION)) > 4, "organisation '%s'",
             val(c, RK_F_ORGANISATION));
        MUST(val(c, RK_F_POSITION)[0], "no position");
        MUST(val(c, RK_F_CONTACT_ROLE)[0], "no contact role");
    }
    s->turvakielto += is(val(c, RK_F_TURVAKIELTO), "1");
    s->bans += val(c, RK_F_POPREG_BANS)[0] != '\0';
    s->loyal += !is(val(c, RK_F_LOYALTY), "none");
    MUST(val(c, RK_F_LOYALTY)[0], "no loyalty status");
    s->interests += val(c, RK_F_INTERESTS)[0] != '\0';
}

START_TEST(business_contacts_and_protections)
{
    misc_stats s = { 0 };
    each_client(16, N, check_business, &s);
    MUST(s.business > N * 5 / 100 && s.business < N * 11 / 100, "%d business",
         s.business);
    MUST(s.turvakielto > 0 && s.turvakielto < N * 15 / 1000, "%d turvakielto",
         s.turvakielto);
    MUST(s.bans > N / 100 && s.bans < N * 4 / 100, "%d with bans", s.bans);
    MUST(s.loyal > N / 5 && s.loyal < N * 6 / 10, "%d loyalty members", s.loyal);
    MUST(s.interests > N / 4, "%d with interests", s.interests);
}
END_TEST

/* --------------------------------------------------- sources and events */

typedef struct {
    int client_first, popreg, events;
} hist_stats;

static void check_history(const rk_client *c, void *ctx)
{
    hist_stats *s = ctx;
    const char *birth = val(c, RK_F_BIRTH_DATE);
    MUST(c->nsources >= 1 && c->nsources <= 2, "%zu sources", c->nsources);
    s->client_first += is(c->sources[0].source, "client");
    for (size_t i = 0; i < c->nsources; i++) {
        s->popreg += is(c->sources[i].source, "population_register");
        MUST(strcmp(c->sources[i].date, "2015-01-01") >= 0 &&
                 strcmp(c->sources[i].date, "2025-12-31") <= 0 &&
                 strcmp(c->sources[i].date, birth) >= 0,
             "source date %s, born %s", c->sources[i].date, birth);
    }
    MUST(c->nevents <= 3, "%zu events", c->nevents);
    s->events += (int)c->nevents;
    for (size_t i = 0; i < c->nevents; i++) {
        const rk_event *e = &c->events[i];
        static const char *const kinds[] = { "service", "purchase", "cancellation",
                                             "feedback", NULL };
        MUST(in_list(e->kind, kinds), "kind %s", e->kind);
        MUST(e->text[0], "event without text");
        MUST(strcmp(e->date, c->sources[0].date) >= 0 &&
                 strcmp(e->date, "2025-12-31") <= 0,
             "event %s before the data %s", e->date, c->sources[0].date);
        if (i)
            MUST(strcmp(c->events[i - 1].date, e->date) <= 0, "events out of order");
    }
}

START_TEST(sources_and_events)
{
    hist_stats s = { 0 };
    each_client(17, N, check_history, &s);
    MUST(s.client_first > N * 7 / 10, "%d from the client", s.client_first);
    MUST(s.popreg > N / 20, "%d from the population register", s.popreg);
    MUST(s.events > N && s.events < 2 * N, "%d events", s.events);
}
END_TEST

/* ----------------------------------------------------------------- speed */

typedef struct {
    char ytunnus[RK_YTUNNUS_SIZE];
    char org[120];
} org_row;

typedef struct {
    int n, norgs;
    char (*codes)[RK_HETU_SIZE];
    org_row *orgs;
} all_codes;

static void collect(const rk_client *c, void *ctx)
{
    all_codes *a = ctx;
    if (val(c, RK_F_HETU)[0])
        memcpy(a->codes[a->n++], val(c, RK_F_HETU), RK_HETU_SIZE);
    if (val(c, RK_F_YTUNNUS)[0]) {
        org_row *r = &a->orgs[a->norgs++];
        snprintf(r->ytunnus, sizeof r->ytunnus, "%s", val(c, RK_F_YTUNNUS));
        snprintf(r->org, sizeof r->org, "%s", val(c, RK_F_ORGANISATION));
    }
}

/* 200,000 clients: a bound of 25 us each catches anything that grows with
 * the number generated (1,000,000 take about 4 s here). Sanitizers are far
 * slower, so only uniqueness is checked there, on fewer clients. */
START_TEST(fast_and_unique_at_scale)
{
#if defined(__SANITIZE_ADDRESS__)
    const int n = 30000;
#else
    const int n = 200000;
#endif
    all_codes a = { 0, 0, calloc((size_t)n, RK_HETU_SIZE), calloc((size_t)n, sizeof(org_row)) };
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    each_client(18, n, collect, &a);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double s = (double)(t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;
    fprintf(stderr, "demo_data: %d clients (with card checks) in %.2f s\n", n, s);
#if !defined(__SANITIZE_ADDRESS__)
    MUST(s < n * 25e-6, "%d clients took %.2f s", n, s);
#endif
    qsort(a.codes, (size_t)a.n, RK_HETU_SIZE, cmp_code);
    for (int i = 1; i < a.n; i++)
        MUST(strcmp(a.codes[i - 1], a.codes[i]) != 0, "%s twice", a.codes[i]);
    /* Contacts who share a Y-tunnus share the organisation too. */
    qsort(a.orgs, (size_t)a.norgs, sizeof *a.orgs, cmp_code);
    int shared = 0;
    for (int i = 1; i < a.norgs; i++)
        if (is(a.orgs[i - 1].ytunnus, a.orgs[i].ytunnus)) {
            shared++;
            MUST(is(a.orgs[i - 1].org, a.orgs[i].org), "%s is both %s and %s",
                 a.orgs[i].ytunnus, a.orgs[i - 1].org, a.orgs[i].org);
        }
    MUST(shared > 10, "only %d contacts share an organisation", shared);
    free(a.codes);
    free(a.orgs);
}
END_TEST

Suite *test_suite(void)
{
    Suite *s = suite_create("demo_data");
    TCase *tc = tcase_create("generator");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, same_seed_same_clients);
    tcase_add_test(tc, random_helpers);
    tcase_add_test(tc, hetu_temporary_and_consistent);
    tcase_add_test(tc, names_gender_consistent_and_languages);
    tcase_add_test(tc, last_names_skewed);
    tcase_add_test(tc, postcodes_map_to_offices);
    tcase_add_test(tc, addresses_and_phones);
    tcase_add_test(tc, emails_reserved_and_from_names);
    tcase_add_test(tc, business_contacts_and_protections);
    tcase_add_test(tc, sources_and_events);
    tcase_add_test(tc, fast_and_unique_at_scale);
    suite_add_tcase(s, tc);
    return s;
}
