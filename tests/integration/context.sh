#!/bin/bash
# Integration: who, where and which binary, captured at exec from real
# processes: the login (a process that sets its own loginuid starts a new
# audit session, inherited through setuid), the controlling terminal, pid,
# mount and user namespaces, cgroups named as container runtimes and
# systemd name them, and the identity of a binary replaced between two
# runs.  Checked in the tables, the views, show, export and search.
#
# usage: context.sh PROCTRAILD TESTPROC PROCTRAIL [--no-bpf]
# Without --no-bpf, a build with the capture's BPF program (taskbpf.c)
# must have used it where the kernel runs it: the same checks then hold
# for both ways of reading.
set -u
PTD=$1
TP=$2
PT=$3
shift 3
EXTRA=("$@")
. "$(dirname "$0")/lib.sh"
M=pt$RUN
ID64=$(printf '%064x' "$RUN")
POD=1f0e2d3c-4b5a-6978-8a9b-$(printf '%012x' "$RUN")

pq() { "$PT" --db "$DB" --no-pager "$@"; }
await() {	# SQL VALUE: poll the live database until SQL gives VALUE (10 s)
	for _ in $(seq 1 100); do
		[ "$(q "$1")" = "$2" ] && return 0
		sleep 0.1
	done
	echo "timed out waiting for: $1" >&2
}
exec_of() {	# the exec row of the process of marker $1
	q "SELECT max(id) FROM exec WHERE process = $(by_marker "$1")"
}
exec_sh() {	# the exec of "sh -c $1..." (unshare's argument starts so too)
	q "SELECT max(id) FROM execs WHERE argv LIKE 'sh -c $1%'"
}

CG=$(findmnt -n -t cgroup2 -o TARGET | head -n 1)
# 0. already running when the collector starts: the snapshot reads the
# same (a pid namespace's first process on a terminal, with a login)
script -qec "sh -c 'echo 4343 >/proc/self/loginuid && exec unshare --pid --fork sh -c \": S-$M; sleep 3; true\"'" /dev/null >/dev/null 2>&1 &
SNAP_JOB=$!
sleep 0.5
start_collector --flush-ms 20 --hash-exe "${EXTRA[@]}"
if [ "${EXTRA[*]}" = --no-bpf ]; then
	check "login and namespaces from /proc" \
	    "$(grep -c 'capture: credentials, cgroup, login, namespaces from /proc (--no-bpf)' "$TMP/log")" 1
elif ! grep -q 'BPF program: not in this build' "$TMP/log" &&
    [ -e /sys/kernel/btf/vmlinux ] &&
    printf '6.10\n%s\n' "$(uname -r)" | sort -CV &&
    [ "$(stat -L -c %i /proc/self/ns/user)" = 4026531837 ] &&
    [ $(( 0x$(awk '/^CapEff/ { print $2 }' /proc/self/status) >> 38 & 3 )) = 3 ]; then
	# a kernel that can run it (BTF, 6.10+): it must have been loaded,
	# and used (checked at the stop)
	BPF_EXPECTED=1
	check "login and namespaces by the BPF program" \
	    "$(grep -c 'capture: credentials, cgroup, login, namespaces by a BPF program' "$TMP/log")" 1
fi

# 1. login: loginuid written by the process itself (as pam_loginuid does)
sh -c ": L-$M; echo 4242 >/proc/self/loginuid &&
	sh -c ': L2-$M; setpriv --reuid 65534 --regid 65534 --clear-groups \
	sh -c \": L3-$M; sleep 0.1\"; true'; true"
