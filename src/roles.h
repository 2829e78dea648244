/* The roles, declared once. The role lives only in the encrypted database;
 * the keyring gives access, never a role. */
#ifndef RK_ROLES_H
#define RK_ROLES_H

#include "common.h"

/* X(enum suffix, stored name, label, description) */
#define RK_ROLES(X)                                                            \
    X(RECEPTION, "reception", N_("Reception"),                                 \
      N_("Front desk: finds clients and keeps their identity and contact data")) \
    X(BILLING,   "billing",   N_("Billing"),                                   \
      N_("Invoicing and collection: reads identity, keeps billing data"))      \
    X(MARKETING, "marketing", N_("Marketing"),                                 \
      N_("Sees names, language, contact data and interests only"))             \
    X(DPO,       "dpo",       N_("Data protection officer"),                   \
      N_("Sees everything, handles requests and reads the audit log"))         \
    X(ADMIN,     "admin",     N_("Administrator"),                             \
      N_("Users, settings, backups and keys; sees no client data"))

typedef enum rk_role {
#define X(id, name, label, desc) RK_ROLE_##id,
    RK_ROLES(X)
#undef X
    RK_ROLE_COUNT,
    RK_ROLE_NONE = -1
} rk_role;

const char *rk_role_name(rk_role r);        /* "reception" */
const char *rk_role_label(rk_role r);       /* translated "Reception" */
const char *rk_role_description(rk_role r); /* translated */
rk_role     rk_role_parse(const char *name); /* RK_ROLE_NONE if unknown */

#endif
