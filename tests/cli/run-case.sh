#!/bin/sh
# Run one CLI case and compare it with its golden files.
#   CASE.cmd	shell commands; "proctrail" runs the binary under test
#   CASE.out	expected stdout
#   CASE.err	expected stderr (absent: must be empty)
#   CASE.rc	expected exit status of the last command (absent: 0)
# Environment: TZ=UTC, PROCTRAIL_DB=DATA/fixture.db, and "now" pinned to
# 2024-05-01T01:00:00Z.  With PT_REGEN=1 the golden files are rewritten.
# usage: run-case.sh PROCTRAIL DATA CASE
set -u
PT=$1 DATA=$2 case=$3
export TZ=UTC LC_ALL=C PROCTRAIL_DB="$DATA/fixture.db" PROCTRAIL_NOW=@1714525200
export DATA
unset PROCTRAIL_JSON 2>/dev/null || true
proctrail() { "$PT" "$@"; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
( . "$case.cmd" ) >"$tmp/out" 2>"$tmp/err"
rc=$?
if [ "${PT_REGEN:-}" = 1 ]; then
	cp "$tmp/out" "$case.out"
	if [ -s "$tmp/err" ]; then cp "$tmp/err" "$case.err"; else rm -f "$case.err"; fi
	if [ $rc -ne 0 ]; then echo $rc >"$case.rc"; else rm -f "$case.rc"; fi
	exit 0
fi
fail=0
want_rc=0
[ -f "$case.rc" ] && want_rc=$(cat "$case.rc")
if [ "$rc" != "$want_rc" ]; then
	echo "exit status $rc, expected $want_rc"
	fail=1
fi
diff -u "$case.out" "$tmp/out" || fail=1
if [ -f "$case.err" ]; then
	diff -u "$case.err" "$tmp/err" || fail=1
elif [ -s "$tmp/err" ]; then
	echo "unexpected stderr:"
	cat "$tmp/err"
	fail=1
fi
exit $fail
