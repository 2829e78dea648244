/* Password rules (NIST SP 800-63B): at least 12 characters (Unicode code
 * points), at most 256 bytes, not the username, not a commonly used password;
 * no composition rules. */
#ifndef RK_PASSWORD_H
#define RK_PASSWORD_H

#include "common.h"

#define RK_PASSWORD_MIN_CHARS 12
#define RK_PASSWORD_MAX_BYTES 256

int rk_password_acceptable(const char *user, const char *password, rk_err *err);

#endif
