# --argv finds the processes that run a matching line they inherited, also
# through a parent that exec'd something else since (inherit.sql): by the
# window, by the lines ($PROCTRAIL_ARGV_WINDOW=0) and by the lines scanned
# in two threads ($PROCTRAIL_SCAN_SPLIT=0), the same rows
export PROCTRAIL_DB="$DATA/inherit.db"
for a in inhprobe other 'inh*--run' tieprobe snapprobe clockprobe; do
	echo "--argv $a"
	by_window=$(proctrail --csv search --since @0 --argv "$a")
	by_lines=$(export PROCTRAIL_ARGV_WINDOW=0; proctrail --csv search --since @0 --argv "$a")
	split=$(export PROCTRAIL_ARGV_WINDOW=0 PROCTRAIL_SCAN_SPLIT=0; proctrail --csv search --since @0 --argv "$a")
	printf '%s\n' "$by_window" | cut -d, -f1,2,17,18 | tail -n +2
	[ "$by_window" = "$by_lines" ] && echo same || echo "DIFFERENT: $by_lines"
	[ "$by_window" = "$split" ] && echo same || echo "DIFFERENT: $split"
done
# the same file as version 7 wrote it (no forked_before_exec): the lines
# go by times; a clock stepped back defeats them (clockprobe)
cp "$DATA/inherit.db" "$tmp/v7.db"
sqlite3 "$tmp/v7.db" "ALTER TABLE process DROP COLUMN forked_before_exec; PRAGMA user_version = 7"
export PROCTRAIL_DB="$tmp/v7.db"
for a in inhprobe tieprobe snapprobe clockprobe; do
	by_window=$(proctrail --csv search --since @0 --argv "$a" | cut -d, -f1 | tail -n +2 | tr '\n' ' ')
	by_lines=$(export PROCTRAIL_ARGV_WINDOW=0; proctrail --csv search --since @0 --argv "$a" | cut -d, -f1 | tail -n +2 | tr '\n' ' ')
	echo "version 7, --argv $a: window $by_window, lines $by_lines"
done
