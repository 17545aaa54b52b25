# a failed write to stdout exits 5 naming its errno, for every kind of
# output (buffered table, streamed JSON and CSV, export)
proctrail search >/dev/full; echo "rc=$?"
proctrail --json search >/dev/full; echo "rc=$?"
proctrail --csv tree 1 >/dev/full; echo "rc=$?"
proctrail export --since @0 >/dev/full; echo "rc=$?"
proctrail verify >/dev/full; echo "rc=$?"
