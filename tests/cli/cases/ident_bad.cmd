proctrail show 12x; echo "rc=$?"; proctrail show '#12'; echo "rc=$?"; proctrail tree id:; echo "rc=$?"; proctrail ancestors 99999999999
