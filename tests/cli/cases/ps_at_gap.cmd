# a moment no collector saw: said on stderr
proctrail ps --at 2024-05-01T00:35:00Z
