/* Importing an earlier register from a CSV file (rekisteri import).
 *
 * The file's encoding and delimiter are detected unless given (textenc.h);
 * rows are parsed by libcsv (RFC 4180: quoted delimiters, quotes and line
 * breaks); columns are mapped by their header through one table of Finnish,
 * Swedish and English names (below; a mapping file can add its own), and
 * columns that map to nothing are reported. Every row goes through the
 * card's setters and rk_client_check, so an import accepts exactly what the
 * card accepts; each imported client gets a data source "import" naming the
 * file. The new clients go to rk_clients_create_stream as the file is
 * parsed (one pass, the search index built in one sorted pass for a large
 * import), and updates follow, all inside one outer transaction: the import
 * is all or nothing even when the process is killed half-way. By default one bad row means nothing is imported and the
 * reject report lists every bad row (line, column, reason); skip_invalid
 * imports the good rows. A henkilötunnus already in the registry (the whole
 * code, century sign included) is skipped, or with RK_IMPORT_DUP_UPDATE its
 * client is updated with the row's non-empty values. Audited (who, file,
 * counts), also when nothing was imported. */
#ifndef RK_IMPORT_H
#define RK_IMPORT_H

#include <stdio.h>

#include "client.h"
#include "session.h"
#include "textenc.h"

/* Header names, compared without case, spaces, '-', '_', '.' and '/'.
 * Every field's own name (first_names) and English label also match.
 * X(field, phone or e-mail type or NULL, header) */
#define RK_IMPORT_HEADERS(X)                                                     \
    X(CUSTOMER_NO, NULL, "asiakasnumero") X(CUSTOMER_NO, NULL, "asiakasnro")     \
    X(CUSTOMER_NO, NULL, "kundnummer") X(CUSTOMER_NO, NULL, "customer number")   \
    X(FIRST_NAMES, NULL, "etunimi") X(FIRST_NAMES, NULL, "etunimet")             \
    X(FIRST_NAMES, NULL, "förnamn") X(FIRST_NAMES, NULL, "first name")           \
    X(FIRST_NAMES, NULL, "given name")                                           \
    X(LAST_NAME, NULL, "sukunimi") X(LAST_NAME, NULL, "efternamn")               \
    X(LAST_NAME, NULL, "släktnamn") X(LAST_NAME, NULL, "surname")                \
    X(LAST_NAME, NULL, "family name")                                            \
    X(HETU, NULL, "henkilötunnus") X(HETU, NULL, "hetu") X(HETU, NULL, "htun")   \
    X(HETU, NULL, "personbeteckning") X(HETU, NULL, "personnummer")              \
    X(HETU, NULL, "personal identity code") X(HETU, NULL, "ssn")                 \
    X(BIRTH_DATE, NULL, "syntymäaika") X(BIRTH_DATE, NULL, "födelsedatum")       \
    X(BIRTH_DATE, NULL, "date of birth")                                         \
    X(GENDER, NULL, "sukupuoli") X(GENDER, NULL, "kön") X(GENDER, NULL, "sex")   \
    X(LANGUAGE, NULL, "kieli") X(LANGUAGE, NULL, "äidinkieli")                   \
    X(LANGUAGE, NULL, "asiointikieli") X(LANGUAGE, NULL, "språk")                \
    X(LANGUAGE, NULL, "modersmål")                                               \
    X(STREET, NULL, "lähiosoite") X(STREET, NULL, "katuosoite")                  \
    X(STREET, NULL, "osoite") X(STREET, NULL, "gatuadress")                      \
    X(STREET, NULL, "adress") X(STREET, NULL, "address") X(STREET, NULL, "street") \
    X(POSTCODE, NULL, "postinumero") X(POSTCODE, NULL, "postinro")               \
    X(POSTCODE, NULL, "postnummer") X(POSTCODE, NULL, "postal code")             \
    X(POSTCODE, NULL, "zip")                                                     \
    X(POST_OFFICE, NULL, "postitoimipaikka") X(POST_OFFICE, NULL, "toimipaikka") \
    X(POST_OFFICE, NULL, "postort") X(POST_OFFICE, NULL, "postanstalt")          \
    X(POST_OFFICE, NULL, "city") X(POST_OFFICE, NULL, "town")                    \
    X(COUNTRY, NULL, "maa") X(COUNTRY, NULL, "land")                             \
    X(PHONES, NULL, "puhelin") X(PHONES, NULL, "puhelinnumero")                  \
    X(PHONES, NULL, "telefon") X(PHONES, NULL, "telefonnummer")                  \
    X(PHONES, NULL, "phone") X(PHONES, NULL, "phone number")                     \
    X(PHONES, NULL, "telephone")                                                 \
    X(PHONES, "mobile", "matkapuhelin") X(PHONES, "mobile", "gsm")               \
    X(PHONES, "mobile", "kännykkä") X(PHONES, "mobile", "mobiili")               \
    X(PHONES, "mobile", "mobiltelefon") X(PHONES, "mobile", "mobil")             \
    X(PHONES, "mobile", "mobile") X(PHONES, "mobile", "mobile phone")            \
    X(PHONES, "home", "kotipuhelin") X(PHONES, "home", "hemtelefon")             \
    X(PHONES, "home", "home phone")                                              \
    X(PHONES, "work", "työpuhelin") X(PHONES, "work", "arbetstelefon")           \
    X(PHONES, "work", "work phone")                                              \
    X(EMAILS, NULL, "sähköposti") X(EMAILS, NULL, "sposti")                      \
    X(EMAILS, NULL, "sähköpostiosoite") X(EMAILS, NULL, "epost")                 \
    X(EMAILS, NULL, "epostadress") X(EMAILS, NULL, "email")                      \
    X(EMAILS, NULL, "email address")                                             \
    X(PREFERRED_CHANNEL, NULL, "yhteystapa") X(PREFERRED_CHANNEL, NULL, "kontaktsätt") \
    X(TURVAKIELTO, NULL, "turvakielto") X(TURVAKIELTO, NULL, "spärrmarkering")   \
    X(ORGANISATION, NULL, "yritys") X(ORGANISATION, NULL, "organisaatio")        \
    X(ORGANISATION, NULL, "företag") X(ORGANISATION, NULL, "organisation")       \
    X(ORGANISATION, NULL, "organization") X(ORGANISATION, NULL, "company")       \
    X(YTUNNUS, NULL, "y-tunnus") X(YTUNNUS, NULL, "fo-nummer")                   \
    X(YTUNNUS, NULL, "business id")                                              \
    X(POSITION, NULL, "asema") X(POSITION, NULL, "tehtävä")                      \
    X(POSITION, NULL, "titteli") X(POSITION, NULL, "befattning")                 \
    X(POSITION, NULL, "titel") X(POSITION, NULL, "title") X(POSITION, NULL, "job title") \
    X(LOYALTY, NULL, "kanta-asiakkuus") X(LOYALTY, NULL, "stamkundskap")         \
    X(INTERESTS, NULL, "kiinnostuksen kohteet") X(INTERESTS, NULL, "intressen")  \
    X(OTHER_INFO, NULL, "lisätiedot") X(OTHER_INFO, NULL, "huomautukset")        \
    X(OTHER_INFO, NULL, "övrigt") X(OTHER_INFO, NULL, "tilläggsuppgifter")       \
    X(OTHER_INFO, NULL, "notes")                                                 \
    X(BILLING_ADDRESS, NULL, "laskutusosoite") X(BILLING_ADDRESS, NULL, "faktureringsadress") \
    X(EINVOICE_ADDRESS, NULL, "verkkolaskuosoite") X(EINVOICE_ADDRESS, NULL, "e-fakturaadress") \
    X(COLLECTION, NULL, "perintä") X(COLLECTION, NULL, "indrivning")

