proctrail search --parent 1001
