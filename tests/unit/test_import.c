/* Import of CSV files and the client export: encodings, delimiters, RFC 4180
 * quoting, every kind of bad input with its line number and nothing written,
 * --skip-invalid, --dry-run, duplicates, the data source, the audit event,
 * formula neutralising and the export -> import round trip. */
#include "fixture.h"

#include <jansson.h>
#include <sqlite3.h>

#include "client_format.h"
#include "clients.h"
#include "csv_cell.h"
#include "db.h"
#include "db_audit.h"
#include "db_clients.h"
#include "disclosure.h"
#include "i18n.h"
#include "hetu_gen.h"
#include "import.h"
#include "rights.h"

static rk_session *dpo;
static rk_session *kept_admin;   /* for one-line policy changes; closed at teardown */

static void setup(void)
{
    fix_create();
    dpo = fix_login("dpo");
}

static void teardown(void)
{
    if (kept_admin)
        rk_session_logout(kept_admin);
    kept_admin = NULL;
    rk_session_logout(dpo);
    fix_remove();
}

static rk_session *fix_login_keep(const char *user)
{
    if (!kept_admin)
        kept_admin = fix_login(user);
    return kept_admin;
}

static const char *write_file(const char *name, const void *bytes, size_t len)
{
    static char path[512];
    snprintf(path, sizeof path, "%s/%s", fix_dir, name);
    FILE *f = fopen(path, "wb");
    ck_assert_ptr_nonnull(f);
    ck_assert_uint_eq(fwrite(bytes, 1, len, f), len);
    fclose(f);
    return path;
}

static int64_t client_count(void)
{
    int64_t n = -1;
    rk_err err;
    ck_assert_int_eq(rk_dbc_count(dpo->db, &n, &err), RK_OK);
    return n;
}

static int import_text(const char *name, const char *text, const rk_import_opts *o,
                       rk_import_result *r, rk_err *err)
{
    const char *path = write_file(name, text, strlen(text));
    rk_import_opts def = { .encoding = -1 };
    return rk_import_file(dpo, path, o ? o : &def, r, err);
}

/* The client with this code, as dpo sees it (caller frees). */
static rk_client *by_hetu(const char *hetu)
{
    int64_t id;
    rk_err err;
    rk_client *c = NULL;
    ck_assert_msg(rk_clients_lookup(dpo, hetu, &id, &err) == RK_OK, "%s: %s", hetu, err.msg);
    ck_assert_int_eq(rk_clients_get(dpo, id, &c, &err), RK_OK);
    return c;
}

static void expect_last_name(const char *hetu, const char *last)
{
    rk_client *c = by_hetu(hetu);
    ck_assert_str_eq(c->value[RK_F_LAST_NAME], last);
    rk_client_free(c);
}

static const char *UTF8_ROWS =
    "Etunimi;Sukunimi;Henkilötunnus;Postitoimipaikka\r\n"
    "Åsa;Mäkinen;131052-308T;Järvenpää\r\n"
    "Pekka;Öhman;010190-901R;Espoo\r\n";

/* ---- encodings ------------------------------------------------------------------------ */

START_TEST(utf8_with_and_without_bom)
{
    rk_import_result r;
    rk_err err;
    ck_assert_msg(import_text("a.csv", UTF8_ROWS, NULL, &r, &err) == RK_OK, "%s", err.msg);
    ck_assert_int_eq(r.encoding, RK_ENC_UTF8);
    ck_assert(r.encoding_detected && !r.bom);
    ck_assert_int_eq(r.delimiter, ';');
    ck_assert_uint_eq(r.imported, 2);
    rk_import_result_free(&r);
    expect_last_name("131052-308T", "Mäkinen");

    char bom[512] = "\xEF\xBB\xBF";
    strcat(bom, "Etunimi;Sukunimi;Henkilötunnus\nLiisa;Korhonen;020285-902X\n");
    ck_assert_msg(import_text("b.csv", bom, NULL, &r, &err) == RK_OK, "%s", err.msg);
    ck_assert(r.bom && r.encoding == RK_ENC_UTF8);
    ck_assert_uint_eq(r.imported, 1);
    rk_import_result_free(&r);
    expect_last_name("020285-902X", "Korhonen");
}
END_TEST

/* UTF-16 with its BOM, as Excel's "Unicode text" (tab-separated). */
static void import_utf16(bool le)
{
    const char *src = "Etunimi\tSukunimi\tHenkilötunnus\r\nÅsa\tMäkinen\t131052-308T\r\n";
    char *enc = NULL;
    size_t n = 0;
    rk_err err;
    ck_assert_int_eq(rk_text_encode(src, strlen(src), le ? RK_ENC_UTF16LE : RK_ENC_UTF16BE, &enc, &n, &err), RK_OK);
    ck_assert_int_eq((unsigned char)enc[0], le ? 0xFF : 0xFE);
    const char *path = write_file("u16.csv", enc, n);
    free(enc);
    rk_import_opts o = { .encoding = -1 };
    rk_import_result r;
    ck_assert_msg(rk_import_file(dpo, path, &o, &r, &err) == RK_OK, "%s", err.msg);
    ck_assert_int_eq(r.encoding, le ? RK_ENC_UTF16LE : RK_ENC_UTF16BE);
    ck_assert(r.bom && r.encoding_detected);
    ck_assert_int_eq(r.delimiter, '\t');
    ck_assert_uint_eq(r.imported, 1);
    rk_import_result_free(&r);
    expect_last_name("131052-308T", "Mäkinen");
}

START_TEST(utf16le_with_bom) { import_utf16(true); }
END_TEST
START_TEST(utf16be_with_bom) { import_utf16(false); }
END_TEST

