#!/bin/bash
# Integration: with --redact rules a secret in argv never reaches the
# database file nor its WAL, while the rest of argv is kept; the files are
# readable by root only.
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

finish
