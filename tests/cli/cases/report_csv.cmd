proctrail report --csv parents
