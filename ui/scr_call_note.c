/* Writing call notes: the new-note form (the call's facts in two columns,
 * the summary in the multi-line editor below) and the amendment form (the
 * editor alone). Both are checked and saved by src/calls.c, which says
 * which field is wrong; the error is shown at that field. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "calls.h"
#include "config.h"
#include "dialog.h"
#include "form.h"
#include "sanitize.h"
#include "screen.h"
#include "textedit.h"

/* The facts, in the order the cursor visits them; the summary comes last. */
enum { F_TIME, F_DIRECTION, F_DURATION, F_NUMBER, F_RECORDING,
       F_PURPOSE, F_TOLD, F_TRAINING, F_KEEP, NF };
#define F_SUMMARY NF
#define LEFT_FIELDS 5      /* F_TIME..F_RECORDING in the left column */

static struct {
    int64_t client_id, note_id;     /* note_id: the note being amended */
    char heading[768];
    ui_field f[NF];
    ui_form form;                   /* the facts, for ui_form_key */
    ui_textedit text;
    int focus;                      /* 0..NF; NF = the editor */
    bool amending;
    bool dirty;
    char keep_default[16];          /* as prefilled: unchanged means "the default" */
    char error[512];                /* sanitized; under the fields */
    ui_calls_saved_fn on_saved;
} st;

static const ui_action note_actions[] = {
    UI_ACT_SAVE, UI_ACT_EDIT_CLOSE, UI_ACT_NEXT_FIELD, UI_ACT_PREV_FIELD,
};

static const screen_ops note_screen;

static const char *direction_label(int i) { return rk_call_direction_label((rk_call_direction)i); }
static const char *purpose_label(int i) { return rk_call_purpose_label((rk_call_purpose)i); }
static const char *yes_no(int i) { return i ? _("yes") : _("no"); }

static void free_form(void)
{
    for (int i = 0; i < NF; i++)
        ui_field_free(&st.f[i]);
    ui_textedit_free(&st.text);
    memset(&st, 0, sizeof st);
}

/* "2.3.2026 16:05", as calls.c reads local time. */
static void now_local(char *out, size_t n)
{
    time_t t = time(NULL);
    struct tm tm;
    localtime_r(&t, &tm);
    strftime(out, n, "%-d.%-m.%Y %H:%M", &tm);
}

/* Today plus the call_keep_months setting, as d.m.yyyy. */
static void keep_until_default(ui *u, char *out, size_t n)
{
    char months[16], today[RK_DATE_ISO_SIZE], iso[RK_DATE_ISO_SIZE];
    rk_err err;
    time_t t = time(NULL);
    struct tm tm;
    localtime_r(&t, &tm);
    strftime(today, sizeof today, "%Y-%m-%d", &tm);
    out[0] = '\0';
    if (rk_config_get(u->session, RK_CONFIG_CALL_KEEP_MONTHS, months, sizeof months, &err) != RK_OK ||
        rk_date_add_months(today, atoi(months), iso, &err) != RK_OK)
        return;
    rk_date d;
    if (rk_date_parse(iso, &d, NULL) == RK_OK)
        snprintf(out, n, "%d.%d.%04d", d.day, d.month, d.year);
}

static bool start(ui *u, const char *heading, ui_calls_saved_fn on_saved, bool amending)
{
    rk_err err;
    free_form();
    st.on_saved = on_saved;
    st.amending = amending;
    rk_sanitize(st.heading, sizeof st.heading, heading, 0);
    if (ui_textedit_init(&st.text, RK_CALL_TEXT_MAX_CHARS, RK_CALL_TEXT_MAX_BYTES, &err) != RK_OK) {
        ui_msg_error(u, "%s", err.msg);
        return false;
    }
    return true;
}