START_TEST(windows_1252_detected_and_latin_given)
{
    /* "Mäkinen" and "Öhman" in Windows-1252, commas; the € (0x80) only
     * exists in Windows-1252. */
    const char cp[] = "Etunimi,Sukunimi,Henkilötunnus,Lisätiedot\r\n"
                      "Anna,M\xE4kinen,131052-308T,maksoi 5 \x80\r\n";
    char fixed[sizeof cp];
    memcpy(fixed, cp, sizeof cp);
    /* The header was typed in UTF-8 above: make it Windows-1252 too. */
    char *h = strstr(fixed, "Henkil\xC3\xB6tunnus");
    ck_assert_ptr_nonnull(h);
    h[6] = (char)0xF6;
    memmove(h + 7, h + 8, strlen(h + 8) + 1);
    char *l = strstr(fixed, "Lis\xC3\xA4tiedot");
    l[3] = (char)0xE4;
    memmove(l + 4, l + 5, strlen(l + 5) + 1);
    rk_import_result r;
    rk_err err;
    const char *path = write_file("cp.csv", fixed, strlen(fixed));
    rk_import_opts o = { .encoding = -1 };
    ck_assert_msg(rk_import_file(dpo, path, &o, &r, &err) == RK_OK, "%s", err.msg);
    ck_assert_int_eq(r.encoding, RK_ENC_CP1252);
    ck_assert(r.encoding_detected);
    ck_assert_int_eq(r.delimiter, ',');
    rk_import_result_free(&r);
    rk_client *c = by_hetu("131052-308T");
    ck_assert_str_eq(c->value[RK_F_LAST_NAME], "Mäkinen");
    ck_assert_str_eq(c->value[RK_F_OTHER_INFO], "maksoi 5 €");
    rk_client_free(c);

    /* ISO-8859-15 given: 0xA6 is Š there (¦ in ISO-8859-1). */
    const char l9[] = "etunimi;sukunimi;hetu\nSami;\xA6koda;010190-901R\n";
    o.encoding = RK_ENC_LATIN9;
    path = write_file("l9.csv", l9, strlen(l9));
    ck_assert_msg(rk_import_file(dpo, path, &o, &r, &err) == RK_OK, "%s", err.msg);
    ck_assert(!r.encoding_detected);
    rk_import_result_free(&r);
    expect_last_name("010190-901R", "Škoda");

    const char l1[] = "etunimi;sukunimi;hetu\nSini;S\xF6" "derberg;020285-902X\n";
    o.encoding = RK_ENC_LATIN1;
    path = write_file("l1.csv", l1, strlen(l1));
    ck_assert_msg(rk_import_file(dpo, path, &o, &r, &err) == RK_OK, "%s", err.msg);
    rk_import_result_free(&r);
    expect_last_name("020285-902X", "Söderberg");
}
END_TEST

/* ---- delimiters and RFC 4180 ----------------------------------------------------------- */

START_TEST(delimiters_detected)
{
    static const struct { const char *text; char delim; } cases[] = {
        { "first name,last name,hetu\nAnna,Mäkinen,131052-308T\n", ',' },
        { "förnamn;efternamn;personbeteckning\nPekka;Virtanen;010190-901R\n", ';' },
        { "etunimi\tsukunimi\thetu\nLiisa\tKorhonen\t020285-902X\n", '\t' },
    };
    for (size_t i = 0; i < RK_ARRAY_LEN(cases); i++) {
        rk_import_result r;
        rk_err err;
        ck_assert_msg(import_text("d.csv", cases[i].text, NULL, &r, &err) == RK_OK, "%s", err.msg);
        ck_assert_int_eq(r.delimiter, cases[i].delim);
        ck_assert(r.delimiter_detected);
        ck_assert_uint_eq(r.imported, 1);
        rk_import_result_free(&r);
    }
    ck_assert_int_eq(client_count(), 3);
    /* Rows of empty cells and empty cells past the header are not data. */
    rk_import_result r0;
    rk_err err0;
    ck_assert_msg(import_text("x.csv", "etunimi;sukunimi;\nAino;Aalto;;\n;;\n;;;;\n", NULL, &r0, &err0) == RK_OK,
                  "%s", err0.msg);
    ck_assert_uint_eq(r0.read, 1);
    ck_assert_uint_eq(r0.imported, 1);
    rk_import_result_free(&r0);
    ck_assert_int_eq(client_count(), 4);
    /* Given: a comma file read with ';' is one column, so no name columns. */
    rk_import_opts o = { .encoding = -1, .delimiter = ';' };
    rk_import_result r;
    rk_err err;
    ck_assert_int_eq(import_text("e.csv", "etunimi,sukunimi\nA,B\n", &o, &r, &err), RK_EFAIL);
    ck_assert_ptr_nonnull(strstr(err.msg, "line 1"));
    rk_import_result_free(&r);
}
END_TEST

START_TEST(quotes_newlines_and_delimiters_in_fields)
{
    const char *text =
        "Etunimi;Sukunimi;Henkilötunnus;Lähiosoite;Lisätiedot\r\n"
        "Anna;Mäkinen;131052-308T;\"Kauppakatu 1; B 12\";\"Sanoi \"\"hei\"\"\r\ntoinen rivi\"\r\n"
        "Pekka;Virtanen;010190-901R;Rantatie 2;\r\n";
    rk_import_result r;
    rk_err err;
    ck_assert_msg(import_text("q.csv", text, NULL, &r, &err) == RK_OK, "%s", err.msg);
    ck_assert_uint_eq(r.imported, 2);
    rk_import_result_free(&r);
    rk_client *c = by_hetu("131052-308T");
    ck_assert_str_eq(c->value[RK_F_STREET], "Kauppakatu 1; B 12");
    ck_assert_str_eq(c->value[RK_F_OTHER_INFO], "Sanoi \"hei\"\ntoinen rivi");
    rk_client_free(c);
}
END_TEST

/* ---- bad input: message with the line, nothing written ----------------------------------- */

static void expect_refused(const char *name, const void *bytes, size_t len, int encoding,
                           const char *needle)
{
    const char *path = write_file(name, bytes, len);
    rk_import_opts o = { .encoding = encoding };
    rk_import_result r;
    rk_err err;
    int64_t before = client_count();
    int rc = rk_import_file(dpo, path, &o, &r, &err);
    ck_assert_msg(rc == RK_EFAIL, "%s: rc %d", name, rc);
    bool found = strstr(err.msg, needle) != NULL;
    for (size_t i = 0; i < r.nrejects && !found; i++) {
        char where[600];
        snprintf(where, sizeof where, "line %zu: %s: %s", r.rejects[i].line, r.rejects[i].column,
                 r.rejects[i].reason);
        found = strstr(where, needle) != NULL;
    }
    ck_assert_msg(found, "%s: \"%s\" not in \"%s\"", name, needle, err.msg);
    ck_assert_uint_eq(r.imported, 0);
    ck_assert_int_eq(client_count(), before);
    rk_import_result_free(&r);
}

