/* Commands for the registered person's rights: the requests register,
 * reports, erasure, restriction and the retention review (src/requests.h,
 * src/reports.h, src/rights.h):
 *   rekisteri request add 1001 --kind access --channel in_person --verified "passport, seen"
 *   rekisteri report access 1001 --out /secure/1001-access */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_internal.h"
#include "client_format.h"
#include "clients.h"
#include "disclosure.h"
#include "reports.h"
#include "requests.h"
#include "rights.h"
#include "sanitize.h"

static int cmd_request_add(cli_ctx *c);
static int cmd_request_list(cli_ctx *c);
static int cmd_request_close(cli_ctx *c);
static int cmd_request_extend(cli_ctx *c);
static int cmd_report(cli_ctx *c);
static int cmd_erase(cli_ctx *c);
static int cmd_restrict(cli_ctx *c);
static int cmd_unrestrict(cli_ctx *c);
static int cmd_retention(cli_ctx *c);
static int cmd_disclosure_add(cli_ctx *c);

static const cli_command commands[] = {
    { .words = "request add", .min_args = 1, .max_args = 1, .opts = AUTH_OPTS,
      .login = true, .run = cmd_request_add,
      .synopsis = N_("request add CLIENT --kind KIND --channel CHANNEL --verified HOW [--received DATE]"),
      .help = N_("Register a request of the person (reception, dpo). Kinds: access, rectification, erasure, restriction, portability, objection, withdrawal, log_data; channels: in_person, phone, letter, email, web_form. Due one calendar month after it was received."),
      .options = "kind= channel= verified= received=" },
    { .words = "request list", .min_args = 0, .max_args = 0, .opts = AUTH_OPTS,
      .login = true, .run = cmd_request_list,
      .synopsis = N_("request list [--client CLIENT] [--all] [--today DATE]"),
      .help = N_("Open requests by due date, overdue ones marked; --all includes closed ones (dpo; reception for one client)."),
      .options = "client= all today=" },
    { .words = "request close", .min_args = 1, .max_args = 1, .opts = AUTH_OPTS,
      .login = true, .run = cmd_request_close,
      .synopsis = N_("request close REQUEST --status granted|partly_granted|refused|withdrawn --decision TEXT"),
      .help = N_("Close a request with the decision and its reasons (dpo)."),
      .options = "status= decision= today=" },
    { .words = "request extend", .min_args = 1, .max_args = 1, .opts = AUTH_OPTS,
      .login = true, .run = cmd_request_extend,
      .synopsis = N_("request extend REQUEST --months 1|2 --reason TEXT"),
      .help = N_("Extend the deadline by up to two months in all, within the first month, with the reason told to the person (dpo)."),
      .options = "months= reason= today=" },
    { .words = "report", .min_args = 2, .max_args = 2, .opts = AUTH_OPTS,
      .login = true, .run = cmd_report,
      .synopsis = N_("report access|portability|log CLIENT [--format text|json|csv] [--since DATE] [--out BASE]"),
      .help = N_("A report for the person (dpo): access (text and json), portability (json, csv), log data (text, json, csv; --since, default two years). --out BASE writes BASE.txt and BASE.json (access) or BASE.FORMAT."),
      .options = "format= since= out=" },
    { .words = "erase", .min_args = 1, .max_args = 1, .opts = AUTH_OPTS,
      .login = true, .run = cmd_erase,
      .synopsis = N_("erase CLIENT [--confirm CUSTOMERNO] [--request REQUEST]"),
      .help = N_("Erase the person's data for good (dpo). Billing data stays under a legal hold until its end date. Asks for the customer number again unless --confirm gives it."),
      .options = "confirm= request=" },
    { .words = "restrict", .min_args = 1, .max_args = 1, .opts = AUTH_OPTS,
      .login = true, .run = cmd_restrict,
      .synopsis = N_("restrict CLIENT"),
      .help = N_("Restrict processing (GDPR Art. 18): out of marketing lists and exports, changed only by dpo (dpo).") },
    { .words = "unrestrict", .min_args = 1, .max_args = 1, .opts = AUTH_OPTS,
      .login = true, .run = cmd_unrestrict,
      .synopsis = N_("unrestrict CLIENT"),
      .help = N_("Lift a restriction of processing (dpo).") },
    { .words = "retention", .min_args = 0, .max_args = 0, .opts = AUTH_OPTS,
      .login = true, .run = cmd_retention,
      .synopsis = N_("retention [--apply] [--today DATE]"),
      .help = N_("What the retention rules make due, and why; --apply erases and deletes it and reports counts (dpo)."),
      .options = "apply today=" },
    { .words = "disclosure add", .min_args = 0, .max_args = 0, .opts = AUTH_OPTS,
      .login = true, .run = cmd_disclosure_add,
      .synopsis = N_("disclosure add --client CLIENT ... --recipient TEXT --legal-basis BASIS --purpose TEXT --categories LIST [--note TEXT]"),
      .help = N_("Enter a disclosure made outside the program in the register (dpo). Bases: consent, legitimate_interest, legal_obligation, contract; categories: identity, contact, protection, business, household, history, billing, sources."),
      .options = "client=* recipient= legal-basis= purpose= categories= note=" },
};

