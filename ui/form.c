#include "form.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "sanitize.h"
#include "secure.h"

#define FIELD_WIDTH 40

int ui_field_text(ui_field *f, const char *label, size_t max_bytes, rk_err *err)
{
    memset(f, 0, sizeof *f);
    f->kind = UI_FIELD_TEXT;
    f->label = label;
    f->storage = calloc(max_bytes + 1, sizeof *f->storage);
    if (!f->storage)
        return rk_err_set(err, RK_EFAIL, _("Out of memory."));
    ui_le_init(&f->le, f->storage, max_bytes, max_bytes);
    return RK_OK;
}

int ui_field_secret(ui_field *f, const char *label, rk_err *err)
{
    memset(f, 0, sizeof *f);
    f->kind = UI_FIELD_SECRET;
    f->label = label;
    f->storage = rk_secure_alloc((RK_PASSWORD_MAX + 1) * sizeof *f->storage);
    if (!f->storage)
        return rk_err_set(err, RK_EFAIL, _("Out of secure memory."));
    ui_le_init(&f->le, f->storage, RK_PASSWORD_MAX, RK_PASSWORD_MAX);
    return RK_OK;
}

void ui_field_choice(ui_field *f, const char *label, int n, const char *(*lbl)(int),
                     const char *(*note)(int), int initial)
{
    memset(f, 0, sizeof *f);
    f->kind = UI_FIELD_CHOICE;
    f->label = label;
    f->n_choices = n;
    f->choice_label = lbl;
    f->choice_note = note;
    f->choice = initial;
}

void ui_field_free(ui_field *f)
{
    if (!f->storage)
        return;
    ui_le_clear(&f->le);
    if (f->kind == UI_FIELD_SECRET)
        rk_secure_free(f->storage);
    else
        free(f->storage);
    f->storage = NULL;
    f->le.buf = NULL;
}

void ui_field_error(ui_field *f, const char *msg)
{
    rk_sanitize(f->error, sizeof f->error, msg ? msg : "", 0);
}

bool ui_field_get(const ui_field *f, char *out, size_t n)
{
    if (!f->storage) {
        if (n)
            out[0] = '\0';
        return n > 0;
    }
    return ui_le_get_utf8(&f->le, out, n) != (size_t)-1;
}

char *ui_field_secret_dup(const ui_field *f, rk_err *err)
{
    char buf[RK_PASSWORD_MAX + 1];
    char *pw = NULL;
    if (!ui_field_get(f, buf, sizeof buf))
        rk_err_set(err, RK_EFAIL, _("The password is too long."));
    else
        pw = rk_password_dup(buf, err);
    sodium_memzero(buf, sizeof buf);
    return pw;
}

void ui_form_clear_errors(ui_form *form)
{
    for (size_t i = 0; i < form->n; i++)
        form->fields[i].error[0] = '\0';
}

static void draw_choice(ui_field *f, int y, int x, int w, bool focus)
{
    ui_style st = focus ? UI_ST_FIELD_FOCUS : UI_ST_FIELD;
    ui_fill(y, x, w, st);
    ui_glyph_put(y, x, UI_G_ARROW_L, st);
    ui_put(y, x + 2, w - 4, f->choice_label(f->choice), st);
    ui_glyph_put(y, x + w - 1, UI_G_ARROW_R, st);
}

void ui_field_draw(ui_field *f, ui *u, int y, int x, int w, bool focus)
{
    if (f->kind == UI_FIELD_CHOICE)
        draw_choice(f, y, x, w, focus);
    else
        ui_input_draw(&f->le, f->kind == UI_FIELD_SECRET, y, x, w, focus,
                      &u->cursor_y, &u->cursor_x);
}

void ui_form_draw(ui_form *form, ui *u, const ui_rect *r)
{
    int lw = 0;
    for (size_t i = 0; i < form->n; i++) {
        int w = ui_text_width(_(form->fields[i].label)) + 1;
        if (w > lw)
            lw = w;
    }
    if (lw > r->w / 3)
        lw = r->w / 3;
    int fx = r->x + 2 + lw + 1;
    int fw = r->w - (fx - r->x) - 2;
    if (fw > FIELD_WIDTH)
        fw = FIELD_WIDTH;
    int y = r->y + 1;
    for (size_t i = 0; i < form->n && y + 1 < r->y + r->h; i++, y += 2) {
        ui_field *f = &form->fields[i];
        bool focus = i == form->focus;
        char label[256];
        snprintf(label, sizeof label, "%s:", _(f->label));
        ui_put(y, r->x + 2, lw, label, focus ? UI_ST_HEADING : UI_ST_NORMAL);
        ui_field_draw(f, u, y, fx, fw, focus);
        int ew = r->w - (fx - r->x) - 1;
        if (f->error[0])
            ui_put_words(y + 1, fx, ew, f->error, UI_ST_WARN);
        else if (f->kind == UI_FIELD_CHOICE && f->choice_note)
            ui_put_words(y + 1, fx, ew, f->choice_note(f->choice), UI_ST_DIM);
    }
    if (form->note && y < r->y + r->h)
        ui_put_words(y, r->x + 2, r->w - 4, _(form->note), UI_ST_DIM);
}

void ui_form_action(ui_form *form, ui_action a)
{
    if (form->n == 0)
        return;
    if (a == UI_ACT_NEXT_FIELD)
        form->focus = (form->focus + 1) % form->n;
    else if (a == UI_ACT_PREV_FIELD)
        form->focus = (form->focus + form->n - 1) % form->n;
}

enum ui_form_result ui_form_key(ui_form *form, const ui_key *k)
{
    if (form->n == 0)
        return UI_FORM_NONE;
    ui_field *f = &form->fields[form->focus];
    bool enter = k->fn ? k->ch == KEY_ENTER : (k->ch == '\r' || k->ch == '\n');
    if (enter) {
        if (form->focus + 1 == form->n)
            return UI_FORM_SUBMIT;
        form->focus++;
        return UI_FORM_NONE;
    }
    if (k->fn && k->ch == KEY_DOWN) {
        ui_form_action(form, UI_ACT_NEXT_FIELD);
        return UI_FORM_NONE;
    }
    if (k->fn && k->ch == KEY_UP) {
        ui_form_action(form, UI_ACT_PREV_FIELD);
        return UI_FORM_NONE;
    }
    if (f->kind == UI_FIELD_CHOICE) {
        int was = f->choice;
        if (k->fn && k->ch == KEY_LEFT)
            f->choice = (f->choice + f->n_choices - 1) % f->n_choices;
        else if ((k->fn && k->ch == KEY_RIGHT) || (!k->fn && k->ch == ' '))
            f->choice = (f->choice + 1) % f->n_choices;
        if (f->choice != was)
            f->error[0] = '\0';   /* the user is fixing it */
        return UI_FORM_NONE;
    }
    if (ui_input_key(&f->le, k))
        f->error[0] = '\0';   /* the user is fixing it */
    return UI_FORM_NONE;
}

void ui_form_screen_action(ui *u, ui_form *form, ui_action a, void (*submit)(ui *u),
                           const char *cancelled)
{
    if (a == UI_ACT_SAVE) {
        submit(u);
    } else if (a == UI_ACT_CANCEL) {
        ui_pop(u);
        if (cancelled)
            ui_msg_info(u, "%s", cancelled);
    } else {
        ui_form_action(form, a);
    }
}

void ui_form_screen_key(ui *u, ui_form *form, const ui_key *k, void (*submit)(ui *u))
{
    if (ui_form_key(form, k) == UI_FORM_SUBMIT)
        submit(u);
}
