#include "cli.h"

#include <getopt.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "audit.h"
#include "config.h"
#include "password.h"
#include "sanitize.h"
#include "secure.h"
#include "session.h"
#include "users.h"

typedef struct cli_ctx {
    rk_cli_opts opt;
    rk_paths    paths;
    char      **args;       /* positional arguments after the command words */
    int         nargs;
    rk_session *session;
    rk_err      err;
} cli_ctx;

typedef int (*cmd_fn)(cli_ctx *c);

/* One command: its words, how many arguments follow, the options it takes,
 * whether it logs in first, the roles allowed (0 = any), and its help. */
typedef struct cli_command {
    const char *words;
    int         min_args, max_args;
    unsigned    opts;
    bool        login;
    cmd_fn      run;
    const char *synopsis;
    const char *help;
} cli_command;

#define AUTH_OPTS (RK_OPT_DIR | RK_OPT_USER | RK_OPT_PASSWORD_FD)

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

static const cli_command commands[] = {
    { "init", 0, 0, RK_OPT_DIR | RK_OPT_ADMIN | RK_OPT_NAME | RK_OPT_REGISTRY_NAME | RK_OPT_NEW_PASSWORD_FD,
      false, cmd_init,
      N_("init --admin NAME [--name \"FULL NAME\"] [--registry-name TEXT]"),
      N_("Create a new encrypted registry and its first administrator.") },
    { "demo", 0, 0, RK_OPT_DIR, false, cmd_demo,
      N_("demo"),
      N_("Create a demo registry with one user per role (if none exists) and print the users and passwords.") },
    { "user add", 1, 1, AUTH_OPTS | RK_OPT_ROLE | RK_OPT_NAME | RK_OPT_NEW_PASSWORD_FD, true, cmd_user_add,
      N_("user add NAME --role ROLE [--name \"FULL NAME\"]"),
      N_("Add a user (admin). Roles: reception, billing, marketing, dpo, admin.") },
    { "user passwd", 0, 1, AUTH_OPTS | RK_OPT_NEW_PASSWORD_FD, true, cmd_user_passwd,
      N_("user passwd [NAME]"),
      N_("Change your own password, or reset another user's (admin).") },
    { "user disable", 1, 1, AUTH_OPTS, true, cmd_user_disable,
      N_("user disable NAME"), N_("Disable a user's account (admin).") },
    { "user enable", 1, 1, AUTH_OPTS, true, cmd_user_enable,
      N_("user enable NAME"), N_("Enable a disabled account again (admin).") },
    { "user unlock", 1, 1, AUTH_OPTS, true, cmd_user_unlock,
      N_("user unlock NAME"), N_("Unlock an account locked after failed logins (admin).") },
    { "user list", 0, 0, AUTH_OPTS, true, cmd_user_list,
      N_("user list"), N_("List users with role, state and last login (admin).") },
    { "config show", 0, 0, AUTH_OPTS, true, cmd_config_show,
      N_("config show"), N_("Show the registry's settings.") },
    { "config set", 2, 2, AUTH_OPTS, true, cmd_config_set,
      N_("config set KEY VALUE"), N_("Change a setting (admin).") },
    { "audit verify", 0, 0, AUTH_OPTS, true, cmd_audit_verify,
      N_("audit verify"),
      N_("Check the whole audit chain; names the first broken row (dpo, admin).") },
};

static const struct option long_opts[] = {
    { "dir", required_argument, NULL, 'd' },
    { "user", required_argument, NULL, 'u' },
    { "password-fd", required_argument, NULL, 'p' },
    { "new-password-fd", required_argument, NULL, 'P' },
    { "role", required_argument, NULL, 'r' },
    { "name", required_argument, NULL, 'n' },
    { "admin", required_argument, NULL, 'a' },
    { "registry-name", required_argument, NULL, 'R' },
    { "help", no_argument, NULL, 'h' },
    { "version", no_argument, NULL, 'V' },
    { NULL, 0, NULL, 0 },
};

static const struct {
    unsigned bit;
    const char *name;
} opt_names[] = {
    { RK_OPT_DIR, "--dir" }, { RK_OPT_USER, "--user" }, { RK_OPT_PASSWORD_FD, "--password-fd" },
    { RK_OPT_NEW_PASSWORD_FD, "--new-password-fd" }, { RK_OPT_ROLE, "--role" },
    { RK_OPT_NAME, "--name" }, { RK_OPT_ADMIN, "--admin" },
    { RK_OPT_REGISTRY_NAME, "--registry-name" },
};

static int errline(int code, const char *msg)
{
    char clean[600];
    rk_sanitize(clean, sizeof clean, msg, 0);
    fprintf(stderr, "rekisteri: %s\n", clean);
    return code;
}

