#!/bin/bash
# peers.sh: one /bin/true exec storm observed at once by proctraild, forkstat,
# extrace and auditd (execve rule), compared from their outputs.
#
# usage: bench/peers.sh [-e EXECS] [-r RATES] [-k]
#
#   -e EXECS   processes per storm (default 20000)
#   -r RATES   comma-separated storm rates in processes/s, 0 = as fast as
#              possible (default "2000,0")
#   -k         keep the work directory
#
# Needs root, and forkstat and extrace (apt-get install forkstat extrace);
# auditd (apt-get install auditd) is used when present: it is started with a
# private configuration (log in the work directory), its backlog raised to
# 8192, one rule "-a always,exit -F arch=b64 -S execve", and stopped again.
# An auditd that is already running is left alone and not measured.
#
# For each tool: the storm's execs it reported (events), those whose argv it
# reported exactly as executed ("/bin/true ptbench W SEQ" with the SEQ that
# forkstorm logged for that pid), and the CPU time it used during the storm
# (utime+stime from /proc/PID/stat; for auditd plus the kauditd kernel
# thread; the audit work done in the exec'ing processes' own syscalls is not
# counted).  Environment: BUILD as in storm.sh; READER_PRIO=fifo|nice raises
# proctraild's reader thread priority (experiment); FORKSTAT_ARGS adds
# forkstat options (e.g. -r for its real-time scheduling option).
set -u
export LC_ALL=C

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
BUILD=${BUILD:-/tmp/ptbench-build}
EXECS=20000
RATES=2000,0
KEEP=0
while getopts e:r:k opt; do
	case $opt in
	e) EXECS=$OPTARG ;;
	r) RATES=$OPTARG ;;
	k) KEEP=1 ;;
	*) sed -n '3,11s/^# \{0,1\}//p' "$0" >&2; exit 2 ;;
	esac
done

if [ "$(id -u)" != 0 ]; then
	echo "peers.sh: needs root" >&2
	exit 2
fi
for t in forkstat extrace sqlite3; do
	command -v $t >/dev/null || {
		echo "peers.sh: $t not found (apt-get install -y forkstat extrace sqlite3)" >&2
		exit 2
	}
done

if [ "${NOBUILD:-0}" != 1 ]; then
	{ cmake -S "$repo" -B "$BUILD" -DPROCTRAIL_BUILD_QUERY=OFF \
	    -DCMAKE_BUILD_TYPE=Release &&
	  cmake --build "$BUILD" -j2 --target proctraild ptcollect ptcommon &&
	  make -s -C "$here" BUILD="$BUILD" &&
	  git -C "$repo" describe --always --dirty >"$BUILD/bench/built-from"; } >"$BUILD.log" 2>&1 || {
		echo "peers.sh: build failed, see $BUILD.log" >&2
		exit 1
	}
fi
PTD=$BUILD/proctraild
FS=$BUILD/bench/forkstorm
WORK=${WORK:-$(mktemp -d /tmp/ptpeers.XXXXXX)}
mkdir -p "$WORK"
TCK=$(getconf CLK_TCK)

cpu_ticks() {	# utime+stime, clock ticks; 0 if gone
	awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "/proc/$1/stat" 2>/dev/null || echo 0
}

HAVE_AUDIT=0
AUDIT_NOTE=""
if command -v auditd >/dev/null && command -v auditctl >/dev/null; then
	apid=$(auditctl -s 2>/dev/null | awk '$1 == "pid" { print $2 }')
	if [ -n "$apid" ] && [ "$apid" != 0 ]; then
		AUDIT_NOTE="auditd already running (pid $apid): not measured"
	else
		HAVE_AUDIT=1
	fi
else
	AUDIT_NOTE="auditd not installed"
fi

