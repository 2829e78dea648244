/* A column of labelled fields (text, secret, choice) with an error line
 * under each, as used by the add-user and password forms. */
#ifndef RK_UI_FORM_H
#define RK_UI_FORM_H

#include "input.h"
#include "screen.h"

typedef enum ui_field_kind { UI_FIELD_TEXT, UI_FIELD_SECRET, UI_FIELD_CHOICE } ui_field_kind;

typedef struct ui_field {
    ui_field_kind kind;
    const char *label;                  /* N_() msgid */
    ui_lineedit le;
    wchar_t *storage;                   /* malloc, or secure memory for secrets */
    int choice, n_choices;
    const char *(*choice_label)(int i); /* translated */
    const char *(*choice_note)(int i);  /* translated, shown under the field */
    char error[512];                    /* sanitized; "" = none */
} ui_field;

typedef struct ui_form {
    ui_field *fields;
    size_t n;
    size_t focus;
    const char *note;                   /* N_(); a hint under the fields */
} ui_form;

enum ui_form_result { UI_FORM_NONE, UI_FORM_SUBMIT };

int  ui_field_text(ui_field *f, const char *label, size_t max_bytes, rk_err *err);
/* Storage in secure memory (locked, guarded, wiped on free). */
int  ui_field_secret(ui_field *f, const char *label, rk_err *err);
void ui_field_choice(ui_field *f, const char *label, int n, const char *(*lbl)(int),
                     const char *(*note)(int), int initial);
/* Wipes and frees. */
void ui_field_free(ui_field *f);
void ui_field_error(ui_field *f, const char *msg);

/* The text as UTF-8. False (out wiped) when it does not fit. */
bool ui_field_get(const ui_field *f, char *out, size_t n);
/* A secret field's text copied into secure memory (rk_password_dup); free
 * with rk_password_free. NULL with err set on failure. */
char *ui_field_secret_dup(const ui_field *f, rk_err *err);

/* One field's value in [x, x + w) of row y: a choice between arrows, or the
 * text input (placing the cursor when focused), for screens that lay out
 * their own fields. */
void ui_field_draw(ui_field *f, ui *u, int y, int x, int w, bool focus);

void ui_form_clear_errors(ui_form *form);
void ui_form_draw(ui_form *form, ui *u, const ui_rect *r);
/* NEXT_FIELD / PREV_FIELD. */
void ui_form_action(ui_form *form, ui_action a);
/* Editing keys, Up/Down between fields, Left/Right on a choice, Enter (next
 * field, or UI_FORM_SUBMIT on the last). */
enum ui_form_result ui_form_key(ui_form *form, const ui_key *k);

/* What a form screen does with its keys: F2 (or Enter on the last field)
 * calls submit; Esc closes the form and says `cancelled` (translated text,
 * or NULL for nothing); the rest moves and edits in the form. */
void ui_form_screen_action(ui *u, ui_form *form, ui_action a, void (*submit)(ui *u),
                           const char *cancelled);
void ui_form_screen_key(ui *u, ui_form *form, const ui_key *k, void (*submit)(ui *u));

#endif
