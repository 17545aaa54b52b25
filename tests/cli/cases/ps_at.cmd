proctrail ps --at 2024-05-01T00:01:41.5Z
