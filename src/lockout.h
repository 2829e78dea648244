/* Failed-login counting, outside the encrypted database (it must work before
 * the database can be opened). A text file beside the keyring, under flock:
 *
 *   rekisteri-state 1
 *   user <name> <failures> <last_failure_epoch> <locked 0|1>
 *   event <id> <epoch> <action> <name> <terminal>
 *
 * Events are failed logins and automatic locks waiting to be written into the
 * audit chain by the next successful login (which has the key). */
#ifndef RK_LOCKOUT_H
#define RK_LOCKOUT_H

#include "common.h"
#include <time.h>

#define RK_LOCKOUT_DELAY_AFTER 3    /* failures before delays start */
#define RK_LOCKOUT_LOCK_AFTER  20   /* failures that lock the account */
#define RK_LOCKOUT_DELAY_MAX   300  /* seconds */

typedef struct rk_lockout_status {
    int    failures;
    bool   locked;
    time_t last_failure;
    long   wait_seconds;   /* > 0: no attempt is accepted before this many seconds */
} rk_lockout_status;

typedef struct rk_pending_event {
    uint64_t id;
    time_t   when;
    char     action[32];   /* "login_failed", "account_locked" */
    char     user[RK_USERNAME_MAX + 1];
    char     terminal[128];
} rk_pending_event;

/* Delay after `failures` consecutive failures: 0 below RK_LOCKOUT_DELAY_AFTER,
 * then 1, 2, 4, ... seconds, at most RK_LOCKOUT_DELAY_MAX. */
long rk_lockout_delay(int failures);

int rk_lockout_check(const char *path, const char *user, time_t now,
                     rk_lockout_status *st, rk_err *err);
/* Counts a failure and queues its event (and an account_locked event when the
 * count reaches RK_LOCKOUT_LOCK_AFTER). st receives the state after it. */
int rk_lockout_failure(const char *path, const char *user, time_t now,
                       const char *terminal, rk_lockout_status *st, rk_err *err);
int rk_lockout_success(const char *path, const char *user, rk_err *err);
int rk_lockout_unlock(const char *path, const char *user, rk_err *err);

/* Pending events, oldest first; *events is malloc'd. Clear only after they are
 * committed to the audit chain: a crash in between repeats, never loses. */
int rk_lockout_pending(const char *path, rk_pending_event **events, size_t *n, rk_err *err);
int rk_lockout_pending_clear(const char *path, uint64_t upto_id, rk_err *err);

#endif
