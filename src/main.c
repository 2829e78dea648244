/* Rekisteri: a keyboard-only client register for Finnish clinics. */
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "i18n.h"
#include "secure.h"
#include "ui.h"

int main(int argc, char **argv)
{
    setlocale(LC_ALL, "");
    rk_i18n_init();
    /* Registry files are private by default; a shared server sets the group
     * mode on the directory (see INSTALL). */
    umask(077);
    /* Past a file size limit (ulimit -f) a write must fail with EFBIG and the
     * save be refused with a message, not kill the program mid-save. */
    signal(SIGXFSZ, SIG_IGN);
    rk_err err;
    if (rk_secure_init(&err) != RK_OK) {
        fprintf(stderr, "rekisteri: %s\n", err.msg);
        return RK_EFAIL;
    }
    return rk_cli_main(argc, argv, rk_ui_run);
}
