/* The consent and ban grid of one client, built from src/consent.h's
 * tables: purposes as rows, channels as columns, the person-level items
 * below them. Each cell shows its state and since when; changes are kept
 * on screen (marked) until saved, and saving asks once for their source
 * and an optional note, so the changes go to the ledger as one event.
 * What the role may record is asked of rk_consent_may_apply at each key,
 * so a refusal is said where it happens. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "calls.h"
#include "consent.h"
#include "dialog.h"
#include "form.h"
#include "listview.h"
#include "sanitize.h"
#include "screen.h"

#define ROWS (RK_PURPOSE_COUNT + RK_PITEM_COUNT)   /* purposes, then items */
#define CALLS_MAX 32                              /* call notes offered as the source */
#define CALL_LABEL 96

static struct {
    int64_t client_id;
    char heading[512];
    char popreg[512];          /* "" when the role does not see them */
    bool show_popreg;
    bool read_only;            /* the role may record nothing here */
    rk_consent_grid grid;      /* as saved */
    rk_cstate want[RK_CONSENT_SLOTS];
    int row, col;

    /* the save form: source, call note, note */
    ui_field field[3];
    ui_form form;
    char save_title[128];
    int64_t call_id[CALLS_MAX];
    char call_label[CALLS_MAX][CALL_LABEL];
    int ncalls;

    /* the history list */
    int hist_slot;
    char hist_title[256];
    rk_consent_event *events;
    size_t nevents;
    ui_listview lv;
} st;

enum { F_SOURCE, F_CALL, F_NOTE };

static const ui_action grid_actions[] = {
    UI_ACT_CONSENT_SAVE, UI_ACT_CONSENT_HISTORY, UI_ACT_EDIT_CLOSE, UI_ACT_CONSENT_CYCLE,
    UI_ACT_CONSENT_ALLOW, UI_ACT_CONSENT_DENY, UI_ACT_CONSENT_UNKNOWN,
};
static const ui_action save_actions[] = {
    UI_ACT_SAVE, UI_ACT_CANCEL, UI_ACT_NEXT_FIELD, UI_ACT_PREV_FIELD,
};
static const ui_action history_actions[] = { UI_ACT_CLOSE };

static const screen_ops grid_screen, save_screen, history_screen;

/* ---- the grid's data ------------------------------------------------------- */

static int current_slot(void)
{
    if (st.row < RK_PURPOSE_COUNT)
        return RK_SLOT_CELL(st.row, st.col);
    return RK_SLOT_ITEM(st.row - RK_PURPOSE_COUNT);
}

static size_t changes(rk_consent_change *out)
{
    size_t n = 0;
    for (int i = 0; i < RK_CONSENT_SLOTS; i++)
        if (st.want[i] != st.grid.slot[i].state) {
            if (out)
                out[n] = (rk_consent_change){ i, st.want[i] };
            n++;
        }
    return n;
}

static bool load(ui *u)
{
    rk_err err;
    if (rk_consent_grid_get(u->session, st.client_id, &st.grid, &err) != RK_OK) {
        ui_msg_error(u, "%s", err.msg);
        return false;
    }
    for (int i = 0; i < RK_CONSENT_SLOTS; i++)
        st.want[i] = st.grid.slot[i].state;
    return true;
}

void ui_consent_open(ui *u, int64_t client_id, const char *heading, const char *popreg)
{
    memset(&st, 0, sizeof st);
    st.client_id = client_id;
    rk_sanitize(st.heading, sizeof st.heading, heading, 0);
    st.show_popreg = popreg != NULL;
    rk_sanitize(st.popreg, sizeof st.popreg, popreg ? popreg : "", 0);
    rk_err err;
    st.read_only = rk_consent_may_apply(u->session, NULL, 0, &err) != RK_OK;
    if (load(u))
        ui_push(u, &grid_screen);
}

/* ---- editing ----------------------------------------------------------------- */

/* Puts state s on the selected slot if the role may record it (going back
 * to the saved state is always allowed). */
