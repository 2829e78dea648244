/* Login: username and password; failed attempts, delays and locks come from
 * rk_session_login and its lockout status. */
#include <stdio.h>
#include <string.h>

#include "form.h"
#include "sanitize.h"
#include "secure.h"

static struct {
    ui_field fields[2];
    ui_form form;
    double wait_until;      /* ui_now() before which no attempt is made */
    bool account_locked;
} st;

enum { F_USER, F_PASS };

static const ui_action login_actions[] = { UI_ACT_LOGIN, UI_ACT_NEXT_FIELD, UI_ACT_PREV_FIELD };

static void login_enter(ui *u)
{
    rk_err err;
    memset(&st, 0, sizeof st);
    if (ui_field_text(&st.fields[F_USER], N_("Username"), RK_USERNAME_MAX, &err) ||
        ui_field_secret(&st.fields[F_PASS], N_("Password"), &err)) {
        ui_msg_error(u, "%s", err.msg);
        u->quit = true;
        u->status = RK_EFAIL;
        return;
    }
    st.form.fields = st.fields;
    st.form.n = 2;
    if (u->prefill_user[0]) {
        ui_le_set_utf8(&st.fields[F_USER].le, u->prefill_user);
        st.form.focus = F_PASS;
    }
}

static void login_leave(ui *u)
{
    (void)u;
    ui_field_free(&st.fields[F_USER]);
    ui_field_free(&st.fields[F_PASS]);
    memset(&st, 0, sizeof st);
}

static long wait_left(void)
{
    double left = st.wait_until - ui_now();
    if (left <= 0)
        return 0;
    return (long)left + (left > (double)(long)left);   /* rounded up */
}

static void login_tick(ui *u)
{
    (void)u;
    if (st.wait_until > 0 && wait_left() == 0)
        st.wait_until = 0;
}

static void try_login(ui *u)
{
    char user[RK_USERNAME_MAX + 1];
    rk_err err;
    rk_err_clear(&err);
    ui_form_clear_errors(&st.form);
    if (!ui_field_get(&st.fields[F_USER], user, sizeof user) || !user[0]) {
        ui_field_error(&st.fields[F_USER], _("Enter your username."));
        st.form.focus = F_USER;
        return;
    }
    if (wait_left() > 0) {
        ui_msg_error(u, _("Too many failed attempts: wait %ld s"), wait_left());
        return;
    }
    char *pw = ui_field_secret_dup(&st.fields[F_PASS], &err);
    ui_le_clear(&st.fields[F_PASS].le);
    if (!pw) {
        ui_msg_error(u, "%s", err.msg);
        return;
    }
    rk_session *s = NULL;
    rk_lockout_status ls;
    memset(&ls, 0, sizeof ls);
    int rc = rk_session_login(u->paths, user, pw, &s, &ls, &err);
    rk_password_free(pw);
    if (rc == RK_OK) {
        ui_logged_in(u, s);   /* leaves this screen: st is gone after this */
        return;
    }
    ui_msg_error(u, "%s", err.msg);
    st.form.focus = F_PASS;
    st.account_locked = rc == RK_EAUTH && ls.locked;
    if (rc == RK_EAUTH && !ls.locked && ls.wait_seconds > 0)
        st.wait_until = ui_now() + (double)ls.wait_seconds;
}

static void login_action(ui *u, ui_action a)
{
    switch (a) {
    case UI_ACT_LOGIN:
        /* Enter in the username field moves on; in the password field logs in. */
        if (st.form.focus == F_USER)
            st.form.focus = F_PASS;
        else
            try_login(u);
        break;
    case UI_ACT_NEXT_FIELD:
    case UI_ACT_PREV_FIELD:
        ui_form_action(&st.form, a);
        break;
    default:
        break;
    }
}

static void login_key(ui *u, const ui_key *k)
{
    (void)u;
    /* A new username means a new account: its own lock and delay apply. */
    bool user_field = st.form.focus == F_USER;
    ui_form_key(&st.form, k);
    if (user_field && !k->fn && k->ch >= 0x20) {
        st.account_locked = false;
        st.wait_until = 0;
    }
}

static void login_draw(ui *u, const ui_rect *r)
{
    char dir[RK_PATH_MAX];
    char line[RK_PATH_MAX + 64];
    rk_sanitize(dir, sizeof dir, u->paths->dir, 0);
    int y = r->y + 1;
    ui_put_centre(y, r->x, r->w, _("Customer register - log in"), UI_ST_HEADING);
    snprintf(line, sizeof line, _("Registry: %s"), dir);
    ui_put_centre(y + 1, r->x, r->w, line, UI_ST_DIM);

    ui_rect fr = { y + 3, r->x + r->w / 2 - 30, 5, 60 };
    if (fr.x < r->x)
        fr.x = r->x;
    ui_form_draw(&st.form, u, &fr);

    int sy = fr.y + fr.h + 1;
    if (st.account_locked) {
        ui_put_centre(sy, r->x, r->w,
                      _("This account is locked: an administrator must unlock it."),
                      UI_ST_WARN);
    } else if (wait_left() > 0) {
        snprintf(line, sizeof line, _("Too many failed attempts: wait %ld s"), wait_left());
        ui_put_centre(sy, r->x, r->w, line, UI_ST_WARN);
    }
    ui_put_centre(sy + 2, r->x, r->w, _("Enter moves to the password and logs in. F10 quits."),
                  UI_ST_DIM);
}

const screen_ops ui_screen_login = {
    .name = "login",
    .title = N_("Log in"),
    .actions = login_actions,
    .n_actions = RK_ARRAY_LEN(login_actions),
    .globals = UI_G_HELP | UI_G_QUIT,
    .text_input = true,
    .enter = login_enter,
    .leave = login_leave,
    .draw = login_draw,
    .action = login_action,
    .key = login_key,
    .tick = login_tick,
};
