/* A question over the screen below, answered with the dialog's own actions
 * from the key table, so its keys, its bar and its help agree. Each dialog
 * is a const screen_ops with .overlay set, its answers as .actions and
 * ui_dialog_draw / ui_dialog_action as .draw / .action. */
#ifndef RK_UI_DIALOG_H
#define RK_UI_DIALOG_H

#include "screen.h"

/* Called after the dialog is closed, with the action that answered it. */
typedef void (*ui_dialog_fn)(ui *u, ui_action answer);

/* title and text are sanitized here (they may quote database text); a
 * line break in text starts a paragraph. */
void ui_dialog_open(ui *u, const screen_ops *dialog, const char *title, const char *text,
                    ui_dialog_fn on_answer);
void ui_dialog_draw(ui *u, const ui_rect *r);
/* The one question every screen holding unsaved edits asks before closing:
 * "Discard changes? (y/n)", answered with UI_ACT_DISCARD or
 * UI_ACT_KEEP_EDITING. */
void ui_ask_discard(ui *u, ui_dialog_fn on_answer);
void ui_dialog_action(ui *u, ui_action a);

#endif