start_auditd() {	# start_auditd DIR: private auditd; sets AUDITD_PID
	local dir=$1 i
	mkdir -p "$dir/auditconf"
	sed -e "s|^log_file *=.*|log_file = $dir/audit.log|" \
	    -e 's|^max_log_file *=.*|max_log_file = 4096|' \
	    -e 's|^max_log_file_action *=.*|max_log_file_action = ignore|' \
	    -e 's|^space_left *=.*|space_left = 2|' \
	    -e 's|^log_format *=.*|log_format = RAW|' \
	    -e 's|^admin_space_left *=.*|admin_space_left = 1|' \
	    /etc/audit/auditd.conf >"$dir/auditconf/auditd.conf"
	chmod 0640 "$dir/auditconf/auditd.conf"
	auditd -c "$dir/auditconf" 2>"$dir/auditd.err" || return 1
	for i in $(seq 50); do
		AUDITD_PID=$(auditctl -s | awk '$1 == "pid" { print $2 }')
		[ -n "$AUDITD_PID" ] && [ "$AUDITD_PID" != 0 ] && break
		sleep 0.1
	done
	auditctl -b 8192 >/dev/null
	auditctl -a always,exit -F arch=b64 -S execve -k ptbench >/dev/null
	AUDIT_LOST0=$(auditctl -s | awk '$1 == "lost" { print $2 }')
}

stop_auditd() {
	auditctl -D >/dev/null
	AUDIT_LOST1=$(auditctl -s | awk '$1 == "lost" { print $2 }')
	kill -TERM "$AUDITD_PID"
	while kill -0 "$AUDITD_PID" 2>/dev/null; do sleep 0.1; done
	auditctl -e 0 >/dev/null	# auditd leaves auditing enabled
}

