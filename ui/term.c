#include "term.h"

#include <langinfo.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "utf8.h"

#define TICK_MS 250          /* the loop wakes this often for signals, idle time */
#define ESC_DIGIT_MS 400     /* how long Esc waits for a digit (Esc 1 = F1) */

volatile sig_atomic_t ui_term_signal;

static SCREEN *scr;
static bool started, colour, utf8;
static struct sigaction old_hup, old_term, old_int, old_pipe;

static void on_signal(int sig)
{
    ui_term_signal = sig;   /* only the flag: the loop logs out and cleans up */
}

static void install_signals(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = 0;   /* no SA_RESTART: a pending read returns at once */
    sigaction(SIGHUP, &sa, &old_hup);
    sigaction(SIGTERM, &sa, &old_term);
    sigaction(SIGINT, &sa, &old_int);
    sa.sa_handler = SIG_IGN;
    sigaction(SIGPIPE, &sa, &old_pipe);
}

static void restore_signals(void)
{
    sigaction(SIGHUP, &old_hup, NULL);
    sigaction(SIGTERM, &old_term, NULL);
    sigaction(SIGINT, &old_int, NULL);
    sigaction(SIGPIPE, &old_pipe, NULL);
}

bool ui_term_utf8(void)   { return utf8; }
bool ui_term_colour(void) { return colour; }

int ui_term_start(rk_err *err)
{
    static bool atexit_done;
    if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO))
        return rk_err_set(err, RK_EFAIL,
                          _("The interactive program needs a terminal; use the subcommands (see --help) in scripts."));
    const char *cs = nl_langinfo(CODESET);
    utf8 = cs && (strcasecmp(cs, "UTF-8") == 0 || strcasecmp(cs, "utf8") == 0);

    /* Ours before curses starts: ncurses installs its own SIGINT/SIGTERM
     * handlers only where the default is still in place. */
    install_signals();
    if (!atexit_done) {
        atexit(ui_term_stop);
        atexit_done = true;
    }
    scr = newterm(NULL, stdout, stdin);
    if (!scr) {
        restore_signals();
        const char *t = getenv("TERM");
        return rk_err_set(err, RK_EFAIL, _("Cannot use the terminal type \"%s\"."), t ? t : "");
    }
    started = true;
    set_term(scr);
    /* 200 ms tells a lone Esc from the start of a key's escape sequence over
     * SSH; the ESCDELAY variable (ncurses' own) overrides it, as the tests do
     * on a loaded machine. */
    if (!getenv("ESCDELAY"))
        set_escdelay(200);
    raw();             /* Ctrl-Q/Ctrl-S/Ctrl-C reach us as keys, not XON/XOFF/SIGINT */
    noecho();
    nonl();
    keypad(stdscr, TRUE);
    intrflush(stdscr, FALSE);
    wtimeout(stdscr, TICK_MS);
    curs_set(0);

    const char *nc = getenv("NO_COLOR");
    colour = !(nc && *nc) && has_colors();
    if (colour) {
        start_color();
        use_default_colors();
    }
    return RK_OK;
}

void ui_term_stop(void)
{
    if (!started)
        return;
    started = false;
    if (!isendwin()) {
        curs_set(1);
        endwin();
    }
    delscreen(scr);
    scr = NULL;
    restore_signals();
}

bool ui_term_read_key(ui_key *k)
{
    wint_t c;
    int r = wget_wch(stdscr, &c);
    if (r == ERR)
        return false;
    k->fn = r == KEY_CODE_YES;
    k->ch = c;
    if (k->fn || c != 27)
        return true;

    /* Esc: a digit soon after makes an F-key (Alt-digit sends the same bytes). */
    wtimeout(stdscr, ESC_DIGIT_MS);
    wint_t c2;
    int r2 = wget_wch(stdscr, &c2);
    wtimeout(stdscr, TICK_MS);
    if (r2 == OK && c2 >= '0' && c2 <= '9') {
        k->fn = true;
        k->ch = (wint_t)KEY_F(c2 == '0' ? 10 : (int)(c2 - '0'));
    } else if (r2 == OK) {
        unget_wch((wchar_t)c2);
    } else if (r2 == KEY_CODE_YES) {
        ungetch((int)c2);
    }
    return true;
}

size_t ui_term_read_text(char *buf, size_t len, size_t cap)
{
    size_t start = len;
    wtimeout(stdscr, 0);
    while (len + 5 < cap) {
        wint_t c;
        int r = wget_wch(stdscr, &c);
        if (r == ERR)
            break;
        if (r == KEY_CODE_YES) {
            ungetch((int)c);
            break;
        }
        if ((c < 0x20 && c != '\r' && c != '\n' && c != '\t') || c == 0x7f) {
            unget_wch((wchar_t)c);
            break;
        }
        len += ui_utf8_put((wchar_t)c, buf + len);
    }
    buf[len] = '\0';
    wtimeout(stdscr, TICK_MS);
    return len - start;
}
