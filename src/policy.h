/* Who may see and change which field: one table of role x field levels,
 * with defaults in code and an administrator's overrides in the database.
 * Every path that reads client data (screens, command line, exports,
 * reports) asks this module; the UI never receives a value it may not show. */
#ifndef RK_POLICY_H
#define RK_POLICY_H

#include "fields.h"
#include "roles.h"

/* Ordered: each level includes the ones before it. X(id, name, label) */
#define RK_LEVELS(X)                                                  \
    X(HIDDEN, "hidden", N_("hidden"))                                 \
    X(MASKED, "masked", N_("masked"))                                 \
    X(READ,   "read",   N_("read"))                                   \
    X(WRITE,  "write",  N_("read and write"))

typedef enum rk_level {
#define X(id, name, label) RK_LEVEL_##id,
    RK_LEVELS(X)
#undef X
    RK_LEVEL_COUNT
} rk_level;

const char *rk_level_name(rk_level l);
const char *rk_level_label(rk_level l);      /* translated */
int         rk_level_parse(const char *name); /* -1 if unknown */

/* The built-in default for a role and field. */
rk_level rk_policy_default(rk_role role, rk_field field);

/* Parts of a client's record kept beside the field table, each governed as
 * a whole by one row of the same policy table (`policy set ROLE consents
 * read`). A masked consent or call note would say nothing, so these take
 * hidden, read or write only. The services decide what "read" and "write"
 * allow (marketing's READ on consents still records refusals: consent.h).
 * X(id, name, label, reception, billing, marketing, dpo, admin) */
#define RK_AREAS(X)                                                                    \
    X(CONSENTS,   "consents",   N_("Consents and marketing bans"),                      \
      WRITE, HIDDEN, READ, WRITE, HIDDEN)                                               \
    X(CALL_NOTES, "call_notes", N_("Call-recording notes"),                             \
      WRITE, HIDDEN, HIDDEN, WRITE, HIDDEN)

typedef enum rk_area {
#define X(id, name, label, rec, bil, mkt, dpo, adm) RK_AREA_##id,
    RK_AREAS(X)
#undef X
    RK_AREA_COUNT
} rk_area;

const char *rk_area_name(rk_area a);
const char *rk_area_label(rk_area a);        /* translated */
int         rk_area_parse(const char *name); /* -1 if unknown */
rk_level    rk_policy_area_default(rk_role role, rk_area a);

/* The levels in force for one role: defaults with overrides applied. */
typedef struct rk_policy {
    rk_role  role;
    rk_level level[RK_F_COUNT];
    rk_level area[RK_AREA_COUNT];
} rk_policy;

/* Overrides as (field, level) pairs for the role, from the database. */
void rk_policy_init(rk_policy *p, rk_role role);
int  rk_policy_override(rk_policy *p, rk_field field, rk_level level);
/* MASKED counts as HIDDEN here. */
int  rk_policy_override_area(rk_policy *p, rk_area a, rk_level level);
/* One stored row (role, field or area name, level), applied when it is for
 * p's role. Rows naming what this version does not know are skipped: the
 * defaults stand for them. */
void rk_policy_apply_row(rk_policy *p, const char *role, const char *name, const char *level);
/* Whether an administrator may store (name, level): a known field or area
 * and a level it can take. RK_EUSAGE with a sentence otherwise. */
int  rk_policy_check_setting(const char *name, const char *level, rk_err *err);

/* Fields whose address content turvakielto hides from every role but dpo. */
bool rk_policy_turvakielto_hides(rk_field field);

/* Display form of a value the role sees only masked: "131052-****" for a
 * henkilötunnus, "+358*****567" for a phone number, "m***@example.fi" for an
 * e-mail address, the first letter and "***" for other text. */
void rk_policy_mask(rk_field field, const char *value, char *out, size_t n);

#endif
