/* Commands for consents and bans, call-recording notes, marketing exports
 * and the disclosure register. Each command declares its own options in
 * its table entry:
 *   rekisteri consent set 1001 --user riikka --cell direct_marketing:email=allowed --source letter */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calls.h"
#include "cli_internal.h"
#include "i18n.h"
#include "clients.h"
#include "consent.h"
#include "disclosure.h"
#include "sanitize.h"

static int cmd_consent_show(cli_ctx *c);
static int cmd_consent_history(cli_ctx *c);
static int cmd_consent_set(cli_ctx *c);
static int cmd_consent_check(cli_ctx *c);
static int cmd_calls_add(cli_ctx *c);
static int cmd_calls_list(cli_ctx *c);
static int cmd_calls_amend(cli_ctx *c);
static int cmd_calls_expired(cli_ctx *c);
static int cmd_export_marketing(cli_ctx *c);
static int cmd_disclosures_correct(cli_ctx *c);
static int cmd_disclosures(cli_ctx *c);

/* Longer word lists first: dispatch takes the first table entry whose words
 * match ("disclosures correct" before "disclosures"). */
static const cli_command commands[] = {
    { .words = "consent show", .min_args = 1, .max_args = 1, .opts = AUTH_OPTS,
      .login = true, .run = cmd_consent_show,
      .synopsis = N_("consent show CLIENT"),
      .help = N_("The consent and ban grid of a client (customer number or personal identity code), with since dates.") },
    { .words = "consent history", .min_args = 1, .max_args = 1, .opts = AUTH_OPTS,
      .login = true, .run = cmd_consent_history,
      .synopsis = N_("consent history CLIENT [--cell PURPOSE:CHANNEL|ITEM]"),
      .help = N_("Every recorded consent change of a client, newest first."),
      .options = "cell=" },
    { .words = "consent set", .min_args = 1, .max_args = 1, .opts = AUTH_OPTS,
      .login = true, .run = cmd_consent_set,
      .synopsis = N_("consent set CLIENT --cell PURPOSE:CHANNEL=allowed|denied|unknown ... --source SOURCE [--call NOTE] [--note TEXT] [--notice VERSION]"),
      .help = N_("Record consent changes made together (reception, dpo; marketing only \"denied\"). Items: all_marketing, partner_disclosure, call_recording."),
      .options = "cell=* source= call= note= notice=" },
    { .words = "consent check", .min_args = 1, .max_args = 1, .opts = AUTH_OPTS,
      .login = true, .run = cmd_consent_check,
      .synopsis = N_("consent check CLIENT --purpose PURPOSE --channel CHANNEL"),
      .help = N_("May this client be contacted for the purpose on the channel, and why."),
      .options = "purpose= channel=" },
    { .words = "calls add", .min_args = 1, .max_args = 1, .opts = AUTH_OPTS,
      .login = true, .run = cmd_calls_add,
      .synopsis = N_("calls add CLIENT --number N --direction in|out --purpose verify|training|quality --duration SECONDS (--summary TEXT | --summary-file FILE) [--at TIME] [--recording ID] [--told] [--training-consent] [--keep-until DATE] [--cell P:C=STATE ...]"),
      .help = N_("Write a call-recording note (reception, dpo); consent changes given with --cell link to it."),
      .options = "number= direction= purpose= duration= summary= summary-file= at= recording= told training-consent keep-until= cell=* note=" },
    { .words = "calls list", .min_args = 1, .max_args = 1, .opts = AUTH_OPTS,
      .login = true, .run = cmd_calls_list,
      .synopsis = N_("calls list CLIENT"),
      .help = N_("A client's call notes with their amendments (reception, dpo).") },
    { .words = "calls amend", .min_args = 1, .max_args = 1, .opts = AUTH_OPTS,
      .login = true, .run = cmd_calls_amend,
      .synopsis = N_("calls amend NOTE (--text TEXT | --text-file FILE)"),
      .help = N_("Append a dated amendment to your own call note."),
      .options = "text= text-file=" },
    { .words = "calls expired", .min_args = 0, .max_args = 0, .opts = AUTH_OPTS,
      .login = true, .run = cmd_calls_expired,
      .synopsis = N_("calls expired [--today DATE]"),
      .help = N_("Call notes past their keep-until date: number, customer number, dates (reception, dpo)."),
      .options = "today=" },
    { .words = "export marketing", .min_args = 0, .max_args = 0, .opts = AUTH_OPTS,
      .login = true, .run = cmd_export_marketing,
      .synopsis = N_("export marketing --purpose PURPOSE --channel CHANNEL [--format csv|json] [--recipient TEXT]"),
      .help = N_("The clients who may be contacted, with the fields your role may read; recorded as a disclosure (marketing, dpo)."),
      .options = "purpose= channel= format= recipient=" },
    { .words = "disclosures correct", .min_args = 1, .max_args = 1, .opts = AUTH_OPTS,
      .login = true, .run = cmd_disclosures_correct,
      .synopsis = N_("disclosures correct ENTRY --note TEXT [--recipient TEXT] [--legal-basis consent|legitimate_interest]"),
      .help = N_("Append a correction to a disclosure entry (dpo)."),
      .options = "note= recipient= legal-basis=" },
    { .words = "disclosures", .min_args = 0, .max_args = 0, .opts = AUTH_OPTS,
      .login = true, .run = cmd_disclosures,
      .synopsis = N_("disclosures [--client CLIENT]"),
      .help = N_("The disclosure register: every export, who, when, to whom and which clients (dpo)."),
      .options = "client=" },
};

