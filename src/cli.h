/* The command line: global options and one table of commands that drives
 * dispatch, --help and the man page's synopsis. */
#ifndef RK_CLI_H
#define RK_CLI_H

#include <stdio.h>

#include "registry.h"

/* Every option the program knows; each command names the ones it accepts. */
typedef struct rk_cli_opts {
    const char *dir;
    const char *user;
    int   password_fd;        /* -1 = read from the terminal */
    int   new_password_fd;
    const char *role;
    const char *name;
    const char *admin;
    const char *registry_name;
    const char *sets[64];     /* --set FIELD=VALUE, in order */
    int   nsets;
    const char *adds[64];     /* --add LIST=VALUE */
    int   nadds;
    bool  json;
    long  clients;            /* demo --clients N */
    struct {                  /* the command's own options, in order */
        const char *name;
        const char *value;    /* "1" for a flag */
    } extra[128];
    int   nextra;
    unsigned seen;            /* RK_OPT_* bits given on the command line */
} rk_cli_opts;

enum {
    RK_OPT_DIR = 1u << 0, RK_OPT_USER = 1u << 1, RK_OPT_PASSWORD_FD = 1u << 2,
    RK_OPT_NEW_PASSWORD_FD = 1u << 3, RK_OPT_ROLE = 1u << 4, RK_OPT_NAME = 1u << 5,
    RK_OPT_ADMIN = 1u << 6, RK_OPT_REGISTRY_NAME = 1u << 7, RK_OPT_SET = 1u << 8,
    RK_OPT_ADD = 1u << 9, RK_OPT_JSON = 1u << 10, RK_OPT_CLIENTS = 1u << 11,
};

/* The TUI, passed in by main() so that src/ does not depend on ui/. */
typedef int (*rk_ui_fn)(const rk_paths *paths, const char *prefill_user);

/* Parses argv and runs the command, or the TUI when no command is given.
 * Returns the exit status (enum rk_status). */
int rk_cli_main(int argc, char **argv, rk_ui_fn run_ui);
void rk_cli_usage(FILE *out);

#endif
