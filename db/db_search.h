/* Search as you type: the token index kept beside the clients table and the
 * queries over it. Raw ids and sort order only; what a role may see of each
 * hit is decided by src/clients.c's rk_clients_search. */
#ifndef RK_DB_SEARCH_H
#define RK_DB_SEARCH_H

#include "client.h"
#include "db.h"

#define RK_SEARCH_MAX_HITS 200

/* Replaces the client's tokens (names, henkilötunnus without its century
 * sign, customer number, phone numbers, e-mail addresses). Called inside the
 * transaction that writes the client, with the stored values before (NULL
 * for a new client) and after: the old rows are found by recomputing their
 * keys, so every change to these fields must come through here. */
int rk_search_index_client(rk_db *db, const rk_client *old_raw, const rk_client *raw,
                           rk_err *err);
/* Recounts the prefix statistics that choose a query plan (after bulk
 * inserts; they only guide speed, never results). */
int rk_search_refresh_stats(rk_db *db, rk_err *err);

/* Regenerates every row of the index from the clients table, sorted and
 * written in key order, then recounts the statistics. Inside the caller's
 * transaction. For bulk additions (rk_clients_create_stream): much faster
 * than row by row once the batch is a fair part of the registry; it holds
 * all rows in memory meanwhile (about 1.5 GB at a million clients). */
int rk_search_rebuild(rk_db *db, rk_err *err);

/* Ids of clients matching every word of `query` (prefix of each word, in any
 * order; case- and diacritic-insensitive, exact letters ranked first),
 * or a henkilötunnus / its birth-date part, a customer number, a phone
 * number in any form, an e-mail address. In Finnish alphabetical order
 * (last name, first names) after the rank. At most max ids. */
int rk_search_query(rk_db *db, const char *query, int64_t *ids, size_t max, size_t *n,
                    rk_err *err);

#endif
