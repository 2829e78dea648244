/* The client card. One tab per data category the role sees anything of,
 * fields built from the field table (src/fields.h) with the levels the
 * service returned: hidden fields are not there at all, masked and
 * read-only ones are shown but never take the cursor. Edits go to a copy of
 * the card as read; saving gives both to rk_clients_save, which refuses to
 * overwrite a newer version (the conflict dialog then offers Reload or
 * Review, never a silent overwrite). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "client_format.h"
#include "clients.h"
#include "dialog.h"
#include "form.h"
#include "listview.h"
#include "requests.h"
#include "sanitize.h"
#include "screen.h"

#define TEXT_BUF (RK_CLIENT_TEXT_MAX * 2 + 1)   /* display text, line breaks as 2-byte marks */
#define EDITOR_WIDTH 50
#define CHOICE_WIDTH 32
#define DUP_MAX 8

/* The person's requests (GDPR 15-22) follow the data categories as one more
 * tab, for the roles that register or decide them. */
#define TAB_REQUESTS ((rk_category)RK_CAT_COUNT)

/* A line break inside a long text, shown and typed as a pilcrow: the line
 * editor holds one line. */
#define BREAK_UTF8 "\xc2\xb6"

typedef struct card_field {
    ui_field ed;          /* line editor; no storage for choices and lists */
    bool editable;        /* a scalar the role may change here, or a list it may edit */
    bool dirty;           /* typed since it was last put on the card */
    size_t sub;           /* selected item of a list or flag set */
    char error[512];      /* sanitized; "" = none */
} card_field;

static struct {
    rk_client *orig;      /* as read (or blank): what the save is compared with */
    rk_client *edit;      /* the user's copy */
    rk_client *current;   /* after a conflict: the card as saved now */
    bool is_new;
    bool dup_answered;    /* "create anyway" was chosen */
    int64_t dup_id;
    rk_conflict conflict;
    card_field cf[RK_F_COUNT];
    rk_category tabs[RK_CAT_COUNT + 1];
    size_t ntabs, tab;
    rk_request *requests;  /* the requests tab's rows, read when it is shown */
    size_t nrequests;
    bool requests_read;
    int focus;            /* field with the cursor, -1 = none on this tab */
    int scroll;           /* first layout row shown */

    /* the sub-form adding one list item */
    rk_field item_list;
    const rk_choice_list *item_choices;
    ui_field item[3];
    int item_text_at, item_date_at, item_choice_at;   /* indices in item[], -1 = none */
    ui_form item_form;

    /* conflict review: the fields the user changed */
    rk_field review[RK_F_COUNT];
    size_t nreview;
    ui_listview review_lv;
} st;

static const ui_action card_actions[] = {
    UI_ACT_SAVE, UI_ACT_CONSENTS, UI_ACT_CALL_NOTES, UI_ACT_TAB_PREV, UI_ACT_TAB_NEXT, UI_ACT_CARD_CLOSE,
    UI_ACT_ITEM_ADD, UI_ACT_ITEM_DELETE, UI_ACT_NEXT_FIELD, UI_ACT_PREV_FIELD,
    UI_ACT_REQUEST_NEW, UI_ACT_CLIENT_ERASE,
};
static const ui_action conflict_answers[] = { UI_ACT_RELOAD, UI_ACT_REVIEW, UI_ACT_CANCEL };
static const ui_action dup_answers[] = { UI_ACT_DUP_OPEN, UI_ACT_DUP_CREATE, UI_ACT_CANCEL };
static const ui_action item_actions[] = {
    UI_ACT_SAVE, UI_ACT_CANCEL, UI_ACT_NEXT_FIELD, UI_ACT_PREV_FIELD,
};
static const ui_action review_actions[] = { UI_ACT_REAPPLY, UI_ACT_RELOAD, UI_ACT_CLOSE };

static const screen_ops conflict_dialog, dup_dialog, item_screen, review_screen;

/* ---- the card's data ------------------------------------------------------ */

static bool is_text(rk_field f)
{
    switch (rk_fields[f].type) {
    case RK_FT_TEXT: case RK_FT_LONGTEXT: case RK_FT_NAME: case RK_FT_HETU: case RK_FT_DATE:
    case RK_FT_POSTCODE: case RK_FT_COUNTRY: case RK_FT_YTUNNUS:
        return true;
    default:
        return false;
    }
}

static bool visible(const rk_client *c, rk_field f)
{
    return c->level[f] != RK_LEVEL_HIDDEN;
}

static size_t list_count(const rk_client *c, rk_field f)
{
    switch (rk_fields[f].type) {
    case RK_FT_PHONES: return c->nphones;
    case RK_FT_EMAILS: return c->nemails;
    case RK_FT_HOUSEHOLD: return c->nhousehold + c->nhousehold_of;   /* own ones first */
    case RK_FT_EVENTS: return c->nevents;
    case RK_FT_SOURCES: return c->nsources;
    default: return 0;
    }
}

/* One list item as shown, sanitized. */
static void item_text(const rk_client *c, rk_field f, size_t i, char *out, size_t n)
{
    char tmp[1200], d[32];
    tmp[0] = '\0';
    switch (rk_fields[f].type) {
    case RK_FT_PHONES:
        snprintf(tmp, sizeof tmp, "%s (%s)", c->phones[i].number,
                 rk_choice_label(&rk_choices_phone_type, c->phones[i].type));
        break;
    case RK_FT_EMAILS:
        snprintf(tmp, sizeof tmp, "%s (%s)", c->emails[i].address,
                 rk_choice_label(&rk_choices_email_type, c->emails[i].type));
        break;
    case RK_FT_HOUSEHOLD:
        if (i < c->nhousehold)
            snprintf(tmp, sizeof tmp, "%s: %s",
                     rk_choice_label(&rk_choices_relation, c->household[i].relation),
                     c->household[i].other_name);
        else
            snprintf(tmp, sizeof tmp, _("%s lists this client as: %s"),
                     c->household_of[i - c->nhousehold].other_name,
                     rk_choice_label(&rk_choices_relation, c->household_of[i - c->nhousehold].relation));
        break;
    case RK_FT_EVENTS:
        rk_format_iso_date(c->events[i].date, d, sizeof d);
        snprintf(tmp, sizeof tmp, "%s %s: %s", d,
                 rk_choice_label(&rk_choices_event_kind, c->events[i].kind), c->events[i].text);
        break;
    case RK_FT_SOURCES:
        rk_format_iso_date(c->sources[i].date, d, sizeof d);
        snprintf(tmp, sizeof tmp, "%s %s%s%s", d,
                 rk_choice_label(&rk_choices_source, c->sources[i].source),
                 c->sources[i].note[0] ? ": " : "", c->sources[i].note);
        break;
    default:
        break;
    }
    rk_sanitize(out, n, tmp, 0);
}

/* One list item's stored values, for comparing cards. */
static void item_raw(const rk_client *c, rk_field f, size_t i, char *out, size_t n)
{
    switch (rk_fields[f].type) {
    case RK_FT_PHONES:
        snprintf(out, n, "%s\x1f%s", c->phones[i].type, c->phones[i].number);
        break;
    case RK_FT_EMAILS:
        snprintf(out, n, "%s\x1f%s", c->emails[i].type, c->emails[i].address);
        break;
    case RK_FT_HOUSEHOLD: {
        const rk_household_link *h = i < c->nhousehold ? &c->household[i]
                                                        : &c->household_of[i - c->nhousehold];
        snprintf(out, n, "%s%lld\x1f%s", i < c->nhousehold ? "" : "<", (long long)h->other_id,
                 h->relation);
        break;
    }
    case RK_FT_EVENTS:
        snprintf(out, n, "%s\x1f%s\x1f%s", c->events[i].date, c->events[i].kind,
                 c->events[i].text);
        break;
    case RK_FT_SOURCES:
        snprintf(out, n, "%s\x1f%s\x1f%s", c->sources[i].source, c->sources[i].date,
                 c->sources[i].note);
        break;
    default:
        out[0] = '\0';
        break;
    }
}

