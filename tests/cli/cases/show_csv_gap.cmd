proctrail show 1002 --csv
