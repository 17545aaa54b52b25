-- Rows of schema version 5 (written by a collector of that version,
-- after fixture.sql): a login session of uid 4242 (session 7) on pts/1
-- with a binary replaced between two runs, and a process in a docker
-- container's pid namespace.  Executables, cgroups and namespaces are rows
-- of file, cgroup and ns; exec.exe and exec.cgroup are NULL.
INSERT INTO file(id, path, dev, ino, size, mtime, ctime, sha256) VALUES (1, '/usr/sbin/sshd', 2049, 1001, 900000, (1700000000*1000000000+0), (1700000000*1000000000+0), NULL), (2, '/usr/bin/bash', 2049, 1002, 1400000, (1700000000*1000000000+0), (1700000000*1000000000+0), 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa'), (3, '/usr/local/bin/tool', 2049, 1003, 5000, (1714522900*1000000000+0), (1714522900*1000000000+0), 'bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb'), (4, '/usr/local/bin/tool', 2049, 1003, 6000, (1714523150*1000000000+0), (1714523150*1000000000+0), 'cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc'), (5, '/usr/sbin/nginx', 2053, 77, 1200000, (1700000000*1000000000+0), (1700000000*1000000000+0), NULL);
INSERT INTO cgroup(id, path, unit, container, pod) VALUES (101, '/user.slice/user-4242.slice/session-7.scope', 'session-7.scope', NULL, NULL), (102, '/system.slice/docker-abababababababababababababababababababababababababababababababab.scope', 'docker-abababababababababababababababababababababababababababababababab.scope', 'docker:abababababababababababababababababababababababababababababababab', NULL);
INSERT INTO ns(id, pid_ns, mnt_ns, user_ns) VALUES (1, 4026531836, 4026531840, 4026531837), (2, 4026532200, 4026532201, 4026531837);
INSERT INTO cmdline(id, argv) VALUES (101, X'737368643a207534323432205b707269765d00'), (102, X'2d6261736800'), (103, X'746f6f6c002d2d72756e003100'), (104, X'746f6f6c002d2d72756e003200'), (105, X'6e67696e78002d67006461656d6f6e206f66663b00');
INSERT INTO exec(id, process, time, cmdline, exe, cwd, cgroup, comm, uid, euid, gid, egid, capture, file, cgroup_id, ns, ns_pid, login_uid, login_session, tty) VALUES
  (20, 20, (1714523000*1000000000+1000000), 101, NULL, '/', NULL, 'sshd', 0, 0, 0, 0, 197119, 1, 101, 1, 2000, 4242, 7, NULL),
  (21, 21, (1714523010*1000000000+1000000), 102, NULL, '/home/u', NULL, 'bash', 4242, 4242, 4242, 4242, 197119, 2, 101, 1, 2001, 4242, 7, 'pts/1'),
  (22, 22, (1714523100*1000000000+1000000), 103, NULL, '/home/u', NULL, 'tool', 4242, 4242, 4242, 4242, 197119, 3, 101, 1, 2002, 4242, 7, 'pts/1'),
  (23, 23, (1714523200*1000000000+1000000), 104, NULL, '/home/u', NULL, 'tool', 4242, 4242, 4242, 4242, 197119, 4, 101, 1, 2003, 4242, 7, 'pts/1'),
  (24, 24, (1714523300*1000000000+1000000), 105, NULL, '/', NULL, 'nginx', 0, 0, 0, 0, 197119, 5, 102, 2, 1, NULL, NULL, NULL);
INSERT INTO process(id, boot, tgid, start_ticks, start, parent, ppid, end, status, uid, euid, gid, egid, comm, image, execs, flags) VALUES
  (20, 1, 2000, 300000, (1714523000*1000000000+0), 2, 200, (1714523400*1000000000+0), 0, 0, 0, 0, 0, 'sshd', 20, 1, 0),
  (21, 1, 2001, 301000, (1714523010*1000000000+0), 20, 2000, (1714523390*1000000000+0), 0, 4242, 4242, 4242, 4242, 'bash', 21, 1, 0),
  (22, 1, 2002, 309000, (1714523100*1000000000+0), 21, 2001, (1714523101*1000000000+0), 0, 4242, 4242, 4242, 4242, 'tool', 22, 1, 0),
  (23, 1, 2003, 319000, (1714523200*1000000000+0), 21, 2001, (1714523201*1000000000+0), 256, 4242, 4242, 4242, 4242, 'tool', 23, 1, 0),
  (24, 1, 2100, 329000, (1714523300*1000000000+0), 1, 1, NULL, NULL, 0, 0, 0, 0, 'nginx', 24, 1, 0);