static bool field_differs(const rk_client *a, const rk_client *b, rk_field f)
{
    if (!rk_field_is_list(f)) {
        const char *va = a->value[f] ? a->value[f] : "", *vb = b->value[f] ? b->value[f] : "";
        return strcmp(va, vb) != 0;
    }
    size_t n = list_count(a, f);
    if (n != list_count(b, f))
        return true;
    for (size_t i = 0; i < n; i++) {
        char x[1200], y[1200];
        item_raw(a, f, i, x, sizeof x);
        item_raw(b, f, i, y, sizeof y);
        if (strcmp(x, y) != 0)
            return true;
    }
    return false;
}

static bool modified(void)
{
    if (!st.orig || !st.edit)
        return false;
    for (int f = 0; f < RK_F_COUNT; f++)
        if (st.cf[f].dirty || field_differs(st.orig, st.edit, (rk_field)f))
            return true;
    return false;
}

/* A field's value as one line of text (lists joined), sanitized. */
static void value_line(const rk_client *c, rk_field f, char *out, size_t n)
{
    out[0] = '\0';
    if (!visible(c, f))
        return;
    if (!rk_field_is_list(f)) {
        char tmp[TEXT_BUF];
        rk_client_display_value(c, f, tmp, sizeof tmp);
        for (char *p = tmp; *p; p++)
            if (*p == '\n')
                *p = ' ';
        snprintf(out, n, "%s", tmp);
        return;
    }
    size_t used = 0;
    for (size_t i = 0, cnt = list_count(c, f); i < cnt && used + 1 < n; i++) {
        char item[1200];
        item_text(c, f, i, item, sizeof item);
        int w = snprintf(out + used, n - used, "%s%s", i ? "; " : "", item);
        if (w < 0)
            break;
        used += (size_t)w;
    }
}

/* "Mäkinen, Anna, customer number 1001", sanitized. */
static void client_heading(const rk_client *o, char *out, size_t n)
{
    char buf[512], name[512];
    snprintf(buf, sizeof buf, "%s, %s", o->value[RK_F_LAST_NAME] ? o->value[RK_F_LAST_NAME] : "",
             o->value[RK_F_FIRST_NAMES] ? o->value[RK_F_FIRST_NAMES] : "");
    rk_sanitize(name, sizeof name, buf, 0);
    const char *cno = o->value[RK_F_CUSTOMER_NO];
    if (cno && cno[0])
        snprintf(buf, sizeof buf, _("%s, customer number %s"), name, cno);
    else
        snprintf(buf, sizeof buf, "%s", name);
    rk_sanitize(out, n, buf, 0);
}

/* ---- editors -------------------------------------------------------------- */

/* The card's value as the editor shows it: display form (d.m.yyyy dates),
 * line breaks as pilcrows. */
static void editor_text(rk_field f, char *out, size_t n)
{
    char tmp[TEXT_BUF];
    size_t o = 0;
    rk_client_display_value(st.edit, f, tmp, sizeof tmp);
    for (const char *p = tmp; *p && o + 3 < n; p++) {
        if (*p == '\n') {
            memcpy(out + o, BREAK_UTF8, 2);
            o += 2;
        } else {
            out[o++] = *p;
        }
    }
    out[o] = '\0';
}

/* Reloads every editor the user is not in the middle of changing: a saved
 * value comes back normalised, and a henkilötunnus sets the birth date. */
static void sync_editors(void)
{
    for (int f = 0; f < RK_F_COUNT; f++) {
        card_field *x = &st.cf[f];
        if (!x->ed.storage || x->dirty)
            continue;
        char want[TEXT_BUF], have[TEXT_BUF];
        editor_text((rk_field)f, want, sizeof want);
        if (!ui_field_get(&x->ed, have, sizeof have) || strcmp(want, have) != 0)
            ui_le_set_utf8(&x->ed.le, want);
    }
}

/* The services' messages start with the field's label; beside the field
 * that would be said twice. */
static const char *without_label(rk_field f, const char *msg)
{
    const char *l = _(rk_fields[f].label);
    size_t n = strlen(l);
    if (msg && strncmp(msg, l, n) == 0 && msg[n] == ':' && msg[n + 1] == ' ')
        return msg + n + 2;
    return msg ? msg : "";
}

static void set_error(rk_field f, const char *msg)
{
    char *e = st.cf[f].error;
    rk_sanitize(e, sizeof st.cf[f].error, without_label(f, msg), 0);
    if (e[0] >= 'a' && e[0] <= 'z')
        e[0] = (char)(e[0] - 'a' + 'A');
}

/* Puts a typed value on the card through rk_client_set (which validates and
 * normalises). False, with the message at the field, when it is refused. */
static bool apply_field(rk_field f)
{
    card_field *x = &st.cf[f];
    if (!x->dirty || !x->ed.storage)
        return true;
    char buf[TEXT_BUF], *w = buf;
    rk_err err;
    if (!ui_field_get(&x->ed, buf, sizeof buf)) {
        set_error(f, _("The text is too long."));
        return false;
    }
    for (const char *p = buf; *p;) {
        if (strncmp(p, BREAK_UTF8, 2) == 0) {
            *w++ = '\n';
            p += 2;
        } else {
            *w++ = *p++;
        }
    }
    *w = '\0';
    if (rk_client_set(st.edit, f, buf, &err) != RK_OK) {
        set_error(f, err.msg);
        return false;
    }
    x->dirty = false;
    x->error[0] = '\0';
    sync_editors();
    return true;
}

/* Every typed value onto the card. Returns the first field refused, or -1. */
static int apply_all(void)
{
    int bad = -1;
    for (int f = 0; f < RK_F_COUNT; f++)
        if (!apply_field((rk_field)f) && bad < 0)
            bad = f;
    return bad;
}

static void free_card(void)
{
    for (int f = 0; f < RK_F_COUNT; f++)
        ui_field_free(&st.cf[f].ed);
    memset(st.cf, 0, sizeof st.cf);
    rk_client_free(st.orig);
    rk_client_free(st.edit);
    rk_client_free(st.current);
    st.orig = st.edit = st.current = NULL;
    free(st.requests);
    st.requests = NULL;
    st.nrequests = 0;
    st.requests_read = false;
}

/* ---- tabs and focus ------------------------------------------------------- */

static bool focusable(rk_field f)
{
    if (!st.edit || !visible(st.edit, f))
        return false;
    if (rk_field_is_list(f))
        return st.cf[f].editable || list_count(st.edit, f) > 0;   /* browse what is there */
    return st.cf[f].editable;
}

static int tab_of(rk_field f)
{
    for (size_t t = 0; t < st.ntabs; t++)
        if (st.tabs[t] == rk_fields[f].category)
            return (int)t;
    return -1;
}

static int first_focus(size_t tab)
{
    for (int f = 0; f < RK_F_COUNT; f++)
        if (rk_fields[f].category == st.tabs[tab] && focusable((rk_field)f))
            return f;
    return -1;
}

static size_t sub_count(rk_field f)
{
    if (rk_field_is_list(f))
        return list_count(st.edit, f);
    if (rk_fields[f].type == RK_FT_FLAGS && st.cf[f].editable)
        return rk_fields[f].choices->count;
    return 0;
}

/* The field the cursor leaves: its text goes onto the card (an error stays
 * at the field; the user may come back to it). */
static void leave_focus(void)
{
    if (st.focus >= 0)
        apply_field((rk_field)st.focus);
}

static void show_tab(size_t tab)
{
    leave_focus();
    st.tab = tab;
    st.focus = first_focus(tab);
    st.scroll = 0;
    if (st.focus >= 0)
        st.cf[st.focus].sub = 0;
}

/* Tab order runs through every tab, so Tab from a tab's last field goes on
 * to the next tab. */
