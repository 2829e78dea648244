/* The dpo's audit log viewer: the newest events first, filtered by user,
 * customer number, action and dates; one event opened with every field;
 * the whole chain verified from here. Reading it is itself audited. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit_view.h"
#include "client_format.h"
#include "clients.h"
#include "form.h"
#include "listview.h"
#include "sanitize.h"

#define AUDIT_VIEW_MAX 1000      /* newest events shown */

static struct {
    rk_audit_filter filter;
    char filter_text[256];       /* what the filter says, for the heading */
    rk_audit_row *rows;          /* chain order; shown newest first */
    int64_t *customer;           /* customer number per row, 0 = none */
    size_t n;
    ui_listview lv;
    rk_audit_row open;           /* the event shown in detail */
} st;

static const ui_action audit_actions[] = {
    UI_ACT_EVENT_OPEN, UI_ACT_AUDIT_VERIFY, UI_ACT_AUDIT_FILTER, UI_ACT_CLOSE,
};

static const rk_audit_row *row_at(size_t i)
{
    return &st.rows[st.n - 1 - i];
}

static void reload(ui *u)
{
    free(st.rows);
    free(st.customer);
    st.rows = NULL;
    st.customer = NULL;
    st.n = 0;
    rk_err err;
    if (rk_audit_search(u->session, &st.filter, AUDIT_VIEW_MAX, &st.rows, &st.n, &err) != RK_OK) {
        ui_msg_error(u, "%s", err.msg);
        st.n = 0;
    } else if (st.n && !(st.customer = calloc(st.n, sizeof *st.customer))) {
        ui_msg_error(u, "%s", _("Out of memory."));
        st.n = 0;
    }
    for (size_t i = 0; i < st.n; i++)
        st.customer[i] = rk_audit_customer_no(u->session, row_at(i)->client_id);
    ui_list_set_count(&st.lv, st.n);
}

static void audit_enter(ui *u)
{
    memset(&st, 0, sizeof st);
    snprintf(st.filter_text, sizeof st.filter_text, "%s", _("all events"));
    reload(u);
}

static void audit_leave(ui *u)
{
    (void)u;
    free(st.rows);
    free(st.customer);
    memset(&st, 0, sizeof st);
}

static void verify(ui *u)
{
    int64_t rows, bad;
    rk_err err;
    int rc = rk_audit_check(u->session, &rows, &bad, &err);
    if (rc == RK_OK)
        ui_msg_info(u, _("The audit chain is intact: %lld rows verified."), (long long)rows);
    else if (bad)
        ui_msg_error(u, _("The audit chain is BROKEN at row %lld: %s"), (long long)bad, err.msg);
    else
        ui_msg_error(u, "%s", err.msg);
    reload(u);
}

static const screen_ops event_screen;
static const screen_ops filter_form;

static void audit_action(ui *u, ui_action a)
{
    switch (a) {
    case UI_ACT_EVENT_OPEN:
        if (st.n == 0) {
            ui_msg_info(u, "%s", _("No events match the filter."));
            break;
        }
        st.open = *row_at(st.lv.sel);
        ui_push(u, &event_screen);
        break;
    case UI_ACT_AUDIT_VERIFY:
        verify(u);
        break;
    case UI_ACT_AUDIT_FILTER:
        ui_push(u, &filter_form);
        break;
    case UI_ACT_CLOSE:
        ui_pop(u);
        break;
    default:
        break;
    }
}

static void audit_key(ui *u, const ui_key *k)
{
    (void)u;
    ui_list_key(&st.lv, k);
}

enum { COL_TIME = 16, COL_USER = 12, COL_CUST = 9 };

static void draw_row(void *ctx, size_t i, int y, int x, int w, bool sel)
{
    (void)ctx;
    const rk_audit_row *r = row_at(i);
    ui_style s = sel ? UI_ST_SELECTED : UI_ST_NORMAL;
    char when[40], cust[24] = "", what[600];
    rk_date_display(r->ts, when, sizeof when);
    if (st.customer[i])
        snprintf(cust, sizeof cust, "%lld", (long long)st.customer[i]);
    rk_sanitize(what, sizeof what, rk_audit_action_description(r->action), 0);
    int cx = x + 1;
    ui_put_cell(y, x, w, "", s);
    ui_put(y, cx, COL_TIME, when, s);
    cx += COL_TIME + 1;
    ui_put(y, cx, COL_USER, r->user, s);
    cx += COL_USER + 1;
    ui_put(y, cx, COL_CUST, cust, s);
    cx += COL_CUST + 1;
    if (cx < x + w)
        ui_put(y, cx, x + w - cx, what, s);
}

