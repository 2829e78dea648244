/* The administrator's home: the users and what can be done to them. No
 * client data here, by design of the admin role. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "listview.h"
#include "screen.h"
#include "sanitize.h"
#include "users.h"

static struct {
    rk_user_info *users;
    size_t n;
    ui_listview lv;
    /* Column widths, measured from the data and the translated labels. */
    int col_user, col_role, col_status, col_failed, col_login;
} st;

static const ui_action users_actions[] = {
    UI_ACT_USER_ADD, UI_ACT_USER_DISABLE, UI_ACT_USER_ENABLE, UI_ACT_USER_UNLOCK,
    UI_ACT_USER_RESET,
};

/* The full name gets what the other columns leave, at least this much
 * (and never less than its heading). */
#define MIN_NAME 8

static void reload(ui *u)
{
    char keep[RK_USERNAME_MAX + 1] = "";
    if (st.users && st.lv.sel < st.n)
        snprintf(keep, sizeof keep, "%s", st.users[st.lv.sel].row.username);
    free(st.users);
    st.users = NULL;
    st.n = 0;
    rk_err err;
    if (rk_user_list(u->session, &st.users, &st.n, &err) != RK_OK) {
        ui_msg_error(u, "%s", err.msg);
        st.users = NULL;
        st.n = 0;
    }
    ui_list_set_count(&st.lv, st.n);
    for (size_t i = 0; i < st.n; i++)
        if (strcmp(st.users[i].row.username, keep) == 0)
            st.lv.sel = i;
}

static void users_enter(ui *u)
{
    memset(&st, 0, sizeof st);
    reload(u);
}

static void users_leave(ui *u)
{
    (void)u;
    free(st.users);
    memset(&st, 0, sizeof st);
}

static const rk_user_info *selected(ui *u)
{
    if (st.n == 0 || st.lv.sel >= st.n) {
        ui_msg_error(u, _("No user is selected."));
        return NULL;
    }
    return &st.users[st.lv.sel];
}

static void do_disable(ui *u, const char *name)
{
    rk_err err;
    if (rk_user_set_active(u->session, name, false, &err) == RK_OK)
        ui_msg_info(u, _("User %s disabled."), name);
    else
        ui_msg_error(u, "%s", err.msg);
}

static void users_action(ui *u, ui_action a)
{
    rk_err err;
    const rk_user_info *x;
    char q[512], full[RK_FULLNAME_MAX * 2];
    if (a == UI_ACT_USER_ADD) {
        ui_push(u, &ui_screen_user_add);
        return;
    }
    if (!(x = selected(u)))
        return;
    const char *name = x->row.username;   /* valid by rk_username_valid: plain */
    switch (a) {
    case UI_ACT_USER_DISABLE:
        if (!x->row.active) {
            ui_msg_info(u, _("User %s is already disabled."), name);
            break;
        }
        rk_sanitize(full, sizeof full, x->row.full_name, 0);
        snprintf(q, sizeof q, _("Disable the user %s (%s)? They can no longer log in."),
                 name, full);
        ui_confirm(u, q, do_disable, name);
        break;
    case UI_ACT_USER_ENABLE:
        if (x->row.active) {
            ui_msg_info(u, _("User %s is already enabled."), name);
        } else if (rk_user_set_active(u->session, name, true, &err) == RK_OK) {
            ui_msg_info(u, _("User %s enabled."), name);
            reload(u);
        } else {
            ui_msg_error(u, "%s", err.msg);
        }
        break;
    case UI_ACT_USER_UNLOCK:
        if (rk_user_unlock(u->session, name, &err) == RK_OK) {
            ui_msg_info(u, _("User %s unlocked: failed logins cleared."), name);
            reload(u);
        } else {
            ui_msg_error(u, "%s", err.msg);
        }
        break;
    case UI_ACT_USER_RESET:
        ui_password_form(u, name, false);
        break;
    default:
        break;
    }
}

static void users_key(ui *u, const ui_key *k)
{
    (void)u;
    ui_list_key(&st.lv, k);
}

static void cell_gap(int *x, int w)
{
    *x += w + 1;
}

static int widest(const char *a, const char *b, const char *c)
{
    int w = ui_text_width(a), wb = ui_text_width(b), wc = ui_text_width(c);
    return w > wb ? (w > wc ? w : wc) : (wb > wc ? wb : wc);
}

