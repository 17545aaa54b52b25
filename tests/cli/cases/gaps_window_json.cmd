proctrail gaps --since 2024-05-01T00:10:00Z --json
