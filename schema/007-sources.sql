-- proctrail schema, version 7: the sources of the derived rows, complete.
--
-- The process rows, and which process each event and exec row belongs to,
-- are derived from what the collector received: events, exec captures,
-- the start-up snapshot, losses and clock changes.  From version 7 the
-- file keeps all of it, in the order the collector's writer took it, so
-- that `proctrail rebuild` can derive them again through the same code
-- (docs/schema.md, "Sources and the rebuild").
--
-- The order is the stream position: every record the writer takes is
-- numbered, increasing (a session's numbers follow those in the file).  An event's id is its position (ids
-- skip the positions of other records); a gap, a clock change, a snapshot
-- entry and the snapshot's end carry theirs.  Rows of a session recorded
-- before version 7 have no positions: they cannot be re-derived.

-- CLOCK_BOOTTIME ns minus CLOCK_MONOTONIC ns at the start (the clock of
-- start_ticks); NULL: the session was recorded before version 7.
ALTER TABLE session ADD COLUMN boot_offset INTEGER;
-- Stream position of the start-up snapshot's end; NULL if it never ended.
ALTER TABLE session ADD COLUMN snapshot INTEGER;

-- What the collector decided a capture on, before the checks against the
-- stream dropped any of it (its data then goes, these stay):
ALTER TABLE exec ADD COLUMN captured INTEGER;	-- capture bits as read, before the checks (docs/schema.md); NULL before version 7
ALTER TABLE exec ADD COLUMN start_ticks INTEGER;	-- start time the capture read (/proc/PID/stat field 22)
ALTER TABLE exec ADD COLUMN t_open INTEGER;	-- ns from the exec event (or snapshot read) to the capture's first read
ALTER TABLE exec ADD COLUMN t_done INTEGER;	-- ns from its first read to its last
ALTER TABLE exec ADD COLUMN layout INTEGER;	-- hash of the image's memory layout it read; NULL: unknown

-- Gaps and clock changes in the stream (NULL for those not in it:
-- 'downtime', 'write_error', and rows before version 7).
ALTER TABLE gap ADD COLUMN pos INTEGER;
ALTER TABLE clock ADD COLUMN pos INTEGER;

-- One row per process the start-up snapshot found running (or dead and
-- not yet reaped): what the collector was told.  Its exec row, when the
-- snapshot made one (a process adopted from an earlier session has none),
-- holds the capture.
CREATE TABLE snap (
	id		INTEGER PRIMARY KEY,
	session		INTEGER NOT NULL REFERENCES session(id),
	pos		INTEGER NOT NULL,	-- stream position
	tgid		INTEGER NOT NULL,	-- its PID
	mono		INTEGER NOT NULL,	-- CLOCK_MONOTONIC ns when it was read
	start_ticks	INTEGER NOT NULL,	-- /proc/PID/stat field 22
	ppid		INTEGER,		-- PPid read
	state		TEXT,			-- stat field 3 ('Z': dead, not reaped)
	exit_code	INTEGER,		-- stat field 52 (the wait status once dead)
	tids		BLOB,			-- its other threads' ids, 4 bytes each, little-endian
	exec		INTEGER REFERENCES exec(id)	-- the exec row made of it; NULL if none
);
CREATE INDEX snap_session ON snap(session, pos);
