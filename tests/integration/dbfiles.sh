#!/bin/bash
# Integration: the collector's database files (issue 11, findings 1 and 2).
# It refuses, with exit 3 and a clear message, and without changing the
# file's mode or owner: a device node, a text file, a second hard link, a
# database or -wal owned by another user, a directory other users can write
# (unless sticky); it keeps its files 0600, or 0640 with --group, where an
# auditor of that group can query them, and others are told about --group.
# usage: dbfiles.sh PROCTRAILD PROCTRAIL
set -u
PTD=$1
PT=$2
. "$(dirname "$0")/lib.sh"
chmod 755 "$TMP"	# nobody must reach the auditor's directory below

# refused PATH DESCRIPTION WORDS: run the collector on PATH; it must exit 3
# and say WORDS (at once: one that accepted the file is stopped after 5 s)
refused() {
	timeout 5 "$PTD" --db "$1" 2>"$TMP/err"
	check "$2: exit 3" "$?" 3
	check_true "$2: says why" grep -q "$3" "$TMP/err"
}

# 1. a device node, world-writable: not a database, and left as it was
mknod -m 666 "$TMP/null" c 1 3
refused "$TMP/null" "device node" "is a character device, not a regular file"
check "device node: mode unchanged" "$(stat -c %A "$TMP/null")" crw-rw-rw-

# a text file: SQLite refuses it; its mode is not changed first
printf 'root:x:0:0:root:/root:/bin/bash\n' >"$TMP/passwd"
chmod 644 "$TMP/passwd"
refused "$TMP/passwd" "text file" "not a database"
check "text file: mode unchanged" "$(stat -c %a "$TMP/passwd")" 644
check "text file: nothing next to it" "$(ls "$TMP" | grep -c '^passwd-')" 0

# a second hard link could read everything
ln "$TMP/passwd" "$TMP/link.db"
refused "$TMP/link.db" "hard link" "2 hard links"
check "hard link: mode unchanged" "$(stat -c %a "$TMP/link.db")" 644

# 2. a database another user made first (here: a real one, chowned)
start_collector
stop_collector
chown nobody "$DB"
chmod 644 "$DB"
refused "$DB" "foreign database" "owned by uid 65534"
check "foreign database: owner and mode unchanged" \
	"$(stat -c '%U %a' "$DB")" "nobody 644"
chown root "$DB"
# ... or its -wal, slipped in next to ours
: >"$DB-wal"
chown nobody "$DB-wal"
refused "$DB" "foreign -wal" "t.db-wal': it is owned by uid 65534"
check "foreign -wal: database mode unchanged" "$(stat -c %a "$DB")" 644
rm -f "$DB-wal"

# a directory other users can write, not sticky: refused, nothing created
mkdir -m 777 "$TMP/shared"
refused "$TMP/shared/x.db" "shared directory" "can be written by other users"
check "shared directory: nothing created" "$(ls -A "$TMP/shared")" ""
# sticky, like /tmp: accepted, the file is its own
mkdir -m 1777 "$TMP/sticky"
DB0=$DB
DB=$TMP/sticky/x.db
start_collector
check "sticky directory: accepted, 0600" "$(stat -c %a "$DB")" 600
stop_collector
DB=$DB0

# an accepted database that was 0644 is 0600 from the start on; a shared
# flock held a moment (proctrail's probe for a running collector) is
# waited out, not taken for another collector
flock -s "$DB" sleep 0.1 &
sleep 0.02
start_collector
for f in "$DB" "$DB-wal" "$DB-shm"; do
	check "$(basename "$f"): 0600" "$(stat -c %a "$f")" 600
done
stop_collector

# --group: 0640 with the group, the -wal and -shm too, kept so at restart;
# a member of the group can query it, others are told about --group
chmod 644 "$DB"
start_collector --group adm
for f in "$DB" "$DB-wal" "$DB-shm"; do
	check "--group: $(basename "$f") 0640 adm" "$(stat -c '%a %G' "$f")" "640 adm"
done
chgrp adm "$TMP"
chmod 750 "$TMP"
setpriv --reuid 65534 --regid 65534 --groups 4 "$PT" --db "$DB" search \
	--limit 1 >/dev/null 2>"$TMP/aud.err"
check "--group: an auditor of the group can query" "$?" 0
setpriv --reuid 65534 --regid 65534 --clear-groups "$PT" \
	--db "$DB" search --limit 1 >/dev/null 2>"$TMP/other.err"
check "--group: anyone else: exit 3" "$?" 3
check_true "--group: anyone else is told about --group" \
	grep -q "Permission denied (.*proctraild --group" "$TMP/other.err"
stop_collector
check "--group: collector exit 0" "$COLLECTOR_STATUS" 0

finish
