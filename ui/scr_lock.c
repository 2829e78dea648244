/* The idle lock: everything hidden but a box asking for the session user's
 * password. F10 here logs out and quits. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "form.h"
#include "lockout.h"
#include "sanitize.h"
#include "secure.h"

static struct {
    ui_field field;
    ui_form form;
    char msg[512];
    double wait_until;
} st;

static const ui_action lock_actions[] = { UI_ACT_UNLOCK_SCREEN };

static void lock_enter(ui *u)
{
    rk_err err;
    memset(&st, 0, sizeof st);
    if (ui_field_secret(&st.field, N_("Password"), &err) != RK_OK) {
        /* No field, no way back in: end the session rather than hang. */
        u->quit = true;
        return;
    }
    st.form.fields = &st.field;
    st.form.n = 1;
}

static void lock_leave(ui *u)
{
    (void)u;
    ui_field_free(&st.field);
    memset(&st, 0, sizeof st);
}

static long wait_left(void)
{
    double left = st.wait_until - ui_now();
    if (left <= 0)
        return 0;
    return (long)left + (left > (double)(long)left);
}

static void try_unlock(ui *u)
{
    rk_err err;
    rk_err_clear(&err);
    if (wait_left() > 0)
        return;
    char *pw = ui_field_secret_dup(&st.field, &err);
    ui_le_clear(&st.field.le);
    if (!pw) {
        rk_sanitize(st.msg, sizeof st.msg, err.msg, 0);
        return;
    }
    int rc = rk_session_unlock(u->session, pw, &err);
    rk_password_free(pw);
    if (rc == RK_OK) {
        u->locked = false;
        ui_pop(u);
        ui_msg_info(u, _("Welcome back."));
        return;
    }
    rk_sanitize(st.msg, sizeof st.msg, err.msg, 0);
    /* The same delays as at login: show them counting down. */
    rk_lockout_status ls;
    rk_err ignore;
    if (rk_lockout_check(u->session->paths.state, u->session->user, time(NULL), &ls,
                         &ignore) == RK_OK && !ls.locked && ls.wait_seconds > 0)
        st.wait_until = ui_now() + (double)ls.wait_seconds;
}

static void lock_action(ui *u, ui_action a)
{
    if (a == UI_ACT_UNLOCK_SCREEN)
        try_unlock(u);
}

static void lock_key(ui *u, const ui_key *k)
{
    (void)u;
    ui_form_key(&st.form, k);
}

static void lock_draw(ui *u, const ui_rect *all)
{
    char user[RK_USERNAME_MAX * 4 + 1], line[768];
    rk_sanitize(user, sizeof user, u->session ? u->session->user : "", 0);
    int w = all->w - 4 < 66 ? all->w - 4 : 66;
    ui_rect box = { all->h / 2 - 5, (all->w - w) / 2, 10, w };
    ui_box(&box, _("Locked"), UI_ST_BORDER);
    ui_rect in = ui_inner(&box);

    snprintf(line, sizeof line, _("Locked — enter the password of %s to continue"), user);
    ui_put_centre(in.y, in.x, in.w, line, UI_ST_HEADING);
    ui_rect fr = { in.y + 1, in.x, 3, in.w };
    ui_form_draw(&st.form, u, &fr);
    const char *msg = st.msg[0] ? st.msg : u->msg;
    if (wait_left() > 0) {
        snprintf(line, sizeof line, _("Too many failed attempts: wait %ld s"), wait_left());
        ui_put_centre(in.y + 5, in.x, in.w, line, UI_ST_WARN);
    } else if (msg[0]) {
        ui_put_centre(in.y + 5, in.x, in.w, msg, UI_ST_WARN);
    }
    ui_put_centre(in.y + 7, in.x, in.w, _("Enter unlocks. F10 logs out and quits."), UI_ST_DIM);
}

const screen_ops ui_screen_lock = {
    .name = "lock",
    .title = N_("Locked"),
    .actions = lock_actions,
    .n_actions = RK_ARRAY_LEN(lock_actions),
    .globals = UI_G_QUIT,
    .text_input = true,
    .fullscreen = true,
    .enter = lock_enter,
    .leave = lock_leave,
    .draw = lock_draw,
    .action = lock_action,
    .key = lock_key,
};
