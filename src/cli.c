#include "cli_internal.h"

#include <errno.h>
#include <getopt.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "i18n.h"
#include "clients.h"
#include "sanitize.h"
#include "secure.h"
#include "session.h"

static const cli_table *const tables[] = {
    &rk_cli_user_commands,
    &rk_cli_client_commands,
    &rk_cli_consent_commands,
    &rk_cli_data_commands,
    &rk_cli_rights_commands,
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
    { "set", required_argument, NULL, 's' },
    { "add", required_argument, NULL, 'A' },
    { "json", no_argument, NULL, 'j' },
    { "clients", required_argument, NULL, 'c' },
    { "help", no_argument, NULL, 'h' },
    { "version", no_argument, NULL, 'V' },
    { NULL, 0, NULL, 0 },
};

/* The global options followed by every command's own options (from their
 * spec strings), each name once; built at the first parse. */
enum { CMD_OPT_BASE = 1000, CMD_OPT_MAX = 160, CMD_OPT_NAME = 32 };
static struct option all_opts[RK_ARRAY_LEN(long_opts) + CMD_OPT_MAX];
static char cmd_opt_names[CMD_OPT_MAX][CMD_OPT_NAME];

/* The next token of a spec: its name, whether it takes a value, whether it
 * repeats. Returns false at the end. */
static bool spec_next(const char **spec, char *name, size_t n, bool *value, bool *repeat)
{
    const char *s = *spec;
    while (*s == ' ')
        s++;
    if (!*s)
        return false;
    size_t len = strcspn(s, " =");
    snprintf(name, n, "%.*s", (int)len, s);
    s += len;
    *value = *repeat = false;
    if (*s == '=') {
        *value = true;
        s++;
        if (*s == '*') {
            *repeat = true;
            s++;
        }
    }
    *spec = s;
    return true;
}

static void build_opts(void)
{
    if (all_opts[0].name)
        return;
    size_t n = 0, k = 0;
    for (; long_opts[n].name; n++)
        all_opts[n] = long_opts[n];
    for (size_t t = 0; t < RK_ARRAY_LEN(tables); t++)
        for (size_t i = 0; i < tables[t]->count; i++) {
            const char *spec = tables[t]->commands[i].options;
            char name[CMD_OPT_NAME];
            bool value, repeat;
            while (spec && spec_next(&spec, name, sizeof name, &value, &repeat)) {
                size_t j = 0;
                while (j < n && strcmp(all_opts[j].name, name) != 0)
                    j++;
                if (j < n)
                    continue;   /* the same name in two commands takes the same form */
                if (k == CMD_OPT_MAX)
                    abort();    /* raise CMD_OPT_MAX */
                memcpy(cmd_opt_names[k], name, sizeof name);
                all_opts[n++] = (struct option){ cmd_opt_names[k], value ? required_argument : no_argument,
                                                 NULL, CMD_OPT_BASE + (int)k };
                k++;
            }
        }
}

/* Are the command's own options the ones its spec allows, each once unless
 * repeatable? */
static int check_cmd_opts(const cli_ctx *c, const cli_command *cmd)
{
    for (int i = 0; i < c->opt.nextra; i++) {
        const char *spec = cmd->options;
        char name[CMD_OPT_NAME];
        bool value, repeat, known = false;
        while (spec && !known && spec_next(&spec, name, sizeof name, &value, &repeat))
            known = strcmp(name, c->opt.extra[i].name) == 0;
        char msg[256];
        if (!known) {
            snprintf(msg, sizeof msg, _("The option --%s does not apply to \"rekisteri %s\"."),
                     c->opt.extra[i].name, cmd->words);
            return cli_errline(RK_EUSAGE, msg);
        }
        for (int j = 0; j < i && !repeat; j++)
            if (strcmp(c->opt.extra[j].name, name) == 0) {
                snprintf(msg, sizeof msg, _("The option --%s is given twice."), name);
                return cli_errline(RK_EUSAGE, msg);
            }
    }
    return RK_OK;
}

const char *cli_opt(const cli_ctx *c, const char *name)
{
    const char *v = NULL;
    for (int i = 0; i < c->opt.nextra; i++)
        if (strcmp(c->opt.extra[i].name, name) == 0)
            v = c->opt.extra[i].value;
    return v;
}

int cli_missing_opt(const char *name)
{
    char msg[160];
    snprintf(msg, sizeof msg, _("This command needs --%s."), name);
    return cli_errline(RK_EUSAGE, msg);
}

int cli_need(cli_ctx *c, const char *name, const char **out)
{
    *out = cli_opt(c, name);
    return *out ? RK_OK : cli_missing_opt(name);
}

int cli_client(cli_ctx *c, const char *key, int64_t *id)
{
    return rk_clients_lookup(c->session, key, id, &c->err) ? cli_fail(c) : RK_OK;
}

