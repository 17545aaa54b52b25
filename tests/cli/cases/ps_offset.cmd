# the same moment written with an offset
proctrail ps --at 2024-05-01T02:01:41.5+02:00 --csv