void ui_call_note_new(ui *u, int64_t client_id, const char *heading, const char *number,
                      ui_calls_saved_fn on_saved)
{
    rk_err err;
    rk_level l;
    if (rk_calls_level(u->session, &l, &err) != RK_OK || l < RK_LEVEL_WRITE) {
        ui_msg_error(u, _("Your role (%s) may not write call notes."), rk_role_label(u->session->role));
        return;
    }
    if (!start(u, heading, on_saved, false))
        return;
    st.client_id = client_id;
    static const struct { int at; const char *label; size_t max; } texts[] = {
        { F_TIME, N_("Time"), 32 }, { F_DURATION, N_("Length (m:ss)"), 16 },
        { F_NUMBER, N_("Number"), 64 }, { F_RECORDING, N_("Recording ID"), RK_CALL_RECORDING_ID_MAX },
        { F_KEEP, N_("Keep until"), 32 },
    };
    for (size_t i = 0; i < RK_ARRAY_LEN(texts); i++)
        if (ui_field_text(&st.f[texts[i].at], texts[i].label, texts[i].max, &err) != RK_OK) {
            free_form();
            ui_msg_error(u, "%s", err.msg);
            return;
        }
    ui_field_choice(&st.f[F_DIRECTION], N_("Direction"), RK_CALL_DIRECTION_COUNT, direction_label, NULL, 0);
    ui_field_choice(&st.f[F_PURPOSE], N_("Purpose"), RK_CALL_PURPOSE_COUNT, purpose_label, NULL, 0);
    ui_field_choice(&st.f[F_TOLD], N_("Caller told"), 2, yes_no, NULL, 0);
    ui_field_choice(&st.f[F_TRAINING], N_("Training use"), 2, yes_no, NULL, 0);
    char buf[64];
    now_local(buf, sizeof buf);
    ui_le_set_utf8(&st.f[F_TIME].le, buf);
    ui_le_set_utf8(&st.f[F_NUMBER].le, number ? number : "");
    keep_until_default(u, st.keep_default, sizeof st.keep_default);
    ui_le_set_utf8(&st.f[F_KEEP].le, st.keep_default);
    st.form.fields = st.f;
    st.form.n = NF;
    st.focus = F_DURATION;    /* the time is usually now; how long it took is not */
    ui_push(u, &note_screen);
}

void ui_call_note_amend(ui *u, const rk_call_note *note, const char *heading,
                        ui_calls_saved_fn on_saved)
{
    if (strcmp(note->user, u->session->user) != 0) {
        ui_msg_error(u, _("Only %s, who wrote this note, may amend it."), note->user);
        return;
    }
    if (!start(u, heading, on_saved, true))
        return;
    st.note_id = note->id;
    st.client_id = note->client_id;
    st.focus = F_SUMMARY;
    ui_push(u, &note_screen);
}

/* ---- saving ------------------------------------------------------------------ */

/* "5:03" or "1:02:03" or seconds. -1 if neither. */
static long parse_duration(const char *s)
{
    long part[3];
    int n = 0;
    const char *p = s;
    while (*p == ' ')
        p++;
    if (!*p)
        return -1;
    while (n < 3) {
        char *end;
        if (*p < '0' || *p > '9')
            return -1;
        part[n++] = strtol(p, &end, 10);
        p = end;
        if (*p != ':')
            break;
        p++;
    }
    while (*p == ' ')
        p++;
    if (*p)
        return -1;
    long secs = 0;
    for (int i = 0; i < n; i++) {
        if (i > 0 && part[i] > 59)
            return -1;
        secs = secs * 60 + part[i];
    }
    return secs;
}

static int field_of(rk_call_field bad)
{
    switch (bad) {
    case RK_CALL_F_STARTED:    return F_TIME;
    case RK_CALL_F_DIRECTION:  return F_DIRECTION;
    case RK_CALL_F_DURATION:   return F_DURATION;
    case RK_CALL_F_NUMBER:     return F_NUMBER;
    case RK_CALL_F_RECORDING:  return F_RECORDING;
    case RK_CALL_F_PURPOSE:    return F_PURPOSE;
    case RK_CALL_F_TOLD:       return F_TOLD;
    case RK_CALL_F_TRAINING:   return F_TRAINING;
    case RK_CALL_F_KEEP_UNTIL: return F_KEEP;
    default:                   return F_SUMMARY;
    }
}

