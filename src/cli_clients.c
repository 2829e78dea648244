/* Commands for client data: search, the card, edits, field history and the
 * role x field policy. All go through src/clients.c, so the policy applies. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_internal.h"
#include "client_format.h"
#include "clients.h"
#include "sanitize.h"

static int cmd_search(cli_ctx *c);
static int cmd_show(cli_ctx *c);
static int cmd_client_add(cli_ctx *c);
static int cmd_client_edit(cli_ctx *c);
static int cmd_history(cli_ctx *c);
static int cmd_policy_show(cli_ctx *c);
static int cmd_policy_set(cli_ctx *c);

static const cli_command commands[] = {
    { .words = "search", .min_args = 1, .max_args = 16, .opts = AUTH_OPTS,
      .login = true, .run = cmd_search,
      .synopsis = N_("search QUERY"),
      .help = N_("Find clients by name words, personal identity code, customer number, phone or e-mail; one tab-separated line per hit.") },
    { .words = "show", .min_args = 1, .max_args = 1, .opts = AUTH_OPTS | RK_OPT_JSON,
      .login = true, .run = cmd_show,
      .synopsis = N_("show CLIENT [--json]"),
      .help = N_("Show a client's card (CLIENT: customer number or personal identity code), as your role may see it.") },
    { .words = "client add", .min_args = 0, .max_args = 0, .opts = AUTH_OPTS | RK_OPT_SET | RK_OPT_ADD,
      .login = true, .run = cmd_client_add,
      .synopsis = N_("client add --set FIELD=VALUE... [--add LIST=VALUE...]"),
      .help = N_("Add a client. LIST is phones (TYPE:NUMBER), emails (TYPE:ADDRESS), sources (SOURCE:DATE[:NOTE]), events (DATE:KIND:TEXT) or household (RELATION:CLIENT).") },
    { .words = "client edit", .min_args = 1, .max_args = 1, .opts = AUTH_OPTS | RK_OPT_SET | RK_OPT_ADD,
      .login = true, .run = cmd_client_edit,
      .synopsis = N_("client edit CLIENT --set FIELD=VALUE... [--add LIST=VALUE...]"),
      .help = N_("Change a client's fields with the same checks as the card.") },
    { .words = "history", .min_args = 1, .max_args = 1, .opts = AUTH_OPTS,
      .login = true, .run = cmd_history,
      .synopsis = N_("history CLIENT"),
      .help = N_("Field-level change history of a client: old and new value, who and when (dpo).") },
    { .words = "policy show", .min_args = 0, .max_args = 0, .opts = AUTH_OPTS,
      .login = true, .run = cmd_policy_show,
      .synopsis = N_("policy show"),
      .help = N_("Print which role sees which field: hidden, masked, read or write (* = changed from the default).") },
    { .words = "policy set", .min_args = 3, .max_args = 3, .opts = AUTH_OPTS,
      .login = true, .run = cmd_policy_set,
      .synopsis = N_("policy set ROLE FIELD LEVEL"),
      .help = N_("Change one role's level for one field (admin).") },
};

const cli_table rk_cli_client_commands = { commands, RK_ARRAY_LEN(commands) };

static int cmd_search(cli_ctx *c)
{
    char query[512] = "";
    for (int i = 0; i < c->nargs; i++) {
        if (i)
            strncat(query, " ", sizeof query - strlen(query) - 1);
        strncat(query, c->args[i], sizeof query - strlen(query) - 1);
    }
    rk_search_hit *hits = calloc(RK_SEARCH_MAX_HITS, sizeof *hits);
    if (!hits)
        return cli_errline(RK_EFAIL, _("Out of memory."));
    size_t n = 0;
    int rc = rk_clients_search(c->session, query, hits, 50, &n, true, &c->err);
    if (rc == RK_OK)
        for (size_t i = 0; i < n; i++) {
            char name[600], office[200];
            rk_sanitize(name, sizeof name, hits[i].name, 0);
            rk_sanitize(office, sizeof office, hits[i].post_office, 0);
            printf("%s\t%s\t%s\t%s\t%s\n", hits[i].customer_no, name, hits[i].hetu,
                   hits[i].birth_date, office);
        }
    free(hits);
    return rc ? cli_fail(c) : RK_OK;
}

static int open_client(cli_ctx *c, const char *key, rk_client **out)
{
    int64_t id;
    if (rk_clients_lookup(c->session, key, &id, &c->err) ||
        rk_clients_get(c->session, id, out, &c->err))
        return cli_fail(c);
    return RK_OK;
}

static int cmd_show(cli_ctx *c)
{
    rk_client *cl;
    int rc = open_client(c, c->args[0], &cl);
    if (rc)
        return rc;
    if (c->opt.json) {
        json_t *j = rk_client_to_json(cl);
        char *text = j ? json_dumps(j, JSON_INDENT(2) | JSON_ENSURE_ASCII) : NULL;
        if (text)
            printf("%s\n", text);
        free(text);
        json_decref(j);
        if (!text)
            rc = cli_errline(RK_EFAIL, _("Out of memory."));
    } else {
        rk_client_print_text(stdout, cl);
    }
    rk_client_free(cl);
    return rc;
}

/* Applies --set FIELD=VALUE and --add LIST=VALUE to a card, in order. */
static int apply_edits(cli_ctx *c, rk_client *cl)
{
    for (int i = 0; i < c->opt.nsets; i++) {
        const char *eq = strchr(c->opt.sets[i], '=');
        char field[64];
        if (!eq || (size_t)(eq - c->opt.sets[i]) >= sizeof field)
            return cli_errline(RK_EUSAGE, _("--set needs FIELD=VALUE (\"rekisteri policy show\" lists the fields)."));
        snprintf(field, sizeof field, "%.*s", (int)(eq - c->opt.sets[i]), c->opt.sets[i]);
        int f = rk_field_parse(field);
        if (f < 0) {
            rk_err_set(&c->err, RK_EUSAGE, _("Unknown field \"%s\" (\"rekisteri policy show\" lists them)."), field);
            return cli_fail(c);
        }
        if (rk_client_set(cl, (rk_field)f, eq + 1, &c->err))
            return cli_fail(c);
    }
    for (int i = 0; i < c->opt.nadds; i++) {
        char buf[1024];
        snprintf(buf, sizeof buf, "%s", c->opt.adds[i]);
        char *eq = strchr(buf, '=');
        if (!eq)
            return cli_errline(RK_EUSAGE, _("--add needs LIST=VALUE, e.g. phones=mobile:040 123 4567."));
        *eq = '\0';
        char *v = eq + 1, *parts[3] = { NULL, NULL, NULL };
        int k = 0;
        /* Split at most twice on ':' so that notes and texts keep theirs. */
        parts[k++] = v;
        for (char *p = v; *p && k < 3; p++)
            if (*p == ':') {
                *p = '\0';
                parts[k++] = p + 1;
            }
        int rc;
        if (strcmp(buf, "phones") == 0)
            rc = k >= 2 ? rk_client_add_phone(cl, parts[0], parts[1], &c->err)
                        : rk_client_add_phone(cl, NULL, parts[0], &c->err);
        else if (strcmp(buf, "emails") == 0)
            rc = k >= 2 ? rk_client_add_email(cl, parts[0], parts[1], &c->err)
                        : rk_client_add_email(cl, NULL, parts[0], &c->err);
        else if (strcmp(buf, "sources") == 0)
            rc = rk_client_add_source(cl, parts[0], parts[1], parts[2], &c->err);
        else if (strcmp(buf, "events") == 0)
            rc = rk_client_add_event(cl, parts[0], parts[1], parts[2], &c->err);
        else if (strcmp(buf, "household") == 0 && k == 2)   /* RELATION:CLIENT */
            rc = rk_clients_add_household(c->session, cl, parts[0], parts[1], &c->err);
        else if (strcmp(buf, "household") == 0)
            return cli_errline(RK_EUSAGE, _("--add household needs RELATION:CLIENT, e.g. household=spouse:100002."));
        else
            return cli_errline(RK_EUSAGE, _("--add takes phones, emails, sources, events or household."));
        if (rc)
            return cli_fail(c);
    }
    return RK_OK;
}

