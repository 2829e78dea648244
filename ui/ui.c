/* rk_ui_run: the event loop. One key (or a 250 ms tick) per turn: signals
 * and the idle lock are checked, the top screen is drawn, the key goes to a
 * global action, the screen's action, or the screen itself. */
#include "ui.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "config.h"
#include "frame.h"
#include "sanitize.h"
#include "screen.h"

double ui_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

const screen_ops *ui_top(const ui *u)
{
    return u->depth ? u->stack[u->depth - 1] : NULL;
}

void ui_push(ui *u, const screen_ops *s)
{
    if (u->depth >= UI_STACK_MAX)
        return;
    u->stack[u->depth++] = s;
    if (s->enter)
        s->enter(u);
}

void ui_pop(ui *u)
{
    if (!u->depth)
        return;
    const screen_ops *s = u->stack[--u->depth];
    if (s->leave)
        s->leave(u);
    const screen_ops *t = ui_top(u);
    if (t && t->resume)
        t->resume(u);
}

void ui_replace_all(ui *u, const screen_ops *s)
{
    while (u->depth) {
        const screen_ops *o = u->stack[--u->depth];
        if (o->leave)
            o->leave(u);
    }
    ui_push(u, s);
}

static void set_msg(ui *u, bool error, const char *fmt, va_list ap)
{
    char tmp[sizeof u->msg];
    vsnprintf(tmp, sizeof tmp, fmt, ap);
    rk_sanitize(u->msg, sizeof u->msg, tmp, 0);
    u->msg_error = error;
}

void ui_msg_info(ui *u, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    set_msg(u, false, fmt, ap);
    va_end(ap);
}

void ui_msg_error(ui *u, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    set_msg(u, true, fmt, ap);
    va_end(ap);
}

void ui_msg_clear(ui *u)
{
    u->msg[0] = '\0';
    u->msg_error = false;
}

size_t ui_screen_actions(const screen_ops *s, const ui *u, ui_action *out, size_t max)
{
    size_t n = 0;
#define ADD(a) do { if (n < max) out[n++] = (a); } while (0)
    if (s->globals & UI_G_HELP)
        ADD(UI_ACT_HELP);
    for (size_t i = 0; i < s->n_actions; i++)
        ADD(s->actions[i]);
    if ((s->globals & UI_G_LOCK) && u->session && !u->locked)
        ADD(UI_ACT_LOCK);
    if (s->globals & UI_G_QUIT)
        ADD(UI_ACT_QUIT);
    ADD(UI_ACT_REDRAW);
#undef ADD
    return n;
}

void ui_logged_in(ui *u, rk_session *s)
{
    char val[64];
    rk_err err;
    u->session = s;
    u->locked = false;
    rk_i18n_set_language(s->language);   /* the user's own language from here on */
    /* A bad or unreadable setting falls back to the default, never to "never". */
    if (rk_config_get(s, RK_CONFIG_IDLE_LOCK, val, sizeof val, &err) != RK_OK ||
        (u->idle_lock = rk_duration_parse(val)) < 0)
        u->idle_lock = rk_duration_parse(rk_config_key_default(RK_CONFIG_IDLE_LOCK));
    if (u->idle_lock < 0)
        u->idle_lock = 600;
    /* The client-facing desks start at the client search; marketing works
     * from lists and reports, the administrator sees no client data. */
    switch (s->role) {
    case RK_ROLE_ADMIN:
        ui_replace_all(u, &ui_screen_users);
        break;
    case RK_ROLE_RECEPTION: case RK_ROLE_BILLING: case RK_ROLE_DPO:
        ui_replace_all(u, &ui_screen_search);
        break;
    default:
        ui_replace_all(u, &ui_screen_account);
        break;
    }
}

void ui_lock(ui *u)
{
    rk_err err;
    if (!u->session || u->locked)
        return;
    /* Open forms go (their buffers are wiped): nothing half-typed waits
     * behind the lock. */
    while (u->depth > 1)
        ui_pop(u);
    ui_msg_clear(u);
    if (rk_session_lock(u->session, &err) != RK_OK)
        ui_msg_error(u, "%s", err.msg);
    u->locked = true;
    ui_push(u, &ui_screen_lock);
}

static void handle_key(ui *u, const ui_key *k)
{
    const screen_ops *s = ui_top(u);
    ui_action acts[32];
    size_t n = ui_screen_actions(s, u, acts, RK_ARRAY_LEN(acts));
    ui_action a = ui_key_action(k, acts, n, !s->text_input);

    if (ui_frame_too_small() && a != UI_ACT_QUIT && a != UI_ACT_REDRAW)
        return;
    ui_msg_clear(u);
    switch (a) {
    case UI_ACT_HELP:
        if (s == &ui_screen_help)
            ui_pop(u);
        else
            ui_push(u, &ui_screen_help);
        break;
    case UI_ACT_QUIT:
        u->quit = true;
        break;
    case UI_ACT_LOCK:
        ui_lock(u);
        break;
    case UI_ACT_REDRAW:
        clearok(curscr, TRUE);
        break;
    case UI_ACT_NONE:
        if (s->key)
            s->key(u, k);
        break;
    default:
        if (s->action)
            s->action(u, a);
        break;
    }
}

int rk_ui_run(const rk_paths *paths, const char *prefill_user)
{
    ui u;
    rk_err err;
    memset(&u, 0, sizeof u);
    u.paths = paths;
    if (prefill_user)
        snprintf(u.prefill_user, sizeof u.prefill_user, "%s", prefill_user);

    /* Database text and our msgids are UTF-8; translations must be too (main
     * binds it; this holds even if it stops): the drawing code converts for
     * the terminal's codeset. */
    bind_textdomain_codeset(textdomain(NULL), "UTF-8");

    if (ui_term_start(&err) != RK_OK) {
        fprintf(stderr, "rekisteri: %s\n", err.msg);
        return RK_EFAIL;
    }
    ui_draw_init();
    ui_term_signal = 0;
    ui_push(&u, &ui_screen_login);
    u.last_key = ui_now();

    while (!u.quit) {
        if (ui_term_signal) {
            u.status = 128 + ui_term_signal;
            break;
        }
        if (u.session && !u.locked && u.idle_lock > 0 &&
            ui_now() - u.last_key >= (double)u.idle_lock)
            ui_lock(&u);
        const screen_ops *s = ui_top(&u);
        if (s->tick)
            s->tick(&u);
        if (u.quit)
            break;
        ui_frame_draw(&u);

        ui_key k;
        if (!ui_term_read_key(&k))
            continue;
        if (k.fn && k.ch == KEY_RESIZE)
            continue;   /* curses has resized stdscr; the next turn redraws */
        u.last_key = ui_now();
        handle_key(&u, &k);
    }

    /* Forms wipe their buffers; the database is closed (a dropped SSH
     * connection must still leave it clean) before the terminal is touched. */
    while (u.depth)
        ui_pop(&u);
    if (u.session)
        rk_session_logout(u.session);
    u.session = NULL;
    ui_term_stop();
    return u.status;
}
