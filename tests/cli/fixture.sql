-- Fixture for the proctrail CLI tests: a small, hand-made history.
-- Loaded into a fresh database made with the real schema (pt_mkfixture).
-- Times: T0 = 2024-05-01T00:00:00Z; every time below is T0 plus seconds.
-- uids: 0 (root) and 4242 (chosen to exist on no test machine).
--
--   id:1  pid 1     systemd (snapshot)                    running
--   id:2  pid 200   sshd (snapshot)                       running
--   id:8  pid 300   cron, child of sshd                   exit 0      (pid 300, first instance)
--   id:3  pid 1000  -bash, child of sshd                  exit 0
--   id:4  pid 1001    sh -c 'echo hi; exit 3'             exit 3
--   id:5  pid 1002      sleep 5                           exit 0
--   id:6  pid 1003      (fork of sh, no exec)             signal 9
--   id:7  pid 1004    sudo id -> /usr/bin/id (uid change) exit 0
--   id:11 pid 1006    gdb ./crash                         exit 0
--   id:10 pid 1005    ./crash (traced, core dump)         signal 11 core
--   id:9  pid 300     vim notes.txt                       running     (pid 300 reused)
--   id:12 pid 1007    printf with hostile argv/comm       exit 0
--   id:13 pid 1008    daemon, end not seen                unknown