static void audit_draw(ui *u, const ui_rect *r)
{
    (void)u;
    char head[400];
    snprintf(head, sizeof head, _("%zu events, newest first: %s"), st.n,
             st.filter_text);
    ui_put(r->y, r->x + 2, r->w - 4, head, UI_ST_HEADING);
    snprintf(head, sizeof head, " %-*s %-*s %-*s %s", COL_TIME, _("Time"), COL_USER, _("User"),
             COL_CUST, _("Customer"), _("Event"));
    ui_put(r->y + 1, r->x + 1, r->w - 2, head, UI_ST_DIM);
    ui_rect lr = { r->y + 2, r->x, r->h - 2, r->w };
    if (st.n == 0)
        ui_put(lr.y, lr.x + 2, lr.w - 4, _("No events match the filter."), UI_ST_DIM);
    else
        ui_list_draw(&st.lv, &lr, draw_row, NULL, true);
}

const screen_ops ui_screen_audit = {
    .name = "audit-log",
    .title = N_("Audit log"),
    .actions = audit_actions,
    .n_actions = RK_ARRAY_LEN(audit_actions),
    .globals = UI_G_HELP | UI_G_LOCK | UI_G_QUIT,
    .enter = audit_enter,
    .leave = audit_leave,
    .draw = audit_draw,
    .action = audit_action,
    .key = audit_key,
};

/* ---- one event ---------------------------------------------------------- */

static const ui_action event_actions[] = { UI_ACT_CLOSE };

static void hex(const unsigned char *b, char *out)
{
    for (int i = 0; i < RK_AUDIT_HASH_BYTES; i++)
        sprintf(out + 2 * i, "%02x", b[i]);
}

static void event_draw(ui *u, const ui_rect *r)
{
    (void)u;
    const rk_audit_row *e = &st.open;
    char when[40], buf[700], h[2 * RK_AUDIT_HASH_BYTES + 1], clean[600];
    rk_date_display(e->ts, when, sizeof when);
    int y = r->y;
    struct { const char *label; char value[700]; } lines[9];
    size_t n = 0;
#define LINE(l, ...) do { lines[n].label = (l); snprintf(lines[n].value, sizeof lines[n].value, __VA_ARGS__); n++; } while (0)
    LINE(_("Sequence"), "%lld", (long long)e->seq);
    LINE(_("Time"), "%s (%s)", when, e->ts);
    LINE(_("User"), "%s", e->user);
    rk_sanitize(clean, sizeof clean, rk_audit_action_description(e->action), 0);
    LINE(_("Event"), "%s (%s)", clean, e->action);
    int64_t no = rk_audit_customer_no(u->session, e->client_id);
    if (no)
        LINE(_("Customer"), "%lld", (long long)no);
    else
        LINE(_("Customer"), "-");
    rk_sanitize(clean, sizeof clean, e->details, 0);
    LINE(_("Details"), "%s", clean[0] ? clean : "-");
    rk_sanitize(clean, sizeof clean, e->terminal, 0);
    LINE(_("Terminal"), "%s", clean);
    hex(e->prev_hash, h);
    LINE(_("Previous hash"), "%s", h);
    hex(e->hash, h);
    LINE(_("Hash"), "%s", h);
#undef LINE
    for (size_t i = 0; i < n && y < r->y + r->h; i++, y++) {
        snprintf(buf, sizeof buf, "%-14s %s", lines[i].label, lines[i].value);
        ui_put(y, r->x + 2, r->w - 4, buf, i == 0 ? UI_ST_HEADING : UI_ST_NORMAL);
    }
}

static void event_action(ui *u, ui_action a)
{
    if (a == UI_ACT_CLOSE)
        ui_pop(u);
}

static const screen_ops event_screen = {
    .name = "audit-event",
    .title = N_("Audit event"),
    .actions = event_actions,
    .n_actions = RK_ARRAY_LEN(event_actions),
    .globals = UI_G_HELP | UI_G_LOCK | UI_G_QUIT,
    .draw = event_draw,
    .action = event_action,
};

/* ---- the filter ---------------------------------------------------------- */

enum { F_USER, F_CUSTOMER, F_ACTION, F_FROM, F_TO, F_COUNT };

static struct {
    ui_field fields[F_COUNT];
    ui_form form;
} fl;

static const ui_action filter_actions[] = {
    UI_ACT_SAVE, UI_ACT_CANCEL, UI_ACT_NEXT_FIELD, UI_ACT_PREV_FIELD,
};

