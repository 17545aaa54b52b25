# On a terminal, times show in the local zone with its offset (journalctl
# does the same); --utc forces UTC; JSON and CSV stay UTC with Z.  Times
# without Z or an offset are local.  (script gives proctrail a terminal.)
export TZ=EET-2
script -qec "$PT --no-pager --db $DATA/fixture.db search --pid 300" /dev/null | tr -d '\r'
script -qec "$PT --no-pager --db $DATA/fixture.db search --pid 300 --utc" /dev/null | tr -d '\r'
script -qec "$PT --no-pager --db $DATA/fixture.db --csv search --pid 300" /dev/null | tr -d '\r' | cut -d, -f4
proctrail search --pid 300 --since 2024-05-01T02:05
proctrail search --pid 300 --until 2024-05-01T02:05:00+02:00
proctrail search --since 2024-05-01T02:00 --until 2024-05-01T01:00; echo "rc=$?"
