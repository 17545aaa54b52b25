#!/bin/bash
# Integration: the collector as a service.  The systemd unit verifies; the
# collector runs under the unit's hardening reproduced without systemd as
# PID 1 (bounding set CAP_NET_ADMIN CAP_SYS_PTRACE, no_new_privs, a
# read-only root but for its state directory, umask 077), notifies
# READY=1 / STOPPING=1 over $NOTIFY_SOCKET, keeps only CAP_SYS_PTRACE once
# set up, and still records argv and exits cleanly.
set -u
PTD=$1
TP=$2
UNIT_IN=$3
. "$(dirname "$0")/lib.sh"
M=pt$RUN

if command -v systemd-analyze >/dev/null; then
	sed "s|@CMAKE_INSTALL_FULL_SBINDIR@|$(dirname "$PTD")|" "$UNIT_IN" >"$TMP/proctraild.service"
	systemd-analyze verify --man=no "$TMP/proctraild.service" >"$TMP/verify.log" 2>&1
	check "systemd-analyze verify" "$?" 0
	[ -s "$TMP/verify.log" ] && cat "$TMP/verify.log"
else
	echo "note: systemd-analyze not installed; unit not verified"
fi

STATE=$TMP/state
mkdir -m 0700 "$STATE"
DB=$STATE/proctrail.db
NOTIFY=
if command -v python3 >/dev/null; then
	python3 "$(dirname "$0")/notify-listen.py" "$TMP/notify.sock" "$TMP/notify.log" &
	NOTIFY=$!
	for _ in $(seq 1 50); do [ -S "$TMP/notify.sock" ] && break; sleep 0.1; done
fi

# ProtectSystem=strict + StateDirectory, CapabilityBoundingSet (with
# CAP_BPF and CAP_PERFMON, for the capture's BPF program),
# NoNewPrivileges, UMask: reproduced with a mount namespace and setpriv.
unshare --mount sh -c '
	mount --make-rprivate / && mount --bind / / &&
	mount -o remount,bind,ro / &&
	mount --bind "$0" "$0" && mount -o remount,bind,rw "$0" &&
	umask 077 &&
	exec setpriv --bounding-set=-all,+net_admin,+sys_ptrace,+sys_nice,+bpf,+perfmon --no-new-privs \
		env NOTIFY_SOCKET="$1" "$2" --db "$3" -v' \
	"$STATE" "$TMP/notify.sock" "$PTD" "$DB" 2>"$TMP/log" &
COLLECTOR_PID=$!
for _ in $(seq 1 100); do
	grep -q 'ready:' "$TMP/log" && break
	sleep 0.1
done
check_true "ready under the hardening" grep -q 'ready:' "$TMP/log"
# unshare, sh, setpriv and env each exec the next: the collector has the
# PID started here (not "the newest proctraild": another may be running)
PTDPID=$COLLECTOR_PID
check "the collector runs as started" "$(cat /proc/$PTDPID/comm 2>/dev/null)" proctraild
caps() {	# thread name and effective capabilities, per thread
	for t in /proc/$PTDPID/task/*; do
		echo "$(cat "$t/comm"):$(awk '/^CapEff/ { print $2 }' "$t/status")"
	done | sort | tr '\n' ' '
}
check "once set up: CAP_SYS_PTRACE for main and reader, none for the writer and checkpointer" \
	"$(caps)" "proctraild:0000000000080000 pt-checkpoint:0000000000000000 pt-reader:0000000000080000 pt-writer:0000000000000000 "
check "reader thread is SCHED_FIFO" \
	"$(for t in /proc/$PTDPID/task/*; do [ "$(cat $t/comm)" = pt-reader ] && awk '{ print $41 }' $t/stat; done)" 1
check "bounding set kept to the unit's" \
	"$(awk '/^CapBnd/ { print $2 }' /proc/$PTDPID/status)" 000000c000881000
if ! grep -q 'BPF program: not in this build' "$TMP/log" &&
    [ -e /sys/kernel/btf/vmlinux ] &&
    printf '6.10\n%s\n' "$(uname -r)" | sort -CV &&
    [ "$(stat -L -c %i /proc/self/ns/user)" = 4026531837 ] &&
    [ $(( 0x$(awk '/^CapEff/ { print $2 }' /proc/self/status) >> 38 & 3 )) = 3 ]; then
	check "the BPF program loaded with the unit's capabilities" \
	    "$(grep -c 'capture: credentials, cgroup, login, namespaces by a BPF program' "$TMP/log")" 1
fi
check "no_new_privs" "$(awk '/^NoNewPrivs/ { print $2 }' /proc/$PTDPID/status)" 1

setpriv --reuid=65534 --regid=65534 --clear-groups sh -c ": svc-other-$M; sleep 0.1"
sleep 0.3
kill -TERM "$PTDPID"
wait "$COLLECTOR_PID"
check "exit 0" "$?" 0
COLLECTOR_PID=

O=$(by_marker ": svc-other-$M")
check "argv, exe, cwd of another user's process captured" \
	"$(q "SELECT (capture & 263) = 263, uid FROM exec WHERE process = $O ORDER BY id DESC LIMIT 1")" "1|65534"
check "database, WAL mode 0600" "$(stat -c %a "$DB")" 600
if [ -n "$NOTIFY" ]; then
	check_true "READY=1 sent" grep -q "READY=1" "$TMP/notify.log"
	check_true "STOPPING=1 sent" grep -q "STOPPING=1" "$TMP/notify.log"
	kill "$NOTIFY"
fi
grep -i "warn\|cannot" "$TMP/log"
check "no warning in the log" "$(grep -ci "cannot" "$TMP/log")" 0

finish
