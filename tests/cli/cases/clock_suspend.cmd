# A suspend: at mono 200 s the wall clock moved an hour against the
# monotonic one.  Events stamped from then on are converted with the new
# offset, in the events view, in show's timeline and in export; those before
# it keep the session's.
cp "$DATA/fixture.db" "$tmp/c.db"
sqlite3 "$tmp/c.db" "INSERT INTO clock(session, mono, mono_offset, boot_offset)
  VALUES (1, 200000000000, 1714521600000000000 + 3600000000000, 3600000000000)"
proctrail --db "$tmp/c.db" sql "SELECT id, time_utc FROM events WHERE id IN (3, 4, 5) ORDER BY id"
proctrail --db "$tmp/c.db" show id:7 | grep -E '  (uid|gid) '
proctrail --db "$tmp/c.db" export --since @0 --kind events | grep -E '"id":(3|4),' | grep -o '"time[a-z_]*":[^,]*'
# The same file as schema version 2 (no clock table), as an older
# collector left it (from the fixture at version 3): read as before,
# with the session's offset.
cp "$DATA/v3.db" "$tmp/c.db"
sqlite3 "$tmp/c.db" "DROP TABLE clock; DROP VIEW events;
  CREATE VIEW events AS SELECT e.id, e.session, s.boot,
  strftime('%Y-%m-%dT%H:%M:%f', (e.mono + s.mono_offset) / 1e9, 'unixepoch') AS time,
  e.mono, e.cpu, t.name AS type, e.pid, e.tgid, e.ppid, e.ptgid,
  e.status, e.signal, e.rid, e.eid, e.comm, e.process
  FROM event e JOIN session s ON s.id = e.session
  LEFT JOIN event_type t ON t.code = e.type; PRAGMA user_version = 2"
proctrail --db "$tmp/c.db" sql "SELECT id, time FROM events WHERE id IN (3, 4) ORDER BY id"
proctrail --db "$tmp/c.db" show id:7 | grep -E 'uid'
proctrail --db "$tmp/c.db" export --since @0 --kind events | grep -E '"id":4,' | grep -o '"time[a-z_]*":[^,]*'
