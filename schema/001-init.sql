-- proctrail schema, version 1.
--
-- One SQLite file holds the whole process history of one or more hosts'
-- boots.  Times are INTEGER nanoseconds: "mono" columns are the kernel's
-- CLOCK_MONOTONIC of that boot (what the proc connector stamps events with),
-- every other time is wall-clock UTC nanoseconds since the Unix epoch, derived
-- from the monotonic stamp with the offset sampled by the collector.
--
-- Source of truth: the append-only "event" table (one row per proc-connector
-- event) plus "gap" (where events are known to be missing).  "process" and
-- "exec" are derived as events arrive: one row per process instance and one
-- per exec image.  See docs/schema.md for the full description.

PRAGMA application_id = 1886679649;	-- 0x70746161, "ptaa"

-- One row per kernel boot seen.  PIDs and monotonic times are only
-- meaningful within a boot.
CREATE TABLE boot (
	id		INTEGER PRIMARY KEY,	-- local boot number
	boot_id		TEXT NOT NULL UNIQUE,	-- /proc/sys/kernel/random/boot_id
	hostname	TEXT,			-- uname nodename when first seen
	btime		INTEGER NOT NULL	-- wall ns of the boot (CLOCK_REALTIME - CLOCK_BOOTTIME)
);

-- One row per run of the collector.
CREATE TABLE session (
	id		INTEGER PRIMARY KEY,	-- session number
	boot		INTEGER NOT NULL REFERENCES boot(id),	-- boot it ran in
	pid		INTEGER NOT NULL,	-- collector's pid
	version		TEXT NOT NULL,		-- collector version
	started		INTEGER NOT NULL,	-- wall ns when it started listening
	stopped		INTEGER,		-- wall ns of a clean stop; NULL while running or after a crash
	heartbeat	INTEGER NOT NULL,	-- wall ns of its last committed batch (bounds a crash)
	mono_offset	INTEGER NOT NULL,	-- wall ns minus CLOCK_MONOTONIC ns at start
	rcvbuf		INTEGER,		-- socket receive buffer granted, bytes
	events		INTEGER NOT NULL DEFAULT 0,	-- events received (updated at each commit)
	lost		INTEGER NOT NULL DEFAULT 0	-- events known lost (sum of its gap counts)
);