# run RATE: one storm with every observer; appends rows to $WORK/table
run() {
	local rate=$1 dir=$WORK/rate$1 ptd fk ex kaud i n fsout secs
	local c_ptd0 c_fk0 c_ex0 c_au0 c_ptd1 c_fk1 c_ex1 c_au1 storm_args
	mkdir -p "$dir"
	"$PTD" --db "$dir/pt.db" -v 2>"$dir/collector.log" &
	ptd=$!
	for i in $(seq 100); do
		grep -qs 'ready:' "$dir/collector.log" && break
		sleep 0.1
	done
	if [ -n "${READER_PRIO:-}" ]; then
		i=$(ls "/proc/$ptd/task" | sort -n | tail -1)
		case $READER_PRIO in
		fifo) chrt -f -p 50 "$i" ;;
		nice) renice -n -20 -p "$i" >/dev/null ;;
		esac
	fi
	# shellcheck disable=SC2086
	forkstat -e exec -l ${FORKSTAT_ARGS:-} >"$dir/forkstat.out" 2>&1 &
	fk=$!
	extrace -f -o "$dir/extrace.out" 2>"$dir/extrace.err" &
	ex=$!
	if [ "$HAVE_AUDIT" = 1 ]; then
		start_auditd "$dir" || { HAVE_AUDIT=0; AUDIT_NOTE="auditd failed to start: $(cat "$dir/auditd.err")"; }
	fi
	kaud=$(pgrep -x kauditd | head -1)
	sleep 1
	c_ptd0=$(cpu_ticks $ptd); c_fk0=$(cpu_ticks $fk); c_ex0=$(cpu_ticks $ex)
	c_au0=0
	[ "$HAVE_AUDIT" = 1 ] && c_au0=$(( $(cpu_ticks "$AUDITD_PID") + $(cpu_ticks "$kaud") ))

	storm_args=(--exec -n "$EXECS")
	[ "$rate" != 0 ] && storm_args+=(--rate "$rate")
	"$FS" "${storm_args[@]}" --pidlog "$dir/pidlog" >"$dir/forkstorm.out" 2>&1
	fsout=$(tail -1 "$dir/forkstorm.out")
	secs=$(awk '{ for (i = 1; i < NF; i++) if ($i == "seconds") print $(i + 1) }' <<<"$fsout")
	# let everyone drain (proctraild commits every 200 ms)
	sleep 2
	c_ptd1=$(cpu_ticks $ptd); c_fk1=$(cpu_ticks $fk); c_ex1=$(cpu_ticks $ex)
	c_au1=0
	[ "$HAVE_AUDIT" = 1 ] && c_au1=$(( $(cpu_ticks "$AUDITD_PID") + $(cpu_ticks "$kaud") ))
	kill -INT $fk		# forkstat prints its totals on SIGINT
	kill -TERM $ex		# extrace ignores SIGINT until the next event
	kill -TERM $ptd
	wait $ptd $fk $ex 2>/dev/null
	[ "$HAVE_AUDIT" = 1 ] && stop_auditd

	n=$(wc -l <"$dir/pidlog")
	echo "== storm: forkstorm ${storm_args[*]}: ${fsout#forkstorm: }"
	echo "   load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
	{
		# pid argv (argv joined by single spaces) for each tool
		awk '$2 == "exec" { pid = $3; $1 = $2 = $3 = ""; sub(/^ +/, ""); sub(/ +$/, ""); print pid "\t" $0 }' \
		    "$dir/forkstat.out" >"$dir/forkstat.tsv"
		awk '$1 ~ /^[0-9]+$/ { pid = $1; $1 = ""; sub(/^ +/, ""); print pid "\t" $0 }' \
		    "$dir/extrace.out" >"$dir/extrace.tsv"
		# extrace saw these execs but could not read them
		awk '/vanished before notification/ { print $NF "\t" }' \
		    "$dir/extrace.err" >>"$dir/extrace.tsv"
		if [ "$HAVE_AUDIT" = 1 ]; then
			awk '
			{ if (match($0, /msg=audit\([0-9.]+:[0-9]+\)/) == 0) next
			  s = substr($0, RSTART, RLENGTH); sub(/.*:/, "", s); sub(/\)/, "", s) }
			$1 == "type=SYSCALL" && / syscall=59 / {
				for (i = 2; i <= NF; i++) if ($i ~ /^pid=/) { p = $i; sub(/pid=/, "", p); pid[s] = p } }
			$1 == "type=EXECVE" {
				a = ""
				for (i = 3; i <= NF; i++) if ($i ~ /^a[0-9]+=/) {
					v = $i; sub(/^a[0-9]+=/, "", v); gsub(/"/, "", v)
					a = a (a == "" ? "" : " ") v }
				args[s] = a }
			END { for (s in pid) print pid[s] "\t" args[s] }' \
			    "$dir/audit.log" >"$dir/auditd.tsv"
		fi
	}
	peers_sql "$dir" >"$dir/check.sql"
	sqlite3 -batch -noheader -separator ' ' "$dir/pt.db" <"$dir/check.sql" \
	    >"$dir/results" 2>&1
	r() { awk -v k="$1" '$1 == k { $1 = ""; sub(/^ /, ""); print; exit }' "$dir/results"; }
	local cpu_ptd cpu_fk cpu_ex cpu_au
	cpu_ptd=$(echo "($c_ptd1 - $c_ptd0) / $TCK" | bc -l)
	cpu_fk=$(echo "($c_fk1 - $c_fk0) / $TCK" | bc -l)
	cpu_ex=$(echo "($c_ex1 - $c_ex0) / $TCK" | bc -l)
	cpu_au=$(echo "($c_au1 - $c_au0) / $TCK" | bc -l)
	printf '   %-11s %8s %8s %8s %7s %9s  %s\n' tool execs events '%' argv_ok '%' 'CPU s'
	row() {	# row NAME KEY CPU
		printf '   %-11s %8d %8d %7.1f%% %7d %8.1f%%  %.2f\n' "$1" "$n" "$(r "$2"_events)" \
		    "$(echo "100 * $(r "$2"_events) / $n" | bc -l)" "$(r "$2"_argv)" \
		    "$(echo "100 * $(r "$2"_argv) / $n" | bc -l)" "$3"
		printf '| %s | %s | %s | %d | %d (%.1f%%) | %d (%.1f%%) | %.2f |\n' \
		    "$(date +%F)" "${rate/#0/unlimited}" "$1" "$n" "$(r "$2"_events)" \
		    "$(echo "100 * $(r "$2"_events) / $n" | bc -l)" "$(r "$2"_argv)" \
		    "$(echo "100 * $(r "$2"_argv) / $n" | bc -l)" "$3" >>"$WORK/table"
	}
	row proctraild pt "$cpu_ptd"
	row forkstat fk "$cpu_fk"
	row extrace ex "$cpu_ex"
	if [ "$HAVE_AUDIT" = 1 ]; then
		row auditd au "$cpu_au"
		echo "   auditd: lost counter grew by $((AUDIT_LOST1 - AUDIT_LOST0)) (backlog 8192)"
	fi
	echo "   proctraild: $(grep -o 'events [0-9]*, processes.*' "$dir/collector.log")"
	echo "   proctraild argv flagged captured+verified but wrong: $(r pt_wrong)"
	echo "   extrace 'out of order' (seq gap) warnings: $(grep -c 'out of order' "$dir/extrace.err")"
	echo "   forkstat nobufs warnings: $(grep -ci 'nobufs\|no buffer' "$dir/forkstat.out")"
	echo "   storm wall time ${secs} s"
}