const cli_table rk_cli_consent_commands = { commands, RK_ARRAY_LEN(commands) };

/* ---- the commands' own options -------------------------------------------- */

typedef struct lopt {
    const char *name;       /* without "--" */
    const char *val[32];
    int n;
} lopt;

/* The values of the command's own options (checked by cli.c against the
 * command's spec) into o. */
static int parse_local(cli_ctx *c, lopt *o, size_t no)
{
    for (size_t k = 0; k < no; k++)
        o[k].n = cli_opt_all(c, o[k].name, o[k].val, (int)RK_ARRAY_LEN(o[k].val));
    return RK_OK;
}

static const char *opt1(const lopt *o) { return o->n ? o->val[0] : NULL; }

static void clean_line(char *out, size_t n, const char *in)
{
    rk_sanitize(out, n, in, 0);
}

/* A file's whole text ("-" = standard input), at most max bytes. */
static char *read_text_file(cli_ctx *c, const char *path, size_t max)
{
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "r");
    if (!f) {
        rk_err_set(&c->err, RK_EFAIL, _("Cannot open %s: %s."), path, strerror(errno));
        return NULL;
    }
    char *buf = malloc(max + 2);
    size_t n = buf ? fread(buf, 1, max + 1, f) : 0;
    bool bad = !buf || ferror(f);
    if (f != stdin)
        fclose(f);
    if (bad) {
        free(buf);
        rk_err_set(&c->err, RK_EFAIL, _("Cannot read %s."), path);
        return NULL;
    }
    if (n > max) {
        free(buf);
        rk_err_set(&c->err, RK_EUSAGE, _("%s is longer than %zu bytes."), path, max);
        return NULL;
    }
    buf[n] = '\0';
    /* A file's final newline is not part of the text. */
    while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == '\r'))
        buf[--n] = '\0';
    return buf;
}

