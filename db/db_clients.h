/* SQL access to client records: the clients table (one column per scalar
 * field of the field table, same name), the list tables, field history and
 * policy overrides. Values here are raw: the policy is applied above, in
 * src/clients.c. */
#ifndef RK_DB_CLIENTS_H
#define RK_DB_CLIENTS_H

#include "client.h"
#include "db.h"

/* Loads everything about one client (values raw, all levels WRITE).
 * RK_ENOTFOUND if there is no such client. */
int rk_dbc_load(rk_db *db, int64_t id, rk_client **out, rk_err *err);
/* Inserts a new client: assigns id and customer number, version 1. */
int rk_dbc_insert(rk_db *db, rk_client *c, const char *user, const char *ts, rk_err *err);

/* The clients table's secondary indexes, defined once for the schema
 * (db/migrations.c) and for a bulk load that builds them after its rows. */
#define RK_DBC_NAME_INDEX "CREATE INDEX clients_name_birth ON clients(last_name, first_names, birth_date)"
#define RK_DBC_HETU_INDEX "CREATE UNIQUE INDEX clients_hetu ON clients(hetu)"

/* A bulk load: many inserts in the caller's transaction. Customer numbers
 * are counted on from one lookup instead of one per client. A large load
 * into an empty clients table drops the name and henkilötunnus indexes and
 * rk_dbc_bulk_end builds them once from the sorted rows, several times
 * faster than a million random insertions; meanwhile the load keeps the
 * henkilötunnus codes it added in memory, so a second one is still
 * RK_ECONFLICT at its own insert, as with the index. */
typedef struct rk_dbc_bulk {
    int64_t next_no;
    bool indexes_dropped;
    struct rk_hetu_set *seen;  /* the codes added, while the indexes are dropped */
    struct sqlite3_stmt *insert; /* the load's own insert, its bindings kept between rows */
    uint64_t empty_bound;      /* which of its parameters are bound to an empty value */
    int64_t batch;             /* the shared data source's row, 0 = none */
} rk_dbc_bulk;
/* expected: about how many clients will come (room in the set up front).
 * codes_distinct: the caller has made sure no two of the clients coming
 * share a henkilötunnus (an import checks its file), so the load keeps no
 * set of its own; a twin would still fail the unique index at the end. */
int rk_dbc_bulk_begin(rk_db *db, rk_dbc_bulk *b, bool large, size_t expected, bool codes_distinct,
                      rk_err *err);
/* A data source every client the load adds from now on shares (an
 * import's file): recorded once in source_batches, each client referring
 * to it (clients.source_batch). Loaded as the last item of the client's
 * sources; a save of the list makes all of it the client's own rows. */
int rk_dbc_bulk_shared_source(rk_db *db, rk_dbc_bulk *b, const rk_source *src, rk_err *err);
int rk_dbc_bulk_insert(rk_db *db, rk_dbc_bulk *b, rk_client *c, const char *user, const char *ts,
                       rk_err *err);
/* Builds the dropped indexes (RK_OK when none were) and frees the load's
 * memory. After a failure, abandon frees it alone: rolling the load back
 * restores the indexes. */
int rk_dbc_bulk_end(rk_db *db, rk_dbc_bulk *b, rk_err *err);
void rk_dbc_bulk_abandon(rk_dbc_bulk *b);
/* Writes the scalar fields marked in `changed` and replaces the marked
 * lists; bumps the version. The caller has checked the version. */
int rk_dbc_update(rk_db *db, rk_client *c, const bool changed[RK_F_COUNT], const char *user,
                  const char *ts, rk_err *err);
/* Current version and who saved it when (for the optimistic check). */
int rk_dbc_version(rk_db *db, int64_t id, int64_t *version, char updated[32],
                   char updated_by[RK_USERNAME_MAX + 1], rk_err *err);
int rk_dbc_by_hetu(rk_db *db, const char *hetu, int64_t *id, rk_err *err);      /* RK_ENOTFOUND */
int rk_dbc_by_customer_no(rk_db *db, int64_t no, int64_t *id, rk_err *err);     /* RK_ENOTFOUND */
/* Clients with the same last name, first names and birth date. */
int rk_dbc_same_name_birth(rk_db *db, const char *first, const char *last, const char *birth,
                           int64_t exclude_id, int64_t *ids, size_t max, size_t *n, rk_err *err);
int rk_dbc_count(rk_db *db, int64_t *n, rk_err *err);
/* One household link (an import's; the card saves its list whole). */
int rk_dbc_household_link(rk_db *db, int64_t client_id, int64_t other_id, const char *relation,
                          rk_err *err);
/* "Last, First (123456)" for household links and lists, and the customer
 * number alone (customer_no may be NULL). */
int rk_dbc_display_name(rk_db *db, int64_t id, char *out, size_t n, int64_t *customer_no,
                        rk_err *err);

typedef struct rk_history_row {
    int64_t id;
    int64_t client_id;
    char field[32];
    char *old_value;      /* malloc'd */
    char *new_value;      /* malloc'd */
    char user[RK_USERNAME_MAX + 1];
    char ts[32];
} rk_history_row;

int  rk_dbc_history_add(rk_db *db, int64_t client_id, const char *field, const char *old_value,
                        const char *new_value, const char *user, const char *ts, rk_err *err);
int  rk_dbc_history_list(rk_db *db, int64_t client_id, rk_history_row **rows, size_t *n,
                         rk_err *err);
void rk_dbc_history_free(rk_history_row *rows, size_t n);

/* Policy overrides: (role, field, level) rows. */
typedef int (*rk_policy_row_cb)(void *ctx, const char *role, const char *field, const char *level);
int rk_dbc_policy_each(rk_db *db, rk_policy_row_cb cb, void *ctx, rk_err *err);
int rk_dbc_policy_set(rk_db *db, const char *role, const char *field, const char *level,
                      rk_err *err);

/* What a search result line shows, raw. */
typedef struct rk_client_summary {
    int64_t id;
    char first_names[101], last_name[101];     /* names are at most 100 bytes */
    char hetu[RK_HETU_SIZE], birth_date[RK_DATE_ISO_SIZE], post_office[64];
    int64_t customer_no;
    bool turvakielto, restricted;
} rk_client_summary;
int rk_dbc_summary(rk_db *db, int64_t id, rk_client_summary *out, rk_err *err);

/* Canonical one-line text of a list field, for field history and comparison. */
int rk_dbc_list_text(const rk_client *c, rk_field f, char **out);

#endif
