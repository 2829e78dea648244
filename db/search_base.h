/* The packed part of the search index ("the base"): what the last rebuild
 * wrote, as sorted blocks of small entries instead of about 27 wide rows a
 * client. The engine (db/search_index.c) reads it beside the row table
 * search_key, which holds what saves have changed since (see
 * BENCHMARKS.md, "Import at a million rows").
 *
 *   search_base(blk, first BLOB UNIQUE, data BLOB)    -- entry blocks
 *   search_base_names(blk INTEGER PRIMARY KEY, data)  -- rank -> sortkey, id
 *   search_base_meta(id = 1, gen, n)                  -- rebuild number, ranks
 *
 * An entry is (g, rank, tok): g = key 0x00 lit 0x00 as in search_key, rank
 * = the client's place in result order (sortkey, id) at the rebuild, tok as
 * in search_key. Entries are in (g, rank, tok) order, which is search_key's
 * (key, lit, sortkey, client_id, tok) order. A block's data is its entries,
 * each starting with a varint h: 0 = g and tok as in the entry before,
 * then the rank's increase; 1 = g as before, the rank's increase, then tok;
 * 2 + n = g shares n bytes with the g before: varint length of the rest,
 * the rest, the rank. tok, where it follows, is varint bytes shared with
 * the tok before, varint length of the rest, the rest. The first entry of a
 * block follows nothing (h >= 2, n = 0, no tok bytes shared). A block's key `first` is g, the rank in 4 big-endian bytes, and
 * tok of its first entry. Names are blocks of SB_NAMES_BLOCK ranks, each
 * as varint shared sortkey bytes, varint suffix length, suffix, varint id;
 * id 0 marks a rank whose client has changed or been erased since. */
#ifndef RK_SEARCH_BASE_H
#define RK_SEARCH_BASE_H

#include <sqlite3.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The tables as schema 6 made them. Schema 8 moved the entry blocks into
 * SB_BLOCKS_TABLE: in a WITHOUT ROWID table a cell keeps under 1 KiB of its
 * row in the page, so every ~2 KiB block took an overflow page and half the
 * base's pages were empty space; a rowid table's 4 KiB page holds whole
 * blocks. The statements here reach blocks by `first` either way. */
#define SB_SCHEMA_V6                                                                        \
    "CREATE TABLE search_base (first BLOB PRIMARY KEY, data BLOB NOT NULL) WITHOUT ROWID;" \
    "CREATE TABLE search_base_names (blk INTEGER PRIMARY KEY, data BLOB NOT NULL);"        \
    "CREATE TABLE search_base_meta (id INTEGER PRIMARY KEY CHECK (id = 1),"                \
    " gen INTEGER NOT NULL, n INTEGER NOT NULL);"

enum {
    SB_GMAX = 320,             /* longest g (key and lit are capped below it) */
    SB_TOKMAX = 256,
    /* An entry block is closed before an entry could take it past this
     * size: two blocks and their keys fit one 4 KiB page of
     * SB_BLOCKS_TABLE (4,048 usable bytes under SQLCipher's reserve), four
     * an 8 KiB one. */
    SB_BLOCK_BYTES = 1900,
    SB_NAMES_BLOCK = 4096,     /* ranks per names block */
};

/* rank -> (sortkey, client id) of the base in memory, per connection. */
typedef struct sb_names {
    int64_t gen;               /* -1: not loaded */
    uint32_t n;
    uint32_t *off;
    uint16_t *len;
    int64_t *id;
    unsigned char *arena;
    struct sb_idrank *by_id;   /* sorted by id; built on first rank lookup */
} sb_names;

/* Loads the names when the base is not the one in memory. SQLITE_OK or an
 * SQLite error code. */
int sb_names_sync(sqlite3 *h, sb_names *nm);
void sb_names_free(sb_names *nm);
/* The rank of a client in the base, or -1. */
int64_t sb_names_rank_of(sb_names *nm, int64_t id);

/* Reading the entries in order. */
typedef struct sb_cursor {
    sqlite3_stmt *fwd;         /* SB_FWD_SQL, owned by the caller */
    const unsigned char *data;
    int len, pos;
    unsigned char g[SB_GMAX];
    int gl;
    int keyl;                  /* bytes of g before its first 0x00 */
    uint32_t rank;
    const char *tok;
    int tokl;
    char tokbuf[SB_TOKMAX];
    bool valid;
} sb_cursor;

