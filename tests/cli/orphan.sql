-- Broken links for the verify cases: a parent and an event pointing to
-- instances that do not exist.
UPDATE process SET parent = 999 WHERE id = 5;
INSERT INTO event(id, session, mono, cpu, type, pid, tgid, comm, process) VALUES (11, 1, 100000000000, 0, 512, 5, 5, 'x', 777);
