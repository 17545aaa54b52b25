#!/bin/bash
# storm.sh: fork and exec storms against proctraild, checked from its database.
#
# usage: bench/storm.sh [-n FORKS] [-e EXECS] [-w WORKERS] [-k] [-- proctraild args]
#
#   -n FORKS    processes in the fork+_exit storm (default 100000)
#   -e EXECS    processes in each /bin/true exec storm (default 20000)
#   -w WORKERS  forking workers (default 2)
#   -s LIST     storms to run, comma-separated, from fork,exec,exec2000
#               (default all three)
#   -k          keep the work directory (databases, logs, pid logs)
#   args after -- are passed to proctraild (e.g. --rcvbuf 4096)
#
# Environment: READER_PRIO=fifo|nice raises the reader thread's priority
# (an experiment for the capture rate; see docs/performance.md).  BUILD (default /tmp/ptbench-build) is where the collector and
# bench programs are built from this checkout; WORK (default a new mktemp
# directory) holds one sub-directory per storm.
#
# For each storm it starts proctraild on a fresh database, waits for
# "ready", runs bench/forkstorm, waits for the collector to go idle, samples
# its CPU time (utime+stime of /proc/PID/stat) and peak RSS (VmHWM), stops it
# with SIGTERM and prints, from the database: events received, losses by
# kind (must be 0), the storm's processes found vs expected with their
# parent links and exit statuses, exec rows and argv capture (exec storms),
# and bytes per process.  Needs root.  Exit status 1 if a check failed.
set -u
export LC_ALL=C

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
BUILD=${BUILD:-/tmp/ptbench-build}
FORKS=100000
EXECS=20000
WORKERS=2
STORMS=fork,exec,exec2000
KEEP=0
while getopts n:e:w:s:k opt; do
	case $opt in
	n) FORKS=$OPTARG ;;
	e) EXECS=$OPTARG ;;
	w) WORKERS=$OPTARG ;;
	s) STORMS=$OPTARG ;;
	k) KEEP=1 ;;
	*) sed -n '3,13s/^# \{0,1\}//p' "$0" >&2; exit 2 ;;
	esac
done
shift $((OPTIND - 1))
[ "${1:-}" = "--" ] && shift
COLLECTOR_ARGS=("$@")

if [ "$(id -u)" != 0 ]; then
	echo "storm.sh: needs root (proctraild needs CAP_NET_ADMIN)" >&2
	exit 2
fi

build() {
	cmake -S "$repo" -B "$BUILD" -DPROCTRAIL_BUILD_QUERY=OFF \
	    -DCMAKE_BUILD_TYPE=Release >"$BUILD.log" 2>&1 &&
	cmake --build "$BUILD" -j2 --target proctraild ptcollect ptcommon \
	    >>"$BUILD.log" 2>&1 &&
	make -s -C "$here" BUILD="$BUILD" >>"$BUILD.log" 2>&1 &&
	git -C "$repo" describe --always --dirty >"$BUILD/bench/built-from" || {
		echo "storm.sh: build failed, see $BUILD.log" >&2
		exit 1
	}
}
[ "${NOBUILD:-0}" = 1 ] || build
PTD=$BUILD/proctraild
FS=$BUILD/bench/forkstorm

WORK=${WORK:-$(mktemp -d /tmp/ptstorm.XXXXXX)}
mkdir -p "$WORK"
TCK=$(getconf CLK_TCK)
FAILED=0

cpu_ticks() {	# utime+stime of a process (all threads), in clock ticks
	awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "/proc/$1/stat" 2>/dev/null
}

wait_idle() {	# until the collector's CPU time stops growing (max 30 s)
	local pid=$1 a b i
	a=$(cpu_ticks "$pid")
	for i in $(seq 60); do
		sleep 0.5
		b=$(cpu_ticks "$pid")
		[ "$a" = "$b" ] && return 0
		a=$b
	done
	echo "storm.sh: collector still busy after 30 s" >&2
}

# READER_PRIO=fifo|nice (experiment, not a collector feature): raise the
# priority of the collector's reader thread (its newest thread: main
# creates the writer, then the reader) with chrt -f 50 or renice -20.
reader_prio() {
	local tid
	[ -n "${READER_PRIO:-}" ] || return 0
	tid=$(ls "/proc/$1/task" | sort -n | tail -1)
	case $READER_PRIO in
	fifo) chrt -f -p 50 "$tid" ;;
	nice) renice -n -20 -p "$tid" >/dev/null ;;
	esac
}

