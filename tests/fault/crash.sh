#!/bin/bash
# Fault: kill -9 of the collector in the middle of a fork storm, then a
# restart on the same database.  Everything committed before the kill is
# still there, byte for byte; the file passes integrity_check; the downtime
# is a gap starting at the crashed session's last heartbeat; the crashed
# session is left unstopped; a process alive across the restart is adopted
# (flag 64), not duplicated; one that ended while down is closed.
set -u
PTD=$1
TP=$2
. "$(dirname "$0")/faultlib.sh"
M=pf$RUN

# fingerprint of committed rows up to given ids
prefix_sum() {	# prefix_sum EVENT_MAX PROCESS_MAX
	qro "SELECT (SELECT count(*) || ':' || total(id * 7 + type * 3 + pid + mono % 100003)
	             FROM event WHERE id <= $1) || '/' ||
	            (SELECT count(*) || ':' || total(id * 5 + tgid + start_ticks)
	             FROM process WHERE id <= $2)"
}

start_collector --flush-ms 50 --batch 500
sh -c ": A-alive-$M; sleep 60 >/dev/null 2>&1" &
ALIVE=$!
BG_PIDS+=("$ALIVE")
sh -c ": B-short-$M; sleep 1.5" &
check_true "survivor recorded before the crash" wait_for 5 has_marker ": A-alive-$M"
check_true "short one recorded before the crash" wait_for 5 has_marker ": B-short-$M"
A=$(by_marker ": A-alive-$M")
SLEEPER=$(tr -d ' ' <"/proc/$ALIVE/task/$ALIVE/children")
BG_PIDS+=($SLEEPER)
B=$(by_marker ": B-short-$M")

"$TP" storm "C-storm-$M" 30000 &
STORM=$!
sleep 0.7
# what a reader saw committed, just before the kill
EMAX=$(qro "SELECT max(id) FROM event")
PMAX=$(qro "SELECT max(id) FROM process")
BEFORE=$(prefix_sum "$EMAX" "$PMAX")
kill -KILL "$COLLECTOR_PID"
wait "$COLLECTOR_PID" 2>/dev/null
check "collector died of SIGKILL" "$?" 137
COLLECTOR_PID=
check_true "storm still running at the kill" kill -0 "$STORM"
wait "$STORM"
CRASHED=$(qro "SELECT max(id) FROM session")
HB=$(qro "SELECT heartbeat FROM session WHERE id = $CRASHED")
check "crashed session has events committed" \
	"$(qro "SELECT count(*) > 0 FROM event WHERE session = $CRASHED")" 1
check_true "a WAL was left behind (the kill was not clean)" test -s "$DB-wal"
sleep 2	# B ends while nobody watches

start_collector --flush-ms 50
check_db "after restart"
check "rows committed before the kill are all there, unchanged" \
	"$(prefix_sum "$EMAX" "$PMAX")" "$BEFORE"
check "crashed session: stopped stays NULL" \
	"$(q "SELECT stopped IS NULL FROM session WHERE id = $CRASHED")" 1
check "downtime gap starts at the crashed session's heartbeat" \
	"$(q "SELECT count(*) FROM gap WHERE kind = 'downtime' AND start = $HB
	      AND end > start AND session = $CRASHED + 1")" 1
check "survivor adopted, still open" \
	"$(q "SELECT flags & 64, end IS NULL FROM process WHERE id = $A")" "64|1"
check "survivor not duplicated" \
	"$(q "SELECT count(*) FROM process WHERE tgid = $ALIVE AND end IS NULL")" 1
check "the one that ended while down: closed at the heartbeat, end unknown" \
	"$(q "SELECT flags & 4, end = $HB, status IS NULL FROM process WHERE id = $B")" "4|1|1"
check "no open row left for the storm's children" \
	"$(q "SELECT count(*) FROM process WHERE end IS NULL AND parent =
	      (SELECT id FROM process WHERE id = $(by_marker "C-storm-$M"))")" 0

# the adopted instance's exit is recorded by the new session
kill "$ALIVE" $SLEEPER
wait "$ALIVE" 2>/dev/null
sleep 0.5
stop_collector
check "restart: exit 0" "$COLLECTOR_STATUS" 0
check "survivor's end recorded after the restart" \
	"$(q "SELECT state, signal FROM processes WHERE id = $A")" "killed|15"
check_db "after stop"
echo "note: $EMAX events and $PMAX processes committed before the kill;" \
	"$(q "SELECT count(*) FROM event WHERE session = $CRASHED") events of the crashed session in the end"
fault_finish
