#!/bin/bash
# proctrail against a database the real collector wrote: run proctraild,
# spawn a known process tree, stop the collector with SIGTERM, and check
# that search, tree, ancestors, show and ps find that tree as it happened.
# Other processes run on the machine, so every check is confined to the
# subtree rooted at our marked shell.  Needs root (exit 77: skipped).
# usage: collector.sh PROCTRAILD PROCTRAIL
set -u
PTD=$1 PT=$2
[ "$(id -u)" = 0 ] || { echo "skipped: needs root"; exit 77; }

TMP=$(mktemp -d /tmp/pt-cli.XXXXXX)
DB=$TMP/t.db
COLLECTOR=
PASS=0 FAIL=0
cleanup() {
	if [ -n "$COLLECTOR" ] && kill -0 "$COLLECTOR" 2>/dev/null; then
		kill -TERM "$COLLECTOR"
		wait "$COLLECTOR"
	fi
	[ -n "${KEEP:-}" ] || rm -rf "$TMP"
}
trap cleanup EXIT
export TZ=UTC LC_ALL=C PROCTRAIL_DB=$DB
pt() { "$PT" "$@"; }

# check DESCRIPTION ACTUAL EXPECTED
check() {
	if [ "$2" = "$3" ]; then
		PASS=$((PASS + 1))
	else
		FAIL=$((FAIL + 1))
		printf 'FAIL: %s\n--- got:\n%s\n--- expected:\n%s\n' "$1" "$2" "$3"
	fi
}

"$PTD" --db "$DB" --flush-ms 50 -v 2>"$TMP/log" &
COLLECTOR=$!
for _ in $(seq 1 100); do
	grep -q 'ready:' "$TMP/log" && break
	kill -0 "$COLLECTOR" 2>/dev/null || break
	sleep 0.1
done
grep -q 'ready:' "$TMP/log" || { echo "collector not ready:"; cat "$TMP/log"; exit 1; }

# The tree: root sh (exit 7) -> kid sh (exit 3) -> sleep 0.2
#                             -> sleep 0.1
# Each shell ends with a builtin, so no shell execs its last command.
M=ptcli-$$
sh -c ": $M-root; sh -c ': $M-kid; sleep 0.2; exit 3'; sleep 0.1; exit 7"
check "root exit status seen by the shell" "$?" 7
# A subshell forks a background builtin (never exec'd), then execs sleep:
# the background one runs the outer shell's line, inherited through it
sh -c ": $M-inh; ( { :; } & exec sleep 0.1 ); wait"
sleep 0.5	# let the exits reach a committed batch
# while the collector writes: the lines in two threads, each reader proved
# to see the same commit (PRAGMA data_version), compared once it stopped
# (their own command lines, which it records, must not hold "$M-inh")
live_inh=$(PROCTRAIL_ARGV_WINDOW=0 PROCTRAIL_SCAN_SPLIT=0 pt --csv search --argv "*$M-in[h]*" | tail -n +2 | cut -d, -f1)
live_lines=$(PROCTRAIL_SCAN_SPLIT=0 pt --csv sql 'SELECT group_concat(id) FROM pt_lines(?1 || ?2)' "$M-" inh | tail -n +2)
kill -TERM "$COLLECTOR"
wait "$COLLECTOR"
check "collector stopped cleanly" "$?" 0
COLLECTOR=

# search finds exactly the root by a glob on its argv
rows=$(pt --csv search --argv "sh -c : $M-root;*" | tail -n +2)
check "search: one root" "$(printf '%s\n' "$rows" | grep -c .)" 1
root=$(printf '%s\n' "$rows" | cut -d, -f1)
rootpid=$(printf '%s\n' "$rows" | cut -d, -f2)
# CSV for programs: id pid ppid start start_ns end end_ns duration_ns
# state status exit_code signal core uid user flags comm argv
check "search: root ended with exit 7" "$(printf '%s\n' "$rows" | cut -d, -f9,11)" "exited,7"

