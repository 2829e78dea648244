/* Numbered schema migrations. Each runs once, in its own BEGIN IMMEDIATE
 * transaction, and records itself in PRAGMA user_version. Never edit a
 * migration that has shipped: add the next one. */
#include "db.h"
#include "db_clients.h"
#include "search_base.h"

#include <sqlite3.h>
#include <stdio.h>

/* The clients table's columns, one per scalar field of src/fields.h, named
 * as the field (tests/unit/test_clients.c checks the two agree). HETU is
 * the henkilötunnus column's constraint: inline UNIQUE in schema 2, a named
 * index (RK_DBC_HETU_INDEX) from schema 7 on. */
#define CLIENTS_COLUMNS(HETU) \
    "  id INTEGER PRIMARY KEY,"                           \
    "  version INTEGER NOT NULL DEFAULT 1,"               \
    "  created TEXT NOT NULL,"                            \
    "  updated TEXT NOT NULL,"                            \
    "  updated_by TEXT NOT NULL,"                         \
    "  restricted INTEGER NOT NULL DEFAULT 0,"            \
    "  customer_no INTEGER NOT NULL UNIQUE,"              \
    "  first_names TEXT NOT NULL DEFAULT '',"             \
    "  last_name TEXT NOT NULL DEFAULT '',"               \
    "  hetu TEXT " HETU ","   /* NULL when not known */   \
    "  birth_date TEXT NOT NULL DEFAULT '',"              \
    "  gender TEXT NOT NULL DEFAULT '',"                  \
    "  language TEXT NOT NULL DEFAULT '',"                \
    "  street TEXT NOT NULL DEFAULT '',"                  \
    "  postcode TEXT NOT NULL DEFAULT '',"                \
    "  post_office TEXT NOT NULL DEFAULT '',"             \
    "  country TEXT NOT NULL DEFAULT '',"                 \
    "  preferred_channel TEXT NOT NULL DEFAULT '',"       \
    "  turvakielto TEXT NOT NULL DEFAULT '',"             \
    "  popreg_bans TEXT NOT NULL DEFAULT '',"             \
    "  organisation TEXT NOT NULL DEFAULT '',"            \
    "  ytunnus TEXT NOT NULL DEFAULT '',"                 \
    "  position TEXT NOT NULL DEFAULT '',"                \
    "  contact_role TEXT NOT NULL DEFAULT '',"            \
    "  loyalty TEXT NOT NULL DEFAULT '',"                 \
    "  interests TEXT NOT NULL DEFAULT '',"               \
    "  other_info TEXT NOT NULL DEFAULT '',"              \
    "  billing_address TEXT NOT NULL DEFAULT '',"         \
    "  einvoice_address TEXT NOT NULL DEFAULT '',"        \
    "  collection TEXT NOT NULL DEFAULT ''"