START_TEST(bad_files_name_the_line)
{
    const char *head = "Etunimi;Sukunimi;Henkilötunnus\n";
    const char *good = "Anna;Mäkinen;131052-308T\n";
    char buf[8000];
    /* invalid UTF-8 on line 3 (a lone continuation byte) */
    snprintf(buf, sizeof buf, "%s%sPekka;Virt\x80nen;010190-901R\n", head, good);
    expect_refused("utf8.csv", buf, strlen(buf), RK_ENC_UTF8, "Line 3 is not valid UTF-8");
    /* detected: multi-byte UTF-8 elsewhere, so a broken byte is an error */
    expect_refused("utf8d.csv", buf, strlen(buf), -1, "Line 3 is not valid UTF-8");
    /* a NUL byte on line 2 */
    snprintf(buf, sizeof buf, "%sAnna;M", head);
    size_t n = strlen(buf);
    buf[n++] = '\0';
    memcpy(buf + n, "kinen;131052-308T\n", 18);
    expect_refused("nul.csv", buf, n + 18, -1, "Line 2 contains a NUL byte");
    /* an unterminated quote opened on line 3 */
    snprintf(buf, sizeof buf, "%s%sPekka;\"Virtanen;010190-901R\nLiisa;Korhonen;020285-902X\n", head, good);
    expect_refused("quote.csv", buf, strlen(buf), -1, "starts on line 3 is never closed");
    /* a stray quote inside an unquoted field */
    snprintf(buf, sizeof buf, "%s%sPek\"ka\";Virtanen;010190-901R\n", head, good);
    expect_refused("stray.csv", buf, strlen(buf), -1, "Line 3");
    /* an overlong field on line 3 */
    char longv[RK_CLIENT_TEXT_MAX + 10];
    memset(longv, 'a', sizeof longv - 1);
    longv[sizeof longv - 1] = '\0';
    snprintf(buf, sizeof buf, "Etunimi;Sukunimi;Lisätiedot\nAnna;Mäkinen;x\nPekka;Virtanen;%s\n", longv);
    expect_refused("long.csv", buf, strlen(buf), -1, "line 3: Lisätiedot: the field is 4009 bytes long");
    /* a row of the wrong width on line 2 */
    snprintf(buf, sizeof buf, "%sAnna;Mäkinen\n%s", head, good);
    expect_refused("width.csv", buf, strlen(buf), -1, "line 2: : the row has 2 fields but the header has 3");
    /* an invalid henkilötunnus on line 3 */
    snprintf(buf, sizeof buf, "%s%sPekka;Virtanen;010190-901X\n", head, good);
    expect_refused("hetu.csv", buf, strlen(buf), -1, "line 3: Henkilötunnus: Personal identity code");
    /* no name columns */
    snprintf(buf, sizeof buf, "Nimi;Hetu\nAnna Mäkinen;131052-308T\n");
    expect_refused("nonames.csv", buf, strlen(buf), -1, "no column for First names");
}
END_TEST

START_TEST(skip_invalid_and_dry_run)
{
    const char *text = "Etunimi;Sukunimi;Henkilötunnus\n"
                       "Anna;Mäkinen;131052-308T\n"
                       "Pekka;Virtanen;010190-901X\n"
                       "Liisa;Korhonen;020285-902X\n";
    rk_import_opts o = { .encoding = -1, .dry_run = true };
    rk_import_result r;
    rk_err err;
    ck_assert_int_eq(import_text("s.csv", text, &o, &r, &err), RK_EFAIL);
    ck_assert_uint_eq(r.rejected, 1);
    ck_assert_int_eq(client_count(), 0);
    rk_import_result_free(&r);

    o.skip_invalid = true;
    ck_assert_int_eq(import_text("s.csv", text, &o, &r, &err), RK_OK);
    ck_assert_uint_eq(r.imported, 2);
    ck_assert_int_eq(client_count(), 0);   /* dry run */
    rk_import_result_free(&r);

    char *rej = NULL;
    size_t rlen = 0;
    o.dry_run = false;
    o.reject_out = open_memstream(&rej, &rlen);
    ck_assert_int_eq(import_text("s.csv", text, &o, &r, &err), RK_OK);
    fclose(o.reject_out);
    ck_assert_uint_eq(r.imported, 2);
    ck_assert_uint_eq(r.rejected, 1);
    ck_assert_uint_eq(r.rejects[0].line, 3);
    ck_assert_int_eq(client_count(), 2);
    rk_import_result_free(&r);
    ck_assert_ptr_nonnull(strstr(rej, "\"3\";\"Henkilötunnus\";"));
    ck_assert_ptr_nonnull(strstr(rej, "\"010190-901X\""));
    free(rej);
}
END_TEST

/* ---- a large file: read on a thread of its own ------------------------------------------ */


/* n rows (lines 2 .. n + 1) of valid clients; line `bad` gets an invalid
 * code, line `twin` the code of line 5, line `quote` an unterminated quote
 * (0: none). The caller frees. */
static char *large_file(int n, int bad, int twin, int quote)
{
    size_t cap = (size_t)n * 64 + 64, len = 0;
    char *t = malloc(cap);
    len += (size_t)snprintf(t, cap, "Etunimi;Sukunimi;Henkilötunnus\n");
    for (int i = 0; i < n; i++) {
        int line = i + 2;
        char h[RK_HETU_SIZE];
        test_hetu_nth(line == twin ? 3 : i, h);
        if (line == bad)
            h[10] = h[10] == 'X' ? 'Y' : 'X';
        len += (size_t)snprintf(t + len, cap - len, "%s;Virta%c%c%c;%s\n", line == quote ? "\"Anna" : "Anna",
                                'a' + i % 26, 'a' + i / 26 % 26, 'a' + i / 676 % 26, h);
    }
    return t;
}

START_TEST(large_file_read_ahead)
{
    /* 3,000 rows: read on a second thread, a thousand clients ahead at most */
    enum { N = 3000 };
    rk_import_opts o = { .encoding = -1 };
    rk_import_result r;
    rk_err err;
    char *t = large_file(N, 2900, 0, 0);
    /* all or nothing: a bad row near the end stops the load, the reader
     * goes on to list every bad row, nothing is added */
    t[strlen(t) - 2] = t[strlen(t) - 2] == 'X' ? 'Y' : 'X';   /* the last row too */
    ck_assert_int_eq(import_text("big.csv", t, &o, &r, &err), RK_EFAIL);
    ck_assert_uint_eq(r.read, N);
    ck_assert_uint_eq(r.rejected, 2);
    ck_assert_uint_eq(r.rejects[0].line, 2900);
    ck_assert_uint_eq(r.rejects[1].line, N + 1);
    ck_assert_str_eq(r.rejects[1].column, "Henkilötunnus");
    ck_assert_uint_eq(r.imported, 0);
    ck_assert_int_eq(client_count(), 0);
    rk_import_result_free(&r);
    /* --skip-invalid: the good rows, in the file's order */
    o.skip_invalid = true;
    ck_assert_int_eq(import_text("big.csv", t, &o, &r, &err), RK_OK);
    ck_assert_uint_eq(r.imported, N - 2);
    ck_assert_uint_eq(r.rejected, 2);
    ck_assert_int_eq(client_count(), N - 2);
    rk_import_result_free(&r);
    free(t);
    char h[RK_HETU_SIZE];
    test_hetu_nth(0, h);
    rk_client *first = by_hetu(h);
    ck_assert_str_eq(first->value[RK_F_LAST_NAME], "Virtaaaa");
    ck_assert_str_eq(first->value[RK_F_CUSTOMER_NO], "100001");
    test_hetu_nth(N - 2, h);
    rk_client *last = by_hetu(h);
    ck_assert_str_eq(last->value[RK_F_LAST_NAME], "Virtaile");   /* i = 2998 */
    ck_assert_str_eq(last->value[RK_F_CUSTOMER_NO], "102998");   /* row 2900 left out */
    rk_client_free(first);
    rk_client_free(last);
}
END_TEST