typedef enum rk_import_dup { RK_IMPORT_DUP_SKIP, RK_IMPORT_DUP_UPDATE } rk_import_dup;

typedef struct rk_import_opts {
    int           encoding;      /* rk_encoding, or -1 to detect */
    char          delimiter;     /* ';' ',' '\t', or 0 to detect */
    const char   *map_file;      /* "Header = field[:type]" lines, or NULL */
    bool          dry_run;       /* check only; nothing is written */
    bool          skip_invalid;  /* import the good rows */
    rk_import_dup on_duplicate;
    FILE         *reject_out;    /* NULL, or gets every bad row as CSV */
    /* Called now and then with bytes parsed and the total. */
    void        (*progress)(void *ctx, size_t done, size_t total);
    void         *progress_ctx;
} rk_import_opts;

#define RK_IMPORT_REJECTS_KEPT 10000

typedef struct rk_import_reject {
    size_t line;                 /* where the row starts in the file */
    char   column[64];           /* header of the bad column, or "" */
    char   reason[400];
} rk_import_reject;

typedef struct rk_import_column {
    int  index;                  /* 1-based */
    char header[64];
    char why[160];               /* why it is not imported */
} rk_import_column;

typedef struct rk_import_result {
    rk_encoding encoding;
    bool   encoding_detected, bom;
    char   delimiter;
    bool   delimiter_detected;
    size_t read, imported, updated, skipped, rejected;
    size_t links;                /* household links made between imported rows */
    size_t links_left_out;       /* with skip_invalid: links to no row of the file */
    double seconds;
    bool   committed;            /* something was written */
    rk_import_column *ignored;   /* columns not imported, with the reason */
    size_t nignored;
    rk_import_reject *rejects;   /* the first RK_IMPORT_REJECTS_KEPT bad rows
                                  * (reject_out gets them all) */
    size_t nrejects;
} rk_import_result;

/* RK_OK when the import (or dry run) went through: with skip_invalid some
 * rows may have been rejected. RK_EFAIL with err set when nothing was
 * imported: a bad file (encoding, NUL byte, unterminated quote, missing name
 * columns: err names the line) or, in all-or-nothing mode, bad rows (err
 * says how many; the result lists them). */
int  rk_import_file(rk_session *s, const char *path, const rk_import_opts *o,
                    rk_import_result *r, rk_err *err);
void rk_import_result_free(rk_import_result *r);

/* The field a header names ("Sähköposti" -> emails), and for phone and
 * e-mail columns the item type ("Matkapuhelin" -> "mobile"); -1 if none. */
int  rk_import_header_field(const char *header, const char **list_type);

#endif
