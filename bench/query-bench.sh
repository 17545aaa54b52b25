#!/bin/sh
# Query benchmark: time proctrail on a generated database of N process
# instances (default 10 million) and print the figures.  Not a test.
#
# usage: bench/query-bench.sh [-b BUILD] [-d DB] [-n N] [-r RUNS] [-i]
#   -b BUILD	build directory holding query/proctrail and query/gendb (build)
#   -d DB	database; generated with gendb if missing (/tmp/proctrail-bench.db)
#   -n N	process instances to generate (10000000; about 4.5 GB with events)
#   -r RUNS	hyperfine runs per command (20)
#   -i		first add the indexes docs/performance.md proposes (gendb
#		--add-indexes; changes DB for good)
#
# Uses hyperfine (apt-get install hyperfine) if present, else a loop with
# date +%s%N.  Output is discarded, as hyperfine does, so the figures are
# query plus formatting time.  Then the ad-hoc SQL: view lookups and every
# SQL example of the documentation (tests/docs-sql.sh), each run once in
# sqlite3 -readonly, with the time and the rows it printed.  Delete the
# database when done.
set -eu
build=build
db=/tmp/proctrail-bench.db
n=10000000
runs=20
indexes=0
while getopts b:d:n:r:i opt; do
	case $opt in
	b) build=$OPTARG ;;
	d) db=$OPTARG ;;
	n) n=$OPTARG ;;
	r) runs=$OPTARG ;;
	i) indexes=1 ;;
	*) sed -n '2,15p' "$0" >&2; exit 2 ;;
	esac
done
pt=$build/query/proctrail
gendb=$build/query/gendb
[ -x "$pt" ] && [ -x "$gendb" ] || { echo "build $pt and $gendb first" >&2; exit 2; }

if [ ! -f "$db" ]; then
	echo "generating $n process instances into $db"
	/usr/bin/time -f 'gendb: %e s, %M KiB max RSS' "$gendb" -n "$n" "$db" >"$db.targets"
fi
if [ "$indexes" = 1 ]; then
	echo "adding proposed indexes"
	/usr/bin/time -f 'add-indexes: %e s' "$gendb" --add-indexes "$db"
fi
export PROCTRAIL_DB="$db" TZ=UTC

sql() { "$pt" --csv sql "$@" | tail -n +2; }
echo "database: $(du -h "$db" | cut -f1), $(sql 'SELECT count(*) FROM process') processes," \
    "$(sql 'SELECT count(*) FROM exec') execs, $(sql 'SELECT count(*) FROM event') events"
echo "indexes: $(sql "SELECT group_concat(name, ' ') FROM sqlite_schema WHERE type = 'index' AND sql IS NOT NULL")"