static bool try_set(ui *u, rk_cstate s, bool quiet)
{
    int slot = current_slot();
    rk_consent_change ch = { slot, s };
    rk_err err;
    if (s != st.grid.slot[slot].state && rk_consent_may_apply(u->session, &ch, 1, &err) != RK_OK) {
        if (!quiet)
            ui_msg_error(u, "%s", err.msg);
        return false;
    }
    st.want[slot] = s;
    return true;
}

/* Space: the next state the role may record, round the cycle. */
static void cycle(ui *u)
{
    int slot = current_slot();
    rk_cstate s = st.want[slot];
    for (int i = 1; i < RK_CSTATE_COUNT; i++) {
        s = rk_cstate_cycle(s);
        if (try_set(u, s, true))
            return;
    }
    try_set(u, rk_cstate_cycle(st.want[slot]), false);   /* says why not */
}

static void grid_key(ui *u, const ui_key *k)
{
    (void)u;
    if (!k->fn)
        return;
    switch (k->ch) {
    case KEY_UP:    if (st.row > 0) st.row--; break;
    case KEY_DOWN:  if (st.row + 1 < ROWS) st.row++; break;
    case KEY_LEFT:  if (st.col > 0) st.col--; break;
    case KEY_RIGHT: if (st.col + 1 < RK_CHANNEL_COUNT) st.col++; break;
    case KEY_HOME:  st.col = 0; break;
    case KEY_END:   st.col = RK_CHANNEL_COUNT - 1; break;
    case KEY_PPAGE: st.row = 0; break;
    case KEY_NPAGE: st.row = ROWS - 1; break;
    default: break;
    }
}

static void on_discard(ui *u, ui_action a)
{
    if (a == UI_ACT_DISCARD) {
        ui_pop(u);
        ui_msg_info(u, "%s", _("Consent changes discarded."));
    }
}

static void open_save(ui *u);
static void open_history(ui *u);

static void grid_action(ui *u, ui_action a)
{
    switch (a) {
    case UI_ACT_CONSENT_CYCLE:   cycle(u); break;
    case UI_ACT_CONSENT_ALLOW:   try_set(u, RK_CSTATE_ALLOWED, false); break;
    case UI_ACT_CONSENT_DENY:    try_set(u, RK_CSTATE_DENIED, false); break;
    case UI_ACT_CONSENT_UNKNOWN: try_set(u, RK_CSTATE_UNKNOWN, false); break;
    case UI_ACT_CONSENT_SAVE:    open_save(u); break;
    case UI_ACT_CONSENT_HISTORY: open_history(u); break;
    case UI_ACT_EDIT_CLOSE:
        if (changes(NULL))
            ui_ask_discard(u, on_discard);
        else
            ui_pop(u);
        break;
    default:
        break;
    }
}

static void grid_leave(ui *u)
{
    (void)u;
    memset(&st, 0, sizeof st);
}

/* ---- drawing the grid ---------------------------------------------------------- */

/* "3.3.2026" from an ISO UTC stamp, in local time. */
static void since_date(const char *iso, char *out, size_t n)
{
    char full[32];
    rk_format_timestamp(iso, full, sizeof full);
    snprintf(out, n, "%.10s", full);
}

static ui_style cell_style(int slot, bool selected)
{
    if (selected)
        return UI_ST_SELECTED;
    if (st.want[slot] != st.grid.slot[slot].state)
        return UI_ST_WARN;
    return st.want[slot] == RK_CSTATE_UNKNOWN ? UI_ST_DIM : UI_ST_NORMAL;
}

/* The state, marked "*" when changed, and since when (or what it was, for
 * a changed cell); in a grid cell the date alone fits under the state. */
static void cell_texts(int slot, bool in_grid, char *state, size_t sn, char *since, size_t wn)
{
    const rk_consent_entry *e = &st.grid.slot[slot];
    bool changed = st.want[slot] != e->state;
    snprintf(state, sn, "%s%s", rk_slot_state_label(slot, st.want[slot]), changed ? "*" : "");
    char d[16];
    if (changed)
        snprintf(since, wn, _("was %s"), rk_slot_state_label(slot, e->state));
    else if (e->event_id) {
        since_date(e->since, d, sizeof d);
        if (in_grid)
            snprintf(since, wn, "%s", d);
        else
            snprintf(since, wn, _("since %s"), d);
    } else
        since[0] = '\0';
}

