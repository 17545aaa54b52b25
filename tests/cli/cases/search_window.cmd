# An inverted window is an error, not an empty answer
proctrail search --since 2024-05-01T01:00:00Z --until 2024-05-01T00:00:00Z
