proctrail tree id:999
