# every record type of the fixture, as JSON lines
proctrail export --since 2024-05-01 --kind all
