/* Client fields: rk_client_set (client.h) for every field of the card.
 *
 * Input: byte 0 picks the field (mod RK_F_COUNT), the rest is the value (it
 * ends at a NUL, as a C string does).
 *
 * Invariants:
 *  - list fields are refused with RK_EUSAGE and the read-only customer
 *    number with RK_EFAIL; a refusal carries a message and leaves the stored
 *    value as it was;
 *  - normalisation is idempotent: an accepted value, set again, is accepted
 *    and stored unchanged;
 *  - what is stored fits the field's type: text is valid UTF-8 without
 *    control characters (newlines only in long text), at most
 *    RK_CLIENT_TEXT_MAX bytes, no blank at either end, no digit in a name;
 *    a henkilötunnus, date, postcode or Y-tunnus is in the normalised form
 *    its validator gives; a choice is one of the field's values; flags are
 *    distinct values in the list's order joined by ','; a boolean is "1" or
 *    ""; a country is two capital letters; "" clears any field;
 *  - setting a henkilötunnus sets the birth date to the code's date;
 *  - rk_client_clone copies the stored value. */
#include "fuzz.h"

#include "client.h"

static bool in_choices(const rk_choice_list *l, const char *v, size_t n)
{
    for (size_t i = 0; l && i < l->count; i++)
        if (strlen(l->items[i].value) == n && strncmp(l->items[i].value, v, n) == 0)
            return true;
    return false;
}

static void check_text(const char *field, const char *v, size_t max, bool newlines)
{
    size_t n = strlen(v);
    static uint32_t cps[RK_CLIENT_TEXT_MAX + 1];
    size_t count = 0;
    FUZZ_CHECK(n <= max, "%s stored %zu bytes, at most %zu allowed", field, n, max);
    if (!fuzz_utf8_decode((const unsigned char *)v, n, cps, RK_ARRAY_LEN(cps), &count)) {
        fprintf(stderr, "%s stored:", field);
        for (size_t i = 0; i < n && i < 64; i++)
            fprintf(stderr, " %02x", (unsigned char)v[i]);
        fputc('\n', stderr);
        FUZZ_CHECK(false, "%s stored text that is not valid UTF-8", field);
    }
    for (size_t i = 0; i < count; i++) {
        uint32_t c = cps[i];
        bool control = (c < 0x20 && !(newlines && c == '\n')) || c == 0x7f ||
                       (c >= 0x80 && c <= 0x9f);
        FUZZ_CHECK(!control, "%s stored control U+%04X", field, (unsigned)c);
    }
}

