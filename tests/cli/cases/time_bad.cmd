proctrail search --since 'last tuesday'; echo "rc=$?"
proctrail search --until 2024-13-01; echo "rc=$?"
proctrail search --since 2024-02-30; echo "rc=$?"
proctrail ps --at 1714525200; echo "rc=$?"
proctrail search --min-duration 5x
