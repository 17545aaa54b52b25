# --at picks the instance alive then
proctrail ancestors 300 --at 2024-05-01T00:00:55Z
