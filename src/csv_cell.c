#include "csv_cell.h"

#include <csv.h>
#include <stdlib.h>
#include <string.h>

static bool formula_start(char c)
{
    return c && strchr("=+-@\t\r", c) != NULL;
}

bool rk_csv_needs_neutralising(const char *v)
{
    while (*v == '\'')
        v++;
    return formula_start(*v);
}

void rk_csv_unneutralise(char *v)
{
    if (v[0] == '\'' && rk_csv_needs_neutralising(v + 1))
        memmove(v, v + 1, strlen(v));
}

int rk_csv_cell_delim(FILE *out, const char *value, bool first, char delim)
{
    if (!first && fputc(delim, out) == EOF)
        return RK_EFAIL;
    const char *v = value ? value : "";
    if (rk_csv_needs_neutralising(v)) {
        size_t len = strlen(v);
        char *buf = malloc(len + 2);
        if (!buf)
            return RK_EFAIL;
        buf[0] = '\'';
        memcpy(buf + 1, v, len + 1);
        int rc = csv_fwrite(out, buf, len + 1);
        free(buf);
        return rc == 0 ? RK_OK : RK_EFAIL;
    }
    return csv_fwrite(out, v, strlen(v)) == 0 ? RK_OK : RK_EFAIL;
}

int rk_csv_cell(FILE *out, const char *value, bool first)
{
    return rk_csv_cell_delim(out, value, first, ',');
}