static void move_focus(int dir, bool into_end)
{
    int order[RK_F_COUNT], n = 0, at = -1;
    for (size_t t = 0; t < st.ntabs; t++)
        for (int f = 0; f < RK_F_COUNT; f++)
            if (rk_fields[f].category == st.tabs[t] && focusable((rk_field)f)) {
                if (f == st.focus)
                    at = n;
                order[n++] = f;
            }
    if (n == 0)
        return;
    int next;
    if (at >= 0) {
        next = (at + dir + n) % n;
    } else {
        /* nothing focused on this tab: the first field after it (or before) */
        next = dir > 0 ? 0 : n - 1;
        for (int i = 0; i < n; i++) {
            int k = dir > 0 ? i : n - 1 - i;
            int t = tab_of((rk_field)order[k]);
            if (dir > 0 ? t > (int)st.tab : t < (int)st.tab) {
                next = k;
                break;
            }
        }
    }
    leave_focus();
    rk_field f = (rk_field)order[next];
    int t = tab_of(f);
    if (t != (int)st.tab)
        st.scroll = 0;
    st.tab = (size_t)t;
    st.focus = f;
    size_t cnt = sub_count(f);
    st.cf[f].sub = into_end && cnt ? cnt - 1 : 0;
}

static bool focus_is_last(void)
{
    int last = -1;
    for (size_t t = 0; t < st.ntabs; t++)
        for (int f = 0; f < RK_F_COUNT; f++)
            if (rk_fields[f].category == st.tabs[t] && focusable((rk_field)f))
                last = f;
    return st.focus >= 0 && st.focus == last;
}

/* Shows a field (its tab, the cursor on it when it can take it). */
static void go_to(rk_field f)
{
    int t = tab_of(f);
    if (t < 0)
        return;
    if (t != (int)st.tab) {
        st.tab = (size_t)t;
        st.scroll = 0;
        st.focus = first_focus((size_t)t);
    }
    if (focusable(f))
        st.focus = f;
}

/* "Phone numbers: ..." names the field; the services' messages start so. */
static int field_named(const char *msg)
{
    for (int f = 0; f < RK_F_COUNT; f++) {
        const char *l = _(rk_fields[f].label);
        size_t n = strlen(l);
        if (strncmp(msg, l, n) == 0 && msg[n] == ':')
            return f;
    }
    return -1;
}

/* An error from a service: at its field when it names one the card shows. */
static void save_error(ui *u, int f, const char *msg)
{
    if (f < 0)
        f = field_named(msg);
    if (f >= 0 && f < RK_F_COUNT && visible(st.edit, (rk_field)f)) {
        set_error((rk_field)f, msg);
        go_to((rk_field)f);
    }
    ui_msg_error(u, _("Not saved: %s"), msg);
}

/* Takes ownership of c: the card as read (or blank), and its editors. */
static bool card_set(ui *u, rk_client *c, bool is_new)
{
    rk_err err;
    rk_client *e = rk_client_clone(c);
    if (!e) {
        rk_client_free(c);
        ui_msg_error(u, "%s", _("Out of memory."));
        return false;
    }
    /* Reloading the same client keeps the user's place. */
    rk_category keep = st.ntabs ? st.tabs[st.tab] : RK_CAT_IDENTITY;
    int keep_focus = st.orig && st.orig->id == c->id ? st.focus : -1;
    free_card();
    st.orig = c;
    st.edit = e;
    st.is_new = is_new;
    st.dup_answered = false;
    st.ntabs = 0;
    for (int k = 0; k < RK_CAT_COUNT; k++) {
        bool any = false;
        for (int f = 0; f < RK_F_COUNT; f++)
            any |= (int)rk_fields[f].category == k && visible(c, (rk_field)f);
        if (any)
            st.tabs[st.ntabs++] = (rk_category)k;
    }
    if (!is_new && rk_requests_may_list_client(u->session))
        st.tabs[st.ntabs++] = TAB_REQUESTS;
    for (int i = 0; i < RK_F_COUNT; i++) {
        rk_field f = (rk_field)i;
        card_field *x = &st.cf[f];
        if (!visible(c, f))
            continue;
        if (rk_field_is_list(f))
            x->editable = c->level[f] == RK_LEVEL_WRITE;
        else
            /* A masked field may be filled while empty: that shows nothing
             * (how the front desk enters a new henkilötunnus). */
            x->editable = !(rk_fields[f].flags & RK_FF_READONLY) &&
                          (c->level[f] == RK_LEVEL_WRITE ||
                           (c->level[f] == RK_LEVEL_MASKED && !c->value[f][0]));
        if (x->editable && is_text(f) &&
            ui_field_text(&x->ed, rk_fields[f].label, RK_CLIENT_TEXT_MAX, &err) != RK_OK) {
            x->editable = false;
            ui_msg_error(u, "%s", err.msg);
        }
    }
    sync_editors();
    st.tab = 0;
    for (size_t t = 0; t < st.ntabs; t++)
        if (st.tabs[t] == keep)
            st.tab = t;
    st.focus = st.ntabs ? first_focus(st.tab) : -1;
    if (keep_focus >= 0 && (int)rk_fields[keep_focus].category == (int)keep &&
        focusable((rk_field)keep_focus))
        st.focus = keep_focus;
    st.scroll = 0;
    return true;
}

/* Loads a client from the service (an audited read) onto the card. */
static bool card_load(ui *u, int64_t id)
{
    rk_client *c;
    rk_err err;
    if (rk_clients_get(u->session, id, &c, &err) != RK_OK) {
        ui_msg_error(u, "%s", err.msg);
        return false;
    }
    return card_set(u, c, false);
}

void ui_card_open(ui *u, int64_t id)
{
    if (card_load(u, id))
        ui_push(u, &ui_screen_card);
}

void ui_card_new(ui *u)
{
    rk_client *c;
    rk_err err;
    if (rk_clients_blank(u->session, &c, &err) != RK_OK) {
        ui_msg_error(u, "%s", err.msg);
        return;
    }
    if (c->level[RK_F_LAST_NAME] < RK_LEVEL_WRITE) {
        rk_client_free(c);
        ui_msg_error(u, "%s", _("Your role may not add clients."));
        return;
    }
    if (card_set(u, c, true))
        ui_push(u, &ui_screen_card);
}

/* Back from a form over the card (a request may have been registered). */
static void card_resume(ui *u)
{
    (void)u;
    st.requests_read = false;
}

static void card_leave(ui *u)
{
    (void)u;
    free_card();
    memset(&st, 0, sizeof st);
}

/* ---- saving --------------------------------------------------------------- */

static void create(ui *u);

static void on_duplicate(ui *u, ui_action a)
{
    if (a == UI_ACT_DUP_OPEN) {
        if (card_load(u, st.dup_id))
            ui_msg_info(u, "%s", _("The existing client's card is open; the new card was dropped."));
    } else if (a == UI_ACT_DUP_CREATE) {
        st.dup_answered = true;
        create(u);
    } else {
        ui_msg_info(u, "%s", _("Nothing saved."));
    }
}

static void saved(ui *u, int64_t id, const char *what)
{
    /* Read back as the role sees it now: masks, customer number, version. */
    if (!card_load(u, id)) {
        /* Saved, but not readable now: go on from what was saved (its
         * version is the new one), so the next save is not a conflict. */
        rk_client *c = rk_client_clone(st.edit);
        if (c)
            card_set(u, c, false);
        return;
    }
    if (st.orig && st.orig->value[RK_F_CUSTOMER_NO] && st.orig->value[RK_F_CUSTOMER_NO][0])
        ui_msg_info(u, _("%s: customer number %s."), what, st.orig->value[RK_F_CUSTOMER_NO]);
    else
        ui_msg_info(u, "%s.", what);
}

static void create(ui *u)
{
    rk_err err;
    if (!st.dup_answered) {
        int64_t ids[DUP_MAX];
        size_t n = 0;
        if (rk_clients_possible_duplicates(u->session, st.edit, ids, DUP_MAX, &n, &err) != RK_OK) {
            ui_msg_error(u, "%s", err.msg);
            return;
        }
        if (n > 0) {
            char q[512];
            st.dup_id = ids[0];
            snprintf(q, sizeof q, "%s",
                     _("A client with the same name and birth date exists: open it, or create a new client anyway?"));
            ui_dialog_open(u, &dup_dialog, _("Possible duplicate"), q, on_duplicate);
            return;
        }
    }
    int64_t existing = 0;
    int rc = rk_clients_create(u->session, st.edit, &existing, &err);
    if (rc == RK_OK) {
        saved(u, st.edit->id, _("Client added"));
    } else if (rc == RK_ECONFLICT && existing > 0) {
        /* The service's sentence does not fit the message line at 80 columns. */
        if (card_load(u, existing))
            ui_msg_error(u, "%s", _("Not added: the identity code is already in the register; here is that card."));
    } else {
        save_error(u, -1, err.msg);
    }
}

