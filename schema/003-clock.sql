-- proctrail schema, version 3: clock changes within a session.
--
-- Event rows keep the kernel's CLOCK_MONOTONIC stamp ("mono").  Its offset
-- to the wall clock (session.mono_offset at the start) moves when the host
-- is suspended (the monotonic clock stops, the wall clock does not) and
-- when the time is set.  The collector then adds a row here: from "mono"
-- on, in that session, wall = mono + this mono_offset.  A session without
-- rows keeps session.mono_offset throughout.

CREATE TABLE clock (
	session		INTEGER NOT NULL REFERENCES session(id),	-- collector run
	mono		INTEGER NOT NULL,	-- CLOCK_MONOTONIC ns from which it holds
	mono_offset	INTEGER NOT NULL,	-- wall ns minus CLOCK_MONOTONIC ns
	boot_offset	INTEGER NOT NULL,	-- CLOCK_BOOTTIME ns minus CLOCK_MONOTONIC ns
	PRIMARY KEY (session, mono)
) WITHOUT ROWID;

-- The events view converts with the offset in force at each event.
DROP VIEW events;
CREATE VIEW events AS
SELECT e.id, e.session, s.boot,
	strftime('%Y-%m-%dT%H:%M:%f', (e.mono + coalesce((SELECT c.mono_offset
	    FROM clock c WHERE c.session = e.session AND c.mono <= e.mono
	    ORDER BY c.mono DESC LIMIT 1), s.mono_offset)) / 1e9,
	    'unixepoch') AS time,
	e.mono, e.cpu, t.name AS type, e.pid, e.tgid, e.ppid, e.ptgid,
	e.status, e.signal, e.rid, e.eid, e.comm, e.process
FROM event e JOIN session s ON s.id = e.session
LEFT JOIN event_type t ON t.code = e.type;