#define SB_BLOCKS_TABLE \
    "CREATE TABLE search_base (blk INTEGER PRIMARY KEY, first BLOB NOT NULL UNIQUE, data BLOB NOT NULL)"

#define SB_PROBE_SQL "SELECT first FROM search_base WHERE first < ?1 ORDER BY first DESC LIMIT 1"
#define SB_FWD_SQL "SELECT data FROM search_base WHERE first >= ?1 ORDER BY first"

/* Puts c on the first entry whose g is not below t (bytes; shorter is
 * lower). probe is a prepared SB_PROBE_SQL. SQLITE_OK or an error code. */
int sb_seek(sqlite3_stmt *probe, sb_cursor *c, const void *t, int tl);
void sb_next(sb_cursor *c);
/* A cursor of its own on the first entry of the whole base (checks and
 * counts), and its end. */
int sb_open_all(sqlite3 *h, sb_cursor *c);
void sb_close_all(sb_cursor *c);
/* memcmp order with shorter lower, as SQLite compares text and blobs. */
int sb_cmp(const void *a, int al, const void *b, int bl);

/* The entry before, while encoding. */
typedef struct sb_enc {
    unsigned char g[SB_GMAX];
    int gl;
    char tok[SB_TOKMAX];
    int tokl;
    uint32_t rank;
} sb_enc;

/* One block's bytes, outside SQLite (rk_search checks, the fuzz target). */
typedef bool (*sb_entry_cb)(void *ctx, const unsigned char *g, int gl, uint32_t rank,
                            const char *tok, int tokl);
/* Every entry of data in order through cb; false when the bytes do not
 * decode (or cb says stop) before their end. */
bool sb_block_decode(const unsigned char *data, int len, sb_entry_cb cb, void *ctx);

typedef struct sb_block {
    unsigned char *buf;
    size_t len, cap;
    sb_enc enc;
} sb_block;

/* Appends an entry (in order after the ones before: g, then rank, then
 * tok); false for an entry no block may hold, or out of memory. */
bool sb_block_add(sb_block *b, const void *g, int gl, uint32_t rank, const char *tok, int tokl);
void sb_block_free(sb_block *b);

/* Writing a base: entries must come in order. The blocks are kept in
 * memory (so that parts of a base can be encoded on threads of their own)
 * and inserted afterwards, in order, by sb_writer_insert. */
typedef struct sb_writer {
    sb_block blk;              /* the block being filled */
    unsigned char first[SB_GMAX + 4 + SB_TOKMAX];
    int firstl;
    unsigned char *out;        /* finished blocks: u16 firstl, u32 len, first, data */
    size_t outlen, outcap;
    int64_t blocks, bytes;
} sb_writer;

void sb_writer_init(sb_writer *w);
/* SQLITE_OK, SQLITE_TOOBIG for an entry no block may hold, SQLITE_NOMEM */
int sb_writer_add(sb_writer *w, const void *g, int gl, uint32_t rank, const char *tok, int tokl);
int sb_writer_finish(sb_writer *w);              /* closes the last block */
int sb_writer_insert(sb_writer *w, sqlite3 *h);  /* SQLITE_OK or an error code */
void sb_writer_free(sb_writer *w);

typedef struct sb_names_writer {
    sqlite3_stmt *ins;
    unsigned char *buf;
    size_t len, cap;
    unsigned char prev[256];
    int prevl;
    uint32_t n;
} sb_names_writer;

int sb_names_writer_open(sb_names_writer *w, sqlite3 *h);
int sb_names_writer_add(sb_names_writer *w, const unsigned char *sk, int skl, int64_t id);
int sb_names_writer_close(sb_names_writer *w, sqlite3 *h);   /* also writes the meta row */

/* Empties the base (inside the caller's transaction). */
int sb_clear(sqlite3 *h);
/* Removes one entry, if there. */
int sb_delete(sqlite3 *h, const void *g, int gl, uint32_t rank, const char *tok, int tokl);
/* Marks a rank as no longer in the base: its sortkey is wiped and its id
 * set to 0 on disk. Names in memory keep it until the next rebuild (no
 * entry refers to the rank any more, and a rolled-back save leaves them
 * right). */
int sb_names_forget(sqlite3 *h, uint32_t rank);

#endif
