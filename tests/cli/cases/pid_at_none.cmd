proctrail show 300 --at 2024-05-01T00:02:00Z
