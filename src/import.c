#include "import.h"
#include "common.h"

#include <csv.h>
#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "clients.h"
#include "i18n.h"
#include "csv_cell.h"
#include "db_clients.h"
#include "hetu_set.h"
#include "search_fold.h"
#include "utf8.h"

#define MAX_COLUMNS   256

/* ---- headers ------------------------------------------------------------------ */

static const struct {
    rk_field field;
    const char *type;
    const char *header;
} header_table[] = {
#define X(f, t, h) { RK_F_##f, t, h },
    RK_IMPORT_HEADERS(X)
#undef X
};

/* Lower case without spaces and punctuation: "Sähkö-posti " -> "sähköposti". */
static void header_key(const char *in, char *out, size_t n)
{
    size_t o = 0, len = strlen(in);
    for (size_t i = 0; i < len && o + 5 < n;) {
        uint32_t cp;
        size_t k = rk_utf8_decode(in + i, len - i, &cp);
        if (!k) {
            i++;
            continue;
        }
        i += k;
        if (cp == ' ' || cp == '-' || cp == '_' || cp == '.' || cp == '/' || cp == '\t' ||
            cp == '"' || cp == '\'' || cp == 0xA0 || cp == 0xFEFF)
            continue;
        o += (size_t)utf8_enc(cp_lower(cp), out + o);
    }
    out[o] = '\0';
}

int rk_import_header_field(const char *header, const char **list_type)
{
    char key[256], k2[256];
    header_key(header, key, sizeof key);
    *list_type = NULL;
    if (!key[0])
        return -1;
    for (size_t i = 0; i < RK_ARRAY_LEN(header_table); i++) {
        header_key(header_table[i].header, k2, sizeof k2);
        if (strcmp(key, k2) == 0) {
            *list_type = header_table[i].type;
            return (int)header_table[i].field;
        }
    }
    for (int f = 0; f < RK_F_COUNT; f++) {
        header_key(rk_fields[f].name, k2, sizeof k2);
        if (strcmp(key, k2) == 0)
            return f;
        header_key(rk_fields[f].label, k2, sizeof k2);
        if (strcmp(key, k2) == 0)
            return f;
    }
    /* The field labels in Finnish and Swedish: what `export clients` writes
     * as headers for a user of that language. Looked up once. */
    static char label_key[2][RK_F_COUNT][96];
    static bool ready;
    static const char *const langs[2] = { "fi", "sv" };
    if (!ready) {
        for (int l = 0; l < 2; l++) {
            rk_i18n_push_language(langs[l]);
            for (int f = 0; f < RK_F_COUNT; f++)
                header_key(_(rk_fields[f].label), label_key[l][f], sizeof label_key[l][f]);
            rk_i18n_pop_language();
        }
        ready = true;
    }
    for (int l = 0; l < 2; l++)
        for (int f = 0; f < RK_F_COUNT; f++)
            if (strcmp(key, label_key[l][f]) == 0)
                return f;
    return -1;
}

/* ---- state ---------------------------------------------------------------------- */

typedef struct import_col {
    int field;              /* -1: not imported */
    const char *type;       /* phone or e-mail type for the column, or NULL */
    char header[64];
} import_col;

/* The threads wake each other a batch at a time, not for every client: a
 * wake-up costs more than a client's checks. */
enum {
    READ_AHEAD = 1024,          /* clients read ahead of the loader, at most */
    READ_AHEAD_MIN = 2000,      /* rows below which one thread does both */
    WAKE_BATCH = 64,
    SPARE_MAX = 2 * READ_AHEAD, /* clients kept for reuse (as many come back at once) */
};

/* The file read on a thread of its own while the loader adds the clients
 * (see read_ahead_start). The queue and these flags are shared under mu;
 * everything else of the importer is the reading thread's until it is
 * joined. */
typedef struct read_ahead {
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t more, room;
    bool done;                  /* the whole file is read */
    bool bad;                   /* a row was rejected */
    int fatal;                  /* the reader stopped on this error */
    bool gone;                  /* the loader takes no more clients */
    atomic_bool quit;           /* ... and the rest of the file is not wanted */
    bool reader_waits, loader_waits;
    rk_client **back;           /* clients the loader is done with, freed by */
    size_t nback;               /* the reader (their memory is its arena's) */
    rk_client *used[WAKE_BATCH];   /* the loader's, handed back together */
    size_t nused;
} read_ahead;

typedef struct importer {
    rk_session *s;
    rk_policy pol;              /* the importing role's levels */
    const rk_import_opts *o;
    rk_import_result *r;
    rk_err *err;
    int fatal;                  /* stop: err is set */
    char file_note[200];        /* the data source note */
    char today[RK_DATE_ISO_SIZE];
    rk_source source;           /* "import", today, the file: each client's data source */
    bool check_existing;        /* the registry had clients */
    bool in_tx;
    /* the row being parsed */
    size_t cur_line, row_line;
    bool need_start;
    char *cells;                /* cell texts, NUL-separated */
    size_t cells_len, cells_cap;
    size_t cell_off[MAX_COLUMNS + 1];
    size_t ncells;
    bool row_too_wide;
    size_t overlong_col;        /* 1-based, 0 = none */
    size_t overlong_len;
    /* header */
    bool have_header;
    import_col col[MAX_COLUMNS];
    size_t ncols;
    /* parsing, pulled a line at a time by the client stream */
    struct csv_parser parser;
    const char *text, *pos, *end;
    size_t lines;
    bool eof;
    /* checked new clients waiting for the stream, and the one it holds */
    rk_client **queue;
    size_t *queue_line;
    size_t qhead, qlen, qcap;
    rk_client *current;
    size_t current_line;
    bool stopped;               /* the stream was stopped by a bad row */
    /* clients the loader is done with, emptied for the reader's next rows */
    rk_client *spare[SPARE_MAX];
    size_t nspare;
    read_ahead *ahead;          /* NULL: the loader reads the file itself */
    /* existing clients to update after the new ones are in */
    struct pending_update { int64_t id; rk_client *row; size_t line; } *updates;
    size_t nupdates, updcap;
    rk_hetu_set seen;           /* codes of the file -> their line */
    /* household links: the file's customer numbers name the rows linked */
    int no_col, hh_col;         /* column indices, -1 = none */
    struct numbered_row {
        size_t line;
        int64_t no;             /* the row's number in the file, 0 = none */
        int64_t id;             /* the client it became, or the existing one it
                                   matched (a target only: no links noted) */
    } *rows;
    size_t nrows, rowcap, row_next;
    struct pending_link {
        size_t row;             /* index in rows */
        char relation[RK_LIST_TYPE_SIZE];
        int64_t to_no;
    } *links;
    size_t nlinks, linkcap;
} importer;

static const char *cell(const importer *im, size_t i)
{
    return im->cells + im->cell_off[i];
}

static int oom(importer *im)
{
    im->fatal = rk_err_set(im->err, RK_EFAIL, _("Out of memory."));
    return im->fatal;
}

/* ---- rejects ---------------------------------------------------------------------- */

