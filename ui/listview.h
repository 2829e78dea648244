/* A scrolling list with one highlighted row. The list holds no data: the
 * screen draws each visible row through a callback. */
#ifndef RK_UI_LISTVIEW_H
#define RK_UI_LISTVIEW_H

#include "draw.h"

typedef struct ui_listview {
    size_t n;       /* rows */
    size_t sel;     /* highlighted row (0 when empty) */
    size_t top;     /* first row shown */
    int height;     /* rows shown at the last draw (page size) */
} ui_listview;

typedef void (*ui_list_row_fn)(void *ctx, size_t i, int y, int x, int w, bool selected);

/* Keeps the selection in range after the data changed. */
void ui_list_set_count(ui_listview *lv, size_t n);
/* Up/Down/PgUp/PgDn/Home/End. True when the key moved (or was one of) them. */
bool ui_list_key(ui_listview *lv, const ui_key *k);
/* Draws rows into r (scrolled to show the selection), with a marker on the
 * right edge when there are rows above or below. */
void ui_list_draw(ui_listview *lv, const ui_rect *r, ui_list_row_fn row, void *ctx,
                  bool highlight);

#endif