/* The import's data source is one row shared by every client it added
 * (source_batches), listed on each card after the client's own. Saving a
 * card's sources makes them all that client's own rows; an erasure leaves
 * the erased client none. */
START_TEST(import_source_recorded_once)
{
    enum { N = 3000 };
    rk_import_result r;
    rk_err err;
    char *t = large_file(N, 0, 0, 0);
    ck_assert_msg(import_text("shared.csv", t, NULL, &r, &err) == RK_OK, "%s", err.msg);
    ck_assert_uint_eq(r.imported, N);
    rk_import_result_free(&r);
    free(t);
    ck_assert_int_eq(fix_sql_int(dpo, "SELECT count(*) FROM source_batches"), 1);
    ck_assert_int_eq(fix_sql_int(dpo, "SELECT count(*) FROM client_sources"), 0);
    ck_assert_int_eq(fix_sql_int(dpo, "SELECT count(*) FROM clients WHERE source_batch ="
                                      " (SELECT id FROM source_batches WHERE note = 'shared.csv')"), N);
    char h[RK_HETU_SIZE], h2[RK_HETU_SIZE];
    test_hetu_nth(7, h);
    test_hetu_nth(8, h2);
    rk_client *c = by_hetu(h);
    ck_assert_uint_eq(c->nsources, 1);
    ck_assert_str_eq(c->sources[0].source, "import");
    ck_assert_str_eq(c->sources[0].note, "shared.csv");

    /* a source added on the card: both become the client's own, in order */
    rk_client *ed = rk_client_clone(c);
    ck_assert_int_eq(rk_client_add_source(ed, "client", "2026-12-01", "puhelu", &err), RK_OK);
    ck_assert_msg(rk_clients_save(dpo, c, ed, NULL, &err) == RK_OK, "%s", err.msg);
    rk_client_free(ed);
    rk_client_free(c);
    c = by_hetu(h);
    ck_assert_uint_eq(c->nsources, 2);
    ck_assert_str_eq(c->sources[0].note, "shared.csv");
    ck_assert_str_eq(c->sources[1].source, "client");
    char sql[160];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM client_sources WHERE client_id = %lld", (long long)c->id);
    ck_assert_int_eq(fix_sql_int(dpo, sql), 2);
    snprintf(sql, sizeof sql, "SELECT source_batch IS NULL FROM clients WHERE id = %lld", (long long)c->id);
    ck_assert_int_eq(fix_sql_int(dpo, sql), 1);
    rk_client_free(c);
    ck_assert_int_eq(fix_sql_int(dpo, "SELECT count(*) FROM clients WHERE source_batch IS NOT NULL"), N - 1);

    /* erased: no source left on the card */
    c = by_hetu(h2);
    int64_t id = c->id;
    char no[24];
    snprintf(no, sizeof no, "%s", c->value[RK_F_CUSTOMER_NO]);
    rk_client_free(c);
    rk_erase_result res;
    ck_assert_msg(rk_client_erase(dpo, id, no, 0, NULL, &res, &err) == RK_OK, "%s", err.msg);
    ck_assert_int_eq(rk_clients_get(dpo, id, &c, &err), RK_OK);
    ck_assert_uint_eq(c->nsources, 0);
    rk_client_free(c);
    ck_assert_int_eq(rk_db_integrity_check(dpo->db, &err), RK_OK);
}
END_TEST

static int foreign_keys_on(void)
{
    sqlite3_stmt *st;
    ck_assert_int_eq(sqlite3_prepare_v2(rk_db_handle(dpo->db), "PRAGMA foreign_keys", -1, &st, NULL),
                     SQLITE_OK);
    ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
    int on = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    return on;
}

START_TEST(foreign_keys_back_on_after_a_load)
{
    /* A load into an empty registry runs without foreign-key checks (each
     * list row belongs to a client it has just added): they are back on
     * after it, whether it was refused or committed, and what it wrote
     * refers only to clients that exist. */
    enum { N = 3000 };
    rk_import_opts o = { .encoding = -1 };
    rk_import_result r;
    rk_err err;
    ck_assert_int_eq(foreign_keys_on(), 1);
    char *t = large_file(N, 2900, 0, 0);
    ck_assert_int_eq(import_text("bad.csv", t, &o, &r, &err), RK_EFAIL);
    rk_import_result_free(&r);
    free(t);
    ck_assert_int_eq(foreign_keys_on(), 1);
    t = large_file(N, 0, 0, 0);
    ck_assert_msg(import_text("good.csv", t, &o, &r, &err) == RK_OK, "%s", err.msg);
    ck_assert_uint_eq(r.imported, N);
    rk_import_result_free(&r);
    free(t);
    ck_assert_int_eq(foreign_keys_on(), 1);
    ck_assert_msg(rk_db_check_references(dpo->db, &err) == RK_OK, "%s", err.msg);
    /* and they are enforced again: a list row of a client that is not there */
    ck_assert_int_ne(sqlite3_exec(rk_db_handle(dpo->db),
                                  "INSERT INTO client_phones(client_id, pos, type, number) "
                                  "VALUES (999999, 0, 'mobile', '+358401234567')", NULL, NULL, NULL),
                     SQLITE_OK);
}
END_TEST

