proctrail ancestors 1005
