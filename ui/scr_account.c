/* Home for every role but admin until client search exists: who is logged
 * in, with which role, when they last logged in, and their password. */
#include <stdio.h>
#include <string.h>

#include "sanitize.h"
#include "users.h"
#include "screen.h"

static const ui_action account_actions[] = { UI_ACT_OWN_PASSWD, UI_ACT_LANGUAGE };
/* Opened from the client search, it closes back to it. */
static const ui_action account_over_actions[] = { UI_ACT_OWN_PASSWD, UI_ACT_LANGUAGE,
                                                  UI_ACT_CLOSE };

/* The next language in rk_languages after the user's, saved and spoken at once. */
static void next_language(ui *u)
{
    rk_session *s = u->session;
    size_t i = 0;
    while (i < rk_languages_n && strcmp(rk_languages[i], s->language) != 0)
        i++;
    const char *lang = rk_languages[(i + 1) % rk_languages_n];
    rk_err err;
    if (rk_user_set_language(s, s->user, lang, &err) != RK_OK) {
        ui_msg_error(u, "%s", err.msg);
        return;
    }
    rk_i18n_set_language(lang);
    ui_msg_info(u, _("Language: %s"), rk_language_label(lang));
}

static void account_action(ui *u, ui_action a)
{
    if (a == UI_ACT_OWN_PASSWD)
        ui_password_form(u, u->session->user, true);
    else if (a == UI_ACT_LANGUAGE)
        next_language(u);
    else if (a == UI_ACT_CLOSE && u->depth > 1)
        ui_pop(u);
}

static void row(int y, int x, int lw, int w, const char *label, const char *value,
                ui_style st)
{
    char l[256];
    snprintf(l, sizeof l, "%s:", label);
    ui_put(y, x, lw, l, UI_ST_HEADING);
    ui_put(y, x + lw + 1, w - lw - 1, value, st);
}

static void account_draw(ui *u, const ui_rect *r)
{
    const rk_session *s = u->session;
    char full[RK_FULLNAME_MAX * 2], user[RK_USERNAME_MAX * 4 + 1], when[32];
    char desc[4][UI_WRAP_LINE];
    const char *labels[] = { _("Full name"), _("Username"), _("Role"), _("Previous login"),
                             _("Language") };
    int lw = 0;
    for (size_t i = 0; i < RK_ARRAY_LEN(labels); i++) {
        int w = ui_text_width(labels[i]) + 1;
        if (w > lw)
            lw = w;
    }
    int x = r->x + 3, w = r->w - 6, y = r->y + 1;
    rk_sanitize(full, sizeof full, s->full_name, 0);
    rk_sanitize(user, sizeof user, s->user, 0);
    ui_put(y, x, w, _("My account"), UI_ST_HEADING);
    y += 2;
    row(y++, x, lw, w, labels[0], full, UI_ST_NORMAL);
    row(y++, x, lw, w, labels[1], user, UI_ST_NORMAL);
    row(y++, x, lw, w, labels[2], rk_role_label(s->role), UI_ST_NORMAL);
    size_t n = ui_wrap(rk_role_description(s->role), w - lw - 1, desc, 4);
    for (size_t i = 0; i < n; i++)
        ui_put(y++, x + lw + 1, w - lw - 1, desc[i], UI_ST_DIM);
    rk_format_timestamp(s->previous_login, when, sizeof when);
    row(y++, x, lw, w, labels[3], when[0] ? when : _("none: this is your first login"),
        UI_ST_NORMAL);
    row(y++, x, lw, w, labels[4], rk_language_label(s->language), UI_ST_NORMAL);
    y += 1;
    ui_put_words(y, x, w, u->stack[0] != &ui_screen_account ? _("F2 changes your password.")
                 : _("F2 changes your password. Client search comes in a later version."),
                 UI_ST_DIM);
    ui_put_words(y + 1, x, w, _("F4 changes your language."), UI_ST_DIM);
}

const screen_ops ui_screen_account = {
    .name = "account",
    .title = N_("My account"),
    .actions = account_actions,
    .n_actions = RK_ARRAY_LEN(account_actions),
    .globals = UI_G_HELP | UI_G_LOCK | UI_G_QUIT,
    .draw = account_draw,
    .action = account_action,
};

const screen_ops ui_screen_account_over = {
    .name = "account-over",
    .title = N_("My account"),
    .actions = account_over_actions,
    .n_actions = RK_ARRAY_LEN(account_over_actions),
    .globals = UI_G_HELP | UI_G_LOCK | UI_G_QUIT,
    .draw = account_draw,
    .action = account_action,
};