START_TEST(large_file_errors_read_ahead)
{
    enum { N = 3000 };
    rk_import_opts o = { .encoding = -1 };
    rk_import_result r;
    rk_err err;
    /* a code seen earlier in the file, far behind the reader */
    char *t = large_file(N, 0, 2999, 0);
    ck_assert_int_eq(import_text("twin.csv", t, &o, &r, &err), RK_EFAIL);
    ck_assert_uint_eq(r.rejected, 1);
    ck_assert_uint_eq(r.rejects[0].line, 2999);
    ck_assert_str_eq(r.rejects[0].reason, "the same personal identity code as on line 5");
    ck_assert_int_eq(client_count(), 0);
    rk_import_result_free(&r);
    free(t);
    /* a quote never closed: the reader stops, and so does the load */
    t = large_file(N, 0, 0, 2990);
    ck_assert_int_eq(import_text("quote.csv", t, &o, &r, &err), RK_EFAIL);
    ck_assert_msg(strstr(err.msg, "starts on line 2990 is never closed"), "%s", err.msg);
    ck_assert_uint_eq(r.imported, 0);
    ck_assert_int_eq(client_count(), 0);
    rk_import_result_free(&r);
    free(t);
    /* and the whole file, valid, is in */
    t = large_file(N, 0, 0, 0);
    ck_assert_int_eq(import_text("ok.csv", t, &o, &r, &err), RK_OK);
    ck_assert_uint_eq(r.imported, N);
    ck_assert_int_eq(client_count(), N);
    rk_import_result_free(&r);
    free(t);
    char h[RK_HETU_SIZE];
    test_hetu_nth(N - 1, h);
    expect_last_name(h, "Virtajle");   /* i = 2999 */
}
END_TEST

/* ---- duplicates, source, audit ---------------------------------------------------------- */

struct last_audit { char action[64]; char details[512]; };

static int audit_row(void *ctx, const rk_audit_row *row)
{
    struct last_audit *l = ctx;
    if (strcmp(row->action, "clients_imported") == 0) {
        snprintf(l->action, sizeof l->action, "%s", row->action);
        snprintf(l->details, sizeof l->details, "%s", row->details);
    }
    return 0;
}

START_TEST(duplicates_source_and_audit)
{
    rk_import_result r;
    rk_err err;
    ck_assert_int_eq(import_text("first.csv", UTF8_ROWS, NULL, &r, &err), RK_OK);
    rk_import_result_free(&r);
    rk_client *c = by_hetu("131052-308T");
    ck_assert_uint_eq(c->nsources, 1);
    ck_assert_str_eq(c->sources[0].source, "import");
    ck_assert_str_eq(c->sources[0].note, "first.csv");
    rk_client_free(c);

    /* Same code again: skipped by default; the century sign makes
     * 010190Y901R another person than 010190-901R. */
    const char *again = "Etunimi;Sukunimi;Henkilötunnus;Postitoimipaikka\n"
                        "Åsa;Mäkinen-Laine;131052-308T;Tampere\n"
                        "Paavo;Öhman;010190Y901R;Espoo\n";
    ck_assert_int_eq(import_text("again.csv", again, NULL, &r, &err), RK_OK);
    ck_assert_uint_eq(r.skipped, 1);
    ck_assert_uint_eq(r.imported, 1);
    rk_import_result_free(&r);
    expect_last_name("131052-308T", "Mäkinen");
    expect_last_name("010190Y901R", "Öhman");
    ck_assert_int_eq(client_count(), 3);

    rk_import_opts o = { .encoding = -1, .on_duplicate = RK_IMPORT_DUP_UPDATE };
    ck_assert_msg(import_text("again.csv", again, &o, &r, &err) == RK_OK, "%s", err.msg);
    ck_assert_uint_eq(r.updated, 2);
    ck_assert_uint_eq(r.imported, 0);
    rk_import_result_free(&r);
    c = by_hetu("131052-308T");
    ck_assert_str_eq(c->value[RK_F_LAST_NAME], "Mäkinen-Laine");
    ck_assert_str_eq(c->value[RK_F_POST_OFFICE], "Tampere");
    ck_assert_uint_eq(c->nsources, 2);
    rk_client_free(c);

    /* The same code twice in one file. */
    const char *twice = "Etunimi;Sukunimi;Henkilötunnus\nLiisa;Korhonen;020285-902X\nLiisa;Korhonen;020285-902X\n";
    ck_assert_int_eq(import_text("twice.csv", twice, NULL, &r, &err), RK_EFAIL);
    ck_assert_uint_eq(r.nrejects, 1);
    ck_assert_ptr_nonnull(strstr(r.rejects[0].reason, "line 2"));
    rk_import_result_free(&r);

    struct last_audit l = { "", "" };
    ck_assert_int_eq(rk_dba_each(dpo->db, 0, audit_row, &l, &err), RK_OK);
    ck_assert_str_eq(l.action, "clients_imported");
    ck_assert_ptr_nonnull(strstr(l.details, "file=twice.csv result=refused read=2 imported=0"));
}
END_TEST

START_TEST(headers_unknown_and_mapped)
{
    const char *text = "Asiakkaan etunimi;Sukunimi;Outo sarake;Matkapuhelin;E-mail\n"
                       "Anna;Mäkinen;x;040 123 4567;anna@example.com\n";
    rk_import_result r;
    rk_err err;
    ck_assert_int_eq(import_text("h.csv", text, NULL, &r, &err), RK_EFAIL);
    ck_assert_ptr_nonnull(strstr(err.msg, "First names"));
    ck_assert_uint_eq(r.nignored, 2);
    rk_import_result_free(&r);

    const char *map = "# our old system\nAsiakkaan etunimi = first_names\nOuto sarake = -\n";
    char mpath[600];
    snprintf(mpath, sizeof mpath, "%s", write_file("map.txt", map, strlen(map)));
    rk_import_opts o = { .encoding = -1, .map_file = mpath };
    ck_assert_msg(import_text("h.csv", text, &o, &r, &err) == RK_OK, "%s", err.msg);
    ck_assert_uint_eq(r.nignored, 0);
    ck_assert_uint_eq(r.imported, 1);
    rk_import_result_free(&r);
    const char *type;
    ck_assert_int_eq(rk_import_header_field("Sähkö-posti", &type), RK_F_EMAILS);
    ck_assert_int_eq(rk_import_header_field("MATKAPUHELIN", &type), RK_F_PHONES);
    ck_assert_str_eq(type, "mobile");
    ck_assert_int_eq(rk_import_header_field("Förnamn", &type), RK_F_FIRST_NAMES);
    ck_assert_int_eq(rk_import_header_field("Y-tunnus", &type), RK_F_YTUNNUS);
    ck_assert_int_eq(rk_import_header_field("postal code", &type), RK_F_POSTCODE);
    ck_assert_int_eq(rk_import_header_field("whatever", &type), -1);
}
END_TEST

/* ---- export ------------------------------------------------------------------------------- */

