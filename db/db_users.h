/* SQL access to the users table. */
#ifndef RK_DB_USERS_H
#define RK_DB_USERS_H

#include "db.h"

typedef struct rk_user_row {
    int64_t id;
    char username[RK_USERNAME_MAX + 1];
    char full_name[RK_FULLNAME_MAX + 1];
    char role[16];              /* rk_role_name() */
    bool active;
    char created[32];           /* ISO 8601 UTC; "" when never */
    char password_changed[32];
    char last_login[32];
    char language[16];          /* "" = follow the locale */
} rk_user_row;

int rk_dbu_insert(rk_db *db, const rk_user_row *u, rk_err *err); /* RK_ECONFLICT if taken */
int rk_dbu_get(rk_db *db, const char *username, rk_user_row *out, rk_err *err); /* RK_ENOTFOUND */
int rk_dbu_list(rk_db *db, rk_user_row **rows, size_t *n, rk_err *err); /* by username; free() */
int rk_dbu_set_active(rk_db *db, const char *username, bool active, rk_err *err);
int rk_dbu_set_role(rk_db *db, const char *username, const char *role, rk_err *err);
int rk_dbu_set_full_name(rk_db *db, const char *username, const char *full_name, rk_err *err);
int rk_dbu_set_language(rk_db *db, const char *username, const char *language, rk_err *err);
int rk_dbu_touch_login(rk_db *db, const char *username, const char *ts, rk_err *err);
int rk_dbu_touch_password(rk_db *db, const char *username, const char *ts, rk_err *err);
int rk_dbu_count_active_role(rk_db *db, const char *role, int *n, rk_err *err);

#endif
