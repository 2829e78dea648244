/* F1: the keys of the screen below, straight from the key table, so the
 * help cannot drift from what the keys do. Scrolls; Esc or F1 closes. */
#include <stdio.h>
#include <string.h>

#include "screen.h"

#define HELP_LINES 160
#define KEYS_COL 20

static struct {
    char keys[HELP_LINES][64];
    char text[HELP_LINES][UI_WRAP_LINE];
    ui_style style[HELP_LINES];
    size_t n;
    size_t top;
    int page;
} st;

static const ui_action help_actions[] = { UI_ACT_CANCEL };

static void add_line(const char *keys, const char *text, ui_style s)
{
    if (st.n >= HELP_LINES)
        return;
    snprintf(st.keys[st.n], sizeof st.keys[st.n], "%s", keys);
    snprintf(st.text[st.n], sizeof st.text[st.n], "%s", text);
    st.style[st.n++] = s;
}

static void add_wrapped(const char *keys, const char *text, int width, ui_style s)
{
    char lines[8][UI_WRAP_LINE];
    size_t n = ui_wrap(text, width, lines, 8);
    for (size_t i = 0; i < n; i++)
        add_line(i == 0 ? keys : "", lines[i], s);
}

/* Built at each draw: the width decides the wrapping. */
static void build(const ui *u, int width)
{
    const screen_ops *under = u->depth > 1 ? u->stack[u->depth - 2] : NULL;
    st.n = 0;
    if (!under)
        return;
    char title[256];
    snprintf(title, sizeof title, _("Keys of the screen \"%s\""), _(under->title));
    add_line("", title, UI_ST_HEADING);
    add_line("", "", UI_ST_NORMAL);
    ui_action acts[32];
    size_t n = ui_screen_actions(under, u, acts, RK_ARRAY_LEN(acts));
    for (size_t i = 0; i < n; i++) {
        char keys[64], text[UI_WRAP_LINE];
        ui_action_keys_label(acts[i], keys, sizeof keys);
        snprintf(text, sizeof text, "%s: %s", ui_action_label(acts[i]),
                 ui_action_help(acts[i]));
        add_wrapped(keys, text, width - KEYS_COL, UI_ST_NORMAL);
    }
    add_line("", "", UI_ST_NORMAL);
    add_wrapped("", _("Without function keys: press Esc and then a digit, or Alt and a digit (1-9; 0 is F10)."),
                width - KEYS_COL, UI_ST_DIM);
    if (!under->text_input)
        add_wrapped("", _("Up, Down, PgUp, PgDn, Home and End move in lists. Letter keys work here."),
                    width - KEYS_COL, UI_ST_DIM);
    else
        add_wrapped("", _("Left, Right, Home, End, Backspace and Delete edit the text; Ctrl-U empties the field."),
                    width - KEYS_COL, UI_ST_DIM);
}

static void help_enter(ui *u)
{
    (void)u;
    memset(&st, 0, sizeof st);
}

static void help_action(ui *u, ui_action a)
{
    if (a == UI_ACT_CANCEL)
        ui_pop(u);
}

static void help_key(ui *u, const ui_key *k)
{
    (void)u;
    size_t page = st.page > 1 ? (size_t)st.page - 1 : 1;
    if (!k->fn)
        return;
    switch (k->ch) {
    case KEY_UP:    if (st.top > 0) st.top--; break;
    case KEY_DOWN:  st.top++; break;
    case KEY_PPAGE: st.top = st.top > page ? st.top - page : 0; break;
    case KEY_NPAGE: st.top += page; break;
    case KEY_HOME:  st.top = 0; break;
    case KEY_END:   st.top = HELP_LINES; break;
    default: break;
    }
}

static void help_draw(ui *u, const ui_rect *r)
{
    build(u, r->w - 3);
    st.page = r->h;
    size_t h = r->h > 0 ? (size_t)r->h : 0;
    if (st.top + h > st.n)
        st.top = st.n > h ? st.n - h : 0;
    for (size_t i = 0; i < h && st.top + i < st.n; i++) {
        size_t l = st.top + i;
        int y = r->y + (int)i;
        ui_put(y, r->x + 1, KEYS_COL - 2, st.keys[l], UI_ST_FKEY_KEY);
        ui_put(y, r->x + 1 + KEYS_COL, r->w - KEYS_COL - 2, st.text[l], st.style[l]);
    }
    if (st.top > 0)
        ui_put(r->y, r->x + r->w - 1, 1, "^", UI_ST_DIM);
    if (st.top + h < st.n)
        ui_put(r->y + r->h - 1, r->x + r->w - 1, 1, "v", UI_ST_DIM);
}

const screen_ops ui_screen_help = {
    .name = "help",
    .title = N_("Help"),
    .actions = help_actions,
    .n_actions = RK_ARRAY_LEN(help_actions),
    .globals = UI_G_HELP | UI_G_QUIT,
    .enter = help_enter,
    .draw = help_draw,
    .action = help_action,
    .key = help_key,
};
