-- proctrail schema, version 2: indexes for the query tool.

-- proctrail show: the rare per-process events (uid, gid, sid, ptrace, comm,
-- coredump) of one instance.  Fork, exec and exit events are not indexed
-- (they are found through process and exec rows), so ingest pays nothing
-- for them.  The query tool repeats this WHERE clause word for word.
CREATE INDEX event_process ON event(process)
	WHERE type IN (4, 64, 128, 256, 512, 1073741824);

-- proctrail ps --at T: processes alive at T are those that started in the
-- hour before T (process_start) plus those that lived more than an hour or
-- are still running (this one: a few thousand rows at 10M instances).
-- The query tool repeats this WHERE clause word for word.
CREATE INDEX process_long ON process(start)
	WHERE end IS NULL OR end - start > 3600000000000;