/* "--cell direct_marketing:email=allowed" into changes. */
static int parse_cells(const lopt *o, rk_consent_change *ch, size_t *n)
{
    *n = 0;
    for (int i = 0; i < o->n; i++) {
        const char *v = o->val[i], *eq = strrchr(v, '=');
        char slot[64], msg[400];
        if (!eq || (size_t)(eq - v) >= sizeof slot) {
            snprintf(msg, sizeof msg, _("--cell \"%s\" must be PURPOSE:CHANNEL=STATE or ITEM=STATE."), v);
            return cli_errline(RK_EUSAGE, msg);
        }
        memcpy(slot, v, (size_t)(eq - v));
        slot[eq - v] = '\0';
        int s = rk_slot_parse(slot);
        if (s < 0) {
            snprintf(msg, sizeof msg,
                     _("--cell \"%s\": unknown cell. Purposes: direct_marketing, telemarketing, research, partner_marketing, profiling, newsletter; channels: email, sms, phone, post; items: all_marketing, partner_disclosure, call_recording."),
                     v);
            return cli_errline(RK_EUSAGE, msg);
        }
        int st = rk_cstate_parse(eq + 1);
        if (st < 0) {
            snprintf(msg, sizeof msg, _("--cell \"%s\": the state must be allowed, denied or unknown."), v);
            return cli_errline(RK_EUSAGE, msg);
        }
        ch[*n].slot = s;
        ch[*n].state = (rk_cstate)st;
        (*n)++;
    }
    return RK_OK;
}

static int parse_purpose_channel(const lopt *po, const lopt *co, rk_purpose *p, rk_channel *ch)
{
    if (!po->n)
        return cli_missing_opt(po->name);
    if (!co->n)
        return cli_missing_opt(co->name);
    int pi = rk_purpose_parse(opt1(po)), ci = rk_channel_parse(opt1(co));
    char msg[300];
    if (pi < 0) {
        snprintf(msg, sizeof msg,
                 _("Unknown purpose \"%s\": use direct_marketing, telemarketing, research, partner_marketing, profiling or newsletter."),
                 opt1(po));
        return cli_errline(RK_EUSAGE, msg);
    }
    if (ci < 0) {
        snprintf(msg, sizeof msg, _("Unknown channel \"%s\": use email, sms, phone or post."), opt1(co));
        return cli_errline(RK_EUSAGE, msg);
    }
    *p = (rk_purpose)pi;
    *ch = (rk_channel)ci;
    return RK_OK;
}

/* ---- consent ------------------------------------------------------------------ */

static int cmd_consent_show(cli_ctx *c)
{
    int64_t id;
    if (cli_client(c, c->args[0], &id))
        return c->err.code ? c->err.code : RK_EFAIL;
    rk_consent_grid g;
    if (rk_consent_grid_get(c->session, id, &g, &c->err))
        return cli_fail(c);
    printf("%-40s", _("Purpose"));
    for (int ch = 0; ch < RK_CHANNEL_COUNT; ch++)
        printf(" %-9s", rk_channel_name((rk_channel)ch));
    printf("\n");
    for (int p = 0; p < RK_PURPOSE_COUNT; p++) {
        printf("%-40s", rk_purpose_name((rk_purpose)p));
        for (int ch = 0; ch < RK_CHANNEL_COUNT; ch++)
            printf(" %-9s", rk_cstate_name(g.slot[RK_SLOT_CELL(p, ch)].state));
        printf("\n");
    }
    printf("\n");
    for (int i = 0; i < RK_PITEM_COUNT; i++) {
        int s = RK_SLOT_ITEM(i);
        printf("%-40s %s\n", rk_person_item_name((rk_person_item)i),
               rk_slot_state_label(s, g.slot[s].state));
    }
    bool any = false;
    for (int s = 0; s < RK_CONSENT_SLOTS; s++) {
        const rk_consent_entry *e = &g.slot[s];
        if (!e->event_id)
            continue;
        if (!any)
            printf("\n%s\n", _("Recorded (slot, state, since, by, source):"));
        any = true;
        char name[48];
        rk_slot_name(s, name, sizeof name);
        char since[RK_DATE_TEXT];
        rk_format_timestamp(e->since, since, sizeof since);
        printf("  %-34s %-8s %s %s %s", name, rk_cstate_name(e->state), since, e->user,
               e->source >= 0 ? rk_csource_name((rk_csource)e->source) : "?");
        if (e->call_id)
            printf(" call=%lld", (long long)e->call_id);
        printf("\n");
    }
    return RK_OK;
}

