/* The one-line text input on screen: draws a ui_lineedit (masked: one '*'
 * per character) and applies the editing keys to it. */
#ifndef RK_UI_INPUT_H
#define RK_UI_INPUT_H

#include "draw.h"
#include "lineedit.h"

/* Draws the field in [x, x + w) of row y. When focused, cy and cx get the
 * cursor's screen position. */
void ui_input_draw(ui_lineedit *le, bool masked, int y, int x, int w, bool focus,
                   int *cy, int *cx);

/* Left/Right/Home/End/Backspace/Delete, Ctrl-A/Ctrl-E/Ctrl-U and printable
 * characters. True when the key was an editing key. */
bool ui_input_key(ui_lineedit *le, const ui_key *k);

#endif
