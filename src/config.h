/* Settings kept in the registry (admin changes them, every change audited).
 * One table declares each key, its default, its check and its help text. */
#ifndef RK_CONFIG_H
#define RK_CONFIG_H

#include "session.h"

/* X(enum suffix, key, default, validator, help) */
#define RK_CONFIG_KEYS(X)                                                       \
    X(IDLE_LOCK, "idle_lock", "10m", rk_config_check_duration,                  \
      N_("Lock the screen after this long without a key: 30s, 10m, 1h; 0 = never")) \
    X(KDF, "kdf", RK_KDF_DEFAULT, rk_config_check_kdf,                          \
      N_("Argon2id cost for new password slots: interactive, moderate or sensitive")) \
    X(REGISTRY_NAME, "registry_name", "Rekisteri", rk_config_check_text,        \
      N_("The registry's name shown in the title line"))                       \
    X(NOTICE_VERSION, "notice_version", "", rk_config_check_text,               \
      N_("Version of the privacy notice shown to clients, recorded with each consent change")) \
    X(OPTIN_CHANNELS, "consent_optin_channels", "email,sms", rk_config_check_optin, \
      N_("Channels on which marketing needs an explicit consent (email, sms, phone, post)")) \
    X(CALL_KEEP_MONTHS, "call_keep_months", "12", rk_config_check_months,       \
      N_("Months a call-recording note is kept by default (1-120)"))              \
    X(NO_CONTACT_MONTHS, "retention_no_contact_months", "36", rk_config_check_months, \
      N_("Erase a client after this many months without any contact (1-120)")) \
    X(BILLING_HOLD_MONTHS, "billing_hold_months", "72", rk_config_check_months, \
      N_("Months after the end of the erasure year that billing data stays under a legal hold (Kirjanpitolaki 2:10: 6 years = 72)"))

typedef enum rk_config_key {
#define X(id, key, def, check, help) RK_CONFIG_##id,
    RK_CONFIG_KEYS(X)
#undef X
    RK_CONFIG_COUNT
} rk_config_key;

int rk_config_check_duration(const char *value, rk_err *err);
int rk_config_check_kdf(const char *value, rk_err *err);
int rk_config_check_text(const char *value, rk_err *err);
int rk_config_check_optin(const char *value, rk_err *err);
int rk_config_check_months(const char *value, rk_err *err);

const char *rk_config_key_name(rk_config_key k);
const char *rk_config_key_help(rk_config_key k);      /* translated */
const char *rk_config_key_default(rk_config_key k);
int         rk_config_key_parse(const char *name);    /* -1 if unknown */

/* Value or default. Any role may read settings (they hold no personal data). */
int rk_config_get(rk_session *s, rk_config_key k, char *val, size_t n, rk_err *err);
/* Admin only; validated; audited with old and new value. */
int rk_config_set(rk_session *s, const char *key, const char *value, rk_err *err);

/* "30s" "10m" "1h" "0" -> seconds; -1 if invalid. */
long rk_duration_parse(const char *s);

#endif