# tree: depth, exit code and comm of every node, children in start order
tree=$(pt --csv tree "id:$root" | tail -n +2 | cut -d, -f1,12,18)
check "tree of the root" "$tree" "0,7,sh
1,3,sh
2,0,sleep
1,0,sleep"
check "tree --depth 1" "$(pt --csv tree "id:$root" --depth 1 | tail -n +2 | wc -l)" 3
check "tree --json is nested" \
    "$(pt --json tree "id:$root" | grep -o '"children": \[\]' | wc -l)" 2

# ancestors of the inner sleep: ... -> this script -> root -> kid -> sleep
kid=$(pt --csv tree "id:$root" | awk -F, '$1 == 1 && $12 == "3" { print $2 }')
leaf=$(pt --csv tree "id:$root" | awk -F, '$1 == 2 { print $2 }')
anc=$(pt --csv ancestors "id:$leaf" | tail -n +2)
check "ancestors: last three" "$(printf '%s\n' "$anc" | tail -3 | cut -d, -f1,11,17)" \
    "$root,7,sh
$kid,3,sh
$leaf,0,sleep"
check "ancestors: the root's parent is this script" \
    "$(printf '%s\n' "$anc" | tail -4 | head -1 | cut -d, -f2)" "$$"
check "ancestors: reaches a root without parent" \
    "$(printf '%s\n' "$anc" | head -1 | cut -d, -f3)" "0"

# show: the kid's record and timeline, by id and by PID
show=$(pt --csv show "id:$kid")
check "show: state and exit code" "$(printf '%s\n' "$show" | sed -n 3p | cut -d, -f12,14)" "exited,3"
check "show: fork, exec, exit in order" \
    "$(printf '%s\n' "$show" | sed -n '/^# timeline/,/^$/p' | cut -d, -f2 | sed -n '3,$p' | grep .)" \
    "fork
exec
exit"
check "show: exec argv" \
    "$(pt --json show "id:$kid" | grep -c "\"argv\": \[\"sh\", \"-c\", \": $M-kid; sleep 0.2; exit 3\"\]")" 2
kidpid=$(printf '%s\n' "$show" | sed -n 3p | cut -d, -f2)
check "show by PID finds the same instance" \
    "$(pt --csv show "$kidpid" 2>/dev/null | sed -n 3p | cut -d, -f1)" "$kid"

# ps --at a moment inside the kid's life lists root, kid and the sleep
start=$(pt --csv sql 'SELECT start FROM process WHERE id = ?1' "$kid" | tail -1)
at=$(printf '@%d.%09d' $(((start + 100000000) / 1000000000)) $(((start + 100000000) % 1000000000)))
check "ps --at: our three" \
    "$(pt --csv ps --at "$at" | awk -F, -v a="$root" -v b="$kid" -v c="$leaf" \
    '$1 == a || $1 == b || $1 == c { print $1 }' | sort -n | tr '\n' ' ')" \
    "$(printf '%s\n' "$root" "$kid" "$leaf" | sort -n | tr '\n' ' ')"
check "ps --at: root pid" \
    "$(pt --csv ps --at "$at" | awk -F, -v a="$root" '$1 == a { print $2 }')" "$rootpid"

# search --argv by the window and by the lines finds the outer shell and
# the background builtin; the subshell forked before its exec, the outer
# shell after its own
inh=$(pt --csv search --argv "$M-inh" | tail -n +2 | cut -d, -f1)
check "search --argv: the shell and its inheriting grandchild" \
    "$(printf '%s\n' "$inh" | grep -c .)" 2
check "search --argv: by the lines, the same" \
    "$(PROCTRAIL_ARGV_WINDOW=0 pt --csv search --argv "$M-inh" | tail -n +2 | cut -d, -f1)" "$inh"
# the lines scanned by two readers of the collector's file, proved to see
# the same commit (docs/query.md)
check "search --argv: by the lines in two threads, the same" \
    "$(PROCTRAIL_ARGV_WINDOW=0 PROCTRAIL_SCAN_SPLIT=0 pt --csv search --argv "$M-inh" | tail -n +2 | cut -d, -f1)" "$inh"
