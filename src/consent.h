/* Consents and marketing bans: the purpose x channel grid and the
 * person-level items beside it, declared once; the ledger of changes (every
 * change an attributed, dated event, never an overwrite); and THE contact
 * rule that every list and export asks.
 *
 * Who may do what (a documented role check, overridable through the policy
 * table's area "consents", src/policy.h):
 *   reception, dpo   read the grid and its history, record any change
 *   marketing        reads, and may record only "denied" (a withdrawal or
 *                    objection is honoured whoever receives it)
 *   billing, admin   nothing
 *
 * THE CONTACT RULE (rk_contact_decide), first match wins:
 *   1. an erased record                                  -> ERASED
 *   2. processing restricted (client's restricted flag)  -> RESTRICTED
 *   3. total direct-marketing ban (all_marketing=denied) -> TOTAL_BAN
 *   4. population-register ban: "market_research" for the research
 *      purpose, "direct_marketing" for every other purpose
 *                                                         -> POPREG_*
 *   5. ban on disclosing to partners (partner_disclosure=denied) and the
 *      purpose is partner marketing                      -> PARTNER_BAN
 *   6. turvakielto and the channel is post                -> TURVAKIELTO
 *   7. the cell is denied                                 -> DENIED
 *   8. an opt-in channel (default e-mail and SMS; setting
 *      "consent_optin_channels") and the cell is not allowed -> NO_CONSENT
 *   9. allowed: with the cell "allowed" (ALLOWED_CONSENT), otherwise on an
 *      opt-out channel (phone, post) while not denied (ALLOWED_NO_OBJECTION).
 * Newsletters and service messages follow the same rule; messages a
 * service needs (appointment reminders) are not marketing and never pass
 * through it. The rule reads the ledger on every call: no cache, so a
 * withdrawal takes effect at once everywhere. */
#ifndef RK_CONSENT_H
#define RK_CONSENT_H

#include "policy.h"
#include "session.h"

/* Purposes. X(id, stored name, label) */
#define RK_PURPOSES(X)                                                            \
    X(DIRECT_MARKETING, "direct_marketing", N_("Direct marketing"))               \
    X(TELEMARKETING,    "telemarketing",    N_("Distance selling and telemarketing")) \
    X(RESEARCH,         "research",         N_("Market and opinion research"))    \
    X(PARTNER,          "partner_marketing", N_("Partner marketing"))             \
    X(PROFILING,        "profiling",        N_("Profiling for targeted communication")) \
    X(NEWSLETTER,       "newsletter",       N_("Newsletters and service messages"))

/* Channels (names as fields.h's preferred_channel choices).
 * X(id, stored name, label, needs explicit consent by default) */
#define RK_CHANNELS(X)                                  \
    X(EMAIL, "email", N_("E-mail"), true)               \
    X(SMS,   "sms",   N_("SMS"),    true)               \
    X(PHONE, "phone", N_("Phone"),  false)              \
    X(POST,  "post",  N_("Post"),   false)

/* Person-level items beside the grid, each a three-state question too. For
 * a ban, "denied" means the ban is in force. The population register's bans
 * are the client's popreg_bans field, not ledger items.
 * X(id, stored name, label, is a ban) */
#define RK_PERSON_ITEMS(X)                                                         \
    X(ALL_MARKETING,      "all_marketing",      N_("Any direct marketing"), true)  \
    X(PARTNER_DISCLOSURE, "partner_disclosure", N_("Disclosing data to partners"), true) \
    X(CALL_RECORDING,     "call_recording",     N_("Call recording"), false)

/* X(id, stored name, label) */
#define RK_CSTATES(X)                                   \
    X(UNKNOWN, "unknown", N_("unknown"))                \
    X(ALLOWED, "allowed", N_("allowed"))                \
    X(DENIED,  "denied",  N_("denied"))

/* Where a change came from. X(id, stored name, label) */
#define RK_CSOURCES(X)                                                  \
    X(IN_PERSON, "in_person",  N_("in person"))                          \
    X(PHONE,     "phone",      N_("phone call"))                         \
    X(LETTER,    "letter",     N_("letter"))                             \
    X(WEB_FORM,  "web_form",   N_("web form"))                           \
    X(EMAIL,     "email",      N_("e-mail"))                             \
    X(POPREG,    "population_register", N_("population register"))

typedef enum rk_purpose {
#define X(id, name, label) RK_PURPOSE_##id,
    RK_PURPOSES(X)
#undef X
    RK_PURPOSE_COUNT
} rk_purpose;

typedef enum rk_channel {
#define X(id, name, label, optin) RK_CHANNEL_##id,
    RK_CHANNELS(X)
#undef X
    RK_CHANNEL_COUNT
} rk_channel;

typedef enum rk_person_item {
#define X(id, name, label, ban) RK_PITEM_##id,
    RK_PERSON_ITEMS(X)
#undef X
    RK_PITEM_COUNT
} rk_person_item;

typedef enum rk_cstate {
#define X(id, name, label) RK_CSTATE_##id,
    RK_CSTATES(X)
#undef X
    RK_CSTATE_COUNT
} rk_cstate;

