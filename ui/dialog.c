#include "dialog.h"

#include <stdio.h>
#include <string.h>

#include "sanitize.h"

static struct {
    char title[128];
    char text[1024];
    ui_dialog_fn fn;
} st;

void ui_dialog_open(ui *u, const screen_ops *dialog, const char *title, const char *text,
                    ui_dialog_fn on_answer)
{
    rk_sanitize(st.title, sizeof st.title, title, 0);
    rk_sanitize(st.text, sizeof st.text, text, RK_SANITIZE_KEEP_NEWLINE);
    st.fn = on_answer;
    ui_push(u, dialog);
}

void ui_dialog_action(ui *u, ui_action a)
{
    const screen_ops *s = ui_top(u);
    for (size_t i = 0; i < s->n_actions; i++)
        if (s->actions[i] == a) {
            ui_dialog_fn fn = st.fn;
            /* Closed first: the answer may open another screen or dialog. */
            ui_pop(u);
            if (fn)
                fn(u, a);
            return;
        }
}

/* "y: Discard" for one of the dialog's actions. */
static void answer(ui_action a, char *buf, size_t n)
{
    char keys[64];
    ui_action_keys_label(a, keys, sizeof keys);
    snprintf(buf, n, "%s: %s", keys, ui_action_label(a));
}

#define GAP 4   /* columns between two answers on one line */

void ui_dialog_draw(ui *u, const ui_rect *r)
{
    const screen_ops *s = ui_top(u);
    char text[8][UI_WRAP_LINE], ans[8][128];
    size_t na = s->n_actions < 8 ? s->n_actions : 8;
    int aw = 0;
    for (size_t i = 0; i < na; i++) {
        answer(s->actions[i], ans[i], sizeof ans[i]);
        aw += (i ? GAP : 0) + ui_text_width(ans[i]);
    }
    int max = r->w - 4 < 76 ? r->w - 4 : 76;
    /* Paragraphs at line breaks, each wrapped. */
    char para[4][sizeof st.text];
    size_t np = 0;
    int w = aw + 4;
    for (const char *p = st.text; *p && np < 4; np++) {
        size_t len = strcspn(p, "\n");
        snprintf(para[np], sizeof para[np], "%.*s", (int)len, p);
        if (ui_text_width(para[np]) + 4 > w)
            w = ui_text_width(para[np]) + 4;
        p += len + (p[len] == '\n');
    }
    if (w < 40)
        w = 40;
    if (w > max)
        w = max;
    size_t nt = 0;
    for (size_t i = 0; i < np && nt < 8; i++)
        nt += ui_wrap(para[i], w - 4, text + nt, 8 - nt);
    /* The answers share one line when it holds them, else one line each. */
    bool one = aw <= w - 4;
    int nk = one ? 1 : (int)na;
    int h = (int)nt + nk + 3;   /* frame, text, blank line, answers */
    ui_rect box = { r->y + (r->h - h) / 2, r->x + (r->w - w) / 2, h, w };
    for (int y = box.y; y < box.y + box.h; y++)
        ui_fill(y, box.x, box.w, UI_ST_NORMAL);
    ui_box(&box, st.title, UI_ST_WARN);
    for (size_t i = 0; i < nt; i++)
        ui_put(box.y + 1 + (int)i, box.x + 2, w - 4, text[i], UI_ST_HEADING);
    int y = box.y + 2 + (int)nt, x = box.x + (w - aw) / 2;
    for (size_t i = 0; i < na; i++) {
        if (one) {
            x += ui_put(y, x, box.x + w - 2 - x, ans[i], UI_ST_DIM) + GAP;
        } else {
            ui_put(y++, box.x + 2, w - 4, ans[i], UI_ST_DIM);
        }
    }
}

static const ui_action discard_answers[] = { UI_ACT_DISCARD, UI_ACT_KEEP_EDITING };

static const screen_ops discard_dialog = {
    .name = "discard",
    .title = N_("Unsaved changes"),
    .actions = discard_answers,
    .n_actions = RK_ARRAY_LEN(discard_answers),
    .globals = UI_G_HELP | UI_G_LOCK | UI_G_QUIT,
    .overlay = true,
    .draw = ui_dialog_draw,
    .action = ui_dialog_action,
};

void ui_ask_discard(ui *u, ui_dialog_fn on_answer)
{
    ui_dialog_open(u, &discard_dialog, _("Unsaved changes"), _("Discard changes? (y/n)"), on_answer);
}