static void on_conflict(ui *u, ui_action a);

static void save(ui *u)
{
    rk_err err;
    int bad = apply_all();
    if (bad >= 0) {
        go_to((rk_field)bad);
        ui_msg_error(u, _("Not saved: %s"), st.cf[bad].error);
        return;
    }
    if (rk_client_check(st.edit, &bad, &err) != RK_OK) {
        save_error(u, bad, err.msg);
        return;
    }
    if (st.is_new) {
        create(u);
        return;
    }
    if (!modified()) {
        ui_msg_info(u, "%s", _("No changes to save."));
        return;
    }
    rk_conflict cf;
    memset(&cf, 0, sizeof cf);
    int rc = rk_clients_save(u->session, st.orig, st.edit, &cf, &err);
    if (rc == RK_OK) {
        saved(u, st.orig->id, _("Saved"));
    } else if (rc == RK_ECONFLICT) {
        char when[32], q[512];
        st.conflict = cf;
        rk_format_timestamp(cf.updated, when, sizeof when);
        snprintf(q, sizeof q,
                 _("%s saved this client at %s after you opened it.\n"
                   "Nothing of yours is saved yet: reload the card (your edits are dropped), "
                   "or review your changes beside theirs."),
                 cf.updated_by, when);
        ui_dialog_open(u, &conflict_dialog, _("Saved by someone else"), q, on_conflict);
    } else {
        save_error(u, -1, err.msg);
    }
}

static void reload(ui *u)
{
    if (card_load(u, st.orig->id))
        ui_msg_info(u, "%s", _("Card reloaded as saved now; your edits were dropped."));
}

static void on_conflict(ui *u, ui_action a)
{
    rk_err err;
    if (a == UI_ACT_RELOAD) {
        reload(u);
    } else if (a == UI_ACT_REVIEW) {
        rk_client_free(st.current);
        st.current = NULL;
        if (rk_clients_get(u->session, st.orig->id, &st.current, &err) != RK_OK) {
            ui_msg_error(u, "%s", err.msg);
            return;
        }
        ui_push(u, &review_screen);
    } else {
        ui_msg_info(u, "%s", _("Nothing saved; your edits are still on the card."));
    }
}

static void on_discard(ui *u, ui_action a)
{
    if (a == UI_ACT_DISCARD) {
        ui_msg_info(u, "%s", _("Changes discarded."));
        ui_pop(u);
    }
}

/* ---- editing keys --------------------------------------------------------- */

static int choice_index(rk_field f)
{
    const char *v = st.edit->value[f];
    if (!v || !v[0])
        return 0;
    if (rk_fields[f].type == RK_FT_BOOL)
        return strcmp(v, "1") == 0;
    const rk_choice_list *l = rk_fields[f].choices;
    for (size_t i = 0; i < l->count; i++)
        if (strcmp(l->items[i].value, v) == 0)
            return (int)i + 1;
    return 0;
}

/* Choices cycle through "not set" and the field's choices; yes/no fields
 * through no and yes. */
static void choice_step(rk_field f, int dir)
{
    rk_err err;
    bool b = rk_fields[f].type == RK_FT_BOOL;
    int n = b ? 2 : (int)rk_fields[f].choices->count + 1;
    int i = (choice_index(f) + dir + n) % n;
    const char *v = b ? (i ? "1" : "") : (i ? rk_fields[f].choices->items[i - 1].value : "");
    if (rk_client_set(st.edit, f, v, &err) != RK_OK)
        set_error(f, err.msg);
    else
        st.cf[f].error[0] = '\0';
}

static bool flag_on(rk_field f, size_t i)
{
    const char *v = st.edit->value[f] ? st.edit->value[f] : "";
    const char *name = rk_fields[f].choices->items[i].value;
    size_t n = strlen(name);
    for (const char *p = v; *p;) {
        size_t len = strcspn(p, ",");
        if (len == n && strncmp(p, name, n) == 0)
            return true;
        p += len;
        if (*p == ',')
            p++;
    }
    return false;
}

static void flag_toggle(rk_field f, size_t which)
{
    const rk_choice_list *l = rk_fields[f].choices;
    char v[512] = "";
    rk_err err;
    for (size_t i = 0; i < l->count; i++)
        if (flag_on(f, i) != (i == which)) {
            if (v[0])
                strncat(v, ",", sizeof v - strlen(v) - 1);
            strncat(v, l->items[i].value, sizeof v - strlen(v) - 1);
        }
    if (rk_client_set(st.edit, f, v, &err) != RK_OK)
        set_error(f, err.msg);
    else
        st.cf[f].error[0] = '\0';
}

static void delete_item(ui *u)
{
    if (st.focus < 0 || !rk_field_is_list((rk_field)st.focus)) {
        ui_msg_info(u, "%s", _("Move to a list (phone numbers, e-mail addresses, events, sources) to remove an item."));
        return;
    }
    rk_field f = (rk_field)st.focus;
    card_field *x = &st.cf[f];
    if (!x->editable) {
        ui_msg_error(u, "%s", _("Your role may not change this list."));
        return;
    }
    size_t n = list_count(st.edit, f);
    if (n == 0)
        return;
    if (rk_fields[f].type == RK_FT_HOUSEHOLD && x->sub >= st.edit->nhousehold) {
        ui_msg_error(u, "%s", _("That link is on the other client's card; remove it there."));
        return;
    }
    rk_client_remove_item(st.edit, f, x->sub);
    if (x->sub + 1 >= n && x->sub > 0)
        x->sub--;
    ui_msg_info(u, "%s", _("Item removed from the card; F2 saves the card."));
}

static void open_item_form(ui *u);

/* The consent grid and the call notes belong to a saved client; the card
 * stays open under them. */
static void open_beside(ui *u, ui_action a)
{
    char heading[512], extra[512];
    if (st.is_new) {
        ui_msg_info(u, "%s", _("Save the new client first: consents and call notes belong to a saved client."));
        return;
    }
    client_heading(st.orig, heading, sizeof heading);
    if (a == UI_ACT_CONSENTS) {
        bool popreg = visible(st.orig, RK_F_POPREG_BANS);
        if (popreg)
            value_line(st.orig, RK_F_POPREG_BANS, extra, sizeof extra);
        ui_consent_open(u, st.orig->id, heading, popreg ? extra : NULL);
    } else {
        /* A masked number is no number to call back. */
        bool number = st.orig->level[RK_F_PHONES] >= RK_LEVEL_READ && st.orig->nphones > 0;
        snprintf(extra, sizeof extra, "%s", number ? st.orig->phones[0].number : "");
        ui_calls_open(u, st.orig->id, heading, extra);
    }
}

static void card_action(ui *u, ui_action a)
{
    switch (a) {
    case UI_ACT_CONSENTS:
    case UI_ACT_CALL_NOTES:
        open_beside(u, a);
        break;
    case UI_ACT_SAVE:
        save(u);
        break;
    case UI_ACT_CARD_CLOSE:
        leave_focus();
        if (modified())
            ui_ask_discard(u, on_discard);
        else
            ui_pop(u);
        break;
    case UI_ACT_TAB_NEXT:
        if (st.ntabs)
            show_tab((st.tab + 1) % st.ntabs);
        break;
    case UI_ACT_TAB_PREV:
        if (st.ntabs)
            show_tab((st.tab + st.ntabs - 1) % st.ntabs);
        break;
    case UI_ACT_NEXT_FIELD:
        move_focus(1, false);
        break;
    case UI_ACT_PREV_FIELD:
        move_focus(-1, false);
        break;
    case UI_ACT_ITEM_ADD:
        open_item_form(u);
        break;
    case UI_ACT_ITEM_DELETE:
        delete_item(u);
        break;
    case UI_ACT_REQUEST_NEW:
        if (st.is_new) {
            ui_msg_error(u, "%s", _("Save the new client first; then register the request."));
        } else {
            char who[512];
            client_heading(st.orig, who, sizeof who);
            ui_request_form(u, st.orig->id, who);
        }
        break;
    case UI_ACT_CLIENT_ERASE:
        if (u->session->role != RK_ROLE_DPO) {
            ui_msg_error(u, "%s", _("Only the data protection officer erases clients."));
        } else if (st.is_new || modified()) {
            ui_msg_error(u, "%s", _("Save or discard the changes on the card first."));
        } else {
            char who[512];
            client_heading(st.orig, who, sizeof who);
            ui_erase_form(u, st.orig->id, st.orig->value[RK_F_CUSTOMER_NO], who);
        }
        break;
    default:
        break;
    }
}

