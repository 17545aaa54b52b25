#!/bin/bash
# Ground truth: what really happened, compared with the database.
#  - PIDs reused within microseconds (exit, reap, clone3 with set_tid) while
#    two other processes exec in a loop: no exec row may hold another
#    process's argv; a capture dropped is flagged.
#  - Exec chains (a static image without libc that execs the next step at
#    once): every exec row holds its own argv or none.
#  - A zombie and a process whose leader thread is a zombie, both made
#    before the collector starts and reaped after: both end.
#  - session.events while running, after SIGTERM and after kill -9.
#  - A downtime gap from the boot to the first start.
# usage: truth.sh PROCTRAILD TESTPROC STEP REUSE [ITERATIONS] [CHAINS]
set -u
PTD=$1
TP=$2
STEP=$3
REUSE=$4
ITER=${5:-${PT_TRUTH_ITER:-2000}}
CHAINS=${6:-${PT_TRUTH_CHAINS:-300}}
. "$(dirname "$0")/lib.sh"

# expected argv, as hex, of NUL-terminated arguments
argv_hex() {
	local a h=
	for a in "$@"; do
		h=$h$(printf '%s' "$a" | od -An -tx1 | tr -d ' \n')00
	done
	printf '%s' "$h" | tr a-f A-F
}

# Made before the collector: a zombie (its parent waits for SIGUSR1 to
# reap it) and a process whose leader thread has exited.
"$TP" zombie "Z-$RUN" &
ZPARENT=$!
"$TP" zleader "L-$RUN" &
ZLEADER=$!
sleep 0.3
ZCHILD=$(cat "/proc/$ZPARENT/task/$ZPARENT/children" | tr -d ' ')
check "setup: the zombie is one" "$(awk '{print $3}' "/proc/$ZCHILD/stat")" Z
check "setup: the leader is a zombie" "$(awk '{print $3}' "/proc/$ZLEADER/stat")" Z

# a reader at normal priority, competing with the load, falls behind
start_collector ${PT_TRUTH_ARGS:---realtime 0}
check "boot: a downtime gap from the boot to the first start" \
	"$(q "SELECT count(*) FROM gap g JOIN session s ON s.id = g.session
	      JOIN boot b ON b.id = s.boot
	      WHERE g.kind = 'downtime' AND g.start = b.btime AND g.end = s.started")" 1

kill -USR1 "$ZPARENT" "$ZLEADER"
wait "$ZPARENT" "$ZLEADER" 2>/dev/null

# two processes exec'ing in a loop give the reader a backlog
LOAD=$TMP/load
: >"$LOAD"
LOADPIDS=
for _ in $(seq ${PT_TRUTH_LOAD:-3}); do
	( while [ -e "$LOAD" ]; do /bin/true; done ) &
	LOADPIDS="$LOADPIDS $!"
done
"$REUSE" "$STEP" "$ITER" 2 >"$TMP/reuse.csv" 2>"$TMP/reuse.err"
"$STEP" chains "$CHAINS"
rm -f "$LOAD"
wait $LOADPIDS
sleep 0.5

EV_LIVE=$(q "SELECT events FROM session ORDER BY id DESC LIMIT 1")
ROWS_LIVE=$(q "SELECT count(*) FROM event")
check "session.events is counted while running" \
	"$([ "$EV_LIVE" -gt 0 ] && [ "$EV_LIVE" -ge "$((ROWS_LIVE / 2))" ] && echo y)" y
stop_collector
check "collector exit status" "$COLLECTOR_STATUS" 0
check "session.events after SIGTERM: every event row, plus what was lost" \
	"$(q "SELECT events - lost <= (SELECT count(*) FROM event WHERE session = s.id)
	      AND events >= (SELECT count(*) FROM event WHERE session = s.id)
	      FROM session s ORDER BY id DESC LIMIT 1")" 1

# --- PID reuse ---
P=$(q "SELECT process FROM $XARGV WHERE hex(argv) LIKE '$(argv_hex "$REUSE" "$STEP")%' ORDER BY id LIMIT 1")
check "reuse: the driver is found" "$([ -n "$P" ] && echo y)" y
q "CREATE TABLE truth(seq INTEGER PRIMARY KEY, role TEXT, k INTEGER, pid INTEGER)"
sqlite3 "$DB" ".import --csv $TMP/reuse.csv truth"
N=$(q "SELECT count(*) FROM truth")
check "reuse: iterations made" "$([ "$N" -ge "$ITER" ] && echo y)" y
q "CREATE TABLE kid AS SELECT id, tgid, row_number() OVER (ORDER BY id) AS seq
   FROM process WHERE parent = $P"
check "reuse: every process of the driver is there, in order, with its pid" \
	"$(q "SELECT count(*) FROM truth t JOIN kid USING (seq) WHERE kid.tgid = t.pid")" "$N"
# the expected argv of each exec row of the driver's children
q "CREATE TABLE want AS SELECT kid.id AS process, t.role, t.k,
   CASE t.role WHEN 'A' THEN
	hex('$STEP') || '00' || hex('exit') || '00' || hex('reuseA') || '00' || hex(t.k) || '00'
   ELSE
	hex('$STEP') || '00' || hex('sleep') || '00' || hex('2') || '00' || hex('reuseB') || '00' || hex(t.k) || '00'
   END AS argv
   FROM truth t JOIN kid USING (seq)"
