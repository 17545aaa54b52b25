# events were lost around that moment: said on stderr
proctrail show 200 --at 2024-05-01T00:01:45.2Z
