# processes started in the window, gaps overlapping it; --csv as --format csv
proctrail --csv export --since 2024-05-01T00:05 --until 2024-05-01T00:35 --kind processes,gaps --no-header
