# --db is always a file path, never an SQLite URI: 'file:x.db' is the file
# of that name (here a copy of later.db, which has 'top'), not x.db (a copy
# of fixture.db, which has not); with no such file, it is missing
tmp=$(mktemp -d)
cp "$DATA/fixture.db" "$tmp/x.db"
cp "$DATA/later.db" "$tmp/file:x.db"
cd "$tmp"
proctrail --db 'file:x.db' search --comm top; echo "rc=$?"
rm 'file:x.db'
proctrail --db 'file:x.db' search --comm top; echo "rc=$?"
proctrail --db 'file:x.db?vfs=unix-none' search; echo "rc=$?"
cd / && rm -rf "$tmp"
