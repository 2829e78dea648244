/* SQL access for the consent ledger, call-recording notes and the disclosure
 * register (migration 4). Values are raw names and text; which names exist
 * and who may read or write them is src/consent.c, src/calls.c and
 * src/disclosure.c. The ledger and the disclosure register are append-only
 * (triggers refuse UPDATE, DELETE and INSERT OR REPLACE); call notes refuse
 * UPDATE but may be deleted by the retention work. */
#ifndef RK_DB_CONSENT_H
#define RK_DB_CONSENT_H

#include "db.h"

#define RK_DBCO_NOTE_SIZE    512   /* consent event note, bytes + NUL */
#define RK_DBCO_NOTICE_SIZE  65    /* privacy-notice version */

/* ---- consent ledger ---- */

typedef struct rk_dbco_event {
    int64_t id;
    int64_t client_id;
    int64_t batch;                 /* changes saved together share it */
    int64_t call_id;               /* 0 = none */
    char item[32];                 /* purpose or person-level item name */
    char channel[16];              /* "" for a person-level item */
    char state[16];                /* unknown / allowed / denied */
    char user[RK_USERNAME_MAX + 1];
    char ts[32];                   /* UTC ISO 8601 */
    char source[32];
    char notice_version[RK_DBCO_NOTICE_SIZE];
    char note[RK_DBCO_NOTE_SIZE];
} rk_dbco_event;

typedef int (*rk_dbco_event_cb)(void *ctx, const rk_dbco_event *e);

/* A batch number not used yet (inside the caller's transaction). */
int rk_dbco_next_batch(rk_db *db, int64_t *batch, rk_err *err);
/* Appends one event; sets e->id. */
int rk_dbco_insert(rk_db *db, rk_dbco_event *e, rk_err *err);
/* The latest event of every (item, channel) the client has. */
int rk_dbco_latest(rk_db *db, int64_t client_id, rk_dbco_event_cb cb, void *ctx, rk_err *err);
/* Every event of the client, newest first. */
int rk_dbco_history(rk_db *db, int64_t client_id, rk_dbco_event_cb cb, void *ctx, rk_err *err);

/* What the contact rule needs about one client (or every client, in id
 * order): its flags and the latest state of three ledger cells (""
 * when never recorded). One statement, one index seek per cell. */
typedef struct rk_dbco_contact_row {
    int64_t client_id;
    int64_t customer_no;
    bool restricted;
    bool erased;                   /* in the erasure register (migration 5) */
    bool turvakielto;
    char popreg_bans[128];
    char cell[16];                 /* the asked purpose x channel */
    char ban_all[16];              /* the person-level items named by the caller */
    char ban_partner[16];
} rk_dbco_contact_row;

typedef int (*rk_dbco_contact_cb)(void *ctx, const rk_dbco_contact_row *r);

int rk_dbco_contact_rows(rk_db *db, int64_t client_id /* 0 = all */, const char *item,
                         const char *channel, const char *all_item, const char *partner_item,
                         rk_dbco_contact_cb cb, void *ctx, rk_err *err);

/* RK_OK with the customer number, or RK_ENOTFOUND. */
int rk_dbco_client_customer_no(rk_db *db, int64_t client_id, int64_t *customer_no, rk_err *err);

/* ---- call-recording notes ---- */

typedef struct rk_dbca_note {
    int64_t id;
    int64_t client_id;
    char started[32];              /* UTC ISO 8601 */
    char direction[8];
    int64_t duration;              /* seconds */
    char user[RK_USERNAME_MAX + 1];
    char number[17];               /* E.164, as RK_PHONE_SIZE */
    char recording_id[65];         /* as RK_CALL_RECORDING_ID_MAX + 1 */
    char purpose[16];
    bool told;
    bool training_consent;
    char *summary;                 /* owned by the caller (insert) or the row (callbacks) */
    char keep_until[11];           /* yyyy-mm-dd */
    char created[32];
} rk_dbca_note;

typedef struct rk_dbca_amendment {
    int64_t id;
    int64_t note_id;
    char user[RK_USERNAME_MAX + 1];
    char ts[32];
    const char *text;              /* valid during the callback */
} rk_dbca_amendment;

typedef int (*rk_dbca_note_cb)(void *ctx, const rk_dbca_note *n);
typedef int (*rk_dbca_amendment_cb)(void *ctx, const rk_dbca_amendment *a);

int rk_dbca_insert(rk_db *db, rk_dbca_note *n, rk_err *err);          /* sets n->id */
/* One note; summary is valid during the callback. RK_ENOTFOUND. */
int rk_dbca_get(rk_db *db, int64_t id, rk_dbca_note_cb cb, void *ctx, rk_err *err);
/* A client's notes, oldest call first. */
int rk_dbca_for_client(rk_db *db, int64_t client_id, rk_dbca_note_cb cb, void *ctx, rk_err *err);
int rk_dbca_amend(rk_db *db, int64_t note_id, const char *user, const char *ts, const char *text,
                  int64_t *id, rk_err *err);
/* A note's amendments, oldest first. */
int rk_dbca_amendments(rk_db *db, int64_t note_id, rk_dbca_amendment_cb cb, void *ctx,
                       rk_err *err);

/* Notes whose keep-until date is before `today` (yyyy-mm-dd), oldest first.
 * Only what the retention work needs: never the summary. */
typedef struct rk_dbca_expired {
    int64_t id;
    int64_t client_id;
    int64_t customer_no;
    char started[32];
    char keep_until[11];
} rk_dbca_expired;
typedef int (*rk_dbca_expired_cb)(void *ctx, const rk_dbca_expired *e);
int rk_dbca_expired_each(rk_db *db, const char *today, rk_dbca_expired_cb cb, void *ctx,
                         rk_err *err);

/* ---- disclosure register ---- */

typedef struct rk_dbdi_entry {
    int64_t id;
    char ts[32];
    char user[RK_USERNAME_MAX + 1];
    char kind[24];                 /* marketing_export / correction */
    char purpose[32];
    char channel[16];
    char recipient[256];
    char legal_basis[32];
    char categories[160];
    char fields[512];
    int64_t count;
    char format[8];
    int64_t corrects;              /* 0 = an original entry */
    char note[512];
} rk_dbdi_entry;

typedef int (*rk_dbdi_entry_cb)(void *ctx, const rk_dbdi_entry *e);

/* Appends an entry and its client ids; sets e->id. */
int rk_dbdi_insert(rk_db *db, rk_dbdi_entry *e, const int64_t *client_ids, size_t n,
                   rk_err *err);
/* Entries in id order; client_id != 0 keeps those that named that client. */
int rk_dbdi_each(rk_db *db, int64_t client_id, rk_dbdi_entry_cb cb, void *ctx, rk_err *err);
int rk_dbdi_get(rk_db *db, int64_t id, rk_dbdi_entry *out, rk_err *err);   /* RK_ENOTFOUND */
/* The client ids of one entry, ascending; *ids malloc'd. */
int rk_dbdi_clients(rk_db *db, int64_t id, int64_t **ids, size_t *n, rk_err *err);

#endif
