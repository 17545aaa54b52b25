proctrail search --min-duration 1m --json
