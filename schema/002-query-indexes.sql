-- proctrail schema, version 2: indexes for the query tool.

-- proctrail show: the rare per-process events (uid 4, gid 64, sid 128,
-- ptrace 256, comm 512, coredump 2^30) of one instance.  Fork (1), exec (2)
-- and exit (2^31) events are not indexed (they are found through process
-- and exec rows), so ingest pays nothing for them.  A range, not an IN
-- list: SQLite builds a temporary table for an IN list in a partial
-- index's WHERE at every INSERT, which more than doubled the writer's
-- cost per event.  The query tool repeats this WHERE clause word for word.
CREATE INDEX event_process ON event(process)
	WHERE type > 2 AND type < 2147483648;

-- proctrail ps --at T: processes alive at T are those that started in the
-- hour before T (process_start) plus those that lived more than an hour or
-- are still running (this one: a few thousand rows at 10M instances).
-- The query tool repeats this WHERE clause word for word.
CREATE INDEX process_long ON process(start)
	WHERE end IS NULL OR end - start > 3600000000000;
