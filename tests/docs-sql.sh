#!/bin/sh
# The SQL examples of the documentation, one file each in OUTDIR:
#   NNN.sql	a ```sql block of README.md or docs/*.md (run it with
#		sqlite3 -readonly and with proctrail sql)
#   NNN.sh	a command line that runs SQL: a "sqlite3 -readonly ... 'SQL'"
#		line of those files, or a "proctrail sql" example of the man
#		pages (its lines joined, roff escapes undone), with "sudo "
#		dropped and the database path replaced by $DB
# The first line of each is a comment naming FILE:LINE.  Used by the CLI
# case docs_sql (on the test database) and bench/query-bench.sh (at size).
# usage: docs-sql.sh ROOT OUTDIR
set -eu
root=$1 out=$2
mkdir -p "$out"
n=0
for f in "$root"/README.md "$root"/docs/*.md; do
	rel=${f#"$root"/}
	awk -v out="$out" -v rel="$rel" -v n="$n" '
	/^```sql$/ { n++; file = sprintf("%s/%03d.sql", out, n)
		printf "-- %s:%d\n", rel, NR > file; on = 1; next }
	/^```/ { if (on) close(file); on = 0; next }
	on { print > file }
	/sqlite3 -readonly / && !on {
		n++; file = sprintf("%s/%03d.sh", out, n)
		line = $0; sub(/^[ \t]*/, "", line); sub(/^sudo /, "", line)
		gsub(/[^ ]*\.db/, "\"$DB\"", line)
		printf "# %s:%d\n%s\n", rel, NR, line > file; close(file) }
	END { print n > (out "/.count") }' "$f"
	n=$(cat "$out/.count")
done
for f in "$root"/docs/*.[18]; do
	rel=${f#"$root"/}
	awk -v out="$out" -v rel="$rel" -v n="$n" '
	/^\.nf/ { nf = 1; next }
	/^\.fi/ { if (cmd != "") { n++; file = sprintf("%s/%03d.sh", out, n)
			printf "# %s:%d\n%s\n", rel, at, cmd > file; close(file) }
		nf = 0; cmd = ""; next }
	nf && /^proctrail sql / { cmd = $0; at = NR; next }
	nf && cmd != "" { cmd = cmd "\n" $0 }
	END { print n > (out "/.count") }' "$f"
	n=$(cat "$out/.count")
done
# roff escapes of the man pages: \- is -, \e is a backslash
for s in "$out"/*.sh; do
	[ -e "$s" ] || continue
	sed -i 's/\\-/-/g; s/\\e/\\/g' "$s"
done
rm -f "$out/.count"
