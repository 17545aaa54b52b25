proctrail report --top 3