static int cmd_consent_history(cli_ctx *c)
{
    lopt o[] = { { .name = "cell" } };
    int rc = parse_local(c, o, RK_ARRAY_LEN(o));
    if (rc)
        return rc;
    int slot = -1;
    if (o[0].n && (slot = rk_slot_parse(opt1(&o[0]))) < 0) {
        char msg[200];
        snprintf(msg, sizeof msg, _("Unknown cell \"%s\"."), opt1(&o[0]));
        return cli_errline(RK_EUSAGE, msg);
    }
    int64_t id;
    if (cli_client(c, c->args[0], &id))
        return c->err.code;
    rk_consent_event *ev;
    size_t n;
    if (rk_consent_history(c->session, id, slot, &ev, &n, &c->err))
        return cli_fail(c);
    printf("%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", _("event"), _("time"), _("cell"), _("state"),
           _("by"), _("source"), _("call"), _("notice"), _("note"));
    for (size_t i = 0; i < n; i++) {
        char note[1024], notice[160];
        clean_line(note, sizeof note, ev[i].note);
        clean_line(notice, sizeof notice, ev[i].notice_version);
        char call[24] = "-";
        if (ev[i].call_id)
            snprintf(call, sizeof call, "%lld", (long long)ev[i].call_id);
        printf("%lld\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", (long long)ev[i].id, ev[i].ts,
               ev[i].slot_name, rk_cstate_name(ev[i].state), ev[i].user,
               ev[i].source >= 0 ? rk_csource_name((rk_csource)ev[i].source) : "?", call,
               notice[0] ? notice : "-", note[0] ? note : "-");
    }
    rk_consent_history_free(ev);
    return RK_OK;
}

static int cmd_consent_set(cli_ctx *c)
{
    lopt o[] = { { .name = "cell" }, { .name = "source" }, { .name = "call" },
                 { .name = "note" }, { .name = "notice" } };
    int rc = parse_local(c, o, RK_ARRAY_LEN(o));
    if (rc)
        return rc;
    if (!o[0].n)
        return cli_missing_opt(o[0].name);
    if (!o[1].n)
        return cli_missing_opt(o[1].name);
    rk_consent_change ch[RK_ARRAY_LEN(o[0].val)];
    size_t n;
    if ((rc = parse_cells(&o[0], ch, &n)))
        return rc;
    int src = rk_csource_parse(opt1(&o[1]));
    if (src < 0) {
        char msg[256];
        snprintf(msg, sizeof msg,
                 _("Unknown source \"%s\": use in_person, phone, letter, web_form, email or population_register."),
                 opt1(&o[1]));
        return cli_errline(RK_EUSAGE, msg);
    }
    rk_consent_batch b = { .source = (rk_csource)src, .note = opt1(&o[3]), .notice_version = opt1(&o[4]) };
    if (o[2].n && cli_parse_id(opt1(&o[2]), &b.call_id))
        return cli_errline(RK_EUSAGE, _("--call needs the number of a call note."));
    int64_t id;
    if (cli_client(c, c->args[0], &id))
        return c->err.code;
    int64_t batch;
    if (rk_consent_apply(c->session, id, ch, n, &b, &batch, &c->err))
        return cli_fail(c);
    printf(ngettext("Recorded %zu consent change (batch %lld).\n",
                    "Recorded %zu consent changes (batch %lld).\n", n), n, (long long)batch);
    return RK_OK;
}