static void card_key(ui *u, const ui_key *k)
{
    bool enter = k->fn ? k->ch == KEY_ENTER : (k->ch == '\r' || k->ch == '\n');
    if (st.focus < 0) {
        if (enter || (k->fn && k->ch == KEY_DOWN))
            move_focus(1, false);
        else if (k->fn && k->ch == KEY_UP)
            move_focus(-1, true);
        return;
    }
    rk_field f = (rk_field)st.focus;
    card_field *x = &st.cf[f];
    size_t cnt = sub_count(f);
    if (enter) {
        if (focus_is_last())
            save(u);
        else
            move_focus(1, false);
        return;
    }
    if (k->fn) {
        switch (k->ch) {
        case KEY_DOWN:
            if (x->sub + 1 < cnt)
                x->sub++;
            else
                move_focus(1, false);
            return;
        case KEY_UP:
            if (cnt && x->sub > 0)
                x->sub--;
            else
                move_focus(-1, true);
            return;
        case KEY_NPAGE:
        case KEY_PPAGE: {
            /* first or last field of the tab */
            int target = -1;
            for (int g = 0; g < RK_F_COUNT; g++)
                if (rk_fields[g].category == st.tabs[st.tab] && focusable((rk_field)g)) {
                    target = g;
                    if (k->ch == KEY_PPAGE)
                        break;
                }
            if (target >= 0 && target != st.focus) {
                leave_focus();
                st.focus = target;
                st.cf[target].sub = 0;
            }
            return;
        }
        default:
            break;
        }
    }
    if (rk_field_is_list(f)) {
        if (k->fn && k->ch == KEY_DC)
            delete_item(u);
        return;
    }
    if (!x->editable)
        return;
    switch (rk_fields[f].type) {
    case RK_FT_CHOICE:
    case RK_FT_BOOL:
        if (k->fn && k->ch == KEY_LEFT)
            choice_step(f, -1);
        else if ((k->fn && k->ch == KEY_RIGHT) || (!k->fn && k->ch == ' '))
            choice_step(f, 1);
        return;
    case RK_FT_FLAGS:
        if (!k->fn && k->ch == ' ')
            flag_toggle(f, x->sub);
        return;
    default:
        break;
    }
    if (!x->ed.storage)
        return;
    char before[TEXT_BUF], after[TEXT_BUF];
    if (!ui_field_get(&x->ed, before, sizeof before))
        before[0] = '\0';
    if (ui_input_key(&x->ed.le, k)) {
        if (!ui_field_get(&x->ed, after, sizeof after))
            after[0] = '\0';
        if (strcmp(before, after) != 0) {
            x->dirty = true;
            x->error[0] = '\0';   /* the user is fixing it */
        }
    }
}

/* ---- drawing -------------------------------------------------------------- */

typedef struct row_ctx {
    const ui_rect *area;
    int scroll;
} row_ctx;

/* Screen row of a layout row, or -1 when scrolled out of the area. */
static int row_y(const row_ctx *rc, int row)
{
    int y = row - rc->scroll;
    return y >= 0 && y < rc->area->h ? rc->area->y + y : -1;
}

static int label_width(void)
{
    int lw = 0;
    for (int f = 0; f < RK_F_COUNT; f++)
        if (rk_fields[f].category == st.tabs[st.tab] && visible(st.edit, (rk_field)f)) {
            int w = ui_text_width(_(rk_fields[f].label)) + 1;
            if (w > lw)
                lw = w;
        }
    return lw;
}

#define ERROR_LINES 3

static size_t error_lines(rk_field f, int width, char (*lines)[UI_WRAP_LINE])
{
    return st.cf[f].error[0] ? ui_wrap(st.cf[f].error, width, lines, ERROR_LINES) : 0;
}

/* Rows a field takes: its label row when the label is too long to sit
 * beside the value, its values, its error. */
static int field_rows(rk_field f, int lw, int vw, bool *own_label)
{
    char lines[ERROR_LINES][UI_WRAP_LINE];
    int rows = 1;
    *own_label = ui_text_width(_(rk_fields[f].label)) + 1 > lw;
    if (rk_field_is_list(f) || (rk_fields[f].type == RK_FT_FLAGS && st.cf[f].editable)) {
        size_t n = rk_field_is_list(f) ? list_count(st.edit, f) : rk_fields[f].choices->count;
        rows = n > 1 ? (int)n : 1;
    }
    return rows + (*own_label ? 1 : 0) + (int)error_lines(f, vw, lines);
}

static void draw_selector(const char *label, int y, int x, int w, bool focus)
{
    ui_style s = focus ? UI_ST_FIELD_FOCUS : UI_ST_FIELD;
    ui_fill(y, x, w, s);
    ui_glyph_put(y, x, UI_G_ARROW_L, s);
    ui_put(y, x + 2, w - 4, label, s);
    ui_glyph_put(y, x + w - 1, UI_G_ARROW_R, s);
}

static void draw_value(ui *u, const row_ctx *rc, rk_field f, int row, int fx, int fw, int vw)
{
    card_field *x = &st.cf[f];
    bool focus = st.focus == (int)f;
    int y;
    char buf[TEXT_BUF];

    if (rk_field_is_list(f)) {
        size_t n = list_count(st.edit, f);
        if (n == 0 && (y = row_y(rc, row)) >= 0)
            ui_put(y, fx, vw, _("(none)"), focus ? UI_ST_HEADING : UI_ST_DIM);
        for (size_t i = 0; i < n; i++) {
            if ((y = row_y(rc, row + (int)i)) < 0)
                continue;
            bool sel = focus && i == x->sub;
            item_text(st.edit, f, i, buf, sizeof buf);
            if (sel)
                ui_fill(y, fx, vw, UI_ST_SELECTED);
            ui_put(y, fx, vw, buf, sel ? UI_ST_SELECTED : UI_ST_NORMAL);
        }
        return;
    }
    if (rk_fields[f].type == RK_FT_FLAGS && x->editable) {
        const rk_choice_list *l = rk_fields[f].choices;
        for (size_t i = 0; i < l->count; i++) {
            if ((y = row_y(rc, row + (int)i)) < 0)
                continue;
            bool sel = focus && i == x->sub;
            snprintf(buf, sizeof buf, "[%s] %s", flag_on(f, i) ? "x" : " ", _(l->items[i].label));
            if (sel)
                ui_fill(y, fx, fw, UI_ST_SELECTED);
            ui_put(y, fx, fw, buf, sel ? UI_ST_SELECTED : UI_ST_NORMAL);
        }
        return;
    }
    if ((y = row_y(rc, row)) < 0)
        return;
    if (x->editable && x->ed.storage) {
        ui_input_draw(&x->ed.le, false, y, fx, fw, focus, &u->cursor_y, &u->cursor_x);
    } else if (x->editable) {
        int w = fw < CHOICE_WIDTH ? fw : CHOICE_WIDTH;
        int i = choice_index(f);
        const char *label = rk_fields[f].type == RK_FT_BOOL ? (i ? _("yes") : _("no"))
                          : i ? _(rk_fields[f].choices->items[i - 1].label) : _("(not set)");
        draw_selector(label, y, fx, w, focus);
    } else {
        value_line(st.edit, f, buf, sizeof buf);
        ui_put(y, fx, vw, buf, UI_ST_NORMAL);
    }
}

