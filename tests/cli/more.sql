-- Activity after the fixture (fixture.sql), for the incremental export
-- and offline cases: vim (id:9, running in the fixture) ends, a new
-- long-running top (id:14) starts and runs ls -l (id:15, exit 1); their
-- execs, two events and a gap.
UPDATE process SET end = (1714524000*1000000000+0), status = 0 WHERE id = 9;
INSERT INTO cmdline(argv) VALUES (X'746f7000'), (X'6c73002d6c002f6e6f2f7375636800');
INSERT INTO exec(id, process, time, cmdline, exe, cwd, cgroup, comm, uid, euid, gid, egid, capture) VALUES (14, 14, (1714524100*1000000000+1000000), (SELECT id FROM cmdline WHERE argv = X'746f7000'), '/usr/bin/top', '/root', '/user.slice', 'top', 0, 0, 0, 0, 319);
INSERT INTO exec(id, process, time, cmdline, exe, cwd, cgroup, comm, uid, euid, gid, egid, capture) VALUES (15, 15, (1714524200*1000000000+1000000), (SELECT id FROM cmdline WHERE argv = X'6c73002d6c002f6e6f2f7375636800'), '/usr/bin/ls', '/root', '/user.slice', 'ls', 0, 0, 0, 0, 319);
INSERT INTO process(id, boot, tgid, start_ticks, start, parent, ppid, end, status, uid, euid, gid, egid, comm, image, execs, flags) VALUES (14, 1, 1100, 250000, (1714524100*1000000000+0), 2, 200, NULL, NULL, 0, 0, 0, 0, 'top', 14, 1, 0);
INSERT INTO process(id, boot, tgid, start_ticks, start, parent, ppid, end, status, uid, euid, gid, egid, comm, image, execs, flags) VALUES (15, 1, 1101, 260000, (1714524200*1000000000+0), 14, 1100, (1714524200*1000000000+500000000), 256, 0, 0, 0, 0, 'ls', 15, 1, 0);
INSERT INTO event(id, session, mono, cpu, type, pid, tgid, ppid, ptgid, status, signal, rid, eid, comm, process) VALUES (11, 1, 2500000000000, 0, 1, 1100, 1100, 200, 200, NULL, NULL, NULL, NULL, NULL, 14);
INSERT INTO event(id, session, mono, cpu, type, pid, tgid, ppid, ptgid, status, signal, rid, eid, comm, process) VALUES (12, 1, 2600500000000, 1, 2147483648, 1101, 1101, 1100, 1100, 256, 17, NULL, NULL, NULL, 15);
INSERT INTO gap(id, session, kind, start, end, cpu, count) VALUES (3, 1, 'queue_full', (1714524150*1000000000+0), (1714524150*1000000000+2000000), NULL, 3);