static int cmd_consent_check(cli_ctx *c)
{
    lopt o[] = { { .name = "purpose" }, { .name = "channel" } };
    int rc = parse_local(c, o, RK_ARRAY_LEN(o));
    rk_purpose p;
    rk_channel ch;
    if (rc || (rc = parse_purpose_channel(&o[0], &o[1], &p, &ch)))
        return rc;
    int64_t id;
    if (cli_client(c, c->args[0], &id))
        return c->err.code;
    rk_contact_reason r;
    if (rk_contact_check(c->session, id, p, ch, &r, &c->err))
        return cli_fail(c);
    printf("%s\t%s\t%s\n", rk_contact_reason_allows(r) ? "yes" : "no", rk_contact_reason_name(r),
           rk_contact_reason_label(r));
    return RK_OK;
}

/* ---- calls ---------------------------------------------------------------------- */

static int cmd_calls_add(cli_ctx *c)
{
    lopt o[] = { { .name = "number" }, { .name = "direction" }, { .name = "purpose" },
                 { .name = "duration" }, { .name = "summary" }, { .name = "summary-file" },
                 { .name = "at" }, { .name = "recording" }, { .name = "told" },
                 { .name = "training-consent" }, { .name = "keep-until" },
                 { .name = "cell" }, { .name = "note" } };
    int rc = parse_local(c, o, RK_ARRAY_LEN(o));
    if (rc)
        return rc;
    for (int k = 0; k < 4; k++)
        if (!o[k].n)
            return cli_missing_opt(o[k].name);
    if (!o[4].n == !o[5].n)
        return cli_errline(RK_EUSAGE, _("Give the summary with either --summary or --summary-file."));
    char msg[256];
    int dir = rk_call_direction_parse(opt1(&o[1]));
    if (dir < 0)
        return cli_errline(RK_EUSAGE, _("--direction must be in or out."));
    int purpose = rk_call_purpose_parse(opt1(&o[2]));
    if (purpose < 0)
        return cli_errline(RK_EUSAGE, _("--purpose must be verify, training or quality."));
    char *end;
    errno = 0;
    long duration = strtol(opt1(&o[3]), &end, 10);
    if (!*opt1(&o[3]) || *end || errno) {
        snprintf(msg, sizeof msg, _("--duration \"%s\" must be a number of seconds."), opt1(&o[3]));
        return cli_errline(RK_EUSAGE, msg);
    }
    rk_consent_change ch[RK_ARRAY_LEN(o[11].val)];
    size_t nch = 0;
    if ((rc = parse_cells(&o[11], ch, &nch)))
        return rc;
    int64_t id;
    if (cli_client(c, c->args[0], &id))
        return c->err.code;
    char *file_text = NULL;
    if (o[5].n && !(file_text = read_text_file(c, opt1(&o[5]), RK_CALL_TEXT_MAX_BYTES)))
        return cli_fail(c);
    rk_call_input in = {
        .client_id = id, .started = opt1(&o[6]), .direction = (rk_call_direction)dir,
        .duration = duration, .number = opt1(&o[0]), .recording_id = opt1(&o[7]),
        .purpose = (rk_call_purpose)purpose, .told = o[8].n > 0, .training_consent = o[9].n > 0,
        .summary = file_text ? file_text : opt1(&o[4]), .keep_until = opt1(&o[10]),
    };
    int64_t note_id;
    rc = rk_calls_add(c->session, &in, ch, nch, opt1(&o[12]), &note_id, NULL, &c->err);
    free(file_text);
    if (rc)
        return cli_fail(c);
    printf(_("Saved call note %lld.\n"), (long long)note_id);
    return RK_OK;
}

static void print_text_block(const char *text)
{
    size_t n = strlen(text) * 4 + 1;
    char *clean = malloc(n);
    if (!clean)
        return;
    rk_sanitize(clean, n, text, RK_SANITIZE_KEEP_NEWLINE);
    printf("    ");
    for (const char *p = clean; *p; p++) {
        putchar(*p);
        if (*p == '\n')
            printf("    ");
    }
    printf("\n");
    free(clean);
}

