# now is pinned to 2024-05-01T01:00:00Z: 55m..50m ago is 00:05..00:10
proctrail search --since 55m --until 50m
