# a table replaced by a view that never ends: every command stops within
# the time limit with a clear error (exit 3); verify reports what it found
# before (the schema differs) and that the limit stopped it
cd "$DATA"
proctrail --db loop.db --time-limit 0.3 ancestors 1; echo "rc=$?"
PROCTRAIL_TIME_LIMIT=0.3 proctrail --db loop.db search --comm x; echo "rc=$?"
proctrail --db loop.db --time-limit 0.3 sql 'SELECT count(*) FROM process'; echo "rc=$?"
proctrail --db loop.db verify --quick --time-limit 0.3; echo "rc=$?"
proctrail --db loop.db --time-limit x search; echo "rc=$?"