static int cmd_calls_list(cli_ctx *c)
{
    int64_t id;
    if (cli_client(c, c->args[0], &id))
        return c->err.code;
    rk_call_note *notes;
    size_t n;
    if (rk_calls_list(c->session, id, &notes, &n, &c->err))
        return cli_fail(c);
    for (size_t i = 0; i < n; i++) {
        rk_call_note *x = &notes[i];
        char rec[2 * RK_CALL_RECORDING_ID_MAX + 2];
        clean_line(rec, sizeof rec, x->recording_id);
        /* A report people read: dates in the user's conventions. */
        char started[RK_DATE_TEXT], keep[RK_DATE_TEXT];
        rk_format_timestamp(x->started, started, sizeof started);
        rk_format_iso_date(x->keep_until, keep, sizeof keep);
        printf(_("Call note %lld: %s, %s, %ld s, %s, by %s\n"), (long long)x->id, started,
               rk_call_direction_label(x->direction), x->duration, x->number, x->user);
        printf(_("  recording %s; purpose: %s; caller told: %s; training use: %s; keep until %s\n"),
               rec[0] ? rec : "-", rk_call_purpose_label(x->purpose), x->told ? _("yes") : _("no"),
               x->training_consent ? _("yes") : _("no"), keep);
        print_text_block(x->summary);
        for (size_t k = 0; k < x->namendments; k++) {
            char ts[RK_DATE_TEXT];
            rk_format_timestamp(x->amendments[k].ts, ts, sizeof ts);
            printf(_("  Amendment %lld, %s, by %s:\n"), (long long)x->amendments[k].id, ts,
                   x->amendments[k].user);
            print_text_block(x->amendments[k].text);
        }
    }
    if (n == 0)
        printf(_("No call notes.\n"));
    rk_calls_free(notes, n);
    return RK_OK;
}

static int cmd_calls_amend(cli_ctx *c)
{
    lopt o[] = { { .name = "text" }, { .name = "text-file" } };
    int rc = parse_local(c, o, RK_ARRAY_LEN(o));
    if (rc)
        return rc;
    if (!o[0].n == !o[1].n)
        return cli_errline(RK_EUSAGE, _("Give the amendment with either --text or --text-file."));
    int64_t note;
    if (cli_parse_id(c->args[0], &note))
        return cli_errline(RK_EUSAGE, _("calls amend needs the number of a call note."));
    char *file_text = NULL;
    if (o[1].n && !(file_text = read_text_file(c, opt1(&o[1]), RK_CALL_TEXT_MAX_BYTES)))
        return cli_fail(c);
    int64_t aid;
    rc = rk_calls_amend(c->session, note, file_text ? file_text : opt1(&o[0]), &aid, &c->err);
    free(file_text);
    if (rc)
        return cli_fail(c);
    printf(_("Added amendment %lld to call note %lld.\n"), (long long)aid, (long long)note);
    return RK_OK;
}

static int cmd_calls_expired(cli_ctx *c)
{
    lopt o[] = { { .name = "today" } };
    int rc = parse_local(c, o, RK_ARRAY_LEN(o));
    if (rc)
        return rc;
    rk_call_expired *e;
    size_t n;
    if (rk_calls_expired(c->session, opt1(&o[0]), &e, &n, &c->err))
        return cli_fail(c);
    printf("%s\t%s\t%s\t%s\n", _("note"), _("customer"), _("call"), _("keep until"));
    for (size_t i = 0; i < n; i++)
        printf("%lld\t%lld\t%.10s\t%s\n", (long long)e[i].id, (long long)e[i].customer_no,
               e[i].started, e[i].keep_until);
    free(e);
    return RK_OK;
}

/* ---- exports and the register ---------------------------------------------------- */