const cli_table rk_cli_rights_commands = { commands, RK_ARRAY_LEN(commands) };

/* A usage error naming the bad value: "MESSAGE: VALUE". */
static int usage_msg(const char *what, const char *value)
{
    char msg[512];
    snprintf(msg, sizeof msg, "%s: \"%s\"", what, value ? value : "");
    return cli_errline(RK_EUSAGE, msg);
}

/* An optional --today as yyyy-mm-dd (tests and reviews of a given day). */
static int today_opt(cli_ctx *c, char out[RK_DATE_ISO_SIZE], const char **today)
{
    const char *v = cli_opt(c, "today");
    *today = NULL;
    if (!v)
        return RK_OK;
    rk_date d;
    if (rk_date_parse(v, &d, &c->err) || rk_date_format_iso(&d, out, &c->err))
        return cli_fail(c);
    *today = out;
    return RK_OK;
}

/* ---- requests ------------------------------------------------------------ */

static int cmd_request_add(cli_ctx *c)
{
    const char *kind, *channel, *verified;
    int rc;
    if ((rc = cli_need(c, "kind", &kind)) || (rc = cli_need(c, "channel", &channel)) ||
        (rc = cli_need(c, "verified", &verified)))
        return rc;
    int k = rk_request_kind_parse(kind), ch = rk_request_channel_parse(channel);
    if (k < 0)
        return usage_msg(_("Unknown request kind (use access, rectification, erasure, restriction, portability, objection, withdrawal or log_data)"), kind);
    if (ch < 0)
        return usage_msg(_("Unknown channel (use in_person, phone, letter, email or web_form)"), channel);
    rk_request_input in = { .kind = (rk_request_kind)k, .channel = (rk_request_channel)ch,
                            .received = cli_opt(c, "received"), .verified_how = verified };
    if (cli_client(c, c->args[0], &in.client_id))
        return c->err.code;
    int64_t id;
    if (rk_request_add(c->session, &in, NULL, &id, &c->err))
        return cli_fail(c);
    rk_request r;
    if (rk_request_get(c->session, id, &r, &c->err) == RK_OK) {
        char due[32];
        rk_date_display(r.due, due, sizeof due);
        printf(_("Registered request %lld, due %s.\n"), (long long)id, due);
    } else {
        printf(_("Registered request %lld.\n"), (long long)id);
    }
    return RK_OK;
}

static int cmd_request_list(cli_ctx *c)
{
    char day[RK_DATE_ISO_SIZE], now[RK_DATE_ISO_SIZE];
    const char *today;
    int64_t client = 0;
    if (today_opt(c, day, &today))
        return c->err.code;
    if (!today)
        today = rk_today(now);
    const char *key = cli_opt(c, "client");
    if (key && cli_client(c, key, &client))
        return c->err.code;
    rk_request *r;
    size_t n;
    if (rk_requests_list(c->session, client, !cli_opt(c, "all"), &r, &n, &c->err))
        return cli_fail(c);
    printf("%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", _("request"), _("customer"), _("kind"),
           _("received"), _("due"), _("status"), _("closed"), _("overdue"));
    for (size_t i = 0; i < n; i++) {
        char rec[32], due[32], closed[32];
        rk_date_display(r[i].received, rec, sizeof rec);
        rk_date_display(r[i].due, due, sizeof due);
        rk_date_display(r[i].closed, closed, sizeof closed);
        printf("%lld\t%lld\t%s\t%s\t%s\t%s\t%s\t%s\n", (long long)r[i].id,
               (long long)r[i].customer_no, r[i].kind, rec, due, r[i].status,
               closed[0] ? closed : "-", rk_request_overdue(&r[i], today) ? _("OVERDUE") : "-");
    }
    free(r);
    return RK_OK;
}

