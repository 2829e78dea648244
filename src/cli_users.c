/* Commands for the registry itself: creating it, the demo, users, settings
 * and the audit chain. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sodium.h>
#include <unistd.h>

#include "backup.h"
#include "audit_view.h"
#include "cli_internal.h"
#include "clients.h"
#include "config.h"
#include "db_audit.h"
#include "demo_data.h"
#include "i18n.h"
#include "password.h"
#include "sanitize.h"
#include "secure.h"
#include "users.h"

static int cmd_init(cli_ctx *c);
static int cmd_demo(cli_ctx *c);
static int cmd_user_add(cli_ctx *c);
static int cmd_user_passwd(cli_ctx *c);
static int cmd_user_disable(cli_ctx *c);
static int cmd_user_enable(cli_ctx *c);
static int cmd_user_unlock(cli_ctx *c);
static int cmd_user_list(cli_ctx *c);
static int cmd_config_show(cli_ctx *c);
static int cmd_config_set(cli_ctx *c);
static int cmd_audit_verify(cli_ctx *c);
static int cmd_audit_head(cli_ctx *c);
static int cmd_user_lang(cli_ctx *c);

static const cli_command commands[] = {
    { .words = "init", .min_args = 0, .max_args = 0, .opts = RK_OPT_DIR | RK_OPT_ADMIN | RK_OPT_NAME | RK_OPT_REGISTRY_NAME | RK_OPT_NEW_PASSWORD_FD,
      .login = false, .run = cmd_init,
      .synopsis = N_("init --admin NAME [--name \"FULL NAME\"] [--registry-name TEXT]"),
      .help = N_("Create a new encrypted registry and its first administrator.") },
    { .words = "demo", .min_args = 0, .max_args = 0, .opts = RK_OPT_DIR | RK_OPT_CLIENTS,
      .login = false, .run = cmd_demo,
      .synopsis = N_("demo [--clients N]"),
      .help = N_("Create a demo registry with one user per role and N synthetic clients (default 2000) if none exists, and print the users and passwords.") },
    { .words = "user add", .min_args = 1, .max_args = 1, .opts = AUTH_OPTS | RK_OPT_ROLE | RK_OPT_NAME | RK_OPT_NEW_PASSWORD_FD,
      .login = true, .run = cmd_user_add,
      .synopsis = N_("user add NAME --role ROLE [--name \"FULL NAME\"]"),
      .help = N_("Add a user (admin). Roles: reception, billing, marketing, dpo, admin.") },
    { .words = "user passwd", .min_args = 0, .max_args = 1, .opts = AUTH_OPTS | RK_OPT_NEW_PASSWORD_FD,
      .login = true, .run = cmd_user_passwd,
      .synopsis = N_("user passwd [NAME]"),
      .help = N_("Change your own password, or reset another user's (admin).") },
    { .words = "user disable", .min_args = 1, .max_args = 1, .opts = AUTH_OPTS,
      .login = true, .run = cmd_user_disable,
      .synopsis = N_("user disable NAME [--rekey]"),
      .help = N_("Disable a user's account (admin). --rekey also removes the user's key and rotates the database key, so a copied key stops working."),
      .options = "rekey" },
    { .words = "user enable", .min_args = 1, .max_args = 1, .opts = AUTH_OPTS,
      .login = true, .run = cmd_user_enable,
      .synopsis = N_("user enable NAME"),
      .help = N_("Enable a disabled account again (admin).") },
    { .words = "user unlock", .min_args = 1, .max_args = 1, .opts = AUTH_OPTS,
      .login = true, .run = cmd_user_unlock,
      .synopsis = N_("user unlock NAME"),
      .help = N_("Unlock an account locked after failed logins (admin).") },
    { .words = "user list", .min_args = 0, .max_args = 0, .opts = AUTH_OPTS,
      .login = true, .run = cmd_user_list,
      .synopsis = N_("user list"),
      .help = N_("List users with role, state and last login (admin).") },
    { .words = "config show", .min_args = 0, .max_args = 0, .opts = AUTH_OPTS,
      .login = true, .run = cmd_config_show,
      .synopsis = N_("config show"),
      .help = N_("Show the registry's settings.") },
    { .words = "config set", .min_args = 2, .max_args = 2, .opts = AUTH_OPTS,
      .login = true, .run = cmd_config_set,
      .synopsis = N_("config set KEY VALUE"),
      .help = N_("Change a setting (admin).") },
    { .words = "audit verify", .min_args = 0, .max_args = 0, .opts = AUTH_OPTS,
      .login = true, .run = cmd_audit_verify,
      .synopsis = N_("audit verify [--head SEQ:HASH]"),
      .help = N_("Check the whole audit chain; names the first broken row (dpo, admin). --head: a chain head recorded outside the registry (syslog at each logout, or \"audit head\"), which must still be in the chain: shows newest rows removed."),
      .options = "head=" },
    { .words = "audit head", .min_args = 0, .max_args = 0, .opts = AUTH_OPTS,
      .login = true, .run = cmd_audit_head,
      .synopsis = N_("audit head"),
      .help = N_("Print the chain head (sequence number and hash, no personal data) to keep outside the registry (dpo, admin).") },
    { .words = "user lang", .min_args = 2, .max_args = 2, .opts = AUTH_OPTS,
      .login = true, .run = cmd_user_lang,
      .synopsis = N_("user lang NAME fi|sv|en|auto"),
      .help = N_("Set the language the program speaks to a user; auto follows the locale (own, or admin).") },
};

const cli_table rk_cli_user_commands = { commands, RK_ARRAY_LEN(commands) };

static int cmd_init(cli_ctx *c)
{
    if (!c->opt.admin)
        return cli_errline(RK_EUSAGE, _("init needs --admin NAME: the first administrator's username."));
    if (rk_registry_exists(&c->paths)) {
        rk_err_set(&c->err, RK_EFAIL, _("A registry already exists in %s."), c->paths.dir);
        return cli_fail(c);
    }
    char *pw = cli_read_new_password(c, c->opt.admin);
    if (!pw)
        return cli_fail(c);
    int rc = RK_OK;
    if (rk_password_acceptable(c->opt.admin, pw, &c->err) ||
        rk_registry_init(&c->paths, c->opt.admin, c->opt.name ? c->opt.name : "", pw,
                         c->opt.registry_name, false, &c->err))
        rc = cli_fail(c);
    rk_password_free(pw);
    if (rc == RK_OK)
        printf(_("Created the registry %s with the administrator %s.\n"), c->paths.dir,
               c->opt.admin);
    return rc;
}

/* The demo registry's users: one per role. The passwords are printed by
 * `rekisteri demo` and listed in the README: demo data only. */