static void draw_cell(int slot, int y, int x, int w, bool selected, bool two_rows)
{
    char state[96], since[96];
    cell_texts(slot, two_rows, state, sizeof state, since, sizeof since);
    ui_style s = cell_style(slot, selected);
    if (selected) {
        ui_fill(y, x, w, s);
        if (two_rows)
            ui_fill(y + 1, x, w, s);
    }
    if (two_rows) {
        ui_put(y, x + 1, w - 2, state, s);
        ui_put(y + 1, x + 1, w - 2, since, selected ? s : UI_ST_DIM);
    } else {
        int used = ui_put(y, x + 1, w - 2, state, s);
        ui_put(y, x + 2 + used + 1, w - used - 4, since, selected ? s : UI_ST_DIM);
    }
}

static void grid_draw(ui *u, const ui_rect *r)
{
    (void)u;
    char buf[512];
    ui_put(r->y, r->x + 2, r->w - 4, st.heading, UI_ST_HEADING);
    size_t n = changes(NULL);
    if (n || st.read_only) {
        if (n)
            snprintf(buf, sizeof buf, _("* %zu unsaved changes"), n);
        else
            snprintf(buf, sizeof buf, "%s", _("Read only for your role"));
        int w = ui_text_width(buf);
        ui_put(r->y, r->x + r->w - 2 - w, w, buf, n ? UI_ST_WARN : UI_ST_DIM);
    }
    /* Cells of up to 16 columns, at least 11; purposes get the rest. */
    int cw = (r->w - 2 - 24) / RK_CHANNEL_COUNT;
    cw = cw > 16 ? 16 : cw < 11 ? 11 : cw;
    int gx = r->x + r->w - 1 - cw * RK_CHANNEL_COUNT;   /* first cell */
    int lw = gx - r->x - 3;
    int y = r->y + 1;
    ui_put(y, r->x + 2, lw, _("Purpose"), UI_ST_HEADING);
    for (int c = 0; c < RK_CHANNEL_COUNT; c++)
        ui_put(y, gx + c * cw + 1, cw - 2, rk_channel_label((rk_channel)c), UI_ST_HEADING);
    y++;
    for (int p = 0; p < RK_PURPOSE_COUNT; p++, y += 2) {
        char lines[2][UI_WRAP_LINE];
        size_t nl = ui_wrap(rk_purpose_label((rk_purpose)p), lw, lines, 2);
        for (size_t i = 0; i < nl; i++)
            ui_put(y + (int)i, r->x + 2, lw, lines[i], st.row == p ? UI_ST_HEADING : UI_ST_NORMAL);
        for (int c = 0; c < RK_CHANNEL_COUNT; c++)
            draw_cell(RK_SLOT_CELL(p, c), y, gx + c * cw, cw, st.row == p && st.col == c, true);
    }
    ui_put(y++, r->x + 2, r->w - 4, _("Bans and consents of the person"), UI_ST_HEADING);
    /* The items' labels are longer than the purposes' and need no cells beside them. */
    int ilw = lw;
    for (int i = 0; i < RK_PITEM_COUNT; i++) {
        int w = ui_text_width(rk_person_item_label((rk_person_item)i));
        ilw = w > ilw ? w : ilw;
    }
    ilw = ilw > r->w / 2 ? r->w / 2 : ilw;
    int ix = r->x + 2 + ilw + 1;
    for (int i = 0; i < RK_PITEM_COUNT; i++, y++) {
        bool sel = st.row == RK_PURPOSE_COUNT + i;
        ui_put(y, r->x + 2, ilw, rk_person_item_label((rk_person_item)i), sel ? UI_ST_HEADING : UI_ST_NORMAL);
        draw_cell(RK_SLOT_ITEM(i), y, ix, r->x + r->w - 1 - ix, sel, false);
    }
    if (st.show_popreg && y < r->y + r->h) {
        snprintf(buf, sizeof buf, _("Population register bans (on the card): %s"),
                 st.popreg[0] ? st.popreg : _("none"));
        ui_put(y++, r->x + 2, r->w - 4, buf, UI_ST_DIM);
    }
    if (y + 1 < r->y + r->h)
        ui_put(r->y + r->h - 1, r->x + 2, r->w - 4,
               _("Dates under the states: since when. Space cycles; a, d, u set allowed, denied, unknown; h: history."),
               UI_ST_DIM);
}