# Targets: the giant build (the 100k-descendant subtree), one of its
# deepest processes, a login-session process with events, and the middle
# of the span for time windows.
giant=$(sql "SELECT min(p.id) FROM process p JOIN exec x ON x.id = p.image
    JOIN cmdline c ON c.id = x.cmdline
    WHERE p.parent = 4 AND p.id > (SELECT max(id) / 2 - 200000 FROM process)
    AND c.argv = CAST('make' || char(0) || '-j2' || char(0) || 'all' || char(0) AS BLOB)
    AND (SELECT count(*) FROM process c WHERE c.parent = p.id) >= 400")
deep=$((giant + 50003))
deep_pid=$(sql 'SELECT tgid FROM process WHERE id = ?1' "$deep")
sudo_id=$(sql "SELECT max(process) FROM event WHERE type = 4 AND id < (SELECT max(id) / 2 FROM event)")
mid=$(sql "SELECT (min(start) + max(start)) / 2 / 1000000000 FROM process")
since=$(date -u -d "@$mid" +%Y-%m-%dT%H:00:00Z)
until=$(date -u -d "@$((mid + 3600))" +%Y-%m-%dT%H:00:00Z)
dayago=$(date -u -d "@$((mid - 86400))" +%Y-%m-%dT%H:00:00Z)
echo "targets: giant build id:$giant ($(sql 'SELECT count(*) - 1 FROM (WITH RECURSIVE d(id) AS (SELECT ?1 UNION ALL SELECT p.id FROM d JOIN process p ON p.parent = d.id) SELECT id FROM d)' "$giant") descendants)," \
    "deep id:$deep (pid $deep_pid), uid-change id:$sudo_id, window $since..$until"
echo "rows: search 1h window $("$pt" --csv search --since "$since" --until "$until" | tail -n +2 | wc -l)," \
    "ps --at $("$pt" --csv ps --at "$since" | tail -n +2 | wc -l)"

set -- \
    "ancestors id:$deep" \
    "ancestors $deep_pid" \
    "show id:$deep" \
    "show id:$sudo_id" \
    "show 200" \
    "tree id:$giant" \
    "--json tree id:$giant" \
    "tree id:$giant --depth 2" \
    "search --since $since --until $until" \
    "--json search --since $since --until $until" \
    "search --since $since --until $until --comm cc1 --failed" \
    "search --since $since --until $until --argv *mod1/f1.o*" \
    "search --since @0 --argv zzzz" \
    "search --since @0 --argv nginx" \
    "search --parent 610 --since $since --until $until" \
    "ps --at $since" \
    "report --since $dayago --until $since" \
    "gaps"

if command -v hyperfine >/dev/null 2>&1; then
	cmds=
	for c in "$@"; do
		hyperfine -N --warmup 2 --runs "$runs" --style none \
		    --export-json /tmp/qb.$$.json "$pt $c" >/dev/null 2>&1 ||
		    { echo "failed: $c" >&2; continue; }
		python3 - "$c" /tmp/qb.$$.json <<'EOF'
import json, sys
r = json.load(open(sys.argv[2]))["results"][0]
print("%-62s mean %9.2f ms  min %9.2f ms  max %9.2f ms" % (sys.argv[1][:62],
    r["mean"] * 1e3, r["min"] * 1e3, r["max"] * 1e3))
EOF
	done
	rm -f /tmp/qb.$$.json
else
	for c in "$@"; do
		best=
		i=0
		while [ $i -lt "$runs" ]; do
			t0=$(date +%s%N)
			# shellcheck disable=SC2086
			"$pt" $c >/dev/null || true	# 1: nothing found
			t=$((($(date +%s%N) - t0) / 1000))
			[ -z "$best" ] || [ "$t" -lt "$best" ] && best=$t
			i=$((i + 1))
		done
		printf '%-62s min %9.2f ms\n' "$c" "$(echo "$best / 1000" | bc -l)"
	done
fi

# Ad-hoc SQL in sqlite3, as a user types it (one run each, cold caches
# aside: the commands above warmed them)
once() { # LABEL SQL
	t0=$(date +%s%N)
	# on standard input: an argument starting with "-" (a comment) would
	# be taken for an option
	rows=$(printf '%s\n' "$2" | sqlite3 -readonly -batch "$db" | wc -l)
	printf '%-62s %9.2f ms  %s rows\n' "$1" \
	    "$(echo "($(date +%s%N) - $t0) / 1000000" | bc -l)" "$rows"
}
pid=$(sql 'SELECT tgid FROM process WHERE id = ?1' "$deep")
once "sql: processes WHERE id = $deep" "SELECT * FROM processes WHERE id = $deep"
once "sql: processes ORDER BY start DESC LIMIT 20" "SELECT * FROM processes ORDER BY start DESC LIMIT 20"
once "sql: processes WHERE pid = $pid" "SELECT * FROM processes WHERE pid = $pid"
once "sql: processes WHERE parent = $giant" "SELECT * FROM processes WHERE parent = $giant"
once "sql: processes in a 1-minute window" "SELECT * FROM processes WHERE start >= $mid * 1000000000 AND start < ($mid + 60) * 1000000000"
once "sql: execs of lines containing zzzz" "SELECT * FROM execs WHERE cmdline IN (SELECT id FROM cmdline WHERE instr(argv, CAST('zzzz' AS BLOB)) > 0)"
# The whole-history scan of the stored lines, in proctrail: one thread
# ($PROCTRAIL_SCAN_SPLIT above the lines) against two (the default), 5
# runs of each interleaved, min and median
scan() { # LABEL PROCTRAIL-ARGS... (nothing found: exit 1 is fine)
	label=$1
	shift
	for split in 1000000000000 ""; do
		: >/tmp/qb.$$.t
		i=0
		while [ $i -lt 5 ]; do
			t0=$(date +%s%N)
			PROCTRAIL_SCAN_SPLIT=$split "$pt" "$@" >/dev/null 2>&1 || true
			echo $((($(date +%s%N) - t0) / 1000)) >>/tmp/qb.$$.t
			i=$((i + 1))
		done
		sort -n /tmp/qb.$$.t | awk -v l="$label" -v s="${split:+one thread}" '
		    { t[NR] = $1 } END { printf "%-50s %-10s min %8.1f ms  median %8.1f ms\n",
		    l, s ? s : "two", t[1] / 1000, t[3] / 1000 }'
	done
	rm -f /tmp/qb.$$.t
}
scan "search --since @0 --argv zzzz" search --since @0 --argv zzzz
scan "search --since @0 --argv '*nginx*'" search --since @0 --argv '*nginx*'
scan "sql: execs WHERE cmdline IN pt_lines('zzzz')" sql "SELECT * FROM execs WHERE cmdline IN (SELECT id FROM pt_lines('zzzz'))"
scan "sql: execs WHERE cmdline IN ... pt_argv_has(argv, 'zzzz')" sql "SELECT * FROM execs WHERE cmdline IN (SELECT id FROM cmdline WHERE pt_argv_has(argv, 'zzzz'))"

ex=$(mktemp -d)
sh "$(dirname "$0")/../tests/docs-sql.sh" "$(dirname "$0")/.." "$ex"
for f in "$ex"/*.sql; do
	once "doc example $(head -1 "$f" | sed 's/^-- //')" "$(cat "$f")"
done
rm -rf "$ex"
