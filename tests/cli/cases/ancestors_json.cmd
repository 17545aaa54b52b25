proctrail ancestors 1002 --json
