/* Search-as-you-type index over clients (study code, meant to be ported).
 *
 *   CREATE TABLE search_key(
 *     key       TEXT    NOT NULL,  -- namespace + folded prefix (<= L chars) or folded whole token
 *     lit       TEXT    NOT NULL,  -- lowercase literal of key if it differs (diacritics), else ''
 *     sortkey   BLOB    NOT NULL,  -- Finnish collation key of the client (see fold.h)
 *     client_id INTEGER NOT NULL,
 *     tok       TEXT    NOT NULL,  -- on the L-char prefix row of a longer token: the whole token, else ''
 *     PRIMARY KEY(key, lit, sortkey, client_id, tok)) WITHOUT ROWID;
 *
 * Namespaces: name words -> key is the folded word (starts with a-z);
 * hetu / phone / customer number -> key starts with a digit or '+';
 * e-mail -> key is '@' followed by the folded address.
 */
#ifndef SS_SIDX_H
#define SS_SIDX_H

#include <sqlite3.h>
#include <stddef.h>
#include <stdint.h>

typedef struct client {
    int64_t id;
    char last[64];
    char first[96];
    char hetu[16];      /* 131052-308T */
    char phone[8][24];  /* E.164 +358401234567 */
    int  nphone;
    char email[8][256];
    int  nemail;
    char custno[24];
    int  birthday;      /* days since 1850-01-01 */
} client;

/* Tunables (defaults in sidx.c). */
extern int SIDX_L_NAME, SIDX_L_MAIL, SIDX_L_DIG;  /* prefix rows up to L chars */
extern int SIDX_MIN_DIG, SIDX_MIN_MAIL;           /* ... and from MIN chars (names: from 1) */
extern int SIDX_K_GROUPS;   /* max distinct (key,lit) streams merged for a long word */
extern int SIDX_C_COLLECT;  /* max rows collected and sorted in memory for a long word */
extern int SIDX_BUDGET;     /* max driver rows examined per query (0 = unlimited) */
extern int SIDX_OWN_TXN;    /* wrap a search in BEGIN/COMMIT when in autocommit (default 1) */

#define SIDX_SCHEMA \
    "CREATE TABLE IF NOT EXISTS search_key(" \
    " key TEXT NOT NULL, lit TEXT NOT NULL, sortkey BLOB NOT NULL," \
    " client_id INTEGER NOT NULL, tok TEXT NOT NULL," \
    " PRIMARY KEY(key, lit, sortkey, client_id, tok)) WITHOUT ROWID;" \
    "CREATE TABLE IF NOT EXISTS search_stat(key TEXT PRIMARY KEY, n INTEGER NOT NULL) WITHOUT ROWID;"

/* One index row. Pointers valid during the callback. */
typedef struct sidx_row {
    const char *key; int keylen;
    const char *lit; int litlen;
    const unsigned char *sk; int sklen;
    int64_t id;
    const char *tok; int toklen;
} sidx_row;

typedef void (*sidx_row_cb)(const sidx_row *r, void *ctx);
/* All index rows of a client, without duplicates. Returns the count. */
int sidx_client_rows(const client *c, sidx_row_cb cb, void *ctx);

/* National form of an E.164 number used as the search token. */
void phone_token(const char *e164, char *out, int outmax);
/* hetu without the century sign, lowercase: 131052308t */
void hetu_token(const char *hetu, char *out, int outmax);

/* Query engine */
typedef struct sidx sidx;
sidx *sidx_open(sqlite3 *db);
void  sidx_close(sidx *s);

typedef struct sidx_stats {
    int words;
    int driver;          /* index of the driving word */
    char plan[64];       /* e.g. "prefix", "groups:3", "collect:812", "scan" */
    int rows;            /* index rows read */
    int probes;          /* statements started */
    int lookups;         /* client row lookups for filters */
    int passes;
    int truncated;       /* budget hit */
} sidx_stats;

/* The ranks of the packed base (search_base.h), synchronised with the
 * file; NULL on a read error. */
struct sb_names *sidx_base_names(sidx *s);

/* Runs a query; writes up to max client ids in result order. Returns count. */
int sidx_search(sidx *s, const char *query, int64_t *ids, int max, sidx_stats *st);


#endif
