-- proctrail schema, version 4: command lines stored once, views fast at
-- size.
--
-- A busy host runs the same few thousand command lines millions of times.
-- A command line is now a "cmdline" row that exec rows point to, reused by
-- the collector while it is recent (docs/schema.md): the file no longer
-- grows by the command line at every exec, and a substring search reads
-- the lines, then follows the indexes to the execs and processes that
-- ran them.
--
-- The views give every time twice: the INTEGER nanoseconds of the tables
-- (what an index orders and what a window compares; "start", "end",
-- "time") and ISO 8601 UTC text next to it ("start_utc", ...).  They join
-- tables only, so SQLite flattens them into the query and uses the
-- indexes: a lookup by id, pid, parent or time, or the latest N, reads a
-- few pages whatever the size of the history.

CREATE TABLE cmdline (
	id		INTEGER PRIMARY KEY,	-- command line id
	argv		BLOB NOT NULL		-- /proc/PID/cmdline as read: each argument ended by NUL (a truncated one may lack it); empty if the process had none
);
-- No index on argv: the collector finds the lines it stored lately in
-- memory, and stores an older line again (a repeated row, never a wrong
-- one).  This one serves the migration below only.
CREATE INDEX cmdline_migrate ON cmdline(argv);

-- The command lines already stored, each once.
INSERT INTO cmdline(argv)
SELECT DISTINCT argv FROM exec WHERE argv IS NOT NULL;

-- exec rebuilt with the command line's id where argv was (one pass over
-- the table).
DROP VIEW processes;
DROP VIEW execs;
CREATE TABLE exec4 (
	id		INTEGER PRIMARY KEY,	-- exec id
	process		INTEGER NOT NULL REFERENCES process(id),	-- instance that exec'd
	time		INTEGER NOT NULL,	-- wall ns of the exec event (or snapshot time)
	cmdline		INTEGER REFERENCES cmdline(id),	-- its arguments; NULL if not captured
	exe		TEXT,			-- /proc/PID/exe link; NULL if not captured
	cwd		TEXT,			-- /proc/PID/cwd link; NULL if not captured
	cgroup		TEXT,			-- cgroup v2 path; NULL if not captured
	comm		TEXT,			-- comm after the exec, if captured
	uid		INTEGER,		-- real uid at capture
	euid		INTEGER,		-- effective uid at capture
	gid		INTEGER,		-- real gid at capture
	egid		INTEGER,		-- effective gid at capture
	capture		INTEGER NOT NULL	-- capture provenance bits, see docs/schema.md (1 argv, 2 exe, 4 cwd, 8 creds, 16 cgroup, 32 comm, 256 verified, 512 gone, 1024 mismatch, 2048 argv truncated, 4096 snapshot, 8192 not attempted, 16384 redacted, 32768 raced)
);
INSERT INTO exec4(id, process, time, cmdline, exe, cwd, cgroup, comm, uid,
    euid, gid, egid, capture)
SELECT x.id, x.process, x.time,
	(SELECT c.id FROM cmdline c WHERE c.argv = x.argv),
	x.exe, x.cwd, x.cgroup, x.comm, x.uid, x.euid, x.gid, x.egid, x.capture
FROM exec x ORDER BY x.id;
DROP TABLE exec;
ALTER TABLE exec4 RENAME TO exec;
DROP INDEX cmdline_migrate;
CREATE INDEX exec_process ON exec(process);
-- from a command line to the execs that ran it (argv search)
CREATE INDEX exec_cmdline ON exec(cmdline);

-- A lookup by pid alone (the pid users know) uses the identity index.
DROP INDEX process_identity;
CREATE INDEX process_identity ON process(tgid, boot, start_ticks);

-- Views.  Each time as INTEGER ns (indexable) and as "<name>_utc" text.

DROP VIEW events;
CREATE VIEW events AS
SELECT e.id, e.session, s.boot,
	e.mono + coalesce((SELECT c.mono_offset FROM clock c
	    WHERE c.session = e.session AND c.mono <= e.mono
	    ORDER BY c.mono DESC LIMIT 1), s.mono_offset) AS time,
	strftime('%Y-%m-%dT%H:%M:%f', (e.mono + coalesce((SELECT c.mono_offset
	    FROM clock c WHERE c.session = e.session AND c.mono <= e.mono
	    ORDER BY c.mono DESC LIMIT 1), s.mono_offset)) / 1e9,
	    'unixepoch') AS time_utc,
	e.mono, e.cpu, t.name AS type, e.pid, e.tgid, e.ppid, e.ptgid,
	e.status, e.signal, e.rid, e.eid, e.comm, e.process
FROM event e JOIN session s ON s.id = e.session
LEFT JOIN event_type t ON t.code = e.type;

-- argv as text, the arguments joined by single spaces, is computed for
-- the rows a query returns (a recursive split at each NUL: replace()
-- cannot match a NUL in SQLite); built in order, not by an aggregate,
-- whose order is not guaranteed.

