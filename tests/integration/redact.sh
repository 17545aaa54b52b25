#!/bin/bash
# Integration: with --redact rules a secret in argv never reaches the
# database file nor its WAL nor the log, while the rest of argv is kept;
# the files are readable by root only.
set -u
PTD=$1
TP=$2
. "$(dirname "$0")/lib.sh"
M=pt$RUN
SECRET1=hunter2-$RUN-s3cr3t
SECRET2=tok-$RUN-XYZZY

# grep reads the secrets from a file: on its command line they would be
# recorded, legitimately, as grep's argv
printf '%s\n' "$SECRET1" >"$TMP/s1"
printf '%s\n' "$SECRET2" >"$TMP/s2"
cat "$TMP/s1" "$TMP/s2" >"$TMP/both"

start_collector --redact '--password=*' --redact-next '-p' --flush-ms 20
sh -c ": R-$M; sleep 0.1" --password="$SECRET1" -p "$SECRET2" keep-me
sleep 0.3
# while it runs: the WAL holds the recent pages
check "secret 1 not in the database or WAL while running" \
	"$(cat "$DB" "$DB-wal" 2>/dev/null | grep -c -a -F -f "$TMP/s1")" 0
check "secret 2 not in the database or WAL while running" \
	"$(cat "$DB" "$DB-wal" 2>/dev/null | grep -c -a -F -f "$TMP/s2")" 0
for f in "$DB" "$DB-wal" "$DB-shm"; do
	[ -e "$f" ] && check "mode of $(basename "$f")" "$(stat -c %a "$f")" 600
done
stop_collector
check "exit 0" "$COLLECTOR_STATUS" 0
R=$(by_marker ": R-$M")
check "argv kept, secrets masked" \
	"$(q "SELECT argv FROM execs WHERE process = $R ORDER BY id DESC LIMIT 1")" \
	"sh -c : R-$M; sleep 0.1 --password=*** -p *** keep-me"
check "flagged as redacted" \
	"$(q "SELECT (capture & 16384) <> 0 FROM exec WHERE process = $R ORDER BY id DESC LIMIT 1")" 1
check "secrets in no file" \
	"$(cat "$DB"* | grep -c -a -F -f "$TMP/both")" 0

# 2. Every form issue 11 found stored unmasked, with the example rule set
# of proctraild(8): the value in the next argument, attached to a short
# option, an upper-case option name, a name pattern, an environment
# assignment; in the database, its WAL and the log (-vv), while running
# and after the stop
for i in 3 4 5 6 7 8; do printf '%s\n' "sec$i-$RUN-Q" >"$TMP/s$i"; done
cat "$TMP"/s[345678] >"$TMP/forms"
DB=$TMP/forms.db
start_collector -v --flush-ms 20 \
	--redact '--*password*' --redact '--*passwd*' --redact '--*secret*' \
	--redact '--*token*' --redact '--*api-key*' --redact '--*apikey*' \
	--redact -p \
	--redact '*PASSWORD*=' --redact '*PASSWD*=' --redact '*SECRET*=' \
	--redact '*TOKEN*=' --redact '*API_KEY*=' --redact 'MYSQL_PWD='
sh -c ": F-$M; sleep 0.1" --password "sec3-$RUN-Q" "-psec4-$RUN-Q" \
	--PASSWORD="sec5-$RUN-Q" --db-password="sec6-$RUN-Q" keep-me
env MYSQL_PWD="sec7-$RUN-Q" sh -c ": E-$M; sleep 0.1"
# the same assignment in the argv of a process that stays a while (env
# execs at once: a slow collector, under valgrind, may find its image
# gone, and rightly keep nothing of it)
sh -c ": A-$M; sleep 0.3; true" MYSQL_PWD="sec8-$RUN-Q"
sleep 0.3
check "forms: no secret in the database, WAL or log while running" \
	"$(cat "$DB" "$DB-wal" "$TMP/log" 2>/dev/null | grep -c -a -F -f "$TMP/forms")" 0
stop_collector
check "forms: exit 0" "$COLLECTOR_STATUS" 0
F=$(by_marker ": F-$M")
check "forms: every option form masked, the rest kept" \
	"$(q "SELECT argv FROM execs WHERE process = $F ORDER BY id DESC LIMIT 1")" \
	"sh -c : F-$M; sleep 0.1 --password *** -p*** --PASSWORD=*** --db-password=*** keep-me"
check "forms: env's assignment masked (if its image was read at all)" \
	"$(q "SELECT coalesce(max(argv), 'none') FROM execs WHERE argv LIKE 'env MYSQL_PWD=%'")" \
	"$(q "SELECT CASE WHEN count(*) THEN 'env MYSQL_PWD=*** sh -c : E-$M; sleep 0.1' ELSE 'none' END FROM execs WHERE argv LIKE 'env MYSQL_PWD=%'")"
A=$(by_marker ": A-$M")
check "forms: an assignment masked" \
	"$(q "SELECT argv FROM execs WHERE process = $A ORDER BY id LIMIT 1")" \
	"sh -c : A-$M; sleep 0.3; true MYSQL_PWD=***"
check "forms: no secret in any file or the log after the stop" \
	"$(cat "$DB"* "$TMP/log" | grep -c -a -F -f "$TMP/forms")" 0

finish