static const struct {
    const char *user, *full_name, *password;
    rk_role role;
} demo_users[] = {
    { "admin",     "Anna Ylläpitäjä",    "demo-admin-2026",     RK_ROLE_ADMIN },
    { "reception", "Riikka Vastaanotto", "demo-reception-2026", RK_ROLE_RECEPTION },
    { "billing",   "Lasse Laskuttaja",   "demo-billing-2026",   RK_ROLE_BILLING },
    { "marketing", "Maija Markkinoija",  "demo-marketing-2026", RK_ROLE_MARKETING },
    { "dpo",       "Tiina Tietosuoja",   "demo-dpo-2026",       RK_ROLE_DPO },
};

/* Synthetic clients for the demo, generated one at a time and added in one
 * transaction by the demo dpo (who may write every field). Reproducible: a
 * fixed seed. */
struct demo_source {
    rk_demo_gen *gen;
    rk_client *cur;
    long n, done;
    bool progress;
};

/* Every sixth demo client shares the previous one's household: the same
 * last name and address, and a link to that client (added just before, so
 * its id is known; birth dates are yyyy-mm-dd, so atoi gives the year). */
#define DEMO_HOUSEHOLD_EVERY 6

static int demo_join_household(rk_client *c, const rk_client *prev, rk_err *err)
{
    static const rk_field shared[] = { RK_F_LAST_NAME, RK_F_STREET, RK_F_POSTCODE,
                                       RK_F_POST_OFFICE };
    for (size_t i = 0; i < RK_ARRAY_LEN(shared); i++)
        if (prev->value[shared[i]][0] && rk_client_set(c, shared[i], prev->value[shared[i]], err))
            return err->code;
    /* The link says what the other is to this client, from the ages: a
     * generation older is a parent, younger a child; two adults are
     * spouses; anyone else (siblings, say) is other. */
    int born = atoi(c->value[RK_F_BIRTH_DATE]), prev_born = atoi(prev->value[RK_F_BIRTH_DATE]);
    const char *relation = born - prev_born >= 18   ? "parent"
                         : prev_born - born >= 18   ? "child"
                         : born <= 2005 && prev_born <= 2005 ? "spouse" : "other";
    return rk_client_add_household(c, prev->id, relation, err);
}

