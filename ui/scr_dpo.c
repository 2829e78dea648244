/* The data protection officer's desk: the open requests by due date with
 * the overdue ones marked, the report a request calls for written to files,
 * and closing a request with its decision. Reports go to
 * $REKISTERI_REPORT_DIR, else the home directory, as 0600 files. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client_format.h"
#include "form.h"
#include "listview.h"
#include "reports.h"
#include "requests.h"
#include "rights.h"
#include "sanitize.h"

static struct {
    rk_request *reqs;
    size_t n;
    ui_listview lv;
    char today[RK_DATE_ISO_SIZE];
} st;

static const ui_action desk_actions[] = {
    UI_ACT_REQUEST_REPORT, UI_ACT_REQUEST_DECIDE, UI_ACT_CLIENT_OPEN, UI_ACT_AUDIT_LOG, UI_ACT_RETENTION,
    UI_ACT_CLOSE,
};

static void reload(ui *u)
{
    int64_t keep = st.n && st.lv.sel < st.n ? st.reqs[st.lv.sel].id : 0;
    free(st.reqs);
    st.reqs = NULL;
    st.n = 0;
    rk_today(st.today);
    rk_err err;
    if (rk_requests_list(u->session, 0, true, &st.reqs, &st.n, &err) != RK_OK)
        ui_msg_error(u, "%s", err.msg);
    ui_list_set_count(&st.lv, st.n);
    for (size_t i = 0; i < st.n; i++)
        if (st.reqs[i].id == keep)
            st.lv.sel = i;
}

static void desk_enter(ui *u)
{
    memset(&st, 0, sizeof st);
    reload(u);
}

static void desk_leave(ui *u)
{
    (void)u;
    free(st.reqs);
    memset(&st, 0, sizeof st);
}

static const rk_request *selected(ui *u)
{
    if (st.n == 0 || st.lv.sel >= st.n) {
        ui_msg_info(u, "%s", _("No open requests."));
        return NULL;
    }
    return &st.reqs[st.lv.sel];
}

static void write_report(ui *u, const rk_request *r)
{
    const char *dir = getenv("REKISTERI_REPORT_DIR");
    if (!dir || !*dir)
        dir = getenv("HOME");
    if (!dir || !*dir)
        dir = ".";
    char written[2200];
    rk_err err;
    if (rk_report_for_request(u->session, r->id, dir, written, sizeof written, &err) != RK_OK)
        ui_msg_error(u, "%s", err.msg);
    else
        ui_msg_info(u, _("Wrote %s"), written);
}

static void open_decide(ui *u, int64_t id);
static const screen_ops retention_screen;

static void desk_action(ui *u, ui_action a)
{
    const rk_request *r;
    switch (a) {
    case UI_ACT_REQUEST_REPORT:
        if ((r = selected(u)))
            write_report(u, r);
        break;
    case UI_ACT_REQUEST_DECIDE:
        if ((r = selected(u)))
            open_decide(u, r->id);
        break;
    case UI_ACT_CLIENT_OPEN:
        if ((r = selected(u)))
            ui_card_open(u, r->client_id);
        break;
    case UI_ACT_AUDIT_LOG:
        ui_push(u, &ui_screen_audit);
        break;
    case UI_ACT_RETENTION:
        ui_push(u, &retention_screen);
        break;
    case UI_ACT_CLOSE:
        ui_pop(u);
        break;
    default:
        break;
    }
}

static void desk_key(ui *u, const ui_key *k)
{
    (void)u;
    ui_list_key(&st.lv, k);
}

enum { COL_MARK = 2, COL_DATE = 11, COL_NO = 7, COL_CUST = 9 };

static void draw_row(void *ctx, size_t i, int y, int x, int w, bool sel)
{
    (void)ctx;
    const rk_request *r = &st.reqs[i];
    bool late = rk_request_overdue(r, st.today);
    ui_style s = sel ? UI_ST_SELECTED : late ? UI_ST_WARN : UI_ST_NORMAL;
    char due[32], rec[32], num[32];
    rk_date_display(r->due, due, sizeof due);
    rk_date_display(r->received, rec, sizeof rec);
    int cx = x + 1;
    ui_put_cell(y, x, w, "", s);
    ui_put(y, cx, COL_MARK, late ? "!" : " ", s);
    cx += COL_MARK;
    ui_put(y, cx, COL_DATE, due, s);
    cx += COL_DATE + 1;
    snprintf(num, sizeof num, "#%lld", (long long)r->id);
    ui_put(y, cx, COL_NO, num, s);
    cx += COL_NO + 1;
    snprintf(num, sizeof num, "%lld", (long long)r->customer_no);
    ui_put(y, cx, COL_CUST, num, s);
    cx += COL_CUST + 1;
    ui_put(y, cx, COL_DATE, rec, s);
    cx += COL_DATE + 1;
    if (cx < x + w)
        ui_put(y, cx, x + w - cx, rk_request_kind_label(r->kind), s);
}

static void desk_draw(ui *u, const ui_rect *r)
{
    (void)u;
    char head[256];
    size_t late = 0;
    for (size_t i = 0; i < st.n; i++)
        late += rk_request_overdue(&st.reqs[i], st.today);
    snprintf(head, sizeof head, _("%zu open requests by due date, %zu overdue (!)"), st.n, late);
    ui_put(r->y, r->x + 2, r->w - 4, head, late ? UI_ST_WARN : UI_ST_HEADING);
    snprintf(head, sizeof head, "   %-*s %-*s %-*s %-*s %s", COL_DATE, _("Due"), COL_NO, _("No."),
             COL_CUST, _("Customer"), COL_DATE, _("Received"), _("Request"));
    ui_put(r->y + 1, r->x + 1, r->w - 2, head, UI_ST_DIM);
    ui_rect lr = { r->y + 2, r->x, r->h - 3, r->w };
    if (st.n == 0)
        ui_put(lr.y, lr.x + 2, lr.w - 4, _("No open requests."), UI_ST_DIM);
    else
        ui_list_draw(&st.lv, &lr, draw_row, NULL, true);
    /* The desk's other views, whose keys the bar has no room for. */
    char audit[64], retention[64];
    ui_action_keys_label(UI_ACT_AUDIT_LOG, audit, sizeof audit);
    ui_action_keys_label(UI_ACT_RETENTION, retention, sizeof retention);
    snprintf(head, sizeof head, _("%s: audit log.  %s: retention review."), audit, retention);
    ui_put(r->y + r->h - 1, r->x + 2, r->w - 4, head, UI_ST_DIM);
}

