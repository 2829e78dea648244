/* User administration service: admin-only (except changing one's own
 * password), validated, audited in the same transaction, keyring kept in step. */
#ifndef RK_USERS_H
#define RK_USERS_H

#include "session.h"
#include "db_users.h"

typedef struct rk_user_info {
    rk_user_row row;
    bool has_slot;             /* a keyring slot exists */
    rk_lockout_status lockout;
} rk_user_info;

int rk_user_add(rk_session *s, const char *name, rk_role role, const char *full_name,
                const char *password, rk_err *err);
/* Own password (any role) or, for admin, anyone's (a reset). */
int rk_user_passwd(rk_session *s, const char *name, const char *password, rk_err *err);
int rk_user_set_active(rk_session *s, const char *name, bool active, rk_err *err);
int rk_user_unlock(rk_session *s, const char *name, rk_err *err);
/* The language the program speaks to a user after login: "fi", "sv", "en",
 * or "" to follow the locale. Own (any role) or anyone's (admin). */
int rk_user_set_language(rk_session *s, const char *name, const char *language, rk_err *err);
int rk_user_list(rk_session *s, rk_user_info **out, size_t *n, rk_err *err); /* free() */

#endif
