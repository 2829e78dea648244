/* Commands that move data in and out of the registry as a whole: import of
 * an earlier register, export of the clients, encrypted backups, restore,
 * the consistency check and key rotation. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "backup.h"
#include "cli_internal.h"
#include "disclosure.h"
#include "import.h"
#include "sanitize.h"
#include "secure.h"

static int cmd_import(cli_ctx *c);
static int cmd_export_clients(cli_ctx *c);
static int cmd_backup(cli_ctx *c);
static int cmd_restore(cli_ctx *c);
static int cmd_check(cli_ctx *c);
static int cmd_rekey(cli_ctx *c);

static const cli_command commands[] = {
    { .words = "import", .min_args = 1, .max_args = 1, .opts = AUTH_OPTS,
      .login = true, .run = cmd_import,
      .synopsis = N_("import FILE [--encoding E] [--delimiter D] [--map FILE] [--dry-run] [--skip-invalid] [--reject-file F] [--on-duplicate skip|update]"),
      .help = N_("Add the clients of a CSV file (an earlier register), all or nothing; rows are checked as on the card (dpo, or a role the policy lets write data sources)."),
      .options = "encoding= delimiter= map= dry-run skip-invalid reject-file= on-duplicate=" },
    { .words = "export clients", .min_args = 0, .max_args = 0, .opts = AUTH_OPTS,
      .login = true, .run = cmd_export_clients,
      .synopsis = N_("export clients [--format csv|json] [--encoding E] [--delimiter D] [--recipient TEXT]"),
      .help = N_("Every client with the fields your role may read, to standard output; recorded as a disclosure."),
      .options = "format= encoding= delimiter= recipient=" },
    { .words = "backup", .min_args = 1, .max_args = 1, .opts = AUTH_OPTS,
      .login = true, .run = cmd_backup,
      .synopsis = N_("backup FILE"),
      .help = N_("An encrypted, consistent copy of the database and the keyring in one file, while others keep working (admin).") },
    { .words = "restore", .min_args = 1, .max_args = 1, .opts = AUTH_OPTS,
      .login = false, .run = cmd_restore,
      .synopsis = N_("restore FILE --dir DIR"),
      .help = N_("Restore a backup into DIR after checking it (log in as an administrator of the backup); the replaced registry is kept beside it.") },
    { .words = "check", .min_args = 0, .max_args = 0, .opts = AUTH_OPTS,
      .login = false, .run = cmd_check,
      .synopsis = N_("check"),
      .help = N_("Database integrity, the audit chain and the keyring in one report; exit status 1 if any fails (admin, dpo).") },
    { .words = "rekey", .min_args = 0, .max_args = 0, .opts = AUTH_OPTS,
      .login = false, .run = cmd_rekey,
      .synopsis = N_("rekey"),
      .help = N_("Rotate the database key: the database is rewritten under a new key and every user's slot re-sealed; copies of the old key open nothing (admin; others must log in again).") },
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
    size_t shown = r->nrejects < max ? r->nrejects : max;
    if (r->rejected > shown)
        fprintf(stderr, _("rekisteri: ... and %zu more rejected rows (--reject-file FILE lists them all).\n"),
                r->rejected - shown);
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
    if ((r.links || r.links_left_out) && o.dry_run)
        printf(_("Household links: %zu would be made, %zu left out (listed above).\n"), r.links,
               r.links_left_out);
    else if (r.links || r.links_left_out)
        printf(_("Household links: %zu made, %zu left out (listed above).\n"), r.links,
               r.links_left_out);
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

/* ---- backup, restore, check, rekey ---------------------------------------------------- */

static int cmd_backup(cli_ctx *c)
{
    rk_backup_info info;
    if (rk_backup_make(c->session, c->args[0], &info, &c->err))
        return cli_fail(c);
    printf(_("Backed up the registry to %s (%.1f MiB, %.1f s).\n"), c->args[0],
           (double)(info.db_bytes + info.keyring_bytes) / (1024.0 * 1024.0), info.seconds);
    return RK_OK;
}

static void print_report(const rk_check_report *r)
{
    char m[600];
    rk_sanitize(m, sizeof m, r->db_msg, 0);
    if (r->db_ok)
        printf(_("database:    ok (integrity check, foreign keys; %lld clients)\n"), (long long)r->clients);
    else
        printf(_("database:    FAILED: %s\n"), m);
    rk_sanitize(m, sizeof m, r->audit_msg, 0);
    if (r->audit_ok)
        printf(_("audit chain: ok (%lld events)\n"), (long long)r->audit_rows);
    else
        printf(_("audit chain: FAILED: %s\n"), m);
    rk_sanitize(m, sizeof m, r->keyring_msg, 0);
    if (r->keyring_ok)
        printf(_("keyring:     ok (%zu slots)\n"), r->slots);
    else
        printf(_("keyring:     FAILED: %s\n"), m);
}

/* Logs in after finishing or discarding an interrupted key rotation. */
static int login_recovering(cli_ctx *c)
{
    const char *user = cli_user(c);
    char *pw = cli_read_password(c, user);
    if (!pw)
        return cli_fail(c);
    bool finished = false;
    int rc = rk_rekey_recover(&c->paths, user, pw, &finished, &c->err);
    if (rc == RK_OK && finished)
        fprintf(stderr, _("rekisteri: finished a key rotation that had been interrupted.\n"));
    if (rc == RK_OK)
        rc = rk_session_login(&c->paths, user, pw, &c->session, NULL, &c->err);
    rk_password_free(pw);
    return rc ? cli_fail(c) : RK_OK;
}

static int cmd_check(cli_ctx *c)
{
    int rc = login_recovering(c);
    if (rc)
        return rc;
    rk_check_report r;
    rc = rk_registry_check(c->session, &r, &c->err);
    if (rc == RK_EDENIED)
        return cli_fail(c);
    print_report(&r);
    return rc ? cli_fail(c) : RK_OK;
}

static int cmd_restore(cli_ctx *c)
{
    if (!(c->opt.seen & RK_OPT_DIR))
        return cli_errline(RK_EUSAGE, _("restore needs --dir DIR: where the registry goes."));
    const char *user = cli_user(c);
    char *pw = cli_read_password(c, user);
    if (!pw)
        return cli_fail(c);
    rk_check_report r;
    char kept[RK_PATH_MAX];
    int rc = rk_backup_restore(c->args[0], &c->paths, user, pw, &r, kept, &c->err);
    rk_password_free(pw);
    if (r.db_msg[0] || r.audit_msg[0] || r.keyring_msg[0] || rc == RK_OK)
        print_report(&r);
    if (rc)
        return cli_fail(c);
    printf(_("Restored %s into %s.\n"), c->args[0], c->paths.dir);
    if (kept[0])
        printf(_("The registry that was there is kept in %s.\n"), kept);
    return RK_OK;
}

static int cmd_rekey(cli_ctx *c)
{
    int rc = login_recovering(c);
    if (rc)
        return rc;
    rc = rk_rekey(c->session, &c->err);
    if (rc == RK_OK) {
        /* The session's connection is on the replaced file: close it
         * without writing a logout there. */
        rk_session_close(c->session);
        c->session = NULL;
        printf(_("The database key was rotated; every user logs in with the same password as before.\n"));
        return RK_OK;
    }
    return cli_fail(c);
}
