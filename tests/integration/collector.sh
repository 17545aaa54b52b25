#!/bin/bash
# Integration: the real collector records a known process tree with the
# right parents, argv, exit codes, signals, threads and credentials.
# usage: collector.sh PROCTRAILD TESTPROC [--one-socket]
# (the default: a doorbell socket for EXECs; --one-socket: the reader wakes
# for every event, as on kernels before 6.6; PROCTRAILD_TEST_BELL_MASK=0xffffffff
# in the environment: the doorbell gets every event, as when a kernel before
# 6.6 ignores its filter, and the reader must fall back to one socket)
set -u
PTD=$1
TP=$2
MODE=${3:-}
. "$(dirname "$0")/lib.sh"

start_collector $MODE
M=pt$RUN

# A: three generations with exit codes
sh -c ": A-top-$M; sh -c ': A-mid-$M; sh -c \": A-leaf-$M; sleep 0.05; exit 3\"; exit 4'; exit 5"
# B: threads; the leader pthread_exits; a thread exits the process with 7
"$TP" threads "B-thr-$M"
# C: a non-leader thread execs
"$TP" thread-exec "C-texec-$M"
# D: a double-fork daemon whose parent dies first
sh -c ": D-parent-$M; sh -c ': D-daemon-$M; sleep 0.3; exit 2' & sleep 0.05; exit 0"
# E: a credential change before exec
setpriv --reuid=65534 --regid=65534 --clear-groups sh -c ": E-setuid-$M; sleep 0.05; exit 0"
# F: killed by a signal
sh -c ": F-kill-$M; sleep 0.05; kill -TERM \$\$"
# G: a core dump, where the system lets us write one
(cd "$TMP" && sh -c ": G-core-$M; sleep 0.05; ulimit -c unlimited; kill -SEGV \$\$") 2>/dev/null
# H: argv with spaces and an empty argument, stored byte for byte
sh -c ": H-args-$M; sleep 0.05" "a b" "" "c"
# I: a quick fork storm: every child with its exit code
"$TP" storm "I-storm-$M" 300
sleep 0.6	# let D's daemon finish
stop_collector
check "collector exit status" "$COLLECTOR_STATUS" 0

# A
A1=$(by_marker ": A-top-$M"); A2=$(by_marker ": A-mid-$M"); A3=$(by_marker ": A-leaf-$M")
check "A: all three found" "$([ -n "$A1" ] && [ -n "$A2" ] && [ -n "$A3" ] && echo y)" y
check "A: mid's parent is top" "$(q "SELECT parent FROM process WHERE id = $A2")" "$A1"
check "A: leaf's parent is mid" "$(q "SELECT parent FROM process WHERE id = $A3")" "$A2"
check "A: exit codes" "$(q "SELECT group_concat(exit_code) FROM (SELECT exit_code FROM processes WHERE id IN ($A1,$A2,$A3) ORDER BY id)")" "5,4,3"
check "A: leaf ran sleep as a child" "$(q "SELECT count(*) FROM processes WHERE parent = $A3 AND comm = 'sleep' AND exit_code = 0")" 1
check "A: ancestors reach the snapshot" "$(q "WITH RECURSIVE up(id) AS (SELECT $A3 UNION ALL SELECT p.parent FROM process p JOIN up ON p.id = up.id WHERE p.parent IS NOT NULL) SELECT count(*) > 3 AND max(flags & 1) = 1 AND min(flags & 1) = 0 FROM up JOIN process USING (id)")" 1

# B
B=$(by_marker "B-thr-$M")
check "B: one process, exit code 7" "$(q "SELECT state, exit_code FROM processes WHERE id = $B")" "exited|7"
check "B: not ended at the leader's pthread_exit" "$(q "SELECT duration >= 0.15 FROM processes WHERE id = $B")" 1
check "B: threads are not processes" "$(q "SELECT count(*) FROM process WHERE parent = $B")" 0
check "B: thread forks recorded as events" "$(q "SELECT count(*) FROM event WHERE process = $B AND type = 1 AND pid <> tgid")" 4

