/* Call-recording notes: one note per recorded call, never edited after
 * saving; corrections are dated amendments by the note's author. Consent
 * changes made during the call are saved with the note and link to it.
 *
 * Who may do what (a documented role check, overridable through the policy
 * table's area "call_notes", src/policy.h; admin never):
 *   reception, dpo     read and write notes
 *   billing, marketing see none
 * Only a note's author may amend it. Every note, amendment and read leaves
 * an audit event (never the summary or the number). */
#ifndef RK_CALLS_H
#define RK_CALLS_H

#include "consent.h"
#include "validate.h"

/* X(id, stored name, label) */
#define RK_CALL_DIRECTIONS(X)                  \
    X(IN,  "in",  N_("incoming"))              \
    X(OUT, "out", N_("outgoing"))

#define RK_CALL_PURPOSES(X)                                     \
    X(VERIFY,   "verify",   N_("verifying a transaction"))      \
    X(TRAINING, "training", N_("training"))                     \
    X(QUALITY,  "quality",  N_("quality assurance"))

typedef enum rk_call_direction {
#define X(id, name, label) RK_CALL_##id,
    RK_CALL_DIRECTIONS(X)
#undef X
    RK_CALL_DIRECTION_COUNT
} rk_call_direction;

typedef enum rk_call_purpose {
#define X(id, name, label) RK_CALL_PURPOSE_##id,
    RK_CALL_PURPOSES(X)
#undef X
    RK_CALL_PURPOSE_COUNT
} rk_call_purpose;

const char *rk_call_direction_name(rk_call_direction d);
const char *rk_call_direction_label(rk_call_direction d);   /* translated */
int         rk_call_direction_parse(const char *name);      /* -1 if unknown */
const char *rk_call_purpose_name(rk_call_purpose p);
const char *rk_call_purpose_label(rk_call_purpose p);       /* translated */
int         rk_call_purpose_parse(const char *name);        /* -1 if unknown */

#define RK_CALL_TEXT_MAX_CHARS   4000      /* summary and each amendment */
#define RK_CALL_TEXT_MAX_BYTES   16000
#define RK_CALL_RECORDING_ID_MAX 64
#define RK_CALL_DURATION_MAX     (24 * 3600)
/* Months a note is kept by default (setting; 1-120, default 12). */
#define RK_SETTING_CALL_KEEP_MONTHS "call_keep_months"
#define RK_CALL_KEEP_MONTHS_DEFAULT 12

/* The form's fields, so a check can say which one is wrong. */
typedef enum rk_call_field {
    RK_CALL_F_NONE = -1,
    RK_CALL_F_CLIENT, RK_CALL_F_STARTED, RK_CALL_F_DIRECTION, RK_CALL_F_DURATION,
    RK_CALL_F_NUMBER, RK_CALL_F_RECORDING, RK_CALL_F_PURPOSE, RK_CALL_F_TOLD,
    RK_CALL_F_TRAINING, RK_CALL_F_SUMMARY, RK_CALL_F_KEEP_UNTIL,
} rk_call_field;

/* What the form (or the command line) fills in. */
typedef struct rk_call_input {
    int64_t     client_id;
    const char *started;          /* NULL or "" = now; "2026-03-02T14:05:00Z" (UTC),
                                     or "2026-03-02 16:05" / "2.3.2026 16:05" local time */
    rk_call_direction direction;
    long        duration;         /* seconds, 0 - RK_CALL_DURATION_MAX */
    const char *number;           /* any form rk_phone_normalise accepts */
    const char *recording_id;     /* the phone system's id; NULL or "" = none */
    rk_call_purpose purpose;
    bool        told;             /* the caller was told of the recording */
    bool        training_consent; /* only if told */
    const char *summary;          /* multi-line UTF-8, 1 - RK_CALL_TEXT_MAX_CHARS */
    const char *keep_until;       /* NULL or "" = the call's date + call_keep_months */
} rk_call_input;

typedef struct rk_call_amendment {
    int64_t id;
    char    user[RK_USERNAME_MAX + 1];
    char    ts[32];
    char   *text;
} rk_call_amendment;

typedef struct rk_call_note {
    int64_t id;
    int64_t client_id;
    char    started[32];          /* UTC ISO 8601 */
    rk_call_direction direction;
    long    duration;
    char    user[RK_USERNAME_MAX + 1];   /* the staff member who wrote it */
    char    number[RK_PHONE_SIZE];
    char    recording_id[RK_CALL_RECORDING_ID_MAX + 1];
    rk_call_purpose purpose;
    bool    told;
    bool    training_consent;
    char   *summary;
    char    keep_until[RK_DATE_ISO_SIZE];
    char    created[32];
    rk_call_amendment *amendments;
    size_t  namendments;
} rk_call_note;

/* HIDDEN, READ or WRITE for the session's role. */
int rk_calls_level(rk_session *s, rk_level *out, rk_err *err);

/* The form's check before saving (no database): *bad (may be NULL) names
 * the first wrong field. */
int rk_calls_check(const rk_call_input *in, rk_call_field *bad, rk_err *err);

/* Saves a note written by the session's user, and the consent changes made
 * during the call (source "phone call", linked to the note; n may be 0),
 * all or nothing, with an audit event for the note and one for the
 * consents. *bad (may be NULL) names a wrong field. */
int rk_calls_add(rk_session *s, const rk_call_input *in, const rk_consent_change *changes,
                 size_t n, const char *consent_note, int64_t *note_id, rk_call_field *bad,
                 rk_err *err);

/* Appends a dated amendment; only the note's author may. */
int rk_calls_amend(rk_session *s, int64_t note_id, const char *text, int64_t *amendment_id,
                   rk_err *err);

/* A client's notes with their amendments, oldest call first (audited). */
int  rk_calls_list(rk_session *s, int64_t client_id, rk_call_note **notes, size_t *n,
                   rk_err *err);
/* One note with its amendments (audited). RK_ENOTFOUND. */
int  rk_calls_get(rk_session *s, int64_t note_id, rk_call_note **note, rk_err *err);
void rk_calls_free(rk_call_note *notes, size_t n);

/* Notes whose keep-until date has passed, for the retention work: no
 * summary, no number. today NULL = the current UTC date. */
typedef struct rk_call_expired {
    int64_t id;
    int64_t client_id;
    int64_t customer_no;
    char    started[32];
    char    keep_until[RK_DATE_ISO_SIZE];
} rk_call_expired;

int rk_calls_expired(rk_session *s, const char *today, rk_call_expired **out, size_t *n,
                     rk_err *err);

/* "2026-03-02" + months, the day clamped to the month's length. */
int rk_date_add_months(const char *iso, int months, char out[RK_DATE_ISO_SIZE], rk_err *err);

#endif
