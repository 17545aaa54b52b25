# Shared helpers of the fault-injection tests (sourced after setting PTD and
# TP).  Builds on ../integration/lib.sh (TMP, DB, start/stop_collector, q,
# check, check_true, by_marker, finish) and adds: cleanup of mounts and
# attributes, read-only queries and database consistency checks.
. "$(dirname "${BASH_SOURCE[0]}")/../integration/lib.sh"

MOUNTS=()	# unmounted at exit, last first
IMMUTABLE=()	# chattr -i at exit
BG_PIDS=()	# killed at exit

fault_cleanup() {
	local i p
	for p in "${BG_PIDS[@]}"; do
		kill "$p" 2>/dev/null
	done
	for p in "${IMMUTABLE[@]}"; do
		chattr -i "$p" 2>/dev/null
	done
	# the collector first: it holds files on the mounts
	if [ -n "$COLLECTOR_PID" ] && kill -0 "$COLLECTOR_PID" 2>/dev/null; then
		kill -KILL "$COLLECTOR_PID" 2>/dev/null
		wait "$COLLECTOR_PID" 2>/dev/null
	fi
	COLLECTOR_PID=
	wait 2>/dev/null
	for ((i = ${#MOUNTS[@]} - 1; i >= 0; i--)); do
		umount "${MOUNTS[i]}" 2>/dev/null || umount -l "${MOUNTS[i]}"
	done
	cleanup
}
trap fault_cleanup EXIT

# mount_tmpfs DIR SIZE: a private tmpfs, unmounted at exit.
mount_tmpfs() {
	mkdir -p "$1"
	mount -t tmpfs -o "size=$2,mode=0700" proctrail-fault "$1" || {
		echo "cannot mount a tmpfs (needs root and CAP_SYS_ADMIN)" >&2
		exit 1
	}
	MOUNTS+=("$1")
}

# qro SQL: a read-only query, as the query tool would run it.
qro() {
	sqlite3 -batch -noheader -readonly -cmd '.timeout 5000' "$DB" "$1"
}

# wait_for SECONDS COMMAND...: poll every 0.1 s until COMMAND succeeds.
wait_for() {
	local n=$(($1 * 10))
	shift
	while [ "$n" -gt 0 ]; do
		"$@" && return 0
		sleep 0.1
		n=$((n - 1))
	done
	return 1
}

has_marker() {
	[ -n "$(by_marker "$1")" ]
}

# check_db LABEL: the file is sound and the derived tables hang together.
check_db() {
	check "$1: integrity_check" "$(q "PRAGMA integrity_check")" ok
	check "$1: process.parent rows exist" \
		"$(q "SELECT count(*) FROM process p WHERE parent IS NOT NULL
		      AND NOT EXISTS (SELECT 1 FROM process x WHERE x.id = p.parent)")" 0
	check "$1: exec.process rows exist" \
		"$(q "SELECT count(*) FROM exec x WHERE NOT EXISTS
		      (SELECT 1 FROM process p WHERE p.id = x.process)")" 0
	check "$1: every gap has start <= end" \
		"$(q "SELECT count(*) FROM gap WHERE end < start")" 0
}

# dangling_images: process rows whose image names no exec row.
dangling_images() {
	q "SELECT count(*) FROM process p WHERE image IS NOT NULL
	   AND NOT EXISTS (SELECT 1 FROM exec x WHERE x.id = p.image)"
}

# log_stat NAME: a counter of the collector's stop line ("write 12").
log_stat() {
	sed -n "s/.*[ ,]$1 \([0-9]*\)[;,].*/\1/p" "$TMP/log" | tail -1
}

fault_finish() {
	finish
}