check() {	# check NAME GOT WANT: print and count a failed check
	if [ "$2" = "$3" ]; then
		printf '  %-46s %s\n' "$1" "$2"
	else
		printf '  %-46s %s (expected %s) FAIL\n' "$1" "$2" "$3"
		FAILED=$((FAILED + 1))
	fi
}

info() { printf '  %-46s %s\n' "$1" "$2"; }

# run_storm NAME FORKSTORM_ARGS...
run_storm() {
	local name=$1; shift
	local dir=$WORK/$name db=$WORK/$name/pt.db
	local ptd fspid fsmono fsout t0 t1 c0 c1 hwm mode n
	mkdir -p "$dir"
	rm -f "$db" "$db-wal" "$db-shm"

	"$PTD" --db "$db" -v "${COLLECTOR_ARGS[@]}" 2>"$dir/collector.log" &
	ptd=$!
	for _ in $(seq 100); do
		grep -qs 'ready:' "$dir/collector.log" && break
		kill -0 "$ptd" 2>/dev/null || break
		sleep 0.1
	done
	if ! grep -q 'ready:' "$dir/collector.log"; then
		echo "storm.sh: proctraild did not start:" >&2
		cat "$dir/collector.log" >&2
		kill "$ptd" 2>/dev/null
		exit 1
	fi
	reader_prio "$ptd"
	c0=$(cpu_ticks "$ptd")
	t0=$(date +%s.%N)
	"$FS" "$@" --pidlog "$dir/pidlog" >"$dir/forkstorm.out" 2>&1
	t1=$(date +%s.%N)
	fsout=$(tail -1 "$dir/forkstorm.out")
	fspid=$(awk '/^forkstorm: pid/ { print $3 }' "$dir/forkstorm.out")
	fsmono=$(awk '/^forkstorm: pid/ { print $5 }' "$dir/forkstorm.out")
	wait_idle "$ptd"
	c1=$(cpu_ticks "$ptd")
	hwm=$(awk '/^VmHWM/ { print $2 }' "/proc/$ptd/status")
	kill -TERM "$ptd"
	wait "$ptd"
	echo "  collector exit status $?" >>"$dir/collector.log"

	mode=fork
	case " $* " in *" --exec "*) mode=exec ;; esac
	n=$(wc -l <"$dir/pidlog")

	echo "== $name: forkstorm $*"
	info "forkstorm" "${fsout#forkstorm: }"
	info "collector summary" "$(grep -o 'events [0-9]*, processes.*' "$dir/collector.log")"
	sqlite3 -batch -noheader -separator ' ' "$db" \
	    "CREATE TEMP TABLE pl(pid INTEGER, seq INTEGER, worker INTEGER, mono INTEGER);" \
	    ".import --schema temp $dir/pidlog pl" \
	    "CREATE INDEX temp.pl_pid ON pl(pid, mono);" \
	    "$(storm_sql "$fspid" "$fsmono" "$mode" "$db")" >"$dir/results" 2>&1
	# results: key value lines
	r() { awk -v k="$1" '$1 == k { $1 = ""; sub(/^ /, ""); print; exit }' "$dir/results"; }
	if ! grep -q '^root ' "$dir/results"; then
		echo "storm.sh: SQL checks failed:" >&2
		cat "$dir/results" >&2
		FAILED=$((FAILED + 1))
		return
	fi
	info "events received (session.events)" "$(r events)"
	check "kernel drops (gap kernel_drop)" "$(r kernel_drop)" 0
	check "seq gaps (gap seq)" "$(r seq)" 0
	check "queue-full losses (gap queue_full)" "$(r queue_full)" 0
	check "write errors (gap write_error)" "$(r write_error)" 0
	check "session.lost" "$(r lost)" 0
	check "workers under the storm's root" "$(r workers)" "$WORKERS"
	check "storm processes present" "$(r children)" "$n"
	check "matched to a created child (pid log)" "$(r matched)" "$n"
	check "with correct parent (a worker)" "$(r parent_ok)" "$n"
	check "ended with the expected wait status" "$(r status_ok)" "$n"
	check "flagged start/end/parent unknown, gap" "$(r flagged)" 0
	info "pid reused before its exit arrived (flag 32)" "$(r reused)"
	if [ "$mode" = exec ]; then
		check "exec rows (one per child)" "$(r execs)" "$n"
		info "exec rows flagged argv+verified (capture&257)" "$(r argv_ok)"
		info "argv capture rate (exactly as executed)" "$(r argv_exact) ($(r argv_pct)%)"
		check "argv flagged captured+verified but wrong" "$(r argv_wrong)" 0
		info "exec capture flags (count x flags)" "$(r capflags)"
	fi
	local secs cpu events
	secs=$(echo "$t1 - $t0" | bc -l)
	cpu=$(echo "($c1 - $c0) / $TCK" | bc -l)
	events=$(r events)
	info "storm wall time" "$(printf '%.2f s' "$secs")"
	info "collector CPU during storm" "$(printf '%.2f s (%.1f%% of one core)' "$cpu" "$(echo "100 * $cpu / $secs" | bc -l)")"
	info "collector CPU per 10,000 events" "$(printf '%.3f s' "$(echo "$cpu * 10000 / $events" | bc -l)")"
	info "  % of a core per 1,000 processes/s" "$(printf '%.2f%%' "$(echo "100 * $cpu / $secs / ($n / $secs / 1000)" | bc -l)")"
	info "collector peak RSS (VmHWM)" "$hwm kB"
	info "db bytes (after close)" "$(stat -c %s "$db")"
	info "process rows in db" "$(r procs)"
	info "db bytes per process row" "$(r bytes_per_proc)"
	info "  minus argv bytes" "$(r bytes_per_proc_noargv)"
	info "  minus argv, exe, cwd, cgroup bytes" "$(r bytes_per_proc_nostr)"
	info "load average at end" "$(cut -d' ' -f1-3 /proc/loadavg)"
}

