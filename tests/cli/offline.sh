#!/bin/sh
# proctrail on a copied database (incident evidence), offline:
#   A  the file alone, in a read-only directory (a read-only bind mount:
#      chmod does not stop root)
#   B  with its -wal and -shm, read-only: the rows only in the -wal count
#   C  with a -wal but no -shm, read-only: the -wal's rows count (its
#      index is rebuilt in memory)
#   D  with a -wal but no -shm, in a writable directory: the same, and no
#      file is created, changed or removed next to it
#   E  the file alone, and a truncated copy, in a writable directory:
#      nothing created next to them (no -shm, no empty -wal)
# Needs root and mount(8); exits 77 (skipped) without them.
# usage: offline.sh PROCTRAIL DATA
set -u
pt=$1 data=$2
export TZ=UTC LC_ALL=C PROCTRAIL_NOW=@1714525200
unset PROCTRAIL_DB
[ "$(id -u)" = 0 ] || { echo "skip: needs root"; exit 77; }
tmp=$(mktemp -d)
mounted=
cleanup() {
	for m in $mounted; do umount "$m" 2>/dev/null; done
	rm -rf "$tmp"
}
trap cleanup EXIT
fail=0
ro_mount() {	# ro_mount SRC DST: DST becomes a read-only view of SRC
	mkdir -p "$2"
	mount --bind "$1" "$2" 2>/dev/null || return 1
	mounted="$2 $mounted"
	mount -o remount,ro,bind "$2" 2>/dev/null || return 1
	! touch "$2/probe" 2>/dev/null
}
check() {	# check NAME EXPECTED-FILE ACTUAL-FILE
	if cmp -s "$2" "$3"; then
		echo "ok: $1"
	else
		echo "FAIL: $1"
		diff -u "$2" "$3"
		fail=1
	fi
}

# what the copies must show: the fixture alone, and with more.sql
"$pt" --db "$data/fixture.db" export --since @0 --kind all >"$tmp/want.fixture"
"$pt" --db "$data/later.db" export --since @0 --kind all >"$tmp/want.later"
"$pt" --db "$data/fixture.db" ps --at 2024-05-01T00:10 >"$tmp/want.ps"

mkdir "$tmp/a" "$tmp/b" "$tmp/c" "$tmp/d"
cp "$data/fixture.db" "$tmp/a/"
cp "$data/wal/fixture.db" "$data/wal/fixture.db-wal" "$data/wal/fixture.db-shm" "$tmp/b/"
cp "$data/wal/fixture.db" "$data/wal/fixture.db-wal" "$tmp/c/"
cp "$data/wal/fixture.db" "$data/wal/fixture.db-wal" "$tmp/d/"
if ! ro_mount "$tmp/a" "$tmp/ro-a"; then
	echo "skip: cannot make a read-only bind mount here"
	exit 77
fi
ro_mount "$tmp/b" "$tmp/ro-b" && ro_mount "$tmp/c" "$tmp/ro-c" || {
	echo "FAIL: second read-only mount"; exit 1; }

# A
"$pt" --db "$tmp/ro-a/fixture.db" export --since @0 --kind all >"$tmp/got" 2>&1
check "A: export, file alone, read-only directory" "$tmp/want.fixture" "$tmp/got"
"$pt" --db "$tmp/ro-a/fixture.db" ps --at 2024-05-01T00:10 >"$tmp/got" 2>&1
check "A: ps --at" "$tmp/want.ps" "$tmp/got"
"$pt" --db "$tmp/ro-a/fixture.db" verify >/dev/null 2>&1
rc=$?
[ $rc = 0 ] && echo "ok: A: verify" || { echo "FAIL: A: verify exit $rc"; fail=1; }
ls -A "$tmp/a" >"$tmp/got"
echo fixture.db >"$tmp/want"
check "A: nothing added next to the evidence" "$tmp/want" "$tmp/got"

# B
"$pt" --db "$tmp/ro-b/fixture.db" export --since @0 --kind all >"$tmp/got" 2>&1
check "B: export with -wal and -shm, read-only: sees the -wal's rows" \
    "$tmp/want.later" "$tmp/got"

# C
"$pt" --db "$tmp/ro-c/fixture.db" export --since @0 --kind all >"$tmp/got" 2>&1
check "C: export with a -wal but no -shm, read-only: sees the -wal's rows" \
    "$tmp/want.later" "$tmp/got"

# D
(cd "$tmp/d" && ls -l --time-style=full-iso && md5sum *) >"$tmp/want.d"
"$pt" --db "$tmp/d/fixture.db" export --since @0 --kind all >"$tmp/got" 2>&1
check "D: export with a -wal, writable directory: sees the -wal's rows" \
    "$tmp/want.later" "$tmp/got"
"$pt" --db "$tmp/d/fixture.db" verify >/dev/null 2>&1
(cd "$tmp/d" && ls -l --time-style=full-iso && md5sum *) >"$tmp/got"
check "D: nothing created, changed or removed next to it" "$tmp/want.d" "$tmp/got"

# E
mkdir "$tmp/e"
cp "$data/fixture.db" "$data/trunc.db" "$tmp/e/"
"$pt" --db "$tmp/e/fixture.db" search >/dev/null 2>&1
"$pt" --db "$tmp/e/fixture.db" verify --quick >/dev/null 2>&1
"$pt" --db "$tmp/e/trunc.db" search >/dev/null 2>&1
rc=$?
[ $rc = 3 ] && echo "ok: E: truncated copy: exit 3" || { echo "FAIL: E: truncated copy: exit $rc"; fail=1; }
ls -A "$tmp/e" >"$tmp/got"
printf 'fixture.db\ntrunc.db\n' >"$tmp/want"
check "E: nothing created next to a copy in a writable directory" "$tmp/want" "$tmp/got"
exit $fail
