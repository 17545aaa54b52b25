-- Broken links for the verify cases: a parent, an event and an exec pointing to
-- rows that do not exist.
UPDATE process SET parent = 999 WHERE id = 5;
INSERT INTO event(id, session, mono, cpu, type, pid, tgid, comm, process) VALUES (11, 1, 100000000000, 0, 512, 5, 5, 'x', 777);
-- and an exec whose command line is gone
UPDATE exec SET cmdline = 888 WHERE id = 6;
-- and start-up snapshot entries of a session and of an exec that do not
-- exist
INSERT INTO snap(id, session, pos, tgid, mono, start_ticks, exec) VALUES (1, 9, 1, 1, 1, 1, NULL), (2, 1, 2, 2, 1, 1, 555);
-- and a withdrawn capture of a process that does not exist
INSERT INTO exec_drop(id, process, first, last, why) VALUES (1, 777, 6, 6, 32768);