static void show_error(ui *u, int at, const char *msg)
{
    rk_sanitize(st.error, sizeof st.error, msg, 0);
    if (at < NF)
        ui_field_error(&st.f[at], msg);
    st.focus = at;
    st.form.focus = at < NF ? (size_t)at : st.form.focus;
    ui_msg_error(u, "%s", _("Not saved: see the message under the fields."));
}

static void save(ui *u)
{
    rk_err err;
    int64_t id = 0;
    st.error[0] = '\0';
    ui_form_clear_errors(&st.form);
    if (st.amending) {
        if (rk_calls_amend(u->session, st.note_id, ui_textedit_text(&st.text), &id, &err) != RK_OK) {
            show_error(u, F_SUMMARY, err.msg);
            return;
        }
        id = st.note_id;
    } else {
        char v[NF][128];
        for (int i = 0; i < NF; i++)
            if (!ui_field_get(&st.f[i], v[i], sizeof v[i])) {
                show_error(u, i, _("The text is too long."));
                return;
            }
        long dur = parse_duration(v[F_DURATION]);
        if (dur < 0) {
            show_error(u, F_DURATION, _("Give the call's length as minutes:seconds (5:03) or seconds."));
            return;
        }
        rk_call_input in = {
            .client_id = st.client_id, .started = v[F_TIME],
            .direction = (rk_call_direction)st.f[F_DIRECTION].choice, .duration = dur,
            .number = v[F_NUMBER], .recording_id = v[F_RECORDING],
            .purpose = (rk_call_purpose)st.f[F_PURPOSE].choice, .told = st.f[F_TOLD].choice,
            .training_consent = st.f[F_TRAINING].choice, .summary = ui_textedit_text(&st.text),
            /* Left as offered: counted from the call's own date by calls.c. */
            .keep_until = strcmp(v[F_KEEP], st.keep_default) == 0 ? "" : v[F_KEEP],
        };
        rk_call_field bad = RK_CALL_F_NONE;
        if (rk_calls_add(u->session, &in, NULL, 0, NULL, &id, &bad, &err) != RK_OK) {
            show_error(u, field_of(bad), err.msg);
            return;
        }
    }
    bool amended = st.amending;
    ui_calls_saved_fn fn = st.on_saved;
    ui_pop(u);
    if (fn)
        fn(u, id);
    ui_msg_info(u, "%s", amended ? _("Amendment saved.") : _("Call note saved."));
}

/* ---- keys ---------------------------------------------------------------------- */

static void on_discard(ui *u, ui_action a)
{
    if (a == UI_ACT_DISCARD) {
        ui_pop(u);
        ui_msg_info(u, "%s", _("Nothing saved."));
    }
}

static void note_action(ui *u, ui_action a)
{
    int first = st.amending ? F_SUMMARY : 0;
    switch (a) {
    case UI_ACT_SAVE:
        save(u);
        break;
    case UI_ACT_EDIT_CLOSE:
        if (st.dirty)
            ui_ask_discard(u, on_discard);
        else
            ui_pop(u);
        break;
    case UI_ACT_NEXT_FIELD:
        st.focus = st.focus >= F_SUMMARY ? first : st.focus + 1;
        break;
    case UI_ACT_PREV_FIELD:
        st.focus = st.focus <= first ? F_SUMMARY : st.focus - 1;
        break;
    default:
        break;
    }
    if (st.focus < NF)
        st.form.focus = (size_t)st.focus;
}

