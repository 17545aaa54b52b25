# Shared helpers of the integration tests (sourced).
# PTD: proctraild binary; TMP: a private temp dir; DB: its database.

PASS=0
FAIL=0
TMP=$(mktemp -d /tmp/pt-it.XXXXXX)
DB=$TMP/t.db
RUN=$$
# exec rows with their argv blob (since schema version 4 the blob is in
# table cmdline, once per distinct command line)
XARGV="(SELECT x.*, c.argv FROM exec x LEFT JOIN cmdline c ON c.id = x.cmdline)"
COLLECTOR_PID=

cleanup() {
	if [ -n "$COLLECTOR_PID" ] && kill -0 "$COLLECTOR_PID" 2>/dev/null; then
		kill -TERM "$COLLECTOR_PID" 2>/dev/null
		wait "$COLLECTOR_PID" 2>/dev/null
	fi
	[ -n "${KEEP:-}" ] || rm -rf "$TMP"
}
trap cleanup EXIT

# start_collector [extra flags]: start proctraild on $DB, wait until ready
# (10 s; 60 s under valgrind, $PTD_REAL set, where loading the BPF program,
# whose BTF libbpf parses, and the snapshot take seconds).
start_collector() {
	local tries=100

	[ -n "${PTD_REAL:-}" ] && tries=600
	: >"$TMP/log"
	"$PTD" --db "$DB" -v "$@" 2>>"$TMP/log" &
	COLLECTOR_PID=$!
	for _ in $(seq 1 "$tries"); do
		grep -q 'ready:' "$TMP/log" && return 0
		kill -0 "$COLLECTOR_PID" 2>/dev/null || break
		sleep 0.1
	done
	echo "collector did not become ready:" >&2
	cat "$TMP/log" >&2
	exit 1
}

# stop_collector: SIGTERM, wait; sets COLLECTOR_STATUS.
stop_collector() {
	kill -TERM "$COLLECTOR_PID"
	wait "$COLLECTOR_PID"
	COLLECTOR_STATUS=$?
	COLLECTOR_PID=
}

q() {
	sqlite3 -batch -noheader "$DB" "$1"
}

# check DESCRIPTION ACTUAL EXPECTED
check() {
	if [ "$2" = "$3" ]; then
		PASS=$((PASS + 1))
	else
		FAIL=$((FAIL + 1))
		printf 'FAIL: %s\n  got:      %s\n  expected: %s\n' "$1" "$2" "$3"
	fi
}

# check_cmd DESCRIPTION COMMAND...: the command must succeed.
check_true() {
	local d=$1
	shift
	if "$@"; then
		PASS=$((PASS + 1))
	else
		FAIL=$((FAIL + 1))
		printf 'FAIL: %s\n' "$d"
	fi
}

# The instance that exec'd with an argument beginning with MARKER (for sh
# -c scripts, pass ": NAME": their first command is ": NAME; ...").  Outer
# scripts and this script's sqlite3 queries contain the marker too, but
# not at the start of an argument.
by_marker() {
	local hex
	hex=$(printf '\0%s' "$1" | od -An -tx1 | tr -d ' \n')
	q "SELECT process FROM $XARGV WHERE instr(argv, X'$hex') > 0
	   ORDER BY id LIMIT 1"
}

# rebuild_check SCENARIO: the database re-derives to the same rows
# (proctrail rebuild --check) from its sources.  $PTQ: the query tool;
# without it (a collector-only build) nothing is checked.
rebuild_check() {
	[ -n "${PTQ:-}" ] || return 0
	if "$PTQ" --db "$DB" --time-limit 0 rebuild --check >"$TMP/rebuild.out" 2>&1; then
		PASS=$((PASS + 1))
	else
		FAIL=$((FAIL + 1))
		printf 'FAIL: %s: rebuild --check\n' "$1"
		cat "$TMP/rebuild.out"
		[ -z "${KEEP_FAILED:-}" ] || cp "$DB" "/tmp/rebuild-failed-$1.db"
	fi
	# every withdrawn capture (exec_drop) names rows that were emptied
	bad=$("$PTQ" --db "$DB" --csv sql "SELECT count(*) FROM exec_drop d
	    WHERE NOT EXISTS (SELECT 1 FROM exec x WHERE x.process = d.process
	    AND x.id BETWEEN d.first AND d.last) OR EXISTS (SELECT 1 FROM exec x
	    WHERE x.process = d.process AND x.id BETWEEN d.first AND d.last
	    AND (x.capture & d.why = 0 OR x.cmdline IS NOT NULL))" | tail -1)
	if [ "$bad" = 0 ]; then
		PASS=$((PASS + 1))
	else
		FAIL=$((FAIL + 1))
		printf 'FAIL: %s: exec_drop rows not matching emptied exec rows: %s\n' "$1" "$bad"
	fi
}

finish() {
	echo "$PASS passed, $FAIL failed"
	if [ "$FAIL" -ne 0 ] && [ -s "$TMP/log" ]; then
		# what the collector said, for a failure seen only in CI
		echo "collector log (last 40 lines):"
		tail -n 40 "$TMP/log"
	fi
	[ "$FAIL" -eq 0 ]
}