START_TEST(formula_cells_round_trip)
{
    const char *in[] = { "=1+1", "+358401234567", "-5", "@A1", "'=x", "''+y", "'plain", "a=b" };
    for (size_t i = 0; i < RK_ARRAY_LEN(in); i++) {
        char *buf = NULL;
        size_t len = 0;
        FILE *f = open_memstream(&buf, &len);
        rk_csv_cell_delim(f, in[i], true, ';');
        fclose(f);
        /* unquote "..." */
        ck_assert_int_eq(buf[0], '"');
        buf[len - 1] = '\0';
        char *v = buf + 1;
        if (in[i][0] == '=' || in[i][0] == '+' || in[i][0] == '-' || in[i][0] == '@' || in[i][0] == '\'')
            ck_assert_msg(v[0] == '\'' || strcmp(in[i], "'plain") == 0, "%s -> %s", in[i], v);
        rk_csv_unneutralise(v);
        ck_assert_str_eq(v, in[i]);
        free(buf);
    }
}
END_TEST

static char *export_csv(rk_session *s, char delim, rk_encoding enc, size_t *len)
{
    char *buf = NULL;
    size_t n = 0;
    FILE *f = open_memstream(&buf, &n);
    rk_client_export_request req = { .format = RK_EXPORT_CSV, .delimiter = delim, .encoding = enc };
    rk_export_result res;
    rk_err err;
    ck_assert_msg(rk_export_clients(s, &req, f, &res, &err) == RK_OK, "%s", err.msg);
    fclose(f);
    if (len)
        *len = n;
    return buf;
}

static json_t *card_json(const char *hetu)
{
    rk_client *c = by_hetu(hetu);
    json_t *j = rk_client_to_json(c);
    rk_client_free(c);
    json_t *fields = json_object_get(j, "fields");
    json_object_del(fields, "customer_no");
    json_object_del(j, "id");
    json_object_del(j, "version");
    json_object_del(j, "updated");
    json_object_del(j, "updated_by");
    json_object_del(j, "sources");
    json_object_del(fields, "sources");
    return j;
}

START_TEST(export_reimports_to_the_same_records)
{
    const char *text =
        "Etunimi;Sukunimi;Henkilötunnus;Puhelin;Sähköposti;Lähiosoite;Postinumero;Postitoimipaikka;Kieli;Kiinnostuksen kohteet;Lisätiedot;turvakielto\n"
        "Anna Maria;Mäkinen;131052-308T;mobile +358401234567; work anna@example.com;Kauppakatu 1;00100;Helsinki;fi;=SUM(A1);\"rivi 1\nrivi \"\"2\"\"\";\n"
        "Pekka;Öhman;010190-901R;09 123 4567;;\"Tie 2; B\";02100;Espoo;sv;-tennis;;kyllä\n";
    rk_import_result r;
    rk_err err;
    ck_assert_msg(import_text("orig.csv", text, NULL, &r, &err) == RK_OK, "%s", err.msg);
    rk_import_result_free(&r);
    /* Household links both ways, named by customer number in the export. */
    rk_client *orig = by_hetu("131052-308T"), *ed = rk_client_clone(orig);
    rk_conflict cf;
    ck_assert_int_eq(rk_clients_add_household(dpo, ed, "spouse", "010190-901R", &err), RK_OK);
    ck_assert_msg(rk_clients_save(dpo, orig, ed, &cf, &err) == RK_OK, "%s", err.msg);
    rk_client_free(orig);
    rk_client_free(ed);
    orig = by_hetu("010190-901R");
    ed = rk_client_clone(orig);
    ck_assert_int_eq(rk_clients_add_household(dpo, ed, "guardian", "131052-308T", &err), RK_OK);
    ck_assert_msg(rk_clients_save(dpo, orig, ed, &cf, &err) == RK_OK, "%s", err.msg);
    rk_client_free(orig);
    rk_client_free(ed);
    json_t *a1 = card_json("131052-308T"), *a2 = card_json("010190-901R");

    size_t len;
    char *csv = export_csv(dpo, ';', RK_ENC_CP1252, &len);
    /* Formula starts neutralised, phone numbers included. */
    char *utf = NULL;
    rk_decoded d;
    ck_assert_int_eq(rk_text_decode((unsigned char *)csv, len, RK_ENC_CP1252, &d, &err), RK_OK);
    utf = d.text;
    ck_assert_ptr_nonnull(strstr(utf, "\"'=SUM(A1)\""));
    ck_assert_ptr_nonnull(strstr(utf, "\"'-tennis\""));
    ck_assert_ptr_nonnull(strstr(utf, "mobile +358401234567"));
    ck_assert_ptr_nonnull(strstr(utf, "Mäkinen"));
    ck_assert_ptr_nonnull(strstr(utf, "spouse 100002"));
    ck_assert_ptr_nonnull(strstr(utf, "guardian 100001"));
    rk_decoded_free(&d);

    /* Into a fresh registry: the same cards. */
    rk_session_logout(dpo);
    fix_remove();
    fix_create();
    dpo = fix_login("dpo");
    const char *path = write_file("export.csv", csv, len);
    free(csv);
    rk_import_opts o = { .encoding = -1 };
    ck_assert_msg(rk_import_file(dpo, path, &o, &r, &err) == RK_OK, "%s", err.msg);
    ck_assert_int_eq(r.encoding, RK_ENC_CP1252);
    ck_assert_uint_eq(r.imported, 2);
    ck_assert_uint_eq(r.links, 2);
    /* customer_no is reported, not silently dropped; its numbers linked the rows */
    ck_assert_uint_eq(r.nignored, 1);
    rk_import_result_free(&r);
    json_t *b1 = card_json("131052-308T"), *b2 = card_json("010190-901R");
    char *sa = json_dumps(a1, JSON_SORT_KEYS), *sb = json_dumps(b1, JSON_SORT_KEYS);
    ck_assert_str_eq(sa, sb);
    free(sa);
    free(sb);
    sa = json_dumps(a2, JSON_SORT_KEYS);
    sb = json_dumps(b2, JSON_SORT_KEYS);
    ck_assert_str_eq(sa, sb);
    free(sa);
    free(sb);
    json_decref(a1);
    json_decref(a2);
    json_decref(b1);
    json_decref(b2);
}
END_TEST

/* Household links in a file name other rows by the file's customer
 * numbers: a link to a number on no row refuses the import (all or
 * nothing), or leaves the link out and says so (--skip-invalid); a bad item
 * rejects its row; without a customer number column the links are reported
 * as not imported. */