static void draw_row(void *ctx, size_t i, int y, int x, int w, bool sel)
{
    (void)ctx;
    const rk_user_info *ux = &st.users[i];
    ui_style s = sel ? UI_ST_SELECTED : UI_ST_NORMAL;
    char buf[RK_FULLNAME_MAX * 2], when[32];
    int fixed = st.col_user + st.col_role + st.col_status + st.col_failed + st.col_login + 5;
    int wname = w - fixed - 1;
    int cx = x + 1;

    rk_sanitize(buf, sizeof buf, ux->row.username, 0);
    ui_put(y, cx, st.col_user, buf, s);
    cell_gap(&cx, st.col_user);
    rk_sanitize(buf, sizeof buf, ux->row.full_name, 0);
    ui_put(y, cx, wname, buf, s);
    cell_gap(&cx, wname);
    rk_role r = rk_role_parse(ux->row.role);
    if (r != RK_ROLE_NONE)
        ui_put(y, cx, st.col_role, rk_role_label(r), s);
    else {
        rk_sanitize(buf, sizeof buf, ux->row.role, 0);
        ui_put(y, cx, st.col_role, buf, s);
    }
    cell_gap(&cx, st.col_role);
    ui_put(y, cx, st.col_status, ux->row.active ? _("active") : _("disabled"),
           ux->row.active ? s : (sel ? s : UI_ST_WARN));
    cell_gap(&cx, st.col_status);
    if (ux->lockout.locked)
        ui_put(y, cx, st.col_failed, _("LOCKED"), sel ? s : UI_ST_WARN);
    else if (ux->lockout.failures > 0) {
        snprintf(buf, sizeof buf, "%d", ux->lockout.failures);
        ui_put(y, cx, st.col_failed, buf, s);
    }
    cell_gap(&cx, st.col_failed);
    rk_format_timestamp(ux->row.last_login, when, sizeof when);
    ui_put(y, cx, st.col_login, when[0] ? when : _("never"), s);
}

static void users_draw(ui *u, const ui_rect *r)
{
    (void)u;
    /* TRANSLATORS: a column heading; short, the usernames are below it. */
    st.col_user = ui_text_width(C_("column", "Username"));
    for (size_t i = 0; i < st.n; i++) {
        int w = (int)strlen(st.users[i].row.username);
        if (w > st.col_user)
            st.col_user = w;
    }
    if (st.col_user > 16)
        st.col_user = 16;
    st.col_role = ui_text_width(_("Role"));
    for (int i = 0; i < RK_ROLE_COUNT; i++) {
        int w = ui_text_width(rk_role_label((rk_role)i));
        if (w > st.col_role)
            st.col_role = w;
    }
    st.col_status = widest(_("Status"), _("active"), _("disabled"));
    st.col_failed = widest(_("Failed"), _("LOCKED"), "999");
    char stamp[RK_DATE_TEXT];
    rk_format_timestamp("2026-12-31T12:00:00Z", stamp, sizeof stamp);
    st.col_login = widest(_("Last login"), _("never"), stamp);

    int w = r->w - 1;
    /* The role's label is cut only when the name would get less than MIN_NAME. */
    int min_name = ui_text_width(_("Full name")) > MIN_NAME ? ui_text_width(_("Full name")) : MIN_NAME;
    int room = w - 1 - (st.col_user + st.col_status + st.col_failed + st.col_login + 5) - min_name;
    if (st.col_role > room)
        st.col_role = room > 1 ? room : 1;
    int fixed = st.col_user + st.col_role + st.col_status + st.col_failed + st.col_login + 5;
    int wname = w - fixed - 1;
    int cx = r->x + 1;
    ui_put(r->y, cx, st.col_user, C_("column", "Username"), UI_ST_HEADING);
    cell_gap(&cx, st.col_user);
    ui_put(r->y, cx, wname, _("Full name"), UI_ST_HEADING);
    cell_gap(&cx, wname);
    ui_put(r->y, cx, st.col_role, _("Role"), UI_ST_HEADING);
    cell_gap(&cx, st.col_role);
    ui_put(r->y, cx, st.col_status, _("Status"), UI_ST_HEADING);
    cell_gap(&cx, st.col_status);
    ui_put(r->y, cx, st.col_failed, _("Failed"), UI_ST_HEADING);
    cell_gap(&cx, st.col_failed);
    ui_put(r->y, cx, st.col_login, _("Last login"), UI_ST_HEADING);
    ui_hline(r->y + 1, r->x, r->w, UI_ST_BORDER);
    ui_glyph_put(r->y + 1, r->x - 1, UI_G_LTEE, UI_ST_BORDER);
    ui_glyph_put(r->y + 1, r->x + r->w, UI_G_RTEE, UI_ST_BORDER);

    ui_rect lr = { r->y + 2, r->x, r->h - 2, r->w };
    ui_list_draw(&st.lv, &lr, draw_row, NULL, true);
}

const screen_ops ui_screen_users = {
    .name = "users",
    .title = N_("Users"),
    .actions = users_actions,
    .n_actions = RK_ARRAY_LEN(users_actions),
    .globals = UI_G_HELP | UI_G_LOCK | UI_G_QUIT,
    .enter = users_enter,
    .resume = reload,
    .leave = users_leave,
    .draw = users_draw,
    .action = users_action,
    .key = users_key,
};