static int cmd_client_add(cli_ctx *c)
{
    rk_client *cl;
    if (rk_clients_blank(c->session, &cl, &c->err))
        return cli_fail(c);
    int rc = apply_edits(c, cl);
    if (rc == RK_OK) {
        int64_t existing = 0;
        if (rk_clients_create(c->session, cl, &existing, &c->err)) {
            rc = cli_fail(c);
            if (existing)
                fprintf(stderr, _("rekisteri: the existing client: rekisteri show %s\n"),
                        cl->value[RK_F_HETU] ? cl->value[RK_F_HETU] : "");
        } else {
            int64_t dup[8];
            size_t ndup = 0;
            rk_err ignore;
            rk_clients_possible_duplicates(c->session, cl, dup, 8, &ndup, &ignore);
            printf(_("Added the client %s.\n"), cl->value[RK_F_CUSTOMER_NO]);
            if (ndup)
                printf(_("Note: %zu other client(s) have the same name and birth date; check for a duplicate.\n"), ndup);
        }
    }
    rk_client_free(cl);
    return rc;
}

static int cmd_client_edit(cli_ctx *c)
{
    rk_client *orig, *cl;
    int rc = open_client(c, c->args[0], &orig);
    if (rc)
        return rc;
    if (!(cl = rk_client_clone(orig))) {
        rk_client_free(orig);
        return cli_errline(RK_EFAIL, _("Out of memory."));
    }
    rc = apply_edits(c, cl);
    if (rc == RK_OK) {
        rk_conflict cf;
        if (rk_clients_save(c->session, orig, cl, &cf, &c->err))
            rc = cli_fail(c);
        else
            printf(_("Saved the client %s (version %lld).\n"), c->args[0], (long long)cl->version);
    }
    rk_client_free(orig);
    rk_client_free(cl);
    return rc;
}

