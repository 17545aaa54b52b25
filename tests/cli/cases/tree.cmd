proctrail tree 1
