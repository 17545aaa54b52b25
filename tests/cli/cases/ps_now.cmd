proctrail ps