static const screen_ops grid_screen = {
    .name = "consents",
    .title = N_("Consents and marketing bans"),
    .actions = grid_actions,
    .n_actions = RK_ARRAY_LEN(grid_actions),
    .globals = UI_G_HELP | UI_G_LOCK | UI_G_QUIT,
    .leave = grid_leave,
    .draw = grid_draw,
    .action = grid_action,
    .key = grid_key,
};

/* ---- saving: the source, asked once ----------------------------------------- */

static const char *source_label(int i)
{
    return i == 0 ? _("(choose)") : rk_csource_label((rk_csource)(i - 1));
}

static const char *call_label(int i)
{
    return i == 0 ? _("(none)") : st.call_label[i - 1];
}

static const char *call_note(int i)
{
    (void)i;
    return _("Only for a change made on a phone call: the call's note.");
}

static void save_free(void)
{
    for (size_t i = 0; i < RK_ARRAY_LEN(st.field); i++)
        ui_field_free(&st.field[i]);
    memset(st.field, 0, sizeof st.field);
    memset(&st.form, 0, sizeof st.form);
}

/* The client's call notes, newest first, when the role may read them. */
static void load_calls(ui *u)
{
    rk_level l;
    rk_err err;
    rk_call_note *notes;
    size_t n;
    st.ncalls = 0;
    if (rk_calls_level(u->session, &l, &err) != RK_OK || l < RK_LEVEL_READ)
        return;
    if (rk_calls_list(u->session, st.client_id, &notes, &n, &err) != RK_OK) {
        ui_msg_error(u, "%s", err.msg);
        return;
    }
    for (size_t i = n; i-- > 0 && st.ncalls < CALLS_MAX;) {
        char when[32], tmp[CALL_LABEL];
        rk_format_timestamp(notes[i].started, when, sizeof when);
        snprintf(tmp, sizeof tmp, "%s, %s", when, notes[i].number);
        rk_sanitize(st.call_label[st.ncalls], CALL_LABEL, tmp, 0);
        st.call_id[st.ncalls++] = notes[i].id;
    }
    rk_calls_free(notes, n);
}

static void open_save(ui *u)
{
    rk_consent_change ch[RK_CONSENT_SLOTS];
    rk_err err;
    size_t n = changes(ch);
    if (n == 0) {
        ui_msg_info(u, "%s", _("No changes to save."));
        return;
    }
    if (rk_consent_may_apply(u->session, ch, n, &err) != RK_OK) {
        ui_msg_error(u, "%s", err.msg);
        return;
    }
    save_free();
    load_calls(u);
    if (ui_field_text(&st.field[F_NOTE], N_("Note"), RK_CONSENT_NOTE_MAX, &err) != RK_OK) {
        ui_msg_error(u, "%s", err.msg);
        return;
    }
    ui_field_choice(&st.field[F_SOURCE], N_("Source"), RK_CSOURCE_COUNT + 1, source_label, NULL, 0);
    ui_field_choice(&st.field[F_CALL], N_("Call note"), st.ncalls + 1, call_label, call_note, 0);
    st.form.fields = st.field;
    st.form.n = RK_ARRAY_LEN(st.field);
    st.form.note = N_("The changes are recorded together, with this source and note.");
    snprintf(st.save_title, sizeof st.save_title, _("Save %zu changes"), n);
    ui_push(u, &save_screen);
}

