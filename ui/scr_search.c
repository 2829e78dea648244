/* The front desk's home: one search field, results narrowing on every
 * keystroke. Keystroke searches are not audited one by one; the search is
 * audited once when the user opens a card from it, clears it or leaves it,
 * so the log says what was looked for without an event per letter. */
#include <stdio.h>
#include <string.h>

#include "clients.h"
#include "form.h"
#include "listview.h"
#include "sanitize.h"
#include "screen.h"

#define SHOW_MAX 50            /* rows shown; one more is asked to know there are more */
#define QUERY_MAX 200          /* bytes */

static struct {
    ui_field q;
    rk_search_hit hits[SHOW_MAX + 1];
    size_t n;
    bool more;                 /* the limit was reached */
    bool ran;                  /* a query with text has been run */
    bool unaudited;            /* the user searched since the last audit event */
    char error[512];
    ui_listview lv;
    int w_hetu, w_birth, w_cno, w_post, w_name;
} st;

static const ui_action search_actions[] = {
    UI_ACT_CLIENT_NEW, UI_ACT_CLIENT_OPEN, UI_ACT_SEARCH_CLEAR, UI_ACT_ACCOUNT, UI_ACT_DESK,
};

static void audit(ui *u)
{
    rk_err err;
    if (!st.unaudited || !u->session)
        return;
    st.unaudited = false;
    if (rk_clients_search_audit(u->session, st.n, &err) != RK_OK)
        ui_msg_error(u, "%s", err.msg);
}

/* Runs the query in the field. `typed`: the user changed it (an audit is
 * then owed); otherwise it is a refresh after a card was closed. */
static void run(ui *u, bool typed)
{
    char q[QUERY_MAX + 1];
    rk_err err;
    int64_t keep = st.n && st.lv.sel < st.n ? st.hits[st.lv.sel].id : 0;
    st.error[0] = '\0';
    if (!ui_field_get(&st.q, q, sizeof q))
        q[0] = '\0';
    st.n = 0;
    st.more = false;
    st.ran = q[strspn(q, " ")] != '\0';
    if (st.ran) {
        size_t n = 0;
        if (rk_clients_search(u->session, q, st.hits, SHOW_MAX + 1, &n, false, &err) != RK_OK) {
            rk_sanitize(st.error, sizeof st.error, err.msg, 0);
            n = 0;
        }
        st.more = n > SHOW_MAX;
        st.n = st.more ? SHOW_MAX : n;
        if (typed)
            st.unaudited = true;
    }
    if (typed)
        st.lv.sel = st.lv.top = 0;
    for (size_t i = 0; keep && i < st.n; i++)
        if (st.hits[i].id == keep)
            st.lv.sel = i;
    ui_list_set_count(&st.lv, st.n);
}

static void search_enter(ui *u)
{
    rk_err err;
    memset(&st, 0, sizeof st);
    if (ui_field_text(&st.q, N_("Search"), QUERY_MAX, &err) != RK_OK)
        ui_msg_error(u, "%s", err.msg);
}

static void search_resume(ui *u)
{
    if (st.ran)
        run(u, false);   /* the card may have changed a name */
}

static void search_leave(ui *u)
{
    audit(u);
    ui_field_free(&st.q);
    memset(&st, 0, sizeof st);
}

static void clear_search(ui *u)
{
    audit(u);
    ui_le_clear(&st.q.le);
    st.n = 0;
    st.more = st.ran = false;
    st.error[0] = '\0';
    ui_list_set_count(&st.lv, 0);
}

static void search_action(ui *u, ui_action a)
{
    switch (a) {
    case UI_ACT_CLIENT_OPEN:
        if (st.n == 0) {
            ui_msg_info(u, st.ran ? _("No client to open: change the search.")
                                  : _("Type a name, identity code, customer number, phone number or e-mail."));
            break;
        }
        audit(u);
        ui_card_open(u, st.hits[st.lv.sel].id);
        break;
    case UI_ACT_CLIENT_NEW:
        audit(u);
        ui_card_new(u);
        break;
    case UI_ACT_SEARCH_CLEAR:
        clear_search(u);
        break;
    case UI_ACT_ACCOUNT:
        audit(u);
        ui_push(u, &ui_screen_account_over);
        break;
    case UI_ACT_DESK:
        if (u->session->role != RK_ROLE_DPO) {
            char k[64];
            ui_action_keys_label(UI_ACT_REQUEST_NEW, k, sizeof k);
            ui_msg_error(u, _("The requests desk is the data protection officer's; register a request on the client's card (%s)."), k);
            break;
        }
        audit(u);
        ui_push(u, &ui_screen_dpo);
        break;
    default:
        break;
    }
}

static void search_key(ui *u, const ui_key *k)
{
    /* Up/Down/PgUp/PgDn move in the results; every other key edits. */
    if (k->fn && (k->ch == KEY_UP || k->ch == KEY_DOWN || k->ch == KEY_PPAGE ||
                  k->ch == KEY_NPAGE)) {
        ui_list_key(&st.lv, k);
        return;
    }
    char before[QUERY_MAX + 1], after[QUERY_MAX + 1];
    if (!ui_field_get(&st.q, before, sizeof before))
        before[0] = '\0';
    if (!ui_input_key(&st.q.le, k))
        return;
    if (!ui_field_get(&st.q, after, sizeof after))
        after[0] = '\0';
    if (strcmp(before, after) != 0)
        run(u, true);
}

static int max_int(int a, int b) { return a > b ? a : b; }