static int demo_next(void *ctx, rk_client **out, rk_err *err)
{
    struct demo_source *d = ctx;
    rk_client *prev = d->cur;   /* added by the stream by now */
    d->cur = NULL;
    *out = NULL;
    int rc = RK_OK;
    if (d->done < d->n && !(d->cur = rk_client_new()))
        rc = rk_err_set(err, RK_EFAIL, _("Out of memory."));
    if (rc == RK_OK && d->cur)
        rc = rk_demo_gen_client(d->gen, d->cur, err);
    if (rc == RK_OK && d->cur && prev && prev->id > 0 && d->done % DEMO_HOUSEHOLD_EVERY == 5)
        rc = demo_join_household(d->cur, prev, err);
    rk_client_free(prev);
    if (rc || !d->cur)
        return rc;
    if (++d->done % 10000 == 0 && d->progress) {
        fputc('\r', stderr);
        fprintf(stderr, _("Adding demo clients: %ld / %ld"), d->done, d->n);
    }
    *out = d->cur;
    return RK_OK;
}

static int demo_clients(cli_ctx *c, long n)
{
    rk_session *s;
    if (rk_session_login(&c->paths, "dpo", "demo-dpo-2026", &s, NULL, &c->err))
        return c->err.code;
    struct demo_source d = { .gen = rk_demo_gen_new(20261122), .n = n,
                             .progress = isatty(STDERR_FILENO) };
    int rc = d.gen ? RK_OK : rk_err_set(&c->err, RK_EFAIL, _("Out of memory."));
    size_t added;
    if (rc == RK_OK)
        rc = rk_clients_create_stream(s, demo_next, &d, (size_t)n, 0, NULL, "demo data", &added, &c->err);
    if (d.progress && rc == RK_OK) {
        fputc('\r', stderr);
        fprintf(stderr, _("Adding demo clients: %ld / %ld, indexed"), n, n);
    }
    if (d.progress)
        fputc('\n', stderr);
    rk_client_free(d.cur);
    rk_demo_gen_free(d.gen);
    rk_session_logout(s);
    return rc;
}

static int cmd_demo(cli_ctx *c)
{
    /* Demo slots use the cheaper "interactive" Argon2id level so the demo
     * opens quickly; real registries default to "moderate". */
    setenv("REKISTERI_KDF", "interactive", 0);
    if (!rk_registry_exists(&c->paths)) {
        if (rk_registry_init(&c->paths, demo_users[0].user, demo_users[0].full_name,
                             demo_users[0].password, "Demo-klinikka", true, &c->err))
            return cli_fail(c);
        rk_session *s;
        if (rk_session_login(&c->paths, demo_users[0].user, demo_users[0].password, &s, NULL,
                             &c->err))
            return cli_fail(c);
        int rc = rk_config_set(s, "kdf", "interactive", &c->err);
        for (size_t i = 1; rc == RK_OK && i < RK_ARRAY_LEN(demo_users); i++)
            rc = rk_user_add(s, demo_users[i].user, demo_users[i].role, demo_users[i].full_name,
                             demo_users[i].password, &c->err);
        rk_session_logout(s);
        if (rc)
            return cli_fail(c);
        long n = c->opt.seen & RK_OPT_CLIENTS ? c->opt.clients : 2000;
        if (n > 0 && demo_clients(c, n))
            return cli_fail(c);
        printf(_("Created a DEMO registry in %s with %ld synthetic clients.\n"), c->paths.dir, n);
    } else {
        printf(_("Using the DEMO registry in %s.\n"), c->paths.dir);
    }
    printf(_("Demo users (demo data only, never for real clients):\n"));
    printf("  %-10s %-20s %s\n", _("username"), _("password"), _("role"));
    for (size_t i = 0; i < RK_ARRAY_LEN(demo_users); i++)
        printf("  %-10s %-20s %s\n", demo_users[i].user, demo_users[i].password,
               rk_role_label(demo_users[i].role));
    return RK_OK;
}

