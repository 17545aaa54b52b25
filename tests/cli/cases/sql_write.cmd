# every write is refused and nothing changes
proctrail sql 'DELETE FROM process'; echo "rc=$?"
proctrail sql "UPDATE process SET comm = 'x'"; echo "rc=$?"
proctrail sql 'CREATE TEMP TABLE t(x)'; echo "rc=$?"
proctrail sql 'SELECT 1; DROP TABLE process'; echo "rc=$?"
proctrail sql "ATTACH '/tmp/pt-attack.db' AS a"; echo "rc=$?"
proctrail sql 'PRAGMA journal_mode = DELETE'; echo "rc=$?"
proctrail sql 'BEGIN IMMEDIATE'; echo "rc=$?"
proctrail sql 'SELECT count(*) AS n FROM process'