static void note_key(ui *u, const ui_key *k)
{
    bool changed = false;
    if (st.focus == F_SUMMARY) {
        if (ui_textedit_key(&st.text, k, &changed) && st.text.cut)
            ui_msg_error(u, _("The text is at its limit of %d characters; the rest was left out."),
                         RK_CALL_TEXT_MAX_CHARS);
        st.dirty |= changed;
        return;
    }
    bool enter = k->fn ? k->ch == KEY_ENTER : (k->ch == '\r' || k->ch == '\n');
    if (enter || (k->fn && k->ch == KEY_DOWN)) {
        note_action(u, UI_ACT_NEXT_FIELD);
        return;
    }
    if (k->fn && k->ch == KEY_UP) {
        note_action(u, UI_ACT_PREV_FIELD);
        return;
    }
    st.form.focus = (size_t)st.focus;
    ui_field *f = &st.f[st.focus];
    int choice = f->choice;
    char before[128], after[128];
    if (!ui_field_get(f, before, sizeof before))
        before[0] = '\0';
    ui_form_key(&st.form, k);
    if (!ui_field_get(f, after, sizeof after))
        after[0] = '\0';
    st.dirty |= choice != f->choice || strcmp(before, after) != 0;
}

static void note_leave(ui *u)
{
    (void)u;
    free_form();
}

/* ---- drawing ------------------------------------------------------------------- */

static void draw_field(ui *u, int i, int y, int x, int lw, int fw)
{
    char label[128];
    ui_field *f = &st.f[i];
    snprintf(label, sizeof label, "%s:", _(f->label));
    ui_style ls = f->error[0] ? UI_ST_WARN : st.focus == i ? UI_ST_HEADING : UI_ST_NORMAL;
    ui_put(y, x, lw, label, ls);
    ui_field_draw(f, u, y, x + lw + 1, fw, st.focus == i);
}

static void note_draw(ui *u, const ui_rect *r)
{
    int y = r->y;
    char title[1024];
    snprintf(title, sizeof title, st.amending ? _("Amendment to %s") : _("New call note: %s"), st.heading);
    ui_put(y++, r->x + 2, r->w - 4, title, UI_ST_HEADING);
    if (!st.amending) {
        /* Two columns of facts. */
        int half = (r->w - 2) / 2, lw = 15;
        for (int i = 0; i < NF; i++) {
            bool left = i < LEFT_FIELDS;
            int row = left ? i : i - LEFT_FIELDS;
            int x = r->x + 1 + (left ? 0 : half);
            draw_field(u, i, y + row, x, lw, half - lw - 3);
        }
        y += LEFT_FIELDS;
    }
    if (st.error[0]) {
        char lines[2][UI_WRAP_LINE];
        size_t n = ui_wrap(st.error, r->w - 4, lines, 2);
        for (size_t i = 0; i < n; i++)
            ui_put(y + (int)i, r->x + 2, r->w - 4, lines[i], UI_ST_WARN);
    }
    y += 2;
    ui_put(y++, r->x + 2, r->w - 4,
           st.amending ? _("Correction (the note itself stays as written):") : _("Summary of what was said:"),
           st.focus == F_SUMMARY ? UI_ST_HEADING : UI_ST_NORMAL);
    ui_rect ed = { y, r->x + 2, r->y + r->h - 1 - y, r->w - 4 };
    ui_textedit_draw(&st.text, u, &ed, st.focus == F_SUMMARY);
    ui_put(r->y + r->h - 1, r->x + 2, r->w - 4,
           _("Tab moves between fields; Enter in the summary starts a new line; F2 saves."), UI_ST_DIM);
}

static const screen_ops note_screen = {
    .name = "call-note",
    .title = N_("Call note"),
    .actions = note_actions,
    .n_actions = RK_ARRAY_LEN(note_actions),
    .globals = UI_G_HELP | UI_G_LOCK | UI_G_QUIT,
    .text_input = true,
    .leave = note_leave,
    .draw = note_draw,
    .action = note_action,
    .key = note_key,
};