const screen_ops ui_screen_dpo = {
    .name = "dpo-desk",
    .title = N_("Requests desk"),
    .actions = desk_actions,
    .n_actions = RK_ARRAY_LEN(desk_actions),
    .globals = UI_G_HELP | UI_G_LOCK | UI_G_QUIT,
    .enter = desk_enter,
    .resume = reload,
    .leave = desk_leave,
    .draw = desk_draw,
    .action = desk_action,
    .key = desk_key,
};

/* ---- closing a request ------------------------------------------------- */

enum { D_STATUS, D_DECISION, D_COUNT };

static struct {
    int64_t id;
    ui_field fields[D_COUNT];
    ui_form form;
} dc;

static const ui_action decide_actions[] = {
    UI_ACT_SAVE, UI_ACT_CANCEL, UI_ACT_NEXT_FIELD, UI_ACT_PREV_FIELD,
};

/* The choices are the closing statuses: every status after OPEN. */
static const char *status_label(int i)
{
    return rk_request_status_label(rk_request_status_name((rk_request_status)(i + 1)));
}

static void decide_enter(ui *u)
{
    rk_err err;
    if (ui_field_text(&dc.fields[D_DECISION], N_("Decision and reasons"), RK_REQUEST_TEXT_MAX, &err)) {
        ui_msg_error(u, "%s", err.msg);
        ui_pop(u);
        return;
    }
    ui_field_choice(&dc.fields[D_STATUS], N_("Outcome"), RK_REQST_COUNT - 1, status_label, NULL, 0);
    dc.form.fields = dc.fields;
    dc.form.n = D_COUNT;
    dc.form.note = N_("A refusal states its reasons and the right to complain to the Ombudsman.");
}

static void decide_leave(ui *u)
{
    (void)u;
    for (int i = 0; i < D_COUNT; i++)
        ui_field_free(&dc.fields[i]);
    memset(&dc, 0, sizeof dc);
}

static void decide_save(ui *u)
{
    char text[RK_REQUEST_TEXT_MAX + 1];
    ui_form_clear_errors(&dc.form);
    if (!ui_field_get(&dc.fields[D_DECISION], text, sizeof text))
        text[0] = '\0';
    rk_request_status status = (rk_request_status)(dc.fields[D_STATUS].choice + 1);
    rk_err err;
    if (rk_request_close(u->session, dc.id, status, text, NULL, &err) != RK_OK) {
        ui_field_error(&dc.fields[D_DECISION], err.msg);
        dc.form.focus = D_DECISION;
        return;
    }
    ui_msg_info(u, _("Request %lld closed: %s."), (long long)dc.id,
                rk_request_status_label(rk_request_status_name(status)));
    ui_pop(u);
}

static void decide_action(ui *u, ui_action a)
{
    ui_form_screen_action(u, &dc.form, a, decide_save, NULL);
}

static void decide_key(ui *u, const ui_key *k)
{
    ui_form_screen_key(u, &dc.form, k, decide_save);
}