START_TEST(household_links_by_file_numbers)
{
    const char *head = "Customer number;First names;Last name;Personal identity code;Household members\n";
    char text[1024];
    snprintf(text, sizeof text, "%s"
             "7;Anna;Mäkinen;131052-308T;spouse 8\n"
             "8;Pekka;Mäkinen;010190-901R;\n"
             "9;Liisa;Mäkinen;020285-902X;\"child 99; parent 7\"\n", head);
    rk_import_result r;
    rk_err err;
    ck_assert_int_eq(import_text("links1.csv", text, NULL, &r, &err), RK_EFAIL);
    ck_assert_uint_eq(r.rejected, 1);
    ck_assert_uint_eq(r.rejects[0].line, 4);
    ck_assert_str_eq(r.rejects[0].column, "Household members");
    ck_assert_ptr_nonnull(strstr(r.rejects[0].reason, "customer number 99 is on no imported row"));
    ck_assert_int_eq(client_count(), 0);
    rk_import_result_free(&r);

    /* A dry run says the same without writing. */
    rk_import_opts dry = { .encoding = -1, .dry_run = true };
    ck_assert_int_eq(import_text("links1.csv", text, &dry, &r, &err), RK_EFAIL);
    ck_assert_uint_eq(r.rejected, 1);
    ck_assert_uint_eq(r.links, 2);
    rk_import_result_free(&r);

    rk_import_opts skip = { .encoding = -1, .skip_invalid = true };
    ck_assert_msg(import_text("links1.csv", text, &skip, &r, &err) == RK_OK, "%s", err.msg);
    ck_assert_uint_eq(r.imported, 3);
    ck_assert_uint_eq(r.rejected, 0);
    ck_assert_uint_eq(r.links, 2);
    ck_assert_uint_eq(r.links_left_out, 1);
    ck_assert_ptr_nonnull(strstr(r.rejects[0].reason, "imported without this link"));
    rk_import_result_free(&r);
    rk_client *anna = by_hetu("131052-308T"), *liisa = by_hetu("020285-902X");
    ck_assert_int_eq(anna->nhousehold, 1);
    ck_assert_str_eq(anna->household[0].relation, "spouse");
    ck_assert_str_eq(anna->household[0].other_name, "Mäkinen, Pekka (100002)");
    ck_assert_int_eq(liisa->nhousehold, 1);
    ck_assert_str_eq(liisa->household[0].relation, "parent");
    ck_assert_int_eq(liisa->household[0].other_id, anna->id);
    rk_client_free(anna);
    rk_client_free(liisa);

    /* A bad item rejects its row, naming it. */
    snprintf(text, sizeof text, "%s7;Anna;Virta;;cousin 8\n", head);
    ck_assert_int_eq(import_text("links2.csv", text, NULL, &r, &err), RK_EFAIL);
    ck_assert_ptr_nonnull(strstr(r.rejects[0].reason, "\"cousin 8\" is not RELATION NUMBER"));
    rk_import_result_free(&r);
    snprintf(text, sizeof text, "%s7;Anna;Virta;;\n7;Eino;Virta;;\n8;Aino;Virta;;child 7\n", head);
    ck_assert_int_eq(import_text("links5.csv", text, NULL, &r, &err), RK_EFAIL);
    ck_assert_ptr_nonnull(strstr(r.rejects[0].reason, "customer number 7 is on more than one row"));
    rk_import_result_free(&r);
    snprintf(text, sizeof text, "%s7;Anna;Virta;;spouse 7\n", head);
    ck_assert_int_eq(import_text("links3.csv", text, NULL, &r, &err), RK_EFAIL);
    ck_assert_ptr_nonnull(strstr(r.rejects[0].reason, "links to itself"));
    rk_import_result_free(&r);

    /* No customer number column: the links cannot be read, and it says so. */
    ck_assert_msg(import_text("links4.csv", "Etunimi;Sukunimi;Household members\nEero;Virta;spouse 8\n",
                              NULL, &r, &err) == RK_OK, "%s", err.msg);
    ck_assert_uint_eq(r.imported, 1);
    ck_assert_uint_eq(r.nignored, 1);
    ck_assert_ptr_nonnull(strstr(r.ignored[0].why, "no customer number column"));
    rk_import_result_free(&r);
}
END_TEST

START_TEST(export_only_what_the_role_reads_and_recorded)
{
    rk_import_result r;
    rk_err err;
    ck_assert_int_eq(import_text("a.csv", UTF8_ROWS, NULL, &r, &err), RK_OK);
    rk_import_result_free(&r);
    rk_session *rec = fix_login("reception");
    char *csv = export_csv(rec, ',', RK_ENC_UTF8, NULL);
    /* reception sees the henkilötunnus masked: the export leaves it out */
    ck_assert_ptr_null(strstr(csv, "131052-308T"));
    ck_assert_ptr_nonnull(strstr(csv, "Mäkinen"));
    free(csv);
    rk_session_logout(rec);
    /* Reception may not record data sources, so it may not import. */
    rec = fix_login("reception");
    rk_import_opts io = { .encoding = -1 };
    const char *path = write_file("r.csv", UTF8_ROWS, strlen(UTF8_ROWS));
    ck_assert_int_eq(rk_import_file(rec, path, &io, &r, &err), RK_EDENIED);
    ck_assert_ptr_nonnull(strstr(err.msg, "data source"));
    rk_import_result_free(&r);
    rk_session_logout(rec);
    /* A column the role may not write stops the import at the header. */
    ck_assert_int_eq(rk_clients_policy_set(fix_login_keep("admin"), "dpo", "collection", "read", &err), RK_OK);
    ck_assert_int_eq(import_text("c.csv", "etunimi;sukunimi;perintä\nAino;Aalto;none\n", NULL, &r, &err), RK_EDENIED);
    ck_assert_ptr_nonnull(strstr(err.msg, "Column 3 (\"perintä\")"));
    rk_import_result_free(&r);
    rk_session *adm = fix_login("admin");
    rk_client_export_request req = { .format = RK_EXPORT_CSV };
    rk_export_result res;
    ck_assert_int_eq(rk_export_clients(adm, &req, stdout, &res, &err), RK_EDENIED);
    rk_session_logout(adm);
    rk_disclosure *dl;
    size_t n;
    ck_assert_int_eq(rk_disclosures_list(dpo, 0, &dl, &n, &err), RK_OK);
    ck_assert_uint_eq(n, 1);
    ck_assert_str_eq(dl[0].kind, "client_export");
    ck_assert_str_eq(dl[0].user, "reception");
    ck_assert_uint_eq(dl[0].nclients, 2);
    ck_assert_ptr_null(strstr(dl[0].fields, "hetu"));
    rk_disclosures_free(dl, n);

    /* JSON, as dpo: every field, lists as arrays. */
    char *js = NULL;
    size_t jlen = 0;
    FILE *jf = open_memstream(&js, &jlen);
    rk_client_export_request jr = { .format = RK_EXPORT_JSON, .encoding = RK_ENC_UTF8 };
    ck_assert_int_eq(rk_export_clients(dpo, &jr, jf, &res, &err), RK_OK);
    fclose(jf);
    json_error_t jerr;
    json_t *root = json_loads(js, 0, &jerr);
    ck_assert_ptr_nonnull(root);
    json_t *arr = json_object_get(root, "clients");
    ck_assert_uint_eq(json_array_size(arr), 2);
    ck_assert_str_eq(json_string_value(json_object_get(json_array_get(arr, 0), "hetu")), "131052-308T");
    ck_assert(json_is_array(json_object_get(json_array_get(arr, 0), "sources")));
    json_decref(root);
    free(js);
    jr.encoding = RK_ENC_CP1252;
    ck_assert_int_eq(rk_export_clients(dpo, &jr, stdout, &res, &err), RK_EUSAGE);
    ck_assert_int_eq(rk_disclosures_list(dpo, 0, &dl, &n, &err), RK_OK);
    ck_assert_uint_eq(n, 2);
    rk_disclosures_free(dl, n);

    /* A letter Windows-1252 lacks: refused with the line, nothing recorded. */
    ck_assert_int_eq(import_text("pl.csv", "etunimi;sukunimi\nŁucja;Nowak\n", NULL, &r, &err), RK_OK);
    rk_import_result_free(&r);
    FILE *f = fopen("/dev/null", "w");
    rk_client_export_request cp = { .format = RK_EXPORT_CSV, .encoding = RK_ENC_CP1252 };
    ck_assert_int_eq(rk_export_clients(dpo, &cp, f, &res, &err), RK_EFAIL);
    fclose(f);
    ck_assert_ptr_nonnull(strstr(err.msg, "U+0141 on line 4 cannot be written in Windows-1252"));
    ck_assert_int_eq(rk_disclosures_list(dpo, 0, &dl, &n, &err), RK_OK);
    ck_assert_uint_eq(n, 2);
    rk_disclosures_free(dl, n);
}
END_TEST

