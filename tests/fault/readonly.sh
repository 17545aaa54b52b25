#!/bin/bash
# Fault: the database becomes read-only while the collector runs, then
# writable again.
#
# 1. What an administrator can do to a running collector's files: chattr +i
#    on the database, its -wal/-shm and directory (open descriptors keep
#    writing: the kernel checks immutability at open), and "mount -o
#    remount,ro" of its tmpfs (refused, EBUSY, while a file is open for
#    writing).  Recording must go on; a new start on the immutable file
#    must fail with exit 3 and say why; once writable again it starts.
# 2. Writes failing with EROFS under the open database (what ext4's
#    errors=remount-ro does), injected with the pt-failio LD_PRELOAD shim:
#    same expectations as a full disk (tests/fault/diskfull.sh).
set -u
PTD=$1
TP=$2
FAILIO=$3
. "$(dirname "$0")/faultlib.sh"
M=pf$RUN
MNT=$TMP/mnt
mount_tmpfs "$MNT" 64m
DB=$MNT/ro/t.db
mkdir -p "$MNT/ro"

# 1a. chattr +i while running
start_collector --flush-ms 100
check_true "recording" wait_for 5 has_marker "$(sh -c ": P-pre-$M; sleep 0.1"; echo ": P-pre-$M")"
for f in "$DB" "$DB-wal" "$DB-shm" "$MNT/ro"; do
	chattr +i "$f" && IMMUTABLE+=("$f")
done
check "database, WAL, shm and directory made immutable" "${#IMMUTABLE[@]}" 4
sh -c ": I-immutable-$M; exit 5"
check_true "still recording through the open files" \
	wait_for 5 has_marker ": I-immutable-$M"
# 1b. a read-only remount is refused while the collector has files open
if mount -o remount,ro "$MNT" 2>"$TMP/remount.err"; then
	echo "note: remount,ro succeeded with the database open"
	mount -o remount,rw "$MNT"
	REMOUNT=ok
else
	REMOUNT=refused
fi
echo "note: mount -o remount,ro with the collector running: $REMOUNT ($(head -1 "$TMP/remount.err"))"
sleep 0.3
stop_collector
check "stop with an immutable database: exit 0 (its descriptors still write)" \
	"$COLLECTOR_STATUS" 0
# a second start cannot open the immutable file for writing
"$PTD" --db "$DB" 2>"$TMP/e.log"
check "start on an immutable database: exit 3" "$?" 3
check_true "start on an immutable database: says why" \
	grep -q -E "cannot open '$DB': Operation not permitted" "$TMP/e.log"
for f in "${IMMUTABLE[@]}"; do chattr -i "$f"; done
IMMUTABLE=()
check_db "after chattr -i"
check "the process recorded while immutable has its exit" \
	"$(q "SELECT exit_code FROM processes WHERE id = $(by_marker ": I-immutable-$M")")" 5

# 2. EROFS on every write under the directory while the trigger exists
TRIG=$TMP/readonly-now
export PT_FAILIO_PREFIX=$MNT/ro/ PT_FAILIO_TRIGGER=$TRIG PT_FAILIO_ERRNO=30
# an ASan build of the collector wants its runtime first
export ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0
LD_PRELOAD=$FAILIO start_collector --flush-ms 100
check_true "recording under the shim" wait_for 5 has_marker "$(sh -c ": Q-pre-$M; sleep 0.1"; echo ": Q-pre-$M")"
BEFORE=$(qro "SELECT count(*) FROM event")
touch "$TRIG"
"$TP" storm "E-storm-$M" 2000
for i in $(seq 1 20); do sh -c ": E-exec-$M-$i; exit 0"; done
sleep 2
check_true "collector still running while read-only" kill -0 "$COLLECTOR_PID"
check "nothing committed while read-only" "$(qro "SELECT count(*) FROM event")" "$BEFORE"
check "the failure is logged while it happens (not only at stop)" \
	"$(grep -q -i -E 'read-only|fail|cannot write' "$TMP/log" && echo logged)" logged
rm -f "$TRIG"
sh -c ": W-writable-$M; sleep 0.1; exit 6"
check_true "recording resumes once writable" wait_for 15 has_marker ": W-writable-$M"
sleep 0.5
check "resumed: exit recorded" \
	"$(q "SELECT exit_code FROM processes WHERE id = $(by_marker ": W-writable-$M")")" 6
check "write_error gaps recorded" \
	"$(q "SELECT count(*) > 0, min(count) > 0 FROM gap WHERE kind = 'write_error'")" "1|1"
stop_collector
check "SIGTERM after recovery: exit 0" "$COLLECTOR_STATUS" 0
WLOST=$(log_stat write)
check "gap rows count every event the log says was lost" \
	"$(q "SELECT sum(count) FROM gap WHERE kind = 'write_error'")" "$WLOST"
check_db "after read-only"
check "no process row points at an exec row that was rolled back" \
	"$(dangling_images)" 0

# read-only at SIGTERM: exit 3 with the reason
LD_PRELOAD=$FAILIO start_collector --flush-ms 100
touch "$TRIG"
"$TP" storm "S-storm-$M" 500
sleep 0.5
stop_collector
check "SIGTERM while read-only: exit 3" "$COLLECTOR_STATUS" 3
check_true "says the last write failed at stop" \
	grep -q "last write to '$DB' failed: " "$TMP/log"
# SQLite reports EROFS as SQLITE_IOERR_WRITE; its system errno is read
# after the fact and the message tends to say "Input/output error"
echo "note: at stop the collector said: $(grep -o "failed: .*" "$TMP/log" | tail -1)"
rm -f "$TRIG"
unset PT_FAILIO_PREFIX PT_FAILIO_TRIGGER
check_db "at the end"
echo "note: $WLOST events lost while read-only"
fault_finish
