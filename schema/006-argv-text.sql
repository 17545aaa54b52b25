-- proctrail schema, version 6: argv as text without recursion.
--
-- The views gave argv as text (and cmdlines as a JSON array) through a
-- recursive CTE that split the stored bytes at each NUL: some 10 us per
-- row, most of a query that returns many rows.  They now let json_quote()
-- escape the NULs (as \u0000) and turn those into spaces (or into the
-- separators of a JSON array), then decode the string again: the same
-- text, byte for byte (a test compares both forms on hostile input), in
-- one pass.  Before that, the escaped backslashes are set aside (as
-- char(1), which json_quote() never leaves unescaped), so that an argument
-- holding the six characters \u0000 stays as it was.  One trailing NUL,
-- the end of the last argument, is not a separator.  Views only: no table
-- changes.

DROP VIEW args;
DROP VIEW cmdlines;
DROP VIEW processes;
DROP VIEW execs;

-- One row per exec with everything known of it.  exe and cgroup come
-- from their rows (or, before version 5, from the exec row itself).
CREATE VIEW execs AS
SELECT x.id, x.process, p.tgid AS pid, x.time,
	strftime('%Y-%m-%dT%H:%M:%f', x.time / 1e9, 'unixepoch') AS time_utc,
	json_extract(replace(replace(replace(json_quote(CAST(
		CASE WHEN substr(cl.argv, -1) = X'00'
		     THEN substr(cl.argv, 1, length(cl.argv) - 1)
		     ELSE cl.argv END AS TEXT)),
		'\\', char(1)), '\u0000', ' '), char(1), '\\'), '$') AS argv,
	x.cmdline, coalesce(f.path, x.exe) AS exe, x.cwd,
	coalesce(cg.path, x.cgroup) AS cgroup, x.comm,
	x.uid, x.euid, x.gid, x.egid, x.capture,
	x.login_uid, x.login_session, x.tty,
	cg.unit, cg.container, cg.pod,
	x.ns_pid, n.pid_ns, n.mnt_ns, n.user_ns,
	x.file, f.dev AS exe_dev, f.ino AS exe_ino, f.size AS exe_size,
	f.mtime AS exe_mtime, f.ctime AS exe_ctime, f.sha256 AS exe_sha256
FROM exec x JOIN process p ON p.id = x.process
LEFT JOIN cmdline cl ON cl.id = x.cmdline
LEFT JOIN file f ON f.id = x.file
LEFT JOIN cgroup cg ON cg.id = coalesce(x.cgroup_id,
	(SELECT c.id FROM cgroup c WHERE c.path = x.cgroup))
LEFT JOIN ns n ON n.id = x.ns;

-- One row per process instance, with its last image.
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
	p.uid, p.euid, p.gid, p.egid, p.comm, coalesce(f.path, x.exe) AS exe,
	json_extract(replace(replace(replace(json_quote(CAST(
		CASE WHEN substr(cl.argv, -1) = X'00'
		     THEN substr(cl.argv, 1, length(cl.argv) - 1)
		     ELSE cl.argv END AS TEXT)),
		'\\', char(1)), '\u0000', ' '), char(1), '\\'), '$') AS argv,
	x.cwd, coalesce(cg.path, x.cgroup) AS cgroup, p.execs, p.image,
	x.cmdline, p.flags,
	x.login_uid, x.login_session, x.tty,
	cg.unit, cg.container, cg.pod,
	x.ns_pid, n.pid_ns, n.mnt_ns, n.user_ns,
	x.file, f.sha256 AS exe_sha256
FROM process p LEFT JOIN exec x ON x.id = p.image
LEFT JOIN cmdline cl ON cl.id = x.cmdline
LEFT JOIN file f ON f.id = x.file
LEFT JOIN cgroup cg ON cg.id = coalesce(x.cgroup_id,
	(SELECT c.id FROM cgroup c WHERE c.path = x.cgroup))
LEFT JOIN ns n ON n.id = x.ns;

-- A command line as text, as a JSON array of its arguments, and as it
-- was read; the "args" view gives one row per argument (n from 0).
CREATE VIEW cmdlines AS
SELECT cl.id, json_extract(replace(replace(replace(json_quote(CAST(
		CASE WHEN substr(cl.argv, -1) = X'00'
		     THEN substr(cl.argv, 1, length(cl.argv) - 1)
		     ELSE cl.argv END AS TEXT)),
		'\\', char(1)), '\u0000', ' '), char(1), '\\'), '$') AS argv,
	CASE WHEN length(cl.argv) = 0 THEN '[]' ELSE
	'[' || replace(replace(replace(json_quote(CAST(
		CASE WHEN substr(cl.argv, -1) = X'00'
		     THEN substr(cl.argv, 1, length(cl.argv) - 1)
		     ELSE cl.argv END AS TEXT)),
		'\\', char(1)), '\u0000', '","'), char(1), '\\') || ']' END AS json,
	cl.argv AS raw
FROM cmdline cl;

CREATE VIEW args AS
SELECT c.id AS cmdline, j.key AS n, j.value AS arg
FROM cmdlines c, json_each(c.json) j;
