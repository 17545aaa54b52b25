# pt_argv_has and pt_argv_glob on every stored line give what instr and
# GLOB give on pt_argv's text (a substring glob *TEXT* takes a shorter
# way, as does text without a space); a NUL in the text matches nothing,
# as the text has none.  Each line prints the rows that differ: 0.
for p in '*sh*' '*echo hi*' '**' '*' '*-*' '*[s]h*' '*?*' 'sh*' '*h' '*\*' '*]*' "*'*"; do
	printf '%s: ' "$p"
	proctrail --csv sql -- "SELECT count(*) FROM cmdline WHERE pt_argv_glob(argv, ?1) IS NOT (pt_argv(argv) GLOB ?1)" "$p" | tail -n +2
done
for t in sh 'echo hi' ' ' 'o h' '-' "'"; do
	printf '%s: ' "$t"
	proctrail --csv sql -- "SELECT count(*) FROM cmdline WHERE pt_argv_has(argv, ?1) IS NOT (instr(pt_argv(argv), ?1) > 0)" "$t" | tail -n +2
done
proctrail sql "SELECT pt_argv_has(X'61006200', 'a' || char(0) || 'b') AS nul, pt_argv_has(X'61006200', 'a b') AS space, pt_argv_glob(X'61006200', '*a' || char(0) || '*') AS glob_nul, pt_argv_glob(X'61006200', '*a b*') AS glob_space"
