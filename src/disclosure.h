/* Marketing exports and the disclosure register.
 *
 * An export lists exactly the clients THE contact rule (consent.h) allows
 * for one purpose and channel, with only the fields the exporting role may
 * read (policy levels read or write; masked and hidden fields are left out,
 * and turvakielto hides the address from every role but dpo, as on the
 * card). Roles: marketing and dpo. Each run is recorded in the disclosure
 * register (who, when, purpose, channel, recipient, legal basis, data
 * categories, fields, how many, which client ids) and leaves an audit
 * event, in the same transaction; the data is written out only after that
 * commit. The register is append-only: a correction is a new entry that
 * names the one it corrects. The dpo reads it.
 *
 * CSV (RFC 4180 through libcsv, CRLF rows, a header row of field names):
 * a cell starting with = + - @ TAB or CR gets a leading apostrophe so a
 * spreadsheet shows it as text instead of running it as a formula. This
 * includes E.164 phone numbers ("'+358401234567"). JSON is not altered. */
#ifndef RK_DISCLOSURE_H
#define RK_DISCLOSURE_H

#include <stdio.h>

#include "consent.h"
#include "csv_cell.h"   /* rk_csv_cell: the cells, neutralised */
#include "textenc.h"

typedef enum rk_export_format { RK_EXPORT_CSV, RK_EXPORT_JSON } rk_export_format;

#define RK_DISCLOSURE_RECIPIENT_DEFAULT "internal marketing"
#define RK_DISCLOSURE_TEXT_MAX 255      /* recipient and note, bytes */

/* X(id, stored name, label) */
#define RK_LEGAL_BASES(X)                                                           \
    X(CONSENT,             "consent",             N_("consent (GDPR 6(1)(a))"))      \
    X(LEGITIMATE_INTEREST, "legitimate_interest", N_("legitimate interest (GDPR 6(1)(f))")) \
    X(LEGAL_OBLIGATION,    "legal_obligation",    N_("legal obligation (GDPR 6(1)(c))"))   \
    X(CONTRACT,            "contract",            N_("contract (GDPR 6(1)(b))"))

typedef enum rk_legal_basis {
#define X(id, name, label) RK_LEGAL_##id,
    RK_LEGAL_BASES(X)
#undef X
    RK_LEGAL_BASIS_COUNT
} rk_legal_basis;

const char *rk_legal_basis_name(rk_legal_basis b);
const char *rk_legal_basis_label(const char *stored_name);   /* translated; the name if unknown */

typedef struct rk_export_request {
    rk_purpose purpose;
    rk_channel channel;
    rk_export_format format;
    const char *recipient;         /* NULL or "" = RK_DISCLOSURE_RECIPIENT_DEFAULT */
} rk_export_request;

typedef struct rk_export_result {
    int64_t disclosure_id;
    size_t  count;
} rk_export_result;

/* Runs the export into `out`. Nothing is written to `out` unless the
 * disclosure and its audit event were committed. */
int rk_export_marketing(rk_session *s, const rk_export_request *req, FILE *out,
                        rk_export_result *res, rk_err *err);

/* `rekisteri export clients`: every client with the fields the role may
 * read (any role but admin), CSV or JSON, recorded in the disclosure
 * register as a "client_export" (legitimate interest) and audited as
 * clients_exported, like the marketing export. CSV rows use the delimiter
 * (';' by default, what a Finnish Excel expects) and the encoding asked;
 * lists are written as rk_dbc_list_text ("mobile +358401234567; work ...")
 * so that `rekisteri import` reads the file back to the same records. */
#define RK_DISCLOSURE_RECIPIENT_EXPORT "register export"
typedef struct rk_client_export_request {
    rk_export_format format;
    char        delimiter;         /* 0 = ';' */
    rk_encoding encoding;          /* CSV only; JSON is UTF-8 */
    const char *recipient;         /* NULL = RK_DISCLOSURE_RECIPIENT_EXPORT */
} rk_client_export_request;

int rk_export_clients(rk_session *s, const rk_client_export_request *req, FILE *out,
                      rk_export_result *res, rk_err *err);


typedef struct rk_disclosure {
    int64_t id;
    char    ts[32];
    char    user[RK_USERNAME_MAX + 1];
    char    kind[24];              /* "marketing_export" or "correction" */
    char    purpose[32];
    char    channel[16];
    char    recipient[256];
    char    legal_basis[32];       /* stored name */
    char    categories[160];       /* "contact,identity" */
    char    fields[512];           /* "first_names,last_name,emails" */
    int64_t count;
    char    format[8];
    int64_t corrects;              /* 0 = an original entry */
    char    note[512];
    int64_t *client_ids;           /* ascending */
    size_t  nclients;
} rk_disclosure;

/* The register in order (dpo; audited). client_id != 0 keeps the entries
 * that named that client (for a person's access request). */
int  rk_disclosures_list(rk_session *s, int64_t client_id, rk_disclosure **out, size_t *n,
                         rk_err *err);
void rk_disclosures_free(rk_disclosure *d, size_t n);

/* Appends a correction of entry `id` (dpo): a copy with the given recipient
 * and/or legal basis (NULL = unchanged) and a required note saying what was
 * wrong. The original stays as it was. */
int rk_disclosure_correct(rk_session *s, int64_t id, const char *recipient,
                          const char *legal_basis, const char *note, int64_t *new_id,
                          rk_err *err);

/* A disclosure made outside the program (to an authority, a debt
 * collector, a partner by letter), entered by hand (dpo): recipient, legal
 * basis, purpose (1-31 bytes), data categories (names of fields.h's
 * categories, comma-separated), the clients and a note. Kind "manual". */
typedef struct rk_manual_disclosure {
    const char *recipient;
    const char *legal_basis;       /* stored name */
    const char *purpose;
    const char *categories;        /* "identity,contact" */
    const int64_t *client_ids;
    size_t nclients;
    const char *note;              /* NULL or "" = none */
} rk_manual_disclosure;

int rk_disclosure_add_manual(rk_session *s, const rk_manual_disclosure *m, int64_t *new_id,
                             rk_err *err);

#endif
