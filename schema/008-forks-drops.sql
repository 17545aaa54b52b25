-- proctrail schema, version 8: which processes passed on an image they
-- had not exec'd themselves, and which captures were withdrawn.
--
-- A child runs the image its parent runs at the fork (process.image) until
-- it execs.  A process that forked a child before its own first exec (a
-- subshell, a daemon's worker) passes on the image it inherited; one that
-- exec'd first passes on its own.  The column says which, as the
-- collector saw the events in order, so that the processes still running
-- a given exec's image can be found from that exec down the process tree
-- (proctrail search --argv over the whole history) without comparing
-- times, which clock changes and coarse clocks can put out of order.

-- 1: it forked a child (a process, not a thread) while no exec of it had
-- been seen (execs was 0); 0: it did not while the collector watched it
-- from its fork; NULL: not known (its fork or part of its life was not
-- seen: the start-up snapshot, a lost fork, until it forks before an exec;
-- rows written before version 8).
ALTER TABLE process ADD COLUMN forked_before_exec INTEGER;

-- The captures dropped after their exec rows were written: the checks
-- against the stream (docs/schema.md) found, on a later event, that what
-- was read was not that process's image, and emptied the rows (their
-- capture has 1024 or 32768 set).  One row per decision, in the order
-- taken, so that a reader following the file (proctrail follow) can say
-- that what it showed of those rows is withdrawn.  Derived, like the
-- drops themselves: a rebuild writes its own.  Ids are never reused
-- (retention may delete the latest), so a reader can resume after one.
CREATE TABLE exec_drop (
	id		INTEGER PRIMARY KEY AUTOINCREMENT,	-- in the order decided
	process		INTEGER NOT NULL,	-- process.id of the rows
	first		INTEGER NOT NULL,	-- exec.id of the first row emptied
	last		INTEGER NOT NULL,	-- exec.id of the last
	why		INTEGER NOT NULL	-- the capture bit or-ed into them: 1024 or 32768
);
CREATE INDEX exec_drop_process ON exec_drop(process);	-- retention
