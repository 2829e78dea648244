#include "policy.h"

#include <stdio.h>
#include <string.h>

#include "validate.h"

static const struct {
    const char *name, *label;
} levels[RK_LEVEL_COUNT] = {
#define X(id, n, l) [RK_LEVEL_##id] = { n, l },
    RK_LEVELS(X)
#undef X
};

const char *rk_level_name(rk_level l) { return l >= 0 && l < RK_LEVEL_COUNT ? levels[l].name : "?"; }
const char *rk_level_label(rk_level l) { return l >= 0 && l < RK_LEVEL_COUNT ? _(levels[l].label) : "?"; }

int rk_level_parse(const char *name)
{
    for (int l = 0; l < RK_LEVEL_COUNT; l++)
        if (name && strcmp(name, levels[l].name) == 0)
            return l;
    return -1;
}

#define H RK_LEVEL_HIDDEN
#define M RK_LEVEL_MASKED
#define R RK_LEVEL_READ
#define W RK_LEVEL_WRITE

/* Defaults by category; the exceptions below refine single fields.
 *               identity contact protect business househ history billing sources */
static const rk_level by_category[RK_ROLE_COUNT][RK_CAT_COUNT] = {
    [RK_ROLE_RECEPTION] = { W, W, R, W, W, W, H, R },
    [RK_ROLE_BILLING]   = { R, R, R, R, H, H, W, H },
    [RK_ROLE_MARKETING] = { H, R, H, H, H, H, H, H },
    [RK_ROLE_DPO]       = { W, W, W, W, W, W, W, W },
    [RK_ROLE_ADMIN]     = { H, H, H, H, H, H, H, H },
};

static const struct {
    rk_role role;
    rk_field field;
    rk_level level;
} exceptions[] = {
    /* The front desk confirms identity from the first half of the code and
     * can still search by the whole code. */
    { RK_ROLE_RECEPTION, RK_F_HETU, M },
    { RK_ROLE_RECEPTION, RK_F_CUSTOMER_NO, R },
    { RK_ROLE_BILLING, RK_F_CUSTOMER_NO, R },
    /* Marketing: names, language, contact data and interests only. */
    { RK_ROLE_MARKETING, RK_F_FIRST_NAMES, R },
    { RK_ROLE_MARKETING, RK_F_LAST_NAME, R },
    { RK_ROLE_MARKETING, RK_F_LANGUAGE, R },
    { RK_ROLE_MARKETING, RK_F_INTERESTS, R },
    { RK_ROLE_DPO, RK_F_CUSTOMER_NO, R },
};

#undef H
#undef M
#undef R
#undef W

rk_level rk_policy_default(rk_role role, rk_field field)
{
    if (role < 0 || role >= RK_ROLE_COUNT || field < 0 || field >= RK_F_COUNT)
        return RK_LEVEL_HIDDEN;
    for (size_t i = 0; i < RK_ARRAY_LEN(exceptions); i++)
        if (exceptions[i].role == role && exceptions[i].field == field)
            return exceptions[i].level;
    rk_level l = by_category[role][rk_fields[field].category];
    /* Program-assigned fields are never written by anyone. */
    if (l == RK_LEVEL_WRITE && (rk_fields[field].flags & RK_FF_READONLY))
        l = RK_LEVEL_READ;
    return l;
}