-- Names of the event types (the proc connector's "what" values).
CREATE TABLE event_type (
	code		INTEGER PRIMARY KEY,	-- proc_cn_event value
	name		TEXT NOT NULL UNIQUE	-- short name
);
INSERT INTO event_type(code, name) VALUES
	(1, 'fork'), (2, 'exec'), (4, 'uid'), (64, 'gid'), (128, 'sid'),
	(256, 'ptrace'), (512, 'comm'), (1073741824, 'coredump'),
	(2147483648, 'exit');

-- Every proc-connector event, append-only, in the order received.
-- Which columns are set depends on the type:
--   fork:     pid/tgid = child, ppid/ptgid = parent (a thread's fork names
--             the process's parent, not the creating thread)
--   exec:     pid/tgid (after de_thread: pid == tgid)
--   uid, gid: pid/tgid, rid = real id, eid = effective id
--   sid:      pid/tgid
--   ptrace:   pid/tgid = tracee, ppid/ptgid = tracer (0 = detach)
--   comm:     pid/tgid, comm = new name
--   coredump: pid/tgid, ppid/ptgid = parent
--   exit:     pid/tgid, status = wait status, signal = exit signal
--             (-1 for a thread), ppid/ptgid = parent (0 if already reaped)
CREATE TABLE event (
	id		INTEGER PRIMARY KEY,	-- receive order
	session		INTEGER NOT NULL REFERENCES session(id),	-- collector run (gives the boot)
	mono		INTEGER NOT NULL,	-- kernel timestamp, CLOCK_MONOTONIC ns
	cpu		INTEGER NOT NULL,	-- CPU that emitted it
	type		INTEGER NOT NULL,	-- event_type.code
	pid		INTEGER NOT NULL,	-- thread id concerned
	tgid		INTEGER NOT NULL,	-- process id concerned
	ppid		INTEGER,		-- other thread id (parent, tracer)
	ptgid		INTEGER,		-- other process id (parent, tracer)
	status		INTEGER,		-- exit: raw wait status
	signal		INTEGER,		-- exit: exit signal, -1 for threads
	rid		INTEGER,		-- uid/gid: real id
	eid		INTEGER,		-- uid/gid: effective id
	comm		TEXT,			-- comm: new name
	process		INTEGER			-- process.id the event was attributed to
);

-- One row per process instance (never per bare PID: PIDs are reused).
-- Identity: (boot, tgid, start_ticks).  Threads are not rows here.
CREATE TABLE process (
	id		INTEGER PRIMARY KEY,	-- instance id, increasing with discovery
	boot		INTEGER NOT NULL REFERENCES boot(id),	-- boot it ran in
	tgid		INTEGER NOT NULL,	-- the PID users know
	start_ticks	INTEGER NOT NULL,	-- start in CLOCK_BOOTTIME clock ticks (USER_HZ=100), as /proc/PID/stat field 22
	start		INTEGER NOT NULL,	-- wall ns of the fork (or of start_ticks when not seen forking)
	parent		INTEGER REFERENCES process(id),	-- parent instance, NULL if unknown
	ppid		INTEGER,		-- parent's PID as the kernel reported it
	end		INTEGER,		-- wall ns when its last thread exited; NULL while running
	status		INTEGER,		-- raw wait status of the end; NULL if running or unknown
	uid		INTEGER,		-- real uid, last known
	euid		INTEGER,		-- effective uid, last known
	gid		INTEGER,		-- real gid, last known
	egid		INTEGER,		-- effective gid, last known
	comm		TEXT,			-- comm, last known
	image		INTEGER REFERENCES exec(id),	-- exec row of the program it ran last (inherited from the parent until it execs)
	execs		INTEGER NOT NULL DEFAULT 0,	-- number of execs it did
	flags		INTEGER NOT NULL DEFAULT 0	-- provenance bits, see docs/schema.md (1 snapshot, 2 start unknown, 4 end unknown, 8 gap, 16 parent unknown, 32 pid reused before exit seen, 64 adopted from an earlier session)
);
CREATE INDEX process_identity ON process(boot, tgid, start_ticks);
CREATE INDEX process_parent ON process(parent);
CREATE INDEX process_start ON process(start);

-- One row per program image a process ran: each exec, plus the image found
-- in /proc for processes already running at the collector's start.
CREATE TABLE exec (
	id		INTEGER PRIMARY KEY,	-- exec id
	process		INTEGER NOT NULL REFERENCES process(id),	-- instance that exec'd
	time		INTEGER NOT NULL,	-- wall ns of the exec event (or snapshot time)
	argv		BLOB,			-- /proc/PID/cmdline as read: arguments each ended by NUL; NULL if not captured
	exe		TEXT,			-- /proc/PID/exe link; NULL if not captured
	cwd		TEXT,			-- /proc/PID/cwd link; NULL if not captured
	cgroup		TEXT,			-- cgroup v2 path; NULL if not captured
	comm		TEXT,			-- comm after the exec, if captured
	uid		INTEGER,		-- real uid at capture
	euid		INTEGER,		-- effective uid at capture
	gid		INTEGER,		-- real gid at capture
	egid		INTEGER,		-- effective gid at capture
	capture		INTEGER NOT NULL	-- capture provenance bits, see docs/schema.md (1 argv, 2 exe, 4 cwd, 8 creds, 16 cgroup, 32 comm, 256 verified, 512 gone, 1024 mismatch, 2048 argv truncated, 4096 snapshot, 8192 not attempted, 16384 redacted)
);
CREATE INDEX exec_process ON exec(process);

-- Where history is incomplete.
CREATE TABLE gap (
	id		INTEGER PRIMARY KEY,	-- gap id
	session		INTEGER REFERENCES session(id),	-- collector run that noticed it
	kind		TEXT NOT NULL,		-- 'kernel_drop' (socket overflow, SO_MEMINFO), 'seq' (per-CPU sequence gap), 'queue_full' (collector queue bound), 'write_error' (could not store), 'downtime' (no collector running)
	start		INTEGER NOT NULL,	-- wall ns, first moment events may be missing
	end		INTEGER NOT NULL,	-- wall ns, last moment events may be missing
	cpu		INTEGER,		-- CPU concerned, for 'seq'
	count		INTEGER			-- events lost, NULL if unknown (downtime)
);
CREATE INDEX gap_time ON gap(start);

-- Readable views for ad-hoc SQL.  Times as ISO 8601 UTC text.

CREATE VIEW events AS
SELECT e.id, e.session, s.boot,
	strftime('%Y-%m-%dT%H:%M:%f', (e.mono + s.mono_offset) / 1e9, 'unixepoch') AS time,
	e.mono, e.cpu, t.name AS type, e.pid, e.tgid, e.ppid, e.ptgid,
	e.status, e.signal, e.rid, e.eid, e.comm, e.process
FROM event e JOIN session s ON s.id = e.session
LEFT JOIN event_type t ON t.code = e.type;

-- argv as text: the NUL-separated arguments joined by single spaces.
-- (replace() cannot match NUL in SQLite, so the view splits with instr.)
CREATE VIEW execs AS
SELECT x.id, x.process, p.tgid AS pid,
	strftime('%Y-%m-%dT%H:%M:%f', x.time / 1e9, 'unixepoch') AS time,
	(WITH RECURSIVE s(rest, arg) AS (
		SELECT x.argv, NULL
		UNION ALL
		SELECT CASE WHEN instr(rest, X'00') > 0
			    THEN substr(rest, instr(rest, X'00') + 1) END,
		       CASE WHEN instr(rest, X'00') > 0
			    THEN substr(rest, 1, instr(rest, X'00') - 1)
			    ELSE rest END
		FROM s WHERE length(rest) > 0)
	 SELECT group_concat(CAST(arg AS TEXT), ' ') FROM s
	 WHERE arg IS NOT NULL) AS argv,
	x.exe, x.cwd, x.cgroup, x.comm, x.uid, x.euid, x.gid, x.egid, x.capture
FROM exec x JOIN process p ON p.id = x.process;

CREATE VIEW processes AS
SELECT p.id, p.boot, p.tgid AS pid, p.ppid, p.parent,
	strftime('%Y-%m-%dT%H:%M:%f', p.start / 1e9, 'unixepoch') AS start,
	strftime('%Y-%m-%dT%H:%M:%f', p.end / 1e9, 'unixepoch') AS end,
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
	p.uid, p.euid, p.gid, p.egid, p.comm, x.exe, x.argv,
	x.cwd, x.cgroup, p.execs, p.flags
FROM process p LEFT JOIN execs x ON x.id = p.image;

CREATE VIEW gaps AS
SELECT g.id, g.session, g.kind,
	strftime('%Y-%m-%dT%H:%M:%f', g.start / 1e9, 'unixepoch') AS start,
	strftime('%Y-%m-%dT%H:%M:%f', g.end / 1e9, 'unixepoch') AS end,
	g.cpu, g.count
FROM gap g;