# C
C=$(by_marker "C-texec-$M")
C2=$(by_marker ": C-texec-$M-after")
check "C: exec by a thread stays the same instance" "$C2" "$C"
check "C: two execs, exit code 6" "$(q "SELECT execs, exit_code FROM processes WHERE id = $C")" "2|6"
check "C: image is the new program" "$(q "SELECT instr(argv, 'C-texec-$M-after') > 0 FROM processes WHERE id = $C")" 1

# D
D1=$(by_marker ": D-parent-$M"); D2=$(by_marker ": D-daemon-$M")
check "D: daemon's parent is the dead parent instance" "$(q "SELECT parent FROM process WHERE id = $D2")" "$D1"
check "D: daemon outlived its parent, exit 2" "$(q "SELECT d.end > p.end, d.exit_code FROM processes d, processes p WHERE d.id = $D2 AND p.id = $D1")" "1|2"

# E
E=$(by_marker ": E-setuid-$M")
check "E: uid after setpriv" "$(q "SELECT uid, euid, gid FROM process WHERE id = $E")" "65534|65534|65534"
check "E: uid change event" "$(q "SELECT count(*) FROM event WHERE process = $E AND type = 4 AND rid = 65534")" 1
check "E: exec captured uid" "$(q "SELECT uid FROM exec WHERE id = (SELECT image FROM process WHERE id = $E)")" 65534

# F
F=$(by_marker ": F-kill-$M")
check "F: killed by SIGTERM" "$(q "SELECT state, signal, exit_code IS NULL FROM processes WHERE id = $F")" "killed|15|1"

# G
G=$(by_marker ": G-core-$M")
check "G: killed by SIGSEGV" "$(q "SELECT signal FROM processes WHERE id = $G")" 11
if [ "$(q "SELECT core FROM processes WHERE id = $G")" = 1 ]; then
	check "G: coredump event" "$(q "SELECT count(*) FROM event WHERE process = $G AND type = 1073741824")" 1
else
	echo "note: core dumps are not written here; coredump event not checked"
fi

# H
H=$(by_marker ": H-args-$M")
check "H: argv bytes" "$(q "SELECT hex(argv) FROM $XARGV WHERE process = $H")" \
	"$(printf 'sh\0-c\0: H-args-%s; sleep 0.05\0a b\0\0c\0' "$M" | od -An -tx1 | tr -d ' \n' | tr a-f A-F)"
check "H: capture verified" "$(q "SELECT (capture & 257) = 257 FROM exec WHERE process = $H")" 1

# I
I=$(by_marker "I-storm-$M")
check "I: 300 children" "$(q "SELECT count(*) FROM process WHERE parent = $I")" 300
check "I: each with its exit code" "$(q "SELECT count(*) FROM (SELECT row_number() OVER (ORDER BY start, id) - 1 AS i, exit_code FROM processes WHERE parent = $I) WHERE exit_code = i % 256")" 300

# Nothing lost, every event attributed to an instance
check "no gaps" "$(q "SELECT count(*) FROM gap WHERE kind <> 'downtime'")" 0
check "no unattributed events" "$(q "SELECT count(*) FROM event WHERE process IS NULL")" 0
check "session closed" "$(q "SELECT stopped IS NOT NULL AND events > 0 AND lost = 0 FROM session")" 1
check "database mode 0600" "$(stat -c %a "$DB")" 600
if [ -n "${PROCTRAILD_TEST_BELL_MASK:-}" ]; then
	check "doorbell unfiltered: fell back to one socket" \
	    "$(grep -c "ignored the doorbell's EXEC filter" "$TMP/log")" 1
elif [ -z "$MODE" ]; then
	check "woken by the doorbell, all rung execs found" \
	    "$(grep -Eo 'woken by [0-9]+ execs \(0 of them' "$TMP/log" | grep -c .)" 1
else
	check "one socket: no doorbell" "$(grep -c 'woken by' "$TMP/log")" 0
fi

rebuild_check collector
finish