static void draw_fields(ui *u, const ui_rect *area)
{
    int lw = label_width();
    if (lw > area->w / 3)
        lw = area->w / 3;
    int lx = area->x + 2, fx = lx + lw + 1;
    int vw = area->w - (fx - area->x) - 1;
    int fw = vw < EDITOR_WIDTH ? vw : EDITOR_WIDTH;

    /* Layout first, then the scroll that shows the cursor's row. */
    int start[RK_F_COUNT], total = 0, want_top = 0, want_bottom = 0;
    for (int i = 0; i < RK_F_COUNT; i++) {
        rk_field f = (rk_field)i;
        start[f] = -1;
        if (rk_fields[f].category != st.tabs[st.tab] || !visible(st.edit, f))
            continue;
        bool own;
        int rows = field_rows(f, lw, vw, &own);
        start[f] = total;
        if (i == st.focus) {
            want_top = total;
            want_bottom = total + (own ? 1 : 0) + (int)st.cf[f].sub;
            if (st.cf[f].error[0])
                want_bottom = total + rows - 1;
        }
        total += rows;
    }
    if (want_bottom >= st.scroll + area->h)
        st.scroll = want_bottom - area->h + 1;
    if (want_top < st.scroll)
        st.scroll = want_bottom - want_top < area->h ? want_top : want_bottom;
    if (st.scroll > total - area->h)
        st.scroll = total - area->h;
    if (st.scroll < 0)
        st.scroll = 0;

    row_ctx rc = { area, st.scroll };
    for (int i = 0; i < RK_F_COUNT; i++) {
        rk_field f = (rk_field)i;
        if (start[f] < 0)
            continue;
        bool own, focus = i == st.focus;
        int rows = field_rows(f, lw, vw, &own), row = start[f], y;
        char label[256];
        snprintf(label, sizeof label, "%s:", _(rk_fields[f].label));
        ui_style ls = focus ? UI_ST_HEADING : st.cf[f].editable ? UI_ST_NORMAL : UI_ST_DIM;
        if ((y = row_y(&rc, row)) >= 0)
            ui_put(y, lx, own ? area->w - 3 : lw, label, ls);
        if (own)
            row++;
        draw_value(u, &rc, f, row, fx, fw, vw);
        char lines[ERROR_LINES][UI_WRAP_LINE];
        size_t ne = error_lines(f, vw, lines);
        for (size_t e = 0; e < ne; e++)
            if ((y = row_y(&rc, start[f] + rows - (int)ne + (int)e)) >= 0)
                ui_put(y, fx, vw, lines[e], UI_ST_WARN);
    }
    if (st.scroll > 0)
        ui_put(area->y, area->x + area->w - 1, 1, "^", UI_ST_DIM);
    if (st.scroll + area->h < total)
        ui_put(area->y + area->h - 1, area->x + area->w - 1, 1, "v", UI_ST_DIM);
}

static bool tab_has_error(size_t t)
{
    for (int f = 0; f < RK_F_COUNT; f++)
        if (rk_fields[f].category == st.tabs[t] && st.cf[f].error[0])
            return true;
    return false;
}

/* The tab strip; scrolled sideways so the current tab shows on narrow
 * terminals. */
static const char *tab_label(rk_category c)
{
    return c == TAB_REQUESTS ? _("Requests") : rk_category_label(c);
}

static void draw_tabs(int y, int x, int w)
{
    int widths[RK_CAT_COUNT + 1];
    for (size_t t = 0; t < st.ntabs; t++)
        widths[t] = ui_text_width(tab_label(st.tabs[t])) + 2;
    size_t first = 0;
    for (;;) {
        int used = first ? 2 : 0;
        for (size_t t = first; t <= st.tab; t++)
            used += widths[t];
        if (used + 2 <= w || first >= st.tab)
            break;
        first++;
    }
    int cx = x;
    if (first) {
        ui_glyph_put(y, cx, UI_G_ARROW_L, UI_ST_DIM);
        cx += 2;
    }
    for (size_t t = first; t < st.ntabs; t++) {
        if (cx + widths[t] > x + w - (t + 1 < st.ntabs ? 2 : 0)) {
            ui_glyph_put(y, x + w - 1, UI_G_ARROW_R, UI_ST_DIM);
            break;
        }
        char label[128];
        snprintf(label, sizeof label, " %s ", tab_label(st.tabs[t]));
        ui_style s = t == st.tab ? UI_ST_SELECTED : tab_has_error(t) ? UI_ST_WARN : UI_ST_NORMAL;
        ui_put(y, cx, widths[t], label, s);
        cx += widths[t];
    }
}

/* The requests tab: read (an audited read) the first time it is shown and
 * again after the card comes back from registering one. */
static void draw_requests(ui *u, const ui_rect *r)
{
    rk_err err;
    if (!st.requests_read) {
        st.requests_read = true;
        free(st.requests);
        st.requests = NULL;
        st.nrequests = 0;
        if (rk_requests_list(u->session, st.orig->id, false, &st.requests, &st.nrequests, &err) != RK_OK)
            ui_msg_error(u, "%s", err.msg);
    }
    if (st.nrequests == 0) {
        ui_put(r->y, r->x + 2, r->w - 4, _("No requests registered for this client."), UI_ST_DIM);
        return;
    }
    char today[RK_DATE_ISO_SIZE], line[512];
    rk_today(today);
    int y = r->y;
    size_t shown = st.nrequests;
    if ((int)shown > r->h)
        shown = (size_t)(r->h > 1 ? r->h - 1 : 0);
    for (size_t i = 0; i < shown; i++, y++) {
        const rk_request *q = &st.requests[i];
        bool late = rk_request_overdue(q, today);
        ui_request_line(q, line, sizeof line);
        ui_put(y, r->x + 2, 2, late ? "!" : " ", UI_ST_WARN);
        ui_put(y, r->x + 4, r->w - 6, line, late ? UI_ST_WARN : UI_ST_NORMAL);
    }
    if (shown < st.nrequests) {
        snprintf(line, sizeof line, _("%zu more at the requests desk."), st.nrequests - shown);
        ui_put(y, r->x + 4, r->w - 6, line, UI_ST_DIM);
    }
}

static const char *hint(void)
{
    static char buf[256];
    if (st.ntabs && st.tabs[st.tab] == TAB_REQUESTS) {
        char k[64];
        ui_action_keys_label(UI_ACT_REQUEST_NEW, k, sizeof k);
        snprintf(buf, sizeof buf, _("%s registers a request; the data protection officer answers it."), k);
        return buf;
    }
    if (st.focus < 0)
        return _("Nothing here your role may change. F7 and F8 switch sections.");
    rk_field f = (rk_field)st.focus;
    if (rk_field_is_list(f))
        return st.cf[f].editable ? _("F3 adds an item; F4 or Delete removes the selected one.")
                                 : _("Read only for your role. Up and Down move in the list.");
    switch (rk_fields[f].type) {
    case RK_FT_CHOICE: case RK_FT_BOOL:
        return _("Left and Right, or Space, choose.");
    case RK_FT_FLAGS:
        return _("Up and Down move; Space ticks or clears.");
    case RK_FT_DATE:
        return _("A date as d.m.yyyy, for example 13.10.1972.");
    case RK_FT_HETU:
        return _("Personal identity code, for example 131052-308T.");
    case RK_FT_LONGTEXT:
        return _("One line here; a pilcrow mark stands for a line break.");
    default:
        return "";
    }
}

static void card_draw(ui *u, const ui_rect *r)
{
    const rk_client *o = st.orig;
    char name[512], buf[512], when[32];
    if (!o)
        return;
    if (st.is_new)
        snprintf(name, sizeof name, "%s", _("New client"));
    else
        client_heading(o, name, sizeof name);
    /* A restricted record says so in a banner at the right of its name. */
    int bw = 0;
    if (o->restricted) {
        const char *banner = _("! PROCESSING RESTRICTED (GDPR 18)");
        bw = ui_text_width(banner);
        if (bw > (r->w - 4) / 2)
            bw = (r->w - 4) / 2;    /* the name keeps half the row */
        ui_put(r->y, r->x + r->w - 2 - bw, bw, banner, UI_ST_WARN);
        bw += 2;
    }
    ui_put(r->y, r->x + 2, r->w - 4 - bw, name, UI_ST_HEADING);

    if (st.is_new) {
        snprintf(buf, sizeof buf, "%s", _("Not saved yet"));
    } else {
        rk_format_timestamp(o->updated, when, sizeof when);
        snprintf(buf, sizeof buf, _("version %lld, saved by %s %s"), (long long)o->version,
                 o->updated_by, when);
    }
    rk_sanitize(name, sizeof name, buf, 0);
    int used = ui_put(r->y + 1, r->x + 2, r->w - 4, name, UI_ST_DIM);
    /* Status at the right of the same row. */
    char status[256] = "";
    if (modified())
        snprintf(status, sizeof status, "%s", _("* unsaved changes"));
    int sw = ui_text_width(status);
    if (status[0] && r->x + 2 + used + 2 + sw <= r->x + r->w - 2)
        ui_put(r->y + 1, r->x + r->w - 2 - sw, sw, status, UI_ST_WARN);

    draw_tabs(r->y + 2, r->x + 1, r->w - 2);
    if (st.ntabs == 0)
        return;
    ui_rect area = { r->y + 3, r->x, r->h - 4, r->w };
    if (st.tabs[st.tab] == TAB_REQUESTS)
        draw_requests(u, &area);
    else
        draw_fields(u, &area);
    ui_put_words(r->y + r->h - 1, r->x + 2, r->w - 4, hint(), UI_ST_DIM);
}

