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
proctrail sql "SELECT pt_argv_has(X'61006200', 'a' || char(0) || 'b') AS nul, pt_argv_has(X'61006200', 'a b') AS space, pt_argv_glob(X'620061', '*a' || char(0) || '*') AS glob_nul, pt_argv_glob(X'61006200', '*a b*') AS glob_space"
# bytes that are not ASCII: GLOB's way, which decodes UTF-8 (an invalid
# byte may match another), not the bytes' (no substring shortcut)
proctrail sql "SELECT pt_argv_glob(X'41c3a9a942', '*é*') IS (CAST(X'41c3a9a942' AS TEXT) GLOB '*é*') AS utf8, pt_argv_glob(X'636166e9', CAST(X'2ae82a' AS TEXT)) IS (CAST(X'636166e9' AS TEXT) GLOB CAST(X'2ae82a' AS TEXT)) AS latin1, pt_argv_glob(X'41c3a9', CAST(X'2aa92a' AS TEXT)) IS (CAST(X'41c3a9' AS TEXT) GLOB CAST(X'2aa92a' AS TEXT)) AS lone"