/* The row's cells follow while it is the one being read. */
static void write_reject_row(importer *im, const rk_import_reject *rj, bool with_cells)
{
    FILE *f = im->o->reject_out;
    if (!f)
        return;
    char line[32];
    snprintf(line, sizeof line, "%zu", rj->line);
    rk_csv_cell_delim(f, line, true, im->r->delimiter);
    rk_csv_cell_delim(f, rj->column, false, im->r->delimiter);
    rk_csv_cell_delim(f, rj->reason, false, im->r->delimiter);
    for (size_t i = 0; with_cells && i < im->ncells; i++)
        rk_csv_cell_delim(f, cell(im, i), false, im->r->delimiter);
    fputs("\r\n", f);
}

static void problem(importer *im, bool with_cells, size_t line, const char *column,
                    const char *fmt, va_list ap) __attribute__((format(printf, 5, 0)));

static void problem(importer *im, bool with_cells, size_t line, const char *column,
                    const char *fmt, va_list ap)
{
    rk_import_result *r = im->r;
    rk_import_reject one, *rj = &one;
    if (r->nrejects < RK_IMPORT_REJECTS_KEPT) {
        rk_import_reject *a = realloc(r->rejects, (r->nrejects + 1) * sizeof *a);
        if (!a) {
            oom(im);
            return;
        }
        r->rejects = a;
        rj = &a[r->nrejects++];
    }
    rj->line = line;
    rk_copy_str(rj->column, sizeof rj->column, column ? column : "");
    vsnprintf(rj->reason, sizeof rj->reason, fmt, ap);
    write_reject_row(im, rj, with_cells);
}