/* Choice 0 is any action; then the actions of src/audit.h in order. */
static const char *action_label(int i)
{
    return i == 0 ? _("any") : rk_audit_action_description(rk_audit_action_name((rk_audit_action)(i - 1)));
}

static void filter_enter(ui *u)
{
    rk_err err;
    memset(&fl, 0, sizeof fl);
    if (ui_field_text(&fl.fields[F_USER], N_("User"), RK_USERNAME_MAX, &err) ||
        ui_field_text(&fl.fields[F_CUSTOMER], N_("Customer no. or ID code"), 20, &err) ||
        ui_field_text(&fl.fields[F_FROM], N_("From (d.m.yyyy)"), 16, &err) ||
        ui_field_text(&fl.fields[F_TO], N_("To (d.m.yyyy)"), 16, &err)) {
        ui_msg_error(u, "%s", err.msg);
        ui_pop(u);
        return;
    }
    ui_field_choice(&fl.fields[F_ACTION], N_("Event"), RK_AUDIT_ACTION_COUNT + 1, action_label, NULL, 0);
    fl.form.fields = fl.fields;
    fl.form.n = F_COUNT;
    fl.form.note = N_("Empty fields match everything. Left and Right choose the event.");
}

static void filter_leave(ui *u)
{
    (void)u;
    for (int i = 0; i < F_COUNT; i++)
        ui_field_free(&fl.fields[i]);
    memset(&fl, 0, sizeof fl);
}

/* A d.m.yyyy field into yyyy-mm-dd; false with the field's error set. */
static bool date_field(int f, char out[11])
{
    char text[32];
    out[0] = '\0';
    if (!ui_field_get(&fl.fields[f], text, sizeof text) || !text[0])
        return true;
    rk_date d;
    rk_err err;
    char iso[RK_DATE_ISO_SIZE];
    if (rk_date_parse(text, &d, &err) || rk_date_format_iso(&d, iso, &err)) {
        ui_field_error(&fl.fields[f], err.msg);
        return false;
    }
    snprintf(out, 11, "%s", iso);
    return true;
}

static void filter_save(ui *u)
{
    rk_audit_filter f = { 0 };
    char cust[32];
    rk_err err;
    ui_form_clear_errors(&fl.form);
    if (!ui_field_get(&fl.fields[F_USER], f.user, sizeof f.user))
        f.user[0] = '\0';
    if (ui_field_get(&fl.fields[F_CUSTOMER], cust, sizeof cust) && cust[0] &&
        rk_clients_lookup(u->session, cust, &f.client_id, &err) != RK_OK) {
        ui_field_error(&fl.fields[F_CUSTOMER], err.msg);
        fl.form.focus = F_CUSTOMER;
        return;
    }
    if (fl.fields[F_ACTION].choice > 0)
        snprintf(f.action, sizeof f.action, "%s",
                 rk_audit_action_name((rk_audit_action)(fl.fields[F_ACTION].choice - 1)));
    if (!date_field(F_FROM, f.from) || !date_field(F_TO, f.to))
        return;
    st.filter = f;
    /* The heading says what is filtered: "user tiina, customer 100001, ...". */
    char *t = st.filter_text;
    size_t tn = sizeof st.filter_text;
    t[0] = '\0';
#define ADD(fmt, v) snprintf(t + strlen(t), tn - strlen(t), "%s" fmt, t[0] ? ", " : "", v)
    if (f.user[0])
        ADD("%s", f.user);
    if (f.client_id)
        ADD("%s", cust);
    if (f.action[0])
        ADD("%s", f.action);
    if (f.from[0])
        ADD(">= %s", f.from);
    if (f.to[0])
        ADD("<= %s", f.to);
#undef ADD
    if (!t[0])
        snprintf(t, tn, "%s", _("all events"));
    ui_pop(u);
    st.lv.sel = 0;
    reload(u);
}

static void filter_action(ui *u, ui_action a)
{
    ui_form_screen_action(u, &fl.form, a, filter_save, NULL);
}

static void filter_key(ui *u, const ui_key *k)
{
    ui_form_screen_key(u, &fl.form, k, filter_save);
}

static void filter_draw(ui *u, const ui_rect *r)
{
    ui_form_draw(&fl.form, u, r);
}

static const screen_ops filter_form = {
    .name = "audit-filter",
    .title = N_("Filter the audit log"),
    .actions = filter_actions,
    .n_actions = RK_ARRAY_LEN(filter_actions),
    .globals = UI_G_HELP | UI_G_LOCK | UI_G_QUIT,
    .text_input = true,
    .enter = filter_enter,
    .leave = filter_leave,
    .draw = filter_draw,
    .action = filter_action,
    .key = filter_key,
};