INSERT INTO boot(id, boot_id, hostname, btime) VALUES (1, 'b0a1c2d3-0000-4000-8000-000000000001', 'testhost', (1714521600*1000000000+0));
INSERT INTO session(id, boot, pid, version, started, stopped, heartbeat, mono_offset, rcvbuf, events, lost) VALUES (1, 1, 99, '0.1.0', (1714521602*1000000000+0), NULL, (1714523500*1000000000+0), (1714521600*1000000000+0), 67108864, 40, 12);
INSERT INTO exec(id, process, time, argv, exe, cwd, cgroup, comm, uid, euid, gid, egid, capture) VALUES (1, 1, (1714521602*1000000000+0), X'2f7362696e2f696e697400', '/usr/lib/systemd/systemd', '/', '/init.scope', 'systemd', 0, 0, 0, 0, 4415);
INSERT INTO exec(id, process, time, argv, exe, cwd, cgroup, comm, uid, euid, gid, egid, capture) VALUES (2, 2, (1714521602*1000000000+0), X'737368643a202f7573722f7362696e2f73736864202d44205b6c697374656e65725d2030206f662031302d31303020737461727475707300', '/usr/sbin/sshd', '/', '/system.slice/ssh.service', 'sshd', 0, 0, 0, 0, 4415);
INSERT INTO exec(id, process, time, argv, exe, cwd, cgroup, comm, uid, euid, gid, egid, capture) VALUES (3, 3, (1714521700*1000000000+2000000), X'2d6261736800', '/usr/bin/bash', '/home/alice', '/user.slice', 'bash', 4242, 4242, 4242, 4242, 319);
INSERT INTO exec(id, process, time, argv, exe, cwd, cgroup, comm, uid, euid, gid, egid, capture) VALUES (4, 4, (1714521700*1000000000+500000000), X'7368002d63006563686f2068693b2065786974203300', '/usr/bin/dash', '/home/alice', '/user.slice', 'sh', 4242, 4242, 4242, 4242, 319);
INSERT INTO exec(id, process, time, argv, exe, cwd, cgroup, comm, uid, euid, gid, egid, capture) VALUES (5, 5, (1714521701*1000000000+1000000), X'736c656570003500', '/usr/bin/sleep', '/home/alice', '/user.slice', 'sleep', 4242, 4242, 4242, 4242, 319);
INSERT INTO exec(id, process, time, argv, exe, cwd, cgroup, comm, uid, euid, gid, egid, capture) VALUES (6, 7, (1714521800*1000000000+1000000), X'7375646f00696400', '/usr/bin/sudo', '/home/alice', '/user.slice', 'sudo', 4242, 4242, 4242, 4242, 319);
INSERT INTO exec(id, process, time, argv, exe, cwd, cgroup, comm, uid, euid, gid, egid, capture) VALUES (7, 7, (1714521800*1000000000+500000000), X'2f7573722f62696e2f696400', '/usr/bin/id', '/home/alice', '/user.slice', 'id', 0, 0, 0, 0, 319);
INSERT INTO exec(id, process, time, argv, exe, cwd, cgroup, comm, uid, euid, gid, egid, capture) VALUES (8, 8, (1714521650*1000000000+1000000), X'2f7573722f7362696e2f63726f6e002d6600', '/usr/sbin/cron', '/', '/system.slice/cron.service', 'cron', 0, 0, 0, 0, 319);
INSERT INTO exec(id, process, time, argv, exe, cwd, cgroup, comm, uid, euid, gid, egid, capture) VALUES (9, 9, (1714522100*1000000000+2000000), X'76696d006e6f7465732e74787400', '/usr/bin/vim.basic', '/home/alice', '/user.slice', 'vim', 4242, 4242, 4242, 4242, 319);
INSERT INTO exec(id, process, time, argv, exe, cwd, cgroup, comm, uid, euid, gid, egid, capture) VALUES (10, 11, (1714521899*1000000000+2000000), X'676462002e2f637261736800', '/usr/bin/gdb', '/home/alice/src', '/user.slice', 'gdb', 4242, 4242, 4242, 4242, 319);
INSERT INTO exec(id, process, time, argv, exe, cwd, cgroup, comm, uid, euid, gid, egid, capture) VALUES (11, 10, (1714521900*1000000000+10000000), X'2e2f637261736800', '/home/alice/src/crash', '/home/alice/src', '/user.slice', 'crash', 4242, 4242, 4242, 4242, 319);
INSERT INTO exec(id, process, time, argv, exe, cwd, cgroup, comm, uid, euid, gid, egid, capture) VALUES (12, 12, (1714522200*1000000000+500000), X'7072696e7466001b5b33316d726564006974277300273b2044524f50205441424c452070726f636573733b202d2d00', '/usr/bin/printf', '/tmp', '/user.slice', 'printf', 4242, 4242, 4242, 4242, 2111);
INSERT INTO exec(id, process, time, argv, exe, cwd, cgroup, comm, uid, euid, gid, egid, capture) VALUES (13, 13, (1714522300*1000000000+10000000), NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 512);
INSERT INTO process(id, boot, tgid, start_ticks, start, parent, ppid, end, status, uid, euid, gid, egid, comm, image, execs, flags) VALUES (1, 1, 1, 100, (1714521601*1000000000+0), NULL, 0, NULL, NULL, 0, 0, 0, 0, 'systemd', 1, 0, 1);
INSERT INTO process(id, boot, tgid, start_ticks, start, parent, ppid, end, status, uid, euid, gid, egid, comm, image, execs, flags) VALUES (2, 1, 200, 500, (1714521605*1000000000+0), 1, 1, NULL, NULL, 0, 0, 0, 0, 'sshd', 2, 0, 1);
INSERT INTO process(id, boot, tgid, start_ticks, start, parent, ppid, end, status, uid, euid, gid, egid, comm, image, execs, flags) VALUES (3, 1, 1000, 10000, (1714521700*1000000000+0), 2, 200, (1714522600*1000000000+0), 0, 4242, 4242, 4242, 4242, 'bash', 3, 1, 0);
INSERT INTO process(id, boot, tgid, start_ticks, start, parent, ppid, end, status, uid, euid, gid, egid, comm, image, execs, flags) VALUES (4, 1, 1001, 10050, (1714521700*1000000000+400000000), 3, 1000, (1714521710*1000000000+500000000), 768, 4242, 4242, 4242, 4242, 'sh', 4, 1, 0);
INSERT INTO process(id, boot, tgid, start_ticks, start, parent, ppid, end, status, uid, euid, gid, egid, comm, image, execs, flags) VALUES (5, 1, 1002, 10100, (1714521701*1000000000+0), 4, 1001, (1714521706*1000000000+0), 0, 4242, 4242, 4242, 4242, 'sleep', 5, 1, 0);
INSERT INTO process(id, boot, tgid, start_ticks, start, parent, ppid, end, status, uid, euid, gid, egid, comm, image, execs, flags) VALUES (6, 1, 1003, 10200, (1714521702*1000000000+0), 4, 1001, (1714521703*1000000000+0), 9, 4242, 4242, 4242, 4242, 'sh', 4, 0, 0);
INSERT INTO process(id, boot, tgid, start_ticks, start, parent, ppid, end, status, uid, euid, gid, egid, comm, image, execs, flags) VALUES (7, 1, 1004, 20000, (1714521800*1000000000+0), 3, 1000, (1714521801*1000000000+0), 0, 0, 0, 0, 0, 'id', 7, 2, 0);
INSERT INTO process(id, boot, tgid, start_ticks, start, parent, ppid, end, status, uid, euid, gid, egid, comm, image, execs, flags) VALUES (8, 1, 300, 5000, (1714521650*1000000000+0), 2, 200, (1714521660*1000000000+0), 0, 0, 0, 0, 0, 'cron', 8, 1, 0);
INSERT INTO process(id, boot, tgid, start_ticks, start, parent, ppid, end, status, uid, euid, gid, egid, comm, image, execs, flags) VALUES (9, 1, 300, 50000, (1714522100*1000000000+0), 3, 1000, NULL, NULL, 4242, 4242, 4242, 4242, 'vim', 9, 1, 0);
INSERT INTO process(id, boot, tgid, start_ticks, start, parent, ppid, end, status, uid, euid, gid, egid, comm, image, execs, flags) VALUES (10, 1, 1005, 30000, (1714521900*1000000000+0), 11, 1006, (1714521900*1000000000+250000000), 139, 4242, 4242, 4242, 4242, 'crash', 11, 1, 0);
INSERT INTO process(id, boot, tgid, start_ticks, start, parent, ppid, end, status, uid, euid, gid, egid, comm, image, execs, flags) VALUES (11, 1, 1006, 29900, (1714521899*1000000000+0), 3, 1000, (1714522000*1000000000+0), 0, 4242, 4242, 4242, 4242, 'gdb', 10, 1, 0);
INSERT INTO process(id, boot, tgid, start_ticks, start, parent, ppid, end, status, uid, euid, gid, egid, comm, image, execs, flags) VALUES (12, 1, 1007, 60000, (1714522200*1000000000+0), 3, 1000, (1714522200*1000000000+1000000), 0, 4242, 4242, 4242, 4242, CAST(X'781b5d303b70776e07' AS TEXT), 12, 1, 0);
INSERT INTO process(id, boot, tgid, start_ticks, start, parent, ppid, end, status, uid, euid, gid, egid, comm, image, execs, flags) VALUES (13, 1, 1008, 70000, (1714522300*1000000000+0), 3, 1000, (1714522500*1000000000+0), NULL, 4242, 4242, 4242, 4242, 'daemon', 13, 1, 12);
INSERT INTO event(id, session, mono, cpu, type, pid, tgid, ppid, ptgid, status, signal, rid, eid, comm, process) VALUES (1, 1, 100400000000, 0, 1, 1001, 1001, 1000, 1000, NULL, NULL, NULL, NULL, NULL, 4);
INSERT INTO event(id, session, mono, cpu, type, pid, tgid, ppid, ptgid, status, signal, rid, eid, comm, process) VALUES (2, 1, 100500000000, 0, 2, 1001, 1001, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 4);
INSERT INTO event(id, session, mono, cpu, type, pid, tgid, ppid, ptgid, status, signal, rid, eid, comm, process) VALUES (3, 1, 100100000000, 1, 128, 1000, 1000, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 3);
INSERT INTO event(id, session, mono, cpu, type, pid, tgid, ppid, ptgid, status, signal, rid, eid, comm, process) VALUES (4, 1, 200300000000, 1, 4, 1004, 1004, NULL, NULL, NULL, NULL, 0, 0, NULL, 7);
INSERT INTO event(id, session, mono, cpu, type, pid, tgid, ppid, ptgid, status, signal, rid, eid, comm, process) VALUES (5, 1, 200310000000, 1, 64, 1004, 1004, NULL, NULL, NULL, NULL, 0, 0, NULL, 7);
INSERT INTO event(id, session, mono, cpu, type, pid, tgid, ppid, ptgid, status, signal, rid, eid, comm, process) VALUES (6, 1, 200500000000, 1, 512, 1004, 1004, NULL, NULL, NULL, NULL, NULL, NULL, 'id', 7);
INSERT INTO event(id, session, mono, cpu, type, pid, tgid, ppid, ptgid, status, signal, rid, eid, comm, process) VALUES (7, 1, 300100000000, 0, 256, 1005, 1005, 1006, 1006, NULL, NULL, NULL, NULL, NULL, 10);
INSERT INTO event(id, session, mono, cpu, type, pid, tgid, ppid, ptgid, status, signal, rid, eid, comm, process) VALUES (8, 1, 300200000000, 0, 1073741824, 1005, 1005, 1006, 1006, NULL, NULL, NULL, NULL, NULL, 10);
INSERT INTO event(id, session, mono, cpu, type, pid, tgid, ppid, ptgid, status, signal, rid, eid, comm, process) VALUES (9, 1, 300250000000, 0, 2147483648, 1005, 1005, 1006, 1006, 139, 17, NULL, NULL, NULL, 10);
INSERT INTO event(id, session, mono, cpu, type, pid, tgid, ppid, ptgid, status, signal, rid, eid, comm, process) VALUES (10, 1, 600000800000, 1, 512, 1007, 1007, NULL, NULL, NULL, NULL, NULL, NULL, CAST(X'781b5d303b70776e07' AS TEXT), 12);
INSERT INTO gap(id, session, kind, start, end, cpu, count) VALUES (1, 1, 'kernel_drop', (1714521705*1000000000+0), (1714521705*1000000000+500000000), NULL, 12);
INSERT INTO gap(id, session, kind, start, end, cpu, count) VALUES (2, NULL, 'downtime', (1714523600*1000000000+0), (1714524200*1000000000+0), NULL, NULL);
