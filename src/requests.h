/* The requests register: every request a registered person makes under the
 * GDPR (Articles 15-21, 7(3)) and the Finnish log-data right, with its
 * deadline.
 *
 * DEADLINE (GDPR 12(3); periods counted as in Regulation 1182/71 art. 3):
 * due = the received date plus one calendar month, the same day number in
 * the next month; when that month is shorter, its last day (31 Jan -> 28 or
 * 29 Feb, 31 Mar -> 30 Apr). An extension of one or two further months
 * (two at most in all) is counted from the received date the same way
 * (31 Jan + 3 months -> 30 Apr), needs a recorded reason, and can only be
 * decided while the first month runs (the person must be told within it).
 * A request is overdue when it is still open after its due date.
 *
 * Who: reception and dpo register requests (the desk receives them); dpo
 * reads the register, extends and closes. Every read and change is audited.
 * Free text (identity check, reasons) must not repeat identifying numbers:
 * the register outlives an erasure as the record that it was done. */
#ifndef RK_REQUESTS_H
#define RK_REQUESTS_H

#include "db_requests.h"
#include "session.h"
#include "validate.h"

/* X(id, stored name, label) */
#define RK_REQUEST_KINDS(X)                                                               \
    X(ACCESS,        "access",        N_("Access to own data (GDPR 15)"))                  \
    X(RECTIFICATION, "rectification", N_("Rectification (GDPR 16)"))                       \
    X(ERASURE,       "erasure",       N_("Erasure (GDPR 17)"))                             \
    X(RESTRICTION,   "restriction",   N_("Restriction of processing (GDPR 18)"))           \
    X(PORTABILITY,   "portability",   N_("Data portability (GDPR 20)"))                    \
    X(OBJECTION,     "objection",     N_("Objection, incl. marketing (GDPR 21)")) \
    X(WITHDRAWAL,    "withdrawal",    N_("Withdrawal of consent (GDPR 7(3))"))             \
    X(LOG_DATA,      "log_data",      N_("Log data (who viewed, disclosed)"))

#define RK_REQUEST_CHANNELS(X)                        \
    X(IN_PERSON, "in_person", N_("at the desk"))      \
    X(PHONE,     "phone",     N_("by phone"))         \
    X(LETTER,    "letter",    N_("by letter"))        \
    X(EMAIL,     "email",     N_("by e-mail"))        \
    X(WEB_FORM,  "web_form",  N_("web form"))

/* OPEN until closed with one of the others. */
#define RK_REQUEST_STATUSES(X)                                   \
    X(OPEN,           "open",           N_("open"))              \
    X(GRANTED,        "granted",        N_("granted"))           \
    X(PARTLY_GRANTED, "partly_granted", N_("partly granted"))    \
    X(REFUSED,        "refused",        N_("refused"))           \
    X(WITHDRAWN,      "withdrawn",      N_("withdrawn by the person"))

typedef enum rk_request_kind {
#define X(id, name, label) RK_REQ_##id,
    RK_REQUEST_KINDS(X)
#undef X
    RK_REQ_KIND_COUNT
} rk_request_kind;

typedef enum rk_request_channel {
#define X(id, name, label) RK_REQCH_##id,
    RK_REQUEST_CHANNELS(X)
#undef X
    RK_REQCH_COUNT
} rk_request_channel;

typedef enum rk_request_status {
#define X(id, name, label) RK_REQST_##id,
    RK_REQUEST_STATUSES(X)
#undef X
    RK_REQST_COUNT
} rk_request_status;

#define RK_REQUEST_MAX_EXTENSION 2     /* months, GDPR 12(3) */
#define RK_REQUEST_TEXT_MAX      500   /* bytes of a free-text answer */

const char *rk_request_kind_name(rk_request_kind k);
const char *rk_request_kind_label(const char *stored);     /* translated; the name if unknown */
int         rk_request_kind_parse(const char *name);       /* -1 if unknown */
const char *rk_request_channel_name(rk_request_channel c);
const char *rk_request_channel_label(const char *stored);
int         rk_request_channel_parse(const char *name);
const char *rk_request_status_name(rk_request_status s);
const char *rk_request_status_label(const char *stored);
int         rk_request_status_parse(const char *name);

/* The deadline rule above: received (yyyy-mm-dd) + 1 + extension months. */
int  rk_request_due(const char *received, int extension_months, char out[RK_DATE_ISO_SIZE],
                    rk_err *err);
/* Open and today (yyyy-mm-dd) after the due date. */
bool rk_request_overdue(const rk_dbr_request *r, const char *today);
/* Today's local date, yyyy-mm-dd. */
const char *rk_today(char out[RK_DATE_ISO_SIZE]);

typedef rk_dbr_request rk_request;

typedef struct rk_request_input {
    int64_t client_id;
    rk_request_kind kind;
    rk_request_channel channel;
    const char *received;          /* yyyy-mm-dd or d.m.yyyy; NULL or "" = today */
    const char *verified_how;      /* required: how identity was checked */
} rk_request_input;

/* Registers a request (reception, dpo); the session user is recorded as
 * the one who checked the identity. `today` NULL = rk_today. */
int rk_request_add(rk_session *s, const rk_request_input *in, const char *today, int64_t *id,
                   rk_err *err);
/* Whether the session's role may list one client's requests (dpo and
 * reception): the rule rk_requests_list applies, for screens to ask first. */
bool rk_requests_may_list_client(const rk_session *s);

/* Requests by due date (dpo; reception only for one client, for the
 * card). client_id 0 = all. *out malloc'd. Audited. */
int rk_requests_list(rk_session *s, int64_t client_id, bool open_only, rk_request **out,
                     size_t *n, rk_err *err);
int rk_request_get(rk_session *s, int64_t id, rk_request *out, rk_err *err);
/* Extends an open request by `months` more (dpo), total at most 2, while
 * its first month runs; the reason is required. */
int rk_request_extend(rk_session *s, int64_t id, int months, const char *reason, const char *today,
                      rk_err *err);
/* Closes an open request (dpo) with a status other than open and the
 * decision and its reasons (required). */
int rk_request_close(rk_session *s, int64_t id, rk_request_status status, const char *decision,
                     const char *today, rk_err *err);

#endif
