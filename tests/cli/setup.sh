#!/bin/sh
# Make the databases the CLI cases run against, in DATA:
#   fixture.db	fixture.sql through the real schema
#   newer.db	the same, claiming schema version 999
#   plain.db	an SQLite database that is not proctrail's
#   corrupt.db	not a database at all
#   trunc.db	fixture.db cut short
#   empty.db	an empty file
#   later.db	fixture.db plus more.sql (what a later export sees)
#   orphan.db	fixture.db plus orphan.sql (dangling links)
#   wal/	fixture.db with more.sql still in its -wal (and -shm)
#   nogap.db	fixture.db without its gap table (an SQL error for gaps)
#   damaged.db	fixture.db plus damaged.sql (a parent cycle, impossible times)
#   loop.db	fixture.db plus loop.sql (process: a view without end)
#   v3.db	fixture.sql in a file of schema version 3 (not migrated)
#   who.db	fixture.db plus who.sql (rows of schema version 5: login,
#		terminal, namespaces, executables, cgroups as rows)
#   inherit.db	fixture.db plus inherit.sql (images inherited through a
#		process that exec'd since)
# usage: setup.sh MKFIXTURE SRCDIR DATA
set -eu
mk=$1 src=$2 data=$3
rm -rf "$data"
mkdir -p "$data"
"$mk" "$data/fixture.db" "$src/fixture.sql"
printf 'PRAGMA user_version = 999;\n' >"$data/newer.sql"
"$mk" "$data/newer.db" "$src/fixture.sql" "$data/newer.sql"
printf 'CREATE TABLE process(id INTEGER PRIMARY KEY, tgid INTEGER);\n' >"$data/plain.sql"
"$mk" --plain "$data/plain.db" "$data/plain.sql"
i=0
: >"$data/corrupt.db"
while [ $i -lt 64 ]; do
	printf 'this is not an SQLite database, only text pretending to be one.\n' >>"$data/corrupt.db"
	i=$((i + 1))
done
size=$(wc -c <"$data/fixture.db")
head -c $((size / 3)) "$data/fixture.db" >"$data/trunc.db"
: >"$data/empty.db"
"$mk" "$data/later.db" "$src/fixture.sql" "$src/more.sql"
"$mk" "$data/orphan.db" "$src/fixture.sql" "$src/orphan.sql"
cp "$data/fixture.db" "$data/nogap.db"
printf 'DROP VIEW gaps;\nDROP TABLE gap;\n' >"$data/nogap.sql"
"$mk" --append "$data/nogap.db" "$data/nogap.sql"
"$mk" "$data/damaged.db" "$src/fixture.sql" "$src/damaged.sql"
"$mk" "$data/loop.db" "$src/fixture.sql" "$src/loop.sql"
"$mk" --old "$data/v3.db" "$src/fixture.sql"
"$mk" "$data/who.db" "$src/fixture.sql" "$src/who.sql"
"$mk" "$data/inherit.db" "$src/fixture.sql" "$src/inherit.sql"
mkdir "$data/wal"
cp "$data/fixture.db" "$data/wal/fixture.db"
"$mk" --wal "$data/wal/fixture.db" "$src/more.sql"
test -s "$data/wal/fixture.db-wal"
