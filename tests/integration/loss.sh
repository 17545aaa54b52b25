#!/bin/bash
# Integration: when the kernel drops events (a tiny receive buffer and a
# fork storm), the loss is counted and stored as gap rows with times, the
# collector keeps running and stops cleanly, the instances alive during the
# loss are flagged, and nothing is attributed to the wrong process.
set -u
PTD=$1
TP=$2
. "$(dirname "$0")/lib.sh"
M=pt$RUN

# a normal-priority reader: a real-time one keeps up even with this buffer
start_collector --rcvbuf 4096 --realtime 0
"$TP" storm "L-storm-$M" 3000 &
STORM=$!
wait $STORM
sleep 0.3
check_true "collector still running after the overflow" kill -0 "$COLLECTOR_PID"
# it keeps recording after the loss
sh -c ": after-$M; sleep 0.2; exit 3"
sleep 0.3
stop_collector
check "exit 0 after losses" "$COLLECTOR_STATUS" 0

drops=$(q "SELECT coalesce(sum(count), 0) FROM gap WHERE kind = 'kernel_drop'")
check "kernel drops counted" "$([ "$drops" -gt 0 ] && echo y)" y
check "seq gaps placed in time" "$(q "SELECT count(*) > 0 AND min(end >= start) FROM gap WHERE kind = 'seq' AND cpu IS NOT NULL")" 1
check "session.lost is the sum" "$(q "SELECT lost FROM session")" "$drops"
# found by PID: with this buffer even its fork and exec may be lost
S=$(q "SELECT max(id) FROM process WHERE tgid = $STORM")
check "storm parent known" "$([ -n "$S" ] && echo y)" y
check "storm parent flagged incomplete (gap, or start unknown)" \
	"$(q "SELECT (flags & 10) <> 0 FROM process WHERE id = $S")" 1
A=$(by_marker ": after-$M")
check "recording resumed after the loss" "$(q "SELECT exit_code FROM processes WHERE id = $A")" 3
check "children recorded are the storm's own" \
	"$(q "SELECT count(*) FROM process WHERE parent = $S AND ppid <> (SELECT tgid FROM process WHERE id = $S)")" 0
echo "note: $drops events dropped by the kernel, $(q "SELECT count(*) FROM process WHERE parent = $S") of 3000 children recorded"

finish
