# pt_lines(TEXT): the ids of the lines whose arguments joined by spaces
# contain TEXT, in order: those pt_argv_has finds, scanned by one thread
# and by two ($PROCTRAIL_SCAN_SPLIT=0), also inside a larger statement;
# NULL gives none, nor does text with a NUL; the argument is required; a file before version 4 has
# no lines; a bad split is refused
for t in sh 'echo hi' -D "'" nosuch '%'; do
	want=$(proctrail --csv sql -- 'SELECT id FROM cmdline WHERE pt_argv_has(argv, ?1) ORDER BY id' "$t")
	one=$(proctrail --csv sql -- 'SELECT id FROM pt_lines(?1)' "$t")
	two=$(PROCTRAIL_SCAN_SPLIT=0 proctrail --csv sql -- 'SELECT id FROM pt_lines(?1)' "$t")
	n=$(printf '%s\n' "$want" | tail -n +2 | wc -l)
	if [ "$want" = "$one" ] && [ "$want" = "$two" ]; then
		echo "same ($n lines): $t"
	else
		echo "DIFFERENT: $t: $one / $two"
	fi
done
PROCTRAIL_SCAN_SPLIT=0 proctrail sql "SELECT pid, argv FROM execs WHERE cmdline IN (SELECT id FROM pt_lines('echo')) ORDER BY id"
proctrail sql "SELECT count(*) AS n FROM pt_lines(NULL)"
proctrail sql "SELECT count(*) AS nul FROM pt_lines('s' || char(0) || 'h')"
proctrail sql "SELECT id FROM pt_lines"; echo "rc=$?"
proctrail --db "$DATA/v3.db" sql "SELECT id FROM pt_lines('sh')"; echo "rc=$?"
PROCTRAIL_SCAN_SPLIT=x proctrail sql "SELECT 1"; echo "rc=$?"
