# follow: a capture dropped after follow showed it (a start line, a child
# that runs it without exec'ing, an exec line) is said withdrawn (table
# exec_drop), whatever the filters, with that exec's argv now unknown;
# one of a process follow did not show is not, nor an exec of a shown
# process that follow did not show (a history line shows the image).  The
# collector's writes are made by hand, as it makes them.
wait_for() { # FILE REGEX: up to 5 s
	n=0
	until grep -q "$2" "$1" 2>/dev/null; do
		n=$((n + 1))
		[ $n -le 50 ] || { echo "timeout: $2 in $1"; return 1; }
		sleep 0.1
	done
}
sqlite3 "$DATA/fixture.db" ".backup $tmp/f.db"
sqlite3 "$tmp/f.db" "PRAGMA journal_mode = WAL" >/dev/null
"$PT" --db "$tmp/f.db" --csv follow --comm probe >"$tmp/a.csv" 2>"$tmp/a.err" &
fa=$!
"$PT" --db "$tmp/f.db" --csv follow --since @0 --pid 1004 >"$tmp/b.csv" 2>"$tmp/b.err" &
fb=$!
wait_for "$tmp/b.csv" '^end,7,'
wait_for "$tmp/a.csv" '^event,'	# a's first round is over: its header is out
sqlite3 "$tmp/f.db" "BEGIN;
INSERT INTO cmdline(id, argv) VALUES (900, X'70726f6265002d2d6100'), (901, X'6f7468657200'), (903, X'70726f626500');
INSERT INTO exec(id, process, time, cmdline, comm, uid, euid, gid, egid, capture) VALUES
  (900, 90, 1714524900000000000, 900, 'probe', 0, 0, 0, 0, 319),
  (901, 91, 1714524901000000000, 901, 'other', 0, 0, 0, 0, 319),
  (903, 93, 1714524903000000000, 903, 'probe', 0, 0, 0, 0, 319);
INSERT INTO process(id, boot, tgid, start_ticks, start, parent, ppid, uid, euid, gid, egid, comm, image, execs, flags, forked_before_exec) VALUES
  (90, 1, 9000, 500000, 1714524899000000000, 3, 1000, 0, 0, 0, 0, 'probe', 900, 1, 0, 0),
  (91, 1, 9001, 500100, 1714524900500000000, 3, 1000, 0, 0, 0, 0, 'other', 901, 1, 0, 0),
  (92, 1, 9002, 500200, 1714524902000000000, 90, 9000, 0, 0, 0, 0, 'probe', 900, 0, 0, 0),
  (93, 1, 9003, 500300, 1714524902500000000, 3, 1000, 0, 0, 0, 0, 'probe', 903, 1, 0, 0);
COMMIT;"
wait_for "$tmp/a.csv" '^start,93,'
sqlite3 "$tmp/f.db" "BEGIN;
INSERT INTO cmdline(id, argv) VALUES (904, X'70726f6265002d2d6200');
INSERT INTO exec(id, process, time, cmdline, comm, uid, euid, gid, egid, capture) VALUES
  (904, 93, 1714524904000000000, 904, 'probe', 0, 0, 0, 0, 319);
UPDATE process SET image = 904, execs = 2 WHERE id = 93;
COMMIT;"
wait_for "$tmp/a.csv" '^exec,93,'
sqlite3 "$tmp/f.db" "BEGIN;
UPDATE exec SET cmdline = NULL, comm = NULL, uid = NULL, euid = NULL, gid = NULL, egid = NULL, capture = (capture & ~319) | 32768 WHERE id IN (900, 901, 904, 6);
UPDATE process SET comm = NULL, uid = NULL, euid = NULL, gid = NULL, egid = NULL WHERE id IN (90, 91, 92);
DELETE FROM cmdline WHERE id IN (900, 901, 904);
INSERT INTO exec_drop(process, first, last, why) VALUES (90, 900, 900, 32768), (91, 901, 901, 32768), (93, 904, 904, 32768), (7, 6, 6, 32768);
COMMIT;"
wait_for "$tmp/a.csv" '^withdrawn,93,'
sleep 0.5	# and nothing more
kill -TERM $fa $fb
wait $fa; echo "follow a: $?"
wait $fb; echo "follow b: $?"
cut -d, -f1,2,3,18,19 "$tmp/a.csv"
cat "$tmp/a.err"
cut -d, -f1,2,3,18,19 "$tmp/b.csv"
cat "$tmp/b.err"