# SQL that prints "key value" lines for one storm.  Works on every schema
# version: from version 4 an exec's argv is in cmdline (exec.cmdline points
# to it), from version 5 its exe and cgroup text are in file and cgroup
# (exec.exe and exec.cgroup NULL when exec.file and exec.cgroup_id are set).
storm_sql() {
	local fspid=$1 fsmono=$2 mode=$3 db=$4 status_expr argv_expr argv_bytes
	local str_bytes
	if [ "$mode" = exec ]; then
		status_expr="0"
	else
		status_expr="CASE WHEN c.tgid % 16 = 0 THEN 10 ELSE (c.tgid & 127) << 8 END"
	fi
	if [ "$(sqlite3 "$db" "SELECT count(*) FROM pragma_table_info('exec')
	    WHERE name = 'cmdline'")" = 1 ]; then
		argv_expr="(SELECT cl.argv FROM cmdline cl WHERE cl.id = x.cmdline)"
		argv_bytes="(SELECT coalesce(sum(length(argv)), 0) FROM cmdline)"
	else
		argv_expr="x.argv"
		argv_bytes="(SELECT coalesce(sum(length(argv)), 0) FROM exec)"
	fi
	str_bytes="$argv_bytes + (SELECT coalesce(sum(length(exe)), 0) +
	    coalesce(sum(length(cwd)), 0) + coalesce(sum(length(cgroup)), 0)
	    FROM exec)"
	if [ "$(sqlite3 "$db" "SELECT count(*) FROM sqlite_schema
	    WHERE type = 'table' AND name IN ('file', 'cgroup')")" = 2 ]; then
		str_bytes="$str_bytes +
	    (SELECT coalesce(sum(length(path)), 0) FROM file) +
	    (SELECT coalesce(sum(length(path)), 0) FROM cgroup)"
	fi
	cat <<EOF
CREATE TEMP TABLE v AS SELECT
  (SELECT mono_offset FROM session ORDER BY id DESC LIMIT 1) AS off,
  (SELECT p.id FROM process p, session s WHERE p.tgid = $fspid
     ORDER BY abs(p.start - ($fsmono + s.mono_offset)) LIMIT 1) AS root;
SELECT 'root', root FROM v;
SELECT 'events', events FROM session ORDER BY id DESC LIMIT 1;
SELECT 'lost', lost FROM session ORDER BY id DESC LIMIT 1;
SELECT k, (SELECT coalesce(sum(count), 0) FROM gap WHERE kind = k)
  FROM (SELECT 'kernel_drop' AS k UNION ALL SELECT 'seq' UNION ALL
        SELECT 'queue_full' UNION ALL SELECT 'write_error');
