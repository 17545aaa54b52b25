-- Damage no collector writes, for the verify and ancestors cases: a parent
-- cycle (id 3, bash, gets id 7, its child, as parent), an end before the
-- start (a process, a gap), a negative gap count, a forked_before_exec
-- out of its range.
UPDATE process SET parent = 7 WHERE id = 3;
UPDATE process SET end = start - 1000000000 WHERE id = 5;
UPDATE gap SET count = -5 WHERE id = 1;
UPDATE gap SET end = start - 1 WHERE id = 2;
-- forked_before_exec, which the collector writes as 0, 1 or NULL
UPDATE process SET forked_before_exec = 7 WHERE id = 8;
