# --argv, driven by the window (few processes in it) and by the matching
# lines ($PROCTRAIL_ARGV_WINDOW=0), those scanned in two threads
# ($PROCTRAIL_SCAN_SPLIT=0): the same rows every way, whole history and a
# window, substring and glob; a bad bound is refused
for w in "--since @0" "--since 2024-05-01T00:01:41Z --until 2024-05-01T00:10:00Z"; do
	for a in sh sudo 'echo hi' '-D' 's*p 5' '*crash*' "'" nosuch; do
		by_window=$(proctrail --csv search $w --argv "$a")
		by_lines=$(export PROCTRAIL_ARGV_WINDOW=0; proctrail --csv search $w --argv "$a")
		split=$(export PROCTRAIL_ARGV_WINDOW=0 PROCTRAIL_SCAN_SPLIT=0; proctrail --csv search $w --argv "$a")
		n=$(printf '%s\n' "$by_window" | wc -l)
		if [ "$by_window" = "$by_lines" ] && [ "$by_window" = "$split" ]; then
			echo "same ($n lines): $w --argv $a"
		else
			echo "DIFFERENT: $w --argv $a"
		fi
	done
done
PROCTRAIL_ARGV_WINDOW=many proctrail follow --argv sh; echo "follow: $?"
PROCTRAIL_ARGV_WINDOW=many proctrail search --argv sh
PROCTRAIL_SCAN_SPLIT=-1 proctrail search --argv sh
# the lines in two threads on a file of version 3 (cmdline a view there:
# one thread reads it) and in follow's history (in its first snapshot)
by_window=$(proctrail --db "$DATA/v3.db" --csv search --since @0 --argv sh)
split=$(export PROCTRAIL_ARGV_WINDOW=0 PROCTRAIL_SCAN_SPLIT=0; proctrail --db "$DATA/v3.db" --csv search --since @0 --argv sh)
[ "$by_window" = "$split" ] && echo "version 3: same" || echo "version 3: DIFFERENT: $split"
sqlite3 "$DATA/fixture.db" ".backup $tmp/f.db"
sqlite3 "$tmp/f.db" "PRAGMA journal_mode = WAL" >/dev/null
: >"$tmp/f.csv"	# there before the background job opens it
(export PROCTRAIL_ARGV_WINDOW=0 PROCTRAIL_SCAN_SPLIT=0; exec "$PT" --db "$tmp/f.db" --csv follow --since @0 --argv sh) >>"$tmp/f.csv" 2>&1 &
fpid=$!
n=0
until [ "$(wc -l <"$tmp/f.csv")" -ge 7 ] || [ $n -ge 50 ]; do n=$((n + 1)); sleep 0.1; done
kill $fpid; wait $fpid 2>/dev/null
want=$(proctrail --db "$tmp/f.db" --csv search --since @0 --argv sh | tail -n +2 | cut -d, -f1 | sort)
got=$(tail -n +2 "$tmp/f.csv" | cut -d, -f2 | sort)
[ "$want" = "$got" ] && echo "follow history: same" || echo "follow history: DIFFERENT: $(cat "$tmp/f.csv")"
