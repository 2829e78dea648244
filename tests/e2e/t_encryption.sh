# Nobody without a password can read a byte of the registry: the database file
# has no SQLite header, and sqlcipher without the key cannot read it.
source "$(dirname "$0")/lib.sh"
make_registry

head16=$(head -c 16 "$REKISTERI_DIR/registry.db" | od -An -c | tr -d ' \n')
[ "$head16" != 'SQLiteformat3\0' ] || fail "registry.db starts with the plain SQLite header"
head -c 16 "$REKISTERI_DIR/registry.db" | grep -q 'SQLite format 3' && fail "plain SQLite header found"

# No key: sqlcipher must fail at the first read.
if out=$(sqlcipher "$REKISTERI_DIR/registry.db" 'SELECT count(*) FROM sqlite_master;' 2>&1); then
    fail "sqlcipher read the database without a key: $out"
fi
echo "$out" | grep -qi 'not a database\|encrypted' || fail "unexpected sqlcipher message: $out"

# A wrong raw key fails too.
wrong=$(printf "PRAGMA key = \"x'%064d'\";\nSELECT count(*) FROM sqlite_master;\n" 0)
if out=$(printf '%s\n' "$wrong" | sqlcipher "$REKISTERI_DIR/registry.db" 2>&1) && ! echo "$out" | grep -qi error; then
    fail "sqlcipher read the database with a wrong key: $out"
fi

# Plain text of what we stored (usernames, the full name) is nowhere in the files.
for f in "$REKISTERI_DIR"/registry.db "$REKISTERI_DIR"/keyring; do
    grep -qa "Anna Admin" "$f" && fail "the full name is readable in $f"
done
grep -qa "user_added" "$REKISTERI_DIR/registry.db" && fail "audit text readable in registry.db"

# Files are private.
for f in registry.db keyring; do
    mode=$(stat -c %a "$REKISTERI_DIR/$f")
    [ "$mode" = 600 ] || fail "$f has mode $mode, want 600"
done
exit 0
