proctrail search --user root --csv