const screen_ops ui_screen_card = {
    .name = "card",
    .title = N_("Client card"),
    .actions = card_actions,
    .n_actions = RK_ARRAY_LEN(card_actions),
    .globals = UI_G_HELP | UI_G_LOCK | UI_G_QUIT,
    .text_input = true,
    .leave = card_leave,
    .resume = card_resume,
    .draw = card_draw,
    .action = card_action,
    .key = card_key,
};

/* ---- dialogs -------------------------------------------------------------- */

static const screen_ops conflict_dialog = {
    .name = "card-conflict",
    .title = N_("Saved by someone else"),
    .actions = conflict_answers,
    .n_actions = RK_ARRAY_LEN(conflict_answers),
    .globals = UI_G_HELP | UI_G_LOCK | UI_G_QUIT,
    .overlay = true,
    .draw = ui_dialog_draw,
    .action = ui_dialog_action,
};

static const screen_ops dup_dialog = {
    .name = "card-duplicate",
    .title = N_("Possible duplicate"),
    .actions = dup_answers,
    .n_actions = RK_ARRAY_LEN(dup_answers),
    .globals = UI_G_HELP | UI_G_LOCK | UI_G_QUIT,
    .overlay = true,
    .draw = ui_dialog_draw,
    .action = ui_dialog_action,
};

/* ---- adding a list item --------------------------------------------------- */

static const char *item_choice_label(int i)
{
    return _(st.item_choices->items[i].label);
}

static void item_free(void)
{
    for (size_t i = 0; i < RK_ARRAY_LEN(st.item); i++)
        ui_field_free(&st.item[i]);
    memset(st.item, 0, sizeof st.item);
    memset(&st.item_form, 0, sizeof st.item_form);
}

static bool item_text_field(size_t i, const char *label, size_t max, rk_err *err)
{
    return ui_field_text(&st.item[i], label, max, err) == RK_OK;
}

/* The form adding an item to each list: its title, its choice (label and
 * list), its text (label and longest), and where a date goes (-1: none).
 * Fields come in the order: the date at its place, the choice, the text. */
static const struct {
    rk_field_type type;
    const char *title, *choice;
    const rk_choice_list *choices;
    const char *text;
    size_t text_max;
    int date_at;
} item_kinds[] = {
    { RK_FT_PHONES, N_("Add a phone number"), N_("Type"), &rk_choices_phone_type,
      N_("Number"), 64, -1 },
    { RK_FT_EMAILS, N_("Add an e-mail address"), N_("Type"), &rk_choices_email_type,
      N_("Address"), RK_EMAIL_MAX, -1 },
    { RK_FT_HOUSEHOLD, N_("Add a household member"), N_("Relation"), &rk_choices_relation,
      N_("Client no. or ID code"), 32, -1 },
    { RK_FT_EVENTS, N_("Add an event"), N_("Kind"), &rk_choices_event_kind,
      N_("Text"), sizeof ((rk_event *)0)->text - 1, 0 },
    { RK_FT_SOURCES, N_("Add a data source"), N_("Source"), &rk_choices_source,
      N_("Note"), sizeof ((rk_source *)0)->note - 1, 1 },
};

static size_t item_kind(rk_field f)
{
    size_t k = 0;
    while (k + 1 < RK_ARRAY_LEN(item_kinds) && item_kinds[k].type != rk_fields[f].type)
        k++;
    return k;
}

static void open_item_form(ui *u)
{
    rk_err err;
    rk_field f = (rk_field)st.focus;
    if (st.focus < 0 || !rk_field_is_list(f)) {
        ui_msg_info(u, "%s", _("Move to a list (phone numbers, e-mail addresses, household, events, sources) to add an item."));
        return;
    }
    if (!st.cf[f].editable) {
        ui_msg_error(u, "%s", _("Your role may not change this list."));
        return;
    }
    item_free();
    st.item_list = f;
    st.item_text_at = st.item_date_at = st.item_choice_at = -1;
    char today[RK_DATE_TEXT];
    rk_format_today(today, sizeof today);
    size_t n = 0, k = item_kind(f), count = item_kinds[k].date_at >= 0 ? 3 : 2;
    bool ok = true;
    st.item_choices = item_kinds[k].choices;
    for (size_t at = 0; at < count && ok; at++) {
        if ((int)at == item_kinds[k].date_at) {
            st.item_date_at = (int)n;
            ok = item_text_field(n++, N_("Date"), 32, &err);
        } else if (st.item_choice_at < 0) {
            st.item_choice_at = (int)n++;
        } else {
            st.item_text_at = (int)n;
            ok = item_text_field(n++, item_kinds[k].text, item_kinds[k].text_max, &err);
        }
    }
    if (!ok) {
        item_free();
        ui_msg_error(u, "%s", err.msg);
        return;
    }
    ui_field_choice(&st.item[st.item_choice_at], item_kinds[k].choice,
                    (int)st.item_choices->count, item_choice_label, NULL, 0);
    if (st.item_date_at >= 0)
        ui_le_set_utf8(&st.item[st.item_date_at].le, today);
    st.item_form.fields = st.item;
    st.item_form.n = n;
    /* The type of a number rarely changes; the relation, what happened, or
     * where from, does. */
    bool text_first = rk_fields[f].type == RK_FT_PHONES || rk_fields[f].type == RK_FT_EMAILS;
    st.item_form.focus = (size_t)(text_first ? st.item_text_at : st.item_choice_at);
    ui_push(u, &item_screen);
}

static void item_save(ui *u)
{
    char text[600] = "", date[40] = "";
    rk_err err;
    rk_field f = st.item_list;
    const char *choice = st.item_choices->items[st.item[st.item_choice_at].choice].value;
    ui_form_clear_errors(&st.item_form);
    if (st.item_text_at >= 0 && !ui_field_get(&st.item[st.item_text_at], text, sizeof text)) {
        ui_field_error(&st.item[st.item_text_at], _("The text is too long."));
        return;
    }
    if (st.item_date_at >= 0 && !ui_field_get(&st.item[st.item_date_at], date, sizeof date))
        date[0] = '\0';
    int rc;
    switch (rk_fields[f].type) {
    case RK_FT_PHONES: rc = rk_client_add_phone(st.edit, choice, text, &err); break;
    case RK_FT_EMAILS: rc = rk_client_add_email(st.edit, choice, text, &err); break;
    case RK_FT_EVENTS: rc = rk_client_add_event(st.edit, date, choice, text, &err); break;
    case RK_FT_SOURCES: rc = rk_client_add_source(st.edit, choice, date, text, &err); break;
    case RK_FT_HOUSEHOLD: rc = rk_clients_add_household(u->session, st.edit, choice, text, &err); break;
    default: return;
    }
    if (rc != RK_OK) {
        /* The date is the one part the message may be about besides the text. */
        rk_date d;
        int at = st.item_date_at >= 0 && rk_date_parse(date, &d, NULL) != RK_OK
                 ? st.item_date_at : st.item_text_at;
        ui_field_error(&st.item[at], without_label(f, err.msg));
        st.item_form.focus = (size_t)at;
        ui_msg_error(u, "%s", err.msg);   /* whole, where the field's line is short */
        return;
    }
    /* The cursor on the new item: the last of the card's own (a household
     * list shows the links other cards hold after them). */
    size_t n = rk_fields[f].type == RK_FT_HOUSEHOLD ? st.edit->nhousehold : list_count(st.edit, f);
    st.cf[f].sub = n ? n - 1 : 0;
    st.cf[f].error[0] = '\0';
    ui_pop(u);
    ui_msg_info(u, "%s", _("Added to the card; F2 saves the card."));
}