static int cmd_history(cli_ctx *c)
{
    int64_t id;
    rk_history_row *rows;
    size_t n;
    if (rk_clients_lookup(c->session, c->args[0], &id, &c->err) ||
        rk_clients_history(c->session, id, &rows, &n, &c->err))
        return cli_fail(c);
    for (size_t i = 0; i < n; i++) {
        char a[1024], b[1024];
        rk_sanitize(a, sizeof a, rows[i].old_value, 0);
        rk_sanitize(b, sizeof b, rows[i].new_value, 0);
        printf("%s\t%s\t%s\t%s\t%s\n", rows[i].ts, rows[i].user, rows[i].field, a, b);
    }
    rk_dbc_history_free(rows, n);
    return RK_OK;
}

/* One row of `policy show`: the level per role, "*" where it is not the default. */
static void print_policy_row(const char *name, const rk_level *level, const rk_level *dflt)
{
    printf("%-18s", name);
    for (int r = 0; r < RK_ROLE_COUNT; r++)
        printf(" %s%-*s", rk_level_name(level[r]), 10 - (int)strlen(rk_level_name(level[r])),
               level[r] != dflt[r] ? "*" : "");
    printf("\n");
}

static int cmd_policy_show(cli_ctx *c)
{
    rk_policy p[RK_ROLE_COUNT];
    for (int r = 0; r < RK_ROLE_COUNT; r++)
        if (rk_clients_role_policy(c->session, (rk_role)r, &p[r], &c->err))
            return cli_fail(c);
    printf("%-18s", _("field"));
    for (int r = 0; r < RK_ROLE_COUNT; r++)
        printf(" %-10s", rk_role_name((rk_role)r));
    printf("\n");
    rk_level level[RK_ROLE_COUNT], dflt[RK_ROLE_COUNT];
    for (int f = 0; f < RK_F_COUNT; f++) {
        for (int r = 0; r < RK_ROLE_COUNT; r++) {
            level[r] = p[r].level[f];
            dflt[r] = rk_policy_default((rk_role)r, (rk_field)f);
        }
        print_policy_row(rk_fields[f].name, level, dflt);
    }
    for (int a = 0; a < RK_AREA_COUNT; a++) {
        for (int r = 0; r < RK_ROLE_COUNT; r++) {
            level[r] = p[r].area[a];
            dflt[r] = rk_policy_area_default((rk_role)r, (rk_area)a);
        }
        print_policy_row(rk_area_name((rk_area)a), level, dflt);
    }
    return RK_OK;
}

static int cmd_policy_set(cli_ctx *c)
{
    if (rk_clients_policy_set(c->session, c->args[0], c->args[1], c->args[2], &c->err))
        return cli_fail(c);
    printf(_("%s now sees %s as: %s.\n"), c->args[0], c->args[1], c->args[2]);
    return RK_OK;
}
