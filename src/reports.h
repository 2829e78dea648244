/* Reports for a registered person's rights (dpo only; each report leaves a
 * "report_produced" audit event, and every read it makes leaves its own).
 *
 * ACCESS (GDPR 15): everything held on the person: every field of the
 * field table in every category (empty ones too, so the person sees what
 * is not held), the consent grid and its whole history, call notes with
 * amendments, field history (old and new values, who, when), the requests
 * register, the disclosures that named the person, the data sources, the
 * purposes, legal bases and retention rules of each category, and the
 * erasure and restriction status. Text (UTF-8, headings in the UI
 * language, dates dd.mm.yyyy through rk_date_display) and JSON
 * ("schema": "rekisteri.access/1", the same content with stable English
 * keys and ISO dates).
 *
 * PORTABILITY (GDPR 20): the data the person gave. JSON, schema
 * "rekisteri.portability/1":
 *   { "schema": "rekisteri.portability/1", "generated": ISO 8601 UTC,
 *     "customer_no": number,
 *     "fields": { FIELD: "value" | [ {..}, .. ] },   -- field-table names
 *     "consents": [ { "item": "direct_marketing:email", "state": "allowed",
 *                     "since": ISO 8601 } ] }
 * Fields given by the person are those of the identity, contact, business
 * and history categories except what the program assigns or derives
 * (customer number, loyalty status) and except household links (other
 * people's data); protections come from the population register, billing
 * status and data sources are the controller's. Lists are arrays of
 * objects as in rk_client_to_json. A later version adds a key, never
 * changes one; an incompatible change bumps the number.
 * CSV (RFC 4180, header "field,item,key,value"): the same JSON flattened,
 * one row per scalar (item and key empty) and per member of a list item
 * (item counts from 1); consents as field "consent:ITEM", key "state" /
 * "since".
 *
 * LOG (log data): the audit events about the person (who, when, what) and
 * the disclosures that named the person, since a date (default: two years
 * back). Text, JSON or CSV. The staff's usernames are in it for the dpo;
 * whether to hand them to the person is the dpo's decision (the CJEU,
 * C-579/21, 22.6.2023: the person is entitled to the dates and purposes of
 * consultations, the employees' identities only when needed to verify
 * lawfulness). */
#ifndef RK_REPORTS_H
#define RK_REPORTS_H

#include <stdio.h>

#include "session.h"

#define RK_REPORT_KINDS(X)                    \
    X(ACCESS,      "access")                  \
    X(PORTABILITY, "portability")             \
    X(LOG,         "log")

typedef enum rk_report_kind {
#define X(id, name) RK_REPORT_##id,
    RK_REPORT_KINDS(X)
#undef X
    RK_REPORT_KIND_COUNT
} rk_report_kind;

typedef enum rk_report_format { RK_REPORT_TEXT, RK_REPORT_JSON, RK_REPORT_CSV } rk_report_format;

#define RK_REPORT_LOG_MONTHS 24         /* default window of the log report */

int         rk_report_kind_parse(const char *name);   /* -1 if unknown */
const char *rk_report_kind_name(rk_report_kind k);

/* Writes one report. since: yyyy-mm-dd or d.m.yyyy, only for LOG (NULL =
 * RK_REPORT_LOG_MONTHS back). RK_EUSAGE for a format the kind does not
 * have (access: text, json; portability: json, csv; log: all three). */
int rk_report(rk_session *s, rk_report_kind kind, int64_t client_id, rk_report_format format,
              const char *since, FILE *out, rk_err *err);

/* The access report as text and JSON in the same run (either may be NULL). */
int rk_report_access(rk_session *s, int64_t client_id, FILE *text, FILE *json, rk_err *err);

/* The files a request calls for, written into dir (created 0600, never
 * overwriting): access and every kind but these two -> the access report
 * as .txt and .json; portability -> .json and .csv; log_data -> the log
 * report as .txt. Names "rekisteri-CUSTOMERNO-KIND-rREQUEST.EXT". written
 * gets the paths, "; "-separated. dpo only. */
int rk_report_for_request(rk_session *s, int64_t request_id, const char *dir, char *written,
                          size_t n, rk_err *err);

/* The audit rows of the log report (for tests and the dpo's viewer):
 * events about the client with ts >= since (yyyy-mm-dd). *out malloc'd. */
int rk_report_log_rows(rk_session *s, int64_t client_id, const char *since, rk_audit_row **out,
                       size_t *n, rk_err *err);

#endif
