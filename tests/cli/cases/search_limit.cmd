proctrail search --limit 2 --json