static void reject(importer *im, size_t line, const char *column, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* A bad row: listed with its line, column and reason; not imported. */
static void reject(importer *im, size_t line, const char *column, const char *fmt, ...)
{
    im->r->rejected++;
    va_list ap;
    va_start(ap, fmt);
    problem(im, true, line, column, fmt, ap);
    va_end(ap);
}

static void left_out(importer *im, size_t line, const char *column, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* With --skip-invalid, a link that names no row: the client is in, the
 * link is not, and the reject list says so. */
static void left_out(importer *im, size_t line, const char *column, const char *fmt, ...)
{
    im->r->links_left_out++;
    va_list ap;
    va_start(ap, fmt);
    problem(im, false, line, column, fmt, ap);
    va_end(ap);
}

/* ---- header ------------------------------------------------------------------------ */

static void ignore_column(importer *im, size_t i, const char *why)
{
    rk_import_result *r = im->r;
    rk_import_column *a = realloc(r->ignored, (r->nignored + 1) * sizeof *a);
    if (!a) {
        oom(im);
        return;
    }
    r->ignored = a;
    rk_import_column *c = &a[r->nignored++];
    c->index = (int)i + 1;
    rk_copy_str(c->header, sizeof c->header, im->col[i].header);
    rk_copy_str(c->why, sizeof c->why, why);
    im->col[i].field = -1;
}

/* The mapping file: "Header = field" or "Header = phones:mobile" or
 * "Header = -" (leave out), '#' comments. Returns the field for a header
 * it names, -2 for "-", -1 if the file does not name it. */
typedef struct map_entry {
    char key[128];
    int field;
    char type[RK_LIST_TYPE_SIZE];
} map_entry;

static int load_map(importer *im, map_entry **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    FILE *f = fopen(im->o->map_file, "r");
    if (!f)
        return im->fatal = rk_err_set(im->err, RK_EFAIL, _("Cannot read the mapping file %s: %s."),
                                      im->o->map_file, strerror(errno));
    char buf[512];
    size_t lineno = 0;
    while (fgets(buf, sizeof buf, f)) {
        lineno++;
        buf[strcspn(buf, "\r\n")] = '\0';
        char *p = buf;
        while (*p == ' ' || *p == '\t')
            p++;
        if (!*p || *p == '#')
            continue;
        char *eq = strrchr(p, '=');
        if (!eq) {
            fclose(f);
            return im->fatal = rk_err_set(im->err, RK_EUSAGE,
                                          _("%s, line %zu: write \"Column header = field\"."),
                                          im->o->map_file, lineno);
        }
        *eq = '\0';
        char *target = eq + 1;
        while (*target == ' ' || *target == '\t')
            target++;
        size_t tl = strlen(target);
        while (tl && (target[tl - 1] == ' ' || target[tl - 1] == '\t'))
            target[--tl] = '\0';
        map_entry e = { .field = -2 };
        header_key(p, e.key, sizeof e.key);
        if (strcmp(target, "-") != 0) {
            char *colon = strchr(target, ':');
            if (colon) {
                *colon = '\0';
                rk_copy_str(e.type, sizeof e.type, colon + 1);
            }
            e.field = rk_field_parse(target);
            if (e.field < 0 || (colon && e.field != RK_F_PHONES && e.field != RK_F_EMAILS)) {
                fclose(f);
                free(*out);
                *out = NULL;
                return im->fatal = rk_err_set(im->err, RK_EUSAGE,
                                              _("%s, line %zu: \"%s\" is not a field (\"rekisteri policy show\" lists them; phones and emails may add :TYPE)."),
                                              im->o->map_file, lineno, target);
            }
        }
        map_entry *a = realloc(*out, (*n + 1) * sizeof *a);
        if (!a) {
            fclose(f);
            return oom(im);
        }
        *out = a;
        a[(*n)++] = e;
    }
    fclose(f);
    return RK_OK;
}

static const char *type_in(const rk_choice_list *l, const char *v)
{
    for (size_t i = 0; i < l->count; i++)
        if (strcmp(l->items[i].value, v) == 0)
            return l->items[i].value;
    return NULL;
}

static void take_header(importer *im)
{
    if (im->ncells > MAX_COLUMNS) {
        im->fatal = rk_err_set(im->err, RK_EFAIL, _("The header on line %zu has %zu columns; at most %d are read."),
                               im->row_line, im->ncells, MAX_COLUMNS);
        return;
    }
    map_entry *map = NULL;
    size_t nmap = 0;
    if (im->o->map_file && load_map(im, &map, &nmap))
        return;
    im->ncols = im->ncells;
    for (size_t i = 0; i < im->ncols && !im->fatal; i++) {
        import_col *c = &im->col[i];
        rk_copy_str(c->header, sizeof c->header, cell(im, i));
        c->type = NULL;
        c->field = -1;
        char key[128];
        header_key(c->header, key, sizeof key);
        bool mapped = false;
        for (size_t k = 0; k < nmap; k++)
            if (strcmp(map[k].key, key) == 0) {
                mapped = true;
                c->field = map[k].field;
                if (map[k].type[0]) {
                    const rk_choice_list *l = c->field == RK_F_PHONES ? &rk_choices_phone_type
                                                                      : &rk_choices_email_type;
                    c->type = type_in(l, map[k].type);
                    if (!c->type)
                        im->fatal = rk_err_set(im->err, RK_EUSAGE, _("%s: \"%s\" is not a type of %s."),
                                               im->o->map_file, map[k].type, rk_fields[c->field].name);
                }
            }
        if (mapped && c->field == -2) {
            c->field = -1;   /* left out on purpose: nothing to report */
            continue;
        }
        if (!mapped)
            c->field = rk_import_header_field(c->header, &c->type);
        if (!c->header[0])
            ignore_column(im, i, _("the column has no header"));
        else if (c->field < 0)
            ignore_column(im, i, _("no field of the register has this name (map it with --map FILE)"));
        else if (c->field == RK_F_CUSTOMER_NO) {
            im->no_col = (int)i;
            ignore_column(im, i, _("the registry assigns customer numbers (the file's numbers only link household members)"));
        } else if (c->field == RK_F_HOUSEHOLD && im->pol.level[c->field] == RK_LEVEL_WRITE) {
            im->hh_col = (int)i;     /* read by take_row, linked at the end */
            c->field = -1;
        }
        /* As the card: a masked field may be filled on a new client. */
        else if (im->pol.level[c->field] != RK_LEVEL_WRITE && im->pol.level[c->field] != RK_LEVEL_MASKED)
            im->fatal = rk_err_set(im->err, RK_EDENIED,
                                   _("Column %zu (\"%s\") gives %s, which your role may not write; leave it out with --map FILE."),
                                   i + 1, c->header, _(rk_fields[c->field].label));
        else
            for (size_t j = 0; j < i; j++)
                if (im->col[j].field == c->field && !rk_field_is_list((rk_field)c->field))
                    im->fatal = rk_err_set(im->err, RK_EFAIL,
                                           _("Columns %zu (\"%s\") and %zu (\"%s\") both give %s; map one of them with --map FILE."),
                                           j + 1, im->col[j].header, i + 1, c->header,
                                           _(rk_fields[c->field].label));
    }
    free(map);
    if (im->fatal)
        return;
    if (im->hh_col >= 0 && im->no_col < 0) {
        ignore_column(im, (size_t)im->hh_col,
                      _("household links name other rows by customer number, and the file has no customer number column"));
        im->col[im->hh_col].field = -1;
        im->hh_col = -1;
    }
    static const rk_field required[] = { RK_F_FIRST_NAMES, RK_F_LAST_NAME };
    for (size_t k = 0; k < RK_ARRAY_LEN(required); k++) {
        bool found = false;
        for (size_t i = 0; i < im->ncols; i++)
            found = found || im->col[i].field == (int)required[k];
        if (!found) {
            im->fatal = rk_err_set(im->err, RK_EFAIL,
                                   _("The header on line %zu has no column for %s (e.g. \"%s\"); the first row must name the columns."),
                                   im->row_line, _(rk_fields[required[k]].label),
                                   required[k] == RK_F_LAST_NAME ? "sukunimi" : "etunimi");
            return;
        }
    }
    im->have_header = true;
    if (im->o->reject_out) {
        /* The reject file: where and why, then the row as it was. */
        static const char *head[] = { N_("line"), N_("column"), N_("reason") };
        for (size_t i = 0; i < RK_ARRAY_LEN(head); i++)
            rk_csv_cell_delim(im->o->reject_out, _(head[i]), i == 0, im->r->delimiter);
        for (size_t i = 0; i < im->ncells; i++)
            rk_csv_cell_delim(im->o->reject_out, cell(im, i), false, im->r->delimiter);
        fputs("\r\n", im->o->reject_out);
    }
}

/* ---- one row --------------------------------------------------------------------- */

/* "mobile +358401234567; home 09 123" or one bare value per item. */
static int add_list_items(rk_client *c, const import_col *col, const char *text, rk_err *err)
{
    char *copy = strdup(text);
    if (!copy)
        return rk_err_set(err, RK_EFAIL, _("Out of memory."));
    int rc = RK_OK;
    char *save = NULL;
    for (char *item = strtok_r(copy, ";\n", &save); item && rc == RK_OK;
         item = strtok_r(NULL, ";\n", &save)) {
        while (*item == ' ' || *item == '\t' || *item == '\r')
            item++;
        size_t len = strlen(item);
        while (len && (item[len - 1] == ' ' || item[len - 1] == '\t' || item[len - 1] == '\r'))
            item[--len] = '\0';
        if (!*item)
            continue;
        char *sp = strchr(item, ' ');
        char *rest = sp ? sp + 1 : NULL;
        if (sp)
            *sp = '\0';
        switch (rk_fields[col->field].type) {
        case RK_FT_PHONES:
            if (rest && type_in(&rk_choices_phone_type, item))
                rc = rk_client_add_phone(c, item, rest, err);
            else {
                if (sp)
                    *sp = ' ';
                rc = rk_client_add_phone(c, col->type, item, err);
            }
            break;
        case RK_FT_EMAILS:
            if (rest && type_in(&rk_choices_email_type, item))
                rc = rk_client_add_email(c, item, rest, err);
            else {
                if (sp)
                    *sp = ' ';
                rc = rk_client_add_email(c, col->type, item, err);
            }
            break;
        case RK_FT_SOURCES: {   /* SOURCE DATE [NOTE] */
            char *date = rest, *note = NULL;
            if (date && (note = strchr(date, ' ')))
                *note++ = '\0';
            rc = rk_client_add_source(c, item, date ? date : "", note, err);
            break;
        }
        case RK_FT_EVENTS: {    /* DATE KIND [TEXT] */
            char *kind = rest, *text2 = NULL;
            if (kind && (text2 = strchr(kind, ' ')))
                *text2++ = '\0';
            rc = rk_client_add_event(c, item, kind ? kind : "", text2, err);
            break;
        }
        default:
            rc = rk_err_set(err, RK_EFAIL, _("This column cannot be imported."));
        }
    }
    free(copy);
    return rc;
}

/* The header of the column that feeds field f, or its label. */
static const char *field_column(const importer *im, int f)
{
    for (size_t i = 0; i < im->ncols; i++)
        if (im->col[i].field == f)
            return im->col[i].header;
    return f >= 0 && f < RK_F_COUNT ? _(rk_fields[f].label) : "";
}

/* Appends to the queue (a ring) of checked new clients. */
static int enqueue(importer *im, rk_client *c, size_t line)
{
    if (im->qlen == im->qcap) {
        size_t cap = im->qcap ? im->qcap * 2 : 16;
        rk_client **q = malloc(cap * sizeof *q);
        size_t *l = malloc(cap * sizeof *l);
        if (!q || !l) {
            free(q);
            free(l);
            return oom(im);
        }
        for (size_t i = 0; i < im->qlen; i++) {
            q[i] = im->queue[(im->qhead + i) % im->qcap];
            l[i] = im->queue_line[(im->qhead + i) % im->qcap];
        }
        free(im->queue);
        free(im->queue_line);
        im->queue = q;
        im->queue_line = l;
        im->qcap = cap;
        im->qhead = 0;
    }
    size_t at = (im->qhead + im->qlen++) % im->qcap;
    im->queue[at] = c;
    im->queue_line[at] = line;
    return RK_OK;
}

static rk_client *dequeue(importer *im, size_t *line)
{
    if (!im->qlen)
        return NULL;
    rk_client *c = im->queue[im->qhead];
    *line = im->queue_line[im->qhead];
    im->qhead = (im->qhead + 1) % im->qcap;
    im->qlen--;
    return c;
}

/* A client the loader is done with goes to the reader's spares, emptied
 * (rk_client_reuse); the reader's thread only, or the one thread. */
static void recycle(importer *im, rk_client *c)
{
    if (im->nspare < SPARE_MAX) {
        rk_client_reuse(c);
        im->spare[im->nspare++] = c;
    } else {
        rk_client_free(c);
    }
}

/* ---- reading ahead on a second thread ---------------------------------------------- */

/* Queues a checked new client for the stream. Read ahead, this waits while
 * the loader is READ_AHEAD clients behind (until it is half as far), and
 * frees the clients the loader has handed back. Nonzero (out of memory):
 * the caller frees c. */
static int queue_client(importer *im, rk_client *c, size_t line)
{
    read_ahead *ra = im->ahead;
    if (!ra)
        return enqueue(im, c, line);
    rk_client *done[2 * READ_AHEAD];
    int rc = RK_OK;
    pthread_mutex_lock(&ra->mu);
    if (im->qlen >= READ_AHEAD) {
        while (im->qlen > READ_AHEAD / 2 && !ra->gone) {
            ra->reader_waits = true;
            pthread_cond_wait(&ra->room, &ra->mu);
        }
        ra->reader_waits = false;
    }
    bool gone = ra->gone;
    if (!gone && (rc = enqueue(im, c, line)) == RK_OK && ra->loader_waits && im->qlen >= WAKE_BATCH)
        pthread_cond_signal(&ra->more);
    size_t ndone = ra->nback;
    memcpy(done, ra->back, ndone * sizeof *done);
    ra->nback = 0;
    pthread_mutex_unlock(&ra->mu);
    for (size_t i = 0; i < ndone; i++)
        recycle(im, done[i]);
    if (gone)
        rk_client_free(c);   /* the rows after a bad one are only checked */
    return rc;
}

/* The loader is done with a client: read ahead, it goes back to the reader,
 * WAKE_BATCH at a time (what the reader cannot take any more is freed here). */
static void release_client(importer *im, rk_client *c)
{
    read_ahead *ra = im->ahead;
    if (!ra) {
        if (c)
            recycle(im, c);
        return;
    }
    if (c)
        ra->used[ra->nused++] = c;
    if (ra->nused < WAKE_BATCH)
        return;
    pthread_mutex_lock(&ra->mu);
    size_t k = 0;
    for (; k < ra->nused && !ra->done && ra->nback < 2 * READ_AHEAD; k++)
        ra->back[ra->nback++] = ra->used[k];
    pthread_mutex_unlock(&ra->mu);
    for (; k < ra->nused; k++)
        rk_client_free(ra->used[k]);
    ra->nused = 0;
}

/* An existing client gets the row's non-empty values and its new list items. */
static int update_existing(importer *im, int64_t id, const rk_client *row, rk_err *err)
{
    rk_client *orig = NULL, *ed = NULL;
    int rc = rk_clients_get(im->s, id, &orig, err);
    if (rc == RK_OK && !(ed = rk_client_clone(orig)))
        rc = rk_err_set(err, RK_EFAIL, _("Out of memory."));
    for (int f = 0; rc == RK_OK && f < RK_F_COUNT; f++) {
        if (!rk_field_is_list((rk_field)f)) {
            /* The code matched, and the birth date comes from it. */
            bool key = f == RK_F_HETU || f == RK_F_BIRTH_DATE || f == RK_F_CUSTOMER_NO;
            if (!key && row->value[f][0] && (!ed->value[f] || strcmp(ed->value[f], row->value[f]) != 0))
                rk_client_set_raw(ed, (rk_field)f, row->value[f]);
            continue;
        }
        for (size_t i = 0; rc == RK_OK && i < row->nphones && f == RK_F_PHONES; i++) {
            bool dup = false;
            for (size_t k = 0; k < ed->nphones; k++)
                dup = dup || strcmp(ed->phones[k].number, row->phones[i].number) == 0;
            if (!dup)
                rc = rk_client_add_phone(ed, row->phones[i].type, row->phones[i].number, err);
        }
        for (size_t i = 0; rc == RK_OK && i < row->nemails && f == RK_F_EMAILS; i++) {
            bool dup = false;
            for (size_t k = 0; k < ed->nemails; k++)
                dup = dup || strcmp(ed->emails[k].address, row->emails[i].address) == 0;
            if (!dup)
                rc = rk_client_add_email(ed, row->emails[i].type, row->emails[i].address, err);
        }
        for (size_t i = 0; rc == RK_OK && i < row->nevents && f == RK_F_EVENTS; i++)
            rc = rk_client_add_event(ed, row->events[i].date, row->events[i].kind,
                                     row->events[i].text, err);
        for (size_t i = 0; rc == RK_OK && i < row->nsources && f == RK_F_SOURCES; i++)
            rc = rk_client_add_source(ed, row->sources[i].source, row->sources[i].date,
                                      row->sources[i].note, err);
        if (rc == RK_OK && f == RK_F_SOURCES)
            rc = rk_client_add_source(ed, im->source.source, im->source.date, im->source.note, err);
    }
    if (rc == RK_OK)
        rc = rk_clients_save(im->s, orig, ed, NULL, err);
    rk_client_free(orig);
    rk_client_free(ed);
    return rc;
}

/* ---- household links ------------------------------------------------------------ */

#define ROW_LINKS_MAX 16

/* "spouse 100002; child 100005": a relation of rk_choices_relation and the
 * other row's customer number in the file. False with the row rejected. */
static bool parse_links(importer *im, size_t line, const char *text, struct pending_link *out,
                        size_t *n)
{
    const char *column = im->col[im->hh_col].header;
    *n = 0;
    char buf[RK_CLIENT_TEXT_MAX + 1], *save = NULL;
    rk_copy_str(buf, sizeof buf, text);
    for (char *item = strtok_r(buf, ";\n", &save); item; item = strtok_r(NULL, ";\n", &save)) {
        char rel[64], no[32], extra[2];
        int got = sscanf(item, " %63s %31s %1s", rel, no, extra);
        if (got <= 0)
            continue;
        char *end = NULL;
        long long v = got == 2 ? strtoll(no, &end, 10) : 0;
        const char *relation = type_in(&rk_choices_relation, rel);
        if (got != 2 || !relation || !end || *end || v <= 0) {
            reject(im, line, column,
                   _("\"%s\" is not RELATION NUMBER (spouse, child, parent, guardian or other, and a customer number of the file)"),
                   item + strspn(item, " "));
            return false;
        }
        if (*n == ROW_LINKS_MAX) {
            reject(im, line, column, _("more than %d household links on one row"), ROW_LINKS_MAX);
            return false;
        }
        out[*n].to_no = v;
        rk_copy_str(out[*n].relation, sizeof out[*n].relation, relation);
        (*n)++;
    }
    return true;
}

/* Notes a row (and the links it names) for linking at the end. */
static bool note_row(importer *im, size_t line, int64_t existing_id, const struct pending_link *links,
                     size_t n)
{
    const char *v = cell(im, (size_t)im->no_col);
    char *end = NULL;
    long long no = strtoll(v, &end, 10);
    if (im->nrows == im->rowcap || im->nlinks + n > im->linkcap) {
        size_t rc = im->rowcap ? im->rowcap * 2 : 256, lc = im->linkcap ? im->linkcap * 2 : 256;
        while (lc < im->nlinks + n)
            lc *= 2;
        struct numbered_row *r = realloc(im->rows, rc * sizeof *r);
        if (r) {
            im->rows = r;
            im->rowcap = rc;
        }
        struct pending_link *l = realloc(im->links, lc * sizeof *l);
        if (l) {
            im->links = l;
            im->linkcap = lc;
        }
        if (!r || !l)
            return oom(im), false;
    }
    im->rows[im->nrows] = (struct numbered_row){
        .line = line, .no = *v && !*end && no > 0 ? no : 0, .id = existing_id,
    };
    for (size_t i = 0; !existing_id && i < n; i++) {
        im->links[im->nlinks] = links[i];
        im->links[im->nlinks++].row = im->nrows;
    }
    im->nrows++;
    return true;
}

/* The stream has added the row of `line` as client id. */
static void note_added(importer *im, size_t line, int64_t id)
{
    while (im->row_next < im->nrows && im->rows[im->row_next].line < line)
        im->row_next++;
    if (im->row_next < im->nrows && im->rows[im->row_next].line == line)
        im->rows[im->row_next].id = id;
}

struct no_id { int64_t no, id; };

static int cmp_no(const void *a, const void *b)
{
    const struct no_id *x = a, *y = b;
    return (x->no > y->no) - (x->no < y->no);
}

/* Every link the imported rows named, now that each row has its client. */
static void link_all(importer *im)
{
    struct no_id *map = malloc((im->nrows ? im->nrows : 1) * sizeof *map);
    if (!map) {
        oom(im);
        return;
    }
    size_t n = 0;
    for (size_t i = 0; i < im->nrows; i++)
        if (im->rows[i].no > 0 && im->rows[i].id != 0)   /* < 0: a dry run's stand-in */
            map[n++] = (struct no_id){ im->rows[i].no, im->rows[i].id };
    qsort(map, n, sizeof *map, cmp_no);
    const char *column = im->col[im->hh_col].header;
    bool skip = im->o->skip_invalid;
    rk_err e;
    for (size_t i = 0; i < im->nlinks && !im->fatal; i++) {
        const struct pending_link *l = &im->links[i];
        const struct numbered_row *from = &im->rows[l->row];
        if (!from->id)
            continue;               /* its row was not added */

        struct no_id key = { l->to_no, 0 }, *to = bsearch(&key, map, n, sizeof *map, cmp_no);
        long long no = (long long)l->to_no;
        bool twice = to && ((to > map && to[-1].no == l->to_no) || (to + 1 < map + n && to[1].no == l->to_no));
        if (!to && skip)
            left_out(im, from->line, column, _("customer number %lld is on no imported row of the file; the client was imported without this link"), no);
        else if (!to)
            reject(im, from->line, column, _("customer number %lld is on no imported row of the file"), no);
        else if (twice && skip)
            left_out(im, from->line, column, _("customer number %lld is on more than one row of the file; the client was imported without this link"), no);
        else if (twice)
            reject(im, from->line, column, _("customer number %lld is on more than one row of the file"), no);
        else if (to->id == from->id)
            reject(im, from->line, column, _("the row links to itself (customer number %lld)"), no);
        else if (im->o->dry_run)
            im->r->links++;         /* would be linked */
        else if (rk_dbc_household_link(im->s->db, from->id, to->id, l->relation, &e))
            im->fatal = rk_err_set(im->err, e.code, "%s", e.msg);
        else
            im->r->links++;
    }
    free(map);
}

static void take_row(importer *im)
{
    rk_import_result *r = im->r;
    size_t line = im->row_line;
    /* Spreadsheets leave rows of empty cells (";;;") below the data, and
     * empty cells past the last column: neither is data. */
    bool blank = true;
    for (size_t i = 0; i < im->ncells && blank; i++)
        blank = cell(im, i)[0] == '\0';
    if (blank && !im->overlong_col)
        return;
    while (im->ncells > im->ncols && !im->row_too_wide && cell(im, im->ncells - 1)[0] == '\0')
        im->ncells--;
    r->read++;
    if (im->overlong_col) {
        reject(im, line, im->overlong_col <= im->ncols ? im->col[im->overlong_col - 1].header : "",
               _("the field is %zu bytes long; at most %d are accepted"), im->overlong_len,
               RK_CLIENT_TEXT_MAX);
        return;
    }
    if (im->ncells != im->ncols) {
        reject(im, line, "", _("the row has %zu fields but the header has %zu"),
               im->row_too_wide ? (size_t)MAX_COLUMNS + 1 : im->ncells, im->ncols);
        return;
    }
    rk_client *c = im->nspare ? im->spare[--im->nspare] : rk_client_new();
    if (!c) {
        oom(im);
        return;
    }
    rk_err e;
    for (size_t i = 0; i < im->ncols; i++) {
        const import_col *col = &im->col[i];
        const char *v = cell(im, i);
        if (col->field < 0 || !v[0])
            continue;
        int rc = rk_field_is_list((rk_field)col->field) ? add_list_items(c, col, v, &e)
                                                        : rk_client_set(c, (rk_field)col->field, v, &e);
        if (rc) {
            reject(im, line, col->header, "%s", e.msg);
            rk_client_free(c);
            return;
        }
    }
    int bad = -1;
    if (rk_client_check(c, &bad, &e)) {
        reject(im, line, field_column(im, bad), "%s", e.msg);
        rk_client_free(c);
        return;
    }
    struct pending_link links[ROW_LINKS_MAX];
    size_t nlinks = 0;
    if (im->hh_col >= 0) {
        if (!parse_links(im, line, cell(im, (size_t)im->hh_col), links, &nlinks)) {
            rk_client_free(c);
            return;
        }
        long long own = strtoll(cell(im, (size_t)im->no_col), NULL, 10);
        for (size_t i = 0; i < nlinks; i++)
            if (links[i].to_no == own) {
                reject(im, line, im->col[im->hh_col].header,
                       _("the row links to itself (customer number %lld)"), own);
                rk_client_free(c);
                return;
            }
    }
    const char *hetu = c->value[RK_F_HETU];
    if (hetu[0]) {
        long long before = rk_hetu_set_add(&im->seen, hetu, line);
        if (before < 0) {
            rk_client_free(c);
            oom(im);
            return;
        }
        if (before > 0) {
            reject(im, line, field_column(im, RK_F_HETU),
                   _("the same personal identity code as on line %lld"), before);
            rk_client_free(c);
            return;
        }
        int64_t id = 0;
        int rc = im->check_existing ? rk_dbc_by_hetu(im->s->db, hetu, &id, &e) : RK_ENOTFOUND;
        if (rc == RK_OK && im->hh_col >= 0 && !note_row(im, line, id, NULL, 0)) {
            rk_client_free(c);   /* out of memory */
            return;
        }
        if (rc == RK_OK) {
            if (im->o->on_duplicate == RK_IMPORT_DUP_SKIP) {
                r->skipped++;
            } else if (im->o->dry_run) {
                r->updated++;
            } else {
                if (im->nupdates == im->updcap) {
                    size_t cap = im->updcap ? im->updcap * 2 : 64;
                    struct pending_update *u = realloc(im->updates, cap * sizeof *u);
                    if (!u) {
                        rk_client_free(c);
                        oom(im);
                        return;
                    }
                    im->updates = u;
                    im->updcap = cap;
                }
                im->updates[im->nupdates++] = (struct pending_update){ id, c, line };
                return;
            }
            rk_client_free(c);
            return;
        }
        if (rc != RK_ENOTFOUND) {
            im->fatal = rk_err_set(im->err, rc, "%s", e.msg);
            rk_client_free(c);
            return;
        }
    }
    if ((im->hh_col >= 0 && !note_row(im, line, 0, links, nlinks)) || queue_client(im, c, line))
        rk_client_free(c);
}

/* ---- libcsv callbacks ----------------------------------------------------------------- */

static void on_field(void *data, size_t len, void *ctx)
{
    importer *im = ctx;
    if (im->fatal)
        return;
    if (im->ncells >= MAX_COLUMNS) {
        im->row_too_wide = true;
        return;
    }
    if (len > RK_CLIENT_TEXT_MAX && !im->overlong_col) {
        im->overlong_col = im->ncells + 1;
        im->overlong_len = len;
        len = 0;
    }
    if (im->cells_len + len + 1 > im->cells_cap) {
        size_t cap = (im->cells_len + len + 1) * 2;
        char *b = realloc(im->cells, cap);
        if (!b) {
            oom(im);
            return;
        }
        im->cells = b;
        im->cells_cap = cap;
    }
    im->cell_off[im->ncells++] = im->cells_len;
    if (len)
        memcpy(im->cells + im->cells_len, data, len);
    im->cells[im->cells_len + len] = '\0';
    /* Line breaks inside a quoted field are stored as "\n", as the card does. */
    char *v = im->cells + im->cells_len, *w = v;
    for (const char *q = v; *q; q++)
        if (*q != '\r')
            *w++ = *q;
        else if (q[1] != '\n')
            *w++ = '\n';
    *w = '\0';
    rk_csv_unneutralise(v);
    im->cells_len += strlen(im->cells + im->cells_len) + 1;
}

static void on_row(int terminator, void *ctx)
{
    (void)terminator;
    importer *im = ctx;
    if (!im->fatal) {
        if (!im->have_header)
            take_header(im);
        else
            take_row(im);
    }
    im->ncells = 0;
    im->cells_len = 0;
    im->row_too_wide = false;
    im->overlong_col = 0;
    im->need_start = true;
}

static int is_space(unsigned char c)
{
    return c == ' ';
}

/* ---- the file ------------------------------------------------------------------------------ */

/* The delimiter that occurs most often outside quotes on the first line. */
static char detect_delimiter(const char *text)
{
    size_t semi = 0, comma = 0, tab = 0;
    bool quoted = false;
    for (const char *p = text; *p && (quoted || (*p != '\n' && *p != '\r')); p++) {
        if (*p == '"')
            quoted = !quoted;
        else if (!quoted)
            semi += *p == ';', comma += *p == ',', tab += *p == '\t';
    }
    if (tab > semi && tab > comma)
        return '\t';
    if (comma > semi)
        return ',';
    return ';';
}

static int read_all(const char *path, unsigned char **buf, size_t *len, rk_err *err)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return rk_err_set(err, RK_EFAIL, _("Cannot open %s: %s."), path, strerror(errno));
    struct stat st;
    if (fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode)) {
        fclose(f);
        return rk_err_set(err, RK_EFAIL, _("%s is not a regular file."), path);
    }
    *len = (size_t)st.st_size;
    *buf = malloc(*len + 1);
    if (!*buf) {
        fclose(f);
        return rk_err_set(err, RK_EFAIL, _("Out of memory reading %s."), path);
    }
    rk_prefault(*buf, *len + 1);
    if (fread(*buf, 1, *len, f) != *len) {
        fclose(f);
        free(*buf);
        return rk_err_set(err, RK_EFAIL, _("Cannot read %s: %s."), path, strerror(errno));
    }
    fclose(f);
    return RK_OK;
}

