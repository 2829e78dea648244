/* Reading the audit chain for people (the dpo's viewer, the log report):
 * rows filtered by user, client, action and date, and the chain check.
 * Hashing and appending are src/audit.c. */
#ifndef RK_AUDIT_VIEW_H
#define RK_AUDIT_VIEW_H

#include "session.h"

typedef struct rk_audit_filter {
    char    user[RK_USERNAME_MAX + 1];  /* "" = any */
    int64_t client_id;                  /* 0 = any */
    char    action[48];                 /* stored name; "" = any */
    char    from[11];                   /* yyyy-mm-dd; "" = from the start */
    char    to[11];                     /* yyyy-mm-dd inclusive; "" = up to now */
} rk_audit_filter;

/* The matching rows in chain order; with max > 0 only the newest max.
 * No role check and no audit event: for services that do both. */
int rk_audit_rows(rk_session *s, const rk_audit_filter *f, size_t max, rk_audit_row **out,
                  size_t *n, rk_err *err);
/* The same for the dpo's viewer: dpo only, leaves an "audit_read" event. */
int rk_audit_search(rk_session *s, const rk_audit_filter *f, size_t max, rk_audit_row **out,
                    size_t *n, rk_err *err);
/* The customer number of an audit row's client, for showing it; 0 when
 * the row names none. Reveals nothing else about the client. */
int64_t rk_audit_customer_no(rk_session *s, int64_t client_id);

/* Verifies the whole chain (dpo, admin) and audits that it was checked.
 * RK_EFAIL with *first_bad when it is broken. */
int rk_audit_check(rk_session *s, int64_t *rows, int64_t *first_bad, rk_err *err);

#endif
