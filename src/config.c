#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "consent.h"
#include "db_settings.h"

static const struct {
    const char *key, *def, *help;
    int (*check)(const char *, rk_err *);
} config_table[RK_CONFIG_COUNT] = {
#define X(id, k, d, c, h) [RK_CONFIG_##id] = { k, d, h, c },
    RK_CONFIG_KEYS(X)
#undef X
};

long rk_duration_parse(const char *s)
{
    if (!s || !*s)
        return -1;
    errno = 0;
    char *end;
    long v = strtol(s, &end, 10);
    if (errno || end == s || v < 0)
        return -1;
    long mult;
    if (*end == '\0')
        mult = v == 0 ? 1 : -1;   /* a bare number is ambiguous except 0 */
    else if (strcmp(end, "s") == 0)
        mult = 1;
    else if (strcmp(end, "m") == 0)
        mult = 60;
    else if (strcmp(end, "h") == 0)
        mult = 3600;
    else
        return -1;
    if (mult < 0 || v > 7 * 24 * 3600)
        return -1;
    return v * mult;
}

int rk_config_check_duration(const char *value, rk_err *err)
{
    if (rk_duration_parse(value) >= 0)
        return RK_OK;
    return rk_err_set(err, RK_EUSAGE,
                      _("\"%s\" is not a duration: write a number with s, m or h (30s, 10m, 1h), or 0 for never."),
                      value);
}

int rk_config_check_kdf(const char *value, rk_err *err)
{
    rk_kdf_params p;
    /* "min" exists for tests through $REKISTERI_KDF only; never as a setting. */
    if (strcmp(value, "min") != 0 && rk_kdf_preset(value, &p))
        return RK_OK;
    return rk_err_set(err, RK_EUSAGE,
                      _("\"%s\" is not a key-derivation level: use interactive, moderate or sensitive."),
                      value);
}

int rk_config_check_text(const char *value, rk_err *err)
{
    size_t n = strlen(value);
    if (n == 0 || n > 64)
        return rk_err_set(err, RK_EUSAGE, _("The text must be 1-64 bytes long."));
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)value[i] < 0x20 || value[i] == 0x7f)
            return rk_err_set(err, RK_EUSAGE, _("The text contains a control character."));
    return RK_OK;
}

int rk_config_check_optin(const char *value, rk_err *err)
{
    unsigned mask;
    rk_err e2;
    if (rk_contact_parse_optin(value, &mask, &e2) == RK_OK)
        return RK_OK;
    return rk_err_set(err, RK_EUSAGE, "%s", e2.msg);
}

int rk_config_check_months(const char *value, rk_err *err)
{
    char *end;
    long v = strtol(value, &end, 10);
    if (*value && !*end && v >= 1 && v <= 120)
        return RK_OK;
    return rk_err_set(err, RK_EUSAGE, _("\"%s\" is not a number of months from 1 to 120."), value);
}

const char *rk_config_key_name(rk_config_key k) { return config_table[k].key; }
const char *rk_config_key_help(rk_config_key k) { return _(config_table[k].help); }
const char *rk_config_key_default(rk_config_key k) { return config_table[k].def; }

int rk_config_key_parse(const char *name)
{
    for (int k = 0; k < RK_CONFIG_COUNT; k++)
        if (strcmp(name, config_table[k].key) == 0)
            return k;
    return -1;
}

int rk_config_get(rk_session *s, rk_config_key k, char *val, size_t n, rk_err *err)
{
    int rc = rk_dbs_get(s->db, config_table[k].key, val, n, err);
    if (rc == RK_ENOTFOUND) {
        snprintf(val, n, "%s", config_table[k].def);
        rk_err_clear(err);
        return RK_OK;
    }
    return rc;
}

int rk_config_set(rk_session *s, const char *key, const char *value, rk_err *err)
{
    if (rk_session_require_role(s, RK_ROLE_ADMIN, err))
        return err->code;
    int k = rk_config_key_parse(key);
    if (k < 0)
        return rk_err_set(err, RK_EUSAGE,
                          _("Unknown setting \"%s\": \"rekisteri config show\" lists them."), key);
    if (config_table[k].check(value, err))
        return err->code;
    char old[128];
    if (rk_config_get(s, (rk_config_key)k, old, sizeof old, err))
        return err->code;
    char details[256];
    snprintf(details, sizeof details, "%s: %s -> %s", key, old, value);
    if (rk_db_begin(s->db, err))
        return err->code;
    if (rk_dbs_set(s->db, key, value, err) ||
        rk_audit_append(s->db, s->audit_key, NULL, s->user, RK_AUDIT_CONFIG_CHANGED, 0, details,
                        s->terminal, err)) {
        rk_db_rollback(s->db);
        return err->code;
    }
    if (k == RK_CONFIG_REGISTRY_NAME)
        snprintf(s->registry_name, sizeof s->registry_name, "%s", value);
    return rk_db_commit(s->db, err);
}
