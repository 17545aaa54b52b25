-- proctrail schema, version 5: who, where and which binary.
--
-- At each exec the collector now also reads the login (audit login uid
-- and session), the controlling terminal, the namespaces, and the identity
-- of the executed file.  What many execs share is stored once and pointed
-- to, as command lines are: the executable (path and identity), the
-- cgroup (path, with the systemd unit, container and pod parsed from it)
-- and the namespaces.
--
-- Rows written before this version keep their exe and cgroup text in the
-- exec row (exec.file and exec.cgroup_id are NULL); later rows hold NULL
-- there and point to file and cgroup.  The views give both as one column.

-- An executable as it was when run: its path and the identity of the
-- file (a replaced binary is a new row, so is the same file run by
-- another path).  Identity is what stat() of /proc/PID/exe said at the
-- exec; sha256 is set later when the collector hashes executables
-- (--hash-exe).
CREATE TABLE file (
	id		INTEGER PRIMARY KEY,	-- file id
	path		TEXT NOT NULL,		-- /proc/PID/exe link
	dev		INTEGER NOT NULL,	-- device (st_dev, as the kernel encodes it)
	ino		INTEGER NOT NULL,	-- inode number
	size		INTEGER NOT NULL,	-- bytes
	mtime		INTEGER NOT NULL,	-- modification time, wall ns
	ctime		INTEGER NOT NULL,	-- status change time, wall ns
	sha256		TEXT			-- lowercase hex of the contents; NULL if not hashed
);
CREATE UNIQUE INDEX file_identity ON file(path, ino, dev, size, mtime, ctime);

-- A cgroup v2 path, and what it says: the systemd unit or scope, the
-- container ("runtime:id") and the Kubernetes pod uid; NULL when the path
-- names none.
CREATE TABLE cgroup (
	id		INTEGER PRIMARY KEY,	-- cgroup row id (not the kernel's cgroup id)
	path		TEXT NOT NULL UNIQUE,	-- path under the cgroup2 root
	unit		TEXT,			-- e.g. sshd.service, session-3.scope
	container	TEXT,			-- e.g. docker:<64 hex>
	pod		TEXT			-- Kubernetes pod uid
);

-- The namespaces a process was in, by their inode numbers (as
-- /proc/PID/ns/* and lsns show them).
CREATE TABLE ns (
	id		INTEGER PRIMARY KEY,	-- ns row id
	pid_ns		INTEGER NOT NULL,	-- pid namespace
	mnt_ns		INTEGER NOT NULL,	-- mount namespace
	user_ns		INTEGER NOT NULL	-- user namespace
);
CREATE UNIQUE INDEX ns_identity ON ns(pid_ns, mnt_ns, user_ns);

ALTER TABLE exec ADD COLUMN file INTEGER REFERENCES file(id);	-- the executable; NULL if not captured (or before version 5: see exe)
ALTER TABLE exec ADD COLUMN cgroup_id INTEGER REFERENCES cgroup(id);	-- its cgroup; NULL if not captured (or before version 5: see cgroup)
ALTER TABLE exec ADD COLUMN ns INTEGER REFERENCES ns(id);	-- its namespaces; NULL if not captured
ALTER TABLE exec ADD COLUMN ns_pid INTEGER;	-- its pid in its own pid namespace; NULL if not captured
ALTER TABLE exec ADD COLUMN login_uid INTEGER;	-- audit login uid (/proc/PID/loginuid); NULL if unset or not captured
ALTER TABLE exec ADD COLUMN login_session INTEGER;	-- audit session id (/proc/PID/sessionid); NULL if unset or not captured
ALTER TABLE exec ADD COLUMN tty TEXT;	-- controlling terminal (pts/3, tty1); NULL if none or not captured

-- The cgroups of the rows already stored, parsed once (the collector
-- provides pt_unit, pt_container and pt_pod while it migrates).
INSERT INTO cgroup(path, unit, container, pod)
SELECT path, nullif(pt_unit(path), ''), nullif(pt_container(path), ''),
	nullif(pt_pod(path), '')
FROM (SELECT DISTINCT cgroup AS path FROM exec WHERE cgroup IS NOT NULL);

DROP VIEW processes;
DROP VIEW execs;

-- One row per exec with everything known of it.  exe and cgroup come
-- from their rows (or, before version 5, from the exec row itself).
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
