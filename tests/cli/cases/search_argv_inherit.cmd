# --argv finds the processes that run a matching line they inherited, also
# through a parent that exec'd something else since (inherit.sql): by the
# window and by the lines ($PROCTRAIL_ARGV_WINDOW=0), the same rows
export PROCTRAIL_DB="$DATA/inherit.db"
for a in inhprobe other 'inh*--run'; do
	echo "--argv $a"
	by_window=$(proctrail --csv search --since @0 --argv "$a")
	by_lines=$(export PROCTRAIL_ARGV_WINDOW=0; proctrail --csv search --since @0 --argv "$a")
	printf '%s\n' "$by_window" | cut -d, -f1,2,17,18 | tail -n +2
	[ "$by_window" = "$by_lines" ] && echo same || echo "DIFFERENT: $by_lines"
done