static void save(ui *u)
{
    rk_consent_change ch[RK_CONSENT_SLOTS];
    char note[RK_CONSENT_NOTE_MAX + 1];
    rk_err err;
    size_t n = changes(ch);
    int src = st.field[F_SOURCE].choice - 1, call = st.field[F_CALL].choice;
    ui_form_clear_errors(&st.form);
    if (src < 0) {
        ui_field_error(&st.field[F_SOURCE], _("Choose where the changes came from (Left and Right)."));
        st.form.focus = F_SOURCE;
        return;
    }
    if (src == RK_CSOURCE_PHONE && call == 0) {
        ui_field_error(&st.field[F_CALL], st.ncalls
                       ? _("Choose the call's note (Left and Right).")
                       : _("A change made on a phone call links to the call's note: write the note first (F6 on the card)."));
        st.form.focus = F_CALL;
        return;
    }
    if (src != RK_CSOURCE_PHONE && call != 0) {
        ui_field_error(&st.field[F_CALL], _("Only a change made on a phone call links to a call note: choose (none)."));
        st.form.focus = F_CALL;
        return;
    }
    if (!ui_field_get(&st.field[F_NOTE], note, sizeof note)) {
        ui_field_error(&st.field[F_NOTE], _("The note is too long."));
        st.form.focus = F_NOTE;
        return;
    }
    rk_consent_batch b = { .source = (rk_csource)src, .call_id = call ? st.call_id[call - 1] : 0,
                           .note = note };
    if (rk_consent_apply(u->session, st.client_id, ch, n, &b, NULL, &err) != RK_OK) {
        ui_msg_error(u, _("Not saved: %s"), err.msg);
        return;
    }
    ui_pop(u);
    load(u);
    ui_msg_info(u, _("Saved %zu consent changes (source: %s)."), n, rk_csource_label((rk_csource)src));
}

static void save_action(ui *u, ui_action a)
{
    ui_form_screen_action(u, &st.form, a, save, _("Not saved; the changes are still on the grid."));
}

static void save_key(ui *u, const ui_key *k)
{
    ui_form_screen_key(u, &st.form, k, save);
}

static void save_leave(ui *u)
{
    (void)u;
    save_free();
}

static void save_draw(ui *u, const ui_rect *r)
{
    int w = r->w - 6 < 76 ? r->w - 6 : 76;
    int h = (int)st.form.n * 2 + 3;
    ui_rect box = { r->y + (r->h - h) / 2, r->x + (r->w - w) / 2, h, w };
    for (int y = box.y; y < box.y + box.h; y++)
        ui_fill(y, box.x, box.w, UI_ST_NORMAL);
    ui_box(&box, st.save_title, UI_ST_BORDER);
    ui_rect in = { box.y, box.x + 1, box.h - 1, box.w - 2 };
    ui_form_draw(&st.form, u, &in);
}

static const screen_ops save_screen = {
    .name = "consents-save",
    .title = N_("Save consent changes"),
    .actions = save_actions,
    .n_actions = RK_ARRAY_LEN(save_actions),
    .globals = UI_G_HELP | UI_G_LOCK | UI_G_QUIT,
    .text_input = true,
    .overlay = true,
    .leave = save_leave,
    .draw = save_draw,
    .action = save_action,
    .key = save_key,
};

/* ---- the history of one cell -------------------------------------------------- */

static void open_history(ui *u)
{
    rk_err err;
    char label[192];
    rk_consent_history_free(st.events);
    st.events = NULL;
    st.nevents = 0;
    st.hist_slot = current_slot();
    if (rk_consent_history(u->session, st.client_id, st.hist_slot, &st.events, &st.nevents,
                           &err) != RK_OK) {
        ui_msg_error(u, "%s", err.msg);
        return;
    }
    rk_slot_label(st.hist_slot, label, sizeof label);
    snprintf(st.hist_title, sizeof st.hist_title, _("History: %s"), label);
    memset(&st.lv, 0, sizeof st.lv);
    ui_list_set_count(&st.lv, st.nevents);
    ui_push(u, &history_screen);
}

static void history_leave(ui *u)
{
    (void)u;
    rk_consent_history_free(st.events);
    st.events = NULL;
    st.nevents = 0;
}