static int fail(cli_ctx *c)
{
    return errline(c->err.code ? c->err.code : RK_EFAIL, c->err.msg);
}

void rk_cli_usage(FILE *out)
{
    fprintf(out, _("Usage: rekisteri [--dir DIR] [--user NAME]            open the registry in the terminal\n"
                   "       rekisteri COMMAND [OPTIONS]\n\n"));
    fprintf(out, _("Commands:\n"));
    for (size_t i = 0; i < RK_ARRAY_LEN(commands); i++)
        fprintf(out, "  rekisteri %s\n      %s\n", _(commands[i].synopsis), _(commands[i].help));
    fprintf(out, _("\nOptions:\n"
                   "  --dir DIR             the registry directory (default $REKISTERI_DIR,\n"
                   "                        else $XDG_DATA_HOME/rekisteri, else ~/.local/share/rekisteri)\n"
                   "  --user NAME           who you are (default: your login name)\n"
                   "  --password-fd N       read your password from file descriptor N (one line)\n"
                   "                        instead of the terminal\n"
                   "  --new-password-fd N   read a new password from descriptor N (one line;\n"
                   "                        may be the same descriptor, after your own password)\n"
                   "  --help, --version\n\n"));
    fprintf(out, _("Exit status: 0 ok, 1 failure, 2 usage error, 3 wrong credentials or locked\n"
                   "account, 4 not allowed for this role.\n"));
}

static int parse_fd(const char *s, int *fd)
{
    char *end;
    long v = strtol(s, &end, 10);
    if (*s == '\0' || *end != '\0' || v < 0 || v > 1023)
        return -1;
    *fd = (int)v;
    return 0;
}

static int parse_args(int argc, char **argv, rk_cli_opts *o, bool *help, bool *version)
{
    memset(o, 0, sizeof *o);
    o->password_fd = o->new_password_fd = -1;
    opterr = 0;
    int ch;
    while ((ch = getopt_long(argc, argv, ":hV", long_opts, NULL)) != -1) {
        switch (ch) {
        case 'd': o->dir = optarg; o->seen |= RK_OPT_DIR; break;
        case 'u': o->user = optarg; o->seen |= RK_OPT_USER; break;
        case 'p':
            if (parse_fd(optarg, &o->password_fd))
                return errline(RK_EUSAGE, _("--password-fd needs a file descriptor number."));
            o->seen |= RK_OPT_PASSWORD_FD;
            break;
        case 'P':
            if (parse_fd(optarg, &o->new_password_fd))
                return errline(RK_EUSAGE, _("--new-password-fd needs a file descriptor number."));
            o->seen |= RK_OPT_NEW_PASSWORD_FD;
            break;
        case 'r': o->role = optarg; o->seen |= RK_OPT_ROLE; break;
        case 'n': o->name = optarg; o->seen |= RK_OPT_NAME; break;
        case 'a': o->admin = optarg; o->seen |= RK_OPT_ADMIN; break;
        case 'R': o->registry_name = optarg; o->seen |= RK_OPT_REGISTRY_NAME; break;
        case 'h': *help = true; break;
        case 'V': *version = true; break;
        case ':': {
            char msg[160];
            snprintf(msg, sizeof msg, _("The option %s needs a value."), argv[optind - 1]);
            return errline(RK_EUSAGE, msg);
        }
        default: {
            char msg[160];
            snprintf(msg, sizeof msg, _("Unknown option %s (see rekisteri --help)."),
                     argv[optind - 1]);
            return errline(RK_EUSAGE, msg);
        }
        }
    }
    return RK_OK;
}

/* Finds the command whose words match the first positional arguments. */
static const cli_command *find_command(char **pos, int npos, int *used)
{
    for (size_t i = 0; i < RK_ARRAY_LEN(commands); i++) {
        char words[64];
        snprintf(words, sizeof words, "%s", commands[i].words);
        int k = 0;
        bool match = true;
        for (char *save = NULL, *w = strtok_r(words, " ", &save); w;
             w = strtok_r(NULL, " ", &save), k++)
            if (k >= npos || strcmp(pos[k], w) != 0) {
                match = false;
                break;
            }
        if (match) {
            *used = k;
            return &commands[i];
        }
    }
    return NULL;
}

static const char *login_name(void)
{
    struct passwd *pw = getpwuid(getuid());
    return pw ? pw->pw_name : "";
}

static char *read_password(cli_ctx *c, const char *user)
{
    if (c->opt.password_fd >= 0)
        return rk_password_read_fd(c->opt.password_fd, &c->err);
    char prompt[96];
    snprintf(prompt, sizeof prompt, _("Password for %s: "), user);
    return rk_password_read_tty(prompt, &c->err);
}