static int cmd_export_marketing(cli_ctx *c)
{
    lopt o[] = { { .name = "purpose" }, { .name = "channel" }, { .name = "format" },
                 { .name = "recipient" } };
    int rc = parse_local(c, o, RK_ARRAY_LEN(o));
    rk_export_request req = { .format = RK_EXPORT_CSV, .recipient = opt1(&o[3]) };
    if (rc || (rc = parse_purpose_channel(&o[0], &o[1], &req.purpose, &req.channel)))
        return rc;
    if (o[2].n) {
        if (strcmp(opt1(&o[2]), "json") == 0)
            req.format = RK_EXPORT_JSON;
        else if (strcmp(opt1(&o[2]), "csv") != 0)
            return cli_errline(RK_EUSAGE, _("--format must be csv or json."));
    }
    rk_export_result res;
    if (rk_export_marketing(c->session, &req, stdout, &res, &c->err))
        return cli_fail(c);
    fprintf(stderr, ngettext("rekisteri: exported %zu client; recorded as disclosure %lld.\n",
                             "rekisteri: exported %zu clients; recorded as disclosure %lld.\n", res.count),
            res.count, (long long)res.disclosure_id);
    return RK_OK;
}

static int cmd_disclosures(cli_ctx *c)
{
    lopt o[] = { { .name = "client" } };
    int rc = parse_local(c, o, RK_ARRAY_LEN(o));
    if (rc)
        return rc;
    int64_t client = 0;
    if (o[0].n && cli_client(c, opt1(&o[0]), &client))
        return c->err.code;
    rk_disclosure *d;
    size_t n;
    if (rk_disclosures_list(c->session, client, &d, &n, &c->err))
        return cli_fail(c);
    for (size_t i = 0; i < n; i++) {
        char recipient[600], note[1100];
        clean_line(recipient, sizeof recipient, d[i].recipient);
        clean_line(note, sizeof note, d[i].note);
        char ts[RK_DATE_TEXT];
        rk_format_timestamp(d[i].ts, ts, sizeof ts);
        printf(_("Disclosure %lld: %s by %s, %s"), (long long)d[i].id, ts, d[i].user, d[i].kind);
        if (d[i].corrects)
            printf(_(" of entry %lld"), (long long)d[i].corrects);
        printf("\n");
        printf(_("  purpose %s, channel %s, recipient \"%s\", legal basis: %s\n"), d[i].purpose,
               d[i].channel, recipient, rk_legal_basis_label(d[i].legal_basis));
        printf(_("  clients: %lld, format %s, categories %s\n  fields %s\n"), (long long)d[i].count,
               d[i].format, d[i].categories, d[i].fields);
        printf(_("  client ids:"));
        for (size_t k = 0; k < d[i].nclients; k++)
            printf(" %lld", (long long)d[i].client_ids[k]);
        printf("\n");
        if (note[0])
            printf(_("  note: %s\n"), note);
    }
    if (n == 0)
        printf(_("The disclosure register is empty.\n"));
    rk_disclosures_free(d, n);
    return RK_OK;
}

static int cmd_disclosures_correct(cli_ctx *c)
{
    lopt o[] = { { .name = "note" }, { .name = "recipient" }, { .name = "legal-basis" } };
    int rc = parse_local(c, o, RK_ARRAY_LEN(o));
    if (rc)
        return rc;
    if (!o[0].n)
        return cli_missing_opt(o[0].name);
    int64_t id, new_id;
    if (cli_parse_id(c->args[0], &id))
        return cli_errline(RK_EUSAGE, _("disclosures correct needs the number of a disclosure entry."));
    if (rk_disclosure_correct(c->session, id, opt1(&o[1]), opt1(&o[2]), opt1(&o[0]), &new_id, &c->err))
        return cli_fail(c);
    printf(_("Recorded correction %lld of disclosure %lld.\n"), (long long)new_id, (long long)id);
    return RK_OK;
}
