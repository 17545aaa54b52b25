#!/bin/bash
# Fault: several read-only readers query in a loop while a storm is
# ingested.  No reader ever sees an error (WAL: readers never block the
# writer nor each other; .timeout covers the rare lock on the WAL index),
# the collector's longest commit stays bounded, and so does the WAL file.
set -u
PTD=$1
TP=$2
. "$(dirname "$0")/faultlib.sh"
M=pf$RUN
NREADERS=${PT_READERS:-4}
COMMIT_BOUND_US=${PT_COMMIT_BOUND_US:-1000000}	# 1 s
WAL_BOUND=${PT_WAL_BOUND:-33554432}		# 32 MiB

# reader N: until $TMP/stop exists, run a lineage CTE and counts
reader() {
	local n=$1 i=0
	while [ ! -e "$TMP/stop" ]; do
		sqlite3 -batch -noheader -readonly "$DB" >/dev/null 2>>"$TMP/reader$n.err" <<'SQL' ||
.timeout 5000
.bail on
WITH RECURSIVE d(id, depth) AS (
	SELECT id, 0 FROM process WHERE id IN
		(SELECT id FROM process ORDER BY id DESC LIMIT 3)
	UNION ALL
	SELECT p.parent, d.depth + 1 FROM process p JOIN d ON p.id = d.id
	WHERE p.parent IS NOT NULL AND d.depth < 64)
SELECT count(*), max(depth) FROM d;
WITH RECURSIVE t(id) AS (
	SELECT id FROM process WHERE tgid = 1 AND end IS NULL
	UNION ALL
	SELECT p.id FROM process p JOIN t ON p.parent = t.id)
SELECT count(*) FROM t;
SELECT count(*) FROM event;
SELECT count(*), sum(end IS NULL) FROM process;
SELECT count(*) FROM exec;
SELECT * FROM processes ORDER BY id DESC LIMIT 20;
SQL
			echo "exit $? at iteration $i" >>"$TMP/reader$n.err"
		i=$((i + 1))
	done
	echo "$i" >"$TMP/reader$n.count"
}

# WAL size sampler
walmax() {
	local max=0 s
	while [ ! -e "$TMP/stop" ]; do
		s=$(stat -c %s "$DB-wal" 2>/dev/null || echo 0)
		[ "$s" -gt "$max" ] && max=$s
		sleep 0.05
	done
	echo "$max" >"$TMP/walmax"
}

start_collector
for n in $(seq 1 "$NREADERS"); do
	: >"$TMP/reader$n.err"
	reader "$n" &
	BG_PIDS+=($!)
done
walmax &
BG_PIDS+=($!)
sleep 0.5
for round in 1 2 3; do
	"$TP" storm "R-storm-$M-$round" 10000 &
	for i in $(seq 1 100); do sh -c ": R-exec-$M-$round-$i; exit 0"; done
	wait $!
done
sleep 0.5
touch "$TMP/stop"
wait "${BG_PIDS[@]}" 2>/dev/null
BG_PIDS=()
stop_collector
check "collector: exit 0" "$COLLECTOR_STATUS" 0

errs=0
iters=
for n in $(seq 1 "$NREADERS"); do
	if [ -s "$TMP/reader$n.err" ]; then
		errs=$((errs + 1))
		sed 's/^/  reader: /' "$TMP/reader$n.err" | head -5
	fi
	iters="$iters $(cat "$TMP/reader$n.count" 2>/dev/null || echo 0)"
done
check "no reader saw an error (SQLITE_BUSY or other)" "$errs" 0
check "every reader ran queries during the storm" \
	"$(for c in $iters; do [ "$c" -gt 2 ] || echo short; done)" ""
LONGEST=$(sed -n 's/.*longest commit \([0-9]*\) us.*/\1/p' "$TMP/log" | tail -1)
check "longest commit is known" "$([ -n "$LONGEST" ] && echo y)" y
check "longest commit under ${COMMIT_BOUND_US} us" \
	"$([ "${LONGEST:-999999999}" -le "$COMMIT_BOUND_US" ] && echo y)" y
WALMAX=$(cat "$TMP/walmax")
check "WAL stayed under $WAL_BOUND bytes" "$([ "$WALMAX" -le "$WAL_BOUND" ] && echo y)" y
check "no loss while readers ran" \
	"$(q "SELECT count(*) FROM gap WHERE kind IN ('write_error', 'queue_full')")" 0
check "the storms were recorded" \
	"$(q "SELECT count(*) FROM process WHERE parent IN (SELECT process FROM $XARGV
	      WHERE instr(argv, CAST('R-storm-$M-' AS BLOB)) > 0)")" 30000
check_db "after the readers"
echo "note: $NREADERS readers ran$iters query rounds; longest commit ${LONGEST} us;" \
	"WAL peak $WALMAX bytes, at stop $(stat -c %s "$DB-wal" 2>/dev/null || echo 0);" \
	"database $(stat -c %s "$DB") bytes; $(q "SELECT count(*) FROM event") events"
fault_finish