static void history_action(ui *u, ui_action a)
{
    if (a == UI_ACT_CLOSE)
        ui_pop(u);
}

static void history_key(ui *u, const ui_key *k)
{
    (void)u;
    ui_list_key(&st.lv, k);
}

static const int hist_cols[] = { 17, 18, 14 };   /* when, state, who; the source takes the rest */

static void history_row(void *ctx, size_t i, int y, int x, int w, bool sel)
{
    (void)ctx;
    const rk_consent_event *e = &st.events[i];
    ui_style s = sel ? UI_ST_SELECTED : UI_ST_NORMAL;
    char when[32], who[RK_USERNAME_MAX + 1], src[128];
    rk_format_timestamp(e->ts, when, sizeof when);
    rk_sanitize(who, sizeof who, e->user, 0);
    snprintf(src, sizeof src, "%s", e->source >= 0 ? rk_csource_label((rk_csource)e->source) : "?");
    int cx = x + 1;
    ui_put(y, cx, hist_cols[0], when, s);
    cx += hist_cols[0] + 1;
    ui_put(y, cx, hist_cols[1], rk_slot_state_label(st.hist_slot, e->state), s);
    cx += hist_cols[1] + 1;
    ui_put(y, cx, hist_cols[2], who, s);
    cx += hist_cols[2] + 1;
    ui_put(y, cx, x + w - cx, src, s);
}

static void history_draw(ui *u, const ui_rect *r)
{
    (void)u;
    ui_put(r->y, r->x + 2, r->w - 4, st.hist_title, UI_ST_HEADING);
    if (st.nevents == 0) {
        ui_put(r->y + 2, r->x + 2, r->w - 4,
               _("No change recorded: the state is unknown (never asked)."), UI_ST_DIM);
        return;
    }
    static const char *const heads[] = { N_("When"), N_("State"), N_("By"), N_("Source") };
    int cx = r->x + 1;
    for (size_t i = 0; i < RK_ARRAY_LEN(heads); i++) {
        int w = i < RK_ARRAY_LEN(hist_cols) ? hist_cols[i] : r->x + r->w - cx - 1;
        ui_put(r->y + 1, cx, w, _(heads[i]), UI_ST_HEADING);
        cx += w + 1;
    }
    /* The selected event's details under the list. */
    const int detail = 4;
    ui_rect lr = { r->y + 2, r->x, r->h - 3 - detail, r->w };
    ui_list_draw(&st.lv, &lr, history_row, NULL, true);
    const rk_consent_event *e = &st.events[st.lv.sel];
    char buf[1024], clean[1024], lines[3][UI_WRAP_LINE];
    int y = r->y + r->h - detail;
    ui_hline(y++, r->x + 1, r->w - 2, UI_ST_BORDER);
    char call[48] = "";
    if (e->call_id)
        snprintf(call, sizeof call, _(", call note %lld"), (long long)e->call_id);
    snprintf(buf, sizeof buf, _("Saved together as change %lld; notice version: %s%s"),
             (long long)e->batch, e->notice_version[0] ? e->notice_version : _("not recorded"), call);
    rk_sanitize(clean, sizeof clean, buf, 0);
    ui_put(y++, r->x + 2, r->w - 4, clean, UI_ST_NORMAL);
    snprintf(buf, sizeof buf, _("Note: %s"), e->note[0] ? e->note : _("(none)"));
    rk_sanitize(clean, sizeof clean, buf, 0);
    size_t nl = ui_wrap(clean, r->w - 4, lines, 3);
    for (size_t i = 0; i < nl && y < r->y + r->h; i++)
        ui_put(y++, r->x + 2, r->w - 4, lines[i], UI_ST_NORMAL);
}

static const screen_ops history_screen = {
    .name = "consents-history",
    .title = N_("Consent history"),
    .actions = history_actions,
    .n_actions = RK_ARRAY_LEN(history_actions),
    .globals = UI_G_HELP | UI_G_LOCK | UI_G_QUIT,
    .leave = history_leave,
    .draw = history_draw,
    .action = history_action,
    .key = history_key,
};
