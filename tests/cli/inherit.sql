-- Images inherited through a process that exec'd since (after
-- fixture.sql), for --argv's two plans, each family under bash (id:3):
-- inhprobe: id:40 runs "inhprobe --run"; its child id:41 runs it too until
--   it execs "other"; what id:41 forked before that exec (id:42, and
--   id:42's child id:45) runs "inhprobe --run" still, what it forked
--   after (id:43) runs "other".  id:44 is a child of id:40 that kept the
--   image; id:46 was forked by id:40 before its exec and runs bash's.
-- tieprobe: the same through id:51 and id:52 (forked at the very time
--   id:51 exec'd: a coarse clock), forked_before_exec unknown (NULL):
--   id:53, forked by id:52 before its exec, runs "tieprobe".
-- snapprobe: id:55 found by the start-up snapshot (its exec row is the
--   read, later than what it forked: id:56, then id:57), unknown.
-- clockprobe: id:61 and id:62 stamped before id:60's exec (the clock
--   stepped back): known by forked_before_exec, not by time.
INSERT INTO cmdline(id, argv) VALUES (140, X'696e6870726f6265002d2d72756e00'), (141, X'6f7468657200'), (150, X'74696570726f626500'), (151, X'6f746865723200'), (152, X'6f74686572326200'), (155, X'736e617070726f626500'), (156, X'6f746865723300'), (160, X'636c6f636b70726f626500'), (161, X'6f746865723400');
INSERT INTO exec(id, process, time, cmdline, exe, cwd, cgroup, comm, uid, euid, gid, egid, capture) VALUES
  (40, 40, (1714523500*1000000000+1000000), 140, '/usr/local/bin/inhprobe', '/root', '/user.slice', 'inhprobe', 0, 0, 0, 0, 319),
  (41, 41, (1714523503*1000000000+0), 141, '/usr/local/bin/other', '/root', '/user.slice', 'other', 0, 0, 0, 0, 319),
  (50, 50, (1714523510*1000000000+0), 150, '/usr/local/bin/tieprobe', '/root', '/user.slice', 'tieprobe', 0, 0, 0, 0, 319),
  (51, 51, (1714523512*1000000000+0), 151, '/usr/local/bin/other2', '/root', '/user.slice', 'other2', 0, 0, 0, 0, 319),
  (52, 52, (1714523513*1000000000+0), 152, '/usr/local/bin/other2b', '/root', '/user.slice', 'other2b', 0, 0, 0, 0, 319),
  (55, 55, (1714523530*1000000000+0), 155, '/usr/local/bin/snapprobe', '/root', '/user.slice', 'snapprobe', 0, 0, 0, 0, 4415),
  (56, 56, (1714523531*1000000000+0), 156, '/usr/local/bin/other3', '/root', '/user.slice', 'other3', 0, 0, 0, 0, 319),
  (60, 60, (1714523550*1000000000+0), 160, '/usr/local/bin/clockprobe', '/root', '/user.slice', 'clockprobe', 0, 0, 0, 0, 319),
  (61, 61, (1714523541*1000000000+0), 161, '/usr/local/bin/other4', '/root', '/user.slice', 'other4', 0, 0, 0, 0, 319);
INSERT INTO process(id, boot, tgid, start_ticks, start, parent, ppid, end, status, uid, euid, gid, egid, comm, image, execs, flags, forked_before_exec) VALUES
  (40, 1, 4000, 400000, (1714523500*1000000000+0), 3, 1000, (1714523600*1000000000+0), 0, 0, 0, 0, 0, 'inhprobe', 40, 1, 0, 1),
  (46, 1, 4006, 400000, (1714523500*1000000000+500000), 40, 4000, (1714523501*1000000000+0), 0, 0, 0, 0, 0, 'bash', 3, 0, 0, 0),
  (41, 1, 4001, 400000, (1714523502*1000000000+0), 40, 4000, (1714523550*1000000000+0), 0, 0, 0, 0, 0, 'other', 41, 1, 0, 1),
  (42, 1, 4002, 400000, (1714523502*1000000000+500000000), 41, 4001, (1714523540*1000000000+0), 0, 0, 0, 0, 0, 'inhprobe', 40, 0, 0, 1),
  (43, 1, 4003, 400000, (1714523504*1000000000+0), 41, 4001, (1714523505*1000000000+0), 0, 0, 0, 0, 0, 'other', 41, 0, 0, 0),
  (44, 1, 4004, 400000, (1714523505*1000000000+0), 40, 4000, (1714523506*1000000000+0), 0, 0, 0, 0, 0, 'inhprobe', 40, 0, 0, 0),
  (45, 1, 4005, 400000, (1714523506*1000000000+0), 42, 4002, (1714523507*1000000000+0), 0, 0, 0, 0, 0, 'inhprobe', 40, 0, 0, 0),
  (50, 1, 4010, 400000, (1714523509*1000000000+0), 3, 1000, (1714523520*1000000000+0), 0, 0, 0, 0, 0, 'tieprobe', 50, 1, 0, NULL),
  (51, 1, 4011, 400000, (1714523511*1000000000+0), 50, 4010, (1714523519*1000000000+0), 0, 0, 0, 0, 0, 'other2', 51, 1, 0, NULL),
  (52, 1, 4012, 400000, (1714523512*1000000000+0), 51, 4011, (1714523518*1000000000+0), 0, 0, 0, 0, 0, 'other2b', 52, 1, 0, NULL),
  (53, 1, 4013, 400000, (1714523512*1000000000+500000000), 52, 4012, (1714523517*1000000000+0), 0, 0, 0, 0, 0, 'tieprobe', 50, 0, 0, NULL),
  (55, 1, 4015, 400000, (1714523501*1000000000+0), 3, 1000, (1714523540*1000000000+0), 0, 0, 0, 0, 0, 'snapprobe', 55, 0, 1, NULL),
  (56, 1, 4016, 400000, (1714523525*1000000000+0), 55, 4015, (1714523539*1000000000+0), 0, 0, 0, 0, 0, 'other3', 56, 1, 0, NULL),
  (57, 1, 4017, 400000, (1714523526*1000000000+0), 56, 4016, (1714523538*1000000000+0), 0, 0, 0, 0, 0, 'snapprobe', 55, 0, 0, NULL),
  (60, 1, 4020, 400000, (1714523549*1000000000+0), 3, 1000, (1714523570*1000000000+0), 0, 0, 0, 0, 0, 'clockprobe', 60, 1, 0, 0),
  (61, 1, 4021, 400000, (1714523540*1000000000+0), 60, 4020, (1714523569*1000000000+0), 0, 0, 0, 0, 0, 'other4', 61, 1, 0, 1),
  (62, 1, 4022, 400000, (1714523540*1000000000+500000000), 61, 4021, (1714523568*1000000000+0), 0, 0, 0, 0, 0, 'clockprobe', 60, 0, 0, 0);