/* The data source of every client the import adds or updates, checked
 * as a card's: the file's name as its note (none if the name will not
 * do). */
static void import_source(importer *im)
{
    rk_client *c = rk_client_new();
    rk_err e;
    if (!c) {
        oom(im);
        return;
    }
    if (rk_client_add_source(c, "import", im->today, im->file_note, &e) &&
        rk_client_add_source(c, "import", im->today, "", &e))
        im->fatal = rk_err_set(im->err, e.code, "%s", e.msg);
    else
        im->source = c->sources[0];
    rk_client_free(c);
}

/* The file's name as a data-source note and in the audit details. */
static void file_note(const char *path, char *out, size_t n, bool audit)
{
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    size_t o = 0;
    for (const unsigned char *p = (const unsigned char *)base; *p && o + 1 < n; p++)
        out[o++] = *p < 0x20 || *p == 0x7f || *p >= 0x80 || (audit && *p == ' ') ? '_' : (char)*p;
    out[o] = '\0';
}

/* Feeds the parser one more line of the file, or finishes it at the end. */
static void pump(importer *im)
{
    if (im->eof)
        return;
    size_t total = (size_t)(im->end - im->text);
    if (im->pos >= im->end || im->fatal) {
        im->eof = true;
        if (!im->fatal && csv_fini(&im->parser, on_field, on_row, im) != 0 && !im->fatal)
            im->fatal = rk_err_set(im->err, RK_EFAIL,
                                   _("The quoted field that starts on line %zu is never closed: a quote (\") is missing."),
                                   im->row_line);
        if (!im->fatal && !im->have_header)
            im->fatal = rk_err_set(im->err, RK_EFAIL, _("The file is empty: the first row must name the columns."));
        if (im->o->progress)
            im->o->progress(im->o->progress_ctx, total, total);
        return;
    }
    const char *nl = memchr(im->pos, '\n', (size_t)(im->end - im->pos));
    const char *stop = nl ? nl + 1 : im->end;
    im->cur_line = ++im->lines;
    if (im->need_start && !(stop - im->pos <= 2 && (*im->pos == '\n' || *im->pos == '\r'))) {
        im->row_line = im->lines;
        im->need_start = false;
    }
    size_t n = (size_t)(stop - im->pos);
    if (csv_parse(&im->parser, im->pos, n, on_field, on_row, im) != n && !im->fatal)
        im->fatal = rk_err_set(im->err, RK_EFAIL,
                               csv_error(&im->parser) == CSV_EPARSE
                                   ? _("Line %zu: a quote in the middle of a field, or text after a closing quote; quote the whole field and double the quotes inside it (RFC 4180).")
                                   : _("Line %zu: out of memory."),
                               im->lines);
    im->pos = stop;
    if (im->o->progress && (im->lines & 0x3fff) == 0)
        im->o->progress(im->o->progress_ctx, (size_t)(im->pos - im->text), total);
}

