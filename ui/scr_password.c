/* A new password: one's own (the current one is asked first) or, for an
 * administrator, a reset of someone else's. Typed twice; the rules are
 * rk_password_acceptable's, shown at the field. */
#include <stdio.h>
#include <string.h>

#include "form.h"
#include "password.h"
#include "sanitize.h"
#include "secure.h"
#include "users.h"

/* The hint under the form says 12. */
_Static_assert(RK_PASSWORD_MIN_CHARS == 12, "update the password hint");

enum { F_CUR, F_NEW, F_NEW2, F_COUNT };

static struct {
    ui_field fields[F_COUNT];
    ui_form form;
    char user[RK_USERNAME_MAX + 1];
    bool own;
    size_t first;   /* F_CUR when own, else F_NEW */
} st;

static const ui_action pw_actions[] = {
    UI_ACT_SAVE, UI_ACT_CANCEL, UI_ACT_NEXT_FIELD, UI_ACT_PREV_FIELD,
};

void ui_password_form(ui *u, const char *user, bool own)
{
    memset(&st, 0, sizeof st);
    snprintf(st.user, sizeof st.user, "%s", user);
    st.own = own;
    ui_push(u, &ui_screen_password);
}

static void pw_leave(ui *u)
{
    (void)u;
    for (int i = 0; i < F_COUNT; i++)
        ui_field_free(&st.fields[i]);
    memset(&st, 0, sizeof st);
}

static void pw_enter(ui *u)
{
    rk_err err;
    if (ui_field_secret(&st.fields[F_CUR], N_("Current password"), &err) ||
        ui_field_secret(&st.fields[F_NEW], N_("New password"), &err) ||
        ui_field_secret(&st.fields[F_NEW2], N_("New password again"), &err)) {
        ui_msg_error(u, "%s", err.msg);
        ui_pop(u);
        return;
    }
    st.first = st.own ? F_CUR : F_NEW;
    st.form.fields = st.fields + st.first;
    st.form.n = F_COUNT - st.first;
    st.form.note = N_("At least 12 characters; not your username; not a common password.");
}

static void wipe_all(void)
{
    for (int i = 0; i < F_COUNT; i++)
        ui_le_clear(&st.fields[i].le);
}

static void save(ui *u)
{
    rk_err err;
    char *cur = NULL, *pw = NULL;
    bool ok = false;
    size_t bad = F_NEW;
    ui_form_clear_errors(&st.form);

    if (st.own) {
        bad = F_CUR;
        if (st.fields[F_CUR].le.len == 0) {
            ui_field_error(&st.fields[F_CUR], _("Enter your current password."));
            goto out;
        }
    }
    bad = F_NEW;
    if (!(pw = ui_field_secret_dup(&st.fields[F_NEW], &err)) ||
        rk_password_acceptable(st.user, pw, &err) != RK_OK) {
        ui_field_error(&st.fields[F_NEW], err.msg);
        goto out;
    }
    bad = F_NEW2;
    if (st.fields[F_NEW].le.len != st.fields[F_NEW2].le.len ||
        wmemcmp(st.fields[F_NEW].le.buf, st.fields[F_NEW2].le.buf, st.fields[F_NEW].le.len)) {
        ui_field_error(&st.fields[F_NEW2], _("The passwords do not match."));
        goto out;
    }
    if (st.own) {
        /* The current password proves it is still the same person at the
         * desk; a wrong one counts as a failed attempt like at login. */
        bad = F_CUR;
        if (!(cur = ui_field_secret_dup(&st.fields[F_CUR], &err)) ||
            rk_session_verify_password(u->session, cur, &err) != RK_OK) {
            ui_field_error(&st.fields[F_CUR], err.msg);
            goto out;
        }
    }
    if (rk_user_passwd(u->session, st.user, pw, &err) != RK_OK) {
        ui_msg_error(u, "%s", err.msg);
        goto out;
    }
    ok = true;
out:
    if (cur)
        rk_password_free(cur);
    if (pw)
        rk_password_free(pw);
    wipe_all();
    if (!ok) {
        /* Every field was wiped: a mismatch is retyped from the first new one. */
        st.form.focus = (bad == F_NEW2 ? F_NEW : bad) - st.first;
        return;
    }
    if (st.own)
        ui_msg_info(u, _("Your password has been changed."));
    else
        ui_msg_info(u, _("The password of %s has been reset."), st.user);
    ui_pop(u);
}

static void pw_action(ui *u, ui_action a)
{
    ui_form_screen_action(u, &st.form, a, save, _("The password was not changed."));
}

static void pw_key(ui *u, const ui_key *k)
{
    ui_form_screen_key(u, &st.form, k, save);
}

static void pw_draw(ui *u, const ui_rect *r)
{
    char line[256];
    if (st.own)
        snprintf(line, sizeof line, _("Change the password of %s."), st.user);
    else
        snprintf(line, sizeof line, _("Give %s a new password. Tell it to them in person."),
                 st.user);
    ui_put_words(r->y, r->x + 2, r->w - 4, line, UI_ST_HEADING);
    ui_rect fr = { r->y + 1, r->x, r->h - 1, r->w };
    ui_form_draw(&st.form, u, &fr);
}

const screen_ops ui_screen_password = {
    .name = "password",
    .title = N_("Password"),
    .actions = pw_actions,
    .n_actions = RK_ARRAY_LEN(pw_actions),
    .globals = UI_G_HELP | UI_G_LOCK | UI_G_QUIT,
    .text_input = true,
    .enter = pw_enter,
    .leave = pw_leave,
    .draw = pw_draw,
    .action = pw_action,
    .key = pw_key,
};
