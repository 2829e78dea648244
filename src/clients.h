/* The client service: the only way client data leaves or enters the
 * database. Reads apply the session role's policy (hidden fields never leave
 * this module, masked ones leave masked) and leave an audit event; writes are
 * validated, version-checked (optimistic locking), field-history-logged and
 * audited in one transaction. */
#ifndef RK_CLIENTS_H
#define RK_CLIENTS_H

#include "client.h"
#include "db_search.h"
#include "session.h"

/* Audit actions for client data, in addition to audit.h's. */

/* The session role's levels (defaults plus stored overrides), or any role's
 * (for `policy show`). */
int rk_clients_policy(rk_session *s, rk_policy *out, rk_err *err);
int rk_clients_role_policy(rk_session *s, rk_role role, rk_policy *out, rk_err *err);
/* The session role's level for an area beside the fields (consents, call
 * notes), for the services that keep them. */
int rk_clients_area_level(rk_session *s, rk_area a, rk_level *out, rk_err *err);

/* Reads one client as the session's role sees it, and audits the read
 * ("client_viewed", with the categories shown). RK_EDENIED for a role that
 * sees no client data. */
int rk_clients_get(rk_session *s, int64_t id, rk_client **out, rk_err *err);

/* A new card for this role: blank values, levels from the policy. */
int rk_clients_blank(rk_session *s, rk_client **out, rk_err *err);

/* Adds a client. A henkilötunnus that already exists is refused with
 * RK_ECONFLICT and *existing_id set, so the caller can open that card
 * instead of creating a twin. */
int rk_clients_create(rk_session *s, rk_client *c, int64_t *existing_id, rk_err *err);

/* Hands out the clients of a bulk addition one at a time: *out = the next
 * (owned by the source, valid until the next call) or NULL at the end. */
typedef int (*rk_client_source)(void *ctx, rk_client **out, rk_err *err);

/* Flags of rk_clients_create_stream. */
enum {
    /* The source has checked each client with rk_client_check and no two
     * share a henkilötunnus (an import checks its file's rows so): the
     * load does not check them again. The policy is still applied, and the
     * unique index still refuses a twin. */
    RK_STREAM_CHECKED = 1,
};

/* Adds every client the source gives in one transaction: all or none. Each
 * is checked as the card checks it (unless flags has RK_STREAM_CHECKED);
 * on failure *count is the index of the one that failed (err says why),
 * else how many were added. `expected` (a hint: the number coming) lets a
 * large batch build the search index in one sorted pass instead of row by
 * row. shared: a data source of every client of the batch (an import's
 * file), recorded once instead of in each client's list
 * (rk_dbc_bulk_shared_source); NULL for none. One audit event for the
 * batch. */
int rk_clients_create_stream(rk_session *s, rk_client_source next, void *ctx, size_t expected,
                             unsigned flags, const rk_source *shared, const char *details,
                             size_t *count, rk_err *err);
/* The phases of this process's last rk_clients_create_stream, in seconds,
 * for make bench: the stream (the source's own work, checks and inserts),
 * the indexes a large load into an empty registry builds after its rows,
 * and the search index. */
typedef struct rk_clients_load_times {
    double stream, indexes, search;
} rk_clients_load_times;
void rk_clients_last_load(rk_clients_load_times *out);

/* Adds many clients in one transaction with one audit event (imports, demo
 * data): all or nothing. Every card is checked as rk_clients_create would;
 * a henkilötunnus already present stops the batch with the card's index in
 * *bad_index. The caller's `details` say what the batch was (no personal
 * data). */
int rk_clients_create_many(rk_session *s, rk_client **cs, size_t n, const char *details,
                           size_t *bad_index, rk_err *err);

/* Recounts the search statistics after bulk additions (speed only). */
int rk_clients_refresh_search(rk_session *s, rk_err *err);

/* Others with the same names and birth date: possible duplicates to offer
 * before creating. */
int rk_clients_possible_duplicates(rk_session *s, const rk_client *c, int64_t *ids, size_t max,
                                   size_t *n, rk_err *err);

typedef struct rk_conflict {
    int64_t version;
    char    updated[32];
    char    updated_by[RK_USERNAME_MAX + 1];
} rk_conflict;

/* Saves `edited`, which started as `original` (as returned by get). Only
 * fields whose value changed are written; changing a field the role may not
 * write is RK_EDENIED. If someone saved the client after `original` was read,
 * nothing is written: RK_ECONFLICT with *conflict saying who and when.
 * On success edited->version is the new version. */
int rk_clients_save(rk_session *s, const rk_client *original, rk_client *edited,
                    rk_conflict *conflict, rk_err *err);

/* Field history of one client (dpo only). */
#include "db_clients.h"
int rk_clients_history(rk_session *s, int64_t id, rk_history_row **rows, size_t *n, rk_err *err);

/* Finds a client by customer number, or by henkilötunnus (the full code). */
int rk_clients_lookup(rk_session *s, const char *key, int64_t *id, rk_err *err);

/* Puts a household link on the card c (saved with the card): the other
 * client named by customer number or henkilötunnus, which must exist and not
 * be erased, and the relation (rk_choices_relation). */
int rk_clients_add_household(rk_session *s, rk_client *c, const char *relation, const char *other,
                             rk_err *err);

/* Policy administration (admin; audited). */
int rk_clients_policy_set(rk_session *s, const char *role, const char *field, const char *level,
                          rk_err *err);


/* ---- search (policy-filtered) ---- */
typedef struct rk_search_hit {
    int64_t id;
    char name[256];                 /* "Mäkinen, Anna Maria" */
    char hetu[RK_HETU_SIZE];        /* as the role sees it: full, masked or "" */
    char birth_date[RK_DATE_ISO_SIZE];
    char customer_no[24];
    char post_office[64];           /* "" when hidden (turvakielto) */
    bool restricted;
} rk_search_hit;

/* Runs a search and fills hits as the role may see them. `audit` writes a
 * client_searched event (the number of hits and the kind of query, never the
 * query text): the command line audits every search; the screen audits when
 * the user leaves the result list or opens a card, not on every keystroke. */
int rk_clients_search(rk_session *s, const char *query, rk_search_hit *hits, size_t max,
                      size_t *n, bool audit, rk_err *err);
int rk_clients_search_audit(rk_session *s, size_t hits, rk_err *err);

#endif