static const struct {
    const char *name, *label;
    rk_level level[RK_ROLE_COUNT];
} areas[RK_AREA_COUNT] = {
#define X(id, n, l, rec, bil, mkt, dpo, adm)                                      \
    [RK_AREA_##id] = { n, l, { [RK_ROLE_RECEPTION] = RK_LEVEL_##rec,              \
                               [RK_ROLE_BILLING] = RK_LEVEL_##bil,                \
                               [RK_ROLE_MARKETING] = RK_LEVEL_##mkt,              \
                               [RK_ROLE_DPO] = RK_LEVEL_##dpo,                    \
                               [RK_ROLE_ADMIN] = RK_LEVEL_##adm } },
    RK_AREAS(X)
#undef X
};

static bool area_valid(rk_area a) { return (int)a >= 0 && a < RK_AREA_COUNT; }

const char *rk_area_name(rk_area a) { return area_valid(a) ? areas[a].name : "?"; }
const char *rk_area_label(rk_area a) { return area_valid(a) ? _(areas[a].label) : "?"; }

int rk_area_parse(const char *name)
{
    for (int a = 0; name && a < RK_AREA_COUNT; a++)
        if (strcmp(name, areas[a].name) == 0)
            return a;
    return -1;
}

rk_level rk_policy_area_default(rk_role role, rk_area a)
{
    if (role < 0 || role >= RK_ROLE_COUNT || !area_valid(a))
        return RK_LEVEL_HIDDEN;
    return areas[a].level[role];
}

void rk_policy_init(rk_policy *p, rk_role role)
{
    p->role = role;
    for (int f = 0; f < RK_F_COUNT; f++)
        p->level[f] = rk_policy_default(role, (rk_field)f);
    for (int a = 0; a < RK_AREA_COUNT; a++)
        p->area[a] = rk_policy_area_default(role, (rk_area)a);
}

int rk_policy_override(rk_policy *p, rk_field field, rk_level level)
{
    if (field < 0 || field >= RK_F_COUNT || level < 0 || level >= RK_LEVEL_COUNT)
        return RK_EUSAGE;
    /* The administrator role never sees client data, whatever is stored. */
    if (p->role == RK_ROLE_ADMIN)
        return RK_OK;
    if (level == RK_LEVEL_WRITE && (rk_fields[field].flags & RK_FF_READONLY))
        level = RK_LEVEL_READ;
    p->level[field] = level;
    return RK_OK;
}

int rk_policy_override_area(rk_policy *p, rk_area a, rk_level level)
{
    if (!area_valid(a) || level < 0 || level >= RK_LEVEL_COUNT)
        return RK_EUSAGE;
    if (p->role == RK_ROLE_ADMIN)
        return RK_OK;
    p->area[a] = level == RK_LEVEL_MASKED ? RK_LEVEL_HIDDEN : level;
    return RK_OK;
}

void rk_policy_apply_row(rk_policy *p, const char *role, const char *name, const char *level)
{
    int l = rk_level_parse(level);
    if (rk_role_parse(role) != p->role || l < 0)
        return;
    int f = rk_field_parse(name), a = rk_area_parse(name);
    if (f >= 0)
        rk_policy_override(p, (rk_field)f, (rk_level)l);
    else if (a >= 0)
        rk_policy_override_area(p, (rk_area)a, (rk_level)l);
}

int rk_policy_check_setting(const char *name, const char *level, rk_err *err)
{
    bool area = rk_area_parse(name) >= 0;
    if (!area && rk_field_parse(name) < 0)
        return rk_err_set(err, RK_EUSAGE, _("Unknown field \"%s\": \"rekisteri policy show\" lists them."), name);
    int l = rk_level_parse(level);
    if (l < 0)
        return rk_err_set(err, RK_EUSAGE, _("Unknown level \"%s\": use hidden, masked, read or write."), level);
    if (area && l == RK_LEVEL_MASKED)
        return rk_err_set(err, RK_EUSAGE, _("%s cannot be masked: use hidden, read or write."), name);
    return RK_OK;
}

bool rk_policy_turvakielto_hides(rk_field field)
{
    switch (field) {
    case RK_F_STREET: case RK_F_POSTCODE: case RK_F_POST_OFFICE: case RK_F_COUNTRY:
    case RK_F_BILLING_ADDRESS: case RK_F_HOUSEHOLD:
        return true;
    default:
        return false;
    }
}

void rk_policy_mask(rk_field field, const char *value, char *out, size_t n)
{
    if (!n)
        return;
    size_t len = value ? strlen(value) : 0;
    if (len == 0) {
        out[0] = '\0';
        return;
    }
    if (field == RK_F_HETU) {
        char m[RK_HETU_SIZE];
        rk_hetu_mask(value, m);
        snprintf(out, n, "%s", m);
        return;
    }
    if (value[0] == '+' && len > 7) {          /* phone: country code and last 3 */
        snprintf(out, n, "%.4s*****%s", value, value + len - 3);
        return;
    }
    const char *at = strchr(value, '@');
    if (at) {
        snprintf(out, n, "%.1s***%s", value, at);
        return;
    }
    /* First character (whole UTF-8 sequence) and stars. */
    size_t first = 1;
    while (first < len && ((unsigned char)value[first] & 0xC0) == 0x80)
        first++;
    snprintf(out, n, "%.*s***", (int)first, value);
}