CREATE VIEW execs AS
SELECT x.id, x.process, p.tgid AS pid, x.time,
	strftime('%Y-%m-%dT%H:%M:%f', x.time / 1e9, 'unixepoch') AS time_utc,
	(WITH RECURSIVE s(rest, acc) AS (
		SELECT cl.argv, NULL
		UNION ALL
		SELECT CASE WHEN instr(rest, X'00') > 0
			    THEN substr(rest, instr(rest, X'00') + 1)
			    ELSE X'' END,
		       CASE WHEN acc IS NULL THEN '' ELSE acc || ' ' END ||
		       CAST(CASE WHEN instr(rest, X'00') > 0
				 THEN substr(rest, 1, instr(rest, X'00') - 1)
				 ELSE rest END AS TEXT)
		FROM s WHERE length(rest) > 0)
	 SELECT coalesce(acc, '') FROM s WHERE length(rest) = 0) AS argv,
	x.cmdline, x.exe, x.cwd, x.cgroup, x.comm,
	x.uid, x.euid, x.gid, x.egid, x.capture
FROM exec x JOIN process p ON p.id = x.process
LEFT JOIN cmdline cl ON cl.id = x.cmdline;

CREATE VIEW processes AS
SELECT p.id, p.boot, p.tgid AS pid, p.ppid, p.parent, p.start, p.end,
	strftime('%Y-%m-%dT%H:%M:%f', p.start / 1e9, 'unixepoch') AS start_utc,
	strftime('%Y-%m-%dT%H:%M:%f', p.end / 1e9, 'unixepoch') AS end_utc,
	(p.end - p.start) / 1e9 AS duration,
	CASE WHEN p.end IS NULL THEN 'running'
	     WHEN p.status IS NULL THEN 'unknown'
	     WHEN (p.status & 127) = 0 THEN 'exited'
	     ELSE 'killed' END AS state,
	CASE WHEN p.status IS NOT NULL AND (p.status & 127) = 0
	     THEN (p.status >> 8) & 255 END AS exit_code,
	CASE WHEN p.status IS NOT NULL AND (p.status & 127) <> 0
	     THEN p.status & 127 END AS signal,
	CASE WHEN p.status IS NOT NULL THEN (p.status & 128) <> 0 END AS core,
	p.uid, p.euid, p.gid, p.egid, p.comm, x.exe,
	(WITH RECURSIVE s(rest, acc) AS (
		SELECT cl.argv, NULL
		UNION ALL
		SELECT CASE WHEN instr(rest, X'00') > 0
			    THEN substr(rest, instr(rest, X'00') + 1)
			    ELSE X'' END,
		       CASE WHEN acc IS NULL THEN '' ELSE acc || ' ' END ||
		       CAST(CASE WHEN instr(rest, X'00') > 0
				 THEN substr(rest, 1, instr(rest, X'00') - 1)
				 ELSE rest END AS TEXT)
		FROM s WHERE length(rest) > 0)
	 SELECT coalesce(acc, '') FROM s WHERE length(rest) = 0) AS argv,
	x.cwd, x.cgroup, p.execs, p.image, x.cmdline, p.flags
FROM process p LEFT JOIN exec x ON x.id = p.image
LEFT JOIN cmdline cl ON cl.id = x.cmdline;

-- A command line as text, as a JSON array of its arguments, and as it
-- was read; the "args" view gives one row per argument (n from 0).
CREATE VIEW cmdlines AS
SELECT cl.id, (WITH RECURSIVE s(rest, acc) AS (
		SELECT cl.argv, NULL
		UNION ALL
		SELECT CASE WHEN instr(rest, X'00') > 0
			    THEN substr(rest, instr(rest, X'00') + 1)
			    ELSE X'' END,
		       CASE WHEN acc IS NULL THEN '' ELSE acc || ' ' END ||
		       CAST(CASE WHEN instr(rest, X'00') > 0
				 THEN substr(rest, 1, instr(rest, X'00') - 1)
				 ELSE rest END AS TEXT)
		FROM s WHERE length(rest) > 0)
	 SELECT coalesce(acc, '') FROM s WHERE length(rest) = 0) AS argv,
	(WITH RECURSIVE s(rest, acc) AS (
		SELECT cl.argv, json_array()
		UNION ALL
		SELECT CASE WHEN instr(rest, X'00') > 0
			    THEN substr(rest, instr(rest, X'00') + 1)
			    ELSE X'' END,
		       json_insert(acc, '$[#]',
		       CAST(CASE WHEN instr(rest, X'00') > 0
				 THEN substr(rest, 1, instr(rest, X'00') - 1)
				 ELSE rest END AS TEXT))
		FROM s WHERE length(rest) > 0)
	 SELECT acc FROM s WHERE length(rest) = 0) AS json,
	cl.argv AS raw
FROM cmdline cl;

CREATE VIEW args AS
SELECT c.id AS cmdline, j.key AS n, j.value AS arg
FROM cmdlines c, json_each(c.json) j;

DROP VIEW gaps;
CREATE VIEW gaps AS
SELECT g.id, g.session, g.kind, g.start, g.end,
	strftime('%Y-%m-%dT%H:%M:%f', g.start / 1e9, 'unixepoch') AS start_utc,
	strftime('%Y-%m-%dT%H:%M:%f', g.end / 1e9, 'unixepoch') AS end_utc,
	g.cpu, g.count
FROM gap g;
