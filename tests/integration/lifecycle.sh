#!/bin/bash
# Integration: the collector's life cycle over one database: clean stop
# flushes the open batch, a second collector is refused, a restart records
# the downtime, adopts processes that survived it and closes those that
# did not; bad flags and bad databases fail clearly.
set -u
PTD=$1
TP=$2
. "$(dirname "$0")/lib.sh"
M=pt$RUN

wait_marker() {	# wait until a process with this marker is recorded
	for _ in $(seq 1 50); do
		[ -n "$(by_marker "$1")" ] && return 0
		sleep 0.1
	done
	return 1
}

# 1. A batch that would never fill nor time out is flushed at SIGTERM.
start_collector --batch 1000000 --flush-ms 60000
sh -c ": S-flush-$M; sleep 0.05; exit 9"
sleep 0.2
stop_collector
check "SIGTERM: exit 0" "$COLLECTOR_STATUS" 0
check "SIGTERM: the open batch was committed" \
	"$(q "SELECT exit_code FROM processes WHERE id = $(by_marker ": S-flush-$M")")" 9
check "SIGTERM: session stopped" "$(q "SELECT count(*) FROM session WHERE stopped IS NOT NULL")" 1

# 2. Restart: one process survives the downtime, one ends during it.
# (each waits on a FIFO, not a clock: a collector under valgrind is slow)
mkfifo "$TMP/long.go" "$TMP/short.go"
start_collector
sh -c ": L-long-$M; read x <\"$TMP/long.go\"" &
LONG=$!
sh -c ": K-short-$M; read x <\"$TMP/short.go\"" &
SHORT=$!
check_true "long process recorded" wait_marker ": L-long-$M"
check_true "short process recorded" wait_marker ": K-short-$M"
L=$(by_marker ": L-long-$M"); K=$(by_marker ": K-short-$M")

# a second collector on the same database is refused
"$PTD" --db "$DB" 2>"$TMP/second.log"
check "second collector: exit 5" "$?" 5
check_true "second collector: says why" grep -q "in use by another proctraild (pid $COLLECTOR_PID)" "$TMP/second.log"

stop_collector
STOP1=$(q "SELECT max(stopped) FROM session")
echo >"$TMP/short.go"	# K ends while nobody watches
wait $SHORT
start_collector
check "restart: downtime gap from the stop" \
	"$(q "SELECT count(*) FROM gap WHERE kind = 'downtime' AND start = $STOP1 AND end > start")" 1
check "restart: survivor adopted as the same instance" \
	"$(q "SELECT flags & 64, end IS NULL FROM process WHERE id = $L")" "64|1"
check "restart: no duplicate of the survivor" \
	"$(q "SELECT count(*) FROM process WHERE tgid = (SELECT tgid FROM process WHERE id = $L) AND end IS NULL")" 1
check "restart: the one that ended while down is closed, end unknown" \
	"$(q "SELECT flags & 4, end = $STOP1, status IS NULL FROM process WHERE id = $K")" "4|1|1"
echo >"$TMP/long.go"
wait $LONG
sleep 0.3
stop_collector
rebuild_check restart
check "restart: survivor's exit recorded after the restart" \
	"$(q "SELECT state, exit_code FROM processes WHERE id = $L")" "exited|0"
check "three sessions" "$(q "SELECT count(*) FROM session")" 3

# 3. Failures: clear message, documented exit code.
"$PTD" --bogus 2>"$TMP/e.log"; check "unknown flag: exit 2" "$?" 2
"$PTD" --batch abc 2>"$TMP/e.log"; check "bad number: exit 2" "$?" 2
# --retain takes the query tool's durations, and a bare number of days
for a in 90 2w 1d12h 36h 1.5d; do
	"$PTD" --retain "$a" --version >/dev/null 2>&1
	check "--retain $a accepted" "$?" 0
done
for a in 0 -1 abc 100001 2x; do
	"$PTD" --retain "$a" --version >/dev/null 2>&1
	check "--retain $a refused" "$?" 2
done
check_true "bad number: names the flag" grep -q "invalid value 'abc' for --batch" "$TMP/e.log"
head -c 4096 /dev/urandom >"$TMP/junk.db"
"$PTD" --db "$TMP/junk.db" 2>"$TMP/e.log"; check "junk file: exit 3" "$?" 3
check_true "junk file: says so" grep -q "not a database" "$TMP/e.log"
sqlite3 "$TMP/other.db" "CREATE TABLE t(x)"
"$PTD" --db "$TMP/other.db" 2>"$TMP/e.log"; check "foreign database: exit 3" "$?" 3
check_true "foreign database: says so" grep -q "not a proctrail database" "$TMP/e.log"
cp "$DB" "$TMP/newer.db"
sqlite3 "$TMP/newer.db" "PRAGMA user_version = 999"
"$PTD" --db "$TMP/newer.db" 2>"$TMP/e.log"; check "newer schema: exit 3" "$?" 3
check_true "newer schema: says so" grep -q "newer than this program" "$TMP/e.log"
"$PTD" --db /proc/self/x/y.db 2>"$TMP/e.log"; check "unwritable path: exit 3" "$?" 3
# as nobody: the build tree may sit where nobody cannot reach (a 0700
# home), so run a copy from a directory nobody can enter
NOBODY_DIR=$(mktemp -d /tmp/pt-nobody.XXXXXX)
chmod 755 "$NOBODY_DIR"
NOBODY_PTD=
# (only the binary itself: a wrapper such as valgrind-wrap.sh is not
# meant to run as nobody)
if head -c 4 "$PTD" | grep -q ELF; then
	cp "$PTD" "$NOBODY_DIR/proctraild" && NOBODY_PTD=$NOBODY_DIR/proctraild
fi
if [ -n "$NOBODY_PTD" ] && command -v setpriv >/dev/null &&
    setpriv --reuid=65534 --regid=65534 --clear-groups test -x "$NOBODY_PTD"; then
	setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all \
		"$NOBODY_PTD" --db "$NOBODY_DIR/nobody.db" 2>"$TMP/e.log"
	check "not root: exit 4" "$?" 4
	check_true "not root: says why" grep -q "needs CAP_NET_ADMIN" "$TMP/e.log"
else
	echo "note: not-root check skipped ($PTD is not a binary nobody can run)"
fi
rm -rf "$NOBODY_DIR"
check "the real database is intact" "$(q "PRAGMA integrity_check")" ok

finish
