/* Erasing a client from its card (dpo): the customer number typed again,
 * then src/rights.h's erasure; the card closes, as it no longer exists. */
#include <stdio.h>
#include <string.h>

#include "client_format.h"
#include "form.h"
#include "rights.h"

static struct {
    int64_t client_id;
    char customer_no[24];
    char who[512];
    ui_field field;
    ui_form form;
} st;

static const ui_action erase_actions[] = { UI_ACT_SAVE, UI_ACT_CANCEL };

static void erase_leave(ui *u)
{
    (void)u;
    ui_field_free(&st.field);
    memset(&st, 0, sizeof st);
}

static void erase_enter(ui *u)
{
    rk_err err;
    if (ui_field_text(&st.field, N_("Customer number again"), 20, &err)) {
        ui_msg_error(u, "%s", err.msg);
        ui_pop(u);
        return;
    }
    st.form.fields = &st.field;
    st.form.n = 1;
    st.form.note = N_("Cannot be undone. Billing data stays until its legal hold ends.");
}

static void erase_save(ui *u)
{
    char typed[32];
    ui_form_clear_errors(&st.form);
    if (!ui_field_get(&st.field, typed, sizeof typed))
        typed[0] = '\0';
    rk_erase_result res;
    rk_err err;
    if (rk_client_erase(u->session, st.client_id, typed, 0, NULL, &res, &err) != RK_OK) {
        ui_field_error(&st.field, err.msg);
        return;
    }
    char until[32] = "";
    if (res.held)
        rk_date_display(res.hold_until, until, sizeof until);
    char no[24];
    snprintf(no, sizeof no, "%s", st.customer_no);
    ui_pop(u);          /* this form */
    ui_pop(u);          /* the card of a client that is no more */
    if (res.held)
        ui_msg_info(u, _("Customer %s erased; billing data kept until %s."), no, until);
    else
        ui_msg_info(u, _("Customer %s erased."), no);
}

static void erase_action(ui *u, ui_action a)
{
    ui_form_screen_action(u, &st.form, a, erase_save, _("Nothing was erased."));
}

static void erase_key(ui *u, const ui_key *k)
{
    ui_form_screen_key(u, &st.form, k, erase_save);
}

static void erase_draw(ui *u, const ui_rect *r)
{
    ui_put(r->y, r->x + 2, r->w - 4, st.who, UI_ST_WARN);
    ui_rect fr = { r->y + 1, r->x, r->h - 1, r->w };
    ui_form_draw(&st.form, u, &fr);
}

static const screen_ops erase_form = {
    .name = "client-erase",
    .title = N_("Erase a client"),
    .actions = erase_actions,
    .n_actions = RK_ARRAY_LEN(erase_actions),
    .globals = UI_G_HELP | UI_G_LOCK | UI_G_QUIT,
    .text_input = true,
    .enter = erase_enter,
    .leave = erase_leave,
    .draw = erase_draw,
    .action = erase_action,
    .key = erase_key,
};

void ui_erase_form(ui *u, int64_t client_id, const char *customer_no, const char *who)
{
    memset(&st, 0, sizeof st);
    st.client_id = client_id;
    snprintf(st.customer_no, sizeof st.customer_no, "%s", customer_no ? customer_no : "");
    snprintf(st.who, sizeof st.who, "%s", who);
    ui_push(u, &erase_form);
}
