/* Shared main for every unit-test binary: each tests/unit/test_*.c defines
 * test_suite(); the Makefile links one binary per file. */
#include <check.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>

#include "secure.h"

Suite *test_suite(void);

int main(void)
{
    rk_err err;
    setlocale(LC_ALL, "C.UTF-8");
    if (rk_secure_init(&err) != RK_OK) {
        fprintf(stderr, "%s\n", err.msg);
        return 1;
    }
    SRunner *sr = srunner_create(test_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
