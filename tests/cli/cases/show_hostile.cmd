proctrail show 1007