static void item_action(ui *u, ui_action a)
{
    ui_form_screen_action(u, &st.item_form, a, item_save, NULL);
}

static void item_key(ui *u, const ui_key *k)
{
    ui_form_screen_key(u, &st.item_form, k, item_save);
}

static void item_leave(ui *u)
{
    (void)u;
    item_free();
}

static void item_draw(ui *u, const ui_rect *r)
{
    int w = r->w - 6 < 72 ? r->w - 6 : 72;
    int h = (int)st.item_form.n * 2 + 2;
    ui_rect box = { r->y + (r->h - h) / 2, r->x + (r->w - w) / 2, h, w };
    for (int y = box.y; y < box.y + box.h; y++)
        ui_fill(y, box.x, box.w, UI_ST_NORMAL);
    ui_box(&box, _(item_kinds[item_kind(st.item_list)].title), UI_ST_BORDER);
    ui_rect in = { box.y, box.x + 1, box.h - 1, box.w - 2 };
    ui_form_draw(&st.item_form, u, &in);
}

static const screen_ops item_screen = {
    .name = "card-item",
    .title = N_("Add an item"),
    .actions = item_actions,
    .n_actions = RK_ARRAY_LEN(item_actions),
    .globals = UI_G_HELP | UI_G_LOCK | UI_G_QUIT,
    .text_input = true,
    .overlay = true,
    .leave = item_leave,
    .draw = item_draw,
    .action = item_action,
    .key = item_key,
};

/* ---- conflict review ------------------------------------------------------ */

static void review_enter(ui *u)
{
    (void)u;
    st.nreview = 0;
    for (int f = 0; f < RK_F_COUNT; f++)
        if (field_differs(st.orig, st.edit, (rk_field)f))
            st.review[st.nreview++] = (rk_field)f;
    memset(&st.review_lv, 0, sizeof st.review_lv);
    ui_list_set_count(&st.review_lv, st.nreview);
}

/* A list field copied whole from src onto dst. */
static bool copy_list(rk_client *dst, const rk_client *src, rk_field f)
{
    rk_client *tmp = rk_client_clone(src);
    if (!tmp)
        return false;
#define SWAP(arr, n)                                                    \
    do { void *t_ = dst->arr; dst->arr = tmp->arr; tmp->arr = t_;       \
         size_t n_ = dst->n; dst->n = tmp->n; tmp->n = n_; } while (0)
    switch (rk_fields[f].type) {
    case RK_FT_PHONES: SWAP(phones, nphones); break;
    case RK_FT_EMAILS: SWAP(emails, nemails); break;
    case RK_FT_HOUSEHOLD: SWAP(household, nhousehold); break;
    case RK_FT_EVENTS: SWAP(events, nevents); break;
    case RK_FT_SOURCES: SWAP(sources, nsources); break;
    default: break;
    }
#undef SWAP
    rk_client_free(tmp);
    return true;
}

/* The card as saved now becomes the one the save compares with, and the
 * user's changed fields are put on top of it. */
static void reapply(ui *u)
{
    rk_client *mine = st.edit, *cur = st.current, *merged;
    rk_field changed[RK_F_COUNT];
    size_t n = st.nreview;
    memcpy(changed, st.review, sizeof changed);
    if (!cur || !(merged = rk_client_clone(cur))) {
        ui_msg_error(u, "%s", _("Out of memory."));
        return;
    }
    for (size_t i = 0; i < n; i++) {
        rk_field f = changed[i];
        if (!rk_field_is_list(f))
            rk_client_set_raw(merged, f, mine->value[f]);
        else if (!copy_list(merged, mine, f)) {
            rk_client_free(merged);
            ui_msg_error(u, "%s", _("Out of memory."));
            return;
        }
    }
    st.edit = NULL;       /* card_set frees the rest */
    st.current = NULL;
    rk_client_free(mine);
    ui_pop(u);
    if (!card_set(u, cur, false)) {
        rk_client_free(merged);
        return;
    }
    rk_client_free(st.edit);
    st.edit = merged;
    sync_editors();
    ui_msg_info(u, "%s", _("Your changes are on the card as saved now: check them and save with F2."));
}

static void review_action(ui *u, ui_action a)
{
    switch (a) {
    case UI_ACT_REAPPLY:
        reapply(u);
        break;
    case UI_ACT_RELOAD:
        ui_pop(u);
        reload(u);
        break;
    case UI_ACT_CLOSE:
        ui_pop(u);
        ui_msg_info(u, "%s", _("Nothing saved; your edits are still on the card."));
        break;
    default:
        break;
    }
}

static void review_key(ui *u, const ui_key *k)
{
    (void)u;
    ui_list_key(&st.review_lv, k);
}

static int review_cols[3];

static void review_row(void *ctx, size_t i, int y, int x, int w, bool sel)
{
    (void)ctx;
    (void)w;
    rk_field f = st.review[i];
    char buf[TEXT_BUF];
    ui_style s = sel ? UI_ST_SELECTED : UI_ST_NORMAL;
    bool both = st.current && field_differs(st.orig, st.current, f);
    int cx = x + 1;
    if (both)
        ui_put(y, x, 1, "!", sel ? s : UI_ST_WARN);
    ui_put(y, cx, review_cols[0], _(rk_fields[f].label), s);
    cx += review_cols[0] + 1;
    value_line(st.edit, f, buf, sizeof buf);
    ui_put(y, cx, review_cols[1], buf[0] ? buf : _("(empty)"), s);
    cx += review_cols[1] + 1;
    buf[0] = '\0';
    if (st.current)
        value_line(st.current, f, buf, sizeof buf);
    ui_put(y, cx, review_cols[2], buf[0] ? buf : _("(empty)"),
           sel ? s : both ? UI_ST_WARN : UI_ST_NORMAL);
}

static void review_draw(ui *u, const ui_rect *r)
{
    (void)u;
    char when[32], buf[512], line[512];
    rk_format_timestamp(st.conflict.updated, when, sizeof when);
    snprintf(buf, sizeof buf, _("Your changes beside the card as %s saved it at %s. ! = they changed the field too."),
             st.conflict.updated_by, when);
    rk_sanitize(line, sizeof line, buf, 0);
    char lines[2][UI_WRAP_LINE];
    size_t nl = ui_wrap(line, r->w - 4, lines, 2);
    for (size_t i = 0; i < nl; i++)
        ui_put(r->y + (int)i, r->x + 2, r->w - 4, lines[i], UI_ST_NORMAL);
    int w = r->w - 2;
    review_cols[0] = w / 4;
    review_cols[1] = (w - review_cols[0] - 2) / 2;
    review_cols[2] = w - review_cols[0] - review_cols[1] - 2;
    int y = r->y + 3, cx = r->x + 1;
    ui_put(y, cx, review_cols[0], _("Field"), UI_ST_HEADING);
    cx += review_cols[0] + 1;
    ui_put(y, cx, review_cols[1], _("Yours"), UI_ST_HEADING);
    cx += review_cols[1] + 1;
    ui_put(y, cx, review_cols[2], _("Saved now"), UI_ST_HEADING);
    ui_rect lr = { y + 1, r->x, r->h - 5, r->w };
    ui_list_draw(&st.review_lv, &lr, review_row, NULL, true);
    ui_put_words(r->y + r->h - 1, r->x + 2, r->w - 4,
                 _("F2 puts your changes on the card as saved now; F5 drops them."), UI_ST_DIM);
}

static const screen_ops review_screen = {
    .name = "card-review",
    .title = N_("Review your changes"),
    .actions = review_actions,
    .n_actions = RK_ARRAY_LEN(review_actions),
    .globals = UI_G_HELP | UI_G_LOCK | UI_G_QUIT,
    .enter = review_enter,
    .draw = review_draw,
    .action = review_action,
    .key = review_key,
};
