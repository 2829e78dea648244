/* The client record, declared once: every field the privacy notices list,
 * with its category, type and flags. This table drives the card's form, the
 * policy (role x field), validation, field history, exports, reports and the
 * tests that check each of them covers every field. */
#ifndef RK_FIELDS_H
#define RK_FIELDS_H

#include "common.h"

/* Data categories, as the notices group them. X(id, name, label) */
#define RK_CATEGORIES(X)                                               \
    X(IDENTITY,   "identity",   N_("Identity"))                        \
    X(CONTACT,    "contact",    N_("Contact"))                         \
    X(PROTECTION, "protection", N_("Protections"))                     \
    X(BUSINESS,   "business",   N_("Business contact"))                \
    X(HOUSEHOLD,  "household",  N_("Household"))                       \
    X(HISTORY,    "history",    N_("History"))                         \
    X(BILLING,    "billing",    N_("Billing"))                         \
    X(SOURCES,    "sources",    N_("Data sources"))

typedef enum rk_category {
#define X(id, name, label) RK_CAT_##id,
    RK_CATEGORIES(X)
#undef X
    RK_CAT_COUNT
} rk_category;

typedef enum rk_field_type {
    RK_FT_TEXT,       /* one line of text */
    RK_FT_LONGTEXT,   /* several lines (interests, other information) */
    RK_FT_NAME,       /* personal name: letters, spaces, hyphens, apostrophes */
    RK_FT_HETU,       /* henkilötunnus, validate.h */
    RK_FT_DATE,       /* ISO yyyy-mm-dd stored; d.m.yyyy accepted */
    RK_FT_CHOICE,     /* one of the field's choices */
    RK_FT_FLAGS,      /* a set of the field's choices, stored "a,b" */
    RK_FT_BOOL,       /* "1" or "" */
    RK_FT_POSTCODE,   /* five digits */
    RK_FT_COUNTRY,    /* ISO 3166-1 alpha-2, "FI" */
    RK_FT_YTUNNUS,    /* business ID */
    /* the lists, last (rk_field_is_list) */
    RK_FT_PHONES,     /* list of (type, E.164 number) */
    RK_FT_EMAILS,     /* list of (type, address) */
    RK_FT_HOUSEHOLD,  /* list of (other client, relation) */
    RK_FT_EVENTS,     /* list of dated history events */
    RK_FT_SOURCES,    /* list of (source, date, note) */
} rk_field_type;

enum rk_field_flags {
    RK_FF_REQUIRED = 1 << 0,  /* a card cannot be saved without it */
    RK_FF_READONLY = 1 << 1,  /* assigned by the program (customer number) */
    RK_FF_SEARCH   = 1 << 2,  /* indexed for search as you type */
};

/* Choice lists. X(value stored, label) */
#define RK_CHOICES_GENDER(X)                 \
    X("female",  N_("female"))               \
    X("male",    N_("male"))                 \
    X("other",   N_("other"))                \
    X("unknown", N_("not given"))
#define RK_CHOICES_LANGUAGE(X)               \
    X("fi",    N_("Finnish"))                \
    X("sv",    N_("Swedish"))                \
    X("en",    N_("English"))                \
    X("other", N_("other"))
#define RK_CHOICES_CHANNEL(X)                \
    X("email", N_("e-mail"))                 \
    X("sms",   N_("SMS"))                    \
    X("phone", N_("phone"))                  \
    X("post",  N_("post"))
#define RK_CHOICES_POPREG_BANS(X)                                   \
    X("direct_marketing", N_("direct marketing"))                   \
    X("market_research",  N_("market and opinion research"))        \
    X("address_service",  N_("address service"))                   \
    X("genealogy",        N_("genealogy and person directories"))
#define RK_CHOICES_CONTACT_ROLE(X)               \
    X("decision_maker", N_("decision-maker"))    \
    X("administration", N_("administration"))    \
    X("billing",        N_("billing"))           \
    X("technical",      N_("technical"))
#define RK_CHOICES_LOYALTY(X)       \
    X("none",   N_("none"))         \
    X("member", N_("member"))       \
    X("silver", N_("silver"))       \
    X("gold",   N_("gold"))
#define RK_CHOICES_COLLECTION(X)                    \
    X("none",       N_("no open debt"))             \
    X("reminder",   N_("reminder sent"))            \
    X("collection", N_("in collection"))            \
    X("settled",    N_("settled"))

typedef struct rk_choice {
    const char *value;
    const char *label;   /* untranslated; _() when shown */
} rk_choice;

typedef struct rk_choice_list {
    const rk_choice *items;
    size_t count;
} rk_choice_list;

/* The fields. X(id, name, label, category, type, flags, choices)
 * Scalar fields are columns of the clients table; list fields have tables
 * of their own. The order here is the order on the card. */
