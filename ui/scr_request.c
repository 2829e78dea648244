/* Registering a request of the person whose card is open: the kind, how it
 * came, how the identity was checked, and the day it was received (empty =
 * today). The deadline follows from src/requests.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client_format.h"
#include "form.h"
#include "requests.h"

enum { F_KIND, F_CHANNEL, F_VERIFIED, F_RECEIVED, F_COUNT };

static struct {
    int64_t client_id;
    char who[512];
    ui_field fields[F_COUNT];
    ui_form form;
    rk_request *earlier;          /* the person's requests so far */
    size_t nearlier;
} st;

static const ui_action request_actions[] = {
    UI_ACT_SAVE, UI_ACT_CANCEL, UI_ACT_NEXT_FIELD, UI_ACT_PREV_FIELD,
};

static const char *kind_label(int i)
{
    return rk_request_kind_label(rk_request_kind_name((rk_request_kind)i));
}

static const char *channel_label(int i)
{
    return rk_request_channel_label(rk_request_channel_name((rk_request_channel)i));
}

void ui_request_line(const rk_request *q, char *out, size_t n)
{
    char rec[32], due[32];
    rk_date_display(q->received, rec, sizeof rec);
    rk_date_display(q->due, due, sizeof due);
    snprintf(out, n, _("#%lld %s %s, due %s: %s"), (long long)q->id, rec,
             rk_request_kind_label(q->kind), due, rk_request_status_label(q->status));
}

static void request_leave(ui *u)
{
    (void)u;
    for (int i = 0; i < F_COUNT; i++)
        ui_field_free(&st.fields[i]);
    free(st.earlier);
    memset(&st, 0, sizeof st);
}

static void request_enter(ui *u)
{
    rk_err err;
    if (rk_requests_list(u->session, st.client_id, false, &st.earlier, &st.nearlier, &err) != RK_OK) {
        ui_msg_error(u, "%s", err.msg);
        ui_pop(u);
        return;
    }
    if (ui_field_text(&st.fields[F_VERIFIED], N_("Identity verified by"), RK_REQUEST_TEXT_MAX, &err) ||
        ui_field_text(&st.fields[F_RECEIVED], N_("Received (d.m.yyyy)"), 16, &err)) {
        ui_msg_error(u, "%s", err.msg);
        ui_pop(u);
        return;
    }
    ui_field_choice(&st.fields[F_KIND], N_("Request"), RK_REQ_KIND_COUNT, kind_label, NULL, RK_REQ_ACCESS);
    ui_field_choice(&st.fields[F_CHANNEL], N_("Received"), RK_REQCH_COUNT, channel_label, NULL,
                    RK_REQCH_IN_PERSON);
    st.form.fields = st.fields;
    st.form.n = F_COUNT;
    st.form.note = N_("How the identity was checked, not the ID's number; no date = today.");
}

static void save(ui *u)
{
    char verified[RK_REQUEST_TEXT_MAX + 1], received[32];
    ui_form_clear_errors(&st.form);
    if (!ui_field_get(&st.fields[F_VERIFIED], verified, sizeof verified))
        verified[0] = '\0';
    if (!ui_field_get(&st.fields[F_RECEIVED], received, sizeof received))
        received[0] = '\0';
    rk_request_input in = { .client_id = st.client_id,
                            .kind = (rk_request_kind)st.fields[F_KIND].choice,
                            .channel = (rk_request_channel)st.fields[F_CHANNEL].choice,
                            .received = received, .verified_how = verified };
    int64_t id;
    rk_err err;
    if (rk_request_add(u->session, &in, NULL, &id, &err) != RK_OK) {
        int f = err.code != RK_EUSAGE ? -1 : verified[0] ? F_RECEIVED : F_VERIFIED;
        if (f < 0) {
            ui_msg_error(u, "%s", err.msg);
        } else {
            ui_field_error(&st.fields[f], err.msg);
            st.form.focus = (size_t)f;
        }
        return;
    }
    /* The deadline, for the person at the desk to tell. */
    char day[RK_DATE_ISO_SIZE], due[RK_DATE_ISO_SIZE], shown[32] = "";
    rk_date d;
    if (!received[0] || rk_date_parse(received, &d, &err) || rk_date_format_iso(&d, day, &err))
        rk_today(day);
    if (rk_request_due(day, 0, due, &err) == RK_OK)
        rk_date_display(due, shown, sizeof shown);
    ui_msg_info(u, _("Registered request %lld; the answer is due %s."), (long long)id, shown);
    ui_pop(u);
}

static void request_action(ui *u, ui_action a)
{
    ui_form_screen_action(u, &st.form, a, save, _("No request registered."));
}

static void request_key(ui *u, const ui_key *k)
{
    ui_form_screen_key(u, &st.form, k, save);
}

static void request_draw(ui *u, const ui_rect *r)
{
    ui_put(r->y, r->x + 2, r->w - 4, st.who, UI_ST_HEADING);
    /* The person's earlier requests under the form, newest due last. */
    int list_h = st.nearlier ? (int)st.nearlier + 1 : 0;
    if (list_h > r->h / 3)
        list_h = r->h / 3;
    ui_rect fr = { r->y + 1, r->x, r->h - 1 - list_h, r->w };
    ui_form_draw(&st.form, u, &fr);
    int y = r->y + r->h - list_h;
    if (list_h > 0)
        ui_put(y++, r->x + 2, r->w - 4, _("Requests so far:"), UI_ST_DIM);
    for (size_t i = st.nearlier > (size_t)(list_h - 1) ? st.nearlier - (size_t)(list_h - 1) : 0;
         i < st.nearlier && y < r->y + r->h; i++, y++) {
        char line[512];
        ui_request_line(&st.earlier[i], line, sizeof line);
        ui_put(y, r->x + 2, r->w - 4, line, UI_ST_NORMAL);
    }
}

static const screen_ops request_form = {
    .name = "request-new",
    .title = N_("Register a request"),
    .actions = request_actions,
    .n_actions = RK_ARRAY_LEN(request_actions),
    .globals = UI_G_HELP | UI_G_LOCK | UI_G_QUIT,
    .text_input = true,
    .enter = request_enter,
    .leave = request_leave,
    .draw = request_draw,
    .action = request_action,
    .key = request_key,
};

void ui_request_form(ui *u, int64_t client_id, const char *who)
{
    memset(&st, 0, sizeof st);
    st.client_id = client_id;
    snprintf(st.who, sizeof st.who, "%s", who);
    ui_push(u, &request_form);
}