static int cmd_user_add(cli_ctx *c)
{
    if (!c->opt.role)
        return cli_errline(RK_EUSAGE, _("user add needs --role ROLE: reception, billing, marketing, dpo or admin."));
    rk_role role = rk_role_parse(c->opt.role);
    if (role == RK_ROLE_NONE) {
        char msg[200];
        snprintf(msg, sizeof msg,
                 _("Unknown role \"%s\": use reception, billing, marketing, dpo or admin."),
                 c->opt.role);
        return cli_errline(RK_EUSAGE, msg);
    }
    if (rk_session_require_role(c->session, RK_ROLE_ADMIN, &c->err))
        return cli_fail(c);
    char *pw = cli_read_new_password(c, c->args[0]);
    if (!pw)
        return cli_fail(c);
    int rc = rk_user_add(c->session, c->args[0], role, c->opt.name ? c->opt.name : "", pw, &c->err);
    rk_password_free(pw);
    if (rc)
        return cli_fail(c);
    printf(_("Added the user %s (%s).\n"), c->args[0], rk_role_label(role));
    return RK_OK;
}

static int cmd_user_passwd(cli_ctx *c)
{
    const char *name = c->nargs ? c->args[0] : c->session->user;
    if (strcmp(name, c->session->user) != 0 &&
        rk_session_require_role(c->session, RK_ROLE_ADMIN, &c->err))
        return cli_fail(c);
    char *pw = cli_read_new_password(c, name);
    if (!pw)
        return cli_fail(c);
    int rc = rk_user_passwd(c->session, name, pw, &c->err);
    rk_password_free(pw);
    if (rc)
        return cli_fail(c);
    printf(_("Changed the password of %s.\n"), name);
    return RK_OK;
}

static int cmd_user_disable(cli_ctx *c)
{
    if (rk_user_set_active(c->session, c->args[0], false, &c->err))
        return cli_fail(c);
    printf(_("Disabled the user %s.\n"), c->args[0]);
    if (cli_opt(c, "rekey")) {
        if (rk_user_revoke_key(c->session, c->args[0], &c->err))
            return cli_fail(c);
        rk_session_close(c->session);   /* its connection is on the replaced file */
        c->session = NULL;
        printf(_("Removed the key of %s and rotated the database key.\n"), c->args[0]);
    }
    return RK_OK;
}

static int cmd_user_enable(cli_ctx *c)
{
    if (rk_user_set_active(c->session, c->args[0], true, &c->err))
        return cli_fail(c);
    printf(_("Enabled the user %s.\n"), c->args[0]);
    return RK_OK;
}

static int cmd_user_unlock(cli_ctx *c)
{
    if (rk_user_unlock(c->session, c->args[0], &c->err))
        return cli_fail(c);
    printf(_("Unlocked the user %s.\n"), c->args[0]);
    return RK_OK;
}

static int cmd_user_list(cli_ctx *c)
{
    rk_user_info *u;
    size_t n;
    if (rk_user_list(c->session, &u, &n, &c->err))
        return cli_fail(c);
    printf("%s\t%s\t%s\t%s\t%s\t%s\n", _("username"), _("role"), _("state"), _("failures"),
           _("last login"), _("full name"));
    for (size_t i = 0; i < n; i++) {
        char name[RK_FULLNAME_MAX * 2];
        rk_sanitize(name, sizeof name, u[i].row.full_name, 0);
        const char *state = !u[i].row.active ? _("disabled")
                            : u[i].lockout.locked ? _("locked")
                            : !u[i].has_slot ? _("no key slot")
                            : _("active");
        printf("%s\t%s\t%s\t%d\t%s\t%s\n", u[i].row.username, u[i].row.role, state,
               u[i].lockout.failures, u[i].row.last_login[0] ? u[i].row.last_login : "-", name);
    }
    free(u);
    return RK_OK;
}

static int cmd_config_show(cli_ctx *c)
{
    for (int k = 0; k < RK_CONFIG_COUNT; k++) {
        char val[256], clean[512];
        if (rk_config_get(c->session, (rk_config_key)k, val, sizeof val, &c->err))
            return cli_fail(c);
        rk_sanitize(clean, sizeof clean, val, 0);
        printf("%-14s %-14s # %s (%s %s)\n", rk_config_key_name((rk_config_key)k), clean,
               rk_config_key_help((rk_config_key)k), _("default"),
               rk_config_key_default((rk_config_key)k));
    }
    return RK_OK;
}

