/* Rekisteri: a keyboard-only client register for Finnish clinics. */
#include <libgen.h>
#include <limits.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "secure.h"
#include "ui.h"

/* Catalogs come from the build tree when the program runs from it (make
 * builds build/locale/<lang>/LC_MESSAGES/rekisteri.mo), else from LOCALEDIR. */
static void setup_gettext(void)
{
    char exe[PATH_MAX], dir[PATH_MAX + 32];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    const char *localedir = LOCALEDIR;
    struct stat st;
    if (n > 0) {
        exe[n] = '\0';
        const char *d = dirname(exe);
        const char *tries[] = { "build/locale", "locale" };
        for (size_t i = 0; i < 2; i++) {
            snprintf(dir, sizeof dir, "%s/%s", d, tries[i]);
            if (stat(dir, &st) == 0 && S_ISDIR(st.st_mode)) {
                localedir = dir;
                break;
            }
        }
    }
    bindtextdomain("rekisteri", localedir);
    bind_textdomain_codeset("rekisteri", "UTF-8");
    textdomain("rekisteri");
}

int main(int argc, char **argv)
{
    setlocale(LC_ALL, "");
    setup_gettext();
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
