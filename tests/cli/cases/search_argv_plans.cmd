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
