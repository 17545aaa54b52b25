# One set of field names and types for programs: each command's JSON
# process fields (and gap fields) are export's, with equal values; only
# the listed extras are not in export.  CSV has the same header as JSON.
proctrail export --since @0 --kind processes >"$tmp/export"
proctrail export --since @0 --kind gaps >"$tmp/gaps"
# compare FILE.json (one object) with export's record of id ID in EXPORT
cmp_obj() {
	sqlite3 :memory: "
	  WITH s AS (SELECT key, type, coalesce(atom, json(value)) AS v
	             FROM json_each(readfile('$1'))),
	  e AS (SELECT key, type, coalesce(atom, json(value)) AS v
	        FROM json_each(readfile('$2')))
	  SELECT '  ' || s.key || ': ' || CASE WHEN e.key IS NULL
	         THEN 'not in export' ELSE 'differs: ' || quote(s.v) || ' / ' ||
	         quote(e.v) END
	  FROM s LEFT JOIN e ON e.key = s.key
	  WHERE s.key NOT IN ('children', 'image_process_id', 'event')
	    AND (e.key IS NULL OR s.type <> e.type OR s.v IS NOT e.v)"
}
record() { # ID FILE: export's record of process id ID
	grep "\"id\":$1," "$2" | head -1
}
check_cmd() { # DESCRIPTION ID JSON-OF-ONE-OBJECT
	printf '%s\n' "$3" >"$tmp/one"
	record "$2" "${4:-$tmp/export}" >"$tmp/rec"
	echo "$1: $(sqlite3 :memory: "SELECT count(*) FROM json_each(readfile('$tmp/one'))") fields"
	cmp_obj "$tmp/one" "$tmp/rec"
}
first() { sqlite3 :memory: "SELECT value FROM json_each(readfile('$1')) LIMIT 1"; }
proctrail --json search --since @0 --pid 1001 >"$tmp/j"
check_cmd "search" 4 "$(first "$tmp/j")"
proctrail --json search --since @0 --pid 1005 >"$tmp/j"
check_cmd "search (killed, core)" 10 "$(first "$tmp/j")"
proctrail --json ancestors id:5 >"$tmp/j"
check_cmd "ancestors" 1 "$(first "$tmp/j")"
proctrail --json tree id:6 >"$tmp/j"
check_cmd "tree" 6 "$(first "$tmp/j")"
proctrail --json ps --at 2024-05-01T00:09:00Z >"$tmp/j"
check_cmd "ps" 1 "$(first "$tmp/j")"
proctrail --json report --since @0 >"$tmp/j"
check_cmd "report longest" 1 "$(sqlite3 :memory: "SELECT value FROM json_each(readfile('$tmp/j'), '\$.longest') LIMIT 1")"
proctrail --json show id:7 >"$tmp/j"
check_cmd "show" 7 "$(sqlite3 :memory: "SELECT json_extract(readfile('$tmp/j'), '\$.process')")"
proctrail --json show id:4 >"$tmp/j"
check_cmd "show gaps" 1 "$(sqlite3 :memory: "SELECT value FROM json_each(readfile('$tmp/j'), '\$.gaps') LIMIT 1")" "$tmp/gaps"
proctrail --json gaps >"$tmp/j"
check_cmd "gaps" 1 "$(first "$tmp/j")" "$tmp/gaps"
# CSV: the same names as JSON
proctrail --csv search --since @0 --pid 1001 | head -1
proctrail --json search --since @0 --pid 1001 >"$tmp/j"
sqlite3 :memory: "SELECT group_concat(key, ',') FROM json_each((SELECT value FROM json_each(readfile('$tmp/j')) LIMIT 1))"