# 2. a terminal ("exec": script runs $SHELL -c, and dash forks for a
# lone command where bash execs; either way one process carries the marker)
script -qec "exec sh -c ': T-$M; sleep 0.1'" /dev/null >/dev/null
# 3. namespaces: pid (and mount, for /proc), then a user namespace
unshare --pid --fork --mount-proc sh -c ": N-$M; sh -c ': N2-$M; sleep 0.1'; true"
# (each shell lives 0.1 s, so that its capture finds it: a shell that
# exits at once is flagged gone, its argv unknown, and no marker is found)
unshare --user --map-root-user sh -c ": U-$M; sleep 0.1; true"
# 4. cgroups as runtimes and systemd name them
cgs=
if [ -n "$CG" ]; then
	base=$CG/pt-$RUN.slice
	cgs="$base/docker-$ID64.scope
$base/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod${POD//-/_}.slice/cri-containerd-$ID64.scope
$base/libpod-$ID64.scope
$base/lxc.payload.web$RUN
$base/sshd-$RUN.service
$base/user-1000.slice/session-$RUN.scope"
	i=0
	while read -r d; do
		mkdir -p "$d"
		sh -c "echo \$\$ >'$d/cgroup.procs' && exec sh -c ': C$i-$M; sleep 0.1; true'"
		i=$((i + 1))
	done <<<"$cgs"
fi
# 5. a binary replaced in place between two runs, then run again; its
# first digest awaited (read while the collector runs), else the hasher
# may find the file changed already and rightly store none
cp /bin/dash "$TMP/tool"
"$TMP/tool" -c ": X1-$M; sleep 0.1; true"
await "SELECT count(*) FROM file WHERE path = '$TMP/tool' AND sha256 IS NOT NULL" 1
cat /bin/bash >"$TMP/tool"
"$TMP/tool" -c ": X2-$M; sleep 0.1; true"
"$TMP/tool" -c ": X3-$M; sleep 0.1; true"
# a binary in a mount namespace of its own, at a path the collector
# cannot see: hashed through /proc/PID/exe while it runs
mkdir "$TMP/mnt"
unshare --mount sh -c "mount -t tmpfs none '$TMP/mnt' &&
	cp /bin/sleep '$TMP/mnt/hidden' && exec '$TMP/mnt/hidden' 1"
# a binary deleted while it runs: its digest, or none (deleting it changed
# its status change time: it is no longer provably the file that ran)
cp /bin/sleep "$TMP/gone"
"$TMP/gone" 0.3 &
g=$!
sleep 0.1
rm "$TMP/gone"
wait $g
sleep 0.3
stop_collector
check "exit 0" "$COLLECTOR_STATUS" 0
if [ -n "${BPF_EXPECTED:-}" ]; then
	# every capture was its, none wrong, but the snapshot's PID 1 (which
	# bpf_task_from_pid does not find on some machines, this one's too)
	check_true "captures answered by the BPF program" \
	    grep -Eq 'capture: [1-9][0-9]* by the BPF program, [01] of its tasks' "$TMP/log"
	check "the BPF program never turned off" \
	    "$(grep -c 'BPF program was turned off' "$TMP/log")" 0
fi
kill "$SNAP_JOB" 2>/dev/null
# the cgroups are empty now
[ -n "$cgs" ] && find "$CG/pt-$RUN.slice" -depth -type d -exec rmdir {} +

# 0. snapshot
S=$(exec_sh ": S-$M")
check "snapshot: read by the snapshot" "$(q "SELECT (capture & 4096) <> 0 FROM exec WHERE id = $S")" 1
check "snapshot: login, tty, ns_pid" \
	"$(q "SELECT login_uid, tty LIKE 'pts/%', ns_pid, pid_ns <> $(stat -L -c %i /proc/self/ns/pid) FROM execs WHERE id = $S")" "4343|1|1|1"

# 1. login
L2=$(exec_of ": L2-$M") L3=$(exec_of ": L3-$M")
check "login uid of the child" "$(q "SELECT login_uid FROM exec WHERE id = $L2")" 4242
check "login uid after setuid" "$(q "SELECT login_uid || ' ' || uid FROM exec WHERE id = $L3")" "4242 65534"
check "one new session for both" \
	"$(q "SELECT count(DISTINCT login_session), min(login_session) IS NOT NULL FROM exec WHERE id IN ($L2, $L3)")" "1|1"
OWN_SES=$(cat /proc/self/sessionid)
check "a session of its own" \
	"$(q "SELECT login_session <> $OWN_SES FROM exec WHERE id = $L2")" 1
SES=$(q "SELECT login_session FROM exec WHERE id = $L2")
check "the view" "$(q "SELECT login_uid, login_session = $SES FROM execs WHERE id = $L3")" "4242|1"
check "search --login-user" \
	"$(pq --csv search --login-user 4242 | grep -c -e "L2-$M" -e "L3-$M")" 2
check "search --session" \
	"$(pq --csv search --session "$SES" | grep -c -e "L2-$M" -e "L3-$M")" 2
check "show" "$(pq show "id:$(by_marker ": L3-$M")" | grep -c "^login  *4242, session $SES$")" 1
check "capture flags" "$(q "SELECT (capture & 64) <> 0 FROM exec WHERE id = $L3")" 1

# 2. terminal
T=$(exec_of ": T-$M")
TTY=$(q "SELECT tty FROM exec WHERE id = $T")
check "tty is a pts" "$(case $TTY in pts/[0-9]*) echo yes ;; *) echo "$TTY" ;; esac)" yes
check "search --tty" "$(pq --csv search --tty "/dev/$TTY" | grep -c "T-$M")" 1
check "search --tty: only that terminal" \
	"$(pq --csv search --tty "/dev/$TTY" | grep -c -e "L2-$M" -e "N-$M")" 0
check "no tty: NULL" "$(q "SELECT tty IS NULL, (capture & 131072) <> 0 FROM exec WHERE id = $L2")" "1|1"

# 3. namespaces
N=$(exec_sh ": N-$M") N2=$(exec_sh ": N2-$M") U=$(exec_sh ": U-$M")
HOST_PIDNS=$(stat -L -c %i /proc/self/ns/pid)
HOST_USERNS=$(stat -L -c %i /proc/self/ns/user)
check "first process of a pid namespace: ns_pid 1" \
	"$(q "SELECT ns_pid FROM exec WHERE id = $N")" 1
check "its child numbered inside" "$(q "SELECT ns_pid FROM exec WHERE id = $N2")" 2
check "global pids kept" "$(q "SELECT p.tgid > 2 FROM exec x JOIN process p ON p.id = x.process WHERE x.id = $N2")" 1
check "pid namespace differs from the host's" \
	"$(q "SELECT pid_ns <> $HOST_PIDNS, pid_ns = (SELECT pid_ns FROM execs WHERE id = $N2), mnt_ns <> (SELECT mnt_ns FROM execs WHERE id = $L2) FROM execs WHERE id = $N")" "1|1|1"
check "host processes in the host's" "$(q "SELECT pid_ns, user_ns FROM execs WHERE id = $L2")" "$HOST_PIDNS|$HOST_USERNS"
check "user namespace" "$(q "SELECT user_ns <> $HOST_USERNS, pid_ns = $HOST_PIDNS FROM execs WHERE id = $U")" "1|1"
check "search --pid-ns" \
	"$(pq --csv search --pid-ns "$(q "SELECT pid_ns FROM execs WHERE id = $N")" | grep -c -e "N-$M" -e "N2-$M")" 2
check "namespaces stored once" \
	"$(q "SELECT count(*) FROM ns WHERE pid_ns = $HOST_PIDNS AND user_ns = $HOST_USERNS AND mnt_ns = (SELECT mnt_ns FROM execs WHERE id = $L2)")" 1

# 4. cgroups
if [ -n "$cgs" ]; then
	want="docker-$ID64.scope|docker:$ID64|
cri-containerd-$ID64.scope|containerd:$ID64|$POD
libpod-$ID64.scope|podman:$ID64|
|lxc:web$RUN|
sshd-$RUN.service||
session-$RUN.scope||"
	i=0
	while read -r w; do
		C=$(exec_of ": C$i-$M")
		check "cgroup $i: unit|container|pod" \
			"$(q "SELECT coalesce(unit, ''), coalesce(container, ''), coalesce(pod, '') FROM execs WHERE id = $C")" "$w"
		i=$((i + 1))
	done <<<"$want"
	check "cgroup path stored once" \
		"$(q "SELECT count(*) FROM cgroup WHERE path = '/pt-$RUN.slice/docker-$ID64.scope'")" 1
	check "search --container" "$(pq --csv search --container "podman:$ID64" | grep -c "C2-$M")" 1
	check "export carries them" \
		"$(pq export --kind execs --csv --since @0 | grep "C1-$M" | grep -c "containerd:$ID64.*$POD")" 1
else
	echo "no cgroup2 mount: cgroup cases skipped"
fi

# 5. executable identity
X1=$(exec_of ": X1-$M") X2=$(exec_of ": X2-$M") X3=$(exec_of ": X3-$M")
check "a replaced binary: a new identity" \
	"$(q "SELECT count(DISTINCT file) FROM exec WHERE id IN ($X1, $X2)")" 2
check "same path" "$(q "SELECT count(DISTINCT exe) FROM execs WHERE id IN ($X1, $X2)")" 1
check "same inode, other size" \
	"$(q "SELECT a.exe_ino = b.exe_ino, a.exe_size = $(stat -L -c %s /bin/dash), b.exe_size = $(stat -L -c %s /bin/bash) FROM execs a, execs b WHERE a.id = $X1 AND b.id = $X2")" "1|1|1"
check "an unchanged binary: the same row" "$(q "SELECT file FROM exec WHERE id = $X3")" \
	"$(q "SELECT file FROM exec WHERE id = $X2")"
check "search --exe-changed: the runs after the change" \
	"$(pq --csv search --exe-changed | grep -c -e "X1-$M" -e "X2-$M" -e "X3-$M")" 2
check "search --exe-changed: not the first" \
	"$(pq --csv search --exe-changed | grep -c "X1-$M")" 0
check "identity matches stat" \
	"$(q "SELECT exe_ino, exe_size FROM execs WHERE id = $X3")" \
	"$(stat -c '%i|%s' "$TMP/tool")"
check "exec.exe not repeated when file is set" \
	"$(q "SELECT count(*) FROM exec WHERE id IN ($X1, $X2, $X3) AND exe IS NOT NULL")" 0
sha() { sha256sum "$1" | cut -d' ' -f1; }
check "sha256 of the first binary" "$(q "SELECT exe_sha256 FROM execs WHERE id = $X1")" "$(sha /bin/dash)"
check "sha256 of the replaced one" "$(q "SELECT exe_sha256 FROM execs WHERE id = $X2")" "$(sha /bin/bash)"
check "sha256 of one hidden in a mount namespace" \
	"$(q "SELECT exe_sha256 FROM execs WHERE id = (SELECT max(id) FROM execs WHERE exe = '$TMP/mnt/hidden')")" "$(sha /bin/sleep)"
check "sha256 of a deleted one: right, or none" \
	"$(q "SELECT coalesce(exe_sha256, 'none') IN ('none', '$(sha /bin/sleep)') FROM execs WHERE id = (SELECT max(id) FROM execs WHERE exe LIKE '$TMP/gone%')")" 1
check "one file row per identity" "$(q "SELECT count(*) FROM file WHERE path = '$TMP/tool'")" 2
check "every file that stayed hashed" "$(q "SELECT count(*) FROM file WHERE sha256 IS NULL AND path LIKE '$TMP/%' AND path NOT LIKE '$TMP/gone%'")" 0
check "logged" "$(grep -c 'executables: [0-9]* hashed' "$TMP/log")" 1
check "show" "$(pq show "id:$(by_marker ": X2-$M")" | grep -c "sha256 $(sha /bin/bash)")" 1
check "verify" "$(pq verify >/dev/null; echo $?)" 0
finish