/* The reader: the whole file, row by row, into the queue (or, once the
 * loader is gone after a bad row, only checked, to list every bad row). */
static void *read_ahead_run(void *arg)
{
    importer *im = arg;
    read_ahead *ra = im->ahead;
    rk_thread_yield_priority();
    while (!im->eof && !atomic_load(&ra->quit)) {
        size_t rejected = im->r->rejected;
        pump(im);
        if (im->r->rejected != rejected || im->fatal) {
            pthread_mutex_lock(&ra->mu);
            ra->bad = im->r->rejected > 0;
            ra->fatal = im->fatal;
            pthread_cond_signal(&ra->more);
            pthread_mutex_unlock(&ra->mu);
        }
    }
    pthread_mutex_lock(&ra->mu);
    ra->done = true;
    ra->fatal = im->fatal;
    pthread_cond_signal(&ra->more);
    pthread_mutex_unlock(&ra->mu);
    return NULL;
}

/* What read_ahead_start set up, with the clients still handed back: the
 * reader is not running (never started, or joined). */
static void read_ahead_free(importer *im)
{
    read_ahead *ra = im->ahead;
    for (size_t i = 0; i < ra->nback; i++)
        rk_client_free(ra->back[i]);
    for (size_t i = 0; i < ra->nused; i++)
        rk_client_free(ra->used[i]);
    pthread_mutex_destroy(&ra->mu);
    pthread_cond_destroy(&ra->more);
    pthread_cond_destroy(&ra->room);
    free(ra->back);
    free(ra);
    im->ahead = NULL;
}