/* A new password: from --new-password-fd, or typed twice at the terminal. */
static char *read_new_password(cli_ctx *c, const char *user)
{
    if (c->opt.new_password_fd >= 0)
        return rk_password_read_fd(c->opt.new_password_fd, &c->err);
    char prompt[96];
    snprintf(prompt, sizeof prompt, _("New password for %s: "), user);
    char *a = rk_password_read_tty(prompt, &c->err);
    if (!a)
        return NULL;
    char *b = rk_password_read_tty(_("Repeat the new password: "), &c->err);
    if (!b) {
        rk_password_free(a);
        return NULL;
    }
    bool same = strcmp(a, b) == 0;
    rk_password_free(b);
    if (!same) {
        rk_password_free(a);
        rk_err_set(&c->err, RK_EUSAGE, _("The two passwords differ; nothing was changed."));
        return NULL;
    }
    return a;
}

static int login(cli_ctx *c)
{
    const char *user = c->opt.user ? c->opt.user : login_name();
    char *pw = read_password(c, user);
    if (!pw)
        return fail(c);
    int rc = rk_session_login(&c->paths, user, pw, &c->session, NULL, &c->err);
    rk_password_free(pw);
    return rc ? fail(c) : RK_OK;
}

int rk_cli_main(int argc, char **argv, rk_ui_fn run_ui)
{
    cli_ctx c = { 0 };
    bool help = false, version = false;
    int rc = parse_args(argc, argv, &c.opt, &help, &version);
    if (rc)
        return rc;
    if (help) {
        rk_cli_usage(stdout);
        return RK_OK;
    }
    if (version) {
        printf("rekisteri %s\n", VERSION);
        return RK_OK;
    }
    char **pos = argv + optind;
    int npos = argc - optind;

    if (rk_paths_resolve(c.opt.dir, &c.paths, &c.err))
        return fail(&c);
    /* A group-writable registry directory is a shared one (INSTALL, section
     * 4): the files made in it must be usable by the whole group. */
    struct stat dst;
    if (stat(c.paths.dir, &dst) == 0 && (dst.st_mode & S_IRWXG) == S_IRWXG)
        umask(007);

    if (npos == 0) {
        unsigned extra = c.opt.seen & ~(RK_OPT_DIR | RK_OPT_USER);
        if (extra)
            return errline(RK_EUSAGE, _("Only --dir and --user apply when no command is given."));
        if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO))
            return errline(RK_EUSAGE, _("The interactive program needs a terminal; see rekisteri --help for commands."));
        if (!rk_registry_exists(&c.paths)) {
            char msg[RK_PATH_MAX + 200];
            snprintf(msg, sizeof msg,
                     _("There is no registry in %s: create one with \"rekisteri init --dir %s --admin NAME\", or try \"make demo\"."),
                     c.paths.dir, c.paths.dir);
            return errline(RK_EFAIL, msg);
        }
        return run_ui(&c.paths, c.opt.user);
    }

    int used = 0;
    const cli_command *cmd = find_command(pos, npos, &used);
    if (!cmd) {
        char msg[256];
        snprintf(msg, sizeof msg, _("Unknown command \"%s\" (see rekisteri --help)."), pos[0]);
        return errline(RK_EUSAGE, msg);
    }
    c.args = pos + used;
    c.nargs = npos - used;
    if (c.nargs < cmd->min_args || c.nargs > cmd->max_args) {
        char msg[256];
        snprintf(msg, sizeof msg, _("Usage: rekisteri %s"), _(cmd->synopsis));
        return errline(RK_EUSAGE, msg);
    }
    for (size_t i = 0; i < RK_ARRAY_LEN(opt_names); i++)
        if ((c.opt.seen & opt_names[i].bit) && !(cmd->opts & opt_names[i].bit)) {
            char msg[256];
            snprintf(msg, sizeof msg, _("The option %s does not apply to \"rekisteri %s\"."),
                     opt_names[i].name, cmd->words);
            return errline(RK_EUSAGE, msg);
        }
    if (cmd->login && (rc = login(&c)) != RK_OK)
        return rc;
    rc = cmd->run(&c);
    if (c.session)
        rk_session_logout(c.session);
    return rc;
}

/* ---- commands ---------------------------------------------------------- */

