-- proctrail schema, version 4: command lines stored once, views fast at
-- size.
--
-- A busy host runs the same few thousand command lines millions of times.
-- Each distinct argv is now one "cmdline" row, and exec rows point to it:
-- the file no longer grows by the command line at every exec, and a
-- substring search reads the distinct lines only, then follows the
-- indexes to the execs and processes that ran them.
--
-- The views give every time twice: the INTEGER nanoseconds of the tables
-- (what an index orders and what a window compares; "start", "end",
-- "time") and ISO 8601 UTC text next to it ("start_utc", ...).  They join
-- tables only, so SQLite flattens them into the query and uses the
-- indexes: a lookup by id, pid, parent or time, or the latest N, reads a
-- few pages whatever the size of the history.

CREATE TABLE cmdline (
	id		INTEGER PRIMARY KEY AUTOINCREMENT,	-- command line id (never reused)
	hash		INTEGER NOT NULL,	-- lookup key: FNV-1a 64 of argv as a signed integer (not unique: lines are compared whole)
	argv		BLOB NOT NULL,		-- /proc/PID/cmdline as read: each argument ended by NUL (a truncated one may lack it); empty if the process had none
	args		TEXT NOT NULL		-- the same arguments joined by single spaces: for display and LIKE
);
CREATE INDEX cmdline_hash ON cmdline(hash);

-- The command lines already stored, each once.  args: split at each NUL,
-- joined by spaces, built in order (no aggregate: its order is not
-- guaranteed).  pt_argv_hash() is the collector's (common/db.c): this
-- migration runs in proctraild.
INSERT INTO cmdline(hash, argv, args)
SELECT pt_argv_hash(d.argv), d.argv, coalesce((WITH RECURSIVE s(rest, acc) AS (
		SELECT d.argv, NULL
		UNION ALL
		SELECT CASE WHEN instr(rest, X'00') > 0
			    THEN substr(rest, instr(rest, X'00') + 1)
			    ELSE X'' END,
		       CASE WHEN acc IS NULL THEN '' ELSE acc || ' ' END ||
		       CAST(CASE WHEN instr(rest, X'00') > 0
				 THEN substr(rest, 1, instr(rest, X'00') - 1)
				 ELSE rest END AS TEXT)
		FROM s WHERE length(rest) > 0)
	SELECT acc FROM s WHERE length(rest) = 0), '')
FROM (SELECT DISTINCT argv FROM exec WHERE argv IS NOT NULL) d;

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
	(SELECT c.id FROM cmdline c WHERE c.hash = pt_argv_hash(x.argv)
	 AND c.argv = x.argv),
	x.exe, x.cwd, x.cgroup, x.comm, x.uid, x.euid, x.gid, x.egid, x.capture
FROM exec x ORDER BY x.id;
DROP TABLE exec;
ALTER TABLE exec4 RENAME TO exec;
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

CREATE VIEW execs AS
SELECT x.id, x.process, p.tgid AS pid, x.time,
	strftime('%Y-%m-%dT%H:%M:%f', x.time / 1e9, 'unixepoch') AS time_utc,
	c.args AS argv, x.cmdline, x.exe, x.cwd, x.cgroup, x.comm,
	x.uid, x.euid, x.gid, x.egid, x.capture
FROM exec x JOIN process p ON p.id = x.process
LEFT JOIN cmdline c ON c.id = x.cmdline;

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
	p.uid, p.euid, p.gid, p.egid, p.comm, x.exe, c.args AS argv,
	x.cwd, x.cgroup, p.execs, p.image, x.cmdline, p.flags
FROM process p LEFT JOIN exec x ON x.id = p.image
LEFT JOIN cmdline c ON c.id = x.cmdline;

-- A command line argument by argument: "json" is a JSON array of them,
-- and the "args" view one row per argument (n from 0).
CREATE VIEW cmdlines AS
SELECT c.id, c.args AS argv,
	(WITH RECURSIVE s(rest, acc) AS (
		SELECT c.argv, json_array()
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
	c.argv AS raw
FROM cmdline c;

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
