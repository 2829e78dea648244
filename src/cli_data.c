/* Commands that move data in and out of the registry as a whole: import of
 * an earlier register, export of the clients, encrypted backups, restore,
 * the consistency check and key rotation. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli_internal.h"
#include "disclosure.h"
#include "import.h"
#include "sanitize.h"

static int cmd_import(cli_ctx *c);
static int cmd_export_clients(cli_ctx *c);

static const cli_command commands[] = {
    { .words = "import", .min_args = 1, .max_args = 1, .opts = AUTH_OPTS,
      .login = true, .run = cmd_import,
      .synopsis = N_("import FILE [--encoding E] [--delimiter D] [--map FILE] [--dry-run] [--skip-invalid] [--reject-file F] [--on-duplicate skip|update]"),
      .help = N_("Add the clients of a CSV file (an earlier register), all or nothing; rows are checked as on the card (reception, dpo)."),
      .options = "encoding= delimiter= map= dry-run skip-invalid reject-file= on-duplicate=" },
    { .words = "export clients", .min_args = 0, .max_args = 0, .opts = AUTH_OPTS,
      .login = true, .run = cmd_export_clients,
      .synopsis = N_("export clients [--format csv|json] [--encoding E] [--delimiter D] [--recipient TEXT]"),
      .help = N_("Every client with the fields your role may read, to standard output; recorded as a disclosure."),
      .options = "format= encoding= delimiter= recipient=" },
};

const cli_table rk_cli_data_commands = { commands, RK_ARRAY_LEN(commands) };

/* ---- shared option parsing --------------------------------------------------- */

static int parse_delimiter(const char *v, char *out)
{
    if (!v) {
        *out = 0;
        return RK_OK;
    }
    if (strcmp(v, ";") == 0 || strcmp(v, "semicolon") == 0)
        *out = ';';
    else if (strcmp(v, ",") == 0 || strcmp(v, "comma") == 0)
        *out = ',';
    else if (strcmp(v, "\t") == 0 || strcmp(v, "tab") == 0 || strcmp(v, "\\t") == 0)
        *out = '\t';
    else
        return cli_errline(RK_EUSAGE, _("--delimiter must be ';', ',' or tab."));
    return RK_OK;
}

static const char *delimiter_name(char d)
{
    return d == '\t' ? _("tab") : d == ',' ? "','" : "';'";
}

/* ---- import ----------------------------------------------------------------------- */

/* "[#########.........]  45%" on stderr, redrawn in place. */
static void progress_bar(void *ctx, size_t done, size_t total)
{
    (void)ctx;
    int pct = total ? (int)(done * 100 / total) : 100, fill = pct / 4;
    char bar[32];
    for (int i = 0; i < 25; i++)
        bar[i] = i < fill ? '#' : '.';
    bar[25] = '\0';
    fprintf(stderr, "\r[%s] %3d%%", bar, pct);
    if (done >= total)
        fputc('\n', stderr);
    fflush(stderr);
}

static void print_rejects(const rk_import_result *r, size_t max)
{
    for (size_t i = 0; i < r->nrejects && i < max; i++) {
        char col[200], reason[900];
        rk_sanitize(col, sizeof col, r->rejects[i].column, 0);
        rk_sanitize(reason, sizeof reason, r->rejects[i].reason, 0);
        if (col[0])
            fprintf(stderr, _("rekisteri: line %zu, column \"%s\": %s\n"), r->rejects[i].line, col, reason);
        else
            fprintf(stderr, _("rekisteri: line %zu: %s\n"), r->rejects[i].line, reason);
    }
    if (r->nrejects > max)
        fprintf(stderr, _("rekisteri: ... and %zu more rejected rows (--reject-file FILE lists them all).\n"),
                r->nrejects - max);
}

