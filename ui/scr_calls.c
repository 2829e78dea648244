/* A client's call-recording notes: the list (newest call first) above, the
 * selected note whole below it, with its amendments in order. Notes are
 * never edited: F3 appends an amendment (its author only, which
 * src/calls.c enforces). Reading the list is audited there. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "calls.h"
#include "listview.h"
#include "sanitize.h"
#include "screen.h"
#include "textbuf.h"

#define LIST_ROWS 5

static struct {
    int64_t client_id;
    char heading[512];
    char number[RK_PHONE_SIZE];
    rk_call_note *notes;      /* oldest first, as rk_calls_list gives them */
    size_t n;
    ui_listview lv;           /* row i is notes[n - 1 - i] */
    rk_textbuf *pane;         /* the selected note, laid out for the pane */
    size_t pane_for;          /* the row the pane shows; (size_t)-1 = none yet */
    size_t pane_top, pane_page;
} st;

static const ui_action calls_actions[] = { UI_ACT_CALL_NEW, UI_ACT_CALL_AMEND, UI_ACT_CLOSE };

static const screen_ops calls_screen;

static rk_call_note *selected(void)
{
    return st.n ? &st.notes[st.n - 1 - st.lv.sel] : NULL;
}

static bool load(ui *u, int64_t select_id)
{
    rk_err err;
    rk_call_note *notes;
    size_t n;
    if (rk_calls_list(u->session, st.client_id, &notes, &n, &err) != RK_OK) {
        ui_msg_error(u, "%s", err.msg);
        return false;
    }
    rk_calls_free(st.notes, st.n);
    st.notes = notes;
    st.n = n;
    ui_list_set_count(&st.lv, n);
    for (size_t i = 0; select_id && i < n; i++)
        if (notes[i].id == select_id)
            st.lv.sel = n - 1 - i;
    st.pane_for = (size_t)-1;
    return true;
}

void ui_calls_open(ui *u, int64_t client_id, const char *heading, const char *number)
{
    rk_calls_free(st.notes, st.n);
    rk_textbuf_free(st.pane);
    memset(&st, 0, sizeof st);
    st.client_id = client_id;
    rk_sanitize(st.heading, sizeof st.heading, heading, 0);
    snprintf(st.number, sizeof st.number, "%s", number ? number : "");
    if (load(u, 0))
        ui_push(u, &calls_screen);
}

static void saved(ui *u, int64_t note_id)
{
    load(u, note_id);
}

static void calls_action(ui *u, ui_action a)
{
    rk_call_note *note = selected();
    switch (a) {
    case UI_ACT_CALL_NEW:
        ui_call_note_new(u, st.client_id, st.heading, st.number, saved);
        break;
    case UI_ACT_CALL_AMEND:
        if (!note)
            ui_msg_info(u, "%s", _("There is no note to amend yet."));
        else
            ui_call_note_amend(u, note, st.heading, saved);
        break;
    case UI_ACT_CLOSE:
        ui_pop(u);
        break;
    default:
        break;
    }
}

static void calls_key(ui *u, const ui_key *k)
{
    (void)u;
    size_t page = st.pane_page > 1 ? st.pane_page - 1 : 1;
    if (k->fn && k->ch == KEY_NPAGE) {
        st.pane_top += page;
        return;
    }
    if (k->fn && k->ch == KEY_PPAGE) {
        st.pane_top = st.pane_top > page ? st.pane_top - page : 0;
        return;
    }
    ui_list_key(&st.lv, k);
}

static void calls_leave(ui *u)
{
    (void)u;
    rk_calls_free(st.notes, st.n);
    rk_textbuf_free(st.pane);
    memset(&st, 0, sizeof st);
}

/* ---- drawing -------------------------------------------------------------------- */

static void duration_text(long secs, char *out, size_t n)
{
    if (secs >= 3600)
        snprintf(out, n, "%ld:%02ld:%02ld", secs / 3600, secs / 60 % 60, secs % 60);
    else
        snprintf(out, n, "%ld:%02ld", secs / 60, secs % 60);
}

static void list_row(void *ctx, size_t i, int y, int x, int w, bool sel)
{
    (void)ctx;
    const rk_call_note *c = &st.notes[st.n - 1 - i];
    char when[32], dur[64], buf[512], line[512];
    rk_format_timestamp(c->started, when, sizeof when);
    duration_text(c->duration, dur, sizeof dur);
    int len = snprintf(buf, sizeof buf, "%s  %s %s  %s  %s", when,
                       rk_call_direction_label(c->direction), dur,
                       rk_call_purpose_label(c->purpose), c->user);
    if (c->namendments && len > 0 && (size_t)len < sizeof buf)
        snprintf(buf + len, sizeof buf - (size_t)len, _("  +%zu amended"), c->namendments);
    rk_sanitize(line, sizeof line, buf, 0);
    ui_put(y, x + 1, w - 1, line, sel ? UI_ST_SELECTED : UI_ST_NORMAL);
}