check "search --argv: in two threads while the collector ran, the same" \
    "$live_inh" "$inh"
check "sql pt_lines: in two threads while the collector ran, the same" \
    "$live_lines" "$(pt --csv sql 'SELECT group_concat(id) FROM cmdline WHERE pt_argv_has(argv, ?1)' "$M-inh" | tail -n +2)"
check "sql pt_lines: in two threads, the lines pt_argv_has finds" \
    "$(PROCTRAIL_SCAN_SPLIT=0 pt --csv sql 'SELECT group_concat(id) FROM pt_lines(?1)' "$M-inh" | tail -n +2)" \
    "$(pt --csv sql 'SELECT group_concat(id) FROM cmdline WHERE pt_argv_has(argv, ?1)' "$M-inh" | tail -n +2)"
outer=$(printf '%s\n' "$inh" | head -1)
check "forked_before_exec: the subshell 1, the shell 0" \
    "$(pt --csv sql 'SELECT forked_before_exec FROM process WHERE parent = ?1 OR id = ?1 ORDER BY id' "$outer" | tail -n +2 | tr '\n' ' ')" "0 1 "

# rebuild, as docs/query.md and proctrail(1) show it: the rows derived
# again from the file's sources are the same, and the new file answers
# the same
check "rebuild --check: identical" \
    "$(pt rebuild --check >/dev/null; echo $?)" 0
check "rebuild NEW.db: identical" \
    "$(pt --json rebuild "$TMP/rebuilt.db" | grep -c '"result": "identical"')" 1
check "rebuild NEW.db: the same tree" \
    "$(pt --db "$TMP/rebuilt.db" --csv tree "id:$root")" "$(pt --csv tree "id:$root")"
check "rebuild NEW.db: verify passes" \
    "$(pt --db "$TMP/rebuilt.db" verify >/dev/null; echo $?)" 0
# an exec row deleted: the rebuild has it as skipped, and says which
# rows differ; the exec rows after it renumbered to fill the hole: each
# exec event would take another process's capture, and the rebuild stops
sqlite3 "$DB" ".backup $TMP/cut.db"
cut=$(sqlite3 "$TMP/cut.db" "SELECT min(id) FROM exec WHERE capture & 4096 = 0")
sqlite3 "$TMP/cut.db" "DELETE FROM exec WHERE id = $cut"
check "rebuild: a deleted exec row differs" \
    "$(pt --db "$TMP/cut.db" --csv rebuild --check | grep -c "^exec,$cut,")" 1
sqlite3 "$TMP/cut.db" "UPDATE exec SET id = id - 1 WHERE id > $cut"
check "rebuild: exec rows out of step, exit 6" \
    "$(pt --db "$TMP/cut.db" rebuild --check 2>"$TMP/cut.err" >/dev/null; echo $?)" 6
check "rebuild: out of step, said" "$(grep -c 'out of step with the events' "$TMP/cut.err")" 1
# forked_before_exec is derived too; NULL (a file older than version 8)
# is not a difference
sqlite3 "$DB" ".backup $TMP/fbe.db"
sqlite3 "$TMP/fbe.db" "UPDATE process SET forked_before_exec = 1 - forked_before_exec WHERE id = $outer"
check "rebuild: a changed forked_before_exec differs" \
    "$(pt --db "$TMP/fbe.db" --csv rebuild --check | grep -c "^process,$outer,forked_before_exec")" 1
sqlite3 "$TMP/fbe.db" "UPDATE process SET forked_before_exec = NULL"
check "rebuild: forked_before_exec not known is no difference" \
    "$(pt --db "$TMP/fbe.db" rebuild --check >/dev/null; echo $?)" 0
check "rebuild: refuses to overwrite" \
    "$(pt rebuild "$TMP/rebuilt.db" 2>/dev/null; echo $?)" 2

echo "$PASS passed, $FAIL failed"
[ "$FAIL" -eq 0 ]
