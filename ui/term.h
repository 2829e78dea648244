/* The terminal: curses setup and teardown, signals, and reading keys. */
#ifndef RK_UI_TERM_H
#define RK_UI_TERM_H

#define NCURSES_WIDECHAR 1
#include <curses.h>
#include <signal.h>
#include <stdbool.h>

#include "common.h"
#include "keys.h"

#define UI_MIN_COLS 80
#define UI_MIN_LINES 24

/* Set by the SIGHUP/SIGTERM/SIGINT handler (the signal number); the main
 * loop acts on it, never the handler. */
extern volatile sig_atomic_t ui_term_signal;

/* Starts curses on the controlling terminal. RK_EFAIL when stdin/stdout is
 * not a terminal or the terminal type is unknown. */
int  ui_term_start(rk_err *err);
/* Restores the terminal; safe to call twice and from atexit. */
void ui_term_stop(void);

bool ui_term_utf8(void);      /* the locale's codeset is UTF-8 */
bool ui_term_colour(void);    /* colours in use (terminal has them, no NO_COLOR) */

/* Waits up to the loop's tick for a key. Returns false on timeout or signal.
 * Esc then a digit (or Alt-digit) comes back as F1..F10. */
bool ui_term_read_key(ui_key *k);

/* Appends to buf (UTF-8, NUL-terminated, at most cap bytes with the NUL)
 * the text characters already waiting, without waiting for more: the rest
 * of a paste, read in one go instead of one key per screen update. Stops
 * before a key that is not text (left to be read as a key); line breaks
 * and tabs count as text. Returns the bytes appended. */
size_t ui_term_read_text(char *buf, size_t len, size_t cap);

#endif
