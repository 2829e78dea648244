/* The UI's state and the screen contract. Each screen is one file exporting
 * one const screen_ops; the loop in ui.c keeps a stack of them (help, forms,
 * dialogs and the lock screen go on top of a home screen). */
#ifndef RK_UI_SCREEN_H
#define RK_UI_SCREEN_H

#include <time.h>

#include "draw.h"
#include "i18n.h"
#include "session.h"

#define UI_STACK_MAX 8

typedef struct ui ui;

/* Global actions a screen offers besides its own. */
enum { UI_G_HELP = 1, UI_G_LOCK = 2, UI_G_QUIT = 4 };

typedef struct screen_ops {
    const char *name;                /* internal, for logs */
    const char *title;               /* N_(); set into the body's frame */
    const ui_action *actions;        /* its own, in bar order */
    size_t n_actions;
    unsigned globals;                /* UI_G_* */
    bool text_input;                 /* letter keys are text, not actions */
    bool fullscreen;                 /* draws the whole terminal (lock screen) */
    bool overlay;                    /* drawn over the screen below (dialogs) */
    void (*enter)(ui *u);            /* pushed */
    void (*resume)(ui *u);           /* on top again after a pop */
    void (*leave)(ui *u);            /* popped: wipe secrets here */
    void (*draw)(ui *u, const ui_rect *body);
    void (*action)(ui *u, ui_action a);
    void (*key)(ui *u, const ui_key *k);   /* keys bound to no action */
    void (*tick)(ui *u);             /* every loop turn: timers */
} screen_ops;

struct ui {
    const rk_paths *paths;
    rk_session *session;             /* NULL until logged in */
    char prefill_user[RK_USERNAME_MAX + 1];
    const screen_ops *stack[UI_STACK_MAX];
    size_t depth;
    char msg[512];                   /* message line, sanitized */
    bool msg_error;
    int cursor_y, cursor_x;          /* set while drawing by the focused field */
    long idle_lock;                  /* seconds; 0 = never */
    double last_key;                 /* ui_now() of the last key pressed */
    bool locked;
    bool quit;
    int status;
};

const screen_ops *ui_top(const ui *u);
void ui_push(ui *u, const screen_ops *s);
void ui_pop(ui *u);
/* Pops everything and shows s (e.g. the home screen after login). */
void ui_replace_all(ui *u, const screen_ops *s);

/* Message line. Text is sanitized (it may quote names from the database). */
void ui_msg_info(ui *u, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void ui_msg_error(ui *u, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void ui_msg_clear(ui *u);

/* After login: load settings and show the role's home screen. */
void ui_logged_in(ui *u, rk_session *s);
/* Lock now (idle time or F9). */
void ui_lock(ui *u);
/* The actions a screen offers, globals included, in bar order. */
size_t ui_screen_actions(const screen_ops *s, const ui *u, ui_action *out, size_t max);

/* Seconds on the monotonic clock. */
double ui_now(void);

/* The screens. */
extern const screen_ops ui_screen_login;
extern const screen_ops ui_screen_users;
extern const screen_ops ui_screen_account;
extern const screen_ops ui_screen_help;
extern const screen_ops ui_screen_lock;
extern const screen_ops ui_screen_confirm;
extern const screen_ops ui_screen_user_add;
extern const screen_ops ui_screen_password;
extern const screen_ops ui_screen_account_over;  /* the same, opened from a home screen */
extern const screen_ops ui_screen_search;
extern const screen_ops ui_screen_card;

/* Opens the yes/no dialog; on_yes runs when the user confirms. */
void ui_confirm(ui *u, const char *question, void (*on_yes)(ui *u, const char *arg),
                const char *arg);

/* The password form: a reset of `user` by an administrator (own == false),
 * or one's own change (current password asked first). */
void ui_password_form(ui *u, const char *user, bool own);

/* The client card: a client as rk_clients_get returns it (the read is
 * audited there), or a new client on rk_clients_blank. An error goes to the
 * message line and nothing is opened. */
void ui_card_open(ui *u, int64_t id);
void ui_card_new(ui *u);

/* Opened from the card of a saved client. heading says who ("Mäkinen,
 * Anna, customer number 1001"; sanitized here). An error (the role may
 * not, no such client) goes to the message line and nothing is opened. */
/* The consent and ban grid; popreg: the client's population register bans
 * as the role sees them, NULL when the role does not see them. */
void ui_consent_open(ui *u, int64_t client_id, const char *heading, const char *popreg);
/* The client's call-recording notes; number: the client's first phone
 * number, offered in a new note ("" if none). */
void ui_calls_open(ui *u, int64_t client_id, const char *heading, const char *number);

/* The call-note forms, opened from the notes list: a new note, or an
 * amendment by the note's author. on_saved gets the note's id after a save. */
struct rk_call_note;
typedef void (*ui_calls_saved_fn)(ui *u, int64_t note_id);
void ui_call_note_new(ui *u, int64_t client_id, const char *heading, const char *number,
                      ui_calls_saved_fn on_saved);
void ui_call_note_amend(ui *u, const struct rk_call_note *note, const char *heading,
                        ui_calls_saved_fn on_saved);

/* The dpo's desk (requests by due date) and the form registering a
 * request of one client (`who`: how the card names the client). */
extern const screen_ops ui_screen_dpo;
extern const screen_ops ui_screen_audit;      /* the dpo's audit log viewer */
void ui_request_form(ui *u, int64_t client_id, const char *who);
/* One request as a line: number, received, kind, due date, status. */
struct rk_dbr_request;
void ui_request_line(const struct rk_dbr_request *q, char *out, size_t n);
/* The typed confirmation of an erasure; on success the card closes too. */
void ui_erase_form(ui *u, int64_t client_id, const char *customer_no, const char *who);

#endif
