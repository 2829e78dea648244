/* The terminal user interface: entry point called by main(). */
#ifndef RK_UI_H
#define RK_UI_H

#include "registry.h"

/* Runs the TUI on the registry at paths until the user quits or a signal
 * (SIGHUP, SIGTERM, SIGINT) arrives. prefill_user (may be NULL) is put in
 * the login form's username field. The terminal is restored on every exit
 * path. Returns a process exit status. */
int rk_ui_run(const rk_paths *paths, const char *prefill_user);

#endif