static void layout(int w)
{
    st.w_hetu = max_int(RK_HETU_LEN, ui_text_width(_("ID code")));
    st.w_birth = max_int(10, ui_text_width(_("Born")));
    st.w_cno = ui_text_width(_("Cust. no"));
    for (size_t i = 0; i < st.n; i++)
        st.w_cno = max_int(st.w_cno, (int)strlen(st.hits[i].customer_no));
    st.w_post = max_int(14, ui_text_width(_("Post office")));
    /* marker, then five columns with a gap after each but the last */
    int fixed = 2 + st.w_hetu + 1 + st.w_birth + 1 + st.w_cno + 1;
    st.w_name = w - fixed - st.w_post - 1;
    /* Wider terminals: the name and the post office share the room, up to
     * widths that still read as one row; the rest stays blank at the right. */
    if (st.w_name > 40) {
        int extra = st.w_name - 40;
        int post = extra / 2 < 16 ? extra / 2 : 16;
        st.w_post += post;
        st.w_name -= post;
    }
    if (st.w_name > 56)
        st.w_name = 56;
}

static void draw_row(void *ctx, size_t i, int y, int x, int w, bool sel)
{
    (void)ctx;
    (void)w;
    const rk_search_hit *h = &st.hits[i];
    ui_style s = sel ? UI_ST_SELECTED : UI_ST_NORMAL;
    char buf[512];
    int cx = x + 1;
    if (h->restricted)
        ui_put(y, x, 1, "!", sel ? s : UI_ST_WARN);
    rk_sanitize(buf, sizeof buf, h->name, 0);
    ui_put(y, cx, st.w_name, buf, s);
    cx += st.w_name + 1;
    rk_sanitize(buf, sizeof buf, h->hetu, 0);
    ui_put(y, cx, st.w_hetu, buf, s);
    cx += st.w_hetu + 1;
    rk_format_iso_date(h->birth_date, buf, sizeof buf);
    ui_put(y, cx, st.w_birth, buf, s);
    cx += st.w_birth + 1;
    rk_sanitize(buf, sizeof buf, h->customer_no, 0);
    ui_put(y, cx, st.w_cno, buf, s);
    cx += st.w_cno + 1;
    rk_sanitize(buf, sizeof buf, h->post_office, 0);
    ui_put(y, cx, st.w_post, buf, s);
}

static void draw_status(const ui_rect *r, int y)
{
    char buf[128];
    if (st.error[0])
        ui_put_words(y, r->x + 2, r->w - 4, st.error, UI_ST_WARN);
    else if (!st.ran)
        ui_put_words(y, r->x + 2, r->w - 4,
                     _("Type a name, identity code, customer number, phone number or e-mail."),
                     UI_ST_DIM);
    else if (st.more) {
        snprintf(buf, sizeof buf, _("%d+ hits — type more"), SHOW_MAX);
        ui_put(y, r->x + 2, r->w - 4, buf, UI_ST_WARN);
    } else if (st.n == 0)
        ui_put_words(y, r->x + 2, r->w - 4, _("No client matches."), UI_ST_DIM);
    else {
        snprintf(buf, sizeof buf, ngettext("%zu hit", "%zu hits", st.n), st.n);
        ui_put(y, r->x + 2, r->w - 4, buf, UI_ST_INFO);
    }
}

static void search_draw(ui *u, const ui_rect *r)
{
    char label[64];
    snprintf(label, sizeof label, "%s:", _("Search"));
    int lw = ui_text_width(label);
    int fw = r->w - lw - 5 < 50 ? r->w - lw - 5 : 50;
    ui_put(r->y, r->x + 2, lw, label, UI_ST_HEADING);
    ui_input_draw(&st.q.le, false, r->y, r->x + 3 + lw, fw, true, &u->cursor_y, &u->cursor_x);
    draw_status(r, r->y + 1);

    ui_rect lr = { r->y + 4, r->x, r->h - 5, r->w };
    layout(lr.w - 1);
    int y = r->y + 2, cx = r->x + 1;
    ui_put(y, cx, st.w_name, _("Name"), UI_ST_HEADING);
    cx += st.w_name + 1;
    ui_put(y, cx, st.w_hetu, _("ID code"), UI_ST_HEADING);
    cx += st.w_hetu + 1;
    ui_put(y, cx, st.w_birth, _("Born"), UI_ST_HEADING);
    cx += st.w_birth + 1;
    ui_put(y, cx, st.w_cno, _("Cust. no"), UI_ST_HEADING);
    cx += st.w_cno + 1;
    ui_put(y, cx, st.w_post, _("Post office"), UI_ST_HEADING);
    ui_hline(y + 1, r->x, r->w, UI_ST_BORDER);
    ui_glyph_put(y + 1, r->x - 1, UI_G_LTEE, UI_ST_BORDER);
    ui_glyph_put(y + 1, r->x + r->w, UI_G_RTEE, UI_ST_BORDER);
    ui_list_draw(&st.lv, &lr, draw_row, NULL, true);

    bool restricted = false;
    for (size_t i = 0; i < st.n; i++)
        restricted |= st.hits[i].restricted;
    if (restricted)
        ui_put_words(r->y + r->h - 1, r->x + 2, r->w - 4,
                     _("! = processing restricted (GDPR Art. 18)"), UI_ST_WARN);
}

const screen_ops ui_screen_search = {
    .name = "search",
    .title = N_("Clients"),
    .actions = search_actions,
    .n_actions = RK_ARRAY_LEN(search_actions),
    .globals = UI_G_HELP | UI_G_LOCK | UI_G_QUIT,
    .text_input = true,
    .enter = search_enter,
    .resume = search_resume,
    .leave = search_leave,
    .draw = search_draw,
    .action = search_action,
    .key = search_key,
};