/* The outer transaction the import runs in: service transactions become
 * savepoints; discarding the outer one discards them all. */
START_TEST(outer_transaction_holds_the_batches)
{
    rk_err err;
    size_t bad;
    rk_client *c[2];
    for (int i = 0; i < 2; i++) {
        c[i] = rk_client_new();
        rk_client_set(c[i], RK_F_FIRST_NAMES, "Aino", &err);
        rk_client_set(c[i], RK_F_LAST_NAME, i ? "Beta" : "Alfa", &err);
    }
    ck_assert_int_eq(rk_db_begin_outer(dpo->db, &err), RK_OK);
    ck_assert_int_eq(rk_clients_create_many(dpo, &c[0], 1, "t", &bad, &err), RK_OK);
    /* A failing batch rolls back only itself. */
    ck_assert_int_eq(rk_db_begin(dpo->db, &err), RK_OK);
    rk_db_rollback(dpo->db);
    ck_assert_int_eq(client_count(), 1);
    rk_db_rollback_outer(dpo->db);
    ck_assert_int_eq(client_count(), 0);

    /* A plain ROLLBACK inside ends the outer transaction: nothing after it
     * may commit on its own. */
    ck_assert_int_eq(rk_db_begin_outer(dpo->db, &err), RK_OK);
    ck_assert_int_eq(rk_clients_create_many(dpo, &c[0], 1, "t", &bad, &err), RK_OK);
    rk_db_rollback(dpo->db);
    ck_assert_int_ne(rk_clients_create_many(dpo, &c[1], 1, "t", &bad, &err), RK_OK);
    ck_assert_int_ne(rk_db_commit_outer(dpo->db, &err), RK_OK);
    ck_assert_int_eq(client_count(), 0);

    ck_assert_int_eq(rk_db_begin_outer(dpo->db, &err), RK_OK);
    ck_assert_int_eq(rk_clients_create_many(dpo, c, 2, "t", &bad, &err), RK_OK);
    ck_assert_int_eq(rk_db_commit_outer(dpo->db, &err), RK_OK);
    ck_assert_int_eq(client_count(), 2);
    rk_client_free(c[0]);
    rk_client_free(c[1]);
}
END_TEST

/* `export clients` writes each column's label in the user's language; the
 * import takes those headers back in Finnish, Swedish and English. */
START_TEST(headers_in_every_language)
{
    fix_build_catalogs("C.UTF-8");
    static const char *const langs[] = { "fi", "sv", "en" };
    for (size_t l = 0; l < 3; l++) {
        int translated = 0;
        for (int f = 0; f < RK_F_COUNT; f++) {
            rk_i18n_set_language(langs[l]);
            char label[128];
            snprintf(label, sizeof label, "%s", _(rk_fields[f].label));
            translated += strcmp(label, rk_fields[f].label) != 0;
            rk_i18n_set_language("");
            const char *type;
            ck_assert_msg(rk_import_header_field(label, &type) == f, "%s: header \"%s\" not read as %s",
                          langs[l], label, rk_fields[f].name);
        }
        /* The catalogs were really in use (most labels differ from English). */
        if (l < 2)
            ck_assert_int_gt(translated, RK_F_COUNT / 2);
    }
}
END_TEST

Suite *test_suite(void)
{
    Suite *s = suite_create("import");
    TCase *tc = tcase_create("import");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, utf8_with_and_without_bom);
    tcase_add_test(tc, utf16le_with_bom);
    tcase_add_test(tc, utf16be_with_bom);
    tcase_add_test(tc, windows_1252_detected_and_latin_given);
    tcase_add_test(tc, delimiters_detected);
    tcase_add_test(tc, quotes_newlines_and_delimiters_in_fields);
    tcase_add_test(tc, bad_files_name_the_line);
    tcase_add_test(tc, skip_invalid_and_dry_run);
    tcase_add_test(tc, large_file_read_ahead);
    tcase_add_test(tc, large_file_errors_read_ahead);
    tcase_add_test(tc, foreign_keys_back_on_after_a_load);
    tcase_add_test(tc, duplicates_source_and_audit);
    tcase_add_test(tc, import_source_recorded_once);
    tcase_add_test(tc, headers_unknown_and_mapped);
    tcase_add_test(tc, formula_cells_round_trip);
    tcase_add_test(tc, export_reimports_to_the_same_records);
    tcase_add_test(tc, household_links_by_file_numbers);
    tcase_add_test(tc, export_only_what_the_role_reads_and_recorded);
    tcase_add_test(tc, outer_transaction_holds_the_batches);
    tcase_add_test(tc, headers_in_every_language);
    suite_add_tcase(s, tc);
    return s;
}