static int cmd_request_close(cli_ctx *c)
{
    const char *status, *decision;
    int rc;
    if ((rc = cli_need(c, "status", &status)) || (rc = cli_need(c, "decision", &decision)))
        return rc;
    int st = rk_request_status_parse(status);
    if (st <= RK_REQST_OPEN)
        return usage_msg(_("Unknown closing status (use granted, partly_granted, refused or withdrawn)"), status);
    int64_t id;
    if (cli_parse_id(c->args[0], &id))
        return cli_errline(RK_EUSAGE, _("request close needs the number of a request."));
    char day[RK_DATE_ISO_SIZE];
    const char *today;
    if (today_opt(c, day, &today))
        return c->err.code;
    if (rk_request_close(c->session, id, (rk_request_status)st, decision, today, &c->err))
        return cli_fail(c);
    printf(_("Closed request %lld as %s.\n"), (long long)id, rk_request_status_label(status));
    return RK_OK;
}

static int cmd_request_extend(cli_ctx *c)
{
    const char *months, *reason;
    int rc;
    if ((rc = cli_need(c, "months", &months)) || (rc = cli_need(c, "reason", &reason)))
        return rc;
    int64_t id, m;
    if (cli_parse_id(c->args[0], &id))
        return cli_errline(RK_EUSAGE, _("request extend needs the number of a request."));
    if (cli_parse_id(months, &m) || m > RK_REQUEST_MAX_EXTENSION)
        return usage_msg(_("--months must be 1 or 2"), months);
    char day[RK_DATE_ISO_SIZE];
    const char *today;
    if (today_opt(c, day, &today))
        return c->err.code;
    if (rk_request_extend(c->session, id, (int)m, reason, today, &c->err))
        return cli_fail(c);
    rk_request r;
    if (rk_request_get(c->session, id, &r, &c->err))
        return cli_fail(c);
    char due[32];
    rk_date_display(r.due, due, sizeof due);
    printf(_("Request %lld is now due %s.\n"), (long long)id, due);
    return RK_OK;
}

/* ---- reports ------------------------------------------------------------- */

static FILE *open_out(cli_ctx *c, const char *base, const char *ext, char *path, size_t n)
{
    snprintf(path, n, "%s.%s", base, ext);
    FILE *f = fopen(path, "wx");
    if (!f)
        rk_err_set(&c->err, RK_EFAIL, _("Cannot create %s: %s."), path, strerror(errno));
    return f;
}

static int cmd_report(cli_ctx *c)
{
    int kind = rk_report_kind_parse(c->args[0]);
    if (kind < 0)
        return usage_msg(_("Unknown report (use access, portability or log)"), c->args[0]);
    const char *fmt = cli_opt(c, "format"), *base = cli_opt(c, "out");
    rk_report_format format = kind == RK_REPORT_PORTABILITY ? RK_REPORT_JSON : RK_REPORT_TEXT;
    if (fmt) {
        if (strcmp(fmt, "text") == 0)
            format = RK_REPORT_TEXT;
        else if (strcmp(fmt, "json") == 0)
            format = RK_REPORT_JSON;
        else if (strcmp(fmt, "csv") == 0)
            format = RK_REPORT_CSV;
        else
            return usage_msg(_("--format must be text, json or csv"), fmt);
    }
    if (cli_opt(c, "since") && kind != RK_REPORT_LOG)
        return cli_errline(RK_EUSAGE, _("--since applies to the log report only."));
    int64_t id;
    if (cli_client(c, c->args[1], &id))
        return c->err.code;
    char p1[1024], p2[1024];
    int rc;
    if (base && kind == RK_REPORT_ACCESS && !fmt) {
        /* Text to print or hand over and JSON, in the same run. */
        FILE *t = open_out(c, base, "txt", p1, sizeof p1);
        FILE *j = t ? open_out(c, base, "json", p2, sizeof p2) : NULL;
        rc = j ? rk_report_access(c->session, id, t, j, &c->err) : c->err.code;
        if (t && fclose(t) && !rc)
            rc = rk_err_set(&c->err, RK_EFAIL, _("Cannot write %s."), p1);
        if (j && fclose(j) && !rc)
            rc = rk_err_set(&c->err, RK_EFAIL, _("Cannot write %s."), p2);
        if (rc)
            return cli_fail(c);
        fprintf(stderr, _("rekisteri: wrote %s and %s.\n"), p1, p2);
        return RK_OK;
    }
    FILE *out = stdout;
    if (base && !(out = open_out(c, base, format == RK_REPORT_TEXT ? "txt" : fmt, p1, sizeof p1)))
        return cli_fail(c);
    rc = rk_report(c->session, (rk_report_kind)kind, id, format, cli_opt(c, "since"), out, &c->err);
    if (out != stdout && fclose(out) && !rc)
        rc = rk_err_set(&c->err, RK_EFAIL, _("Cannot write %s."), p1);
    if (rc)
        return cli_fail(c);
    if (out != stdout)
        fprintf(stderr, _("rekisteri: wrote %s.\n"), p1);
    return RK_OK;
}

