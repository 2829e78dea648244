#include "client.h"
#include "utf8.h"

#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define CHOICE(v, l) { v, l },
#define LIST(name, macro)                                      \
    static const rk_choice name##_items[] = { macro(CHOICE) }; \
    const rk_choice_list name = { name##_items, RK_ARRAY_LEN(name##_items) };
LIST(rk_choices_phone_type, RK_CHOICES_PHONE_TYPE)
LIST(rk_choices_email_type, RK_CHOICES_EMAIL_TYPE)
LIST(rk_choices_relation, RK_CHOICES_RELATION)
LIST(rk_choices_event_kind, RK_CHOICES_EVENT_KIND)
LIST(rk_choices_source, RK_CHOICES_SOURCE)
#undef LIST
#undef CHOICE

#define RK_MAX_LIST_ITEMS 50
#define RK_TEXT_MAX 200      /* one-line fields */
#define RK_NAME_MAX 100

/* Most fields of most cards are empty: they share this one empty string
 * instead of a strdup("") each (a million imported rows made ~28 million
 * allocations of nothing). A reused client (rk_client_reuse) copies its
 * values into a block of its own, which the next reuse empties: an import
 * reads a million cards through a few hundred clients instead of some
 * fourteen malloc and free pairs a row. Values are owned through own() and
 * release(). */
static char empty_value[1];

enum { CLIENT_POOL = 512 };

static bool in_pool(const rk_client *c, const char *v)
{
    uintptr_t p = (uintptr_t)c->pool, x = (uintptr_t)v;
    return c->pool && x >= p && x < p + c->pool_cap;
}

static char *own(rk_client *c, const char *v)
{
    if (!v || !*v)
        return empty_value;
    size_t n = strlen(v) + 1;
    if (c->pool && n <= c->pool_cap - c->pool_used) {
        char *at = c->pool + c->pool_used;
        memcpy(at, v, n);
        c->pool_used += n;
        return at;
    }
    return strdup(v);
}

static void release(rk_client *c, char *v)
{
    if (v != empty_value && !in_pool(c, v))
        free(v);
}

void rk_client_clear_value(rk_client *c, rk_field f)
{
    release(c, c->value[f]);
    c->value[f] = NULL;
}

static void set_new(rk_client *c)
{
    for (int f = 0; f < RK_F_COUNT; f++) {
        c->level[f] = RK_LEVEL_WRITE;
        c->value[f] = rk_field_is_list((rk_field)f) ? NULL : empty_value;
    }
}

rk_client *rk_client_new(void)
{
    rk_client *c = calloc(1, sizeof *c);
    if (c)
        set_new(c);
    return c;
}

void rk_client_reuse(rk_client *c)
{
    for (int f = 0; f < RK_F_COUNT; f++)
        release(c, c->value[f]);
    set_new(c);
    c->id = c->version = 0;
    c->updated[0] = c->updated_by[0] = '\0';
    c->restricted = false;
    c->nphones = c->nemails = c->nhousehold = c->nhousehold_of = c->nevents = c->nsources = 0;
    c->pool_used = 0;
    if (!c->pool && (c->pool = malloc(CLIENT_POOL)))
        c->pool_cap = CLIENT_POOL;
}

bool rk_client_list_empty(const rk_client *c, rk_field f)
{
    switch (rk_fields[f].type) {
    case RK_FT_PHONES: return c->nphones == 0;
    case RK_FT_EMAILS: return c->nemails == 0;
    case RK_FT_HOUSEHOLD: return c->nhousehold == 0;
    case RK_FT_EVENTS: return c->nevents == 0;
    case RK_FT_SOURCES: return c->nsources == 0;
    default: return true;
    }
}

void rk_client_free(rk_client *c)
{
    if (!c)
        return;
    for (int f = 0; f < RK_F_COUNT; f++)
        release(c, c->value[f]);
    free(c->pool);
    free(c->phones);
    free(c->emails);
    free(c->household);
    free(c->household_of);
    free(c->events);
    free(c->sources);
    free(c);
}

static void *dup_array(const void *src, size_t n, size_t size, bool *ok)
{
    if (!n)
        return NULL;
    void *p = malloc(n * size);
    if (!p) {
        *ok = false;
        return NULL;
    }
    memcpy(p, src, n * size);
    return p;
}

rk_client *rk_client_clone(const rk_client *c)
{
    rk_client *d = calloc(1, sizeof *d);
    if (!d)
        return NULL;
    *d = *c;
    d->pool = NULL;   /* its values are its own */
    d->pool_used = d->pool_cap = 0;
    bool ok = true;
    for (int f = 0; f < RK_F_COUNT; f++)
        if (c->value[f] && !(d->value[f] = own(d, c->value[f])))
            ok = false;
    d->phones = dup_array(c->phones, c->nphones, sizeof *c->phones, &ok);
    d->emails = dup_array(c->emails, c->nemails, sizeof *c->emails, &ok);
    d->household = dup_array(c->household, c->nhousehold, sizeof *c->household, &ok);
    d->household_of = dup_array(c->household_of, c->nhousehold_of, sizeof *c->household_of, &ok);
    d->events = dup_array(c->events, c->nevents, sizeof *c->events, &ok);
    d->sources = dup_array(c->sources, c->nsources, sizeof *c->sources, &ok);
    if (!ok) {
        rk_client_free(d);
        return NULL;
    }
    return d;
}

void rk_client_set_raw(rk_client *c, rk_field f, const char *value)
{
    if (rk_field_is_list(f))
        return;
    char *v = own(c, value);
    if (!v)
        return;   /* keeps the old value: callers check memory elsewhere */
    release(c, c->value[f]);
    c->value[f] = v;
}

/* ---- checks -------------------------------------------------------------- */

static int field_error(rk_field f, rk_err *err, const char *msg)
{
    return rk_err_set(err, RK_EFAIL, "%s: %s", _(rk_fields[f].label), msg);
}

/* Valid UTF-8 without control characters (newlines only when allowed). */
static const char *text_problem(const char *s, size_t max, bool newlines)
{
    size_t n = strlen(s);
    if (n > max)
        return _("the text is too long");
    for (size_t i = 0; i < n;) {
        unsigned char b = (unsigned char)s[i];
        if (b < 0x80) {
            if ((b < 0x20 && !(newlines && b == '\n')) || b == 0x7f)
                return _("the text contains a control character");
            i++;
            continue;
        }
        uint32_t cp;
        size_t len = rk_utf8_decode(s + i, n - i, &cp);
        if (!len)
            return _("the text is not valid UTF-8");
        if (cp >= 0x80 && cp < 0xA0)
            return _("the text contains a control character");
        i += len;
    }
    return NULL;
}

static const char *name_problem(const char *s)
{
    const char *p = text_problem(s, RK_NAME_MAX, false);
    if (p)
        return p;
    for (const char *q = s; *q; q++)
        if ((*q >= '0' && *q <= '9') || strchr("@#$%^&*()=+[]{}<>|\\/;:\"?!_~", *q))
            return _("a name may hold letters, spaces, hyphens, apostrophes and dots only");
    return NULL;
}

static const rk_choice *find_choice(const rk_choice_list *l, const char *v, size_t n)
{
    for (size_t i = 0; l && i < l->count; i++)
        if (strlen(l->items[i].value) == n && strncmp(l->items[i].value, v, n) == 0)
            return &l->items[i];
    return NULL;
}

static int choice_error(rk_field f, const rk_choice_list *l, const char *v, rk_err *err)
{
    char allowed[256] = "";
    for (size_t i = 0; i < l->count; i++) {
        strncat(allowed, l->items[i].value, sizeof allowed - strlen(allowed) - 1);
        if (i + 1 < l->count)
            strncat(allowed, ", ", sizeof allowed - strlen(allowed) - 1);
    }
    return rk_err_set(err, RK_EFAIL, _("%s: \"%s\" is not one of %s."), _(rk_fields[f].label), v,
                      allowed);
}

/* "a, b" -> "a,b" in the list's order, each once. */
static int normalise_flags(rk_field f, const char *v, char *out, size_t n, rk_err *err)
{
    const rk_choice_list *l = rk_fields[f].choices;
    bool on[32] = { false };
    const char *p = v;
    while (*p) {
        while (*p == ' ' || *p == ',')
            p++;
        const char *start = p;
        while (*p && *p != ',' && *p != ' ')
            p++;
        if (p == start)
            break;
        const rk_choice *ch = find_choice(l, start, (size_t)(p - start));
        if (!ch) {
            char bad[64];
            snprintf(bad, sizeof bad, "%.*s", (int)(p - start), start);
            return choice_error(f, l, bad, err);
        }
        on[ch - l->items] = true;
    }
    out[0] = '\0';
    for (size_t i = 0; i < l->count && i < 32; i++)
        if (on[i]) {
            if (out[0])
                strncat(out, ",", n - strlen(out) - 1);
            strncat(out, l->items[i].value, n - strlen(out) - 1);
        }
    return RK_OK;
}

static int parse_bool(const char *v, bool *out)
{
    static const char *yes[] = { "1", "yes", "true", "kyllä", "ja", "on" };
    static const char *no[] = { "0", "no", "false", "ei", "nej", "off" };
    for (size_t i = 0; i < RK_ARRAY_LEN(yes); i++)
        if (strcasecmp(v, yes[i]) == 0) {
            *out = true;
            return 0;
        }
    for (size_t i = 0; i < RK_ARRAY_LEN(no); i++)
        if (strcasecmp(v, no[i]) == 0) {
            *out = false;
            return 0;
        }
    return -1;
}

/* Copies value without surrounding white space into buf. */
static const char *trimmed(const char *value, char *buf, size_t n)
{
    while (*value == ' ' || *value == '\t')
        value++;
    rk_copy_str(buf, n, value);
    size_t len = strlen(buf);
    while (len && (buf[len - 1] == ' ' || buf[len - 1] == '\t'))
        buf[--len] = '\0';
    return buf;
}

int rk_client_set(rk_client *c, rk_field f, const char *value, rk_err *err)
{
    if (f < 0 || f >= RK_F_COUNT || rk_field_is_list(f))
        return rk_err_set(err, RK_EUSAGE, _("That field holds a list; add or remove its items."));
    if (rk_fields[f].flags & RK_FF_READONLY)
        return field_error(f, err, _("the program assigns this value; it cannot be set."));
    if (value && strlen(value) > RK_CLIENT_TEXT_MAX)
        return field_error(f, err, _("the text is too long."));

    char v[RK_CLIENT_TEXT_MAX + 1];
    trimmed(value ? value : "", v, sizeof v);
    char out[RK_CLIENT_TEXT_MAX + 1];
    rk_copy_str(out, sizeof out, v);
    const char *problem = NULL;
    rk_err verr;

    if (v[0] != '\0') {
        switch (rk_fields[f].type) {
        case RK_FT_TEXT:
            problem = text_problem(v, RK_TEXT_MAX, false);
            break;
        case RK_FT_LONGTEXT:
            problem = text_problem(v, RK_CLIENT_TEXT_MAX, true);
            break;
        case RK_FT_NAME:
            problem = name_problem(v);
            break;
        case RK_FT_HETU: {
            rk_hetu h;
            if (rk_hetu_parse(v, &h, &verr))
                return field_error(f, err, verr.msg);
            rk_copy_str(out, sizeof out, h.code);
            /* The code carries the birth date; keep the two in agreement. */
            char iso[RK_DATE_ISO_SIZE];
            if (rk_date_format_iso(&h.birth, iso, NULL) == RK_OK)
                rk_client_set_raw(c, RK_F_BIRTH_DATE, iso);
            break;
        }
        case RK_FT_DATE: {
            rk_date d;
            if (rk_date_parse(v, &d, &verr) || rk_date_format_iso(&d, out, &verr))
                return field_error(f, err, verr.msg);
            break;
        }
        case RK_FT_CHOICE:
            if (!find_choice(rk_fields[f].choices, v, strlen(v)))
                return choice_error(f, rk_fields[f].choices, v, err);
            break;
        case RK_FT_FLAGS:
            if (normalise_flags(f, v, out, sizeof out, err))
                return RK_EFAIL;
            break;
        case RK_FT_BOOL: {
            bool b;
            if (parse_bool(v, &b))
                return field_error(f, err, _("write yes or no."));
            rk_copy_str(out, sizeof out, b ? "1" : "");
            break;
        }
        case RK_FT_POSTCODE: {
            char pc[RK_POSTCODE_SIZE];
            if (rk_postcode_check(v, pc, &verr))
                return field_error(f, err, verr.msg);
            rk_copy_str(out, sizeof out, pc);
            break;
        }
        case RK_FT_COUNTRY:
            if (strlen(v) != 2 || !((v[0] | 0x20) >= 'a' && (v[0] | 0x20) <= 'z') ||
                !((v[1] | 0x20) >= 'a' && (v[1] | 0x20) <= 'z'))
                return field_error(f, err, _("write the two-letter country code, such as FI or SE."));
            out[0] = (char)(v[0] & ~0x20);
            out[1] = (char)(v[1] & ~0x20);
            out[2] = '\0';
            break;
        case RK_FT_YTUNNUS: {
            char y[RK_YTUNNUS_SIZE];
            if (rk_ytunnus_parse(v, y, &verr))
                return field_error(f, err, verr.msg);
            rk_copy_str(out, sizeof out, y);
            break;
        }
        default:
            return rk_err_set(err, RK_EUSAGE, _("That field holds a list; add or remove its items."));
        }
    }
    if (problem)
        return rk_err_set(err, RK_EFAIL, "%s: %s.", _(rk_fields[f].label), problem);
    rk_client_set_raw(c, f, out);
    return RK_OK;
}

/* ---- lists --------------------------------------------------------------- */

static int grow(void **arr, size_t *n, size_t size, rk_err *err)
{
    if (*n >= RK_MAX_LIST_ITEMS)
        return rk_err_set(err, RK_EFAIL, _("A list holds at most %d items."), RK_MAX_LIST_ITEMS);
    /* a reused client's array often has the room already (rk_client_reuse) */
    void *p = *arr;
    if (!p || malloc_usable_size(p) < (*n + 1) * size) {
        if (!(p = realloc(*arr, (*n + 1) * size)))
            return rk_err_set(err, RK_EFAIL, _("Out of memory."));
        *arr = p;
    }
    memset((char *)p + *n * size, 0, size);
    (*n)++;
    return RK_OK;
}

static int list_choice(rk_field f, const rk_choice_list *l, const char *v, const char *def,
                       char out[RK_LIST_TYPE_SIZE], rk_err *err)
{
    if (!v || !*v)
        v = def;
    if (!find_choice(l, v, strlen(v)))
        return choice_error(f, l, v, err);
    rk_copy_str(out, RK_LIST_TYPE_SIZE, v);
    return RK_OK;
}

static int list_date(rk_field f, const char *v, char out[RK_DATE_ISO_SIZE], rk_err *err)
{
    rk_date d;
    rk_err verr;
    if (rk_date_parse(v ? v : "", &d, &verr) || rk_date_format_iso(&d, out, &verr))
        return field_error(f, err, verr.msg);
    return RK_OK;
}

int rk_client_add_phone(rk_client *c, const char *type, const char *number, rk_err *err)
{
    rk_phone p;
    rk_err verr;
    if (list_choice(RK_F_PHONES, &rk_choices_phone_type, type, "mobile", p.type, err))
        return err->code;
    if (rk_phone_normalise(number ? number : "", p.number, &verr))
        return field_error(RK_F_PHONES, err, verr.msg);
    for (size_t i = 0; i < c->nphones; i++)
        if (strcmp(c->phones[i].number, p.number) == 0)
            return field_error(RK_F_PHONES, err, _("the number is already on the card."));
    if (grow((void **)&c->phones, &c->nphones, sizeof p, err))
        return err->code;
    c->phones[c->nphones - 1] = p;
    return RK_OK;
}

int rk_client_add_email(rk_client *c, const char *type, const char *address, rk_err *err)
{
    rk_email e;
    rk_err verr;
    if (list_choice(RK_F_EMAILS, &rk_choices_email_type, type, "personal", e.type, err))
        return err->code;
    if (rk_email_normalise(address ? address : "", e.address, &verr))
        return field_error(RK_F_EMAILS, err, verr.msg);
    for (size_t i = 0; i < c->nemails; i++)
        if (strcasecmp(c->emails[i].address, e.address) == 0)
            return field_error(RK_F_EMAILS, err, _("the address is already on the card."));
    if (grow((void **)&c->emails, &c->nemails, sizeof e, err))
        return err->code;
    c->emails[c->nemails - 1] = e;
    return RK_OK;
}

int rk_client_add_source(rk_client *c, const char *source, const char *date, const char *note,
                         rk_err *err)
{
    rk_source s = { 0 };
    if (list_choice(RK_F_SOURCES, &rk_choices_source, source, "client", s.source, err) ||
        list_date(RK_F_SOURCES, date, s.date, err))
        return err->code;
    const char *p = text_problem(note ? note : "", sizeof s.note - 1, false);
    if (p)
        return rk_err_set(err, RK_EFAIL, "%s: %s.", _(rk_fields[RK_F_SOURCES].label), p);
    rk_copy_str(s.note, sizeof s.note, note ? note : "");
    if (grow((void **)&c->sources, &c->nsources, sizeof s, err))
        return err->code;
    c->sources[c->nsources - 1] = s;
    return RK_OK;
}

int rk_client_add_event(rk_client *c, const char *date, const char *kind, const char *text,
                        rk_err *err)
{
    rk_event e = { 0 };
    if (list_date(RK_F_EVENTS, date, e.date, err) ||
        list_choice(RK_F_EVENTS, &rk_choices_event_kind, kind, "contact", e.kind, err))
        return err->code;
    const char *p = text_problem(text ? text : "", sizeof e.text - 1, false);
    if (p)
        return rk_err_set(err, RK_EFAIL, "%s: %s.", _(rk_fields[RK_F_EVENTS].label), p);
    rk_copy_str(e.text, sizeof e.text, text ? text : "");
    if (grow((void **)&c->events, &c->nevents, sizeof e, err))
        return err->code;
    c->events[c->nevents - 1] = e;
    return RK_OK;
}

int rk_client_add_household(rk_client *c, int64_t other_id, const char *relation, rk_err *err)
{
    rk_household_link h = { .other_id = other_id };
    if (other_id <= 0 || other_id == c->id)
        return field_error(RK_F_HOUSEHOLD, err, _("choose another client to link."));
    if (list_choice(RK_F_HOUSEHOLD, &rk_choices_relation, relation, "other", h.relation, err))
        return err->code;
    for (size_t i = 0; i < c->nhousehold; i++)
        if (c->household[i].other_id == other_id)
            return field_error(RK_F_HOUSEHOLD, err, _("that client is already linked."));
    if (grow((void **)&c->household, &c->nhousehold, sizeof h, err))
        return err->code;
    c->household[c->nhousehold - 1] = h;
    return RK_OK;
}

static void remove_at(void *arr, size_t *n, size_t size, size_t i)
{
    if (i >= *n)
        return;
    memmove((char *)arr + i * size, (char *)arr + (i + 1) * size, (*n - i - 1) * size);
    (*n)--;
}

void rk_client_remove_item(rk_client *c, rk_field list, size_t i)
{
    switch (rk_fields[list].type) {
    case RK_FT_PHONES: remove_at(c->phones, &c->nphones, sizeof *c->phones, i); break;
    case RK_FT_EMAILS: remove_at(c->emails, &c->nemails, sizeof *c->emails, i); break;
    case RK_FT_HOUSEHOLD: remove_at(c->household, &c->nhousehold, sizeof *c->household, i); break;
    case RK_FT_EVENTS: remove_at(c->events, &c->nevents, sizeof *c->events, i); break;
    case RK_FT_SOURCES: remove_at(c->sources, &c->nsources, sizeof *c->sources, i); break;
    default: break;
    }
}

int rk_client_check(const rk_client *c, int *bad_field, rk_err *err)
{
    if (bad_field)
        *bad_field = -1;
    for (int f = 0; f < RK_F_COUNT; f++)
        if ((rk_fields[f].flags & RK_FF_REQUIRED) && c->value[f] && c->value[f][0] == '\0' &&
            c->level[f] != RK_LEVEL_HIDDEN) {
            if (bad_field)
                *bad_field = f;
            return field_error((rk_field)f, err, _("this field is required."));
        }
    const char *hetu = c->value[RK_F_HETU], *birth = c->value[RK_F_BIRTH_DATE];
    if (hetu && birth && hetu[0] && birth[0] && c->level[RK_F_HETU] >= RK_LEVEL_READ) {
        rk_hetu h;
        char iso[RK_DATE_ISO_SIZE];
        if (rk_hetu_parse(hetu, &h, NULL) == RK_OK &&
            rk_date_format_iso(&h.birth, iso, NULL) == RK_OK && strcmp(iso, birth) != 0) {
            if (bad_field)
                *bad_field = RK_F_BIRTH_DATE;
            return field_error(RK_F_BIRTH_DATE, err,
                               _("the birth date differs from the one in the personal identity code."));
        }
    }
    return RK_OK;
}
