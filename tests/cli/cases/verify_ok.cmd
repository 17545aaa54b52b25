proctrail verify