CREATE TEMP TABLE w AS SELECT id FROM process WHERE parent = (SELECT root FROM v);
SELECT 'workers', count(*) FROM w;
CREATE TEMP TABLE c AS
  SELECT p.*, (SELECT rowid FROM pl WHERE pl.pid = p.tgid
        AND pl.mono <= p.start - (SELECT off FROM v)
        ORDER BY pl.mono DESC LIMIT 1) AS pl_row
  FROM process p WHERE p.parent IN (SELECT id FROM w);
SELECT 'children', count(*) FROM c;
SELECT 'matched', count(DISTINCT pl_row) FROM c;
SELECT 'parent_ok', count(*) FROM c WHERE parent IN (SELECT id FROM w)
  AND ppid IN (SELECT tgid FROM process WHERE id IN (SELECT id FROM w));
SELECT 'status_ok', count(*) FROM c WHERE end IS NOT NULL
  AND status = ($status_expr);
SELECT 'flagged', count(*) FROM c WHERE flags & (2 | 4 | 8 | 16);
SELECT 'reused', count(*) FROM c WHERE flags & 32;
SELECT 'execs', count(*) FROM exec x JOIN c ON x.process = c.id;
SELECT 'argv_ok', count(*) FROM exec x JOIN c ON x.process = c.id
  WHERE x.capture & 257 = 257;
CREATE TEMP TABLE xa AS SELECT x.capture, $argv_expr AS argv,
  hex('/bin/true') || '00' || hex('ptbench') || '00' || hex(pl.worker) ||
  '00' || hex(pl.seq) || '00' AS want
  FROM exec x JOIN c ON x.process = c.id JOIN pl ON pl.rowid = c.pl_row;
SELECT 'argv_exact', count(*) FROM xa WHERE capture & 257 = 257
  AND hex(argv) = want;
SELECT 'argv_pct', printf('%.1f', 100.0 * count(*) / max(1, (SELECT count(*)
  FROM c))) FROM xa WHERE capture & 257 = 257 AND hex(argv) = want;
SELECT 'argv_wrong', count(*) FROM xa WHERE capture & 257 = 257
  AND hex(argv) <> want;
SELECT 'capflags', group_concat(n || 'x' || printf('%#x', capture), ' ')
  FROM (SELECT capture, count(*) AS n FROM exec x JOIN c ON x.process = c.id
        GROUP BY capture ORDER BY n DESC LIMIT 6);
SELECT 'procs', count(*) FROM process;
SELECT 'bytes_per_proc', printf('%.0f', (SELECT page_count * page_size
  FROM pragma_page_count(), pragma_page_size()) * 1.0 / count(*)) FROM process;
SELECT 'bytes_per_proc_noargv', printf('%.0f', ((SELECT page_count * page_size
  FROM pragma_page_count(), pragma_page_size()) -
  $argv_bytes) * 1.0 / count(*))
  FROM process;
SELECT 'bytes_per_proc_nostr', printf('%.0f', ((SELECT page_count * page_size
  FROM pragma_page_count(), pragma_page_size()) -
  ($str_bytes)) * 1.0 / count(*)) FROM process;
EOF
}

IFS=, read -ra list <<<"$STORMS"
for s in "${list[@]}"; do
	case $s in
	fork) run_storm fork -w "$WORKERS" -n "$FORKS" ;;
	exec) run_storm exec -w "$WORKERS" -n "$EXECS" --exec ;;
	exec2000) run_storm exec2000 -w "$WORKERS" -n "$EXECS" --exec --rate 2000 ;;
	*) echo "storm.sh: unknown storm '$s'" >&2; exit 2 ;;
	esac
done

echo "== machine: $(nproc) CPUs, $(uname -r), $(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo), collector built from $(cat "$BUILD/bench/built-from" 2>/dev/null || echo unknown)"
if [ "$KEEP" = 1 ]; then
	echo "== kept $WORK"
else
	rm -rf "$WORK"
fi
if [ "$FAILED" -gt 0 ]; then
	echo "== $FAILED check(s) FAILED"
	exit 1
fi
echo "== all checks passed"
