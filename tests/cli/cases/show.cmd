proctrail show 1005
