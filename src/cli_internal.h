/* What the command files share: the context a command runs in, the command
 * table entry, and the helpers for messages and passwords. Each concept has
 * its own file of commands (cli_users.c, cli_clients.c ...) exporting one
 * table; cli.c parses the options and dispatches over all tables. */
#ifndef RK_CLI_INTERNAL_H
#define RK_CLI_INTERNAL_H

#include "cli.h"
#include "session.h"

typedef struct cli_ctx {
    rk_cli_opts opt;
    rk_paths    paths;
    char      **args;       /* positional arguments after the command words */
    int         nargs;
    rk_session *session;
    rk_err      err;
} cli_ctx;

typedef int (*cmd_fn)(cli_ctx *c);

/* One command: its words, how many arguments follow, the global options it
 * takes, whether it logs in first, what it runs, its help, and its own
 * options as a spec of space-separated names: "name" is a flag, "name=" takes
 * a value, "name=*" takes a value and may repeat. cli.c builds the getopt
 * table from these specs, so a command's options are declared once. */
typedef struct cli_command {
    const char *words;
    int         min_args, max_args;
    unsigned    opts;
    bool        login;
    cmd_fn      run;
    const char *synopsis;
    const char *help;
    const char *options;
} cli_command;

#define AUTH_OPTS (RK_OPT_DIR | RK_OPT_USER | RK_OPT_PASSWORD_FD)

typedef struct cli_table {
    const cli_command *commands;
    size_t count;
} cli_table;

extern const cli_table rk_cli_user_commands;
extern const cli_table rk_cli_client_commands;
extern const cli_table rk_cli_consent_commands;
extern const cli_table rk_cli_data_commands;
extern const cli_table rk_cli_rights_commands;

/* One line "rekisteri: MESSAGE" on stderr (sanitised); returns code. */
int   cli_errline(int code, const char *msg);
/* cli_errline with the context's rk_err. */
int   cli_fail(cli_ctx *c);
/* The value of the command's own option --name ("1" for a flag), the last
 * one if repeated; NULL when not given. */
const char *cli_opt(const cli_ctx *c, const char *name);
/* Every value of a repeatable option, in order; returns how many (<= max). */
int   cli_opt_all(const cli_ctx *c, const char *name, const char **vals, int max);
/* Who the command runs as (--user, else the login name), and that user's
 * password from --password-fd or the terminal (NULL with c->err set): for
 * commands that log in themselves (restore, rekey). */
const char *cli_user(const cli_ctx *c);
char *cli_read_password(cli_ctx *c, const char *user);
/* "This command needs --NAME." as a usage error. */
int   cli_missing_opt(const char *name);
/* The value of the command's own option --name, or that usage error. */
int   cli_need(cli_ctx *c, const char *name, const char **out);
/* A client by customer number or personal identity code, as the service
 * looks it up; on failure the message is printed and the exit code given. */
int   cli_client(cli_ctx *c, const char *key, int64_t *id);
/* A positive decimal number (a note, request or entry number); -1 if not. */
int   cli_parse_id(const char *s, int64_t *out);
/* A new password from --new-password-fd or typed twice; NULL with c->err set. */
char *cli_read_new_password(cli_ctx *c, const char *user);

#endif
