/* Restriction, erasure and retention: what the dpo does to a record when a
 * person uses a right or a retention period ends. dpo only; every action
 * audited in the transaction that does it, with no personal values.
 *
 * RESTRICTION (GDPR 18): the clients.restricted flag. The card stays
 * visible with a banner; THE contact rule (consent.h) excludes the record
 * from every marketing list and export; only dpo may save the card
 * (src/clients.c) until the restriction is lifted. The retention work
 * never erases a restricted record (a restriction often keeps data for a
 * legal claim).
 *
 * ERASURE (GDPR 17): one transaction that
 *   - records the erasure (who, when, why: a request number or a retention
 *     rule; never a value) in the erasure register,
 *   - removes the client's rows from the search index,
 *   - deletes phone numbers, e-mail addresses, history events, data
 *     sources, household links (both ways), field history (old and new
 *     values) and call notes with their amendments,
 *   - blanks the notes of the client's consent events (the ledger keeps
 *     who recorded which state when: proof of a withdrawal or ban),
 *   - blanks every scalar field of the card but the customer number.
 * LEGAL HOLD: when the card has billing data (any field of the billing
 * category; collection "none" counts as empty) the names and the billing
 * fields are kept for the accounting period of Kirjanpitolaki 1336/1997
 * 2:10 (vouchers 6 years from the end of the year: setting
 * billing_hold_months, default 72, counted from 31 December of the
 * erasure year). The retention work blanks them once that date has passed.
 * The card then is a tombstone: a customer number that the ledger, the
 * requests register, the disclosure register and the audit chain still
 * refer to. With PRAGMA secure_delete the freed space is overwritten.
 * An erased card cannot be saved again.
 *
 * RETENTION (rekisteri retention): what is due today and why
 *   no_contact  a client without any contact (card saved, history event,
 *               call, consent change) for retention_no_contact_months,
 *               not restricted, with no open request -> erased as above
 *   call_note   a call note past its keep-until date -> deleted
 *   hold_ended  a legal hold past its end date -> kept fields blanked */
#ifndef RK_RIGHTS_H
#define RK_RIGHTS_H

#include "db_requests.h"
#include "session.h"
#include "validate.h"

int rk_client_restrict(rk_session *s, int64_t client_id, bool on, rk_err *err);

typedef struct rk_erase_result {
    bool held;                          /* billing data kept under a legal hold */
    char hold_until[RK_DATE_ISO_SIZE];
} rk_erase_result;

/* Erases a client (dpo). confirm: the customer number as the user typed
 * it again; anything else is RK_EUSAGE and nothing is erased. request_id:
 * the erasure request it answers, 0 = none. today NULL = rk_today.
 * RK_ECONFLICT if already erased. */
int rk_client_erase(rk_session *s, int64_t client_id, const char *confirm, int64_t request_id,
                    const char *today, rk_erase_result *res, rk_err *err);
/* RK_OK with *out filled, or RK_ENOTFOUND (not erased). Any role but admin. */
int rk_client_erasure(rk_session *s, int64_t client_id, rk_dbr_erasure *out, rk_err *err);

/* RK_EDENIED with the erasure date when the client was erased (an erased
 * card is a tombstone: no consent change, call note or save may add to it),
 * else RK_OK. */
int rk_client_refuse_if_erased(rk_session *s, int64_t client_id, rk_err *err);

/* X(id, name, label) */
#define RK_RETENTION_KINDS(X)                                                        \
    X(NO_CONTACT, "no_contact", N_("no contact within the retention period"))        \
    X(CALL_NOTE,  "call_note",  N_("call note past its keep-until date"))           \
    X(HOLD_ENDED, "hold_ended", N_("legal hold on billing data has ended"))

typedef enum rk_retention_kind {
#define X(id, name, label) RK_RET_##id,
    RK_RETENTION_KINDS(X)
#undef X
    RK_RET_COUNT
} rk_retention_kind;

const char *rk_retention_kind_name(rk_retention_kind k);
const char *rk_retention_kind_label(rk_retention_kind k);   /* translated */

typedef struct rk_retention_item {
    rk_retention_kind kind;
    int64_t client_id;
    int64_t customer_no;
    int64_t note_id;                     /* CALL_NOTE */
    char    date[32];                    /* last contact / keep-until / hold end */
} rk_retention_item;

/* What is due on `today` (NULL = rk_today), dpo; audited. *out malloc'd. */
int rk_retention_review(rk_session *s, const char *today, rk_retention_item **out, size_t *n,
                        rk_err *err);
/* Does what the review lists, in one transaction; counts[kind]. */
int rk_retention_apply(rk_session *s, const char *today, size_t counts[RK_RET_COUNT], rk_err *err);

#endif