int cli_parse_id(const char *s, int64_t *out)
{
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (!*s || *end || errno || v <= 0)
        return -1;
    *out = v;
    return 0;
}

int cli_opt_all(const cli_ctx *c, const char *name, const char **vals, int max)
{
    int n = 0;
    for (int i = 0; i < c->opt.nextra && n < max; i++)
        if (strcmp(c->opt.extra[i].name, name) == 0)
            vals[n++] = c->opt.extra[i].value;
    return n;
}

static const struct {
    unsigned bit;
    const char *name;
} opt_names[] = {
    { RK_OPT_DIR, "--dir" }, { RK_OPT_USER, "--user" }, { RK_OPT_PASSWORD_FD, "--password-fd" },
    { RK_OPT_NEW_PASSWORD_FD, "--new-password-fd" }, { RK_OPT_ROLE, "--role" },
    { RK_OPT_NAME, "--name" }, { RK_OPT_ADMIN, "--admin" },
    { RK_OPT_REGISTRY_NAME, "--registry-name" }, { RK_OPT_SET, "--set" },
    { RK_OPT_ADD, "--add" }, { RK_OPT_JSON, "--json" }, { RK_OPT_CLIENTS, "--clients" },
};

int cli_errline(int code, const char *msg)
{
    char clean[600];
    rk_sanitize(clean, sizeof clean, msg, 0);
    fprintf(stderr, "rekisteri: %s\n", clean);
    return code;
}

int cli_fail(cli_ctx *c)
{
    return cli_errline(c->err.code ? c->err.code : RK_EFAIL, c->err.msg);
}

void rk_cli_usage(FILE *out)
{
    fprintf(out, _("Usage: rekisteri [--dir DIR] [--user NAME]            open the registry in the terminal\n"
                   "       rekisteri COMMAND [OPTIONS]\n\n"));
    fprintf(out, _("Commands:\n"));
    for (size_t t = 0; t < RK_ARRAY_LEN(tables); t++)
        for (size_t i = 0; i < tables[t]->count; i++)
            fprintf(out, "  rekisteri %s\n      %s\n", _(tables[t]->commands[i].synopsis),
                    _(tables[t]->commands[i].help));
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
    build_opts();
    int ch;
    while ((ch = getopt_long(argc, argv, ":hV", all_opts, NULL)) != -1) {
        if (ch >= CMD_OPT_BASE) {
            if (o->nextra >= (int)RK_ARRAY_LEN(o->extra))
                return cli_errline(RK_EUSAGE, _("Too many options."));
            o->extra[o->nextra].name = cmd_opt_names[ch - CMD_OPT_BASE];
            o->extra[o->nextra++].value = optarg ? optarg : "1";
            continue;
        }
        switch (ch) {
        case 'd': o->dir = optarg; o->seen |= RK_OPT_DIR; break;
        case 'u': o->user = optarg; o->seen |= RK_OPT_USER; break;
        case 'p':
            if (parse_fd(optarg, &o->password_fd))
                return cli_errline(RK_EUSAGE, _("--password-fd needs a file descriptor number."));
            o->seen |= RK_OPT_PASSWORD_FD;
            break;
        case 'P':
            if (parse_fd(optarg, &o->new_password_fd))
                return cli_errline(RK_EUSAGE, _("--new-password-fd needs a file descriptor number."));
            o->seen |= RK_OPT_NEW_PASSWORD_FD;
            break;
        case 'r': o->role = optarg; o->seen |= RK_OPT_ROLE; break;
        case 'n': o->name = optarg; o->seen |= RK_OPT_NAME; break;
        case 'a': o->admin = optarg; o->seen |= RK_OPT_ADMIN; break;
        case 'R': o->registry_name = optarg; o->seen |= RK_OPT_REGISTRY_NAME; break;
        case 's':
            if (o->nsets >= (int)RK_ARRAY_LEN(o->sets))
                return cli_errline(RK_EUSAGE, _("Too many --set options."));
            o->sets[o->nsets++] = optarg;
            o->seen |= RK_OPT_SET;
            break;
        case 'A':
            if (o->nadds >= (int)RK_ARRAY_LEN(o->adds))
                return cli_errline(RK_EUSAGE, _("Too many --add options."));
            o->adds[o->nadds++] = optarg;
            o->seen |= RK_OPT_ADD;
            break;
        case 'j': o->json = true; o->seen |= RK_OPT_JSON; break;
        case 'c': {
            char *end;
            o->clients = strtol(optarg, &end, 10);
            if (*optarg == '\0' || *end != '\0' || o->clients < 0 || o->clients > 10000000)
                return cli_errline(RK_EUSAGE, _("--clients needs a number from 0 to 10000000."));
            o->seen |= RK_OPT_CLIENTS;
            break;
        }
        case 'h': *help = true; break;
        case 'V': *version = true; break;
        case ':': {
            char msg[160];
            snprintf(msg, sizeof msg, _("The option %s needs a value."), argv[optind - 1]);
            return cli_errline(RK_EUSAGE, msg);
        }
        default: {
            char msg[160];
            snprintf(msg, sizeof msg, _("Unknown option %s (see rekisteri --help)."),
                     argv[optind - 1]);
            return cli_errline(RK_EUSAGE, msg);
        }
        }
    }
    return RK_OK;
}

