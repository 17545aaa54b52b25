#!/bin/bash
# Integration: retention by age and by size.  Old history is deleted in
# small steps while ingest goes on; what stays keeps valid lineage (every
# parent and image it points to exists); running processes and the
# ancestors of kept rows stay; the file shrinks (incremental vacuum).
set -u
PTD=$1
TP=$2
. "$(dirname "$0")/lib.sh"
M=pt$RUN

dangling() {
	q "SELECT (SELECT count(*) FROM process c WHERE c.parent IS NOT NULL
	             AND NOT EXISTS (SELECT 1 FROM process p WHERE p.id = c.parent))
	        + (SELECT count(*) FROM process c WHERE c.image IS NOT NULL
	             AND NOT EXISTS (SELECT 1 FROM exec x WHERE x.id = c.image))
	        + (SELECT count(*) FROM exec x
	             WHERE NOT EXISTS (SELECT 1 FROM process p WHERE p.id = x.process))"
}

# 1. By age
start_collector --retain 2s --prune-every 100
sh -c ": old-$M; sleep 0.05"
sh -c ": keep-parent-$M; sh -c ': old-child-$M; sleep 0.05'; sleep 30" &
KEEP_PID=$!
sleep 0.5
OLD=$(by_marker ": old-$M"); CHILD=$(by_marker ": old-child-$M")
PARENT=$(by_marker ": keep-parent-$M")
check "old rows there at first" "$([ -n "$OLD" ] && [ -n "$CHILD" ] && echo y)" y
# a withdrawn capture of the old process, as the collector logs one
sqlite3 "$DB" "PRAGMA busy_timeout = 5000; INSERT INTO exec_drop(process, first, last, why)
    SELECT process, id, id, 32768 FROM exec WHERE process = $OLD"
check "its exec_drop row there at first" "$(q "SELECT count(*) FROM exec_drop WHERE process = $OLD")" 1
sleep 3
sh -c ": new-$M; sleep 0.05"
sleep 0.5
check "old process deleted" "$(q "SELECT count(*) FROM process WHERE id IN ($OLD, $CHILD)")" 0
check "its exec rows deleted" "$(q "SELECT count(*) FROM exec WHERE process IN ($OLD, $CHILD)")" 0
check "its exec_drop rows deleted" "$(q "SELECT count(*) FROM exec_drop WHERE process IN ($OLD, $CHILD)")" 0
check "its events deleted" "$(q "SELECT count(*) FROM event WHERE process IN ($OLD, $CHILD)")" 0
check "its command line deleted (no exec left runs it)" \
	"$(q "SELECT count(*) FROM cmdline WHERE instr(argv, CAST(': old-$M' AS BLOB)) > 0")" 0
check "the kept process's command line kept" \
	"$(q "SELECT count(*) FROM cmdline WHERE instr(argv, CAST(': new-$M' AS BLOB)) > 0")" 1
check "running parent of a deleted child kept" "$(q "SELECT end IS NULL FROM process WHERE id = $PARENT")" 1
check "new process kept" "$([ -n "$(by_marker ": new-$M")" ] && echo y)" y
check "processes running since the snapshot kept" "$(q "SELECT count(*) > 0 FROM process WHERE flags & 1 AND end IS NULL")" 1
check "no event older than the retention (+1 s of step delay)" \
	"$(q "SELECT count(*) FROM event e JOIN session s ON s.id = e.session
	      WHERE e.mono + s.mono_offset < CAST(strftime('%s','now') AS INTEGER) * 1000000000 - 3500000000")" 0
check "lineage of what is left is whole" "$(dangling)" 0
kill $KEEP_PID
stop_collector
check "exit 0" "$COLLECTOR_STATUS" 0
check_true "retention reported" grep -q "retention: .* deleted [1-9]" "$TMP/log"

# 2. By size: a 2 MiB cap under several storms (one storm is ~0.6 MiB)
DB=$TMP/size.db
start_collector --max-size 2 --prune-every 100
for i in 1 2 3 4 5 6; do
	"$TP" storm "size$i-$M" 2000 &
	LASTPID=$!
	[ $i = 1 ] && FIRSTPID=$LASTPID
	wait $LASTPID
done
# the collector commits the last storm within a second or so; then
# pruning catches up in steps; give each up to 20 s on a loaded machine
for _ in $(seq 1 100); do
	[ "$(q "SELECT count(*) FROM process WHERE parent = (SELECT max(id) FROM process WHERE tgid = $LASTPID)")" = 2000 ] && break
	sleep 0.2
done
for _ in $(seq 1 100); do
	[ "$(q "SELECT (SELECT page_count FROM pragma_page_count) - (SELECT freelist_count FROM pragma_freelist_count) <= 2097152 / (SELECT page_size FROM pragma_page_size)")" = 1 ] && break
	sleep 0.2
done
LAST=$(q "SELECT max(id) FROM process WHERE tgid = $LASTPID")
stop_collector
check "exit 0" "$COLLECTOR_STATUS" 0
size=$(stat -c %s "$DB")
echo "note: database file $size bytes after 12000 processes under a 2 MiB cap"
check "file under the cap (+25% for the last batch)" "$([ "$size" -le $((2621440)) ] && echo y)" y
check "newest storm kept" "$(q "SELECT count(*) FROM process WHERE parent = $LAST")" 2000
# oldest first: pruning stops as soon as the size is under the cap, which
# can be in the middle of the oldest storm
check "oldest storm pruned (at most 10% of it left)" \
	"$(q "SELECT count(*) < 200 FROM process WHERE parent IN (SELECT id FROM process WHERE tgid = $FIRSTPID)")" 1
check "pruned in time order: no kept ended leaf is older than the oldest kept event" \
	"$(q "SELECT count(*) FROM process p WHERE p.end IS NOT NULL
	      AND NOT EXISTS (SELECT 1 FROM process c WHERE c.parent = p.id)
	      AND p.end < (SELECT min(e.mono + s.mono_offset) FROM event e
	                   JOIN session s ON s.id = e.session) - 1000000000")" 0
check "lineage of what is left is whole" "$(dangling)" 0
check "integrity" "$(q "PRAGMA integrity_check")" ok
if [ "$FAIL" -gt 0 ]; then	# what the database held, for the record
	echo "diagnostics: $(q "SELECT count(*), sum(end IS NULL) FROM process") processes (all, open);" \
		"gaps: $(q "SELECT group_concat(kind || ':' || coalesce(count, '-')) FROM gap")"
	grep -E "retention|lost|fail|cannot" "$TMP/log"
fi

finish