static const struct migration {
    int         version;
    const char *name;
    const char *sql;
    /* Rebuilds a table others refer to: run with foreign keys off (they
     * would cascade the old table's rows away) and checked before commit. */
    bool        rebuilds_parent;
} migrations[] = {
    { 1, "users, settings and the audit log",
      "CREATE TABLE users ("
      "  id INTEGER PRIMARY KEY,"
      "  username TEXT NOT NULL UNIQUE,"
      "  full_name TEXT NOT NULL DEFAULT '',"
      "  role TEXT NOT NULL CHECK(role IN ('reception','billing','marketing','dpo','admin')),"
      "  active INTEGER NOT NULL DEFAULT 1,"
      "  created TEXT NOT NULL,"
      "  password_changed TEXT,"
      "  last_login TEXT,"
      "  language TEXT NOT NULL DEFAULT ''"
      ");"
      "CREATE TABLE settings ("
      "  key TEXT PRIMARY KEY,"
      "  value TEXT NOT NULL"
      ");"
      "CREATE TABLE audit ("
      "  seq INTEGER PRIMARY KEY,"
      "  ts TEXT NOT NULL,"
      "  user TEXT NOT NULL,"
      "  action TEXT NOT NULL,"
      "  client_id INTEGER,"
      "  details TEXT NOT NULL DEFAULT '',"
      "  terminal TEXT NOT NULL DEFAULT '',"
      "  prev_hash BLOB NOT NULL,"
      "  hash BLOB NOT NULL"
      ");"
      /* Append-only through SQL; the hash chain catches what bypasses this. */
      "CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit"
      "  BEGIN SELECT RAISE(ABORT, 'audit rows cannot be changed'); END;"
      "CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit"
      "  BEGIN SELECT RAISE(ABORT, 'audit rows cannot be deleted'); END;"
      /* INSERT OR REPLACE deletes the old row without firing DELETE triggers. */
      "CREATE TRIGGER audit_no_replace BEFORE INSERT ON audit"
      "  WHEN EXISTS (SELECT 1 FROM audit WHERE seq = NEW.seq)"
      "  BEGIN SELECT RAISE(ABORT, 'audit rows cannot be replaced'); END;"
      "CREATE INDEX audit_client ON audit(client_id);"
      "CREATE INDEX audit_user ON audit(user);", false },
    { 2, "clients, their lists, field history and policy overrides",
      "CREATE TABLE clients (" CLIENTS_COLUMNS("UNIQUE") ");"
      "CREATE INDEX clients_name_birth ON clients(last_name, first_names, birth_date);"
      "CREATE TABLE client_phones ("
      "  client_id INTEGER NOT NULL REFERENCES clients(id) ON DELETE CASCADE,"
      "  pos INTEGER NOT NULL, type TEXT NOT NULL, number TEXT NOT NULL,"
      "  PRIMARY KEY (client_id, pos)) WITHOUT ROWID;"
      "CREATE TABLE client_emails ("
      "  client_id INTEGER NOT NULL REFERENCES clients(id) ON DELETE CASCADE,"
      "  pos INTEGER NOT NULL, type TEXT NOT NULL, address TEXT NOT NULL,"
      "  PRIMARY KEY (client_id, pos)) WITHOUT ROWID;"
      "CREATE TABLE client_household ("
      "  client_id INTEGER NOT NULL REFERENCES clients(id) ON DELETE CASCADE,"
      "  other_id INTEGER NOT NULL REFERENCES clients(id) ON DELETE CASCADE,"
      "  relation TEXT NOT NULL,"
      "  PRIMARY KEY (client_id, other_id)) WITHOUT ROWID;"
      "CREATE INDEX client_household_other ON client_household(other_id);"
      "CREATE TABLE client_events ("
      "  id INTEGER PRIMARY KEY,"
      "  client_id INTEGER NOT NULL REFERENCES clients(id) ON DELETE CASCADE,"
      "  pos INTEGER NOT NULL, date TEXT NOT NULL, kind TEXT NOT NULL,"
      "  text TEXT NOT NULL DEFAULT '', user TEXT NOT NULL DEFAULT '');"
      "CREATE INDEX client_events_client ON client_events(client_id, pos);"
      "CREATE TABLE client_sources ("
      "  client_id INTEGER NOT NULL REFERENCES clients(id) ON DELETE CASCADE,"
      "  pos INTEGER NOT NULL, source TEXT NOT NULL, date TEXT NOT NULL,"
      "  note TEXT NOT NULL DEFAULT '',"
      "  PRIMARY KEY (client_id, pos)) WITHOUT ROWID;"
      "CREATE TABLE field_history ("
      "  id INTEGER PRIMARY KEY,"
      "  client_id INTEGER NOT NULL REFERENCES clients(id) ON DELETE CASCADE,"
      "  field TEXT NOT NULL, old_value TEXT NOT NULL, new_value TEXT NOT NULL,"
      "  user TEXT NOT NULL, ts TEXT NOT NULL);"
      "CREATE INDEX field_history_client ON field_history(client_id, id);"
      "CREATE TABLE policy ("
      "  role TEXT NOT NULL, field TEXT NOT NULL, level TEXT NOT NULL,"
      "  PRIMARY KEY (role, field)) WITHOUT ROWID;", false },
    { 3, "search-as-you-type index",
      /* Key order is result order: see db/search_index.c and BENCHMARKS.md. */
      "CREATE TABLE search_key ("
      "  key TEXT NOT NULL, lit TEXT NOT NULL, sortkey BLOB NOT NULL,"
      "  client_id INTEGER NOT NULL, tok TEXT NOT NULL,"
      "  PRIMARY KEY (key, lit, sortkey, client_id, tok)) WITHOUT ROWID;"
      "CREATE TABLE search_stat (key TEXT PRIMARY KEY, n INTEGER NOT NULL) WITHOUT ROWID;", false },
    { 4, "consent ledger, call-recording notes and the disclosure register",
      /* The ledger and the register are legal records: append-only like the
       * audit table. Call notes are never changed (corrections are
       * amendments) but the retention work may delete them, so consent
       * events keep a plain call_id, not a foreign key. */
      "CREATE TABLE consent_events ("
      "  id INTEGER PRIMARY KEY,"
      "  client_id INTEGER NOT NULL REFERENCES clients(id),"
      "  item TEXT NOT NULL,"
      "  channel TEXT NOT NULL DEFAULT '',"
      "  state TEXT NOT NULL CHECK(state IN ('unknown','allowed','denied')),"
      "  user TEXT NOT NULL,"
      "  ts TEXT NOT NULL,"
      "  source TEXT NOT NULL,"
      "  call_id INTEGER,"
      "  notice_version TEXT NOT NULL DEFAULT '',"
      "  note TEXT NOT NULL DEFAULT '',"
      "  batch INTEGER NOT NULL);"
      "CREATE INDEX consent_events_cell ON consent_events(client_id, item, channel, id);"
      "CREATE TRIGGER consent_events_no_update BEFORE UPDATE ON consent_events"
      "  BEGIN SELECT RAISE(ABORT, 'consent events cannot be changed'); END;"
      "CREATE TRIGGER consent_events_no_delete BEFORE DELETE ON consent_events"
      "  BEGIN SELECT RAISE(ABORT, 'consent events cannot be deleted'); END;"
      "CREATE TRIGGER consent_events_no_replace BEFORE INSERT ON consent_events"
      "  WHEN EXISTS (SELECT 1 FROM consent_events WHERE id = NEW.id)"
      "  BEGIN SELECT RAISE(ABORT, 'consent events cannot be replaced'); END;"
      "CREATE TABLE call_notes ("
      "  id INTEGER PRIMARY KEY,"
      "  client_id INTEGER NOT NULL REFERENCES clients(id),"
      "  started TEXT NOT NULL,"
      "  direction TEXT NOT NULL CHECK(direction IN ('in','out')),"
      "  duration INTEGER NOT NULL CHECK(duration >= 0),"
      "  user TEXT NOT NULL,"
      "  number TEXT NOT NULL,"
      "  recording_id TEXT NOT NULL DEFAULT '',"
      "  purpose TEXT NOT NULL,"
      "  told INTEGER NOT NULL CHECK(told IN (0, 1)),"
      "  training_consent INTEGER NOT NULL CHECK(training_consent IN (0, 1)),"
      "  summary TEXT NOT NULL,"
      "  keep_until TEXT NOT NULL,"
      "  created TEXT NOT NULL);"
      "CREATE INDEX call_notes_client ON call_notes(client_id, started);"
      "CREATE INDEX call_notes_keep ON call_notes(keep_until);"
      "CREATE TABLE call_amendments ("
      "  id INTEGER PRIMARY KEY,"
      "  note_id INTEGER NOT NULL REFERENCES call_notes(id) ON DELETE CASCADE,"
      "  user TEXT NOT NULL, ts TEXT NOT NULL, text TEXT NOT NULL);"
      "CREATE INDEX call_amendments_note ON call_amendments(note_id, id);"
      "CREATE TRIGGER call_notes_no_update BEFORE UPDATE ON call_notes"
      "  BEGIN SELECT RAISE(ABORT, 'call notes cannot be changed; add an amendment'); END;"
      "CREATE TRIGGER call_notes_no_replace BEFORE INSERT ON call_notes"
      "  WHEN EXISTS (SELECT 1 FROM call_notes WHERE id = NEW.id)"
      "  BEGIN SELECT RAISE(ABORT, 'call notes cannot be replaced'); END;"
      "CREATE TRIGGER call_amendments_no_update BEFORE UPDATE ON call_amendments"
      "  BEGIN SELECT RAISE(ABORT, 'amendments cannot be changed'); END;"
      "CREATE TRIGGER call_amendments_no_replace BEFORE INSERT ON call_amendments"
      "  WHEN EXISTS (SELECT 1 FROM call_amendments WHERE id = NEW.id)"
      "  BEGIN SELECT RAISE(ABORT, 'amendments cannot be replaced'); END;"
      "CREATE TABLE disclosures ("
      "  id INTEGER PRIMARY KEY,"
      "  ts TEXT NOT NULL, user TEXT NOT NULL, kind TEXT NOT NULL,"
      "  purpose TEXT NOT NULL DEFAULT '', channel TEXT NOT NULL DEFAULT '',"
      "  recipient TEXT NOT NULL, legal_basis TEXT NOT NULL,"
      "  categories TEXT NOT NULL DEFAULT '', fields TEXT NOT NULL DEFAULT '',"
      "  count INTEGER NOT NULL DEFAULT 0, format TEXT NOT NULL DEFAULT '',"
      "  corrects INTEGER REFERENCES disclosures(id),"
      "  note TEXT NOT NULL DEFAULT '');"
      "CREATE TABLE disclosure_clients ("
      "  disclosure_id INTEGER NOT NULL REFERENCES disclosures(id),"
      "  client_id INTEGER NOT NULL,"
      "  PRIMARY KEY (disclosure_id, client_id)) WITHOUT ROWID;"
      "CREATE INDEX disclosure_clients_client ON disclosure_clients(client_id);"
      "CREATE TRIGGER disclosures_no_update BEFORE UPDATE ON disclosures"
      "  BEGIN SELECT RAISE(ABORT, 'disclosures cannot be changed; add a correction'); END;"
      "CREATE TRIGGER disclosures_no_delete BEFORE DELETE ON disclosures"
      "  BEGIN SELECT RAISE(ABORT, 'disclosures cannot be deleted'); END;"
      "CREATE TRIGGER disclosures_no_replace BEFORE INSERT ON disclosures"
      "  WHEN EXISTS (SELECT 1 FROM disclosures WHERE id = NEW.id)"
      "  BEGIN SELECT RAISE(ABORT, 'disclosures cannot be replaced'); END;"
      "CREATE TRIGGER disclosure_clients_no_update BEFORE UPDATE ON disclosure_clients"
      "  BEGIN SELECT RAISE(ABORT, 'disclosures cannot be changed'); END;"
      "CREATE TRIGGER disclosure_clients_no_delete BEFORE DELETE ON disclosure_clients"
      "  BEGIN SELECT RAISE(ABORT, 'disclosures cannot be deleted'); END;"
      "CREATE TRIGGER disclosure_clients_no_replace BEFORE INSERT ON disclosure_clients"
      "  WHEN EXISTS (SELECT 1 FROM disclosure_clients WHERE disclosure_id = NEW.disclosure_id"
      "    AND client_id = NEW.client_id)"
      "  BEGIN SELECT RAISE(ABORT, 'disclosures cannot be replaced'); END;", false },
    { 5, "requests register, erasure register with legal holds",
      /* Requests: due = received + 1 calendar month (src/requests.h), an
       * extension of up to 2 months with its reason; closed = '' while open. */
      "CREATE TABLE requests ("
      "  id INTEGER PRIMARY KEY,"
      "  client_id INTEGER NOT NULL REFERENCES clients(id),"
      "  kind TEXT NOT NULL,"
      "  received TEXT NOT NULL,"
      "  channel TEXT NOT NULL,"
      "  verified_how TEXT NOT NULL,"
      "  verified_by TEXT NOT NULL,"
      "  due TEXT NOT NULL,"
      "  extension_months INTEGER NOT NULL DEFAULT 0 CHECK(extension_months BETWEEN 0 AND 2),"
      "  extension_reason TEXT NOT NULL DEFAULT '',"
      "  status TEXT NOT NULL,"
      "  decision TEXT NOT NULL DEFAULT '',"
      "  closed TEXT NOT NULL DEFAULT '',"
      "  closed_by TEXT NOT NULL DEFAULT '',"
      "  created TEXT NOT NULL,"
      "  created_by TEXT NOT NULL);"
      "CREATE INDEX requests_open ON requests(closed, due);"
      "CREATE INDEX requests_client ON requests(client_id, due);"
      /* One row per erased client: the card stays as a tombstone (customer
       * number, and under a legal hold the kept billing fields) so that the
       * ledger, the register and the audit chain keep their references. */
      "CREATE TABLE erasures ("
      "  client_id INTEGER PRIMARY KEY REFERENCES clients(id),"
      "  erased TEXT NOT NULL, user TEXT NOT NULL, reason TEXT NOT NULL,"
      "  hold_until TEXT NOT NULL DEFAULT '', hold_basis TEXT NOT NULL DEFAULT '',"
      "  hold_ended TEXT NOT NULL DEFAULT '');"
      "CREATE INDEX erasures_hold ON erasures(hold_until);"
      "CREATE TRIGGER erasures_no_delete BEFORE DELETE ON erasures"
      "  BEGIN SELECT RAISE(ABORT, 'erasures cannot be undone'); END;"
      /* The ledger stays append-only, except that an erased client's notes
       * (free text that may name the person) are blanked, nothing else. */
      "DROP TRIGGER consent_events_no_update;"
      "CREATE TRIGGER consent_events_no_update BEFORE UPDATE ON consent_events"
      "  WHEN NOT (NEW.note = '' AND NEW.id IS OLD.id AND NEW.client_id IS OLD.client_id"
      "    AND NEW.item IS OLD.item AND NEW.channel IS OLD.channel AND NEW.state IS OLD.state"
      "    AND NEW.user IS OLD.user AND NEW.ts IS OLD.ts AND NEW.source IS OLD.source"
      "    AND NEW.call_id IS OLD.call_id AND NEW.notice_version IS OLD.notice_version"
      "    AND NEW.batch IS OLD.batch"
      "    AND EXISTS (SELECT 1 FROM erasures WHERE client_id = OLD.client_id))"
      "  BEGIN SELECT RAISE(ABORT, 'consent events cannot be changed'); END;", false },
    { 6, "packed search index written by rebuilds",
      /* db/search_base.h; search_key keeps what saves change after it. */
      SB_SCHEMA_V6, false },
    { 7, "a named unique index on henkilötunnus, which a bulk load can build after its rows",
      /* SQLite cannot drop a constraint's own index: the table is rebuilt
       * (https://sqlite.org/lang_altertable.html, "other kinds of changes"). */
      "CREATE TABLE clients_v7 (" CLIENTS_COLUMNS("") ");"
      "INSERT INTO clients_v7 SELECT * FROM clients;"
      "DROP TABLE clients;"
      "ALTER TABLE clients_v7 RENAME TO clients;"
      RK_DBC_NAME_INDEX ";"
      RK_DBC_HETU_INDEX ";", true },
    { 8, "the search index's blocks in whole pages",
      /* db/search_base.h, SB_BLOCKS_TABLE: the same blocks, in order. */
      "ALTER TABLE search_base RENAME TO search_base_v7;"
      SB_BLOCKS_TABLE ";"
      "INSERT INTO search_base(first, data) SELECT first, data FROM search_base_v7 ORDER BY first;"
      "DROP TABLE search_base_v7;", false },
    { 9, "a data source shared by a batch of clients, recorded once",
      /* Every client of an import came from the same file on the same day:
       * one row here instead of one per client (db/db_clients.h). */
      "CREATE TABLE source_batches ("
      "  id INTEGER PRIMARY KEY,"
      "  source TEXT NOT NULL, date TEXT NOT NULL, note TEXT NOT NULL DEFAULT '');"
      "ALTER TABLE clients ADD COLUMN source_batch INTEGER REFERENCES source_batches(id);", false },
};