static int cmd_init(cli_ctx *c)
{
    if (!c->opt.admin)
        return errline(RK_EUSAGE, _("init needs --admin NAME: the first administrator's username."));
    if (rk_registry_exists(&c->paths)) {
        rk_err_set(&c->err, RK_EFAIL, _("A registry already exists in %s."), c->paths.dir);
        return fail(c);
    }
    char *pw = read_new_password(c, c->opt.admin);
    if (!pw)
        return fail(c);
    int rc = RK_OK;
    if (rk_password_acceptable(c->opt.admin, pw, &c->err) ||
        rk_registry_init(&c->paths, c->opt.admin, c->opt.name ? c->opt.name : "", pw,
                         c->opt.registry_name, false, &c->err))
        rc = fail(c);
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

static int cmd_demo(cli_ctx *c)
{
    /* Demo slots use the cheaper "interactive" Argon2id level so the demo
     * opens quickly; real registries default to "moderate". */
    setenv("REKISTERI_KDF", "interactive", 0);
    if (!rk_registry_exists(&c->paths)) {
        if (rk_registry_init(&c->paths, demo_users[0].user, demo_users[0].full_name,
                             demo_users[0].password, "Demo-klinikka", true, &c->err))
            return fail(c);
        rk_session *s;
        if (rk_session_login(&c->paths, demo_users[0].user, demo_users[0].password, &s, NULL,
                             &c->err))
            return fail(c);
        int rc = rk_config_set(s, "kdf", "interactive", &c->err);
        for (size_t i = 1; rc == RK_OK && i < RK_ARRAY_LEN(demo_users); i++)
            rc = rk_user_add(s, demo_users[i].user, demo_users[i].role, demo_users[i].full_name,
                             demo_users[i].password, &c->err);
        rk_session_logout(s);
        if (rc)
            return fail(c);
        printf(_("Created a DEMO registry in %s.\n"), c->paths.dir);
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
        return errline(RK_EUSAGE, _("user add needs --role ROLE: reception, billing, marketing, dpo or admin."));
    rk_role role = rk_role_parse(c->opt.role);
    if (role == RK_ROLE_NONE) {
        char msg[200];
        snprintf(msg, sizeof msg,
                 _("Unknown role \"%s\": use reception, billing, marketing, dpo or admin."),
                 c->opt.role);
        return errline(RK_EUSAGE, msg);
    }
    if (rk_session_require_role(c->session, RK_ROLE_ADMIN, &c->err))
        return fail(c);
    char *pw = read_new_password(c, c->args[0]);
    if (!pw)
        return fail(c);
    int rc = rk_user_add(c->session, c->args[0], role, c->opt.name ? c->opt.name : "", pw, &c->err);
    rk_password_free(pw);
    if (rc)
        return fail(c);
    printf(_("Added the user %s (%s).\n"), c->args[0], rk_role_label(role));
    return RK_OK;
}

static int cmd_user_passwd(cli_ctx *c)
{
    const char *name = c->nargs ? c->args[0] : c->session->user;
    if (strcmp(name, c->session->user) != 0 &&
        rk_session_require_role(c->session, RK_ROLE_ADMIN, &c->err))
        return fail(c);
    char *pw = read_new_password(c, name);
    if (!pw)
        return fail(c);
    int rc = rk_user_passwd(c->session, name, pw, &c->err);
    rk_password_free(pw);
    if (rc)
        return fail(c);
    printf(_("Changed the password of %s.\n"), name);
    return RK_OK;
}

static int cmd_user_disable(cli_ctx *c)
{
    if (rk_user_set_active(c->session, c->args[0], false, &c->err))
        return fail(c);
    printf(_("Disabled the user %s.\n"), c->args[0]);
    return RK_OK;
}

static int cmd_user_enable(cli_ctx *c)
{
    if (rk_user_set_active(c->session, c->args[0], true, &c->err))
        return fail(c);
    printf(_("Enabled the user %s.\n"), c->args[0]);
    return RK_OK;
}

static int cmd_user_unlock(cli_ctx *c)
{
    if (rk_user_unlock(c->session, c->args[0], &c->err))
        return fail(c);
    printf(_("Unlocked the user %s.\n"), c->args[0]);
    return RK_OK;
}

static int cmd_user_list(cli_ctx *c)
{
    rk_user_info *u;
    size_t n;
    if (rk_user_list(c->session, &u, &n, &c->err))
        return fail(c);
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
            return fail(c);
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
        return fail(c);
    printf(_("%s is now %s.\n"), c->args[0], c->args[1]);
    return RK_OK;
}

static int cmd_audit_verify(cli_ctx *c)
{
    if (c->session->role != RK_ROLE_DPO && c->session->role != RK_ROLE_ADMIN)
        return errline(RK_EDENIED, _("Only the data protection officer or an administrator may verify the audit chain."));
    int64_t rows = 0, bad = 0;
    if (rk_audit_verify(c->session->db, c->session->audit_key, &rows, &bad, &c->err)) {
        fprintf(stderr, _("rekisteri: the audit chain is BROKEN at row %lld: %s\n"), (long long)bad,
                c->err.msg);
        return RK_EFAIL;
    }
    char details[64];
    snprintf(details, sizeof details, "rows=%lld", (long long)rows);
    if (rk_session_audit(c->session, RK_AUDIT_AUDIT_VERIFIED, 0, details, &c->err))
        return fail(c);
    printf(_("The audit chain is intact: %lld rows verified.\n"), (long long)rows);
    return RK_OK;
}
