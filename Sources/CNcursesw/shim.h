#ifndef CNCURSESW_SHIM_H
#define CNCURSESW_SHIM_H
#define NCURSES_WIDECHAR 1
#define _XOPEN_SOURCE_EXTENDED 1
#include <locale.h>
#include <ncursesw/curses.h>

/* Swift 6 rejects the global stdscr and cannot call curses macros: typed wrappers. */
static inline WINDOW *cncursesw_stdscr(void) { return stdscr; }
static inline int cncursesw_color_pair(int n) { return COLOR_PAIR(n); }
static inline int cncursesw_lines(void) { return LINES; }
static inline int cncursesw_cols(void) { return COLS; }
static inline void cncursesw_getmaxyx(WINDOW *w, int *y, int *x) { int yy, xx; getmaxyx(w, yy, xx); *y = yy; *x = xx; }
static inline unsigned int cncursesw_a_bold(void) { return A_BOLD; }
static inline unsigned int cncursesw_a_reverse(void) { return A_REVERSE; }
static inline unsigned int cncursesw_a_dim(void) { return A_DIM; }
static inline unsigned int cncursesw_a_underline(void) { return A_UNDERLINE; }
static inline int cncursesw_key_resize(void) { return KEY_RESIZE; }
static inline int cncursesw_key_mouse(void) { return KEY_MOUSE; }

/* Added for the inspector (Terminal/Curses.swift). */
#include <stdio.h>
#include <signal.h>
#include <unistd.h>
static inline int cncursesw_attrset(unsigned int attr) { return wattrset(stdscr, (int)attr); }
static inline unsigned int cncursesw_a_normal(void) { return A_NORMAL; }
static inline WINDOW *cncursesw_newterm(void) {
    SCREEN *s = newterm(NULL, stdout, stdin);
    if (s == NULL) return NULL;
    set_term(s);
    return stdscr;
}
static inline void cncursesw_enable_wheel(void) {
    mousemask(BUTTON4_PRESSED | BUTTON5_PRESSED, NULL);
    mouseinterval(0);
}
/* -1 wheel up, 1 wheel down, 0 anything else. */
static inline int cncursesw_wheel(void) {
    MEVENT e;
    if (getmouse(&e) != OK) return 0;
    if (e.bstate & BUTTON4_PRESSED) return -1;
#ifdef BUTTON5_PRESSED
    if (e.bstate & BUTTON5_PRESSED) return 1;
#endif
    return 0;
}
static inline int cncursesw_addwstr(int y, int x, const wchar_t *s) { return mvaddwstr(y, x, s); }
#endif
