proctrail report --since 2024-05-01T00:01:00Z --until 2024-05-01T00:06:00Z --json failures users
