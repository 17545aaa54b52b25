# Every SQL example of README.md, docs/*.md and the man pages
# (tests/docs-sql.sh finds them), run as written on the test database:
# each ```sql block with sqlite3 -readonly and with proctrail sql, which
# must give the same rows (their JSON compared value by value, parsed by
# sqlite3's json_tree()); each command line as it is.
root=$(cd "$(dirname "$case")/../../.." && pwd)
sh "$root/tests/docs-sql.sh" "$root" "$tmp/ex"
# fixture.db plus rows of schema version 5 (logins, containers, files)
DB=$DATA/who.db
bad=0
for f in "$tmp"/ex/*; do
	# where it is, without the line number (the docs move)
	head -1 "$f" | sed 's/:[0-9]*$//'
	case $f in
	*.sql)
		sqlite3 -readonly -batch -csv -header "$DB" <"$f" >"$tmp/a" 2>&1
		rc=$?
		echo "rc=$rc"
		cat "$tmp/a"
		sqlite3 -readonly -batch -json "$DB" <"$f" >"$tmp/a.json" 2>&1
		"$PT" --db "$DB" --json sql "$(cat "$f")" >"$tmp/b.json" 2>&1
		[ -s "$tmp/a.json" ] || echo '[]' >"$tmp/a.json"
		same=$(sqlite3 :memory: "WITH
		    a AS (SELECT fullkey, type, atom FROM json_tree(readfile('$tmp/a.json'))),
		    b AS (SELECT fullkey, type, atom FROM json_tree(readfile('$tmp/b.json')))
		    SELECT NOT EXISTS (SELECT * FROM a EXCEPT SELECT * FROM b)
		       AND NOT EXISTS (SELECT * FROM b EXCEPT SELECT * FROM a)" 2>&1)
		[ "$same" = 1 ] && echo "proctrail sql: the same rows" ||
		    { echo "proctrail sql differs:"; cat "$tmp/a.json" "$tmp/b.json"; rc=1; }
		;;
	*.sh)
		( . "$f" ) 2>&1
		rc=$?
		echo "rc=$rc"
		;;
	esac
	[ "$rc" = 0 ] || bad=$((bad + 1))
done
echo "examples that failed or differ: $bad"
