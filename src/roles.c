#include "roles.h"

#include <string.h>

static const struct {
    const char *name, *label, *desc;
} role_table[RK_ROLE_COUNT] = {
#define X(id, n, l, d) [RK_ROLE_##id] = { n, l, d },
    RK_ROLES(X)
#undef X
};

const char *rk_role_name(rk_role r)
{
    return r >= 0 && r < RK_ROLE_COUNT ? role_table[r].name : "?";
}

const char *rk_role_label(rk_role r)
{
    return r >= 0 && r < RK_ROLE_COUNT ? _(role_table[r].label) : "?";
}

const char *rk_role_description(rk_role r)
{
    return r >= 0 && r < RK_ROLE_COUNT ? _(role_table[r].desc) : "?";
}

rk_role rk_role_parse(const char *name)
{
    for (int r = 0; r < RK_ROLE_COUNT; r++)
        if (name && strcmp(name, role_table[r].name) == 0)
            return (rk_role)r;
    return RK_ROLE_NONE;
}