static void decide_draw(ui *u, const ui_rect *r)
{
    char head[128];
    snprintf(head, sizeof head, _("Closing request #%lld"), (long long)dc.id);
    ui_put(r->y, r->x + 2, r->w - 4, head, UI_ST_HEADING);
    ui_rect fr = { r->y + 1, r->x, r->h - 1, r->w };
    ui_form_draw(&dc.form, u, &fr);
}

static const screen_ops decide_form = {
    .name = "request-decide",
    .title = N_("Close a request"),
    .actions = decide_actions,
    .n_actions = RK_ARRAY_LEN(decide_actions),
    .globals = UI_G_HELP | UI_G_LOCK | UI_G_QUIT,
    .text_input = true,
    .enter = decide_enter,
    .leave = decide_leave,
    .draw = decide_draw,
    .action = decide_action,
    .key = decide_key,
};

static void open_decide(ui *u, int64_t id)
{
    memset(&dc, 0, sizeof dc);
    dc.id = id;
    ui_push(u, &decide_form);
}

/* ---- the retention review ------------------------------------------------ */

static struct {
    rk_retention_item *items;
    size_t n;
    ui_listview lv;
} rv;

static const ui_action retention_actions[] = { UI_ACT_RETENTION_APPLY, UI_ACT_CLOSE };

static void retention_reload(ui *u)
{
    free(rv.items);
    rv.items = NULL;
    rv.n = 0;
    rk_err err;
    if (rk_retention_review(u->session, NULL, &rv.items, &rv.n, &err) != RK_OK)
        ui_msg_error(u, "%s", err.msg);
    ui_list_set_count(&rv.lv, rv.n);
}

static void retention_enter(ui *u)
{
    memset(&rv, 0, sizeof rv);
    retention_reload(u);
}

static void retention_leave(ui *u)
{
    (void)u;
    free(rv.items);
    memset(&rv, 0, sizeof rv);
}

static void do_apply(ui *u, const char *arg)
{
    (void)arg;
    size_t counts[RK_RET_COUNT];
    rk_err err;
    if (rk_retention_apply(u->session, NULL, counts, &err) != RK_OK) {
        ui_msg_error(u, "%s", err.msg);
        return;
    }
    ui_msg_info(u, _("Applied: %zu clients erased, %zu call notes deleted, %zu legal holds ended."),
                counts[RK_RET_NO_CONTACT], counts[RK_RET_CALL_NOTE], counts[RK_RET_HOLD_ENDED]);
}

static void retention_action(ui *u, ui_action a)
{
    if (a == UI_ACT_CLOSE) {
        ui_pop(u);
    } else if (a == UI_ACT_RETENTION_APPLY) {
        if (rv.n == 0) {
            ui_msg_info(u, "%s", _("Nothing is due."));
            return;
        }
        char q[256];
        snprintf(q, sizeof q, _("Erase and delete the %zu items listed? This cannot be undone."), rv.n);
        ui_confirm(u, q, do_apply, NULL);
    }
}

static void retention_key(ui *u, const ui_key *k)
{
    (void)u;
    ui_list_key(&rv.lv, k);
}

static void retention_row(void *ctx, size_t i, int y, int x, int w, bool sel)
{
    (void)ctx;
    const rk_retention_item *it = &rv.items[i];
    ui_style s = sel ? UI_ST_SELECTED : UI_ST_NORMAL;
    char line[400], date[40];
    rk_date_display(it->date, date, sizeof date);
    snprintf(line, sizeof line, "%-9lld %-16s %s", (long long)it->customer_no, date,
             rk_retention_kind_label(it->kind));
    ui_put_cell(y, x, w, "", s);
    ui_put(y, x + 1, w - 2, line, s);
}

static void retention_draw(ui *u, const ui_rect *r)
{
    (void)u;
    char head[200];
    snprintf(head, sizeof head, _("%zu items due under the retention rules"), rv.n);
    ui_put(r->y, r->x + 2, r->w - 4, head, UI_ST_HEADING);
    snprintf(head, sizeof head, " %-9s %-16s %s", _("Customer"), _("Date"), _("Why"));
    ui_put(r->y + 1, r->x + 1, r->w - 2, head, UI_ST_DIM);
    ui_rect lr = { r->y + 2, r->x, r->h - 2, r->w };
    if (rv.n == 0)
        ui_put(lr.y, lr.x + 2, lr.w - 4, _("Nothing is due."), UI_ST_DIM);
    else
        ui_list_draw(&rv.lv, &lr, retention_row, NULL, true);
}

static const screen_ops retention_screen = {
    .name = "retention",
    .title = N_("Retention review"),
    .actions = retention_actions,
    .n_actions = RK_ARRAY_LEN(retention_actions),
    .globals = UI_G_HELP | UI_G_LOCK | UI_G_QUIT,
    .enter = retention_enter,
    .resume = retention_reload,
    .leave = retention_leave,
    .draw = retention_draw,
    .action = retention_action,
    .key = retention_key,
};