/* ---- erasure, restriction, retention ------------------------------------ */

static int cmd_erase(cli_ctx *c)
{
    int64_t id, request = 0;
    if (cli_client(c, c->args[0], &id))
        return c->err.code;
    const char *rq = cli_opt(c, "request");
    if (rq && cli_parse_id(rq, &request))
        return usage_msg(_("--request must be the number of a request"), rq);
    char typed[64];
    const char *confirm = cli_opt(c, "confirm");
    if (!confirm) {
        fprintf(stderr, _("Erasing client %s cannot be undone. Type the customer number again: "),
                c->args[0]);
        fflush(stderr);
        if (!fgets(typed, sizeof typed, stdin))
            typed[0] = '\0';
        typed[strcspn(typed, "\r\n")] = '\0';
        confirm = typed;
    }
    rk_erase_result res;
    if (rk_client_erase(c->session, id, confirm, request, NULL, &res, &c->err))
        return cli_fail(c);
    printf(_("Erased customer %s.\n"), confirm);
    if (res.held) {
        char until[32];
        rk_date_display(res.hold_until, until, sizeof until);
        printf(_("Names and billing data are kept under a legal hold until %s (Kirjanpitolaki), then erased by \"rekisteri retention --apply\".\n"),
               until);
    }
    return RK_OK;
}

static int restrict_cmd(cli_ctx *c, bool on)
{
    int64_t id;
    if (cli_client(c, c->args[0], &id))
        return c->err.code;
    if (rk_client_restrict(c->session, id, on, &c->err))
        return cli_fail(c);
    printf("%s\n", on ? _("Processing restricted.") : _("Restriction lifted."));
    return RK_OK;
}

static int cmd_restrict(cli_ctx *c) { return restrict_cmd(c, true); }
static int cmd_unrestrict(cli_ctx *c) { return restrict_cmd(c, false); }

static int cmd_retention(cli_ctx *c)
{
    char day[RK_DATE_ISO_SIZE];
    const char *today;
    if (today_opt(c, day, &today))
        return c->err.code;
    rk_retention_item *items;
    size_t n;
    if (rk_retention_review(c->session, today, &items, &n, &c->err))
        return cli_fail(c);
    printf("%s\t%s\t%s\t%s\n", _("rule"), _("customer"), _("date"), _("why"));
    for (size_t i = 0; i < n; i++) {
        char date[40];
        rk_date_display(items[i].date, date, sizeof date);
        printf("%s\t%lld\t%s\t%s", rk_retention_kind_name(items[i].kind),
               (long long)items[i].customer_no, date, rk_retention_kind_label(items[i].kind));
        if (items[i].kind == RK_RET_CALL_NOTE)
            printf(_(" (note %lld)"), (long long)items[i].note_id);
        printf("\n");
    }
    free(items);
    if (!cli_opt(c, "apply"))
        return RK_OK;
    size_t counts[RK_RET_COUNT];
    if (rk_retention_apply(c->session, today, counts, &c->err))
        return cli_fail(c);
    printf(_("Applied: %zu clients erased, %zu call notes deleted, %zu legal holds ended.\n"),
           counts[RK_RET_NO_CONTACT], counts[RK_RET_CALL_NOTE], counts[RK_RET_HOLD_ENDED]);
    return RK_OK;
}

static int cmd_disclosure_add(cli_ctx *c)
{
    const char *keys[32];
    int nk = cli_opt_all(c, "client", keys, (int)RK_ARRAY_LEN(keys));
    if (nk == 0)
        return cli_errline(RK_EUSAGE, _("This command needs --client."));
    int64_t ids[RK_ARRAY_LEN(keys)];
    for (int i = 0; i < nk; i++)
        if (cli_client(c, keys[i], &ids[i]))
            return c->err.code;
    rk_manual_disclosure m = { .recipient = cli_opt(c, "recipient"),
                               .legal_basis = cli_opt(c, "legal-basis"),
                               .purpose = cli_opt(c, "purpose"),
                               .categories = cli_opt(c, "categories"), .client_ids = ids,
                               .nclients = (size_t)nk, .note = cli_opt(c, "note") };
    int64_t id;
    if (rk_disclosure_add_manual(c->session, &m, &id, &c->err))
        return cli_fail(c);
    printf(_("Recorded disclosure %lld.\n"), (long long)id);
    return RK_OK;
}