/* Finds the command whose words match the first positional arguments. */
static bool words_match(const char *words, char **pos, int npos, int *used)
{
    char buf[64];
    snprintf(buf, sizeof buf, "%s", words);
    int k = 0;
    for (char *save = NULL, *w = strtok_r(buf, " ", &save); w; w = strtok_r(NULL, " ", &save), k++)
        if (k >= npos || strcmp(pos[k], w) != 0)
            return false;
    *used = k;
    return true;
}

static const cli_command *find_command(char **pos, int npos, int *used)
{
    for (size_t t = 0; t < RK_ARRAY_LEN(tables); t++)
        for (size_t i = 0; i < tables[t]->count; i++)
            if (words_match(tables[t]->commands[i].words, pos, npos, used))
                return &tables[t]->commands[i];
    return NULL;
}

static const char *login_name(void)
{
    struct passwd *pw = getpwuid(getuid());
    return pw ? pw->pw_name : "";
}

const char *cli_user(const cli_ctx *c)
{
    return c->opt.user ? c->opt.user : login_name();
}

char *cli_read_password(cli_ctx *c, const char *user)
{
    if (c->opt.password_fd >= 0)
        return rk_password_read_fd(c->opt.password_fd, &c->err);
    char prompt[96];
    snprintf(prompt, sizeof prompt, _("Password for %s: "), user);
    return rk_password_read_tty(prompt, &c->err);
}

/* A new password: from --new-password-fd, or typed twice at the terminal. */
char *cli_read_new_password(cli_ctx *c, const char *user)
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
    const char *user = cli_user(c);
    char *pw = cli_read_password(c, user);
    if (!pw)
        return cli_fail(c);
    int rc = rk_session_login(&c->paths, user, pw, &c->session, NULL, &c->err);
    rk_password_free(pw);
    if (rc)
        return cli_fail(c);
    rk_i18n_set_language(c->session->language);   /* the user's own language from here on */
    return RK_OK;
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
        return cli_fail(&c);
    /* A group-writable registry directory is a shared one (INSTALL, section
     * 4): the files made in it must be usable by the whole group. */
    struct stat dst;
    if (stat(c.paths.dir, &dst) == 0 && (dst.st_mode & S_IRWXG) == S_IRWXG)
        umask(007);

    if (npos == 0) {
        unsigned extra = c.opt.seen & ~(RK_OPT_DIR | RK_OPT_USER);
        if (extra || c.opt.nextra)
            return cli_errline(RK_EUSAGE, _("Only --dir and --user apply when no command is given."));
        if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO))
            return cli_errline(RK_EUSAGE, _("The interactive program needs a terminal; see rekisteri --help for commands."));
        if (!rk_registry_exists(&c.paths)) {
            char msg[RK_PATH_MAX + 200];
            snprintf(msg, sizeof msg,
                     _("There is no registry in %s: create one with \"rekisteri init --dir %s --admin NAME\", or try \"make demo\"."),
                     c.paths.dir, c.paths.dir);
            return cli_errline(RK_EFAIL, msg);
        }
        return run_ui(&c.paths, c.opt.user);
    }

    int used = 0;
    const cli_command *cmd = find_command(pos, npos, &used);
    if (!cmd) {
        char msg[256];
        snprintf(msg, sizeof msg, _("Unknown command \"%s\" (see rekisteri --help)."), pos[0]);
        return cli_errline(RK_EUSAGE, msg);
    }
    c.args = pos + used;
    c.nargs = npos - used;
    if (c.nargs < cmd->min_args || c.nargs > cmd->max_args) {
        char msg[256];
        snprintf(msg, sizeof msg, _("Usage: rekisteri %s"), _(cmd->synopsis));
        return cli_errline(RK_EUSAGE, msg);
    }
    for (size_t i = 0; i < RK_ARRAY_LEN(opt_names); i++)
        if ((c.opt.seen & opt_names[i].bit) && !(cmd->opts & opt_names[i].bit)) {
            char msg[256];
            snprintf(msg, sizeof msg, _("The option %s does not apply to \"rekisteri %s\"."),
                     opt_names[i].name, cmd->words);
            return cli_errline(RK_EUSAGE, msg);
        }
    if ((rc = check_cmd_opts(&c, cmd)) != RK_OK)
        return rc;
    if (cmd->login && (rc = login(&c)) != RK_OK)
        return rc;
    rc = cmd->run(&c);
    if (c.session)
        rk_session_logout(c.session);
    return rc;
}