WRONG=$(q "SELECT count(*) FROM $XARGV e JOIN want w USING (process)
	    WHERE e.argv IS NOT NULL AND hex(e.argv) <> w.argv")
RIGHT=$(q "SELECT count(*) FROM $XARGV e JOIN want w USING (process)
	    WHERE e.argv IS NOT NULL AND hex(e.argv) = w.argv")
NONE=$(q "SELECT count(*) FROM $XARGV e JOIN want w USING (process) WHERE e.argv IS NULL")
UNFLAGGED=$(q "SELECT count(*) FROM $XARGV e JOIN want w USING (process)
	WHERE e.argv IS NULL AND (e.capture & (512|1024|8192|32768)) = 0")
echo "reuse: $N processes, exec rows: $RIGHT right, $NONE without argv, $WRONG wrong"
q "SELECT 'WRONG', w.role, w.k, e.capture, hex(e.argv) FROM $XARGV e JOIN want w USING (process)
   WHERE e.argv IS NOT NULL AND hex(e.argv) <> w.argv LIMIT 5"
check "reuse: no exec row holds another process's argv" "$WRONG" 0
check "reuse: every capture dropped is flagged" "$UNFLAGGED" 0
check "reuse: captures kept" "$([ "$RIGHT" -ge "$((N / 3))" ] && echo y)" y

# --- exec chains ---
D=$(q "SELECT process FROM $XARGV WHERE hex(argv) = '$(argv_hex "$STEP" chains "$CHAINS")' ORDER BY id LIMIT 1")
check "chains: the driver is found" "$([ -n "$D" ] && echo y)" y
q "CREATE TABLE chain AS SELECT id, row_number() OVER (ORDER BY id) AS k
   FROM process WHERE parent = $D"
check "chains: every chain is a process" "$(q "SELECT count(*) FROM chain")" "$CHAINS"
check "chains: three execs each" "$(q "SELECT count(*) FROM chain c WHERE (SELECT count(*) FROM exec WHERE process = c.id) = 3")" "$CHAINS"
q "CREATE TABLE cwant AS SELECT e.id, e.argv, e.capture,
   hex('$STEP') || '00' || hex('chain') || '00' ||
   hex(3 - row_number() OVER (PARTITION BY c.id ORDER BY e.id)) || '00' ||
   hex('c' || c.k) || '00' AS want
   FROM chain c JOIN $XARGV e ON e.process = c.id"
CWRONG=$(q "SELECT count(*) FROM cwant WHERE argv IS NOT NULL AND hex(argv) <> want")
CRIGHT=$(q "SELECT count(*) FROM cwant WHERE argv IS NOT NULL AND hex(argv) = want")
CNONE=$(q "SELECT count(*) FROM cwant WHERE argv IS NULL")
echo "chains: $((CHAINS * 3)) execs: $CRIGHT right, $CNONE without argv, $CWRONG wrong"
q "SELECT 'WRONG', id, capture, want, hex(argv) FROM cwant WHERE argv IS NOT NULL AND hex(argv) <> want LIMIT 5"
check "chains: every exec row holds its own argv or none" "$CWRONG" 0
check "chains: every capture dropped is flagged" \
	"$(q "SELECT count(*) FROM cwant WHERE argv IS NULL AND (capture & (512|1024|8192|32768)) = 0")" 0

# --- zombies at start ---
ZP=$(by_marker "Z-$RUN")
check "zombie: its parent is found" "$([ -n "$ZP" ] && echo y)" y
check "zombie: the zombie ended, end time unknown, status known" \
	"$(q "SELECT end IS NOT NULL, (flags & 4) <> 0, status FROM process WHERE parent = $ZP AND tgid = $ZCHILD")" "1|1|768"
check "zombie leader: the process ended with its last thread's status" \
	"$(q "SELECT end IS NOT NULL, status FROM process WHERE tgid = $ZLEADER AND (flags & 1) = 1 ORDER BY id DESC LIMIT 1")" "1|1280"

echo "note: captures withdrawn after their rows were written (exec_drop): $(q "SELECT count(*) || ' decisions, ' || coalesce(sum(last - first + 1), 0) || ' exec id spans' FROM exec_drop")"
check "chains: the drops of written rows are logged (exec_drop)" \
	"$(q "SELECT count(*) > 0 FROM exec_drop")" 1

# reuse within microseconds, exec chains, zombies at start: the same rows
# derived again from the sources
rebuild_check truth

# --- session.events after kill -9 ---
rm -f "$DB" "$DB-wal" "$DB-shm"
start_collector
sh -c ": K-$RUN; true"
sleep 0.6
kill -9 "$COLLECTOR_PID"
wait "$COLLECTOR_PID" 2>/dev/null
COLLECTOR_PID=
check "session.events after kill -9: counted at the last commit" \
	"$(q "SELECT events >= (SELECT count(*) FROM event) AND events > 0 FROM session")" 1

rebuild_check kill-9
finish