static int cmd_config_set(cli_ctx *c)
{
    if (rk_config_set(c->session, c->args[0], c->args[1], &c->err))
        return cli_fail(c);
    printf(_("%s is now %s.\n"), c->args[0], c->args[1]);
    return RK_OK;
}

/* A chain head kept outside the registry ("SEQ:HASH", as syslog and
 * "audit head" give it) must still be in the chain with the same hash: a
 * chain whose newest rows were cut off is whole, and only this shows it. */
static int check_head(cli_ctx *c, const char *head)
{
    /* The syslog line's own form "seq=N hash=H" is taken as well. */
    char syslog_form[32 + 2 * RK_AUDIT_HASH_BYTES];
    long long sq;
    char hx[2 * RK_AUDIT_HASH_BYTES + 1];
    if (sscanf(head, "seq=%lld hash=%64[0-9a-fA-F]", &sq, hx) == 2) {
        snprintf(syslog_form, sizeof syslog_form, "%lld:%s", sq, hx);
        head = syslog_form;
    }
    char *end;
    long long seq = strtoll(head, &end, 10);
    unsigned char want[RK_AUDIT_HASH_BYTES], have[RK_AUDIT_HASH_BYTES];
    size_t bin = 0;
    if (seq <= 0 || *end != ':' ||
        sodium_hex2bin(want, sizeof want, end + 1, strlen(end + 1), NULL, &bin, NULL) != 0 ||
        bin != sizeof want)
        return cli_errline(RK_EUSAGE, _("--head must be SEQ:HASH as the syslog line or \"audit head\" gives it, e.g. 1204:9f3a... (64 hex digits)."));
    int rc = rk_dba_hash_at(c->session->db, seq, have, &c->err);
    if (rc == RK_ENOTFOUND) {
        fprintf(stderr, _("rekisteri: Audit log broken: row %lld, the chain head recorded outside the registry, is missing; the newest rows were removed.\n"), seq);
        return RK_EFAIL;
    }
    if (rc)
        return cli_fail(c);
    if (sodium_memcmp(want, have, sizeof want) != 0) {
        fprintf(stderr, _("rekisteri: Audit log broken: row %lld differs from the chain head recorded outside the registry; the chain was rewritten.\n"), seq);
        return RK_EFAIL;
    }
    return RK_OK;
}

static int cmd_audit_verify(cli_ctx *c)
{
    int64_t rows = 0, bad = 0;
    int rc = rk_audit_check(c->session, &rows, &bad, &c->err);
    if (rc == RK_EFAIL && bad) {
        fprintf(stderr, _("rekisteri: the audit chain is BROKEN at row %lld: %s\n"), (long long)bad,
                c->err.msg);
        return RK_EFAIL;
    }
    if (rc)
        return cli_fail(c);
    const char *head = cli_opt(c, "head");
    if (head && (rc = check_head(c, head)) != RK_OK)
        return rc;
    printf(_("The audit chain is intact: %lld rows verified.\n"), (long long)rows);
    return RK_OK;
}

static int cmd_audit_head(cli_ctx *c)
{
    int64_t seq;
    unsigned char hash[RK_AUDIT_HASH_BYTES];
    char hex[2 * RK_AUDIT_HASH_BYTES + 1];
    if (c->session->role != RK_ROLE_DPO && c->session->role != RK_ROLE_ADMIN)
        return cli_errline(RK_EDENIED, _("Only the data protection officer or an administrator may read the audit chain head."));
    if (rk_dba_last(c->session->db, &seq, hash, &c->err))
        return cli_fail(c);
    sodium_bin2hex(hex, sizeof hex, hash, sizeof hash);
    printf("%lld:%s\n", (long long)seq, hex);
    return RK_OK;
}

static int cmd_user_lang(cli_ctx *c)
{
    const char *lang = strcmp(c->args[1], "auto") == 0 ? "" : c->args[1];
    if (rk_user_set_language(c->session, c->args[0], lang, &c->err))
        return cli_fail(c);
    printf(_("%s now sees the program in: %s.\n"), c->args[0], rk_language_label(lang));
    return RK_OK;
}
