/* The frame around every screen: title line, body box, message line and the
 * function-key bar; or the "terminal too small" notice. */
#ifndef RK_UI_FRAME_H
#define RK_UI_FRAME_H

#include "screen.h"

bool ui_frame_too_small(void);
/* Draws the whole terminal for the top screen and places the cursor. */
void ui_frame_draw(ui *u);

#endif
