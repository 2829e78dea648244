/* A client card as text for a terminal or a printout, and as JSON. Both show
 * only what the card holds, which is already what the reader's role may see
 * (src/clients.c). JSON keys are the field table's stable English names. */
#ifndef RK_CLIENT_FORMAT_H
#define RK_CLIENT_FORMAT_H

#include <jansson.h>
#include <stdio.h>

#include "client.h"

/* Labels in the UI language, values sanitised for the terminal. */
void rk_client_print_text(FILE *out, const rk_client *c);
/* {"id":..., "version":..., "fields":{...}, "phones":[...], ...}; NULL on
 * out of memory. Hidden fields are absent; masked ones appear masked. */
/* One list field (phones, e-mails, household, events, sources) as a JSON
 * array of objects; shared by the card's JSON and the exports. */
json_t *rk_client_list_json(const rk_client *c, rk_field f);
json_t *rk_client_to_json(const rk_client *c);
/* A stored date or UTC timestamp for people, through i18n.h's one
 * formatter: "2026-03-02" -> rk_format_iso_date ("02.03.2026"),
 * "2026-03-02T14:05:00Z" -> rk_format_timestamp (local "02.03.2026 16.05"). */
void rk_date_display(const char *iso, char *out, size_t n);
/* Display form of a stored value: choice labels, dates as dd.mm.yyyy. */
void rk_client_display_value(const rk_client *c, rk_field f, char *out, size_t n);

#endif
