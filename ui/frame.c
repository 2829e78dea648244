#include "frame.h"

#include <stdio.h>
#include <string.h>

#include "sanitize.h"

bool ui_frame_too_small(void)
{
    return COLS < UI_MIN_COLS || LINES < UI_MIN_LINES;
}

static void draw_too_small(void)
{
    char buf[128];
    snprintf(buf, sizeof buf, _("Terminal too small: need %dx%d, have %dx%d"),
             UI_MIN_COLS, UI_MIN_LINES, COLS, LINES);
    ui_put_centre(LINES / 2, 0, COLS, buf, UI_ST_WARN);
}

static void draw_title(const ui *u)
{
    char name[256], who[512];
    const rk_session *s = u->session;
    ui_fill(0, 0, COLS, UI_ST_TITLE);
    if (s)
        rk_sanitize(name, sizeof name, s->registry_name, 0);
    else
        snprintf(name, sizeof name, "%s", _("Rekisteri"));
    int x = 1;
    x += ui_put(0, x, COLS / 2, name, UI_ST_TITLE);
    if (s && s->demo) {
        char demo[64];
        snprintf(demo, sizeof demo, " %s ", _("DEMO"));
        x += 1;
        x += ui_put(0, x, COLS / 4, demo, UI_ST_DEMO);
    }
    if (!s)
        return;
    char full[RK_FULLNAME_MAX * 2];
    rk_sanitize(full, sizeof full, s->full_name[0] ? s->full_name : s->user, 0);
    snprintf(who, sizeof who, "%s (%s)", full, rk_role_label(s->role));
    int room = COLS - x - 2;
    int w = ui_text_width(who);
    if (w > room)
        w = room;
    if (w > 0)
        ui_put(0, COLS - 1 - w, w, who, UI_ST_TITLE);
}

static void draw_message(const ui *u)
{
    int y = LINES - 2;
    if (!u->msg[0])
        return;
    ui_style st = u->msg_error ? UI_ST_ERROR : UI_ST_INFO;
    int w = ui_text_width(u->msg) + 2;
    if (w > COLS)
        w = COLS;
    ui_fill(y, 0, w, st);
    ui_put_words(y, 1, COLS - 2, u->msg, st);
}

/* htop's bar: each action's key, then its label on a coloured slot. Widths
 * are display widths (a translated label may hold ä or wide characters).
 * The slots get their natural width and share what is left; when even that
 * does not fit, the screen's labels are dropped from the right (the key
 * stays, F1 lists what it does), so a label is never cut in the middle of a word. */
static void draw_bar(const ui *u, const screen_ops *s)
{
    ui_action acts[32], bar[32];
    char key[32][32];
    int kw[32], lw[32];
    size_t n = ui_screen_actions(s, u, acts, RK_ARRAY_LEN(acts)), nb = 0;
    for (size_t i = 0; i < n; i++)
        if (ui_action_in_bar(acts[i]))
            bar[nb++] = acts[i];
    if (nb == 0)
        return;
    int need = 0;
    for (size_t i = 0; i < nb; i++) {
        size_t nk;
        const ui_keyspec *ks = ui_action_keys(bar[i], &nk);
        ui_keyspec_label(&ks[0], key[i], sizeof key[i]);
        /* "Enter Log in" reads better than "EnterLog in" */
        kw[i] = ui_text_width(key[i]) + (ks[0].kind != UK_FKEY);
        lw[i] = ui_text_width(ui_action_label(bar[i]));
        need += kw[i] + lw[i] + 1;
    }
    /* The screen's own labels go first, from the right; Help, Lock and
     * Quit keep theirs as long as anything can. */
    for (int pass = 0; pass < 2; pass++)
        for (size_t i = nb; i-- > 0 && need > COLS;) {
            bool global = bar[i] == UI_ACT_HELP || bar[i] == UI_ACT_LOCK || bar[i] == UI_ACT_QUIT;
            if (pass == 0 && global)
                continue;
            need -= lw[i];
            lw[i] = 0;
        }
    int y = LINES - 1, x = 0, spare = COLS - need > 0 ? COLS - need : 0;
    for (size_t i = 0; i < nb; i++) {
        /* The spare columns go to the slots in turn, the rounding to the last. */
        int w = kw[i] + lw[i] + 1 + spare / (int)nb;
        if (i + 1 == nb)
            w = COLS - x;
        ui_put(y, x, kw[i], key[i], UI_ST_FKEY_KEY);
        ui_fill(y, x + kw[i], w - kw[i] - 1, UI_ST_FKEY_LABEL);
        if (lw[i])
            ui_put(y, x + kw[i], lw[i], ui_action_label(bar[i]), UI_ST_FKEY_LABEL);
        x += w;
    }
}

void ui_frame_draw(ui *u)
{
    const screen_ops *s = ui_top(u);
    erase();
    u->cursor_y = u->cursor_x = -1;
    if (ui_frame_too_small()) {
        draw_too_small();
    } else if (s && s->fullscreen) {
        ui_rect all = { 0, 0, LINES, COLS };
        s->draw(u, &all);
    } else if (s) {
        draw_title(u);
        ui_rect body = { 1, 0, LINES - 3, COLS };
        ui_rect in = ui_inner(&body);
        const screen_ops *under = s->overlay && u->depth > 1 ? u->stack[u->depth - 2] : NULL;
        ui_box(&body, _(under ? under->title : s->title), UI_ST_BORDER);
        if (under) {
            under->draw(u, &in);
            u->cursor_y = u->cursor_x = -1;   /* the dialog owns the cursor */
        }
        s->draw(u, &in);
        draw_message(u);
        draw_bar(u, s);
    }
    if (u->cursor_y >= 0) {
        curs_set(1);
        move(u->cursor_y, u->cursor_x);
    } else {
        curs_set(0);
    }
    refresh();
}
