proctrail --json tree 1000
