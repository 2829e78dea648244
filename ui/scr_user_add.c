/* Adding a user: every rule is checked here first so each error can be
 * shown at its own field; the service checks again and has the last word. */
#include <stdio.h>
#include <string.h>

#include "form.h"
#include "password.h"
#include "secure.h"
#include "users.h"

/* The hint under the form says 12. */
_Static_assert(RK_PASSWORD_MIN_CHARS == 12, "update the password hint");

enum { F_NAME, F_FULL, F_ROLE, F_PASS, F_PASS2, F_COUNT };

static struct {
    ui_field fields[F_COUNT];
    ui_form form;
} st;

static const ui_action add_actions[] = {
    UI_ACT_SAVE, UI_ACT_CANCEL, UI_ACT_NEXT_FIELD, UI_ACT_PREV_FIELD,
};

static const char *role_label(int i) { return rk_role_label((rk_role)i); }
static const char *role_note(int i)  { return rk_role_description((rk_role)i); }

static void add_leave(ui *u)
{
    (void)u;
    for (int i = 0; i < F_COUNT; i++)
        ui_field_free(&st.fields[i]);
    memset(&st, 0, sizeof st);
}

static void add_enter(ui *u)
{
    rk_err err;
    memset(&st, 0, sizeof st);
    if (ui_field_text(&st.fields[F_NAME], N_("Username"), RK_USERNAME_MAX, &err) ||
        ui_field_text(&st.fields[F_FULL], N_("Full name"), RK_FULLNAME_MAX, &err) ||
        ui_field_secret(&st.fields[F_PASS], N_("Password"), &err) ||
        ui_field_secret(&st.fields[F_PASS2], N_("Password again"), &err)) {
        ui_msg_error(u, "%s", err.msg);
        ui_pop(u);
        return;
    }
    ui_field_choice(&st.fields[F_ROLE], N_("Role"), RK_ROLE_COUNT, role_label, role_note,
                    RK_ROLE_RECEPTION);
    st.form.fields = st.fields;
    st.form.n = F_COUNT;
    st.form.note = N_("Left and Right choose the role. A password has at least 12 characters.");
}

static bool same_text(const ui_field *a, const ui_field *b)
{
    return a->le.len == b->le.len && wmemcmp(a->le.buf, b->le.buf, a->le.len) == 0;
}

static void wipe_passwords(void)
{
    ui_le_clear(&st.fields[F_PASS].le);
    ui_le_clear(&st.fields[F_PASS2].le);
}

static void save(ui *u)
{
    char name[RK_USERNAME_MAX + 1], full[RK_FULLNAME_MAX + 1];
    rk_err err;
    bool ok = true;
    ui_form_clear_errors(&st.form);
    if (!ui_field_get(&st.fields[F_NAME], name, sizeof name) || !rk_username_valid(name)) {
        ui_field_error(&st.fields[F_NAME],
                       _("Use 1-32 lowercase letters, digits, '.', '_' or '-', starting with a letter."));
        ok = false;
    }
    if (!ui_field_get(&st.fields[F_FULL], full, sizeof full) || !full[0] ||
        strspn(full, " ") == strlen(full)) {
        ui_field_error(&st.fields[F_FULL], _("Enter the user's full name."));
        ok = false;
    }
    char *pw = ui_field_secret_dup(&st.fields[F_PASS], &err);
    if (!pw) {
        ui_field_error(&st.fields[F_PASS], err.msg);
        ok = false;
    } else if (rk_password_acceptable(ok ? name : "", pw, &err) != RK_OK) {
        ui_field_error(&st.fields[F_PASS], err.msg);
        ok = false;
    } else if (!same_text(&st.fields[F_PASS], &st.fields[F_PASS2])) {
        ui_field_error(&st.fields[F_PASS2], _("The passwords do not match."));
        ok = false;
    }
    if (ok && rk_user_add(u->session, name, (rk_role)st.fields[F_ROLE].choice, full, pw,
                          &err) != RK_OK) {
        if (err.code == RK_ECONFLICT)
            ui_field_error(&st.fields[F_NAME], err.msg);
        else
            ui_msg_error(u, "%s", err.msg);
        ok = false;
    }
    if (pw)
        rk_password_free(pw);
    wipe_passwords();
    if (!ok) {
        for (size_t i = 0; i < F_COUNT; i++)
            if (st.fields[i].error[0]) {
                /* Both passwords were wiped: retype from the first. */
                st.form.focus = i == F_PASS2 ? F_PASS : i;
                break;
            }
        return;
    }
    ui_msg_info(u, _("User %s added as %s."), name,
                rk_role_label((rk_role)st.fields[F_ROLE].choice));
    ui_pop(u);
}

static void add_action(ui *u, ui_action a)
{
    ui_form_screen_action(u, &st.form, a, save, _("No user added."));
}

static void add_key(ui *u, const ui_key *k)
{
    ui_form_screen_key(u, &st.form, k, save);
}

static void add_draw(ui *u, const ui_rect *r)
{
    ui_put_words(r->y, r->x + 2, r->w - 4,
                 _("A new user gets the role's rights from their first login."), UI_ST_DIM);
    ui_rect fr = { r->y + 1, r->x, r->h - 1, r->w };
    ui_form_draw(&st.form, u, &fr);
}

const screen_ops ui_screen_user_add = {
    .name = "user-add",
    .title = N_("Add user"),
    .actions = add_actions,
    .n_actions = RK_ARRAY_LEN(add_actions),
    .globals = UI_G_HELP | UI_G_LOCK | UI_G_QUIT,
    .text_input = true,
    .enter = add_enter,
    .leave = add_leave,
    .draw = add_draw,
    .action = add_action,
    .key = add_key,
};