static int cmd_import(cli_ctx *c)
{
    rk_import_opts o = { .encoding = -1, .map_file = cli_opt(c, "map"),
                         .dry_run = cli_opt(c, "dry-run") != NULL,
                         .skip_invalid = cli_opt(c, "skip-invalid") != NULL };
    const char *enc = cli_opt(c, "encoding"), *dup = cli_opt(c, "on-duplicate"),
               *reject_file = cli_opt(c, "reject-file");
    if (enc) {
        rk_encoding e;
        if (rk_encoding_parse(enc, &e, &c->err))
            return cli_fail(c);
        o.encoding = (int)e;
    }
    int rc = parse_delimiter(cli_opt(c, "delimiter"), &o.delimiter);
    if (rc)
        return rc;
    if (dup && strcmp(dup, "update") == 0)
        o.on_duplicate = RK_IMPORT_DUP_UPDATE;
    else if (dup && strcmp(dup, "skip") != 0)
        return cli_errline(RK_EUSAGE, _("--on-duplicate must be skip or update."));
    if (o.skip_invalid && !reject_file)
        return cli_errline(RK_EUSAGE, _("--skip-invalid needs --reject-file FILE for the rows it leaves out."));
    if (reject_file && !(o.reject_out = fopen(reject_file, "w"))) {
        char msg[600];
        snprintf(msg, sizeof msg, _("Cannot write the reject file %s."), reject_file);
        return cli_errline(RK_EFAIL, msg);
    }
    if (isatty(STDERR_FILENO))
        o.progress = progress_bar;

    rk_import_result r;
    rc = rk_import_file(c->session, c->args[0], &o, &r, &c->err);
    if (o.reject_out && fclose(o.reject_out) != 0 && rc == RK_OK)
        rc = cli_errline(RK_EFAIL, _("Cannot write the reject file completely."));
    if (r.read || r.encoding_detected || rc == RK_OK)
        fprintf(stderr, _("rekisteri: encoding %s%s%s, delimiter %s%s.\n"),
                rk_encoding_label(r.encoding), r.bom ? _(" with BOM") : "",
                r.encoding_detected ? _(" (detected)") : "", delimiter_name(r.delimiter),
                r.delimiter_detected ? _(" (detected)") : "");
    for (size_t i = 0; i < r.nignored; i++) {
        char h[200];
        rk_sanitize(h, sizeof h, r.ignored[i].header, 0);
        fprintf(stderr, _("rekisteri: column %d \"%s\" is not imported: %s.\n"), r.ignored[i].index, h,
                r.ignored[i].why);
    }
    print_rejects(&r, o.skip_invalid ? 10 : 50);
    if (rc)
        cli_fail(c);
    printf(_("%s: read %zu, imported %zu, updated %zu, skipped %zu (already in the registry), rejected %zu, %.2f s.\n"),
           o.dry_run ? _("Dry run") : _("Import"), r.read, r.imported, r.updated, r.skipped, r.rejected,
           r.seconds);
    if (o.dry_run && rc == RK_OK)
        printf(_("Nothing was written (--dry-run).\n"));
    rk_import_result_free(&r);
    return rc;
}

/* ---- export ------------------------------------------------------------------------ */

static int cmd_export_clients(cli_ctx *c)
{
    rk_client_export_request req = { .format = RK_EXPORT_CSV, .encoding = RK_ENC_UTF8,
                                     .recipient = cli_opt(c, "recipient") };
    const char *fmt = cli_opt(c, "format"), *enc = cli_opt(c, "encoding");
    if (fmt && strcmp(fmt, "json") == 0)
        req.format = RK_EXPORT_JSON;
    else if (fmt && strcmp(fmt, "csv") != 0)
        return cli_errline(RK_EUSAGE, _("--format must be csv or json."));
    if (enc && rk_encoding_parse(enc, &req.encoding, &c->err))
        return cli_fail(c);
    int rc = parse_delimiter(cli_opt(c, "delimiter"), &req.delimiter);
    if (rc)
        return rc;
    rk_export_result res;
    if (rk_export_clients(c->session, &req, stdout, &res, &c->err))
        return cli_fail(c);
    fprintf(stderr, ngettext("rekisteri: exported %zu client; recorded as disclosure %lld.\n",
                             "rekisteri: exported %zu clients; recorded as disclosure %lld.\n", res.count),
            res.count, (long long)res.disclosure_id);
    return RK_OK;
}