typedef enum rk_csource {
#define X(id, name, label) RK_CSOURCE_##id,
    RK_CSOURCES(X)
#undef X
    RK_CSOURCE_COUNT
} rk_csource;

/* A slot is one thing with a state: the grid's cells row by row, then the
 * person-level items. Screens index arrays by slot. */
#define RK_CONSENT_CELLS  (RK_PURPOSE_COUNT * RK_CHANNEL_COUNT)
#define RK_CONSENT_SLOTS  (RK_CONSENT_CELLS + RK_PITEM_COUNT)
#define RK_SLOT_CELL(p, c) ((int)(p) * RK_CHANNEL_COUNT + (int)(c))
#define RK_SLOT_ITEM(i)    (RK_CONSENT_CELLS + (int)(i))

bool rk_slot_is_cell(int slot);
rk_purpose rk_slot_purpose(int slot);       /* cells only */
rk_channel rk_slot_channel(int slot);       /* cells only */
rk_person_item rk_slot_item(int slot);      /* items only */
/* "direct_marketing:email" or "all_marketing". */
void rk_slot_name(int slot, char *out, size_t n);
/* Inverse of rk_slot_name; -1 if unknown. */
int  rk_slot_parse(const char *name);
/* "Direct marketing, E-mail" / "Any direct marketing" (translated). */
void rk_slot_label(int slot, char *out, size_t n);

const char *rk_purpose_name(rk_purpose p);
const char *rk_purpose_label(rk_purpose p);          /* translated */
int         rk_purpose_parse(const char *name);      /* -1 if unknown */
const char *rk_channel_name(rk_channel c);
const char *rk_channel_label(rk_channel c);          /* translated */
int         rk_channel_parse(const char *name);      /* -1 if unknown */
bool        rk_channel_optin_default(rk_channel c);
const char *rk_person_item_name(rk_person_item i);
const char *rk_person_item_label(rk_person_item i);  /* translated */
bool        rk_person_item_is_ban(rk_person_item i);
const char *rk_cstate_name(rk_cstate s);
const char *rk_cstate_label(rk_cstate s);            /* translated */
int         rk_cstate_parse(const char *name);       /* -1 if unknown */
/* The grid's Space key: unknown -> allowed -> denied -> unknown. */
rk_cstate   rk_cstate_cycle(rk_cstate s);
/* How a slot's state reads on a card: a ban "in force" / "not in force",
 * otherwise the state's label. Translated. */
const char *rk_slot_state_label(int slot, rk_cstate s);
const char *rk_csource_name(rk_csource s);
const char *rk_csource_label(rk_csource s);          /* translated */
int         rk_csource_parse(const char *name);      /* -1 if unknown */

/* Settings read by this module (keys of the settings table; defaults in
 * code until src/config.c lists them). */
#define RK_SETTING_NOTICE_VERSION "notice_version"          /* default "" */
#define RK_SETTING_OPTIN_CHANNELS "consent_optin_channels"  /* "email,sms" */

/* ---- the ledger ---- */

#define RK_CONSENT_NOTE_MAX 500    /* bytes of an optional note */

typedef struct rk_consent_entry {
    rk_cstate state;               /* UNKNOWN when never recorded */
    char      since[32];           /* when the latest event was recorded; "" if never */
    char      user[RK_USERNAME_MAX + 1];
    int       source;              /* rk_csource; -1 if never recorded */
    int64_t   call_id;             /* 0 = none */
    int64_t   event_id;            /* 0 = never recorded */
} rk_consent_entry;

/* The current state of every slot: the latest event per slot. */
typedef struct rk_consent_grid {
    int64_t client_id;
    rk_consent_entry slot[RK_CONSENT_SLOTS];
} rk_consent_grid;

typedef struct rk_consent_event {
    int64_t id;
    int64_t client_id;
    int64_t batch;                 /* events saved together share it */
    int     slot;                  /* -1 for a name this version does not know */
    char    slot_name[48];
    rk_cstate state;
    char    user[RK_USERNAME_MAX + 1];
    char    ts[32];
    int     source;                /* rk_csource, -1 if unknown */
    int64_t call_id;
    char    notice_version[65];
    char    note[512];              /* at most RK_CONSENT_NOTE_MAX bytes */
} rk_consent_event;

/* What the session's role may do with consents: HIDDEN, READ or WRITE
 * (marketing: READ, plus rk_consent_apply accepts its "denied" changes). */
int rk_consent_level(rk_session *s, rk_level *out, rk_err *err);

int  rk_consent_grid_get(rk_session *s, int64_t client_id, rk_consent_grid *out, rk_err *err);
/* Every event of the client, newest first; slot >= 0 keeps one slot's. */
int  rk_consent_history(rk_session *s, int64_t client_id, int slot, rk_consent_event **events,
                        size_t *n, rk_err *err);
void rk_consent_history_free(rk_consent_event *events);

typedef struct rk_consent_change {
    int       slot;
    rk_cstate state;
} rk_consent_change;

