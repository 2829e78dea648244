/* A yes/no question over the screen below: Enter confirms, Esc cancels.
 * Keys rather than y/n letters, so translations need no key letters. */
#include <stdio.h>
#include <string.h>

#include "sanitize.h"
#include "screen.h"

static struct {
    char question[512];
    char arg[128];
    void (*on_yes)(ui *u, const char *arg);
} st;

static const ui_action confirm_actions[] = { UI_ACT_CONFIRM, UI_ACT_CANCEL };

void ui_confirm(ui *u, const char *question, void (*on_yes)(ui *u, const char *arg),
                const char *arg)
{
    rk_sanitize(st.question, sizeof st.question, question, 0);
    snprintf(st.arg, sizeof st.arg, "%s", arg ? arg : "");
    st.on_yes = on_yes;
    ui_push(u, &ui_screen_confirm);
}

static void confirm_action(ui *u, ui_action a)
{
    char arg[sizeof st.arg];
    void (*fn)(ui *, const char *) = st.on_yes;
    snprintf(arg, sizeof arg, "%s", st.arg);
    if (a == UI_ACT_CONFIRM && fn)
        fn(u, arg);            /* before the pop: the screen below reloads on resume */
    else if (a == UI_ACT_CANCEL)
        ui_msg_info(u, _("Cancelled."));
    if (a == UI_ACT_CONFIRM || a == UI_ACT_CANCEL)
        ui_pop(u);
}

static void confirm_draw(ui *u, const ui_rect *r)
{
    (void)u;
    char lines[6][UI_WRAP_LINE];
    int w = r->w - 8 < 64 ? r->w - 8 : 64;
    size_t n = ui_wrap(st.question, w - 4, lines, 6);
    int h = (int)n + 4;   /* frame, question, blank line, keys */
    ui_rect box = { r->y + (r->h - h) / 2, r->x + (r->w - w) / 2, h, w };
    for (int y = box.y; y < box.y + box.h; y++)
        ui_fill(y, box.x, box.w, UI_ST_NORMAL);
    ui_box(&box, _("Confirm"), UI_ST_WARN);
    for (size_t i = 0; i < n; i++)
        ui_put(box.y + 1 + (int)i, box.x + 2, w - 4, lines[i], UI_ST_HEADING);
    ui_put_centre(box.y + h - 2, box.x + 1, w - 2, _("Enter: yes, do it    Esc: no, cancel"),
                  UI_ST_DIM);
}

const screen_ops ui_screen_confirm = {
    .name = "confirm",
    .title = N_("Confirm"),
    .actions = confirm_actions,
    .n_actions = RK_ARRAY_LEN(confirm_actions),
    .globals = UI_G_HELP | UI_G_LOCK | UI_G_QUIT,
    .overlay = true,
    .draw = confirm_draw,
    .action = confirm_action,
};
