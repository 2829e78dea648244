#include "client_format.h"

#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "sanitize.h"

void rk_date_display(const char *iso, char *out, size_t n)
{
    if (strchr(iso, 'T'))
        rk_format_timestamp(iso, out, n);
    else
        rk_format_iso_date(iso, out, n);
}

void rk_client_display_value(const rk_client *c, rk_field f, char *out, size_t n)
{
    const char *v = c->value[f];
    out[0] = '\0';
    if (!v || !*v)
        return;
    char tmp[RK_CLIENT_TEXT_MAX + 1];
    switch (rk_fields[f].type) {
    case RK_FT_CHOICE:
        snprintf(tmp, sizeof tmp, "%s", rk_choice_label(rk_fields[f].choices, v));
        break;
    case RK_FT_FLAGS: {
        tmp[0] = '\0';
        char copy[512];
        snprintf(copy, sizeof copy, "%s", v);
        char *save = NULL;
        for (char *w = strtok_r(copy, ",", &save); w; w = strtok_r(NULL, ",", &save)) {
            if (tmp[0])
                strncat(tmp, ", ", sizeof tmp - strlen(tmp) - 1);
            strncat(tmp, rk_choice_label(rk_fields[f].choices, w), sizeof tmp - strlen(tmp) - 1);
        }
        break;
    }
    case RK_FT_BOOL:
        snprintf(tmp, sizeof tmp, "%s", strcmp(v, "1") == 0 ? _("yes") : _("no"));
        break;
    case RK_FT_DATE:
        rk_format_iso_date(v, tmp, sizeof tmp);
        break;
    default:
        snprintf(tmp, sizeof tmp, "%s", v);
    }
    rk_sanitize(out, n, tmp, rk_fields[f].type == RK_FT_LONGTEXT ? RK_SANITIZE_KEEP_NEWLINE : 0);
}

static void print_list(FILE *out, const rk_client *c, rk_field f)
{
    char a[600], b[600], d[32];
    switch (rk_fields[f].type) {
    case RK_FT_PHONES:
        for (size_t i = 0; i < c->nphones; i++) {
            rk_sanitize(a, sizeof a, c->phones[i].number, 0);
            fprintf(out, "    %s (%s)\n", a, rk_choice_label(&rk_choices_phone_type, c->phones[i].type));
        }
        break;
    case RK_FT_EMAILS:
        for (size_t i = 0; i < c->nemails; i++) {
            rk_sanitize(a, sizeof a, c->emails[i].address, 0);
            fprintf(out, "    %s (%s)\n", a, rk_choice_label(&rk_choices_email_type, c->emails[i].type));
        }
        break;
    case RK_FT_HOUSEHOLD:
        for (size_t i = 0; i < c->nhousehold; i++) {
            rk_sanitize(a, sizeof a, c->household[i].other_name, 0);
            fprintf(out, "    %s: %s\n", rk_choice_label(&rk_choices_relation, c->household[i].relation), a);
        }
        for (size_t i = 0; i < c->nhousehold_of; i++) {
            rk_sanitize(a, sizeof a, c->household_of[i].other_name, 0);
            fprintf(out, "    ");
            fprintf(out, _("%s lists this client as: %s"), a,
                    rk_choice_label(&rk_choices_relation, c->household_of[i].relation));
            fputc('\n', out);
        }
        break;
    case RK_FT_EVENTS:
        for (size_t i = 0; i < c->nevents; i++) {
            rk_format_iso_date(c->events[i].date, d, sizeof d);
            rk_sanitize(a, sizeof a, c->events[i].text, 0);
            fprintf(out, "    %s %s: %s\n", d, rk_choice_label(&rk_choices_event_kind, c->events[i].kind), a);
        }
        break;
    case RK_FT_SOURCES:
        for (size_t i = 0; i < c->nsources; i++) {
            rk_format_iso_date(c->sources[i].date, d, sizeof d);
            rk_sanitize(b, sizeof b, c->sources[i].note, 0);
            fprintf(out, "    %s %s%s%s\n", d, rk_choice_label(&rk_choices_source, c->sources[i].source),
                    b[0] ? ": " : "", b);
        }
        break;
    default:
        break;
    }
}

void rk_client_print_text(FILE *out, const rk_client *c)
{
    for (int k = 0; k < RK_CAT_COUNT; k++) {
        bool header = false;
        for (int i = 0; i < RK_F_COUNT; i++) {
            rk_field f = (rk_field)i;
            if ((int)rk_fields[f].category != k || c->level[f] == RK_LEVEL_HIDDEN)
                continue;
            if (!header) {
                fprintf(out, "%s\n", rk_category_label((rk_category)k));
                header = true;
            }
            if (rk_field_is_list(f)) {
                fprintf(out, "  %s:\n", _(rk_fields[f].label));
                print_list(out, c, f);
            } else {
                char v[RK_CLIENT_TEXT_MAX * 2];
                rk_client_display_value(c, f, v, sizeof v);
                fprintf(out, "  %s: %s\n", _(rk_fields[f].label), v);
            }
        }
    }
}

json_t *rk_client_list_json(const rk_client *c, rk_field f)
{
    json_t *a = json_array();
    if (!a)
        return NULL;
    switch (rk_fields[f].type) {
    case RK_FT_PHONES:
        for (size_t i = 0; i < c->nphones; i++)
            json_array_append_new(a, json_pack("{s:s,s:s}", "type", c->phones[i].type,
                                               "number", c->phones[i].number));
        break;
    case RK_FT_EMAILS:
        for (size_t i = 0; i < c->nemails; i++)
            json_array_append_new(a, json_pack("{s:s,s:s}", "type", c->emails[i].type,
                                               "address", c->emails[i].address));
        break;
    case RK_FT_HOUSEHOLD:
        for (size_t i = 0; i < c->nhousehold; i++)
            json_array_append_new(a, json_pack("{s:I,s:s,s:s}", "client_id",
                                               (json_int_t)c->household[i].other_id, "relation",
                                               c->household[i].relation, "name",
                                               c->household[i].other_name));
        break;
    case RK_FT_EVENTS:
        for (size_t i = 0; i < c->nevents; i++)
            json_array_append_new(a, json_pack("{s:s,s:s,s:s}", "date", c->events[i].date, "kind",
                                               c->events[i].kind, "text", c->events[i].text));
        break;
    case RK_FT_SOURCES:
        for (size_t i = 0; i < c->nsources; i++)
            json_array_append_new(a, json_pack("{s:s,s:s,s:s}", "source", c->sources[i].source,
                                               "date", c->sources[i].date, "note", c->sources[i].note));
        break;
    default:
        break;
    }
    return a;
}

json_t *rk_client_to_json(const rk_client *c)
{
    json_t *o = json_object(), *fields = json_object();
    if (!o || !fields) {
        json_decref(o);
        json_decref(fields);
        return NULL;
    }
    json_object_set_new(o, "id", json_integer(c->id));
    json_object_set_new(o, "version", json_integer(c->version));
    json_object_set_new(o, "restricted", json_boolean(c->restricted));
    for (int i = 0; i < RK_F_COUNT; i++) {
        rk_field f = (rk_field)i;
        if (c->level[f] == RK_LEVEL_HIDDEN)
            continue;
        if (rk_field_is_list(f))
            json_object_set_new(fields, rk_fields[f].name, rk_client_list_json(c, f));
        else
            json_object_set_new(fields, rk_fields[f].name, json_string(c->value[f] ? c->value[f] : ""));
    }
    json_object_set_new(o, "fields", fields);
    return o;
}
