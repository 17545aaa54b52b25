proctrail search --comm 's*' --since 2024-05-01T00:01:00Z --until 2024-05-01T00:02:00Z
