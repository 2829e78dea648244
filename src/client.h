/* A client record as a service hands it to a screen or command: every value
 * already passed through the policy for the session's role (hidden fields are
 * NULL, masked ones masked), with the level of each field so a form knows
 * what it may edit. */
#ifndef RK_CLIENT_H
#define RK_CLIENT_H

#include "fields.h"
#include "policy.h"
#include "validate.h"

#define RK_LIST_TYPE_SIZE 24
#define RK_CLIENT_TEXT_MAX 4000   /* bytes of one text value */

#define RK_CHOICES_PHONE_TYPE(X) \
    X("mobile", N_("mobile")) X("home", N_("home")) X("work", N_("work")) X("other", N_("other"))
#define RK_CHOICES_EMAIL_TYPE(X) \
    X("personal", N_("personal")) X("work", N_("work")) X("other", N_("other"))
#define RK_CHOICES_RELATION(X)                                                  \
    X("spouse", N_("spouse or partner")) X("child", N_("child"))                \
    X("parent", N_("parent")) X("guardian", N_("guardian")) X("other", N_("other"))
#define RK_CHOICES_EVENT_KIND(X)                                                \
    X("service", N_("service used")) X("cancellation", N_("cancellation"))      \
    X("purchase", N_("purchase")) X("feedback", N_("feedback"))                 \
    X("contact", N_("other contact")) X("message", N_("message sent"))
#define RK_CHOICES_SOURCE(X)                                                    \
    X("client", N_("the client")) X("population_register", N_("population register")) \
    X("credit_register", N_("credit register")) X("public_register", N_("public register")) \
    X("import", N_("import from an earlier register")) X("other", N_("another source"))

extern const rk_choice_list rk_choices_phone_type, rk_choices_email_type, rk_choices_relation,
    rk_choices_event_kind, rk_choices_source;

typedef struct rk_phone {
    char type[RK_LIST_TYPE_SIZE];
    char number[RK_PHONE_SIZE];       /* E.164 (or masked for display) */
} rk_phone;

typedef struct rk_email {
    char type[RK_LIST_TYPE_SIZE];
    char address[RK_EMAIL_SIZE];
} rk_email;

typedef struct rk_household_link {
    int64_t other_id;
    char relation[RK_LIST_TYPE_SIZE];
    char other_name[256];             /* display: "Last, First (customer no)" */
    int64_t other_no;                 /* the other's customer number; 0 = not read */
} rk_household_link;

typedef struct rk_event {
    int64_t id;
    char date[RK_DATE_ISO_SIZE];
    char kind[RK_LIST_TYPE_SIZE];
    char text[512];
    char user[RK_USERNAME_MAX + 1];
} rk_event;

typedef struct rk_source {
    char source[RK_LIST_TYPE_SIZE];
    char date[RK_DATE_ISO_SIZE];
    char note[256];
} rk_source;

typedef struct rk_client {
    int64_t id;                     /* 0 = not saved yet */
    int64_t version;                /* optimistic locking: bumped by every save */
    char    updated[32];
    char    updated_by[RK_USERNAME_MAX + 1];
    char   *value[RK_F_COUNT];      /* scalar fields; "" when empty, NULL when hidden or a list */
    rk_level level[RK_F_COUNT];     /* what the reader may do with each field */
    bool    restricted;             /* processing restricted (GDPR Art. 18) */
    rk_phone *phones;           size_t nphones;
    rk_email *emails;           size_t nemails;
    rk_household_link *household; size_t nhousehold;
    /* Links other clients' cards hold to this one (other_id: that client;
     * relation: what this one is to it). Shown here, changed there. */
    rk_household_link *household_of; size_t nhousehold_of;
    rk_event *events;           size_t nevents;
    rk_source *sources;         size_t nsources;
    char   *pool;                   /* values of a reused client (rk_client_reuse) */
    size_t  pool_used, pool_cap;
} rk_client;

rk_client *rk_client_new(void);
void       rk_client_free(rk_client *c);
/* Empties c as rk_client_new would make it, keeping its memory for the
 * next card: the lists' arrays, and a block its values are copied into
 * (those that do not fit are allocated as usual). For readers of many
 * cards. */
void       rk_client_reuse(rk_client *c);
/* A list field (phones, e-mails, household, events, sources) with no items. */
bool       rk_client_list_empty(const rk_client *c, rk_field f);
rk_client *rk_client_clone(const rk_client *c);

/* Stores a value as it is, without checks: for values read back from the
 * database (checked when written) and program-assigned fields. */
void rk_client_set_raw(rk_client *c, rk_field f, const char *value);
/* The field's value gone (NULL: hidden from the role). */
void rk_client_clear_value(rk_client *c, rk_field f);

/* Validates and normalises one scalar value (the form's field check, the
 * command line's --set, import). "" clears the field. On success the
 * normalised value replaces the old one. */
int rk_client_set(rk_client *c, rk_field f, const char *value, rk_err *err);

/* List edits; each validates and normalises. */
int rk_client_add_phone(rk_client *c, const char *type, const char *number, rk_err *err);
int rk_client_add_email(rk_client *c, const char *type, const char *address, rk_err *err);
int rk_client_add_source(rk_client *c, const char *source, const char *date, const char *note,
                         rk_err *err);
int rk_client_add_event(rk_client *c, const char *date, const char *kind, const char *text,
                        rk_err *err);
int rk_client_add_household(rk_client *c, int64_t other_id, const char *relation, rk_err *err);
void rk_client_remove_item(rk_client *c, rk_field list, size_t index);

/* Whole-card check before saving: required fields, and the birth date agrees
 * with the henkilötunnus. err names the first field that is wrong;
 * *bad_field (may be NULL) says which. */
int rk_client_check(const rk_client *c, int *bad_field, rk_err *err);

#endif