/* Reads the rest of the file on a thread of its own while this one adds
 * the clients: parsing and checking the rows take about a third of a large
 * import (BENCHMARKS.md). Only where reading needs nothing of the database
 * (a registry with no clients yet to match) nor of what the loader does
 * (no household links, noted as clients are added). False: one thread
 * does both, as before. */
static bool read_ahead_start(importer *im)
{
    read_ahead *ra = calloc(1, sizeof *ra);
    if (!ra || !(ra->back = malloc(2 * READ_AHEAD * sizeof *ra->back))) {
        free(ra);
        return false;
    }
    pthread_mutex_init(&ra->mu, NULL);
    pthread_cond_init(&ra->more, NULL);
    pthread_cond_init(&ra->room, NULL);
    atomic_init(&ra->quit, false);
    im->ahead = ra;
    if (pthread_create(&ra->thread, NULL, read_ahead_run, im) != 0) {
        read_ahead_free(im);
        return false;
    }
    return true;
}

/* The loader takes no more: the reader reads the rest (to list every bad
 * row) or stops, and is joined; the importer is this thread's again. */
static void read_ahead_stop(importer *im, bool read_rest)
{
    read_ahead *ra = im->ahead;
    if (!ra)
        return;
    pthread_mutex_lock(&ra->mu);
    ra->gone = true;
    pthread_cond_broadcast(&ra->room);
    pthread_mutex_unlock(&ra->mu);
    if (!read_rest)
        atomic_store(&ra->quit, true);
    pthread_join(ra->thread, NULL);
    read_ahead_free(im);
}

