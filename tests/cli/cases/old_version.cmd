# A file of schema version 3 (argv in exec, as collectors before version 4
# of the schema left it) reads as its migrated copy: every command gives
# the same output on both.
for c in "search --since @0" "search --since @0 --argv hi" \
    "search --since @0 --argv '*crash*'" "search --since @0 --exe sudo" \
    "show id:7" "show id:6" "ancestors id:5" "tree id:3" \
    "report --since @0" "--json export --since @0 --kind all" \
    "ps --at 2024-05-01T00:05:00Z" "--csv search --since @0 --failed"; do
	eval "\"\$PT\" --db \"\$DATA/v3.db\" $c" >"$tmp/old" 2>&1
	eval "\"\$PT\" --db \"\$DATA/fixture.db\" $c" >"$tmp/new" 2>&1
	if cmp -s "$tmp/old" "$tmp/new"; then
		echo "same ($(wc -l <"$tmp/new") lines): $c"
	else
		echo "DIFFERENT: $c"
		diff "$tmp/old" "$tmp/new" | head -20
	fi
done
# verify: a file the collector will migrate, its links whole
proctrail --db "$DATA/v3.db" verify | grep -E "^(schema|link exec)"
# sql shows the file as it is: argv is still a column of exec there
proctrail --db "$DATA/v3.db" sql "SELECT id, hex(argv) FROM exec WHERE id = 5"
