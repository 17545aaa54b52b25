-- A hostile file: the process table replaced by a view that never ends.
DROP TABLE process;
CREATE VIEW process(id, boot, tgid, start_ticks, start, parent, ppid, end,
    status, uid, euid, gid, egid, comm, image, execs, flags) AS
    WITH RECURSIVE r(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM r)
    SELECT i, 1, 1, 0, 0, NULL, 0, NULL, NULL, 0, 0, 0, 0, 'x', NULL, 0, 0
    FROM r;