/* next_client read ahead: waits for the reader. */
static int next_read_ahead(importer *im, rk_client **out, rk_err *err)
{
    read_ahead *ra = im->ahead;
    pthread_mutex_lock(&ra->mu);
    bool stop;
    while (!(stop = ra->bad && !im->o->skip_invalid) && !ra->fatal && !im->qlen && !ra->done) {
        ra->loader_waits = true;
        pthread_cond_wait(&ra->more, &ra->mu);
    }
    ra->loader_waits = false;
    int fatal = ra->fatal;
    if (!fatal && !stop && im->qlen) {
        *out = im->current = dequeue(im, &im->current_line);
        if (ra->reader_waits && im->qlen <= READ_AHEAD / 2)
            pthread_cond_signal(&ra->room);
    }
    pthread_mutex_unlock(&ra->mu);
    /* the reader has stopped: what it wrote in err is settled */
    if (fatal)
        return rk_err_set(err, fatal, "%s", im->err->msg);
    if (stop) {
        im->stopped = true;   /* all or nothing: stop adding, go on checking */
        return rk_err_set(err, RK_EFAIL, _("A row is not valid."));
    }
    return RK_OK;
}

/* The client stream's source: the next checked new client of the file. */
static int next_client(void *ctx, rk_client **out, rk_err *err)
{
    importer *im = ctx;
    if (im->current && im->hh_col >= 0)
        note_added(im, im->current_line, im->current->id);   /* the stream added it */
    release_client(im, im->current);
    im->current = NULL;
    *out = NULL;
    if (im->ahead)
        return next_read_ahead(im, out, err);
    for (;;) {
        if (im->fatal)
            return rk_err_set(err, im->fatal, "%s", im->err->msg);
        if (im->r->rejected && !im->o->skip_invalid) {
            im->stopped = true;   /* all or nothing: stop adding, go on checking */
            return rk_err_set(err, RK_EFAIL, _("A row is not valid."));
        }
        if (im->qlen) {
            *out = im->current = dequeue(im, &im->current_line);
            return RK_OK;
        }
        if (im->eof)
            return RK_OK;
        pump(im);
    }
}

/* Checks the rest of the file without adding anything (dry runs, and the
 * rows after a bad one in all-or-nothing mode). */
static void check_rest(importer *im)
{
    while (!im->fatal && (!im->eof || im->qlen)) {
        size_t line;
        rk_client *c = dequeue(im, &line);
        if (c) {
            im->r->imported++;   /* would be: the caller zeroes it when refused */
            if (im->hh_col >= 0 && im->o->dry_run)
                note_added(im, line, -(int64_t)line);   /* would be added: a stand-in id */
            rk_client_free(c);
        } else {
            pump(im);
        }
    }
}

/* Adds the file's clients in one stream and then updates the duplicates,
 * inside the caller's outer transaction. */
static void add_all(importer *im)
{
    size_t expected = 0, added = 0;
    for (const char *p = im->pos; (p = memchr(p, '\n', (size_t)(im->end - p))) != NULL; p++)
        expected++;
    rk_err e;
    rk_hetu_set_reserve(&im->seen, expected);   /* else it grows as it goes */
    if (!im->check_existing && im->hh_col < 0 && expected >= READ_AHEAD_MIN)
        read_ahead_start(im);
    /* take_row checked each row as the stream would and refused a second
     * row with the same henkilötunnus */
    int rc = rk_clients_create_stream(im->s, next_client, im, expected, RK_STREAM_CHECKED,
                                      &im->source, "import", &added, &e);
    size_t at = im->current_line;
    rk_client_free(im->current);
    im->current = NULL;
    read_ahead_stop(im, rc != RK_OK && im->stopped);
    if (rc == RK_OK) {
        im->r->imported = added;
    } else if (im->stopped) {
        check_rest(im);
        im->r->imported = 0;
    } else if (!im->fatal) {
        im->fatal = rk_err_set(im->err, rc, _("Line %zu: %s Nothing was imported."), at, e.msg);
    }
    if (rc == RK_OK && im->hh_col >= 0)
        link_all(im);
    for (size_t i = 0; i < im->nupdates; i++) {
        struct pending_update *u = &im->updates[i];
        if (!im->fatal && (im->r->rejected == 0 || im->o->skip_invalid)) {
            if (update_existing(im, u->id, u->row, &e) == RK_OK)
                im->r->updated++;
            else if (!im->fatal)
                reject(im, u->line, "", "%s", e.msg);
        }
        rk_client_free(u->row);
    }
    im->nupdates = 0;
}

