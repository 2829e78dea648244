#include "fields.h"

#include <string.h>

#define CHOICE(v, l) { v, l },
#define LIST(name, macro)                                   \
    static const rk_choice name##_items[] = { macro(CHOICE) }; \
    const rk_choice_list name = { name##_items, RK_ARRAY_LEN(name##_items) };
LIST(rk_choices_gender, RK_CHOICES_GENDER)
LIST(rk_choices_language, RK_CHOICES_LANGUAGE)
LIST(rk_choices_channel, RK_CHOICES_CHANNEL)
LIST(rk_choices_popreg_bans, RK_CHOICES_POPREG_BANS)
LIST(rk_choices_contact_role, RK_CHOICES_CONTACT_ROLE)
LIST(rk_choices_loyalty, RK_CHOICES_LOYALTY)
LIST(rk_choices_collection, RK_CHOICES_COLLECTION)
#undef LIST
#undef CHOICE

const rk_field_def rk_fields[RK_F_COUNT] = {
#define X(id, n, l, cat, type, flags, choices) \
    [RK_F_##id] = { n, l, RK_CAT_##cat, type, flags, choices },
    RK_FIELDS(X)
#undef X
};

static const struct {
    const char *name, *label;
} categories[RK_CAT_COUNT] = {
#define X(id, n, l) [RK_CAT_##id] = { n, l },
    RK_CATEGORIES(X)
#undef X
};

const char *rk_category_name(rk_category c)
{
    return c >= 0 && c < RK_CAT_COUNT ? categories[c].name : "?";
}

const char *rk_category_label(rk_category c)
{
    return c >= 0 && c < RK_CAT_COUNT ? _(categories[c].label) : "?";
}

int rk_field_parse(const char *name)
{
    for (int f = 0; f < RK_F_COUNT; f++)
        if (name && strcmp(name, rk_fields[f].name) == 0)
            return f;
    return -1;
}

const char *rk_choice_label(const rk_choice_list *l, const char *value)
{
    for (size_t i = 0; l && value && i < l->count; i++)
        if (strcmp(l->items[i].value, value) == 0)
            return _(l->items[i].label);
    return value ? value : "";
}
