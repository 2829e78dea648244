/* SQL access for the registered person's rights (migration 5): the requests
 * register, the erasure register with its legal holds, the restriction flag
 * and the anonymising statements of an erasure. Names and rules are
 * src/requests.c and src/rights.c; values here are raw. */
#ifndef RK_DB_REQUESTS_H
#define RK_DB_REQUESTS_H

#include "db.h"

#define RK_DBR_TEXT_SIZE 512       /* free-text columns, bytes + NUL */

/* ---- requests register ---- */

typedef struct rk_dbr_request {
    int64_t id;
    int64_t client_id;
    int64_t customer_no;           /* read only: from the clients table */
    char kind[24];
    char received[11];             /* yyyy-mm-dd */
    char channel[16];
    char verified_how[RK_DBR_TEXT_SIZE];
    char verified_by[RK_USERNAME_MAX + 1];
    char due[11];                  /* yyyy-mm-dd, after any extension */
    int  extension_months;         /* 0, 1 or 2 */
    char extension_reason[RK_DBR_TEXT_SIZE];
    char status[16];
    char decision[RK_DBR_TEXT_SIZE];
    char closed[11];               /* "" while open */
    char closed_by[RK_USERNAME_MAX + 1];
    char created[32];
    char created_by[RK_USERNAME_MAX + 1];
} rk_dbr_request;

typedef int (*rk_dbr_request_cb)(void *ctx, const rk_dbr_request *r);

int rk_dbr_request_insert(rk_db *db, rk_dbr_request *r, rk_err *err);   /* sets r->id */
int rk_dbr_request_get(rk_db *db, int64_t id, rk_dbr_request *out, rk_err *err); /* RK_ENOTFOUND */
/* Writes the changeable columns: due, extension, status, decision, closed. */
int rk_dbr_request_update(rk_db *db, const rk_dbr_request *r, rk_err *err);
/* By due date, then id; client_id 0 = every client; open_only keeps those
 * without a closed date. */
int rk_dbr_requests_each(rk_db *db, int64_t client_id, bool open_only, rk_dbr_request_cb cb,
                         void *ctx, rk_err *err);

/* ---- restriction ---- */

/* Sets the clients.restricted flag and bumps the version. RK_ENOTFOUND. */
int rk_dbr_set_restricted(rk_db *db, int64_t client_id, bool on, const char *user,
                          const char *ts, rk_err *err);

/* ---- erasure register and legal holds ---- */

typedef struct rk_dbr_erasure {
    int64_t client_id;
    int64_t customer_no;
    char erased[32];               /* UTC ISO 8601 */
    char user[RK_USERNAME_MAX + 1];
    char reason[128];              /* "request 12", "retention: no_contact" */
    char hold_until[11];           /* "" = nothing kept */
    char hold_basis[128];
    char hold_ended[32];           /* "" while the hold lasts */
} rk_dbr_erasure;

typedef int (*rk_dbr_erasure_cb)(void *ctx, const rk_dbr_erasure *e);

int rk_dbr_erasure_insert(rk_db *db, const rk_dbr_erasure *e, rk_err *err);
int rk_dbr_erasure_get(rk_db *db, int64_t client_id, rk_dbr_erasure *out, rk_err *err); /* RK_ENOTFOUND */
/* Holds whose end date is before `today` and not yet ended. */
int rk_dbr_holds_due(rk_db *db, const char *today, rk_dbr_erasure_cb cb, void *ctx, rk_err *err);
int rk_dbr_hold_ended(rk_db *db, int64_t client_id, const char *ts, rk_err *err);

/* Removes or anonymises everything held on the client except the scalar
 * columns named in `keep` (field names, NULL-terminated; NULL = none) and
 * the customer number: list tables, household links both ways, field
 * history, call notes (amendments cascade), consent-event notes, request
 * free text is kept (the register is the record of the erasure itself).
 * Inside the caller's transaction, after rk_dbr_erasure_insert (the ledger's
 * trigger lets a note be blanked only for an erased client). */
int rk_dbr_erase_client(rk_db *db, int64_t client_id, const char *const *keep, const char *user,
                        const char *ts, rk_err *err);

/* ---- retention ---- */

/* Clients (not erased) whose latest sign of life (card saved, history
 * event, call, consent change) is before `cutoff` (yyyy-mm-dd). */
typedef struct rk_dbr_idle {
    int64_t client_id;
    int64_t customer_no;
    char last_seen[32];
} rk_dbr_idle;
typedef int (*rk_dbr_idle_cb)(void *ctx, const rk_dbr_idle *r);
int rk_dbr_idle_clients(rk_db *db, const char *cutoff, rk_dbr_idle_cb cb, void *ctx, rk_err *err);

/* Deletes one call note (its amendments cascade). */
int rk_dbr_call_note_delete(rk_db *db, int64_t note_id, rk_err *err);

#endif
