/* SQL access to the settings table (key -> text value). Which keys exist and
 * what they may hold is src/config.c's table, not this module's. */
#ifndef RK_DB_SETTINGS_H
#define RK_DB_SETTINGS_H

#include "db.h"

int rk_dbs_get(rk_db *db, const char *key, char *val, size_t valsize, rk_err *err); /* RK_ENOTFOUND */
int rk_dbs_set(rk_db *db, const char *key, const char *val, rk_err *err);

#endif