static void check_stored(rk_field f, const char *v)
{
    const rk_field_def *def = &rk_fields[f];
    size_t n = strlen(v);
    if (n == 0)
        return;
    FUZZ_CHECK(v[0] != ' ' && v[0] != '\t' && v[n - 1] != ' ' && v[n - 1] != '\t',
               "%s stored with a blank at an end", def->name);
    switch (def->type) {
    case RK_FT_TEXT:
        check_text(def->name, v, RK_CLIENT_TEXT_MAX, false);
        break;
    case RK_FT_LONGTEXT:
        check_text(def->name, v, RK_CLIENT_TEXT_MAX, true);
        break;
    case RK_FT_NAME:
        check_text(def->name, v, RK_CLIENT_TEXT_MAX, false);
        for (const char *p = v; *p; p++)
            FUZZ_CHECK(!(*p >= '0' && *p <= '9'), "name \"%s\" with a digit", v);
        break;
    case RK_FT_HETU: {
        rk_hetu h;
        FUZZ_CHECK(rk_hetu_parse(v, &h, NULL) == RK_OK && strcmp(h.code, v) == 0,
                   "stored henkilötunnus \"%s\" is not normalised", v);
        break;
    }
    case RK_FT_DATE: {
        rk_date d;
        char iso[RK_DATE_ISO_SIZE];
        FUZZ_CHECK(rk_date_parse(v, &d, NULL) == RK_OK &&
                       rk_date_format_iso(&d, iso, NULL) == RK_OK && strcmp(iso, v) == 0,
                   "stored date \"%s\" is not ISO", v);
        break;
    }
    case RK_FT_CHOICE:
        FUZZ_CHECK(in_choices(def->choices, v, n), "%s stored \"%s\"", def->name, v);
        break;
    case RK_FT_FLAGS: {
        size_t last = 0;
        bool first = true;
        for (const char *p = v;;) {
            const char *comma = strchr(p, ',');
            size_t len = comma ? (size_t)(comma - p) : strlen(p);
            size_t idx = def->choices->count;
            for (size_t i = 0; i < def->choices->count; i++)
                if (strlen(def->choices->items[i].value) == len &&
                    strncmp(def->choices->items[i].value, p, len) == 0)
                    idx = i;
            FUZZ_CHECK(idx < def->choices->count, "%s stored \"%s\"", def->name, v);
            FUZZ_CHECK(first || idx > last, "%s \"%s\" out of order or repeated", def->name, v);
            last = idx;
            first = false;
            if (!comma)
                break;
            p = comma + 1;
        }
        break;
    }
    case RK_FT_BOOL:
        FUZZ_CHECK(strcmp(v, "1") == 0, "boolean stored \"%s\"", v);
        break;
    case RK_FT_POSTCODE:
        FUZZ_CHECK(n == 5 && fuzz_is_digits(v, 5), "postcode stored \"%s\"", v);
        break;
    case RK_FT_COUNTRY:
        FUZZ_CHECK(n == 2 && v[0] >= 'A' && v[0] <= 'Z' && v[1] >= 'A' && v[1] <= 'Z',
                   "country stored \"%s\"", v);
        break;
    case RK_FT_YTUNNUS: {
        char y[RK_YTUNNUS_SIZE];
        FUZZ_CHECK(rk_ytunnus_parse(v, y, NULL) == RK_OK && strcmp(y, v) == 0,
                   "Y-tunnus stored \"%s\"", v);
        break;
    }
    default:
        FUZZ_CHECK(false, "list field %s stored a value", def->name);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    rk_field f = (rk_field)(data[0] % RK_F_COUNT);
    char *value = fuzz_cstr(data + 1, size - 1, RK_CLIENT_TEXT_MAX + 64);
    rk_client *c = rk_client_new();
    if (!c)
        abort();
    const rk_field_def *def = &rk_fields[f];
    rk_err err;
    rk_err_clear(&err);
    char *before = c->value[f] ? strdup(c->value[f]) : NULL;

    int rc = rk_client_set(c, f, value, &err);
    if (rk_field_is_list(f)) {
        FUZZ_CHECK(rc == RK_EUSAGE && err.code == RK_EUSAGE && err.msg[0],
                   "list field %s: %d", def->name, rc);
    } else if (def->flags & RK_FF_READONLY) {
        FUZZ_CHECK(rc == RK_EFAIL && err.msg[0], "read-only %s: %d", def->name, rc);
    }
    if (rc != RK_OK) {
        FUZZ_CHECK(err.code == rc && err.msg[0], "%s refused (%d) without a message", def->name,
                   rc);
        FUZZ_CHECK((before == NULL && c->value[f] == NULL) ||
                       (before && c->value[f] && strcmp(before, c->value[f]) == 0),
                   "refused value changed %s", def->name);
        goto done;
    }

    const char *stored = c->value[f];
    FUZZ_CHECK(stored != NULL, "%s stored NULL", def->name);
    check_stored(f, stored);

    /* Idempotent: the stored value is accepted again, unchanged. */
    char *copy = strdup(stored);
    rk_err err2;
    rk_err_clear(&err2);
    FUZZ_CHECK(rk_client_set(c, f, copy, &err2) == RK_OK, "%s: stored \"%s\" refused: %s",
               def->name, copy, err2.msg);
    FUZZ_CHECK(strcmp(c->value[f], copy) == 0, "%s not idempotent: \"%s\" -> \"%s\"", def->name,
               copy, c->value[f]);

    if (def->type == RK_FT_HETU && copy[0]) {
        rk_hetu h;
        char iso[RK_DATE_ISO_SIZE];
        FUZZ_CHECK(rk_hetu_parse(copy, &h, NULL) == RK_OK &&
                       rk_date_format_iso(&h.birth, iso, NULL) == RK_OK &&
                       strcmp(c->value[RK_F_BIRTH_DATE], iso) == 0,
                   "birth date \"%s\" disagrees with %s", c->value[RK_F_BIRTH_DATE], copy);
    }

    rk_client *d = rk_client_clone(c);
    FUZZ_CHECK(d && strcmp(d->value[f], copy) == 0, "clone differs");
    rk_client_free(d);

    FUZZ_CHECK(rk_client_set(c, f, "", &err2) == RK_OK && c->value[f][0] == '\0',
               "\"\" does not clear %s", def->name);
    free(copy);
done:
    free(before);
    rk_client_free(c);
    free(value);
    return 0;
}
