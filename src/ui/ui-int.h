/*
 * ui-int.h: what the screens of src/ui share, and nothing outside the
 * folder sees (it needs curses).
 */
#ifndef DIALAB_UI_INT_H
#define DIALAB_UI_INT_H

#include <curses.h>

/*
 * Draw s from (y, x) within width w, wrapping onto at most maxlines
 * lines; attrs[i] (or base, when attrs is NULL) is the attribute of
 * code point i.  Control characters show as reverse ^X, so data never
 * drives the terminal.  Returns the lines used.
 */
int ui_draw_text(int y, int x, int w, int maxlines, const char *s, const attr_t *attrs,
		 attr_t base);

#endif
