# a parent cycle ends with a clear error (exit 3) at once, not after a walk
# of 100,000 levels; tree stops at the root it started from
cd "$DATA" && proctrail --db damaged.db ancestors 1002; echo "rc=$?"
proctrail --db damaged.db tree 1000
