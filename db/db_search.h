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
 * keys, so every change to these fields must come through here. A client
 * of the packed base leaves it (its entries and its name there are
 * removed) and its new rows go to search_key. */
int rk_search_index_client(rk_db *db, const rk_client *old_raw, const rk_client *raw,
                           rk_err *err);
/* Recounts the prefix statistics that choose a query plan (after bulk
 * inserts; they only guide speed, never results). */
int rk_search_refresh_stats(rk_db *db, rk_err *err);

/* Rewrites the whole index from the clients table as the packed base
 * (db/search_base.h), empties search_key, and recounts the statistics.
 * Inside the caller's transaction. For bulk additions
 * (rk_clients_create_stream): seconds at a million clients, holding the
 * rows in memory meanwhile (about 1.5 GB; BENCHMARKS.md). */
int rk_search_rebuild(rk_db *db, rk_err *err);

/* The same rebuild fed with the clients of a load as they are added, for a
 * load into an empty registry (what it is fed is then the whole index):
 * their rows are made on a thread of their own while the loader inserts,
 * and ranked and sorted there while the loader builds its other indexes,
 * instead of being read back afterwards. Feed each client after its insert
 * (its id set); close when the last is in; finish writes the index in the
 * caller's transaction and frees the feed; abandon (NULL is fine) frees it
 * without writing. */
typedef struct rk_search_feed rk_search_feed;
int  rk_search_feed_start(rk_search_feed **out, rk_err *err);
void rk_search_feed_client(rk_search_feed *f, const rk_client *c);
void rk_search_feed_close(rk_search_feed *f);
int  rk_search_feed_finish(rk_db *db, rk_search_feed *f, rk_err *err);
void rk_search_feed_abandon(rk_search_feed *f);

/* The phases of this process's last rebuild, for make bench. */
typedef struct rk_search_rebuild_times {
    size_t clients, rows;          /* clients indexed, entries written */
    int64_t blocks, bytes;         /* entry blocks and their bytes */
    double collect, order, sort, write;   /* seconds */
} rk_search_rebuild_times;
void rk_search_last_rebuild(rk_search_rebuild_times *out);

/* Calls cb for every row of the index, both the rows saves wrote and the
 * base's entries (with the sortkey and id of their rank; id 0 would be an
 * entry left behind by a client that changed), in no set order. For
 * tests and checks. */
typedef void (*rk_search_row_cb)(const char *key, int kl, const char *lit, int ll,
                                 const unsigned char *sk, int skl, int64_t id, const char *tok,
                                 int tl, void *ctx);
int rk_search_each_row(rk_db *db, rk_search_row_cb cb, void *ctx, rk_err *err);

/* Ids of clients matching every word of `query` (prefix of each word, in any
 * order; case- and diacritic-insensitive, exact letters ranked first),
 * or a henkilötunnus / its birth-date part, a customer number, a phone
 * number in any form, an e-mail address. In Finnish alphabetical order
 * (last name, first names) after the rank. At most max ids. */
int rk_search_query(rk_db *db, const char *query, int64_t *ids, size_t max, size_t *n,
                    rk_err *err);

#endif