/* The selected note as text: facts, summary, amendments. Sanitized. */
static char *note_text(const rk_call_note *c)
{
    char when[32], keep[16] = "", created[32];
    rk_format_timestamp(c->started, when, sizeof when);
    rk_format_timestamp(c->created, created, sizeof created);
    rk_date d;
    if (rk_date_parse(c->keep_until, &d, NULL) == RK_OK)
        snprintf(keep, sizeof keep, "%d.%d.%04d", d.day, d.month, d.year);
    size_t cap = strlen(c->summary) + 1024;
    for (size_t i = 0; i < c->namendments; i++)
        cap += strlen(c->amendments[i].text) + 256;
    char *raw = malloc(cap), *out = malloc(cap * 3);
    if (!raw || !out) {
        free(raw);
        free(out);
        return NULL;
    }
    size_t len = (size_t)snprintf(raw, cap,
        _("Number %s, recording %s. Told of the recording: %s; training use: %s. Keep until %s.\n"
          "Written by %s at %s.\n\n%s\n"),
        c->number, c->recording_id[0] ? c->recording_id : _("(none)"), c->told ? _("yes") : _("no"),
        c->training_consent ? _("yes") : _("no"), keep, c->user, created, c->summary);
    for (size_t i = 0; i < c->namendments && len < cap; i++) {
        rk_format_timestamp(c->amendments[i].ts, when, sizeof when);
        len += (size_t)snprintf(raw + len, cap - len, _("\nAmendment by %s at %s:\n%s\n"),
                                c->amendments[i].user, when, c->amendments[i].text);
    }
    rk_sanitize(out, cap * 3, raw, RK_SANITIZE_KEEP_NEWLINE);
    free(raw);
    return out;
}

static void draw_pane(const ui_rect *r)
{
    if (!st.n || r->h <= 0)
        return;
    if (st.pane_for != st.lv.sel) {
        char *text = note_text(selected());
        rk_textbuf_free(st.pane);
        st.pane = text ? rk_textbuf_new(0, 0) : NULL;
        if (st.pane)
            rk_textbuf_set(st.pane, text);
        free(text);
        st.pane_for = st.lv.sel;
        st.pane_top = 0;
    }
    if (!st.pane)
        return;
    rk_textbuf_set_width(st.pane, r->w - 1);
    size_t rows = rk_textbuf_rows(st.pane), h = (size_t)r->h;
    st.pane_page = h;
    if (st.pane_top + h > rows)
        st.pane_top = rows > h ? rows - h : 0;
    const char *text = rk_textbuf_text(st.pane);
    for (size_t i = 0; i < h && st.pane_top + i < rows; i++) {
        size_t start, len;
        rk_textbuf_row(st.pane, st.pane_top + i, &start, &len);
        char *row = malloc(len + 1);
        if (!row)
            return;
        memcpy(row, text + start, len);
        row[len] = '\0';
        ui_put(r->y + (int)i, r->x, r->w, row, UI_ST_NORMAL);
        free(row);
    }
    if (st.pane_top > 0)
        ui_put(r->y, r->x + r->w, 1, "^", UI_ST_DIM);
    if (st.pane_top + h < rows)
        ui_put(r->y + r->h - 1, r->x + r->w, 1, "v", UI_ST_DIM);
}

static void calls_draw(ui *u, const ui_rect *r)
{
    (void)u;
    char buf[640];
    snprintf(buf, sizeof buf, _("Call notes: %s"), st.heading);
    ui_put(r->y, r->x + 2, r->w - 4, buf, UI_ST_HEADING);
    if (st.n == 0) {
        ui_put(r->y + 2, r->x + 2, r->w - 4, _("No call notes yet. F2 writes one."), UI_ST_DIM);
        return;
    }
    int lh = st.n < LIST_ROWS ? (int)st.n : LIST_ROWS;
    ui_rect lr = { r->y + 1, r->x, lh, r->w };
    ui_list_draw(&st.lv, &lr, list_row, NULL, true);
    int y = r->y + 1 + lh;
    ui_hline(y, r->x + 1, r->w - 2, UI_ST_BORDER);
    ui_put(y++, r->x + 3, r->w - 6, _(" The selected note; PgUp and PgDn scroll it "), UI_ST_DIM);
    ui_rect pane = { y, r->x + 2, r->y + r->h - y, r->w - 4 };
    draw_pane(&pane);
}

static const screen_ops calls_screen = {
    .name = "calls",
    .title = N_("Call-recording notes"),
    .actions = calls_actions,
    .n_actions = RK_ARRAY_LEN(calls_actions),
    .globals = UI_G_HELP | UI_G_LOCK | UI_G_QUIT,
    .leave = calls_leave,
    .draw = calls_draw,
    .action = calls_action,
    .key = calls_key,
};