int rk_db_latest_version(void)
{
    return migrations[RK_ARRAY_LEN(migrations) - 1].version;
}

static const char *db_file(sqlite3 *h)
{
    const char *f = sqlite3_db_filename(h, "main");
    return f && *f ? f : "?";
}

static int too_new(sqlite3 *h, int have, rk_err *err)
{
    return rk_err_set(err, RK_EFAIL,
                      _("The database %s was made by a newer version of Rekisteri (schema %d; this program knows up to %d): update the program."),
                      db_file(h), have, rk_db_latest_version());
}

/* Runs one migration in its own transaction; *have is the version after. */
static int migrate_one(rk_db *db, const struct migration *m, int *have, rk_err *err)
{
    sqlite3 *h = rk_db_handle(db);
    int rc = rk_db_begin(db, err);
    if (rc)
        return rc;
    /* Another process may have migrated while we waited for the lock. */
    *have = rk_db_schema_version(db);
    if (*have > rk_db_latest_version()) {
        rk_db_rollback(db);
        return too_new(h, *have, err);
    }
    if (m->version <= *have) {
        rk_db_rollback(db);
        return RK_OK;
    }
    char setver[64];
    snprintf(setver, sizeof setver, "PRAGMA user_version = %d", m->version);
    const char *problem = NULL;
    if (sqlite3_exec(h, m->sql, NULL, NULL, NULL) != SQLITE_OK ||
        sqlite3_exec(h, setver, NULL, NULL, NULL) != SQLITE_OK)
        problem = sqlite3_errmsg(h);
    else if (m->rebuilds_parent && rk_db_check_references(db, err))
        problem = err->msg;
    if (problem) {
        rk_err_set(err, RK_EFAIL, _("Cannot update the database %s to schema %d (%s): %s."),
                   db_file(h), m->version, m->name, problem);
        rk_db_rollback(db);
        return RK_EFAIL;
    }
    if ((rc = rk_db_commit(db, err)) != RK_OK)
        return rc;
    *have = m->version;
    return RK_OK;
}

static int stop_at;

void rk_db_stop_migrations_at(int version)
{
    stop_at = version;
}

int rk_db_migrate(rk_db *db, rk_err *err)
{
    sqlite3 *h = rk_db_handle(db);
    int have = rk_db_schema_version(db);
    if (have < 0)
        return rk_err_set(err, RK_EFAIL, _("Cannot read the schema version of the database %s: %s."),
                          db_file(h), sqlite3_errmsg(h));
    if (have > rk_db_latest_version())
        return too_new(h, have, err);

    for (size_t i = 0; i < RK_ARRAY_LEN(migrations); i++) {
        const struct migration *m = &migrations[i];
        if (m->version <= have || (stop_at && m->version > stop_at))
            continue;
        /* Only outside a transaction does this pragma take effect. */
        if (m->rebuilds_parent)
            sqlite3_exec(h, "PRAGMA foreign_keys=OFF", NULL, NULL, NULL);
        int rc = migrate_one(db, m, &have, err);
        if (m->rebuilds_parent)
            sqlite3_exec(h, "PRAGMA foreign_keys=ON", NULL, NULL, NULL);
        if (rc)
            return rc;
    }
    return RK_OK;
}
