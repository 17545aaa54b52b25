# rebuild: what it refuses, each with a clear message and its exit code;
# no file is left behind by a refusal
d="$tmp/rb"
mkdir "$d"
r() { "$@" 2>&1; echo "rc=$?"; }
names() { sed -e "s|$d|D|g" -e "s|$DATA|DATA|g"; }
r proctrail rebuild | head -2
r proctrail rebuild a.db b.db
: >"$d/exists.db"
r proctrail rebuild "$d/exists.db" | names
# a file of an older schema keeps no sources
r proctrail --db "$DATA/v3.db" rebuild --check | names
# sessions recorded before version 7 (the fixture's): refused, nothing made
r proctrail rebuild "$d/new.db" | names
r proctrail --db "$DATA/corrupt.db" rebuild --check | names
r proctrail --db "$DATA/newer.db" rebuild "$d/n.db" | names
ls "$d"
