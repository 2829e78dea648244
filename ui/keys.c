#include "keys.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wctype.h>

#include "term.h"

/* common.h's NC_ parenthesises its result; here the bare literals are glued
 * into gettext's "context EOT msgid" form at compile time. */
#undef NC_
#define NC_(ctx, s) ctx "\004" s

static const struct action_def {
    const char *name;
    ui_keyspec keys[2];
    bool bar;
    const char *ctx_label;   /* "fkey" EOT label, for rk_pgettext */
    const char *help;
} actions[UI_ACT_COUNT] = {
#define X(id, nm, k1, k2, inbar, lbl, hlp) \
    [UI_ACT_##id] = { nm, { k1, k2 }, inbar, lbl, hlp },
    UI_ACTIONS(X)
#undef X
};

const ui_action ui_global_actions[] = { UI_ACT_HELP, UI_ACT_LOCK, UI_ACT_QUIT, UI_ACT_REDRAW };
const size_t ui_global_actions_n = RK_ARRAY_LEN(ui_global_actions);

static bool valid(ui_action a) { return a >= 0 && a < UI_ACT_COUNT; }

const char *ui_action_name(ui_action a)  { return valid(a) ? actions[a].name : "?"; }
bool ui_action_in_bar(ui_action a)       { return valid(a) && actions[a].bar; }

const char *ui_action_label(ui_action a)
{
    if (!valid(a))
        return "?";
    const char *msgid = strchr(actions[a].ctx_label, '\004');
    return rk_pgettext(actions[a].ctx_label, msgid ? msgid + 1 : actions[a].ctx_label);
}

const char *ui_action_help(ui_action a)
{
    return valid(a) ? _(actions[a].help) : "?";
}

const ui_keyspec *ui_action_keys(ui_action a, size_t *n)
{
    *n = 0;
    if (!valid(a))
        return NULL;
    *n = actions[a].keys[1].kind == UK_NONE ? 1 : 2;
    return actions[a].keys;
}

/* A yes/no answer letter: the translated one ("k"/"e" in Finnish, "j"/"n" in
 * Swedish) and the English one, which habit and scripts may still type. */
static const char *answer_letter(bool yes)
{
    return yes ? C_("answer key", "y") : C_("answer key", "n");
}

static bool answer_matches(const ui_key *k, bool yes)
{
    if (k->fn)
        return false;
    wint_t c = (wint_t)towlower(k->ch), en = yes ? L'y' : L'n';
    wchar_t tr;
    return c == en || (mbtowc(&tr, answer_letter(yes), MB_CUR_MAX) > 0 && c == (wint_t)towlower(tr));
}

void ui_keyspec_label(const ui_keyspec *k, char *buf, size_t n)
{
    switch (k->kind) {
    case UK_FKEY:   snprintf(buf, n, "F%d", k->val); break;
    case UK_CTRL:   snprintf(buf, n, "%s-%c", C_("key", "Ctrl"), k->val); break;
    case UK_LETTER:
        if (k->val == ' ')
            snprintf(buf, n, "%s", C_("key", "Space"));
        else
            snprintf(buf, n, "%c", k->val);
        break;
    case UK_YES:    snprintf(buf, n, "%s", answer_letter(true)); break;
    case UK_NO:     snprintf(buf, n, "%s", answer_letter(false)); break;
    case UK_ENTER:  snprintf(buf, n, "%s", C_("key", "Enter")); break;
    case UK_ESC:    snprintf(buf, n, "%s", C_("key", "Esc")); break;
    case UK_TAB:    snprintf(buf, n, "%s", C_("key", "Tab")); break;
    case UK_BTAB:   snprintf(buf, n, "%s", C_("key", "Shift-Tab")); break;
    case UK_CPGUP:  snprintf(buf, n, "%s", C_("key", "Ctrl-PgUp")); break;
    case UK_CPGDN:  snprintf(buf, n, "%s", C_("key", "Ctrl-PgDn")); break;
    case UK_NONE:   snprintf(buf, n, "%s", ""); break;
    }
}

void ui_action_keys_label(ui_action a, char *buf, size_t n)
{
    size_t nk;
    const ui_keyspec *ks = ui_action_keys(a, &nk);
    size_t used = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < nk && used < n; i++) {
        char one[32];
        ui_keyspec_label(&ks[i], one, sizeof one);
        int w = snprintf(buf + used, n - used, "%s%s", i ? ", " : "", one);
        if (w < 0)
            break;
        used += (size_t)w;
    }
}

/* Extended keys get their codes from terminfo at run time: match by name. */
static bool named_key(const ui_key *k, const char *name)
{
    const char *kn = k->fn ? keyname((int)k->ch) : NULL;
    return kn && strcmp(kn, name) == 0;
}

bool ui_key_matches(const ui_key *k, const ui_keyspec *s, bool letters)
{
    switch (s->kind) {
    case UK_FKEY:   return k->fn && k->ch == (wint_t)KEY_F(s->val);
    case UK_CTRL:   return !k->fn && k->ch == (wint_t)(s->val & 0x1f);
    case UK_LETTER: return letters && !k->fn && k->ch == (wint_t)s->val;
    case UK_ENTER:  return k->fn ? k->ch == KEY_ENTER : (k->ch == '\r' || k->ch == '\n');
    case UK_ESC:    return !k->fn && k->ch == 27;
    case UK_TAB:    return !k->fn && k->ch == '\t';
    case UK_BTAB:   return k->fn && k->ch == KEY_BTAB;
    case UK_YES:    return answer_matches(k, true);
    case UK_NO:     return answer_matches(k, false);
    case UK_CPGUP:  return named_key(k, "kPRV5");
    case UK_CPGDN:  return named_key(k, "kNXT5");
    case UK_NONE:   return false;
    }
    return false;
}

ui_action ui_key_action(const ui_key *k, const ui_action *acts, size_t n, bool letters)
{
    for (size_t i = 0; i < n; i++) {
        size_t nk;
        const ui_keyspec *ks = ui_action_keys(acts[i], &nk);
        for (size_t j = 0; j < nk; j++)
            if (ui_key_matches(k, &ks[j], letters))
                return acts[i];
    }
    return UI_ACT_NONE;
}
