# times past int64 nanoseconds (2262-04-11) or before 1970 are refused,
# naming the range, never wrapped into another year
proctrail search --until 2300-01-01; echo "rc=$?"
proctrail search --since 9999-12-31; echo "rc=$?"
proctrail search --since 1969-12-31; echo "rc=$?"
proctrail search --since @9223372037; echo "rc=$?"
proctrail search --min-duration 106752d; echo "rc=$?"
# an impossible date stays impossible at 24:00
proctrail search --since 2024-02-30T24:00; echo "rc=$?"
# the largest id is valid, one more is out of range
proctrail show id:9223372036854775807; echo "rc=$?"
proctrail show id:9223372036854775809; echo "rc=$?"
proctrail ancestors 2147483648