static void audit_import(importer *im, const char *path, bool in_tx, const char *outcome)
{
    char name[120], details[400];
    file_note(path, name, sizeof name, true);
    rk_import_result *r = im->r;
    snprintf(details, sizeof details,
             "file=%s result=%s read=%zu imported=%zu updated=%zu skipped=%zu rejected=%zu links=%zu encoding=%s",
             name, outcome, r->read, r->imported, r->updated, r->skipped, r->rejected, r->links,
             rk_encoding_label(r->encoding));
    rk_err e;
    if (in_tx) {
        if (rk_audit_append(im->s->db, im->s->audit_key, NULL, im->s->user, RK_AUDIT_CLIENTS_IMPORTED,
                            0, details, im->s->terminal, &e))
            im->fatal = rk_err_set(im->err, e.code, "%s", e.msg);
    } else {
        rk_session_audit(im->s, RK_AUDIT_CLIENTS_IMPORTED, 0, details, &e);
    }
}

int rk_import_file(rk_session *s, const char *path, const rk_import_opts *o,
                   rk_import_result *r, rk_err *err)
{
    memset(r, 0, sizeof *r);
    double t0 = rk_monotonic_s();
    if (s->role == RK_ROLE_ADMIN)
        return rk_err_set(err, RK_EDENIED,
                          _("Administrators see no client data; import as a role that may add clients."));
    rk_policy pol;
    if (rk_clients_policy(s, &pol, err))
        return err->code;
    if (pol.level[RK_F_LAST_NAME] < RK_LEVEL_WRITE)
        return rk_err_set(err, RK_EDENIED, _("Your role may not add clients."));
    if (pol.level[RK_F_SOURCES] < RK_LEVEL_WRITE)
        return rk_err_set(err, RK_EDENIED,
                          _("An import records its file as a data source of every client, which your role may not write; import as the data protection officer."));
    if (o->delimiter && o->delimiter != ';' && o->delimiter != ',' && o->delimiter != '\t')
        return rk_err_set(err, RK_EUSAGE, _("The delimiter must be ';', ',' or tab."));

    unsigned char *bytes = NULL;
    size_t nbytes = 0;
    if (read_all(path, &bytes, &nbytes, err))
        return err->code;
    rk_decoded text;
    int rc = rk_text_decode_buffer(&bytes, nbytes, o->encoding, &text, err);
    free(bytes);   /* NULL when the text is the file's bytes themselves */
    if (rc)
        return rc;
    r->encoding = text.encoding;
    r->encoding_detected = text.detected;
    r->bom = text.bom;
    r->delimiter = o->delimiter ? o->delimiter : detect_delimiter(text.text);
    r->delimiter_detected = !o->delimiter;

    importer im = { .s = s, .pol = pol, .o = o, .r = r, .err = err, .text = text.text,
                    .pos = text.text, .end = text.text + text.len, .need_start = true,
                    .no_col = -1, .hh_col = -1 };
    file_note(path, im.file_note, sizeof im.file_note, false);
    char now[32];
    rk_now_iso(now);
    snprintf(im.today, sizeof im.today, "%.10s", now);
    import_source(&im);
    int64_t existing = 0;
    bool fk_off = false;
    bool parser_open = csv_init(&im.parser, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) == 0;
    if (!parser_open)
        oom(&im);
    else if (rk_dbc_count(s->db, &existing, err))
        im.fatal = err->code;
    im.check_existing = existing > 0;
    if (parser_open) {
        csv_set_delim(&im.parser, (unsigned char)r->delimiter);
        csv_set_space_func(&im.parser, is_space);
    }

    /* The header first: a file without the name columns is refused before
     * anything is locked. */
    while (!im.fatal && !im.have_header && !im.eof)
        pump(&im);
    if (!im.fatal && o->dry_run) {
        check_rest(&im);
        if (!im.fatal && im.hh_col >= 0)
            link_all(&im);
    } else if (!im.fatal) {
        /* Into an empty registry every row the import writes in the
         * clients' lists belongs to a client it has just added: checking
         * each one's foreign key only looked that client up again, a
         * quarter of the work of those inserts (BENCHMARKS.md). */
        rk_err fk_err;
        fk_off = !im.check_existing && rk_db_foreign_keys(s->db, false, &fk_err) == RK_OK;
        if (rk_db_begin_outer(s->db, err))
            im.fatal = err->code;
        else {
            im.in_tx = true;
            add_all(&im);
        }
    }

    const char *outcome = o->dry_run ? "dry_run" : "imported";
    if (!im.fatal && r->rejected > 0 && !o->skip_invalid) {
        rk_err_set(err, RK_EFAIL,
                   o->dry_run ? _("%zu of %zu rows are not valid; the import would be refused.")
                              : _("%zu of %zu rows are not valid; nothing was imported (fix them, or import the rest with --skip-invalid)."),
                   r->rejected, r->read);
        im.fatal = RK_EFAIL;
        outcome = "refused";
    }
    if (!im.fatal && im.in_tx) {
        audit_import(&im, path, true, outcome);
        if (!im.fatal && rk_db_commit_outer(s->db, err))
            im.fatal = err->code;
        r->committed = !im.fatal;
    }
    if (im.fatal) {
        if (im.in_tx)
            rk_db_rollback_outer(s->db);
        if (!o->dry_run)
            r->imported = r->updated = r->links = 0;
        if (strcmp(outcome, "refused") != 0)
            outcome = "failed";
    }
    if (fk_off) {
        rk_err fk_err;
        if (rk_db_foreign_keys(s->db, true, &fk_err) && !im.fatal) {
            *err = fk_err;
            im.fatal = fk_err.code;
        }
    }
    if (!r->committed)
        audit_import(&im, path, false, outcome);
    for (size_t line; im.qlen;)
        rk_client_free(dequeue(&im, &line));
    for (size_t i = 0; i < im.nupdates; i++)
        rk_client_free(im.updates[i].row);
    rk_client_free(im.current);
    for (size_t i = 0; i < im.nspare; i++)
        rk_client_free(im.spare[i]);
    free(im.queue);
    free(im.queue_line);
    free(im.updates);
    free(im.rows);
    free(im.links);
    if (parser_open)
        csv_free(&im.parser);
    free(im.cells);
    rk_hetu_set_free(&im.seen);
    rk_decoded_free(&text);
    r->seconds = rk_monotonic_s() - t0;
    return im.fatal ? (err->code ? err->code : RK_EFAIL) : RK_OK;
}

void rk_import_result_free(rk_import_result *r)
{
    free(r->ignored);
    free(r->rejects);
    r->ignored = NULL;
    r->rejects = NULL;
    r->nignored = r->nrejects = 0;
}