#define RK_FIELDS(X)                                                                        \
    X(CUSTOMER_NO,  "customer_no",  N_("Customer number"),   IDENTITY, RK_FT_TEXT,     RK_FF_READONLY | RK_FF_SEARCH, NULL) \
    X(FIRST_NAMES,  "first_names",  N_("First names"),       IDENTITY, RK_FT_NAME,     RK_FF_REQUIRED | RK_FF_SEARCH, NULL) \
    X(LAST_NAME,    "last_name",    N_("Last name"),         IDENTITY, RK_FT_NAME,     RK_FF_REQUIRED | RK_FF_SEARCH, NULL) \
    X(HETU,         "hetu",         N_("Personal identity code"), IDENTITY, RK_FT_HETU, RK_FF_SEARCH, NULL)          \
    X(BIRTH_DATE,   "birth_date",   N_("Birth date"),        IDENTITY, RK_FT_DATE,     0, NULL)                      \
    X(GENDER,       "gender",       N_("Gender"),            IDENTITY, RK_FT_CHOICE,   0, &rk_choices_gender)        \
    X(LANGUAGE,     "language",     N_("Language"),          IDENTITY, RK_FT_CHOICE,   0, &rk_choices_language)      \
    X(STREET,       "street",       N_("Street address"),    CONTACT,  RK_FT_TEXT,     0, NULL)                      \
    X(POSTCODE,     "postcode",     N_("Postcode"),          CONTACT,  RK_FT_POSTCODE, 0, NULL)                      \
    X(POST_OFFICE,  "post_office",  N_("Post office"),       CONTACT,  RK_FT_TEXT,     0, NULL)                      \
    X(COUNTRY,      "country",      N_("Country"),           CONTACT,  RK_FT_COUNTRY,  0, NULL)                      \
    X(PHONES,       "phones",       N_("Phone numbers"),     CONTACT,  RK_FT_PHONES,   RK_FF_SEARCH, NULL)           \
    X(EMAILS,       "emails",       N_("E-mail addresses"),  CONTACT,  RK_FT_EMAILS,   RK_FF_SEARCH, NULL)           \
    X(PREFERRED_CHANNEL, "preferred_channel", N_("Preferred contact channel"), CONTACT, RK_FT_CHOICE, 0, &rk_choices_channel) \
    X(TURVAKIELTO,  "turvakielto",  N_("Non-disclosure for personal safety (turvakielto)"), PROTECTION, RK_FT_BOOL, 0, NULL) \
    X(POPREG_BANS,  "popreg_bans",  N_("Population register bans"), PROTECTION, RK_FT_FLAGS, 0, &rk_choices_popreg_bans) \
    X(ORGANISATION, "organisation", N_("Organisation"),      BUSINESS, RK_FT_TEXT,     0, NULL)                      \
    X(YTUNNUS,      "ytunnus",      N_("Business ID (Y-tunnus)"), BUSINESS, RK_FT_YTUNNUS, 0, NULL)              \
    X(POSITION,     "position",     N_("Position"),          BUSINESS, RK_FT_TEXT,     0, NULL)                      \
    X(CONTACT_ROLE, "contact_role", N_("Contact role"),      BUSINESS, RK_FT_CHOICE,   0, &rk_choices_contact_role)  \
    X(HOUSEHOLD,    "household",    N_("Household members"), HOUSEHOLD, RK_FT_HOUSEHOLD, 0, NULL)                    \
    X(EVENTS,       "events",       N_("Service use, purchases, feedback and contacts"), HISTORY, RK_FT_EVENTS, 0, NULL) \
    X(LOYALTY,      "loyalty",      N_("Loyalty status"),    HISTORY,  RK_FT_CHOICE,   0, &rk_choices_loyalty)       \
    X(INTERESTS,    "interests",    N_("Interests"),         HISTORY,  RK_FT_LONGTEXT, 0, NULL)                      \
    X(OTHER_INFO,   "other_info",   N_("Other information given by the client"), HISTORY, RK_FT_LONGTEXT, 0, NULL)  \
    X(BILLING_ADDRESS, "billing_address", N_("Billing address"), BILLING, RK_FT_TEXT, 0, NULL)                       \
    X(EINVOICE_ADDRESS, "einvoice_address", N_("E-invoice address"), BILLING, RK_FT_TEXT, 0, NULL)                  \
    X(COLLECTION,   "collection",   N_("Collection status"), BILLING,  RK_FT_CHOICE,   0, &rk_choices_collection)    \
    X(SOURCES,      "sources",      N_("Where the data came from"), SOURCES, RK_FT_SOURCES, 0, NULL)

extern const rk_choice_list rk_choices_gender, rk_choices_language, rk_choices_channel,
    rk_choices_popreg_bans, rk_choices_contact_role, rk_choices_loyalty, rk_choices_collection;

typedef enum rk_field {
#define X(id, name, label, cat, type, flags, choices) RK_F_##id,
    RK_FIELDS(X)
#undef X
    RK_F_COUNT
} rk_field;

typedef struct rk_field_def {
    const char *name;
    const char *label;              /* untranslated */
    rk_category category;
    rk_field_type type;
    unsigned flags;
    const rk_choice_list *choices;  /* CHOICE and FLAGS only */
} rk_field_def;

extern const rk_field_def rk_fields[RK_F_COUNT];

const char *rk_category_name(rk_category c);
const char *rk_category_label(rk_category c);   /* translated */
int  rk_field_parse(const char *name);           /* -1 if unknown */
/* Stored in a table of its own: the list types close the type enum. Inline:
 * asked for every field of every client a load writes. */
static inline bool rk_field_is_list(rk_field f)
{
    return rk_fields[f].type >= RK_FT_PHONES;
}
const char *rk_choice_label(const rk_choice_list *l, const char *value); /* translated; value if unknown */

#endif
