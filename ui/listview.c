#include "listview.h"

void ui_list_set_count(ui_listview *lv, size_t n)
{
    lv->n = n;
    if (lv->sel >= n)
        lv->sel = n ? n - 1 : 0;
    if (lv->top > lv->sel)
        lv->top = lv->sel;
}

bool ui_list_key(ui_listview *lv, const ui_key *k)
{
    size_t page = lv->height > 1 ? (size_t)lv->height - 1 : 1;
    if (!k->fn)
        return false;
    if (lv->n == 0)
        return k->ch == KEY_UP || k->ch == KEY_DOWN || k->ch == KEY_PPAGE ||
               k->ch == KEY_NPAGE || k->ch == KEY_HOME || k->ch == KEY_END;
    switch (k->ch) {
    case KEY_UP:    if (lv->sel > 0) lv->sel--; return true;
    case KEY_DOWN:  if (lv->sel + 1 < lv->n) lv->sel++; return true;
    case KEY_PPAGE: lv->sel = lv->sel > page ? lv->sel - page : 0; return true;
    case KEY_NPAGE: lv->sel = lv->sel + page < lv->n ? lv->sel + page : lv->n - 1; return true;
    case KEY_HOME:  lv->sel = 0; return true;
    case KEY_END:   lv->sel = lv->n - 1; return true;
    default:        return false;
    }
}

void ui_list_draw(ui_listview *lv, const ui_rect *r, ui_list_row_fn row, void *ctx,
                  bool highlight)
{
    lv->height = r->h;
    if (r->h <= 0 || r->w <= 1)
        return;
    size_t h = (size_t)r->h;
    if (lv->sel < lv->top)
        lv->top = lv->sel;
    if (lv->sel >= lv->top + h)
        lv->top = lv->sel - h + 1;
    if (lv->top + h > lv->n)   /* no empty space at the end when scrolled */
        lv->top = lv->n > h ? lv->n - h : 0;
    for (size_t i = 0; i < h && lv->top + i < lv->n; i++) {
        size_t idx = lv->top + i;
        bool sel = highlight && idx == lv->sel;
        int y = r->y + (int)i;
        if (sel)
            ui_fill(y, r->x, r->w - 1, UI_ST_SELECTED);
        row(ctx, idx, y, r->x, r->w - 1, sel);
    }
    if (lv->top > 0)
        ui_put(r->y, r->x + r->w - 1, 1, "^", UI_ST_DIM);
    if (lv->top + h < lv->n)
        ui_put(r->y + r->h - 1, r->x + r->w - 1, 1, "v", UI_ST_DIM);
}