peers_sql() {
	local dir=$1 t fspid fsmono
	fspid=$(awk '/^forkstorm: pid/ { print $3 }' "$dir/forkstorm.out")
	fsmono=$(awk '/^forkstorm: pid/ { print $5 }' "$dir/forkstorm.out")
	cat <<EOF
CREATE TEMP TABLE pl(pid INTEGER, seq INTEGER, worker INTEGER, mono INTEGER);
.import --schema temp $dir/pidlog pl
CREATE INDEX temp.pl_pid ON pl(pid, mono);
CREATE TEMP TABLE want AS SELECT rowid AS plrow, pid, seq,
  '/bin/true ptbench ' || worker || ' ' || seq AS argv FROM pl;
CREATE INDEX temp.want_pid ON want(pid, argv);
EOF
	for t in forkstat extrace auditd; do
		[ -f "$dir/$t.tsv" ] || continue
		cat <<EOF
CREATE TEMP TABLE $t(pid INTEGER, argv TEXT);
.separator "\t"
.import --schema temp $dir/$t.tsv $t
.separator " "
EOF
	done
	cat <<EOF
-- proctraild: the storm's children (root = forkstorm's instance, then its
-- workers, then theirs), matched to the pid log by pid and fork time (as
-- in storm.sh)
CREATE TEMP TABLE v AS SELECT
  (SELECT mono_offset FROM session ORDER BY id DESC LIMIT 1) AS off,
  (SELECT p.id FROM process p, session s WHERE p.tgid = $fspid
     ORDER BY abs(p.start - ($fsmono + s.mono_offset)) LIMIT 1) AS root;
CREATE TEMP TABLE c AS
  SELECT p.id, (SELECT rowid FROM pl WHERE pl.pid = p.tgid
        AND pl.mono <= p.start - (SELECT off FROM v)
        ORDER BY pl.mono DESC LIMIT 1) AS plrow
  FROM process p WHERE p.parent IN (SELECT id FROM process
      WHERE parent = (SELECT root FROM v));
CREATE TEMP TABLE ptx AS SELECT x.capture, hex(x.argv) AS got,
  hex('/bin/true') || '00' || hex('ptbench') || '00' || hex(pl.worker) || '00' ||
  hex(pl.seq) || '00' AS want, c.plrow
  FROM exec x JOIN c ON x.process = c.id JOIN pl ON pl.rowid = c.plrow;
SELECT 'pt_events', count(DISTINCT plrow) FROM ptx;
SELECT 'pt_argv', count(DISTINCT plrow) FROM ptx WHERE capture & 257 = 257 AND got = want;
SELECT 'pt_wrong', count(*) FROM ptx WHERE capture & 257 = 257 AND got <> want;
EOF
	for t in forkstat extrace auditd; do
		local k=${t:0:2}
		[ $t = forkstat ] && k=fk
		[ $t = extrace ] && k=ex
		[ $t = auditd ] && k=au
		[ -f "$dir/$t.tsv" ] || continue
		cat <<EOF
-- records for the storm's pids, at most as many per pid as the storm made
SELECT '${k}_events', coalesce(sum(min(t.n, w.n)), 0)
  FROM (SELECT pid, count(*) AS n FROM $t GROUP BY pid) t
  JOIN (SELECT pid, count(*) AS n FROM pl GROUP BY pid) w USING (pid);
SELECT '${k}_argv', count(DISTINCT w.plrow) FROM $t JOIN want w
  ON w.pid = $t.pid AND w.argv = $t.argv;
EOF
	done
}

: >"$WORK/table"
IFS=, read -ra list <<<"$RATES"
for rate in "${list[@]}"; do
	run "$rate"
done
[ -n "$AUDIT_NOTE" ] && echo "== auditd: $AUDIT_NOTE"
echo "== markdown rows (date | rate | tool | execs | events | argv exact | CPU s):"
cat "$WORK/table"
echo "== machine: $(nproc) CPUs, $(uname -r), collector built from $(cat "$BUILD/bench/built-from" 2>/dev/null || echo unknown)"
if [ "$KEEP" = 1 ]; then
	echo "== kept $WORK"
else
	rm -rf "$WORK"
fi