/* What a set of changes made together shares. */
typedef struct rk_consent_batch {
    rk_csource  source;
    int64_t     call_id;           /* the call note; required for (and only with) a phone call */
    const char *notice_version;    /* NULL = the notice_version setting */
    const char *note;              /* NULL or "" = none */
} rk_consent_batch;

/* Records the changes as one batch: all or nothing, one audit event
 * ("consent_changed": source, counts per state, which slots; never the
 * person's values). A slot may appear once. *batch_out (may be NULL) gets
 * the batch number. */
int rk_consent_apply(rk_session *s, int64_t client_id, const rk_consent_change *changes,
                     size_t n, const rk_consent_batch *batch, int64_t *batch_out, rk_err *err);

/* RK_OK if the session's role may record these changes (RK_EDENIED with
 * a sentence otherwise); rk_consent_apply asks it first. */
int rk_consent_may_apply(rk_session *s, const rk_consent_change *changes, size_t n, rk_err *err);

/* For src/calls.c: the same as rk_consent_apply, inside the caller's transaction, without the
 * role check and with the caller's timestamp. */
int rk_consent_apply_in_tx(rk_session *s, int64_t client_id, const rk_consent_change *changes,
                           size_t n, const rk_consent_batch *batch, const char *ts,
                           int64_t *batch_out, rk_err *err);

/* ---- the contact rule ---- */

/* X(id, stored name, allows contact, description) */
#define RK_CONTACT_REASONS(X)                                                                   \
    X(ALLOWED_CONSENT,      "allowed_consent",      true,  N_("allowed: the person has consented to this")) \
    X(ALLOWED_NO_OBJECTION, "allowed_no_objection", true,  N_("allowed: the person has not objected on this channel")) \
    X(ERASED,               "erased",               false, N_("excluded: the record has been erased")) \
    X(RESTRICTED,           "restricted",           false, N_("excluded: processing of this record is restricted")) \
    X(TOTAL_BAN,            "total_ban",            false, N_("excluded: the person has banned all direct marketing")) \
    X(POPREG_DIRECT_MARKETING, "popreg_direct_marketing", false, N_("excluded: direct-marketing ban in the population register")) \
    X(POPREG_MARKET_RESEARCH,  "popreg_market_research",  false, N_("excluded: market-research ban in the population register")) \
    X(PARTNER_BAN,          "partner_ban",          false, N_("excluded: the person has banned disclosing data to partners")) \
    X(TURVAKIELTO,          "turvakielto",          false, N_("excluded: turvakielto forbids sending post")) \
    X(DENIED,               "denied",               false, N_("excluded: the person has refused this on this channel")) \
    X(NO_CONSENT,           "no_consent",           false, N_("excluded: this channel needs the person's consent, and there is none"))

typedef enum rk_contact_reason {
#define X(id, name, allows, desc) RK_CONTACT_##id,
    RK_CONTACT_REASONS(X)
#undef X
    RK_CONTACT_REASON_COUNT
} rk_contact_reason;

/* Everything the rule looks at, gathered so the rule itself is pure. */
typedef struct rk_contact_facts {
    rk_purpose purpose;
    rk_channel channel;
    rk_cstate  cell;                 /* the purpose x channel cell */
    rk_cstate  all_marketing;        /* DENIED = total direct-marketing ban */
    rk_cstate  partner_disclosure;   /* DENIED = ban on disclosing to partners */
    bool popreg_direct_marketing;    /* the client's popreg_bans */
    bool popreg_market_research;
    bool restricted;                 /* processing restricted (GDPR Art. 18) */
    bool erased;                     /* in the erasure register (src/rights.h) */
    bool turvakielto;
    unsigned optin_channels;         /* bit (1u << channel): needs an explicit "allowed" */
} rk_contact_facts;

/* The default opt-in set: e-mail and SMS. */
unsigned rk_contact_default_optin(void);
/* "email,sms" -> bits; RK_EUSAGE with err naming the bad word. "" = none. */
int rk_contact_parse_optin(const char *list, unsigned *out, rk_err *err);

/* The opt-in set in force: the setting, or the default. */
int rk_contact_optin_channels(rk_session *s, unsigned *out, rk_err *err);

rk_contact_reason rk_contact_decide(const rk_contact_facts *f);
bool        rk_contact_reason_allows(rk_contact_reason r);
const char *rk_contact_reason_name(rk_contact_reason r);
const char *rk_contact_reason_label(rk_contact_reason r);   /* translated */

/* Gathers the facts for one client from the database (ledger, client flags,
 * the opt-in setting) and decides. Any role but admin (it reveals no
 * values); RK_ENOTFOUND for no such client. */
int rk_contact_check(rk_session *s, int64_t client_id, rk_purpose p, rk_channel c,
                     rk_contact_reason *out, rk_err *err);

/* Every client the rule allows for (p, c), ascending ids; *ids malloc'd.
 * Reads inside the caller's transaction if one is open. */
int rk_contact_list(rk_session *s, rk_purpose p, rk_channel c, int64_t **ids, size_t *n,
                    rk_err *err);

#endif
