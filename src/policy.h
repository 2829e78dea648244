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

/* The levels in force for one role: defaults with overrides applied. */
typedef struct rk_policy {
    rk_role  role;
    rk_level level[RK_F_COUNT];
} rk_policy;

/* Overrides as (field, level) pairs for the role, from the database. */
void rk_policy_init(rk_policy *p, rk_role role);
int  rk_policy_override(rk_policy *p, rk_field field, rk_level level);

/* Fields whose address content turvakielto hides from every role but dpo. */
bool rk_policy_turvakielto_hides(rk_field field);

/* Display form of a value the role sees only masked: "131052-****" for a
 * henkilötunnus, "+358*****567" for a phone number, "m***@example.fi" for an
 * e-mail address, the first letter and "***" for other text. */
void rk_policy_mask(rk_field field, const char *value, char *out, size_t n);

#endif
