#!/bin/bash
# Fault: the database's file system fills up (a 3 MB tmpfs and a filler
# file) during a storm.  The collector keeps running, rolls back and
# retries, counts what it could not write as 'write_error' gaps once space
# returns, resumes recording, and never corrupts the file.  At SIGTERM it
# exits 0 when the last write worked, 3 when the disk is still full
# (docs/proctraild.8: "the database cannot be used ... not writable").
set -u
PTD=$1
TP=$2
. "$(dirname "$0")/faultlib.sh"
M=pf$RUN
MNT=$TMP/mnt
mount_tmpfs "$MNT" 3m
DB=$MNT/t.db

fill() {	# fill the file system to the last block
	dd if=/dev/zero of="$MNT/filler" bs=4k status=none 2>/dev/null
	sync
	[ "$(stat -f -c %a "$MNT")" -eq 0 ]
}
execs() {	# execs TAG N: short-lived processes that exec
	local i
	for i in $(seq 1 "$2"); do
		sh -c ": $1-$i; exit 0"
	done
}

start_collector --flush-ms 100
check_true "recording before the disk fills" \
	wait_for 5 has_marker "$(sh -c ": P-pre-$M; sleep 0.1"; echo ": P-pre-$M")"

# 1. full during a storm and execs
check_true "file system filled" fill
"$TP" storm "F-storm-$M" 3000
execs "F-exec-$M" 30
sleep 2
check_true "collector still running while the disk is full" kill -0 "$COLLECTOR_PID"
FULL_ROWS=$(qro "SELECT count(*) FROM event")
"$TP" storm "F-storm2-$M" 500
sleep 1
check "nothing is committed while the disk is full" \
	"$(qro "SELECT count(*) FROM event")" "$FULL_ROWS"
check "the failure is logged while it happens (not only at stop)" \
	"$(grep -q -i -E 'no space|full|fail|cannot write' "$TMP/log" && echo logged)" logged

# 2. space returns: recording resumes, the loss is a gap
rm -f "$MNT/filler"
sh -c ": R-after-$M; sleep 0.1; exit 4"
check_true "recording resumes once space returns" \
	wait_for 15 has_marker ": R-after-$M"
sleep 0.5
check "resumed: the new process's exit is recorded" \
	"$(q "SELECT exit_code FROM processes WHERE id = $(by_marker ": R-after-$M")")" 4
check "write_error gap rows recorded" \
	"$(q "SELECT count(*) > 0, min(count) > 0, min(end >= start) FROM gap WHERE kind = 'write_error'")" "1|1|1"
stop_collector
check "SIGTERM after recovery: exit 0" "$COLLECTOR_STATUS" 0
WLOST=$(log_stat write)
check "gap rows count every event the log says was lost" \
	"$(q "SELECT sum(count) FROM gap WHERE kind = 'write_error'")" "$WLOST"
check "session.lost includes them" \
	"$(q "SELECT lost >= $WLOST FROM session ORDER BY id DESC LIMIT 1")" 1
# (how many events were lost depends on the room the WAL file had left:
# every event received is either a row or counted lost, never both)
check "the storm's lost events are not in the event table" \
	"$(q "SELECT (SELECT count(*) FROM event WHERE session = 1) + $WLOST = events
	      FROM session WHERE id = 1")" 1
check_db "after a full disk"
check "no process row points at an exec row that was rolled back" \
	"$(dangling_images)" 0

# 3. still full at SIGTERM: exit 3, the file stays sound, next start works
start_collector --flush-ms 100
check_true "file system filled again" fill
"$TP" storm "G-storm-$M" 1000
execs "G-exec-$M" 5
sleep 1
stop_collector
check "SIGTERM while the disk is full: exit 3" "$COLLECTOR_STATUS" 3
check_true "says why at stop" grep -q -i -E "failed: .*(space|full)" "$TMP/log"
rm -f "$MNT/filler"
check_db "after a stop on a full disk"
# Whether the stop itself could still be written depends on room left in
# the WAL (the checkpointer may have made some reusable): either way the
# next start must account for the time since the last heartbeat.
echo "note: stop recorded on the full disk: $(q "SELECT stopped IS NOT NULL FROM session ORDER BY id DESC LIMIT 1")"
start_collector
check "next start: downtime gap from the last heartbeat" \
	"$(q "SELECT count(*) FROM gap g JOIN session s ON s.id = g.session - 1
	      WHERE g.kind = 'downtime' AND g.start = s.heartbeat
	      AND g.session = (SELECT max(id) FROM session)")" 1
stop_collector
check "next start: exit 0" "$COLLECTOR_STATUS" 0
check_db "at the end"
echo "note: $WLOST events lost to the full disk, in" \
	"$(q "SELECT count(*) FROM gap WHERE kind = 'write_error'") write_error gaps;" \
	"database $(stat -c %s "$DB") bytes"
fault_finish
