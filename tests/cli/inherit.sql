-- Images inherited through a process that exec'd since (after
-- fixture.sql), for --argv's two plans: bash (id:3) runs "inhprobe --run"
-- as id:40.  Its child id:41 runs it too until it execs "other"; what
-- id:41 forked before that exec (id:42, and id:42's child id:45) runs
-- "inhprobe --run" still, what it forked after (id:43) runs "other".
-- id:44 is a child of id:40 that kept the image; id:46 was forked by
-- id:40 before its exec and runs bash's image.
INSERT INTO cmdline(id, argv) VALUES (140, X'696e6870726f6265002d2d72756e00'), (141, X'6f7468657200');
INSERT INTO exec(id, process, time, cmdline, exe, cwd, cgroup, comm, uid, euid, gid, egid, capture) VALUES
  (40, 40, (1714523500*1000000000+1000000), 140, '/usr/local/bin/inhprobe', '/root', '/user.slice', 'inhprobe', 0, 0, 0, 0, 319),
  (41, 41, (1714523503*1000000000+0), 141, '/usr/bin/other', '/root', '/user.slice', 'other', 0, 0, 0, 0, 319);
INSERT INTO process(id, boot, tgid, start_ticks, start, parent, ppid, end, status, uid, euid, gid, egid, comm, image, execs, flags) VALUES
  (40, 1, 4000, 400000, (1714523500*1000000000+0), 3, 1000, (1714523600*1000000000+0), 0, 0, 0, 0, 0, 'inhprobe', 40, 1, 0),
  (46, 1, 4006, 400000, (1714523500*1000000000+500000), 40, 4000, (1714523501*1000000000+0), 0, 0, 0, 0, 0, 'bash', 3, 0, 0),
  (41, 1, 4001, 400200, (1714523502*1000000000+0), 40, 4000, (1714523550*1000000000+0), 0, 0, 0, 0, 0, 'other', 41, 1, 0),
  (42, 1, 4002, 400250, (1714523502*1000000000+500000000), 41, 4001, (1714523540*1000000000+0), 0, 0, 0, 0, 0, 'inhprobe', 40, 0, 0),
  (43, 1, 4003, 400400, (1714523504*1000000000+0), 41, 4001, (1714523505*1000000000+0), 0, 0, 0, 0, 0, 'other', 41, 0, 0),
  (44, 1, 4004, 400500, (1714523505*1000000000+0), 40, 4000, (1714523506*1000000000+0), 0, 0, 0, 0, 0, 'inhprobe', 40, 0, 0),
  (45, 1, 4005, 400600, (1714523506*1000000000+0), 42, 4002, (1714523507*1000000000+0), 0, 0, 0, 0, 0, 'inhprobe', 40, 0, 0);
